/*
 * auth.c: registration, sign-in and sign-out, invitations, password change.
 *
 * Password hashing (argon2id) runs on the HTTP thread before any write is queued, so the
 * writer never waits for it; crypto.c caps how many run at once. Sign-in for an unknown
 * login still verifies against a fixed hash so that timing does not reveal which logins
 * exist.
 */
#include "api/api.h"
#include "api/handlers.h"

#include "base/check.h"
#include "base/crypto.h"
#include "base/log.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* ---- register ---- */

struct register_ctx {
    struct api_new_user u;
    char hash[LIMIT_PWHASH_STR];
    char name[48];
};

static enum store_rc register_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct register_ctx *x = ctx;
    return api_user_insert(c, &x->u, err);
}

static void register_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct register_ctx *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "this mobile number is already registered");
        return;
    }
    json_t *user =
        json_pack("{s:o,s:s,s:s,s:s,s:s,s:n,s:s,s:I}", "id", json_id(x->u.id), "kind", "investor",
                  "role", "investor", "login", x->u.login, "display_name", x->u.display_name,
                  "institution_id", "status", "active", "created_ms", (json_int_t)x->u.now_ms);
    req_reply_json(r, 201, json_pack("{s:o}", "user", user));
}

static bool password_ok_or_reply(struct req *r, const char *field, const char *pw, size_t len)
{
    enum account_pw pc = account_password_check(pw, len);
    if (pc == ACCOUNT_PW_OK)
        return true;
    req_problem(r, 422, "invalid_field", field, "field '%s' %s", field, account_pw_str(pc));
    return false;
}

void api_register(struct req *r)
{
    json_t *j = req_json_or_reply(r);
    const char *mobile, *pw, *name;
    size_t mlen = 0, plen = 0;
    struct field f[] = {
        FIELD_STR("mobile", true, 1, 32, &mobile, &mlen),
        FIELD_STR("password", true, 1, 1024, &pw, &plen),
        FIELD_STR("display_name", false, 1, LIMIT_DISPLAY_NAME_CHARS_MAX, &name, NULL),
    };
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    if (!account_mobile_valid(mobile, mlen)) {
        req_problem(r, 422, "invalid_field", "mobile",
                    "field 'mobile' must be an 11-digit mainland mobile number");
        return;
    }
    if (!password_ok_or_reply(r, "password", pw, plen))
        return;
    struct register_ctx *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || crypto_password_hash(pw, plen, x->hash) != 0) {
        req_problem(r, 503, "unavailable", NULL, "server is out of memory; try again");
        return;
    }
    /* Default name shows only the last four digits: "投资者5678". */
    snprintf(x->name, sizeof(x->name), "投资者%s", mobile + 7);
    x->u = (struct api_new_user){.role = ROLE_INVESTOR,
                                 .login = mobile,
                                 .display_name = name ? name : x->name,
                                 .status = "active",
                                 .password_hash = x->hash,
                                 .now_ms = r->now_ms};
    req_write(r, register_write, x, register_then);
}

/* ---- login ---- */

struct login_ctx {
    int64_t user_id;
    bool password_ok;
    int64_t max_failures, lock_until_ms, expires_ms, now_ms;
    bool locked_now; /* OUT: this failure locked the account */
    char token[LIMIT_TOKEN_HEX + 1];
    char csrf[LIMIT_TOKEN_HEX + 1];
    uint8_t token_hash[CRYPTO_SHA256_BYTES];
    json_t *user; /* OUT on success */
};

struct login_row {
    bool found;
    int64_t id, locked_until_ms;
    char status[16];
    char hash[LIMIT_PWHASH_STR];
};

static int take_login(void *ctx, const struct store_row *row)
{
    struct login_row *l = ctx;
    l->found = true;
    l->id = store_row_int(row, 0);
    snprintf(l->status, sizeof(l->status), "%s", store_row_text(row, 1, NULL));
    snprintf(l->hash, sizeof(l->hash), "%s", store_row_text(row, 2, NULL));
    l->locked_until_ms = store_row_int(row, 3);
    return 1;
}

