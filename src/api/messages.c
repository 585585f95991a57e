/*
 * messages.c: an institution's messages to investors, as its staff send them and as
 * reviewers decide them.
 *
 * A message goes to the institution's followers, or to the holders of its products (all of
 * them, or one). It passes the compliance check like content: clean, it is delivered at
 * once; with a review-severity match it waits for a reviewer; a blocking match is refused
 * with the spans. Delivery never fans out: the message is stored once and the inbox
 * (inbox.c) decides who sees it when an investor reads, so a million followers cost the
 * send nothing.
 *
 * An institution may reach one investor with at most LIMIT_MESSAGES_PER_DAY messages a
 * UTC+8 day. Any of its messages may reach any of its followers, so the limit is counted
 * per institution: messages delivered today plus every message still waiting for a
 * reviewer (it may be delivered today). Approving moves a message from waiting to
 * delivered today, so the sum never grows past the limit after the send checked it.
 */
#include "api/api.h"
#include "api/compliance.h"
#include "api/handlers.h"
#include "api/messages.h"

#include "base/check.h"
#include "base/civil.h"
#include "base/crypto.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS_PER_DAY INT64_C(86400000)

#define MESSAGE_COLS                                                                \
    "m.id, m.institution_id, m.audience, m.product_id, m.title, m.body, m.status, " \
    "m.check_result, m.reach, m.created_by, m.created_ms, m.sent_ms, m.decided_ms, m.reason"

static json_t *opt_int(const struct store_row *row, int col)
{
    return store_row_is_null(row, col) ? json_null() : json_integer(store_row_int(row, col));
}

static json_t *message_json(const struct store_row *row)
{
    json_t *check = json_loads(store_row_text(row, 7, NULL), 0, NULL);
    json_t *o = json_pack(
        "{s:o,s:o,s:s,s:o,s:s,s:s,s:s,s:o,s:I,s:o,s:I}", "id", json_id(store_row_int(row, 0)),
        "institution_id", json_id(store_row_int(row, 1)), "audience", store_row_text(row, 2, NULL),
        "product_id", json_id_or_null(store_row_int(row, 3)), "title", store_row_text(row, 4, NULL),
        "body", store_row_text(row, 5, NULL), "status", store_row_text(row, 6, NULL), "check",
        check ? check : json_object(), "reach", (json_int_t)store_row_int(row, 8), "created_by",
        json_id(store_row_int(row, 9)), "created_ms", (json_int_t)store_row_int(row, 10));
    json_object_set_new(o, "sent_ms", opt_int(row, 11));
    json_object_set_new(o, "decided_ms", opt_int(row, 12));
    json_object_set_new(o, "reason",
                        store_row_is_null(row, 13) ? json_null()
                                                   : json_string(store_row_text(row, 13, NULL)));
    return o;
}

static int take_message(void *ctx, const struct store_row *row)
{
    *(json_t **)ctx = message_json(row);
    return 1;
}

static enum store_rc load_message(struct store_conn *c, int64_t id, json_t **out,
                                  struct store_err *err)
{
    struct store_val p[] = {SV_INT(id)};
    return store_query(c, "SELECT " MESSAGE_COLS " FROM messages m WHERE m.id = ?", p, 1,
                       take_message, out, err);
}

/*
 * The delivery time of a message delivered now: the clock, or one millisecond after the
 * latest delivery when the clock has not moved past it. Delivery times are then strictly
 * increasing in the writer's order, so "every message delivered up to T" (the inbox's
 * mark-all-read) can never include a message delivered after it was set.
 */
enum store_rc api_message_delivery_ms(struct store_conn *c, int64_t now_ms, int64_t *out,
                                      struct store_err *err)
{
    int64_t last = 0;
    enum store_rc rc = store_query_int(c, "SELECT max(sent_ms) FROM messages", NULL, 0, &last, err);
    if (rc == STORE_DONE)
        rc = STORE_OK;
    *out = last >= now_ms ? last + 1 : now_ms;
    return rc;
}

