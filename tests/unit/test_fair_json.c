/*
 * test_fair_json.c - unit tests of the fair rule's published texts (api/fair_json) and the
 * daily job (jobs/score): rule parsing names the field at fault; records have one canonical
 * text and hash; verification passes on a true record and fails on each kind of tampering
 * (an input value, a score, an impression count, the rule text, the prev hash, the
 * signature, the previous day); the triggers keep published versions and days unchanged;
 * and relabelling institutions as the platform's own at random leaves the published record
 * byte for byte the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/fair_json.h"
#include "base/crypto.h"
#include "jobs/score.h"

static const char *const GOOD_RULE =
    "{\"terms\": [{\"metric\": \"answer_rate\", \"weight\": 3, \"normalisation\": \"range\", "
    "\"lo\": 0, \"hi\": 1000000, \"missing_ppm\": 500000}, {\"metric\": "
    "\"question_response_time\", \"weight\": 2, \"normalisation\": \"range\", \"lo\": 0, \"hi\": "
    "86400, \"missing_ppm\": 0}, {\"metric\": \"follower_growth\", \"weight\": 1, "
    "\"direction\": \"higher\", \"normalisation\": \"relative\", \"missing_ppm\": 0}], "
    "\"floor_days\": 30, \"floor_ppm\": 50000, \"cap_ppm\": 600000, \"total\": 10000}";

/* GOOD_RULE's first two terms, canonical, for the store tests. */
#define FAIR_TEST_RULE                                                                          \
    "{\"cap_ppm\":300000,\"floor_days\":30,\"floor_ppm\":20000,\"terms\":[{\"direction\":"      \
    "\"higher\",\"hi\":1000000,\"lo\":0,\"metric\":\"answer_rate\",\"missing_ppm\":"            \
    "500000,\"normalisation\":\"range\",\"weight\":3},{\"direction\":\"lower\",\"hi\":"         \
    "86400,\"lo\":0,\"metric\":\"question_response_time\",\"missing_ppm\":0,\"normalisation\":" \
    "\"range\",\"weight\":1}],\"total\":100000}"

static uint8_t pk[CRYPTO_SIGN_PK_BYTES], sk[CRYPTO_SIGN_SK_BYTES];

/* ---- rules ---- */

/* Parses GOOD_RULE with `path` (a member of the top level or of terms[k]) replaced. */
static bool parse_with(const char *member, int term, json_t *value, struct fair_err *err)
{
    json_t *j = json_loads(GOOD_RULE, 0, NULL);
    assert_non_null(j);
    json_t *o = term < 0 ? j : json_array_get(json_object_get(j, "terms"), (size_t)term);
    if (value == NULL)
        json_object_del(o, member);
    else
        json_object_set_new(o, member, value);
    struct fr_rule r;
    bool ok = fair_rule_parse(j, &r, err);
    json_decref(j);
    return ok;
}

static void expect_field(const char *member, int term, json_t *value, const char *field)
{
    struct fair_err err;
    assert_false(parse_with(member, term, value, &err));
    assert_string_equal(err.field, field);
    if (strstr(err.msg, field) == NULL)
        fail_msg("%s: message '%s' does not name it", field, err.msg);
}

