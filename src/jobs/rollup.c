/*
 * rollup.c: the daily roll-up (see rollup.h): loads the institutions and products, gathers
 * the day's orders, flows, follows and questions with one grouped query each, has the other
 * files add holdings and events, and writes the day's rows in chunks.
 */
#include "jobs/rollup_int.h"

#include "base/check.h"
#include "base/money.h"
#include "core/metrics.h"

#include <stdlib.h>
#include <string.h>

#define ORDER_TRADE_DAYS_AHEAD 20 /* an order's trade date is at most this after it was placed */
#define FLOW_TRADE_DAYS_BACK   40 /* a confirmation is at most this after its trade date */

struct inst_fig *rollup_inst(struct rollup *x, int64_t id)
{
    uint32_t *i = pmap_get(&x->inst_ix, id, 0);
    return i ? &x->inst[*i] : NULL;
}

struct product_fig *rollup_product(struct rollup *x, int64_t id)
{
    uint32_t *i = pmap_get(&x->prod_ix, id, 0);
    return i ? &x->prod[*i] : NULL;
}

enum store_rc rollup_write(struct rollup *x, store_write_fn fn, void *ctx, struct store_err *err)
{
    enum store_rc rc = store_write_sync(x->store, fn, ctx, err);
    x->rep->chunks += rc == STORE_OK;
    return rc;
}

static void date_text(struct civil_date d, int64_t days, char out[CIVIL_DATE_CAP])
{
    civil_date_format(civil_date_add_days(d, days), out, CIVIL_DATE_CAP);
}

/* ---- batch_runs ---- */

static enum store_rc mark_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct rollup *x = ctx;
    bool done = x->finished;
    struct store_val p[] = {SV_TEXT(x->day), SV_TEXT(done ? "done" : "running"),
                            SV_INT(x->rep->events), SV_INT(x->now_ms),
                            SV_INT_OR_NULL(done ? x->now_ms : 0)};
    return store_exec(c,
                      "INSERT INTO batch_runs (job, run_date, status, cursor, processed, "
                      "started_ms, finished_ms) VALUES ('rollup', ?1, ?2, 0, ?3, ?4, ?5) ON "
                      "CONFLICT (job, run_date) DO UPDATE SET status = excluded.status, "
                      "processed = excluded.processed, finished_ms = excluded.finished_ms, "
                      "started_ms = CASE WHEN excluded.status = 'running' THEN "
                      "excluded.started_ms ELSE started_ms END",
                      p, ARRAY_LEN(p), NULL, err);
}

enum store_rc job_rollup_done(struct store *s, struct civil_date d, bool *done,
                              struct store_err *err)
{
    struct store_conn *c = store_reader(s, err);
    if (c == NULL)
        return STORE_ERROR;
    char day[CIVIL_DATE_CAP];
    civil_date_format(d, day, sizeof(day));
    int64_t one = 0;
    struct store_val p[] = {SV_TEXT(day)};
    enum store_rc rc = store_query_int(c,
                                       "SELECT 1 FROM batch_runs WHERE job = 'rollup' AND "
                                       "run_date = ? AND status = 'done'",
                                       p, 1, &one, err);
    *done = rc == STORE_OK;
    return rc == STORE_DONE ? STORE_OK : rc;
}

/* ---- what exists ---- */

static int take_inst(void *ctx, const struct store_row *row)
{
    struct rollup *x = ctx;
    x->inst[x->n_inst++].id = store_row_int(row, 0);
    return 0;
}

static int take_product(void *ctx, const struct store_row *row)
{
    struct rollup *x = ctx;
    struct product_fig *p = &x->prod[x->n_prod++];
    p->id = store_row_int(row, 0);
    p->institution_id = store_row_int(row, 1);
    p->has_nav = !store_row_is_null(row, 2);
    p->nav_e4 = store_row_int(row, 2);
    return 0;
}

