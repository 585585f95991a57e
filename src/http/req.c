/*
 * req.c: answering and reading on a request context (see http.h).
 */
#include "http/http_int.h"

#include "base/buf.h"
#include "base/check.h"
#include "base/log.h"
#include "base/utf8.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char empty_body[1];

static void set_response(struct req *r, unsigned status, struct MHD_Response *resp, size_t len)
{
    ASSERT(r->response == NULL);
    if (resp == NULL) { /* out of memory: a bare 500 is all we can say */
        resp = MHD_create_response_from_buffer(0, empty_body, MHD_RESPMEM_PERSISTENT);
        status = 500;
    }
    r->response = resp;
    r->status = status;
    r->resp_bytes = len;
}

static void reply_owned(struct req *r, unsigned status, const char *type, char *data, size_t len)
{
    struct MHD_Response *resp =
        data ? MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE) : NULL;
    if (resp == NULL)
        free(data);
    set_response(r, status, resp, len);
    if (resp != NULL)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
}

void req_reply_shared(struct req *r, unsigned status, const char *type, const char *data,
                      size_t len, void (*release)(void *cls), void *cls)
{
    /* libmicrohttpd reads the buffer and never writes it; its prototype cannot say so. */
    struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback_cls(
        len, (void *)(uintptr_t)data, release, cls);
    if (resp == NULL)
        release(cls);
    set_response(r, status, resp, len);
    if (resp != NULL)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
}

void req_reply_raw(struct req *r, unsigned status, const char *type, const char *data, size_t len)
{
    char *copy = malloc(len + 1);
    if (copy != NULL)
        memcpy(copy, data, len);
    reply_owned(r, status, type, copy, len);
}

void req_reply_json(struct req *r, unsigned status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    reply_owned(r, status, "application/json", text, text ? strlen(text) : 0);
}

void req_reply_empty(struct req *r, unsigned status)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    set_response(r, status, resp, 0);
}

static const char *status_title(unsigned status)
{
    switch (status) {
    case 400:
        return "Bad request";
    case 401:
        return "Unauthenticated";
    case 403:
        return "Forbidden";
    case 404:
        return "Not found";
    case 405:
        return "Method not allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Payload too large";
    case 415:
        return "Unsupported media type";
    case 422:
        return "Invalid field";
    case 429:
        return "Too many requests";
    case 503:
        return "Service unavailable";
    default:
        return status >= 500 ? "Internal error" : "Error";
    }
}

static void problem_v(struct req *r, unsigned status, const char *code, const char *field,
                      json_t *extra, const char *fmt, va_list ap)
{
    char detail[512];
    vsnprintf(detail, sizeof(detail), fmt, ap);
    json_t *p = json_object();
    json_object_set_new(p, "type", json_sprintf("/problems/%s", code));
    json_object_set_new(p, "title", json_string(status_title(status)));
    json_object_set_new(p, "status", json_integer(status));
    json_object_set_new(p, "detail", json_stringn_nocheck(detail, strlen(detail)));
    json_object_set_new(p, "code", json_string(code));
    if (field != NULL)
        json_object_set_new(p, "field", json_string(field));
    if (extra != NULL)
        json_object_update(p, extra);
    json_decref(extra);
    json_object_set_new(p, "request_id", json_string(r->rid));
    char *text = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    reply_owned(r, status, "application/problem+json", text, text ? strlen(text) : 0);
}

void req_problem(struct req *r, unsigned status, const char *code, const char *field,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    problem_v(r, status, code, field, NULL, fmt, ap);
    va_end(ap);
}

void req_problem_with(struct req *r, unsigned status, const char *code, json_t *extra,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    problem_v(r, status, code, NULL, extra, fmt, ap);
    va_end(ap);
}

void req_store_problem(struct req *r, enum store_rc rc, const struct store_err *err)
{
    if (rc == STORE_BUSY || rc == STORE_FULL || rc == STORE_CLOSED) {
        req_problem(r, 503, "unavailable", NULL, "the service is busy; try again shortly");
        if (r->response != NULL)
            req_add_header(r, "Retry-After", "1");
        return;
    }
    log_msg(LOG_ERROR, r->rid, "store error %d: %s", (int)rc, err ? err->msg : "?");
    req_problem(r, 500, "internal", NULL, "internal error (request %s)", r->rid);
}

void req_add_header(struct req *r, const char *name, const char *value)
{
    if (r->response != NULL)
        MHD_add_response_header(r->response, name, value);
}