/* ---- sending ---- */

struct send {
    int64_t id, inst, product, by, now_ms, reach;
    const char *audience, *title, *body;
    char *check;
    enum compliance_verdict verdict;
    struct api_actor actor;
    int64_t resets_ms; /* OUT: when the daily limit refused it */
    json_t *out;
};

/* Messages that may reach an investor today: delivered today, or waiting for a reviewer. */
enum store_rc api_message_within_limit(struct store_conn *c, int64_t inst, int64_t now_ms,
                                       int64_t *resets_ms, struct store_err *err)
{
    int64_t day_start = civil_ms_of_cst(civil_date_of_ms_cst(now_ms), 0, 0, 0);
    int64_t today = 0;
    struct store_val q[] = {SV_INT(inst), SV_INT(day_start)};
    enum store_rc rc = store_query_int(c,
                                       "SELECT (SELECT count(*) FROM messages WHERE "
                                       "institution_id = ?1 AND status = 'held') + (SELECT "
                                       "count(*) FROM messages WHERE institution_id = ?1 AND "
                                       "status = 'delivered' AND sent_ms >= ?2)",
                                       q, 2, &today, err);
    if (rc == STORE_OK && today >= LIMIT_MESSAGES_PER_DAY) {
        *resets_ms = day_start + MS_PER_DAY;
        return api_abort(err, API_ABORT_LIMIT,
                         "your institution may send at most %d messages a day (UTC+8), "
                         "messages waiting for review included",
                         LIMIT_MESSAGES_PER_DAY);
    }
    return rc;
}

void api_message_limit_reply(struct req *r, const struct store_err *err, int64_t resets_ms,
                             int64_t now_ms)
{
    char at[CIVIL_ISO_CAP], secs[24];
    civil_format_ms_iso(resets_ms, at, sizeof(at));
    snprintf(secs, sizeof(secs), "%lld", (long long)((resets_ms - now_ms + 999) / 1000));
    req_problem_with(
        r, 429, "limit_exceeded",
        json_pack("{s:i,s:I}", "limit", LIMIT_MESSAGES_PER_DAY, "resets_ms", (json_int_t)resets_ms),
        "%s; the count starts again at %s", err->msg, at);
    req_add_header(r, "Retry-After", secs);
}

static enum store_rc send_insert(struct store_conn *c, struct send *x, struct store_err *err)
{
    bool pass = x->verdict == COMPLIANCE_PASS;
    int64_t sent = 0;
    enum store_rc rc = pass ? api_message_delivery_ms(c, x->now_ms, &sent, err) : STORE_OK;
    struct store_val p[] = {SV_INT(x->id),
                            SV_INT(x->inst),
                            SV_TEXT(x->audience),
                            SV_INT_OR_NULL(x->product),
                            SV_TEXT(x->title),
                            SV_TEXT(x->body),
                            SV_TEXT(pass ? "delivered" : "held"),
                            SV_TEXT(x->check),
                            SV_INT(x->reach),
                            SV_INT(x->by),
                            SV_INT(x->now_ms),
                            pass ? SV_INT(sent) : SV_NULL_};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "INSERT INTO messages (id, institution_id, audience, product_id, title, "
                        "body, status, check_result, reach, created_by, created_ms, sent_ms) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        p, 12, NULL, err);
    return rc;
}

