/* fair_json.c: rule versions and daily records between JSON and core/fairrule (see .h). */
#include "api/fair_json.h"

#include "api/api.h"
#include "base/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char fair_zero_hash[FAIR_HASH_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static bool fail(struct fair_err *err, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(struct fair_err *err, const char *field, const char *fmt, ...)
{
    snprintf(err->field, sizeof(err->field), "%s", field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return false;
}

/* ---- rules ---- */

static bool only_members(json_t *o, const char *const *keys, const char *prefix,
                         struct fair_err *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        bool known = false;
        for (const char *const *p = keys; *p; p++)
            known = known || strcmp(*p, k) == 0;
        if (!known) {
            char field[FAIR_FIELD_BYTES];
            snprintf(field, sizeof(field), "%s%s%.40s", prefix, *prefix ? "." : "", k);
            return fail(err, field, "%s is not a member of a rule", field);
        }
    }
    return true;
}

/* An integer member; absent is allowed only when !required (then *out is left alone). */
static bool take_int(json_t *o, const char *key, bool required, const char *prefix, int64_t *out,
                     struct fair_err *err)
{
    json_t *v = json_object_get(o, key);
    char field[FAIR_FIELD_BYTES];
    snprintf(field, sizeof(field), "%s%s%s", prefix, *prefix ? "." : "", key);
    if (v == NULL && !required)
        return true;
    if (!json_is_integer(v))
        return fail(err, field, "%s must be an integer", field);
    *out = (int64_t)json_integer_value(v);
    return true;
}

static bool parse_term(json_t *o, size_t i, struct fr_term *t, struct fair_err *err)
{
    static const char *const keys[] = {"metric", "weight",      "direction", "normalisation",
                                       "lo",     "missing_ppm", "hi",        NULL};
    char p[32], field[FAIR_FIELD_BYTES];
    snprintf(p, sizeof(p), "terms[%zu]", i);
    if (!json_is_object(o))
        return fail(err, p, "%s must be an object", p);
    if (!only_members(o, keys, p, err))
        return false;
    const char *metric = json_string_value(json_object_get(o, "metric"));
    snprintf(field, sizeof(field), "%s.metric", p);
    if (!fr_metric_parse(metric, &t->metric))
        return fail(err, field, "%s must be a metric of the catalogue (docs/fair-rule.md)", field);
    const char *dir = json_string_value(json_object_get(o, "direction"));
    snprintf(field, sizeof(field), "%s.direction", p);
    if (json_object_get(o, "direction") != NULL && dir == NULL)
        return fail(err, field, "%s must be \"higher\" or \"lower\"", field);
    t->direction = fr_metric_direction(t->metric);
    if (dir != NULL && strcmp(dir, "higher") != 0 && strcmp(dir, "lower") != 0)
        return fail(err, field, "%s must be \"higher\" or \"lower\"", field);
    if (dir != NULL)
        t->direction = dir[0] == 'h' ? FR_HIGHER : FR_LOWER;
    const char *norm = json_string_value(json_object_get(o, "normalisation"));
    snprintf(field, sizeof(field), "%s.normalisation", p);
    if (norm == NULL || (strcmp(norm, "range") != 0 && strcmp(norm, "relative") != 0))
        return fail(err, field, "%s must be \"range\" or \"relative\"", field);
    t->norm = norm[1] == 'a' ? FR_RANGE : FR_RELATIVE;
    bool range = t->norm == FR_RANGE;
    if (!range && (json_object_get(o, "lo") || json_object_get(o, "hi"))) {
        snprintf(field, sizeof(field), "%s.%s", p, json_object_get(o, "lo") ? "lo" : "hi");
        return fail(err, field, "%s: lo and hi belong to a range normalisation only", field);
    }
    return take_int(o, "weight", true, p, &t->weight, err) &&
           take_int(o, "lo", range, p, &t->lo, err) && take_int(o, "hi", range, p, &t->hi, err) &&
           take_int(o, "missing_ppm", true, p, &t->missing_ppm, err);
}

