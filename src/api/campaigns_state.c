/*
 * campaigns_state.c: what an institution's staff do to a campaign once it exists, beyond
 * editing its terms (campaigns.c): submit a draft for review, withdraw it from review, stop an
 * approved one early.
 *
 *   draft ──submit──▶ pending ──approve──▶ approved / running ──stop──▶ stopped
 *     ▲  ◀─withdraw──┘   │                  (ended, exhausted: clock and budget)
 *     └──────edit────── rejected ◀─reject─┘
 *
 * Which action is allowed in which state is core/campaign.c's (campaign_action_refusal). Each
 * is checked twice: on the reader, to answer 404 or 409 before any work, and again inside the
 * write, where it decides: the writer is serial, so two staff members acting at once, or a
 * reviewer deciding while staff withdraw, find the state the other one left.
 *
 * Withdrawing a segment message deletes its held message: it was never delivered or decided,
 * and held messages count against the daily limit of messages (messages.c), so it must stop
 * counting. The submission and the withdrawal stay in the audit chain.
 *
 * Stopping stores when, by whom and why (migration 0013); the state `stopped` is read from it.
 * Orders can no longer be placed through the campaign (campaigns_ops.c refuses them, and the
 * order's own write checks again), a promotion is no longer pinned (feed.c), and orders placed
 * through it before the stop keep their discount at confirmation, within the budget
 * (jobs/confirm.c reads no state). A segment message cannot be stopped: it was delivered when
 * it was approved.
 */
#include "api/campaigns.h"
#include "api/campaigns_int.h"
#include "api/handlers.h"
#include "api/messages.h"

#include "base/check.h"
#include "base/crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the state, checked before and inside the write ---- */

void campaign_subject(int64_t id, char out[CAMPAIGN_SUBJECT_CAP])
{
    snprintf(out, CAMPAIGN_SUBJECT_CAP, "campaign:%lld", (long long)id);
}

static int take_state(void *ctx, const struct store_row *row)
{
    struct campaign_state_row *k = ctx;
    enum campaign_rule rule;
    k->found = true;
    k->type = campaign_type_parse(store_row_text(row, 0, NULL), &rule);
    k->state = campaign_state_parse(store_row_text(row, 1, NULL));
    k->delivered = store_row_int(row, 2) != 0;
    /* The table's CHECKs allow only these. */
    ASSERT(k->type != CAMPAIGN_TYPE_NONE && k->state != CAMPAIGN_STATE_NONE);
    return 1;
}

enum store_rc campaign_state_read(struct store_conn *c, int64_t id, int64_t inst, int64_t now_ms,
                                  struct campaign_state_row *out, struct store_err *err)
{
    *out = (struct campaign_state_row){0};
    struct store_val p[] = {SV_INT(id), SV_INT(inst), SV_INT(now_ms)};
    return store_query(c,
                       "SELECT k.type, " CAMPAIGN_STATUS_SQL(
                           "?3") ", EXISTS (SELECT 1 FROM messages WHERE campaign_id = k.id AND "
                                 "status = 'delivered') FROM campaigns k WHERE k.id = ?1 AND "
                                 "k.institution_id = ?2",
                       p, 3, take_state, out, err);
}

/* 409 campaign_state: what was refused and the state that refused it. */
static void state_conflict(struct req *r, const char *why, enum campaign_state s)
{
    const char *name = campaign_state_name(s);
    req_problem_with(r, 409, "campaign_state", json_pack("{s:s}", "campaign_status", name),
                     "%s (the campaign is %s)", why, name);
}

bool campaign_action_or_reply(struct req *r, struct store_conn *c, int64_t id,
                              enum campaign_action a, struct campaign_state_row *out)
{
    struct store_err err;
    enum store_rc rc = campaign_state_read(c, id, r->sess.institution_id, r->now_ms, out, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return false;
    }
    if (!out->found) {
        req_problem(r, 404, "not_found", NULL, "no campaign %lld", (long long)id);
        return false;
    }
    const char *why = campaign_action_refusal(a, out->type, out->state, out->delivered);
    if (why != NULL)
        state_conflict(r, why, out->state);
    return why == NULL;
}

enum store_rc campaign_action_check(struct store_conn *c, int64_t id, int64_t inst, int64_t now_ms,
                                    enum campaign_action a, enum campaign_state *state,
                                    struct store_err *err)
{
    struct campaign_state_row k;
    enum store_rc rc = campaign_state_read(c, id, inst, now_ms, &k, err);
    if (rc != STORE_OK)
        return rc;
    if (!k.found)
        return api_abort(err, API_ABORT_NOT_FOUND, "no campaign %lld", (long long)id);
    *state = k.state;
    const char *why = campaign_action_refusal(a, k.type, k.state, k.delivered);
    return why == NULL ? STORE_OK : api_abort(err, API_ABORT_STATE, "%s", why);
}