static void test_rule_parse(void **state)
{
    (void)state;
    struct fr_rule r;
    struct fair_err err;
    assert_true(fair_rule_load(GOOD_RULE, strlen(GOOD_RULE), &r, &err));
    assert_int_equal(r.n, 3);
    assert_int_equal(r.term[1].direction, FR_LOWER); /* the catalogue's own when left out */
    assert_int_equal(r.term[2].norm, FR_RELATIVE);
    /* Canonical: sorted members, no blanks, direction written out; loads to the same. */
    json_t *c = fair_rule_json(&r);
    char *text = fair_canonical(c);
    json_decref(c);
    assert_true(strncmp(text, "{\"cap_ppm\":600000,\"floor_days\":30,", 34) == 0);
    assert_null(strchr(text, ' '));
    struct fr_rule back;
    assert_true(fair_rule_load(text, strlen(text), &back, &err));
    assert_memory_equal(&r, &back, sizeof(r));
    free(text);

    /* The default rule (docs/fair-rule.md) is a good rule, all seven metrics. */
    struct fr_rule def;
    int term = 0;
    fair_rule_default(&def);
    assert_int_equal(fr_rule_check(&def, &term), FR_OK);
    assert_int_equal(def.n, FR_METRICS);
    json_t *dj = fair_rule_json(&def);
    assert_true(fair_rule_parse(dj, &back, &err));
    assert_memory_equal(&def, &back, sizeof(def));
    json_decref(dj);

    expect_field("weight", 2, json_integer(0), "terms[2].weight");
    assert_true(parse_with("weight", 2, json_integer(0), &err) == false &&
                strstr(err.msg, fr_rc_str(FR_E_WEIGHT)) != NULL);
    expect_field("weight", 0, json_string("3"), "terms[0].weight");
    expect_field("metric", 1, json_string("platform_own"), "terms[1].metric");
    expect_field("metric", 1, json_string("answer_rate"), "terms[1].metric"); /* twice */
    expect_field("lo", 2, json_integer(0), "terms[2].lo");
    expect_field("hi", 0, NULL, "terms[0].hi");
    expect_field("hi", 0, json_integer(0), "terms[0].hi");
    expect_field("direction", 0, json_string("up"), "terms[0].direction");
    expect_field("missing_ppm", 1, json_integer(1000001), "terms[1].missing_ppm");
    expect_field("colour", 1, json_string("red"), "terms[1].colour");
    expect_field("platform_own", -1, json_true(), "platform_own");
    expect_field("total", -1, NULL, "total");
    expect_field("total", -1, json_integer(0), "total");
    expect_field("floor_days", -1, json_integer(366), "floor_days");
    expect_field("floor_ppm", -1, json_integer(-1), "floor_ppm");
    expect_field("cap_ppm", -1, json_integer(0), "cap_ppm");
    expect_field("terms", -1, json_array(), "terms");
}

/* ---- records ---- */

#define N_INST 4

struct sample {
    struct fr_input in[N_INST];
    struct fr_output out[N_INST];
    struct fair_day day;
    char *rule_text;
    json_t *record;
    char hash[FAIR_HASH_HEX], sig[FAIR_SIG_HEX];
};

/* A day of four institutions scored with GOOD_RULE, chained to prev (NULL: the first). */
static void make_day(struct sample *s, struct civil_date date, const struct sample *prev)
{
    memset(s, 0, sizeof(*s));
    struct fair_err err;
    struct fr_rule rule;
    assert_true(fair_rule_load(GOOD_RULE, strlen(GOOD_RULE), &rule, &err));
    json_t *rj = fair_rule_json(&rule);
    s->rule_text = fair_canonical(rj);
    json_decref(rj);
    for (int i = 0; i < N_INST; i++) {
        s->in[i].inst_id = 100 + 7 * i;
        s->in[i].is_new = i == 3;
        s->in[i].has[FR_ANSWER_RATE] = i != 2;
        s->in[i].value[FR_ANSWER_RATE] = 200000 * (i + 1) + date.day;
        s->in[i].has[FR_RESPONSE_S] = true;
        s->in[i].value[FR_RESPONSE_S] = 3600 * (i + 1);
        s->in[i].has[FR_FOLLOWER_GROWTH] = true;
        s->in[i].value[FR_FOLLOWER_GROWTH] = 1000 * (i % 3) - 500;
        s->in[i].has[FR_COMPLAINTS_PER_10K] = i == 1; /* present, not in the rule */
        s->in[i].value[FR_COMPLAINTS_PER_10K] = 250;
    }
    assert_int_equal(fr_run(&rule, date, s->in, N_INST, s->out), FR_OK);
    s->day = (struct fair_day){.date = date,
                               .rule_version = 7,
                               .rule_text = s->rule_text,
                               .rule = rule,
                               .n = N_INST,
                               .in = s->in,
                               .out = s->out};
    fair_sha256_hex(s->rule_text, strlen(s->rule_text), s->day.rule_hash);
    snprintf(s->day.prev_hash, sizeof(s->day.prev_hash), "%s", prev ? prev->hash : fair_zero_hash);
    s->day.has_prev = prev != NULL;
    if (prev)
        s->day.prev_date = prev->day.date;
    s->record = fair_record_json(&s->day);
    char *text = fair_canonical(s->record);
    uint8_t h[CRYPTO_SHA256_BYTES], sig[CRYPTO_SIGN_BYTES];
    crypto_sha256(text, strlen(text), h);
    crypto_hex(h, sizeof(h), s->hash);
    crypto_ed25519_sign(sk, h, sizeof(h), sig);
    crypto_hex(sig, sizeof(sig), s->sig);
    free(text);
}

