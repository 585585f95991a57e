/*
 * comments.c: investors comment on published content.
 *
 * A comment passes the compliance check before anyone sees it, as a question does: clean, it
 * is published; with a review-severity match it waits for a reviewer; a blocking match is
 * refused with the spans. An investor writes at most LIMIT_COMMENTS_PER_MINUTE comments a
 * minute and LIMIT_COMMENTS_PER_DAY in 24 hours (429 with Retry-After), and may delete their
 * own. Content that is not published, or taken down, has no comments to read or write. A
 * reviewer's decision about a held comment tells its author, in the same write.
 */
#include "api/api.h"
#include "api/compliance.h"
#include "api/handlers.h"

#include "base/check.h"
#include "base/crypto.h"
#include "base/cursor.h"
#include "core/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS_PER_MINUTE INT64_C(60000)
#define MS_PER_DAY    INT64_C(86400000)

#define COMMENT_COLS                                                                         \
    "m.id, m.content_id, m.institution_id, m.body, m.status, m.created_ms, m.published_ms, " \
    "m.check_result"

/* Content an investor may read: published, not taken down, of a zone open to investors. */
#define CONTENT_VISIBLE                                                                       \
    "SELECT c.institution_id FROM contents c JOIN institutions i ON i.id = c.institution_id " \
    "WHERE c.id = ? AND c.published_version IS NOT NULL AND c.status <> 'taken_down' AND "    \
    "i.status IN ('pilot', 'live')"

static json_t *comment_json(const struct store_row *row, bool with_check)
{
    json_t *o =
        json_pack("{s:o,s:o,s:o,s:s,s:s,s:I}", "id", json_id(store_row_int(row, 0)), "content_id",
                  json_id(store_row_int(row, 1)), "institution_id", json_id(store_row_int(row, 2)),
                  "body", store_row_text(row, 3, NULL), "status", store_row_text(row, 4, NULL),
                  "created_ms", (json_int_t)store_row_int(row, 5));
    json_object_set_new(o, "published_ms",
                        store_row_is_null(row, 6) ? json_null()
                                                  : json_integer(store_row_int(row, 6)));
    if (with_check) {
        json_t *c = json_loads(store_row_text(row, 7, NULL), 0, NULL);
        json_object_set_new(o, "check", c ? c : json_object());
    }
    return o;
}

/* ---- reading ---- */

struct comment_page {
    int64_t limit;
    json_t *items;
    int64_t last_ms, last_id;
    bool more;
};

static int collect_page(void *ctx, const struct store_row *row)
{
    struct comment_page *pg = ctx;
    if ((int64_t)json_array_size(pg->items) == pg->limit) {
        pg->more = true;
        return 1;
    }
    pg->last_id = store_row_int(row, 0);
    pg->last_ms = store_row_int(row, 6);
    json_array_append_new(pg->items, comment_json(row, false));
    return 0;
}

/* 404 unless content `id` is one the public may read; answers itself. */
static bool content_visible_or_reply(struct req *r, struct store_conn *c, int64_t id)
{
    int64_t inst = 0;
    struct store_err err;
    struct store_val p[] = {SV_INT(id)};
    enum store_rc rc = store_query_int(c, CONTENT_VISIBLE, p, 1, &inst, &err);
    if (rc == STORE_DONE)
        req_problem(r, 404, "not_found", NULL, "no published content %lld", (long long)id);
    else if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    return rc == STORE_OK;
}

