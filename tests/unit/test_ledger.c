/*
 * test_ledger.c - unit tests of core/ledger: the postings of every business event against the
 * table in ledger.h (asset, from and to account kinds and owners, amounts, in that order), the
 * zero-amount legs left out, bad ids and amounts refused, the balance of every transaction per
 * asset, the kind names and which kinds may go negative.
 *
 * The ids in use are distinct small numbers (investor 31, institution 11, product 21, order 41),
 * so a leg that names the wrong owner, or the wrong product in its asset, shows as a mismatch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/ledger.h"

#define INV   INT64_C(31)
#define INST  INT64_C(11)
#define PROD  INT64_C(21)
#define ORDER INT64_C(41)
#define CASH  "CNY"
#define SHARE "P:21"

/* One expected leg, as a row of the table in ledger.h. */
struct want {
    const char *asset;
    enum ledger_kind from;
    int64_t from_owner;
    enum ledger_kind to;
    int64_t to_owner;
    int64_t amount;
};

/* True when every asset the legs name moves as much out of its accounts as into them. Each
 * posting carries one amount, so what can break this is a leg whose two ends name different
 * assets: value created in one asset and destroyed in another. */
static bool balanced(const struct ledger_txn *t)
{
    for (size_t i = 0; i < 2 * t->n; i++) {
        const struct ledger_posting *q = &t->p[i / 2];
        const char *asset = i % 2 ? q->to.asset : q->from.asset;
        int64_t out = 0, in = 0;
        for (size_t j = 0; j < t->n; j++) {
            const struct ledger_posting *p = &t->p[j];
            out += strcmp(p->from.asset, asset) == 0 ? p->amount : 0;
            in += strcmp(p->to.asset, asset) == 0 ? p->amount : 0;
        }
        if (out != in)
            return false;
    }
    return true;
}

static void assert_balanced(const struct ledger_txn *t)
{
    assert_true(t->n >= 1 && t->n <= LEDGER_POSTINGS_MAX);
    for (size_t i = 0; i < t->n; i++)
        assert_true(t->p[i].amount > 0);
    assert_true(balanced(t));
}

static void assert_leg(const struct ledger_posting *p, const struct want *w)
{
    assert_string_equal(p->from.asset, w->asset);
    assert_string_equal(p->to.asset, w->asset);
    assert_int_equal(p->from.kind, w->from);
    assert_int_equal(p->from.owner_id, w->from_owner);
    assert_int_equal(p->to.kind, w->to);
    assert_int_equal(p->to.owner_id, w->to_owner);
    assert_int_equal(p->amount, w->amount);
}

/* The transaction is exactly `event` about `order` with the n legs of `w`, in order. */
static void assert_txn(const struct ledger_txn *t, const char *event, int64_t order,
                       const struct want *w, size_t n)
{
    assert_non_null(t->event);
    assert_string_equal(t->event, event);
    assert_int_equal(t->order_id, order);
    assert_int_equal(t->n, n);
    for (size_t i = 0; i < n; i++)
        assert_leg(&t->p[i], &w[i]);
    assert_balanced(t);
}

#define WANT(...)  ((const struct want[]){__VA_ARGS__})
#define NWANT(...) (sizeof(WANT(__VA_ARGS__)) / sizeof(struct want))
#define EXPECT(t, event, order, ...) \
    assert_txn(t, event, order, WANT(__VA_ARGS__), NWANT(__VA_ARGS__))

/* A transaction full of garbage, so that a builder that leaves a field unset shows. */
static struct ledger_txn dirty(void)
{
    struct ledger_txn t;
    memset(&t, 0x5a, sizeof(t));
    t.event = "garbage";
    t.order_id = 999;
    t.n = LEDGER_POSTINGS_MAX;
    return t;
}

/* ---- the balance helper itself ---- */

static void test_balance_helper_catches_a_wrong_leg(void **state)
{
    (void)state;
    struct ledger_txn t = dirty();
    assert_int_equal(ledger_sub_confirm(&t, INV, INST, PROD, ORDER, 494071, 5929, 438006),
                     LEDGER_OK);
    assert_true(balanced(&t));
    /* Shares paid for in cash: P:21 loses 438006 nobody receives, CNY gains it. */
    struct ledger_txn bad = t;
    ledger_asset_cash(bad.p[2].to.asset);
    assert_false(balanced(&bad));
    /* The fee taken in shares of the product. */
    bad = t;
    ledger_asset_shares(PROD, bad.p[1].from.asset);
    assert_false(balanced(&bad));
    /* The shares of another product. */
    bad = t;
    ledger_asset_shares(PROD + 1, bad.p[2].to.asset);
    assert_false(balanced(&bad));
}

