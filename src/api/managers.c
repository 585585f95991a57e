/*
 * managers.c: the fund managers an institution shows in its zone.
 *
 * A profile (name, photo, title, years of experience, biography, the products managed) is
 * versioned like the zone brand. Its texts pass the compliance check: a blocking match refuses
 * the save with the spans; a review match holds the new version for a reviewer while the live
 * one stays up; a clean version goes live at once. Photos are the institution's own uploads and
 * products its own products. The public sees live profiles in the zone page's fund_managers
 * module and one at a time; every change is a commit, so the cached zone page is rebuilt. A
 * reviewer's decision about a pending version tells the staff member who saved it.
 */
#include "api/api.h"
#include "api/compliance.h"
#include "api/handlers.h"

#include "base/check.h"
#include "base/crypto.h"
#include "base/utf8.h"
#include "core/suitability.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VERSION_COLS                                                                           \
    "v.manager_id, v.version, v.name, v.photo_upload_id, v.title, v.years_experience, v.bio, " \
    "v.status, v.check_result, v.submitted_ms, v.decided_ms, COALESCE(v.reason, '')"

/* A live profile as the public sees it (VERSION_COLS, then m.institution_id): who they are;
 * what they manage is added after. */
#define PUBLIC_COLS VERSION_COLS ", m.institution_id"
#define PUBLIC_FROM                                                                             \
    " FROM fund_managers m JOIN fund_manager_versions v ON v.manager_id = m.id AND v.status = " \
    "'approved' JOIN institutions i ON i.id = m.institution_id WHERE m.status = 'active' AND "  \
    "i.status IN ('pilot', 'live')"

static json_t *public_json(const struct store_row *row)
{
    int64_t inst = store_row_int(row, 12);
    char url[96];
    snprintf(url, sizeof(url), "/uploads/%s", store_row_text(row, 3, NULL));
    return json_pack("{s:o,s:o,s:s,s:o,s:s,s:I,s:s,s:[]}", "id", json_id(store_row_int(row, 0)),
                     "institution_id", json_id(inst), "name", store_row_text(row, 2, NULL),
                     "photo_url", store_row_is_null(row, 3) ? json_null() : json_string(url),
                     "title", store_row_text(row, 4, NULL), "years_experience",
                     (json_int_t)store_row_int(row, 5), "bio", store_row_text(row, 6, NULL),
                     "products");
}

/* A version as its institution and reviewers see it: the profile and its review trail. */
static json_t *version_json(const struct store_row *row)
{
    char url[96];
    snprintf(url, sizeof(url), "/uploads/%s", store_row_text(row, 3, NULL));
    json_t *o = json_pack("{s:I,s:s,s:o,s:s,s:I,s:s,s:[]}", "version",
                          (json_int_t)store_row_int(row, 1), "name", store_row_text(row, 2, NULL),
                          "photo_url", store_row_is_null(row, 3) ? json_null() : json_string(url),
                          "title", store_row_text(row, 4, NULL), "years_experience",
                          (json_int_t)store_row_int(row, 5), "bio", store_row_text(row, 6, NULL),
                          "products");
    json_t *check = json_loads(store_row_text(row, 8, NULL), 0, NULL);
    json_object_set_new(o, "status", json_string(store_row_text(row, 7, NULL)));
    json_object_set_new(o, "check", check ? check : json_object());
    json_object_set_new(o, "submitted_ms", json_integer(store_row_int(row, 9)));
    json_object_set_new(o, "decided_ms",
                        store_row_is_null(row, 10) ? json_null()
                                                   : json_integer(store_row_int(row, 10)));
    json_object_set_new(o, "reason", json_string(store_row_text(row, 11, NULL)));
    return o;
}

static int collect_product(void *arr, const struct store_row *row)
{
    int risk = (int)store_row_int(row, 3);
    json_array_append_new(
        arr, json_pack("{s:o,s:s,s:s,s:s,s:s}", "id", json_id(store_row_int(row, 0)), "code",
                       store_row_text(row, 1, NULL), "name", store_row_text(row, 2, NULL),
                       "risk_level", suit_risk_code(risk), "risk_name", suit_risk_name(risk)));
    return 0;
}

