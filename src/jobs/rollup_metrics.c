/*
 * rollup_metrics.c: the fair rule's metric inputs for day D (core/metrics.h), one row per
 * institution and metric in inst_metrics_daily. Each input is one grouped query over its
 * window; the arithmetic is core's. Windows end with D: the 30 days D-29..D, or 90.
 *
 * Sums over the roll-up rows of the window (views, shares, impressions) count the days that
 * were rolled up; a day missing from them counts as nothing happened.
 */
#include "jobs/rollup_int.h"

#include "base/check.h"
#include "core/metrics.h"

#include <stdlib.h>
#include <string.h>

struct inst_inputs {
    struct metric_inputs in;
    size_t from, to; /* its answers in metrics_ctx.ms */
};

struct metrics_ctx {
    struct rollup *x;
    struct inst_inputs *ii; /* by the index of x->inst */
    int64_t *ms;            /* every answer delay of the window, by institution, ascending */
    size_t n_ms, cap_ms;
    bool oom;
};

static struct inst_inputs *inputs_of(struct metrics_ctx *m, int64_t inst)
{
    uint32_t *i = pmap_get(&m->x->inst_ix, inst, 0);
    return i ? &m->ii[*i] : NULL;
}

static int take_delay(void *ctx, const struct store_row *row)
{
    struct metrics_ctx *m = ctx;
    struct inst_inputs *ii = inputs_of(m, store_row_int(row, 0));
    if (ii == NULL)
        return 0;
    if (m->n_ms == m->cap_ms) {
        size_t cap = m->cap_ms ? 2 * m->cap_ms : 1024;
        int64_t *ms = realloc(m->ms, cap * sizeof(*ms));
        if (ms == NULL) {
            m->oom = true;
            return 1;
        }
        m->ms = ms;
        m->cap_ms = cap;
    }
    /* Rows come by institution: its answers are one run of the array. */
    if (ii->to == 0)
        ii->from = m->n_ms;
    m->ms[m->n_ms++] = store_row_int(row, 1);
    ii->to = m->n_ms;
    return 0;
}

static int take_questions(void *ctx, const struct store_row *row)
{
    struct inst_inputs *ii = inputs_of(ctx, store_row_int(row, 0));
    if (ii != NULL) {
        ii->in.questions_answered = store_row_int(row, 1);
        ii->in.questions_due = store_row_int(row, 2);
    }
    return 0;
}

static int take_moderation(void *ctx, const struct store_row *row)
{
    struct inst_inputs *ii = inputs_of(ctx, store_row_int(row, 0));
    if (ii != NULL) {
        ii->in.submissions = store_row_int(row, 1);
        ii->in.adverse = store_row_int(row, 2);
    }
    return 0;
}

static int take_engagement(void *ctx, const struct store_row *row)
{
    struct inst_inputs *ii = inputs_of(ctx, store_row_int(row, 0));
    if (ii != NULL) {
        ii->in.content_views = store_row_int(row, 1);
        ii->in.content_shares = store_row_int(row, 2);
        ii->in.impressions = store_row_int(row, 3);
    }
    return 0;
}

static enum store_rc gather_questions(struct metrics_ctx *m, int64_t from_ms, struct store_err *err)
{
    struct rollup *x = m->x;
    struct store_val p[] = {SV_INT(from_ms), SV_INT(x->end_ms)};
    enum store_rc rc = store_query(x->rd,
                                   "SELECT institution_id, response_ms FROM questions WHERE "
                                   "answered_ms >= ? AND answered_ms < ? AND response_ms IS NOT "
                                   "NULL ORDER BY institution_id, response_ms",
                                   p, 2, take_delay, m, err);
    if (rc == STORE_OK && m->oom)
        return store_fail(err, STORE_ERROR, "out of memory for answer delays");
    /* Due: published in the window and either answered by the end of D or older than the
     * grace period then. A question asked late on D is not late yet. */
    struct store_val q[] = {SV_INT(from_ms), SV_INT(x->end_ms),
                            SV_INT(x->end_ms - METRIC_ANSWER_GRACE_MS)};
    if (rc == STORE_OK)
        rc = store_query(x->rd,
                         "SELECT institution_id, SUM(CASE WHEN answered_ms < ?2 THEN 1 ELSE 0 "
                         "END), SUM(CASE WHEN answered_ms < ?2 OR published_ms < ?3 THEN 1 ELSE "
                         "0 END) FROM questions WHERE status = 'published' AND published_ms >= "
                         "?1 AND published_ms < ?2 GROUP BY institution_id",
                         q, 3, take_questions, m, err);
    return rc;
}

static int take_complaints(void *ctx, const struct store_row *row)
{
    struct inst_inputs *ii = inputs_of(ctx, store_row_int(row, 0));
    if (ii != NULL)
        ii->in.complaints = store_row_int(row, 1);
    return 0;
}

