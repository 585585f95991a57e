/*
 * orders_read.c: what investors read about their orders and holdings.
 *
 * Positions come from the ledger (available and held shares per product); cost comes
 * from the FIFO lots; market value is at the latest confirmed NAV.
 */
#include "api/campaigns.h"
#include "api/fee_json.h"
#include "api/handlers.h"
#include "api/ledger_store.h"
#include "api/orders.h"
#include "api/trading.h"

#include "base/check.h"
#include "base/money.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define ORDER_COLS                                                                              \
    "o.id, o.client_order_id, o.product_id, p.code, p.name, o.side, o.amount_fen, o.shares_h, " \
    "o.status, o.fail_reason, o.trade_date, o.placed_ms, o.cancelled_ms, o.confirmed_ms, "      \
    "o.nav_e4, o.fee_fen, o.net_fen, o.gross_fen, o.confirmed_shares_h, o.cash_date, "          \
    "o.cash_paid_ms, o.institution_id, o.campaign_id, o.discount_fen"

static struct order_opt opt_of(const struct store_row *row, int col)
{
    return (struct order_opt){!store_row_is_null(row, col), store_row_int(row, col)};
}

static const char *opt_text_of(const struct store_row *row, int col)
{
    return store_row_is_null(row, col) ? NULL : store_row_text(row, col, NULL);
}

static json_t *opt_decimal(struct order_opt v, int scale)
{
    return v.set ? json_decimal(v.v, scale) : json_null();
}

static json_t *opt_int(struct order_opt v)
{
    return v.set ? json_integer(v.v) : json_null();
}

