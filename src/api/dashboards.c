/*
 * dashboards.c: an institution's own figures by day and over a period, compared with the
 * period of equal length before it, as JSON or CSV; one product's days; and the operators'
 * platform-wide view. Everything comes from the daily roll-ups (jobs/rollup.c), so a
 * dashboard reads a few rows per day, never the events.
 *
 * Whose figures: staff see their own institution's, its id from the session; an id in the
 * request naming another is refused (403), and another's product is 404. Operators see the
 * whole platform or one institution. Figures here are totals, not breakdowns: the segment
 * breakdowns, which could single someone out, are in segments.c under suppression.
 *
 * Over a period: counts of events, orders, amounts and flows are sums of the days; visitors,
 * new visitors, buyers and the funnel are distinct investors over the whole period (one who
 * came on five days is one visitor); followers, holders, AUM and retention are those at the
 * end of its last day.
 */
#include "api/dashboard.h"

#include "api/handlers.h"
#include "api/trading.h"
#include "base/buf.h"
#include "base/check.h"
#include "base/money.h"
#include "core/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DASH_DEFAULT_DAYS 7 /* a dashboard without ?from= shows the week to ?to= */

/* ---- period and scope ---- */

static bool date_or_reply(struct req *r, const char *name, struct civil_date *d)
{
    const char *v = req_query(r, name);
    if (v == NULL)
        return true;
    if (civil_date_parse(v, strlen(v), d) != CIVIL_OK) {
        req_problem(r, 400, "bad_request", NULL, "query parameter '%s' must be a date YYYY-MM-DD",
                    name);
        return false;
    }
    return true;
}

static void range_set(struct dash_range *g, struct civil_date from, struct civil_date to)
{
    g->from = from;
    g->to = to;
    g->days = civil_days_between(from, to) + 1;
    civil_date_format(from, g->from_s, sizeof(g->from_s));
    civil_date_format(to, g->to_s, sizeof(g->to_s));
}

bool dash_range_or_reply(struct req *r, int64_t default_days, struct dash_range *out)
{
    struct civil_date to = civil_date_add_days(civil_date_of_ms_cst(r->now_ms), -1);
    if (!date_or_reply(r, "to", &to))
        return false;
    struct civil_date from = civil_date_add_days(to, 1 - default_days);
    if (!date_or_reply(r, "from", &from))
        return false;
    if (civil_date_cmp(from, to) > 0 ||
        civil_days_between(from, to) + 1 > LIMIT_DASHBOARD_DAYS_MAX) {
        req_problem(r, 400, "bad_request", NULL,
                    "'from' must not be after 'to', and a period is at most %d days",
                    LIMIT_DASHBOARD_DAYS_MAX);
        return false;
    }
    range_set(out, from, to);
    return true;
}

struct dash_range dash_previous(const struct dash_range *g)
{
    struct dash_range p;
    range_set(&p, civil_date_add_days(g->from, -g->days), civil_date_add_days(g->from, -1));
    return p;
}

bool dash_scope_or_reply(struct req *r, int64_t *inst)
{
    const char *v = req_query(r, "institution_id");
    int64_t asked = 0;
    if (v != NULL && !api_id_parse(v, &asked)) {
        req_problem(r, 400, "bad_request", NULL, "'institution_id' is not a valid id");
        return false;
    }
    if (role_is_inst(r->sess.role)) {
        if (v != NULL && asked != r->sess.institution_id) {
            req_problem(r, 403, "forbidden", NULL, "an institution sees only its own figures");
            return false;
        }
        *inst = r->sess.institution_id;
        return true;
    }
    *inst = asked;
    if (asked == 0)
        return true;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return false;
    int64_t one = 0;
    struct store_err err;
    struct store_val p[] = {SV_INT(asked)};
    enum store_rc rc =
        store_query_int(c, "SELECT 1 FROM institutions WHERE id = ?", p, 1, &one, &err);
    if (rc == STORE_DONE)
        req_problem(r, 404, "not_found", NULL, "no institution %lld", (long long)asked);
    else if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    return rc == STORE_OK;
}

/* ---- investors of a period ---- */

struct people_scan {
    struct dash_people *out;
    bool oom;
};