/* ---- cash in and out ---- */

static void test_topup(void **state)
{
    (void)state;
    struct ledger_txn t = dirty();
    assert_int_equal(ledger_topup(&t, INV, 1000000), LEDGER_OK);
    EXPECT(&t, "topup", 0, {CASH, LK_BANK, 0, LK_AVAILABLE, INV, 1000000});
    assert_int_equal(ledger_topup(&t, INV, 1), LEDGER_OK);
    EXPECT(&t, "topup", 0, {CASH, LK_BANK, 0, LK_AVAILABLE, INV, 1});
    assert_int_equal(ledger_topup(&t, INV, INT64_MAX), LEDGER_OK);
    EXPECT(&t, "topup", 0, {CASH, LK_BANK, 0, LK_AVAILABLE, INV, INT64_MAX});

    assert_int_equal(ledger_topup(&t, 0, 100), LEDGER_BAD_ID);
    assert_int_equal(ledger_topup(&t, -1, 100), LEDGER_BAD_ID);
    assert_int_equal(ledger_topup(&t, INV, 0), LEDGER_BAD_AMOUNT);
    assert_int_equal(ledger_topup(&t, INV, -100), LEDGER_BAD_AMOUNT);
    assert_int_equal(ledger_topup(&t, INV, INT64_MIN), LEDGER_BAD_AMOUNT);
}

static void test_withdraw(void **state)
{
    (void)state;
    struct ledger_txn t = dirty();
    assert_int_equal(ledger_withdraw(&t, INV, 250075), LEDGER_OK);
    EXPECT(&t, "withdraw", 0, {CASH, LK_AVAILABLE, INV, LK_BANK, 0, 250075});

    assert_int_equal(ledger_withdraw(&t, 0, 100), LEDGER_BAD_ID);
    assert_int_equal(ledger_withdraw(&t, -INV, 100), LEDGER_BAD_ID);
    assert_int_equal(ledger_withdraw(&t, INV, 0), LEDGER_BAD_AMOUNT);
    assert_int_equal(ledger_withdraw(&t, INV, -1), LEDGER_BAD_AMOUNT);
}

/* ---- subscriptions ---- */

static void test_sub_hold_and_release(void **state)
{
    (void)state;
    struct ledger_txn t = dirty();
    assert_int_equal(ledger_sub_hold(&t, INV, ORDER, 500000), LEDGER_OK);
    EXPECT(&t, "subscribe.hold", ORDER, {CASH, LK_AVAILABLE, INV, LK_HELD, INV, 500000});
    t = dirty();
    assert_int_equal(ledger_sub_release(&t, INV, ORDER, 500000), LEDGER_OK);
    EXPECT(&t, "subscribe.release", ORDER, {CASH, LK_HELD, INV, LK_AVAILABLE, INV, 500000});

    enum ledger_rc (*const fns[])(struct ledger_txn *, int64_t, int64_t,
                                  int64_t) = {ledger_sub_hold, ledger_sub_release};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(fns[i](&t, 0, ORDER, 100), LEDGER_BAD_ID);
        assert_int_equal(fns[i](&t, -INV, ORDER, 100), LEDGER_BAD_ID);
        assert_int_equal(fns[i](&t, INV, 0, 100), LEDGER_BAD_ID);
        assert_int_equal(fns[i](&t, INV, -ORDER, 100), LEDGER_BAD_ID);
        assert_int_equal(fns[i](&t, INV, ORDER, 0), LEDGER_BAD_AMOUNT);
        assert_int_equal(fns[i](&t, INV, ORDER, -500000), LEDGER_BAD_AMOUNT);
        /* An id is checked before the amount. */
        assert_int_equal(fns[i](&t, 0, ORDER, 0), LEDGER_BAD_ID);
    }
}

static void test_sub_confirm(void **state)
{
    (void)state;
    /* The prospectus example: 5000.00 at 1.2%, NAV 1.1280 → net 4940.71, fee 59.29, 4380.06
     * shares. */
    struct ledger_txn t = dirty();
    assert_int_equal(ledger_sub_confirm(&t, INV, INST, PROD, ORDER, 494071, 5929, 438006),
                     LEDGER_OK);
    EXPECT(&t, "subscribe.confirm", ORDER, {CASH, LK_HELD, INV, LK_SETTLEMENT, INST, 494071},
           {CASH, LK_HELD, INV, LK_PLATFORM_FEES, 0, 5929},
           {SHARE, LK_FUND_ISSUANCE, PROD, LK_AVAILABLE, INV, 438006});
    /* The held amount leaves in full: net + fee. */
    assert_int_equal(t.p[0].amount + t.p[1].amount, 500000);

    /* A fee-free subscription (discount 0) has no fee leg. */
    t = dirty();
    assert_int_equal(ledger_sub_confirm(&t, INV, INST, PROD, ORDER, 500000, 0, 443262), LEDGER_OK);
    EXPECT(&t, "subscribe.confirm", ORDER, {CASH, LK_HELD, INV, LK_SETTLEMENT, INST, 500000},
           {SHARE, LK_FUND_ISSUANCE, PROD, LK_AVAILABLE, INV, 443262});
}