static json_t *opt_text(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

json_t *api_order_json(const struct order_view *v)
{
    bool sub = strcmp(v->side, "subscribe") == 0;
    struct civil_date t;
    int64_t deadline = civil_date_parse(v->trade_date, strlen(v->trade_date), &t) == CIVIL_OK
                           ? civil_ms_of_cst(t, 15, 0, 0)
                           : 0;
    json_t *o =
        json_pack("{s:o,s:s,s:o,s:s,s:s,s:s,s:o,s:o,s:s,s:o,s:s,s:I,s:I}", "id", json_id(v->id),
                  "client_order_id", v->client_order_id, "product_id", json_id(v->product_id),
                  "product_code", v->product_code, "product_name", v->product_name, "side", v->side,
                  "amount", sub ? json_decimal(v->amount_fen, 2) : json_null(), "shares",
                  sub ? json_null() : json_decimal(v->shares_h, 2), "status", v->status,
                  "fail_reason", opt_text(v->fail_reason), "trade_date", v->trade_date, "placed_ms",
                  (json_int_t)v->placed_ms, "cancel_deadline_ms", (json_int_t)deadline);
    json_object_set_new(o, "cancelled_ms", opt_int(v->cancelled_ms));
    json_object_set_new(o, "confirmed_ms", opt_int(v->confirmed_ms));
    json_object_set_new(o, "nav", opt_decimal(v->nav_e4, 4));
    json_object_set_new(o, "fee", opt_decimal(v->fee_fen, 2));
    json_object_set_new(o, "net", opt_decimal(v->net_fen, 2));
    json_object_set_new(o, "gross", opt_decimal(v->gross_fen, 2));
    json_object_set_new(o, "confirmed_shares", opt_decimal(v->confirmed_shares_h, 2));
    json_object_set_new(o, "cash_date", opt_text(v->cash_date));
    json_object_set_new(o, "cash_paid_ms", opt_int(v->cash_paid_ms));
    json_object_set_new(o, "institution_id", json_id(v->institution_id));
    json_object_set_new(o, "campaign_id", json_id_or_null(v->campaign_id));
    json_object_set_new(o, "discount", opt_decimal(v->discount_fen, 2));
    return o;
}

static json_t *order_json(const struct store_row *row)
{
    struct order_view v = {
        .id = store_row_int(row, 0),
        .client_order_id = store_row_text(row, 1, NULL),
        .product_id = store_row_int(row, 2),
        .product_code = store_row_text(row, 3, NULL),
        .product_name = store_row_text(row, 4, NULL),
        .side = store_row_text(row, 5, NULL),
        .amount_fen = store_row_int(row, 6),
        .shares_h = store_row_int(row, 7),
        .status = store_row_text(row, 8, NULL),
        .fail_reason = opt_text_of(row, 9),
        .trade_date = store_row_text(row, 10, NULL),
        .placed_ms = store_row_int(row, 11),
        .cancelled_ms = opt_of(row, 12),
        .confirmed_ms = opt_of(row, 13),
        .nav_e4 = opt_of(row, 14),
        .fee_fen = opt_of(row, 15),
        .net_fen = opt_of(row, 16),
        .gross_fen = opt_of(row, 17),
        .confirmed_shares_h = opt_of(row, 18),
        .cash_date = opt_text_of(row, 19),
        .cash_paid_ms = opt_of(row, 20),
        .institution_id = store_row_int(row, 21),
        .campaign_id = store_row_int(row, 22),
        .discount_fen = opt_of(row, 23),
    };
    return api_order_json(&v);
}

static int take_order(void *ctx, const struct store_row *row)
{
    *(json_t **)ctx = order_json(row);
    return 1;
}

static int collect_orders(void *arr, const struct store_row *row)
{
    json_array_append_new(arr, order_json(row));
    return 0;
}

/* What an estimate needs of a product: its fee rules and its latest confirmed NAV. */
struct est_product {
    bool found, has_nav;
    int64_t nav_e4, discount_ppm;
    char nav_date[CIVIL_DATE_CAP];
    enum fee_rounding rounding;
    struct fee_sub_schedule sub;
    struct fee_red_schedule red;
};

static int take_est_product(void *ctx, const struct store_row *row)
{
    struct est_product *p = ctx;
    p->found = fee_json_load_sub(store_row_text(row, 0, NULL), &p->sub) &&
               fee_json_load_red(store_row_text(row, 1, NULL), &p->red) &&
               fee_rounding_parse(store_row_text(row, 2, NULL), &p->rounding);
    p->discount_ppm = store_row_int(row, 3);
    p->has_nav = !store_row_is_null(row, 4);
    p->nav_e4 = store_row_int(row, 4);
    snprintf(p->nav_date, sizeof(p->nav_date), "%s", store_row_text(row, 5, NULL));
    return 1;
}

/* A product's fee rules and latest confirmed NAV, for estimates. */
static enum store_rc load_est_product(struct store_conn *c, int64_t product, struct est_product *p,
                                      struct store_err *err)
{
    struct store_val q[] = {SV_INT(product)};
    return store_query(c,
                       "SELECT p.sub_fees, p.red_fees, p.share_rounding, p.discount_ppm, n.nav_e4, "
                       "n.nav_date FROM products p LEFT JOIN navs n ON n.product_id = p.id AND "
                       "n.nav_date = (SELECT MAX(nav_date) FROM navs WHERE product_id = p.id AND "
                       "confirmed = 1) WHERE p.id = ?",
                       q, 1, take_est_product, p, err);
}

struct est_lots {
    struct fee_lot lot[64];
    size_t n;
};

static int take_est_lot(void *ctx, const struct store_row *row)
{
    struct est_lots *l = ctx;
    size_t len = 0;
    const char *d = store_row_text(row, 0, &len);
    if (civil_date_parse(d, len, &l->lot[l->n].confirmed) != CIVIL_OK)
        return 1;
    l->lot[l->n++].shares_h = store_row_int(row, 1);
    return l->n == 64;
}

static json_t *estimate_red(struct store_conn *c, const struct est_product *p, int64_t investor,
                            int64_t product, int64_t shares_h, struct civil_date t)
{
    struct est_lots l = {.n = 0};
    struct store_err err;
    struct store_val q[] = {SV_INT(investor), SV_INT(product)};
    struct fee_red_quote rq = {0};
    if (store_query(c,
                    "SELECT confirmed_date, shares_h FROM share_lots WHERE investor_id = ? AND "
                    "product_id = ? AND shares_h > 0 ORDER BY confirmed_date, id",
                    q, 2, take_est_lot, &l, &err) != STORE_OK ||
        fee_quote_redemption(&p->red, l.lot, l.n, shares_h, t, p->nav_e4, &rq) != FEE_OK)
        return NULL;
    return json_pack("{s:o,s:o,s:o}", "gross", json_decimal(rq.gross_fen, 2), "fee",
                     json_decimal(rq.fee_fen, 2), "net", json_decimal(rq.net_fen, 2));
}

/*
 * The estimate of a subscription of amount_fen, placed through `campaign` (0: none): the fee
 * and shares at the latest NAV, with the campaign's discount as confirmation would apply it now
 * (api_campaign_discount_terms and the batch's fee function): within the budget left now, which
 * other orders may have used up by the time this one is confirmed. `campaign_discount` is there
 * when the order names a fee discount, as the confirmed order's `discount` is.
 */
static json_t *estimate_sub(struct store_conn *c, const struct est_product *p, int64_t amount_fen,
                            int64_t campaign)
{
    int64_t off_ppm = 0, left_fen = 0;
    struct store_err err;
    struct fee_sub_quote sq;
    if (campaign != 0 &&
        api_campaign_discount_terms(c, campaign, &off_ppm, &left_fen, &err) != STORE_OK)
        return NULL;
    if (fee_quote_subscription_campaign(&p->sub, amount_fen, p->discount_ppm, off_ppm, left_fen,
                                        p->nav_e4, p->rounding, &sq) != FEE_OK)
        return NULL;
    json_t *est = json_pack("{s:o,s:o,s:o}", "fee", json_decimal(sq.fee_fen, 2), "net",
                            json_decimal(sq.net_fen, 2), "shares", json_decimal(sq.shares_h, 2));
    if (off_ppm > 0)
        json_object_set_new(est, "campaign_discount", json_decimal(sq.campaign_off_fen, 2));
    return est;
}

/*
 * Adds "estimate" to an accepted order: its fee and result at the latest known NAV, which
 * is what the investor can know before NAV(T) is published (未知价).
 */
static void add_estimate(struct store_conn *c, json_t *o, int64_t investor)
{
    if (strcmp(json_string_value(json_object_get(o, "status")), "accepted") != 0)
        return;
    struct est_product p = {0};
    struct store_err err;
    int64_t product = 0, amount = 0, shares = 0, campaign = 0;
    struct civil_date t;
    const char *ts = json_string_value(json_object_get(o, "trade_date"));
    const char *ks = json_string_value(json_object_get(o, "campaign_id"));
    json_t *est = NULL;
    if (sscanf(json_string_value(json_object_get(o, "product_id")), "%" SCNd64, &product) != 1 ||
        civil_date_parse(ts, strlen(ts), &t) != CIVIL_OK ||
        (ks != NULL && sscanf(ks, "%" SCNd64, &campaign) != 1))
        return;
    if (load_est_product(c, product, &p, &err) != STORE_OK || !p.found || !p.has_nav)
        return;
    json_t *a = json_object_get(o, "amount"), *sh = json_object_get(o, "shares");
    if (json_is_string(a) &&
        money_parse(json_string_value(a), json_string_length(a), 2, INT64_MAX, &amount) == MONEY_OK)
        est = estimate_sub(c, &p, amount, campaign);
    else if (json_is_string(sh) && money_parse(json_string_value(sh), json_string_length(sh), 2,
                                               INT64_MAX, &shares) == MONEY_OK)
        est = estimate_red(c, &p, investor, product, shares, t);
    if (est == NULL)
        return;
    json_object_set_new(est, "nav", json_decimal(p.nav_e4, 4));
    json_object_set_new(est, "nav_date", json_string(p.nav_date));
    json_object_set_new(o, "estimate", est);
}

json_t *api_confirm_date_json(struct req *r, struct civil_date t)
{
    struct calendar cal;
    struct store_err err;
    struct civil_date d;
    if (tcal_get(r->store, &cal, &err) != STORE_OK ||
        calendar_add_trading_days(&cal, t, 1, &d) != CALENDAR_OK)
        return json_null();
    char ds[CIVIL_DATE_CAP];
    civil_date_format(d, ds, sizeof(ds));
    return json_string(ds);
}

void api_order_add_dates(struct req *r, json_t *order)
{
    struct civil_date t;
    const char *td = json_string_value(json_object_get(order, "trade_date"));
    bool parsed = td != NULL && civil_date_parse(td, strlen(td), &t) == CIVIL_OK;
    json_object_set_new(order, "confirm_date", parsed ? api_confirm_date_json(r, t) : json_null());
}

enum store_rc api_load_order(struct store_conn *c, int64_t id, int64_t investor, json_t **out,
                             struct store_err *err)
{
    *out = NULL;
    struct store_val p[] = {SV_INT(id), SV_INT(investor), SV_INT(investor)};
    enum store_rc rc = store_query(c,
                                   "SELECT " ORDER_COLS " FROM orders o JOIN products p ON "
                                   "p.id = o.product_id WHERE o.id = ? AND (? = 0 OR "
                                   "o.investor_id = ?)",
                                   p, 3, take_order, out, err);
    return rc == STORE_OK && *out == NULL ? STORE_DONE : rc;
}

void api_inv_order_get(struct req *r)
{
    int64_t id = 0;
    if (!req_param_id_or_reply(r, 0, &id))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *o = NULL;
    struct store_err err;
    enum store_rc rc = api_load_order(c, id, r->sess.user_id, &o, &err);
    if (rc == STORE_DONE)
        req_problem(r, 404, "not_found", NULL, "no order %lld", (long long)id);
    else if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    else {
        add_estimate(c, o, r->sess.user_id);
        api_order_add_dates(r, o);
        req_reply_json(r, 200, json_pack("{s:o}", "order", o));
    }
}

static bool one_of(const char *v, const char *a, const char *b, const char *c, const char *d)
{
    return strcmp(v, a) == 0 || strcmp(v, b) == 0 || (c && strcmp(v, c) == 0) ||
           (d && strcmp(v, d) == 0);
}

void api_inv_order_list(struct req *r)
{
    const char *status = req_query(r, "status");
    const char *side = req_query(r, "side");
    int64_t limit = LIMIT_PAGE_SIZE_DEFAULT, before = INT64_MAX, before_id = INT64_MAX;
    if ((status && !one_of(status, "accepted", "cancelled", "confirmed", "failed")) ||
        (side && !one_of(side, "subscribe", "redeem", NULL, NULL))) {
        req_problem(r, 400, "bad_request", NULL,
                    "status must be accepted, cancelled, confirmed or failed; side must be "
                    "subscribe or redeem");
        return;
    }
    if (!req_query_int_or_reply(r, "limit", 1, LIMIT_PAGE_SIZE_MAX, &limit) ||
        !req_query_int_or_reply(r, "before_ms", 1, INT64_MAX, &before) ||
        !req_query_int_or_reply(r, "before_id", 1, INT64_MAX, &before_id))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *items = json_array();
    struct store_err err;
    struct store_val st = status ? SV_TEXT(status) : SV_NULL_;
    struct store_val sd = side ? SV_TEXT(side) : SV_NULL_;
    /* The cursor is (placed_ms, id): orders placed in the same millisecond are not lost
     * between pages. */
    struct store_val p[] = {SV_INT(r->sess.user_id),
                            SV_INT(before),
                            SV_INT(before),
                            SV_INT(before_id),
                            st,
                            st,
                            sd,
                            sd,
                            SV_INT(limit)};
    enum store_rc rc = store_query(c,
                                   "SELECT " ORDER_COLS " FROM orders o JOIN products p ON "
                                   "p.id = o.product_id WHERE o.investor_id = ? AND "
                                   "(o.placed_ms < ? OR (o.placed_ms = ? AND o.id < ?)) AND "
                                   "(? IS NULL OR o.status = ?) AND (? IS NULL OR o.side = ?) "
                                   "ORDER BY o.placed_ms DESC, o.id DESC LIMIT ?",
                                   p, 9, collect_orders, items, &err);
    if (rc != STORE_OK) {
        json_decref(items);
        req_store_problem(r, rc, &err);
        return;
    }
    size_t n = json_array_size(items);
    for (size_t i = 0; i < n; i++) {
        add_estimate(c, json_array_get(items, i), r->sess.user_id);
        api_order_add_dates(r, json_array_get(items, i));
    }
    json_t *last = n == (size_t)limit ? json_array_get(items, n - 1) : NULL;
    req_reply_json(r, 200,
                   json_pack("{s:o,s:O,s:O}", "items", items, "next_before_ms",
                             last ? json_object_get(last, "placed_ms") : json_null(),
                             "next_before_id", last ? json_object_get(last, "id") : json_null()));
}

/* ---- holdings ---- */

struct holding_ctx {
    json_t *items;
    int64_t mv_total, cost_total, daily_total;
    bool daily_known;
};

static int64_t value_fen(int64_t shares_h, int64_t nav_e4)
{
    /* shares_h/100 × nav_e4/10000 CNY = shares_h × nav_e4 / 10^6 CNY = / 10^4 fen. */
    int64_t v = 0;
    if (money_mul_div(shares_h, nav_e4, 10000, MONEY_ROUND_HALF_UP, &v) != MONEY_OK)
        return 0;
    return v;
}

static json_t *opt_row_decimal(const struct store_row *row, int col, int scale)
{
    return store_row_is_null(row, col) ? json_null() : json_decimal(store_row_int(row, col), scale);
}

/*
 * One holding. Its daily gain is what the latest day changed: for a fund priced by NAV, the
 * shares at the latest NAV less at the one before; for a money-market fund (NAV 1.0000 every
 * day), the income credited as shares for its latest income date (a new lot, at that NAV;
 * a negative day's income is recorded but takes no shares, so it counts as nothing).
 */
static int collect_holding(void *ctx, const struct store_row *row)
{
    struct holding_ctx *h = ctx;
    int64_t shares = store_row_int(row, 3), cost = store_row_int(row, 4);
    int64_t held = store_row_int(row, 5);
    bool has_nav = !store_row_is_null(row, 6), has_prev = !store_row_is_null(row, 8);
    int64_t nav = store_row_int(row, 6), prev = store_row_int(row, 8);
    const char *type = store_row_text(row, 9, NULL);
    bool mmf = strcmp(type, "money_market") == 0;
    int64_t mv = has_nav ? value_fen(shares, nav) : 0;
    bool has_daily = mmf ? has_nav && !store_row_is_null(row, 12) : has_nav && has_prev;
    int64_t daily = !has_daily ? 0
                    : mmf      ? value_fen(store_row_int(row, 12), nav)
                               : mv - value_fen(shares, prev);
    json_t *o =
        json_pack("{s:o,s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "product_id", json_id(store_row_int(row, 0)),
                  "product_code", store_row_text(row, 1, NULL), "product_name",
                  store_row_text(row, 2, NULL), "type", type, "shares", json_decimal(shares, 2),
                  "available_shares", json_decimal(shares - held, 2), "held_shares",
                  json_decimal(held, 2), "cost", json_decimal(cost, 2));
    json_object_set_new(o, "nav", has_nav ? json_decimal(nav, 4) : json_null());
    json_object_set_new(o, "nav_date",
                        has_nav ? json_string(store_row_text(row, 7, NULL)) : json_null());
    json_object_set_new(o, "market_value", has_nav ? json_decimal(mv, 2) : json_null());
    json_object_set_new(o, "gain", has_nav ? json_decimal(mv - cost, 2) : json_null());
    json_object_set_new(o, "daily_gain", has_daily ? json_decimal(daily, 2) : json_null());
    if (mmf) {
        json_object_set_new(o, "income_per_10k", opt_row_decimal(row, 10, 4));
        json_object_set_new(o, "yield_7d", opt_row_decimal(row, 11, 3));
        json_object_set_new(
            o, "income_date",
            store_row_is_null(row, 13) ? json_null() : json_string(store_row_text(row, 13, NULL)));
    }
    json_array_append_new(h->items, o);
    h->mv_total += mv;
    h->cost_total += cost;
    h->daily_total += daily;
    h->daily_known = h->daily_known || has_daily;
    return 0;
}

void api_inv_holdings(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct holding_ctx h = {.items = json_array()};
    struct store_err err;
    struct store_val p[] = {SV_INT(r->sess.user_id), SV_INT(r->sess.user_id),
                            SV_INT(r->sess.user_id)};
    /* k: the investor's latest money-market income credit of the product (a row keyed by
     * investor, product and date: one index step). */
    enum store_rc rc = store_query(
        c,
        "SELECT q.product_id, p.code, p.name, q.shares, q.cost, COALESCE((SELECT a.balance FROM "
        "ledger_accounts a WHERE a.asset = 'P:' || p.id AND a.kind = 'held' AND a.owner_id = ?), "
        "0), n.nav_e4, n.nav_date, (SELECT m.nav_e4 FROM navs m WHERE m.product_id = p.id AND "
        "m.confirmed = 1 AND m.nav_date < n.nav_date ORDER BY m.nav_date DESC LIMIT 1), p.type, "
        "n.income_per_10k_e4, n.yield_7d_e5, MAX(k.shares_h, 0), k.income_date "
        "FROM (SELECT product_id, SUM(shares_h) AS shares, SUM(cost_fen) AS cost FROM share_lots "
        "WHERE investor_id = ? GROUP BY product_id HAVING SUM(shares_h) > 0) q "
        "JOIN products p ON p.id = q.product_id LEFT JOIN navs n ON n.product_id = p.id AND "
        "n.nav_date = (SELECT MAX(nav_date) FROM navs WHERE product_id = p.id AND confirmed = 1) "
        "LEFT JOIN mmf_income_credits k ON k.investor_id = ? AND k.product_id = p.id AND "
        "k.income_date = (SELECT MAX(income_date) FROM mmf_income_credits WHERE investor_id = "
        "k.investor_id AND product_id = p.id) "
        "ORDER BY p.code",
        p, 3, collect_holding, &h, &err);
    if (rc != STORE_OK) {
        json_decref(h.items);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:o,s:o,s:o,s:o,s:o}", "items", h.items, "market_value",
                             json_decimal(h.mv_total, 2), "cost", json_decimal(h.cost_total, 2),
                             "gain", json_decimal(h.mv_total - h.cost_total, 2), "daily_gain",
                             h.daily_known ? json_decimal(h.daily_total, 2) : json_null()));
}

