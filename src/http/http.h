/*
 * http.h: the request context every handler works on, and how a handler answers.
 *
 * A handler is a plain function on a struct req. It reads what it needs (path params,
 * query, JSON body, the session), then does exactly one of:
 *   - answers now: req_reply_json(), req_reply_empty(), req_problem();
 *   - hands a write to the store writer with req_write(); the connection is suspended and
 *     the continuation answers on an HTTP thread once the write has committed.
 * Everything a request allocates comes from r->arena and is released when it ends.
 * Helpers named *_or_reply answer with the right problem themselves and return false.
 */
#ifndef CFH_HTTP_H
#define CFH_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/config.h"
#include "base/limits.h"
#include "core/account.h"
#include "store/store.h"

struct req;
struct server;

enum http_method {
    M_GET = 0,
    M_HEAD,
    M_POST,
    M_PUT,
    M_PATCH,
    M_DELETE,
    M_OPTIONS,
    M_OTHER
};

typedef void (*handler_fn)(struct req *r);

#define ROUTE_UNLIMITED 1u /* not subject to the per-IP rate limit (health checks) */

struct route {
    enum http_method method;
    const char *pattern; /* "/api/v1/ops/institutions/{id}" */
    uint32_t roles;      /* ROLE_BIT()s; ROLES_PUBLIC (0) for everyone */
    handler_fn handler;
    uint32_t flags; /* ROUTE_* */
};

/* System endpoints, served by the HTTP layer itself (server.c, metrics.c). */
void http_healthz(struct req *r);
void http_readyz(struct req *r);
void http_metrics(struct req *r);
void http_openapi(struct req *r);

/* The signed-in caller, from the session; zeroed for anonymous requests. */
struct session {
    bool authed;
    bool via_cookie; /* cookie sessions need the CSRF header on unsafe methods */
    int64_t user_id;
    enum role role;
    int64_t institution_id; /* staff only; 0 otherwise. Never taken from the request. */
    uint8_t token_hash[32];
    char csrf[LIMIT_TOKEN_HEX + 1];
};

typedef void (*write_then_fn)(struct req *r, enum store_rc rc, const struct store_err *err);

#define REQ_PARAMS_MAX 4

struct req {
    struct server *srv;
    struct store *store;
    const struct config *cfg;
    void *conn; /* struct MHD_Connection */
    struct arena arena;
    char rid[LIMIT_REQUEST_ID_BYTES + 1];
    enum http_method method;
    const char *method_str;
    const char *path;
    int route_index; /* -1 until matched */
    const char *params[REQ_PARAMS_MAX];
    struct session sess;
    uint32_t ip; /* client IPv4, network order; 0 if unknown */
    int64_t start_us;
    int64_t now_ms; /* wall clock at request start */

    char *body;      /* NUL-terminated, in arena */
    size_t body_max; /* this request's body limit (413 beyond it) */
    size_t body_len;
    bool body_too_large;
    json_t *json; /* parsed body, released at the end */

    void *response; /* struct MHD_Response, queued when complete */
    unsigned status;
    size_t resp_bytes;

    struct store_write write; /* req_write */
    write_then_fn then;
    bool suspended;
    bool queued;                 /* a response went to libmicrohttpd */
    struct store_conn *snapshot; /* the reader whose read snapshot this request holds */
};

/* "GET", "POST", ... */
const char *method_name(enum http_method m);

/* Route table (src/api/routes.c) and its size. */
extern const struct route api_routes[];
extern const size_t api_routes_count;

/* ---- answering ---- */

/* Answers with JSON (takes the reference to `body`). */
void req_reply_json(struct req *r, unsigned status, json_t *body);
/* Answers with no body (204). */
void req_reply_empty(struct req *r, unsigned status);
/* Answers with a raw body of the given type; `data` is copied. */
void req_reply_raw(struct req *r, unsigned status, const char *type, const char *data, size_t len);
/* Answers with a body the caller shares instead of copying: `release(cls)` is called once
 * the response no longer needs `data` (after sending, or at once on failure). */
