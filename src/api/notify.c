/*
 * notify.c: notifications that tell an author what a reviewer decided.
 *
 * A reviewer's decision about a content version, a zone version, a message, a question, a
 * comment or a fund manager version, and a takedown after a report, writes one notification
 * to its author in the same write as the decision itself, so there is no decision its author
 * is not told about; resolving reports tells each of their reporters the same way. Staff and
 * investors read their own notifications, newest first, and mark them read; nobody reads
 * another user's.
 */
#include "api/api.h"
#include "api/handlers.h"

#include "base/check.h"
#include "base/crypto.h"
#include "base/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum store_rc api_notify(struct store_conn *c, int64_t recipient, const char *kind,
                         const char *subject, int64_t now_ms, struct store_err *err,
                         const char *fmt, ...)
{
    ASSERT(recipient != 0);
    char text[LIMIT_NOTIFICATION_TEXT_BYTES];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    ASSERT(n >= 0);
    /* A quoted title or reason may be cut mid-character: keep whole characters only. */
    size_t len = utf8_valid_prefix(text, strlen(text));
    text[len] = '\0';
    struct store_val p[] = {SV_INT(crypto_random_id()), SV_INT(recipient), SV_TEXT(kind),
                            SV_TEXT(subject),           SV_TEXT(text),     SV_INT(now_ms)};
    return store_exec(c,
                      "INSERT INTO notifications (id, recipient_id, kind, subject, text, "
                      "created_ms) VALUES (?, ?, ?, ?, ?, ?)",
                      p, 6, NULL, err);
}

/* ---- reading ---- */

static json_t *notification_json(const struct store_row *row, struct cursor *key)
{
    key->ms = store_row_int(row, 4);
    key->id = store_row_int(row, 0);
    json_t *o = json_pack("{s:o,s:s,s:s,s:s,s:I,s:b}", "id", json_id(key->id), "kind",
                          store_row_text(row, 1, NULL), "subject", store_row_text(row, 2, NULL),
                          "text", store_row_text(row, 3, NULL), "created_ms", (json_int_t)key->ms,
                          "read", !store_row_is_null(row, 5));
    json_object_set_new(o, "read_ms",
                        store_row_is_null(row, 5) ? json_null()
                                                  : json_integer(store_row_int(row, 5)));
    return o;
}

static enum store_rc unread_count(struct store_conn *c, int64_t user, int64_t *out,
                                  struct store_err *err)
{
    struct store_val p[] = {SV_INT(user)};
    return store_query_int(c,
                           "SELECT count(*) FROM notifications WHERE recipient_id = ? AND read_ms "
                           "IS NULL",
                           p, 1, out, err);
}

/* The caller's notifications, newest first, a page at a time, with the unread count. */
void api_notifications(struct req *r)
{
    struct api_page page;
    if (!api_page_or_reply(r, &page))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *items = json_array(), *next = NULL;
    int64_t unread = 0;
    struct store_err err;
    struct store_val p[] = {SV_INT(r->sess.user_id), SV_INT(page.after.ms), SV_INT(page.after.id),
                            SV_INT(page.limit + 1)};
    enum store_rc rc = api_page_read(c,
                                     "SELECT id, kind, subject, text, created_ms, read_ms FROM "
                                     "notifications WHERE recipient_id = ?1 AND (created_ms < ?2 "
                                     "OR (created_ms = ?2 AND id < ?3)) ORDER BY created_ms "
                                     "DESC, id DESC LIMIT ?4",
                                     p, 4, &page, notification_json, items, &next, &err);
    if (rc == STORE_OK)
        rc = unread_count(c, r->sess.user_id, &unread, &err);
    if (rc != STORE_OK) {
        json_decref(items);
        json_decref(next);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:o,s:o,s:I}", "items", items, "next_cursor", next, "unread",
                             (json_int_t)unread));
}

/* ---- marking read ---- */

static enum store_rc mark_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct api_mark *x = ctx;
    if (x->id == 0) {
        struct store_val p[] = {SV_INT(x->now_ms), SV_INT(x->user)};
        return store_exec(c,
                          "UPDATE notifications SET read_ms = ? WHERE recipient_id = ? AND "
                          "read_ms IS NULL",
                          p, 2, NULL, err);
    }
    /* Only the caller's own; marking one read twice keeps the first time. */
    int64_t one = 0;
    struct store_val q[] = {SV_INT(x->id), SV_INT(x->user)};
    enum store_rc rc = store_query_int(c,
                                       "SELECT 1 FROM notifications WHERE id = ? AND "
                                       "recipient_id = ?",
                                       q, 2, &one, err);
    if (rc == STORE_DONE)
        return api_abort(err, API_ABORT_NOT_FOUND, "no notification %lld", (long long)x->id);
    struct store_val p[] = {SV_INT(x->now_ms), SV_INT(x->id)};
    if (rc == STORE_OK)
        rc = store_exec(c, "UPDATE notifications SET read_ms = ? WHERE id = ? AND read_ms IS NULL",
                        p, 2, NULL, err);
    return rc;
}

void api_notification_read(struct req *r)
{
    api_mark_read(r, false, mark_write);
}

void api_notifications_read_all(struct req *r)
{
    api_mark_read(r, true, mark_write);
}
