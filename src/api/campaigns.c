/*
 * campaigns.c: an institution's marketing campaigns, as its staff create, edit and follow them
 * (submitting, withdrawing and stopping are campaigns_state.c; the reviewer's side is
 * campaigns_ops.c).
 *
 * Three types are allowed (core/campaign.h): a subscription-fee discount on the institution's
 * own products, a promotion of its own published content among its followers, and a message to
 * a segment of its followers or holders. A forbidden type (a lottery, red packet, gift, free
 * fund shares, a below-cost offer, tying) is refused with the rule it breaks, whether it is
 * declared as its type or written into its name or text.
 *
 * A campaign is created as a draft, checked (forbidden wording, then the lexicon: a blocking
 * match refuses it with the spans), and submitted: every campaign then waits for a reviewer,
 * whatever the check found. Approved, it runs within its period; a fee discount also stops
 * when its budget is spent. Those states are read from the clock and the budget, not stored.
 * A draft, or a rejected campaign, may be edited: the same body and the same checks as
 * creating it, and a rejected one becomes a draft again.
 */
#include "api/campaigns.h"
#include "api/campaigns_int.h"
#include "api/compliance.h"
#include "api/handlers.h"
#include "api/trading.h"

#include "base/check.h"
#include "base/crypto.h"
#include "base/money.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the campaign as JSON ---- */

static json_t *opt_int(const struct store_row *row, int col)
{
    return store_row_is_null(row, col) ? json_null() : json_integer(store_row_int(row, col));
}

static json_t *opt_text(const struct store_row *row, int col)
{
    return store_row_is_null(row, col) ? json_null() : json_string(store_row_text(row, col, NULL));
}

static json_t *audience_json(const struct store_row *row)
{
    json_t *classes = json_array();
    int64_t mask = store_row_int(row, 14);
    for (int k = 1; k <= 5; k++)
        if (mask & (INT64_C(1) << (k - 1)))
            json_array_append_new(classes, json_sprintf("C%d", k));
    return json_pack("{s:s,s:o,s:o}", "segment", store_row_text(row, 13, NULL), "risk_classes",
                     classes, "product_id", json_id_or_null(store_row_int(row, 15)));
}

json_t *campaign_json(const struct store_row *row)
{
    bool discount = strcmp(store_row_text(row, 2, NULL), "fee_discount") == 0;
    int64_t budget = store_row_int(row, 9), spent = store_row_int(row, 10);
    json_t *check = json_loads(store_row_text(row, 17, NULL), 0, NULL);
    json_t *products = json_loads(store_row_text(row, 23, NULL), 0, NULL);
    json_t *o =
        json_pack("{s:o,s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
                  json_id(store_row_int(row, 0)), "institution_id", json_id(store_row_int(row, 1)),
                  "type", store_row_text(row, 2, NULL), "name", store_row_text(row, 3, NULL),
                  "text", store_row_text(row, 4, NULL), "start_date", store_row_text(row, 5, NULL),
                  "end_date", store_row_text(row, 6, NULL), "status", store_row_text(row, 16, NULL),
                  "budget", json_decimal(budget, 2), "spent", json_decimal(spent, 2), "budget_left",
                  json_decimal(budget - spent, 2), "discount",
                  discount ? json_decimal(store_row_int(row, 11), 6) : json_null(), "content_id",
                  json_id_or_null(store_row_int(row, 12)), "audience", audience_json(row));
    json_object_set_new(o, "product_ids", products ? products : json_array());
    json_object_set_new(o, "check", check ? check : json_object());
    json_object_set_new(o, "message_id", json_id_or_null(store_row_int(row, 24)));
    json_object_set_new(o, "created_by", json_id(store_row_int(row, 18)));
    json_object_set_new(o, "created_ms", json_integer(store_row_int(row, 19)));
    json_object_set_new(o, "submitted_ms", opt_int(row, 20));
    json_object_set_new(o, "decided_ms", opt_int(row, 21));
    json_object_set_new(o, "reason", opt_text(row, 22));
    json_object_set_new(o, "stopped_ms", opt_int(row, 25));
    json_object_set_new(o, "stopped_by", json_id_or_null(store_row_int(row, 26)));
    json_object_set_new(o, "stop_reason", opt_text(row, 27));
    json_object_set_new(o, "message_sent_ms",
                        store_row_is_null(row, 28) ? json_null()
                                                   : json_integer(store_row_int(row, 28)));
    return o;
}

