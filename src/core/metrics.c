/* metrics.c: the fair rule's metric catalogue (see metrics.h). */
#include "core/metrics.h"

#include "base/check.h"

static const struct {
    const char *name, *unit;
    int window_days;
} catalogue[METRIC_COUNT] = {
    [METRIC_QUESTION_RESPONSE_TIME] = {"question_response_time", "s", METRIC_WINDOW_DAYS},
    [METRIC_ANSWER_RATE] = {"answer_rate", "ppm", METRIC_WINDOW_DAYS},
    [METRIC_HOLDER_RETENTION_90D] = {"holder_retention_90d", "ppm", METRIC_LONG_WINDOW_DAYS},
    [METRIC_COMPLAINT_RATE] = {"complaint_rate", "ppm", METRIC_WINDOW_DAYS},
    [METRIC_COMPLIANCE_RECORD] = {"compliance_record", "ppm", METRIC_LONG_WINDOW_DAYS},
    [METRIC_CONTENT_ENGAGEMENT] = {"content_engagement", "ppm", METRIC_WINDOW_DAYS},
    [METRIC_FOLLOWER_GROWTH] = {"follower_growth", "ppm", METRIC_WINDOW_DAYS},
};

const char *metric_name(enum metric_id m)
{
    ASSERT(m < METRIC_COUNT);
    return catalogue[m].name;
}

const char *metric_unit(enum metric_id m)
{
    ASSERT(m < METRIC_COUNT);
    return catalogue[m].unit;
}

int metric_window_days(enum metric_id m)
{
    ASSERT(m < METRIC_COUNT);
    return catalogue[m].window_days;
}

int64_t metric_ppm(int64_t num, int64_t den)
{
    ASSERT(den > 0);
    /* C division truncates toward zero, for negative numerators too (follower loss). */
    __int128 q = (__int128)num * 1000000 / den;
    ASSERT(q >= INT64_MIN && q <= INT64_MAX);
    return (int64_t)q;
}

bool metric_median_lower(const int64_t *sorted, size_t n, int64_t *out)
{
    if (n == 0)
        return false;
    *out = sorted[(n - 1) / 2];
    return true;
}

static struct metric_value ratio(int64_t num, int64_t den)
{
    ASSERT(den >= 0);
    struct metric_value v = {.has_numerator = true, .numerator = num, .denominator = den};
    v.known = den > 0;
    v.value = v.known ? metric_ppm(num, den) : 0;
    return v;
}

void metrics_compute(const struct metric_inputs *in, struct metric_value out[METRIC_COUNT])
{
    ASSERT(in->responses == 0 || in->response_ms != NULL);
    struct metric_value rt = {.denominator = (int64_t)in->responses};
    int64_t median_ms = 0;
    rt.known = metric_median_lower(in->response_ms, in->responses, &median_ms);
    rt.value = rt.known ? median_ms / 1000 : 0; /* whole seconds, truncated */
    out[METRIC_QUESTION_RESPONSE_TIME] = rt;
    out[METRIC_ANSWER_RATE] = ratio(in->questions_answered, in->questions_due);
    out[METRIC_HOLDER_RETENTION_90D] = ratio(in->holders_90d_kept, in->holders_90d_base);
    out[METRIC_COMPLAINT_RATE] = ratio(in->complaints, in->holders);
    /* A takedown in the window may concern a text checked before it: never below zero. */
    int64_t clean = in->submissions - in->adverse;
    out[METRIC_COMPLIANCE_RECORD] = ratio(clean < 0 ? 0 : clean, in->submissions);
    out[METRIC_CONTENT_ENGAGEMENT] = ratio(in->content_views + in->content_shares, in->impressions);
    out[METRIC_FOLLOWER_GROWTH] =
        ratio(in->followers_end - in->followers_start, in->followers_start);
}
