/*
 * questions.c: investors ask a zone; the institution answers.
 *
 * A question passes the compliance check before anyone sees it: clean, it is published;
 * with a review-severity match it waits for a reviewer; a blocking match is refused with
 * the spans. An investor may ask at most LIMIT_QUESTIONS_PER_DAY questions of one zone a day. The
 * institution's answer is checked too (it must pass: an answer is the institution's own
 * public word), and the delay from publication to answer is kept for the fair rule.
 */
#include "api/api.h"
#include "api/compliance.h"
#include "api/handlers.h"
#include "api/trading.h"

#include "base/check.h"
#include "base/crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS_PER_DAY INT64_C(86400000)

/* An answer taken down after a report shows as none. */
#define QUESTION_COLS                                                                           \
    "q.id, q.institution_id, q.body, q.status, q.created_ms, q.published_ms, CASE WHEN "        \
    "q.answer_taken_down_ms IS NULL THEN q.answer END, CASE WHEN q.answer_taken_down_ms IS "    \
    "NULL THEN q.answered_ms END, CASE WHEN q.answer_taken_down_ms IS NULL THEN q.response_ms " \
    "END, q.check_result"

static json_t *question_json(const struct store_row *row, bool with_check)
{
    json_t *o =
        json_pack("{s:o,s:o,s:s,s:s,s:I}", "id", json_id(store_row_int(row, 0)), "institution_id",
                  json_id(store_row_int(row, 1)), "body", store_row_text(row, 2, NULL), "status",
                  store_row_text(row, 3, NULL), "created_ms", (json_int_t)store_row_int(row, 4));
    json_object_set_new(o, "published_ms",
                        store_row_is_null(row, 5) ? json_null()
                                                  : json_integer(store_row_int(row, 5)));
    json_object_set_new(o, "answer",
                        store_row_is_null(row, 6) ? json_null()
                                                  : json_string(store_row_text(row, 6, NULL)));
    json_object_set_new(o, "answered_ms",
                        store_row_is_null(row, 7) ? json_null()
                                                  : json_integer(store_row_int(row, 7)));
    json_object_set_new(o, "response_ms",
                        store_row_is_null(row, 8) ? json_null()
                                                  : json_integer(store_row_int(row, 8)));
    if (with_check) {
        json_t *c = json_loads(store_row_text(row, 9, NULL), 0, NULL);
        json_object_set_new(o, "check", c ? c : json_object());
    }
    return o;
}

static int collect_public(void *arr, const struct store_row *row)
{
    json_array_append_new(arr, question_json(row, false));
    return 0;
}

static int collect_checked(void *arr, const struct store_row *row)
{
    json_array_append_new(arr, question_json(row, true));
    return 0;
}

/* Published questions of a zone, newest first, with their answers. */
void api_public_questions(struct req *r)
{
    int64_t id = 0;
    if (!req_param_id_or_reply(r, 0, &id))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    int64_t one = 0;
    struct store_err err;
    struct store_val z[] = {SV_INT(id)};
    enum store_rc rc = c ? store_query_int(c,
                                           "SELECT 1 FROM institutions WHERE id = ? AND status "
                                           "IN ('pilot', 'live')",
                                           z, 1, &one, &err)
                         : STORE_CLOSED;
    if (rc == STORE_DONE) {
        req_problem(r, 404, "not_found", NULL, "no zone %lld", (long long)id);
        return;
    }
    if (rc != STORE_OK) {
        if (c != NULL)
            req_store_problem(r, rc, &err);
        return;
    }
    struct store_val p[] = {SV_INT(id), SV_INT(LIMIT_PAGE_SIZE_DEFAULT)};
    api_reply_items(
        r,
        "SELECT " QUESTION_COLS " FROM questions q JOIN institutions i ON i.id = "
        "q.institution_id WHERE q.institution_id = ? AND q.status = 'published' AND i.status "
        "IN ('pilot', 'live') ORDER BY q.published_ms DESC, q.id DESC LIMIT ?",
        p, 2, collect_public);
}

/* The caller's institution's questions, unanswered first, oldest first. */
void api_inst_questions(struct req *r)
{
    struct store_val p[] = {SV_INT(r->sess.institution_id), SV_INT(LIMIT_PAGE_SIZE_MAX)};
    api_reply_items(r,
                    "SELECT " QUESTION_COLS
                    " FROM questions q WHERE q.institution_id = ? AND q.status = "
                    "'published' ORDER BY q.answered_ms IS NOT NULL AND q.answer_taken_down_ms IS "
                    "NULL, q.published_ms, q.id LIMIT ?",
                    p, 2, collect_public);
}