static enum store_rc login_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct login_ctx *x = ctx;
    if (!x->password_ok) {
        /* SET expressions all see the old row, so failed_logins + 1 is this attempt. */
        struct store_val p[] = {SV_INT(x->max_failures), SV_INT(x->max_failures),
                                SV_INT(x->lock_until_ms), SV_INT(x->now_ms), SV_INT(x->user_id)};
        enum store_rc rc = store_exec(
            c,
            "UPDATE users SET failed_logins = CASE WHEN failed_logins + 1 >= ? THEN 0 "
            "ELSE failed_logins + 1 END, locked_until_ms = CASE WHEN failed_logins + 1 >= ? "
            "THEN ? ELSE locked_until_ms END, updated_ms = ? WHERE id = ?",
            p, 5, NULL, err);
        if (rc != STORE_OK)
            return rc;
        int64_t until = 0;
        struct store_val q[] = {SV_INT(x->user_id)};
        rc =
            store_query_int(c, "SELECT locked_until_ms FROM users WHERE id = ?", q, 1, &until, err);
        x->locked_now = rc == STORE_OK && until > x->now_ms;
        return rc == STORE_DONE ? STORE_OK : rc;
    }
    struct store_val p[] = {SV_INT(x->now_ms), SV_INT(x->user_id)};
    enum store_rc rc = store_exec(c,
                                  "UPDATE users SET failed_logins = 0, updated_ms = ? "
                                  "WHERE id = ?",
                                  p, 2, NULL, err);
    if (rc != STORE_OK)
        return rc;
    struct store_val s[] = {SV_BLOB(x->token_hash, 32), SV_INT(x->user_id), SV_TEXT(x->csrf),
                            SV_INT(x->now_ms),          SV_INT(x->now_ms),  SV_INT(x->expires_ms)};
    rc = store_exec(c,
                    "INSERT INTO sessions (token_hash, user_id, csrf_token, created_ms, "
                    "last_seen_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?)",
                    s, 6, NULL, err);
    if (rc != STORE_OK)
        return rc;
    return api_load_user(c, x->user_id, &x->user, err);
}

static void set_session_cookies(struct req *r, const char *token, const char *csrf, int64_t age)
{
    char cookie[160];
    snprintf(cookie, sizeof(cookie),
             "cfh_session=%s; Path=/; HttpOnly; SameSite=Strict; "
             "Max-Age=%lld",
             token, (long long)age);
    req_add_header(r, "Set-Cookie", cookie);
    snprintf(cookie, sizeof(cookie), "cfh_csrf=%s; Path=/; SameSite=Strict; Max-Age=%lld", csrf,
             (long long)age);
    req_add_header(r, "Set-Cookie", cookie);
}

static void login_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct login_ctx *x = r->write.ctx;
    if (rc != STORE_OK) {
        json_decref(x->user);
        req_store_problem(r, rc, err);
        return;
    }
    if (!x->password_ok) {
        if (x->locked_now)
            log_msg(LOG_WARN, r->rid, "account %lld locked after failed logins",
                    (long long)x->user_id);
        req_problem(r, 401, "invalid_credentials", NULL, "wrong login or password%s",
                    x->locked_now ? "; the account is now locked for a while" : "");
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:s,s:s,s:I,s:o}", "token", x->token, "csrf_token", x->csrf,
                             "expires_ms", (json_int_t)x->expires_ms, "user", x->user));
    set_session_cookies(r, x->token, x->csrf, r->cfg->session_absolute_s);
}

/* A valid argon2id hash of a random password: unknown logins are verified against it. */
static char dummy[LIMIT_PWHASH_STR];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    char pw[LIMIT_TOKEN_HEX + 1];
    crypto_token(pw);
    if (crypto_password_hash(pw, strlen(pw), dummy) != 0)
        dummy[0] = '\0';
}

