/*
 * search.c: public search over zones, products and published content, by Chinese or Latin
 * text, and the write-path upkeep of the indexes behind it.
 *
 * A query is one substring (core/search.h turns it into an FTS5 string and a LIKE pattern, so
 * nothing typed is ever read as query syntax). Three characters or more use the trigram
 * indexes; one or two, common in Chinese (养老, 债), a LIKE scan over the newest
 * LIMIT_SEARCH_SCAN_ROWS rows of the same columns. Either way the answer holds only what the
 * public may see: approved brands of pilot and live institutions, their products that are not
 * closed, and published content that is not taken down. Pages are cursor-based.
 */
#include "api/api.h"
#include "api/handlers.h"

#include "base/check.h"
#include "base/cursor.h"
#include "core/search.h"
#include "core/suitability.h"

#include <stdio.h>
#include <string.h>

/*
 * Every SQL text of search, in one place. Per kind:
 *   drop, fill  replace one row of the kind's FTS5 table from its source tables (its rowid is
 *               the institution, product or content id); run by the write paths below, since
 *               triggers may not write virtual tables under trusted_schema=OFF;
 *   fts         a query of 3+ characters: `MATCH` with the FTS5 string on the trigram index;
 *   scan        a query of 1 or 2 characters: `LIKE ... ESCAPE '\'` with the LIKE pattern over
 *               the newest LIMIT_SEARCH_SCAN_ROWS visible rows.
 * Parameters of fts and scan, in order: for scan the number of rows it reads, then the pattern
 * (once per column for scan), the cursor (as `after` says), the page size plus one.
 *
 * PostgreSQL (pg_trgm) needs no FTS tables and no drop/fill: each searched column gets
 *     CREATE INDEX products_name_trgm ON products USING gin (name gin_trgm_ops);
 * and fts and scan become one query, each `x MATCH ?` written as `(col1 ILIKE ? ESCAPE '\'
 * OR col2 ILIKE ? ...)` with the LIKE pattern (ILIKE folds case as the trigram tokenizer and
 * SQLite's LIKE do for Latin letters). The GIN index serves patterns of 3+ characters; shorter
 * ones scan, bounded by the same inner LIMIT.
 */
#define PUBLIC_INST "i.status IN ('pilot', 'live')"

#define ZONE_OUT   "z.institution_id, z.display_name, z.slogan, z.logo_upload_id"
#define ZONE_AFTER "z.institution_id > ?"
#define ZONE_ORDER " ORDER BY z.institution_id LIMIT ?"

#define PRODUCT_OUT   "p.id, p.institution_id, p.code, p.name, p.type, p.risk_level"
#define PRODUCT_AFTER "p.code > ?"
#define PRODUCT_ORDER " ORDER BY p.code LIMIT ?"

#define CONTENT_OUT   "c.id, c.institution_id, c.kind, c.title, c.published_ms"
#define CONTENT_AFTER "(c.published_ms < ? OR (c.published_ms = ? AND c.id < ?))"
#define CONTENT_ORDER " ORDER BY c.published_ms DESC, c.id DESC LIMIT ?"
#define CONTENT_SOURCE                                                                      \
    "SELECT c.id, c.institution_id, c.kind, v.title, v.body, c.published_ms FROM contents " \
    "c JOIN content_versions v ON v.content_id = c.id AND v.version = c.published_version " \
    "JOIN institutions i ON i.id = c.institution_id WHERE c.status <> 'taken_down' "        \
    "AND " PUBLIC_INST

enum search_kind {
    KIND_ZONES = 0,
    KIND_PRODUCTS,
    KIND_CONTENTS,
};

