/*
 * professional.c: applications to be treated as a professional investor (专业投资者).
 * An approved investor matches every product in the suitability check; the approval is an
 * operator's decision, audited, and the investor sees its status and reason.
 */
#include "api/handlers.h"
#include "api/trading.h"

#include "base/check.h"
#include "base/crypto.h"

#include <stdio.h>
#include <string.h>

#define APP_COLS                                                                        \
    "a.id, a.investor_id, u.login, a.statement, a.status, a.decided_by, a.decided_ms, " \
    "COALESCE(a.reason, ''), a.created_ms"

static json_t *app_json(const struct store_row *row)
{
    /* Operators see the mobile number masked: 138****0001. */
    size_t n = 0;
    const char *m = store_row_text(row, 2, &n);
    char masked[24];
    snprintf(masked, sizeof(masked), "%.3s****%s", m, n >= 4 ? m + n - 4 : "");
    json_t *o =
        json_pack("{s:o,s:o,s:s,s:s,s:s,s:s,s:I}", "id", json_id(store_row_int(row, 0)),
                  "investor_id", json_id(store_row_int(row, 1)), "mobile", masked, "statement",
                  store_row_text(row, 3, NULL), "status", store_row_text(row, 4, NULL), "reason",
                  store_row_text(row, 7, NULL), "created_ms", (json_int_t)store_row_int(row, 8));
    json_object_set_new(o, "decided_ms",
                        store_row_is_null(row, 6) ? json_null()
                                                  : json_integer(store_row_int(row, 6)));
    return o;
}

static int collect_apps(void *arr, const struct store_row *row)
{
    json_array_append_new(arr, app_json(row));
    return 0;
}

static int take_app(void *ctx, const struct store_row *row)
{
    *(json_t **)ctx = app_json(row);
    return 1;
}

static enum store_rc load_app(struct store_conn *c, int64_t id, json_t **out, struct store_err *err)
{
    *out = NULL;
    struct store_val p[] = {SV_INT(id)};
    enum store_rc rc = store_query(c,
                                   "SELECT " APP_COLS " FROM professional_applications a JOIN "
                                   "users u ON u.id = a.investor_id WHERE a.id = ?",
                                   p, 1, take_app, out, err);
    return rc == STORE_OK && *out == NULL ? STORE_DONE : rc;
}

struct apply {
    int64_t id, investor, now_ms;
    const char *statement;
    json_t *out;
};

static enum store_rc apply_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct apply *x = ctx;
    int64_t one = 0;
    struct store_val q[] = {SV_INT(x->investor)};
    enum store_rc rc = store_query_int(c,
                                       "SELECT 1 FROM professional_applications WHERE "
                                       "investor_id = ? AND status IN ('pending', 'approved')",
                                       q, 1, &one, err);
    if (rc == STORE_OK)
        return api_abort(err, API_ABORT_CONFLICT,
                         "you already have a pending or approved application");
    if (rc != STORE_DONE)
        return rc;
    struct store_val p[] = {SV_INT(x->id), SV_INT(x->investor), SV_TEXT(x->statement),
                            SV_INT(x->now_ms)};
    rc = store_exec(c,
                    "INSERT INTO professional_applications (id, investor_id, statement, status, "
                    "created_ms) VALUES (?, ?, ?, 'pending', ?)",
                    p, 4, NULL, err);
    return rc == STORE_OK ? load_app(c, x->id, &x->out, err) : rc;
}

/* Answers with the application a write loaded into *out, or the write's failure. */
static void reply_app(struct req *r, unsigned status, json_t *out, enum store_rc rc,
                      const struct store_err *err)
{
    if (rc != STORE_OK) {
        json_decref(out);
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, status, json_pack("{s:o}", "application", out));
}

static void app_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    reply_app(r, 201, ((struct apply *)r->write.ctx)->out, rc, err);
}

