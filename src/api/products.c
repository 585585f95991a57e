/*
 * products.c: an institution's products and their public pages.
 *
 * Fee schedules are checked against the statutory rules (core/fee.c) when saved; a
 * rejected schedule is a 422 naming the rule and the tier. An institution reaches only its
 * own products: another institution's product is "not found".
 */
#include "api/fee_json.h"
#include "api/handlers.h"
#include "api/trading.h"

#include "base/check.h"
#include "base/crypto.h"
#include "core/suitability.h"

#include <stdio.h>
#include <string.h>

static json_t *fees_json(const char *sub, const char *red)
{
    struct fee_sub_schedule s;
    struct fee_red_schedule d;
    json_t *o = json_object();
    json_object_set_new(o, "subscription",
                        fee_json_load_sub(sub, &s) ? fee_json_sub_out(&s) : json_array());
    json_object_set_new(o, "redemption",
                        fee_json_load_red(red, &d) ? fee_json_red_out(&d) : json_array());
    return o;
}

json_t *api_product_json(const struct store_row *row)
{
    int risk = (int)store_row_int(row, 6);
    json_t *o = json_pack(
        "{s:o,s:o,s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:o,s:o}", "id", json_id(store_row_int(row, 0)),
        "institution_id", json_id(store_row_int(row, 1)), "code", store_row_text(row, 2, NULL),
        "name", store_row_text(row, 3, NULL), "type", store_row_text(row, 4, NULL),
        "equity_leaning", (int)store_row_int(row, 5), "risk_level", suit_risk_code(risk),
        "risk_name", suit_risk_name(risk), "status", store_row_text(row, 7, NULL), "min_purchase",
        json_decimal(store_row_int(row, 8), 2), "daily_limit",
        json_decimal(store_row_int(row, 9), 2));
    json_object_set_new(o, "fees",
                        fees_json(store_row_text(row, 10, NULL), store_row_text(row, 11, NULL)));
    json_object_set_new(o, "fee_discount", json_decimal(store_row_int(row, 12), 6));
    json_object_set_new(o, "share_rounding", json_string(store_row_text(row, 13, NULL)));
    json_object_set_new(o, "redeem_delay_days", json_integer(store_row_int(row, 14)));
    json_object_set_new(o, "prospectus_url", json_string(store_row_text(row, 15, NULL)));
    json_object_set_new(o, "key_facts_url", json_string(store_row_text(row, 16, NULL)));
    json_object_set_new(o, "benchmark", json_string(store_row_text(row, 17, NULL)));
    json_object_set_new(o, "inception_date", json_string(store_row_text(row, 18, NULL)));
    json_object_set_new(o, "demo", json_boolean(store_row_int(row, 19)));
    json_object_set_new(o, "created_ms", json_integer(store_row_int(row, 20)));
    json_object_set_new(o, "updated_ms", json_integer(store_row_int(row, 21)));
    bool has_nav = !store_row_is_null(row, 22);
    json_object_set_new(o, "latest_nav",
                        has_nav
                            ? json_pack("{s:o,s:s}", "nav", json_decimal(store_row_int(row, 22), 4),
                                        "date", store_row_text(row, 23, NULL))
                            : json_null());
    return o;
}

static int collect_products(void *arr, const struct store_row *row)
{
    json_array_append_new(arr, api_product_json(row));
    return 0;
}

static int take_product(void *ctx, const struct store_row *row)
{
    *(json_t **)ctx = api_product_json(row);
    return 1;
}

enum store_rc api_load_product(struct store_conn *c, int64_t id, int64_t inst, json_t **out,
                               struct store_err *err)
{
    *out = NULL;
    /* inst 0 is the public view: only institutions open to investors. */
    struct store_val p[] = {SV_INT(id), SV_INT(inst), SV_INT(inst)};
    enum store_rc rc =
        store_query(c,
                    "SELECT " API_PRODUCT_COLS " FROM products p JOIN institutions i "
                    "ON i.id = p.institution_id WHERE p.id = ? AND "
                    "((? = 0 AND i.status IN ('pilot', 'live')) OR "
                    "p.institution_id = ?)",
                    p, 3, take_product, out, err);
    return rc == STORE_OK && *out == NULL ? STORE_DONE : rc;
}

/* ---- create ---- */

struct product_new {
    int64_t id, inst, now_ms, min_fen, limit_fen, discount_ppm, delay;
    int risk;
    bool equity_leaning;
    const char *code, *name, *type, *rounding, *prospectus, *key_facts, *benchmark, *inception;
    char *sub_text, *red_text;
    struct api_actor actor;
    json_t *out;
};

