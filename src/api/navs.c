/*
 * navs.c: net asset values. An institution publishes NAV per product per date; investors
 * read the confirmed history for charts.
 *
 * Rules: no date in the future; a non-money-market fund publishes on trading days only; a
 * money-market fund publishes every calendar day (its income accrues on holidays too), at
 * NAV 1.0000 with its income per 10,000 shares, and the platform computes the 7-day
 * yield itself (and refuses a different figure from the institution). A NAV that moves
 * more than nav_move_bound_ppm from the previous one is held until a second member of
 * staff confirms it: a misplaced decimal point must not confirm thousands of orders.
 */
#include "api/handlers.h"
#include "api/trading.h"

#include "base/check.h"
#include "base/money.h"
#include "base/utf8.h"
#include "core/fee.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nav_new {
    int64_t product, inst, nav_e4, acc_e4, income_e4, now_ms, bound_ppm;
    bool mmf, has_income, has_yield, confirmed;
    int64_t yield_given_e5, yield_e5;
    bool yield_known;
    char date[CIVIL_DATE_CAP];
    struct civil_date d;
    struct api_actor actor;
};

static int take_prev(void *ctx, const struct store_row *row)
{
    *(int64_t *)ctx = store_row_int(row, 0);
    return 1;
}

/* The 7-day yield when the 6 days before `d` have income too. */
static enum store_rc mmf_yield(struct store_conn *c, struct nav_new *x, struct store_err *err)
{
    int64_t inc[FEE_MMF_YIELD_DAYS];
    inc[FEE_MMF_YIELD_DAYS - 1] = x->income_e4;
    x->yield_known = true;
    for (int k = 1; k < FEE_MMF_YIELD_DAYS && x->yield_known; k++) {
        char ds[CIVIL_DATE_CAP];
        civil_date_format(civil_date_add_days(x->d, -k), ds, sizeof(ds));
        struct store_val p[] = {SV_INT(x->product), SV_TEXT(ds)};
        enum store_rc rc = store_query_int(c,
                                           "SELECT income_per_10k_e4 FROM navs WHERE "
                                           "product_id = ? AND nav_date = ? AND confirmed = 1",
                                           p, 2, &inc[FEE_MMF_YIELD_DAYS - 1 - k], err);
        if (rc == STORE_DONE)
            x->yield_known = false;
        else if (rc != STORE_OK)
            return rc;
    }
    if (x->yield_known && fee_mmf_yield_7d(inc, &x->yield_e5) != FEE_OK)
        x->yield_known = false;
    if (x->yield_known && x->has_yield && x->yield_given_e5 != x->yield_e5) {
        char mine[32];
        money_format(x->yield_e5, 3, mine, sizeof(mine));
        return api_abort(err, API_ABORT_INVALID,
                         "the 7-day annualised yield computed from the last 7 days' income is "
                         "%s%%, not the figure given",
                         mine);
    }
    return STORE_OK;
}

/* Inserts one NAV: held unconfirmed when it moved more than the bound from the previous. */
static enum store_rc nav_insert(struct store_conn *c, struct nav_new *x, struct store_err *err)
{
    int64_t prev = 0;
    struct store_val q[] = {SV_INT(x->product), SV_TEXT(x->date)};
    enum store_rc rc = store_query(c,
                                   "SELECT nav_e4 FROM navs WHERE product_id = ? AND "
                                   "nav_date < ? AND confirmed = 1 ORDER BY nav_date DESC LIMIT 1",
                                   q, 2, take_prev, &prev, err);
    if (rc == STORE_OK && x->mmf)
        rc = mmf_yield(c, x, err);
    if (rc != STORE_OK)
        return rc;
    int64_t move = prev > 0 ? (x->nav_e4 > prev ? x->nav_e4 - prev : prev - x->nav_e4) : 0;
    x->confirmed = prev == 0 || move * 1000000 <= prev * x->bound_ppm;
    struct store_val p[] = {
        SV_INT(x->product),
        SV_TEXT(x->date),
        SV_INT(x->nav_e4),
        SV_INT(x->acc_e4),
        x->has_income ? SV_INT(x->income_e4) : SV_NULL_,
        x->yield_known ? SV_INT(x->yield_e5) : SV_NULL_,
        SV_INT(x->confirmed),
        SV_INT(x->actor.user_id),
        SV_INT(x->now_ms),
    };
    rc = store_exec(c,
                    "INSERT INTO navs (product_id, nav_date, nav_e4, acc_nav_e4, "
                    "income_per_10k_e4, yield_7d_e5, confirmed, published_by, published_ms) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    p, 9, NULL, err);
    if (rc == STORE_CONSTRAINT)
        return api_abort(err, API_ABORT_CONFLICT, "a NAV for %s is already published", x->date);
    return rc;
}

static enum store_rc nav_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct nav_new *x = ctx;
    enum store_rc rc = nav_insert(c, x, err);
    if (rc != STORE_OK)
        return rc;
    char subject[40];
    snprintf(subject, sizeof(subject), "product:%lld", (long long)x->product);
    json_t *d = json_pack("{s:s,s:I,s:b}", "date", x->date, "nav_e4", (json_int_t)x->nav_e4,
                          "confirmed", x->confirmed);
    rc = api_audit(c, &x->actor, x->inst, "nav.publish", subject, d, x->now_ms, err);
    json_decref(d);
    return rc;
}

