/*
 * fair_days.c: the published days of the fair rule and what each institution sees of them.
 *
 *   public   the list of published days, one day's record with its hash, prev_hash and
 *            signature (what `caifuhao verify-allocation --from URL` checks), the public key
 *   inst     the caller's own institution's breakdown by day: inputs, normalised metrics,
 *            score, floor, cap, impressions allocated and delivered, the costliest metric
 *   ops      delivered versus allocated impressions of a day; the platform's own mark
 *
 * A day's record is served as stored, byte for byte, inside the answer.
 */
#include "api/api.h"
#include "api/fair_json.h"
#include "api/handlers.h"
#include "api/recommend.h"

#include "base/buf.h"
#include "base/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A date from the path (parameter i) or the query; answers 400 itself. */
static bool date_or_reply(struct req *r, const char *s, const char *name, struct civil_date *d)
{
    if (s == NULL || civil_date_parse(s, strlen(s), d) != CIVIL_OK) {
        req_problem(r, 400, "bad_request", NULL, "%s must be a date YYYY-MM-DD", name);
        return false;
    }
    return true;
}

/* ---- public ---- */

static int collect_day(void *array, const struct store_row *row)
{
    json_array_append_new(
        array,
        json_pack("{s:s,s:I,s:s,s:s,s:I,s:I}", "date", store_row_text(row, 0, NULL), "rule_version",
                  (json_int_t)store_row_int(row, 1), "hash", store_row_text(row, 2, NULL),
                  "prev_hash", store_row_text(row, 3, NULL), "institutions",
                  (json_int_t)store_row_int(row, 4), "total", (json_int_t)store_row_int(row, 5)));
    return 0;
}

void api_public_fair_days(struct req *r)
{
    int64_t limit = LIMIT_PAGE_SIZE_DEFAULT;
    struct civil_date before = {9999, 12, 31};
    const char *b = req_query(r, "before");
    if (!req_query_int_or_reply(r, "limit", 1, LIMIT_PAGE_SIZE_MAX, &limit) ||
        (b != NULL && !date_or_reply(r, b, "query parameter 'before'", &before)))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    char bs[CIVIL_DATE_CAP];
    civil_date_format(before, bs, sizeof(bs));
    json_t *items = json_array();
    struct store_err err;
    struct store_val p[] = {SV_TEXT(bs), SV_INT(limit)};
    enum store_rc rc = store_query(c,
                                   "SELECT day, rule_version, hash, prev_hash, institutions, "
                                   "total FROM fair_days WHERE day < ? ORDER BY day DESC LIMIT ?",
                                   p, 2, collect_day, items, &err);
    if (rc != STORE_OK) {
        json_decref(items);
        req_store_problem(r, rc, &err);
        return;
    }
    size_t n = json_array_size(items);
    json_t *next = (int64_t)n == limit
                       ? json_incref(json_object_get(json_array_get(items, n - 1), "date"))
                       : json_null();
    req_reply_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next_before", next));
}

struct day_text {
    struct buf out;
    bool found;
};

/* {"date":…,"rule_version":…,"hash":…,"prev_hash":…,"signature":…,"record":RECORD}: the
 * record's stored text goes in unparsed, so that what is served is what was hashed. */
static int take_day(void *ctx, const struct store_row *row)
{
    struct day_text *t = ctx;
    size_t len = 0;
    const char *rec = store_row_text(row, 5, &len);
    t->found = buf_printf(&t->out,
                          "{\"date\":\"%s\",\"rule_version\":%lld,\"hash\":\"%s\",\"prev_hash\":"
                          "\"%s\",\"signature\":\"%s\",\"record\":",
                          store_row_text(row, 0, NULL), (long long)store_row_int(row, 1),
                          store_row_text(row, 2, NULL), store_row_text(row, 3, NULL),
                          store_row_text(row, 4, NULL)) &&
               buf_append(&t->out, rec, len) && buf_append(&t->out, "}", 1);
    if (!t->found)
        buf_free(&t->out);
    return 1;
}

