/*
 * ledger_check.c: reconciliation of the ledger with itself and with the business rows.
 *
 *   1. every asset sums to zero over all accounts (double entry);
 *   2. every account's balance equals its entries (Σ in − Σ out);
 *   3. no account that may not go negative is negative;
 *   4. cash held per investor = Σ accepted subscriptions; shares held per investor and
 *      product = Σ accepted redemptions; cash in transit = Σ confirmed unpaid redemptions;
 *   5. the FIFO lots of an investor and product hold exactly their available + held shares;
 *   6. the daily-limit counters equal the day's accepted and confirmed subscriptions;
 *   7. exactly the entries that move an investor's available cash name it in cash_account
 *      (statements read them by it: one missing there would be missing from a statement).
 *
 * Each check is one query returning the rows that disagree; all are reported.
 */
#include "jobs/ledger_check.h"

#include "base/check.h"

#include <stdio.h>

struct check {
    const char *what;
    const char *sql; /* rows that disagree: (text, int, int) = (what, have, want) */
};

static const struct check checks[] = {
    {"asset does not sum to zero",
     "SELECT asset, SUM(balance), 0 FROM ledger_accounts GROUP BY asset HAVING SUM(balance) <> 0"},
    {"balance differs from its entries",
     "SELECT a.asset || ' ' || a.kind || ' ' || a.owner_id, a.balance, COALESCE(e.total, 0) "
     "FROM ledger_accounts a LEFT JOIN (SELECT account, SUM(delta) AS total FROM ("
     "SELECT to_account AS account, amount AS delta FROM ledger_entries UNION ALL "
     "SELECT from_account, -amount FROM ledger_entries) GROUP BY account) e "
     "ON e.account = a.id WHERE a.balance <> COALESCE(e.total, 0)"},
    {"negative balance",
     "SELECT asset || ' ' || kind || ' ' || owner_id, balance, 0 FROM ledger_accounts "
     "WHERE allow_negative = 0 AND balance < 0"},
    {"held cash differs from accepted subscriptions",
     "SELECT 'investor ' || a.owner_id, a.balance, COALESCE((SELECT SUM(o.amount_fen) FROM orders "
     "o "
     "WHERE o.investor_id = a.owner_id AND o.side = 'subscribe' AND o.status = 'accepted'), 0) "
     "AS want FROM ledger_accounts a WHERE a.asset = 'CNY' AND a.kind = 'held' AND "
     "a.balance <> want"},
    {"held shares differ from accepted redemptions",
     "SELECT 'investor ' || a.owner_id || ' ' || a.asset, a.balance, COALESCE((SELECT "
     "SUM(o.shares_h) FROM orders o WHERE o.investor_id = a.owner_id AND 'P:' || o.product_id = "
     "a.asset AND o.side = 'redeem' AND o.status = 'accepted'), 0) AS want FROM ledger_accounts a "
     "WHERE a.asset <> 'CNY' AND a.kind = 'held' AND a.balance <> want"},
    {"cash in transit differs from unpaid redemptions",
     "SELECT 'investor ' || a.owner_id, a.balance, COALESCE((SELECT SUM(o.net_fen) FROM orders o "
     "WHERE o.investor_id = a.owner_id AND o.side = 'redeem' AND o.status = 'confirmed' AND "
     "o.cash_paid_ms IS NULL), 0) AS want FROM ledger_accounts a WHERE a.asset = 'CNY' AND "
     "a.kind = 'in_transit' AND a.balance <> want"},
    {"share lots differ from the shares held in the ledger",
     /* Over every holder known to either side: a holding with no lots, or lots with no
      * holding, is a difference too. */
     "SELECT 'investor ' || h.investor || ' product ' || h.product, "
     "COALESCE((SELECT SUM(l.shares_h) FROM share_lots l WHERE l.investor_id = h.investor AND "
     "l.product_id = h.product), 0) AS have, "
     "COALESCE((SELECT SUM(a.balance) FROM ledger_accounts a WHERE a.owner_id = h.investor AND "
     "a.asset = 'P:' || h.product AND a.kind IN ('available', 'held')), 0) AS want "
     "FROM (SELECT investor_id AS investor, product_id AS product FROM share_lots UNION "
     "SELECT owner_id, CAST(substr(asset, 3) AS INTEGER) FROM ledger_accounts WHERE asset <> "
     "'CNY' AND kind IN ('available', 'held')) h WHERE have <> want"},
    {"daily-limit counter differs from the day's subscriptions",
     /* One pass over both sides, grouped: a correlated sum per counter scanned the orders
      * once per counter. */
     "SELECT 'investor ' || i || ' product ' || p || ' ' || d, SUM(have) AS h, SUM(want) AS w "
     "FROM (SELECT investor_id AS i, product_id AS p, trade_date AS d, amount_fen AS have, 0 AS "
     "want FROM order_daily_usage UNION ALL SELECT investor_id, product_id, trade_date, 0, "
     "amount_fen FROM orders WHERE side = 'subscribe' AND status IN ('accepted', 'confirmed')) "
     "GROUP BY i, p, d HAVING h <> w"},
    {"entry's cash account differs from its accounts",
     "SELECT 'entry ' || e.id, COALESCE(e.cash_account, 0), COALESCE((SELECT a.id FROM "
     "ledger_accounts a WHERE a.id IN (e.from_account, e.to_account) AND a.asset = 'CNY' AND "
     "a.kind = 'available'), 0) AS want FROM ledger_entries e WHERE "
     "COALESCE(e.cash_account, 0) <> want"},
};

struct report_ctx {
    FILE *out;
    const char *what;
    int64_t found;
};

static int report_row(void *ctx, const struct store_row *row)
{
    struct report_ctx *r = ctx;
    r->found++;
    if (r->found <= 20)
        fprintf(r->out, "  %s: %s: have %lld, want %lld\n", r->what, store_row_text(row, 0, NULL),
                (long long)store_row_int(row, 1), (long long)store_row_int(row, 2));
    return 0;
}

enum store_rc ledger_check_run(struct store *s, FILE *out, int64_t *differences,
                               struct store_err *err)
{
    *differences = 0;
    struct store_conn *c = store_reader(s, err);
    if (c == NULL)
        return STORE_ERROR;
    for (size_t i = 0; i < ARRAY_LEN(checks); i++) {
        struct report_ctx r = {out, checks[i].what, 0};
        enum store_rc rc = store_query(c, checks[i].sql, NULL, 0, report_row, &r, err);
        if (rc != STORE_OK)
            return rc;
        fprintf(out, "%-55s %s\n", checks[i].what, r.found ? "DIFFERENCES" : "ok");
        *differences += r.found;
    }
    return STORE_OK;
}