/* The field a failed fr_rule_check points at. */
static void check_field(const struct fr_rule *r, enum fr_rc rc, int term, char *out, size_t cap)
{
    const char *member = rc == FR_E_DUPLICATE ? "metric"
                         : rc == FR_E_WEIGHT  ? "weight"
                         : rc == FR_E_RANGE   ? (r->term[term].lo < -FR_VALUE_ABS_MAX ? "lo" : "hi")
                                              : "missing_ppm";
    if (term >= 0)
        snprintf(out, cap, "terms[%d].%s", term, member);
    else if (rc == FR_E_FLOOR)
        snprintf(out, cap, "%s",
                 r->floor_days < 0 || r->floor_days > 365 ? "floor_days" : "floor_ppm");
    else
        snprintf(out, cap, "%s",
                 rc == FR_E_TERMS   ? "terms"
                 : rc == FR_E_TOTAL ? "total"
                                    : "cap_ppm");
}

bool fair_rule_parse(json_t *j, struct fr_rule *out, struct fair_err *err)
{
    static const char *const keys[] = {"terms",   "floor_days", "floor_ppm",
                                       "cap_ppm", "total",      NULL};
    memset(out, 0, sizeof(*out));
    memset(err, 0, sizeof(*err));
    if (!json_is_object(j))
        return fail(err, "", "a rule must be a JSON object");
    if (!only_members(j, keys, "", err))
        return false;
    json_t *terms = json_object_get(j, "terms");
    if (!json_is_array(terms) || json_array_size(terms) < 1 || json_array_size(terms) > FR_METRICS)
        return fail(err, "terms", "terms: %s", fr_rc_str(FR_E_TERMS));
    size_t i;
    json_t *t;
    json_array_foreach(terms, i, t) {
        if (!parse_term(t, i, &out->term[i], err))
            return false;
    }
    out->n = json_array_size(terms);
    if (!take_int(j, "floor_days", true, "", &out->floor_days, err) ||
        !take_int(j, "floor_ppm", true, "", &out->floor_ppm, err) ||
        !take_int(j, "cap_ppm", true, "", &out->cap_ppm, err) ||
        !take_int(j, "total", true, "", &out->total, err))
        return false;
    int term = -1;
    enum fr_rc rc = fr_rule_check(out, &term);
    if (rc != FR_OK) {
        check_field(out, rc, term, err->field, sizeof(err->field));
        snprintf(err->msg, sizeof(err->msg), "%s: %s", err->field, fr_rc_str(rc));
        return false;
    }
    return true;
}

bool fair_rule_load(const char *text, size_t len, struct fr_rule *out, struct fair_err *err)
{
    json_error_t je;
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (j == NULL)
        return fail(err, "", "the rule text is not JSON: %s", je.text);
    bool ok = fair_rule_parse(j, out, err);
    json_decref(j);
    return ok;
}

json_t *fair_rule_json(const struct fr_rule *r)
{
    json_t *terms = json_array();
    for (size_t k = 0; k < r->n; k++) {
        const struct fr_term *t = &r->term[k];
        json_t *o = json_pack("{s:s,s:I,s:s,s:s,s:I}", "metric", fr_metric_name(t->metric),
                              "weight", (json_int_t)t->weight, "direction",
                              t->direction == FR_HIGHER ? "higher" : "lower", "normalisation",
                              t->norm == FR_RANGE ? "range" : "relative", "missing_ppm",
                              (json_int_t)t->missing_ppm);
        if (t->norm == FR_RANGE) {
            json_object_set_new(o, "lo", json_integer(t->lo));
            json_object_set_new(o, "hi", json_integer(t->hi));
        }
        json_array_append_new(terms, o);
    }
    return json_pack("{s:o,s:I,s:I,s:I,s:I}", "terms", terms, "floor_days",
                     (json_int_t)r->floor_days, "floor_ppm", (json_int_t)r->floor_ppm, "cap_ppm",
                     (json_int_t)r->cap_ppm, "total", (json_int_t)r->total);
}