static const struct kind_sql {
    const char *name;
    const char *drop, *fill;
    const char *fts, *scan;
    int scan_columns;
} kinds[] = {
    [KIND_ZONES] =
        {
            "zones",
            "DELETE FROM search_zones WHERE rowid = ?",
            "INSERT INTO search_zones (rowid, display_name, slogan, introduction) SELECT "
            "institution_id, display_name, slogan, introduction FROM zone_versions WHERE "
            "institution_id = ? AND status = 'approved'",
            "SELECT " ZONE_OUT " FROM search_zones s JOIN zone_versions z ON z.institution_id = "
            "s.rowid AND z.status = 'approved' JOIN institutions i ON i.id = z.institution_id "
            "WHERE search_zones MATCH ? AND " PUBLIC_INST " AND " ZONE_AFTER ZONE_ORDER,
            "SELECT " ZONE_OUT " FROM (SELECT z.* FROM zone_versions z JOIN institutions i ON "
            "i.id = z.institution_id WHERE z.status = 'approved' AND " PUBLIC_INST " ORDER BY "
            "z.institution_id LIMIT ?) z WHERE (z.display_name LIKE ? ESCAPE "
            "'\\' OR z.slogan LIKE ? ESCAPE '\\' OR z.introduction LIKE ? ESCAPE '\\') "
            "AND " ZONE_AFTER ZONE_ORDER,
            3,
        },
    [KIND_PRODUCTS] =
        {
            "products",
            "DELETE FROM search_products WHERE rowid = ?",
            "INSERT INTO search_products (rowid, code, name) SELECT id, code, name FROM products "
            "WHERE id = ?",
            "SELECT " PRODUCT_OUT " FROM search_products s JOIN products p ON p.id = s.rowid "
            "JOIN institutions i ON i.id = p.institution_id WHERE search_products MATCH ? AND "
            "p.status <> 'closed' AND " PUBLIC_INST " AND " PRODUCT_AFTER PRODUCT_ORDER,
            "SELECT " PRODUCT_OUT " FROM (SELECT p.* FROM products p JOIN institutions i ON i.id "
            "= p.institution_id WHERE p.status <> 'closed' AND " PUBLIC_INST " ORDER BY "
            "p.created_ms DESC LIMIT ?) p WHERE (p.code LIKE ? ESCAPE '\\' OR "
            "p.name LIKE ? ESCAPE '\\') AND " PRODUCT_AFTER PRODUCT_ORDER,
            2,
        },
    [KIND_CONTENTS] =
        {
            "contents",
            "DELETE FROM search_contents WHERE rowid = ?",
            "INSERT INTO search_contents (rowid, title, body) SELECT c.id, v.title, v.body FROM "
            "contents c JOIN content_versions v ON v.content_id = c.id AND v.version = "
            "c.published_version WHERE c.id = ?",
            "SELECT " CONTENT_OUT " FROM search_contents s JOIN (" CONTENT_SOURCE ") c ON c.id = "
            "s.rowid WHERE search_contents MATCH ? AND " CONTENT_AFTER CONTENT_ORDER,
            "SELECT " CONTENT_OUT " FROM (" CONTENT_SOURCE " ORDER BY c.published_ms DESC, c.id "
            "DESC LIMIT ?) c WHERE (c.title LIKE ? ESCAPE '\\' OR c.body LIKE "
            "? ESCAPE '\\') AND " CONTENT_AFTER CONTENT_ORDER,
            2,
        },
};

/* ---- keeping the indexes in step ---- */

static enum store_rc reindex(struct store_conn *c, enum search_kind k, int64_t id,
                             struct store_err *err)
{
    struct store_val p[] = {SV_INT(id)};
    enum store_rc rc = store_exec(c, kinds[k].drop, p, 1, NULL, err);
    return rc == STORE_OK ? store_exec(c, kinds[k].fill, p, 1, NULL, err) : rc;
}

enum store_rc api_search_index_zone(struct store_conn *c, int64_t inst, struct store_err *err)
{
    return reindex(c, KIND_ZONES, inst, err);
}

enum store_rc api_search_index_product(struct store_conn *c, int64_t id, struct store_err *err)
{
    return reindex(c, KIND_PRODUCTS, id, err);
}

enum store_rc api_search_index_content(struct store_conn *c, int64_t id, struct store_err *err)
{
    return reindex(c, KIND_CONTENTS, id, err);
}

/* ---- searching ---- */

struct hits {
    enum search_kind kind;
    int64_t limit;
    json_t *items;
    int64_t last_key, last_id; /* of the last row kept */
    bool more;                 /* a row beyond the page was seen */
};

static json_t *zone_hit(const struct store_row *row, struct hits *h)
{
    h->last_id = store_row_int(row, 0);
    h->last_key = h->last_id;
    char url[96];
    snprintf(url, sizeof(url), "/uploads/%s", store_row_text(row, 3, NULL));
    return json_pack("{s:o,s:s,s:s,s:o}", "institution_id", json_id(h->last_id), "display_name",
                     store_row_text(row, 1, NULL), "slogan", store_row_text(row, 2, NULL),
                     "logo_url", store_row_is_null(row, 3) ? json_null() : json_string(url));
}

static json_t *product_hit(const struct store_row *row, struct hits *h)
{
    const char *code = store_row_text(row, 2, NULL);
    int64_t key = 0;
    for (const char *p = code; *p >= '0' && *p <= '9' && key < INT64_C(100000000); p++)
        key = key * 10 + (*p - '0'); /* codes are 6 digits: the key orders as the code does */
    h->last_id = store_row_int(row, 0);
    h->last_key = key;
    int risk = (int)store_row_int(row, 5);
    return json_pack("{s:o,s:o,s:s,s:s,s:s,s:s,s:s}", "id", json_id(h->last_id), "institution_id",
                     json_id(store_row_int(row, 1)), "code", code, "name",
                     store_row_text(row, 3, NULL), "type", store_row_text(row, 4, NULL),
                     "risk_level", suit_risk_code(risk), "risk_name", suit_risk_name(risk));
}

static json_t *content_hit(const struct store_row *row, struct hits *h)
{
    h->last_id = store_row_int(row, 0);
    h->last_key = store_row_int(row, 4);
    return json_pack("{s:o,s:o,s:s,s:s,s:I}", "id", json_id(h->last_id), "institution_id",
                     json_id(store_row_int(row, 1)), "kind", store_row_text(row, 2, NULL), "title",
                     store_row_text(row, 3, NULL), "published_ms", (json_int_t)h->last_key);
}

