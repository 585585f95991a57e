/*
 * test_fee.c - unit tests of core/fee: subscription and redemption quotes, money-market yield
 * and income (the schedule rules are in test_fee_rules.c).
 *
 * The worked examples are the published prospectus and qualification-exam figures (also in the
 * shared fee-vectors data); they are copied here as the decimal strings they were published in,
 * so that the test reads no files, and go through the same quote functions the batch uses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/civil.h"
#include "base/money.h"
#include "core/fee.h"
#include "fee_test.h"

static void test_vectors_subscription(void **state)
{
    (void)state;
    static const struct {
        const char *amount, *rate, *nav, *net, *fee, *shares;
    } v[] = {
        {"5000.00", "0.012", "1.1280", "4940.71", "59.29", "4380.06"},
        {"100000.00", "0.012", "1.1800", "98814.23", "1185.77", "83740.87"},
        {"100000.00", "0.015", "1.0170", "98522.17", "1477.83", "96875.29"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        /* These list rates predate the 2026 caps: quotes price any well-formed schedule. */
        struct fee_sub_schedule s = SUB_SCHED({0, OPEN, must_parse(v[i].rate, 6), 0});
        struct fee_sub_quote q;
        assert_int_equal(quote_sub(&s, must_parse(v[i].amount, 2), FEE_PPM_ONE,
                                   must_parse(v[i].nav, 4), FEE_ROUND_HALF_UP, &q),
                         FEE_OK);
        assert_formats_as(q.net_fen, 2, v[i].net);
        assert_formats_as(q.fee_fen, 2, v[i].fee);
        assert_formats_as(q.shares_h, 2, v[i].shares);
        assert_int_equal(q.rate_ppm_applied, must_parse(v[i].rate, 6));
        assert_int_equal(q.tier, 0);
        assert_false(q.fixed);
    }
}

static void test_vectors_redemption(void **state)
{
    (void)state;
    /* "8 months" is 2025-07-01 to 2026-03-02, 244 days; "10 days" is 2026-02-20 to 2026-03-02. */
    static const struct {
        const char *shares, *confirmed, *rate, *nav, *gross, *fee, *net;
        int64_t days;
    } v[] = {
        {"10000.00", "2025-07-01", "0.005", "1.0500", "10500.00", "52.50", "10447.50", 244},
        {"10000.00", "2026-02-20", "0.0075", "1.0500", "10500.00", "78.75", "10421.25", 10},
    };
    struct fee_red_schedule s = red_std();
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        struct fee_lot lot = {must_parse(v[i].shares, 2), day(v[i].confirmed)};
        struct fee_red_line lines[8];
        struct fee_red_quote q;
        assert_int_equal(
            quote_red(&s, &lot, 1, lot.shares_h, "2026-03-02", must_parse(v[i].nav, 4), lines, &q),
            FEE_OK);
        assert_int_equal(q.n_lines, 1);
        assert_int_equal(lines[0].days, v[i].days);
        assert_int_equal(lines[0].rate_ppm, must_parse(v[i].rate, 6));
        assert_formats_as(q.gross_fen, 2, v[i].gross);
        assert_formats_as(q.fee_fen, 2, v[i].fee);
        assert_formats_as(q.net_fen, 2, v[i].net);
        assert_int_equal(q.fee_to_fund_assets_fen, q.fee_fen);
        assert_int_equal(q.fee_to_platform_fen, 0);
    }
}

/* ---- subscription --------------------------------------------------------------------------- */

static void test_sub_tier_boundaries(void **state)
{
    (void)state;
    struct fee_sub_schedule s = sub_equity();
    struct fee_sub_quote q;
    static const struct {
        int64_t amount_fen;
        size_t tier;
        int64_t rate_ppm, net_fen, fee_fen;
    } v[] = {
        {CNY(1000000) - 1, 0, 8000, 99206348, 793651},
        {CNY(1000000), 1, 5000, 99502488, 497512}, /* exactly a tier's min: that tier */
        {CNY(5000000) - 1, 1, 5000, 497512437, 2487562},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        assert_int_equal(quote_sub(&s, v[i].amount_fen, FEE_PPM_ONE, 11280, FEE_ROUND_HALF_UP, &q),
                         FEE_OK);
        assert_int_equal(q.tier, v[i].tier);
        assert_int_equal(q.rate_ppm_applied, v[i].rate_ppm);
        assert_int_equal(q.net_fen, v[i].net_fen);
        assert_int_equal(q.fee_fen, v[i].fee_fen);
        assert_int_equal(q.net_fen + q.fee_fen, v[i].amount_fen);
    }
}

static void test_sub_fixed_fee_large_order(void **state)
{
    (void)state;
    struct fee_sub_schedule s = sub_equity();
    struct fee_sub_quote q;
    /* 5,000,000 CNY and above: 1000 CNY per order, however large. */
    int64_t amounts[] = {CNY(5000000), CNY(100000000), INT64_MAX / 10000};
    for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
        assert_int_equal(quote_sub(&s, amounts[i], FEE_PPM_ONE, 10000, FEE_ROUND_HALF_UP, &q),
                         FEE_OK);
        assert_int_equal(q.tier, 2);
        assert_true(q.fixed);
        assert_int_equal(q.fee_fen, CNY(1000));
        assert_int_equal(q.net_fen, amounts[i] - CNY(1000));
        assert_int_equal(q.rate_ppm_applied, 0);
        assert_int_equal(q.shares_h, q.net_fen); /* NAV 1.0000: a fen buys 0.01 share */
    }
}