static void release_buf(void *cls)
{
    buf_free(cls);
    free(cls);
}

void api_public_fair_day(struct req *r)
{
    struct civil_date d;
    if (!date_or_reply(r, r->params[0], "the date", &d))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    char ds[CIVIL_DATE_CAP];
    civil_date_format(d, ds, sizeof(ds));
    struct day_text *t = calloc(1, sizeof(*t));
    if (t == NULL) {
        req_problem(r, 503, "unavailable", NULL, "out of memory; try again");
        return;
    }
    buf_init(&t->out, LIMIT_FAIR_RECORD_BYTES);
    struct store_err err;
    struct store_val p[] = {SV_TEXT(ds)};
    enum store_rc rc = store_query(c,
                                   "SELECT day, rule_version, hash, prev_hash, signature, record "
                                   "FROM fair_days WHERE day = ?",
                                   p, 1, take_day, t, &err);
    if (rc != STORE_OK || !t->found) {
        release_buf(t);
        if (rc != STORE_OK)
            req_store_problem(r, rc, &err);
        else
            req_problem(r, 404, "not_found", NULL, "no published day %s", ds);
        return;
    }
    req_reply_shared(r, 200, "application/json", t->out.data, t->out.len, release_buf, &t->out);
}

void api_public_fair_key(struct req *r)
{
    char hex[FAIR_KEY_HEX];
    crypto_hex(r->cfg->sign_pk, CRYPTO_SIGN_PK_BYTES, hex);
    req_reply_json(r, 200,
                   json_pack("{s:s,s:s,s:s}", "algorithm", "Ed25519", "public_key", hex, "signs",
                             "the 32 bytes of each day's SHA-256 hash"));
}

/* ---- the institution's own breakdown ---- */

static json_t *parsed_or_null(const struct store_row *row, int col)
{
    size_t len = 0;
    const char *t = store_row_text(row, col, &len);
    json_t *j = json_loadb(t, len, 0, NULL);
    return j ? j : json_null();
}

static int collect_breakdown(void *array, const struct store_row *row)
{
    char served[CIVIL_DATE_CAP];
    struct civil_date d;
    size_t len = 0;
    const char *ds = store_row_text(row, 0, &len);
    ASSERT(civil_date_parse(ds, len, &d) == CIVIL_OK); /* written by job_score only */
    civil_date_format(civil_date_add_days(d, 1), served, sizeof(served));
    json_array_append_new(
        array,
        json_pack("{s:s,s:I,s:b,s:o,s:o,s:I,s:I,s:I,s:I,s:o,s:s,s:I}", "date", ds, "rule_version",
                  (json_int_t)store_row_int(row, 1), "is_new", (int)store_row_int(row, 2), "inputs",
                  parsed_or_null(row, 3), "norm_ppm", parsed_or_null(row, 4), "score_ppm",
                  (json_int_t)store_row_int(row, 5), "floor", (json_int_t)store_row_int(row, 6),
                  "cap", (json_int_t)store_row_int(row, 7), "impressions",
                  (json_int_t)store_row_int(row, 8), "costliest",
                  store_row_is_null(row, 9) ? json_null()
                                            : json_string(store_row_text(row, 9, NULL)),
                  "served_on", served, "delivered", (json_int_t)0));
    return 0;
}

/* Sets `delivered` of the item served on the row's day. */
static int take_delivered(void *items, const struct store_row *row)
{
    const char *day = store_row_text(row, 0, NULL);
    size_t i;
    json_t *item;
    json_array_foreach((json_t *)items, i, item) {
        if (strcmp(json_string_value(json_object_get(item, "served_on")), day) == 0)
            json_object_set_new(item, "delivered", json_integer(store_row_int(row, 1)));
    }
    return 0;
}

