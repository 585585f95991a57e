/*
 * settle.c: redemption cash reaching investors on T+n (see jobs.h). An order is paid in
 * the same transaction as its posting (in transit → available) and its cash_paid_ms, and
 * only unpaid orders are selected, so a rerun pays nothing twice.
 */
#include "jobs/jobs.h"

#include "api/ledger_store.h"
#include "base/check.h"
#include "core/ledger.h"

#include <string.h>

struct payment {
    int64_t id, investor, net_fen;
};

struct pay_chunk {
    struct payment p[JOB_CHUNK_MAX];
    size_t n;
    int64_t now_ms;
    struct job_report *rep;
};

static int take_payment(void *ctx, const struct store_row *row)
{
    struct pay_chunk *ch = ctx;
    struct payment *p = &ch->p[ch->n++];
    p->id = store_row_int(row, 0);
    p->investor = store_row_int(row, 1);
    p->net_fen = store_row_int(row, 2);
    return ch->n == (size_t)job_chunk();
}

static enum store_rc pay_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct pay_chunk *ch = ctx;
    enum store_rc rc = STORE_OK;
    for (size_t i = 0; i < ch->n && rc == STORE_OK; i++) {
        const struct payment *p = &ch->p[i];
        int64_t changed = 0;
        struct store_val u[] = {SV_INT(ch->now_ms), SV_INT(p->id)};
        rc = store_exec(c,
                        "UPDATE orders SET cash_paid_ms = ? WHERE id = ? AND cash_paid_ms IS NULL",
                        u, 2, &changed, err);
        if (rc != STORE_OK || changed == 0 || p->net_fen == 0)
            continue;
        struct ledger_txn t;
        ASSERT(ledger_red_pay(&t, p->investor, p->id, p->net_fen) == LEDGER_OK);
        rc = ledger_apply(c, &t, ch->now_ms, err);
        ch->rep->processed += rc == STORE_OK;
    }
    return rc;
}

enum store_rc job_settle(struct store *s, struct civil_date d, int64_t now_ms,
                         job_progress_fn progress, void *pctx, struct job_report *out,
                         struct store_err *err)
{
    static struct pay_chunk ch;
    memset(out, 0, sizeof(*out));
    char ds[CIVIL_DATE_CAP];
    civil_date_format(d, ds, sizeof(ds));
    ch.now_ms = now_ms;
    ch.rep = out;
    struct store_conn *rd = store_reader(s, err);
    enum store_rc rc = rd ? STORE_OK : STORE_ERROR;
    for (int64_t last = 0; rc == STORE_OK;) {
        ch.n = 0;
        struct store_val p[] = {SV_TEXT(ds), SV_INT(last), SV_INT(job_chunk())};
        rc = store_query(rd,
                         "SELECT id, investor_id, net_fen FROM orders WHERE side = 'redeem' AND "
                         "status = 'confirmed' AND cash_paid_ms IS NULL AND cash_date <= ? AND "
                         "id > ? ORDER BY id LIMIT ?",
                         p, 3, take_payment, &ch, err);
        if (rc != STORE_OK || ch.n == 0)
            break;
        last = ch.p[ch.n - 1].id;
        rc = store_write_sync(s, pay_write, &ch, err);
        out->chunks++;
        if (progress)
            progress(pctx, out->processed, 0);
    }
    return rc;
}