/* Every institution and product, with the product's latest confirmed NAV on or before D. */
static enum store_rc load_catalogue(struct rollup *x, struct store_err *err)
{
    int64_t n_inst = 0, n_prod = 0;
    enum store_rc rc =
        store_query_int(x->rd, "SELECT count(*) FROM institutions", NULL, 0, &n_inst, err);
    if (rc == STORE_OK)
        rc = store_query_int(x->rd, "SELECT count(*) FROM products", NULL, 0, &n_prod, err);
    if (rc != STORE_OK)
        return rc;
    x->inst = calloc((size_t)n_inst + 1, sizeof(*x->inst));
    x->prod = calloc((size_t)n_prod + 1, sizeof(*x->prod));
    if (x->inst == NULL || x->prod == NULL || !pmap_init(&x->inst_ix, (size_t)n_inst) ||
        !pmap_init(&x->prod_ix, (size_t)n_prod))
        return store_fail(err, STORE_ERROR, "out of memory for %lld institutions",
                          (long long)n_inst);
    /* The LIMITs stop rows created since the counts from overflowing the arrays. */
    struct store_val li[] = {SV_INT(n_inst)};
    rc = store_query(x->rd, "SELECT id FROM institutions ORDER BY id LIMIT ?", li, 1, take_inst, x,
                     err);
    struct store_val lp[] = {SV_TEXT(x->day), SV_INT(n_prod)};
    if (rc == STORE_OK)
        rc = store_query(x->rd,
                         "SELECT p.id, p.institution_id, (SELECT n.nav_e4 FROM navs n WHERE "
                         "n.product_id = p.id AND n.confirmed = 1 AND n.nav_date <= ? ORDER BY "
                         "n.nav_date DESC LIMIT 1) FROM products p ORDER BY p.id LIMIT ?",
                         lp, 2, take_product, x, err);
    bool added = false;
    for (size_t i = 0; rc == STORE_OK && i < x->n_inst; i++)
        if (pmap_put(&x->inst_ix, x->inst[i].id, 0, (uint32_t)i, &added, SIZE_MAX) == NULL)
            rc = store_fail(err, STORE_ERROR, "out of memory");
    for (size_t i = 0; rc == STORE_OK && i < x->n_prod; i++)
        if (pmap_put(&x->prod_ix, x->prod[i].id, 0, (uint32_t)i, &added, SIZE_MAX) == NULL)
            rc = store_fail(err, STORE_ERROR, "out of memory");
    return rc;
}

/* ---- removing an earlier run's rows ---- */

struct clear {
    struct rollup *x;
    size_t from, to; /* institutions whose investor_days of D go in this write */
};

static enum store_rc clear_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct clear *k = ctx;
    struct store_val p[] = {SV_TEXT(k->x->day)};
    enum store_rc rc = STORE_OK;
    if (k->from == 0) {
        static const char *const sql[] = {
            "DELETE FROM rollup_inst_daily WHERE day = ?",
            "DELETE FROM rollup_product_daily WHERE day = ?",
            "DELETE FROM rollup_content_daily WHERE day = ?",
            "DELETE FROM inst_metrics_daily WHERE day = ?",
        };
        for (size_t i = 0; i < ARRAY_LEN(sql) && rc == STORE_OK; i++)
            rc = store_exec(c, sql[i], p, 1, NULL, err);
    }
    for (size_t i = k->from; i < k->to && rc == STORE_OK; i++) {
        struct store_val q[] = {SV_INT(k->x->inst[i].id), SV_TEXT(k->x->day)};
        rc = store_exec(c, "DELETE FROM investor_days WHERE institution_id = ? AND day = ?", q, 2,
                        NULL, err);
    }
    return rc;
}

static enum store_rc clear_day(struct rollup *x, struct store_err *err)
{
    enum store_rc rc = STORE_OK;
    size_t step = LIMIT_ROLLUP_CHUNK_ROWS / 16;
    for (size_t from = 0; rc == STORE_OK && (from == 0 || from < x->n_inst); from += step) {
        struct clear k = {x, from, from + step < x->n_inst ? from + step : x->n_inst};
        rc = rollup_write(x, clear_write, &k, err);
    }
    return rc;
}

/* ---- orders placed on D ---- */

struct order_scan {
    struct rollup *x;
    struct pmap buyer_ix; /* (institution, investor) → index in x->buys */
    enum store_rc rc;
};