/* ---- money-market income, day by day (收益明细) ---- */

struct income_ctx {
    json_t *items;
    int64_t shares, amount;
};

static int collect_income(void *ctx, const struct store_row *row)
{
    struct income_ctx *x = ctx;
    int64_t shares = store_row_int(row, 3), amount = value_fen(shares, store_row_int(row, 4));
    json_array_append_new(
        x->items, json_pack("{s:s,s:o,s:o,s:o,s:o}", "date", store_row_text(row, 0, NULL),
                            "base_shares", json_decimal(store_row_int(row, 1), 2), "income_per_10k",
                            json_decimal(store_row_int(row, 2), 4), "shares",
                            json_decimal(shares, 2), "amount", json_decimal(amount, 2)));
    x->shares += shares;
    x->amount += amount;
    return 0;
}

/* from and to (UTC+8 dates, both included) from the query, by default the 30 days to today;
 * answers 400 itself. */
static bool income_range_or_reply(struct req *r, struct civil_date *a, struct civil_date *b)
{
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    *b = civil_date_of_ms_cst(r->now_ms);
    bool ok = to == NULL || civil_date_parse(to, strlen(to), b) == CIVIL_OK;
    *a = civil_date_add_days(*b, -(LIMIT_INCOME_DAYS_DEFAULT - 1));
    ok = ok && (from == NULL || civil_date_parse(from, strlen(from), a) == CIVIL_OK);
    if (!ok || civil_date_cmp(*a, *b) > 0 ||
        civil_days_between(*a, *b) >= LIMIT_STATEMENT_DAYS_MAX) {
        req_problem(r, 400, "bad_request", NULL,
                    "from and to are dates YYYY-MM-DD, from <= to, at most %d days",
                    LIMIT_STATEMENT_DAYS_MAX);
        return false;
    }
    return true;
}