void api_inv_professional_apply(struct req *r)
{
    json_t *j = req_json_or_reply(r);
    struct apply *x = arena_zalloc(&r->arena, sizeof(*x));
    struct field f[] = {FIELD_STR("statement", true, 10, 1000, &x->statement, NULL)};
    if (j == NULL || x == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    x->id = crypto_random_id();
    x->investor = r->sess.user_id;
    x->now_ms = r->now_ms;
    req_write(r, apply_write, x, app_then);
}

static void list_apps(struct req *r, const char *sql, const struct store_val *p, size_t n, bool one)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *items = json_array();
    struct store_err err;
    enum store_rc rc = store_query(c, sql, p, n, collect_apps, items, &err);
    if (rc != STORE_OK) {
        json_decref(items);
        req_store_problem(r, rc, &err);
    } else if (one && json_array_size(items) == 0) {
        json_decref(items);
        req_problem(r, 404, "not_found", NULL, "no application yet");
    } else if (one) {
        req_reply_json(r, 200, json_pack("{s:O}", "application", json_array_get(items, 0)));
        json_decref(items);
    } else {
        req_reply_json(r, 200, json_pack("{s:o}", "items", items));
    }
}

void api_inv_professional_get(struct req *r)
{
    struct store_val p[] = {SV_INT(r->sess.user_id)};
    list_apps(r,
              "SELECT " APP_COLS " FROM professional_applications a JOIN users u ON "
              "u.id = a.investor_id WHERE a.investor_id = ? ORDER BY a.created_ms DESC LIMIT 1",
              p, 1, true);
}

void api_ops_professional_list(struct req *r)
{
    const char *status = req_query(r, "status");
    if (status && strcmp(status, "pending") && strcmp(status, "approved") &&
        strcmp(status, "rejected")) {
        req_problem(r, 400, "bad_request", NULL, "status must be pending, approved or rejected");
        return;
    }
    struct store_val st = status ? SV_TEXT(status) : SV_NULL_;
    struct store_val p[] = {st, st, SV_INT(LIMIT_PAGE_SIZE_MAX)};
    list_apps(r,
              "SELECT " APP_COLS " FROM professional_applications a JOIN users u ON "
              "u.id = a.investor_id WHERE (? IS NULL OR a.status = ?) ORDER BY a.created_ms "
              "LIMIT ?",
              p, 3, false);
}

struct decision {
    int64_t id, now_ms;
    bool approve;
    const char *reason;
    struct api_actor actor;
    json_t *out;
};

static enum store_rc decide_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct decision *x = ctx;
    int64_t changed = 0;
    struct store_val u[] = {SV_TEXT(x->approve ? "approved" : "rejected"), SV_INT(x->actor.user_id),
                            SV_INT(x->now_ms), SV_TEXT(x->reason), SV_INT(x->id)};
    enum store_rc rc = store_exec(c,
                                  "UPDATE professional_applications SET status = ?, decided_by = "
                                  "?, decided_ms = ?, reason = ? WHERE id = ? AND status = "
                                  "'pending'",
                                  u, 5, &changed, err);
    if (rc != STORE_OK)
        return rc;
    if (changed == 0)
        return api_abort(err, API_ABORT_NOT_FOUND, "no pending application %lld", (long long)x->id);
    char subject[48];
    snprintf(subject, sizeof(subject), "professional_application:%lld", (long long)x->id);
    json_t *d = json_pack("{s:b,s:s}", "approve", x->approve, "reason", x->reason);
    rc = api_audit(c, &x->actor, 0, "professional.decide", subject, d, x->now_ms, err);
    json_decref(d);
    return rc == STORE_OK ? load_app(c, x->id, &x->out, err) : rc;
}

static void decide_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    reply_app(r, 200, ((struct decision *)r->write.ctx)->out, rc, err);
}

void api_ops_professional_decide(struct req *r)
{
    struct decision *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id))
        return;
    if (!api_decision_or_reply(r, &x->approve, &x->reason))
        return;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, decide_write, x, decide_then);
}