static void nav_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct nav_new *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    json_t *o = json_pack("{s:s,s:o,s:o,s:b}", "date", x->date, "nav", json_decimal(x->nav_e4, 4),
                          "acc_nav", json_decimal(x->acc_e4, 4), "confirmed", x->confirmed);
    if (x->has_income)
        json_object_set_new(o, "income_per_10k", json_decimal(x->income_e4, 4));
    if (x->yield_known)
        json_object_set_new(o, "yield_7d", json_decimal(x->yield_e5, 3));
    req_reply_json(r, x->confirmed ? 201 : 202,
                   json_pack("{s:o,s:b}", "nav", o, "needs_confirmation", !x->confirmed));
}

static int take_type(void *ctx, const struct store_row *row)
{
    snprintf(ctx, 16, "%s", store_row_text(row, 0, NULL));
    return 1;
}

/* Loads the product's type, only if it belongs to the caller's institution. */
static bool own_product_or_reply(struct req *r, int64_t id, char type[16])
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return false;
    type[0] = '\0';
    struct store_err err;
    struct store_val p[] = {SV_INT(id), SV_INT(r->sess.institution_id)};
    enum store_rc rc =
        store_query(c, "SELECT type FROM products WHERE id = ? AND institution_id = ?", p, 2,
                    take_type, type, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return false;
    }
    if (type[0] == '\0') {
        req_problem(r, 404, "not_found", NULL, "no product %lld in your institution",
                    (long long)id);
        return false;
    }
    return true;
}

/* Checks a NAV date: not in the future, a trading day unless a money-market fund. */
static bool nav_check_date(struct nav_new *x, const struct calendar *cal, int64_t now_ms,
                           const char *s, size_t n, char *msg, size_t cap)
{
    if (civil_date_parse(s, n, &x->d) != CIVIL_OK) {
        snprintf(msg, cap, "'%.*s' is not a date YYYY-MM-DD", (int)(n > 16 ? 16 : n), s);
        return false;
    }
    civil_date_format(x->d, x->date, sizeof(x->date));
    if (civil_date_cmp(x->d, civil_date_of_ms_cst(now_ms)) > 0) {
        snprintf(msg, cap, "%s is in the future", x->date);
        return false;
    }
    bool trading = false;
    if (!x->mmf && (calendar_is_trading_day(cal, x->d, &trading) != CALENDAR_OK || !trading)) {
        snprintf(msg, cap, "%s is not a trading day: this fund publishes NAV on trading days only",
                 x->date);
        return false;
    }
    return true;
}

struct nav_text {
    const char *nav, *acc, *inc, *yld;
    size_t nl, al, il, yl;
};