void api_inv_holding_income(struct req *r)
{
    int64_t product = 0;
    struct civil_date a, b;
    if (!req_param_id_or_reply(r, 0, &product) || !income_range_or_reply(r, &a, &b))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct store_err err;
    struct store_val q[] = {SV_INT(product)};
    int64_t mmf = 0;
    enum store_rc rc = store_query_int(c, "SELECT type = 'money_market' FROM products WHERE id = ?",
                                       q, 1, &mmf, &err);
    if (rc == STORE_DONE || (rc == STORE_OK && !mmf)) {
        req_problem(r, 404, "not_found", NULL,
                    "no money-market fund %lld (a fund priced by NAV has its income in its NAV)",
                    (long long)product);
        return;
    }
    char fs[CIVIL_DATE_CAP], ts[CIVIL_DATE_CAP];
    civil_date_format(a, fs, sizeof(fs));
    civil_date_format(b, ts, sizeof(ts));
    struct income_ctx x = {.items = json_array()};
    struct store_val p[] = {SV_INT(r->sess.user_id), SV_INT(product), SV_TEXT(fs), SV_TEXT(ts)};
    if (rc == STORE_OK)
        rc = store_query(
            c,
            "SELECT k.income_date, k.base_shares_h, k.income_per_10k_e4, MAX(k.shares_h, 0), "
            "COALESCE(n.nav_e4, 10000) FROM mmf_income_credits k LEFT JOIN navs n ON "
            "n.product_id = k.product_id AND n.nav_date = k.income_date AND "
            "n.confirmed = 1 WHERE k.investor_id = ? AND k.product_id = ? AND "
            "k.income_date BETWEEN ? AND ? ORDER BY k.income_date DESC",
            p, 4, collect_income, &x, &err);
    if (rc != STORE_OK) {
        json_decref(x.items);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:o,s:s,s:s,s:o,s:o,s:o}", "product_id", json_id(product), "from",
                             fs, "to", ts, "items", x.items, "shares", json_decimal(x.shares, 2),
                             "amount", json_decimal(x.amount, 2)));
}

