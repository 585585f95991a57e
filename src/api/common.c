/* common.c: shared pieces of the handlers (see api.h). */
#include "api/api.h"
#include "api/compliance.h"

#include "base/check.h"
#include "base/crypto.h"
#include "base/log.h"
#include "base/utf8.h"
#include "core/audit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *api_user_json(const struct store_row *row, int col)
{
    return json_pack(
        "{s:o,s:s,s:s,s:s,s:s,s:o,s:s,s:I}", "id", json_id(store_row_int(row, col)), "kind",
        store_row_text(row, col + 1, NULL), "role", store_row_text(row, col + 2, NULL), "login",
        store_row_text(row, col + 3, NULL), "display_name", store_row_text(row, col + 4, NULL),
        "institution_id", json_id_or_null(store_row_int(row, col + 5)), "status",
        store_row_text(row, col + 6, NULL), "created_ms", (json_int_t)store_row_int(row, col + 7));
}

json_t *api_inst_json(const struct store_row *row, int col)
{
    return json_pack(
        "{s:o,s:s,s:s,s:s,s:s,s:I,s:I,s:b,s:b}", "id", json_id(store_row_int(row, col)), "name",
        store_row_text(row, col + 1, NULL), "short_name", store_row_text(row, col + 2, NULL),
        "type", store_row_text(row, col + 3, NULL), "status", store_row_text(row, col + 4, NULL),
        "created_ms", (json_int_t)store_row_int(row, col + 5), "updated_ms",
        (json_int_t)store_row_int(row, col + 6), "demo", (int)store_row_int(row, col + 7),
        "platform_own", (int)store_row_int(row, col + 8));
}

int api_collect_users(void *array, const struct store_row *row)
{
    json_array_append_new(array, api_user_json(row, 0));
    return 0;
}

int api_collect_insts(void *array, const struct store_row *row)
{
    json_array_append_new(array, api_inst_json(row, 0));
    return 0;
}

struct last_entry {
    bool found;
    int64_t seq;
    uint8_t hash[CRYPTO_SHA256_BYTES];
};

static int take_last(void *ctx, const struct store_row *row)
{
    struct last_entry *l = ctx;
    size_t n = 0;
    const void *h = store_row_blob(row, 1, &n);
    ASSERT(n == CRYPTO_SHA256_BYTES); /* the chain is written only here */
    l->found = true;
    l->seq = store_row_int(row, 0);
    memcpy(l->hash, h, n);
    return 1;
}