/* Checks the figures; *field names the one at fault. */
static bool nav_check_numbers(struct nav_new *x, const struct nav_text *t, const char **field,
                              char *msg, size_t cap)
{
    *field = "nav";
    if (money_parse(t->nav, t->nl, 4, 100000000, &x->nav_e4) != MONEY_OK || x->nav_e4 == 0) {
        snprintf(msg, cap, "nav must be a positive decimal with at most 4 decimals");
        return false;
    }
    if (x->mmf && x->nav_e4 != 10000) {
        snprintf(msg, cap, "a money-market fund's NAV is 1.0000");
        return false;
    }
    *field = "acc_nav";
    if (money_parse(t->acc, t->al, 4, 100000000, &x->acc_e4) != MONEY_OK || x->acc_e4 == 0) {
        snprintf(msg, cap, "acc_nav must be a positive decimal with at most 4 decimals");
        return false;
    }
    *field = "income_per_10k";
    if (x->mmf != (t->inc != NULL)) {
        snprintf(msg, cap,
                 x->mmf ? "a money-market fund publishes its income per 10,000 shares"
                        : "only money-market funds publish income per 10,000 shares");
        return false;
    }
    x->has_income = t->inc != NULL;
    if (t->inc && money_parse_signed(t->inc, t->il, 4, -FEE_MMF_INCOME_PER_10K_MAX_E4,
                                     FEE_MMF_INCOME_PER_10K_MAX_E4, &x->income_e4) != MONEY_OK) {
        snprintf(msg, cap, "income_per_10k must be a decimal with at most 4 decimals");
        return false;
    }
    *field = "yield_7d";
    if (t->yld && !x->mmf) {
        snprintf(msg, cap, "only money-market funds have a 7-day annualised yield");
        return false;
    }
    x->has_yield = t->yld != NULL;
    if (t->yld && money_parse(t->yld, t->yl, 3, 100000000, &x->yield_given_e5) != MONEY_OK) {
        snprintf(msg, cap, "yield_7d must be a percentage with at most 3 decimals");
        return false;
    }
    return true;
}

static bool calendar_or_reply(struct req *r, struct calendar *cal)
{
    struct store_err err;
    enum store_rc rc = tcal_get(r->store, cal, &err);
    if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    return rc == STORE_OK;
}

void api_inst_nav_publish(struct req *r)
{
    struct nav_new *x = arena_zalloc(&r->arena, sizeof(*x));
    struct calendar *cal = arena_alloc(&r->arena, sizeof(*cal));
    char type[16];
    if (x == NULL || cal == NULL || !req_param_id_or_reply(r, 0, &x->product) ||
        !own_product_or_reply(r, x->product, type) || !calendar_or_reply(r, cal))
        return;
    json_t *j = req_json_or_reply(r);
    const char *date, *field = "date";
    size_t dl = 0;
    struct nav_text t = {0};
    struct field f[] = {
        FIELD_STR("date", true, 1, 16, &date, &dl),
        FIELD_STR("nav", true, 1, 16, &t.nav, &t.nl),
        FIELD_STR("acc_nav", true, 1, 16, &t.acc, &t.al),
        FIELD_STR("income_per_10k", false, 1, 16, &t.inc, &t.il),
        FIELD_STR("yield_7d", false, 1, 16, &t.yld, &t.yl),
    };
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    x->mmf = strcmp(type, "money_market") == 0;
    char msg[160];
    if (!nav_check_date(x, cal, r->now_ms, date, dl, msg, sizeof(msg)) ||
        !nav_check_numbers(x, &t, &field, msg, sizeof(msg))) {
        req_problem(r, 422, "invalid_field", field, "%s", msg);
        return;
    }
    x->inst = r->sess.institution_id;
    x->now_ms = r->now_ms;
    x->bound_ppm = r->cfg->nav_move_bound_ppm;
    x->actor = api_actor_of(r);
    req_write(r, nav_write, x, nav_then);
}

/* ---- second confirmation ---- */

/* The product (the caller's own) and the date of /navs/{date}/…; answers 404/400 itself. */
static bool nav_target_or_reply(struct req *r, int64_t *product, char date[CIVIL_DATE_CAP])
{
    char type[16];
    struct civil_date d;
    if (!req_param_id_or_reply(r, 0, product) || !own_product_or_reply(r, *product, type))
        return false;
    if (civil_date_parse(r->params[1], strlen(r->params[1]), &d) != CIVIL_OK) {
        req_problem(r, 400, "bad_request", NULL, "'%s' is not a date YYYY-MM-DD", r->params[1]);
        return false;
    }
    civil_date_format(d, date, CIVIL_DATE_CAP);
    return true;
}