static enum store_rc send_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct send *x = ctx;
    int64_t one = 0;
    struct store_val z[] = {SV_INT(x->inst)};
    enum store_rc rc = store_query_int(c,
                                       "SELECT 1 FROM institutions WHERE id = ? AND status IN "
                                       "('pilot', 'live')",
                                       z, 1, &one, err);
    if (rc == STORE_DONE)
        return api_abort(err, API_ABORT_CONFLICT,
                         "your institution is not open to investors: it has no one to message");
    if (rc == STORE_OK)
        rc = api_message_within_limit(c, x->inst, x->now_ms, &x->resets_ms, err);
    if (rc == STORE_OK)
        rc = send_insert(c, x, err);
    char subject[48];
    snprintf(subject, sizeof(subject), "message:%lld", (long long)x->id);
    bool pass = x->verdict == COMPLIANCE_PASS;
    if (rc == STORE_OK)
        rc = api_moderation(c, subject, x->inst, pass ? "auto_pass" : "auto_hold",
                            "compliance check", 0, x->now_ms, err);
    json_t *d = json_pack("{s:s,s:s,s:I}", "audience", x->audience, "status",
                          pass ? "delivered" : "held", "reach", (json_int_t)x->reach);
    if (rc == STORE_OK)
        rc = api_audit(c, &x->actor, x->inst, "message.send", subject, d, x->now_ms, err);
    json_decref(d);
    return rc == STORE_OK ? load_message(c, x->id, &x->out, err) : rc;
}

static void send_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct send *x = r->write.ctx;
    free(x->check);
    if (rc == STORE_ABORT && err->code == API_ABORT_LIMIT) {
        api_message_limit_reply(r, err, x->resets_ms, x->now_ms);
        return;
    }
    if (rc != STORE_OK) {
        json_decref(x->out);
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 201, json_pack("{s:o}", "message", x->out));
}

/* The title and body through the compliance check; a blocking match answers 422. */
static bool checked_or_reply(struct req *r, struct send *x)
{
    struct compliance_text t[] = {
        {"title", x->title, strlen(x->title)},
        {"body", x->body, strlen(x->body)},
    };
    struct compliance_result res;
    struct store_err err;
    enum store_rc rc = compliance_run(r->store, t, ARRAY_LEN(t), &res, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return false;
    }
    if (res.verdict == COMPLIANCE_BLOCK) {
        req_problem_with(r, 422, "compliance_blocked", json_pack("{s:o}", "check", res.json),
                         "the message contains wording that may not be sent; see the matches");
        return false;
    }
    x->verdict = res.verdict;
    x->check = json_dumps(res.json, JSON_COMPACT);
    json_decref(res.json);
    return x->check != NULL;
}

/* Who of the audience a, by investor id, still counts: not muting the zone (?1) and, for a
 * segment message (?3), not opted out of personalised marketing. */
#define REACH_KEEP(a)                                                                          \
    "NOT EXISTS (SELECT 1 FROM zone_mutes z WHERE z.investor_id = " a ".investor_id AND "      \
    "z.institution_id = ?1) AND (?3 = 0 OR NOT EXISTS (SELECT 1 FROM marketing_prefs m WHERE " \
    "m.investor_id = " a ".investor_id AND m.opted_out = 1))"

enum store_rc api_message_reach(struct store_conn *c, int64_t inst, bool holders, int64_t product,
                                bool marketing, int64_t *reach, struct store_err *err)
{
    struct store_val p[] = {SV_INT(inst), SV_INT(product), SV_INT(marketing ? 1 : 0)};
    if (!holders)
        return store_query_int(
            c, "SELECT count(*) FROM follows f WHERE f.institution_id = ?1 AND " REACH_KEEP("f"), p,
            3, reach, err);
    return store_query_int(
        c,
        "SELECT count(*) FROM (SELECT DISTINCT l.investor_id FROM products p "
        "JOIN share_lots l ON l.product_id = p.id AND l.shares_h > 0 WHERE "
        "p.institution_id = ?1 AND (?2 = 0 OR p.id = ?2)) h WHERE " REACH_KEEP("h"),
        p, 3, reach, err);
}

/*
 * Who the message would reach now: followers, or holders of the product(s), less those
 * who muted the zone. One count on the reader, before the write: the writer is never
 * held up by a large audience.
 */
