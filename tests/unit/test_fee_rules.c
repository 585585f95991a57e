/*
 * test_fee_rules.c - unit tests of core/fee's schedule rules (fee_validate_subscription,
 * fee_validate_redemption): shape, tier values, the statutory caps by fund type, fixed fees,
 * the short-holding redemption fee and money-market funds. Each rule is named in the error
 * with the tier that broke it.
 */
#include "fee_test.h"

/* ---- validation ----------------------------------------------------------------------------- */

static void expect_sub_rule(enum fee_fund_type type, bool leaning, struct fee_sub_schedule s,
                            enum fee_rc code, int32_t tier)
{
    struct fee_error err;
    memset(&err, 0x5e, sizeof err);
    assert_int_equal(fee_validate_subscription(type, leaning, &s, &err), code);
    assert_int_equal(err.code, code);
    assert_int_equal(err.tier, code == FEE_OK ? -1 : tier);
    if (code == FEE_OK) {
        assert_string_equal(err.msg, "");
        return;
    }
    char prefix[32];
    snprintf(prefix, sizeof prefix, "tier %d: ", (int)tier);
    if (tier >= 0)
        assert_memory_equal(err.msg, prefix, strlen(prefix));
    assert_true(strlen(err.msg) > strlen(prefix));
    /* NULL err is allowed and gives the same answer. */
    assert_int_equal(fee_validate_subscription(type, leaning, &s, NULL), code);
}

static void expect_red_rule(enum fee_fund_type type, struct fee_red_schedule s, enum fee_rc code,
                            int32_t tier)
{
    struct fee_error err;
    memset(&err, 0x5e, sizeof err);
    assert_int_equal(fee_validate_redemption(type, &s, &err), code);
    assert_int_equal(err.code, code);
    assert_int_equal(err.tier, code == FEE_OK ? -1 : tier);
    if (code != FEE_OK) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "tier %d: ", (int)tier);
        if (tier >= 0)
            assert_memory_equal(err.msg, prefix, strlen(prefix));
    }
    assert_int_equal(fee_validate_redemption(type, &s, NULL), code);
}

static void test_validate_shape(void **state)
{
    (void)state;
    enum fee_fund_type eq = FEE_FUND_EQUITY;
    expect_sub_rule(eq, false, sub_equity(), FEE_OK, -1);
    struct fee_sub_schedule s = {.n = 0};
    expect_sub_rule(eq, false, s, FEE_E_EMPTY, -1);
    s.n = FEE_TIERS_MAX + 1;
    expect_sub_rule(eq, false, s, FEE_E_TOO_MANY, FEE_TIERS_MAX);
    /* Exactly FEE_TIERS_MAX tiers is fine. */
    s.n = FEE_TIERS_MAX;
    for (size_t i = 0; i < FEE_TIERS_MAX; i++)
        s.tiers[i] = (struct fee_sub_tier){CNY(100) * (int64_t)i, CNY(100) * (int64_t)(i + 1),
                                           8000 - 1000 * (int64_t)i, 0};
    s.tiers[FEE_TIERS_MAX - 1].max_amount_fen = OPEN;
    expect_sub_rule(eq, false, s, FEE_OK, -1);
    expect_sub_rule(eq, false, SUB_SCHED({CNY(100), OPEN, 8000, 0}), FEE_E_NOT_FROM_ZERO, 0);
    expect_sub_rule(eq, false, SUB_SCHED({-1, OPEN, 8000, 0}), FEE_E_NOT_FROM_ZERO, 0);
    expect_sub_rule(
        eq, false,
        SUB_SCHED({0, CNY(100), 8000, 0}, {CNY(100), CNY(500), 6000, 0}, {CNY(600), OPEN, 5000, 0}),
        FEE_E_GAP, 2);
    expect_sub_rule(eq, false, SUB_SCHED({0, CNY(100), 8000, 0}, {CNY(50), OPEN, 5000, 0}),
                    FEE_E_OVERLAP, 1);
    expect_sub_rule(
        eq, false,
        SUB_SCHED({0, CNY(100), 8000, 0}, {CNY(100), CNY(100), 6000, 0}, {CNY(100), OPEN, 5000, 0}),
        FEE_E_BAD_RANGE, 1);
    expect_sub_rule(eq, false, SUB_SCHED({0, CNY(100), 8000, 0}, {CNY(100), CNY(1000), 5000, 0}),
                    FEE_E_NOT_OPEN_ENDED, 1);
    /* An open end before the last tier: the next tier cannot start after it. */
    expect_sub_rule(eq, false, SUB_SCHED({0, OPEN, 8000, 0}, {CNY(100), OPEN, 5000, 0}),
                    FEE_E_OVERLAP, 1);
    expect_red_rule(eq, RED_SCHED({0, 7, 15000}, {10, OPEN, 0}), FEE_E_GAP, 1);
    expect_red_rule(eq, RED_SCHED({0, 7, 15000}, {5, OPEN, 0}), FEE_E_OVERLAP, 1);
    expect_red_rule(eq, RED_SCHED({1, OPEN, 15000}), FEE_E_NOT_FROM_ZERO, 0);
    expect_red_rule(eq, RED_SCHED({0, 7, 15000}, {7, 365, 0}), FEE_E_NOT_OPEN_ENDED, 1);
    struct fee_red_schedule r = {.n = 0};
    expect_red_rule(eq, r, FEE_E_EMPTY, -1);
    r.n = FEE_TIERS_MAX + 1;
    expect_red_rule(eq, r, FEE_E_TOO_MANY, FEE_TIERS_MAX);
}