static int take_person(void *ctx, const struct store_row *row)
{
    struct people_scan *s = ctx;
    struct dash_people *dp = s->out;
    bool added = false;
    int64_t key = store_row_int(row, 0);
    uint32_t *ix = pmap_put(&dp->ix, key, 0, (uint32_t)dp->n, &added, LIMIT_DASHBOARD_INVESTORS);
    if (ix == NULL) {
        dp->too_many = dp->ix.n >= LIMIT_DASHBOARD_INVESTORS;
        s->oom = !dp->too_many;
        return 1;
    }
    if (added) {
        if (dp->n == dp->cap) {
            size_t cap = dp->cap ? 2 * dp->cap : 1024;
            struct dash_person *p = realloc(dp->p, cap * sizeof(*p));
            if (p == NULL) {
                s->oom = true;
                return 1;
            }
            dp->p = p;
            dp->cap = cap;
        }
        dp->p[dp->n++] = (struct dash_person){.key = key, .last_day = INT64_MIN};
    }
    struct dash_person *p = &dp->p[*ix];
    size_t dlen = 0;
    const char *ds = store_row_text(row, 1, &dlen);
    struct civil_date d = {1970, 1, 1};
    civil_date_parse(ds, dlen, &d);
    uint32_t flags = (uint32_t)store_row_int(row, 2);
    p->bits |= (flags & SEG_F_VISITED ? DASH_P_VISITED : 0) |
               (flags & SEG_F_BOUGHT ? DASH_P_BOUGHT : 0) |
               (store_row_int(row, 3) ? DASH_P_NEW : 0);
    for (int st = 0; st < SEG_FUNNEL_STEPS; st++)
        if ((flags & seg_funnel_mask[st]) == seg_funnel_mask[st])
            p->bits |= DASH_P_FUNNEL0 << st;
    int64_t day = civil_days_from_date(d);
    if (day >= p->last_day) {
        p->last_day = day;
        p->risk = (int)store_row_int(row, 4);
        p->age = (int)store_row_int(row, 5);
        p->region = (int)store_row_int(row, 6);
    }
    p->orders += store_row_int(row, 7);
    p->amount_fen += store_row_int(row, 8);
    return 0;
}

static int take_id(void *ctx, const struct store_row *row)
{
    struct buf *ids = ctx;
    int64_t id = store_row_int(row, 0);
    return !buf_append(ids, &id, sizeof(id));
}

enum store_rc dash_people_scan(struct store_conn *c, int64_t inst, const struct dash_range *g,
                               struct dash_people *out, struct store_err *err)
{
    memset(out, 0, sizeof(*out));
    if (!pmap_init(&out->ix, 1024))
        return store_fail(err, STORE_ERROR, "out of memory");
    struct buf ids;
    buf_init(&ids, (size_t)LIMIT_DASHBOARD_INVESTORS * sizeof(int64_t));
    enum store_rc rc = STORE_OK;
    if (inst != 0)
        buf_append(&ids, &inst, sizeof(inst));
    else
        rc = store_query(c, "SELECT id FROM institutions ORDER BY id", NULL, 0, take_id, &ids, err);
    struct people_scan s = {out, false};
    size_t n = ids.len / sizeof(int64_t);
    for (size_t i = 0; rc == STORE_OK && i < n && !out->too_many && !s.oom; i++) {
        int64_t id = 0;
        memcpy(&id, ids.data + i * sizeof(id), sizeof(id));
        struct store_val p[] = {SV_INT(id), SV_TEXT(g->from_s), SV_TEXT(g->to_s)};
        rc = store_query(c,
                         "SELECT investor_key, day, flags, is_new, risk_class, age_band, region, "
                         "orders, amount_fen FROM investor_days WHERE institution_id = ? AND day "
                         ">= ? AND day <= ?",
                         p, 3, take_person, &s, err);
    }
    buf_free(&ids);
    if (rc == STORE_OK && (s.oom || ids.overflow))
        rc = store_fail(err, STORE_ERROR, "out of memory for a dashboard");
    return rc;
}

void dash_people_free(struct dash_people *p)
{
    if (p == NULL)
        return;
    pmap_free(&p->ix);
    free(p->p);
    memset(p, 0, sizeof(*p));
}

void dash_too_many(struct req *r)
{
    req_problem(r, 422, "limit_exceeded", NULL,
                "the period has more than %lld investors for one view; choose a shorter one",
                (long long)LIMIT_DASHBOARD_INVESTORS);
}

/* ---- figures ---- */

/* Sums of the days. */
#define ADD_COLS                                                                                \
    "zone_views, product_views, content_views, shares, impressions, follows_gained, "           \
    "follows_lost, orders, subscriptions, subscribe_amount_fen, redemptions, redeem_shares_h, " \
    "inflow_fen, outflow_fen, questions, answers, complaints"
#define ADD_SUMS                                                                              \
    "SUM(zone_views), SUM(product_views), SUM(content_views), SUM(shares), "                  \
    "SUM(impressions), SUM(follows_gained), SUM(follows_lost), SUM(orders), "                 \
    "SUM(subscriptions), SUM(subscribe_amount_fen), SUM(redemptions), SUM(redeem_shares_h), " \
    "SUM(inflow_fen), SUM(outflow_fen), SUM(questions), SUM(answers), SUM(complaints)"
