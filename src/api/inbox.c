/*
 * inbox.c: the messages an investor receives, read marks and muted zones.
 *
 * A message is stored once (messages.c); who receives it is decided here, when the
 * investor reads:
 *   - a followers message: the investor follows the zone, and followed it at or before the
 *     message was delivered (a later follower does not get earlier messages);
 *   - a holders message: the investor holds, now, the product it names, or any product of
 *     the institution when it names none;
 *   - never a message of a zone the investor muted, nor of an institution that is not open
 *     to investors, nor one that is held or rejected; and never a campaign's segment message
 *     to an investor who opted out of personalised marketing (campaigns.c).
 * The search starts from the investor's own zones (followed, or holding a product of), so
 * its cost follows what one investor receives, not the size of the platform.
 *
 * Read marks: one row per message read, plus a watermark for "mark all read" (every message
 * delivered up to it). Delivery times are strictly increasing in delivery order
 * (messages.c), so a message delivered after the mark is never marked by it.
 */
#include "api/api.h"
#include "api/campaigns.h"
#include "api/handlers.h"

#include "base/check.h"

#include <string.h>

/* ?1: the investor. The zones it follows or holds a product of. */
#define INBOX_ZONES                                                                           \
    "WITH z(inst) AS (SELECT institution_id FROM follows WHERE investor_id = ?1 UNION "       \
    "SELECT p.institution_id FROM share_lots l JOIN products p ON p.id = l.product_id WHERE " \
    "l.investor_id = ?1 AND l.shares_h > 0) "

/* The delivered messages of those zones that are meant for the investor (see above). OPT is
 * the parameter that says the investor opted out of personalised marketing: a campaign's
 * segment message is not for them then. */
#define INBOX_FROM(OPT)                                                                        \
    " FROM z JOIN institutions i ON i.id = z.inst AND i.status IN ('pilot', 'live') JOIN "     \
    "messages m ON m.institution_id = z.inst AND m.status = 'delivered' AND (m.campaign_id "   \
    "IS NULL OR " OPT " = 0) WHERE NOT EXISTS "                                                \
    "(SELECT 1 FROM zone_mutes u WHERE u.investor_id = ?1 AND u.institution_id = z.inst) AND " \
    "CASE m.audience WHEN 'followers' THEN EXISTS (SELECT 1 FROM follows f WHERE "             \
    "f.investor_id = ?1 AND f.institution_id = m.institution_id AND f.created_ms <= "          \
    "m.sent_ms) ELSE EXISTS (SELECT 1 FROM share_lots l JOIN products p ON p.id = "            \
    "l.product_id WHERE l.investor_id = ?1 AND l.shares_h > 0 AND p.institution_id = "         \
    "m.institution_id AND (m.product_id IS NULL OR l.product_id = m.product_id)) END"

/* Whether the investor has read message m. */
#define INBOX_READ                                                                            \
    "(m.sent_ms <= COALESCE((SELECT k.read_upto_ms FROM inbox_marks k WHERE k.investor_id = " \
    "?1), -1) OR EXISTS (SELECT 1 FROM message_reads r WHERE r.investor_id = ?1 AND "         \
    "r.message_id = m.id))"

static json_t *inbox_json(const struct store_row *row, struct cursor *key)
{
    key->ms = store_row_int(row, 5);
    key->id = store_row_int(row, 0);
    return json_pack("{s:o,s:o,s:s,s:s,s:s,s:I,s:s,s:o,s:b}", "id", json_id(key->id),
                     "institution_id", json_id(store_row_int(row, 1)), "institution_name",
                     store_row_text(row, 2, NULL), "title", store_row_text(row, 3, NULL), "body",
                     store_row_text(row, 4, NULL), "sent_ms", (json_int_t)key->ms, "audience",
                     store_row_text(row, 6, NULL), "product_id",
                     json_id_or_null(store_row_int(row, 7)), "read", (int)store_row_int(row, 8));
}

static enum store_rc unread_count(struct store_conn *c, int64_t investor, bool opted_out,
                                  int64_t *out, struct store_err *err)
{
    struct store_val p[] = {SV_INT(investor), SV_INT(opted_out)};
    return store_query_int(c, INBOX_ZONES "SELECT count(*)" INBOX_FROM("?2") " AND NOT " INBOX_READ,
                           p, 2, out, err);
}

/* The caller's messages, newest first, a page at a time, with the unread count. */
void api_inv_inbox(struct req *r)
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
    bool opted_out = api_marketing_opted_out(c, r->sess.user_id);
    struct store_val p[] = {SV_INT(r->sess.user_id), SV_INT(page.after.ms), SV_INT(page.after.id),
                            SV_INT(page.limit + 1), SV_INT(opted_out)};
    enum store_rc rc = api_page_read(
        c,
        INBOX_ZONES
        "SELECT m.id, m.institution_id, i.name, m.title, m.body, m.sent_ms, "
        "m.audience, m.product_id, " INBOX_READ INBOX_FROM(
            "?5") " AND (m.sent_ms < ?2 OR (m.sent_ms = ?2 AND m.id < ?3)) ORDER BY m.sent_ms "
                  "DESC, m.id DESC LIMIT ?4",
        p, 5, &page, inbox_json, items, &next, &err);
    if (rc == STORE_OK)
        rc = unread_count(c, r->sess.user_id, opted_out, &unread, &err);
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