/* The published comments of a published content, newest first, a page at a time. */
void api_public_comments(struct req *r)
{
    int64_t id = 0, limit = LIMIT_PAGE_SIZE_DEFAULT, before_ms = INT64_MAX, before_id = INT64_MAX;
    const char *cursor = req_query(r, "cursor");
    if (!req_param_id_or_reply(r, 0, &id) ||
        !req_query_int_or_reply(r, "limit", 1, LIMIT_PAGE_SIZE_MAX, &limit))
        return;
    struct cursor after = {before_ms, before_id};
    if (cursor != NULL && !cursor_decode(cursor, &after)) {
        req_problem(r, 400, "bad_request", "cursor",
                    "query parameter 'cursor' must be the next_cursor of a previous page");
        return;
    }
    before_ms = after.ms;
    before_id = after.id;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL || !content_visible_or_reply(r, c, id))
        return;
    struct comment_page pg = {.limit = limit, .items = json_array()};
    struct store_err err;
    struct store_val p[] = {SV_INT(id), SV_INT(before_ms), SV_INT(before_ms), SV_INT(before_id),
                            SV_INT(limit + 1)};
    enum store_rc rc = store_query(c,
                                   "SELECT " COMMENT_COLS " FROM comments m WHERE m.content_id = ? "
                                   "AND m.status = 'published' AND (m.published_ms < ? OR "
                                   "(m.published_ms = ? AND m.id < ?)) ORDER BY m.published_ms "
                                   "DESC, m.id DESC LIMIT ?",
                                   p, 5, collect_page, &pg, &err);
    if (rc != STORE_OK) {
        json_decref(pg.items);
        req_store_problem(r, rc, &err);
        return;
    }
    char next[LIMIT_CURSOR_CHARS + 1];
    struct cursor last = {pg.last_ms, pg.last_id};
    if (pg.more)
        cursor_encode(&last, next);
    req_reply_json(r, 200,
                   json_pack("{s:o,s:o}", "items", pg.items, "next_cursor",
                             pg.more ? json_string(next) : json_null()));
}

static int collect_own(void *arr, const struct store_row *row)
{
    json_array_append_new(arr, comment_json(row, true));
    return 0;
}

/* The caller's own comments, whatever their status but deleted, with their checks. */
void api_inv_comments(struct req *r)
{
    struct store_val p[] = {SV_INT(r->sess.user_id), SV_INT(LIMIT_PAGE_SIZE_MAX)};
    api_reply_items(r,
                    "SELECT " COMMENT_COLS " FROM comments m WHERE m.investor_id = ? AND "
                    "m.status <> 'deleted' ORDER BY m.created_ms DESC, m.id DESC LIMIT ?",
                    p, 2, collect_own);
}

/* ---- writing ---- */

struct comment_new {
    struct api_new_text t; /* must stay first: api_new_text_then reads it */
    int64_t content, inst;
};

static int take_comment(void *ctx, const struct store_row *row)
{
    *(json_t **)ctx = comment_json(row, true);
    return 1;
}

/* Refuses the write when the investor wrote `max` comments in the last `window_ms`. */
static enum store_rc under_limit(struct store_conn *c, struct comment_new *x, int64_t window_ms,
                                 int64_t max, const char *what, struct store_err *err)
{
    int64_t n = 0, oldest = 0;
    struct store_val q[] = {SV_INT(x->t.investor), SV_INT(x->t.now_ms - window_ms)};
    enum store_rc rc = store_query_int(c,
                                       "SELECT count(*) FROM comments WHERE investor_id = ? AND "
                                       "created_ms > ?",
                                       q, 2, &n, err);
    if (rc != STORE_OK || n < max)
        return rc;
    rc = store_query_int(c,
                         "SELECT min(created_ms) FROM comments WHERE investor_id = ? AND "
                         "created_ms > ?",
                         q, 2, &oldest, err);
    if (rc != STORE_OK)
        return rc;
    x->t.retry_s = api_retry_after_s(oldest, window_ms, x->t.now_ms);
    return api_abort(err, API_ABORT_RATE, "at most %lld comments %s; please wait", (long long)max,
                     what);
}

static enum store_rc comment_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct comment_new *x = ctx;
    struct store_val v[] = {SV_INT(x->content)};
    enum store_rc rc = store_query_int(c, CONTENT_VISIBLE, v, 1, &x->inst, err);
    if (rc == STORE_DONE)
        return api_abort(err, API_ABORT_NOT_FOUND, "no published content %lld",
                         (long long)x->content);
    if (rc == STORE_OK)
        rc = under_limit(c, x, MS_PER_MINUTE, LIMIT_COMMENTS_PER_MINUTE, "a minute", err);
    if (rc == STORE_OK)
        rc = under_limit(c, x, MS_PER_DAY, LIMIT_COMMENTS_PER_DAY, "in 24 hours", err);
    bool pass = x->t.verdict == COMPLIANCE_PASS;
    struct store_val p[] = {
        SV_INT(x->t.id),       SV_INT(x->content),  SV_INT(x->inst),
        SV_INT(x->t.investor), SV_TEXT(x->t.body),  SV_TEXT(pass ? "published" : "held"),
        SV_TEXT(x->t.check),   SV_INT(x->t.now_ms), pass ? SV_INT(x->t.now_ms) : SV_NULL_};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "INSERT INTO comments (id, content_id, institution_id, investor_id, body, "
                        "status, check_result, created_ms, published_ms) VALUES (?, ?, ?, ?, ?, "
                        "?, ?, ?, ?)",
                        p, 9, NULL, err);
    char subject[48];
    snprintf(subject, sizeof(subject), "comment:%lld", (long long)x->t.id);
    if (rc == STORE_OK)
        rc = api_moderation(c, subject, x->inst, pass ? "auto_pass" : "auto_hold",
                            "compliance check", 0, x->t.now_ms, err);
    struct store_val q[] = {SV_INT(x->t.id)};
    if (rc == STORE_OK)
        rc = store_query(c, "SELECT " COMMENT_COLS " FROM comments m WHERE m.id = ?", q, 1,
                         take_comment, &x->t.out, err);
    return rc;
}