/* The caller's own questions, whatever their status, with their checks. */
void api_inv_questions(struct req *r)
{
    struct store_val p[] = {SV_INT(r->sess.user_id), SV_INT(LIMIT_PAGE_SIZE_MAX)};
    api_reply_items(r,
                    "SELECT " QUESTION_COLS " FROM questions q WHERE q.investor_id = ? ORDER BY "
                    "q.created_ms DESC, q.id DESC LIMIT ?",
                    p, 2, collect_checked);
}

/* ---- asking ---- */

struct ask {
    struct api_new_text t; /* must stay first: api_new_text_then reads it */
    int64_t inst;
};

static int take_question(void *ctx, const struct store_row *row)
{
    *(json_t **)ctx = question_json(row, true);
    return 1;
}

static enum store_rc load_question(struct store_conn *c, int64_t id, json_t **out,
                                   struct store_err *err)
{
    struct store_val p[] = {SV_INT(id)};
    return store_query(c, "SELECT " QUESTION_COLS " FROM questions q WHERE q.id = ?", p, 1,
                       take_question, out, err);
}

static enum store_rc ask_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct ask *x = ctx;
    int64_t oldest = 0;
    struct store_val q[] = {SV_INT(x->t.investor), SV_INT(x->inst),
                            SV_INT(x->t.now_ms - MS_PER_DAY), SV_INT(LIMIT_QUESTIONS_PER_DAY - 1)};
    /* The oldest of the last LIMIT_QUESTIONS_PER_DAY questions in the window, if there are
     * that many: one more may be asked when it leaves the window. */
    enum store_rc rc = store_query_int(c,
                                       "SELECT created_ms FROM questions WHERE investor_id = ? "
                                       "AND institution_id = ? AND created_ms > ? ORDER BY "
                                       "created_ms DESC LIMIT 1 OFFSET ?",
                                       q, 4, &oldest, err);
    if (rc == STORE_OK) {
        x->t.retry_s = api_retry_after_s(oldest, MS_PER_DAY, x->t.now_ms);
        return api_abort(err, API_ABORT_RATE,
                         "at most %d questions to one zone in 24 hours; please wait",
                         LIMIT_QUESTIONS_PER_DAY);
    }
    rc = rc == STORE_DONE ? STORE_OK : rc;
    int64_t one = 0;
    struct store_val z[] = {SV_INT(x->inst)};
    if (rc == STORE_OK)
        rc = store_query_int(c,
                             "SELECT 1 FROM institutions WHERE id = ? AND status IN ('pilot', "
                             "'live')",
                             z, 1, &one, err);
    if (rc == STORE_DONE)
        return api_abort(err, API_ABORT_NOT_FOUND, "no zone %lld", (long long)x->inst);
    bool pass = x->t.verdict == COMPLIANCE_PASS;
    struct store_val p[] = {SV_INT(x->t.id),
                            SV_INT(x->inst),
                            SV_INT(x->t.investor),
                            SV_TEXT(x->t.body),
                            SV_TEXT(pass ? "published" : "held"),
                            SV_TEXT(x->t.check),
                            SV_INT(x->t.now_ms),
                            pass ? SV_INT(x->t.now_ms) : SV_NULL_};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "INSERT INTO questions (id, institution_id, investor_id, body, status, "
                        "check_result, created_ms, published_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        p, 8, NULL, err);
    char subject[48];
    snprintf(subject, sizeof(subject), "question:%lld", (long long)x->t.id);
    if (rc == STORE_OK)
        rc = api_moderation(c, subject, x->inst, pass ? "auto_pass" : "auto_hold",
                            "compliance check", 0, x->t.now_ms, err);
    return rc == STORE_OK ? load_question(c, x->t.id, &x->t.out, err) : rc;
}

void api_inv_ask(struct req *r)
{
    json_t *j = req_json_or_reply(r);
    struct ask *x = arena_zalloc(&r->arena, sizeof(*x));
    const char *inst;
    struct field f[] = {
        FIELD_STR("institution_id", true, 1, 20, &inst, NULL),
        FIELD_STR("body", true, 1, LIMIT_QUESTION_CHARS_MAX, &x->t.body, NULL),
    };
    if (j == NULL || x == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)) ||
        !api_id_or_reply(r, "institution_id", inst, &x->inst))
        return;
    x->t.member = "question";
    if (api_new_text_or_reply(r, &x->t))
        req_write(r, ask_write, x, api_new_text_then);
}