void campaign_write_failed(struct req *r, enum store_rc rc, const struct store_err *err,
                           enum campaign_state state)
{
    if (rc == STORE_ABORT && err->code == API_ABORT_STATE && state != CAMPAIGN_STATE_NONE)
        state_conflict(r, err->msg, state);
    else
        api_write_failed(r, rc, err, "conflict");
}

/*
 * Deletes the campaign's held message, if it has one (*message, OUT, its id, else 0): a
 * withdrawn campaign's, or a stopped one's that was waiting for its first day. A held message
 * was never delivered and is read by no one (the inbox shows delivered messages only), so
 * nothing refers to it, and it stops counting against the daily limit of messages.
 */
static enum store_rc drop_held_message(struct store_conn *c, int64_t campaign, int64_t *message,
                                       struct store_err *err)
{
    *message = 0;
    struct store_val q[] = {SV_INT(campaign)};
    enum store_rc rc = store_query_int(
        c, "SELECT id FROM messages WHERE campaign_id = ? AND status = 'held'", q, 1, message, err);
    if (rc == STORE_DONE)
        return STORE_OK;
    struct store_val m[] = {SV_INT(*message)};
    return rc == STORE_OK ? store_exec(c, "DELETE FROM messages WHERE id = ? AND status = 'held'",
                                       m, 1, NULL, err)
                          : rc;
}

/* The end of a change's write: its audit entry (detail is taken), then the campaign as it
 * now is, in *out. */
static enum store_rc audit_and_load(struct store_conn *c, const struct api_actor *actor, int64_t id,
                                    int64_t inst, int64_t now_ms, const char *action,
                                    json_t *detail, json_t **out, struct store_err *err)
{
    char subject[CAMPAIGN_SUBJECT_CAP];
    campaign_subject(id, subject);
    enum store_rc rc = api_audit(c, actor, inst, action, subject, detail, now_ms, err);
    json_decref(detail);
    return rc == STORE_OK ? campaign_load(c, id, inst, now_ms, out, err) : rc;
}

/* The answer to a change: the campaign, or why it was refused (state: the state that
 * refused it). */
static void reply_changed(struct req *r, enum store_rc rc, const struct store_err *err, json_t *out,
                          enum campaign_state state)
{
    if (rc != STORE_OK) {
        json_decref(out);
        campaign_write_failed(r, rc, err, state);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "campaign", out));
}

/* ---- submitting a draft for review ---- */

struct submit {
    int64_t id, inst, by, now_ms, reach, resets_ms, message, segment_product;
    bool segment_message, holders;
    char type[24], segment[16];
    char *name, *text, *check;
    enum campaign_state state; /* OUT: the state that refused it */
    struct api_actor actor;
    json_t *out;
};

static int take_terms(void *ctx, const struct store_row *row)
{
    struct submit *x = ctx;
    snprintf(x->type, sizeof(x->type), "%s", store_row_text(row, 0, NULL));
    snprintf(x->segment, sizeof(x->segment), "%s", store_row_text(row, 1, NULL));
    x->segment_message = strcmp(x->type, "segment_message") == 0;
    x->holders = strcmp(x->segment, "holders") == 0;
    x->segment_product = store_row_int(row, 2);
    x->name = strdup(store_row_text(row, 3, NULL));
    x->text = strdup(store_row_text(row, 4, NULL));
    return 1;
}

/* A segment message is a message of the messages module, held until the campaign's review. */
static enum store_rc insert_message(struct store_conn *c, struct submit *x, struct store_err *err)
{
    x->message = crypto_random_id();
    struct store_val p[] = {
        SV_INT(x->message),
        SV_INT(x->inst),
        SV_TEXT(x->holders ? "holders" : "followers"),
        SV_INT_OR_NULL(x->segment_product),
        SV_TEXT(x->name),
        SV_TEXT(x->text),
        SV_TEXT(x->check),
        SV_INT(x->reach),
        SV_INT(x->by),
        SV_INT(x->now_ms),
        SV_INT(x->id),
    };
    return store_exec(c,
                      "INSERT INTO messages (id, institution_id, audience, product_id, title, "
                      "body, status, check_result, reach, created_by, created_ms, campaign_id) "
                      "VALUES (?, ?, ?, ?, ?, ?, 'held', ?, ?, ?, ?, ?)",
                      p, 11, NULL, err);
}