static json_t *(*const make_hit[])(const struct store_row *, struct hits *) = {
    [KIND_ZONES] = zone_hit, [KIND_PRODUCTS] = product_hit, [KIND_CONTENTS] = content_hit};

static int collect_hit(void *ctx, const struct store_row *row)
{
    struct hits *h = ctx;
    if ((int64_t)json_array_size(h->items) == h->limit) {
        h->more = true;
        return 1;
    }
    json_array_append_new(h->items, make_hit[h->kind](row, h));
    return 0;
}

/* Binds pattern(s), cursor and page size for kind k into p; answers the count. */
static size_t bind(enum search_kind k, const struct search_query *s, int64_t key, int64_t id,
                   int64_t limit, char code[8], struct store_val p[9])
{
    size_t n = 0;
    if (s->mode == SEARCH_SCAN)
        p[n++] = SV_INT(LIMIT_SEARCH_SCAN_ROWS);
    int patterns = s->mode == SEARCH_TRIGRAM ? 1 : kinds[k].scan_columns;
    for (int i = 0; i < patterns; i++)
        p[n++] = SV_TEXT(s->mode == SEARCH_TRIGRAM ? s->fts : s->like);
    if (k == KIND_ZONES) {
        p[n++] = SV_INT(key);
    } else if (k == KIND_PRODUCTS) {
        snprintf(code, 8, "%06lld", (long long)(key % 1000000));
        p[n++] = key < 0 ? SV_TEXT("") : SV_TEXT(code);
    } else {
        p[n++] = SV_INT(key);
        p[n++] = SV_INT(key);
        p[n++] = SV_INT(id);
    }
    p[n++] = SV_INT(limit + 1);
    ASSERT(n <= 9);
    return n;
}

/* The `type` and `cursor` query parameters; answers 400 itself. */
static bool kind_and_cursor_or_reply(struct req *r, enum search_kind *k, int64_t *key, int64_t *id)
{
    const char *type = req_query(r, "type"), *cursor = req_query(r, "cursor");
    size_t i = 0;
    while (type != NULL && i < ARRAY_LEN(kinds) && strcmp(type, kinds[i].name) != 0)
        i++;
    if (type == NULL || i == ARRAY_LEN(kinds)) {
        req_problem(r, 400, "bad_request", "type",
                    "query parameter 'type' must be zones, products or contents");
        return false;
    }
    *k = (enum search_kind)i;
    /* No cursor: before the first row (ascending kinds) or after the last (contents). */
    *key = *k == KIND_CONTENTS ? INT64_MAX : -1;
    *id = INT64_MAX;
    struct cursor after;
    if (cursor != NULL && cursor_decode(cursor, &after)) {
        *key = after.ms;
        *id = after.id;
    } else if (cursor != NULL) {
        req_problem(r, 400, "bad_request", "cursor",
                    "query parameter 'cursor' must be the next_cursor of a previous page");
        return false;
    }
    return true;
}

void api_public_search(struct req *r)
{
    enum search_kind k = KIND_ZONES;
    int64_t key = 0, id = 0, limit = LIMIT_SEARCH_PAGE_DEFAULT;
    const char *q = req_query(r, "q");
    struct search_query *s = arena_alloc(&r->arena, sizeof(*s));
    if (s == NULL || !kind_and_cursor_or_reply(r, &k, &key, &id) ||
        !req_query_int_or_reply(r, "limit", 1, LIMIT_SEARCH_PAGE_MAX, &limit))
        return;
    enum search_rc sr = q ? search_query_prepare(q, strlen(q), s) : SEARCH_EMPTY;
    if (sr != SEARCH_OK) {
        req_problem(r, 400, "bad_request", "q", "query parameter 'q': %s (1 to %d characters)",
                    search_rc_str(sr), LIMIT_SEARCH_QUERY_CHARS_MAX);
        return;
    }
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    char code[8];
    struct store_val p[9];
    size_t n = bind(k, s, key, id, limit, code, p);
    struct hits h = {.kind = k, .limit = limit, .items = json_array()};
    struct store_err err;
    enum store_rc rc = store_query(c, s->mode == SEARCH_TRIGRAM ? kinds[k].fts : kinds[k].scan, p,
                                   n, collect_hit, &h, &err);
    if (rc != STORE_OK) {
        json_decref(h.items);
        req_store_problem(r, rc, &err);
        return;
    }
    char next[LIMIT_CURSOR_CHARS + 1];
    struct cursor last = {h.last_key, h.last_id};
    if (h.more)
        cursor_encode(&last, next);
    req_reply_json(r, 200,
                   json_pack("{s:s,s:o,s:o}", "type", kinds[k].name, "items", h.items,
                             "next_cursor", h.more ? json_string(next) : json_null()));
}
