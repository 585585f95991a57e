/*
 * test_jobs.c - unit tests of the trading-day batches (jobs/confirm.c, jobs/settle.c) on a real
 * store (jobs_fixture.h). Every figure asserted is worked out in the comment above it from the
 * fee rules of core/fee.h, so a change in rounding or in FIFO order fails here. The ledger
 * reconciliation has its own tests (test_ledger_check.c).
 */
#include "jobs_fixture.h"

static void test_confirm_subscription(void **state)
{
    (void)state;
    topup(1000000);
    int64_t id = subscribe(PROD, AMOUNT1, T1);
    put_nav(PROD, T1, NAV1, true);
    assert_check(0);
    assert_int_equal(balance(CASH, LK_HELD, INV), AMOUNT1);

    struct progress pr = {0};
    struct job_report r = run_job(false, T1, evening(T1), &pr);
    assert_report(&r, 1, 0, 0, 1);
    assert_int_equal(pr.calls, 1);
    assert_int_equal(pr.done, 1);
    assert_int_equal(pr.total, 1);
    assert_confirmed_sub(id, evening(T1));
    assert_sub_postings(id);
    assert_check(0);

    /* Again, later: nothing left to confirm, nothing changes. */
    r = run_job(false, T1, evening(T1) + 3600 * 1000, NULL);
    assert_report(&r, 0, 0, 0, 0);
    assert_confirmed_sub(id, evening(T1));
    assert_sub_postings(id);
    /* Nor does the next day's batch touch an order of T1. */
    r = confirm(T1_NEXT);
    assert_report(&r, 0, 0, 0, 0);
    assert_confirmed_sub(id, evening(T1));
    assert_check(0);
}

/* ---- 2. an order whose NAV is not published stays accepted ---- */

static void test_waiting_for_nav(void **state)
{
    (void)state;
    topup(1000000);
    int64_t a = subscribe(PROD, AMOUNT1, T1);
    int64_t b = subscribe(PROD2, 200000, T1);
    put_nav(PROD, T1, NAV1, true);
    /* Published but not confirmed by a second person: not a NAV to trade at. */
    put_nav(PROD2, T1, 10000, false);

    struct job_report r = confirm(T1);
    assert_report(&r, 1, 0, 1, 1);
    assert_confirmed_sub(a, evening(T1));
    assert_priced(b, "accepted", NONE, NONE, NONE, NONE, NONE);
    assert_int_equal(order_int(b, "confirmed_ms"), NONE);
    assert_int_equal(lots(PROD2), 0);
    assert_int_equal(balance(CASH, LK_HELD, INV), 200000);
    assert_check(0);

    /* Once confirmed at 1.0000: net = 200000 × 10^6 / 1012000 = 197628.4… → 197628, fee 2372,
     * shares = 197628 × 10^4 / 10000 = 197628. */
    put_nav(PROD2, T1, 10000, true);
    r = confirm(T1);
    assert_report(&r, 1, 0, 0, 1);
    assert_priced(b, "confirmed", 10000, NONE, 2372, 197628, 197628);
    assert_int_equal(balance(CASH, LK_HELD, INV), 0);
    assert_int_equal(balance(CASH, LK_PLATFORM_FEES, 0), FEE1 + 2372);
    assert_int_equal(balance("P:22", LK_AVAILABLE, INV), 197628);
    assert_check(0);
}

/* ---- 3. a cancelled order is not confirmed ---- */

static void test_cancelled_not_confirmed(void **state)
{
    (void)state;
    topup(1000000);
    int64_t kept = subscribe(PROD, AMOUNT1, T1);
    int64_t gone = subscribe(PROD, 300000, T1);
    assert_int_equal(balance(CASH, LK_HELD, INV), AMOUNT1 + 300000);
    cancel(gone, 300000);
    assert_int_equal(balance(CASH, LK_HELD, INV), AMOUNT1);
    put_nav(PROD, T1, NAV1, true);
    assert_check(0);

    struct job_report r = confirm(T1);
    assert_report(&r, 1, 0, 0, 1);
    assert_confirmed_sub(kept, evening(T1));
    assert_priced(gone, "cancelled", NONE, NONE, NONE, NONE, NONE);
    assert_int_equal(order_int(gone, "confirmed_ms"), NONE);
    assert_int_equal(entries(gone, "subscribe.release"), 1);
    assert_int_equal(entries(gone, "subscribe.confirm"), 0);
    assert_sub_postings(kept); /* the cancelled 3000.00 is back in available */
    assert_check(0);
}

