/*
 * staff.c: institution staff. Operators invite an institution's first staff; an
 * institution's admin manages its own staff. An institution's id always comes from the
 * session for institution routes: staff of another institution are "not found", never
 * "forbidden", so their existence is not revealed.
 *
 * An invitation creates the account in status "invited" with no password and returns a
 * one-time token (valid LIMIT_INVITE_TTL_S) that the inviter hands over out of band; the
 * invitee sets a password with POST /api/v1/auth/accept-invite.
 */
#include "api/api.h"
#include "api/handlers.h"

#include "base/check.h"
#include "base/crypto.h"

#include <stdio.h>
#include <string.h>

static enum store_rc list_staff(struct req *r, int64_t inst, json_t *items)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return STORE_CLOSED;
    struct store_err err;
    struct store_val p[] = {SV_INT(inst), SV_INT(LIMIT_PAGE_SIZE_MAX)};
    enum store_rc rc = store_query(c,
                                   "SELECT " API_USER_COLS " FROM users u "
                                   "WHERE u.institution_id = ? ORDER BY u.created_ms, u.id "
                                   "LIMIT ?",
                                   p, 2, api_collect_users, items, &err);
    if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    return rc;
}

static void reply_staff(struct req *r, int64_t inst)
{
    json_t *items = json_array();
    if (list_staff(r, inst, items) != STORE_OK) {
        json_decref(items);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static bool inst_exists_or_reply(struct req *r, int64_t id)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return false;
    int64_t one = 0;
    struct store_err err;
    struct store_val p[] = {SV_INT(id)};
    enum store_rc rc =
        store_query_int(c, "SELECT 1 FROM institutions WHERE id = ?", p, 1, &one, &err);
    if (rc == STORE_DONE)
        req_problem(r, 404, "not_found", NULL, "no institution %lld", (long long)id);
    else if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    return rc == STORE_OK;
}

void api_ops_staff_list(struct req *r)
{
    int64_t id = 0;
    if (req_param_id_or_reply(r, 0, &id) && inst_exists_or_reply(r, id))
        reply_staff(r, id);
}

void api_inst_staff_list(struct req *r)
{
    ASSERT(r->sess.institution_id != 0);
    reply_staff(r, r->sess.institution_id);
}

void api_inst_self(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *inst = NULL;
    struct store_err err;
    enum store_rc rc = api_load_inst(c, r->sess.institution_id, &inst, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc == STORE_DONE ? STORE_ERROR : rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "institution", inst));
}

/* ---- invite ---- */

struct invite {
    struct api_new_user u;
    struct api_actor actor;
    char token[LIMIT_TOKEN_HEX + 1];
    json_t *out;
};

static enum store_rc invite_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct invite *x = ctx;
    int64_t one = 0;
    struct store_val p[] = {SV_INT(x->u.institution_id)};
    enum store_rc rc =
        store_query_int(c, "SELECT 1 FROM institutions WHERE id = ?", p, 1, &one, err);
    if (rc == STORE_DONE)
        return api_abort(err, API_ABORT_NOT_FOUND, "no institution %lld",
                         (long long)x->u.institution_id);
    if (rc == STORE_OK)
        rc = api_user_insert(c, &x->u, err);
    if (rc == STORE_OK)
        rc = api_invite_insert(c, x->u.id, x->u.now_ms, x->token, err);
    if (rc != STORE_OK)
        return rc;
    char subject[40];
    snprintf(subject, sizeof(subject), "user:%lld", (long long)x->u.id);
    json_t *d = json_pack("{s:s,s:s}", "login", x->u.login, "role", role_name(x->u.role));
    rc = api_audit(c, &x->actor, x->u.institution_id, "staff.invite", subject, d, x->u.now_ms, err);
    json_decref(d);
    return rc == STORE_OK ? api_load_user(c, x->u.id, &x->out, err) : rc;
}

static void invite_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct invite *x = r->write.ctx;
    if (rc != STORE_OK) {
        json_decref(x->out);
        api_write_failed(r, rc, err, "this login is already taken");
        return;
    }
    req_reply_json(r, 201, json_pack("{s:o,s:s}", "user", x->out, "invite_token", x->token));
}