struct nav_confirm {
    int64_t product, inst, now_ms;
    char date[CIVIL_DATE_CAP];
    struct api_actor actor;
};

struct nav_state {
    bool found;
    bool confirmed;
    int64_t published_by;
};

static int take_nav_state(void *ctx, const struct store_row *row)
{
    struct nav_state *s = ctx;
    s->found = true;
    s->confirmed = store_row_int(row, 0) != 0;
    s->published_by = store_row_int(row, 1);
    return 1;
}

static enum store_rc confirm_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct nav_confirm *x = ctx;
    struct nav_state s = {0};
    struct store_val p[] = {SV_INT(x->product), SV_TEXT(x->date)};
    enum store_rc rc = store_query(c,
                                   "SELECT confirmed, COALESCE(published_by, 0) FROM navs "
                                   "WHERE product_id = ? AND nav_date = ?",
                                   p, 2, take_nav_state, &s, err);
    if (rc != STORE_OK)
        return rc;
    if (!s.found)
        return api_abort(err, API_ABORT_NOT_FOUND, "no NAV for %s", x->date);
    if (s.confirmed)
        return api_abort(err, API_ABORT_CONFLICT, "the NAV for %s is already confirmed", x->date);
    if (s.published_by == x->actor.user_id)
        return api_abort(err, API_ABORT_CONFLICT,
                         "a second member of staff must confirm a NAV you published");
    struct store_val u[] = {SV_INT(x->actor.user_id), SV_INT(x->product), SV_TEXT(x->date)};
    rc = store_exec(c,
                    "UPDATE navs SET confirmed = 1, confirmed_by = ? WHERE product_id = ? AND "
                    "nav_date = ?",
                    u, 3, NULL, err);
    if (rc != STORE_OK)
        return rc;
    char subject[40];
    snprintf(subject, sizeof(subject), "product:%lld", (long long)x->product);
    json_t *d = json_pack("{s:s}", "date", x->date);
    rc = api_audit(c, &x->actor, x->inst, "nav.confirm", subject, d, x->now_ms, err);
    json_decref(d);
    return rc;
}

static void confirm_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct nav_confirm *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200, json_pack("{s:s,s:b}", "date", x->date, "confirmed", 1));
}

void api_inst_nav_confirm(struct req *r)
{
    struct nav_confirm *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !nav_target_or_reply(r, &x->product, x->date))
        return;
    x->inst = r->sess.institution_id;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, confirm_write, x, confirm_then);
}

/* ---- the NAVs waiting for a second confirmation ---- */

struct held_ctx {
    json_t *items;
    int64_t me; /* the caller: "yours" marks what they published (they may not confirm it) */
};

static int collect_held(void *ctx, const struct store_row *row)
{
    struct held_ctx *h = ctx;
    int64_t nav = store_row_int(row, 4), prev = store_row_int(row, 9);
    json_t *move = json_null();
    if (!store_row_is_null(row, 9) && prev > 0) {
        /* In hundredths of a percent, truncated toward zero: 1.2345 after 1.0000 is 23.45. */
        move = json_decimal((nav - prev) * 10000 / prev, 2);
    }
    json_t *o = json_pack(
        "{s:o,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:s?,s:o,s:I,s:b,s:I}", "product_id",
        json_id(store_row_int(row, 0)), "product_code", store_row_text(row, 1, NULL),
        "product_name", store_row_text(row, 2, NULL), "date", store_row_text(row, 3, NULL), "nav",
        json_decimal(nav, 4), "acc_nav", json_decimal(store_row_int(row, 5), 4), "previous_nav",
        store_row_is_null(row, 9) ? json_null() : json_decimal(prev, 4), "previous_date",
        store_row_is_null(row, 10) ? json_null() : json_string(store_row_text(row, 10, NULL)),
        "published_by", store_row_is_null(row, 7) ? NULL : store_row_text(row, 7, NULL), "move_pct",
        move, "published_ms", (json_int_t)store_row_int(row, 8), "yours",
        store_row_int(row, 6) == h->me, "orders_waiting", (json_int_t)store_row_int(row, 11));
    json_array_append_new(h->items, o);
    return 0;
}