#define ADD_N 17
/* At the end of a day. */
#define END_COLS                                                                          \
    "followers, holders, aum_fen, holders_30d_base, holders_30d_kept, holders_90d_base, " \
    "holders_90d_kept"
#define END_SUMS                                                          \
    "SUM(followers), SUM(holders), SUM(aum_fen), SUM(holders_30d_base), " \
    "SUM(holders_30d_kept), SUM(holders_90d_base), SUM(holders_90d_kept)"
#define END_N 7
/* Distinct investors. */
#define PEOPLE_COLS                                                           \
    "visitors, new_visitors, buyers, funnel_zone_view, funnel_product_view, " \
    "funnel_order_started, funnel_order_placed"
#define PEOPLE_SUMS                                                          \
    "SUM(visitors), SUM(new_visitors), SUM(buyers), SUM(funnel_zone_view), " \
    "SUM(funnel_product_view), SUM(funnel_order_started), SUM(funnel_order_placed)"
#define PEOPLE_N 7

struct figures {
    int64_t add[ADD_N];
    bool has_end;
    int64_t end[END_N];
    bool has_people;
    int64_t people[PEOPLE_N];
    bool has_median;
    int64_t median_s;
    int64_t days; /* days of the period that were rolled up */
};

static const char *const add_names[ADD_N] = {
    "zone_views",     "product_views", "content_views", "shares",        "impressions",
    "follows_gained", "follows_lost",  "orders",        "subscriptions", "subscribe_amount",
    "redemptions",    "redeem_shares", "inflow",        "outflow",       "questions",
    "answers",        "complaints"};
static const char *const people_names[PEOPLE_N] = {"visitors", "new_visitors", "buyers"};

/* Scale of an added column in JSON: 2 for money and shares (decimal strings), 0 for counts. */
static int add_scale(size_t i)
{
    return i == 9 || i == 11 || i == 12 || i == 13 ? 2 : 0;
}

static void read_cols(const struct store_row *row, int col, int64_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = store_row_int(row, col + (int)i);
}

static json_t *ppm_or_null(int64_t kept, int64_t base)
{
    return base > 0 ? json_integer(metric_ppm(kept, base)) : json_null();
}

static json_t *figures_json(const struct figures *f)
{
    json_t *o = json_object();
    for (size_t i = 0; i < ADD_N; i++)
        json_object_set_new(o, add_names[i],
                            add_scale(i) ? json_decimal(f->add[i], 2) : json_integer(f->add[i]));
    json_object_set_new(o, "net_flow", json_decimal(f->add[12] - f->add[13], 2));
    for (size_t i = 0; i < 3; i++)
        json_object_set_new(o, people_names[i],
                            f->has_people ? json_integer(f->people[i]) : json_null());
    json_object_set_new(o, "funnel",
                        f->has_people
                            ? json_pack("{s:I,s:I,s:I,s:I}", "zone_view", (json_int_t)f->people[3],
                                        "product_view", (json_int_t)f->people[4], "order_started",
                                        (json_int_t)f->people[5], "order_placed",
                                        (json_int_t)f->people[6])
                            : json_null());
    const int64_t *e = f->end;
    json_object_set_new(o, "followers", f->has_end ? json_integer(e[0]) : json_null());
    json_object_set_new(o, "holders", f->has_end ? json_integer(e[1]) : json_null());
    json_object_set_new(o, "aum", f->has_end ? json_decimal(e[2], 2) : json_null());
    json_object_set_new(o, "retention_30d_ppm", f->has_end ? ppm_or_null(e[4], e[3]) : json_null());
    json_object_set_new(o, "retention_90d_ppm", f->has_end ? ppm_or_null(e[6], e[5]) : json_null());
    json_object_set_new(o, "response_median_s",
                        f->has_median ? json_integer(f->median_s) : json_null());
    json_object_set_new(o, "days_rolled_up", json_integer(f->days));
    return o;
}

static int take_sums(void *ctx, const struct store_row *row)
{
    struct figures *f = ctx;
    f->days = store_row_int(row, 0);
    read_cols(row, 1, f->add, ADD_N);
    return 1;
}

static int take_end(void *ctx, const struct store_row *row)
{
    struct figures *f = ctx;
    f->has_end = store_row_int(row, 0) > 0;
    read_cols(row, 1, f->end, END_N);
    return 1;
}

static int take_people(void *ctx, const struct store_row *row)
{
    struct figures *f = ctx;
    f->has_people = true;
    read_cols(row, 0, f->people, PEOPLE_N);
    return 1;
}

/* Distinct investors of one institution over the period, counted by the database. The
 * masks are SEG_F_VISITED (1), SEG_F_BOUGHT (32) and the funnel's (2, 6, 14, 30). */
