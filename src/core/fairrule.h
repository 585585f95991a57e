/*
 * fairrule.h: the fair traffic rule (DESIGN §7): from each institution's metrics to its score,
 * and from the scores to the day's recommendation impressions. Pure: no I/O, no globals, one
 * scratch allocation for sorting; integers only, every division's rounding stated, so that anyone
 * who has the published inputs computes the same allocation to the impression.
 *
 * A rule version names metrics from a fixed catalogue, each with a weight, a direction
 * (higher or lower is better), a normalisation and the value an institution without that
 * metric is given; plus a floor for institutions in their first days and a cap per
 * institution, and the day's total of impressions.
 *
 *   normalise   each metric to parts per million of "best":
 *                 range     clamp v to [lo, hi]; (v − lo) × 10^6 / (hi − lo), truncated
 *                 relative  the same with lo and hi the day's smallest and largest value among
 *                           the institutions that have the metric (all equal: 500,000)
 *               and for direction "lower", 10^6 minus that. Missing: missing_ppm.
 *   score       Σ weight × normalised / Σ weight, truncated, in ppm.
 *   allocate    impressions in proportion to score + 1 (so a zero score is not a zero weight),
 *               each institution kept between its floor (new ones: ceil(total × floor_ppm /
 *               10^6)) and its cap (floor(total × cap_ppm / 10^6)): x_i = clamp(λ·w_i, lo_i,
 *               hi_i) with λ such that Σ x_i = total, found exactly by a sweep over the points
 *               where institutions reach their bounds. The fractional shares are rounded by
 *               largest remainder; equal remainders go to the smaller tie hash, SHA-256 of
 *               "YYYY-MM-DD:<institution id>" (first 8 bytes, big-endian).
 *               Floors that together exceed the total are dropped; caps that together fall
 *               short of it are raised to ceil(total / n). So every impression is allocated.
 *
 * Nothing here knows whether an institution is the platform's own: the inputs have no such
 * field, and the result depends only on ids, metrics, the new flag and the rule.
 */
#ifndef CFH_FAIRRULE_H
#define CFH_FAIRRULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/civil.h"

#define FR_PPM_ONE          INT64_C(1000000)
#define FR_WEIGHT_MAX       1000
#define FR_TOTAL_MAX        INT64_C(1000000000000) /* impressions in a day */
#define FR_VALUE_ABS_MAX    INT64_C(1000000000000) /* any metric value, either sign */
#define FR_INSTITUTIONS_MAX 100000

/* The catalogue. Values are integers in the unit of each name. */
enum fr_metric {
    FR_RESPONSE_S,         /* median question response time, seconds (lower is better) */
    FR_ANSWER_RATE,        /* questions answered / asked, ppm */
    FR_RETENTION_90D,      /* holders of 90 days ago still holding, ppm */
    FR_COMPLAINTS_PER_10K, /* complaints per 10,000 holders, in hundredths (lower is better) */
    FR_COMPLIANCE,         /* moderation decisions that were clean, ppm */
    FR_ENGAGEMENT,         /* content views and shares per recommendation impression, ppm */
    FR_FOLLOWER_GROWTH,    /* net new followers / followers, ppm (may be negative) */
    FR_METRICS             /* count */
};

enum fr_direction {
    FR_HIGHER,
    FR_LOWER
};

enum fr_norm {
    FR_RANGE,
    FR_RELATIVE
};

struct fr_term {
    enum fr_metric metric;
    int64_t weight; /* 1..FR_WEIGHT_MAX */
    enum fr_direction direction;
    enum fr_norm norm;
    int64_t lo, hi;      /* FR_RANGE: lo < hi */
    int64_t missing_ppm; /* 0..10^6 */
};

struct fr_rule {
    struct fr_term term[FR_METRICS];
    size_t n;           /* 1..FR_METRICS terms, each metric at most once */
    int64_t total;      /* impressions of the day, 1..FR_TOTAL_MAX */
    int64_t floor_days; /* an institution live fewer days than this is new, 0..365 */
    int64_t floor_ppm;  /* a new institution's floor, share of total, 0..10^6 */
    int64_t cap_ppm;    /* every institution's cap, share of total, 1..10^6 */
};

struct fr_input {
    int64_t inst_id; /* > 0, unique */
    bool is_new;     /* live fewer than floor_days days */
    bool has[FR_METRICS];
    int64_t value[FR_METRICS];
};

struct fr_output {
    int64_t norm_ppm[FR_METRICS]; /* for the rule's metrics; 0 elsewhere */
    int64_t score_ppm;
    int64_t floor, cap; /* in impressions, after the feasibility adjustments */
    int64_t impressions;
};

enum fr_rc {
    FR_OK = 0,
    FR_E_TERMS,     /* no term, or too many */
    FR_E_DUPLICATE, /* a metric twice */
    FR_E_WEIGHT,    /* outside 1..FR_WEIGHT_MAX */
    FR_E_RANGE,     /* range with lo >= hi, or bounds beyond FR_VALUE_ABS_MAX */
    FR_E_MISSING,   /* missing_ppm outside 0..10^6 */
    FR_E_TOTAL,     /* total outside 1..FR_TOTAL_MAX */
    FR_E_FLOOR,     /* floor_days or floor_ppm out of range */
    FR_E_CAP,       /* cap_ppm outside 1..10^6 */
    FR_E_INPUTS,    /* no institution, too many, an id <= 0 or repeated, a value too large */
};

const char *fr_rc_str(enum fr_rc rc);

/* "question_response_time", ...; NULL for an unknown metric. */
const char *fr_metric_name(enum fr_metric m);
bool fr_metric_parse(const char *s, enum fr_metric *out);
/* The catalogue's natural direction of a metric. */
enum fr_direction fr_metric_direction(enum fr_metric m);

/* Checks a rule; on failure *term is the offending term's index (or -1). */
enum fr_rc fr_rule_check(const struct fr_rule *r, int *term);

/*
 * The whole day: normalised metrics, scores and impressions of in[0..n) into out[0..n), same
 * order. in must be sorted by inst_id ascending (the order of the published record).
 */
enum fr_rc fr_run(const struct fr_rule *r, struct civil_date day, const struct fr_input *in,
                  size_t n, struct fr_output *out);

/* The tie hash of an institution on a day (see above). */
uint64_t fr_tie_hash(struct civil_date day, int64_t inst_id);

/* The metric whose normalised value cost the score most (largest weight × (10^6 − norm)), or
 * -1 when nothing cost anything. */
int fr_costliest(const struct fr_rule *r, const struct fr_output *o);

#endif