static void test_sub_discount(void **state)
{
    (void)state;
    struct fee_sub_schedule s = sub_equity();
    struct fee_sub_quote q;
    /* 1折 on a rate tier: 0.5% becomes 0.05%; 1,000,000.00 CNY nets
     * 100000000 × 10^6 / 1000500 = 99950024.99 -> 99950025 fen, fee 499.75 CNY. */
    assert_int_equal(quote_sub(&s, CNY(1000000), 100000, 11280, FEE_ROUND_HALF_UP, &q), FEE_OK);
    assert_int_equal(q.rate_ppm_applied, 500);
    assert_int_equal(q.net_fen, 99950025);
    assert_int_equal(q.fee_fen, 49975);
    /* 0.8% at 1折 is 0.08%. */
    assert_int_equal(quote_sub(&s, CNY(1000000) - 1, 100000, 11280, FEE_ROUND_HALF_UP, &q), FEE_OK);
    assert_int_equal(q.rate_ppm_applied, 800);
    assert_int_equal(q.fee_fen, 79936);
    /* ... and not on a fixed tier: still 1000 CNY. */
    assert_int_equal(quote_sub(&s, CNY(5000000), 100000, 11280, FEE_ROUND_HALF_UP, &q), FEE_OK);
    assert_true(q.fixed);
    assert_int_equal(q.fee_fen, CNY(1000));
    /* A waived rate (discount 0) leaves no fee; a fixed fee stays. */
    assert_int_equal(quote_sub(&s, CNY(1000), 0, 10000, FEE_ROUND_HALF_UP, &q), FEE_OK);
    assert_int_equal(q.fee_fen, 0);
    assert_int_equal(q.net_fen, CNY(1000));
    assert_int_equal(quote_sub(&s, CNY(6000000), 0, 10000, FEE_ROUND_HALF_UP, &q), FEE_OK);
    assert_int_equal(q.fee_fen, CNY(1000));
    /* The discounted rate rounds half-up to the ppm: 1.2345% × 10% = 1234.5 -> 1235 ppm. */
    struct fee_sub_schedule odd = SUB_SCHED({0, OPEN, 12345, 0});
    assert_int_equal(quote_sub(&odd, CNY(1000000), 100000, 11280, FEE_ROUND_HALF_UP, &q), FEE_OK);
    assert_int_equal(q.rate_ppm_applied, 1235);
    assert_int_equal(q.net_fen, 99876652);
    assert_int_equal(q.fee_fen, 123348);
}

/* A campaign quote; on error check that *out was left alone. */
static enum fee_rc quote_camp(const struct fee_sub_schedule *s, int64_t amount_fen,
                              int64_t discount_ppm, int64_t off_ppm, int64_t left_fen,
                              int64_t nav_e4, struct fee_sub_quote *out)
{
    memset(out, 0x5e, sizeof *out);
    struct fee_sub_quote before = *out;
    enum fee_rc rc = fee_quote_subscription_campaign(s, amount_fen, discount_ppm, off_ppm, left_fen,
                                                     nav_e4, FEE_ROUND_HALF_UP, out);
    if (rc != FEE_OK)
        assert_memory_equal(out, &before, sizeof before);
    return rc;
}

