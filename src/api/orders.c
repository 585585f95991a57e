/*
 * orders.c: placing and cancelling orders (investors).
 *
 * Subscriptions are by amount, redemptions by shares (未知价). Placing an order holds the
 * cash or the shares in the ledger; cancelling before the 15:00 cutoff of its trade date
 * releases them. The client order id makes placing idempotent: a repeat returns the first
 * order, never a second one. Suitability is checked on every subscription (core/
 * suitability.c); a mismatch needs the investor's explicit confirmation of the specific
 * warning, which is stored as evidence with the order. A subscription may name the campaign
 * it was placed through (campaigns.c decides whether it may); the campaign's discount is
 * applied at confirmation.
 */
#include "api/campaigns.h"
#include "api/handlers.h"
#include "api/ledger_store.h"
#include "api/orders.h"
#include "api/trading.h"

#include "base/check.h"
#include "base/crypto.h"
#include "base/money.h"
#include "core/questionnaire.h"
#include "core/suitability.h"

#include <stdio.h>
#include <string.h>

struct product_row {
    bool found;
    int64_t institution, min_fen, limit_fen;
    int risk;
    char status[24];
    char inst_status[16];
    const char *code, *name; /* on the request's arena (NULL: out of memory) */
    struct arena *arena;
};

struct place {
    int64_t id, investor, product, institution, amount_fen, shares_h, now_ms, daily_limit_fen;
    int64_t campaign; /* 0: placed through no campaign */
    bool subscribe;
    struct civil_date trade_date;
    char trade_date_s[CIVIL_DATE_CAP];
    const char *client_id;
    /* Suitability evidence, when a warning was confirmed. */
    bool evidence;
    int category, risk;
    char warning[SUIT_WARNING_CAP];
    bool existing; /* OUT: the client order id was already used */
    struct product_row p;
};

static enum store_rc find_existing(struct store_conn *c, struct place *x, struct store_err *err)
{
    int64_t id = 0;
    struct store_val p[] = {SV_INT(x->investor), SV_TEXT(x->client_id)};
    enum store_rc rc = store_query_int(
        c, "SELECT id FROM orders WHERE investor_id = ? AND client_order_id = ?", p, 2, &id, err);
    if (rc == STORE_OK) {
        x->existing = true;
        x->id = id;
    }
    return rc;
}

/* Adds the order to the investor's subscriptions of the product on its trade date (one
 * counter row, not a sum over the day's orders) and refuses it over the daily limit. */
static enum store_rc check_daily_limit(struct store_conn *c, struct place *x, struct store_err *err)
{
    int64_t used = 0;
    struct store_val p[] = {SV_INT(x->investor), SV_INT(x->product), SV_TEXT(x->trade_date_s),
                            SV_INT(x->amount_fen)};
    enum store_rc rc = store_query_int(c,
                                       "INSERT INTO order_daily_usage (investor_id, product_id, "
                                       "trade_date, amount_fen) VALUES (?, ?, ?, ?) ON CONFLICT "
                                       "DO UPDATE SET amount_fen = amount_fen + "
                                       "excluded.amount_fen RETURNING amount_fen",
                                       p, 4, &used, err);
    if (rc != STORE_OK)
        return rc == STORE_DONE ? STORE_ERROR : rc;
    if (used > x->daily_limit_fen)
        return api_abort(err, API_ABORT_LIMIT,
                         "this order would take your subscriptions of this product on %s over "
                         "the daily limit",
                         x->trade_date_s);
    return STORE_OK;
}

enum store_rc api_order_daily_release(struct store_conn *c, int64_t investor, int64_t product,
                                      const char *trade_date, int64_t amount_fen,
                                      struct store_err *err)
{
    struct store_val p[] = {SV_INT(amount_fen), SV_INT(investor), SV_INT(product),
                            SV_TEXT(trade_date)};
    return store_exec(c,
                      "UPDATE order_daily_usage SET amount_fen = amount_fen - ? WHERE "
                      "investor_id = ? AND product_id = ? AND trade_date = ?",
                      p, 4, NULL, err);
}