static void invite(struct req *r, int64_t inst)
{
    json_t *j = req_json_or_reply(r);
    struct invite *x = arena_zalloc(&r->arena, sizeof(*x));
    if (j == NULL || x == NULL)
        return;
    const char *login, *name, *role;
    size_t llen = 0;
    struct field f[] = {
        FIELD_STR("login", true, 1, 64, &login, &llen),
        FIELD_STR("display_name", true, 1, LIMIT_DISPLAY_NAME_CHARS_MAX, &name, NULL),
        FIELD_STR("role", true, 1, 32, &role, NULL),
    };
    if (!req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    if (!account_login_valid(login, llen)) {
        req_problem(r, 422, "invalid_field", "login",
                    "field 'login' must be 3 to 32 of a-z, "
                    "0-9, '.', '_', '-', starting with a letter");
        return;
    }
    enum role rl = role_parse(role);
    if (!role_is_inst(rl)) {
        req_problem(r, 422, "invalid_field", "role",
                    "field 'role' must be inst_admin, "
                    "inst_operator or inst_compliance");
        return;
    }
    x->u = (struct api_new_user){.role = rl,
                                 .login = login,
                                 .display_name = name,
                                 .institution_id = inst,
                                 .status = "invited",
                                 .now_ms = r->now_ms};
    x->actor = api_actor_of(r);
    req_write(r, invite_write, x, invite_then);
}

void api_ops_staff_invite(struct req *r)
{
    int64_t id = 0;
    if (req_param_id_or_reply(r, 0, &id))
        invite(r, id);
}

void api_inst_staff_invite(struct req *r)
{
    invite(r, r->sess.institution_id);
}

/* ---- update (institution admin) ---- */

struct staff_update {
    int64_t id, inst, now_ms, self;
    enum role role;     /* ROLE_NONE: unchanged */
    const char *status; /* NULL: unchanged */
    struct api_actor actor;
    json_t *out;
};

struct staff_row {
    bool found;
    char status[16];
    char role[24];
};

static int take_staff(void *ctx, const struct store_row *row)
{
    struct staff_row *s = ctx;
    s->found = true;
    snprintf(s->status, sizeof(s->status), "%s", store_row_text(row, 0, NULL));
    snprintf(s->role, sizeof(s->role), "%s", store_row_text(row, 1, NULL));
    return 1;
}

static enum store_rc apply_update(struct store_conn *c, struct staff_update *x,
                                  const struct staff_row *cur, struct store_err *err)
{
    const char *role = x->role != ROLE_NONE ? role_name(x->role) : cur->role;
    const char *status = x->status ? x->status : cur->status;
    struct store_val p[] = {SV_TEXT(role), SV_TEXT(status), SV_INT(x->now_ms), SV_INT(x->id),
                            SV_INT(x->inst)};
    enum store_rc rc = store_exec(c,
                                  "UPDATE users SET role = ?, status = ?, updated_ms = ? "
                                  "WHERE id = ? AND institution_id = ?",
                                  p, 5, NULL, err);
    if (rc == STORE_OK && strcmp(status, "disabled") == 0) {
        struct store_val q[] = {SV_INT(x->id)};
        rc = store_exec(c, "DELETE FROM sessions WHERE user_id = ?", q, 1, NULL, err);
    }
    if (rc != STORE_OK)
        return rc;
    char subject[40];
    snprintf(subject, sizeof(subject), "user:%lld", (long long)x->id);
    json_t *d = json_pack("{s:s,s:s,s:s,s:s}", "role_from", cur->role, "role_to", role,
                          "status_from", cur->status, "status_to", status);
    rc = api_audit(c, &x->actor, x->inst, "staff.update", subject, d, x->now_ms, err);
    json_decref(d);
    return rc;
}

static enum store_rc update_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct staff_update *x = ctx;
    struct staff_row cur = {0};
    /* The institution comes from the session: another institution's staff is not found. */
    struct store_val p[] = {SV_INT(x->id), SV_INT(x->inst)};
    enum store_rc rc = store_query(c,
                                   "SELECT status, role FROM users WHERE id = ? AND "
                                   "institution_id = ?",
                                   p, 2, take_staff, &cur, err);
    if (rc != STORE_OK)
        return rc;
    if (!cur.found)
        return api_abort(err, API_ABORT_NOT_FOUND, "no staff member %lld in your institution",
                         (long long)x->id);
    if (x->id == x->self)
        return api_abort(err, API_ABORT_CONFLICT,
                         "you cannot change your own role or status; "
                         "ask another admin");
    if (x->status != NULL && strcmp(cur.status, "invited") == 0 && strcmp(x->status, "active") == 0)
        return api_abort(err, API_ABORT_CONFLICT,
                         "an invited account becomes active only by "
                         "accepting its invitation");
    rc = apply_update(c, x, &cur, err);
    return rc == STORE_OK ? api_load_user(c, x->id, &x->out, err) : rc;
}

static void update_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct staff_update *x = r->write.ctx;
    if (rc != STORE_OK) {
        json_decref(x->out);
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "user", x->out));
}

void api_inst_staff_update(struct req *r)
{
    struct staff_update *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id))
        return;
    json_t *j = req_json_or_reply(r);
    const char *role = NULL;
    struct field f[] = {
        FIELD_STR("role", false, 1, 32, &role, NULL),
        FIELD_STR("status", false, 1, 16, &x->status, NULL),
    };
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    if (role == NULL && x->status == NULL) {
        req_problem(r, 422, "missing_field", "status", "give 'role', 'status' or both");
        return;
    }
    if (role != NULL && !role_is_inst(x->role = role_parse(role))) {
        req_problem(r, 422, "invalid_field", "role",
                    "field 'role' must be inst_admin, "
                    "inst_operator or inst_compliance");
        return;
    }
    if (x->status != NULL && strcmp(x->status, "active") != 0 &&
        strcmp(x->status, "disabled") != 0) {
        req_problem(r, 422, "invalid_field", "status",
                    "field 'status' must be active or "
                    "disabled");
        return;
    }
    x->inst = r->sess.institution_id;
    x->self = r->sess.user_id;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, update_write, x, update_then);
}
