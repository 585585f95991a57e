/*
 * contents.c: articles, announcements and short posts of a zone, behind the compliance
 * check (DESIGN.md §6).
 *
 * Every save is a new version. The check reads what a reader would read (title and the
 * Markdown's plain text, link texts and image alts included): no match publishes at once;
 * a review-severity match holds the version for a reviewer; a blocking match blocks it,
 * with the spans, so the author sees what to change. A published version stays visible
 * while a newer one waits. Reviewers approve or reject with a reason and may take
 * published content down; every decision is kept in moderation_decisions and audited.
 */
#include "api/compliance.h"
#include "api/handlers.h"
#include "api/trading.h"

#include "base/buf.h"
#include "base/check.h"
#include "base/crypto.h"
#include "base/utf8.h"
#include "core/markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct content_save {
    int64_t id, inst, by, now_ms, version;
    size_t body_chars;
    bool is_new;
    const char *kind, *title, *body;
    char *check;
    enum compliance_verdict verdict;
    struct api_actor actor;
    const char *status; /* OUT */
};

static const char *status_of(enum compliance_verdict v)
{
    return v == COMPLIANCE_PASS ? "published" : v == COMPLIANCE_REVIEW ? "held" : "blocked";
}

static enum store_rc save_new_item(struct store_conn *c, struct content_save *x,
                                   struct store_err *err)
{
    struct store_val p[] = {SV_INT(x->id), SV_INT(x->inst),   SV_TEXT(x->kind), SV_TEXT(x->status),
                            SV_INT(x->by), SV_INT(x->now_ms), SV_INT(x->now_ms)};
    return store_exec(c,
                      "INSERT INTO contents (id, institution_id, kind, status, latest_version, "
                      "created_by, created_ms, updated_ms) VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
                      p, 7, NULL, err);
}

/* Finds the next version number of an existing item of this institution. */
static enum store_rc next_version(struct store_conn *c, struct content_save *x,
                                  struct store_err *err)
{
    /* A short post stays short through its edits. */
    int64_t is_post = 0;
    struct store_val k[] = {SV_INT(x->id), SV_INT(x->inst)};
    enum store_rc krc = store_query_int(c,
                                        "SELECT kind = 'post' FROM contents WHERE id = ? AND "
                                        "institution_id = ?",
                                        k, 2, &is_post, err);
    if (krc != STORE_OK && krc != STORE_DONE)
        return krc;
    if (is_post && x->body_chars > LIMIT_POST_BODY_CHARS_MAX)
        return api_abort(err, API_ABORT_INVALID, "a post is at most %d characters",
                         LIMIT_POST_BODY_CHARS_MAX);
    struct store_val q[] = {SV_INT(x->id), SV_INT(x->inst)};
    enum store_rc rc = store_query_int(c,
                                       "SELECT latest_version + 1 FROM contents WHERE id = ? AND "
                                       "institution_id = ? AND status <> 'taken_down'",
                                       q, 2, &x->version, err);
    if (rc == STORE_DONE)
        return api_abort(err, API_ABORT_NOT_FOUND,
                         "no content %lld in your institution that "
                         "can be edited",
                         (long long)x->id);
    struct store_val u[] = {SV_INT(x->version), SV_TEXT(x->status), SV_INT(x->now_ms),
                            SV_INT(x->id)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE contents SET latest_version = ?, status = ?, updated_ms = ? "
                        "WHERE id = ?",
                        u, 4, NULL, err);
    /* A newer version replaces any still waiting: a reviewer never approves a stale one. */
    struct store_val h[] = {SV_INT(x->id)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE content_versions SET status = 'superseded' WHERE content_id = ? "
                        "AND status = 'held'",
                        h, 1, NULL, err);
    return rc;
}

/* Makes `version` the published one: the previous published version is superseded. */
static enum store_rc publish(struct store_conn *c, int64_t id, int64_t version, int64_t now_ms,
                             struct store_err *err)
{
    struct store_val s[] = {SV_INT(id), SV_INT(version)};
    enum store_rc rc = store_exec(c,
                                  "UPDATE content_versions SET status = 'superseded' WHERE "
                                  "content_id = ? AND status = 'published' AND version <> ?",
                                  s, 2, NULL, err);
    struct store_val u[] = {SV_INT(version), SV_INT(now_ms), SV_INT(now_ms), SV_INT(id)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE contents SET published_version = ?, published_ms = "
                        "COALESCE(published_ms, ?), updated_ms = ? WHERE id = ?",
                        u, 4, NULL, err);
    return rc == STORE_OK ? api_search_index_content(c, id, err) : rc;
}