static void free_day(struct sample *s)
{
    json_decref(s->record);
    free(s->rule_text);
}

static void test_record_canonical(void **state)
{
    (void)state;
    struct sample s;
    make_day(&s, (struct civil_date){2026, 3, 2}, NULL);
    char *text = fair_canonical(s.record);
    assert_true(strncmp(text, "{\"date\":\"2026-03-02\",\"format\":1,\"inputs\":[{", 43) == 0);
    assert_null(strchr(text, ' '));
    assert_null(strchr(text, '\n'));
    /* Ids are strings; metrics present are all in inputs, the rule's alone in norm_ppm. */
    assert_non_null(strstr(text, "\"institution_id\":\"107\""));
    assert_non_null(strstr(text, "\"complaint_rate\":250"));
    assert_null(strstr(strstr(text, "\"results\""), "complaints"));
    assert_non_null(strstr(text, "\"prev_date\":null"));
    /* Parsing the text and writing it out again gives the same bytes, whatever the order the
     * members were read in; and the parsed record holds what was written. */
    json_t *back = json_loads(text, 0, NULL);
    char *again = fair_canonical(back);
    assert_string_equal(text, again);
    struct fair_day d;
    struct fair_err err;
    assert_true(fair_record_parse(back, &d, &err));
    assert_int_equal(d.n, N_INST);
    for (int i = 0; i < N_INST; i++) {
        assert_int_equal(d.in[i].inst_id, s.in[i].inst_id);
        assert_int_equal(d.in[i].is_new, s.in[i].is_new);
        for (int m = 0; m < FR_METRICS; m++) {
            assert_int_equal(d.in[i].has[m], s.in[i].has[m]);
            if (s.in[i].has[m])
                assert_int_equal(d.in[i].value[m], s.in[i].value[m]);
        }
        assert_int_equal(d.out[i].impressions, s.out[i].impressions);
        assert_int_equal(d.out[i].score_ppm, s.out[i].score_ppm);
    }
    json_t *rebuilt = fair_record_json(&d);
    char *third = fair_canonical(rebuilt);
    assert_string_equal(text, third);
    char h1[FAIR_HASH_HEX], h2[FAIR_HASH_HEX];
    fair_sha256_hex(text, strlen(text), h1);
    fair_sha256_hex(third, strlen(third), h2);
    assert_string_equal(h1, s.hash);
    assert_string_equal(h1, h2);
    fair_day_release(&d);
    json_decref(rebuilt);
    json_decref(back);
    free(text);
    free(again);
    free(third);
    free_day(&s);
}

/* ---- verification ---- */

struct seen {
    char lines[4096];
    int failed;
};

static void collect(void *ctx, bool ok, const char *line)
{
    struct seen *s = ctx;
    size_t n = strlen(s->lines);
    if (!ok) {
        s->failed++;
        snprintf(s->lines + n, sizeof(s->lines) - n, "%s\n", line);
    }
}

/* Verifies `day` (the sample's figures, with the record and strings as given). */
static struct seen verify(json_t *record, const char *hash, const char *prev_hash, const char *sig,
                          const struct sample *prev)
{
    struct fair_published d = {record, hash, prev_hash, sig};
    struct fair_published p = {prev ? prev->record : NULL, prev ? prev->hash : NULL,
                               prev ? prev->day.prev_hash : NULL, prev ? prev->sig : NULL};
    struct seen s = {"", 0};
    int failed = fair_verify_day(&d, prev ? &p : NULL, pk, collect, &s);
    assert_int_equal(failed, s.failed);
    return s;
}

