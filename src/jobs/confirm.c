/*
 * confirm.c: confirmation of the orders of trade date T at NAV(T) (see jobs.h).
 *
 * Subscription (外扣法, core/fee.c): net = amount / (1 + rate), fee = amount − net,
 * shares = net / NAV(T); the shares form a new lot dated T+1, the day they are confirmed.
 * Redemption: gross = shares × NAV(T), fee lot by lot by holding period, first in first
 * out; the cash arrives on T+n trading days (the product's delay). A subscription whose
 * net amount buys no share fails with its reason and its cash is released.
 *
 * A subscription placed through a fee-discount campaign gets the campaign's discount on top of
 * the platform's (core/fee.c, fee_quote_subscription_campaign), as far as the campaign's budget
 * goes. Each campaign of a chunk is read once, inside the chunk's write, its budget left kept in
 * memory while the chunk's orders take from it, and what they took is added to its spent_fen in
 * the same write: the writer is serial and the table refuses spent_fen > budget_fen, so no
 * interleaving of batches and no crash can give more than the budget.
 *
 * The campaign's state is not read here, on purpose: the discount was promised when the order
 * was placed through it (attribution is checked then, and only then), so an order placed before
 * the campaign ended or was stopped keeps its discount, within the budget. A stop refuses the
 * orders placed after it, at placement (api/campaigns_ops.c).
 */
#include "jobs/jobs.h"

#include "api/campaigns.h"
#include "api/fee_json.h"
#include "api/ledger_store.h"
#include "api/orders.h"
#include "api/trading.h"
#include "base/check.h"
#include "base/crypto.h"
#include "core/calendar.h"
#include "core/fee.h"
#include "core/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFIRM_PRODUCT_CACHE 64

struct corder {
    int64_t id, investor, product, institution, amount_fen, shares_h;
    int64_t campaign; /* 0: none */
    bool subscribe;
};

struct chunk {
    struct corder o[JOB_CHUNK_MAX];
    size_t n;
    int64_t last_id;
};

static int take_corder(void *ctx, const struct store_row *row)
{
    struct chunk *ch = ctx;
    struct corder *o = &ch->o[ch->n++];
    o->id = store_row_int(row, 0);
    o->investor = store_row_int(row, 1);
    o->product = store_row_int(row, 2);
    o->institution = store_row_int(row, 3);
    o->subscribe = strcmp(store_row_text(row, 4, NULL), "subscribe") == 0;
    o->amount_fen = store_row_int(row, 5);
    o->shares_h = store_row_int(row, 6);
    o->campaign = store_row_is_null(row, 7) ? 0 : store_row_int(row, 7);
    ch->last_id = o->id;
    return ch->n == (size_t)job_chunk();
}

/* What confirmation needs of a product: its NAV(T) and its fee rules. */
struct cproduct {
    bool found, has_nav;
    int64_t nav_e4, discount_ppm, delay;
    enum fee_rounding rounding;
    struct fee_sub_schedule sub;
    struct fee_red_schedule red;
};

static int take_cproduct(void *ctx, const struct store_row *row)
{
    struct cproduct *p = ctx;
    p->found = fee_json_load_sub(store_row_text(row, 0, NULL), &p->sub) &&
               fee_json_load_red(store_row_text(row, 1, NULL), &p->red) &&
               fee_rounding_parse(store_row_text(row, 3, NULL), &p->rounding);
    p->discount_ppm = store_row_int(row, 2);
    p->delay = store_row_int(row, 4);
    p->has_nav = !store_row_is_null(row, 5);
    p->nav_e4 = store_row_int(row, 5);
    return 1;
}

static enum store_rc load_cproduct(struct store_conn *c, int64_t id, const char *t,
                                   struct cproduct *p, struct store_err *err)
{
    memset(p, 0, sizeof(*p));
    struct store_val q[] = {SV_TEXT(t), SV_INT(id)};
    enum store_rc rc = store_query(c,
                                   "SELECT p.sub_fees, p.red_fees, p.discount_ppm, "
                                   "p.share_rounding, p.redeem_delay_days, (SELECT n.nav_e4 FROM "
                                   "navs n WHERE n.product_id = p.id AND n.nav_date = ? AND "
                                   "n.confirmed = 1) FROM products p WHERE p.id = ?",
                                   q, 2, take_cproduct, p, err);
    if (rc == STORE_OK && !p->found)
        return store_fail(err, STORE_ERROR, "product %lld has damaged fee rules", (long long)id);
    return rc;
}