void api_inv_comment(struct req *r)
{
    json_t *j = req_json_or_reply(r);
    struct comment_new *x = arena_zalloc(&r->arena, sizeof(*x));
    const char *content;
    struct field f[] = {
        FIELD_STR("content_id", true, 1, 20, &content, NULL),
        FIELD_STR("body", true, 1, LIMIT_COMMENT_CHARS_MAX, &x->t.body, NULL),
    };
    if (j == NULL || x == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)) ||
        !api_id_or_reply(r, "content_id", content, &x->content))
        return;
    x->t.member = "comment";
    if (api_new_text_or_reply(r, &x->t))
        req_write(r, comment_write, x, api_new_text_then);
}

/* ---- deleting one's own ---- */

struct comment_delete {
    int64_t id, investor, now_ms;
};

static enum store_rc delete_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct comment_delete *x = ctx;
    int64_t changed = 0;
    struct store_val p[] = {SV_INT(x->now_ms), SV_INT(x->id), SV_INT(x->investor)};
    enum store_rc rc = store_exec(c,
                                  "UPDATE comments SET status = 'deleted', deleted_ms = ? WHERE "
                                  "id = ? AND investor_id = ? AND status <> 'deleted'",
                                  p, 3, &changed, err);
    if (rc == STORE_OK && changed == 0)
        return api_abort(err, API_ABORT_NOT_FOUND, "no comment %lld of yours", (long long)x->id);
    return rc;
}

static void delete_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct comment_delete *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o,s:s}", "id", json_id(x->id), "status", "deleted"));
}

/* The row stays (an open report of it still shows the reviewer what was written); nobody but
 * a reviewer sees it again. */
void api_inv_comment_delete(struct req *r)
{
    struct comment_delete *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id))
        return;
    x->investor = r->sess.user_id;
    x->now_ms = r->now_ms;
    req_write(r, delete_write, x, delete_then);
}

/* ---- review ---- */

static int collect_review(void *arr, const struct store_row *row)
{
    json_t *o = comment_json(row, true);
    json_object_set_new(o, "content_title", json_string(store_row_text(row, 8, NULL)));
    json_object_set_new(o, "institution_name", json_string(store_row_text(row, 9, NULL)));
    json_array_append_new(arr, json_pack("{s:s,s:o}", "kind", "comment", "item", o));
    return 0;
}

enum store_rc api_comment_review_items(struct store_conn *c, json_t *items, struct store_err *err)
{
    struct store_val p[] = {SV_INT(LIMIT_PAGE_SIZE_MAX)};
    return store_query(
        c,
        "SELECT " COMMENT_COLS ", COALESCE((SELECT v.title FROM content_versions v JOIN contents "
        "k ON k.id = v.content_id WHERE v.content_id = m.content_id AND v.version = "
        "COALESCE(k.published_version, k.latest_version)), ''), i.name FROM comments m JOIN "
        "institutions i ON i.id = m.institution_id WHERE m.status = 'held' ORDER BY "
        "m.created_ms, m.id LIMIT ?",
        p, 1, collect_review, items, err);
}

static const struct api_held_kind held_comment = {
    .name = "comment",
    .noun = "评论",
    .select_sql = "SELECT institution_id, investor_id, body FROM comments WHERE id = ? AND "
                  "status = 'held'",
    .update_sql = "UPDATE comments SET status = ?1, published_ms = CASE WHEN ?2 = 1 THEN ?3 "
                  "END, decided_ms = ?4 WHERE id = ?5",
    .approved_kind = "comment_approved",
    .rejected_kind = "comment_rejected",
};

void api_ops_comment_decide(struct req *r)
{
    api_held_decide(r, &held_comment);
}
