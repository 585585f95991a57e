-- 0007 order limits: the daily purchase limit reads one counter row per investor, product
-- and trade date instead of summing that day's orders (which grew with every order placed).
-- Placing a subscription adds to it; cancelling or failing one takes it off again.
CREATE TABLE order_daily_usage (
    investor_id         INTEGER NOT NULL REFERENCES users (id),
    product_id          INTEGER NOT NULL REFERENCES products (id),
    trade_date          TEXT    NOT NULL,
    amount_fen          INTEGER NOT NULL CHECK (amount_fen >= 0),
    PRIMARY KEY (investor_id, product_id, trade_date)
) STRICT, WITHOUT ROWID;

INSERT INTO order_daily_usage (investor_id, product_id, trade_date, amount_fen)
SELECT investor_id, product_id, trade_date, SUM(amount_fen) FROM orders
WHERE side = 'subscribe' AND status IN ('accepted', 'confirmed')
GROUP BY investor_id, product_id, trade_date;

-- Only the daily-limit sum used it.
DROP INDEX orders_daily;