/* The caller's institution's NAVs held for a second confirmation, oldest first, each with the
 * confirmed NAV before it, the move, who published it and how many accepted orders of that
 * date wait for it: what a second member of staff needs to confirm or reject it. */
void api_inst_navs_held(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct held_ctx h = {json_array(), r->sess.user_id};
    struct store_err err;
    struct store_val p[] = {SV_INT(r->sess.institution_id), SV_INT(LIMIT_PAGE_SIZE_MAX)};
    enum store_rc rc = store_query(
        c,
        "SELECT n.product_id, p.code, p.name, n.nav_date, n.nav_e4, n.acc_nav_e4, "
        "COALESCE(n.published_by, 0), u.login, n.published_ms, v.nav_e4, v.nav_date, (SELECT "
        "COUNT(*) FROM orders o WHERE o.product_id = n.product_id AND o.trade_date = n.nav_date "
        "AND o.status = 'accepted') FROM navs n JOIN products p ON p.id = n.product_id LEFT JOIN "
        "users u ON u.id = n.published_by LEFT JOIN navs v ON v.product_id = n.product_id AND "
        "v.nav_date = (SELECT MAX(m.nav_date) FROM navs m WHERE m.product_id = n.product_id AND "
        "m.nav_date < n.nav_date AND m.confirmed = 1) WHERE n.confirmed = 0 AND "
        "p.institution_id = ? ORDER BY n.published_ms, n.product_id, n.nav_date LIMIT ?",
        p, 2, collect_held, &h, &err);
    if (rc != STORE_OK) {
        json_decref(h.items);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "items", h.items));
}

/* ---- rejecting a held NAV ---- */

struct nav_reject {
    int64_t product, inst, now_ms;
    char date[CIVIL_DATE_CAP];
    const char *reason;
    struct api_actor actor;
};

static enum store_rc reject_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct nav_reject *x = ctx;
    int64_t changed = 0;
    struct store_val p[] = {SV_INT(x->product), SV_TEXT(x->date)};
    enum store_rc rc = store_exec(c,
                                  "DELETE FROM navs WHERE product_id = ? AND nav_date = ? AND "
                                  "confirmed = 0",
                                  p, 2, &changed, err);
    if (rc != STORE_OK)
        return rc;
    if (changed == 0)
        return api_abort(err, API_ABORT_NOT_FOUND,
                         "no NAV for %s is waiting for confirmation; a confirmed NAV stands",
                         x->date);
    char subject[40];
    snprintf(subject, sizeof(subject), "product:%lld", (long long)x->product);
    json_t *d = json_pack("{s:s,s:s}", "date", x->date, "reason", x->reason);
    rc = api_audit(c, &x->actor, x->inst, "nav.reject", subject, d, x->now_ms, err);
    json_decref(d);
    return rc;
}

static void reject_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct nav_reject *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200, json_pack("{s:s,s:b}", "date", x->date, "rejected", 1));
}

/* A held NAV (a move beyond the bound) that is wrong is withdrawn, so the right one can be
 * published for the same date. */
void api_inst_nav_reject(struct req *r)
{
    struct nav_reject *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !nav_target_or_reply(r, &x->product, x->date))
        return;
    json_t *j = req_json_or_reply(r);
    struct field f[] = {FIELD_STR("reason", true, 1, LIMIT_REASON_CHARS_MAX, &x->reason, NULL)};
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    x->inst = r->sess.institution_id;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, reject_write, x, reject_then);
}

/* ---- history ---- */

/* 404 unless the product exists and its institution is open to investors. */
static bool public_product_or_reply(struct req *r, struct store_conn *c, int64_t id)
{
    int64_t one = 0;
    struct store_err err;
    struct store_val p[] = {SV_INT(id)};
    enum store_rc rc = store_query_int(c,
                                       "SELECT 1 FROM products p JOIN institutions i ON i.id = "
                                       "p.institution_id WHERE p.id = ? AND i.status IN "
                                       "('pilot', 'live')",
                                       p, 1, &one, &err);
    if (rc == STORE_DONE)
        req_problem(r, 404, "not_found", NULL, "no product %lld", (long long)id);
    else if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    return rc == STORE_OK;
}

