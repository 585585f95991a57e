/*
 * zones.c: an institution's branded zone (its 财富号).
 *
 * The brand (name, logo, colour, slogan, introduction, modules in order) is versioned.
 * Every change goes through the compliance check and then operator review; the live
 * version stays up until the new one is approved. A text with a blocking match is refused
 * at once with the matches, so the author sees exactly what to change.
 */
#include "api/cache.h"
#include "api/campaigns.h"
#include "api/compliance.h"
#include "api/handlers.h"
#include "api/trading.h"

#include "base/check.h"
#include "base/crypto.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const module_names[] = {"featured_products", "articles", "announcements",
                                           "fund_managers", "qa"};

#define ZONE_COLS                                                                       \
    "z.id, z.display_name, z.logo_upload_id, z.theme_color, z.slogan, z.introduction, " \
    "z.modules, z.status, z.check_result, z.submitted_ms, z.decided_ms, COALESCE(z.reason, '')"

static json_t *zone_json(const struct store_row *row)
{
    json_t *modules = json_loads(store_row_text(row, 6, NULL), 0, NULL);
    json_t *check = json_loads(store_row_text(row, 8, NULL), 0, NULL);
    json_t *o = json_pack(
        "{s:o,s:s,s:s,s:s,s:s,s:o,s:s,s:o,s:I,s:s}", "version_id", json_id(store_row_int(row, 0)),
        "display_name", store_row_text(row, 1, NULL), "theme_color", store_row_text(row, 3, NULL),
        "slogan", store_row_text(row, 4, NULL), "introduction", store_row_text(row, 5, NULL),
        "modules", modules ? modules : json_array(), "status", store_row_text(row, 7, NULL),
        "check", check ? check : json_object(), "submitted_ms", (json_int_t)store_row_int(row, 9),
        "reason", store_row_text(row, 11, NULL));
    char url[96];
    snprintf(url, sizeof(url), "/uploads/%s", store_row_text(row, 2, NULL));
    json_object_set_new(o, "logo_url", store_row_is_null(row, 2) ? json_null() : json_string(url));
    json_object_set_new(o, "decided_ms",
                        store_row_is_null(row, 10) ? json_null()
                                                   : json_integer(store_row_int(row, 10)));
    return o;
}

static int take_zone(void *ctx, const struct store_row *row)
{
    *(json_t **)ctx = zone_json(row);
    return 1;
}

/* The institution's newest version in `status` as JSON, or NULL. */
static enum store_rc load_zone(struct store_conn *c, int64_t inst, const char *status, json_t **out,
                               struct store_err *err)
{
    *out = NULL;
    struct store_val p[] = {SV_INT(inst), SV_TEXT(status)};
    return store_query(c,
                       "SELECT " ZONE_COLS " FROM zone_versions z WHERE z.institution_id = ? AND "
                       "z.status = ? ORDER BY z.submitted_ms DESC, z.id DESC LIMIT 1",
                       p, 2, take_zone, out, err);
}

static enum store_rc load_zone_id(struct store_conn *c, int64_t id, json_t **out,
                                  struct store_err *err)
{
    *out = NULL;
    struct store_val p[] = {SV_INT(id)};
    return store_query(c, "SELECT " ZONE_COLS " FROM zone_versions z WHERE z.id = ?", p, 1,
                       take_zone, out, err);
}

void api_inst_zone(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *live = NULL, *pending = NULL, *rejected = NULL;
    struct store_err err;
    enum store_rc rc = load_zone(c, r->sess.institution_id, "approved", &live, &err);
    if (rc == STORE_OK)
        rc = load_zone(c, r->sess.institution_id, "pending", &pending, &err);
    if (rc == STORE_OK)
        rc = load_zone(c, r->sess.institution_id, "rejected", &rejected, &err);
    if (rc != STORE_OK) {
        json_decref(live);
        json_decref(pending);
        json_decref(rejected);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:o,s:o,s:o}", "live", live ? live : json_null(), "pending",
                             pending ? pending : json_null(), "last_rejected",
                             rejected ? rejected : json_null()));
}

/* ---- submit a new brand version ---- */

