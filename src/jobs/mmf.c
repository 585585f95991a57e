/*
 * mmf.c: money-market income, credited as shares every calendar day (holidays included:
 * the fund earns on them too). A holder's income for day D is their shares × the day's
 * income per 10,000 shares, truncated to the hundredth of a share so that what is credited
 * never exceeds what the fund earned; it becomes a new lot dated D.
 *
 * Idempotent: each credit inserts a row keyed by (investor, product, D) in the same
 * transaction as its posting; a rerun finds the row and skips the holder.
 */
#include "jobs/jobs.h"

#include "api/ledger_store.h"
#include "base/check.h"
#include "base/crypto.h"
#include "core/fee.h"
#include "core/ledger.h"

#include <string.h>

struct holder {
    int64_t investor, product, shares_h, income_e4;
};

struct mmf_chunk {
    struct holder h[JOB_CHUNK_MAX];
    size_t n;
    char date[CIVIL_DATE_CAP];
    int64_t now_ms;
    struct job_report *rep;
};

static int take_holder(void *ctx, const struct store_row *row)
{
    struct mmf_chunk *ch = ctx;
    struct holder *h = &ch->h[ch->n++];
    h->investor = store_row_int(row, 0);
    h->product = store_row_int(row, 1);
    h->shares_h = store_row_int(row, 2);
    h->income_e4 = store_row_int(row, 3);
    return ch->n == (size_t)job_chunk();
}

static enum store_rc credit_one(struct store_conn *c, struct mmf_chunk *ch, const struct holder *h,
                                struct store_err *err)
{
    int64_t shares = 0;
    if (fee_mmf_income_shares(h->shares_h, h->income_e4, FEE_ROUND_TRUNCATE, &shares) != FEE_OK)
        return store_fail(err, STORE_ERROR, "income of product %lld is out of range",
                          (long long)h->product);
    int64_t changed = 0;
    struct store_val p[] = {SV_INT(h->investor), SV_INT(h->product),   SV_TEXT(ch->date),
                            SV_INT(h->shares_h), SV_INT(h->income_e4), SV_INT(shares),
                            SV_INT(ch->now_ms)};
    enum store_rc rc = store_exec(c,
                                  "INSERT INTO mmf_income_credits (investor_id, product_id, "
                                  "income_date, base_shares_h, income_per_10k_e4, shares_h, "
                                  "credited_ms) VALUES (?, ?, ?, ?, ?, ?, ?) "
                                  "ON CONFLICT DO NOTHING",
                                  p, 7, &changed, err);
    /* A negative day's income (rare) is recorded but not taken from holders' shares. */
    if (rc != STORE_OK || changed == 0 || shares <= 0)
        return rc;
    struct ledger_txn t;
    ASSERT(ledger_mmf_income(&t, h->investor, h->product, shares) == LEDGER_OK);
    rc = ledger_apply(c, &t, ch->now_ms, err);
    struct store_val l[] = {SV_INT(h->investor), SV_INT(h->product), SV_TEXT(ch->date),
                            SV_INT(shares)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "INSERT INTO share_lots (investor_id, product_id, confirmed_date, "
                        "shares_h, cost_fen) VALUES (?, ?, ?, ?, 0)",
                        l, 4, NULL, err);
    ch->rep->processed += rc == STORE_OK;
    return rc;
}

static enum store_rc mmf_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct mmf_chunk *ch = ctx;
    enum store_rc rc = STORE_OK;
    for (size_t i = 0; i < ch->n && rc == STORE_OK; i++)
        rc = credit_one(c, ch, &ch->h[i], err);
    return rc;
}

enum store_rc job_mmf_income(struct store *s, struct civil_date d, int64_t now_ms,
                             job_progress_fn progress, void *pctx, struct job_report *out,
                             struct store_err *err)
{
    static struct mmf_chunk ch;
    memset(out, 0, sizeof(*out));
    civil_date_format(d, ch.date, sizeof(ch.date));
    ch.now_ms = now_ms;
    ch.rep = out;
    struct store_conn *rd = store_reader(s, err);
    enum store_rc rc = rd ? STORE_OK : STORE_ERROR;
    /* Holders on D: lots confirmed on or before D — shares confirmed on T+1 earn from T+1, as
     * funds pay; the income lot of D itself does not exist yet when D is credited.
     * Walk by (investor, product) so that each chunk resumes after the previous one. */
    for (int64_t inv = 0, prod = 0; rc == STORE_OK;) {
        ch.n = 0;
        struct store_val p[] = {SV_TEXT(ch.date), SV_TEXT(ch.date), SV_INT(inv),
                                SV_INT(inv),      SV_INT(prod),     SV_INT(job_chunk())};
        rc = store_query(rd,
                         "SELECT l.investor_id, l.product_id, SUM(l.shares_h), n.income_per_10k_e4 "
                         "FROM share_lots l JOIN products p ON p.id = l.product_id AND "
                         "p.type = 'money_market' JOIN navs n ON n.product_id = p.id AND "
                         "n.nav_date = ? AND n.confirmed = 1 AND n.income_per_10k_e4 IS NOT NULL "
                         "WHERE l.confirmed_date <= ? AND (l.investor_id > ? OR (l.investor_id = ? "
                         "AND l.product_id > ?)) GROUP BY l.investor_id, l.product_id "
                         "HAVING SUM(l.shares_h) > 0 ORDER BY l.investor_id, l.product_id LIMIT ?",
                         p, 6, take_holder, &ch, err);
        if (rc != STORE_OK || ch.n == 0)
            break;
        inv = ch.h[ch.n - 1].investor;
        prod = ch.h[ch.n - 1].product;
        rc = store_write_sync(s, mmf_write, &ch, err);
        out->chunks++;
        if (progress)
            progress(pctx, out->processed, 0);
    }
    return rc;
}