static void add_buy(struct order_scan *o, struct inst_fig *in, int64_t investor, int64_t n,
                    int64_t amount)
{
    struct rollup *x = o->x;
    bool added = false;
    uint32_t *ix = pmap_put(&o->buyer_ix, in->id, investor, (uint32_t)x->n_buys, &added,
                            LIMIT_ROLLUP_HOLDINGS_MAX);
    if (ix == NULL) {
        o->rc = STORE_ERROR;
        return;
    }
    if (added) {
        x->buys[x->n_buys++] = (struct buy){
            .institution_id = in->id,
            .key = crypto_pseudonym(x->key, CRYPTO_PURPOSE_EVENTS, investor),
        };
        in->buyers++;
    }
    x->buys[*ix].orders += n;
    x->buys[*ix].amount_fen += amount;
}

static int take_orders(void *ctx, const struct store_row *row)
{
    struct order_scan *o = ctx;
    struct inst_fig *in = rollup_inst(o->x, store_row_int(row, 0));
    struct product_fig *p = rollup_product(o->x, store_row_int(row, 1));
    if (in == NULL || p == NULL)
        return 0; /* created after the job started: tomorrow's concern */
    int64_t investor = store_row_int(row, 2), n = store_row_int(row, 4);
    int64_t amount = store_row_int(row, 5), shares = store_row_int(row, 6);
    bool sub = strcmp(store_row_text(row, 3, NULL), "subscribe") == 0;
    p->orders += n;
    in->orders += n;
    if (sub) {
        p->subscriptions += n;
        p->subscribe_amount_fen += amount;
        p->buyers++; /* rows are one per investor, product and side */
        in->subscriptions += n;
        in->subscribe_amount_fen += amount;
        add_buy(o, in, investor, n, amount);
    } else {
        p->redemptions += n;
        p->redeem_shares_h += shares;
        in->redemptions += n;
        in->redeem_shares_h += shares;
    }
    return o->rc != STORE_OK;
}

static enum store_rc load_orders(struct rollup *x, struct store_err *err)
{
    int64_t n = 0;
    char first[CIVIL_DATE_CAP], last[CIVIL_DATE_CAP];
    date_text(x->d, 0, first);
    date_text(x->d, ORDER_TRADE_DAYS_AHEAD, last);
    /* Every status: an order counts on the day it was placed, whatever happened to it later,
     * so the figure does not change when a day is rolled up again. */
    static const char *const where =
        "FROM orders WHERE status IN ('accepted', 'cancelled', 'confirmed', 'failed') AND "
        "trade_date >= ?1 AND trade_date <= ?2 AND placed_ms >= ?3 AND placed_ms < ?4";
    struct store_val p[] = {SV_TEXT(first), SV_TEXT(last), SV_INT(x->start_ms), SV_INT(x->end_ms)};
    char sql[512];
    snprintf(sql, sizeof(sql), "SELECT count(*) %s", where);
    enum store_rc rc = store_query_int(x->rd, sql, p, 4, &n, err);
    if (rc != STORE_OK)
        return rc;
    struct order_scan o = {.x = x, .rc = STORE_OK};
    x->buys = calloc((size_t)n + 1, sizeof(*x->buys));
    if (x->buys == NULL || !pmap_init(&o.buyer_ix, (size_t)n))
        return store_fail(err, STORE_ERROR, "out of memory for %lld orders", (long long)n);
    snprintf(sql, sizeof(sql),
             "SELECT institution_id, product_id, investor_id, side, count(*), SUM(amount_fen), "
             "SUM(shares_h) %s GROUP BY investor_id, institution_id, product_id, side LIMIT ?5",
             where);
    struct store_val q[] = {p[0], p[1], p[2], p[3], SV_INT(n)};
    rc = store_query(x->rd, sql, q, 5, take_orders, &o, err);
    pmap_free(&o.buyer_ix);
    if (rc == STORE_OK && o.rc != STORE_OK)
        rc = store_fail(err, STORE_ERROR, "out of memory for the day's buyers");
    return rc;
}

/* ---- confirmations on D: flows at NAV ---- */