_Static_assert(SEG_F_VISITED == 1 && SEG_F_BOUGHT == 32, "masks written out below");
_Static_assert(SEG_F_ZONE_VIEW == 2 && SEG_F_PRODUCT_VIEW == 4 && SEG_F_ORDER_STARTED == 8 &&
                   SEG_F_ORDER_PLACED == 16,
               "funnel masks written out below");
static enum store_rc people_of_inst(struct store_conn *c, int64_t inst, const struct dash_range *g,
                                    struct figures *f, struct store_err *err)
{
    struct store_val p[] = {SV_INT(inst), SV_TEXT(g->from_s), SV_TEXT(g->to_s)};
    return store_query(c,
                       "SELECT COUNT(DISTINCT CASE WHEN flags & 1 <> 0 THEN investor_key END), "
                       "COUNT(DISTINCT CASE WHEN flags & 1 <> 0 AND is_new = 1 THEN investor_key "
                       "END), COUNT(DISTINCT CASE WHEN flags & 32 <> 0 THEN investor_key END), "
                       "COUNT(DISTINCT CASE WHEN flags & 2 = 2 THEN investor_key END), "
                       "COUNT(DISTINCT CASE WHEN flags & 6 = 6 THEN investor_key END), "
                       "COUNT(DISTINCT CASE WHEN flags & 14 = 14 THEN investor_key END), "
                       "COUNT(DISTINCT CASE WHEN flags & 30 = 30 THEN investor_key END) "
                       "FROM investor_days WHERE institution_id = ? AND day >= ? AND day <= ?",
                       p, 3, take_people, f, err);
}

/* Distinct investors of the whole platform: one pseudonym once, whichever institutions. */
static enum store_rc people_of_platform(struct store_conn *c, const struct dash_range *g,
                                        struct figures *f, bool *too_many, struct store_err *err)
{
    struct dash_people dp;
    enum store_rc rc = dash_people_scan(c, 0, g, &dp, err);
    *too_many = dp.too_many;
    f->has_people = rc == STORE_OK && !dp.too_many;
    for (size_t i = 0; f->has_people && i < dp.n; i++) {
        uint32_t b = dp.p[i].bits;
        f->people[0] += (b & DASH_P_VISITED) != 0;
        f->people[1] += (b & DASH_P_VISITED) && (b & DASH_P_NEW);
        f->people[2] += (b & DASH_P_BOUGHT) != 0;
        for (int s = 0; s < SEG_FUNNEL_STEPS; s++)
            f->people[3 + s] += (b & (DASH_P_FUNNEL0 << s)) != 0;
    }
    dash_people_free(&dp);
    return rc;
}

static int take_median(void *ctx, const struct store_row *row)
{
    struct figures *f = ctx;
    f->has_median = true;
    f->median_s = store_row_int(row, 0) / 1000;
    return 1;
}

/* The lower median of the delays of the answers given in the period. */
static enum store_rc median_of(struct store_conn *c, int64_t inst, const struct dash_range *g,
                               struct figures *f, struct store_err *err)
{
    int64_t from = civil_ms_of_cst(g->from, 0, 0, 0);
    int64_t to = civil_ms_of_cst(g->to, 0, 0, 0) + CIVIL_MS_PER_DAY, n = 0;
    struct store_val p[] = {SV_INT(from), SV_INT(to), SV_INT(inst), SV_INT(0)};
    enum store_rc rc = store_query_int(c,
                                       "SELECT count(*) FROM questions WHERE answered_ms >= ?1 AND "
                                       "answered_ms < ?2 AND response_ms IS NOT NULL AND (?3 = 0 "
                                       "OR institution_id = ?3)",
                                       p, 3, &n, err);
    if (rc != STORE_OK || n == 0)
        return rc;
    p[3] = SV_INT((n - 1) / 2);
    return store_query(c,
                       "SELECT response_ms FROM questions WHERE answered_ms >= ?1 AND answered_ms "
                       "< ?2 AND response_ms IS NOT NULL AND (?3 = 0 OR institution_id = ?3) "
                       "ORDER BY response_ms LIMIT 1 OFFSET ?4",
                       p, 4, take_median, f, err);
}