static enum store_rc insert_evidence(struct store_conn *c, struct place *x, int64_t *id,
                                     struct store_err *err)
{
    *id = crypto_ordered_id();
    struct store_val p[] = {SV_INT(*id),         SV_INT(x->investor), SV_INT(x->product),
                            SV_INT(x->category), SV_INT(x->risk),     SV_TEXT(suit_warning_version),
                            SV_TEXT(x->warning), SV_INT(x->now_ms)};
    return store_exec(c,
                      "INSERT INTO suitability_confirmations (id, investor_id, product_id, "
                      "category, risk_level, warning_version, warning_text, confirmed_ms) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      p, 8, NULL, err);
}

/* Inserts the order unless its client order id was used: STORE_DONE then, and x->id is the
 * first order's. Evidence is written (and the order made to point at it) only for a new
 * order, so a repeat leaves nothing behind. */
static enum store_rc insert_order(struct store_conn *c, struct place *x, struct store_err *err)
{
    x->id = crypto_ordered_id();
    struct store_val p[] = {
        SV_INT(x->id),
        SV_INT(x->investor),
        SV_TEXT(x->client_id),
        SV_INT(x->product),
        SV_INT(x->institution),
        SV_TEXT(x->subscribe ? "subscribe" : "redeem"),
        SV_INT(x->amount_fen),
        SV_INT(x->shares_h),
        SV_TEXT(x->trade_date_s),
        SV_INT(x->now_ms),
        SV_INT_OR_NULL(x->campaign),
    };
    int64_t id = 0;
    enum store_rc rc = store_query_int(c,
                                       "INSERT INTO orders (id, investor_id, client_order_id, "
                                       "product_id, institution_id, side, amount_fen, shares_h, "
                                       "status, trade_date, placed_ms, campaign_id) VALUES (?, ?, "
                                       "?, ?, ?, ?, ?, ?, 'accepted', ?, ?, ?) ON CONFLICT "
                                       "(investor_id, client_order_id) DO NOTHING RETURNING id",
                                       p, 11, &id, err);
    if (rc == STORE_DONE) {
        rc = find_existing(c, x, err);
        return rc == STORE_OK ? STORE_DONE : rc == STORE_DONE ? STORE_ERROR : rc;
    }
    if (rc != STORE_OK || !x->evidence)
        return rc;
    int64_t evidence = 0;
    rc = insert_evidence(c, x, &evidence, err);
    struct store_val u[] = {SV_INT(evidence), SV_INT(x->id)};
    if (rc == STORE_OK)
        rc = store_exec(c, "UPDATE orders SET suitability_confirmation_id = ? WHERE id = ?", u, 2,
                        NULL, err);
    return rc;
}

/* Runs on the writer: everything here is serial, so it does only what must be inside the
 * transaction. The answer is read back afterwards, on the request's thread (place_then). */
static enum store_rc place_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct place *x = ctx;
    enum store_rc rc = insert_order(c, x, err);
    if (rc == STORE_DONE)
        return STORE_OK; /* a repeat: x->existing */
    if (rc == STORE_OK && x->subscribe)
        rc = check_daily_limit(c, x, err);
    /* The attribution was checked on the reader; a stop may have been written since. */
    if (rc == STORE_OK && x->campaign != 0)
        rc = api_campaign_not_stopped(c, x->campaign, err);
    if (rc != STORE_OK)
        return rc;
    struct ledger_txn t;
    enum ledger_rc lr = x->subscribe
                            ? ledger_sub_hold(&t, x->investor, x->id, x->amount_fen)
                            : ledger_red_hold(&t, x->investor, x->product, x->id, x->shares_h);
    ASSERT(lr == LEDGER_OK);
    rc = ledger_apply(c, &t, x->now_ms, err);
    if (rc == STORE_CONSTRAINT)
        return api_abort(err, API_ABORT_INSUFFICIENT,
                         x->subscribe ? "the amount exceeds your available cash"
                                      : "you do not have that many available shares");
    return rc;
}

static enum store_rc place_direct(struct store_conn *c, struct place *x, const char *trade_date,
                                  int64_t *id, bool *existing, struct store_err *err)
{
    snprintf(x->trade_date_s, sizeof(x->trade_date_s), "%s", trade_date);
    enum store_rc rc = place_write(c, x, err);
    *id = x->id;
    *existing = x->existing;
    return rc;
}

