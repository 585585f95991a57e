/*
 * fee_test.h - what the unit tests of core/fee share: schedules from braced lists of tiers, the
 * prospectus schedules, and quote wrappers that check *out is left alone on an error.
 */
#ifndef CFH_FEE_TEST_H
#define CFH_FEE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/civil.h"
#include "base/money.h"
#include "core/fee.h"

#define SENTINEL ((int64_t)0x5eed5eed5eedLL)
#define OPEN     FEE_OPEN_END
#define CNY(x)   ((int64_t)(x)*100) /* whole yuan in fen */

/* A schedule from a braced list of tiers: SUB_SCHED({0, OPEN, 12000, 0}). */
#define SUB_SCHED(...)                                                                   \
    sub_make(sizeof((struct fee_sub_tier[]){__VA_ARGS__}) / sizeof(struct fee_sub_tier), \
             (struct fee_sub_tier[]){__VA_ARGS__})
#define RED_SCHED(...)                                                                   \
    red_make(sizeof((struct fee_red_tier[]){__VA_ARGS__}) / sizeof(struct fee_red_tier), \
             (struct fee_red_tier[]){__VA_ARGS__})

static inline struct fee_sub_schedule sub_make(size_t n, const struct fee_sub_tier *tiers)
{
    assert_true(n <= FEE_TIERS_MAX);
    struct fee_sub_schedule s = {.n = n};
    memcpy(s.tiers, tiers, n * sizeof *tiers);
    return s;
}

static inline struct fee_red_schedule red_make(size_t n, const struct fee_red_tier *tiers)
{
    assert_true(n <= FEE_TIERS_MAX);
    struct fee_red_schedule s = {.n = n};
    memcpy(s.tiers, tiers, n * sizeof *tiers);
    return s;
}

static inline int64_t must_parse(const char *s, int scale)
{
    int64_t v = 0;
    assert_int_equal(money_parse(s, strlen(s), scale, INT64_MAX, &v), MONEY_OK);
    return v;
}

static inline void assert_formats_as(int64_t v, int scale, const char *want)
{
    char buf[MONEY_FORMAT_CAP];
    assert_true(money_format(v, scale, buf, sizeof buf) > 0);
    assert_string_equal(buf, want);
}

static inline struct civil_date day(const char *s)
{
    struct civil_date d = {0};
    assert_int_equal(civil_date_parse(s, strlen(s), &d), CIVIL_OK);
    return d;
}

/* An active equity fund's schedule: 0.8% below 1M CNY, 0.5% to 5M, then 1000 CNY per order. */
static inline struct fee_sub_schedule sub_equity(void)
{
    return SUB_SCHED({0, CNY(1000000), 8000, 0}, {CNY(1000000), CNY(5000000), 5000, 0},
                     {CNY(5000000), OPEN, 0, CNY(1000)});
}

/* A common redemption schedule: 1.5% under 7 days, 0.75% to 30, 0.5% to 1 year, 0.25% to 2
 * years, then free. */
static inline struct fee_red_schedule red_std(void)
{
    return RED_SCHED({0, 7, 15000}, {7, 30, 7500}, {30, 365, 5000}, {365, 730, 2500},
                     {730, OPEN, 0});
}

/* Quote a subscription; on error check that *out was left alone. */
static inline enum fee_rc quote_sub(const struct fee_sub_schedule *s, int64_t amount_fen,
                                    int64_t discount_ppm, int64_t nav_e4, enum fee_rounding r,
                                    struct fee_sub_quote *out)
{
    memset(out, 0x5e, sizeof *out);
    struct fee_sub_quote before = *out;
    enum fee_rc rc = fee_quote_subscription(s, amount_fen, discount_ppm, nav_e4, r, out);
    if (rc != FEE_OK)
        assert_memory_equal(out, &before, sizeof before);
    return rc;
}

/* Quote a redemption into `lines` (room for 8); on error check the totals were left alone. */
static inline enum fee_rc quote_red(const struct fee_red_schedule *s, const struct fee_lot *lots,
                                    size_t n, int64_t shares_h, const char *trade_date,
                                    int64_t nav_e4, struct fee_red_line lines[8],
                                    struct fee_red_quote *out)
{
    *out = (struct fee_red_quote){.lines = lines, .lines_cap = 8, .gross_fen = SENTINEL};
    enum fee_rc rc = fee_quote_redemption(s, lots, n, shares_h, day(trade_date), nav_e4, out);
    if (rc != FEE_OK)
        assert_int_equal(out->gross_fen, SENTINEL);
    return rc;
}

/* ---- published examples --------------------------------------------------------------------- */

#endif
