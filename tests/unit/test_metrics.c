/*
 * test_metrics.c - unit tests of core/metrics: the fair rule's metric catalogue computed from
 * small hand-made inputs whose answers are worked out here, in the comments, by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/metrics.h"

static void test_catalogue(void **state)
{
    (void)state;
    static const char *const names[METRIC_COUNT] = {
        "question_response_time", "answer_rate",        "holder_retention_90d", "complaint_rate",
        "compliance_record",      "content_engagement", "follower_growth"};
    for (int m = 0; m < METRIC_COUNT; m++) {
        assert_string_equal(metric_name((enum metric_id)m), names[m]);
        assert_string_equal(metric_unit((enum metric_id)m), m == 0 ? "s" : "ppm");
    }
    assert_int_equal(metric_window_days(METRIC_HOLDER_RETENTION_90D), 90);
    assert_int_equal(metric_window_days(METRIC_COMPLIANCE_RECORD), 90);
    assert_int_equal(metric_window_days(METRIC_ANSWER_RATE), 30);
}

static void test_ppm(void **state)
{
    (void)state;
    assert_int_equal(metric_ppm(1, 3), 333333);   /* 333333.33 truncated */
    assert_int_equal(metric_ppm(2, 3), 666666);   /* 666666.67 truncated, not rounded */
    assert_int_equal(metric_ppm(-2, 3), -666666); /* toward zero, not down */
    assert_int_equal(metric_ppm(7, 7), 1000000);
    assert_int_equal(metric_ppm(5, 2), 2500000); /* more than one per unit is allowed */
    assert_int_equal(metric_ppm(0, 9), 0);
    /* 128-bit intermediate: 9.2e12 × 10^6 overflows 64 bits. */
    assert_int_equal(metric_ppm(INT64_C(9200000000000), INT64_C(9200000000000)), 1000000);
}

static void test_median(void **state)
{
    (void)state;
    int64_t out = -1;
    assert_false(metric_median_lower(NULL, 0, &out));
    assert_int_equal(out, -1);
    assert_true(metric_median_lower((int64_t[]){42}, 1, &out));
    assert_int_equal(out, 42);
    assert_true(metric_median_lower((int64_t[]){1, 5, 9}, 3, &out));
    assert_int_equal(out, 5);
    /* Even count: the smaller of the two middle values, never their mean. */
    assert_true(metric_median_lower((int64_t[]){1, 5, 9, 100}, 4, &out));
    assert_int_equal(out, 5);
}

static void test_compute(void **state)
{
    (void)state;
    /* Answers after 10 min, 1 h, 1 h 30 min 1.9 s and 2 days: lower median is the 2nd,
     * 3,600,000 ms = 3600 s. */
    static const int64_t delays[] = {600000, 3600000, 5401900, 172800000};
    struct metric_inputs in = {
        .response_ms = delays,
        .responses = 4,
        .questions_due = 8,
        .questions_answered = 6, /* 6 / 8 = 750000 ppm */
        .holders_90d_base = 40,
        .holders_90d_kept = 33, /* 33 / 40 = 825000 ppm */
        .complaints = 3,
        .holders = 12000, /* 3 / 12000 = 250 ppm = 2.5 per 10,000 holders */
        .submissions = 50,
        .adverse = 2, /* (50 - 2) / 50 = 960000 ppm */
        .content_views = 900,
        .content_shares = 100,
        .impressions = 4000, /* 1000 / 4000 = 250000 ppm */
        .followers_start = 300,
        .followers_end = 291, /* -9 / 300 = -30000 ppm */
    };
    struct metric_value v[METRIC_COUNT];
    metrics_compute(&in, v);
    assert_true(v[METRIC_QUESTION_RESPONSE_TIME].known);
    assert_int_equal(v[METRIC_QUESTION_RESPONSE_TIME].value, 3600);
    assert_false(v[METRIC_QUESTION_RESPONSE_TIME].has_numerator);
    assert_int_equal(v[METRIC_QUESTION_RESPONSE_TIME].denominator, 4);
    assert_int_equal(v[METRIC_ANSWER_RATE].value, 750000);
    assert_int_equal(v[METRIC_ANSWER_RATE].numerator, 6);
    assert_int_equal(v[METRIC_ANSWER_RATE].denominator, 8);
    assert_int_equal(v[METRIC_HOLDER_RETENTION_90D].value, 825000);
    assert_int_equal(v[METRIC_COMPLAINT_RATE].value, 250);
    assert_int_equal(v[METRIC_COMPLIANCE_RECORD].value, 960000);
    assert_int_equal(v[METRIC_COMPLIANCE_RECORD].numerator, 48);
    assert_int_equal(v[METRIC_CONTENT_ENGAGEMENT].value, 250000);
    assert_int_equal(v[METRIC_CONTENT_ENGAGEMENT].numerator, 1000);
    assert_int_equal(v[METRIC_FOLLOWER_GROWTH].value, -30000);
    assert_int_equal(v[METRIC_FOLLOWER_GROWTH].numerator, -9);
    for (int m = 0; m < METRIC_COUNT; m++)
        assert_true(v[m].known);
}

static void test_compute_nothing_to_measure(void **state)
{
    (void)state;
    /* No answers, no questions due, no holders then or now, no texts, no impressions, no
     * followers 30 days ago: every metric is unknown, which is not zero. */
    struct metric_inputs in = {.complaints = 0, .followers_end = 5, .content_views = 7};
    struct metric_value v[METRIC_COUNT];
    metrics_compute(&in, v);
    for (int m = 0; m < METRIC_COUNT; m++) {
        assert_false(v[m].known);
        assert_int_equal(v[m].denominator, 0);
    }
    assert_int_equal(v[METRIC_FOLLOWER_GROWTH].numerator, 5);
    /* Known as zero, by contrast: holders but no complaints. */
    in.holders = 10;
    metrics_compute(&in, v);
    assert_true(v[METRIC_COMPLAINT_RATE].known);
    assert_int_equal(v[METRIC_COMPLAINT_RATE].value, 0);
}

static void test_compliance_never_negative(void **state)
{
    (void)state;
    /* Three takedowns in the window of texts checked before it, one text checked in it. */
    struct metric_inputs in = {.submissions = 1, .adverse = 3};
    struct metric_value v[METRIC_COUNT];
    metrics_compute(&in, v);
    assert_true(v[METRIC_COMPLIANCE_RECORD].known);
    assert_int_equal(v[METRIC_COMPLIANCE_RECORD].value, 0);
    assert_int_equal(v[METRIC_COMPLIANCE_RECORD].numerator, 0);
    /* One submission, blocked: 0; one passed: 1,000,000. */
    in.adverse = 1;
    metrics_compute(&in, v);
    assert_int_equal(v[METRIC_COMPLIANCE_RECORD].value, 0);
    in.adverse = 0;
    metrics_compute(&in, v);
    assert_int_equal(v[METRIC_COMPLIANCE_RECORD].value, 1000000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue),
        cmocka_unit_test(test_ppm),
        cmocka_unit_test(test_median),
        cmocka_unit_test(test_compute),
        cmocka_unit_test(test_compute_nothing_to_measure),
        cmocka_unit_test(test_compliance_never_negative),
    };
    return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