enum store_rc api_order_place_subscription(struct store_conn *c, const struct order_subscription *o,
                                           int64_t *id, bool *existing, struct store_err *err)
{
    struct place x = {
        .investor = o->investor,
        .product = o->product,
        .institution = o->institution,
        .amount_fen = o->amount_fen,
        .daily_limit_fen = o->daily_limit_fen,
        .now_ms = o->now_ms,
        .subscribe = true,
        .client_id = o->client_id,
    };
    return place_direct(c, &x, o->trade_date, id, existing, err);
}

enum store_rc api_order_place_redemption(struct store_conn *c, const struct order_redemption *o,
                                         int64_t *id, bool *existing, struct store_err *err)
{
    struct place x = {
        .investor = o->investor,
        .product = o->product,
        .institution = o->institution,
        .shares_h = o->shares_h,
        .now_ms = o->now_ms,
        .subscribe = false,
        .client_id = o->client_id,
    };
    return place_direct(c, &x, o->trade_date, id, existing, err);
}

/* Answers with the order x names, read on this thread after its write committed: the first
 * order of its client order id, as it is now. */
static void reply_order(struct req *r, const struct place *x)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *out = NULL;
    struct store_err e;
    enum store_rc rc = api_load_order(c, x->id, x->investor, &out, &e);
    if (rc != STORE_OK) {
        req_store_problem(r, rc == STORE_DONE ? STORE_ERROR : rc, &e);
        return;
    }
    api_order_add_dates(r, out);
    req_reply_json(r, x->existing ? 200 : 201,
                   json_pack("{s:o,s:b}", "order", out, "repeat", x->existing));
}

/* Answers 201 with the order just placed: what the write inserted, without reading it back
 * (nothing but a cancel can have changed it since, and a cancel needs this answer's id). */
static void reply_placed(struct req *r, const struct place *x)
{
    struct order_view v = {
        .id = x->id,
        .client_order_id = x->client_id,
        .product_id = x->product,
        .product_code = x->p.code,
        .product_name = x->p.name,
        .side = x->subscribe ? "subscribe" : "redeem",
        .amount_fen = x->amount_fen,
        .shares_h = x->shares_h,
        .status = "accepted",
        .trade_date = x->trade_date_s,
        .placed_ms = x->now_ms,
        .institution_id = x->institution,
        .campaign_id = x->campaign,
    };
    json_t *out = api_order_json(&v);
    api_order_add_dates(r, out);
    req_reply_json(r, 201, json_pack("{s:o,s:b}", "order", out, "repeat", false));
}

static void place_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    const struct place *x = r->write.ctx;
    if (rc != STORE_OK)
        api_write_failed(r, rc, err, "conflict");
    else if (x->existing || x->p.code == NULL || x->p.name == NULL)
        reply_order(r, x);
    else
        reply_placed(r, x);
}

static int take_product_row(void *ctx, const struct store_row *row)
{
    struct product_row *p = ctx;
    p->found = true;
    p->institution = store_row_int(row, 0);
    snprintf(p->status, sizeof(p->status), "%s", store_row_text(row, 1, NULL));
    p->risk = (int)store_row_int(row, 2);
    p->min_fen = store_row_int(row, 3);
    p->limit_fen = store_row_int(row, 4);
    snprintf(p->inst_status, sizeof(p->inst_status), "%s", store_row_text(row, 5, NULL));
    size_t code_len = 0, name_len = 0;
    const char *code = store_row_text(row, 6, &code_len), *name = store_row_text(row, 7, &name_len);
    p->code = arena_strndup(p->arena, code, code_len);
    p->name = arena_strndup(p->arena, name, name_len);
    return 1;
}

struct investor_row {
    bool assessed, professional, lowest;
    int category;
    int64_t taken_ms;
};

static int take_assessment(void *ctx, const struct store_row *row)
{
    struct investor_row *v = ctx;
    v->assessed = true;
    v->category = (int)store_row_int(row, 0);
    v->lowest = store_row_int(row, 1) != 0;
    v->taken_ms = store_row_int(row, 2);
    return 1;
}