static enum store_rc product_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct product_new *x = ctx;
    struct store_val p[] = {
        SV_INT(x->id),         SV_INT(x->inst),       SV_TEXT(x->code),
        SV_TEXT(x->name),      SV_TEXT(x->type),      SV_INT(x->equity_leaning),
        SV_INT(x->risk),       SV_INT(x->min_fen),    SV_INT(x->limit_fen),
        SV_TEXT(x->sub_text),  SV_TEXT(x->red_text),  SV_INT(x->discount_ppm),
        SV_TEXT(x->rounding),  SV_INT(x->delay),      SV_TEXT(x->prospectus),
        SV_TEXT(x->key_facts), SV_TEXT(x->benchmark), SV_TEXT(x->inception),
        SV_INT(x->now_ms),     SV_INT(x->now_ms),
    };
    enum store_rc rc = store_exec(
        c,
        "INSERT INTO products (id, institution_id, code, name, type, equity_leaning, risk_level, "
        "status, min_purchase_fen, daily_limit_fen, sub_fees, red_fees, discount_ppm, "
        "share_rounding, redeem_delay_days, prospectus_url, key_facts_url, benchmark, "
        "inception_date, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p, 20, NULL, err);
    if (rc == STORE_OK)
        rc = api_search_index_product(c, x->id, err);
    if (rc != STORE_OK)
        return rc;
    char subject[40];
    snprintf(subject, sizeof(subject), "product:%lld", (long long)x->id);
    json_t *d = json_pack("{s:s,s:s,s:s,s:s}", "code", x->code, "name", x->name, "sub_fees",
                          x->sub_text, "red_fees", x->red_text);
    rc = api_audit(c, &x->actor, x->inst, "product.create", subject, d, x->now_ms, err);
    json_decref(d);
    return rc == STORE_OK ? api_load_product(c, x->id, x->inst, &x->out, err) : rc;
}

static void product_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct product_new *x = r->write.ctx;
    free(x->sub_text);
    free(x->red_text);
    if (rc != STORE_OK) {
        json_decref(x->out);
        api_write_failed(r, rc, err, "a product with this fund code already exists");
        return;
    }
    req_reply_json(r, 201, json_pack("{s:o}", "product", x->out));
}

static bool url_ok_or_reply(struct req *r, const char *field, const char *url)
{
    if (strncmp(url, "https://", 8) == 0 && strlen(url) > 8 && strpbrk(url, " \"<>\\") == NULL)
        return true;
    req_problem(r, 422, "invalid_field", field, "field '%s' must be an https:// link", field);
    return false;
}

static bool code_ok_or_reply(struct req *r, const char *code, size_t len)
{
    bool ok = len == 6;
    for (size_t i = 0; ok && i < len; i++)
        ok = code[i] >= '0' && code[i] <= '9';
    if (!ok)
        req_problem(r, 422, "invalid_field", "code", "field 'code' must be a 6-digit fund code");
    return ok;
}

static void fee_rule_problem(struct req *r, const char *field, const struct fee_error *e)
{
    json_t *extra = json_pack("{s:s,s:s,s:i}", "field", field, "rule", fee_rc_str(e->code), "tier",
                              (int)e->tier);
    req_problem_with(r, 422, "fee_schedule_invalid", extra, "%s: %s", field, e->msg);
}

/* Parses and validates both schedules into x (canonical JSON text). */
static bool fees_or_reply(struct req *r, struct product_new *x, enum fee_fund_type type,
                          json_t *sub, json_t *red)
{
    struct fee_sub_schedule s;
    struct fee_red_schedule d;
    struct fee_error e = {0};
    char msg[160];
    if (!fee_json_sub(sub, &s, msg, sizeof(msg))) {
        req_problem(r, 422, "invalid_field", "sub_fees", "%s", msg);
        return false;
    }
    if (fee_validate_subscription(type, x->equity_leaning, &s, &e) != FEE_OK) {
        fee_rule_problem(r, "sub_fees", &e);
        return false;
    }
    if (!fee_json_red(red, &d, msg, sizeof(msg))) {
        req_problem(r, 422, "invalid_field", "red_fees", "%s", msg);
        return false;
    }
    if (fee_validate_redemption(type, &d, &e) != FEE_OK) {
        fee_rule_problem(r, "red_fees", &e);
        return false;
    }
    json_t *a = fee_json_sub_out(&s), *b = fee_json_red_out(&d);
    x->sub_text = json_dumps(a, JSON_COMPACT);
    x->red_text = json_dumps(b, JSON_COMPACT);
    json_decref(a);
    json_decref(b);
    return x->sub_text != NULL && x->red_text != NULL;
}