/* ?from=&to= (default: the 30 days before today), at most LIMIT_FAIR_RANGE_DAYS. */
static bool range_or_reply(struct req *r, char from[CIVIL_DATE_CAP], char to[CIVIL_DATE_CAP])
{
    struct civil_date today = civil_date_of_ms_cst(r->now_ms);
    struct civil_date b = civil_date_add_days(today, -1), a = civil_date_add_days(b, -29);
    const char *fs = req_query(r, "from"), *ts = req_query(r, "to");
    if ((fs && !date_or_reply(r, fs, "query parameter 'from'", &a)) ||
        (ts && !date_or_reply(r, ts, "query parameter 'to'", &b)))
        return false;
    if (fs && !ts)
        b = civil_date_add_days(a, LIMIT_FAIR_RANGE_DAYS - 1);
    if (civil_date_cmp(a, b) > 0 || civil_days_between(a, b) >= LIMIT_FAIR_RANGE_DAYS) {
        req_problem(r, 400, "bad_request", NULL,
                    "from must not be after to, and the range at most %d days",
                    LIMIT_FAIR_RANGE_DAYS);
        return false;
    }
    civil_date_format(a, from, CIVIL_DATE_CAP);
    civil_date_format(b, to, CIVIL_DATE_CAP);
    return true;
}

/* The institution comes from the session: there is no way to ask for another's. */
void api_inst_fair_score(struct req *r)
{
    char from[CIVIL_DATE_CAP], to[CIVIL_DATE_CAP];
    if (!range_or_reply(r, from, to))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    int64_t inst = r->sess.institution_id;
    ASSERT(inst > 0); /* the route is for staff only */
    json_t *items = json_array();
    struct store_err err;
    struct store_val p[] = {SV_INT(inst), SV_TEXT(from), SV_TEXT(to)};
    enum store_rc rc = store_query(c,
                                   "SELECT x.day, f.rule_version, x.is_new, x.inputs, x.norm, "
                                   "x.score_ppm, x.floor, x.cap, x.impressions, x.costliest FROM "
                                   "fair_day_results x JOIN fair_days f ON f.day = x.day WHERE "
                                   "x.institution_id = ? AND x.day >= ? AND x.day <= ? ORDER BY "
                                   "x.day",
                                   p, 3, collect_breakdown, items, &err);
    /* Delivered on the day after each, when its allocation was served. */
    char after_to[CIVIL_DATE_CAP];
    struct civil_date t;
    ASSERT(civil_date_parse(to, strlen(to), &t) == CIVIL_OK); /* written by range_or_reply */
    civil_date_format(civil_date_add_days(t, 1), after_to, sizeof(after_to));
    struct store_val q[] = {SV_INT(inst), SV_TEXT(from), SV_TEXT(after_to)};
    if (rc == STORE_OK && json_array_size(items) > 0)
        rc = store_query(c,
                         "SELECT day, delivered FROM fair_deliveries WHERE institution_id = ? AND "
                         "day > ? AND day <= ?",
                         q, 3, take_delivered, items, &err);
    if (rc != STORE_OK) {
        json_decref(items);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:o,s:s,s:s,s:o}", "institution_id", json_id(inst), "from", from,
                             "to", to, "items", items));
}

/* ---- operators ---- */

struct delivery {
    json_t *items;
    int64_t allocated, delivered;
};

static int collect_delivery(void *ctx, const struct store_row *row)
{
    struct delivery *d = ctx;
    int64_t alloc = store_row_int(row, 2), got = store_row_int(row, 3);
    d->allocated += alloc;
    d->delivered += got;
    json_array_append_new(d->items, json_pack("{s:o,s:s,s:I,s:I}", "institution_id",
                                              json_id(store_row_int(row, 0)), "name",
                                              store_row_text(row, 1, NULL), "allocated",
                                              (json_int_t)alloc, "delivered", (json_int_t)got));
    return 0;
}