/* Fills o.products with the products a version names, in order; the public sees only those
 * not closed. */
static enum store_rc add_products(struct store_conn *c, json_t *o, int64_t manager, int64_t version,
                                  bool public_only, struct store_err *err)
{
    struct store_val p[] = {SV_INT(manager), SV_INT(version), SV_INT(public_only)};
    return store_query(c,
                       "SELECT p.id, p.code, p.name, p.risk_level FROM fund_manager_products l "
                       "JOIN products p ON p.id = l.product_id WHERE l.manager_id = ? AND "
                       "l.version = ? AND (? = 0 OR p.status <> 'closed') ORDER BY l.position",
                       p, 3, collect_product, json_object_get(o, "products"), err);
}

/* ---- reading ---- */

/* Rows of one query, kept with the keys their products are loaded by afterwards. */
struct profiles {
    json_t *(*make)(const struct store_row *row);
    size_t n;
    json_t *item[LIMIT_MANAGERS_PER_ZONE];
    int64_t manager[LIMIT_MANAGERS_PER_ZONE], version[LIMIT_MANAGERS_PER_ZONE];
};

static int collect_profile(void *ctx, const struct store_row *row)
{
    struct profiles *ps = ctx;
    if (ps->n == LIMIT_MANAGERS_PER_ZONE)
        return 1;
    ps->manager[ps->n] = store_row_int(row, 0);
    ps->version[ps->n] = store_row_int(row, 1);
    ps->item[ps->n++] = ps->make(row);
    return 0;
}

/* Runs sql (rows of VERSION_COLS), then each row's products; appends the items to out. */
static enum store_rc load_profiles(struct store_conn *c, struct profiles *ps, const char *sql,
                                   const struct store_val *p, size_t n, bool public_only,
                                   json_t *out, struct store_err *err)
{
    enum store_rc rc = store_query(c, sql, p, n, collect_profile, ps, err);
    for (size_t i = 0; i < ps->n; i++) {
        if (rc == STORE_OK)
            rc = add_products(c, ps->item[i], ps->manager[i], ps->version[i], public_only, err);
        json_array_append_new(out, ps->item[i]);
    }
    return rc;
}

enum store_rc api_zone_managers(struct store_conn *c, int64_t inst, json_t *out,
                                struct store_err *err)
{
    struct profiles ps = {.make = public_json};
    struct store_val p[] = {SV_INT(inst), SV_INT(LIMIT_MANAGERS_PER_ZONE)};
    return load_profiles(c, &ps,
                         "SELECT " PUBLIC_COLS PUBLIC_FROM " AND m.institution_id = ? ORDER BY "
                         "m.created_ms, m.id LIMIT ?",
                         p, 2, true, out, err);
}

/* One live profile of a zone open to investors. */
void api_public_manager(struct req *r)
{
    int64_t id = 0;
    if (!req_param_id_or_reply(r, 0, &id))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct profiles ps = {.make = public_json};
    json_t *one = json_array();
    struct store_err err;
    struct store_val p[] = {SV_INT(id)};
    enum store_rc rc = load_profiles(c, &ps, "SELECT " PUBLIC_COLS PUBLIC_FROM " AND m.id = ?", p,
                                     1, true, one, &err);
    json_t *m = json_array_get(one, 0);
    if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    else if (m == NULL)
        req_problem(r, 404, "not_found", NULL, "no fund manager %lld", (long long)id);
    else
        req_reply_json(r, 200, json_pack("{s:O}", "manager", m));
    json_decref(one);
}