/* ---- 4. a redemption across two lots, then its cash on T+n ---- */

/*
 * Lot 1: the prospectus example above, T 2026-03-02, confirmed 2026-03-03: 438006 shares.
 * Lot 2: 3000.00 on T 2026-03-09 at NAV 1.2000: net = 300000 × 10^6 / 1012000 = 296442.6… →
 * 296443, fee 3557, shares = 296443 × 10^4 / 12000 = 247035.8… → 247036; confirmed 2026-03-10.
 */
#define T_LOT2    "2026-03-09"
#define NET2      296443
#define FEE2      3557
#define SHARES2   247036
#define T2        "2026-03-12"
#define NAV_T2    12500
#define RED_H     500000
#define CASH_DATE "2026-03-16" /* T2 (Thursday) + 2 trading days: Friday 13, Monday 16 */

/* Two subscriptions confirmed on different dates; returns their order ids. */
static void two_lots(int64_t ids[2])
{
    ids[0] = confirmed_lot1();
    ids[1] = subscribe(PROD, 300000, T_LOT2);
    put_nav(PROD, T_LOT2, 12000, true);
    struct job_report r = confirm(T_LOT2);
    assert_report(&r, 1, 0, 0, 1);
    assert_priced(ids[1], "confirmed", 12000, NONE, FEE2, NET2, SHARES2);
    assert_int_equal(lots(PROD), 2);
    assert_lot(ids[0], T1_NEXT, SHARES1, AMOUNT1);
    assert_lot(ids[1], "2026-03-10", SHARES2, 300000);
    assert_int_equal(balance(SHARE, LK_AVAILABLE, INV), SHARES1 + SHARES2);
    assert_check(0);
}

/*
 * 5000.00 shares at NAV(T2) 1.2500, oldest lot first:
 *   lot 1, all 438006, held 2026-03-03 → 03-12 = 9 days, 0.5%:
 *     gross = 438006 × 12500 / 10^4 = 547507.5 → 547508; fee = 547508 × 0.5% = 2737.54 → 2738
 *   lot 2, the other 500000 − 438006 = 61994, held 03-10 → 03-12 = 2 days, 1.5%:
 *     gross = 61994 × 12500 / 10^4 = 77492.5 → 77493; fee = 77493 × 1.5% = 1162.395 → 1162
 *   gross 625001, fee 3900, net 621101.
 * Lot 2 keeps 247036 − 61994 = 185042 shares and 300000 − ⌊300000 × 61994 / 247036⌋ =
 * 300000 − 75285 = 224715 fen of cost; lot 1 is empty and keeps no cost.
 */
#define GROSS 625001
#define RFEE  3900
#define RNET  621101
#define LEFT2 185042
#define COST2 224715

static void assert_redemption_confirmed(int64_t red, const int64_t ids[2])
{
    assert_priced(red, "confirmed", NAV_T2, GROSS, RFEE, RNET, RED_H);
    assert_string_equal(order_text(red, "cash_date"), CASH_DATE);
    assert_int_equal(order_int(red, "confirmed_ms"), evening(T2));
    assert_int_equal(order_int(red, "cash_paid_ms"), NONE);
    assert_int_equal(lots(PROD), 2);
    assert_lot(ids[0], T1_NEXT, 0, 0);
    assert_lot(ids[1], "2026-03-10", LEFT2, COST2);

    assert_int_equal(balance(SHARE, LK_HELD, INV), 0);
    assert_int_equal(balance(SHARE, LK_AVAILABLE, INV), LEFT2);
    assert_int_equal(balance(SHARE, LK_FUND_ISSUANCE, PROD), -LEFT2);
    assert_int_equal(balance(CASH, LK_IN_TRANSIT, INV), RNET);
    assert_int_equal(balance(CASH, LK_FUND_ASSETS, PROD), RFEE);
    assert_int_equal(balance(CASH, LK_SETTLEMENT, INST), NET1 + NET2 - RNET - RFEE);
    assert_int_equal(balance(CASH, LK_PLATFORM_FEES, 0), FEE1 + FEE2);
    assert_int_equal(balance(CASH, LK_AVAILABLE, INV), 1000000 - AMOUNT1 - 300000);
    assert_int_equal(entries(red, "redeem.confirm"), 3);
}