/* A campaign as one chunk sees it: read once, then taken from by the chunk's orders. */
struct ccampaign {
    int64_t id;        /* 0: a free slot */
    int64_t off_ppm;   /* 0: no discount (not a fee discount) */
    int64_t left_fen;  /* budget left, less what this chunk's orders took */
    int64_t taken_fen; /* what this chunk's orders took */
};

/* Open addressing, twice as many slots as a chunk has orders: never full. */
#define CONFIRM_CAMPAIGN_SLOTS (2 * JOB_CHUNK_MAX)

struct ccampaigns {
    struct ccampaign slot[CONFIRM_CAMPAIGN_SLOTS];
    uint32_t used[JOB_CHUNK_MAX]; /* slots in use, to add up and clear them */
    size_t n;
};

struct cctx {
    struct chunk *ch;
    struct ccampaigns *camps;
    struct civil_date t, t1;
    char t_s[CIVIL_DATE_CAP], t1_s[CIVIL_DATE_CAP];
    const struct calendar *cal;
    int64_t now_ms;
    struct job_report *rep;
    struct ledger_batch *lb; /* the chunk's postings */
};

/* Marks the order failed and releases what it held; false when it was no longer accepted. */
static enum store_rc fail_order(struct store_conn *c, struct cctx *x, const struct corder *o,
                                const char *reason, struct store_err *err)
{
    int64_t changed = 0;
    struct store_val u[] = {SV_TEXT(reason), SV_INT(x->now_ms), SV_INT(o->id)};
    enum store_rc rc = store_exec(c,
                                  "UPDATE orders SET status = 'failed', fail_reason = ?, "
                                  "confirmed_ms = ? WHERE id = ? AND status = 'accepted'",
                                  u, 3, &changed, err);
    if (rc != STORE_OK || changed == 0)
        return rc;
    struct ledger_txn t;
    if (o->subscribe) {
        ledger_sub_release(&t, o->investor, o->id, o->amount_fen);
        rc = api_order_daily_release(c, o->investor, o->product, x->t_s, o->amount_fen, err);
        if (rc != STORE_OK)
            return rc;
    } else {
        ledger_red_release(&t, o->investor, o->product, o->id, o->shares_h);
    }
    x->rep->failed++;
    x->rep->processed++;
    return ledger_batch_add(c, x->lb, &t, err);
}

/* The chunk's view of campaign `id`, read from the store the first time the chunk meets it. */
static enum store_rc chunk_campaign(struct store_conn *c, struct ccampaigns *t, int64_t id,
                                    struct ccampaign **out, struct store_err *err)
{
    uint32_t i = (uint32_t)((uint64_t)id % CONFIRM_CAMPAIGN_SLOTS);
    while (t->slot[i].id != 0 && t->slot[i].id != id)
        i = (i + 1) % CONFIRM_CAMPAIGN_SLOTS;
    *out = &t->slot[i];
    if (t->slot[i].id == id)
        return STORE_OK;
    ASSERT(t->n < JOB_CHUNK_MAX);
    struct ccampaign *k = &t->slot[i];
    *k = (struct ccampaign){.id = id};
    t->used[t->n++] = i;
    /* The terms an order's estimate reads too. Campaigns are never deleted; were one missing,
     * its orders would get no discount. */
    enum store_rc rc = api_campaign_discount_terms(c, id, &k->off_ppm, &k->left_fen, err);
    ASSERT(k->left_fen >= 0);
    return rc == STORE_DONE ? STORE_OK : rc;
}

/* Adds what the chunk's orders took to each campaign's spent_fen (when `apply`: the chunk
 * succeeded), and forgets the campaigns either way, so that the next chunk reads afresh. */