enum store_rc api_audit(struct store_conn *c, const struct api_actor *actor, int64_t institution_id,
                        const char *action, const char *subject, json_t *detail, int64_t now_ms,
                        struct store_err *err)
{
    struct last_entry last = {0};
    enum store_rc rc = store_query(c, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                                   NULL, 0, take_last, &last, err);
    if (rc != STORE_OK)
        return rc;
    char *text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
    if (text == NULL)
        return store_fail(err, STORE_ERROR, "audit detail not serialisable");
    struct audit_entry e = {
        .seq = last.seq + 1,
        .at_ms = now_ms,
        .actor_user_id = actor->user_id,
        .institution_id = institution_id,
        .actor_role = actor->role,
        .action = action,
        .subject = subject,
        .detail = text,
    };
    uint8_t hash[CRYPTO_SHA256_BYTES];
    audit_hash(last.hash, &e, hash);
    struct store_val p[] = {SV_INT(e.seq),
                            SV_INT(now_ms),
                            SV_INT_OR_NULL(actor->user_id),
                            SV_TEXT(actor->role),
                            SV_INT_OR_NULL(institution_id),
                            SV_TEXT(action),
                            SV_TEXT(subject),
                            SV_TEXT(text),
                            SV_BLOB(last.hash, sizeof(last.hash)),
                            SV_BLOB(hash, sizeof(hash))};
    rc = store_exec(c,
                    "INSERT INTO audit_log (seq, at_ms, actor_user_id, actor_role, "
                    "institution_id, action, subject, detail, prev_hash, hash) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    p, 10, NULL, err);
    free(text);
    return rc;
}

enum store_rc api_user_insert(struct store_conn *c, struct api_new_user *u, struct store_err *err)
{
    ASSERT(u->role != ROLE_NONE);
    ASSERT(role_is_inst(u->role) == (u->institution_id != 0));
    if (u->id == 0)
        u->id = crypto_random_id();
    struct store_val p[] = {
        SV_INT(u->id),
        SV_TEXT(role_kind(u->role)),
        SV_TEXT(role_name(u->role)),
        SV_TEXT(u->login),
        SV_TEXT(u->display_name),
        SV_INT_OR_NULL(u->institution_id),
        SV_TEXT(u->status),
        u->password_hash ? SV_TEXT(u->password_hash) : SV_NULL_,
        SV_INT(u->demo ? 1 : 0),
        SV_INT(u->now_ms),
        SV_INT(u->now_ms),
    };
    return store_exec(c,
                      "INSERT INTO users (id, kind, role, login, display_name, institution_id, "
                      "status, password_hash, demo, created_ms, updated_ms) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      p, 11, NULL, err);
}

enum store_rc api_invite_insert(struct store_conn *c, int64_t user_id, int64_t now_ms,
                                char token_hex[LIMIT_TOKEN_HEX + 1], struct store_err *err)
{
    uint8_t raw[LIMIT_TOKEN_BYTES], hash[CRYPTO_SHA256_BYTES];
    crypto_token(token_hex);
    crypto_unhex(token_hex, LIMIT_TOKEN_HEX, raw, sizeof(raw));
    crypto_sha256(raw, sizeof(raw), hash);
    struct store_val p[] = {SV_BLOB(hash, sizeof(hash)), SV_INT(user_id), SV_INT(now_ms),
                            SV_INT(now_ms + (int64_t)LIMIT_INVITE_TTL_S * 1000)};
    return store_exec(c,
                      "INSERT INTO invites (token_hash, user_id, created_ms, expires_ms) "
                      "VALUES (?, ?, ?, ?)",
                      p, 4, NULL, err);
}

struct api_actor api_actor_of(const struct req *r)
{
    return (struct api_actor){r->sess.user_id, role_name(r->sess.role)};
}

void api_write_failed(struct req *r, enum store_rc rc, const struct store_err *err,
                      const char *conflict_detail)
{
    if (rc == STORE_ABORT) {
        switch (err->code) {
        case API_ABORT_NOT_FOUND:
            req_problem(r, 404, "not_found", NULL, "%s", err->msg);
            return;
        case API_ABORT_CONFLICT:
        case API_ABORT_STATE:
            req_problem(r, 409, "conflict", NULL, "%s", err->msg);
            return;
        case API_ABORT_INVALID:
            req_problem(r, 422, "invalid_field", NULL, "%s", err->msg);
            return;
        case API_ABORT_INSUFFICIENT:
            req_problem(r, 409, "insufficient_funds", NULL, "%s", err->msg);
            return;
        case API_ABORT_LIMIT:
            req_problem(r, 422, "limit_exceeded", NULL, "%s", err->msg);
            return;
        case API_ABORT_CAMPAIGN:
            req_problem_with(r, 422, "campaign_not_applicable",
                             json_pack("{s:s,s:s}", "field", "campaign_id", "reason", "stopped"),
                             "%s", err->msg);
            return;
        case API_ABORT_FORBIDDEN:
            req_problem(r, 403, "forbidden", NULL, "%s", err->msg);
            return;
        case API_ABORT_UNAVAILABLE:
            log_msg(LOG_ERROR, r->rid, "%s", err->msg);
            req_problem(r, 503, "unavailable", NULL,
                        "the service cannot do this right now; try again later");
            return;
        case API_ABORT_RATE: /* callers that know when to retry answer this themselves */
            api_rate_limited(r, 60, err->msg);
            return;
        }
    }
    if (rc == STORE_CONSTRAINT) {
        req_problem(r, 409, "conflict", NULL, "%s", conflict_detail);
        return;
    }
    req_store_problem(r, rc, err);
}

enum store_rc api_abort(struct store_err *err, enum api_abort code, const char *fmt, ...)
{
    err->rc = STORE_ABORT;
    err->code = (int)code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return STORE_ABORT;
}

struct one_json {
    json_t *(*make)(const struct store_row *row, int col);
    json_t *out;
};

static int take_one_json(void *ctx, const struct store_row *row)
{
    struct one_json *o = ctx;
    o->out = o->make(row, 0);
    return 1;
}

enum store_rc api_load_user(struct store_conn *c, int64_t id, json_t **out, struct store_err *err)
{
    struct one_json o = {api_user_json, NULL};
    struct store_val p[] = {SV_INT(id)};
    enum store_rc rc = store_query(c, "SELECT " API_USER_COLS " FROM users u WHERE u.id = ?", p, 1,
                                   take_one_json, &o, err);
    if (rc == STORE_OK && o.out == NULL)
        return STORE_DONE;
    *out = o.out;
    return rc;
}

enum store_rc api_load_inst(struct store_conn *c, int64_t id, json_t **out, struct store_err *err)
{
    struct one_json o = {api_inst_json, NULL};
    struct store_val p[] = {SV_INT(id)};
    enum store_rc rc = store_query(c, "SELECT " API_INST_COLS " FROM institutions i WHERE i.id = ?",
                                   p, 1, take_one_json, &o, err);
    if (rc == STORE_OK && o.out == NULL)
        return STORE_DONE;
    *out = o.out;
    return rc;
}

bool api_id_parse(const char *s, int64_t *out)
{
    int64_t v = 0;
    size_t n = s ? strlen(s) : 0;
    bool ok = n > 0 && n <= 19 && s[0] != '0';
    for (size_t i = 0; ok && i < n; i++) {
        ok = s[i] >= '0' && s[i] <= '9' && v <= (INT64_MAX - (s[i] - '0')) / 10;
        v = ok ? v * 10 + (s[i] - '0') : v;
    }
    if (ok)
        *out = v;
    return ok;
}

bool api_id_or_reply(struct req *r, const char *field, const char *s, int64_t *out)
{
    if (!api_id_parse(s, out)) {
        req_problem(r, 422, "invalid_field", field,
                    "field '%s' must be an id (a string of "
                    "digits)",
                    field);
        return false;
    }
    return true;
}

enum store_rc api_moderation(struct store_conn *c, const char *subject, int64_t institution_id,
                             const char *decision, const char *reason, int64_t by, int64_t now_ms,
                             struct store_err *err)
{
    struct store_val p[] = {SV_INT(crypto_random_id()),
                            SV_TEXT(subject),
                            SV_INT_OR_NULL(institution_id),
                            SV_TEXT(decision),
                            SV_TEXT(reason),
                            SV_INT_OR_NULL(by),
                            SV_INT(now_ms)};
    return store_exec(c,
                      "INSERT INTO moderation_decisions (id, subject, institution_id, decision, "
                      "reason, decided_by, decided_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      p, 7, NULL, err);
}

bool api_text_ok(const char *s, bool single_line)
{
    size_t pos = 0, len = strlen(s);
    uint32_t cp = 0;
    bool visible = false;
    while (pos < len && utf8_decode_next(s, len, &pos, &cp)) {
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
            return false; /* bidirectional controls: a text that reads unlike its bytes */
        if ((cp < 0x20 && (single_line || (cp != '\n' && cp != '\t' && cp != '\r'))) ||
            (cp >= 0x7F && cp <= 0x9F))
            return false;
        bool blank = cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000 ||
                     cp == 0x00A0 || (cp >= 0x200B && cp <= 0x200F) ||
                     (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF;
        visible = visible || !blank;
    }
    return visible;
}

bool api_decision_or_reply(struct req *r, bool *approve, const char **reason)
{
    json_t *j = req_json_or_reply(r);
    const char *decision;
    struct field f[] = {
        FIELD_STR("decision", true, 1, 16, &decision, NULL),
        FIELD_STR("reason", true, 1, LIMIT_REASON_CHARS_MAX, reason, NULL),
    };
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return false;
    if (strcmp(decision, "approve") != 0 && strcmp(decision, "reject") != 0) {
        req_problem(r, 422, "invalid_field", "decision",
                    "field 'decision' must be approve or reject");
        return false;
    }
    *approve = decision[0] == 'a';
    return true;
}

void api_reply_items(struct req *r, const char *sql, const struct store_val *params, size_t n,
                     store_row_fn collect)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *items = json_array();
    struct store_err err;
    enum store_rc rc = store_query(c, sql, params, n, collect, items, &err);
    if (rc != STORE_OK) {
        json_decref(items);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

bool api_page_or_reply(struct req *r, struct api_page *page)
{
    page->limit = LIMIT_PAGE_SIZE_DEFAULT;
    page->after = cursor_first();
    if (!req_query_int_or_reply(r, "limit", 1, LIMIT_PAGE_SIZE_MAX, &page->limit))
        return false;
    const char *s = req_query(r, "cursor");
    if (s != NULL && !cursor_decode(s, &page->after)) {
        req_problem(r, 400, "bad_request", "cursor",
                    "query parameter 'cursor' must be a next_cursor this list answered");
        return false;
    }
    return true;
}

struct page_rows {
    const struct api_page *page;
    api_page_row_fn make;
    json_t *items;
    size_t n;
    bool more;
    struct cursor last;
};

static int take_page_row(void *ctx, const struct store_row *row)
{
    struct page_rows *p = ctx;
    if (p->n == (size_t)p->page->limit) {
        p->more = true; /* the one row past the page: there is a next page */
        return 1;
    }
    struct cursor key = {0, 0};
    json_array_append_new(p->items, p->make(row, &key));
    ASSERT(key.ms < p->page->after.ms ||
           (key.ms == p->page->after.ms && key.id < p->page->after.id));
    p->last = key;
    p->n++;
    return 0;
}

enum store_rc api_page_read(struct store_conn *c, const char *sql, const struct store_val *params,
                            size_t n, const struct api_page *page, api_page_row_fn make,
                            json_t *items, json_t **next, struct store_err *err)
{
    ASSERT(page->limit >= 1 && page->limit <= LIMIT_PAGE_SIZE_MAX);
    struct page_rows p = {page, make, items, 0, false, {0, 0}};
    *next = NULL;
    enum store_rc rc = store_query(c, sql, params, n, take_page_row, &p, err);
    if (rc != STORE_OK)
        return rc;
    char text[LIMIT_CURSOR_CHARS + 1];
    if (p.more)
        cursor_encode(&p.last, text);
    *next = p.more ? json_string(text) : json_null();
    return STORE_OK;
}

void api_excerpt(const char *s, size_t chars, char *out, size_t cap)
{
    ASSERT(cap >= chars * UTF8_SEQ_MAX + sizeof("…"));
    size_t pos = 0, len = strlen(s), o = 0, taken = 0, start = 0;
    uint32_t cp = 0;
    bool space = false; /* runs of line breaks and spaces read as one space */
    while (taken < chars && pos < len) {
        start = pos;
        if (!utf8_decode_next(s, len, &pos, &cp))
            break;
        bool blank = cp == '\n' || cp == '\r' || cp == '\t' || cp == ' ';
        if (blank && (space || o == 0))
            continue;
        space = blank;
        if (blank) {
            out[o++] = ' ';
        } else {
            memcpy(out + o, s + start, pos - start);
            o += pos - start;
        }
        taken++;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    bool cut = false; /* only blanks left: nothing was cut */
    for (size_t i = pos; !cut && i < len; i++)
        cut = !(s[i] == '\n' || s[i] == '\r' || s[i] == '\t' || s[i] == ' ');
    if (cut) {
        memcpy(out + o, "…", sizeof("…") - 1);
        o += sizeof("…") - 1;
    }
    out[o] = '\0';
}

void api_rate_limited(struct req *r, int64_t retry_s, const char *detail)
{
    char retry[24];
    snprintf(retry, sizeof(retry), "%lld", (long long)(retry_s < 1 ? 1 : retry_s));
    req_problem(r, 429, "rate_limited", NULL, "%s", detail);
    req_add_header(r, "Retry-After", retry);
}

int64_t api_retry_after_s(int64_t oldest_ms, int64_t window_ms, int64_t now_ms)
{
    int64_t wait_ms = oldest_ms + window_ms - now_ms;
    return wait_ms <= 1000 ? 1 : (wait_ms + 999) / 1000;
}

bool api_checked_or_reply(struct req *r, const char *field, const char *text,
                          enum compliance_verdict *verdict, char **check)
{
    struct compliance_text t[] = {{field, text, strlen(text)}};
    struct compliance_result res;
    struct store_err err;
    enum store_rc rc = compliance_run(r->store, t, 1, &res, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return false;
    }
    if (res.verdict == COMPLIANCE_BLOCK) {
        req_problem_with(r, 422, "compliance_blocked", json_pack("{s:o}", "check", res.json),
                         "the %s contains wording that may not be published; see the matches",
                         field);
        return false;
    }
    *verdict = res.verdict;
    *check = json_dumps(res.json, JSON_COMPACT);
    json_decref(res.json);
    if (*check == NULL)
        req_problem(r, 503, "unavailable", NULL, "out of memory; try again");
    return *check != NULL;
}

static void mark_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct api_mark *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    if (x->id == 0)
        req_reply_json(r, 200, json_pack("{s:i}", "unread", 0));
    else
        req_reply_json(r, 200, json_pack("{s:o,s:b}", "id", json_id(x->id), "read", true));
}

void api_mark_read(struct req *r, bool all, store_write_fn write)
{
    struct api_mark *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || (!all && !req_param_id_or_reply(r, 0, &x->id)))
        return;
    x->user = r->sess.user_id;
    x->now_ms = r->now_ms;
    req_write(r, write, x, mark_then);
}

static void toggle_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct api_zone_toggle *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:o,s:b}", "institution_id", json_id(x->inst), x->member, x->on));
}

void api_zone_toggle(struct req *r, bool on, const char *member, store_write_fn write)
{
    struct api_zone_toggle *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->inst))
        return;
    x->investor = r->sess.user_id;
    x->now_ms = r->now_ms;
    x->on = on;
    x->member = member;
    req_write(r, write, x, toggle_then);
}

int api_collect_zone_since(void *arr, const struct store_row *row)
{
    json_array_append_new(arr, json_pack("{s:o,s:s,s:I}", "institution_id",
                                         json_id(store_row_int(row, 0)), "name",
                                         store_row_text(row, 1, NULL), "since_ms",
                                         (json_int_t)store_row_int(row, 2)));
    return 0;
}

bool api_texts_ok_or_reply(struct req *r, const struct api_text_field *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!api_text_ok(f[i].text, f[i].single_line)) {
            req_problem(r, 422, "invalid_field", f[i].name,
                        "field '%s' must show some text and may not contain control or "
                        "bidirectional characters",
                        f[i].name);
            return false;
        }
    }
    return true;
}