static int take_campaign(void *ctx, const struct store_row *row)
{
    *(json_t **)ctx = campaign_json(row);
    return 1;
}

enum store_rc campaign_load(struct store_conn *c, int64_t id, int64_t inst, int64_t now_ms,
                            json_t **out, struct store_err *err)
{
    *out = NULL;
    struct store_val p[] = {SV_INT(id), SV_INT(inst), SV_INT(now_ms)};
    enum store_rc rc =
        store_query(c,
                    "SELECT " CAMPAIGN_COLS("?3") " FROM campaigns k WHERE k.id = "
                                                  "?1 AND (?2 = 0 OR k.institution_id = ?2)",
                    p, 3, take_campaign, out, err);
    return rc == STORE_OK && *out == NULL ? STORE_DONE : rc;
}

/* ---- forbidden campaigns ---- */

/* 422 forbidden_campaign citing the rule; with the span of the wording when `hit` says where. */
static void forbidden_reply(struct req *r, enum campaign_rule rule, const char *field,
                            const char *text, const struct campaign_hit *hit)
{
    json_t *extra = json_pack("{s:s,s:s,s:s,s:s}", "field", field, "rule", campaign_rule_code(rule),
                              "rule_zh", campaign_rule_zh(rule), "rule_en", campaign_rule_en(rule));
    if (hit != NULL)
        json_object_set_new(extra, "match",
                            json_pack("{s:s,s:i,s:i,s:s%,s:s}", "field", field, "start",
                                      (int)hit->start, "end", (int)hit->end, "text",
                                      text + hit->start, (size_t)(hit->end - hit->start), "word",
                                      hit->word));
    req_problem_with(r, 422, "forbidden_campaign", extra, "%s campaigns are not allowed: %s",
                     campaign_rule_code(rule) + strlen("no_"), campaign_rule_en(rule));
}

/* The name or text scanned for a forbidden offer; answers 422 itself. */
static bool wording_ok_or_reply(struct req *r, const char *field, const char *text)
{
    size_t len = strlen(text), cap = len ? len : 1;
    char *norm = arena_alloc(&r->arena, cap);
    uint32_t *offs = arena_alloc(&r->arena, cap * sizeof(*offs));
    struct campaign_hit hit;
    if (norm == NULL || offs == NULL)
        return false;
    if (!campaign_scan(text, len, norm, offs, cap, &hit)) {
        req_problem(r, 422, "invalid_field", field, "field '%s' is not valid text", field);
        return false;
    }
    if (hit.rule != CAMPAIGN_RULE_NONE) {
        forbidden_reply(r, hit.rule, field, text, &hit);
        return false;
    }
    return true;
}

/* ---- creating a campaign ---- */

/* The members of a create request, as strings and arrays still to be read. */
struct campaign_fields {
    const char *type, *name, *text, *start, *end, *budget, *discount, *content, *segment;
    const char *segment_product;
    size_t start_len, end_len, budget_len, discount_len;
    json_t *products, *risk_classes;
};

static bool take_fields(struct req *r, struct campaign_fields *v)
{
    json_t *j = req_json_or_reply(r);
    struct field f[] = {
        FIELD_STR("type", true, 1, 32, &v->type, NULL),
        FIELD_STR("name", true, 1, LIMIT_CAMPAIGN_NAME_CHARS_MAX, &v->name, NULL),
        FIELD_STR("text", true, 1, LIMIT_CAMPAIGN_TEXT_CHARS_MAX, &v->text, NULL),
        FIELD_STR("start_date", true, 1, 10, &v->start, &v->start_len),
        FIELD_STR("end_date", true, 1, 10, &v->end, &v->end_len),
        FIELD_STR("budget", false, 1, 32, &v->budget, &v->budget_len),
        FIELD_STR("discount", false, 1, 32, &v->discount, &v->discount_len),
        FIELD_ARRAY("product_ids", false, 1, LIMIT_CAMPAIGN_PRODUCTS_MAX, &v->products),
        FIELD_STR("content_id", false, 1, 20, &v->content, NULL),
        FIELD_STR("segment", false, 1, 16, &v->segment, NULL),
        FIELD_ARRAY("risk_classes", false, 1, 5, &v->risk_classes),
        FIELD_STR("segment_product_id", false, 1, 20, &v->segment_product, NULL),
    };
    return j != NULL && req_fields_or_reply(r, j, f, ARRAY_LEN(f));
}

