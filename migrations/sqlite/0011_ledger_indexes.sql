-- 0011 ledger indexes: an order placed used to write a leaf in four indexes keyed by the
-- investor (the client order id, the investor's order history, the entries out of an account
-- and the entries into one), and each commit writes every leaf it dirtied: most of the bytes
-- written per order. Two of those are replaced by narrower ones and one goes:
--
-- * Statements read the movements of an investor's available cash only. Each entry now
--   names that account when it moves money into or out of it (cash_account, NULL for every
--   other entry), and one partial index over it replaces the two indexes by from and to
--   account. A confirmation (held cash to the institution) writes no leaf of it at all.
--   `caifuhao ledger check` verifies that exactly the entries touching available cash name it.
-- * An investor's order history is read through the client-order-id index (investor first)
--   and sorted: the index by (investor, placed time) held the same orders a second time.
-- * Nothing reads entries by txn: a transaction's entries are the consecutive ids from its
--   txn number (the primary key finds them), so that index only cost a write per entry.
ALTER TABLE ledger_entries ADD COLUMN cash_account INTEGER;

UPDATE ledger_entries SET cash_account = CASE
    WHEN from_account IN (SELECT id FROM ledger_accounts WHERE asset = 'CNY' AND kind = 'available')
        THEN from_account
    WHEN to_account IN (SELECT id FROM ledger_accounts WHERE asset = 'CNY' AND kind = 'available')
        THEN to_account
    END;

CREATE INDEX ledger_entries_cash ON ledger_entries (cash_account, at_ms)
    WHERE cash_account IS NOT NULL;
DROP INDEX ledger_entries_from;
DROP INDEX ledger_entries_to;
DROP INDEX orders_investor;
DROP INDEX ledger_entries_txn;
