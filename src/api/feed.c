/*
 * feed.c: the investor's feed: what the zones they follow have published, newest first.
 *
 * An item is in the feed while it has a published version, is not taken down and its
 * institution is open to investors: the same rule as the public content page, so the feed
 * never shows a draft, a held or rejected version or a takedown. Items are ordered by first
 * publication (an edit does not move an item), then id; the cursor carries that key, so
 * pages never repeat or skip an item when new ones are published meanwhile.
 *
 * `pinned` (first page only) holds the institutions' content promotions running now for this
 * investor (campaigns.c); `recommendations` is the platform's recommendation slot, filled on
 * the first page only by the fair rule's allocation (recommend.c): the zones whose
 * impressions are most overdue.
 */
#include "api/api.h"
#include "api/campaigns.h"
#include "api/handlers.h"
#include "api/recommend.h"

#include "base/buf.h"
#include "base/check.h"
#include "base/log.h"
#include "base/utf8.h"
#include "core/markdown.h"

#include <stdlib.h>
#include <string.h>

static json_t *feed_json(const struct store_row *row, struct cursor *key)
{
    key->ms = store_row_int(row, 7);
    key->id = store_row_int(row, 0);
    /* The excerpt is of the words a reader sees, never of the markup. */
    size_t len = 0;
    const char *md = store_row_text(row, 6, &len);
    struct buf text;
    buf_init(&text, MD_OUTPUT_BYTES_MAX);
    char excerpt[LIMIT_FEED_EXCERPT_CHARS * UTF8_SEQ_MAX + sizeof("…")] = "";
    if (md_plain_text(md, len, &text, NULL) == MD_OK)
        api_excerpt(text.data ? text.data : "", LIMIT_FEED_EXCERPT_CHARS, excerpt, sizeof(excerpt));
    buf_free(&text);
    return json_pack("{s:o,s:o,s:s,s:s,s:s,s:s,s:s,s:I}", "content_id", json_id(key->id),
                     "institution_id", json_id(store_row_int(row, 1)), "institution_name",
                     store_row_text(row, 2, NULL), "zone_name", store_row_text(row, 3, NULL),
                     "kind", store_row_text(row, 4, NULL), "title", store_row_text(row, 5, NULL),
                     "excerpt", excerpt, "published_ms", (json_int_t)key->ms);
}

/* Columns of a feed item, as feed_json reads them. */
#define FEED_ITEM_COLS                                                                      \
    "c.id, c.institution_id, i.name, COALESCE((SELECT z.display_name FROM zone_versions z " \
    "WHERE z.institution_id = c.institution_id AND z.status = 'approved' ORDER BY "         \
    "z.submitted_ms DESC LIMIT 1), i.name), c.kind, v.title, v.body, c.published_ms"

static int collect_pinned(void *arr, const struct store_row *row)
{
    struct cursor unused;
    json_t *item = feed_json(row, &unused);
    json_object_set_new(item, "campaign_id", json_id(store_row_int(row, 8)));
    json_array_append_new(arr, item);
    return 0;
}

/*
 * The content promotions running now (approved, not stopped, within their period) of the zones
 * the investor follows, newest campaign first: a promotion for all followers, or for a segment
 * the investor is in and has not opted out of (campaigns.h). The content must still be
 * published, as for any feed item.
 */
static enum store_rc pinned(struct store_conn *c, int64_t investor, int64_t now_ms, json_t *out,
                            struct store_err *err)
{
    struct store_val p[] = {SV_INT(investor), SV_INT(now_ms),
                            SV_INT(api_marketing_opted_out(c, investor)),
                            SV_INT(LIMIT_CAMPAIGN_PINNED)};
    return store_query(
        c,
        "SELECT " FEED_ITEM_COLS ", k.id FROM follows f JOIN institutions i ON i.id = "
        "f.institution_id AND i.status IN ('pilot', 'live') JOIN campaigns k ON "
        "k.institution_id = f.institution_id AND k.type = 'content_promotion' AND k.status = "
        "'approved' AND k.stopped_ms IS NULL AND k.start_ms <= ?2 AND k.end_ms > ?2 JOIN contents "
        "c ON c.id = k.content_id AND c.published_version IS NOT NULL AND c.status <> 'taken_down' "
        "JOIN "
        "content_versions v ON v.content_id = c.id AND v.version = c.published_version WHERE "
        "f.investor_id = ?1 AND (k.segment = 'all' OR (?3 = 0 AND " CAMPAIGN_AUDIENCE_SQL
        ")) ORDER BY k.start_ms DESC, k.id DESC LIMIT ?4",
        p, 4, collect_pinned, out, err);
}

void api_inv_feed(struct req *r)
{
    struct api_page page;
    if (!api_page_or_reply(r, &page))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *items = json_array(), *next = NULL;
    struct store_err err;
    struct store_val p[] = {SV_INT(r->sess.user_id), SV_INT(page.after.ms), SV_INT(page.after.id),
                            SV_INT(page.limit + 1)};
    json_t *pins = json_array();
    enum store_rc rc = api_page_read(
        c,
        "SELECT " FEED_ITEM_COLS
        " FROM follows f JOIN institutions i ON i.id = f.institution_id AND "
        "i.status IN ('pilot', 'live') JOIN contents c ON c.institution_id = f.institution_id "
        "AND c.published_version IS NOT NULL AND c.status <> 'taken_down' JOIN "
        "content_versions v ON v.content_id = c.id AND v.version = c.published_version WHERE "
        "f.investor_id = ?1 AND (c.published_ms < ?2 OR (c.published_ms = ?2 AND c.id < ?3)) "
        "ORDER BY c.published_ms DESC, c.id DESC LIMIT ?4",
        p, 4, &page, feed_json, items, &next, &err);
    /* Pinned at the top of the feed: on its first page only. */
    if (rc == STORE_OK && req_query(r, "cursor") == NULL)
        rc = pinned(c, r->sess.user_id, r->now_ms, pins, &err);
    if (rc != STORE_OK) {
        json_decref(items);
        json_decref(next);
        json_decref(pins);
        req_store_problem(r, rc, &err);
        return;
    }
    /* A later page is the same visit: the slot is shown, and counted, once. */
    json_t *recs = json_array();
    char record[CIVIL_DATE_CAP];
    if (req_query(r, "cursor") == NULL &&
        recommend_pick(r, LIMIT_FEED_RECOMMENDATIONS, recs, record, &err) != STORE_OK)
        log_warn("feed: recommendations left out: %s", err.msg);
    req_reply_json(r, 200,
                   json_pack("{s:o,s:o,s:o,s:o}", "items", items, "next_cursor", next, "pinned",
                             pins, "recommendations", recs));
}

static int collect_zone_content(void *arr, const struct store_row *row)
{
    struct cursor key;
    json_array_append_new(arr, feed_json(row, &key));
    return 0;
}

enum store_rc api_zone_contents(struct store_conn *c, int64_t inst, const char *kind, json_t *arr,
                                struct store_err *err)
{
    struct store_val p[] = {SV_INT(inst), SV_TEXT(kind), SV_INT(LIMIT_ZONE_CONTENTS)};
    return store_query(c,
                       "SELECT " FEED_ITEM_COLS " FROM contents c JOIN institutions i ON i.id = "
                       "c.institution_id JOIN content_versions v ON v.content_id = c.id AND "
                       "v.version = c.published_version WHERE c.institution_id = ? AND c.kind = ? "
                       "AND c.published_version IS NOT NULL AND c.status <> 'taken_down' ORDER BY "
                       "c.published_ms DESC, c.id DESC LIMIT ?",
                       p, 3, collect_zone_content, arr, err);
}