/* The type: allowed, or refused citing the rule (forbidden) or naming the field (unknown). */
static bool type_or_reply(struct req *r, const char *s, struct campaign_new *x)
{
    enum campaign_rule rule;
    x->type = campaign_type_parse(s, &rule);
    if (rule != CAMPAIGN_RULE_NONE)
        forbidden_reply(r, rule, "type", s, NULL);
    else if (x->type == CAMPAIGN_TYPE_NONE)
        req_problem(r, 422, "invalid_field", "type",
                    "field 'type' must be fee_discount, content_promotion or segment_message");
    return x->type != CAMPAIGN_TYPE_NONE;
}

/* The period: start <= end, the end not in the past (UTC+8), at most LIMIT_CAMPAIGN_DAYS_MAX
 * days both counted. */
static bool period_or_reply(struct req *r, const struct campaign_fields *v, struct campaign_new *x)
{
    struct civil_date start, end;
    if (!req_date_or_reply(r, "start_date", v->start, v->start_len, &start) ||
        !req_date_or_reply(r, "end_date", v->end, v->end_len, &end))
        return false;
    int64_t days = civil_days_between(start, end) + 1;
    const char *bad = days < 1                         ? "the period ends before it starts"
                      : days > LIMIT_CAMPAIGN_DAYS_MAX ? "the period is longer than 366 days"
                      : civil_date_cmp(end, civil_date_of_ms_cst(x->now_ms)) < 0
                          ? "the period has already ended"
                          : NULL;
    if (bad != NULL) {
        req_problem(r, 422, "invalid_field", "end_date", "%s", bad);
        return false;
    }
    civil_date_format(start, x->start_s, sizeof(x->start_s));
    civil_date_format(end, x->end_s, sizeof(x->end_s));
    x->start_ms = civil_ms_of_cst(start, 0, 0, 0);
    x->end_ms = civil_ms_of_cst(civil_date_add_days(end, 1), 0, 0, 0);
    return true;
}

/*
 * The fee discount: the share of the rate fee taken off, more than 0 and at most 1 (waives the
 * rate fee). More than 1 would pay the investor to buy: a below-cost offer, refused citing its
 * rule, not as a malformed number.
 */
static bool discount_or_reply(struct req *r, const struct campaign_fields *v,
                              struct campaign_new *x)
{
    int64_t ppm = 0;
    enum money_rc mrc = money_parse(v->discount, v->discount_len, 6, LIMIT_AMOUNT_FEN_MAX, &ppm);
    if (mrc == MONEY_OK && ppm > FEE_PPM_ONE) {
        forbidden_reply(r, CAMPAIGN_RULE_BELOW_COST, "discount", v->discount, NULL);
        return false;
    }
    if (mrc != MONEY_OK || ppm <= 0) {
        req_problem(r, 422, "invalid_field", "discount",
                    "field 'discount' must be the share of the fee taken off, above 0 and at "
                    "most 1 (\"0.5\" halves the fee)");
        return false;
    }
    x->discount_ppm = ppm;
    return true;
}

/* "C1".."C5" into a mask, bit k-1 for Ck. */
static bool risk_classes_or_reply(struct req *r, json_t *arr, struct campaign_new *x)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) {
        const char *s = json_string_value(e);
        if (s == NULL || strlen(s) != 2 || s[0] != 'C' || s[1] < '1' || s[1] > '5') {
            req_problem(r, 422, "invalid_field", "risk_classes",
                        "field 'risk_classes' must list risk categories C1 to C5");
            return false;
        }
        x->risk_mask |= INT64_C(1) << (s[1] - '1');
    }
    return true;
}

static bool segment_allowed(enum campaign_type t, const char *s)
{
    if (t == CAMPAIGN_SEGMENT_MESSAGE)
        return strcmp(s, "followers") == 0 || strcmp(s, "holders") == 0;
    return strcmp(s, "all") == 0 || strcmp(s, "new_investors") == 0 || strcmp(s, "risk") == 0 ||
           strcmp(s, "holders") == 0;
}