static void test_sub_campaign(void **state)
{
    (void)state;
    struct fee_sub_schedule s = sub_equity();
    struct fee_sub_quote q, plain;
    /* 10,000.00 at 0.8%, platform 1折: r1 = 800 ppm, net 10^12 / 1000800 = 999200.64 -> 999201,
     * fee 7.99. Campaign 50% off: r2 = 400 ppm, net 10^12 / 1000400 = 999600.16 -> 999600, fee
     * 4.00; the campaign takes 3.99. Shares 999600 × 10^4 / 12345 = 809720.53 -> 8097.21. */
    assert_int_equal(quote_camp(&s, CNY(10000), 100000, 500000, CNY(1000), 12345, &q), FEE_OK);
    assert_int_equal(q.rate_ppm_applied, 400);
    assert_int_equal(q.campaign_off_fen, 399);
    assert_int_equal(q.fee_fen, 400);
    assert_int_equal(q.net_fen, 999600);
    assert_int_equal(q.shares_h, 809721);
    /* Without a campaign the quote is the plain one, to the fen. */
    assert_int_equal(quote_camp(&s, CNY(10000), 100000, 0, 0, 12345, &q), FEE_OK);
    assert_int_equal(quote_sub(&s, CNY(10000), 100000, 12345, FEE_ROUND_HALF_UP, &plain), FEE_OK);
    assert_memory_equal(&q, &plain, sizeof q);
    assert_int_equal(q.fee_fen, 799);
    assert_int_equal(q.campaign_off_fen, 0);
    /* The budget left caps it: 1.00 left gives 1.00 off, fee 6.99, the rate stays r1. */
    assert_int_equal(quote_camp(&s, CNY(10000), 100000, 500000, 100, 12345, &q), FEE_OK);
    assert_int_equal(q.campaign_off_fen, 100);
    assert_int_equal(q.fee_fen, 699);
    assert_int_equal(q.net_fen, 999301);
    assert_int_equal(q.rate_ppm_applied, 800);
    /* An empty budget gives nothing. */
    assert_int_equal(quote_camp(&s, CNY(10000), 100000, 500000, 0, 12345, &q), FEE_OK);
    assert_int_equal(q.campaign_off_fen, 0);
    assert_int_equal(q.fee_fen, 799);
    /* 100% off waives the rate fee, and no more: the fee is 0, never below. */
    assert_int_equal(quote_camp(&s, CNY(10000), FEE_PPM_ONE, FEE_PPM_ONE, CNY(1000), 10000, &q),
                     FEE_OK);
    assert_int_equal(q.fee_fen, 0);
    assert_int_equal(q.campaign_off_fen, 7937); /* 10^12 / 1008000 = 992063.49 -> fee 79.37 */
    assert_int_equal(q.net_fen, CNY(10000));
    /* Beyond 100% would pay the investor: refused. So is a negative budget or discount. */
    assert_int_equal(quote_camp(&s, CNY(10000), FEE_PPM_ONE, FEE_PPM_ONE + 1, CNY(1), 10000, &q),
                     FEE_E_DISCOUNT_RANGE);
    assert_int_equal(quote_camp(&s, CNY(10000), FEE_PPM_ONE, -1, CNY(1), 10000, &q),
                     FEE_E_DISCOUNT_RANGE);
    assert_int_equal(quote_camp(&s, CNY(10000), FEE_PPM_ONE, 1, -1, 10000, &q), FEE_E_AMOUNT);
    /* A fixed fee is not discounted by a campaign either. */
    assert_int_equal(quote_camp(&s, CNY(6000000), FEE_PPM_ONE, FEE_PPM_ONE, CNY(1000), 10000, &q),
                     FEE_OK);
    assert_int_equal(q.fee_fen, CNY(1000));
    assert_int_equal(q.campaign_off_fen, 0);
}

/* Whatever the inputs, the campaign never raises the fee, never takes more than its budget and
 * the fee never goes below the fully discounted one nor below zero. */
static void test_sub_campaign_bounds(void **state)
{
    (void)state;
    struct fee_sub_schedule s = SUB_SCHED({0, OPEN, 15000, 0});
    static const int64_t amounts[] = {1, 99, 10001, 123457, 99999999};
    static const int64_t offs[] = {1, 333333, 500000, 999999, FEE_PPM_ONE};
    static const int64_t lefts[] = {0, 1, 7, 100000};
    static const int64_t discounts[] = {0, 100000, 777777, FEE_PPM_ONE};
    for (size_t a = 0; a < 5; a++)
        for (size_t o = 0; o < 5; o++)
            for (size_t l = 0; l < 4; l++)
                for (size_t d = 0; d < 4; d++) {
                    struct fee_sub_quote c, p, whole;
                    int64_t amt = amounts[a];
                    assert_int_equal(quote_camp(&s, amt, discounts[d], 0, 0, 10000, &p), FEE_OK);
                    assert_int_equal(
                        quote_camp(&s, amt, discounts[d], offs[o], lefts[l], 10000, &c), FEE_OK);
                    assert_int_equal(
                        quote_camp(&s, amt, discounts[d], offs[o], INT64_MAX, 10000, &whole),
                        FEE_OK);
                    assert_true(c.fee_fen >= 0 && c.fee_fen <= p.fee_fen);
                    assert_true(c.fee_fen >= whole.fee_fen);
                    assert_int_equal(c.campaign_off_fen, p.fee_fen - c.fee_fen);
                    assert_true(c.campaign_off_fen <= lefts[l]);
                    assert_int_equal(c.net_fen + c.fee_fen, amt);
                }
}

static void test_sub_shares_rounding(void **state)
{
    (void)state;
    struct fee_sub_schedule s = sub_equity();
    struct fee_sub_quote h, t;
    /* 1,000,000.00 CNY at 0.5%: net 99502488 fen; at NAV 1.1280,
     * 99502488 × 10^4 / 11280 = 88211425.53 hundredths: half-up 882114.26, truncate 882114.25. */
    assert_int_equal(quote_sub(&s, CNY(1000000), FEE_PPM_ONE, 11280, FEE_ROUND_HALF_UP, &h),
                     FEE_OK);
    assert_int_equal(quote_sub(&s, CNY(1000000), FEE_PPM_ONE, 11280, FEE_ROUND_TRUNCATE, &t),
                     FEE_OK);
    assert_int_equal(h.net_fen, t.net_fen);
    assert_int_equal(h.shares_h, 88211426);
    assert_int_equal(t.shares_h, 88211425);
    /* The fixed tier too: 499900000 × 10^4 / 11280 = 443173758.87. */
    assert_int_equal(quote_sub(&s, CNY(5000000), FEE_PPM_ONE, 11280, FEE_ROUND_HALF_UP, &h),
                     FEE_OK);
    assert_int_equal(quote_sub(&s, CNY(5000000), FEE_PPM_ONE, 11280, FEE_ROUND_TRUNCATE, &t),
                     FEE_OK);
    assert_int_equal(h.shares_h, 443173759);
    assert_int_equal(t.shares_h, 443173758);
    /* 1 fen at NAV 2.0000 is half a hundredth: half-up buys 0.01 share, truncate buys none. */
    struct fee_sub_schedule free_s = SUB_SCHED({0, OPEN, 0, 0});
    assert_int_equal(quote_sub(&free_s, 1, FEE_PPM_ONE, 20000, FEE_ROUND_HALF_UP, &h), FEE_OK);
    assert_int_equal(h.shares_h, 1);
    assert_int_equal(quote_sub(&free_s, 1, FEE_PPM_ONE, 20000, FEE_ROUND_TRUNCATE, &t),
                     FEE_E_NO_SHARES);
}