static void test_redemption_fifo_and_settle(void **state)
{
    (void)state;
    int64_t ids[2];
    two_lots(ids);
    int64_t red = redeem(PROD, RED_H, T2);
    assert_int_equal(balance(SHARE, LK_HELD, INV), RED_H);
    assert_check(0);
    put_nav(PROD, T2, NAV_T2, true);
    struct job_report r = confirm(T2);
    assert_report(&r, 1, 0, 0, 1);
    assert_redemption_confirmed(red, ids);
    assert_check(0);

    /* The day before the cash date pays nothing. */
    r = settle("2026-03-15");
    assert_report(&r, 0, 0, 0, 0);
    assert_int_equal(balance(CASH, LK_IN_TRANSIT, INV), RNET);
    assert_int_equal(order_int(red, "cash_paid_ms"), NONE);
    assert_check(0);

    r = settle(CASH_DATE);
    assert_report(&r, 1, 0, 0, 1);
    assert_int_equal(balance(CASH, LK_IN_TRANSIT, INV), 0);
    assert_int_equal(balance(CASH, LK_AVAILABLE, INV), 1000000 - AMOUNT1 - 300000 + RNET);
    assert_int_equal(order_int(red, "cash_paid_ms"), evening(CASH_DATE));
    assert_int_equal(entries(red, "redeem.pay"), 1);
    assert_check(0);

    /* Paid once: the same day again, or any later day, pays nothing more. */
    r = settle(CASH_DATE);
    assert_report(&r, 0, 0, 0, 0);
    r = settle("2026-03-20");
    assert_report(&r, 0, 0, 0, 0);
    assert_int_equal(balance(CASH, LK_AVAILABLE, INV), 1000000 - AMOUNT1 - 300000 + RNET);
    assert_int_equal(order_int(red, "cash_paid_ms"), evening(CASH_DATE));
    assert_int_equal(entries(red, "redeem.pay"), 1);
    /* And the redemption is not confirmed twice. */
    r = confirm(T2);
    assert_report(&r, 0, 0, 0, 0);
    assert_int_equal(entries(red, "redeem.confirm"), 3);
    assert_check(0);
}

/* ---- 5. a redemption whose cash date crosses a holiday ---- */

/*
 * All of lot 1 (438006) redeemed on Thursday 2026-04-02 at NAV 1.1000, held 2026-03-03 → 04-02 =
 * 30 days, 0.5%: gross = 438006 × 11000 / 10^4 = 481806.6 → 481807, fee = 2409.035 → 2409,
 * net 479398. T+2 trading days: Friday 04-03, then (Qingming, 04-04 to 04-06) Tuesday 04-07.
 */
static void test_cash_date_skips_holiday(void **state)
{
    (void)state;
    int64_t sub = confirmed_lot1();
    int64_t red = redeem(PROD, SHARES1, "2026-04-02");
    put_nav(PROD, "2026-04-02", 11000, true);
    struct job_report r = confirm("2026-04-02");
    assert_report(&r, 1, 0, 0, 1);
    assert_priced(red, "confirmed", 11000, 481807, 2409, 479398, SHARES1);
    assert_string_equal(order_text(red, "cash_date"), "2026-04-07");
    assert_int_equal(lots(PROD), 1);
    assert_lot(sub, T1_NEXT, 0, 0);
    assert_int_equal(balance(SHARE, LK_AVAILABLE, INV), 0);
    assert_check(0);

    r = settle("2026-04-06");
    assert_report(&r, 0, 0, 0, 0);
    r = settle("2026-04-07");
    assert_report(&r, 1, 0, 0, 1);
    assert_int_equal(balance(CASH, LK_AVAILABLE, INV), 1000000 - AMOUNT1 + 479398);
    assert_check(0);
}

/* ---- 6. a subscription the fee rules cannot price fails and is released ---- */