/* Every figure of inst (0: the platform) over the period. */
static enum store_rc figures_of(struct store_conn *c, int64_t inst, const struct dash_range *g,
                                struct figures *f, bool *too_many, struct store_err *err)
{
    memset(f, 0, sizeof(*f));
    *too_many = false;
    struct store_val p[] = {SV_TEXT(g->from_s), SV_TEXT(g->to_s), SV_INT(inst)};
    enum store_rc rc =
        inst ? store_query(c,
                           "SELECT count(*), " ADD_SUMS " FROM rollup_inst_daily WHERE day >= ?1 "
                           "AND day <= ?2 AND institution_id = ?3",
                           p, 3, take_sums, f, err)
             : store_query(c,
                           "SELECT count(DISTINCT day), " ADD_SUMS " FROM rollup_inst_daily "
                           "WHERE day >= ?1 AND day <= ?2",
                           p, 2, take_sums, f, err);
    struct store_val q[] = {SV_TEXT(g->to_s), SV_INT(inst)};
    if (rc == STORE_OK)
        rc = inst ? store_query(c,
                                "SELECT count(*), " END_SUMS " FROM rollup_inst_daily WHERE day = "
                                "?1 AND institution_id = ?2",
                                q, 2, take_end, f, err)
                  : store_query(c,
                                "SELECT count(*), " END_SUMS " FROM rollup_inst_daily WHERE day = "
                                "?1",
                                q, 1, take_end, f, err);
    if (rc == STORE_OK)
        rc = inst ? people_of_inst(c, inst, g, f, err) : people_of_platform(c, g, f, too_many, err);
    if (rc == STORE_OK)
        rc = median_of(c, inst, g, f, err);
    return rc;
}

/* ---- by day ---- */

#define DAY_COLS "day, " ADD_COLS ", " END_COLS ", " PEOPLE_COLS ", response_s_median"
#define DAY_SUMS "day, " ADD_SUMS ", " END_SUMS ", " PEOPLE_SUMS ", NULL"

static void day_figures(const struct store_row *row, struct figures *f)
{
    memset(f, 0, sizeof(*f));
    read_cols(row, 1, f->add, ADD_N);
    read_cols(row, 1 + ADD_N, f->end, END_N);
    read_cols(row, 1 + ADD_N + END_N, f->people, PEOPLE_N);
    f->has_end = f->has_people = true;
    f->has_median = !store_row_is_null(row, 1 + ADD_N + END_N + PEOPLE_N);
    f->median_s = store_row_int(row, 1 + ADD_N + END_N + PEOPLE_N);
    f->days = 1;
}

static int collect_day(void *arr, const struct store_row *row)
{
    struct figures f;
    day_figures(row, &f);
    json_t *o = figures_json(&f);
    json_object_set_new(o, "day", json_string(store_row_text(row, 0, NULL)));
    json_array_append_new(arr, o);
    return 0;
}

/* The rolled-up days of the period, oldest first, through `fn`. For the platform a day's
 * figures are its institutions' added up: an investor counts once per institution. */
static enum store_rc days_of(struct store_conn *c, int64_t inst, const struct dash_range *g,
                             store_row_fn fn, void *ctx, struct store_err *err)
{
    struct store_val p[] = {SV_TEXT(g->from_s), SV_TEXT(g->to_s), SV_INT(inst)};
    if (inst != 0)
        return store_query(c,
                           "SELECT " DAY_COLS " FROM rollup_inst_daily WHERE institution_id = ?3 "
                           "AND day >= ?1 AND day <= ?2 ORDER BY day",
                           p, 3, fn, ctx, err);
    return store_query(c,
                       "SELECT " DAY_SUMS " FROM rollup_inst_daily WHERE day >= ?1 AND day <= ?2 "
                       "GROUP BY day ORDER BY day",
                       p, 2, fn, ctx, err);
}

/* ---- lists ---- */

static int collect_product(void *arr, const struct store_row *row)
{
    json_t *o =
        json_pack("{s:o,s:s,s:s,s:I,s:I,s:I,s:I}", "product_id", json_id(store_row_int(row, 0)),
                  "code", store_row_text(row, 1, NULL), "name", store_row_text(row, 2, NULL),
                  "views", (json_int_t)store_row_int(row, 3), "orders_started",
                  (json_int_t)store_row_int(row, 4), "orders", (json_int_t)store_row_int(row, 5),
                  "subscriptions", (json_int_t)store_row_int(row, 6));
    json_object_set_new(o, "subscribe_amount", json_decimal(store_row_int(row, 7), 2));
    json_object_set_new(o, "inflow", json_decimal(store_row_int(row, 8), 2));
    json_object_set_new(o, "outflow", json_decimal(store_row_int(row, 9), 2));
    json_object_set_new(o, "holders",
                        store_row_is_null(row, 10) ? json_null()
                                                   : json_integer(store_row_int(row, 10)));
    json_object_set_new(o, "aum",
                        store_row_is_null(row, 11) ? json_null()
                                                   : json_decimal(store_row_int(row, 11), 2));
    json_array_append_new(arr, o);
    return 0;
}

static int collect_content(void *arr, const struct store_row *row)
{
    json_array_append_new(
        arr,
        json_pack("{s:o,s:s,s:s,s:I,s:I,s:I}", "content_id", json_id(store_row_int(row, 0)), "kind",
                  store_row_text(row, 1, NULL), "title", store_row_text(row, 2, NULL), "views",
                  (json_int_t)store_row_int(row, 3), "visitor_days",
                  (json_int_t)store_row_int(row, 4), "shares", (json_int_t)store_row_int(row, 5)));
    return 0;
}