static bool reach_or_reply(struct req *r, struct send *x)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return false;
    struct store_err err;
    enum store_rc rc =
        api_message_reach(c, x->inst, x->audience[0] == 'h', x->product, false, &x->reach, &err);
    if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    return rc == STORE_OK;
}

/* A product named for a holders message must be one of the caller's institution's. */
static bool own_product_or_reply(struct req *r, struct send *x)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return false;
    int64_t one = 0;
    struct store_err err;
    struct store_val p[] = {SV_INT(x->product), SV_INT(x->inst)};
    enum store_rc rc = store_query_int(
        c, "SELECT 1 FROM products WHERE id = ? AND institution_id = ?", p, 2, &one, &err);
    if (rc == STORE_DONE)
        req_problem(r, 422, "invalid_field", "product_id",
                    "field 'product_id' must be a product of your institution");
    else if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    return rc == STORE_OK;
}

/* The fields of a send, read and checked; answers 422 itself. */
static bool fields_or_reply(struct req *r, struct send *x)
{
    json_t *j = req_json_or_reply(r);
    const char *product = NULL;
    struct field f[] = {
        FIELD_STR("audience", true, 1, 16, &x->audience, NULL),
        FIELD_STR("product_id", false, 1, 20, &product, NULL),
        FIELD_STR("title", true, 1, LIMIT_MESSAGE_TITLE_CHARS_MAX, &x->title, NULL),
        FIELD_STR("body", true, 1, LIMIT_MESSAGE_BODY_CHARS_MAX, &x->body, NULL),
    };
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return false;
    bool holders = strcmp(x->audience, "holders") == 0;
    if (!holders && strcmp(x->audience, "followers") != 0) {
        req_problem(r, 422, "invalid_field", "audience",
                    "field 'audience' must be followers or holders");
        return false;
    }
    if (product != NULL && !holders) {
        req_problem(r, 422, "invalid_field", "product_id",
                    "field 'product_id' names the product whose holders are the audience; "
                    "followers need none");
        return false;
    }
    if (product != NULL && !api_id_or_reply(r, "product_id", product, &x->product))
        return false;
    struct api_text_field t[] = {{"title", x->title, true}, {"body", x->body, false}};
    return api_texts_ok_or_reply(r, t, ARRAY_LEN(t));
}

void api_inst_message_send(struct req *r)
{
    struct send *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL)
        return;
    x->inst = r->sess.institution_id;
    if (!fields_or_reply(r, x) || (x->product != 0 && !own_product_or_reply(r, x)) ||
        !reach_or_reply(r, x) || !checked_or_reply(r, x))
        return;
    x->id = crypto_random_id();
    x->by = r->sess.user_id;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, send_write, x, send_then);
}

/* ---- the institution's list ---- */

static json_t *own_message(const struct store_row *row, struct cursor *key)
{
    key->ms = store_row_int(row, 10);
    key->id = store_row_int(row, 0);
    return message_json(row);
}

