-- bench/orders/order.lua: wrk script for bench/orders/run. Every request places a new
-- subscription order: POST /api/v1/investor/orders with a client order id never used before.
--
--   wrk -s bench/orders/order.lua URL -- TOKENS_FILE PRODUCT_ID TAG
--
-- TOKENS_FILE holds one investor session token (64 hex digits) a line. wrk's Lua API does
-- not say which connection a request goes out on, so requests take the tokens in turn: with
-- as many investors as connections, each investor has about one order in flight at a time.
-- TAG prefixes the client order ids ("w" warm-up, "m" measured run): the run script counts
-- the accepted orders of a run in the database by that prefix.

local tokens = {}
local product = ""
local tag = "m"
local seq = 0

function init(args)
    local path = args[1]
    product = args[2] or ""
    tag = args[3] or "m"
    for line in io.lines(path) do
        if #line > 0 then
            tokens[#tokens + 1] = "Bearer " .. line
        end
    end
    if #tokens == 0 or product == "" then
        error("usage: wrk -s order.lua URL -- TOKENS_FILE PRODUCT_ID TAG")
    end
end

function request()
    seq = seq + 1
    local body = string.format(
        '{"client_order_id":"%s-%d","product_id":"%s","side":"subscribe","amount":"10.00"}',
        tag, seq, product)
    return wrk.format("POST", "/api/v1/investor/orders", {
        ["Authorization"] = tokens[(seq - 1) % #tokens + 1],
        ["Content-Type"] = "application/json",
    }, body)
end