static int collect_nav(void *arr, const struct store_row *row)
{
    json_t *o = json_pack("{s:s,s:o,s:o}", "date", store_row_text(row, 0, NULL), "nav",
                          json_decimal(store_row_int(row, 1), 4), "acc_nav",
                          json_decimal(store_row_int(row, 2), 4));
    if (!store_row_is_null(row, 3))
        json_object_set_new(o, "income_per_10k", json_decimal(store_row_int(row, 3), 4));
    if (!store_row_is_null(row, 4))
        json_object_set_new(o, "yield_7d", json_decimal(store_row_int(row, 4), 3));
    json_array_append_new(arr, o);
    return 0;
}

void api_public_navs(struct req *r)
{
    int64_t id = 0;
    if (!req_param_id_or_reply(r, 0, &id))
        return;
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    struct civil_date a, b;
    if ((from && civil_date_parse(from, strlen(from), &a) != CIVIL_OK) ||
        (to && civil_date_parse(to, strlen(to), &b) != CIVIL_OK)) {
        req_problem(r, 400, "bad_request", NULL, "'from' and 'to' must be dates YYYY-MM-DD");
        return;
    }
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL || !public_product_or_reply(r, c, id))
        return;
    json_t *items = json_array();
    struct store_err err;
    struct store_val p[] = {SV_INT(id), SV_TEXT(from ? from : "0000-00-00"),
                            SV_TEXT(to ? to : "9999-99-99"), SV_INT(LIMIT_NAV_POINTS_MAX)};
    enum store_rc rc = store_query(c,
                                   "SELECT nav_date, nav_e4, acc_nav_e4, income_per_10k_e4, "
                                   "yield_7d_e5 FROM navs WHERE product_id = ? AND confirmed = 1 "
                                   "AND nav_date >= ? AND nav_date <= ? ORDER BY nav_date LIMIT ?",
                                   p, 4, collect_nav, items, &err);
    if (rc != STORE_OK) {
        json_decref(items);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* ---- CSV upload ---- */

struct nav_upload {
    struct nav_new *rows;
    size_t n;
    int64_t inst, now_ms;
    struct api_actor actor;
    int64_t product;
    size_t held; /* OUT: rows needing a second confirmation */
};

static int cmp_nav(const void *a, const void *b)
{
    return civil_date_cmp(((const struct nav_new *)a)->d, ((const struct nav_new *)b)->d);
}

static enum store_rc upload_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct nav_upload *u = ctx;
    enum store_rc rc = STORE_OK;
    u->held = 0;
    for (size_t i = 0; i < u->n && rc == STORE_OK; i++) {
        rc = nav_insert(c, &u->rows[i], err);
        u->held += rc == STORE_OK && !u->rows[i].confirmed;
    }
    if (rc != STORE_OK)
        return rc;
    char subject[40];
    snprintf(subject, sizeof(subject), "product:%lld", (long long)u->product);
    json_t *d = json_pack("{s:I,s:s,s:s,s:I}", "lines", (json_int_t)u->n, "first", u->rows[0].date,
                          "last", u->rows[u->n - 1].date, "held", (json_int_t)u->held);
    rc = api_audit(c, &u->actor, u->inst, "nav.upload", subject, d, u->now_ms, err);
    json_decref(d);
    return rc;
}

static void upload_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct nav_upload *u = r->write.ctx;
    if (rc != STORE_OK)
        api_write_failed(r, rc, err, "conflict");
    else
        req_reply_json(r, 201,
                       json_pack("{s:I,s:I,s:s,s:s}", "published", (json_int_t)u->n,
                                 "needs_confirmation", (json_int_t)u->held, "first",
                                 u->rows[0].date, "last", u->rows[u->n - 1].date));
    free(u->rows);
}