static int take_flow(void *ctx, const struct store_row *row)
{
    struct rollup *x = ctx;
    struct product_fig *p = rollup_product(x, store_row_int(row, 0));
    struct inst_fig *in = p ? rollup_inst(x, p->institution_id) : NULL;
    if (in == NULL)
        return 0;
    int64_t in_fen = store_row_int(row, 1), out_fen = store_row_int(row, 2);
    p->inflow_fen += in_fen;
    p->outflow_fen += out_fen;
    in->inflow_fen += in_fen;
    in->outflow_fen += out_fen;
    return 0;
}

static enum store_rc load_flows(struct rollup *x, struct store_err *err)
{
    char first[CIVIL_DATE_CAP];
    date_text(x->d, -FLOW_TRADE_DAYS_BACK, first);
    /* Into the fund: a subscription's net amount (its shares at NAV); out of it: a
     * redemption's gross (its shares at NAV). So AUM(D) - AUM(D-1) = inflow - outflow +
     * the change of NAV. Fees are the platform's and the fund's, not a flow. */
    struct store_val p[] = {SV_TEXT(first), SV_TEXT(x->day), SV_INT(x->start_ms),
                            SV_INT(x->end_ms)};
    return store_query(x->rd,
                       "SELECT product_id, SUM(CASE WHEN side = 'subscribe' THEN net_fen ELSE 0 "
                       "END), SUM(CASE WHEN side = 'redeem' THEN gross_fen ELSE 0 END) FROM "
                       "orders WHERE status = 'confirmed' AND trade_date >= ? AND trade_date <= "
                       "? AND confirmed_ms >= ? AND confirmed_ms < ? GROUP BY product_id",
                       p, 4, take_flow, x, err);
}

/* ---- follows ---- */

struct followers {
    struct rollup *x;
    int64_t *out;
};

static int take_followers(void *ctx, const struct store_row *row)
{
    struct followers *f = ctx;
    uint32_t *i = pmap_get(&f->x->inst_ix, store_row_int(row, 0), 0);
    if (i != NULL)
        f->out[*i] = store_row_int(row, 1);
    return 0;
}

enum store_rc rollup_followers_at(struct rollup *x, int64_t at_ms, int64_t *out,
                                  struct store_err *err)
{
    memset(out, 0, x->n_inst * sizeof(*out));
    struct followers f = {x, out};
    struct store_val p[] = {SV_INT(at_ms)};
    /* One statement, one snapshot: today's follows less the changes since at_ms. */
    return store_query(x->rd,
                       "WITH now AS (SELECT institution_id, count(*) AS n FROM follows GROUP BY "
                       "institution_id), since AS (SELECT institution_id, SUM(delta) AS n FROM "
                       "follow_changes WHERE at_ms >= ? GROUP BY institution_id) "
                       "SELECT i.id, COALESCE(now.n, 0) - COALESCE(since.n, 0) FROM "
                       "institutions i LEFT JOIN now ON now.institution_id = i.id LEFT JOIN "
                       "since ON since.institution_id = i.id",
                       p, 1, take_followers, &f, err);
}

static int take_follow_change(void *ctx, const struct store_row *row)
{
    struct inst_fig *in = rollup_inst(ctx, store_row_int(row, 0));
    if (in != NULL) {
        in->follows_gained = store_row_int(row, 1);
        in->follows_lost = store_row_int(row, 2);
    }
    return 0;
}

static enum store_rc load_follows(struct rollup *x, struct store_err *err)
{
    int64_t *end = calloc(x->n_inst + 1, sizeof(*end));
    if (end == NULL)
        return store_fail(err, STORE_ERROR, "out of memory");
    enum store_rc rc = rollup_followers_at(x, x->end_ms, end, err);
    for (size_t i = 0; rc == STORE_OK && i < x->n_inst; i++)
        x->inst[i].followers = end[i];
    free(end);
    struct store_val p[] = {SV_INT(x->start_ms), SV_INT(x->end_ms)};
    if (rc == STORE_OK)
        rc = store_query(x->rd,
                         "SELECT institution_id, SUM(CASE WHEN delta > 0 THEN 1 ELSE 0 END), "
                         "SUM(CASE WHEN delta < 0 THEN 1 ELSE 0 END) FROM follow_changes WHERE "
                         "at_ms >= ? AND at_ms < ? GROUP BY institution_id",
                         p, 2, take_follow_change, x, err);
    return rc;
}

/* ---- questions ---- */

