/*
 * test_segment.c - unit tests of core/segment: age bands, provinces, which cell an investor
 * falls in, and the suppression of small cells, including what an attacker could work out
 * by subtracting the published cells from the total.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/segment.h"

static struct civil_date day(int32_t y, int32_t m, int32_t d)
{
    return (struct civil_date){y, m, d};
}

static void test_age_band(void **state)
{
    (void)state;
    struct civil_date on = day(2026, 3, 2);
    /* 24 until the day before the 25th birthday, 25 on it. */
    assert_int_equal(seg_age_band(day(2001, 3, 3), on), 1);
    assert_int_equal(seg_age_band(day(2001, 3, 2), on), 2);
    assert_int_equal(seg_age_band(day(1991, 3, 3), on), 2); /* 34 */
    assert_int_equal(seg_age_band(day(1991, 3, 2), on), 3); /* 35 */
    assert_int_equal(seg_age_band(day(1981, 3, 2), on), 4); /* 45 */
    assert_int_equal(seg_age_band(day(1971, 3, 3), on), 4); /* 54 */
    assert_int_equal(seg_age_band(day(1971, 3, 2), on), 5); /* 55 */
    assert_int_equal(seg_age_band(day(1961, 3, 3), on), 5); /* 64 */
    assert_int_equal(seg_age_band(day(1961, 3, 2), on), 6); /* 65 */
    assert_int_equal(seg_age_band(day(1930, 1, 1), on), 6);
    assert_int_equal(seg_age_band(day(2026, 3, 2), on), 1); /* born today */
    assert_int_equal(seg_age_band(day(2026, 3, 3), on), 0); /* not born yet: unknown */
    /* Born on 29 February: a year older on 1 March of a common year, not on 28 February. */
    assert_int_equal(seg_age_band(day(2000, 2, 29), day(2025, 2, 28)), 1);
    assert_int_equal(seg_age_band(day(2000, 2, 29), day(2025, 3, 1)), 2);
}

static void test_region(void **state)
{
    (void)state;
    assert_int_equal(seg_region("110***********123X", 18), 11);
    assert_int_equal(seg_region("440305199001011234", 18), 44);
    assert_int_equal(seg_region("82", 2), 82);
    assert_int_equal(seg_region("10***", 5), 0); /* no province 10 */
    assert_int_equal(seg_region("99***", 5), 0);
    assert_int_equal(seg_region("1", 1), 0);
    assert_int_equal(seg_region("", 0), 0);
    assert_int_equal(seg_region(NULL, 0), 0);
    assert_int_equal(seg_region("x1", 2), 0);
}

static void test_cells(void **state)
{
    (void)state;
    assert_int_equal(seg_dimension_parse("risk_class"), SEG_RISK_CLASS);
    assert_int_equal(seg_dimension_parse("region"), SEG_REGION);
    assert_int_equal(seg_dimension_parse("Region"), SEG_DIMENSION_COUNT);
    assert_int_equal(seg_dimension_parse(NULL), SEG_DIMENSION_COUNT);
    for (int d = 0; d < SEG_DIMENSION_COUNT; d++) {
        assert_int_equal(seg_dimension_parse(seg_dimension_name((enum seg_dimension)d)), d);
        size_t n = seg_cell_count((enum seg_dimension)d);
        assert_true(n >= 2 && n <= SEG_CELLS_MAX);
        for (size_t i = 0; i < n; i++) /* keys are distinct within a dimension */
            for (size_t j = i + 1; j < n; j++)
                assert_string_not_equal(seg_cell_key((enum seg_dimension)d, i),
                                        seg_cell_key((enum seg_dimension)d, j));
    }
    struct seg_investor inv = {.is_new = true, .risk_class = 3, .age_band = 2, .region = 44};
    assert_string_equal(seg_cell_key(SEG_NEW_RETURNING, seg_cell_of(SEG_NEW_RETURNING, &inv)),
                        "new");
    assert_string_equal(seg_cell_key(SEG_RISK_CLASS, seg_cell_of(SEG_RISK_CLASS, &inv)), "C3");
    assert_string_equal(seg_cell_key(SEG_AGE_BAND, seg_cell_of(SEG_AGE_BAND, &inv)), "25_34");
    assert_string_equal(seg_cell_key(SEG_REGION, seg_cell_of(SEG_REGION, &inv)), "44");
    struct seg_investor none = {.risk_class = 9, .age_band = 7, .region = 10};
    assert_string_equal(seg_cell_key(SEG_NEW_RETURNING, seg_cell_of(SEG_NEW_RETURNING, &none)),
                        "returning");
    assert_string_equal(seg_cell_key(SEG_RISK_CLASS, seg_cell_of(SEG_RISK_CLASS, &none)),
                        "unassessed");
    assert_string_equal(seg_cell_key(SEG_AGE_BAND, seg_cell_of(SEG_AGE_BAND, &none)), "unknown");
    assert_string_equal(seg_cell_key(SEG_REGION, seg_cell_of(SEG_REGION, &none)), "unknown");
}