static enum store_rc load_investor(struct store_conn *c, int64_t investor, struct investor_row *v,
                                   struct store_err *err)
{
    struct store_val p[] = {SV_INT(investor)};
    enum store_rc rc = store_query(c,
                                   "SELECT category, lowest, taken_ms FROM risk_assessments "
                                   "WHERE investor_id = ? ORDER BY taken_ms DESC LIMIT 1",
                                   p, 1, take_assessment, v, err);
    int64_t one = 0;
    if (rc == STORE_OK)
        rc = store_query_int(c,
                             "SELECT 1 FROM professional_applications WHERE investor_id = ? AND "
                             "status = 'approved'",
                             p, 1, &one, err);
    v->professional = rc == STORE_OK;
    return rc == STORE_DONE ? STORE_OK : rc;
}

/* Suitability for a subscription: fills evidence in x, or answers 403/409 itself. */
static bool suitable_or_reply(struct req *r, struct place *x, const struct investor_row *v,
                              int risk, bool confirmed, const char *version)
{
    struct suit_investor inv = {v->category, v->lowest, v->professional,
                                v->assessed && quest_is_valid(v->taken_ms, r->now_ms)};
    struct suit_result res;
    enum suit_decision d = suit_check(inv, risk, &res);
    if (d == SUIT_REFUSED) {
        req_problem(r, 403, "suitability_refused", NULL,
                    "this product (%s) cannot be sold to you: %s", suit_risk_code(risk),
                    res.message);
        return false;
    }
    if (d == SUIT_MATCH)
        return true;
    x->evidence = true;
    x->category = v->category;
    x->risk = risk;
    suit_warning_text(v->category, risk, x->warning, sizeof(x->warning));
    if (confirmed && version != NULL && strcmp(version, suit_warning_version) == 0)
        return true;
    json_t *extra = json_pack("{s:s,s:s,s:s,s:s}", "warning_text", x->warning, "warning_version",
                              suit_warning_version, "category", suit_category_code(v->category),
                              "risk_level", suit_risk_code(risk));
    req_problem_with(r, 409, "risk_warning_required", extra,
                     "this product (%s) is above your risk tolerance (%s): read the warning and "
                     "confirm it to go on",
                     suit_risk_code(risk), suit_category_code(v->category));
    return false;
}

struct place_fields {
    const char *client_id, *product, *side, *amount, *shares, *version, *campaign;
    size_t client_len, product_len, amount_len, shares_len;
    bool confirmed;
};

static bool client_id_ok_or_reply(struct req *r, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':')) {
            req_problem(r, 422, "invalid_field", "client_order_id",
                        "field 'client_order_id' may hold only letters, digits and - _ . :");
            return false;
        }
    }
    return true;
}

static bool take_place_fields(struct req *r, struct place_fields *v)
{
    json_t *j = req_json_or_reply(r);
    struct field f[] = {
        FIELD_STR("client_order_id", true, 1, 64, &v->client_id, &v->client_len),
        FIELD_STR("product_id", true, 1, 20, &v->product, &v->product_len),
        FIELD_STR("side", true, 1, 16, &v->side, NULL),
        FIELD_STR("amount", false, 1, 32, &v->amount, &v->amount_len),
        FIELD_STR("shares", false, 1, 32, &v->shares, &v->shares_len),
        FIELD_BOOL("confirm_risk_warning", false, &v->confirmed),
        FIELD_STR("risk_warning_version", false, 1, 64, &v->version, NULL),
        FIELD_STR("campaign_id", false, 1, 20, &v->campaign, NULL),
    };
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)) ||
        !client_id_ok_or_reply(r, v->client_id, v->client_len))
        return false;
    if (strcmp(v->side, "subscribe") != 0 && strcmp(v->side, "redeem") != 0) {
        req_problem(r, 422, "invalid_field", "side", "field 'side' must be subscribe or redeem");
        return false;
    }
    bool sub = v->side[0] == 's';
    if (sub ? v->amount == NULL : v->shares == NULL) {
        req_problem(r, 422, "missing_field", sub ? "amount" : "shares", "a %s needs '%s'", v->side,
                    sub ? "amount" : "shares");
        return false;
    }
    if (sub ? v->shares != NULL : v->amount != NULL) {
        req_problem(r, 422, "invalid_field", sub ? "shares" : "amount",
                    "a subscription is by amount and a redemption by shares, not both");
        return false;
    }
    if (!sub && v->campaign != NULL) {
        req_problem(r, 422, "invalid_field", "campaign_id",
                    "campaigns apply to subscriptions; a redemption names none");
        return false;
    }
    return true;
}