static int take_questions(void *ctx, const struct store_row *row)
{
    struct inst_fig *in = rollup_inst(ctx, store_row_int(row, 0));
    if (in != NULL)
        in->questions = store_row_int(row, 1);
    return 0;
}

struct answers {
    struct rollup *x;
    struct inst_fig *in;
    int64_t *ms;
    size_t n, cap;
    bool oom;
};

static void close_answers(struct answers *a)
{
    if (a->in != NULL && a->n > 0) {
        int64_t median = 0;
        a->in->has_median = metric_median_lower(a->ms, a->n, &median);
        a->in->response_s_median = median / 1000;
        a->in->answers = (int64_t)a->n;
    }
    a->n = 0;
}

static int take_answer(void *ctx, const struct store_row *row)
{
    struct answers *a = ctx;
    struct inst_fig *in = rollup_inst(a->x, store_row_int(row, 0));
    if (in != a->in) {
        close_answers(a);
        a->in = in;
    }
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 256;
        int64_t *ms = realloc(a->ms, cap * sizeof(*ms));
        if (ms == NULL) {
            a->oom = true;
            return 1;
        }
        a->ms = ms;
        a->cap = cap;
    }
    a->ms[a->n++] = store_row_int(row, 1);
    return 0;
}

static int take_complaints(void *ctx, const struct store_row *row)
{
    struct inst_fig *in = rollup_inst(ctx, store_row_int(row, 0));
    if (in != NULL)
        in->complaints = store_row_int(row, 1);
    return 0;
}

/* Complaints: investors' reports about the institution's zone, content, answers or the
 * comments and questions in it, filed that day, except those a reviewer dismissed. */
static enum store_rc load_complaints(struct rollup *x, struct store_err *err)
{
    struct store_val p[] = {SV_INT(x->start_ms), SV_INT(x->end_ms)};
    return store_query(x->rd,
                       "SELECT institution_id, count(*) FROM reports WHERE created_ms >= ? AND "
                       "created_ms < ? AND status <> 'dismissed' GROUP BY institution_id",
                       p, 2, take_complaints, x, err);
}

static enum store_rc load_questions(struct rollup *x, struct store_err *err)
{
    struct store_val p[] = {SV_INT(x->start_ms), SV_INT(x->end_ms)};
    enum store_rc rc = store_query(x->rd,
                                   "SELECT institution_id, count(*) FROM questions WHERE status = "
                                   "'published' AND published_ms >= ? AND published_ms < ? GROUP "
                                   "BY institution_id",
                                   p, 2, take_questions, x, err);
    struct answers a = {.x = x};
    if (rc == STORE_OK)
        rc = store_query(x->rd,
                         "SELECT institution_id, response_ms FROM questions WHERE answered_ms >= "
                         "? AND answered_ms < ? AND response_ms IS NOT NULL ORDER BY "
                         "institution_id, response_ms",
                         p, 2, take_answer, &a, err);
    close_answers(&a);
    free(a.ms);
    if (rc == STORE_OK && a.oom)
        rc = store_fail(err, STORE_ERROR, "out of memory for the day's answers");
    return rc;
}

/* ---- writing the day's figures ---- */

struct rows {
    struct rollup *x;
    size_t from, to;
};