static int collect_metric(void *arr, const struct store_row *row)
{
    json_t *o =
        json_pack("{s:s,s:s,s:I,s:I}", "metric", store_row_text(row, 0, NULL), "unit",
                  store_row_text(row, 2, NULL), "denominator", (json_int_t)store_row_int(row, 4),
                  "window_days", (json_int_t)store_row_int(row, 5));
    json_object_set_new(
        o, "value", store_row_is_null(row, 1) ? json_null() : json_integer(store_row_int(row, 1)));
    json_object_set_new(o, "numerator",
                        store_row_is_null(row, 3) ? json_null()
                                                  : json_integer(store_row_int(row, 3)));
    json_array_append_new(arr, o);
    return 0;
}

static int collect_institution(void *arr, const struct store_row *row)
{
    json_t *o = json_pack(
        "{s:o,s:s,s:I,s:I,s:I,s:I}", "institution_id", json_id(store_row_int(row, 0)), "name",
        store_row_text(row, 1, NULL), "zone_views", (json_int_t)store_row_int(row, 2),
        "product_views", (json_int_t)store_row_int(row, 3), "content_views",
        (json_int_t)store_row_int(row, 4), "orders", (json_int_t)store_row_int(row, 5));
    json_object_set_new(o, "subscribe_amount", json_decimal(store_row_int(row, 6), 2));
    json_object_set_new(o, "net_flow", json_decimal(store_row_int(row, 7), 2));
    json_array_append_new(arr, o);
    return 0;
}

/* The institution's products and contents of the period, most viewed first, and its metric
 * inputs on the last day. */
static enum store_rc inst_lists(struct store_conn *c, int64_t inst, const struct dash_range *g,
                                json_t *out, struct store_err *err)
{
    json_t *products = json_array(), *contents = json_array(), *metrics = json_array();
    json_object_set_new(out, "products", products);
    json_object_set_new(out, "contents", contents);
    json_object_set_new(out, "metrics", metrics);
    struct store_val p[] = {SV_INT(inst), SV_TEXT(g->from_s), SV_TEXT(g->to_s),
                            SV_INT(LIMIT_DASHBOARD_ITEMS)};
    enum store_rc rc = store_query(
        c,
        "SELECT r.product_id, p.code, p.name, SUM(r.views), SUM(r.orders_started), "
        "SUM(r.orders), SUM(r.subscriptions), SUM(r.subscribe_amount_fen), SUM(r.inflow_fen), "
        "SUM(r.outflow_fen), MAX(CASE WHEN r.day = ?3 THEN r.holders END), MAX(CASE WHEN r.day "
        "= ?3 THEN r.aum_fen END) FROM rollup_product_daily r JOIN products p ON p.id = "
        "r.product_id WHERE r.institution_id = ?1 AND r.day >= ?2 AND r.day <= ?3 GROUP BY "
        "r.product_id ORDER BY SUM(r.views) DESC, SUM(r.orders) DESC, r.product_id LIMIT ?4",
        p, 4, collect_product, products, err);
    if (rc == STORE_OK)
        rc = store_query(c,
                         "SELECT r.content_id, c.kind, COALESCE((SELECT v.title FROM "
                         "content_versions v WHERE v.content_id = c.id AND v.version = "
                         "c.published_version), ''), SUM(r.views), SUM(r.visitors), "
                         "SUM(r.shares) FROM rollup_content_daily r JOIN contents c ON c.id = "
                         "r.content_id WHERE r.institution_id = ?1 AND r.day >= ?2 AND r.day <= "
                         "?3 GROUP BY r.content_id ORDER BY SUM(r.views) DESC, r.content_id "
                         "LIMIT ?4",
                         p, 4, collect_content, contents, err);
    struct store_val q[] = {SV_TEXT(g->to_s), SV_INT(inst)};
    if (rc == STORE_OK)
        rc = store_query(c,
                         "SELECT metric, value, unit, numerator, denominator, window_days FROM "
                         "inst_metrics_daily WHERE day = ? AND institution_id = ? ORDER BY metric",
                         q, 2, collect_metric, metrics, err);
    return rc;
}

static enum store_rc platform_lists(struct store_conn *c, const struct dash_range *g, json_t *out,
                                    struct store_err *err)
{
    json_t *insts = json_array();
    json_object_set_new(out, "institutions", insts);
    struct store_val p[] = {SV_TEXT(g->from_s), SV_TEXT(g->to_s),
                            SV_INT(LIMIT_DASHBOARD_INSTITUTIONS)};
    return store_query(c,
                       "SELECT r.institution_id, i.name, SUM(r.zone_views), SUM(r.product_views), "
                       "SUM(r.content_views), SUM(r.orders), SUM(r.subscribe_amount_fen), "
                       "SUM(r.inflow_fen) - SUM(r.outflow_fen) FROM rollup_inst_daily r JOIN "
                       "institutions i ON i.id = r.institution_id WHERE r.day >= ? AND r.day <= "
                       "? GROUP BY r.institution_id ORDER BY SUM(r.zone_views) DESC, "
                       "SUM(r.orders) DESC, r.institution_id LIMIT ?",
                       p, 3, collect_institution, insts, err);
}