void api_inv_inbox_unread(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    int64_t unread = 0;
    struct store_err err;
    enum store_rc rc = unread_count(c, r->sess.user_id, api_marketing_opted_out(c, r->sess.user_id),
                                    &unread, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:I}", "unread", (json_int_t)unread));
}

/* ---- read marks ---- */

static enum store_rc mark_all(struct store_conn *c, struct api_mark *x, struct store_err *err)
{
    int64_t upto = 0;
    enum store_rc rc = store_query_int(c, "SELECT max(sent_ms) FROM messages", NULL, 0, &upto, err);
    if (rc == STORE_DONE)
        rc = STORE_OK;
    struct store_val p[] = {SV_INT(x->user), SV_INT(upto), SV_INT(x->now_ms)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "INSERT INTO inbox_marks (investor_id, read_upto_ms, marked_ms) VALUES "
                        "(?1, ?2, ?3) ON CONFLICT (investor_id) DO UPDATE SET read_upto_ms = "
                        "max(read_upto_ms, ?2), marked_ms = ?3",
                        p, 3, NULL, err);
    /* The watermark covers them now: the single marks are no longer needed. */
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "DELETE FROM message_reads WHERE investor_id = ?1 AND message_id IN "
                        "(SELECT id FROM messages WHERE sent_ms <= ?2)",
                        p, 2, NULL, err);
    return rc;
}

static enum store_rc mark_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct api_mark *x = ctx;
    if (x->id == 0)
        return mark_all(c, x, err);
    /* Only a message meant for the caller: anyone else's is not found. */
    int64_t one = 0;
    struct store_val q[] = {SV_INT(x->user), SV_INT(x->id),
                            SV_INT(api_marketing_opted_out(c, x->user))};
    enum store_rc rc = store_query_int(c, INBOX_ZONES "SELECT 1" INBOX_FROM("?3") " AND m.id = ?2",
                                       q, 3, &one, err);
    if (rc == STORE_DONE)
        return api_abort(err, API_ABORT_NOT_FOUND, "no message %lld in your inbox",
                         (long long)x->id);
    struct store_val p[] = {SV_INT(x->user), SV_INT(x->id), SV_INT(x->now_ms)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "INSERT INTO message_reads (investor_id, message_id, read_ms) VALUES (?, "
                        "?, ?) ON CONFLICT DO NOTHING",
                        p, 3, NULL, err);
    return rc;
}

void api_inv_message_read(struct req *r)
{
    api_mark_read(r, false, mark_write);
}

void api_inv_messages_read_all(struct req *r)
{
    api_mark_read(r, true, mark_write);
}

/* ---- muted zones ---- */

static enum store_rc mute_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct api_zone_toggle *x = ctx;
    /* Muting needs a zone open to investors (as following does); unmuting is always
     * possible. Whether the investor follows it does not matter. */
    struct store_val q[] = {SV_INT(x->inst), SV_INT(x->on)};
    int64_t one = 0;
    enum store_rc rc = store_query_int(c,
                                       "SELECT 1 FROM institutions WHERE id = ? AND (? = 0 OR "
                                       "status IN ('pilot', 'live'))",
                                       q, 2, &one, err);
    if (rc == STORE_DONE)
        return api_abort(err, API_ABORT_NOT_FOUND, "no zone %lld", (long long)x->inst);
    struct store_val p[] = {SV_INT(x->investor), SV_INT(x->inst), SV_INT(x->now_ms)};
    if (rc == STORE_OK && x->on)
        rc = store_exec(c,
                        "INSERT INTO zone_mutes (investor_id, institution_id, created_ms) VALUES "
                        "(?, ?, ?) ON CONFLICT DO NOTHING",
                        p, 3, NULL, err);
    else if (rc == STORE_OK)
        rc = store_exec(c, "DELETE FROM zone_mutes WHERE investor_id = ? AND institution_id = ?", p,
                        2, NULL, err);
    return rc;
}

void api_inv_mute(struct req *r)
{
    api_zone_toggle(r, true, "muted", mute_write);
}

void api_inv_unmute(struct req *r)
{
    api_zone_toggle(r, false, "muted", mute_write);
}

void api_inv_mutes(struct req *r)
{
    struct store_val p[] = {SV_INT(r->sess.user_id), SV_INT(LIMIT_PAGE_SIZE_MAX)};
    api_reply_items(r,
                    "SELECT z.institution_id, i.name, z.created_ms FROM zone_mutes z JOIN "
                    "institutions i ON i.id = z.institution_id WHERE z.investor_id = ? ORDER BY "
                    "z.created_ms DESC, z.institution_id LIMIT ?",
                    p, 2, api_collect_zone_since);
}