static void expect_hidden(const int64_t *counts, size_t n, int64_t k, const char *want)
{
    bool hide[SEG_CELLS_MAX];
    size_t hidden = seg_suppress(counts, n, k, hide);
    char got[SEG_CELLS_MAX + 1];
    size_t h = 0;
    for (size_t i = 0; i < n; i++) {
        got[i] = hide[i] ? 'x' : '.';
        h += hide[i];
    }
    got[n] = '\0';
    assert_string_equal(got, want);
    assert_int_equal(hidden, h);
}

static void test_suppress_examples(void **state)
{
    (void)state;
    /* Nothing small: nothing hidden. */
    expect_hidden((int64_t[]){30, 25, 0, 40}, 4, 20, "....");
    /* One small cell: the smallest other non-zero cell goes with it, not the zero. */
    expect_hidden((int64_t[]){30, 3, 0, 25, 40}, 5, 20, ".x.x.");
    /* Two small cells that together reach k: enough as they are. */
    expect_hidden((int64_t[]){30, 12, 9, 40}, 4, 20, ".xx.");
    /* Two small cells below k together: one more, the smallest. */
    expect_hidden((int64_t[]){30, 5, 9, 40, 22}, 5, 20, ".xx.x");
    /* Ties: the first of equals. */
    expect_hidden((int64_t[]){25, 1, 25}, 3, 20, "xx.");
    /* A cell of exactly k stays; k - 1 does not. */
    expect_hidden((int64_t[]){20, 19, 50}, 3, 20, "xx.");
    /* The whole breakdown below k: every cell, zeros too, so nobody's segment shows. */
    expect_hidden((int64_t[]){3, 0, 0, 0}, 4, 20, "xxxx");
    expect_hidden((int64_t[]){3, 4, 0}, 3, 20, "xxx");
    /* All zero: nothing to hide. */
    expect_hidden((int64_t[]){0, 0, 0}, 3, 20, "...");
    /* k = 1 hides nothing. */
    expect_hidden((int64_t[]){1, 0, 2}, 3, 1, "...");
}

/* A small deterministic generator (xorshift64*), so that a failure repeats. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * UINT64_C(2685821657736338717);
}

/*
 * What an attacker can work out from one breakdown: the total (published elsewhere) minus the
 * visible cells is the hidden cells' sum. For thousands of random breakdowns: every cell in
 * 0 < count < k is hidden; the hidden sum is 0 or at least k, or the whole breakdown is
 * hidden; a hidden non-zero cell never stands alone (its value would be that sum); zeros are
 * hidden only when everyone together is fewer than k; and the complementary cells are the
 * smallest available, so no more is hidden than needed.
 */
static void test_suppress_differencing(void **state)
{
    (void)state;
    uint64_t seed = UINT64_C(0x9e3779b97f4a7c15);
    for (int round = 0; round < 20000; round++) {
        size_t n = 2 + next(&seed) % (SEG_CELLS_MAX - 1);
        int64_t k = 1 + (int64_t)(next(&seed) % 30), counts[SEG_CELLS_MAX];
        for (size_t i = 0; i < n; i++) {
            uint64_t r = next(&seed) % 4;
            counts[i] = r == 0   ? 0
                        : r == 1 ? (int64_t)(next(&seed) % (uint64_t)k)
                                 : (int64_t)(next(&seed) % 200);
        }
        bool hide[SEG_CELLS_MAX];
        seg_suppress(counts, n, k, hide);
        int64_t total = 0, hidden_sum = 0, visible_min = INT64_MAX;
        size_t hidden_nonzero = 0;
        bool all = true;
        for (size_t i = 0; i < n; i++) {
            total += counts[i];
            if (counts[i] > 0 && counts[i] < k)
                assert_true(hide[i]);
            all = all && hide[i];
            if (hide[i]) {
                hidden_sum += counts[i];
                hidden_nonzero += counts[i] > 0;
            } else if (counts[i] > 0 && counts[i] < visible_min) {
                visible_min = counts[i];
            }
        }
        /* Zeros are hidden only when everyone together is fewer than k. */
        for (size_t i = 0; i < n; i++)
            if (counts[i] == 0 && hide[i])
                assert_true(total < k);
        if (all) {
            assert_true(total < k || hidden_sum >= k);
            continue;
        }
        assert_true(hidden_sum == 0 || hidden_sum >= k);
        assert_true(hidden_nonzero != 1);
        /* Minimal: had the last complementary cell been left visible, the rest would be
         * below k; every hidden cell of k or more is no larger than any visible one. */
        for (size_t i = 0; i < n; i++)
            if (hide[i] && counts[i] >= k)
                assert_true(counts[i] <= visible_min);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_age_band),
        cmocka_unit_test(test_region),
        cmocka_unit_test(test_cells),
        cmocka_unit_test(test_suppress_examples),
        cmocka_unit_test(test_suppress_differencing),
    };
    return cmocka_run_group_tests_name("segment", tests, NULL, NULL);
}