static void test_failed_subscription_released(void **state)
{
    (void)state;
    /* A 500.00 order for a product charging 1000.00 per order whatever the amount: it would
     * invest nothing (FEE_E_FEE_EXCEEDS_AMOUNT). Beside it, the prospectus example. */
    assert_int_equal(SQL("UPDATE products SET sub_fees = ? WHERE id = ?",
                         SV_TEXT("[{\"min_amount\": \"0.00\", \"max_amount\": null, "
                                 "\"fixed\": \"1000.00\"}]"),
                         SV_INT(PROD2)),
                     1);
    topup(100000 + AMOUNT1);
    int64_t id = subscribe(PROD2, 50000, T1);
    put_nav(PROD2, T1, 10000, true);
    int64_t ok = subscribe(PROD, AMOUNT1, T1);
    put_nav(PROD, T1, NAV1, true);
    struct progress pr = {0};
    struct job_report r = run_job(false, T1, evening(T1), &pr);
    assert_int_equal(r.failed, 1);
    assert_int_equal(r.waiting, 0);
    assert_int_equal(r.chunks, 1);
    assert_priced(id, "failed", NONE, NONE, NONE, NONE, NONE);
    assert_string_equal(order_text(id, "fail_reason"), fee_rc_str(FEE_E_FEE_EXCEEDS_AMOUNT));
    assert_int_equal(order_int(id, "confirmed_ms"), evening(T1));
    assert_confirmed_sub(ok, evening(T1));
    assert_int_equal(balance(CASH, LK_HELD, INV), 0);
    assert_int_equal(balance(CASH, LK_AVAILABLE, INV), 100000);
    assert_int_equal(entries(id, "subscribe.release"), 1);
    assert_int_equal(lots(PROD2), 0);
    /* A failed subscription no longer counts towards the day's limit (check 6 sees it). */
    assert_int_equal(SQL("UPDATE order_daily_usage SET amount_fen = 0 WHERE product_id = ? AND "
                         "trade_date = ? AND amount_fen = 0",
                         SV_INT(PROD2), SV_TEXT(T1)),
                     1);
    assert_check(0);

    /* Failed is final: a second run neither fails it again nor releases twice. */
    struct job_report again = confirm(T1);
    assert_report(&again, 0, 0, 0, 0);
    assert_int_equal(entries(id, "subscribe.release"), 1);
    assert_int_equal(balance(CASH, LK_AVAILABLE, INV), 100000);

    /* jobs.h: `processed` counts the orders "confirmed, failed or paid"; progress reports
     * processed + waiting against the orders accepted for T. */
    assert_int_equal(pr.total, 2);
    assert_int_equal(pr.done, 2);
    assert_int_equal(r.processed, 2);
}

/* ---- 7. reconciliation sees a balance changed behind the ledger's back ---- */

/*
 * 1200 orders of 100.00 at 1.2% and NAV 1.1280: net = 10000 × 10^6 / 1012000 = 9881.4… → 9881,
 * fee 119, shares = 9881 × 10^4 / 11280 = 8759.75 → 8760. 1200 = 512 + 512 + 176: three chunks.
 */
#define MANY 1200

static void test_many_orders_in_chunks(void **state)
{
    (void)state;
    topup(MANY * 10000);
    place(PROD, 10000, 0, T1, MANY);
    put_nav(PROD, T1, NAV1, true);
    assert_int_equal(balance(CASH, LK_HELD, INV), MANY * 10000);

    struct progress pr = {0};
    struct job_report r = run_job(false, T1, evening(T1), &pr);
    assert_true(MANY > 2 * job_chunk() && MANY <= 3 * job_chunk());
    assert_report(&r, MANY, 0, 0, 3);
    assert_int_equal(pr.calls, 3);
    assert_int_equal(pr.done, MANY);
    assert_int_equal(pr.total, MANY);

    const char *sql = "SELECT count(*) FROM orders WHERE investor_id = ? AND status = 'confirmed' "
                      "AND net_fen = 9881 AND fee_fen = 119 AND confirmed_shares_h = 8760";
    assert_int_equal(Q(sql, SV_INT(INV)), MANY);
    assert_int_equal(Q("SELECT count(*) FROM share_lots WHERE investor_id = ? AND "
                       "confirmed_date = ? AND shares_h = 8760",
                       SV_INT(INV), SV_TEXT(T1_NEXT)),
                     MANY);
    assert_int_equal(balance(CASH, LK_HELD, INV), 0);
    assert_int_equal(balance(CASH, LK_AVAILABLE, INV), 0);
    assert_int_equal(balance(CASH, LK_SETTLEMENT, INST), MANY * 9881);
    assert_int_equal(balance(CASH, LK_PLATFORM_FEES, 0), MANY * 119);
    assert_int_equal(balance(SHARE, LK_AVAILABLE, INV), MANY * 8760);
    assert_check(0);

    r = confirm(T1);
    assert_report(&r, 0, 0, 0, 0);
    assert_int_equal(Q("SELECT count(*) FROM share_lots WHERE investor_id = ?", SV_INT(INV)), MANY);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, env_setup, env_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_confirm_subscription),    T(test_waiting_for_nav),
        T(test_cancelled_not_confirmed), T(test_redemption_fifo_and_settle),
        T(test_cash_date_skips_holiday), T(test_failed_subscription_released),
        T(test_many_orders_in_chunks),
    };
    return cmocka_run_group_tests_name("jobs", tests, group_setup, NULL);
}