static void test_sub_bad_input(void **state)
{
    (void)state;
    struct fee_sub_schedule s = sub_equity();
    struct fee_sub_quote q;
    enum fee_rounding hu = FEE_ROUND_HALF_UP;
    assert_int_equal(quote_sub(&s, 0, FEE_PPM_ONE, 10000, hu, &q), FEE_E_AMOUNT);
    assert_int_equal(quote_sub(&s, -100, FEE_PPM_ONE, 10000, hu, &q), FEE_E_AMOUNT);
    assert_int_equal(quote_sub(&s, INT64_MIN, FEE_PPM_ONE, 10000, hu, &q), FEE_E_AMOUNT);
    assert_int_equal(quote_sub(&s, 100, FEE_PPM_ONE, 0, hu, &q), FEE_E_NAV);
    assert_int_equal(quote_sub(&s, 100, FEE_PPM_ONE, -1, hu, &q), FEE_E_NAV);
    assert_int_equal(quote_sub(&s, 100, -1, 10000, hu, &q), FEE_E_DISCOUNT_RANGE);
    assert_int_equal(quote_sub(&s, 100, FEE_PPM_ONE + 1, 10000, hu, &q), FEE_E_DISCOUNT_RANGE);
    /* Schedules that never passed validation are refused, not trusted. */
    struct fee_sub_schedule bad = s;
    bad.n = 0;
    assert_int_equal(quote_sub(&bad, 100, FEE_PPM_ONE, 10000, hu, &q), FEE_E_EMPTY);
    bad.n = FEE_TIERS_MAX + 1;
    assert_int_equal(quote_sub(&bad, 100, FEE_PPM_ONE, 10000, hu, &q), FEE_E_TOO_MANY);
    bad = SUB_SCHED({CNY(100), OPEN, 1000, 0});
    assert_int_equal(quote_sub(&bad, CNY(50), FEE_PPM_ONE, 10000, hu, &q), FEE_E_NO_TIER);
    bad = SUB_SCHED({0, CNY(100), 1000, 0});
    assert_int_equal(quote_sub(&bad, CNY(100), FEE_PPM_ONE, 10000, hu, &q), FEE_E_NO_TIER);
    bad = SUB_SCHED({0, OPEN, FEE_PPM_ONE + 1, 0});
    assert_int_equal(quote_sub(&bad, 100, FEE_PPM_ONE, 10000, hu, &q), FEE_E_RATE_RANGE);
    bad = SUB_SCHED({0, OPEN, -1, 0});
    assert_int_equal(quote_sub(&bad, 100, FEE_PPM_ONE, 10000, hu, &q), FEE_E_RATE_RANGE);
    bad = SUB_SCHED({0, OPEN, 0, -1});
    assert_int_equal(quote_sub(&bad, 100, FEE_PPM_ONE, 10000, hu, &q), FEE_E_FIXED_RANGE);
    bad = SUB_SCHED({0, OPEN, 1000, 100});
    assert_int_equal(quote_sub(&bad, 1000, FEE_PPM_ONE, 10000, hu, &q), FEE_E_BOTH_RATE_AND_FIXED);
    /* A fixed fee that would leave nothing (or less) to invest. */
    bad = SUB_SCHED({0, OPEN, 0, CNY(10)});
    assert_int_equal(quote_sub(&bad, CNY(10), FEE_PPM_ONE, 10000, hu, &q),
                     FEE_E_FEE_EXCEEDS_AMOUNT);
    assert_int_equal(quote_sub(&bad, CNY(10) + 1, FEE_PPM_ONE, 10000, hu, &q), FEE_OK);
    assert_int_equal(q.net_fen, 1);
}

static void test_sub_overflow(void **state)
{
    (void)state;
    struct fee_sub_quote q;
    struct fee_sub_schedule free_s = SUB_SCHED({0, OPEN, 0, 0});
    /* INT64_MAX fen at NAV 0.0001 would be 10^4 times INT64_MAX hundredths of a share. */
    assert_int_equal(quote_sub(&free_s, INT64_MAX, FEE_PPM_ONE, 1, FEE_ROUND_HALF_UP, &q),
                     FEE_E_OVERFLOW);
    assert_int_equal(quote_sub(&free_s, INT64_MAX / 100, FEE_PPM_ONE, 1, FEE_ROUND_TRUNCATE, &q),
                     FEE_E_OVERFLOW);
    /* The largest amount at NAV 1.0000 fits exactly; at 100% the 128-bit product is exact too. */
    assert_int_equal(quote_sub(&free_s, INT64_MAX, FEE_PPM_ONE, 10000, FEE_ROUND_HALF_UP, &q),
                     FEE_OK);
    assert_int_equal(q.shares_h, INT64_MAX);
    struct fee_sub_schedule all = SUB_SCHED({0, OPEN, FEE_PPM_ONE, 0});
    assert_int_equal(quote_sub(&all, INT64_MAX, FEE_PPM_ONE, 10000, FEE_ROUND_HALF_UP, &q), FEE_OK);
    assert_int_equal(q.net_fen, INT64_MAX / 2 + 1); /* 4611686018427387903.5, half-up */
    assert_int_equal(q.net_fen + q.fee_fen, INT64_MAX);
    /* 1 fen at 100%: net 0.5 fen rounds to 1, fee 0; never a net of 0. */
    assert_int_equal(quote_sub(&all, 1, FEE_PPM_ONE, 10000, FEE_ROUND_HALF_UP, &q), FEE_OK);
    assert_int_equal(q.net_fen, 1);
    assert_int_equal(q.fee_fen, 0);
}