void fair_rule_default(struct fr_rule *out)
{
    static const struct fr_term terms[] = {
        {FR_RESPONSE_S, 2, FR_LOWER, FR_RANGE, 0, 86400, 500000},
        {FR_ANSWER_RATE, 2, FR_HIGHER, FR_RANGE, 0, 1000000, 500000},
        {FR_RETENTION_90D, 2, FR_HIGHER, FR_RANGE, 500000, 1000000, 500000},
        {FR_COMPLAINTS_PER_10K, 2, FR_LOWER, FR_RANGE, 0, 1000, 500000},
        {FR_COMPLIANCE, 3, FR_HIGHER, FR_RANGE, 800000, 1000000, 500000},
        {FR_ENGAGEMENT, 1, FR_HIGHER, FR_RELATIVE, 0, 0, 500000},
        {FR_FOLLOWER_GROWTH, 1, FR_HIGHER, FR_RELATIVE, 0, 0, 500000},
    };
    memset(out, 0, sizeof(*out));
    memcpy(out->term, terms, sizeof(terms));
    out->n = ARRAY_LEN(terms);
    out->total = 1000000;
    out->floor_days = 30;
    out->floor_ppm = 10000;
    out->cap_ppm = 150000;
}

char *fair_canonical(const json_t *j)
{
    return json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
}

void fair_sha256_hex(const void *p, size_t n, char out[FAIR_HASH_HEX])
{
    uint8_t h[CRYPTO_SHA256_BYTES];
    crypto_sha256(p, n, h);
    crypto_hex(h, sizeof(h), out);
}

/* ---- records ---- */

json_t *fair_metrics_json(const bool has[FR_METRICS], const int64_t value[FR_METRICS])
{
    json_t *o = json_object();
    for (int m = 0; m < FR_METRICS; m++)
        if (has[m])
            json_object_set_new(o, fr_metric_name((enum fr_metric)m), json_integer(value[m]));
    return o;
}

json_t *fair_norm_json(const struct fr_rule *r, const struct fr_output *o)
{
    json_t *j = json_object();
    for (size_t k = 0; k < r->n; k++)
        json_object_set_new(j, fr_metric_name(r->term[k].metric),
                            json_integer(o->norm_ppm[r->term[k].metric]));
    return j;
}

json_t *fair_record_json(const struct fair_day *d)
{
    char date[CIVIL_DATE_CAP], prev[CIVIL_DATE_CAP];
    civil_date_format(d->date, date, sizeof(date));
    if (d->has_prev)
        civil_date_format(d->prev_date, prev, sizeof(prev));
    json_t *inputs = json_array(), *results = json_array();
    for (size_t i = 0; i < d->n; i++) {
        const struct fr_input *in = &d->in[i];
        const struct fr_output *o = &d->out[i];
        json_array_append_new(inputs, json_pack("{s:o,s:b,s:o}", "institution_id",
                                                json_id(in->inst_id), "is_new", in->is_new,
                                                "metrics", fair_metrics_json(in->has, in->value)));
        json_array_append_new(
            results, json_pack("{s:o,s:o,s:I,s:I,s:I,s:I}", "institution_id", json_id(in->inst_id),
                               "norm_ppm", fair_norm_json(&d->rule, o), "score_ppm",
                               (json_int_t)o->score_ppm, "floor", (json_int_t)o->floor, "cap",
                               (json_int_t)o->cap, "impressions", (json_int_t)o->impressions));
    }
    return json_pack("{s:i,s:s,s:I,s:s,s:s,s:I,s:o,s:o,s:o,s:s}", "format", FAIR_RECORD_FMT, "date",
                     date, "rule_version", (json_int_t)d->rule_version, "rule_hash", d->rule_hash,
                     "rule_text", d->rule_text, "total", (json_int_t)d->rule.total, "inputs",
                     inputs, "results", results, "prev_date",
                     d->has_prev ? json_string(prev) : json_null(), "prev_hash", d->prev_hash);
}

void fair_day_release(struct fair_day *d)
{
    if (d == NULL)
        return;
    free(d->in);
    free(d->out);
    d->in = NULL;
    d->out = NULL;
    d->n = 0;
}

static bool take_date(json_t *rec, const char *key, struct civil_date *out, struct fair_err *err)
{
    json_t *v = json_object_get(rec, key);
    if (!json_is_string(v) ||
        civil_date_parse(json_string_value(v), json_string_length(v), out) != CIVIL_OK)
        return fail(err, key, "%s must be a date YYYY-MM-DD", key);
    return true;
}