static void test_sub_confirm_refuses(void **state)
{
    (void)state;
    struct ledger_txn t = dirty();
    assert_int_equal(ledger_sub_confirm(&t, 0, INST, PROD, ORDER, 1, 1, 1), LEDGER_BAD_ID);
    assert_int_equal(ledger_sub_confirm(&t, INV, 0, PROD, ORDER, 1, 1, 1), LEDGER_BAD_ID);
    assert_int_equal(ledger_sub_confirm(&t, INV, INST, 0, ORDER, 1, 1, 1), LEDGER_BAD_ID);
    assert_int_equal(ledger_sub_confirm(&t, INV, INST, PROD, 0, 1, 1, 1), LEDGER_BAD_ID);
    assert_int_equal(ledger_sub_confirm(&t, INV, -INST, PROD, ORDER, 1, 1, 1), LEDGER_BAD_ID);
    assert_int_equal(ledger_sub_confirm(&t, INV, INST, -PROD, ORDER, 1, 1, 1), LEDGER_BAD_ID);
    /* Nothing invested, a negative fee, no shares. */
    assert_int_equal(ledger_sub_confirm(&t, INV, INST, PROD, ORDER, 0, 100, 1), LEDGER_BAD_AMOUNT);
    assert_int_equal(ledger_sub_confirm(&t, INV, INST, PROD, ORDER, -1, 100, 1), LEDGER_BAD_AMOUNT);
    assert_int_equal(ledger_sub_confirm(&t, INV, INST, PROD, ORDER, 100, -1, 1), LEDGER_BAD_AMOUNT);
    assert_int_equal(ledger_sub_confirm(&t, INV, INST, PROD, ORDER, 100, 1, 0), LEDGER_BAD_AMOUNT);
    assert_int_equal(ledger_sub_confirm(&t, INV, INST, PROD, ORDER, 100, 1, -5), LEDGER_BAD_AMOUNT);
}

/* ---- redemptions ---- */

static void test_red_hold_and_release(void **state)
{
    (void)state;
    struct ledger_txn t = dirty();
    assert_int_equal(ledger_red_hold(&t, INV, PROD, ORDER, 500000), LEDGER_OK);
    EXPECT(&t, "redeem.hold", ORDER, {SHARE, LK_AVAILABLE, INV, LK_HELD, INV, 500000});
    t = dirty();
    assert_int_equal(ledger_red_release(&t, INV, PROD, ORDER, 500000), LEDGER_OK);
    EXPECT(&t, "redeem.release", ORDER, {SHARE, LK_HELD, INV, LK_AVAILABLE, INV, 500000});

    /* The asset is the product's shares, whatever the product. */
    assert_int_equal(ledger_red_hold(&t, INV, INT64_C(9007199254740993), ORDER, 7), LEDGER_OK);
    EXPECT(&t, "redeem.hold", ORDER, {"P:9007199254740993", LK_AVAILABLE, INV, LK_HELD, INV, 7});

    enum ledger_rc (*const fns[])(struct ledger_txn *, int64_t, int64_t, int64_t,
                                  int64_t) = {ledger_red_hold, ledger_red_release};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(fns[i](&t, 0, PROD, ORDER, 100), LEDGER_BAD_ID);
        assert_int_equal(fns[i](&t, INV, 0, ORDER, 100), LEDGER_BAD_ID);
        assert_int_equal(fns[i](&t, INV, -PROD, ORDER, 100), LEDGER_BAD_ID);
        assert_int_equal(fns[i](&t, INV, PROD, 0, 100), LEDGER_BAD_ID);
        assert_int_equal(fns[i](&t, INV, PROD, ORDER, 0), LEDGER_BAD_AMOUNT);
        assert_int_equal(fns[i](&t, INV, PROD, ORDER, -1), LEDGER_BAD_AMOUNT);
    }
}