/* ---- redemption ----------------------------------------------------------------------------- */

/* Three lots, oldest first, redeemed with T = 2026-03-05 at NAV 1.2345:
 *   lot 0  1000.00 confirmed 2024-12-02  458 days  0.25%
 *   lot 1  2000.00 confirmed 2026-01-05   59 days  0.50%
 *   lot 2   500.00 confirmed 2026-03-02    3 days  1.50%                                    */
static const struct fee_lot three_lots[] = {
    {100000, {2024, 12, 2}},
    {200000, {2026, 1, 5}},
    {50000, {2026, 3, 2}},
};

static void test_red_fifo_partial_middle(void **state)
{
    (void)state;
    struct fee_red_schedule s = red_std();
    struct fee_red_line lines[8];
    struct fee_red_quote q;
    /* 2500.00 shares: all of lot 0, 1500.00 of lot 1, none of lot 2.
     *   lot 0: 100000 × 12345 / 10^4 = 123450 fen; × 0.25% = 308.625 -> 309
     *   lot 1: 150000 × 12345 / 10^4 = 185175 fen; × 0.5% = 925.875 -> 926 */
    assert_int_equal(quote_red(&s, three_lots, 3, 250000, "2026-03-05", 12345, lines, &q), FEE_OK);
    assert_int_equal(q.n_lines, 2);
    assert_int_equal(lines[0].lot, 0);
    assert_int_equal(lines[0].shares_h, 100000);
    assert_int_equal(lines[0].days, 458);
    assert_int_equal(lines[0].tier, 3);
    assert_int_equal(lines[0].rate_ppm, 2500);
    assert_int_equal(lines[0].gross_fen, 123450);
    assert_int_equal(lines[0].fee_fen, 309);
    assert_int_equal(lines[1].lot, 1);
    assert_int_equal(lines[1].shares_h, 150000);
    assert_int_equal(lines[1].days, 59);
    assert_int_equal(lines[1].tier, 2);
    assert_int_equal(lines[1].rate_ppm, 5000);
    assert_int_equal(lines[1].gross_fen, 185175);
    assert_int_equal(lines[1].fee_fen, 926);
    assert_int_equal(q.gross_fen, 308625);
    assert_int_equal(q.fee_fen, 1235);
    assert_int_equal(q.net_fen, 307390);
    assert_int_equal(q.fee_to_fund_assets_fen, 1235);
    assert_int_equal(q.fee_to_platform_fen, 0);

    /* Totals only: the same figures without a lines array. */
    struct fee_red_quote t = {.lines = NULL, .lines_cap = 0};
    assert_int_equal(fee_quote_redemption(&s, three_lots, 3, 250000, day("2026-03-05"), 12345, &t),
                     FEE_OK);
    assert_int_equal(t.n_lines, 2);
    assert_int_equal(t.gross_fen, q.gross_fen);
    assert_int_equal(t.fee_fen, q.fee_fen);
    assert_int_equal(t.net_fen, q.net_fen);
    /* A lines array too small for the lots consumed is an error, not a silent cut. */
    t = (struct fee_red_quote){.lines = lines, .lines_cap = 1};
    assert_int_equal(fee_quote_redemption(&s, three_lots, 3, 250000, day("2026-03-05"), 12345, &t),
                     FEE_E_LINES_CAP);
}

static void test_red_fifo_all_lots(void **state)
{
    (void)state;
    struct fee_red_schedule s = red_std();
    struct fee_red_line lines[8];
    struct fee_red_quote q;
    /* Everything: lot 1 whole is 200000 × 12345 / 10^4 = 246900 fen at 0.5% = 1234.5 -> 1235;
     * lot 2 adds 50000 × 12345 / 10^4 = 61725 fen at 1.5% = 925.875 -> 926. */
    assert_int_equal(quote_red(&s, three_lots, 3, 350000, "2026-03-05", 12345, lines, &q), FEE_OK);
    assert_int_equal(q.n_lines, 3);
    assert_int_equal(lines[2].lot, 2);
    assert_int_equal(lines[2].days, 3);
    assert_int_equal(lines[2].rate_ppm, 15000);
    assert_int_equal(lines[2].gross_fen, 61725);
    assert_int_equal(lines[2].fee_fen, 926);
    assert_int_equal(lines[1].shares_h, 200000);
    assert_int_equal(lines[1].fee_fen, 1235);
    assert_int_equal(q.gross_fen, 123450 + 246900 + 61725);
    assert_int_equal(q.fee_fen, 309 + 1235 + 926);
    assert_int_equal(q.net_fen, 432075 - 2470);
    /* Empty lots are skipped and do not appear as lines. */
    struct fee_lot gappy[] = {{0, {2024, 1, 2}}, {100000, {2024, 12, 2}}, {0, {2025, 1, 2}}};
    assert_int_equal(quote_red(&s, gappy, 3, 100000, "2026-03-05", 12345, lines, &q), FEE_OK);
    assert_int_equal(q.n_lines, 1);
    assert_int_equal(lines[0].lot, 1);
    assert_int_equal(q.fee_fen, 309);
}