void api_login(struct req *r)
{
    json_t *j = req_json_or_reply(r);
    const char *login, *pw;
    size_t llen = 0, plen = 0;
    struct field f[] = {
        FIELD_STR("login", true, 1, 64, &login, &llen),
        FIELD_STR("password", true, 1, 1024, &pw, &plen),
    };
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct login_row l = {0};
    struct store_err err;
    struct store_val p[] = {SV_TEXTN(login, llen)};
    enum store_rc rc = store_query(c,
                                   "SELECT id, status, password_hash, locked_until_ms "
                                   "FROM users WHERE login = ?",
                                   p, 1, take_login, &l, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return;
    }
    if (!l.found || l.hash[0] == '\0') {
        pthread_once(&dummy_once, make_dummy);
        crypto_password_verify(dummy, pw, plen);
        req_problem(r, 401, "invalid_credentials", NULL, "wrong login or password");
        return;
    }
    if (l.locked_until_ms > r->now_ms) {
        char retry[24];
        snprintf(retry, sizeof(retry), "%lld",
                 (long long)(l.locked_until_ms - r->now_ms + 999) / 1000);
        req_problem(r, 429, "login_locked", NULL,
                    "too many wrong passwords; the account is "
                    "locked for another %s s",
                    retry);
        req_add_header(r, "Retry-After", retry);
        return;
    }
    struct login_ctx *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL) {
        req_problem(r, 503, "unavailable", NULL, "server is out of memory; try again");
        return;
    }
    x->user_id = l.id;
    x->password_ok = crypto_password_verify(l.hash, pw, plen);
    if (x->password_ok && strcmp(l.status, "active") != 0) {
        req_problem(r, 403, "forbidden", NULL, "this account is %s", l.status);
        return;
    }
    x->now_ms = r->now_ms;
    x->max_failures = r->cfg->login_max_failures;
    x->lock_until_ms = r->now_ms + r->cfg->login_lock_s * 1000;
    x->expires_ms = r->now_ms + r->cfg->session_absolute_s * 1000;
    uint8_t raw[LIMIT_TOKEN_BYTES];
    crypto_token(x->token);
    crypto_unhex(x->token, LIMIT_TOKEN_HEX, raw, sizeof(raw));
    crypto_sha256(raw, sizeof(raw), x->token_hash);
    crypto_token(x->csrf);
    req_write(r, login_write, x, login_then);
}

/* ---- logout, me ---- */

static enum store_rc logout_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct store_val p[] = {SV_BLOB(ctx, CRYPTO_SHA256_BYTES)};
    return store_exec(c, "DELETE FROM sessions WHERE token_hash = ?", p, 1, NULL, err);
}

static void logout_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    if (rc != STORE_OK) {
        req_store_problem(r, rc, err);
        return;
    }
    req_reply_empty(r, 204);
    req_add_header(r, "Set-Cookie", "cfh_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    req_add_header(r, "Set-Cookie", "cfh_csrf=; Path=/; SameSite=Strict; Max-Age=0");
}

void api_logout(struct req *r)
{
    req_write(r, logout_write, r->sess.token_hash, logout_then);
}

void api_me(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *user = NULL;
    struct store_err err;
    enum store_rc rc = api_load_user(c, r->sess.user_id, &user, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc == STORE_DONE ? STORE_ERROR : rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "user", user));
}

/* ---- password change ---- */

struct password_ctx {
    int64_t user_id, now_ms;
    uint8_t keep_hash[CRYPTO_SHA256_BYTES];
    char hash[LIMIT_PWHASH_STR];
};

static enum store_rc password_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct password_ctx *x = ctx;
    struct store_val p[] = {SV_TEXT(x->hash), SV_INT(x->now_ms), SV_INT(x->user_id)};
    enum store_rc rc = store_exec(c,
                                  "UPDATE users SET password_hash = ?, updated_ms = ? "
                                  "WHERE id = ?",
                                  p, 3, NULL, err);
    if (rc != STORE_OK)
        return rc;
    /* Every other session of this user ends: a stolen session dies with the old password. */
    struct store_val q[] = {SV_INT(x->user_id), SV_BLOB(x->keep_hash, CRYPTO_SHA256_BYTES)};
    return store_exec(c, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", q, 2, NULL,
                      err);
}

static void password_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    if (rc != STORE_OK) {
        req_store_problem(r, rc, err);
        return;
    }
    req_reply_empty(r, 204);
}

