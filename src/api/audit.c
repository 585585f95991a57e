/*
 * audit.c: reading and verifying the audit chain (operators: admin and risk).
 *
 * Verification recomputes every hash from the first entry: an entry whose stored
 * prev_hash is not the previous entry's hash, or whose hash does not match its content,
 * is where the chain is broken. It streams rows, so memory does not grow with the log.
 */
#include "api/api.h"
#include "api/handlers.h"

#include "base/check.h"
#include "core/audit.h"

#include <string.h>

static json_t *hex_json(const void *p, size_t n)
{
    char hex[2 * CRYPTO_SHA256_BYTES + 1] = "";
    if (p != NULL && n == CRYPTO_SHA256_BYTES)
        crypto_hex(p, n, hex);
    return json_string(hex);
}

static int collect_entry(void *array, const struct store_row *row)
{
    size_t dl = 0, pl = 0, hl = 0;
    const char *dtext = store_row_text(row, 7, &dl);
    json_t *detail = json_loadb(dtext, dl, 0, NULL);
    const void *prev = store_row_blob(row, 8, &pl);
    const void *hash = store_row_blob(row, 9, &hl);
    json_array_append_new(array, json_pack("{s:I,s:I,s:o,s:s,s:o,s:s,s:s,s:o,s:o,s:o}", "seq",
                                           (json_int_t)store_row_int(row, 0), "at_ms",
                                           (json_int_t)store_row_int(row, 1), "actor_user_id",
                                           json_id_or_null(store_row_int(row, 2)), "actor_role",
                                           store_row_text(row, 3, NULL), "institution_id",
                                           json_id_or_null(store_row_int(row, 4)), "action",
                                           store_row_text(row, 5, NULL), "subject",
                                           store_row_text(row, 6, NULL), "detail",
                                           detail ? detail : json_object(), "prev_hash",
                                           hex_json(prev, pl), "hash", hex_json(hash, hl)));
    return 0;
}

#define AUDIT_COLS                                                             \
    "seq, at_ms, actor_user_id, actor_role, institution_id, action, subject, " \
    "detail, prev_hash, hash"

void api_ops_audit_list(struct req *r)
{
    int64_t after = 0, limit = LIMIT_PAGE_SIZE_DEFAULT;
    if (!req_query_int_or_reply(r, "after_seq", 0, INT64_MAX / 2, &after) ||
        !req_query_int_or_reply(r, "limit", 1, LIMIT_PAGE_SIZE_MAX, &limit))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *items = json_array();
    struct store_err err;
    struct store_val p[] = {SV_INT(after), SV_INT(limit)};
    enum store_rc rc = store_query(c,
                                   "SELECT " AUDIT_COLS " FROM audit_log WHERE seq > ? "
                                   "ORDER BY seq LIMIT ?",
                                   p, 2, collect_entry, items, &err);
    if (rc != STORE_OK) {
        json_decref(items);
        req_store_problem(r, rc, &err);
        return;
    }
    size_t n = json_array_size(items);
    json_t *next =
        n == (size_t)limit
            ? json_integer(json_integer_value(json_object_get(json_array_get(items, n - 1), "seq")))
            : json_null();
    req_reply_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next_after_seq", next));
}

struct verify {
    uint8_t prev[CRYPTO_SHA256_BYTES];
    int64_t checked;
    int64_t expect_seq;
    int64_t broken_at; /* 0: intact */
};

static int verify_row(void *ctx, const struct store_row *row)
{
    struct verify *v = ctx;
    size_t pl = 0, hl = 0;
    const void *prev = store_row_blob(row, 8, &pl);
    const void *hash = store_row_blob(row, 9, &hl);
    struct audit_entry e = {
        .seq = store_row_int(row, 0),
        .at_ms = store_row_int(row, 1),
        .actor_user_id = store_row_int(row, 2),
        .institution_id = store_row_int(row, 4),
        .actor_role = store_row_text(row, 3, NULL),
        .action = store_row_text(row, 5, NULL),
        .subject = store_row_text(row, 6, NULL),
        .detail = store_row_text(row, 7, NULL),
    };
    uint8_t want[CRYPTO_SHA256_BYTES];
    audit_hash(v->prev, &e, want);
    bool ok = e.seq == v->expect_seq && pl == sizeof(v->prev) && memcmp(prev, v->prev, pl) == 0 &&
              hl == sizeof(want) && memcmp(hash, want, hl) == 0;
    if (!ok) {
        v->broken_at = e.seq;
        return 1;
    }
    memcpy(v->prev, want, sizeof(want));
    v->checked++;
    v->expect_seq++;
    return v->checked >= LIMIT_AUDIT_VERIFY_ROWS;
}

void api_ops_audit_verify(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct verify v = {.expect_seq = 1};
    struct store_err err;
    enum store_rc rc = store_query(c, "SELECT " AUDIT_COLS " FROM audit_log ORDER BY seq", NULL, 0,
                                   verify_row, &v, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return;
    }
    json_t *out = json_pack("{s:b,s:I}", "ok", v.broken_at == 0, "checked", (json_int_t)v.checked);
    if (v.broken_at != 0)
        json_object_set_new(out, "broken_at_seq", json_integer(v.broken_at));
    req_reply_json(r, 200, out);
}