static void test_validate_tier_values(void **state)
{
    (void)state;
    enum fee_fund_type eq = FEE_FUND_EQUITY;
    expect_sub_rule(eq, false, SUB_SCHED({0, CNY(100), 8000, 0}, {CNY(100), OPEN, -1, 0}),
                    FEE_E_RATE_RANGE, 1);
    expect_sub_rule(eq, false, SUB_SCHED({0, OPEN, FEE_PPM_ONE + 1, 0}), FEE_E_RATE_RANGE, 0);
    expect_sub_rule(eq, false, SUB_SCHED({0, CNY(100), 8000, 0}, {CNY(100), OPEN, 0, -1}),
                    FEE_E_FIXED_RANGE, 1);
    expect_sub_rule(eq, false, SUB_SCHED({0, CNY(100), 8000, 0}, {CNY(100), OPEN, 100, 100}),
                    FEE_E_BOTH_RATE_AND_FIXED, 1);
    expect_red_rule(eq, RED_SCHED({0, 7, 15000}, {7, OPEN, FEE_PPM_ONE + 1}), FEE_E_RATE_RANGE, 1);
    expect_red_rule(eq, RED_SCHED({0, 7, 15000}, {7, OPEN, -5}), FEE_E_RATE_RANGE, 1);
    /* 100% is a legal (if absurd) redemption rate: no cap on redemption. */
    expect_red_rule(eq, RED_SCHED({0, 7, FEE_PPM_ONE}, {7, OPEN, 0}), FEE_OK, -1);
}

static void test_validate_caps(void **state)
{
    (void)state;
    /* The message names the tier, the rate, the cap, the fund type and the rule. */
    struct fee_sub_schedule idx = SUB_SCHED(
        {0, CNY(1000), 3000, 0}, {CNY(1000), CNY(5000), 2000, 0}, {CNY(5000), OPEN, 10000, 0});
    struct fee_error err;
    assert_int_equal(fee_validate_subscription(FEE_FUND_INDEX, false, &idx, &err), FEE_E_CAP);
    assert_int_equal(err.tier, 2);
    assert_string_equal(err.msg, "tier 2: rate 1.00% exceeds the 0.30% cap for index funds "
                                 "(DESIGN §5, in force from 2026-01-01)");
    static const struct {
        enum fee_fund_type type;
        bool leaning;
        int64_t cap_ppm;
    } v[] = {
        {FEE_FUND_INDEX, false, 3000},     {FEE_FUND_BOND, false, 3000},
        {FEE_FUND_BOND, true, 3000}, /* the flag is read for mixed funds only */
        {FEE_FUND_MIXED, false, 5000},     {FEE_FUND_MIXED, true, 8000},
        {FEE_FUND_EQUITY, false, 8000},    {FEE_FUND_QDII, false, 8000},
        {FEE_FUND_MONEY_MARKET, false, 0},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        int64_t cap = v[i].cap_ppm;
        assert_int_equal(fee_subscription_cap_ppm(v[i].type, v[i].leaning), cap);
        if (cap == 0)
            continue;
        /* At the cap: fine. One ppm over, in tier 1: refused there. */
        expect_sub_rule(v[i].type, v[i].leaning,
                        SUB_SCHED({0, CNY(100), cap, 0}, {CNY(100), OPEN, cap, 0}), FEE_OK, -1);
        expect_sub_rule(v[i].type, v[i].leaning,
                        SUB_SCHED({0, CNY(100), cap, 0}, {CNY(100), OPEN, cap + 1, 0}), FEE_E_CAP,
                        1);
    }
    /* 0.8%: an equity-leaning mixed fund may, another mixed fund may not. */
    struct fee_sub_schedule at08 = SUB_SCHED({0, OPEN, 8000, 0});
    expect_sub_rule(FEE_FUND_MIXED, true, at08, FEE_OK, -1);
    expect_sub_rule(FEE_FUND_MIXED, false, at08, FEE_E_CAP, 0);
    expect_sub_rule(FEE_FUND_BOND, false, at08, FEE_E_CAP, 0);
    expect_sub_rule(FEE_FUND_INDEX, false, at08, FEE_E_CAP, 0);
    expect_sub_rule(FEE_FUND_EQUITY, false, SUB_SCHED({0, OPEN, 8001, 0}), FEE_E_CAP, 0);
    /* The published 1.2% and 1.5% list rates are refused under the 2026 caps. */
    expect_sub_rule(FEE_FUND_EQUITY, false, SUB_SCHED({0, OPEN, 15000, 0}), FEE_E_CAP, 0);
}