void api_password(struct req *r)
{
    json_t *j = req_json_or_reply(r);
    const char *cur, *next;
    size_t clen = 0, nlen = 0;
    struct field f[] = {
        FIELD_STR("current_password", true, 1, 1024, &cur, &clen),
        FIELD_STR("new_password", true, 1, 1024, &next, &nlen),
    };
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    if (!password_ok_or_reply(r, "new_password", next, nlen))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct login_row l = {0};
    struct store_err err;
    struct store_val p[] = {SV_INT(r->sess.user_id)};
    enum store_rc rc = store_query(c,
                                   "SELECT id, status, password_hash, locked_until_ms "
                                   "FROM users WHERE id = ?",
                                   p, 1, take_login, &l, &err);
    if (rc != STORE_OK || !l.found) {
        req_store_problem(r, rc == STORE_OK ? STORE_ERROR : rc, &err);
        return;
    }
    if (!crypto_password_verify(l.hash, cur, clen)) {
        req_problem(r, 422, "invalid_field", "current_password", "the current password is wrong");
        return;
    }
    struct password_ctx *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || crypto_password_hash(next, nlen, x->hash) != 0) {
        req_problem(r, 503, "unavailable", NULL, "server is out of memory; try again");
        return;
    }
    x->user_id = r->sess.user_id;
    x->now_ms = r->now_ms;
    memcpy(x->keep_hash, r->sess.token_hash, CRYPTO_SHA256_BYTES);
    req_write(r, password_write, x, password_then);
}

/* ---- accept an invitation ---- */

struct invite_ctx {
    uint8_t token_hash[CRYPTO_SHA256_BYTES];
    char hash[LIMIT_PWHASH_STR];
    int64_t now_ms;
    json_t *user; /* OUT */
};

struct invite_row {
    bool found;
    int64_t user_id, expires_ms;
    bool used;
};

static int take_invite(void *ctx, const struct store_row *row)
{
    struct invite_row *v = ctx;
    v->found = true;
    v->user_id = store_row_int(row, 0);
    v->expires_ms = store_row_int(row, 1);
    v->used = !store_row_is_null(row, 2);
    return 1;
}

static enum store_rc invite_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct invite_ctx *x = ctx;
    struct invite_row v = {0};
    struct store_val p[] = {SV_BLOB(x->token_hash, CRYPTO_SHA256_BYTES)};
    enum store_rc rc = store_query(c,
                                   "SELECT user_id, expires_ms, used_ms FROM invites "
                                   "WHERE token_hash = ?",
                                   p, 1, take_invite, &v, err);
    if (rc != STORE_OK)
        return rc;
    if (!v.found || v.used || v.expires_ms <= x->now_ms)
        return api_abort(err, API_ABORT_NOT_FOUND,
                         "this invitation does not exist, was "
                         "already used or has expired");
    struct store_val u[] = {SV_TEXT(x->hash), SV_INT(x->now_ms), SV_INT(v.user_id)};
    int64_t changed = 0;
    rc = store_exec(c,
                    "UPDATE users SET password_hash = ?, status = 'active', updated_ms = ? "
                    "WHERE id = ? AND status = 'invited'",
                    u, 3, &changed, err);
    if (rc != STORE_OK)
        return rc;
    if (changed != 1)
        return api_abort(err, API_ABORT_NOT_FOUND, "this invitation is no longer valid");
    struct store_val m[] = {SV_INT(x->now_ms), SV_BLOB(x->token_hash, CRYPTO_SHA256_BYTES)};
    rc = store_exec(c, "UPDATE invites SET used_ms = ? WHERE token_hash = ?", m, 2, NULL, err);
    if (rc != STORE_OK)
        return rc;
    return api_load_user(c, v.user_id, &x->user, err);
}

static void invite_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct invite_ctx *x = r->write.ctx;
    if (rc != STORE_OK) {
        json_decref(x->user);
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "user", x->user));
}

void api_accept_invite(struct req *r)
{
    json_t *j = req_json_or_reply(r);
    const char *token, *pw;
    size_t tlen = 0, plen = 0;
    struct field f[] = {
        FIELD_STR("token", true, 1, 128, &token, &tlen),
        FIELD_STR("password", true, 1, 1024, &pw, &plen),
    };
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    uint8_t raw[LIMIT_TOKEN_BYTES];
    if (!crypto_unhex(token, tlen, raw, sizeof(raw))) {
        req_problem(r, 422, "invalid_field", "token", "field 'token' must be 64 hex digits");
        return;
    }
    if (!password_ok_or_reply(r, "password", pw, plen))
        return;
    struct invite_ctx *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || crypto_password_hash(pw, plen, x->hash) != 0) {
        req_problem(r, 503, "unavailable", NULL, "server is out of memory; try again");
        return;
    }
    crypto_sha256(raw, sizeof(raw), x->token_hash);
    x->now_ms = r->now_ms;
    req_write(r, invite_write, x, invite_then);
}
