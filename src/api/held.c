/*
 * held.c: texts investors write (a question to a zone, a comment on content): what writing
 * one shares, and a reviewer's decision on one the check held: publish or reject it, record
 * the decision, audit it and tell the author, all in one write. What differs between the
 * kinds is in struct api_held_kind.
 */
#include "api/api.h"
#include "api/compliance.h"

#include "base/crypto.h"

#include "base/check.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HELD_QUOTE_CHARS 40 /* of the text, in its author's notification */

struct held_decision {
    const struct api_held_kind *k;
    int64_t id, inst, author, now_ms;
    bool approve;
    const char *reason;
    struct api_actor actor;
    char quote[HELD_QUOTE_CHARS * UTF8_SEQ_MAX + sizeof("…")];
};

static int take_held(void *ctx, const struct store_row *row)
{
    struct held_decision *x = ctx;
    x->inst = store_row_int(row, 0);
    x->author = store_row_int(row, 1);
    api_excerpt(store_row_text(row, 2, NULL), HELD_QUOTE_CHARS, x->quote, sizeof(x->quote));
    return 1;
}

static enum store_rc held_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct held_decision *x = ctx;
    const struct api_held_kind *k = x->k;
    struct store_val q[] = {SV_INT(x->id)};
    x->inst = 0;
    enum store_rc rc = store_query(c, k->select_sql, q, 1, take_held, x, err);
    if (rc == STORE_OK && x->inst == 0)
        return api_abort(err, API_ABORT_NOT_FOUND, "no held %s %lld", k->name, (long long)x->id);
    /* ?1 status, ?2 approve, ?3 published time, ?4 decision time, ?5 id */
    struct store_val u[] = {SV_TEXT(x->approve ? "published" : "rejected"), SV_INT(x->approve),
                            SV_INT(x->now_ms), SV_INT(x->now_ms), SV_INT(x->id)};
    if (rc == STORE_OK)
        rc = store_exec(c, k->update_sql, u, 5, NULL, err);
    char subject[48], action[48];
    snprintf(subject, sizeof(subject), "%s:%lld", k->name, (long long)x->id);
    snprintf(action, sizeof(action), "%s.decide", k->name);
    if (rc == STORE_OK)
        rc = api_moderation(c, subject, x->inst, x->approve ? "approve" : "reject", x->reason,
                            x->actor.user_id, x->now_ms, err);
    json_t *d = json_pack("{s:b,s:s}", "approve", x->approve, "reason", x->reason);
    if (rc == STORE_OK)
        rc = api_audit(c, &x->actor, x->inst, action, subject, d, x->now_ms, err);
    json_decref(d);
    if (rc != STORE_OK)
        return rc;
    if (x->approve)
        return api_notify(c, x->author, k->approved_kind, subject, x->now_ms, err,
                          "您的%s「%s」已通过审核并已公开。审核意见：%s", k->noun, x->quote,
                          x->reason);
    return api_notify(c, x->author, k->rejected_kind, subject, x->now_ms, err,
                      "您的%s「%s」未通过审核，不会公开。理由：%s", k->noun, x->quote, x->reason);
}

static void held_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct held_decision *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:o,s:s}", "id", json_id(x->id), "status",
                             x->approve ? "published" : "rejected"));
}

void api_held_decide(struct req *r, const struct api_held_kind *k)
{
    struct held_decision *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id) ||
        !api_decision_or_reply(r, &x->approve, &x->reason))
        return;
    x->k = k;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, held_write, x, held_then);
}

bool api_new_text_or_reply(struct req *r, struct api_new_text *t)
{
    struct api_text_field f[] = {{"body", t->body, false}};
    if (!api_texts_ok_or_reply(r, f, 1) ||
        !api_checked_or_reply(r, "body", t->body, &t->verdict, &t->check))
        return false;
    t->id = crypto_random_id();
    t->investor = r->sess.user_id;
    t->now_ms = r->now_ms;
    return true;
}

void api_new_text_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct api_new_text *t = r->write.ctx;
    free(t->check);
    if (rc != STORE_OK) {
        json_decref(t->out);
        if (rc == STORE_ABORT && err->code == API_ABORT_RATE)
            api_rate_limited(r, t->retry_s, err->msg);
        else
            api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 201, json_pack("{s:o}", t->member, t->out));
}
