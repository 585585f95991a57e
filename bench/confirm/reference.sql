-- bench/confirm/reference.sql: the reference of bench/confirm/run. The sqlite3 shell confirms
-- the same accepted subscriptions on a copy of the same database, writing the same rows as
-- `caifuhao batch confirm` (the orders' results, three ledger entries and a share lot per order,
-- the investors' new share accounts, every balance moved), but as plain SQL: a handful of
-- set-based statements in one transaction, with no per-order program, no chunks and no
-- progress. It is what SQLite itself takes to store a confirmation, schema, indexes, foreign
-- keys and CHECKs included: a floor for any confirmation that keeps these rows in SQLite.
--
-- The figures are those of bench/confirm/gen.c's product only (a 0.3% subscription fee, no
-- discount, half-up shares, NAV(T) 1.0234): the run script checks that the totals (fees, net
-- amounts, shares, entries, lots, balances) equal the batch's before it prints the ratio.
-- :T and :T1 (trade date and T+1) are replaced by the run script.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -131072;
BEGIN;
-- 外扣法 at 0.3%: net = amount × 10^6 / 1,003,000 half-up; shares (hundredths) = net × 10^4 /
-- 10,234 half-up.
CREATE TEMP TABLE c AS
SELECT o.id, o.investor_id AS inv, o.product_id AS prod, o.institution_id AS inst,
       o.amount_fen AS amt, (o.amount_fen * 2000000 + 1003000) / 2006000 AS net
FROM orders o
WHERE o.status = 'accepted' AND o.trade_date = ':T'
ORDER BY o.id;
INSERT INTO ledger_accounts (id, asset, kind, owner_id, balance, allow_negative)
SELECT abs(random() % 9000000000000000000) + 1, 'P:' || prod, 'available', inv, 0, 0
FROM (SELECT DISTINCT inv, prod FROM c) WHERE 1
ON CONFLICT DO NOTHING;
INSERT INTO ledger_accounts (id, asset, kind, owner_id, balance, allow_negative)
SELECT abs(random() % 9000000000000000000) + 1, 'P:' || prod, 'fund_issuance', prod, 0, 1
FROM (SELECT DISTINCT prod FROM c) WHERE 1
ON CONFLICT DO NOTHING;
CREATE TEMP TABLE a AS
SELECT c.id, c.inv, c.prod, c.amt, c.net, c.amt - c.net AS fee,
       (c.net * 20000 + 10234) / 20468 AS sh,
       (SELECT id FROM ledger_accounts WHERE asset = 'CNY' AND kind = 'held'
        AND owner_id = c.inv) AS held,
       (SELECT id FROM ledger_accounts WHERE asset = 'P:' || c.prod AND kind = 'available'
        AND owner_id = c.inv) AS shares_acct,
       (SELECT id FROM ledger_accounts WHERE asset = 'CNY' AND kind = 'settlement'
        AND owner_id = c.inst) AS settle,
       (SELECT id FROM ledger_accounts WHERE asset = 'CNY' AND kind = 'platform_fees'
        AND owner_id = 0) AS fees,
       (SELECT id FROM ledger_accounts WHERE asset = 'P:' || c.prod AND kind = 'fund_issuance'
        AND owner_id = c.prod) AS issue
FROM c;
INSERT INTO ledger_entries (txn, asset, from_account, to_account, amount, event, order_id, at_ms)
SELECT id, 'CNY', held, settle, net, 'subscribe.confirm', id, 0 FROM a
UNION ALL
SELECT id, 'CNY', held, fees, fee, 'subscribe.confirm', id, 0 FROM a WHERE fee > 0
UNION ALL
SELECT id, 'P:' || prod, issue, shares_acct, sh, 'subscribe.confirm', id, 0 FROM a;
INSERT INTO share_lots (investor_id, product_id, confirmed_date, shares_h, cost_fen, order_id)
SELECT inv, prod, ':T1', sh, amt, id FROM a;
UPDATE orders SET status = 'confirmed', confirmed_ms = 0, nav_e4 = 10234, fee_fen = a.fee,
       net_fen = a.net, confirmed_shares_h = a.sh
FROM a WHERE orders.id = a.id;
UPDATE ledger_accounts SET balance = balance + d.delta
FROM (SELECT acct, sum(delta) AS delta
      FROM (SELECT held AS acct, -amt AS delta FROM a
            UNION ALL SELECT shares_acct, sh FROM a
            UNION ALL SELECT settle, net FROM a
            UNION ALL SELECT fees, fee FROM a
            UNION ALL SELECT issue, -sh FROM a)
      GROUP BY acct) AS d
WHERE ledger_accounts.id = d.acct;
COMMIT;