static void test_red_short_hold(void **state)
{
    (void)state;
    struct fee_red_schedule s = red_std();
    struct fee_red_line lines[8];
    struct fee_red_quote q;
    /* 10000.00 shares at NAV 1.0500 (gross 10500.00), confirmed 2026-03-02 (a Monday). */
    static const struct {
        const char *trade_date;
        int64_t days, rate_ppm, fee_fen;
    } v[] = {
        {"2026-03-02", 0, 15000, 15750}, /* confirmed and redeemed on the same T */
        {"2026-03-06", 4, 15000, 15750},
        {"2026-03-08", 6, 15000, 15750}, /* the last day under 7 */
        {"2026-03-09", 7, 7500, 7875},   /* 7 days: out of the short-hold tier */
    };
    struct fee_lot lot = {1000000, {2026, 3, 2}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        assert_int_equal(quote_red(&s, &lot, 1, 1000000, v[i].trade_date, 10500, lines, &q),
                         FEE_OK);
        assert_int_equal(lines[0].days, v[i].days);
        assert_int_equal(lines[0].rate_ppm, v[i].rate_ppm);
        assert_int_equal(q.gross_fen, 1050000);
        assert_int_equal(q.fee_fen, v[i].fee_fen);
        /* Under 7 days the fee is at least 1.5% of gross: fee × 10^6 >= gross × 15000. */
        if (v[i].days < FEE_SHORT_HOLD_DAYS)
            assert_true(q.fee_fen * FEE_PPM_ONE >= q.gross_fen * FEE_SHORT_HOLD_RATE_MIN_PPM);
        assert_int_equal(q.fee_to_fund_assets_fen, q.fee_fen);
    }
}

static void test_red_bad_input(void **state)
{
    (void)state;
    struct fee_red_schedule s = red_std();
    struct fee_red_line lines[8];
    struct fee_red_quote q;
    const char *t = "2026-03-05";
    assert_int_equal(quote_red(&s, three_lots, 3, 0, t, 12345, lines, &q), FEE_E_SHARES);
    assert_int_equal(quote_red(&s, three_lots, 3, -1, t, 12345, lines, &q), FEE_E_SHARES);
    assert_int_equal(quote_red(&s, three_lots, 3, 100, t, 0, lines, &q), FEE_E_NAV);
    assert_int_equal(quote_red(&s, three_lots, 3, 350001, t, 12345, lines, &q),
                     FEE_E_INSUFFICIENT_SHARES);
    assert_int_equal(quote_red(&s, NULL, 0, 1, t, 12345, lines, &q), FEE_E_INSUFFICIENT_SHARES);
    q = (struct fee_red_quote){.gross_fen = SENTINEL};
    assert_int_equal(
        fee_quote_redemption(&s, three_lots, 3, 100, (struct civil_date){2026, 2, 29}, 12345, &q),
        FEE_E_DATE);
    assert_int_equal(q.gross_fen, SENTINEL);
    struct fee_lot bad[] = {{100, {2026, 1, 5}}, {100, {2025, 1, 5}}}; /* not oldest first */
    assert_int_equal(quote_red(&s, bad, 2, 100, t, 12345, lines, &q), FEE_E_LOT);
    bad[1] = (struct fee_lot){-1, {2026, 2, 1}};
    assert_int_equal(quote_red(&s, bad, 2, 100, t, 12345, lines, &q), FEE_E_LOT);
    bad[1] = (struct fee_lot){100, {2026, 2, 30}};
    assert_int_equal(quote_red(&s, bad, 2, 100, t, 12345, lines, &q), FEE_E_LOT);
    /* A lot confirmed after T cannot be redeemed at T; one that is not reached does no harm. */
    struct fee_lot late[] = {{100, {2026, 3, 5}}, {100, {2026, 3, 6}}};
    assert_int_equal(quote_red(&s, late, 2, 200, t, 12345, lines, &q), FEE_E_LOT_AFTER_TRADE);
    assert_int_equal(quote_red(&s, late, 2, 100, t, 12345, lines, &q), FEE_OK);
    /* Unvalidated schedules: no tier for the holding period, a rate beyond 100%, no tiers. */
    struct fee_red_schedule bad_s = RED_SCHED({7, OPEN, 5000});
    assert_int_equal(quote_red(&bad_s, three_lots, 3, 350000, t, 12345, lines, &q), FEE_E_NO_TIER);
    bad_s = RED_SCHED({0, OPEN, FEE_PPM_ONE + 1});
    assert_int_equal(quote_red(&bad_s, three_lots, 3, 100, t, 12345, lines, &q), FEE_E_RATE_RANGE);
    bad_s.n = 0;
    assert_int_equal(quote_red(&bad_s, three_lots, 3, 100, t, 12345, lines, &q), FEE_E_EMPTY);
    bad_s.n = FEE_TIERS_MAX + 1;
    assert_int_equal(quote_red(&bad_s, three_lots, 3, 100, t, 12345, lines, &q), FEE_E_TOO_MANY);
}

