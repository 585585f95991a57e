/*
 * institutions.c: onboarding and lifecycle of institutions (operators) and the public
 * list of institutions open to investors.
 *
 * Status changes follow inst_transition_allowed() (core/account.c); each one is kept in
 * institution_status_history with who, when and why, and written to the audit chain.
 */
#include "api/api.h"
#include "api/cache.h"
#include "api/handlers.h"

#include "base/check.h"
#include "base/crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The cache's name for the public list (compared by address). */
static const char public_space[] = "institutions";

static char *build_public(struct store_conn *c, size_t *len, struct store_err *err)
{
    json_t *items = json_array();
    enum store_rc rc =
        store_query(c,
                    "SELECT " API_INST_COLS " FROM institutions i "
                    "WHERE i.status IN ('pilot', 'live') ORDER BY i.created_ms, i.id",
                    NULL, 0, api_collect_insts, items, err);
    char *text = NULL;
    json_t *o = json_pack("{s:o}", "items", items);
    if (rc == STORE_OK)
        text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    *len = text ? strlen(text) : 0;
    return text;
}

/* The public list is read far more often than institutions change: kept until the next
 * commit (api/cache.c). */
void api_public_institutions(struct req *r)
{
    if (cache_reply(r, public_space, 0))
        return;
    uint64_t gen = store_generation(r->store);
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct store_err err;
    size_t len = 0;
    char *text = build_public(c, &len, &err);
    if (text == NULL) {
        req_store_problem(r, STORE_ERROR, &err);
        return;
    }
    req_reply_raw(r, 200, "application/json", text, len);
    cache_put(r, public_space, 0, gen, text, len);
    free(text);
}

void api_ops_inst_list(struct req *r)
{
    const char *status = req_query(r, "status");
    if (status != NULL && inst_status_parse(status) == INST_STATUS_NONE) {
        req_problem(r, 400, "bad_request", NULL,
                    "status must be applied, pilot, live or "
                    "suspended");
        return;
    }
    struct store_val st = status ? SV_TEXT(status) : SV_NULL_;
    struct store_val p[] = {st, st, SV_INT(LIMIT_PAGE_SIZE_MAX)};
    api_reply_items(r,
                    "SELECT " API_INST_COLS " FROM institutions i "
                    "WHERE (? IS NULL OR i.status = ?) "
                    "ORDER BY i.created_ms, i.id LIMIT ?",
                    p, 3, api_collect_insts);
}

/* ---- create ---- */

struct inst_create {
    int64_t id, now_ms;
    const char *name, *short_name, *type;
    struct api_actor actor;
    json_t *out; /* OUT */
};

static enum store_rc history_insert(struct store_conn *c, int64_t inst, const char *from,
                                    const char *to, int64_t by, int64_t at_ms, const char *reason,
                                    struct store_err *err)
{
    struct store_val p[] = {SV_INT(crypto_random_id()),
                            SV_INT(inst),
                            from ? SV_TEXT(from) : SV_NULL_,
                            SV_TEXT(to),
                            SV_INT_OR_NULL(by),
                            SV_INT(at_ms),
                            SV_TEXT(reason)};
    return store_exec(c,
                      "INSERT INTO institution_status_history (id, institution_id, "
                      "from_status, to_status, by_user_id, at_ms, reason) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?)",
                      p, 7, NULL, err);
}

static enum store_rc create_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct inst_create *x = ctx;
    struct store_val p[] = {SV_INT(x->id),    SV_TEXT(x->name),  SV_TEXT(x->short_name),
                            SV_TEXT(x->type), SV_INT(x->now_ms), SV_INT(x->now_ms)};
    enum store_rc rc = store_exec(c,
                                  "INSERT INTO institutions (id, name, short_name, type, "
                                  "status, created_ms, updated_ms) "
                                  "VALUES (?, ?, ?, ?, 'applied', ?, ?)",
                                  p, 6, NULL, err);
    if (rc == STORE_OK)
        rc = history_insert(c, x->id, NULL, "applied", x->actor.user_id, x->now_ms,
                            "application recorded", err);
    if (rc != STORE_OK)
        return rc;
    char subject[48];
    snprintf(subject, sizeof(subject), "institution:%lld", (long long)x->id);
    json_t *d =
        json_pack("{s:s,s:s,s:s}", "name", x->name, "short_name", x->short_name, "type", x->type);
    rc = api_audit(c, &x->actor, x->id, "institution.create", subject, d, x->now_ms, err);
    json_decref(d);
    return rc == STORE_OK ? api_load_inst(c, x->id, &x->out, err) : rc;
}

static void create_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct inst_create *x = r->write.ctx;
    if (rc != STORE_OK) {
        json_decref(x->out);
        api_write_failed(r, rc, err, "an institution with this name already exists");
        return;
    }
    req_reply_json(r, 201, json_pack("{s:o}", "institution", x->out));
}