/* Splits one CSV line into up to 4 fields (no quoting: NAV files have none). */
static size_t split(char *line, char *out[4])
{
    size_t n = 0;
    for (char *p = line; n < 4;) {
        out[n++] = p;
        char *comma = strchr(p, ',');
        if (comma == NULL)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

static void line_error(json_t *errors, size_t line, const char *field, const char *msg)
{
    if (json_array_size(errors) < LIMIT_NAV_CSV_ERRORS_MAX)
        json_array_append_new(errors, json_pack("{s:I,s:s,s:s}", "line", (json_int_t)line, "field",
                                                field, "message", msg));
}

/* Parses and checks every line; returns the rows, or reports each bad line into errors. */
static void parse_csv(struct req *r, struct nav_upload *u, bool mmf, const struct calendar *cal,
                      json_t *errors)
{
    char *text = r->body, *save = NULL;
    size_t lineno = 0;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        size_t len = strlen(line);
        if (len > 0 && line[len - 1] == '\r')
            line[--len] = '\0';
        if (len == 0 || (lineno == 1 && strncmp(line, "date", 4) == 0))
            continue;
        if (u->n == LIMIT_NAV_CSV_LINES_MAX) {
            line_error(errors, lineno, "", "too many lines in one file");
            return;
        }
        char *f[4] = {0};
        size_t nf = split(line, f);
        struct nav_new *x = &u->rows[u->n];
        struct nav_text t = {f[1], f[2], nf > 3 ? f[3] : NULL, NULL, 0, 0, 0, 0};
        t.nl = t.nav ? strlen(t.nav) : 0;
        t.al = t.acc ? strlen(t.acc) : 0;
        t.il = t.inc ? strlen(t.inc) : 0;
        const char *field = "date";
        char msg[160];
        x->mmf = mmf;
        if (nf < 3)
            line_error(errors, lineno, "", "expected date,nav,acc_nav[,income_per_10k]");
        else if (!nav_check_date(x, cal, r->now_ms, f[0], strlen(f[0]), msg, sizeof(msg)) ||
                 !nav_check_numbers(x, &t, &field, msg, sizeof(msg)))
            line_error(errors, lineno, field, msg);
        else
            u->n++;
    }
}

void api_inst_nav_upload(struct req *r)
{
    struct nav_upload *u = arena_zalloc(&r->arena, sizeof(*u));
    struct calendar *cal = arena_alloc(&r->arena, sizeof(*cal));
    char type[16];
    if (u == NULL || cal == NULL || !req_param_id_or_reply(r, 0, &u->product) ||
        !own_product_or_reply(r, u->product, type) || !calendar_or_reply(r, cal))
        return;
    const char *ct = req_header(r, "Content-Type");
    if (ct == NULL || strncasecmp(ct, "text/csv", 8) != 0) {
        req_problem(r, 415, "unsupported_media_type", NULL, "upload NAV as text/csv");
        return;
    }
    if (r->body == NULL || !utf8_valid(r->body, r->body_len)) {
        req_problem(r, 400, "bad_request", NULL, "the file is empty or not UTF-8 text");
        return;
    }
    /* Rows outgrow the request arena: heap, freed by upload_then or below. */
    u->rows = calloc(LIMIT_NAV_CSV_LINES_MAX, sizeof(struct nav_new));
    if (u->rows == NULL) {
        req_problem(r, 503, "unavailable", NULL, "out of memory; try again");
        return;
    }
    json_t *errors = json_array();
    parse_csv(r, u, strcmp(type, "money_market") == 0, cal, errors);
    qsort(u->rows, u->n, sizeof(u->rows[0]), cmp_nav);
    for (size_t i = 1; i < u->n; i++)
        if (civil_date_cmp(u->rows[i - 1].d, u->rows[i].d) == 0) {
            char msg[64];
            snprintf(msg, sizeof(msg), "%s appears more than once", u->rows[i].date);
            line_error(errors, 0, "date", msg);
        }
    if (json_array_size(errors) > 0 || u->n == 0) {
        if (u->n == 0 && json_array_size(errors) == 0)
            line_error(errors, 0, "", "the file has no NAV lines");
        req_problem_with(r, 422, "csv_invalid", json_pack("{s:o}", "errors", errors),
                         "the file has errors; nothing was published");
        free(u->rows);
        return;
    }
    json_decref(errors);
    for (size_t i = 0; i < u->n; i++) {
        u->rows[i].product = u->product;
        u->rows[i].bound_ppm = r->cfg->nav_move_bound_ppm;
        u->rows[i].actor = api_actor_of(r);
        u->rows[i].now_ms = r->now_ms;
    }
    u->inst = r->sess.institution_id;
    u->now_ms = r->now_ms;
    u->actor = api_actor_of(r);
    req_write(r, upload_write, u, upload_then);
}