void req_reply_shared(struct req *r, unsigned status, const char *type, const char *data,
                      size_t len, void (*release)(void *cls), void *cls);
/* Answers application/problem+json. `field` may be NULL. */
void req_problem(struct req *r, unsigned status, const char *code, const char *field,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Like req_problem, with extra members (taken) merged into the problem object. */
void req_problem_with(struct req *r, unsigned status, const char *code, json_t *extra,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Adds a header to the pending response (call after a reply function). */
void req_add_header(struct req *r, const char *name, const char *value);
/* Maps a store failure to a problem: 503 for busy/full/closed, 500 otherwise (logged). */
void req_store_problem(struct req *r, enum store_rc rc, const struct store_err *err);

/* ---- reading ---- */

/* Value of a request header or NULL. */
const char *req_header(struct req *r, const char *name);
/* Query-string argument or NULL. */
const char *req_query(struct req *r, const char *name);
/* Parses path parameter i as a positive 64-bit id; 400 on anything else. */
bool req_param_id_or_reply(struct req *r, int i, int64_t *out);
/* Parses an optional query integer within [min, max]; 400 when malformed. */
bool req_query_int_or_reply(struct req *r, const char *name, int64_t min, int64_t max,
                            int64_t *inout);
/* The body as a JSON object: 415, 400 (bad JSON with line and column, invalid UTF-8,
 * too deep) or 422 (not an object) otherwise. */
json_t *req_json_or_reply(struct req *r);

enum field_type {
    F_STR,
    F_ARRAY,
    F_INT,
    F_BOOL
};

struct field {
    const char *name;
    enum field_type type;
    bool required;
    uint32_t min_chars; /* F_STR: in Unicode code points */
    uint32_t max_chars;
    const char **str; /* OUT: F_STR, points into the JSON, NULL when absent */
    size_t *len;      /* OUT: F_STR byte length (may be NULL) */
    int64_t *i;       /* OUT: F_INT */
    bool *b;          /* OUT: F_BOOL */
    json_t **arr;     /* OUT: F_ARRAY, borrowed from the body; max_chars bounds its items */
};

/* Field specs by kind; designated so that adding a member breaks nothing. */
#define FIELD_STR(n, req, min, max, out, lenp)                                                 \
    {                                                                                          \
        .name = (n), .type = F_STR, .required = (req), .min_chars = (min), .max_chars = (max), \
        .str = (out), .len = (lenp)                                                            \
    }
#define FIELD_INT(n, req, out)                                    \
    {                                                             \
        .name = (n), .type = F_INT, .required = (req), .i = (out) \
    }
#define FIELD_BOOL(n, req, out)                                    \
    {                                                              \
        .name = (n), .type = F_BOOL, .required = (req), .b = (out) \
    }
#define FIELD_ARRAY(n, req, min, max, out)                                                       \
    {                                                                                            \
        .name = (n), .type = F_ARRAY, .required = (req), .min_chars = (min), .max_chars = (max), \
        .arr = (out)                                                                             \
    }

/* Takes the named fields from obj; refuses unknown fields, missing required ones, wrong
 * types and lengths with a 422 naming the field. */
bool req_fields_or_reply(struct req *r, json_t *obj, const struct field *f, size_t n);

/* The request's store read connection; 503 when unavailable. */
struct store_conn *req_reader_or_reply(struct req *r);
/* Ends the read snapshot req_reader_or_reply began, if any (the server calls it when a
 * handler or a write's continuation returns, and before a write is handed over). */
void req_snapshot_end(struct req *r);

/* Runs fn on the writer; `then` answers after commit (or failure) on an HTTP thread. */
void req_write(struct req *r, store_write_fn fn, void *ctx, write_then_fn then);
/* req_write for a write that changes nothing cached answers read (store_write.quiet). */
void req_write_quiet(struct req *r, store_write_fn fn, void *ctx, write_then_fn then);

/* JSON helpers. */
json_t *json_id(int64_t id);         /* ids travel as strings */
json_t *json_id_or_null(int64_t id); /* 0 → null */

#endif