/* Who the campaign is for; answers 422 itself. */
static bool audience_or_reply(struct req *r, const struct campaign_fields *v,
                              struct campaign_new *x)
{
    bool message = x->type == CAMPAIGN_SEGMENT_MESSAGE;
    x->segment = v->segment ? v->segment : message ? "followers" : "all";
    if (!segment_allowed(x->type, x->segment)) {
        req_problem(r, 422, "invalid_field", "segment",
                    message ? "a segment message goes to followers or holders"
                            : "field 'segment' must be all, new_investors, risk or holders");
        return false;
    }
    bool risk = strcmp(x->segment, "risk") == 0, holders = strcmp(x->segment, "holders") == 0;
    if (risk != (v->risk_classes != NULL)) {
        req_problem(r, 422, risk ? "missing_field" : "invalid_field", "risk_classes",
                    "'risk_classes' goes with the segment risk, and only with it");
        return false;
    }
    if (risk && !risk_classes_or_reply(r, v->risk_classes, x))
        return false;
    if (v->segment_product != NULL && !holders) {
        req_problem(r, 422, "invalid_field", "segment_product_id",
                    "'segment_product_id' names the product whose holders are the segment");
        return false;
    }
    if (holders && !message && v->segment_product == NULL) {
        req_problem(r, 422, "missing_field", "segment_product_id",
                    "the segment holders needs 'segment_product_id'");
        return false;
    }
    return v->segment_product == NULL ||
           api_id_or_reply(r, "segment_product_id", v->segment_product, &x->segment_product);
}

/* A product of the caller's institution, or 422 naming the member. */
static bool own_product_or_reply(struct req *r, struct store_conn *c, const char *field, int64_t id,
                                 int64_t inst)
{
    int64_t one = 0;
    struct store_err err;
    struct store_val p[] = {SV_INT(id), SV_INT(inst)};
    enum store_rc rc = store_query_int(
        c, "SELECT 1 FROM products WHERE id = ? AND institution_id = ?", p, 2, &one, &err);
    if (rc == STORE_DONE)
        req_problem(r, 422, "invalid_field", field,
                    "product %lld (%s) is not a product of your institution", (long long)id, field);
    else if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    return rc == STORE_OK;
}

static bool products_or_reply(struct req *r, struct store_conn *c, json_t *arr,
                              struct campaign_new *x)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) {
        char field[40];
        snprintf(field, sizeof(field), "product_ids[%zu]", i);
        int64_t id = 0;
        if (!json_is_string(e)) {
            req_problem(r, 422, "invalid_field", field, "field '%s' must be an id string", field);
            return false;
        }
        if (!api_id_or_reply(r, field, json_string_value(e), &id) ||
            !own_product_or_reply(r, c, field, id, x->inst))
            return false;
        for (size_t k = 0; k < x->n_products; k++)
            if (x->product[k] == id) {
                req_problem(r, 422, "invalid_field", field, "product %lld is listed twice",
                            (long long)id);
                return false;
            }
        x->product[x->n_products++] = id;
    }
    return true;
}

/* The promoted content: the caller's institution's, and published now. */
static bool content_or_reply(struct req *r, struct store_conn *c, const char *s,
                             struct campaign_new *x)
{
    if (!api_id_or_reply(r, "content_id", s, &x->content))
        return false;
    int64_t one = 0;
    struct store_err err;
    struct store_val p[] = {SV_INT(x->content), SV_INT(x->inst)};
    enum store_rc rc = store_query_int(c,
                                       "SELECT 1 FROM contents WHERE id = ? AND institution_id "
                                       "= ? AND published_version IS NOT NULL AND status <> "
                                       "'taken_down'",
                                       p, 2, &one, &err);
    if (rc == STORE_DONE)
        req_problem(r, 422, "invalid_field", "content_id",
                    "field 'content_id' must be a published content of your institution");
    else if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    return rc == STORE_OK;
}