/* Headers every response carries. */
void req_finish_response(struct req *r)
{
    struct MHD_Response *resp = r->response;
    MHD_add_response_header(resp, "X-Request-Id", r->rid);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self' "
                            "'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
    if (r->route_index != METRIC_ROUTE_STATIC && !MHD_get_response_header(resp, "Cache-Control"))
        MHD_add_response_header(resp, "Cache-Control", "no-store");
}

const char *req_header(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_query(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

static bool parse_i64(const char *s, int64_t *out)
{
    if (s == NULL || *s == '\0' || strlen(s) > 19)
        return false;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > (INT64_MAX - (*p - '0')) / 10)
            return false;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return true;
}

bool req_param_id_or_reply(struct req *r, int i, int64_t *out)
{
    ASSERT(i >= 0 && i < REQ_PARAMS_MAX);
    if (!parse_i64(r->params[i], out) || *out <= 0) {
        req_problem(r, 400, "bad_request", NULL, "'%s' is not a valid id", r->params[i]);
        return false;
    }
    return true;
}

bool req_query_int_or_reply(struct req *r, const char *name, int64_t min, int64_t max,
                            int64_t *inout)
{
    const char *v = req_query(r, name);
    if (v == NULL)
        return true;
    int64_t x = 0;
    if (!parse_i64(v, &x) || x < min || x > max) {
        req_problem(r, 400, "bad_request", NULL,
                    "query parameter '%s' must be an integer in "
                    "%lld..%lld",
                    name, (long long)min, (long long)max);
        return false;
    }
    *inout = x;
    return true;
}

/*
 * Finds where a JSON text nests deeper than `limit`, before any parser builds it: returns
 * true and the 1-based line and column of the bracket that went too deep.
 */
static bool too_deep(const char *s, size_t len, int limit, int *line, int *col)
{
    int depth = 0, ln = 1, cl = 0;
    bool in_str = false, esc = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        cl++;
        if (c == '\n') {
            ln++;
            cl = 0;
        }
        if (in_str) {
            if (esc)
                esc = false;
            else if (c == '\\')
                esc = true;
            else if (c == '"')
                in_str = false;
            continue;
        }
        if (c == '"')
            in_str = true;
        else if (c == '[' || c == '{')
            depth++;
        else if (c == ']' || c == '}')
            depth--;
        if (depth > limit) {
            *line = ln;
            *col = cl;
            return true;
        }
    }
    return false;
}

static void bad_json(struct req *r, int line, int col, const char *what)
{
    req_problem_with(r, 400, "bad_json", json_pack("{s:i,s:i}", "line", line, "column", col),
                     "malformed JSON at line %d, column %d: %s", line, col, what);
}

static bool content_type_is_json(const char *ct)
{
    if (ct == NULL)
        return false;
    size_t n = strlen("application/json");
    return strncasecmp(ct, "application/json", n) == 0 && (ct[n] == '\0' || ct[n] == ';');
}

json_t *req_json_or_reply(struct req *r)
{
    if (!content_type_is_json(req_header(r, "Content-Type"))) {
        req_problem(r, 415, "unsupported_media_type", NULL, "the body must be application/json");
        return NULL;
    }
    if (r->body == NULL || r->body_len == 0) {
        bad_json(r, 1, 0, "the body is empty; a JSON object is expected");
        return NULL;
    }
    if (!utf8_valid(r->body, r->body_len)) {
        req_problem(r, 400, "invalid_utf8", NULL, "the body is not valid UTF-8");
        return NULL;
    }
    int line = 0, col = 0;
    if (too_deep(r->body, r->body_len, LIMIT_JSON_DEPTH_MAX, &line, &col)) {
        char what[64];
        snprintf(what, sizeof(what), "nested deeper than %d levels", LIMIT_JSON_DEPTH_MAX);
        bad_json(r, line, col, what);
        return NULL;
    }
    json_error_t e;
    json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &e);
    if (j == NULL) {
        bad_json(r, e.line, e.column, e.text);
        return NULL;
    }
    r->json = j;
    if (!json_is_object(j)) {
        req_problem(r, 422, "invalid_field", NULL, "the body must be a JSON object");
        return NULL;
    }
    return j;
}

static const struct field *find_field(const struct field *f, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].name, name) == 0)
            return &f[i];
    return NULL;
}