static bool product_or_reply(struct req *r, struct store_conn *c, int64_t id, struct product_row *p)
{
    struct store_err err;
    struct store_val q[] = {SV_INT(id)};
    enum store_rc rc =
        store_query(c,
                    "SELECT p.institution_id, p.status, p.risk_level, "
                    "p.min_purchase_fen, p.daily_limit_fen, i.status, p.code, p.name FROM products "
                    "p JOIN institutions i ON i.id = p.institution_id WHERE p.id = ?",
                    q, 1, take_product_row, p, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return false;
    }
    if (!p->found || !inst_status_public(inst_status_parse(p->inst_status))) {
        req_problem(r, 404, "not_found", "product_id", "no product %lld on sale", (long long)id);
        return false;
    }
    return true;
}

/* Status and amount rules of the product for this side; answers 409/422 itself. */
static bool product_allows_or_reply(struct req *r, const struct product_row *p, struct place *x)
{
    const char *blocked = x->subscribe ? "subscriptions_paused" : "redemptions_paused";
    if (strcmp(p->status, "closed") == 0 || strcmp(p->status, blocked) == 0) {
        req_problem(r, 409, "product_unavailable", "product_id",
                    "%s is not possible now: the product is %s",
                    x->subscribe ? "subscribing" : "redeeming", p->status);
        return false;
    }
    if (x->subscribe && x->amount_fen < p->min_fen) {
        char min[32];
        money_format(p->min_fen, 2, min, sizeof(min));
        req_problem(r, 422, "invalid_field", "amount", "the minimum purchase is %s CNY", min);
        return false;
    }
    if (x->subscribe && x->amount_fen > p->limit_fen) {
        req_problem(r, 422, "limit_exceeded", "amount", "the amount exceeds the daily limit");
        return false;
    }
    return true;
}

static bool trade_date_or_reply(struct req *r, struct place *x)
{
    struct calendar cal;
    struct store_err err;
    enum store_rc rc = tcal_get(r->store, &cal, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return false;
    }
    enum calendar_rc cr = calendar_trade_date(&cal, r->now_ms, &x->trade_date);
    if (cr != CALENDAR_OK) {
        req_problem(r, 503, "calendar_unavailable", NULL,
                    "the trading calendar does not cover this date yet (%s); try later",
                    calendar_rc_str(cr));
        return false;
    }
    civil_date_format(x->trade_date, x->trade_date_s, sizeof(x->trade_date_s));
    return true;
}

void api_inv_order_place(struct req *r)
{
    struct place_fields v = {0};
    struct place *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !take_place_fields(r, &v))
        return;
    x->subscribe = v.side[0] == 's';
    x->investor = r->sess.user_id;
    x->client_id = v.client_id;
    x->now_ms = r->now_ms;
    if (!api_id_or_reply(r, "product_id", v.product, &x->product) ||
        (v.campaign != NULL && !api_id_or_reply(r, "campaign_id", v.campaign, &x->campaign)) ||
        (x->subscribe && !req_decimal_or_reply(r, "amount", v.amount, v.amount_len, 2, 1,
                                               LIMIT_AMOUNT_FEN_MAX, &x->amount_fen)) ||
        (!x->subscribe && !req_decimal_or_reply(r, "shares", v.shares, v.shares_len, 2, 1,
                                                LIMIT_SHARES_H_MAX, &x->shares_h)))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    struct product_row *p = &x->p;
    p->arena = &r->arena;
    struct investor_row inv = {0};
    struct store_err err;
    if (c == NULL)
        return;
    /* A repeat returns the first order whatever has changed since (idempotency). */
    enum store_rc rc = find_existing(c, x, &err);
    if (rc == STORE_OK) {
        reply_order(r, x);
        return;
    }
    if (rc != STORE_DONE) {
        req_store_problem(r, rc, &err);
        return;
    }
    if (!product_or_reply(r, c, x->product, p) || !product_allows_or_reply(r, p, x))
        return;
    x->institution = p->institution;
    x->daily_limit_fen = p->limit_fen;
    if (x->subscribe) {
        rc = load_investor(c, x->investor, &inv, &err);
        if (rc != STORE_OK) {
            req_store_problem(r, rc, &err);
            return;
        }
        if (!suitable_or_reply(r, x, &inv, p->risk, v.confirmed, v.version))
            return;
    }
    if (x->campaign != 0 && !api_campaign_attribution_or_reply(r, c, x->campaign, x->investor,
                                                               x->product, x->institution))
        return;
    if (trade_date_or_reply(r, x))
        req_write(r, place_write, x, place_then);
}