static enum store_rc submit_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct submit *x = ctx;
    int64_t one = 0, changed = 0;
    struct store_val z[] = {SV_INT(x->inst)};
    enum store_rc rc = store_query_int(
        c, "SELECT 1 FROM institutions WHERE id = ? AND status IN ('pilot', 'live')", z, 1, &one,
        err);
    if (rc == STORE_DONE)
        return api_abort(err, API_ABORT_CONFLICT,
                         "your institution is not open to investors: it can run no campaign");
    if (rc == STORE_OK)
        rc = campaign_action_check(c, x->id, x->inst, x->now_ms, CAMPAIGN_SUBMIT, &x->state, err);
    /* The texts checked and the message made are the ones read before the write: an edit in
     * between would leave them stale, so the submission then fails and is made again. */
    struct store_val u[] = {SV_TEXT(x->check),   SV_INT(x->by),
                            SV_INT(x->now_ms),   SV_INT(x->id),
                            SV_INT(x->inst),     SV_TEXT(x->type),
                            SV_TEXT(x->name),    SV_TEXT(x->text),
                            SV_TEXT(x->segment), SV_INT_OR_NULL(x->segment_product)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE campaigns SET status = 'pending', check_result = ?, submitted_by "
                        "= ?, submitted_ms = ? WHERE id = ? AND institution_id = ? AND status = "
                        "'draft' AND type = ? AND name = ? AND text = ? AND segment = ? AND "
                        "segment_product_id IS ?",
                        u, 10, &changed, err);
    if (rc == STORE_OK && changed == 0)
        return api_abort(err, API_ABORT_CONFLICT,
                         "the campaign was edited while it was being submitted; submit it again");
    if (rc == STORE_OK && x->segment_message)
        rc = api_message_within_limit(c, x->inst, x->now_ms, &x->resets_ms, err);
    if (rc == STORE_OK && x->segment_message)
        rc = insert_message(c, x, err);
    char subject[CAMPAIGN_SUBJECT_CAP];
    campaign_subject(x->id, subject);
    if (rc == STORE_OK)
        rc = api_moderation(c, subject, x->inst, "auto_hold",
                            "compliance check; every campaign waits for a reviewer", 0, x->now_ms,
                            err);
    return rc == STORE_OK ? audit_and_load(c, &x->actor, x->id, x->inst, x->now_ms,
                                           "campaign.submit", json_object(), &x->out, err)
                          : rc;
}

static void submit_free(struct submit *x)
{
    free(x->name);
    free(x->text);
    free(x->check);
}

static void submit_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct submit *x = r->write.ctx;
    submit_free(x);
    if (rc == STORE_ABORT && err->code == API_ABORT_LIMIT) {
        api_message_limit_reply(r, err, x->resets_ms, x->now_ms);
        return;
    }
    reply_changed(r, rc, err, x->out, x->state);
}

/* Reads the draft on the request's thread: 404 when it is not the caller's, 409 when it is no
 * longer a draft; then its terms. */
static bool draft_or_reply(struct req *r, struct store_conn *c, struct submit *x)
{
    struct campaign_state_row k;
    if (!campaign_action_or_reply(r, c, x->id, CAMPAIGN_SUBMIT, &k))
        return false;
    struct store_err err;
    struct store_val p[] = {SV_INT(x->id), SV_INT(x->inst)};
    enum store_rc rc = store_query(c,
                                   "SELECT type, segment, segment_product_id, name, text FROM "
                                   "campaigns WHERE id = ? AND institution_id = ?",
                                   p, 2, take_terms, x, &err);
    if (rc == STORE_OK && (x->name == NULL || x->text == NULL))
        rc = store_fail(&err, STORE_ERROR, "out of memory for the campaign's texts");
    if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    return rc == STORE_OK;
}

void api_inst_campaign_submit(struct req *r)
{
    struct submit *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id))
        return;
    x->inst = r->sess.institution_id;
    x->by = r->sess.user_id;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    struct store_conn *c = req_reader_or_reply(r);
    struct store_err err;
    enum store_rc rc = STORE_OK;
    /* The check runs again: the lexicon may have changed since the draft was saved. */
    bool ok = c != NULL && draft_or_reply(r, c, x) &&
              campaign_lexicon_or_reply(r, x->name, x->text, &x->check);
    if (ok && x->segment_message)
        rc = api_message_reach(c, x->inst, x->holders, x->segment_product, true, &x->reach, &err);
    if (ok && rc != STORE_OK)
        req_store_problem(r, rc, &err);
    if (!ok || rc != STORE_OK) {
        submit_free(x);
        return;
    }
    req_write(r, submit_write, x, submit_then);
}

