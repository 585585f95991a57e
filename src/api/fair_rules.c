/*
 * fair_rules.c: versions of the fair traffic rule (DESIGN §7, docs/fair-rule.md).
 *
 * Operators draft a version (ops_admin), edit it while it is a draft, and publish it with a
 * notice period of at least fair_notice_days (15 by default): it takes effect on the
 * business date of publication plus the notice. A published version never changes (here,
 * and in the database: trigger fair_rule_versions_frozen); it is only superseded by a later
 * version's effective date. Everyone can read the published versions in full, with their
 * SHA-256; the rule in force on day D is the published version with the latest effective
 * date on or before D.
 */
#include "api/api.h"
#include "api/fair_json.h"
#include "api/handlers.h"

#include "base/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RULE_COLS                                                                         \
    "version, status, text, hash, created_ms, updated_ms, published_ms, published_date, " \
    "notice_days, effective_date"

static json_t *text_or_null(const struct store_row *row, int col)
{
    return store_row_is_null(row, col) ? json_null() : json_string(store_row_text(row, col, NULL));
}

static json_t *int_or_null(const struct store_row *row, int col)
{
    return store_row_is_null(row, col) ? json_null() : json_integer(store_row_int(row, col));
}

/* One version from a row of RULE_COLS. */
static json_t *rule_json(const struct store_row *row)
{
    size_t len = 0;
    const char *text = store_row_text(row, 2, &len);
    json_t *rule = json_loadb(text, len, 0, NULL);
    return json_pack("{s:I,s:s,s:o,s:s,s:o,s:I,s:I,s:o,s:o,s:o,s:o}", "version",
                     (json_int_t)store_row_int(row, 0), "status", store_row_text(row, 1, NULL),
                     "rule", rule ? rule : json_null(), "text", text, "hash", text_or_null(row, 3),
                     "created_ms", (json_int_t)store_row_int(row, 4), "updated_ms",
                     (json_int_t)store_row_int(row, 5), "published_ms", int_or_null(row, 6),
                     "published_date", text_or_null(row, 7), "notice_days", int_or_null(row, 8),
                     "effective_date", text_or_null(row, 9));
}

static int collect_rules(void *array, const struct store_row *row)
{
    json_array_append_new(array, rule_json(row));
    return 0;
}

static int take_rule(void *ctx, const struct store_row *row)
{
    *(json_t **)ctx = rule_json(row);
    return 1;
}

/* The version of path parameter 0: 1 to 2^31. */
static bool version_or_reply(struct req *r, int64_t *out)
{
    if (!req_param_id_or_reply(r, 0, out))
        return false;
    if (*out > INT32_MAX) {
        req_problem(r, 404, "not_found", NULL, "no fair rule version %lld", (long long)*out);
        return false;
    }
    return true;
}

/* Reads a rule body, checks it and writes its canonical text into the arena. */
static bool rule_body_or_reply(struct req *r, char **text)
{
    json_t *j = req_json_or_reply(r);
    if (j == NULL)
        return false;
    struct fr_rule rule;
    struct fair_err err;
    if (!fair_rule_parse(j, &rule, &err)) {
        req_problem(r, 422, "rule_invalid", err.field[0] ? err.field : NULL, "%s", err.msg);
        return false;
    }
    json_t *canon = fair_rule_json(&rule);
    char *t = fair_canonical(canon);
    json_decref(canon);
    *text = t ? arena_strndup(&r->arena, t, strlen(t)) : NULL;
    free(t);
    if (*text == NULL) {
        req_problem(r, 503, "unavailable", NULL, "out of memory; try again");
        return false;
    }
    return true;
}

/* ---- operators ---- */

void api_ops_fair_rules(struct req *r)
{
    struct store_val p[] = {SV_INT(LIMIT_PAGE_SIZE_MAX)};
    api_reply_items(r, "SELECT " RULE_COLS " FROM fair_rule_versions ORDER BY version DESC LIMIT ?",
                    p, 1, collect_rules);
}

static void reply_version(struct req *r, int64_t version, bool published_only, unsigned status)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *out = NULL;
    struct store_err err;
    struct store_val p[] = {SV_INT(version), SV_INT(published_only)};
    enum store_rc rc = store_query(c,
                                   "SELECT " RULE_COLS " FROM fair_rule_versions WHERE version = "
                                   "? AND (? = 0 OR status = 'published')",
                                   p, 2, take_rule, &out, &err);
    if (rc != STORE_OK) {
        json_decref(out);
        req_store_problem(r, rc, &err);
        return;
    }
    if (out == NULL) {
        req_problem(r, 404, "not_found", NULL, "no %sfair rule version %lld",
                    published_only ? "published " : "", (long long)version);
        return;
    }
    req_reply_json(r, status, out);
}