static enum store_rc inst_rows_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct rows *w = ctx;
    enum store_rc rc = STORE_OK;
    for (size_t i = w->from; i < w->to && rc == STORE_OK; i++) {
        const struct inst_fig *f = &w->x->inst[i];
        struct store_val p[] = {SV_INT(f->id),
                                SV_TEXT(w->x->day),
                                SV_INT(f->zone_views),
                                SV_INT(f->product_views),
                                SV_INT(f->content_views),
                                SV_INT(f->shares),
                                SV_INT(f->impressions),
                                SV_INT(f->visitors),
                                SV_INT(f->new_visitors),
                                SV_INT(f->funnel[0]),
                                SV_INT(f->funnel[1]),
                                SV_INT(f->funnel[2]),
                                SV_INT(f->funnel[3]),
                                SV_INT(f->follows_gained),
                                SV_INT(f->follows_lost),
                                SV_INT(f->followers),
                                SV_INT(f->orders),
                                SV_INT(f->subscriptions),
                                SV_INT(f->subscribe_amount_fen),
                                SV_INT(f->redemptions),
                                SV_INT(f->redeem_shares_h),
                                SV_INT(f->buyers),
                                SV_INT(f->inflow_fen),
                                SV_INT(f->outflow_fen),
                                SV_INT(f->holders),
                                SV_INT(f->aum_fen),
                                SV_INT(f->h30_base),
                                SV_INT(f->h30_kept),
                                SV_INT(f->h90_base),
                                SV_INT(f->h90_kept),
                                SV_INT(f->questions),
                                SV_INT(f->answers),
                                f->has_median ? SV_INT(f->response_s_median) : SV_NULL_,
                                SV_INT(f->complaints)};
        rc = store_exec(c,
                        "INSERT INTO rollup_inst_daily (institution_id, day, zone_views, "
                        "product_views, content_views, shares, impressions, visitors, "
                        "new_visitors, funnel_zone_view, funnel_product_view, "
                        "funnel_order_started, funnel_order_placed, follows_gained, "
                        "follows_lost, followers, orders, subscriptions, subscribe_amount_fen, "
                        "redemptions, redeem_shares_h, buyers, inflow_fen, outflow_fen, holders, "
                        "aum_fen, holders_30d_base, holders_30d_kept, holders_90d_base, "
                        "holders_90d_kept, questions, answers, response_s_median, complaints) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        p, ARRAY_LEN(p), NULL, err);
    }
    return rc;
}

static bool product_active(const struct product_fig *p)
{
    return p->views || p->visitors || p->orders_started || p->orders || p->inflow_fen ||
           p->outflow_fen || p->holders || p->shares_h || p->h30_base || p->h90_base;
}

static enum store_rc product_rows_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct rows *w = ctx;
    enum store_rc rc = STORE_OK;
    for (size_t i = w->from; i < w->to && rc == STORE_OK; i++) {
        const struct product_fig *f = &w->x->prod[i];
        if (!product_active(f))
            continue;
        struct store_val p[] = {SV_INT(f->id),
                                SV_TEXT(w->x->day),
                                SV_INT(f->institution_id),
                                SV_INT(f->views),
                                SV_INT(f->visitors),
                                SV_INT(f->orders_started),
                                SV_INT(f->orders),
                                SV_INT(f->subscriptions),
                                SV_INT(f->subscribe_amount_fen),
                                SV_INT(f->redemptions),
                                SV_INT(f->redeem_shares_h),
                                SV_INT(f->buyers),
                                SV_INT(f->inflow_fen),
                                SV_INT(f->outflow_fen),
                                SV_INT(f->holders),
                                SV_INT(f->shares_h),
                                f->has_nav ? SV_INT(f->nav_e4) : SV_NULL_,
                                SV_INT(f->aum_fen),
                                SV_INT(f->h30_base),
                                SV_INT(f->h30_kept),
                                SV_INT(f->h90_base),
                                SV_INT(f->h90_kept)};
        rc = store_exec(c,
                        "INSERT INTO rollup_product_daily (product_id, day, institution_id, views, "
                        "visitors, orders_started, orders, subscriptions, subscribe_amount_fen, "
                        "redemptions, redeem_shares_h, buyers, inflow_fen, outflow_fen, holders, "
                        "shares_h, nav_e4, aum_fen, holders_30d_base, holders_30d_kept, "
                        "holders_90d_base, holders_90d_kept) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        p, ARRAY_LEN(p), NULL, err);
        w->x->rep->products += rc == STORE_OK;
    }
    return rc;
}

static enum store_rc content_rows_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct rows *w = ctx;
    enum store_rc rc = STORE_OK;
    for (size_t i = w->from; i < w->to && rc == STORE_OK; i++) {
        const struct content_fig *f = &w->x->cont[i];
        struct store_val p[] = {SV_INT(f->id),    SV_TEXT(w->x->day),  SV_INT(f->institution_id),
                                SV_INT(f->views), SV_INT(f->visitors), SV_INT(f->shares)};
        rc = store_exec(c,
                        "INSERT INTO rollup_content_daily (content_id, day, institution_id, "
                        "views, visitors, shares) VALUES (?, ?, ?, ?, ?, ?)",
                        p, ARRAY_LEN(p), NULL, err);
    }
    w->x->rep->contents += rc == STORE_OK ? (int64_t)(w->to - w->from) : 0;
    return rc;
}

