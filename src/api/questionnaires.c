/* questionnaires.c: questionnaire versions between JSON, the store and core (see .h). */
#include "api/questionnaires.h"

#include "api/api.h"
#include "api/handlers.h"
#include "base/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *quest_def_json(const struct quest *q)
{
    json_t *qs = json_array(), *th = json_array();
    for (uint32_t i = 0; i < q->question_count; i++) {
        const struct quest_question *qq = &q->questions[i];
        json_t *opts = json_array();
        for (uint32_t k = 0; k < qq->option_count; k++)
            json_array_append_new(opts, json_pack("{s:s,s:i,s:b}", "text", qq->options[k].text,
                                                  "score", (int)qq->options[k].score,
                                                  "disqualifying", qq->options[k].disqualifying));
        json_array_append_new(
            qs, json_pack("{s:s,s:s,s:o}", "id", qq->id, "text", qq->text, "options", opts));
    }
    for (int i = 0; i < QUEST_THRESHOLDS; i++)
        json_array_append_new(th, json_integer(q->thresholds[i]));
    return json_pack("{s:o,s:o,s:i}", "questions", qs, "thresholds", th, "lowest_below",
                     (int)q->lowest_below);
}

/* True when o has no member outside keys; else a message naming it. */
static bool only_members(json_t *o, const char *const *keys, const char *where, char *msg,
                         size_t cap)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        bool known = false;
        for (const char *const *p = keys; *p; p++)
            known = known || strcmp(*p, k) == 0;
        if (!known) {
            snprintf(msg, cap, "%s has an unknown member '%s'", where, k);
            return false;
        }
    }
    return true;
}

static bool parse_question(json_t *o, struct quest_question *qq, size_t i, char *msg, size_t cap)
{
    static const char *const qkeys[] = {"id", "text", "options", NULL};
    static const char *const okeys[] = {"text", "score", "disqualifying", NULL};
    char where[80];
    snprintf(where, sizeof(where), "questions[%zu]", i);
    if (json_is_object(o) && !only_members(o, qkeys, where, msg, cap))
        return false;
    json_t *opts = json_object_get(o, "options");
    qq->id = json_string_value(json_object_get(o, "id"));
    qq->text = json_string_value(json_object_get(o, "text"));
    if (!json_is_object(o) || qq->id == NULL || qq->text == NULL || !json_is_array(opts) ||
        json_array_size(opts) > QUEST_OPTIONS_MAX) {
        snprintf(msg, cap, "questions[%zu] needs id, text and 2 to %d options", i,
                 QUEST_OPTIONS_MAX);
        return false;
    }
    size_t k;
    json_t *op;
    json_array_foreach(opts, k, op) {
        struct quest_option *qo = &qq->options[k];
        json_t *score = json_object_get(op, "score"), *dq = json_object_get(op, "disqualifying");
        snprintf(where, sizeof(where), "questions[%zu].options[%zu]", i, k);
        if (json_is_object(op) && !only_members(op, okeys, where, msg, cap))
            return false;
        qo->text = json_string_value(json_object_get(op, "text"));
        if (qo->text == NULL || !json_is_integer(score) || (dq && !json_is_boolean(dq)) ||
            json_integer_value(score) < INT32_MIN || json_integer_value(score) > INT32_MAX) {
            snprintf(msg, cap, "questions[%zu].options[%zu] needs text and an integer score", i, k);
            return false;
        }
        qo->score = (int32_t)json_integer_value(score);
        qo->disqualifying = json_is_true(dq);
    }
    qq->option_count = (uint32_t)json_array_size(opts);
    return true;
}

bool quest_def_parse(json_t *j, struct quest *q, char *msg, size_t cap)
{
    memset(q, 0, sizeof(*q));
    json_t *qs = json_object_get(j, "questions"), *th = json_object_get(j, "thresholds");
    json_t *lb = json_object_get(j, "lowest_below");
    if (!json_is_array(qs) || json_array_size(qs) > QUEST_QUESTIONS_MAX || !json_is_array(th) ||
        json_array_size(th) != QUEST_THRESHOLDS ||
        (lb && (!json_is_integer(lb) || json_integer_value(lb) < 0 ||
                json_integer_value(lb) > QUEST_TOTAL_MAX))) {
        snprintf(msg, cap,
                 "a questionnaire needs questions (at most %d), %d thresholds and an "
                 "integer lowest_below",
                 QUEST_QUESTIONS_MAX, QUEST_THRESHOLDS);
        return false;
    }
    size_t i;
    json_t *o;
    json_array_foreach(qs, i, o) {
        if (!parse_question(o, &q->questions[i], i, msg, cap))
            return false;
    }
    q->question_count = (uint32_t)json_array_size(qs);
    json_array_foreach(th, i, o) {
        if (!json_is_integer(o) || json_integer_value(o) < 0 ||
            json_integer_value(o) > QUEST_TOTAL_MAX) {
            snprintf(msg, cap, "thresholds[%zu] must be an integer from 0 to %d", i,
                     QUEST_TOTAL_MAX);
            return false;
        }
        q->thresholds[i] = (int32_t)json_integer_value(o);
    }
    q->lowest_below = lb ? (int32_t)json_integer_value(lb) : 0;
    struct quest_error qe;
    if (quest_validate(q, &qe) != QUEST_OK) {
        snprintf(msg, cap, "%s", qe.msg);
        return false;
    }
    return true;
}

struct stored {
    int64_t version;
    json_t *json;
};