void api_ops_fair_rule_get(struct req *r)
{
    int64_t v = 0;
    if (version_or_reply(r, &v))
        reply_version(r, v, false, 200);
}

struct draft {
    int64_t version, now_ms;
    char *text;
    struct api_actor actor;
    json_t *out; /* OUT */
};

static enum store_rc create_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct draft *x = ctx;
    enum store_rc rc = store_query_int(c,
                                       "SELECT COALESCE(MAX(version), 0) + 1 FROM "
                                       "fair_rule_versions",
                                       NULL, 0, &x->version, err);
    struct store_val p[] = {SV_INT(x->version), SV_TEXT(x->text), SV_INT_OR_NULL(x->actor.user_id),
                            SV_INT(x->now_ms), SV_INT(x->now_ms)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "INSERT INTO fair_rule_versions (version, status, text, created_by, "
                        "created_ms, updated_ms) VALUES (?, 'draft', ?, ?, ?, ?)",
                        p, 5, NULL, err);
    if (rc != STORE_OK)
        return rc;
    json_t *d = json_pack("{s:I}", "version", (json_int_t)x->version);
    rc = api_audit(c, &x->actor, 0, "fair_rule.draft", "fair_rule", d, x->now_ms, err);
    json_decref(d);
    return rc;
}

static void draft_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct draft *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    reply_version(r, x->version, false, r->method == M_POST ? 201 : 200);
}

void api_ops_fair_rule_create(struct req *r)
{
    struct draft *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !rule_body_or_reply(r, &x->text))
        return;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, create_write, x, draft_then);
}

static int take_text(void *ctx, const struct store_row *row)
{
    snprintf(ctx, 16, "%s", store_row_text(row, 0, NULL));
    return 1;
}

/* 404 when the version does not exist, 409 when it is not a draft. */
static enum store_rc draft_or_abort(struct store_conn *c, int64_t version, const char *what,
                                    struct store_err *err)
{
    char status[16] = "";
    struct store_val p[] = {SV_INT(version)};
    enum store_rc rc = store_query(c, "SELECT status FROM fair_rule_versions WHERE version = ?", p,
                                   1, take_text, status, err);
    if (rc != STORE_OK)
        return rc;
    if (status[0] == '\0')
        return api_abort(err, API_ABORT_NOT_FOUND, "no fair rule version %lld", (long long)version);
    if (strcmp(status, "draft") != 0)
        return api_abort(err, API_ABORT_CONFLICT,
                         "version %lld is published: it cannot be %s, only superseded by a "
                         "later version",
                         (long long)version, what);
    return STORE_OK;
}

static enum store_rc update_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct draft *x = ctx;
    enum store_rc rc = draft_or_abort(c, x->version, "edited", err);
    struct store_val p[] = {SV_TEXT(x->text), SV_INT(x->now_ms), SV_INT(x->version)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE fair_rule_versions SET text = ?, updated_ms = ? WHERE version = "
                        "? AND status = 'draft'",
                        p, 3, NULL, err);
    if (rc != STORE_OK)
        return rc;
    json_t *d = json_pack("{s:I}", "version", (json_int_t)x->version);
    rc = api_audit(c, &x->actor, 0, "fair_rule.edit", "fair_rule", d, x->now_ms, err);
    json_decref(d);
    return rc;
}

void api_ops_fair_rule_update(struct req *r)
{
    struct draft *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !version_or_reply(r, &x->version) || !rule_body_or_reply(r, &x->text))
        return;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, update_write, x, draft_then);
}

/* ---- publication ---- */

struct publish {
    int64_t version, now_ms, notice_days;
    char today[CIVIL_DATE_CAP], effective[CIVIL_DATE_CAP];
    struct api_actor actor;
};

static int take_hashed(void *ctx, const struct store_row *row)
{
    size_t len = 0;
    const char *t = store_row_text(row, 0, &len);
    fair_sha256_hex(t, len, ctx);
    return 1;
}