void api_ops_inst_create(struct req *r)
{
    json_t *j = req_json_or_reply(r);
    struct inst_create *x = arena_zalloc(&r->arena, sizeof(*x));
    if (j == NULL || x == NULL)
        return;
    struct field f[] = {
        FIELD_STR("name", true, LIMIT_INST_NAME_CHARS_MIN, LIMIT_INST_NAME_CHARS_MAX, &x->name,
                  NULL),
        FIELD_STR("short_name", true, 1, LIMIT_INST_SHORT_CHARS_MAX, &x->short_name, NULL),
        FIELD_STR("type", true, 1, 32, &x->type, NULL),
    };
    if (!req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    if (!inst_type_valid(x->type)) {
        req_problem(r, 422, "invalid_field", "type",
                    "field 'type' must be fund_company, bank, "
                    "insurer or securities_firm");
        return;
    }
    x->id = crypto_random_id();
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, create_write, x, create_then);
}

/* ---- get ---- */

static int collect_history(void *array, const struct store_row *row)
{
    json_array_append_new(array, json_pack("{s:o,s:s,s:o,s:I,s:s}", "from",
                                           store_row_is_null(row, 0)
                                               ? json_null()
                                               : json_string(store_row_text(row, 0, NULL)),
                                           "to", store_row_text(row, 1, NULL), "by_user_id",
                                           json_id_or_null(store_row_int(row, 2)), "at_ms",
                                           (json_int_t)store_row_int(row, 3), "reason",
                                           store_row_text(row, 4, NULL)));
    return 0;
}

void api_ops_inst_get(struct req *r)
{
    int64_t id = 0;
    if (!req_param_id_or_reply(r, 0, &id))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *inst = NULL;
    struct store_err err;
    enum store_rc rc = api_load_inst(c, id, &inst, &err);
    if (rc == STORE_DONE) {
        req_problem(r, 404, "not_found", NULL, "no institution %lld", (long long)id);
        return;
    }
    json_t *history = json_array();
    struct store_val p[] = {SV_INT(id)};
    if (rc == STORE_OK)
        rc = store_query(c,
                         "SELECT from_status, to_status, by_user_id, at_ms, reason "
                         "FROM institution_status_history WHERE institution_id = ? "
                         "ORDER BY at_ms, id",
                         p, 1, collect_history, history, &err);
    if (rc != STORE_OK) {
        json_decref(inst);
        json_decref(history);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o,s:o}", "institution", inst, "history", history));
}

/* ---- status ---- */

struct inst_status_ctx {
    int64_t id, now_ms;
    enum inst_status to;
    const char *reason;
    struct api_actor actor;
    json_t *out;
};

static int take_status(void *ctx, const struct store_row *row)
{
    *(enum inst_status *)ctx = inst_status_parse(store_row_text(row, 0, NULL));
    return 1;
}

static enum store_rc status_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct inst_status_ctx *x = ctx;
    enum inst_status from = INST_STATUS_NONE;
    struct store_val p[] = {SV_INT(x->id)};
    enum store_rc rc = store_query(c, "SELECT status FROM institutions WHERE id = ?", p, 1,
                                   take_status, &from, err);
    if (rc != STORE_OK)
        return rc;
    if (from == INST_STATUS_NONE)
        return api_abort(err, API_ABORT_NOT_FOUND, "no institution %lld", (long long)x->id);
    if (!inst_transition_allowed(from, x->to))
        return api_abort(err, API_ABORT_CONFLICT, "an institution cannot go from %s to %s",
                         inst_status_name(from), inst_status_name(x->to));
    struct store_val u[] = {SV_TEXT(inst_status_name(x->to)), SV_INT(x->now_ms), SV_INT(x->id)};
    rc = store_exec(c, "UPDATE institutions SET status = ?, updated_ms = ? WHERE id = ?", u, 3,
                    NULL, err);
    if (rc == STORE_OK)
        rc = history_insert(c, x->id, inst_status_name(from), inst_status_name(x->to),
                            x->actor.user_id, x->now_ms, x->reason, err);
    if (rc != STORE_OK)
        return rc;
    char subject[48];
    snprintf(subject, sizeof(subject), "institution:%lld", (long long)x->id);
    json_t *d = json_pack("{s:s,s:s,s:s}", "from", inst_status_name(from), "to",
                          inst_status_name(x->to), "reason", x->reason);
    rc = api_audit(c, &x->actor, x->id, "institution.status", subject, d, x->now_ms, err);
    json_decref(d);
    return rc == STORE_OK ? api_load_inst(c, x->id, &x->out, err) : rc;
}

static void status_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct inst_status_ctx *x = r->write.ctx;
    if (rc != STORE_OK) {
        json_decref(x->out);
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "institution", x->out));
}

void api_ops_inst_status(struct req *r)
{
    struct inst_status_ctx *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id))
        return;
    json_t *j = req_json_or_reply(r);
    const char *status;
    struct field f[] = {
        FIELD_STR("status", true, 1, 16, &status, NULL),
        FIELD_STR("reason", true, 1, LIMIT_REASON_CHARS_MAX, &x->reason, NULL),
    };
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    x->to = inst_status_parse(status);
    if (x->to == INST_STATUS_NONE) {
        req_problem(r, 422, "invalid_field", "status",
                    "field 'status' must be applied, pilot, "
                    "live or suspended");
        return;
    }
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, status_write, x, status_then);
}