/* The record of s with one member of results[i] / inputs[i] changed by delta. */
static json_t *tampered(const struct sample *s, const char *list, size_t i, const char *key,
                        const char *sub, int64_t delta)
{
    json_t *r = json_deep_copy(s->record);
    json_t *o = json_array_get(json_object_get(r, list), i);
    if (sub != NULL)
        o = json_object_get(o, key), key = sub;
    json_object_set_new(o, key, json_integer(json_integer_value(json_object_get(o, key)) + delta));
    return r;
}

static void expect_failure(json_t *record, const struct sample *s, const struct sample *prev,
                           const char *what)
{
    struct seen v = verify(record, s->hash, s->day.prev_hash, s->sig, prev);
    if (v.failed == 0 || strstr(v.lines, what) == NULL)
        fail_msg("expected a failure naming '%s', got %d:\n%s", what, v.failed, v.lines);
    json_decref(record);
}

static void test_verify(void **state)
{
    (void)state;
    struct sample d1, d2;
    make_day(&d1, (struct civil_date){2026, 3, 2}, NULL);
    make_day(&d2, (struct civil_date){2026, 3, 3}, &d1);
    /* True records pass: the first day alone, the second with the first. */
    assert_int_equal(verify(d1.record, d1.hash, fair_zero_hash, d1.sig, NULL).failed, 0);
    assert_int_equal(verify(d2.record, d2.hash, d1.hash, d2.sig, &d1).failed, 0);

    /* Each kind of tampering is caught and named. */
    expect_failure(tampered(&d2, "inputs", 1, "metrics", "answer_rate", 1), &d2, &d1,
                   "hash: published");
    expect_failure(tampered(&d2, "inputs", 1, "metrics", "answer_rate", 1), &d2, &d1,
                   "institution 107: score_ppm");
    expect_failure(tampered(&d2, "results", 0, "score_ppm", NULL, -1), &d2, &d1,
                   "institution 100: score_ppm recorded");
    expect_failure(tampered(&d2, "results", 2, "impressions", NULL, 5), &d2, &d1,
                   "institution 114: impressions recorded");
    expect_failure(tampered(&d2, "results", 2, "floor", NULL, 1), &d2, &d1, "floor recorded");
    /* The rule text with one weight changed: its hash no longer matches, and the results
     * recomputed with it differ from the recorded ones. */
    char *other = strdup(d2.rule_text);
    char *w = strstr(other, "\"weight\":3");
    assert_non_null(w);
    w[9] = '4';
    json_t *rule = json_deep_copy(d2.record);
    json_object_set_new(rule, "rule_text", json_string(other));
    free(other);
    expect_failure(json_incref(rule), &d2, &d1, "rule: rule_hash");
    expect_failure(rule, &d2, &d1, "score_ppm recorded");
    json_t *prev = json_deep_copy(d2.record);
    json_object_set_new(prev, "prev_hash", json_string(fair_zero_hash));
    expect_failure(prev, &d2, &d1, "chain: the record's prev_hash");
    struct seen v = verify(d2.record, d2.hash, d2.day.prev_hash, d1.sig, &d1);
    assert_true(v.failed == 1 && strstr(v.lines, "signature: the published hash is NOT") != NULL);
    /* Someone who rewrites a result and the hash cannot sign the new hash. */
    json_t *forged = tampered(&d2, "results", 1, "impressions", NULL, 1);
    char *text = fair_canonical(forged);
    char fh[FAIR_HASH_HEX];
    fair_sha256_hex(text, strlen(text), fh);
    free(text);
    v = verify(forged, fh, d2.day.prev_hash, d2.sig, &d1);
    assert_non_null(strstr(v.lines, "signature: the published hash is NOT"));
    assert_non_null(strstr(v.lines, "impressions recorded"));
    json_decref(forged);
    /* A changed previous day breaks the chain; a missing one cannot vouch for it. */
    struct sample bad = d1;
    bad.record = tampered(&d1, "results", 0, "impressions", NULL, 1);
    expect_failure(json_incref(d2.record), &d2, &bad, "hashes to");
    json_decref(bad.record);
    expect_failure(json_incref(d2.record), &d2, NULL, "chain: the record of the previous day");
    free_day(&d1);
    free_day(&d2);
}