/* ---- answering ---- */

struct answer {
    int64_t id, inst, by, now_ms;
    const char *body;
    struct api_actor actor;
    json_t *out;
};

static enum store_rc answer_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct answer *x = ctx;
    int64_t changed = 0;
    /* Only a published, unanswered question of the caller's own institution; one whose answer
     * was taken down may be answered again. */
    struct store_val p[] = {SV_TEXT(x->body),  SV_INT(x->by), SV_INT(x->now_ms),
                            SV_INT(x->now_ms), SV_INT(x->id), SV_INT(x->inst)};
    enum store_rc rc = store_exec(c,
                                  "UPDATE questions SET answer = ?, answered_by = ?, answered_ms "
                                  "= ?, response_ms = ? - published_ms, answer_taken_down_ms = "
                                  "NULL WHERE id = ? AND institution_id = ? AND status = "
                                  "'published' AND (answer IS NULL OR answer_taken_down_ms IS NOT "
                                  "NULL)",
                                  p, 6, &changed, err);
    if (rc == STORE_OK && changed == 0)
        return api_abort(err, API_ABORT_NOT_FOUND,
                         "no published, unanswered question %lld in your zone", (long long)x->id);
    char subject[48];
    snprintf(subject, sizeof(subject), "question:%lld", (long long)x->id);
    json_t *d = json_pack("{s:s}", "answer", x->body);
    if (rc == STORE_OK)
        rc = api_audit(c, &x->actor, x->inst, "question.answer", subject, d, x->now_ms, err);
    json_decref(d);
    return rc == STORE_OK ? load_question(c, x->id, &x->out, err) : rc;
}

static void answer_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct answer *x = r->write.ctx;
    if (rc != STORE_OK) {
        json_decref(x->out);
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    json_object_del(x->out, "check");
    req_reply_json(r, 200, json_pack("{s:o}", "question", x->out));
}

void api_inst_answer(struct req *r)
{
    struct answer *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id))
        return;
    json_t *j = req_json_or_reply(r);
    struct field f[] = {FIELD_STR("answer", true, 1, LIMIT_ANSWER_CHARS_MAX, &x->body, NULL)};
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    struct api_text_field t[] = {{"answer", x->body, false}};
    if (!api_texts_ok_or_reply(r, t, 1))
        return;
    enum compliance_verdict v = COMPLIANCE_PASS;
    char *check = NULL;
    if (!api_checked_or_reply(r, "answer", x->body, &v, &check))
        return;
    free(check);
    if (v != COMPLIANCE_PASS) { /* the institution's own public word must be clean */
        req_problem(r, 422, "compliance_review", "answer",
                    "the answer contains wording that needs review; rephrase it");
        return;
    }
    x->inst = r->sess.institution_id;
    x->by = r->sess.user_id;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, answer_write, x, answer_then);
}

/* ---- review ---- */

static int collect_review(void *arr, const struct store_row *row)
{
    json_array_append_new(
        arr, json_pack("{s:s,s:o}", "kind", "question", "item", question_json(row, true)));
    return 0;
}

enum store_rc api_question_review_items(struct store_conn *c, json_t *items, struct store_err *err)
{
    struct store_val p[] = {SV_INT(LIMIT_PAGE_SIZE_MAX)};
    return store_query(c,
                       "SELECT " QUESTION_COLS ", i.name FROM questions q JOIN institutions i ON "
                       "i.id = q.institution_id WHERE q.status = 'held' ORDER BY q.created_ms, "
                       "q.id LIMIT ?",
                       p, 1, collect_review, items, err);
}

static const struct api_held_kind held_question = {
    .name = "question",
    .noun = "提问",
    .select_sql = "SELECT institution_id, investor_id, body FROM questions WHERE id = ? AND "
                  "status = 'held'",
    .update_sql = "UPDATE questions SET status = ?1, published_ms = CASE WHEN ?2 = 1 THEN ?3 "
                  "END WHERE id = ?5", /* no decision time kept: ?4 unused */
    .approved_kind = "question_approved",
    .rejected_kind = "question_rejected",
};

void api_ops_question_decide(struct req *r)
{
    api_held_decide(r, &held_question);
}