/* The institution's view of one manager: the live, pending and last rejected versions. */
static enum store_rc load_manager(struct store_conn *c, int64_t id, json_t **out,
                                  struct store_err *err)
{
    static const char *const which[] = {"approved", "pending", "rejected"};
    static const char *const member[] = {"live", "pending", "last_rejected"};
    json_t *o = json_pack("{s:o,s:s}", "id", json_id(id), "status", "active");
    enum store_rc rc = STORE_OK;
    for (size_t k = 0; k < ARRAY_LEN(which) && rc == STORE_OK; k++) {
        struct profiles ps = {.make = version_json};
        json_t *found = json_array();
        struct store_val p[] = {SV_INT(id), SV_TEXT(which[k])};
        rc = load_profiles(c, &ps,
                           "SELECT " VERSION_COLS " FROM fund_manager_versions v WHERE "
                           "v.manager_id = ? AND v.status = ? ORDER BY v.version DESC LIMIT 1",
                           p, 2, false, found, err);
        json_t *v = json_array_get(found, 0);
        json_object_set(o, member[k], v ? v : json_null());
        json_decref(found);
    }
    if (rc != STORE_OK)
        json_decref(o);
    *out = rc == STORE_OK ? o : NULL;
    return rc;
}

struct manager_ids {
    size_t n;
    int64_t id[LIMIT_MANAGERS_PER_ZONE];
};

static int collect_id(void *ctx, const struct store_row *row)
{
    struct manager_ids *m = ctx;
    if (m->n < LIMIT_MANAGERS_PER_ZONE)
        m->id[m->n++] = store_row_int(row, 0);
    return 0;
}