static void test_red_confirm(void **state)
{
    (void)state;
    /* 5000.00 shares at NAV 1.2500: gross 6250.01, fee 39.00, net 6211.01 (test_jobs.c). */
    struct ledger_txn t = dirty();
    assert_int_equal(ledger_red_confirm(&t, INV, INST, PROD, ORDER, 500000, 621101, 3900),
                     LEDGER_OK);
    EXPECT(&t, "redeem.confirm", ORDER, {SHARE, LK_HELD, INV, LK_FUND_ISSUANCE, PROD, 500000},
           {CASH, LK_SETTLEMENT, INST, LK_IN_TRANSIT, INV, 621101},
           {CASH, LK_SETTLEMENT, INST, LK_FUND_ASSETS, PROD, 3900});

    /* No fee (a long holding): no fee leg. */
    t = dirty();
    assert_int_equal(ledger_red_confirm(&t, INV, INST, PROD, ORDER, 500000, 625001, 0), LEDGER_OK);
    EXPECT(&t, "redeem.confirm", ORDER, {SHARE, LK_HELD, INV, LK_FUND_ISSUANCE, PROD, 500000},
           {CASH, LK_SETTLEMENT, INST, LK_IN_TRANSIT, INV, 625001});

    /* The fee takes everything (one hundredth of a share at a 100% rate): no cash leg. */
    t = dirty();
    assert_int_equal(ledger_red_confirm(&t, INV, INST, PROD, ORDER, 1, 0, 1), LEDGER_OK);
    EXPECT(&t, "redeem.confirm", ORDER, {SHARE, LK_HELD, INV, LK_FUND_ISSUANCE, PROD, 1},
           {CASH, LK_SETTLEMENT, INST, LK_FUND_ASSETS, PROD, 1});

    /* Worth nothing at all: only the shares go back. */
    t = dirty();
    assert_int_equal(ledger_red_confirm(&t, INV, INST, PROD, ORDER, 1, 0, 0), LEDGER_OK);
    EXPECT(&t, "redeem.confirm", ORDER, {SHARE, LK_HELD, INV, LK_FUND_ISSUANCE, PROD, 1});
}

static void test_red_confirm_refuses(void **state)
{
    (void)state;
    struct ledger_txn t = dirty();
    assert_int_equal(ledger_red_confirm(&t, 0, INST, PROD, ORDER, 1, 1, 1), LEDGER_BAD_ID);
    assert_int_equal(ledger_red_confirm(&t, INV, 0, PROD, ORDER, 1, 1, 1), LEDGER_BAD_ID);
    assert_int_equal(ledger_red_confirm(&t, INV, INST, 0, ORDER, 1, 1, 1), LEDGER_BAD_ID);
    assert_int_equal(ledger_red_confirm(&t, INV, INST, PROD, 0, 1, 1, 1), LEDGER_BAD_ID);
    assert_int_equal(ledger_red_confirm(&t, INV, INST, PROD, -ORDER, 1, 1, 1), LEDGER_BAD_ID);
    assert_int_equal(ledger_red_confirm(&t, INV, INST, PROD, ORDER, 0, 1, 1), LEDGER_BAD_AMOUNT);
    assert_int_equal(ledger_red_confirm(&t, INV, INST, PROD, ORDER, -1, 1, 1), LEDGER_BAD_AMOUNT);
    assert_int_equal(ledger_red_confirm(&t, INV, INST, PROD, ORDER, 1, -1, 1), LEDGER_BAD_AMOUNT);
    assert_int_equal(ledger_red_confirm(&t, INV, INST, PROD, ORDER, 1, 1, -1), LEDGER_BAD_AMOUNT);
}

static void test_red_pay(void **state)
{
    (void)state;
    struct ledger_txn t = dirty();
    assert_int_equal(ledger_red_pay(&t, INV, ORDER, 621101), LEDGER_OK);
    EXPECT(&t, "redeem.pay", ORDER, {CASH, LK_IN_TRANSIT, INV, LK_AVAILABLE, INV, 621101});

    assert_int_equal(ledger_red_pay(&t, 0, ORDER, 1), LEDGER_BAD_ID);
    assert_int_equal(ledger_red_pay(&t, INV, 0, 1), LEDGER_BAD_ID);
    assert_int_equal(ledger_red_pay(&t, INV, -ORDER, 1), LEDGER_BAD_ID);
    assert_int_equal(ledger_red_pay(&t, INV, ORDER, -1), LEDGER_BAD_AMOUNT);
    assert_int_equal(ledger_red_pay(&t, INV, ORDER, INT64_MIN), LEDGER_BAD_AMOUNT);
}

/* Nothing to pay is a non-positive amount, which ledger.h says the builders refuse; built, it
 * would be a transaction with no leg, which ledger_apply aborts on (ASSERT t->n > 0). */
