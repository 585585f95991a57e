/*
 * session.c: who is calling. Resolves a Bearer token or the session cookie to a user,
 * enforces idle and absolute expiry and the CSRF header, and checks the route's roles.
 *
 * Tokens are 256-bit random values sent as 64 hex digits; the table holds SHA-256 of the
 * raw bytes only. last_seen_ms is written through the writer at most every
 * LIMIT_SESSION_TOUCH_MS (or a quarter of the idle limit, if shorter), so reads stay
 * reads.
 */
#include "http/http_int.h"

#include "base/check.h"
#include "base/crypto.h"
#include "base/log.h"

#include <stdlib.h>
#include <string.h>

bool method_is_unsafe(enum http_method m)
{
    return !(m == M_GET || m == M_HEAD || m == M_OPTIONS);
}

/* Finds name=value in a Cookie header; copies value into out. */
static bool cookie_value(const char *header, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    for (const char *p = header; p != NULL && *p;) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
            size_t vl = len - nl - 1;
            if (vl >= cap)
                return false;
            memcpy(out, p + nl + 1, vl);
            out[vl] = '\0';
            return true;
        }
        p = end;
    }
    return false;
}

/* The token from Authorization or the cookie; 0 none, 1 found, -1 malformed header. */
static int find_token(struct req *r, char token[LIMIT_TOKEN_HEX + 1])
{
    const char *auth = req_header(r, "Authorization");
    if (auth != NULL) {
        if (strncasecmp(auth, "Bearer ", 7) != 0 || strlen(auth + 7) != LIMIT_TOKEN_HEX)
            return -1;
        memcpy(token, auth + 7, LIMIT_TOKEN_HEX + 1);
        return 1;
    }
    const char *cookie = req_header(r, "Cookie");
    if (cookie != NULL && cookie_value(cookie, "cfh_session", token, LIMIT_TOKEN_HEX + 1)) {
        r->sess.via_cookie = true;
        return strlen(token) == LIMIT_TOKEN_HEX ? 1 : -1;
    }
    return 0;
}

struct sess_row {
    bool found;
    int64_t user_id, created_ms, last_seen_ms, expires_ms, institution_id;
    char csrf[LIMIT_TOKEN_HEX + 1];
    char role[24];
    char status[16];
};

static int take_session(void *ctx, const struct store_row *row)
{
    struct sess_row *s = ctx;
    s->found = true;
    s->user_id = store_row_int(row, 0);
    snprintf(s->csrf, sizeof(s->csrf), "%s", store_row_text(row, 1, NULL));
    s->created_ms = store_row_int(row, 2);
    s->last_seen_ms = store_row_int(row, 3);
    s->expires_ms = store_row_int(row, 4);
    snprintf(s->role, sizeof(s->role), "%s", store_row_text(row, 5, NULL));
    s->institution_id = store_row_int(row, 6);
    snprintf(s->status, sizeof(s->status), "%s", store_row_text(row, 7, NULL));
    return 1;
}

struct touch {
    struct store_write w;
    uint8_t hash[32];
    int64_t now_ms;
};

static enum store_rc touch_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct touch *t = ctx;
    struct store_val p[] = {SV_INT(t->now_ms), SV_BLOB(t->hash, 32), SV_INT(t->now_ms)};
    return store_exec(c,
                      "UPDATE sessions SET last_seen_ms = ? WHERE token_hash = ? AND "
                      "last_seen_ms < ?",
                      p, 3, NULL, err);
}

static void touch_done(struct store_write *w)
{
    free(w->ctx);
}

/* Fire and forget: losing a touch only shortens a session by one interval. */
static void touch_session(struct req *r, const uint8_t hash[32])
{
    struct touch *t = malloc(sizeof(*t));
    if (t == NULL)
        return;
    memcpy(t->hash, hash, 32);
    t->now_ms = r->now_ms;
    t->w = (struct store_write){.fn = touch_write, .ctx = t, .done = touch_done};
    if (store_submit(r->store, &t->w) != STORE_OK)
        free(t);
}

/* Loads and checks the session; fills r->sess. Answers 401 itself. */
static bool load_session(struct req *r, const char token[LIMIT_TOKEN_HEX + 1])
{
    uint8_t raw[LIMIT_TOKEN_BYTES];
    if (!crypto_unhex(token, strlen(token), raw, sizeof(raw))) {
        req_problem(r, 401, "unauthenticated", NULL, "malformed session token");
        return false;
    }
    crypto_sha256(raw, sizeof(raw), r->sess.token_hash);
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return false;
    struct sess_row s = {0};
    struct store_err err;
    struct store_val p[] = {SV_BLOB(r->sess.token_hash, 32)};
    enum store_rc rc = store_query(
        c,
        "SELECT s.user_id, s.csrf_token, s.created_ms, s.last_seen_ms, s.expires_ms, u.role, "
        "u.institution_id, u.status FROM sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.token_hash = ?",
        p, 1, take_session, &s, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return false;
    }
    int64_t idle_ms = r->cfg->session_idle_s * 1000;
    if (!s.found || strcmp(s.status, "active") != 0) {
        req_problem(r, 401, "unauthenticated", NULL, "not signed in, or the session has ended");
        return false;
    }
    if (r->now_ms >= s.expires_ms || r->now_ms - s.last_seen_ms >= idle_ms) {
        req_problem(r, 401, "unauthenticated", NULL, "the session has expired; sign in again");
        return false;
    }
    r->sess.authed = true;
    r->sess.user_id = s.user_id;
    r->sess.role = role_parse(s.role);
    r->sess.institution_id = s.institution_id;
    memcpy(r->sess.csrf, s.csrf, sizeof(s.csrf));
    ASSERT(r->sess.role != ROLE_NONE);
    int64_t touch_ms = idle_ms / 4 < LIMIT_SESSION_TOUCH_MS ? idle_ms / 4 : LIMIT_SESSION_TOUCH_MS;
    if (r->now_ms - s.last_seen_ms >= touch_ms)
        touch_session(r, r->sess.token_hash);
    return true;
}

bool session_resolve_or_reply(struct req *r, uint32_t roles)
{
    char token[LIMIT_TOKEN_HEX + 1];
    int found = find_token(r, token);
    if (roles == ROLES_PUBLIC)
        return true; /* public routes ignore credentials, even broken ones */
    if (found < 0) {
        req_problem(r, 401, "unauthenticated", NULL,
                    "malformed credentials: use 'Authorization: Bearer <64 hex digits>'");
        return false;
    }
    if (found == 0) {
        req_problem(r, 401, "unauthenticated", NULL, "sign in first");
        return false;
    }
    if (!load_session(r, token))
        return false;
    if (r->sess.via_cookie && method_is_unsafe(r->method)) {
        const char *h = req_header(r, "X-CSRF-Token");
        if (h == NULL || strlen(h) != LIMIT_TOKEN_HEX ||
            !crypto_equal(h, r->sess.csrf, LIMIT_TOKEN_HEX)) {
            req_problem(r, 403, "csrf_failed", NULL,
                        "missing or wrong X-CSRF-Token header for a cookie session");
            return false;
        }
    }
    if ((ROLE_BIT(r->sess.role) & roles) == 0) {
        req_problem(r, 403, "forbidden", NULL, "your role (%s) may not use this endpoint",
                    role_name(r->sess.role));
        return false;
    }
    return true;
}