static void test_red_overflow(void **state)
{
    (void)state;
    struct fee_red_schedule s = RED_SCHED({0, OPEN, 0});
    struct fee_red_line lines[8];
    struct fee_red_quote q;
    /* One lot whose value alone is beyond int64. */
    struct fee_lot big = {INT64_MAX, {2026, 1, 5}};
    assert_int_equal(quote_red(&s, &big, 1, INT64_MAX, "2026-03-05", 20000, lines, &q),
                     FEE_E_OVERFLOW);
    assert_int_equal(quote_red(&s, &big, 1, INT64_MAX, "2026-03-05", 10000, lines, &q), FEE_OK);
    assert_int_equal(q.gross_fen, INT64_MAX);
    /* Two lots that each fit but whose sum does not; their shares sum beyond int64 as well. */
    struct fee_lot two[] = {{INT64_C(6000000000000000000), {2026, 1, 5}},
                            {INT64_MAX, {2026, 1, 6}}};
    assert_int_equal(quote_red(&s, two, 2, INT64_MAX, "2026-03-05", 10001, lines, &q),
                     FEE_E_OVERFLOW);
}

/* ---- money-market funds --------------------------------------------------------------------- */

static void test_mmf_yield_7d(void **state)
{
    (void)state;
    /* Per-10k income for seven calendar days (Friday's figure repeated over the weekend):
     *   0.4123 0.4098 0.4101 0.4101 0.4101 0.4087 0.4112 CNY, Σ = 2.8723 CNY per 10,000 shares
     *   average 2.8723 / 7 = 0.410328571 CNY per 10,000 shares per day
     *   × 365 = 149.7699 CNY per 10,000 shares per year; / 10000 = 1.497699% -> "1.498%"
     * In integers: 28723 × 365 / 7000 = 10483895 / 7000 = 1497.699 -> 1498 (units of 0.001%). */
    const int64_t week[7] = {4123, 4098, 4101, 4101, 4101, 4087, 4112};
    int64_t y = SENTINEL;
    assert_int_equal(fee_mmf_yield_7d(week, &y), FEE_OK);
    assert_int_equal(y, 1498);
    assert_formats_as(y, 3, "1.498");
    /* A flat 0.4000 CNY a day: 0.4 / 10000 × 365 = 1.460% exactly. */
    const int64_t flat[7] = {4000, 4000, 4000, 4000, 4000, 4000, 4000};
    assert_int_equal(fee_mmf_yield_7d(flat, &y), FEE_OK);
    assert_int_equal(y, 1460);
    /* Negative income: Σ = -700, -700 × 365 / 7000 = -36.5 -> -37 (half-up, away from zero). */
    const int64_t neg[7] = {-100, -100, -100, -100, -100, -100, -100};
    assert_int_equal(fee_mmf_yield_7d(neg, &y), FEE_OK);
    assert_int_equal(y, -37);
    const int64_t zero[7] = {0};
    assert_int_equal(fee_mmf_yield_7d(zero, &y), FEE_OK);
    assert_int_equal(y, 0);
    /* The bound, both signs, and one beyond it. */
    int64_t edge[7];
    for (int i = 0; i < 7; i++)
        edge[i] = FEE_MMF_INCOME_PER_10K_MAX_E4;
    assert_int_equal(fee_mmf_yield_7d(edge, &y), FEE_OK);
    assert_int_equal(y, FEE_MMF_INCOME_PER_10K_MAX_E4 * 365 / 1000);
    edge[3] = -FEE_MMF_INCOME_PER_10K_MAX_E4 - 1;
    y = SENTINEL;
    assert_int_equal(fee_mmf_yield_7d(edge, &y), FEE_E_INCOME_RANGE);
    assert_int_equal(y, SENTINEL);
    edge[3] = INT64_MAX;
    assert_int_equal(fee_mmf_yield_7d(edge, &y), FEE_E_INCOME_RANGE);
    assert_int_equal(y, SENTINEL);
}