struct zone_new {
    int64_t id, inst, by, now_ms;
    const char *name, *logo, *color, *slogan, *intro;
    char *modules, *check;
    enum compliance_verdict verdict;
    struct api_actor actor;
    json_t *out;
};

static enum store_rc zone_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct zone_new *x = ctx;
    int64_t one = 0;
    struct store_val u[] = {SV_TEXT(x->logo ? x->logo : ""), SV_INT(x->inst)};
    enum store_rc rc = x->logo ? store_query_int(c,
                                                 "SELECT 1 FROM uploads WHERE id = ? AND "
                                                 "institution_id = ?",
                                                 u, 2, &one, err)
                               : STORE_OK;
    if (rc == STORE_DONE)
        return api_abort(err, API_ABORT_INVALID,
                         "the logo must be an image your institution "
                         "uploaded");
    /* A newer submission replaces a pending one: one pending version at a time. One the
     * check blocks replaces nothing: it never reaches a reviewer. */
    struct store_val s[] = {SV_INT(x->now_ms), SV_INT(x->inst)};
    if (rc == STORE_OK && x->verdict != COMPLIANCE_BLOCK)
        rc = store_exec(c,
                        "UPDATE zone_versions SET status = 'superseded', decided_ms = ? WHERE "
                        "institution_id = ? AND status = 'pending'",
                        s, 2, NULL, err);
    bool blocked = x->verdict == COMPLIANCE_BLOCK;
    const char *status = blocked ? "rejected" : "pending";
    struct store_val p[] = {
        SV_INT(x->id),
        SV_INT(x->inst),
        SV_TEXT(x->name),
        x->logo ? SV_TEXT(x->logo) : SV_NULL_,
        SV_TEXT(x->color),
        SV_TEXT(x->slogan),
        SV_TEXT(x->intro),
        SV_TEXT(x->modules),
        SV_TEXT(status),
        SV_TEXT(x->check),
        SV_INT(x->by),
        SV_INT(x->now_ms),
        blocked ? SV_INT(x->now_ms) : SV_NULL_,
        blocked ? SV_TEXT("blocked by the compliance check: see the matches") : SV_NULL_,
    };
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "INSERT INTO zone_versions (id, institution_id, display_name, "
                        "logo_upload_id, theme_color, slogan, introduction, modules, status, "
                        "check_result, submitted_by, submitted_ms, decided_ms, reason) VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        p, 14, NULL, err);
    if (rc != STORE_OK)
        return rc;
    char subject[48];
    snprintf(subject, sizeof(subject), "zone:%lld", (long long)x->id);
    json_t *d =
        json_pack("{s:s,s:s}", "status", status, "verdict", compliance_verdict_name(x->verdict));
    rc = api_audit(c, &x->actor, x->inst, "zone.submit", subject, d, x->now_ms, err);
    json_decref(d);
    if (rc == STORE_OK && x->verdict == COMPLIANCE_BLOCK)
        rc = api_moderation(c, subject, x->inst, "auto_block", "the compliance check blocked it", 0,
                            x->now_ms, err);
    return rc == STORE_OK ? load_zone_id(c, x->id, &x->out, err) : rc;
}

static void zone_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct zone_new *x = r->write.ctx;
    free(x->modules);
    free(x->check);
    if (rc != STORE_OK) {
        json_decref(x->out);
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 201, json_pack("{s:o}", "version", x->out ? x->out : json_null()));
}

static bool color_ok(const char *s)
{
    if (strlen(s) != 7 || s[0] != '#')
        return false;
    for (int i = 1; i < 7; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
              (s[i] >= 'A' && s[i] <= 'F')))
            return false;
    return true;
}

/* The modules: known names, no repeats, in the order given. Answers 422 itself. */
static bool modules_or_reply(struct req *r, json_t *arr)
{
    bool seen[ARRAY_LEN(module_names)] = {false};
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        size_t k = 0;
        while (k < ARRAY_LEN(module_names) &&
               !(json_is_string(v) && strcmp(json_string_value(v), module_names[k]) == 0))
            k++;
        if (k == ARRAY_LEN(module_names) || seen[k]) {
            req_problem(r, 422, "invalid_field", "modules",
                        "modules[%zu] must be one of featured_products, articles, "
                        "announcements, fund_managers, qa, each at most once",
                        i);
            return false;
        }
        seen[k] = true;
    }
    return true;
}