static enum store_rc campaigns_flush(struct store_conn *c, struct ccampaigns *t, bool apply,
                                     struct store_err *err)
{
    enum store_rc rc = STORE_OK;
    for (size_t i = 0; i < t->n; i++) {
        struct ccampaign *k = &t->slot[t->used[i]];
        struct store_val u[] = {SV_INT(k->taken_fen), SV_INT(k->id)};
        if (apply && rc == STORE_OK && k->taken_fen > 0)
            rc = store_exec(c, "UPDATE campaigns SET spent_fen = spent_fen + ? WHERE id = ?", u, 2,
                            NULL, err);
        *k = (struct ccampaign){0};
    }
    t->n = 0;
    return rc;
}

static enum store_rc confirm_sub(struct store_conn *c, struct cctx *x, const struct corder *o,
                                 const struct cproduct *p, struct store_err *err)
{
    struct ccampaign none = {0}, *k = &none;
    enum store_rc rc = o->campaign ? chunk_campaign(c, x->camps, o->campaign, &k, err) : STORE_OK;
    if (rc != STORE_OK)
        return rc;
    struct fee_sub_quote q;
    enum fee_rc fr =
        fee_quote_subscription_campaign(&p->sub, o->amount_fen, p->discount_ppm, k->off_ppm,
                                        k->left_fen, p->nav_e4, p->rounding, &q);
    if (fr != FEE_OK)
        return fail_order(c, x, o, fee_rc_str(fr), err);
    int64_t changed = 0;
    struct store_val u[] = {
        SV_INT(x->now_ms),  SV_INT(p->nav_e4),
        SV_INT(q.fee_fen),  SV_INT(q.net_fen),
        SV_INT(q.shares_h), k->off_ppm > 0 ? SV_INT(q.campaign_off_fen) : SV_NULL_,
        SV_INT(o->id)};
    rc = store_exec(c,
                    "UPDATE orders SET status = 'confirmed', confirmed_ms = ?, nav_e4 = ?, "
                    "fee_fen = ?, net_fen = ?, confirmed_shares_h = ?, discount_fen = ? WHERE "
                    "id = ? AND status = 'accepted'",
                    u, 7, &changed, err);
    if (rc != STORE_OK || changed == 0)
        return rc;
    k->left_fen -= q.campaign_off_fen;
    k->taken_fen += q.campaign_off_fen;
    struct ledger_txn t;
    ASSERT(ledger_sub_confirm(&t, o->investor, o->institution, o->product, o->id, q.net_fen,
                              q.fee_fen, q.shares_h) == LEDGER_OK);
    rc = ledger_batch_add(c, x->lb, &t, err);
    /* Lots are numbered by SQLite (appended): the money-market batch adds lots too. */
    struct store_val l[] = {SV_INT(o->investor), SV_INT(o->product),    SV_TEXT(x->t1_s),
                            SV_INT(q.shares_h),  SV_INT(o->amount_fen), SV_INT(o->id)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "INSERT INTO share_lots (investor_id, product_id, confirmed_date, "
                        "shares_h, cost_fen, order_id) VALUES (?, ?, ?, ?, ?, ?)",
                        l, 6, NULL, err);
    x->rep->processed += rc == STORE_OK;
    return rc;
}

struct lots {
    struct fee_lot lot[LIMIT_LOTS_PER_REDEMPTION];
    int64_t id[LIMIT_LOTS_PER_REDEMPTION], cost[LIMIT_LOTS_PER_REDEMPTION];
    size_t n;
    bool overflow, bad;
};

static int take_lot(void *ctx, const struct store_row *row)
{
    struct lots *l = ctx;
    if (l->n == LIMIT_LOTS_PER_REDEMPTION) {
        l->overflow = true;
        return 1;
    }
    size_t len = 0;
    const char *d = store_row_text(row, 1, &len);
    l->id[l->n] = store_row_int(row, 0);
    l->bad = l->bad || civil_date_parse(d, len, &l->lot[l->n].confirmed) != CIVIL_OK;
    l->lot[l->n].shares_h = store_row_int(row, 2);
    l->cost[l->n] = store_row_int(row, 3);
    l->n++;
    return 0;
}

