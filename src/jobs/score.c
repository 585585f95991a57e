/*
 * score.c: the fair rule's daily score, allocation and signed record (see score.h).
 *
 * Who takes part: every institution whose status is pilot or live when the job runs, that
 * is every institution open to investors (the pilot institutions are the platform's first
 * tenants and are shown to investors like live ones; leaving them out would leave the
 * recommendation slots empty during the pilot). Suspended and applied ones do not. An
 * institution is new on day D when fewer than the rule's floor_days days have passed from
 * the day it first opened (its first status change to pilot or live) to D.
 *
 * The platform's own mark (institutions.platform_own) is never read here: the queries below
 * name their columns, and struct fr_input has no place for it.
 */
#include "jobs/score.h"

#include "api/api.h"
#include "base/check.h"
#include "base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading ---- */

struct rule_row {
    bool found;
    int64_t version;
    char *text; /* malloc'd */
    char hash[FAIR_HASH_HEX];
};

static int take_rule(void *ctx, const struct store_row *row)
{
    struct rule_row *r = ctx;
    size_t len = 0;
    const char *t = store_row_text(row, 1, &len);
    r->text = malloc(len + 1);
    if (r->text != NULL) {
        memcpy(r->text, t, len + 1);
        r->found = true;
    }
    r->version = store_row_int(row, 0);
    snprintf(r->hash, sizeof(r->hash), "%s", store_row_text(row, 2, NULL));
    return 1;
}

struct last_day {
    bool found;
    struct civil_date day;
    char hash[FAIR_HASH_HEX];
};

static int take_last(void *ctx, const struct store_row *row)
{
    struct last_day *l = ctx;
    size_t len = 0;
    const char *d = store_row_text(row, 0, &len);
    l->found = civil_date_parse(d, len, &l->day) == CIVIL_OK;
    snprintf(l->hash, sizeof(l->hash), "%s", store_row_text(row, 1, NULL));
    return 1;
}

struct insts {
    struct fr_input *in;
    int64_t *opened_ms; /* first time open to investors; 0 when unknown */
    size_t n, cap;
};

static int take_inst(void *ctx, const struct store_row *row)
{
    struct insts *x = ctx;
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 256;
        struct fr_input *in = realloc(x->in, cap * sizeof(*in));
        int64_t *op = in ? realloc(x->opened_ms, cap * sizeof(*op)) : NULL;
        if (in != NULL)
            x->in = in;
        if (op == NULL)
            return 1; /* short list: the caller sees n < count and fails */
        x->opened_ms = op;
        x->cap = cap;
    }
    memset(&x->in[x->n], 0, sizeof(x->in[0]));
    x->in[x->n].inst_id = store_row_int(row, 0);
    x->opened_ms[x->n] = store_row_int(row, 1);
    x->n++;
    return x->n >= FR_INSTITUTIONS_MAX;
}

struct metric_rows {
    struct fr_input *in;
    size_t n, at; /* rows come in institution order: a cursor into in[] */
    int64_t rows, ignored;
};

static int take_metric(void *ctx, const struct store_row *row)
{
    struct metric_rows *m = ctx;
    m->rows++;
    int64_t id = store_row_int(row, 0);
    while (m->at < m->n && m->in[m->at].inst_id < id)
        m->at++;
    if (m->at == m->n)
        return 1;
    if (m->in[m->at].inst_id != id)
        return 0; /* an institution that does not take part */
    enum fr_metric k;
    if (!fr_metric_parse(store_row_text(row, 1, NULL), &k) || store_row_is_null(row, 2))
        return 0; /* NULL: nothing to measure that day, which is not zero */
    int64_t v = store_row_int(row, 2);
    if (v < -FR_VALUE_ABS_MAX || v > FR_VALUE_ABS_MAX) {
        m->ignored++;
        return 0;
    }
    m->in[m->at].has[k] = true;
    m->in[m->at].value[k] = v;
    return 0;
}

enum store_rc fair_inputs_read(struct store_conn *c, struct civil_date d, struct fr_input *in,
                               size_t n, int64_t *rows, int64_t *ignored, struct store_err *err)
{
    char ds[CIVIL_DATE_CAP];
    civil_date_format(d, ds, sizeof(ds));
    struct metric_rows m = {in, n, 0, 0, 0};
    struct store_val p[] = {SV_TEXT(ds)};
    enum store_rc rc = store_query(c,
                                   "SELECT institution_id, metric, value FROM inst_metrics_daily "
                                   "WHERE day = ? ORDER BY institution_id, metric",
                                   p, 1, take_metric, &m, err);
    *rows = m.rows;
    *ignored = m.ignored;
    return rc;
}