static enum store_rc save_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct content_save *x = ctx;
    x->status = status_of(x->verdict);
    x->version = 1;
    enum store_rc rc = x->is_new ? save_new_item(c, x, err) : next_version(c, x, err);
    struct store_val p[] = {SV_INT(x->id),    SV_INT(x->version), SV_TEXT(x->title),
                            SV_TEXT(x->body), SV_TEXT(x->status), SV_TEXT(x->check),
                            SV_INT(x->by),    SV_INT(x->now_ms)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "INSERT INTO content_versions (content_id, version, title, body, status, "
                        "check_result, created_by, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        p, 8, NULL, err);
    if (rc == STORE_OK && x->verdict == COMPLIANCE_PASS)
        rc = publish(c, x->id, x->version, x->now_ms, err);
    char subject[64];
    snprintf(subject, sizeof(subject), "content:%lld:%lld", (long long)x->id,
             (long long)x->version);
    static const char *const auto_decision[] = {"auto_pass", "auto_hold", "auto_block"};
    if (rc == STORE_OK)
        rc = api_moderation(c, subject, x->inst, auto_decision[x->verdict], "compliance check", 0,
                            x->now_ms, err);
    json_t *d = x->kind ? json_pack("{s:s,s:s}", "kind", x->kind, "status", x->status)
                        : json_pack("{s:s}", "status", x->status);
    if (rc == STORE_OK)
        rc = api_audit(c, &x->actor, x->inst, "content.save", subject, d, x->now_ms, err);
    json_decref(d);
    return rc;
}

static void save_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct content_save *x = r->write.ctx;
    json_t *check = x->check ? json_loads(x->check, 0, NULL) : NULL;
    free(x->check);
    if (rc != STORE_OK) {
        json_decref(check);
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, x->is_new ? 201 : 200,
                   json_pack("{s:o,s:I,s:s,s:o}", "id", json_id(x->id), "version",
                             (json_int_t)x->version, "status", x->status, "check",
                             check ? check : json_object()));
}

/*
 * Checks title and body as a reader sees them. Spans of "body_text" are offsets in the
 * body's plain text (the rendered words), which the answer carries as well.
 */
static bool check_texts_or_reply(struct req *r, const char *title, const char *body,
                                 struct compliance_result *res, char **plain)
{
    struct buf text;
    buf_init(&text, MD_OUTPUT_BYTES_MAX);
    enum md_rc mr = md_plain_text(body, strlen(body), &text, NULL);
    if (mr != MD_OK) {
        buf_free(&text);
        req_problem(r, 422, "invalid_field", "body", "the body cannot be rendered: %s",
                    md_rc_str(mr));
        return false;
    }
    struct compliance_text t[] = {
        {"title", title, strlen(title)},
        {"body_text", text.data ? text.data : "", text.len},
    };
    struct store_err err;
    enum store_rc rc = compliance_run(r->store, t, ARRAY_LEN(t), res, &err);
    *plain = buf_steal(&text, NULL);
    if (rc != STORE_OK) {
        free(*plain);
        req_store_problem(r, rc, &err);
        return false;
    }
    return true;
}

static bool kind_ok(const char *k)
{
    return strcmp(k, "article") == 0 || strcmp(k, "announcement") == 0 || strcmp(k, "post") == 0;
}

/* A version is saved only if readers will be able to read it: it must render. */
static bool renders_or_reply(struct req *r, const char *body)
{
    struct buf html;
    buf_init(&html, MD_OUTPUT_BYTES_MAX);
    enum md_rc mr = md_render(body, strlen(body), &html, NULL);
    buf_free(&html);
    if (mr == MD_OK)
        return true;
    req_problem(r, 422, "invalid_field", "body", "the body cannot be rendered: %s", md_rc_str(mr));
    return false;
}