static bool take_hex(json_t *rec, const char *key, char out[FAIR_HASH_HEX], struct fair_err *err)
{
    json_t *v = json_object_get(rec, key);
    uint8_t raw[CRYPTO_SHA256_BYTES];
    if (!json_is_string(v) ||
        !crypto_unhex(json_string_value(v), json_string_length(v), raw, sizeof(raw)))
        return fail(err, key, "%s must be 64 hexadecimal digits", key);
    crypto_hex(raw, sizeof(raw), out);
    return true;
}

/* A {name: integer} object into has/value; every name from the catalogue. */
static bool take_metrics(json_t *o, const char *field, bool *has, int64_t *value,
                         struct fair_err *err)
{
    if (!json_is_object(o))
        return fail(err, field, "%s must be an object", field);
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        enum fr_metric m;
        if (!fr_metric_parse(k, &m) || !json_is_integer(v))
            return fail(err, field, "%s: '%.40s' is not a catalogue metric with an integer", field,
                        k);
        has[m] = true;
        value[m] = (int64_t)json_integer_value(v);
    }
    return true;
}

static bool take_id(json_t *o, const char *field, int64_t *out, struct fair_err *err)
{
    const char *s = json_string_value(json_object_get(o, "institution_id"));
    if (s == NULL || !api_id_parse(s, out))
        return fail(err, field, "%s.institution_id must be an id string", field);
    return true;
}

static bool parse_entry(json_t *in, json_t *res, size_t i, struct fair_day *d, struct fair_err *err)
{
    char field[FAIR_FIELD_BYTES];
    snprintf(field, sizeof(field), "inputs[%zu]", i);
    struct fr_input *x = &d->in[i];
    struct fr_output *y = &d->out[i];
    json_t *is_new = json_object_get(in, "is_new");
    if (!json_is_object(in) || !json_is_boolean(is_new) || !take_id(in, field, &x->inst_id, err))
        return err->msg[0] ? false : fail(err, field, "%s needs institution_id and is_new", field);
    x->is_new = json_is_true(is_new);
    if (!take_metrics(json_object_get(in, "metrics"), field, x->has, x->value, err))
        return false;
    snprintf(field, sizeof(field), "results[%zu]", i);
    int64_t id = 0;
    if (!json_is_object(res) || !take_id(res, field, &id, err))
        return err->msg[0] ? false : fail(err, field, "%s must be an object", field);
    if (id != x->inst_id)
        return fail(err, field, "%s is not the institution of inputs[%zu]", field, i);
    bool norm_has[FR_METRICS] = {false};
    if (!take_metrics(json_object_get(res, "norm_ppm"), field, norm_has, y->norm_ppm, err))
        return false;
    return take_int(res, "score_ppm", true, field, &y->score_ppm, err) &&
           take_int(res, "floor", true, field, &y->floor, err) &&
           take_int(res, "cap", true, field, &y->cap, err) &&
           take_int(res, "impressions", true, field, &y->impressions, err);
}

static bool parse_head(json_t *rec, struct fair_day *d, struct fair_err *err)
{
    json_t *fmt = json_object_get(rec, "format");
    if (!json_is_integer(fmt) || json_integer_value(fmt) != FAIR_RECORD_FMT)
        return fail(err, "format", "format must be %d", FAIR_RECORD_FMT);
    int64_t total = 0;
    if (!take_date(rec, "date", &d->date, err) ||
        !take_int(rec, "rule_version", true, "", &d->rule_version, err) ||
        !take_hex(rec, "rule_hash", d->rule_hash, err) ||
        !take_hex(rec, "prev_hash", d->prev_hash, err) ||
        !take_int(rec, "total", true, "", &total, err))
        return false;
    json_t *prev = json_object_get(rec, "prev_date");
    d->has_prev = !json_is_null(prev);
    if (d->has_prev && !take_date(rec, "prev_date", &d->prev_date, err))
        return false;
    json_t *text = json_object_get(rec, "rule_text");
    if (!json_is_string(text))
        return fail(err, "rule_text", "rule_text must be a string");
    d->rule_text = json_string_value(text);
    struct fair_err rerr;
    if (!fair_rule_load(d->rule_text, json_string_length(text), &d->rule, &rerr))
        return fail(err, "rule_text", "rule_text: %s", rerr.msg);
    if (total != d->rule.total)
        return fail(err, "total", "total %lld is not the rule's %lld", (long long)total,
                    (long long)d->rule.total);
    return true;
}