/* The institution's messages, newest first, whatever their status, with their reach. */
void api_inst_messages(struct req *r)
{
    struct api_page page;
    if (!api_page_or_reply(r, &page))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *items = json_array(), *next = NULL;
    struct store_err err;
    struct store_val p[] = {SV_INT(r->sess.institution_id), SV_INT(page.after.ms),
                            SV_INT(page.after.id), SV_INT(page.limit + 1)};
    enum store_rc rc = api_page_read(c,
                                     "SELECT " MESSAGE_COLS " FROM messages m WHERE "
                                     "m.institution_id = ?1 AND (m.created_ms < ?2 OR "
                                     "(m.created_ms = ?2 AND m.id < ?3)) ORDER BY m.created_ms "
                                     "DESC, m.id DESC LIMIT ?4",
                                     p, 4, &page, own_message, items, &next, &err);
    if (rc != STORE_OK) {
        json_decref(items);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next_cursor", next));
}

/* ---- review ---- */

static int collect_review(void *arr, const struct store_row *row)
{
    json_t *m = message_json(row);
    json_object_set_new(m, "institution_name", json_string(store_row_text(row, 14, NULL)));
    json_array_append_new(arr, json_pack("{s:s,s:o}", "kind", "message", "item", m));
    return 0;
}

enum store_rc api_message_review_items(struct store_conn *c, json_t *items, struct store_err *err)
{
    struct store_val p[] = {SV_INT(LIMIT_PAGE_SIZE_MAX)};
    return store_query(c,
                       "SELECT " MESSAGE_COLS ", i.name FROM messages m JOIN institutions i ON "
                       "i.id = m.institution_id WHERE m.status = 'held' AND m.campaign_id IS NULL "
                       "ORDER BY m.created_ms, m.id LIMIT ?",
                       p, 1, collect_review, items, err);
}

struct m_decision {
    int64_t id, inst, author, now_ms;
    bool approve;
    const char *reason;
    char title[LIMIT_MESSAGE_TITLE_CHARS_MAX * UTF8_SEQ_MAX + 1];
    struct api_actor actor;
};

static int take_held(void *ctx, const struct store_row *row)
{
    struct m_decision *x = ctx;
    x->inst = store_row_int(row, 0);
    x->author = store_row_int(row, 1);
    snprintf(x->title, sizeof(x->title), "%s", store_row_text(row, 2, NULL));
    return 1;
}

static enum store_rc m_decide_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct m_decision *x = ctx;
    struct store_val q[] = {SV_INT(x->id)};
    x->inst = 0;
    enum store_rc rc = store_query(c,
                                   "SELECT institution_id, created_by, title FROM messages WHERE "
                                   "id = ? AND status = 'held' AND campaign_id IS NULL",
                                   q, 1, take_held, x, err);
    if (rc == STORE_OK && x->inst == 0)
        return api_abort(err, API_ABORT_NOT_FOUND, "no held message %lld", (long long)x->id);
    int64_t sent = 0;
    if (rc == STORE_OK && x->approve)
        rc = api_message_delivery_ms(c, x->now_ms, &sent, err);
    struct store_val u[] = {SV_TEXT(x->approve ? "delivered" : "rejected"),
                            x->approve ? SV_INT(sent) : SV_NULL_,
                            SV_INT(x->actor.user_id),
                            SV_INT(x->now_ms),
                            SV_TEXT(x->reason),
                            SV_INT(x->id)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE messages SET status = ?, sent_ms = ?, decided_by = ?, decided_ms "
                        "= ?, reason = ? WHERE id = ?",
                        u, 6, NULL, err);
    char subject[48];
    snprintf(subject, sizeof(subject), "message:%lld", (long long)x->id);
    if (rc == STORE_OK)
        rc = api_moderation(c, subject, x->inst, x->approve ? "approve" : "reject", x->reason,
                            x->actor.user_id, x->now_ms, err);
    json_t *d = json_pack("{s:b,s:s}", "approve", x->approve, "reason", x->reason);
    if (rc == STORE_OK)
        rc = api_audit(c, &x->actor, x->inst, "message.decide", subject, d, x->now_ms, err);
    json_decref(d);
    if (rc == STORE_OK && x->approve)
        rc = api_notify(c, x->author, "message_approved", subject, x->now_ms, err,
                        "消息「%s」已通过审核并已送达。审核意见：%s", x->title, x->reason);
    else if (rc == STORE_OK)
        rc = api_notify(c, x->author, "message_rejected", subject, x->now_ms, err,
                        "消息「%s」未通过审核，不会送达。理由：%s", x->title, x->reason);
    return rc;
}

static void m_decide_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct m_decision *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:o,s:s}", "id", json_id(x->id), "status",
                             x->approve ? "delivered" : "rejected"));
}

void api_ops_message_decide(struct req *r)
{
    struct m_decision *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id) ||
        !api_decision_or_reply(r, &x->approve, &x->reason))
        return;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, m_decide_write, x, m_decide_then);
}