/* Runs the compliance check on the brand's texts; answers a store problem itself. */
static bool check_or_reply(struct req *r, struct zone_new *x)
{
    struct compliance_text t[] = {
        {"display_name", x->name, strlen(x->name)},
        {"slogan", x->slogan, strlen(x->slogan)},
        {"introduction", x->intro, strlen(x->intro)},
    };
    struct compliance_result res;
    struct store_err err;
    enum store_rc rc = compliance_run(r->store, t, ARRAY_LEN(t), &res, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return false;
    }
    x->verdict = res.verdict;
    x->check = json_dumps(res.json, JSON_COMPACT);
    json_decref(res.json);
    return x->check != NULL;
}

void api_inst_zone_submit(struct req *r)
{
    json_t *j = req_json_or_reply(r);
    struct zone_new *x = arena_zalloc(&r->arena, sizeof(*x));
    json_t *modules = NULL;
    struct field f[] = {
        FIELD_STR("display_name", true, 2, 32, &x->name, NULL),
        FIELD_STR("logo_upload_id", false, 64, 64, &x->logo, NULL),
        FIELD_STR("theme_color", true, 7, 7, &x->color, NULL),
        FIELD_STR("slogan", true, 1, 40, &x->slogan, NULL),
        FIELD_STR("introduction", true, 1, 1000, &x->intro, NULL),
        FIELD_ARRAY("modules", true, 1, ARRAY_LEN(module_names), &modules),
    };
    if (j == NULL || x == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)) ||
        !modules_or_reply(r, modules))
        return;
    const char *const texts[][2] = {
        {"display_name", x->name}, {"slogan", x->slogan}, {"introduction", x->intro}};
    for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
        if (!api_text_ok(texts[i][1], i < 2)) { /* the introduction may span lines */
            req_problem(r, 422, "invalid_field", texts[i][0],
                        "field '%s' must show some text and may not contain bidirectional "
                        "controls",
                        texts[i][0]);
            return;
        }
    }
    if (!color_ok(x->color)) {
        req_problem(r, 422, "invalid_field", "theme_color",
                    "field 'theme_color' must be a colour like #1677FF");
        return;
    }
    if (!check_or_reply(r, x))
        return;
    x->modules = json_dumps(modules, JSON_COMPACT);
    x->id = crypto_random_id();
    x->inst = r->sess.institution_id;
    x->by = r->sess.user_id;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, zone_write, x, zone_then);
}

/* ---- operator decision ---- */

struct zone_decision {
    int64_t id, inst, author, now_ms;
    bool approve;
    const char *reason;
    char name[LIMIT_INST_NAME_CHARS_MAX * UTF8_SEQ_MAX + 1]; /* the version's display name */
    struct api_actor actor;
};

static int take_pending(void *ctx, const struct store_row *row)
{
    struct zone_decision *x = ctx;
    x->inst = store_row_int(row, 0);
    x->author = store_row_int(row, 1);
    snprintf(x->name, sizeof(x->name), "%s", store_row_text(row, 2, NULL));
    return 1;
}

/* Tells the author of the version what the reviewer decided (inside the decision). */
static enum store_rc notify_author(struct store_conn *c, const struct zone_decision *x,
                                   const char *subject, struct store_err *err)
{
    if (x->approve)
        return api_notify(c, x->author, "zone_approved", subject, x->now_ms, err,
                          "财富号品牌「%s」已通过审核并已上线。审核意见：%s", x->name, x->reason);
    return api_notify(c, x->author, "zone_rejected", subject, x->now_ms, err,
                      "财富号品牌「%s」未通过审核，线上版本不变。理由：%s", x->name, x->reason);
}