/* Members that belong to other types than this one: 422 naming the first. */
static bool no_stray_or_reply(struct req *r, const struct campaign_fields *v, enum campaign_type t)
{
    const char *stray = t != CAMPAIGN_FEE_DISCOUNT && v->discount       ? "discount"
                        : t == CAMPAIGN_SEGMENT_MESSAGE && v->products  ? "product_ids"
                        : t != CAMPAIGN_CONTENT_PROMOTION && v->content ? "content_id"
                                                                        : NULL;
    if (stray != NULL)
        req_problem(r, 422, "invalid_field", stray, "a %s campaign has no '%s'",
                    campaign_type_name(t), stray);
    return stray == NULL;
}

/* What each type needs, read and checked against the caller's own products and content. */
static bool type_fields_or_reply(struct req *r, const struct campaign_fields *v,
                                 struct campaign_new *x)
{
    bool discount = x->type == CAMPAIGN_FEE_DISCOUNT;
    const char *missing = discount && !v->discount                               ? "discount"
                          : discount && !v->budget                               ? "budget"
                          : discount && !v->products                             ? "product_ids"
                          : x->type == CAMPAIGN_CONTENT_PROMOTION && !v->content ? "content_id"
                                                                                 : NULL;
    if (missing != NULL) {
        req_problem(r, 422, "missing_field", missing, "a %s campaign needs '%s'",
                    campaign_type_name(x->type), missing);
        return false;
    }
    if (!no_stray_or_reply(r, v, x->type) || (discount && !discount_or_reply(r, v, x)) ||
        (v->budget &&
         !req_decimal_or_reply(r, "budget", v->budget, v->budget_len, 2, discount ? 1 : 0,
                               LIMIT_AMOUNT_FEN_MAX, &x->budget_fen)))
        return false;
    struct store_conn *c = req_reader_or_reply(r);
    return c != NULL && (!v->products || products_or_reply(r, c, v->products, x)) &&
           (!v->content || content_or_reply(r, c, v->content, x)) &&
           (x->segment_product == 0 ||
            own_product_or_reply(r, c, "segment_product_id", x->segment_product, x->inst));
}

/*
 * A discount for the holders of product A on product B makes buying A the condition of a
 * cheaper B: tying. The holders of a product may only be offered a discount on that product.
 */
static bool not_tied_or_reply(struct req *r, const struct campaign_new *x)
{
    bool tied = false;
    for (size_t k = 0;
         x->type == CAMPAIGN_FEE_DISCOUNT && x->segment_product != 0 && k < x->n_products; k++)
        tied = tied || x->product[k] != x->segment_product;
    if (tied)
        forbidden_reply(r, CAMPAIGN_RULE_TYING, "segment_product_id", "", NULL);
    return !tied;
}

bool campaign_lexicon_or_reply(struct req *r, const char *name, const char *text, char **check)
{
    struct compliance_text t[] = {{"name", name, strlen(name)}, {"text", text, strlen(text)}};
    struct compliance_result res;
    struct store_err err;
    enum store_rc rc = compliance_run(r->store, t, ARRAY_LEN(t), &res, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return false;
    }
    if (res.verdict == COMPLIANCE_BLOCK) {
        req_problem_with(r, 422, "compliance_blocked", json_pack("{s:o}", "check", res.json),
                         "the campaign contains wording that may not be published; see the "
                         "matches");
        return false;
    }
    *check = json_dumps(res.json, JSON_COMPACT);
    json_decref(res.json);
    if (*check == NULL)
        req_problem(r, 503, "unavailable", NULL, "out of memory; try again");
    return *check != NULL;
}

/* The products a fee discount applies to (or a promotion names), replacing any listed before. */
static enum store_rc write_products(struct store_conn *c, const struct campaign_new *x,
                                    struct store_err *err)
{
    struct store_val d[] = {SV_INT(x->id)};
    enum store_rc rc =
        store_exec(c, "DELETE FROM campaign_products WHERE campaign_id = ?", d, 1, NULL, err);
    for (size_t k = 0; k < x->n_products && rc == STORE_OK; k++) {
        struct store_val q[] = {SV_INT(x->id), SV_INT(x->product[k])};
        rc = store_exec(c, "INSERT INTO campaign_products (campaign_id, product_id) VALUES (?, ?)",
                        q, 2, NULL, err);
    }
    return rc;
}

