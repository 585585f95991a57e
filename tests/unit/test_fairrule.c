/*
 * test_fairrule.c - unit tests of core/fairrule: normalisation of every kind, scores, the
 * allocation of impressions (exact sum, floors and caps, largest remainder with the tie hash,
 * the feasibility adjustments), rule checks, and properties over random days: the allocation
 * always sums to the total, stays within the bounds, is deterministic, never gives a higher
 * score fewer impressions than a lower one with the same bounds, and does not change when
 * the institutions are listed under other ids in the same order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "core/fairrule.h"

static const struct civil_date DAY = {2026, 3, 2};

static struct fr_rule one_metric(enum fr_metric m, enum fr_norm norm, int64_t lo, int64_t hi)
{
    struct fr_rule r = {
        .n = 1, .total = 1000, .floor_days = 30, .floor_ppm = 0, .cap_ppm = FR_PPM_ONE};
    r.term[0] = (struct fr_term){m, 1, fr_metric_direction(m), norm, lo, hi, 500000};
    return r;
}

static struct fr_input inst(int64_t id, enum fr_metric m, int64_t v)
{
    struct fr_input in = {.inst_id = id};
    in.has[m] = true;
    in.value[m] = v;
    return in;
}

static void test_catalogue(void **state)
{
    (void)state;
    for (int m = 0; m < FR_METRICS; m++) {
        enum fr_metric back = FR_METRICS;
        assert_non_null(fr_metric_name((enum fr_metric)m));
        assert_true(fr_metric_parse(fr_metric_name((enum fr_metric)m), &back));
        assert_int_equal(back, m);
    }
    enum fr_metric x;
    assert_false(fr_metric_parse("platform_own", &x));
    assert_false(fr_metric_parse(NULL, &x));
    assert_int_equal(fr_metric_direction(FR_RESPONSE_S), FR_LOWER);
    assert_int_equal(fr_metric_direction(FR_COMPLAINTS_PER_10K), FR_LOWER);
    assert_int_equal(fr_metric_direction(FR_ANSWER_RATE), FR_HIGHER);
}

/* range: clamp then the way from lo to hi, truncated; lower flips it; missing uses its ppm. */
static void test_normalise_range(void **state)
{
    (void)state;
    struct fr_rule r = one_metric(FR_ANSWER_RATE, FR_RANGE, 200000, 800000);
    struct fr_input in[5] = {inst(1, FR_ANSWER_RATE, 100000),
                             inst(2, FR_ANSWER_RATE, 200000),
                             inst(3, FR_ANSWER_RATE, 500000),
                             inst(4, FR_ANSWER_RATE, 700001),
                             {.inst_id = 5}};
    struct fr_output out[5];
    assert_int_equal(fr_run(&r, DAY, in, 5, out), FR_OK);
    assert_int_equal(out[0].norm_ppm[FR_ANSWER_RATE], 0);
    assert_int_equal(out[1].norm_ppm[FR_ANSWER_RATE], 0);
    assert_int_equal(out[2].norm_ppm[FR_ANSWER_RATE], 500000);
    /* (700001 − 200000) × 10^6 / 600000 = 833335.0 exactly; one more would truncate */
    assert_int_equal(out[3].norm_ppm[FR_ANSWER_RATE], 833335);
    assert_int_equal(out[4].norm_ppm[FR_ANSWER_RATE], 500000); /* missing */

    struct fr_rule low = one_metric(FR_RESPONSE_S, FR_RANGE, 0, 86400);
    struct fr_input t[2] = {inst(1, FR_RESPONSE_S, 3600), inst(2, FR_RESPONSE_S, 100000)};
    assert_int_equal(fr_run(&low, DAY, t, 2, out), FR_OK);
    /* 3600 / 86400 = 41666.6… → 41666; lower is better: 958334 */
    assert_int_equal(out[0].norm_ppm[FR_RESPONSE_S], 958334);
    assert_int_equal(out[1].norm_ppm[FR_RESPONSE_S], 0);
}

