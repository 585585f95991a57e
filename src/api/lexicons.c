/*
 * lexicons.c: operators read and publish the compliance lexicon. A version is validated by
 * building it (empty, duplicate once normalised, too long, bad severity or category are
 * refused naming the term), stored whole, audited, and in force for the next check; texts
 * already checked keep the version they were checked with (in their check result).
 */
#include "api/api.h"
#include "api/compliance.h"
#include "api/handlers.h"

#include "base/check.h"
#include "core/lexicon.h"

#include <stdlib.h>
#include <string.h>

static json_t *terms_json(const struct lex_term *t, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "term", t[i].text, "severity",
                                           lex_severity_name(t[i].severity), "category",
                                           t[i].category));
    return a;
}

struct stored {
    int64_t version;
    json_t *terms;
};

static int take_stored(void *ctx, const struct store_row *row)
{
    struct stored *s = ctx;
    size_t len = 0;
    const char *t = store_row_text(row, 1, &len);
    s->version = store_row_int(row, 0);
    s->terms = json_loadb(t, len, 0, NULL);
    return 1;
}

void api_ops_lexicon(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct stored st = {0, NULL};
    struct store_err err;
    enum store_rc rc = store_query(c,
                                   "SELECT version, terms FROM lexicon_versions ORDER BY version "
                                   "DESC LIMIT 1",
                                   NULL, 0, take_stored, &st, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return;
    }
    if (st.terms == NULL) { /* none published: the built-in lexicon, version 0 */
        size_t n = 0;
        const struct lex_term *t = lexicon_default_terms(&n);
        st.terms = terms_json(t, n);
        st.version = 0;
    }
    req_reply_json(r, 200,
                   json_pack("{s:I,s:o}", "version", (json_int_t)st.version, "terms", st.terms));
}

struct lexicon_new {
    char *text;
    int64_t version, now_ms;
    size_t n;
    struct api_actor actor;
};

static enum store_rc publish_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct lexicon_new *x = ctx;
    enum store_rc rc = store_query_int(c,
                                       "SELECT COALESCE(MAX(version), 0) + 1 FROM "
                                       "lexicon_versions",
                                       NULL, 0, &x->version, err);
    struct store_val p[] = {SV_INT(x->version), SV_TEXT(x->text), SV_INT(x->actor.user_id),
                            SV_INT(x->now_ms)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "INSERT INTO lexicon_versions (version, terms, created_by, created_ms) "
                        "VALUES (?, ?, ?, ?)",
                        p, 4, NULL, err);
    json_t *d =
        json_pack("{s:I,s:I}", "version", (json_int_t)x->version, "terms", (json_int_t)x->n);
    if (rc == STORE_OK)
        rc = api_audit(c, &x->actor, 0, "lexicon.publish", "lexicon", d, x->now_ms, err);
    json_decref(d);
    return rc;
}

static void publish_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct lexicon_new *x = r->write.ctx;
    free(x->text);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, err);
        return;
    }
    compliance_invalidate();
    req_reply_json(
        r, 201,
        json_pack("{s:I,s:I}", "version", (json_int_t)x->version, "terms", (json_int_t)x->n));
}

/* Reads the terms; answers 422 naming the element for anything but {term, severity,
 * category}. */
static bool terms_or_reply(struct req *r, json_t *arr, struct lex_term *t)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        const char *k;
        json_t *v;
        bool ok = json_is_object(o) && json_object_size(o) == 3;
        json_object_foreach(o, k, v) {
            ok = ok && json_is_string(v) &&
                 (!strcmp(k, "term") || !strcmp(k, "severity") || !strcmp(k, "category"));
        }
        t[i].text = json_string_value(json_object_get(o, "term"));
        t[i].category = json_string_value(json_object_get(o, "category"));
        const char *sev = json_string_value(json_object_get(o, "severity"));
        if (!ok || sev == NULL || !lex_severity_parse(sev, &t[i].severity)) {
            req_problem(r, 422, "lexicon_invalid", "terms",
                        "terms[%zu] must be {term, severity: block|review, category}", i);
            return false;
        }
    }
    return true;
}

void api_ops_lexicon_publish(struct req *r)
{
    json_t *j = req_json_or_reply(r);
    struct lexicon_new *x = arena_zalloc(&r->arena, sizeof(*x));
    json_t *terms = NULL;
    struct field f[] = {FIELD_ARRAY("terms", true, 1, LEX_TERMS_MAX, &terms)};
    if (j == NULL || x == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    x->n = json_array_size(terms);
    struct lex_term *t = calloc(x->n, sizeof(*t));
    struct lexicon *lex = NULL;
    struct lex_error le;
    if (t == NULL) {
        req_problem(r, 503, "unavailable", NULL, "out of memory; try again");
        return;
    }
    bool ok = terms_or_reply(r, terms, t);
    if (ok && lexicon_build(t, x->n, &lex, &le) != LEX_OK) {
        req_problem_with(r, 422, "lexicon_invalid", json_pack("{s:i}", "term", (int)le.term), "%s",
                         le.msg);
        ok = false;
    }
    lexicon_free(lex);
    free(t);
    if (!ok)
        return;
    json_t *canon = json_array();
    json_array_extend(canon, terms);
    x->text = json_dumps(canon, JSON_COMPACT);
    json_decref(canon);
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    if (x->text == NULL) {
        req_problem(r, 503, "unavailable", NULL, "out of memory; try again");
        return;
    }
    req_write(r, publish_write, x, publish_then);
}