/* ---- withdrawing a campaign from review ---- */

struct withdraw {
    int64_t id, inst, now_ms, message;
    enum campaign_state state; /* OUT: the state that refused it */
    struct api_actor actor;
    json_t *out;
};

static enum store_rc withdraw_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct withdraw *x = ctx;
    enum store_rc rc =
        campaign_action_check(c, x->id, x->inst, x->now_ms, CAMPAIGN_WITHDRAW, &x->state, err);
    struct store_val u[] = {SV_INT(x->id), SV_INT(x->inst)};
    int64_t changed = 0;
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE campaigns SET status = 'draft' WHERE id = ? AND institution_id = "
                        "? AND status = 'pending'",
                        u, 2, &changed, err);
    ASSERT(rc != STORE_OK || changed == 1);
    if (rc == STORE_OK)
        rc = drop_held_message(c, x->id, &x->message, err);
    return rc == STORE_OK
               ? audit_and_load(c, &x->actor, x->id, x->inst, x->now_ms, "campaign.withdraw",
                                json_pack("{s:o}", "message_id", json_id_or_null(x->message)),
                                &x->out, err)
               : rc;
}

static void withdraw_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    const struct withdraw *x = r->write.ctx;
    reply_changed(r, rc, err, x->out, x->state);
}

void api_inst_campaign_withdraw(struct req *r)
{
    struct withdraw *x = arena_zalloc(&r->arena, sizeof(*x));
    struct campaign_state_row k;
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id))
        return;
    x->inst = r->sess.institution_id;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    struct store_conn *c = req_reader_or_reply(r);
    if (c != NULL && campaign_action_or_reply(r, c, x->id, CAMPAIGN_WITHDRAW, &k))
        req_write(r, withdraw_write, x, withdraw_then);
}

/* ---- stopping an approved campaign early ---- */

struct stop {
    int64_t id, inst, by, now_ms;
    const char *reason;
    enum campaign_state state; /* OUT: the state it was stopped in, or that refused it */
    struct api_actor actor;
    json_t *out;
};

static enum store_rc stop_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct stop *x = ctx;
    enum store_rc rc =
        campaign_action_check(c, x->id, x->inst, x->now_ms, CAMPAIGN_STOP, &x->state, err);
    struct store_val u[] = {SV_INT(x->now_ms), SV_INT(x->by), SV_TEXT(x->reason), SV_INT(x->id),
                            SV_INT(x->inst)};
    int64_t changed = 0;
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE campaigns SET stopped_ms = ?, stopped_by = ?, stop_reason = ? "
                        "WHERE id = ? AND institution_id = ? AND status = 'approved' AND "
                        "stopped_ms IS NULL",
                        u, 5, &changed, err);
    ASSERT(rc != STORE_OK || changed == 1);
    /* A segment message approved before its first day and not delivered yet: its message goes
     * with the stop. */
    int64_t message = 0;
    if (rc == STORE_OK)
        rc = drop_held_message(c, x->id, &message, err);
    return rc == STORE_OK ? audit_and_load(c, &x->actor, x->id, x->inst, x->now_ms, "campaign.stop",
                                           json_pack("{s:s,s:s}", "reason", x->reason, "from",
                                                     campaign_state_name(x->state)),
                                           &x->out, err)
                          : rc;
}

static void stop_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    const struct stop *x = r->write.ctx;
    reply_changed(r, rc, err, x->out, x->state);
}

/* {"reason": "..."}: 1 to LIMIT_CAMPAIGN_STOP_REASON_CHARS_MAX characters that show something. */
static bool stop_reason_or_reply(struct req *r, struct stop *x)
{
    json_t *j = req_json_or_reply(r);
    struct field f[] = {
        FIELD_STR("reason", true, 1, LIMIT_CAMPAIGN_STOP_REASON_CHARS_MAX, &x->reason, NULL),
    };
    struct api_text_field t[] = {{"reason", NULL, false}};
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return false;
    t[0].text = x->reason;
    return api_texts_ok_or_reply(r, t, ARRAY_LEN(t));
}

void api_inst_campaign_stop(struct req *r)
{
    struct stop *x = arena_zalloc(&r->arena, sizeof(*x));
    struct campaign_state_row k;
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id))
        return;
    x->inst = r->sess.institution_id;
    x->by = r->sess.user_id;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    struct store_conn *c = req_reader_or_reply(r);
    if (c != NULL && campaign_action_or_reply(r, c, x->id, CAMPAIGN_STOP, &k) &&
        stop_reason_or_reply(r, x))
        req_write(r, stop_write, x, stop_then);
}