static void test_red_pay_nothing_is_refused(void **state)
{
    (void)state;
    struct ledger_txn t = dirty();
    assert_int_equal(ledger_red_pay(&t, INV, ORDER, 0), LEDGER_BAD_AMOUNT);
}

/* ---- money-market income ---- */

static void test_mmf_income(void **state)
{
    (void)state;
    struct ledger_txn t = dirty();
    assert_int_equal(ledger_mmf_income(&t, INV, PROD, 137), LEDGER_OK);
    EXPECT(&t, "mmf.income", 0, {SHARE, LK_FUND_ISSUANCE, PROD, LK_AVAILABLE, INV, 137});

    assert_int_equal(ledger_mmf_income(&t, 0, PROD, 1), LEDGER_BAD_ID);
    assert_int_equal(ledger_mmf_income(&t, INV, 0, 1), LEDGER_BAD_ID);
    assert_int_equal(ledger_mmf_income(&t, INV, -PROD, 1), LEDGER_BAD_ID);
    assert_int_equal(ledger_mmf_income(&t, INV, PROD, 0), LEDGER_BAD_AMOUNT);
    assert_int_equal(ledger_mmf_income(&t, INV, PROD, -1), LEDGER_BAD_AMOUNT);
}

/* ---- names, assets, signs ---- */

static void test_kind_names(void **state)
{
    (void)state;
    static const char *const names[LK_COUNT] = {
        [LK_BANK] = "bank",
        [LK_AVAILABLE] = "available",
        [LK_HELD] = "held",
        [LK_IN_TRANSIT] = "in_transit",
        [LK_SETTLEMENT] = "settlement",
        [LK_PLATFORM_FEES] = "platform_fees",
        [LK_FUND_ASSETS] = "fund_assets",
        [LK_FUND_ISSUANCE] = "fund_issuance",
    };
    for (int k = 0; k < LK_COUNT; k++) {
        assert_non_null(names[k]);
        assert_string_equal(ledger_kind_name((enum ledger_kind)k), names[k]);
        assert_int_equal(ledger_kind_parse(names[k]), k);
        assert_int_equal(ledger_kind_parse(ledger_kind_name((enum ledger_kind)k)), k);
    }
    static const char *const bad[] = {"",           "Bank",     "HELD", "held ", " held",
                                      "in-transit", "platform", "fund", "bankx", "CNY"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(ledger_kind_parse(bad[i]), LK_COUNT);
}

static void test_may_go_negative(void **state)
{
    (void)state;
    int negative = 0;
    for (int k = 0; k < LK_COUNT; k++) {
        bool want = k == LK_BANK || k == LK_FUND_ISSUANCE || k == LK_SETTLEMENT;
        assert_int_equal(ledger_kind_may_go_negative((enum ledger_kind)k), want);
        negative += want;
    }
    assert_int_equal(negative, 3);
    assert_false(ledger_kind_may_go_negative(LK_AVAILABLE));
    assert_false(ledger_kind_may_go_negative(LK_HELD));
    assert_false(ledger_kind_may_go_negative(LK_IN_TRANSIT));
    assert_false(ledger_kind_may_go_negative(LK_PLATFORM_FEES));
    assert_false(ledger_kind_may_go_negative(LK_FUND_ASSETS));
}

static void test_assets(void **state)
{
    (void)state;
    char a[LEDGER_ASSET_BYTES];
    memset(a, 'x', sizeof(a));
    ledger_asset_cash(a);
    assert_string_equal(a, "CNY");
    ledger_asset_shares(1, a);
    assert_string_equal(a, "P:1");
    ledger_asset_shares(PROD, a);
    assert_string_equal(a, SHARE);
    /* The largest id fits: 2 + 19 digits + NUL <= LEDGER_ASSET_BYTES. */
    ledger_asset_shares(INT64_MAX, a);
    assert_string_equal(a, "P:9223372036854775807");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_balance_helper_catches_a_wrong_leg),
        cmocka_unit_test(test_topup),
        cmocka_unit_test(test_withdraw),
        cmocka_unit_test(test_sub_hold_and_release),
        cmocka_unit_test(test_sub_confirm),
        cmocka_unit_test(test_sub_confirm_refuses),
        cmocka_unit_test(test_red_hold_and_release),
        cmocka_unit_test(test_red_confirm),
        cmocka_unit_test(test_red_confirm_refuses),
        cmocka_unit_test(test_red_pay),
        cmocka_unit_test(test_red_pay_nothing_is_refused),
        cmocka_unit_test(test_mmf_income),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_may_go_negative),
        cmocka_unit_test(test_assets),
    };
    return cmocka_run_group_tests_name("ledger", tests, NULL, NULL);
}