/* The caller's institution's managers, oldest first, each with its versions. */
void api_inst_managers(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct manager_ids ids = {0};
    struct store_err err;
    struct store_val p[] = {SV_INT(r->sess.institution_id), SV_INT(LIMIT_MANAGERS_PER_ZONE)};
    enum store_rc rc = store_query(c,
                                   "SELECT id FROM fund_managers WHERE institution_id = ? AND "
                                   "status = 'active' ORDER BY created_ms, id LIMIT ?",
                                   p, 2, collect_id, &ids, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < ids.n && rc == STORE_OK; i++) {
        json_t *m = NULL;
        rc = load_manager(c, ids.id[i], &m, &err);
        if (rc == STORE_OK)
            json_array_append_new(items, m);
    }
    if (rc != STORE_OK) {
        json_decref(items);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* ---- saving a profile ---- */

struct manager_save {
    int64_t id, inst, by, now_ms, version, years;
    bool is_new;
    const char *name, *photo, *title, *bio;
    int64_t product[LIMIT_MANAGER_PRODUCTS_MAX];
    size_t n_products;
    char *check;
    enum compliance_verdict verdict;
    struct api_actor actor;
    const char *bad_field; /* OUT: the member a refusal names */
    char bad_field_buf[48];
    json_t *out;
};

/* The photo and every product must be the institution's own. */
static enum store_rc own_refs(struct store_conn *c, struct manager_save *x, struct store_err *err)
{
    int64_t one = 0;
    struct store_val u[] = {SV_TEXT(x->photo ? x->photo : ""), SV_INT(x->inst)};
    enum store_rc rc = x->photo ? store_query_int(c,
                                                  "SELECT 1 FROM uploads WHERE id = ? AND "
                                                  "institution_id = ?",
                                                  u, 2, &one, err)
                                : STORE_OK;
    if (rc == STORE_DONE) {
        x->bad_field = "photo_upload_id";
        return api_abort(err, API_ABORT_INVALID,
                         "the photo must be an image your institution uploaded");
    }
    for (size_t i = 0; i < x->n_products && rc == STORE_OK; i++) {
        struct store_val p[] = {SV_INT(x->product[i]), SV_INT(x->inst)};
        rc = store_query_int(c, "SELECT 1 FROM products WHERE id = ? AND institution_id = ?", p, 2,
                             &one, err);
        if (rc == STORE_DONE) {
            snprintf(x->bad_field_buf, sizeof(x->bad_field_buf), "product_ids[%zu]", i);
            x->bad_field = x->bad_field_buf;
            return api_abort(err, API_ABORT_INVALID,
                             "product %lld is not one of your institution's products",
                             (long long)x->product[i]);
        }
    }
    return rc;
}

/* A new manager row, or the next version number of an active one of the institution. */
static enum store_rc next_version(struct store_conn *c, struct manager_save *x,
                                  struct store_err *err)
{
    if (x->is_new) {
        int64_t n = 0;
        struct store_val q[] = {SV_INT(x->inst)};
        enum store_rc rc = store_query_int(c,
                                           "SELECT count(*) FROM fund_managers WHERE "
                                           "institution_id = ? AND status = 'active'",
                                           q, 1, &n, err);
        if (rc == STORE_OK && n >= LIMIT_MANAGERS_PER_ZONE)
            return api_abort(err, API_ABORT_LIMIT, "at most %d fund managers in a zone",
                             LIMIT_MANAGERS_PER_ZONE);
        x->version = 1;
        struct store_val p[] = {SV_INT(x->id), SV_INT(x->inst), SV_INT(x->by), SV_INT(x->now_ms),
                                SV_INT(x->now_ms)};
        return rc != STORE_OK ? rc
                              : store_exec(c,
                                           "INSERT INTO fund_managers (id, institution_id, "
                                           "status, latest_version, created_by, created_ms, "
                                           "updated_ms) VALUES (?, ?, 'active', 1, ?, ?, ?)",
                                           p, 5, NULL, err);
    }
    struct store_val q[] = {SV_INT(x->id), SV_INT(x->inst)};
    enum store_rc rc = store_query_int(c,
                                       "SELECT latest_version + 1 FROM fund_managers WHERE id = ? "
                                       "AND institution_id = ? AND status = 'active'",
                                       q, 2, &x->version, err);
    if (rc == STORE_DONE)
        return api_abort(err, API_ABORT_NOT_FOUND, "no fund manager %lld in your institution",
                         (long long)x->id);
    struct store_val u[] = {SV_INT(x->version), SV_INT(x->now_ms), SV_INT(x->id)};
    return rc != STORE_OK ? rc
                          : store_exec(c,
                                       "UPDATE fund_managers SET latest_version = ?, updated_ms "
                                       "= ? WHERE id = ?",
                                       u, 3, NULL, err);
}

/* Retires the versions a new one replaces: any pending one, and the live one if it goes live. */
static enum store_rc retire(struct store_conn *c, int64_t id, bool live, int64_t now_ms,
                            struct store_err *err)
{
    struct store_val p[] = {SV_INT(now_ms), SV_INT(id), SV_INT(live)};
    return store_exec(c,
                      "UPDATE fund_manager_versions SET status = 'superseded', decided_ms = "
                      "COALESCE(decided_ms, ?) WHERE manager_id = ? AND (status = 'pending' OR "
                      "(? = 1 AND status = 'approved'))",
                      p, 3, NULL, err);
}

static enum store_rc insert_version(struct store_conn *c, struct manager_save *x,
                                    struct store_err *err)
{
    bool pass = x->verdict == COMPLIANCE_PASS;
    struct store_val p[] = {SV_INT(x->id),     SV_INT(x->version),
                            SV_TEXT(x->name),  x->photo ? SV_TEXT(x->photo) : SV_NULL_,
                            SV_TEXT(x->title), SV_INT(x->years),
                            SV_TEXT(x->bio),   SV_TEXT(pass ? "approved" : "pending"),
                            SV_TEXT(x->check), SV_INT(x->by),
                            SV_INT(x->now_ms), pass ? SV_INT(x->now_ms) : SV_NULL_};
    enum store_rc rc = store_exec(c,
                                  "INSERT INTO fund_manager_versions (manager_id, version, name, "
                                  "photo_upload_id, title, years_experience, bio, status, "
                                  "check_result, submitted_by, submitted_ms, decided_ms) VALUES "
                                  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                  p, 12, NULL, err);
    for (size_t i = 0; i < x->n_products && rc == STORE_OK; i++) {
        struct store_val l[] = {SV_INT(x->id), SV_INT(x->version), SV_INT((int64_t)i),
                                SV_INT(x->product[i])};
        rc = store_exec(c,
                        "INSERT INTO fund_manager_products (manager_id, version, position, "
                        "product_id) VALUES (?, ?, ?, ?)",
                        l, 4, NULL, err);
    }
    return rc;
}

static enum store_rc save_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct manager_save *x = ctx;
    bool pass = x->verdict == COMPLIANCE_PASS;
    enum store_rc rc = own_refs(c, x, err);
    if (rc == STORE_OK)
        rc = next_version(c, x, err);
    if (rc == STORE_OK)
        rc = retire(c, x->id, pass, x->now_ms, err);
    if (rc == STORE_OK)
        rc = insert_version(c, x, err);
    char subject[64];
    snprintf(subject, sizeof(subject), "manager:%lld:%lld", (long long)x->id,
             (long long)x->version);
    if (rc == STORE_OK)
        rc = api_moderation(c, subject, x->inst, pass ? "auto_pass" : "auto_hold",
                            "compliance check", 0, x->now_ms, err);
    json_t *d = json_pack("{s:s,s:s}", "name", x->name, "status", pass ? "approved" : "pending");
    if (rc == STORE_OK)
        rc = api_audit(c, &x->actor, x->inst, "manager.save", subject, d, x->now_ms, err);
    json_decref(d);
    return rc == STORE_OK ? load_manager(c, x->id, &x->out, err) : rc;
}

static void save_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct manager_save *x = r->write.ctx;
    free(x->check);
    if (rc == STORE_ABORT && err->code == API_ABORT_INVALID && x->bad_field != NULL) {
        req_problem(r, 422, "invalid_field", x->bad_field, "%s", err->msg);
        return;
    }
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, x->is_new ? 201 : 200, json_pack("{s:o}", "manager", x->out));
}