/* Takes the redeemed shares (and their share of cost) out of the lots, oldest first. */
static enum store_rc consume_lots(struct store_conn *c, const struct lots *l,
                                  const struct fee_red_quote *q, struct store_err *err)
{
    enum store_rc rc = STORE_OK;
    for (size_t i = 0; i < q->n_lines && rc == STORE_OK; i++) {
        size_t k = q->lines[i].lot;
        int64_t take = q->lines[i].shares_h, left = l->lot[k].shares_h - take;
        /* Cost leaves in proportion to shares, truncated; an emptied lot keeps no cost. */
        int64_t cost_left =
            left == 0 ? 0
                      : l->cost[k] - (int64_t)((__int128)l->cost[k] * take / l->lot[k].shares_h);
        struct store_val u[] = {SV_INT(left), SV_INT(cost_left), SV_INT(l->id[k])};
        rc = store_exec(c, "UPDATE share_lots SET shares_h = ?, cost_fen = ? WHERE id = ?", u, 3,
                        NULL, err);
    }
    return rc;
}

static enum store_rc confirm_red(struct store_conn *c, struct cctx *x, const struct corder *o,
                                 const struct cproduct *p, struct store_err *err)
{
    static _Thread_local struct lots l;
    static _Thread_local struct fee_red_line lines[LIMIT_LOTS_PER_REDEMPTION];
    memset(&l, 0, sizeof(l));
    struct store_val q[] = {SV_INT(o->investor), SV_INT(o->product)};
    enum store_rc rc = store_query(c,
                                   "SELECT id, confirmed_date, shares_h, cost_fen FROM share_lots "
                                   "WHERE investor_id = ? AND product_id = ? AND shares_h > 0 "
                                   "ORDER BY confirmed_date, id",
                                   q, 2, take_lot, &l, err);
    if (rc != STORE_OK)
        return rc;
    if (l.bad)
        return store_fail(err, STORE_ERROR, "a share lot of order %lld has a bad date",
                          (long long)o->id);
    struct fee_red_quote rq = {.lines = lines, .lines_cap = LIMIT_LOTS_PER_REDEMPTION};
    enum fee_rc fr =
        l.overflow ? FEE_E_LINES_CAP
                   : fee_quote_redemption(&p->red, l.lot, l.n, o->shares_h, x->t, p->nav_e4, &rq);
    if (fr != FEE_OK)
        return fail_order(c, x, o, fee_rc_str(fr), err);
    struct civil_date cash;
    if (calendar_add_trading_days(x->cal, x->t, (int)p->delay, &cash) != CALENDAR_OK)
        return store_fail(err, STORE_ERROR, "the calendar does not reach T+%lld of %s",
                          (long long)p->delay, x->t_s);
    char cash_s[CIVIL_DATE_CAP];
    civil_date_format(cash, cash_s, sizeof(cash_s));
    int64_t changed = 0;
    struct store_val u[] = {SV_INT(x->now_ms),  SV_INT(p->nav_e4),    SV_INT(rq.fee_fen),
                            SV_INT(rq.net_fen), SV_INT(rq.gross_fen), SV_INT(o->shares_h),
                            SV_TEXT(cash_s),    SV_INT(o->id)};
    rc = store_exec(c,
                    "UPDATE orders SET status = 'confirmed', confirmed_ms = ?, nav_e4 = ?, "
                    "fee_fen = ?, net_fen = ?, gross_fen = ?, confirmed_shares_h = ?, "
                    "cash_date = ? WHERE id = ? AND status = 'accepted'",
                    u, 8, &changed, err);
    if (rc != STORE_OK || changed == 0)
        return rc;
    struct ledger_txn t;
    ASSERT(ledger_red_confirm(&t, o->investor, o->institution, o->product, o->id, o->shares_h,
                              rq.net_fen, rq.fee_fen) == LEDGER_OK);
    rc = ledger_batch_add(c, x->lb, &t, err);
    if (rc == STORE_OK)
        rc = consume_lots(c, &l, &rq, err);
    x->rep->processed += rc == STORE_OK;
    return rc;
}