static void test_mmf_income_shares(void **state)
{
    (void)state;
    int64_t sh = SENTINEL;
    /* 10000.00 shares at 0.4123 per 10k: 0.4123 CNY = 41.23 fen -> 0.41 share either way. */
    assert_int_equal(fee_mmf_income_shares(1000000, 4123, FEE_ROUND_TRUNCATE, &sh), FEE_OK);
    assert_int_equal(sh, 41);
    assert_int_equal(fee_mmf_income_shares(1000000, 4123, FEE_ROUND_HALF_UP, &sh), FEE_OK);
    assert_int_equal(sh, 41);
    /* 12345.67 shares: 1234567 × 4123 / 10^8 = 50.90 fen: truncate 0.50, half-up 0.51 share. */
    assert_int_equal(fee_mmf_income_shares(1234567, 4123, FEE_ROUND_TRUNCATE, &sh), FEE_OK);
    assert_int_equal(sh, 50);
    assert_int_equal(fee_mmf_income_shares(1234567, 4123, FEE_ROUND_HALF_UP, &sh), FEE_OK);
    assert_int_equal(sh, 51);
    /* A small holding earns nothing under truncate; negative income is credited negative. */
    assert_int_equal(fee_mmf_income_shares(100, 4123, FEE_ROUND_TRUNCATE, &sh), FEE_OK);
    assert_int_equal(sh, 0);
    assert_int_equal(fee_mmf_income_shares(1234567, -4123, FEE_ROUND_TRUNCATE, &sh), FEE_OK);
    assert_int_equal(sh, -50);
    assert_int_equal(fee_mmf_income_shares(0, 4123, FEE_ROUND_HALF_UP, &sh), FEE_OK);
    assert_int_equal(sh, 0);
    /* The largest holding at the largest income: 100% in a day, exactly the holding. */
    assert_int_equal(
        fee_mmf_income_shares(INT64_MAX, FEE_MMF_INCOME_PER_10K_MAX_E4, FEE_ROUND_TRUNCATE, &sh),
        FEE_OK);
    assert_int_equal(sh, INT64_MAX);
    sh = SENTINEL;
    assert_int_equal(fee_mmf_income_shares(-1, 4123, FEE_ROUND_TRUNCATE, &sh), FEE_E_SHARES);
    assert_int_equal(
        fee_mmf_income_shares(100, FEE_MMF_INCOME_PER_10K_MAX_E4 + 1, FEE_ROUND_TRUNCATE, &sh),
        FEE_E_INCOME_RANGE);
    assert_int_equal(fee_mmf_income_shares(100, INT64_MIN, FEE_ROUND_HALF_UP, &sh),
                     FEE_E_INCOME_RANGE);
    assert_int_equal(sh, SENTINEL);
}

/* ---- names and contracts -------------------------------------------------------------------- */

static void test_names(void **state)
{
    (void)state;
    for (int t = FEE_FUND_MONEY_MARKET; t <= FEE_FUND_QDII; t++)
        assert_int_equal(fee_fund_type_parse(fee_fund_type_name((enum fee_fund_type)t)), t);
    assert_string_equal(fee_fund_type_name(FEE_FUND_MONEY_MARKET), "money_market");
    assert_string_equal(fee_fund_type_name(FEE_FUND_QDII), "qdii");
    assert_int_equal(fee_fund_type_parse(""), FEE_FUND_NONE);
    assert_int_equal(fee_fund_type_parse("Equity"), FEE_FUND_NONE);
    assert_int_equal(fee_fund_type_parse(NULL), FEE_FUND_NONE);
    enum fee_rounding r = FEE_ROUND_TRUNCATE;
    assert_true(fee_rounding_parse("half_up", &r));
    assert_int_equal(r, FEE_ROUND_HALF_UP);
    assert_true(fee_rounding_parse(fee_rounding_name(FEE_ROUND_TRUNCATE), &r));
    assert_int_equal(r, FEE_ROUND_TRUNCATE);
    assert_false(fee_rounding_parse("round", &r));
    assert_false(fee_rounding_parse(NULL, &r));
    assert_int_equal(r, FEE_ROUND_TRUNCATE);
    for (int rc = FEE_OK; rc <= FEE_E_OVERFLOW; rc++)
        assert_true(strlen(fee_rc_str((enum fee_rc)rc)) > 0);
}

/* Run fn in a child process and report whether it died of SIGABRT. */
static bool aborts(void (*fn)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Keep the expected assertion message out of the test log. */
        if (freopen("/dev/null", "w", stderr) == NULL)
            _exit(3);
        fn();
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void validate_no_type(void)
{
    struct fee_sub_schedule s = sub_equity();
    (void)fee_validate_subscription(FEE_FUND_NONE, false, &s, NULL);
}

static void quote_bad_rounding(void)
{
    struct fee_sub_schedule s = sub_equity();
    struct fee_sub_quote q;
    (void)fee_quote_subscription(&s, 100, FEE_PPM_ONE, 10000, (enum fee_rounding)7, &q);
}

static void test_contract_violations_abort(void **state)
{
    (void)state;
    assert_true(aborts(validate_no_type));
    assert_true(aborts(quote_bad_rounding));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors_subscription),
        cmocka_unit_test(test_vectors_redemption),
        cmocka_unit_test(test_sub_tier_boundaries),
        cmocka_unit_test(test_sub_fixed_fee_large_order),
        cmocka_unit_test(test_sub_discount),
        cmocka_unit_test(test_sub_campaign),
        cmocka_unit_test(test_sub_campaign_bounds),
        cmocka_unit_test(test_sub_shares_rounding),
        cmocka_unit_test(test_sub_bad_input),
        cmocka_unit_test(test_sub_overflow),
        cmocka_unit_test(test_red_fifo_partial_middle),
        cmocka_unit_test(test_red_fifo_all_lots),
        cmocka_unit_test(test_red_short_hold),
        cmocka_unit_test(test_red_bad_input),
        cmocka_unit_test(test_red_overflow),
        cmocka_unit_test(test_mmf_yield_7d),
        cmocka_unit_test(test_mmf_income_shares),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_contract_violations_abort),
    };
    return cmocka_run_group_tests_name("fee", tests, NULL, NULL);
}