/* product_ids: ids of distinct products, as strings. Answers 422 itself. */
static bool products_or_reply(struct req *r, json_t *arr, struct manager_save *x)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        char field[48];
        snprintf(field, sizeof(field), "product_ids[%zu]", i);
        if (!json_is_string(v)) {
            req_problem(r, 422, "invalid_field", field, "%s must be an id (a string of digits)",
                        field);
            return false;
        }
        if (!api_id_or_reply(r, field, json_string_value(v), &x->product[i]))
            return false;
        for (size_t k = 0; k < i; k++) {
            if (x->product[k] == x->product[i]) {
                req_problem(r, 422, "invalid_field", field, "product %lld is named twice",
                            (long long)x->product[i]);
                return false;
            }
        }
    }
    x->n_products = json_array_size(arr);
    ASSERT(x->n_products <= LIMIT_MANAGER_PRODUCTS_MAX); /* req_fields_or_reply bounds it */
    return true;
}

/* The texts: visible, single-line name and title; then the compliance check. */
static bool texts_or_reply(struct req *r, struct manager_save *x)
{
    struct api_text_field texts[] = {
        {"name", x->name, true}, {"title", x->title, true}, {"bio", x->bio, false}};
    if (!api_texts_ok_or_reply(r, texts, ARRAY_LEN(texts)))
        return false;
    struct compliance_text t[] = {{"name", x->name, strlen(x->name)},
                                  {"title", x->title, strlen(x->title)},
                                  {"bio", x->bio, strlen(x->bio)}};
    struct compliance_result res;
    struct store_err err;
    enum store_rc rc = compliance_run(r->store, t, ARRAY_LEN(t), &res, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return false;
    }
    if (res.verdict == COMPLIANCE_BLOCK) {
        req_problem_with(r, 422, "compliance_blocked", json_pack("{s:o}", "check", res.json),
                         "the profile contains wording that may not be published; see the "
                         "matches");
        return false;
    }
    x->verdict = res.verdict;
    x->check = json_dumps(res.json, JSON_COMPACT);
    json_decref(res.json);
    if (x->check == NULL)
        req_problem(r, 503, "unavailable", NULL, "out of memory; try again");
    return x->check != NULL;
}