/* ---- the handlers ---- */

static json_t *period_json(const struct dash_range *g, const struct figures *f)
{
    return json_pack("{s:s,s:s,s:I,s:o}", "from", g->from_s, "to", g->to_s, "days",
                     (json_int_t)g->days, "figures", figures_json(f));
}

static enum store_rc build(struct store_conn *c, int64_t inst, const struct dash_range *g,
                           json_t *out, bool *too_many, struct store_err *err)
{
    struct dash_range prev = dash_previous(g);
    struct figures cur, before;
    enum store_rc rc = figures_of(c, inst, g, &cur, too_many, err);
    bool too_many_before = false;
    if (rc == STORE_OK && !*too_many)
        rc = figures_of(c, inst, &prev, &before, &too_many_before, err);
    *too_many = *too_many || too_many_before;
    if (rc != STORE_OK || *too_many)
        return rc;
    json_object_set_new(out, "institution_id", json_id_or_null(inst));
    json_object_set_new(out, "current", period_json(g, &cur));
    json_object_set_new(out, "previous", period_json(&prev, &before));
    json_t *days = json_array();
    json_object_set_new(out, "by_day", days);
    rc = days_of(c, inst, g, collect_day, days, err);
    if (rc == STORE_OK)
        rc = inst ? inst_lists(c, inst, g, out, err) : platform_lists(c, g, out, err);
    return rc;
}

static void dashboard(struct req *r)
{
    int64_t inst = 0;
    struct dash_range g;
    if (!dash_scope_or_reply(r, &inst) || !dash_range_or_reply(r, DASH_DEFAULT_DAYS, &g))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *out = json_object();
    bool too_many = false;
    struct store_err err;
    enum store_rc rc = build(c, inst, &g, out, &too_many, &err);
    if (rc != STORE_OK || too_many) {
        json_decref(out);
        if (too_many)
            dash_too_many(r);
        else
            req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200, out);
}

void api_inst_dashboard(struct req *r)
{
    dashboard(r);
}

void api_ops_dashboard(struct req *r)
{
    dashboard(r);
}

/* ---- CSV ---- */

static void csv_num(struct buf *b, int64_t v, int scale)
{
    char s[MONEY_FORMAT_CAP];
    if (scale)
        money_format(v, scale, s, sizeof(s));
    else
        snprintf(s, sizeof(s), "%lld", (long long)v);
    buf_printf(b, ",%s", s);
}

static int csv_day(void *ctx, const struct store_row *row)
{
    struct buf *b = ctx;
    struct figures f;
    day_figures(row, &f);
    buf_puts(b, store_row_text(row, 0, NULL));
    for (size_t i = 0; i < ADD_N; i++)
        csv_num(b, f.add[i], add_scale(i));
    csv_num(b, f.add[12] - f.add[13], 2);
    for (size_t i = 0; i < PEOPLE_N; i++)
        csv_num(b, f.people[i], 0);
    csv_num(b, f.end[0], 0);
    csv_num(b, f.end[1], 0);
    csv_num(b, f.end[2], 2);
    for (int k = 0; k < 2; k++) {
        if (f.end[3 + 2 * k] > 0)
            csv_num(b, metric_ppm(f.end[4 + 2 * k], f.end[3 + 2 * k]), 0);
        else
            buf_puts(b, ",");
    }
    if (f.has_median)
        csv_num(b, f.median_s, 0);
    else
        buf_puts(b, ",");
    buf_puts(b, "\r\n");
    return b->overflow;
}

/* Answers a CSV body (UTF-8, CRLF lines as RFC 4180 has them) with a file name. */
void dash_reply_csv(struct req *r, struct buf *b, const char *name, const struct dash_range *g)
{
    if (b->overflow) {
        buf_free(b);
        req_problem(r, 422, "limit_exceeded", NULL,
                    "the export is over %d bytes; choose a shorter period", LIMIT_CSV_BYTES_MAX);
        return;
    }
    size_t len = 0;
    char *text = buf_steal(b, &len);
    req_reply_raw(r, 200, "text/csv; charset=utf-8", text ? text : "", text ? len : 0);
    free(text);
    char disp[128];
    snprintf(disp, sizeof(disp), "attachment; filename=\"%s-%s-%s.csv\"", name, g->from_s, g->to_s);
    req_add_header(r, "Content-Disposition", disp);
}