static void test_validate_fixed_fee_cap(void **state)
{
    (void)state;
    /* A fixed fee is held to the cap on the tier's smallest order: 0.8% of 5,000,000 CNY is
     * 40,000 CNY for an equity fund, 0.3% is 15,000 CNY for a bond fund. */
    enum fee_fund_type eq = FEE_FUND_EQUITY, bond = FEE_FUND_BOND;
    struct fee_sub_schedule s = sub_equity();
    s.tiers[2].fixed_fen = CNY(40000);
    expect_sub_rule(eq, false, s, FEE_OK, -1);
    s.tiers[2].fixed_fen = CNY(40000) + 1;
    expect_sub_rule(eq, false, s, FEE_E_CAP, 2);
    struct fee_sub_schedule b =
        SUB_SCHED({0, CNY(5000000), 3000, 0}, {CNY(5000000), OPEN, 0, CNY(15000)});
    expect_sub_rule(bond, false, b, FEE_OK, -1);
    b.tiers[1].fixed_fen = CNY(15000) + 1;
    expect_sub_rule(bond, false, b, FEE_E_CAP, 1);
    /* A fixed fee from 0 would be an unbounded rate on tiny orders. */
    expect_sub_rule(eq, false, SUB_SCHED({0, OPEN, 0, 1}), FEE_E_CAP, 0);
    /* A free tier (neither rate nor fixed fee) is fine anywhere. */
    expect_sub_rule(FEE_FUND_INDEX, false, SUB_SCHED({0, OPEN, 0, 0}), FEE_OK, -1);
}

static void test_validate_redemption_rules(void **state)
{
    (void)state;
    enum fee_fund_type eq = FEE_FUND_EQUITY;
    expect_red_rule(eq, red_std(), FEE_OK, -1);
    expect_red_rule(FEE_FUND_BOND, RED_SCHED({0, 7, 15000}, {7, OPEN, 0}), FEE_OK, -1);
    /* Under 7 days below 1.5%: refused in whichever tier reaches below day 7. */
    expect_red_rule(eq, RED_SCHED({0, 7, 14999}, {7, OPEN, 0}), FEE_E_SHORT_HOLD_MIN, 0);
    expect_red_rule(eq, RED_SCHED({0, 3, 15000}, {3, 30, 5000}, {30, OPEN, 0}),
                    FEE_E_SHORT_HOLD_MIN, 1);
    expect_red_rule(eq, RED_SCHED({0, 6, 20000}, {6, OPEN, 0}), FEE_E_SHORT_HOLD_MIN, 1);
    expect_red_rule(FEE_FUND_QDII, RED_SCHED({0, OPEN, 5000}), FEE_E_SHORT_HOLD_MIN, 0);
    /* A tier from day 7 on may charge anything from 0. */
    expect_red_rule(eq, RED_SCHED({0, 7, 15000}, {7, 8, 0}, {8, OPEN, 100}), FEE_OK, -1);
    struct fee_error err;
    struct fee_red_schedule r = RED_SCHED({0, 3, 15000}, {3, OPEN, 5000});
    assert_int_equal(fee_validate_redemption(eq, &r, &err), FEE_E_SHORT_HOLD_MIN);
    assert_string_equal(err.msg, "tier 1: rate 0.50% for holdings from 3 days is below the 1.50% "
                                 "minimum for holdings under 7 days (DESIGN §5)");
}

static void test_validate_money_market(void **state)
{
    (void)state;
    enum fee_fund_type mmf = FEE_FUND_MONEY_MARKET;
    /* No subscription fee at all, rate or fixed; no redemption fee, and no 7-day minimum. */
    expect_sub_rule(mmf, false, SUB_SCHED({0, OPEN, 0, 0}), FEE_OK, -1);
    expect_sub_rule(mmf, false, SUB_SCHED({0, OPEN, 1, 0}), FEE_E_MMF_FEE, 0);
    expect_sub_rule(mmf, false, SUB_SCHED({0, CNY(100), 0, 0}, {CNY(100), OPEN, 0, 1}),
                    FEE_E_MMF_FEE, 1);
    expect_red_rule(mmf, RED_SCHED({0, OPEN, 0}), FEE_OK, -1);
    expect_red_rule(mmf, RED_SCHED({0, 7, 0}, {7, OPEN, 0}), FEE_OK, -1);
    expect_red_rule(mmf, RED_SCHED({0, 7, 15000}, {7, OPEN, 0}), FEE_E_MMF_FEE, 0);
    expect_red_rule(mmf, RED_SCHED({0, 7, 0}, {7, OPEN, 10}), FEE_E_MMF_FEE, 1);
    /* Shape rules still come first. */
    expect_red_rule(mmf, RED_SCHED({0, 7, 0}, {8, OPEN, 0}), FEE_E_GAP, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validate_shape),
        cmocka_unit_test(test_validate_tier_values),
        cmocka_unit_test(test_validate_caps),
        cmocka_unit_test(test_validate_fixed_fee_cap),
        cmocka_unit_test(test_validate_redemption_rules),
        cmocka_unit_test(test_validate_money_market),
    };
    return cmocka_run_group_tests_name("fee_rules", tests, NULL, NULL);
}