/* relative: the day's own minimum and maximum among those with the metric. */
static void test_normalise_relative(void **state)
{
    (void)state;
    struct fr_rule r = one_metric(FR_FOLLOWER_GROWTH, FR_RELATIVE, 0, 0);
    struct fr_input in[4] = {inst(1, FR_FOLLOWER_GROWTH, -50000),
                             inst(2, FR_FOLLOWER_GROWTH, 25000),
                             inst(3, FR_FOLLOWER_GROWTH, 100000),
                             {.inst_id = 4}};
    struct fr_output out[4];
    assert_int_equal(fr_run(&r, DAY, in, 4, out), FR_OK);
    assert_int_equal(out[0].norm_ppm[FR_FOLLOWER_GROWTH], 0);
    assert_int_equal(out[1].norm_ppm[FR_FOLLOWER_GROWTH], 500000);
    assert_int_equal(out[2].norm_ppm[FR_FOLLOWER_GROWTH], FR_PPM_ONE);
    assert_int_equal(out[3].norm_ppm[FR_FOLLOWER_GROWTH], 500000);
    /* Everyone equal: nobody is better, everyone is at the middle. */
    struct fr_input eq[2] = {inst(1, FR_FOLLOWER_GROWTH, 7), inst(2, FR_FOLLOWER_GROWTH, 7)};
    assert_int_equal(fr_run(&r, DAY, eq, 2, out), FR_OK);
    assert_int_equal(out[0].norm_ppm[FR_FOLLOWER_GROWTH], 500000);
    assert_int_equal(out[1].norm_ppm[FR_FOLLOWER_GROWTH], 500000);
}

/* score = Σ weight × norm / Σ weight, truncated; the costliest metric is the largest loss. */
static void test_score_and_costliest(void **state)
{
    (void)state;
    struct fr_rule r = {.n = 2, .total = 100, .cap_ppm = FR_PPM_ONE};
    r.term[0] = (struct fr_term){FR_ANSWER_RATE, 3, FR_HIGHER, FR_RANGE, 0, FR_PPM_ONE, 0};
    r.term[1] = (struct fr_term){FR_COMPLIANCE, 1, FR_HIGHER, FR_RANGE, 0, FR_PPM_ONE, 0};
    struct fr_input in = {.inst_id = 9};
    in.has[FR_ANSWER_RATE] = in.has[FR_COMPLIANCE] = true;
    in.value[FR_ANSWER_RATE] = 900000;
    in.value[FR_COMPLIANCE] = 500000;
    struct fr_output out;
    assert_int_equal(fr_run(&r, DAY, &in, 1, &out), FR_OK);
    /* (3 × 900000 + 500000) / 4 = 800000 */
    assert_int_equal(out.score_ppm, 800000);
    /* answer rate lost 3 × 100000, compliance 1 × 500000: compliance cost most */
    assert_int_equal(fr_costliest(&r, &out), FR_COMPLIANCE);
    assert_int_equal(out.impressions, 100); /* alone: everything */
    in.value[FR_COMPLIANCE] = FR_PPM_ONE;
    in.value[FR_ANSWER_RATE] = FR_PPM_ONE;
    assert_int_equal(fr_run(&r, DAY, &in, 1, &out), FR_OK);
    assert_int_equal(fr_costliest(&r, &out), -1);
}

static void assert_allocation(const struct fr_rule *r, const struct fr_output *out, size_t n)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(out[i].impressions >= out[i].floor);
        assert_true(out[i].impressions <= out[i].cap);
        sum += out[i].impressions;
    }
    assert_int_equal(sum, r->total);
}

/*
 * Proportional to score + 1. Scores 599999, 299999, 99999 → weights 600000, 300000, 100000:
 * 1000 impressions split 600 / 300 / 100 exactly.
 */