/* Shared by create and update: fields, check, then the write. */
static void save(struct req *r, bool is_new)
{
    struct content_save *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || (!is_new && !req_param_id_or_reply(r, 0, &x->id)))
        return;
    json_t *j = req_json_or_reply(r);
    struct field f_new[] = {
        FIELD_STR("kind", true, 1, 16, &x->kind, NULL),
        FIELD_STR("title", true, 1, LIMIT_CONTENT_TITLE_CHARS_MAX, &x->title, NULL),
        FIELD_STR("body", true, 1, LIMIT_CONTENT_BODY_BYTES_MAX, &x->body, NULL),
    };
    const struct field *f = is_new ? f_new : f_new + 1;
    if (j == NULL || !req_fields_or_reply(r, j, f, is_new ? 3 : 2))
        return;
    if (strlen(x->body) > LIMIT_CONTENT_BODY_BYTES_MAX) {
        req_problem(r, 422, "invalid_field", "body", "field 'body' must be at most %d bytes",
                    LIMIT_CONTENT_BODY_BYTES_MAX);
        return;
    }
    struct api_text_field t[] = {{"title", x->title, true}, {"body", x->body, false}};
    if (!api_texts_ok_or_reply(r, t, 2))
        return;
    if (!renders_or_reply(r, x->body))
        return;
    x->body_chars = utf8_count(x->body, strlen(x->body));
    if (is_new && strcmp(x->kind, "post") == 0 && x->body_chars > LIMIT_POST_BODY_CHARS_MAX) {
        req_problem(r, 422, "invalid_field", "body", "a post is at most %d characters",
                    LIMIT_POST_BODY_CHARS_MAX);
        return;
    }
    if (is_new && !kind_ok(x->kind)) {
        req_problem(r, 422, "invalid_field", "kind",
                    "field 'kind' must be article, announcement or post");
        return;
    }
    struct compliance_result res;
    char *plain = NULL;
    if (!check_texts_or_reply(r, x->title, x->body, &res, &plain))
        return;
    json_object_set_new(res.json, "body_text", json_string(plain ? plain : ""));
    free(plain);
    x->verdict = res.verdict;
    x->check = json_dumps(res.json, JSON_COMPACT);
    json_decref(res.json);
    x->is_new = is_new;
    if (is_new)
        x->id = crypto_random_id();
    x->inst = r->sess.institution_id;
    x->by = r->sess.user_id;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, save_write, x, save_then);
}

void api_inst_content_create(struct req *r)
{
    save(r, true);
}

void api_inst_content_update(struct req *r)
{
    save(r, false);
}

/* The check alone, for the editor: what would be flagged, before saving. */
void api_inst_content_check(struct req *r)
{
    json_t *j = req_json_or_reply(r);
    const char *title, *body;
    struct field f[] = {
        FIELD_STR("title", true, 1, LIMIT_CONTENT_TITLE_CHARS_MAX, &title, NULL),
        FIELD_STR("body", true, 1, LIMIT_CONTENT_BODY_BYTES_MAX, &body, NULL),
    };
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    struct compliance_result res;
    char *plain = NULL;
    if (!check_texts_or_reply(r, title, body, &res, &plain))
        return;
    json_object_set_new(res.json, "body_text", json_string(plain ? plain : ""));
    free(plain);
    req_reply_json(r, 200, json_pack("{s:o}", "check", res.json));
}

/* ---- reading ---- */

#define VERSION_COLS                                                                     \
    "v.content_id, v.version, v.title, v.body, v.status, v.check_result, v.created_ms, " \
    "c.kind, c.institution_id, c.status, c.published_version"

static json_t *version_json(const struct store_row *row, bool with_check)
{
    json_t *o = json_pack(
        "{s:o,s:I,s:s,s:s,s:s,s:I,s:s,s:o,s:s}", "id", json_id(store_row_int(row, 0)), "version",
        (json_int_t)store_row_int(row, 1), "title", store_row_text(row, 2, NULL), "body",
        store_row_text(row, 3, NULL), "status", store_row_text(row, 4, NULL), "created_ms",
        (json_int_t)store_row_int(row, 6), "kind", store_row_text(row, 7, NULL), "institution_id",
        json_id(store_row_int(row, 8)), "content_status", store_row_text(row, 9, NULL));
    if (with_check) {
        json_t *check = json_loads(store_row_text(row, 5, NULL), 0, NULL);
        json_object_set_new(o, "check", check ? check : json_object());
    }
    return o;
}

static int collect_own(void *arr, const struct store_row *row)
{
    json_array_append_new(arr, version_json(row, true));
    return 0;
}

/* The institution's own items, each at its latest version, newest first. */
void api_inst_content_list(struct req *r)
{
    struct store_val p[] = {SV_INT(r->sess.institution_id), SV_INT(LIMIT_PAGE_SIZE_MAX)};
    api_reply_items(r,
                    "SELECT " VERSION_COLS " FROM contents c JOIN content_versions "
                    "v ON v.content_id = c.id AND v.version = c.latest_version "
                    "WHERE c.institution_id = ? ORDER BY c.updated_ms DESC LIMIT ?",
                    p, 2, collect_own);
}