struct product_fields {
    const char *code, *name, *type, *risk, *min, *limit, *discount, *rounding, *prospectus,
        *key_facts, *benchmark, *inception;
    size_t code_len, risk_len, min_len, limit_len, discount_len, inception_len;
    json_t *sub, *red;
    int64_t delay;
    bool equity_leaning;
};

static bool take_product_fields(struct req *r, json_t *j, struct product_fields *v)
{
    struct field f[] = {
        FIELD_STR("code", true, 1, 16, &v->code, &v->code_len),
        FIELD_STR("name", true, 1, 64, &v->name, NULL),
        FIELD_STR("type", true, 1, 16, &v->type, NULL),
        FIELD_BOOL("equity_leaning", false, &v->equity_leaning),
        FIELD_STR("risk_level", true, 1, 4, &v->risk, &v->risk_len),
        FIELD_STR("min_purchase", true, 1, 32, &v->min, &v->min_len),
        FIELD_STR("daily_limit", true, 1, 32, &v->limit, &v->limit_len),
        FIELD_ARRAY("sub_fees", true, 1, FEE_TIERS_MAX, &v->sub),
        FIELD_ARRAY("red_fees", true, 1, FEE_TIERS_MAX, &v->red),
        FIELD_STR("fee_discount", false, 1, 16, &v->discount, &v->discount_len),
        FIELD_STR("share_rounding", true, 1, 16, &v->rounding, NULL),
        FIELD_INT("redeem_delay_days", true, &v->delay),
        FIELD_STR("prospectus_url", true, 9, 512, &v->prospectus, NULL),
        FIELD_STR("key_facts_url", true, 9, 512, &v->key_facts, NULL),
        FIELD_STR("benchmark", false, 1, 200, &v->benchmark, NULL),
        FIELD_STR("inception_date", true, 10, 10, &v->inception, &v->inception_len),
    };
    return req_fields_or_reply(r, j, f, ARRAY_LEN(f));
}

static bool check_product_fields(struct req *r, struct product_fields *v, struct product_new *x,
                                 enum fee_fund_type *type)
{
    enum fee_rounding rounding;
    struct civil_date d;
    *type = fee_fund_type_parse(v->type);
    if (!code_ok_or_reply(r, v->code, v->code_len))
        return false;
    if (*type == FEE_FUND_NONE) {
        req_problem(r, 422, "invalid_field", "type",
                    "field 'type' must be money_market, bond, "
                    "index, equity, mixed or qdii");
        return false;
    }
    if (!suit_risk_parse(v->risk, v->risk_len, &x->risk)) {
        req_problem(r, 422, "invalid_field", "risk_level", "field 'risk_level' must be R1 to R5");
        return false;
    }
    x->discount_ppm = 1000000;
    if (!req_decimal_or_reply(r, "min_purchase", v->min, v->min_len, 2, 1, LIMIT_AMOUNT_FEN_MAX,
                              &x->min_fen) ||
        !req_decimal_or_reply(r, "daily_limit", v->limit, v->limit_len, 2, x->min_fen,
                              LIMIT_AMOUNT_FEN_MAX, &x->limit_fen) ||
        (v->discount && !req_decimal_or_reply(r, "fee_discount", v->discount, v->discount_len, 6, 0,
                                              1000000, &x->discount_ppm)) ||
        !req_date_or_reply(r, "inception_date", v->inception, v->inception_len, &d) ||
        !url_ok_or_reply(r, "prospectus_url", v->prospectus) ||
        !url_ok_or_reply(r, "key_facts_url", v->key_facts))
        return false;
    if (!fee_rounding_parse(v->rounding, &rounding)) {
        req_problem(r, 422, "invalid_field", "share_rounding",
                    "field 'share_rounding' must be half_up or truncate");
        return false;
    }
    if (v->delay < 1 || v->delay > 10) {
        req_problem(r, 422, "invalid_field", "redeem_delay_days",
                    "field 'redeem_delay_days' must be 1 to 10 trading days");
        return false;
    }
    return true;
}

void api_inst_product_create(struct req *r)
{
    json_t *j = req_json_or_reply(r);
    struct product_new *x = arena_zalloc(&r->arena, sizeof(*x));
    struct product_fields v = {0};
    enum fee_fund_type type;
    if (j == NULL || x == NULL || !take_product_fields(r, j, &v) ||
        !check_product_fields(r, &v, x, &type))
        return;
    x->equity_leaning = v.equity_leaning;
    if (!fees_or_reply(r, x, type, v.sub, v.red)) {
        free(x->sub_text);
        free(x->red_text);
        return;
    }
    x->id = crypto_random_id();
    x->inst = r->sess.institution_id;
    x->now_ms = r->now_ms;
    x->delay = v.delay;
    x->code = v.code;
    x->name = v.name;
    x->type = fee_fund_type_name(type);
    x->rounding = v.rounding;
    x->prospectus = v.prospectus;
    x->key_facts = v.key_facts;
    x->benchmark = v.benchmark ? v.benchmark : "";
    x->inception = v.inception;
    x->actor = api_actor_of(r);
    req_write(r, product_write, x, product_then);
}