/* The audit entry of a create or an edit (`was`: the state edited from), then the answer. */
static enum store_rc audit_and_load(struct store_conn *c, struct campaign_new *x,
                                    const char *action, struct store_err *err)
{
    char subject[CAMPAIGN_SUBJECT_CAP];
    campaign_subject(x->id, subject);
    json_t *d = json_pack("{s:s,s:s}", "type", campaign_type_name(x->type), "name", x->name);
    if (x->was != CAMPAIGN_STATE_NONE)
        json_object_set_new(d, "from", json_string(campaign_state_name(x->was)));
    enum store_rc rc = api_audit(c, &x->actor, x->inst, action, subject, d, x->now_ms, err);
    json_decref(d);
    return rc == STORE_OK ? campaign_load(c, x->id, x->inst, x->now_ms, &x->out, err) : rc;
}

static enum store_rc create_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct campaign_new *x = ctx;
    struct store_val p[] = {
        SV_INT(x->id),         SV_INT(x->inst),         SV_TEXT(campaign_type_name(x->type)),
        SV_TEXT(x->name),      SV_TEXT(x->text),        SV_TEXT(x->start_s),
        SV_TEXT(x->end_s),     SV_INT(x->start_ms),     SV_INT(x->end_ms),
        SV_INT(x->budget_fen), SV_INT(x->discount_ppm), SV_INT_OR_NULL(x->content),
        SV_TEXT(x->segment),   SV_INT(x->risk_mask),    SV_INT_OR_NULL(x->segment_product),
        SV_TEXT(x->check),     SV_INT(x->by),           SV_INT(x->now_ms),
    };
    enum store_rc rc = store_exec(c,
                                  "INSERT INTO campaigns (id, institution_id, type, name, text, "
                                  "start_date, end_date, start_ms, end_ms, budget_fen, "
                                  "discount_ppm, content_id, segment, risk_mask, "
                                  "segment_product_id, status, check_result, created_by, "
                                  "created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                  "?, ?, 'draft', ?, ?, ?)",
                                  p, 18, NULL, err);
    if (rc == STORE_OK)
        rc = write_products(c, x, err);
    return rc == STORE_OK ? audit_and_load(c, x, "campaign.create", err) : rc;
}

static void create_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct campaign_new *x = r->write.ctx;
    free(x->check);
    if (rc != STORE_OK) {
        json_decref(x->out);
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 201, json_pack("{s:o}", "campaign", x->out));
}

static bool texts_ok_or_reply(struct req *r, const struct campaign_fields *v)
{
    struct api_text_field t[] = {{"name", v->name, true}, {"text", v->text, false}};
    return api_texts_ok_or_reply(r, t, ARRAY_LEN(t));
}

bool campaign_terms_or_reply(struct req *r, struct campaign_new *x)
{
    struct campaign_fields v = {0};
    if (!take_fields(r, &v))
        return false;
    x->name = v.name;
    x->text = v.text;
    /* The declared type first, then the wording: either may reveal a forbidden offer. */
    return type_or_reply(r, v.type, x) && wording_ok_or_reply(r, "name", v.name) &&
           wording_ok_or_reply(r, "text", v.text) && texts_ok_or_reply(r, &v) &&
           period_or_reply(r, &v, x) && audience_or_reply(r, &v, x) &&
           type_fields_or_reply(r, &v, x) && not_tied_or_reply(r, x) &&
           campaign_lexicon_or_reply(r, v.name, v.text, &x->check);
}

void api_inst_campaign_create(struct req *r)
{
    struct campaign_new *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL)
        return;
    x->inst = r->sess.institution_id;
    x->now_ms = r->now_ms;
    if (!campaign_terms_or_reply(r, x))
        return;
    x->id = crypto_random_id();
    x->by = r->sess.user_id;
    x->actor = api_actor_of(r);
    req_write(r, create_write, x, create_then);
}

/* ---- editing a draft or a rejected campaign ---- */

/*
 * The new terms replace the old ones and the campaign is a draft again. A rejected campaign's
 * decision stays where it was recorded (the audit chain, the moderation decisions, the
 * notification) and on the campaign (decided_ms, reason) until it is decided again; its
 * rejected segment message stays too. Spent is 0: nothing was ever approved.
 */