static void save(struct req *r, bool is_new)
{
    struct manager_save *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || (!is_new && !req_param_id_or_reply(r, 0, &x->id)))
        return;
    json_t *j = req_json_or_reply(r), *products = NULL;
    struct field f[] = {
        FIELD_STR("name", true, 1, LIMIT_MANAGER_NAME_CHARS_MAX, &x->name, NULL),
        FIELD_STR("photo_upload_id", false, 64, 64, &x->photo, NULL),
        FIELD_STR("title", true, 1, LIMIT_MANAGER_TITLE_CHARS_MAX, &x->title, NULL),
        FIELD_INT("years_experience", true, &x->years),
        FIELD_STR("bio", true, 1, LIMIT_MANAGER_BIO_CHARS_MAX, &x->bio, NULL),
        FIELD_ARRAY("product_ids", true, 0, LIMIT_MANAGER_PRODUCTS_MAX, &products),
    };
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    if (x->years < 0 || x->years > LIMIT_MANAGER_YEARS_MAX) {
        req_problem(r, 422, "invalid_field", "years_experience",
                    "field 'years_experience' must be 0 to %d", LIMIT_MANAGER_YEARS_MAX);
        return;
    }
    if (!products_or_reply(r, products, x) || !texts_or_reply(r, x))
        return;
    x->is_new = is_new;
    if (is_new)
        x->id = crypto_random_id();
    x->inst = r->sess.institution_id;
    x->by = r->sess.user_id;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, save_write, x, save_then);
}

void api_inst_manager_create(struct req *r)
{
    save(r, true);
}

void api_inst_manager_update(struct req *r)
{
    save(r, false);
}

/* ---- removing ---- */

struct manager_remove {
    int64_t id, inst, now_ms;
    struct api_actor actor;
};

static enum store_rc remove_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct manager_remove *x = ctx;
    int64_t changed = 0;
    struct store_val p[] = {SV_INT(x->now_ms), SV_INT(x->id), SV_INT(x->inst)};
    enum store_rc rc = store_exec(c,
                                  "UPDATE fund_managers SET status = 'removed', updated_ms = ? "
                                  "WHERE id = ? AND institution_id = ? AND status = 'active'",
                                  p, 3, &changed, err);
    if (rc == STORE_OK && changed == 0)
        return api_abort(err, API_ABORT_NOT_FOUND, "no fund manager %lld in your institution",
                         (long long)x->id);
    if (rc == STORE_OK) /* nothing of it waits for a reviewer any more */
        rc = retire(c, x->id, false, x->now_ms, err);
    char subject[48];
    snprintf(subject, sizeof(subject), "manager:%lld", (long long)x->id);
    json_t *d = json_object();
    if (rc == STORE_OK)
        rc = api_audit(c, &x->actor, x->inst, "manager.remove", subject, d, x->now_ms, err);
    json_decref(d);
    return rc;
}

static void remove_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct manager_remove *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o,s:s}", "id", json_id(x->id), "status", "removed"));
}

void api_inst_manager_remove(struct req *r)
{
    struct manager_remove *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id))
        return;
    x->inst = r->sess.institution_id;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, remove_write, x, remove_then);
}

/* ---- review ---- */

static json_t *review_json(const struct store_row *row)
{
    json_t *o = version_json(row);
    json_object_set_new(o, "id", json_id(store_row_int(row, 0)));
    json_object_set_new(o, "institution_id", json_id(store_row_int(row, 12)));
    json_object_set_new(o, "institution_name", json_string(store_row_text(row, 13, NULL)));
    return o;
}

enum store_rc api_manager_review_items(struct store_conn *c, json_t *items, struct store_err *err)
{
    struct profiles ps = {.make = review_json};
    json_t *found = json_array();
    struct store_val p[] = {SV_INT(LIMIT_MANAGERS_PER_ZONE)};
    enum store_rc rc = load_profiles(c, &ps,
                                     "SELECT " VERSION_COLS ", m.institution_id, i.name FROM "
                                     "fund_manager_versions v JOIN fund_managers m ON m.id = "
                                     "v.manager_id JOIN institutions i ON i.id = "
                                     "m.institution_id WHERE v.status = 'pending' ORDER BY "
                                     "v.submitted_ms, v.manager_id LIMIT ?",
                                     p, 1, false, found, err);
    size_t i;
    json_t *v;
    json_array_foreach(found, i, v) {
        json_array_append_new(items, json_pack("{s:s,s:O}", "kind", "manager", "item", v));
    }
    json_decref(found);
    return rc;
}