/* ---- cancel ---- */

struct cancel {
    int64_t id, investor, now_ms;
    json_t *out;
};

struct order_state {
    bool found;
    char status[16], side[16], trade_date[CIVIL_DATE_CAP];
    int64_t product, amount_fen, shares_h;
};

static int take_state(void *ctx, const struct store_row *row)
{
    struct order_state *s = ctx;
    s->found = true;
    snprintf(s->status, sizeof(s->status), "%s", store_row_text(row, 0, NULL));
    snprintf(s->side, sizeof(s->side), "%s", store_row_text(row, 1, NULL));
    snprintf(s->trade_date, sizeof(s->trade_date), "%s", store_row_text(row, 2, NULL));
    s->product = store_row_int(row, 3);
    s->amount_fen = store_row_int(row, 4);
    s->shares_h = store_row_int(row, 5);
    return 1;
}

static enum store_rc cancel_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct cancel *x = ctx;
    struct order_state s = {0};
    struct store_val p[] = {SV_INT(x->id), SV_INT(x->investor)};
    enum store_rc rc = store_query(c,
                                   "SELECT status, side, trade_date, product_id, amount_fen, "
                                   "shares_h FROM orders WHERE id = ? AND investor_id = ?",
                                   p, 2, take_state, &s, err);
    if (rc != STORE_OK)
        return rc;
    if (!s.found)
        return api_abort(err, API_ABORT_NOT_FOUND, "no order %lld", (long long)x->id);
    if (strcmp(s.status, "accepted") != 0)
        return api_abort(err, API_ABORT_CONFLICT, "the order is %s and can no longer be cancelled",
                         s.status);
    struct civil_date t;
    ASSERT(civil_date_parse(s.trade_date, strlen(s.trade_date), &t) == CIVIL_OK);
    if (x->now_ms >= civil_ms_of_cst(t, 15, 0, 0))
        return api_abort(err, API_ABORT_CONFLICT,
                         "the cutoff (15:00 on %s) has passed; the order can no longer be "
                         "cancelled",
                         s.trade_date);
    struct store_val u[] = {SV_INT(x->now_ms), SV_INT(x->id)};
    rc = store_exec(c,
                    "UPDATE orders SET status = 'cancelled', cancelled_ms = ? WHERE id = ? AND "
                    "status = 'accepted'",
                    u, 2, NULL, err);
    struct ledger_txn tx;
    bool sub = s.side[0] == 's';
    if (sub)
        ledger_sub_release(&tx, x->investor, x->id, s.amount_fen);
    else
        ledger_red_release(&tx, x->investor, s.product, x->id, s.shares_h);
    if (rc == STORE_OK && sub)
        rc = api_order_daily_release(c, x->investor, s.product, s.trade_date, s.amount_fen, err);
    if (rc == STORE_OK)
        rc = ledger_apply(c, &tx, x->now_ms, err);
    return rc == STORE_OK ? api_load_order(c, x->id, x->investor, &x->out, err) : rc;
}

static void cancel_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct cancel *x = r->write.ctx;
    if (rc != STORE_OK) {
        json_decref(x->out);
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    api_order_add_dates(r, x->out);
    req_reply_json(r, 200, json_pack("{s:o}", "order", x->out));
}

void api_inv_order_cancel(struct req *r)
{
    struct cancel *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id))
        return;
    x->investor = r->sess.user_id;
    x->now_ms = r->now_ms;
    req_write(r, cancel_write, x, cancel_then);
}
