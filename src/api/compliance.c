/*
 * compliance.c: the compliance check of the running process (see compliance.h).
 *
 * The lexicon in force is the newest row of lexicon_versions, or the built-in default
 * (version 0) while operators have published none. It is compiled once per version and
 * shared read-only by every thread; each thread keeps its own scratch, released when the
 * thread exits. Old versions stay allocated (a handful a year) so that a check running on
 * one while a new version arrives never loses it.
 */
#include "api/compliance.h"

#include "base/check.h"
#include "base/log.h"
#include "core/lexicon.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define VERSIONS_KEPT    64
#define MATCHES_PER_TEXT 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct lexicon *loaded[VERSIONS_KEPT];
static int64_t loaded_version[VERSIONS_KEPT];
static size_t loaded_n;
static bool current_valid;
static size_t current; /* index into loaded */

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void free_scratch(void *p)
{
    lexicon_scratch_free(p);
}

static void make_key(void)
{
    ASSERT(pthread_key_create(&scratch_key, free_scratch) == 0);
}

const char *compliance_verdict_name(enum compliance_verdict v)
{
    static const char *const names[] = {"pass", "review", "block"};
    ASSERT(v >= COMPLIANCE_PASS && v <= COMPLIANCE_BLOCK);
    return names[v];
}

void compliance_invalidate(void)
{
    pthread_mutex_lock(&lock);
    current_valid = false;
    pthread_mutex_unlock(&lock);
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

/* Builds a lexicon from stored JSON [{term, severity, category}]. */
static struct lexicon *build_stored(json_t *terms, struct store_err *err)
{
    size_t n = json_array_size(terms);
    struct lex_term *t = calloc(n ? n : 1, sizeof(*t));
    struct lexicon *lex = NULL;
    struct lex_error le;
    size_t i;
    json_t *o;
    bool ok = t != NULL && n > 0;
    json_array_foreach(terms, i, o) {
        t[i].text = json_string_value(json_object_get(o, "term"));
        t[i].category = json_string_value(json_object_get(o, "category"));
        const char *sev = json_string_value(json_object_get(o, "severity"));
        ok = ok && sev != NULL && lex_severity_parse(sev, &t[i].severity);
    }
    if (!ok || lexicon_build(t, n, &lex, &le) != LEX_OK)
        store_fail(err, STORE_ERROR, "the stored lexicon cannot be built");
    free(t);
    return lex;
}

/* Loads the version in force if it is not the current one. Under lock. */
static enum store_rc refresh(struct store *s, struct store_err *err)
{
    struct store_conn *c = store_reader(s, err);
    if (c == NULL)
        return STORE_ERROR;
    struct stored st = {0, NULL};
    enum store_rc rc = store_query(c,
                                   "SELECT version, terms FROM lexicon_versions ORDER BY version "
                                   "DESC LIMIT 1",
                                   NULL, 0, take_stored, &st, err);
    for (size_t i = 0; rc == STORE_OK && i < loaded_n; i++) {
        if (loaded_version[i] == st.version) {
            current = i;
            current_valid = true;
            json_decref(st.terms);
            return STORE_OK;
        }
    }
    struct lexicon *lex = NULL;
    if (rc == STORE_OK && st.version == 0) {
        size_t n = 0;
        const struct lex_term *t = lexicon_default_terms(&n);
        struct lex_error le;
        if (lexicon_build(t, n, &lex, &le) != LEX_OK)
            rc = store_fail(err, STORE_ERROR, "the built-in lexicon cannot be built: %s", le.msg);
    } else if (rc == STORE_OK) {
        lex = build_stored(st.terms, err);
        rc = lex ? STORE_OK : STORE_ERROR;
    }
    json_decref(st.terms);
    if (rc == STORE_OK && loaded_n == VERSIONS_KEPT)
        rc = store_fail(err, STORE_ERROR, "too many lexicon versions in one run; restart");
    if (rc != STORE_OK) {
        lexicon_free(lex);
        return rc;
    }
    loaded[loaded_n] = lex;
    loaded_version[loaded_n] = st.version;
    current = loaded_n++;
    current_valid = true;
    return STORE_OK;
}

/* The lexicon in force and its version. */
static enum store_rc lexicon_in_force(struct store *s, const struct lexicon **lex, int64_t *version,
                                      struct store_err *err)
{
    pthread_mutex_lock(&lock);
    enum store_rc rc = current_valid ? STORE_OK : refresh(s, err);
    if (rc == STORE_OK) {
        *lex = loaded[current];
        *version = loaded_version[current];
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

static struct lex_scratch *thread_scratch(const struct lexicon *lex)
{
    pthread_once(&scratch_once, make_key);
    struct lex_scratch *sc = pthread_getspecific(scratch_key);
    if (sc == NULL) {
        if (lexicon_scratch_new(lex, LIMIT_CHECK_TEXT_BYTES_MAX, &sc) != LEX_OK)
            return NULL;
        pthread_setspecific(scratch_key, sc);
        return sc;
    }
    return lexicon_scratch_attach(lex, sc) == LEX_OK ? sc : NULL;
}

/* Appends the matches of one text to arr; raises *worst. */
static void add_matches(json_t *arr, const struct lexicon *lex, const struct compliance_text *t,
                        const struct lex_match *m, size_t n, enum lex_severity *worst,
                        enum lex_severity text_worst)
{
    for (size_t i = 0; i < n; i++) {
        const struct lex_term *term = lexicon_term(lex, m[i].term);
        json_array_append_new(
            arr, json_pack("{s:s,s:i,s:i,s:s%,s:s,s:s,s:s}", "field", t->field, "start",
                           (int)m[i].start, "end", (int)m[i].end, "text", t->text + m[i].start,
                           (size_t)(m[i].end - m[i].start), "term", term->text, "severity",
                           lex_severity_name(m[i].severity), "category", m[i].category));
    }
    if (text_worst > *worst)
        *worst = text_worst;
}

enum store_rc compliance_run(struct store *s, const struct compliance_text *t, size_t n,
                             struct compliance_result *out, struct store_err *err)
{
    const struct lexicon *lex = NULL;
    memset(out, 0, sizeof(*out));
    enum store_rc rc = lexicon_in_force(s, &lex, &out->lexicon_version, err);
    if (rc != STORE_OK)
        return rc;
    struct lex_scratch *sc = thread_scratch(lex);
    if (sc == NULL)
        return store_fail(err, STORE_ERROR, "cannot allocate the compliance check's scratch");
    json_t *matches = json_array();
    enum lex_severity worst = LEX_NONE;
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        struct lex_match m[MATCHES_PER_TEXT];
        struct lex_result res;
        enum lex_rc lr = lexicon_check(lex, sc, t[i].text, t[i].len, m, MATCHES_PER_TEXT, &res);
        if (lr != LEX_OK) {
            json_decref(matches);
            return store_fail(err, STORE_ERROR, "compliance check of '%s' failed: %s", t[i].field,
                              lex_rc_str(lr));
        }
        add_matches(matches, lex, &t[i], m, res.n_stored, &worst, res.worst);
        total += res.n_matches;
    }
    out->verdict = worst == LEX_BLOCK    ? COMPLIANCE_BLOCK
                   : worst == LEX_REVIEW ? COMPLIANCE_REVIEW
                                         : COMPLIANCE_PASS;
    out->json = json_pack("{s:I,s:s,s:I,s:o}", "lexicon_version", (json_int_t)out->lexicon_version,
                          "verdict", compliance_verdict_name(out->verdict), "match_count",
                          (json_int_t)total, "matches", matches);
    return STORE_OK;
}