struct manager_decision {
    int64_t id, version, inst, author, now_ms;
    bool approve;
    const char *reason;
    struct api_actor actor;
    char name[LIMIT_MANAGER_NAME_CHARS_MAX * UTF8_SEQ_MAX + 1]; /* of the version decided */
};

static int take_pending(void *ctx, const struct store_row *row)
{
    struct manager_decision *x = ctx;
    x->inst = store_row_int(row, 0);
    x->author = store_row_int(row, 1);
    snprintf(x->name, sizeof(x->name), "%s", store_row_text(row, 2, NULL));
    return 1;
}

/* Tells the staff member who saved the version what the reviewer decided (inside the
 * decision). */
static enum store_rc notify_author(struct store_conn *c, const struct manager_decision *x,
                                   const char *subject, struct store_err *err)
{
    if (x->approve)
        return api_notify(c, x->author, "manager_approved", subject, x->now_ms, err,
                          "基金经理「%s」的资料（第%lld版）已通过审核并已上线。审核意见：%s",
                          x->name, (long long)x->version, x->reason);
    return api_notify(c, x->author, "manager_rejected", subject, x->now_ms, err,
                      "基金经理「%s」的资料（第%lld版）未通过审核，线上版本不变。理由：%s", x->name,
                      (long long)x->version, x->reason);
}

static enum store_rc decide_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct manager_decision *x = ctx;
    struct store_val q[] = {SV_INT(x->id), SV_INT(x->version)};
    x->inst = 0;
    enum store_rc rc = store_query(c,
                                   "SELECT m.institution_id, v.submitted_by, v.name FROM "
                                   "fund_managers m JOIN fund_manager_versions v ON "
                                   "v.manager_id = m.id WHERE m.id = ? AND v.version = ? AND "
                                   "v.status = 'pending' AND m.status = 'active'",
                                   q, 2, take_pending, x, err);
    if (rc == STORE_OK && x->inst == 0)
        return api_abort(err, API_ABORT_NOT_FOUND, "no pending version %lld of fund manager %lld",
                         (long long)x->version, (long long)x->id);
    struct store_val s[] = {SV_INT(x->now_ms), SV_INT(x->id)};
    if (rc == STORE_OK && x->approve) /* one live version per manager */
        rc = store_exec(c,
                        "UPDATE fund_manager_versions SET status = 'superseded', decided_ms = ? "
                        "WHERE manager_id = ? AND status = 'approved'",
                        s, 2, NULL, err);
    struct store_val u[] = {SV_TEXT(x->approve ? "approved" : "rejected"),
                            SV_INT(x->actor.user_id),
                            SV_INT(x->now_ms),
                            SV_TEXT(x->reason),
                            SV_INT(x->id),
                            SV_INT(x->version)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE fund_manager_versions SET status = ?, decided_by = ?, decided_ms "
                        "= ?, reason = ? WHERE manager_id = ? AND version = ?",
                        u, 6, NULL, err);
    char subject[64];
    snprintf(subject, sizeof(subject), "manager:%lld:%lld", (long long)x->id,
             (long long)x->version);
    if (rc == STORE_OK)
        rc = api_moderation(c, subject, x->inst, x->approve ? "approve" : "reject", x->reason,
                            x->actor.user_id, x->now_ms, err);
    json_t *d = json_pack("{s:b,s:s}", "approve", x->approve, "reason", x->reason);
    if (rc == STORE_OK)
        rc = api_audit(c, &x->actor, x->inst, "manager.decide", subject, d, x->now_ms, err);
    json_decref(d);
    return rc == STORE_OK ? notify_author(c, x, subject, err) : rc;
}

static void decide_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct manager_decision *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:o,s:I,s:s}", "id", json_id(x->id), "version",
                             (json_int_t)x->version, "status",
                             x->approve ? "approved" : "rejected"));
}

void api_ops_manager_decide(struct req *r)
{
    struct manager_decision *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id) ||
        !req_param_id_or_reply(r, 1, &x->version) ||
        !api_decision_or_reply(r, &x->approve, &x->reason))
        return;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, decide_write, x, decide_then);
}