static int take_public(void *ctx, const struct store_row *row)
{
    json_t **out = ctx;
    size_t len = 0;
    const char *md = store_row_text(row, 3, &len);
    struct buf html;
    buf_init(&html, MD_OUTPUT_BYTES_MAX);
    if (md_render(md, len, &html, NULL) == MD_OK) {
        *out = version_json(row, false);
        json_object_set_new(*out, "html", json_string(html.data ? html.data : ""));
        json_object_set_new(*out, "published_ms", json_integer(store_row_int(row, 11)));
        json_object_del(*out, "status");
        json_object_del(*out, "content_status");
    }
    buf_free(&html);
    return 1;
}

/* A published item as an investor reads it: its published version, rendered safely. */
void api_public_content(struct req *r)
{
    int64_t id = 0;
    if (!req_param_id_or_reply(r, 0, &id))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *out = NULL;
    struct store_err err;
    struct store_val p[] = {SV_INT(id)};
    enum store_rc rc = store_query(
        c,
        "SELECT " VERSION_COLS ", c.published_ms FROM contents c JOIN content_versions v ON "
        "v.content_id = c.id AND v.version = c.published_version JOIN institutions i ON i.id = "
        "c.institution_id WHERE c.id = ? AND c.status <> 'taken_down' AND i.status IN "
        "('pilot', 'live')",
        p, 1, take_public, &out, &err);
    if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    else if (out == NULL)
        req_problem(r, 404, "not_found", NULL, "no published content %lld", (long long)id);
    else
        req_reply_json(r, 200, json_pack("{s:o}", "content", out));
}

/* ---- review ---- */

static int collect_review(void *arr, const struct store_row *row)
{
    json_t *v = version_json(row, true);
    json_object_set_new(v, "institution_name", json_string(store_row_text(row, 11, NULL)));
    json_array_append_new(arr, json_pack("{s:s,s:o}", "kind", "content", "item", v));
    return 0;
}

enum store_rc api_content_review_items(struct store_conn *c, json_t *items, struct store_err *err)
{
    struct store_val p[] = {SV_INT(LIMIT_PAGE_SIZE_MAX)};
    return store_query(c,
                       "SELECT " VERSION_COLS ", i.name FROM content_versions v JOIN contents c ON "
                       "c.id = v.content_id JOIN institutions i ON i.id = c.institution_id WHERE "
                       "v.status = 'held' ORDER BY v.created_ms, v.content_id LIMIT ?",
                       p, 1, collect_review, items, err);
}

struct content_decision {
    int64_t id, version, inst, now_ms;
    const char *decision, *reason;
    struct api_actor actor;
    int64_t author;                                               /* of the version decided */
    char title[LIMIT_CONTENT_TITLE_CHARS_MAX * UTF8_SEQ_MAX + 1]; /* of the version decided */
};

static enum store_rc apply_decision(struct store_conn *c, struct content_decision *x,
                                    struct store_err *err)
{
    bool approve = strcmp(x->decision, "approve") == 0;
    bool takedown = strcmp(x->decision, "take_down") == 0;
    const char *to = approve ? "published" : takedown ? "taken_down" : "rejected";
    struct store_val v[] = {SV_TEXT(to), SV_INT(x->id), SV_INT(x->version)};
    enum store_rc rc = store_exec(c,
                                  "UPDATE content_versions SET status = ? WHERE content_id = ? "
                                  "AND version = ?",
                                  v, 3, NULL, err);
    if (rc == STORE_OK && approve)
        rc = publish(c, x->id, x->version, x->now_ms, err);
    /* The item's status follows its latest version; a takedown hides it whatever it was. */
    struct store_val u[] = {SV_TEXT(to), SV_INT(x->now_ms), SV_INT(x->id), SV_INT(x->version),
                            SV_INT(takedown)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE contents SET status = ?, updated_ms = ? WHERE id = ? AND "
                        "(latest_version = ? OR ? = 1)",
                        u, 5, NULL, err);
    /* A takedown ends the item: nothing still waiting may bring it back. */
    struct store_val t[] = {SV_INT(x->id)};
    if (rc == STORE_OK && takedown)
        rc = store_exec(c, "UPDATE contents SET published_version = NULL WHERE id = ?", t, 1, NULL,
                        err);
    if (rc == STORE_OK && takedown)
        rc = api_search_index_content(c, x->id, err);
    if (rc == STORE_OK && takedown)
        rc = store_exec(c,
                        "UPDATE content_versions SET status = 'superseded' WHERE content_id = ? "
                        "AND status = 'held'",
                        t, 1, NULL, err);
    return rc;
}

static int take_author(void *ctx, const struct store_row *row)
{
    struct content_decision *x = ctx;
    x->author = store_row_int(row, 0);
    snprintf(x->title, sizeof(x->title), "%s", store_row_text(row, 1, NULL));
    return 1;
}