static void test_allocate_proportional(void **state)
{
    (void)state;
    struct fr_rule r = one_metric(FR_COMPLIANCE, FR_RANGE, 0, FR_PPM_ONE);
    struct fr_input in[3] = {inst(1, FR_COMPLIANCE, 599999), inst(2, FR_COMPLIANCE, 299999),
                             inst(3, FR_COMPLIANCE, 99999)};
    struct fr_output out[3];
    assert_int_equal(fr_run(&r, DAY, in, 3, out), FR_OK);
    assert_int_equal(out[0].impressions, 600);
    assert_int_equal(out[1].impressions, 300);
    assert_int_equal(out[2].impressions, 100);
    assert_allocation(&r, out, 3);
}

/*
 * Largest remainder, ties by the hash: 3 equal institutions share 1000 → 333 each and one
 * left over, which goes to the smallest SHA-256("2026-03-02:<id>") prefix. Known prefixes:
 * "2026-03-02:7" → 4cb063a4…, "2026-03-02:42" → 6d08e044…, so 7 beats 42.
 */
static void test_allocate_ties(void **state)
{
    (void)state;
    assert_true(fr_tie_hash(DAY, 7) == UINT64_C(0x4cb063a420557368));
    assert_true(fr_tie_hash(DAY, 42) == UINT64_C(0x6d08e044dfaea496));
    struct fr_rule r = one_metric(FR_COMPLIANCE, FR_RANGE, 0, FR_PPM_ONE);
    struct fr_input in[3] = {inst(7, FR_COMPLIANCE, 1), inst(42, FR_COMPLIANCE, 1),
                             inst(99, FR_COMPLIANCE, 1)};
    struct fr_output out[3];
    assert_int_equal(fr_run(&r, DAY, in, 3, out), FR_OK);
    uint64_t h99 = fr_tie_hash(DAY, 99);
    size_t winner = h99 < fr_tie_hash(DAY, 7) ? 2 : 0;
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(out[i].impressions, i == winner ? 334 : 333);
    assert_int_equal(out[1].impressions, 333); /* 42 loses to 7 whatever 99's hash is */
    /* Another day, another winner possibly, but always exactly one. */
    struct civil_date d2 = {2026, 3, 3};
    assert_int_equal(fr_run(&r, d2, in, 3, out), FR_OK);
    assert_allocation(&r, out, 3);
}

/* A cap binds: the excess goes to the others in proportion; floors lift new institutions. */
static void test_allocate_floor_and_cap(void **state)
{
    (void)state;
    struct fr_rule r = one_metric(FR_COMPLIANCE, FR_RANGE, 0, FR_PPM_ONE);
    r.cap_ppm = 500000;   /* 500 of 1000 */
    r.floor_ppm = 100000; /* 100 of 1000 for new ones */
    struct fr_input in[3] = {inst(1, FR_COMPLIANCE, 899999), inst(2, FR_COMPLIANCE, 99999),
                             inst(3, FR_COMPLIANCE, 0)};
    in[2].is_new = true;
    struct fr_output out[3];
    assert_int_equal(fr_run(&r, DAY, in, 3, out), FR_OK);
    /* Weights 900000, 100000, 1: unbounded 1 would take ~900. Capped at 500; 3 is new and
     * gets its floor of 100; 2 takes the remaining 400. */
    assert_int_equal(out[0].impressions, 500);
    assert_int_equal(out[1].impressions, 400);
    assert_int_equal(out[2].impressions, 100);
    assert_int_equal(out[2].floor, 100);
    assert_int_equal(out[0].floor, 0);
    assert_allocation(&r, out, 3);

    /* The case a greedy cap-then-floor pass gets wrong: one strong, two new with nothing.
     * Cap 600, floors 300: the answer is 400 / 300 / 300, not 600 and then too little. */
    r.cap_ppm = 600000;
    r.floor_ppm = 300000;
    in[0].value[FR_COMPLIANCE] = FR_PPM_ONE - 1;
    in[1] = inst(2, FR_COMPLIANCE, 0);
    in[1].is_new = true;
    assert_int_equal(fr_run(&r, DAY, in, 3, out), FR_OK);
    assert_int_equal(out[0].impressions, 400);
    assert_int_equal(out[1].impressions, 300);
    assert_int_equal(out[2].impressions, 300);
}