bool fair_record_parse(json_t *rec, struct fair_day *d, struct fair_err *err)
{
    memset(d, 0, sizeof(*d));
    memset(err, 0, sizeof(*err));
    if (!json_is_object(rec))
        return fail(err, "", "a record must be a JSON object");
    if (!parse_head(rec, d, err))
        return false;
    json_t *inputs = json_object_get(rec, "inputs"), *results = json_object_get(rec, "results");
    if (!json_is_array(inputs) || !json_is_array(results) ||
        json_array_size(inputs) != json_array_size(results) ||
        json_array_size(inputs) > FR_INSTITUTIONS_MAX)
        return fail(err, "inputs", "inputs and results must be arrays of the same length");
    size_t n = json_array_size(inputs);
    d->in = calloc(n ? n : 1, sizeof(*d->in));
    d->out = calloc(n ? n : 1, sizeof(*d->out));
    if (d->in == NULL || d->out == NULL) {
        fair_day_release(d);
        return fail(err, "", "out of memory");
    }
    d->n = n;
    for (size_t i = 0; i < n; i++) {
        if (!parse_entry(json_array_get(inputs, i), json_array_get(results, i), i, d, err)) {
            fair_day_release(d);
            return false;
        }
    }
    return true;
}

/* ---- verification ---- */

struct notes {
    fair_note_fn fn;
    void *ctx;
    int failed;
};