static bool take_string(struct req *r, const struct field *f, json_t *v)
{
    if (!json_is_string(v)) {
        req_problem(r, 422, "invalid_field", f->name, "field '%s' must be a string", f->name);
        return false;
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    size_t chars = utf8_count(s, len);
    if (chars < f->min_chars || chars > f->max_chars) {
        req_problem(r, 422, "invalid_field", f->name,
                    "field '%s' must be %u to %u characters long (got %zu)", f->name, f->min_chars,
                    f->max_chars, chars);
        return false;
    }
    *f->str = s;
    if (f->len != NULL)
        *f->len = len;
    return true;
}

static bool take_one(struct req *r, const struct field *f, json_t *v)
{
    switch (f->type) {
    case F_STR:
        return take_string(r, f, v);
    case F_INT:
        if (!json_is_integer(v)) {
            req_problem(r, 422, "invalid_field", f->name, "field '%s' must be an integer", f->name);
            return false;
        }
        *f->i = json_integer_value(v);
        return true;
    case F_BOOL:
        if (!json_is_boolean(v)) {
            req_problem(r, 422, "invalid_field", f->name, "field '%s' must be true or false",
                        f->name);
            return false;
        }
        *f->b = json_is_true(v);
        return true;
    case F_ARRAY:
        if (!json_is_array(v) || json_array_size(v) < f->min_chars ||
            json_array_size(v) > f->max_chars) {
            req_problem(r, 422, "invalid_field", f->name,
                        "field '%s' must be an array of %u to %u items", f->name, f->min_chars,
                        f->max_chars);
            return false;
        }
        *f->arr = v;
        return true;
    }
    BUG("unknown field type");
}

bool req_fields_or_reply(struct req *r, json_t *obj, const struct field *f, size_t n)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        if (find_field(f, n, key) == NULL) {
            req_problem(r, 422, "unknown_field", key, "unknown field '%s'", key);
            return false;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (f[i].type == F_STR)
            *f[i].str = NULL;
        if (f[i].type == F_ARRAY)
            *f[i].arr = NULL;
        v = json_object_get(obj, f[i].name);
        if (v == NULL) {
            if (f[i].required) {
                req_problem(r, 422, "missing_field", f[i].name, "field '%s' is required",
                            f[i].name);
                return false;
            }
            continue;
        }
        if (!take_one(r, &f[i], v))
            return false;
    }
    return true;
}

/* The reads of one handler run share one snapshot (store_read_begin: one consistent view,
 * and the reader's page cache kept between them); it ends when the handler returns or hands
 * a write to the writer, so reads after a write see it. Without a snapshot (BEGIN failed)
 * each read is its own. */
struct store_conn *req_reader_or_reply(struct req *r)
{
    struct store_err err;
    struct store_conn *c = store_reader(r->store, &err);
    if (c == NULL) {
        req_store_problem(r, STORE_CLOSED, &err);
        return NULL;
    }
    if (r->snapshot == NULL) {
        if (store_read_begin(c, &err) == STORE_OK)
            r->snapshot = c;
        else /* only if one was left open by mistake: its reads would see an old state */
            log_msg(LOG_ERROR, r->rid, "cannot begin a read snapshot: %s", err.msg);
    }
    ASSERT(r->snapshot == NULL || r->snapshot == c);
    return c;
}

void req_snapshot_end(struct req *r)
{
    if (r->snapshot == NULL)
        return;
    store_read_end(r->snapshot);
    r->snapshot = NULL;
}

static void write_done(struct store_write *w)
{
    struct req *r = w->done_ctx;
    /* Runs on the writer thread: only wake the connection; `then` runs on an HTTP thread. */
    MHD_resume_connection(r->conn);
}

static void submit(struct req *r, store_write_fn fn, void *ctx, write_then_fn then, bool quiet)
{
    ASSERT(!r->suspended && r->response == NULL);
    r->write = (struct store_write){
        .fn = fn, .ctx = ctx, .done = write_done, .done_ctx = r, .quiet = quiet};
    r->then = then;
    req_snapshot_end(r);
    r->suspended = true;
    MHD_suspend_connection(r->conn);
    enum store_rc rc = store_submit(r->store, &r->write);
    if (rc != STORE_OK) {
        /* Not queued: answer on the resumed call with the failure. */
        r->write.rc = rc;
        store_fail(&r->write.err, rc, "write not queued");
        MHD_resume_connection(r->conn);
    }
}

void req_write(struct req *r, store_write_fn fn, void *ctx, write_then_fn then)
{
    submit(r, fn, ctx, then, false);
}

void req_write_quiet(struct req *r, store_write_fn fn, void *ctx, write_then_fn then)
{
    submit(r, fn, ctx, then, true);
}

json_t *json_id(int64_t id)
{
    return json_sprintf("%lld", (long long)id);
}

json_t *json_id_or_null(int64_t id)
{
    return id ? json_id(id) : json_null();
}
