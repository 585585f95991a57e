-- bench/events/events.lua: wrk script for bench/events/run. Every request posts one batch of
-- interaction events: POST /api/v1/events with the same body (BODY_FILE, a JSON batch made by
-- the run script), each request with one investor's Bearer token in turn.
--
--   wrk -s bench/events/events.lua URL -- TOKENS_FILE BODY_FILE
--
-- TOKENS_FILE holds one investor session token (64 hex digits) a line. The events of a batch
-- are all valid, so every one of them is stored; the run script counts the rows to be sure.

local tokens = {}
local body = ""
local seq = 0

function init(args)
    local path = args[1]
    local f = io.open(args[2] or "", "rb")
    if f then
        body = f:read("*a")
        f:close()
    end
    for line in io.lines(path) do
        if #line > 0 then
            tokens[#tokens + 1] = "Bearer " .. line
        end
    end
    if #tokens == 0 or body == "" then
        error("usage: wrk -s events.lua URL -- TOKENS_FILE BODY_FILE")
    end
end

function request()
    seq = seq + 1
    return wrk.format("POST", "/api/v1/events", {
        ["Authorization"] = tokens[(seq - 1) % #tokens + 1],
        ["Content-Type"] = "application/json",
    }, body)
end