/* Floors that cannot all be met are dropped; caps that cannot hold the day are raised. */
static void test_allocate_infeasible_bounds(void **state)
{
    (void)state;
    struct fr_rule r = one_metric(FR_COMPLIANCE, FR_RANGE, 0, FR_PPM_ONE);
    r.floor_ppm = 600000; /* two new ones would need 1200 of 1000 */
    struct fr_input in[3] = {inst(1, FR_COMPLIANCE, 999999), inst(2, FR_COMPLIANCE, 0),
                             inst(3, FR_COMPLIANCE, 0)};
    in[1].is_new = in[2].is_new = true;
    struct fr_output out[3];
    assert_int_equal(fr_run(&r, DAY, in, 3, out), FR_OK);
    assert_int_equal(out[1].floor, 0);
    assert_int_equal(out[2].floor, 0);
    assert_true(out[0].impressions > 990);
    assert_allocation(&r, out, 3);

    r.floor_ppm = 0;
    r.cap_ppm = 100000; /* 3 × 100 < 1000: raised to ceil(1000 / 3) = 334 */
    assert_int_equal(fr_run(&r, DAY, in, 3, out), FR_OK);
    assert_int_equal(out[0].cap, 334);
    assert_int_equal(out[0].impressions, 334);
    assert_int_equal(out[1].impressions + out[2].impressions, 666);
    assert_allocation(&r, out, 3);
}

static void test_rule_checks(void **state)
{
    (void)state;
    struct fr_rule good = one_metric(FR_COMPLIANCE, FR_RANGE, 0, FR_PPM_ONE);
    int term = 99;
    assert_int_equal(fr_rule_check(&good, &term), FR_OK);
    assert_int_equal(term, -1);
    struct fr_rule r = good;
    r.n = 0;
    assert_int_equal(fr_rule_check(&r, &term), FR_E_TERMS);
    r = good;
    r.n = 2;
    r.term[1] = r.term[0];
    assert_int_equal(fr_rule_check(&r, &term), FR_E_DUPLICATE);
    assert_int_equal(term, 1);
    r = good;
    r.term[0].weight = 0;
    assert_int_equal(fr_rule_check(&r, &term), FR_E_WEIGHT);
    r.term[0].weight = FR_WEIGHT_MAX + 1;
    assert_int_equal(fr_rule_check(&r, &term), FR_E_WEIGHT);
    r = good;
    r.term[0].lo = r.term[0].hi;
    assert_int_equal(fr_rule_check(&r, &term), FR_E_RANGE);
    r = good;
    r.term[0].missing_ppm = FR_PPM_ONE + 1;
    assert_int_equal(fr_rule_check(&r, &term), FR_E_MISSING);
    r = good;
    r.total = 0;
    assert_int_equal(fr_rule_check(&r, &term), FR_E_TOTAL);
    r = good;
    r.floor_days = 366;
    assert_int_equal(fr_rule_check(&r, &term), FR_E_FLOOR);
    r = good;
    r.cap_ppm = 0;
    assert_int_equal(fr_rule_check(&r, &term), FR_E_CAP);
    struct fr_input in[2] = {inst(2, FR_COMPLIANCE, 1), inst(2, FR_COMPLIANCE, 1)};
    struct fr_output out[2];
    assert_int_equal(fr_run(&good, DAY, in, 2, out), FR_E_INPUTS); /* repeated id */
    in[1].inst_id = 1;
    assert_int_equal(fr_run(&good, DAY, in, 2, out), FR_E_INPUTS); /* not ascending */
    assert_int_equal(fr_run(&good, DAY, in, 0, out), FR_E_INPUTS);
}

/* ---- properties over random days ---- */

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

#define RANDOM_N 60