static enum store_rc chunk_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct cctx *x = ctx;
    enum store_rc rc = STORE_OK;
    /* A chunk's orders mostly share a few products: each product's fee rules are parsed
     * once per chunk, not once per order (inside the write, so they are this write's). */
    static struct cproduct cache[CONFIRM_PRODUCT_CACHE];
    int64_t cached_id[CONFIRM_PRODUCT_CACHE] = {0};
    ledger_batch_begin(x->lb, x->now_ms);
    for (size_t i = 0; i < x->ch->n && rc == STORE_OK; i++) {
        const struct corder *o = &x->ch->o[i];
        size_t slot = (size_t)o->product % CONFIRM_PRODUCT_CACHE;
        struct cproduct *p = &cache[slot];
        if (cached_id[slot] != o->product) {
            rc = load_cproduct(c, o->product, x->t_s, p, err);
            if (rc != STORE_OK)
                break;
            cached_id[slot] = o->product;
        }
        if (!p->has_nav) {
            x->rep->waiting++;
            continue;
        }
        rc = o->subscribe ? confirm_sub(c, x, o, p, err) : confirm_red(c, x, o, p, err);
    }
    enum store_rc frc = campaigns_flush(c, x->camps, rc == STORE_OK, err);
    if (rc == STORE_OK)
        rc = frc;
    return rc == STORE_OK ? ledger_batch_flush(c, x->lb, err) : rc;
}

static _Atomic int64_t chunk_rows = JOB_CHUNK_DEFAULT;

void job_set_chunk(int64_t rows)
{
    ASSERT(rows >= JOB_CHUNK_MIN && rows <= JOB_CHUNK_MAX);
    chunk_rows = rows;
}

int64_t job_chunk(void)
{
    return chunk_rows;
}

static enum store_rc count_accepted(struct store *s, const char *t, int64_t *n,
                                    struct store_err *err)
{
    struct store_conn *c = store_reader(s, err);
    if (c == NULL)
        return STORE_ERROR;
    struct store_val p[] = {SV_TEXT(t)};
    return store_query_int(c,
                           "SELECT count(*) FROM orders WHERE status = 'accepted' AND "
                           "trade_date = ?",
                           p, 1, n, err);
}

enum store_rc job_confirm(struct store *s, struct civil_date t, int64_t now_ms,
                          job_progress_fn progress, void *pctx, struct job_report *out,
                          struct store_err *err)
{
    static struct chunk ch; /* one batch runs per process at a time */
    static struct ledger_batch lb;
    static struct ccampaigns camps;
    struct calendar cal;
    struct cctx x = {
        .ch = &ch, .camps = &camps, .t = t, .cal = &cal, .now_ms = now_ms, .rep = out, .lb = &lb};
    memset(out, 0, sizeof(*out));
    ledger_batch_forget(&lb); /* ids from an earlier run may belong to another database */
    enum store_rc rc = tcal_get(s, &cal, err);
    if (rc != STORE_OK)
        return rc;
    if (calendar_add_trading_days(&cal, t, 1, &x.t1) != CALENDAR_OK)
        return store_fail(err, STORE_ERROR, "trade date is not a trading day the calendar knows");
    civil_date_format(t, x.t_s, sizeof(x.t_s));
    /* Until the cutoff of T, orders of T may still arrive or be cancelled. */
    if (now_ms < civil_ms_of_cst(t, 15, 0, 0))
        return store_fail(err, STORE_ERROR, "trade date %s is open until 15:00; confirm after",
                          x.t_s);
    civil_date_format(x.t1, x.t1_s, sizeof(x.t1_s));
    int64_t total = 0;
    rc = count_accepted(s, x.t_s, &total, err);
    struct store_conn *rd = store_reader(s, err);
    for (int64_t last = 0; rc == STORE_OK && rd != NULL;) {
        ch.n = 0;
        struct store_val p[] = {SV_TEXT(x.t_s), SV_INT(last), SV_INT(job_chunk())};
        rc = store_query(rd,
                         "SELECT id, investor_id, product_id, institution_id, side, amount_fen, "
                         "shares_h, campaign_id FROM orders WHERE status = 'accepted' AND "
                         "trade_date = ? AND id > ? ORDER BY id LIMIT ?",
                         p, 3, take_corder, &ch, err);
        if (rc != STORE_OK || ch.n == 0)
            break;
        last = ch.last_id;
        rc = store_write_sync(s, chunk_write, &x, err);
        if (rc != STORE_OK)
            ledger_batch_forget(&lb);
        out->chunks++;
        if (progress)
            progress(pctx, out->processed + out->waiting, total);
    }
    return rd == NULL ? STORE_ERROR : rc;
}