/* ---- what a redemption would cost, before placing it ---- */

static json_t *quote_lines(const struct est_lots *l, const struct fee_red_quote *rq)
{
    json_t *lines = json_array();
    for (size_t i = 0; i < rq->n_lines; i++) {
        const struct fee_red_line *k = &rq->lines[i];
        char d[CIVIL_DATE_CAP];
        civil_date_format(l->lot[k->lot].confirmed, d, sizeof(d));
        json_array_append_new(
            lines, json_pack("{s:s,s:o,s:I,s:o,s:o,s:o}", "confirmed_date", d, "shares",
                             json_decimal(k->shares_h, 2), "days_held", (json_int_t)k->days, "rate",
                             json_decimal(k->rate_ppm, 6), "gross", json_decimal(k->gross_fen, 2),
                             "fee", json_decimal(k->fee_fen, 2)));
    }
    return lines;
}

/*
 * GET /api/v1/investor/redemption-quote?product_id=&shares=: the fee of redeeming `shares`
 * now, lot by lot, oldest first, at the latest confirmed NAV with today's trade date: the
 * same arithmetic as confirmation, before the order exists (未知价: the real price is NAV(T)).
 * Shares already held by redemptions waiting for confirmation are not set aside.
 */
void api_inv_redemption_quote(struct req *r)
{
    const char *ps = req_query(r, "product_id"), *ss = req_query(r, "shares");
    int64_t product = 0, shares = 0;
    if (ps == NULL || !api_id_parse(ps, &product)) {
        req_problem(r, 400, "bad_request", "product_id", "give product_id, a product's id");
        return;
    }
    if (ss == NULL || money_parse(ss, strlen(ss), 2, LIMIT_SHARES_H_MAX, &shares) != MONEY_OK ||
        shares <= 0) {
        req_problem(r, 400, "bad_request", "shares",
                    "give shares, a positive number with at most 2 decimals");
        return;
    }
    struct calendar cal;
    struct civil_date t;
    struct store_err err;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    enum store_rc rc = tcal_get(r->store, &cal, &err);
    if (rc != STORE_OK || calendar_trade_date(&cal, r->now_ms, &t) != CALENDAR_OK) {
        req_problem(r, 503, "calendar_unavailable", NULL,
                    "the trading calendar does not cover today; try later");
        return;
    }
    struct est_product p = {0};
    rc = load_est_product(c, product, &p, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return;
    }
    if (!p.found || !p.has_nav) {
        req_problem(r, 404, "not_found", "product_id", "no product %lld with a published NAV",
                    (long long)product);
        return;
    }
    static _Thread_local struct est_lots l;
    static _Thread_local struct fee_red_line lines[64];
    memset(&l, 0, sizeof(l));
    struct store_val q[] = {SV_INT(r->sess.user_id), SV_INT(product)};
    rc = store_query(c,
                     "SELECT confirmed_date, shares_h FROM share_lots WHERE investor_id = ? AND "
                     "product_id = ? AND shares_h > 0 ORDER BY confirmed_date, id",
                     q, 2, take_est_lot, &l, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return;
    }
    struct fee_red_quote rq = {.lines = lines, .lines_cap = ARRAY_LEN(lines)};
    enum fee_rc fr = fee_quote_redemption(&p.red, l.lot, l.n, shares, t, p.nav_e4, &rq);
    if (fr != FEE_OK) {
        req_problem(r, 409, "insufficient_funds", "shares", "these shares cannot be redeemed: %s",
                    fee_rc_str(fr));
        return;
    }
    char td[CIVIL_DATE_CAP];
    civil_date_format(t, td, sizeof(td));
    req_reply_json(r, 200,
                   json_pack("{s:s,s:o,s:s,s:o,s:o,s:o,s:o,s:o}", "trade_date", td, "nav",
                             json_decimal(p.nav_e4, 4), "nav_date", p.nav_date, "shares",
                             json_decimal(shares, 2), "gross", json_decimal(rq.gross_fen, 2), "fee",
                             json_decimal(rq.fee_fen, 2), "net", json_decimal(rq.net_fen, 2),
                             "lines", quote_lines(&l, &rq)));
}