/* Writes rows [0, n) with fn, LIMIT_ROLLUP_CHUNK_ROWS at a time. */
static enum store_rc write_rows(struct rollup *x, size_t n, store_write_fn fn,
                                struct store_err *err)
{
    enum store_rc rc = STORE_OK;
    for (size_t from = 0; rc == STORE_OK && from < n; from += LIMIT_ROLLUP_CHUNK_ROWS) {
        struct rows w = {x, from,
                         n - from < LIMIT_ROLLUP_CHUNK_ROWS ? n : from + LIMIT_ROLLUP_CHUNK_ROWS};
        rc = rollup_write(x, fn, &w, err);
    }
    return rc;
}

static enum store_rc write_figures(struct rollup *x, struct store_err *err)
{
    enum store_rc rc = write_rows(x, x->n_inst, inst_rows_write, err);
    x->rep->institutions = rc == STORE_OK ? (int64_t)x->n_inst : 0;
    if (rc == STORE_OK)
        rc = write_rows(x, x->n_prod, product_rows_write, err);
    if (rc == STORE_OK)
        rc = write_rows(x, x->n_cont, content_rows_write, err);
    return rc;
}

/* ---- the job ---- */

static void rollup_free(struct rollup *x)
{
    free(x->inst);
    free(x->prod);
    free(x->cont);
    free(x->buys);
    pmap_free(&x->inst_ix);
    pmap_free(&x->prod_ix);
    pmap_free(&x->cont_ix);
    pmap_free(&x->attrs);
}

static enum store_rc gather(struct rollup *x, struct store_err *err)
{
    enum store_rc rc = load_catalogue(x, err);
    if (rc == STORE_OK)
        rc = rollup_write(x, mark_write, x, err);
    if (rc == STORE_OK)
        rc = clear_day(x, err);
    if (rc == STORE_OK)
        rc = load_orders(x, err);
    if (rc == STORE_OK)
        rc = load_flows(x, err);
    if (rc == STORE_OK)
        rc = rollup_holdings(x, err);
    if (rc == STORE_OK)
        rc = load_follows(x, err);
    if (rc == STORE_OK)
        rc = load_questions(x, err);
    if (rc == STORE_OK)
        rc = load_complaints(x, err);
    if (rc == STORE_OK)
        rc = rollup_attrs(x, err);
    return rc;
}

enum store_rc job_rollup(struct store *s, struct civil_date d, int64_t now_ms,
                         const uint8_t key[CRYPTO_KEY_BYTES], int passes, job_progress_fn progress,
                         void *pctx, struct rollup_report *out, struct store_err *err)
{
    ASSERT(passes >= 0 && passes <= LIMIT_ROLLUP_PASSES_MAX);
    memset(out, 0, sizeof(*out));
    struct rollup x = {.store = s,
                       .d = d,
                       .now_ms = now_ms,
                       .key = key,
                       .passes = passes,
                       .progress = progress,
                       .pctx = pctx,
                       .rep = out};
    civil_date_format(d, x.day, sizeof(x.day));
    x.start_ms = civil_ms_of_cst(d, 0, 0, 0);
    x.end_ms = x.start_ms + CIVIL_MS_PER_DAY;
    /* Until the day is over its events and orders may still arrive. */
    if (now_ms < x.end_ms)
        return store_fail(err, STORE_ERROR, "day %s has not ended; roll it up after midnight",
                          x.day);
    x.rd = store_reader(s, err);
    if (x.rd == NULL)
        return STORE_ERROR;
    enum store_rc rc = gather(&x, err);
    if (rc == STORE_OK)
        rc = rollup_events(&x, err);
    if (rc == STORE_OK)
        rc = write_figures(&x, err);
    if (rc == STORE_OK)
        rc = rollup_metrics(&x, err);
    x.finished = rc == STORE_OK;
    if (rc == STORE_OK)
        rc = rollup_write(&x, mark_write, &x, err);
    rollup_free(&x);
    return rc;
}
