/*
 * test_ledger_check.c - unit tests of the ledger reconciliation (jobs/ledger_check.c): after a
 * confirmed subscription (jobs_fixture.h), a change made behind the ledger's back (a balance, a
 * daily-limit counter, an entry's cash account) is found by `caifuhao ledger check`.
 */
#include "jobs_fixture.h"

static void test_check_detects_tampering(void **state)
{
    (void)state;
    confirmed_lot1();
    assert_check(0);
    /* One fen more in the investor's available cash, with no entry: CNY no longer sums to zero,
     * and that account's balance no longer equals its entries. Nothing else disagrees. */
    const char *add = "UPDATE ledger_accounts SET balance = balance + ? WHERE asset = 'CNY' AND "
                      "kind = 'available' AND owner_id = ?";
    assert_int_equal(SQL(add, SV_INT(1), SV_INT(INV)), 1);
    assert_check(2);
    /* Put back, the ledger agrees with itself again. */
    assert_int_equal(SQL(add, SV_INT(-1), SV_INT(INV)), 1);
    assert_check(0);
    /* A lot that lost shares disagrees with the shares the ledger holds for the investor. */
    const char *lot = "UPDATE share_lots SET shares_h = shares_h + ? WHERE investor_id = ?";
    assert_int_equal(SQL(lot, SV_INT(-1), SV_INT(INV)), 1);
    assert_check(1);
    assert_int_equal(SQL(lot, SV_INT(1), SV_INT(INV)), 1);
    assert_check(0);

    /* A holding with no lot at all: check 5 of ledger_check.c ("the FIFO lots of an investor and
     * product hold exactly their available + held shares") must see it too. */
    assert_int_equal(SQL("DELETE FROM share_lots WHERE investor_id = ?", SV_INT(INV)), 1);
    assert_int_equal(balance(SHARE, LK_AVAILABLE, INV), SHARES1);
    assert_check(1);
}

/* Check 6: a daily-limit counter that drifted from the orders it counts. */
static void test_check_detects_daily_drift(void **state)
{
    (void)state;
    confirmed_lot1();
    assert_check(0);
    const char *add = "UPDATE order_daily_usage SET amount_fen = amount_fen + ? WHERE "
                      "investor_id = ?";
    assert_int_equal(SQL(add, SV_INT(1), SV_INT(INV)), 1);
    assert_check(1);
    assert_int_equal(SQL(add, SV_INT(-1), SV_INT(INV)), 1);
    assert_check(0);
    assert_int_equal(SQL("DELETE FROM order_daily_usage WHERE investor_id = ?", SV_INT(INV)), 1);
    assert_check(1);
}

/* Check 7: statements read an investor's cash movements by cash_account; an entry that moves
 * available cash without naming it (or names it without moving it) would make a statement
 * wrong, and the check must say so. */
static void test_check_detects_unnamed_cash(void **state)
{
    (void)state;
    confirmed_lot1();
    assert_check(0);
    /* The top-up, the hold and the confirmation are there; only the first two move the
     * investor's available cash. */
    assert_int_equal(Q("SELECT COUNT(*) FROM ledger_entries WHERE cash_account IS NOT NULL"), 2);
    assert_true(Q("SELECT COUNT(*) FROM ledger_entries WHERE cash_account IS NULL") > 0);
    const char *topup_sql = "UPDATE ledger_entries SET cash_account = ? WHERE event = 'topup'";
    int64_t account = Q("SELECT cash_account FROM ledger_entries WHERE event = 'topup'");
    assert_int_equal(SQL(topup_sql, SV_NULL_), 1);
    assert_check(1);
    assert_int_equal(SQL(topup_sql, SV_INT(account)), 1);
    assert_check(0);
    const char *confirm_sql = "UPDATE ledger_entries SET cash_account = ? WHERE event = "
                              "'subscribe.confirm' AND cash_account IS NULL";
    assert_true(SQL(confirm_sql, SV_INT(account)) >= 1);
    assert_true(Q("SELECT COUNT(*) FROM ledger_entries WHERE cash_account IS NOT NULL") > 2);
    assert_check(Q("SELECT COUNT(*) FROM ledger_entries WHERE event = 'subscribe.confirm'"));
}

/* ---- 8. more orders than one chunk ---- */

#define T(fn) cmocka_unit_test_setup_teardown(fn, env_setup, env_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_check_detects_tampering),
        T(test_check_detects_daily_drift),
        T(test_check_detects_unnamed_cash),
    };
    return cmocka_run_group_tests_name("ledger_check", tests, group_setup, NULL);
}