static enum store_rc edit_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct campaign_new *x = ctx;
    enum store_rc rc =
        campaign_action_check(c, x->id, x->inst, x->now_ms, CAMPAIGN_EDIT, &x->was, err);
    struct store_val p[] = {
        SV_TEXT(campaign_type_name(x->type)),
        SV_TEXT(x->name),
        SV_TEXT(x->text),
        SV_TEXT(x->start_s),
        SV_TEXT(x->end_s),
        SV_INT(x->start_ms),
        SV_INT(x->end_ms),
        SV_INT(x->budget_fen),
        SV_INT(x->discount_ppm),
        SV_INT_OR_NULL(x->content),
        SV_TEXT(x->segment),
        SV_INT(x->risk_mask),
        SV_INT_OR_NULL(x->segment_product),
        SV_TEXT(x->check),
        SV_INT(x->id),
        SV_INT(x->inst),
    };
    int64_t changed = 0;
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE campaigns SET type = ?, name = ?, text = ?, start_date = ?, "
                        "end_date = ?, start_ms = ?, end_ms = ?, budget_fen = ?, discount_ppm = "
                        "?, content_id = ?, segment = ?, risk_mask = ?, segment_product_id = ?, "
                        "check_result = ?, status = 'draft' WHERE id = ? AND institution_id = ? "
                        "AND status IN ('draft', 'rejected')",
                        p, 16, &changed, err);
    /* campaign_action_check allowed it in this same write: the row is there and editable. */
    ASSERT(rc != STORE_OK || changed == 1);
    if (rc == STORE_OK)
        rc = write_products(c, x, err);
    return rc == STORE_OK ? audit_and_load(c, x, "campaign.edit", err) : rc;
}

static void edit_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct campaign_new *x = r->write.ctx;
    free(x->check);
    if (rc != STORE_OK) {
        json_decref(x->out);
        campaign_write_failed(r, rc, err, x->was);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "campaign", x->out));
}

void api_inst_campaign_edit(struct req *r)
{
    struct campaign_new *x = arena_zalloc(&r->arena, sizeof(*x));
    struct campaign_state_row k;
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id))
        return;
    x->inst = r->sess.institution_id;
    x->now_ms = r->now_ms;
    /* Whose and in which state first: another institution's campaign is 404 whatever the body. */
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL || !campaign_action_or_reply(r, c, x->id, CAMPAIGN_EDIT, &k) ||
        !campaign_terms_or_reply(r, x))
        return;
    x->by = r->sess.user_id;
    x->actor = api_actor_of(r);
    req_write(r, edit_write, x, edit_then);
}

/* ---- the institution's campaigns ---- */

static json_t *own_campaign(const struct store_row *row, struct cursor *key)
{
    key->ms = store_row_int(row, 19);
    key->id = store_row_int(row, 0);
    return campaign_json(row);
}