static enum store_rc decision_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct zone_decision *x = ctx;
    struct store_val q[] = {SV_INT(x->id)};
    x->inst = 0;
    enum store_rc rc = store_query(c,
                                   "SELECT institution_id, submitted_by, display_name FROM "
                                   "zone_versions WHERE id = ? AND status = 'pending'",
                                   q, 1, take_pending, x, err);
    if (rc == STORE_OK && x->inst == 0)
        return api_abort(err, API_ABORT_NOT_FOUND, "no pending zone version %lld",
                         (long long)x->id);
    /* Approving retires the live version: one approved version per zone. */
    struct store_val s[] = {SV_INT(x->inst)};
    if (rc == STORE_OK && x->approve)
        rc = store_exec(c,
                        "UPDATE zone_versions SET status = 'superseded' WHERE institution_id = ? "
                        "AND status = 'approved'",
                        s, 1, NULL, err);
    struct store_val u[] = {SV_TEXT(x->approve ? "approved" : "rejected"), SV_INT(x->actor.user_id),
                            SV_INT(x->now_ms), SV_TEXT(x->reason), SV_INT(x->id)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE zone_versions SET status = ?, decided_by = ?, decided_ms = ?, "
                        "reason = ? WHERE id = ?",
                        u, 5, NULL, err);
    if (rc == STORE_OK && x->approve)
        rc = api_search_index_zone(c, x->inst, err);
    char subject[48];
    snprintf(subject, sizeof(subject), "zone:%lld", (long long)x->id);
    if (rc == STORE_OK)
        rc = api_moderation(c, subject, x->inst, x->approve ? "approve" : "reject", x->reason,
                            x->actor.user_id, x->now_ms, err);
    json_t *d = json_pack("{s:b,s:s}", "approve", x->approve, "reason", x->reason);
    if (rc == STORE_OK)
        rc = api_audit(c, &x->actor, x->inst, "zone.decide", subject, d, x->now_ms, err);
    json_decref(d);
    return rc == STORE_OK ? notify_author(c, x, subject, err) : rc;
}

static void decision_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct zone_decision *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:o,s:s}", "version_id", json_id(x->id), "status",
                             x->approve ? "approved" : "rejected"));
}

void api_ops_zone_decide(struct req *r)
{
    struct zone_decision *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id))
        return;
    if (!api_decision_or_reply(r, &x->approve, &x->reason))
        return;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, decision_write, x, decision_then);
}

/* ---- the public zone page ---- */

static int collect_public_product(void *arr, const struct store_row *row)
{
    json_array_append_new(arr, api_product_json(row));
    return 0;
}

struct inst_brief {
    bool found;
    char name[256], status[16];
    int64_t followers;
};

static int take_inst_brief(void *ctx, const struct store_row *row)
{
    struct inst_brief *b = ctx;
    b->found = true;
    snprintf(b->name, sizeof(b->name), "%s", store_row_text(row, 0, NULL));
    snprintf(b->status, sizeof(b->status), "%s", store_row_text(row, 1, NULL));
    b->followers = store_row_int(row, 2);
    return 1;
}

/* The brand shown before any version is approved: the institution's own name. */
static json_t *default_brand(const char *name)
{
    return json_pack("{s:n,s:s,s:n,s:s,s:s,s:s,s:[sss]}", "version_id", "display_name", name,
                     "logo_url", "theme_color", "#1677FF", "slogan", "", "introduction", "",
                     "modules", "featured_products", "articles", "announcements");
}

/* The cache's name for zone pages (compared by address). */
static const char zone_space[] = "zone";

/*
 * The content of the modules the page carries, as members in the order the brand lists its
 * modules: featured products, the latest articles and announcements, and fund managers, as
 * the brand shows them. Featured products are always there (last when the brand does not list
 * them); Q&A has its own paged list.
 */
static enum store_rc page_modules(struct store_conn *c, int64_t id, json_t *brand, json_t **out,
                                  struct store_err *err)
{
    json_t *modules = json_object(), *products = json_array();
    struct store_val q[] = {SV_INT(id), SV_INT(LIMIT_FEATURED_PRODUCTS)};
    enum store_rc rc = store_query(c,
                                   "SELECT " API_PRODUCT_COLS " FROM products p WHERE "
                                   "p.institution_id = ? AND p.status <> 'closed' ORDER BY "
                                   "p.risk_level, p.code LIMIT ?",
                                   q, 2, collect_public_product, products, err);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(brand, "modules"), i, m) {
        const char *name = json_string_value(m);
        if (rc == STORE_OK && name != NULL && strcmp(name, "featured_products") == 0) {
            json_object_set(modules, name, products);
        } else if (rc == STORE_OK && name != NULL &&
                   (strcmp(name, "articles") == 0 || strcmp(name, "announcements") == 0)) {
            json_t *list = json_array();
            json_object_set_new(modules, name, list);
            rc = api_zone_contents(c, id, name[1] == 'r' ? "article" : "announcement", list, err);
        } else if (rc == STORE_OK && name != NULL && strcmp(name, "fund_managers") == 0) {
            json_t *managers = json_array();
            json_object_set_new(modules, name, managers);
            rc = api_zone_managers(c, id, managers, err);
        }
    }
    if (json_object_get(modules, "featured_products") == NULL)
        json_object_set(modules, "featured_products", products);
    json_decref(products);
    if (rc != STORE_OK)
        json_decref(modules);
    *out = rc == STORE_OK ? modules : NULL;
    return rc;
}