static int take_record_day(void *ctx, const struct store_row *row)
{
    snprintf(ctx, CIVIL_DATE_CAP, "%s", store_row_text(row, 0, NULL));
    return 1;
}

/* Delivered versus allocated on a served day (whose allocation is the latest record before
 * it): counts written by the recommendation slots, flushed every few seconds. */
void api_ops_fair_delivery(struct req *r)
{
    struct civil_date d;
    if (!date_or_reply(r, r->params[0], "the date", &d))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    char ds[CIVIL_DATE_CAP], rec[CIVIL_DATE_CAP] = "";
    civil_date_format(d, ds, sizeof(ds));
    struct store_err err;
    struct store_val p[] = {SV_TEXT(ds)};
    enum store_rc rc = store_query(c, "SELECT MAX(day) FROM fair_days WHERE day < ?", p, 1,
                                   take_record_day, rec, &err);
    struct delivery dl = {json_array(), 0, 0};
    struct store_val q[] = {SV_TEXT(rec), SV_TEXT(ds)};
    if (rc == STORE_OK && rec[0] != '\0')
        rc = store_query(c,
                         "SELECT x.institution_id, COALESCE(i.name, ''), x.impressions, "
                         "COALESCE(d.delivered, 0) FROM fair_day_results x LEFT JOIN "
                         "institutions i ON i.id = x.institution_id LEFT JOIN fair_deliveries d "
                         "ON d.day = ?2 AND d.institution_id = x.institution_id WHERE x.day = ?1 "
                         "ORDER BY x.impressions DESC, x.institution_id",
                         q, 2, collect_delivery, &dl, &err);
    if (rc != STORE_OK) {
        json_decref(dl.items);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:s,s:o,s:I,s:I,s:I,s:o}", "date", ds, "record_date",
                             rec[0] ? json_string(rec) : json_null(), "allocated",
                             (json_int_t)dl.allocated, "delivered", (json_int_t)dl.delivered,
                             "flush_interval_ms", (json_int_t)LIMIT_RECOMMEND_FLUSH_MS, "items",
                             dl.items));
}

struct own_mark {
    int64_t id, now_ms;
    bool own;
    const char *reason;
    struct api_actor actor;
    json_t *out;
};

static enum store_rc own_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct own_mark *x = ctx;
    struct store_val p[] = {SV_INT(x->own), SV_INT(x->now_ms), SV_INT(x->id)};
    int64_t changed = 0;
    enum store_rc rc = store_exec(c,
                                  "UPDATE institutions SET platform_own = ?, updated_ms = ? "
                                  "WHERE id = ?",
                                  p, 3, &changed, err);
    if (rc == STORE_OK && changed == 0)
        return api_abort(err, API_ABORT_NOT_FOUND, "no institution %lld", (long long)x->id);
    if (rc != STORE_OK)
        return rc;
    char subject[48];
    snprintf(subject, sizeof(subject), "institution:%lld", (long long)x->id);
    json_t *d = json_pack("{s:b,s:s}", "platform_own", x->own, "reason", x->reason);
    rc = api_audit(c, &x->actor, x->id, "institution.platform_own", subject, d, x->now_ms, err);
    json_decref(d);
    return rc == STORE_OK ? api_load_inst(c, x->id, &x->out, err) : rc;
}

static void own_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct own_mark *x = r->write.ctx;
    if (rc != STORE_OK) {
        json_decref(x->out);
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "institution", x->out));
}

/* Marks or unmarks an institution as the platform's own: shown to everyone, read by nothing
 * that scores or allocates. */
void api_ops_inst_platform_own(struct req *r)
{
    struct own_mark *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id))
        return;
    json_t *j = req_json_or_reply(r);
    struct field f[] = {
        FIELD_BOOL("platform_own", true, &x->own),
        FIELD_STR("reason", true, 1, LIMIT_REASON_CHARS_MAX, &x->reason, NULL),
    };
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, own_write, x, own_then);
}