static void note(struct notes *ns, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void note(struct notes *ns, bool ok, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    ns->failed += !ok;
    if (ns->fn)
        ns->fn(ns->ctx, ok, line);
}

/* The canonical hash of a record object. false when it cannot be written out. */
static bool record_hash(json_t *rec, char out[FAIR_HASH_HEX])
{
    char *text = fair_canonical(rec);
    if (text == NULL)
        return false;
    fair_sha256_hex(text, strlen(text), out);
    free(text);
    return true;
}

static void compare_field(struct notes *ns, int64_t id, const char *what, int64_t recorded,
                          int64_t recomputed, int *bad)
{
    if (recorded == recomputed)
        return;
    (*bad)++;
    if (*bad <= 20)
        note(ns, false, "institution %lld: %s recorded %lld, recomputed %lld", (long long)id, what,
             (long long)recorded, (long long)recomputed);
}

/* fr_run on the record's inputs against every recorded result. */
static void check_results(struct notes *ns, const struct fair_day *d)
{
    struct fr_output *re = calloc(d->n ? d->n : 1, sizeof(*re));
    ASSERT(re != NULL);
    enum fr_rc rc = d->n ? fr_run(&d->rule, d->date, d->in, d->n, re) : FR_E_INPUTS;
    if (rc != FR_OK) {
        note(ns, false, "results: the inputs cannot be scored: %s", fr_rc_str(rc));
        free(re);
        return;
    }
    int bad = 0;
    for (size_t i = 0; i < d->n; i++) {
        const struct fr_output *a = &d->out[i], *b = &re[i];
        int64_t id = d->in[i].inst_id;
        for (size_t k = 0; k < d->rule.n; k++) {
            enum fr_metric m = d->rule.term[k].metric;
            char what[64];
            snprintf(what, sizeof(what), "normalised %s", fr_metric_name(m));
            compare_field(ns, id, what, a->norm_ppm[m], b->norm_ppm[m], &bad);
        }
        compare_field(ns, id, "score_ppm", a->score_ppm, b->score_ppm, &bad);
        compare_field(ns, id, "floor", a->floor, b->floor, &bad);
        compare_field(ns, id, "cap", a->cap, b->cap, &bad);
        compare_field(ns, id, "impressions", a->impressions, b->impressions, &bad);
    }
    if (bad > 20)
        note(ns, false, "results: %d more differences not shown", bad - 20);
    if (bad == 0)
        note(ns, true, "results: %zu institutions recomputed from the inputs, all equal", d->n);
    free(re);
}

static void check_chain(struct notes *ns, const struct fair_day *d,
                        const struct fair_published *day, const struct fair_published *prev)
{
    if (strcmp(d->prev_hash, day->prev_hash ? day->prev_hash : "") != 0)
        note(ns, false, "chain: the record's prev_hash %s is not the published prev_hash %s",
             d->prev_hash, day->prev_hash ? day->prev_hash : "(none)");
    if (!d->has_prev) {
        note(ns, strcmp(d->prev_hash, fair_zero_hash) == 0,
             "chain: first day, prev_hash %s 64 zeros",
             strcmp(d->prev_hash, fair_zero_hash) == 0 ? "is" : "is not");
        return;
    }
    char pd[CIVIL_DATE_CAP], ph[FAIR_HASH_HEX];
    civil_date_format(d->prev_date, pd, sizeof(pd));
    if (prev == NULL || prev->record == NULL) {
        note(ns, false, "chain: the record of the previous day %s is not available", pd);
        return;
    }
    const char *got = json_string_value(json_object_get(prev->record, "date"));
    if (got == NULL || strcmp(got, pd) != 0) {
        note(ns, false, "chain: the previous record is of %s, not %s", got ? got : "?", pd);
        return;
    }
    if (!record_hash(prev->record, ph)) {
        note(ns, false, "chain: cannot write out the record of %s", pd);
        return;
    }
    bool ok = strcmp(ph, d->prev_hash) == 0;
    if (ok)
        note(ns, true, "chain: prev_hash is the hash of %s's record", pd);
    else
        note(ns, false, "chain: prev_hash %s, but the record of %s hashes to %s", d->prev_hash, pd,
             ph);
}

static void check_signature(struct notes *ns, const struct fair_published *day, const uint8_t *pk)
{
    uint8_t h[CRYPTO_SHA256_BYTES], sig[CRYPTO_SIGN_BYTES];
    if (pk == NULL) {
        note(ns, false, "signature: no public key to check it with");
        return;
    }
    if (day->hash == NULL || !crypto_unhex(day->hash, strlen(day->hash), h, sizeof(h))) {
        note(ns, false, "signature: the published hash is not 64 hexadecimal digits");
        return;
    }
    if (day->signature == NULL ||
        !crypto_unhex(day->signature, strlen(day->signature), sig, sizeof(sig))) {
        note(ns, false, "signature: not 128 hexadecimal digits");
        return;
    }
    char key[FAIR_KEY_HEX];
    crypto_hex(pk, CRYPTO_SIGN_PK_BYTES, key);
    bool ok = crypto_ed25519_verify(pk, h, sizeof(h), sig);
    note(ns, ok, "signature: the published hash %s signed by public key %s", ok ? "is" : "is NOT",
         key);
}

int fair_verify_day(const struct fair_published *day, const struct fair_published *prev,
                    const uint8_t *pk, fair_note_fn fn, void *ctx)
{
    struct notes ns = {fn, ctx, 0};
    struct fair_day d;
    struct fair_err err;
    if (!fair_record_parse(day->record, &d, &err)) {
        note(&ns, false, "record: %s", err.msg);
        return ns.failed;
    }
    char h[FAIR_HASH_HEX];
    if (!record_hash(day->record, h)) {
        note(&ns, false, "hash: cannot write out the record");
    } else if (day->hash == NULL || strcmp(h, day->hash) != 0) {
        note(&ns, false, "hash: published %s, recomputed %s", day->hash ? day->hash : "(none)", h);
    } else {
        note(&ns, true, "hash: %s recomputed from the canonical record", h);
    }
    char rh[FAIR_HASH_HEX];
    fair_sha256_hex(d.rule_text, strlen(d.rule_text), rh);
    if (strcmp(rh, d.rule_hash) == 0)
        note(&ns, true, "rule: version %lld, rule_hash matches its text",
             (long long)d.rule_version);
    else
        note(&ns, false, "rule: rule_hash %s, but the rule text hashes to %s", d.rule_hash, rh);
    check_results(&ns, &d);
    check_chain(&ns, &d, day, prev);
    check_signature(&ns, day, pk);
    fair_day_release(&d);
    return ns.failed;
}