/* Everything the investor app needs for a zone, in one response. */
void api_public_zone(struct req *r)
{
    int64_t id = 0;
    if (!req_param_id_or_reply(r, 0, &id) || cache_reply(r, zone_space, id))
        return;
    /* Read before the page is built: a commit in between makes the cached copy stale at
     * once rather than hiding the change. */
    uint64_t gen = store_generation(r->store);
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct inst_brief b = {0};
    struct store_err err;
    struct store_val p[] = {SV_INT(id)};
    enum store_rc rc = store_query(c,
                                   "SELECT i.name, i.status, (SELECT count(*) FROM follows f "
                                   "WHERE f.institution_id = i.id) FROM institutions i WHERE "
                                   "i.id = ?",
                                   p, 1, take_inst_brief, &b, &err);
    if (rc == STORE_OK && (!b.found || !inst_status_public(inst_status_parse(b.status)))) {
        req_problem(r, 404, "not_found", NULL, "no zone %lld", (long long)id);
        return;
    }
    json_t *brand = NULL, *modules = NULL;
    if (rc == STORE_OK)
        rc = load_zone(c, id, "approved", &brand, &err);
    if (rc == STORE_OK && brand == NULL)
        brand = default_brand(b.name);
    if (rc == STORE_OK)
        rc = page_modules(c, id, brand, &modules, &err);
    if (rc != STORE_OK) {
        json_decref(brand);
        req_store_problem(r, rc, &err);
        return;
    }
    /* the public sees the brand, not the review trail */
    static const char *const internal[] = {"check", "status", "reason", "submitted_ms",
                                           "decided_ms"};
    for (size_t i = 0; i < ARRAY_LEN(internal); i++)
        json_object_del(brand, internal[i]);
    json_t *page = json_pack("{s:o,s:o,s:I,s:o}", "institution_id", json_id(id), "brand", brand,
                             "followers", (json_int_t)b.followers, "modules", modules);
    char *text = json_dumps(page, JSON_COMPACT);
    json_decref(page);
    if (text == NULL) {
        req_problem(r, 503, "unavailable", NULL, "out of memory; try again");
        return;
    }
    req_reply_raw(r, 200, "application/json", text, strlen(text));
    cache_put(r, zone_space, id, gen, text, strlen(text));
    free(text);
}

/* ---- follow ---- */

static enum store_rc follow_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct api_zone_toggle *x = ctx;
    /* Following needs a zone open to investors; leaving one is always possible. */
    struct store_val q[] = {SV_INT(x->inst), SV_INT(x->on)};
    int64_t one = 0;
    enum store_rc rc = store_query_int(c,
                                       "SELECT 1 FROM institutions WHERE id = ? AND (? = 0 OR "
                                       "status IN ('pilot', 'live'))",
                                       q, 2, &one, err);
    if (rc == STORE_DONE)
        return api_abort(err, API_ABORT_NOT_FOUND, "no zone %lld", (long long)x->inst);
    struct store_val p[] = {SV_INT(x->investor), SV_INT(x->inst), SV_INT(x->now_ms)};
    int64_t changed = 0;
    if (rc == STORE_OK && x->on)
        rc = store_exec(c,
                        "INSERT INTO follows (investor_id, institution_id, created_ms) VALUES "
                        "(?, ?, ?) ON CONFLICT DO NOTHING",
                        p, 3, &changed, err);
    else if (rc == STORE_OK)
        rc = store_exec(c, "DELETE FROM follows WHERE investor_id = ? AND institution_id = ?", p, 2,
                        &changed, err);
    /* The day's follower change, for the roll-ups: only a follow that really changed. */
    struct store_val d[] = {SV_INT(x->inst), SV_INT(x->on ? 1 : -1), SV_INT(x->now_ms)};
    if (rc == STORE_OK && changed > 0)
        rc = store_exec(
            c, "INSERT INTO follow_changes (institution_id, delta, at_ms) VALUES (?, ?, ?)", d, 3,
            NULL, err);
    return rc;
}

