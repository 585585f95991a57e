/*
 * metrics.h: the fixed catalogue of metrics the fair traffic rule may use (DESIGN §7), and
 * how each is computed from an institution's figures over its window. Pure: the daily
 * roll-up (jobs/rollup.c) gathers the inputs and stores what this computes in
 * inst_metrics_daily; the rule code reads that table. docs/metrics.md explains each in
 * plain words.
 *
 *   metric                  unit  window  value                                  better
 *   question_response_time  s     30 d    lower median of answer delays          lower
 *   answer_rate             ppm   30 d    questions answered / questions due     higher
 *   holder_retention_90d    ppm   90 d    holders of D-90 still holding on D     higher
 *   complaint_rate          ppm   30 d    complaints / holders on D              lower
 *                                         (ppm of holders = per 10,000 holders × 100)
 *   compliance_record       ppm   90 d    submissions without an adverse         higher
 *                                         decision / submissions
 *   content_engagement      ppm   30 d    (content views + shares) / impressions higher
 *   follower_growth         ppm   30 d    (followers on D - on D-30) / on D-30   higher
 *
 * ppm values are numerator × 10^6 / denominator, in 128-bit arithmetic, truncated toward
 * zero; a metric whose denominator is 0 has no value (NULL), which is not the same as 0.
 */
#ifndef CFH_METRICS_H
#define CFH_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum metric_id {
    METRIC_QUESTION_RESPONSE_TIME = 0,
    METRIC_ANSWER_RATE,
    METRIC_HOLDER_RETENTION_90D,
    METRIC_COMPLAINT_RATE,
    METRIC_COMPLIANCE_RECORD,
    METRIC_CONTENT_ENGAGEMENT,
    METRIC_FOLLOWER_GROWTH,
    METRIC_COUNT
};

#define METRIC_WINDOW_DAYS      30
#define METRIC_LONG_WINDOW_DAYS 90
/* A question younger than this at the end of the day is not yet due unless answered. */
#define METRIC_ANSWER_GRACE_MS (INT64_C(48) * 3600 * 1000)

/* "question_response_time", ...; the stored names. */
const char *metric_name(enum metric_id m);
/* "s" or "ppm". */
const char *metric_unit(enum metric_id m);
/* 30 or 90. */
int metric_window_days(enum metric_id m);

struct metric_value {
    bool known;          /* false: nothing to measure in the window (stored as NULL) */
    int64_t value;       /* in the metric's unit, when known */
    bool has_numerator;  /* false for the median */
    int64_t numerator;   /* when has_numerator */
    int64_t denominator; /* the ratio's denominator; for the median, the number of answers */
};

/* What the metrics of one institution on day D are computed from. */
struct metric_inputs {
    const int64_t *response_ms; /* delays of the answers given in the window, ascending */
    size_t responses;
    int64_t questions_due;      /* published in the window, answered or past the grace */
    int64_t questions_answered; /* of those, answered by the end of D */
    int64_t holders_90d_base;   /* investors holding any of its products at the end of D-90 */
    int64_t holders_90d_kept;   /* of those, holding any at the end of D */
    int64_t complaints;         /* in the window */
    int64_t holders;            /* at the end of D */
    int64_t submissions;        /* texts checked in the window (one automatic decision each) */
    int64_t adverse;            /* blocked, rejected or taken down in the window */
    int64_t content_views;      /* of its content, in the window */
    int64_t content_shares;
    int64_t impressions;     /* its zone shown in a recommendation slot, in the window */
    int64_t followers_start; /* at the end of D-30 */
    int64_t followers_end;   /* at the end of D */
};

/* num × 10^6 / den truncated toward zero; den > 0. */
int64_t metric_ppm(int64_t num, int64_t den);

/* The lower median of sorted[0..n) (the middle one, or the smaller of the two middle ones);
 * false when n is 0. */
bool metric_median_lower(const int64_t *sorted, size_t n, int64_t *out);

/* Every metric of the catalogue from one institution's inputs. */
void metrics_compute(const struct metric_inputs *in, struct metric_value out[METRIC_COUNT]);

#endif