/* ---- the store: triggers and neutrality ---- */

struct env {
    char dir[64], db[96];
    struct store *s;
};

static struct env ev;

struct stmt {
    const char *text;
};

static enum store_rc run_sql(struct store_conn *c, void *ctx, struct store_err *err)
{
    const struct stmt *st = ctx;
    return store_exec(c, st->text, NULL, 0, NULL, err);
}

static enum store_rc sql(const char *text)
{
    struct store_err err = {0};
    struct stmt st = {text};
    return store_write_sync(ev.s, run_sql, &st, &err);
}

static int env_setup(void **state)
{
    (void)state;
    memset(&ev, 0, sizeof(ev));
    snprintf(ev.dir, sizeof(ev.dir), "/tmp/cfh-fair-XXXXXX");
    if (mkdtemp(ev.dir) == NULL)
        return -1;
    snprintf(ev.db, sizeof(ev.db), "%s/test.db", ev.dir);
    struct store_err err = {0};
    struct store_options opt = {.dsn = ev.db, .start_writer = true};
    ev.s = store_open(&opt, &err);
    int applied = 0;
    if (ev.s == NULL || store_migrate(ev.s, &applied, &err) != STORE_OK) {
        print_message("fixture: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int env_teardown(void **state)
{
    (void)state;
    store_close(ev.s);
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char path[128];
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        snprintf(path, sizeof(path), "%s%s", ev.db, suffixes[i]);
        unlink(path);
    }
    return rmdir(ev.dir);
}

static void test_triggers(void **state)
{
    (void)state;
    assert_int_equal(sql("INSERT INTO fair_rule_versions (version, status, text, created_ms, "
                         "updated_ms) VALUES (90, 'draft', '{}', 0, 0)"),
                     STORE_OK);
    assert_int_equal(sql("UPDATE fair_rule_versions SET text = '{\"a\":1}' WHERE version = 90"),
                     STORE_OK); /* a draft may change */
    assert_int_equal(sql("UPDATE fair_rule_versions SET status = 'published', hash = 'h', "
                         "published_ms = 1, published_date = '2026-01-01', notice_days = 15, "
                         "effective_date = '2026-01-16' WHERE version = 90"),
                     STORE_OK);
    assert_int_not_equal(sql("UPDATE fair_rule_versions SET text = '{}' WHERE version = 90"),
                         STORE_OK);
    assert_int_not_equal(sql("UPDATE fair_rule_versions SET hash = 'x' WHERE version = 90"),
                         STORE_OK);
    assert_int_not_equal(
        sql("UPDATE fair_rule_versions SET effective_date = '2020-01-01' WHERE version = 90"),
        STORE_OK);
    assert_int_not_equal(sql("DELETE FROM fair_rule_versions WHERE version = 90"), STORE_OK);
    assert_int_equal(sql("INSERT INTO fair_days (day, rule_version, record, hash, prev_hash, "
                         "signature, institutions, total, created_ms) VALUES ('2026-01-20', 90, "
                         "'{}', 'h', 'p', 's', 0, 0, 0)"),
                     STORE_OK);
    assert_int_not_equal(sql("UPDATE fair_days SET record = '{\"x\":1}'"), STORE_OK);
    assert_int_not_equal(sql("DELETE FROM fair_days"), STORE_OK);
    assert_int_equal(sql("DROP TRIGGER fair_days_no_delete"), STORE_OK);
    assert_int_equal(sql("DELETE FROM fair_days"), STORE_OK);
}

static uint64_t rng = 0x2545f4914f6cdd1du;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int take_record(void *ctx, const struct store_row *row)
{
    char **out = ctx;
    *out = strdup(store_row_text(row, 0, NULL));
    return 1;
}

/* Scores 2026-03-02 afresh and answers the record text and signature, joined. */
static char *score_record(void)
{
    assert_int_equal(sql("DELETE FROM fair_day_results"), STORE_OK);
    assert_int_equal(sql("DELETE FROM fair_days"), STORE_OK);
    struct score_report rep;
    struct store_err err = {0};
    assert_int_equal(job_score(ev.s, (struct civil_date){2026, 3, 2}, 0, sk, &rep, &err), STORE_OK);
    if (!rep.published)
        fail_msg("not published: %s", rep.why);
    char *out = NULL;
    struct store_conn *c = store_reader(ev.s, &err);
    assert_int_equal(store_query(c, "SELECT record || signature || hash FROM fair_days", NULL, 0,
                                 take_record, &out, &err),
                     STORE_OK);
    assert_non_null(out);
    return out;
}

/* The platform's own mark, set and cleared at random, changes nothing that is published. */
static void test_neutrality(void **state)
{
    (void)state;
    assert_int_equal(sql("INSERT INTO fair_rule_versions (version, status, text, hash, "
                         "created_ms, updated_ms, published_ms, published_date, notice_days, "
                         "effective_date) VALUES (1, 'published', '" FAIR_TEST_RULE "', 'h', 0, "
                         "0, 0, '2025-12-01', 15, '2025-12-16')"),
                     STORE_OK);
    for (int i = 1; i <= 40; i++) {
        char q[512];
        snprintf(q, sizeof(q),
                 "INSERT INTO institutions (id, name, short_name, type, status, created_ms, "
                 "updated_ms) VALUES (%d, 'I%d', 'I%d', 'fund_company', '%s', 0, 0)",
                 1000 + i, i, i,
                 i % 9 == 0   ? "suspended"
                 : i % 4 == 0 ? "pilot"
                              : "live");
        assert_int_equal(sql(q), STORE_OK);
        snprintf(q, sizeof(q),
                 "INSERT INTO institution_status_history (id, institution_id, to_status, at_ms, "
                 "reason) VALUES (%d, %d, 'live', %lld, 'x')",
                 i, 1000 + i, (long long)(1767225600000LL + (int64_t)(i % 5) * 86400000LL * 20));
        assert_int_equal(sql(q), STORE_OK);
        snprintf(q, sizeof(q),
                 "INSERT INTO inst_metrics_daily (day, institution_id, metric, value, unit, "
                 "denominator, window_days) VALUES ('2026-03-02', %d, 'answer_rate', %d, "
                 "'ppm', 1, 30), ('2026-03-02', %d, 'question_response_time', %d, 's', 1, 30)",
                 1000 + i, (int)(next() % 1000000), 1000 + i, (int)(next() % 90000));
        assert_int_equal(sql(q), STORE_OK);
    }
    assert_int_equal(sql("DROP TRIGGER IF EXISTS fair_days_no_delete"), STORE_OK);
    char *first = score_record();
    for (int round = 0; round < 6; round++) {
        for (int i = 1; i <= 40; i++) {
            char q[160];
            snprintf(q, sizeof(q), "UPDATE institutions SET platform_own = %d WHERE id = %d",
                     (int)(next() % 2), 1000 + i);
            assert_int_equal(sql(q), STORE_OK);
        }
        char *again = score_record();
        assert_string_equal(first, again);
        free(again);
    }
    assert_non_null(strstr(first, "\"institution_id\":\"1004\"")); /* pilot takes part */
    assert_null(strstr(first, "\"institution_id\":\"1009\""));     /* suspended does not */
    assert_null(strstr(first, "platform_own"));
    free(first);
}

static int group_setup(void **state)
{
    (void)state;
    if (crypto_setup(1, 8, 1) != 0)
        return -1;
    uint8_t seed[CRYPTO_SIGN_SEED_BYTES];
    for (size_t i = 0; i < sizeof(seed); i++)
        seed[i] = (uint8_t)(i * 7 + 1);
    crypto_ed25519_keypair(seed, pk, sk);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_parse),
        cmocka_unit_test(test_record_canonical),
        cmocka_unit_test(test_verify),
        cmocka_unit_test_setup_teardown(test_triggers, env_setup, env_teardown),
        cmocka_unit_test_setup_teardown(test_neutrality, env_setup, env_teardown),
    };
    return cmocka_run_group_tests_name("fair_json", tests, group_setup, NULL);
}