/* Following shares nothing personal with the institution: it sees a count, not who. */
void api_inv_follow(struct req *r)
{
    api_zone_toggle(r, true, "following", follow_write);
}

void api_inv_unfollow(struct req *r)
{
    api_zone_toggle(r, false, "following", follow_write);
}

void api_inv_follows(struct req *r)
{
    struct store_val p[] = {SV_INT(r->sess.user_id), SV_INT(LIMIT_PAGE_SIZE_MAX)};
    api_reply_items(r,
                    "SELECT f.institution_id, i.name, f.created_ms FROM follows f "
                    "JOIN institutions i ON i.id = f.institution_id WHERE "
                    "f.investor_id = ? ORDER BY f.created_ms DESC LIMIT ?",
                    p, 2, api_collect_zone_since);
}

/* ---- review queue ---- */

static int collect_review(void *arr, const struct store_row *row)
{
    json_t *z = zone_json(row);
    json_object_set_new(z, "institution_id", json_id(store_row_int(row, 12)));
    json_object_set_new(z, "institution_name", json_string(store_row_text(row, 13, NULL)));
    json_array_append_new(arr, json_pack("{s:s,s:o}", "kind", "zone", "item", z));
    return 0;
}

static int64_t waited_since(json_t *entry)
{
    json_t *item = json_object_get(entry, "item");
    json_t *t = json_object_get(item, "submitted_ms");
    return json_integer_value(t ? t : json_object_get(item, "created_ms"));
}

static int oldest_first(const void *a, const void *b)
{
    int64_t x = waited_since(*(json_t *const *)a), y = waited_since(*(json_t *const *)b);
    return x < y ? -1 : x > y;
}

/* Sorts the queue's entries (zones and contents together) by how long they have waited. */
static json_t *sorted(json_t *items)
{
    size_t n = json_array_size(items);
    json_t **v = calloc(n ? n : 1, sizeof(*v));
    json_t *out = json_array();
    for (size_t i = 0; v != NULL && i < n; i++)
        v[i] = json_array_get(items, i);
    if (v != NULL)
        qsort(v, n, sizeof(*v), oldest_first);
    for (size_t i = 0; v != NULL && i < n; i++)
        json_array_append(out, v[i]);
    free(v);
    json_decref(items);
    return out;
}

/* Everything waiting for a reviewer, oldest first, with the matched spans of the check. */
void api_ops_review(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *items = json_array();
    struct store_err err;
    struct store_val p[] = {SV_INT(LIMIT_PAGE_SIZE_MAX)};
    enum store_rc rc = store_query(c,
                                   "SELECT " ZONE_COLS ", z.institution_id, i.name FROM "
                                   "zone_versions z JOIN institutions i ON i.id = "
                                   "z.institution_id WHERE z.status = 'pending' ORDER BY "
                                   "z.submitted_ms, z.id LIMIT ?",
                                   p, 1, collect_review, items, &err);
    if (rc == STORE_OK)
        rc = api_content_review_items(c, items, &err);
    if (rc == STORE_OK)
        rc = api_question_review_items(c, items, &err);
    if (rc == STORE_OK)
        rc = api_message_review_items(c, items, &err);
    if (rc == STORE_OK)
        rc = api_comment_review_items(c, items, &err);
    if (rc == STORE_OK)
        rc = api_manager_review_items(c, items, &err);
    if (rc == STORE_OK)
        rc = api_campaign_review_items(c, items, &err);
    if (rc == STORE_OK)
        rc = api_report_review_items(r->store, c, items, &err);
    if (rc != STORE_OK) {
        json_decref(items);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "items", sorted(items)));
}