/* Everyone open to investors, by id, with the day each first opened. */
static enum store_rc read_insts(struct store_conn *c, struct insts *x, struct store_err *err)
{
    int64_t count = 0;
    enum store_rc rc =
        store_query_int(c, "SELECT count(*) FROM institutions WHERE status IN ('pilot', 'live')",
                        NULL, 0, &count, err);
    if (rc != STORE_OK)
        return rc;
    rc = store_query(c,
                     "SELECT i.id, COALESCE((SELECT MIN(h.at_ms) FROM "
                     "institution_status_history h WHERE h.institution_id = i.id AND "
                     "h.to_status IN ('pilot', 'live')), i.created_ms) FROM institutions i "
                     "WHERE i.status IN ('pilot', 'live') ORDER BY i.id",
                     NULL, 0, take_inst, x, err);
    if (rc == STORE_OK && (int64_t)x->n != count && (int64_t)x->n < FR_INSTITUTIONS_MAX)
        return store_fail(err, STORE_ERROR, "out of memory listing institutions");
    return rc;
}

/* ---- writing ---- */

struct publish {
    struct fair_day *day;
    const char *text; /* canonical record */
    const char *hash, *sig;
    struct last_day last; /* what the record chains to; must still be the last */
    int64_t now_ms;
};

static enum store_rc insert_results(struct store_conn *c, const struct publish *p, const char *ds,
                                    struct store_err *err)
{
    const struct fair_day *d = p->day;
    enum store_rc rc = STORE_OK;
    for (size_t i = 0; i < d->n && rc == STORE_OK; i++) {
        json_t *ij = fair_metrics_json(d->in[i].has, d->in[i].value);
        json_t *nj = fair_norm_json(&d->rule, &d->out[i]);
        char *inputs = fair_canonical(ij), *norm = fair_canonical(nj);
        json_decref(ij);
        json_decref(nj);
        int m = fr_costliest(&d->rule, &d->out[i]);
        if (inputs == NULL || norm == NULL) {
            free(inputs);
            free(norm);
            return store_fail(err, STORE_ERROR, "out of memory");
        }
        struct store_val v[] = {SV_INT(d->in[i].inst_id),
                                SV_TEXT(ds),
                                SV_INT(d->in[i].is_new),
                                SV_TEXT(inputs),
                                SV_TEXT(norm),
                                SV_INT(d->out[i].score_ppm),
                                SV_INT(d->out[i].floor),
                                SV_INT(d->out[i].cap),
                                SV_INT(d->out[i].impressions),
                                m < 0 ? SV_NULL_ : SV_TEXT(fr_metric_name((enum fr_metric)m))};
        rc = store_exec(c,
                        "INSERT INTO fair_day_results (institution_id, day, is_new, inputs, "
                        "norm, score_ppm, floor, cap, impressions, costliest) VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        v, 10, NULL, err);
        free(inputs);
        free(norm);
    }
    return rc;
}

static enum store_rc publish_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct publish *p = ctx;
    struct last_day now = {false, {0, 0, 0}, ""};
    enum store_rc rc = store_query(c, "SELECT day, hash FROM fair_days ORDER BY day DESC LIMIT 1",
                                   NULL, 0, take_last, &now, err);
    if (rc != STORE_OK)
        return rc;
    if (now.found != p->last.found || strcmp(now.hash, p->last.hash) != 0)
        return api_abort(err, API_ABORT_CONFLICT, "another day was published meanwhile");
    char ds[CIVIL_DATE_CAP];
    civil_date_format(p->day->date, ds, sizeof(ds));
    struct store_val v[] = {SV_TEXT(ds),
                            SV_INT(p->day->rule_version),
                            SV_TEXT(p->text),
                            SV_TEXT(p->hash),
                            SV_TEXT(p->day->prev_hash),
                            SV_TEXT(p->sig),
                            SV_INT((int64_t)p->day->n),
                            SV_INT(p->day->rule.total),
                            SV_INT(p->now_ms)};
    rc =
        store_exec(c,
                   "INSERT INTO fair_days (day, rule_version, record, hash, prev_hash, "
                   "signature, institutions, total, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   v, 9, NULL, err);
    return rc == STORE_OK ? insert_results(c, p, ds, err) : rc;
}

/* ---- the job ---- */

/* Builds, hashes, signs and writes the day's record from d (scored). */
static enum store_rc publish(struct store *s, struct fair_day *d, const struct last_day *last,
                             int64_t now_ms, const uint8_t *sk, struct score_report *out,
                             struct store_err *err)
{
    json_t *rec = fair_record_json(d);
    char *text = rec ? fair_canonical(rec) : NULL;
    json_decref(rec);
    if (text == NULL)
        return store_fail(err, STORE_ERROR, "out of memory writing the record");
    uint8_t h[CRYPTO_SHA256_BYTES], sig[CRYPTO_SIGN_BYTES];
    crypto_sha256(text, strlen(text), h);
    crypto_hex(h, sizeof(h), out->hash);
    crypto_ed25519_sign(sk, h, sizeof(h), sig);
    char sig_hex[FAIR_SIG_HEX];
    crypto_hex(sig, sizeof(sig), sig_hex);
    struct publish p = {d, text, out->hash, sig_hex, *last, now_ms};
    enum store_rc rc = store_write_sync(s, publish_write, &p, err);
    free(text);
    if (rc == STORE_OK)
        out->published = true;
    return rc;
}

/* Scores the institutions of x on day d with the rule r. */
static enum store_rc score_insts(struct store *s, struct store_conn *c, struct fair_day *d,
                                 struct insts *x, const struct last_day *last, int64_t now_ms,
                                 const uint8_t *sk, struct score_report *out, struct store_err *err)
{
    for (size_t i = 0; i < x->n; i++) {
        struct civil_date opened = civil_date_of_ms_cst(x->opened_ms[i]);
        x->in[i].is_new = civil_days_between(opened, d->date) < d->rule.floor_days;
    }
    int64_t rows = 0;
    enum store_rc rc = fair_inputs_read(c, d->date, x->in, x->n, &rows, &out->values_ignored, err);
    if (rc != STORE_OK)
        return rc;
    d->n = x->n;
    d->in = x->in;
    d->out = calloc(x->n, sizeof(*d->out));
    if (d->out == NULL)
        return store_fail(err, STORE_ERROR, "out of memory");
    enum fr_rc frc = fr_run(&d->rule, d->date, d->in, d->n, d->out);
    if (frc == FR_OK) {
        out->institutions = (int64_t)d->n;
        rc = publish(s, d, last, now_ms, sk, out, err);
    } else {
        snprintf(out->why, sizeof(out->why), "the day cannot be scored: %s", fr_rc_str(frc));
    }
    free(d->out);
    d->out = NULL;
    return rc;
}

/* What must hold before scoring: not published, after the last day, a rule, metrics. */
static enum store_rc preconditions(struct store_conn *c, const char *ds, struct last_day *last,
                                   struct rule_row *rule, struct score_report *out,
                                   struct store_err *err)
{
    struct store_val p[] = {SV_TEXT(ds)};
    struct last_day same = {false, {0, 0, 0}, ""};
    enum store_rc rc = store_query(c, "SELECT day, hash FROM fair_days WHERE day = ?", p, 1,
                                   take_last, &same, err);
    if (rc == STORE_OK && same.found) {
        out->already = true;
        snprintf(out->hash, sizeof(out->hash), "%s", same.hash);
        return STORE_OK;
    }
    if (rc == STORE_OK)
        rc = store_query(c, "SELECT day, hash FROM fair_days ORDER BY day DESC LIMIT 1", NULL, 0,
                         take_last, last, err);
    if (rc == STORE_OK)
        rc = store_query(c,
                         "SELECT version, text, hash FROM fair_rule_versions WHERE status = "
                         "'published' AND effective_date <= ? ORDER BY effective_date DESC, "
                         "version DESC LIMIT 1",
                         p, 1, take_rule, rule, err);
    int64_t rows = 0, ignored = 0;
    struct civil_date d;
    ASSERT(civil_date_parse(ds, strlen(ds), &d) == CIVIL_OK);
    if (rc == STORE_OK) /* no institution given: stops at the first row, if any */
        rc = fair_inputs_read(c, d, NULL, 0, &rows, &ignored, err);
    if (rc != STORE_OK)
        return rc;
    char lastd[CIVIL_DATE_CAP] = "";
    if (last->found)
        civil_date_format(last->day, lastd, sizeof(lastd));
    if (last->found && strcmp(lastd, ds) > 0)
        snprintf(out->why, sizeof(out->why),
                 "days are published in order and %s is already published", lastd);
    else if (!rule->found)
        snprintf(out->why, sizeof(out->why), "no published rule version is in force on %s", ds);
    else if (rows == 0) {
        out->no_inputs = true;
        snprintf(out->why, sizeof(out->why),
                 "no metrics for %s in inst_metrics_daily (has the daily roll-up run?)", ds);
    }
    return STORE_OK;
}

enum store_rc job_score(struct store *s, struct civil_date d, int64_t now_ms,
                        const uint8_t sk[CRYPTO_SIGN_SK_BYTES], struct score_report *out,
                        struct store_err *err)
{
    memset(out, 0, sizeof(*out));
    struct store_conn *c = store_reader(s, err);
    if (c == NULL)
        return err->rc ? err->rc : STORE_ERROR;
    char ds[CIVIL_DATE_CAP];
    civil_date_format(d, ds, sizeof(ds));
    struct last_day last = {false, {0, 0, 0}, ""};
    struct rule_row rule = {false, 0, NULL, ""};
    enum store_rc rc = preconditions(c, ds, &last, &rule, out, err);
    if (rc != STORE_OK || out->already || out->why[0]) {
        free(rule.text);
        return rc;
    }
    struct fair_day day = {.date = d, .rule_version = rule.version, .rule_text = rule.text};
    snprintf(day.rule_hash, sizeof(day.rule_hash), "%s", rule.hash);
    snprintf(day.prev_hash, sizeof(day.prev_hash), "%s", last.found ? last.hash : fair_zero_hash);
    day.has_prev = last.found;
    day.prev_date = last.day;
    struct fair_err ferr;
    out->rule_version = rule.version;
    if (!fair_rule_load(rule.text, strlen(rule.text), &day.rule, &ferr)) {
        free(rule.text);
        return store_fail(err, STORE_ERROR, "rule version %lld is damaged: %s",
                          (long long)rule.version, ferr.msg);
    }
    out->total = day.rule.total;
    struct insts x = {NULL, NULL, 0, 0};
    rc = read_insts(c, &x, err);
    if (rc == STORE_OK && x.n == 0)
        snprintf(out->why, sizeof(out->why), "no institution is open to investors");
    else if (rc == STORE_OK)
        rc = score_insts(s, c, &day, &x, &last, now_ms, sk, out, err);
    free(x.in);
    free(x.opened_ms);
    free(rule.text);
    return rc;
}

/* ---- the scheduler's list ---- */

static int take_text_date(void *ctx, const struct store_row *row)
{
    size_t len = 0;
    const char *s = store_row_text(row, 0, &len);
    struct civil_date *d = ctx;
    if (civil_date_parse(s, len, d) != CIVIL_OK)
        d->year = 0;
    return 1;
}

enum store_rc fair_days_due(struct store_conn *c, struct civil_date today, struct civil_date *out,
                            size_t cap, size_t *n, struct store_err *err)
{
    *n = 0;
    struct civil_date last = {0, 0, 0}, first = {0, 0, 0};
    enum store_rc rc =
        store_query(c, "SELECT MAX(day) FROM fair_days", NULL, 0, take_text_date, &last, err);
    if (rc == STORE_OK)
        rc = store_query(c,
                         "SELECT MIN(effective_date) FROM fair_rule_versions WHERE status = "
                         "'published'",
                         NULL, 0, take_text_date, &first, err);
    if (rc != STORE_OK || first.year == 0)
        return rc; /* no rule was ever published: nothing is due */
    struct civil_date from = last.year ? civil_date_add_days(last, 1) : first;
    /* Days further back are left to `batch score`: a long stretch without metrics must not
     * keep the scheduler from the days that have them. */
    struct civil_date oldest = civil_date_add_days(today, -(int64_t)cap);
    if (civil_date_cmp(from, oldest) < 0)
        from = oldest;
    for (struct civil_date d = from; civil_date_cmp(d, today) < 0 && *n < cap && rc == STORE_OK;
         d = civil_date_add_days(d, 1)) {
        char ds[CIVIL_DATE_CAP];
        civil_date_format(d, ds, sizeof(ds));
        struct store_val p[] = {SV_TEXT(ds)};
        int64_t done = 0;
        rc = store_query_int(c,
                             "SELECT count(*) FROM batch_runs WHERE job = 'rollup' AND run_date "
                             "= ? AND status = 'done'",
                             p, 1, &done, err);
        if (rc == STORE_OK && done > 0)
            out[(*n)++] = d;
    }
    return rc;
}