static int take_stored(void *ctx, const struct store_row *row)
{
    struct stored *s = ctx;
    size_t len = 0;
    const char *text = store_row_text(row, 1, &len);
    s->version = store_row_int(row, 0);
    s->json = json_loadb(text, len, 0, NULL);
    return 1;
}

enum store_rc quest_def_current(struct store_conn *c, struct quest_def *out, struct store_err *err)
{
    memset(out, 0, sizeof(*out));
    struct stored s = {0, NULL};
    enum store_rc rc = store_query(c,
                                   "SELECT version, definition FROM questionnaires ORDER BY "
                                   "version DESC LIMIT 1",
                                   NULL, 0, take_stored, &s, err);
    if (rc != STORE_OK)
        return rc;
    if (s.version == 0) { /* nothing stored yet: the built-in version 1 */
        out->version = 1;
        out->q = *quest_default();
        out->json = quest_def_json(quest_default());
        return STORE_OK;
    }
    char msg[QUEST_ERR_BYTES];
    if (s.json == NULL || !quest_def_parse(s.json, &out->q, msg, sizeof(msg))) {
        json_decref(s.json);
        return store_fail(err, STORE_ERROR, "stored questionnaire %lld is damaged",
                          (long long)s.version);
    }
    out->version = s.version;
    out->json = s.json;
    return STORE_OK;
}

void quest_def_release(struct quest_def *d)
{
    if (d == NULL)
        return;
    json_decref(d->json);
    d->json = NULL;
}

json_t *quest_def_public(const struct quest_def *d)
{
    json_t *qs = json_array();
    for (uint32_t i = 0; i < d->q.question_count; i++) {
        const struct quest_question *qq = &d->q.questions[i];
        json_t *opts = json_array();
        for (uint32_t k = 0; k < qq->option_count; k++)
            json_array_append_new(
                opts, json_pack("{s:i,s:s}", "index", (int)k, "text", qq->options[k].text));
        json_array_append_new(
            qs, json_pack("{s:s,s:s,s:o}", "id", qq->id, "text", qq->text, "options", opts));
    }
    return json_pack("{s:I,s:o}", "version", (json_int_t)d->version, "questions", qs);
}

enum store_rc quest_def_ensure_stored(struct store_conn *c, struct store_err *err)
{
    json_t *j = quest_def_json(quest_default());
    char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    if (text == NULL)
        return store_fail(err, STORE_ERROR, "out of memory");
    struct store_val p[] = {SV_TEXT(text)};
    enum store_rc rc = store_exec(c,
                                  "INSERT INTO questionnaires (version, definition, created_ms) "
                                  "SELECT 1, ?, 0 WHERE NOT EXISTS (SELECT 1 FROM questionnaires)",
                                  p, 1, NULL, err);
    free(text);
    return rc;
}

/* ---- operators ---- */

void api_ops_questionnaire(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct quest_def d;
    struct store_err err;
    enum store_rc rc = quest_def_current(c, &d, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:I,s:O}", "version", (json_int_t)d.version, "definition", d.json));
    quest_def_release(&d);
}

struct quest_new {
    char *text;
    int64_t version, now_ms;
    struct api_actor actor;
};

static enum store_rc publish_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct quest_new *x = ctx;
    enum store_rc rc = quest_def_ensure_stored(c, err);
    if (rc == STORE_OK)
        rc = store_query_int(c, "SELECT MAX(version) + 1 FROM questionnaires", NULL, 0, &x->version,
                             err);
    struct store_val p[] = {SV_INT(x->version), SV_TEXT(x->text), SV_INT(x->actor.user_id),
                            SV_INT(x->now_ms)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "INSERT INTO questionnaires (version, definition, created_by, "
                        "created_ms) VALUES (?, ?, ?, ?)",
                        p, 4, NULL, err);
    if (rc != STORE_OK)
        return rc;
    json_t *d = json_pack("{s:I}", "version", (json_int_t)x->version);
    rc = api_audit(c, &x->actor, 0, "questionnaire.publish", "questionnaire", d, x->now_ms, err);
    json_decref(d);
    return rc;
}

static void publish_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct quest_new *x = r->write.ctx;
    free(x->text);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, err);
        return;
    }
    req_reply_json(r, 201, json_pack("{s:I}", "version", (json_int_t)x->version));
}

/* A new version takes effect at once for new answer sheets; sheets already answered keep
 * the version they answered (and their category until they expire). */
void api_ops_questionnaire_publish(struct req *r)
{
    json_t *j = req_json_or_reply(r);
    struct quest_new *x = arena_zalloc(&r->arena, sizeof(*x));
    json_t *qs = NULL, *th = NULL;
    int64_t lowest = 0;
    struct field f[] = {
        FIELD_ARRAY("questions", true, 1, QUEST_QUESTIONS_MAX, &qs),
        FIELD_ARRAY("thresholds", true, QUEST_THRESHOLDS, QUEST_THRESHOLDS, &th),
        FIELD_INT("lowest_below", false, &lowest),
    };
    if (j == NULL || x == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    struct quest q;
    char msg[QUEST_ERR_BYTES];
    if (!quest_def_parse(j, &q, msg, sizeof(msg))) {
        req_problem(r, 422, "questionnaire_invalid", NULL, "%s", msg);
        return;
    }
    json_t *canon = quest_def_json(&q);
    x->text = json_dumps(canon, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(canon);
    if (x->text == NULL) {
        req_problem(r, 503, "unavailable", NULL, "out of memory; try again");
        return;
    }
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, publish_write, x, publish_then);
}