void api_inst_dashboard_csv(struct req *r)
{
    int64_t inst = 0;
    struct dash_range g;
    if (!dash_scope_or_reply(r, &inst) || !dash_range_or_reply(r, DASH_DEFAULT_DAYS, &g))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct buf b;
    buf_init(&b, LIMIT_CSV_BYTES_MAX);
    buf_puts(&b, "day");
    for (size_t i = 0; i < ADD_N; i++)
        buf_printf(&b, ",%s", add_names[i]);
    buf_puts(&b, ",net_flow,visitors,new_visitors,buyers,funnel_zone_view,funnel_product_view,"
                 "funnel_order_started,funnel_order_placed,followers,holders,aum,"
                 "retention_30d_ppm,retention_90d_ppm,response_median_s\r\n");
    struct store_err err;
    enum store_rc rc = days_of(c, inst, &g, csv_day, &b, &err);
    if (rc != STORE_OK) {
        buf_free(&b);
        req_store_problem(r, rc, &err);
        return;
    }
    dash_reply_csv(r, &b, "dashboard", &g);
}

/* ---- one product ---- */

static int collect_product_day(void *arr, const struct store_row *row)
{
    int64_t v[19];
    read_cols(row, 1, v, ARRAY_LEN(v));
    json_t *o = json_pack(
        "{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "day", store_row_text(row, 0, NULL), "views",
        (json_int_t)v[0], "visitors", (json_int_t)v[1], "orders_started", (json_int_t)v[2],
        "orders", (json_int_t)v[3], "subscriptions", (json_int_t)v[4], "redemptions",
        (json_int_t)v[6], "buyers", (json_int_t)v[8], "holders", (json_int_t)v[11]);
    json_object_set_new(o, "subscribe_amount", json_decimal(v[5], 2));
    json_object_set_new(o, "redeem_shares", json_decimal(v[7], 2));
    json_object_set_new(o, "inflow", json_decimal(v[9], 2));
    json_object_set_new(o, "outflow", json_decimal(v[10], 2));
    json_object_set_new(o, "net_flow", json_decimal(v[9] - v[10], 2));
    json_object_set_new(o, "shares", json_decimal(v[12], 2));
    json_object_set_new(o, "nav",
                        store_row_is_null(row, 14) ? json_null() : json_decimal(v[13], 4));
    json_object_set_new(o, "aum", json_decimal(v[14], 2));
    json_object_set_new(o, "retention_30d_ppm", ppm_or_null(v[16], v[15]));
    json_object_set_new(o, "retention_90d_ppm", ppm_or_null(v[18], v[17]));
    json_array_append_new(arr, o);
    return 0;
}

static int take_product_brief(void *ctx, const struct store_row *row)
{
    *(json_t **)ctx = json_pack("{s:o,s:s,s:s}", "id", json_id(store_row_int(row, 0)), "code",
                                store_row_text(row, 1, NULL), "name", store_row_text(row, 2, NULL));
    return 1;
}

void api_inst_dashboard_product(struct req *r)
{
    int64_t id = 0;
    struct dash_range g;
    if (!req_param_id_or_reply(r, 0, &id) || !dash_range_or_reply(r, DASH_DEFAULT_DAYS, &g))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *product = NULL, *days = json_array();
    struct store_err err;
    struct store_val p[] = {SV_INT(id), SV_INT(r->sess.institution_id)};
    enum store_rc rc = store_query(c,
                                   "SELECT id, code, name FROM products WHERE id = ? AND "
                                   "institution_id = ?",
                                   p, 2, take_product_brief, &product, &err);
    struct store_val q[] = {SV_INT(id), SV_TEXT(g.from_s), SV_TEXT(g.to_s)};
    if (rc == STORE_OK && product != NULL)
        rc = store_query(c,
                         "SELECT day, views, visitors, orders_started, orders, subscriptions, "
                         "subscribe_amount_fen, redemptions, redeem_shares_h, buyers, "
                         "inflow_fen, outflow_fen, holders, shares_h, nav_e4, aum_fen, "
                         "holders_30d_base, holders_30d_kept, holders_90d_base, "
                         "holders_90d_kept FROM rollup_product_daily WHERE product_id = ? AND day "
                         ">= ? AND day <= ? ORDER BY day",
                         q, 3, collect_product_day, days, &err);
    if (rc != STORE_OK || product == NULL) {
        json_decref(product);
        json_decref(days);
        if (rc != STORE_OK)
            req_store_problem(r, rc, &err);
        else /* another institution's product is as absent as one that does not exist */
            req_problem(r, 404, "not_found", NULL, "no product %lld", (long long)id);
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:o,s:s,s:s,s:o}", "product", product, "from", g.from_s, "to",
                             g.to_s, "by_day", days));
}