static void random_day(struct fr_rule *r, struct fr_input *in, size_t *n)
{
    memset(r, 0, sizeof(*r));
    r->n = 1 + next() % FR_METRICS;
    for (size_t k = 0; k < r->n; k++) {
        enum fr_metric m = (enum fr_metric)((k + next() % FR_METRICS) % FR_METRICS);
        bool dup = false;
        for (size_t j = 0; j < k; j++)
            dup = dup || r->term[j].metric == m;
        if (dup) {
            r->n = k;
            break;
        }
        r->term[k] = (struct fr_term){m,
                                      1 + (int64_t)(next() % 100),
                                      fr_metric_direction(m),
                                      next() % 2 ? FR_RANGE : FR_RELATIVE,
                                      0,
                                      1000000,
                                      (int64_t)(next() % 1000001)};
    }
    r->total = 1 + (int64_t)(next() % 5000000);
    r->floor_days = 30;
    r->floor_ppm = (int64_t)(next() % 100000);
    r->cap_ppm = 1 + (int64_t)(next() % 500000);
    *n = 1 + next() % RANDOM_N;
    for (size_t i = 0; i < *n; i++) {
        memset(&in[i], 0, sizeof(in[i]));
        in[i].inst_id = (int64_t)(i * 10 + 1 + next() % 9);
        in[i].is_new = next() % 5 == 0;
        for (int m = 0; m < FR_METRICS; m++) {
            in[i].has[m] = next() % 6 != 0;
            in[i].value[m] = (int64_t)(next() % 1200000) - 100000;
        }
    }
}

static void test_properties(void **state)
{
    (void)state;
    struct fr_rule r;
    struct fr_input in[RANDOM_N], moved[RANDOM_N];
    struct fr_output a[RANDOM_N], b[RANDOM_N];
    for (int round = 0; round < 500; round++) {
        size_t n = 0;
        random_day(&r, in, &n);
        int term = 0;
        if (r.n == 0 || fr_rule_check(&r, &term) != FR_OK)
            continue;
        assert_int_equal(fr_run(&r, DAY, in, n, a), FR_OK);
        assert_allocation(&r, a, n);
        /* Deterministic. */
        assert_int_equal(fr_run(&r, DAY, in, n, b), FR_OK);
        assert_memory_equal(a, b, n * sizeof(*a));
        /* A higher score never gets fewer impressions than a lower one with the same bounds
         * (one impression of rounding aside). */
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                if (a[i].score_ppm > a[j].score_ppm && a[i].floor == a[j].floor &&
                    a[i].cap == a[j].cap)
                    assert_true(a[i].impressions + 1 >= a[j].impressions);
        /* The same institutions under other ids, in the same order: the same scores, and the
         * same impressions up to the one-impression tie-breaks. Nothing else about an
         * institution (such as being the platform's own) is an input at all. */
        for (size_t i = 0; i < n; i++) {
            moved[i] = in[i];
            moved[i].inst_id = in[i].inst_id * 7 + 3;
        }
        assert_int_equal(fr_run(&r, DAY, moved, n, b), FR_OK);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(a[i].score_ppm, b[i].score_ppm);
            int64_t d = a[i].impressions - b[i].impressions;
            assert_true(d >= -1 && d <= 1);
        }
    }
}

static int setup(void **state)
{
    (void)state;
    return crypto_setup(1, 8, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue),
        cmocka_unit_test(test_normalise_range),
        cmocka_unit_test(test_normalise_relative),
        cmocka_unit_test(test_score_and_costliest),
        cmocka_unit_test(test_allocate_proportional),
        cmocka_unit_test(test_allocate_ties),
        cmocka_unit_test(test_allocate_floor_and_cap),
        cmocka_unit_test(test_allocate_infeasible_bounds),
        cmocka_unit_test(test_rule_checks),
        cmocka_unit_test(test_properties),
    };
    return cmocka_run_group_tests_name("fairrule", tests, setup, NULL);
}