/* The institution's campaigns, newest first, whatever their status. */
void api_inst_campaigns(struct req *r)
{
    struct api_page page;
    if (!api_page_or_reply(r, &page))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *items = json_array(), *next = NULL;
    struct store_err err;
    struct store_val p[] = {SV_INT(r->sess.institution_id), SV_INT(page.after.ms),
                            SV_INT(page.after.id), SV_INT(page.limit + 1), SV_INT(r->now_ms)};
    enum store_rc rc = api_page_read(
        c,
        "SELECT " CAMPAIGN_COLS("?5") " FROM campaigns k WHERE "
                                      "k.institution_id = ?1 AND (k.created_ms < ?2 OR "
                                      "(k.created_ms = ?2 AND k.id < ?3)) ORDER BY k.created_ms "
                                      "DESC, k.id DESC LIMIT ?4",
        p, 5, &page, own_campaign, items, &next, &err);
    if (rc != STORE_OK) {
        json_decref(items);
        json_decref(next);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next_cursor", next));
}

/* One of the caller's campaigns; another institution's is 404. */
void api_inst_campaign_get(struct req *r)
{
    int64_t id = 0;
    if (!req_param_id_or_reply(r, 0, &id))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *out = NULL;
    struct store_err err;
    enum store_rc rc = campaign_load(c, id, r->sess.institution_id, r->now_ms, &out, &err);
    if (rc == STORE_DONE)
        req_problem(r, 404, "not_found", NULL, "no campaign %lld", (long long)id);
    else if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    else
        req_reply_json(r, 200, json_pack("{s:o}", "campaign", out));
}

/* ---- the campaign's report ---- */

static int take_totals(void *ctx, const struct store_row *row)
{
    json_t **o = ctx;
    *o = json_pack("{s:{s:I,s:I,s:I,s:I,s:I},s:I,s:o,s:o,s:o}", "orders", "placed",
                   (json_int_t)store_row_int(row, 0), "accepted", (json_int_t)store_row_int(row, 1),
                   "confirmed", (json_int_t)store_row_int(row, 2), "cancelled",
                   (json_int_t)store_row_int(row, 3), "failed", (json_int_t)store_row_int(row, 4),
                   "investors", (json_int_t)store_row_int(row, 5), "amount",
                   json_decimal(store_row_int(row, 6), 2), "fee",
                   json_decimal(store_row_int(row, 7), 2), "discount_given",
                   json_decimal(store_row_int(row, 8), 2));
    return 1;
}

static int collect_report_product(void *arr, const struct store_row *row)
{
    json_array_append_new(
        arr, json_pack("{s:o,s:s,s:s,s:I,s:o,s:o}", "product_id", json_id(store_row_int(row, 0)),
                       "code", store_row_text(row, 1, NULL), "name", store_row_text(row, 2, NULL),
                       "orders", (json_int_t)store_row_int(row, 3), "amount",
                       json_decimal(store_row_int(row, 4), 2), "discount_given",
                       json_decimal(store_row_int(row, 5), 2)));
    return 0;
}

/* What the campaign's orders add up to: counts by status, investors, the confirmed amount and
 * fee, the discount given, by product. Totals only: no investor is named. */
static enum store_rc report(struct store_conn *c, int64_t id, json_t **out, struct store_err *err)
{
    struct store_val p[] = {SV_INT(id)};
    enum store_rc rc = store_query(
        c,
        "SELECT count(*), coalesce(sum(status = 'accepted'), 0), coalesce(sum(status = "
        "'confirmed'), 0), "
        "coalesce(sum(status = 'cancelled'), 0), coalesce(sum(status = 'failed'), 0), "
        "count(DISTINCT CASE WHEN status "
        "IN ('accepted', 'confirmed') THEN investor_id END), coalesce(sum(CASE WHEN status = "
        "'confirmed' THEN amount_fen END), 0), coalesce(sum(CASE WHEN status = 'confirmed' THEN "
        "fee_fen "
        "END), 0), coalesce(sum(discount_fen), 0) FROM orders WHERE campaign_id = ?",
        p, 1, take_totals, out, err);
    json_t *products = json_array();
    if (rc == STORE_OK)
        rc = store_query(
            c,
            "SELECT p.id, p.code, p.name, count(*), coalesce(sum(CASE WHEN o.status = "
            "'confirmed' THEN o.amount_fen END), 0), coalesce(sum(o.discount_fen), 0) FROM orders "
            "o JOIN products p ON p.id = o.product_id WHERE o.campaign_id = ? GROUP "
            "BY p.id ORDER BY p.code",
            p, 1, collect_report_product, products, err);
    if (rc == STORE_OK && *out != NULL)
        json_object_set_new(*out, "products", products);
    else
        json_decref(products);
    return rc;
}

void api_inst_campaign_report(struct req *r)
{
    int64_t id = 0;
    if (!req_param_id_or_reply(r, 0, &id))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *campaign = NULL, *totals = NULL;
    struct store_err err;
    enum store_rc rc = campaign_load(c, id, r->sess.institution_id, r->now_ms, &campaign, &err);
    if (rc == STORE_OK)
        rc = report(c, id, &totals, &err);
    /* An aggregate without GROUP BY always answers one row. */
    ASSERT(rc != STORE_OK || totals != NULL);
    if (rc == STORE_DONE)
        req_problem(r, 404, "not_found", NULL, "no campaign %lld", (long long)id);
    else if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    if (rc != STORE_OK) {
        json_decref(campaign);
        json_decref(totals);
        return;
    }
    json_object_set(totals, "budget", json_object_get(campaign, "budget"));
    json_object_set(totals, "spent", json_object_get(campaign, "spent"));
    json_object_set(totals, "budget_left", json_object_get(campaign, "budget_left"));
    req_reply_json(r, 200, json_pack("{s:o,s:o}", "campaign", campaign, "report", totals));
}