/* Tells the author of the version decided what the reviewer did (inside the decision). */
static enum store_rc notify_author(struct store_conn *c, struct content_decision *x,
                                   const char *subject, struct store_err *err)
{
    struct store_val p[] = {SV_INT(x->id), SV_INT(x->version)};
    enum store_rc rc = store_query(c,
                                   "SELECT created_by, title FROM content_versions WHERE "
                                   "content_id = ? AND version = ?",
                                   p, 2, take_author, x, err);
    ASSERT(rc != STORE_OK || x->author != 0); /* the version was just decided */
    if (rc == STORE_OK && strcmp(x->decision, "approve") == 0)
        rc = api_notify(c, x->author, "content_approved", subject, x->now_ms, err,
                        "「%s」（第%lld版）已通过审核并已发布。审核意见：%s", x->title,
                        (long long)x->version, x->reason);
    else if (rc == STORE_OK && strcmp(x->decision, "reject") == 0)
        rc = api_notify(c, x->author, "content_rejected", subject, x->now_ms, err,
                        "「%s」（第%lld版）未通过审核，不会发布。理由：%s", x->title,
                        (long long)x->version, x->reason);
    else if (rc == STORE_OK)
        rc = api_notify(c, x->author, "content_taken_down", subject, x->now_ms, err,
                        "「%s」已被下架，读者不再能看到。理由：%s", x->title, x->reason);
    return rc;
}

static enum store_rc decide_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct content_decision *x = ctx;
    bool takedown = strcmp(x->decision, "take_down") == 0;
    /* Approve and reject act on a held version; a takedown on the published one. */
    struct store_val q[] = {SV_INT(x->id), SV_INT(takedown), SV_INT(x->version), SV_INT(takedown)};
    enum store_rc rc = store_query_int(c,
                                       "SELECT c.institution_id FROM contents c JOIN "
                                       "content_versions v ON v.content_id = c.id WHERE c.id = ? "
                                       "AND ((? = 0 AND v.version = ? AND v.status = 'held') OR "
                                       "(? = 1 AND v.version = c.published_version))",
                                       q, 4, &x->inst, err);
    if (rc == STORE_DONE)
        return api_abort(err, API_ABORT_NOT_FOUND,
                         takedown ? "no published content %lld" : "no held version of %lld",
                         (long long)x->id);
    if (rc == STORE_OK && takedown)
        rc = store_query_int(c, "SELECT published_version FROM contents WHERE id = ?", q, 1,
                             &x->version, err);
    if (rc == STORE_OK)
        rc = apply_decision(c, x, err);
    char subject[64];
    snprintf(subject, sizeof(subject), "content:%lld:%lld", (long long)x->id,
             (long long)x->version);
    if (rc == STORE_OK)
        rc = api_moderation(c, subject, x->inst, x->decision, x->reason, x->actor.user_id,
                            x->now_ms, err);
    json_t *d = json_pack("{s:s,s:s}", "decision", x->decision, "reason", x->reason);
    if (rc == STORE_OK)
        rc = api_audit(c, &x->actor, x->inst, "content.decide", subject, d, x->now_ms, err);
    json_decref(d);
    return rc == STORE_OK ? notify_author(c, x, subject, err) : rc;
}

enum store_rc api_content_take_down(struct store_conn *c, int64_t id, const char *reason,
                                    const struct api_actor *actor, int64_t now_ms,
                                    struct store_err *err)
{
    struct content_decision x = {
        .id = id, .now_ms = now_ms, .decision = "take_down", .reason = reason, .actor = *actor};
    return decide_write(c, &x, err);
}

static void decide_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct content_decision *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:o,s:I,s:s}", "id", json_id(x->id), "version",
                             (json_int_t)x->version, "decision", x->decision));
}

static void decide(struct req *r, bool takedown)
{
    struct content_decision *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id) ||
        (!takedown && !req_param_id_or_reply(r, 1, &x->version)))
        return;
    if (takedown) {
        json_t *j = req_json_or_reply(r);
        struct field f[] = {FIELD_STR("reason", true, 1, LIMIT_REASON_CHARS_MAX, &x->reason, NULL)};
        if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
            return;
        x->decision = "take_down";
    } else {
        bool approve = false;
        if (!api_decision_or_reply(r, &approve, &x->reason))
            return;
        x->decision = approve ? "approve" : "reject";
    }
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, decide_write, x, decide_then);
}

void api_ops_content_decide(struct req *r)
{
    decide(r, false);
}

void api_ops_content_takedown(struct req *r)
{
    decide(r, true);
}