static enum store_rc gather(struct metrics_ctx *m, struct store_err *err)
{
    struct rollup *x = m->x;
    int64_t from30 = x->end_ms - METRIC_WINDOW_DAYS * CIVIL_MS_PER_DAY;
    int64_t from90 = x->end_ms - METRIC_LONG_WINDOW_DAYS * CIVIL_MS_PER_DAY;
    enum store_rc rc = gather_questions(m, from30, err);
    /* Texts submitted (each has an automatic decision) and those with an adverse one: blocked
     * at once, rejected by a reviewer, or taken down. Counted by subject, not by decision: a
     * campaign withdrawn from review and submitted again, however often, is one submission,
     * so resubmitting cannot dilute the adverse ratio (a content's new version is a new text,
     * its own subject). Investors' questions are not the institution's doing. */
    struct store_val p[] = {SV_INT(from90), SV_INT(x->end_ms)};
    if (rc == STORE_OK)
        rc = store_query(x->rd,
                         "SELECT institution_id, count(DISTINCT CASE WHEN decision IN "
                         "('auto_pass', 'auto_hold', 'auto_block') THEN subject END), "
                         "count(DISTINCT CASE WHEN decision IN ('auto_block', 'reject', "
                         "'take_down') THEN subject END) FROM moderation_decisions WHERE "
                         "decided_ms >= ? AND decided_ms < ? AND institution_id IS NOT NULL AND "
                         "subject NOT LIKE 'question:%' GROUP BY institution_id",
                         p, 2, take_moderation, m, err);
    char first[CIVIL_DATE_CAP];
    civil_date_format(civil_date_add_days(x->d, 1 - METRIC_WINDOW_DAYS), first, sizeof(first));
    struct store_val q[] = {SV_TEXT(first), SV_TEXT(x->day)};
    if (rc == STORE_OK)
        rc = store_query(x->rd,
                         "SELECT institution_id, SUM(content_views), SUM(shares), "
                         "SUM(impressions) FROM rollup_inst_daily WHERE day >= ? AND day <= ? "
                         "GROUP BY institution_id",
                         q, 2, take_engagement, m, err);
    /* Complaints in the window: reports about the institution not dismissed by a reviewer
     * (the same count as the daily figure, over 30 days). */
    struct store_val k[] = {SV_INT(from30), SV_INT(x->end_ms)};
    if (rc == STORE_OK)
        rc = store_query(x->rd,
                         "SELECT institution_id, count(*) FROM reports WHERE created_ms >= ? AND "
                         "created_ms < ? AND status <> 'dismissed' GROUP BY institution_id",
                         k, 2, take_complaints, m, err);
    return rc;
}

struct metric_rows {
    struct rollup *x;
    struct metrics_ctx *m;
    size_t from, to; /* institutions */
};

static enum store_rc metric_rows_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct metric_rows *w = ctx;
    enum store_rc rc = STORE_OK;
    for (size_t i = w->from; i < w->to && rc == STORE_OK; i++) {
        struct inst_inputs *ii = &w->m->ii[i];
        ii->in.response_ms = ii->to > ii->from ? w->m->ms + ii->from : NULL;
        ii->in.responses = ii->to - ii->from;
        struct metric_value v[METRIC_COUNT];
        metrics_compute(&ii->in, v);
        for (int k = 0; k < METRIC_COUNT && rc == STORE_OK; k++) {
            struct store_val p[] = {
                SV_TEXT(w->x->day),
                SV_INT(w->x->inst[i].id),
                SV_TEXT(metric_name((enum metric_id)k)),
                v[k].known ? SV_INT(v[k].value) : SV_NULL_,
                SV_TEXT(metric_unit((enum metric_id)k)),
                v[k].has_numerator ? SV_INT(v[k].numerator) : SV_NULL_,
                SV_INT(v[k].denominator),
                SV_INT(metric_window_days((enum metric_id)k)),
            };
            rc = store_exec(c,
                            "INSERT INTO inst_metrics_daily (day, institution_id, metric, value, "
                            "unit, numerator, denominator, window_days) VALUES (?, ?, ?, ?, ?, ?, "
                            "?, ?)",
                            p, ARRAY_LEN(p), NULL, err);
            w->x->rep->metrics += rc == STORE_OK;
        }
    }
    return rc;
}

enum store_rc rollup_metrics(struct rollup *x, struct store_err *err)
{
    struct metrics_ctx m = {.x = x, .ii = calloc(x->n_inst + 1, sizeof(*m.ii))};
    int64_t *start = calloc(x->n_inst + 1, sizeof(*start));
    if (m.ii == NULL || start == NULL) {
        free(m.ii);
        free(start);
        return store_fail(err, STORE_ERROR, "out of memory");
    }
    enum store_rc rc = gather(&m, err);
    if (rc == STORE_OK)
        rc = rollup_followers_at(x, x->end_ms - METRIC_WINDOW_DAYS * CIVIL_MS_PER_DAY, start, err);
    for (size_t i = 0; rc == STORE_OK && i < x->n_inst; i++) {
        const struct inst_fig *f = &x->inst[i];
        struct metric_inputs *in = &m.ii[i].in;
        in->holders_90d_base = f->h90_base;
        in->holders_90d_kept = f->h90_kept;
        in->holders = f->holders;
        in->followers_start = start[i];
        in->followers_end = f->followers;
    }
    size_t step = LIMIT_ROLLUP_CHUNK_ROWS / METRIC_COUNT;
    for (size_t from = 0; rc == STORE_OK && from < x->n_inst; from += step) {
        struct metric_rows w = {x, &m, from, x->n_inst - from < step ? x->n_inst : from + step};
        rc = rollup_write(x, metric_rows_write, &w, err);
    }
    free(m.ii);
    free(m.ms);
    free(start);
    return rc;
}