/* ---- reads ---- */

void api_inst_product_list(struct req *r)
{
    struct store_val p[] = {SV_INT(r->sess.institution_id), SV_INT(LIMIT_PAGE_SIZE_MAX)};
    api_reply_items(r,
                    "SELECT " API_PRODUCT_COLS " FROM products p WHERE p.institution_id = ? "
                    "ORDER BY p.code LIMIT ?",
                    p, 2, collect_products);
}

void api_public_product_list(struct req *r)
{
    int64_t inst = 0;
    if (!req_query_int_or_reply(r, "institution_id", 1, INT64_MAX, &inst))
        return;
    struct store_val p[] = {SV_INT(inst), SV_INT(inst), SV_INT(LIMIT_PAGE_SIZE_MAX)};
    api_reply_items(r,
                    "SELECT " API_PRODUCT_COLS " FROM products p JOIN institutions i "
                    "ON i.id = p.institution_id WHERE i.status IN ('pilot', 'live') AND "
                    "p.status <> 'closed' AND (? = 0 OR p.institution_id = ?) "
                    "ORDER BY p.code LIMIT ?",
                    p, 3, collect_products);
}

static void get_product(struct req *r, int64_t inst)
{
    int64_t id = 0;
    if (!req_param_id_or_reply(r, 0, &id))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *out = NULL;
    struct store_err err;
    enum store_rc rc = api_load_product(c, id, inst, &out, &err);
    if (rc == STORE_DONE) {
        req_problem(r, 404, "not_found", NULL, "no product %lld", (long long)id);
        return;
    }
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "product", out));
}

void api_inst_product_get(struct req *r)
{
    get_product(r, r->sess.institution_id);
}

void api_public_product_get(struct req *r)
{
    get_product(r, 0);
}

/* ---- status (pause, reopen, close) ---- */

struct product_status {
    int64_t id, inst, now_ms;
    const char *status;
    struct api_actor actor;
    json_t *out;
};

static enum store_rc status_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct product_status *x = ctx;
    struct store_val q[] = {SV_INT(x->id), SV_INT(x->inst)};
    int64_t closed = 0;
    enum store_rc rc = store_query_int(
        c, "SELECT status = 'closed' FROM products WHERE id = ? AND institution_id = ?", q, 2,
        &closed, err);
    if (rc == STORE_DONE)
        return api_abort(err, API_ABORT_NOT_FOUND, "no product %lld in your institution",
                         (long long)x->id);
    if (rc == STORE_OK && closed)
        return api_abort(err, API_ABORT_CONFLICT, "a closed product (清盘) cannot be reopened");
    struct store_val u[] = {SV_TEXT(x->status), SV_INT(x->now_ms), SV_INT(x->id)};
    if (rc == STORE_OK)
        rc = store_exec(c, "UPDATE products SET status = ?, updated_ms = ? WHERE id = ?", u, 3,
                        NULL, err);
    if (rc != STORE_OK)
        return rc;
    char subject[40];
    snprintf(subject, sizeof(subject), "product:%lld", (long long)x->id);
    json_t *d = json_pack("{s:s}", "status", x->status);
    rc = api_audit(c, &x->actor, x->inst, "product.status", subject, d, x->now_ms, err);
    json_decref(d);
    return rc == STORE_OK ? api_load_product(c, x->id, x->inst, &x->out, err) : rc;
}

static void status_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct product_status *x = r->write.ctx;
    if (rc != STORE_OK) {
        json_decref(x->out);
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "product", x->out));
}

void api_inst_product_status(struct req *r)
{
    static const char *const states[] = {"open", "subscriptions_paused", "redemptions_paused",
                                         "closed"};
    struct product_status *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id))
        return;
    json_t *j = req_json_or_reply(r);
    struct field f[] = {FIELD_STR("status", true, 1, 32, &x->status, NULL)};
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    bool known = false;
    for (size_t i = 0; i < ARRAY_LEN(states); i++)
        known = known || strcmp(states[i], x->status) == 0;
    if (!known) {
        req_problem(r, 422, "invalid_field", "status",
                    "field 'status' must be open, subscriptions_paused, redemptions_paused or "
                    "closed");
        return;
    }
    x->inst = r->sess.institution_id;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, status_write, x, status_then);
}