static enum store_rc publish_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct publish *x = ctx;
    enum store_rc rc = draft_or_abort(c, x->version, "published again", err);
    char later[CIVIL_DATE_CAP] = "", hash[FAIR_HASH_HEX] = "";
    struct store_val e[] = {SV_TEXT(x->effective)};
    if (rc == STORE_OK)
        rc = store_query(c,
                         "SELECT effective_date FROM fair_rule_versions WHERE status = "
                         "'published' AND effective_date > ? ORDER BY effective_date DESC LIMIT 1",
                         e, 1, take_text, later, err);
    if (rc == STORE_OK && later[0] != '\0')
        return api_abort(err, API_ABORT_CONFLICT,
                         "a published version takes effect on %s; a later version cannot take "
                         "effect before it (%s): give it more notice",
                         later, x->effective);
    struct store_val v[] = {SV_INT(x->version)};
    if (rc == STORE_OK)
        rc = store_query(c, "SELECT text FROM fair_rule_versions WHERE version = ?", v, 1,
                         take_hashed, hash, err);
    struct store_val p[] = {SV_TEXT(hash),          SV_INT_OR_NULL(x->actor.user_id),
                            SV_INT(x->now_ms),      SV_TEXT(x->today),
                            SV_INT(x->notice_days), SV_TEXT(x->effective),
                            SV_INT(x->now_ms),      SV_INT(x->version)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE fair_rule_versions SET status = 'published', hash = ?, "
                        "published_by = ?, published_ms = ?, published_date = ?, notice_days = "
                        "?, effective_date = ?, updated_ms = ? WHERE version = ?",
                        p, 8, NULL, err);
    if (rc != STORE_OK)
        return rc;
    json_t *d =
        json_pack("{s:I,s:s,s:s,s:I}", "version", (json_int_t)x->version, "hash", hash,
                  "effective_date", x->effective, "notice_days", (json_int_t)x->notice_days);
    rc = api_audit(c, &x->actor, 0, "fair_rule.publish", "fair_rule", d, x->now_ms, err);
    json_decref(d);
    return rc;
}

static void publish_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct publish *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    reply_version(r, x->version, false, 200);
}

void api_ops_fair_rule_publish(struct req *r)
{
    struct publish *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !version_or_reply(r, &x->version))
        return;
    x->notice_days = r->cfg->fair_notice_days;
    if (r->body_len > 0) {
        json_t *j = req_json_or_reply(r);
        struct field f[] = {FIELD_INT("notice_days", false, &x->notice_days)};
        if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
            return;
    }
    if (x->notice_days < r->cfg->fair_notice_days || x->notice_days > 365) {
        req_problem(r, 422, "invalid_field", "notice_days",
                    "notice_days must be %lld to 365: a version takes effect only after the "
                    "notice period",
                    (long long)r->cfg->fair_notice_days);
        return;
    }
    struct civil_date today = civil_date_of_ms_cst(r->now_ms);
    civil_date_format(today, x->today, sizeof(x->today));
    civil_date_format(civil_date_add_days(today, x->notice_days), x->effective,
                      sizeof(x->effective));
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, publish_write, x, publish_then);
}

/* ---- public ---- */

static int take_in_force(void *ctx, const struct store_row *row)
{
    *(json_t **)ctx = json_integer(store_row_int(row, 0));
    return 1;
}

void api_public_fair_rules(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    char today[CIVIL_DATE_CAP];
    civil_date_format(civil_date_of_ms_cst(r->now_ms), today, sizeof(today));
    json_t *items = json_array(), *in_force = NULL;
    struct store_err err;
    struct store_val p[] = {SV_INT(LIMIT_PAGE_SIZE_MAX)}, t[] = {SV_TEXT(today)};
    enum store_rc rc = store_query(c,
                                   "SELECT " RULE_COLS " FROM fair_rule_versions WHERE status = "
                                   "'published' ORDER BY version DESC LIMIT ?",
                                   p, 1, collect_rules, items, &err);
    if (rc == STORE_OK)
        rc = store_query(c,
                         "SELECT version FROM fair_rule_versions WHERE status = 'published' AND "
                         "effective_date <= ? ORDER BY effective_date DESC, version DESC LIMIT 1",
                         t, 1, take_in_force, &in_force, &err);
    if (rc != STORE_OK) {
        json_decref(items);
        json_decref(in_force);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:s,s:o,s:o}", "today", today, "in_force_version",
                             in_force ? in_force : json_null(), "items", items));
}

void api_public_fair_rule(struct req *r)
{
    int64_t v = 0;
    if (version_or_reply(r, &v))
        reply_version(r, v, true, 200);
}
