/*
 * test_money.c - unit tests of base/money: strict decimal parsing, formatting and rounding.
 *
 * The worked fee examples are the published prospectus and qualification-exam figures (also in
 * the shared fee-vectors data); they are copied here so that the test reads no files.
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

#include "base/money.h"

#define SENTINEL ((int64_t)0x5eed5eed5eedLL)

/* Parse a NUL-terminated string; on error check that *out was left alone. */
static enum money_rc parse_str(const char *s, int scale, int64_t max, int64_t *out)
{
    *out = SENTINEL;
    enum money_rc rc = money_parse(s, strlen(s), scale, max, out);
    if (rc != MONEY_OK)
        assert_int_equal(*out, SENTINEL);
    return rc;
}

static enum money_rc parse_signed_str(const char *s, int scale, int64_t min, int64_t max,
                                      int64_t *out)
{
    *out = SENTINEL;
    enum money_rc rc = money_parse_signed(s, strlen(s), scale, min, max, out);
    if (rc != MONEY_OK)
        assert_int_equal(*out, SENTINEL);
    return rc;
}

static void expect_parse(const char *s, int scale, int64_t want)
{
    int64_t v;
    assert_int_equal(parse_str(s, scale, INT64_MAX, &v), MONEY_OK);
    assert_int_equal(v, want);
    /* The signed parser agrees on every non-negative input. */
    assert_int_equal(parse_signed_str(s, scale, INT64_MIN, INT64_MAX, &v), MONEY_OK);
    assert_int_equal(v, want);
}

static void expect_parse_rc(const char *s, int scale, enum money_rc want)
{
    int64_t v;
    assert_int_equal(parse_str(s, scale, INT64_MAX, &v), want);
}

static void expect_signed(const char *s, int scale, int64_t want)
{
    int64_t v;
    assert_int_equal(parse_signed_str(s, scale, INT64_MIN, INT64_MAX, &v), MONEY_OK);
    assert_int_equal(v, want);
}

static void expect_signed_rc(const char *s, int scale, enum money_rc want)
{
    int64_t v;
    assert_int_equal(parse_signed_str(s, scale, INT64_MIN, INT64_MAX, &v), want);
}

static void test_parse_valid(void **state)
{
    (void)state;
    expect_parse("0", 2, 0);
    expect_parse("0.00", 2, 0);
    expect_parse("0.5", 2, 50);
    expect_parse("0.05", 2, 5);
    expect_parse("1", 2, 100);
    expect_parse("1.2", 2, 120);
    expect_parse("10", 2, 1000);
    expect_parse("12345.67", 2, 1234567);
    expect_parse("5000.00", MONEY_SCALE_FEN, 500000);
    expect_parse("1.1280", MONEY_SCALE_NAV, 11280);
    expect_parse("1.128", MONEY_SCALE_NAV, 11280);
    expect_parse("0.015", MONEY_SCALE_RATE, 15000);
    expect_parse("0.012", MONEY_SCALE_RATE, 12000);
    expect_parse("0.0075", MONEY_SCALE_RATE, 7500);
    expect_parse("0.000001", MONEY_SCALE_RATE, 1);
    expect_parse("1", MONEY_SCALE_RATE, 1000000);
    expect_parse("42", 0, 42);
    expect_parse("0.000000000000000001", MONEY_SCALE_MAX, 1);
    expect_parse("9.223372036854775807", MONEY_SCALE_MAX, INT64_MAX);
}

static void test_parse_uses_len_not_nul(void **state)
{
    (void)state;
    int64_t v = 0;
    const char text[] = "12.34567";
    assert_int_equal(money_parse(text, 5, 2, INT64_MAX, &v), MONEY_OK);
    assert_int_equal(v, 1234);
    /* A string with no terminator at all. */
    const char bare[4] = {'9', '.', '9', '9'};
    assert_int_equal(money_parse(bare, sizeof bare, 2, INT64_MAX, &v), MONEY_OK);
    assert_int_equal(v, 999);
    /* An embedded NUL is a bad character, not the end of the number. */
    assert_int_equal(money_parse("1\0", 2, 2, INT64_MAX, &v), MONEY_BAD_CHAR);
    assert_int_equal(money_parse("1.\0", 3, 2, INT64_MAX, &v), MONEY_BAD_CHAR);
}

static void test_parse_empty(void **state)
{
    (void)state;
    int64_t v = SENTINEL;
    assert_int_equal(money_parse("", 0, 2, INT64_MAX, &v), MONEY_EMPTY);
    assert_int_equal(money_parse(NULL, 0, 2, INT64_MAX, &v), MONEY_EMPTY);
    assert_int_equal(money_parse_signed(NULL, 0, 2, INT64_MIN, INT64_MAX, &v), MONEY_EMPTY);
    assert_int_equal(v, SENTINEL);
}

static void test_parse_bad_char(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "+1",    " 1",  "1 ",   "1e2",  "1E2", "1,000", "1.2.3", "1..2",
        "1-",    "abc", "0x10", "1.2a", "--1", "-+1",   "1.-2",  "\xef\xbc\x91",
        "1_000", "1\t", "Inf",  "NaN",  "1/2", "1.2 ",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_parse_rc(bad[i], 2, MONEY_BAD_CHAR);
        expect_signed_rc(bad[i], 2, MONEY_BAD_CHAR);
    }
    /* A '-' after the start is a bad character in both parsers. */
    expect_parse_rc("1-2", 2, MONEY_BAD_CHAR);
    expect_parse_rc("-x", 2, MONEY_BAD_CHAR);
}

static void test_parse_missing_digits(void **state)
{
    (void)state;
    static const char *const bad[] = {".5", "5.", ".", ".00", "-.5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_signed_rc(bad[i], 2, MONEY_MISSING_DIGITS);
    expect_parse_rc(".5", 2, MONEY_MISSING_DIGITS);
    expect_parse_rc("5.", 2, MONEY_MISSING_DIGITS);
    expect_parse_rc("5.", 0, MONEY_MISSING_DIGITS);
    expect_signed_rc("-", 2, MONEY_MISSING_DIGITS);
    expect_signed_rc("-5.", 2, MONEY_MISSING_DIGITS);
    expect_parse_rc("-", 2, MONEY_MISSING_DIGITS);
}

static void test_parse_leading_zero(void **state)
{
    (void)state;
    expect_parse_rc("05", 2, MONEY_LEADING_ZERO);
    expect_parse_rc("00", 2, MONEY_LEADING_ZERO);
    expect_parse_rc("00.10", 2, MONEY_LEADING_ZERO);
    expect_parse_rc("0100.00", 2, MONEY_LEADING_ZERO);
    expect_signed_rc("-05", 2, MONEY_LEADING_ZERO);
    expect_signed_rc("-00", 2, MONEY_LEADING_ZERO);
    /* Zeros elsewhere are ordinary digits. */
    expect_parse("100", 2, 10000);
    expect_parse("0.01", 2, 1);
}

static void test_parse_too_many_decimals(void **state)
{
    (void)state;
    expect_parse_rc("1.005", 2, MONEY_TOO_MANY_DECIMALS);
    expect_parse_rc("0.001", 2, MONEY_TOO_MANY_DECIMALS);
    /* Extra zeros are not quietly dropped either: one spelling per value. */
    expect_parse_rc("1.000", 2, MONEY_TOO_MANY_DECIMALS);
    expect_parse_rc("1.0", 0, MONEY_TOO_MANY_DECIMALS);
    expect_parse_rc("1.12800", MONEY_SCALE_NAV, MONEY_TOO_MANY_DECIMALS);
    expect_parse_rc("0.0000001", MONEY_SCALE_RATE, MONEY_TOO_MANY_DECIMALS);
    expect_signed_rc("-1.005", 2, MONEY_TOO_MANY_DECIMALS);
    /* Exactly `scale` decimals is the limit, not one less. */
    expect_parse("1.12", 2, 112);
}

static void test_parse_negative(void **state)
{
    (void)state;
    expect_parse_rc("-1", 2, MONEY_NEGATIVE);
    expect_parse_rc("-0.01", 2, MONEY_NEGATIVE);
    expect_parse_rc("-0", 2, MONEY_NEGATIVE);
    expect_parse_rc("-0.00", 2, MONEY_NEGATIVE);
    expect_parse_rc("-99999999999999999999999", 2, MONEY_NEGATIVE);
    /* Shape errors are reported as such, even behind a '-'. */
    expect_parse_rc("-1.005", 2, MONEY_TOO_MANY_DECIMALS);
    expect_parse_rc("-.5", 2, MONEY_MISSING_DIGITS);
}

static void test_parse_int64_bounds(void **state)
{
    (void)state;
    expect_parse("9223372036854775807", 0, INT64_MAX);
    expect_parse_rc("9223372036854775808", 0, MONEY_OVERFLOW);
    expect_parse_rc("18446744073709551616", 0, MONEY_OVERFLOW); /* 2^64: no wrap to 0 */
    expect_parse_rc("18446744073709551617", 0, MONEY_OVERFLOW); /* 2^64 + 1: no wrap to 1 */
    expect_parse_rc("100000000000000000000000000000", 0, MONEY_OVERFLOW);
    expect_parse("92233720368547758.07", 2, INT64_MAX);
    expect_parse_rc("92233720368547758.08", 2, MONEY_OVERFLOW);
    /* Overflow while scaling the missing decimals: 922337203685477581 * 10. */
    expect_parse_rc("92233720368547758.1", 2, MONEY_OVERFLOW);
    expect_parse_rc("92233720368547759", 2, MONEY_OVERFLOW);
    expect_parse_rc("10", MONEY_SCALE_MAX, MONEY_OVERFLOW);

    expect_signed("-9223372036854775808", 0, INT64_MIN);
    expect_signed_rc("-9223372036854775809", 0, MONEY_OVERFLOW);
    expect_signed("-92233720368547758.08", 2, INT64_MIN);
    expect_signed_rc("-92233720368547758.09", 2, MONEY_OVERFLOW);
    expect_signed("-9.223372036854775808", MONEY_SCALE_MAX, INT64_MIN);
    expect_signed_rc("9223372036854775808", 0, MONEY_OVERFLOW);
}

static void test_parse_max(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(parse_str("1000.00", 2, 100000, &v), MONEY_OK);
    assert_int_equal(v, 100000);
    assert_int_equal(parse_str("1000.01", 2, 100000, &v), MONEY_ABOVE_MAX);
    assert_int_equal(parse_str("1000.1", 2, 100000, &v), MONEY_ABOVE_MAX);
    assert_int_equal(parse_str("0", 2, 0, &v), MONEY_OK);
    assert_int_equal(v, 0);
    assert_int_equal(parse_str("0.01", 2, 0, &v), MONEY_ABOVE_MAX);
    /* A rate above 100%. */
    assert_int_equal(parse_str("1.000001", MONEY_SCALE_RATE, 1000000, &v), MONEY_ABOVE_MAX);
}

static void test_parse_signed(void **state)
{
    (void)state;
    expect_signed("-0.00", 2, 0);
    expect_signed("-0", 2, 0);
    expect_signed("-12.34", 2, -1234);
    expect_signed("-0.05", 2, -5);
    expect_signed("-1", 0, -1);
    expect_signed("7", 0, 7);

    int64_t v;
    assert_int_equal(parse_signed_str("-1.00", 2, -100, 100, &v), MONEY_OK);
    assert_int_equal(v, -100);
    assert_int_equal(parse_signed_str("-1.01", 2, -100, 100, &v), MONEY_BELOW_MIN);
    assert_int_equal(parse_signed_str("1.01", 2, -100, 100, &v), MONEY_ABOVE_MAX);
    assert_int_equal(parse_signed_str("-0.00", 2, 0, 100, &v), MONEY_OK);
    assert_int_equal(v, 0);
    assert_int_equal(parse_signed_str("0.00", 2, 1, 100, &v), MONEY_BELOW_MIN);
    assert_int_equal(parse_signed_str("-0.01", 2, 0, 100, &v), MONEY_BELOW_MIN);
    assert_int_equal(parse_signed_str("-5", 0, -10, -1, &v), MONEY_OK);
    assert_int_equal(v, -5);
    assert_int_equal(parse_signed_str("0", 0, -10, -1, &v), MONEY_ABOVE_MAX);
}

static void test_rc_str(void **state)
{
    (void)state;
    const enum money_rc all[] = {
        MONEY_OK,           MONEY_EMPTY,
        MONEY_BAD_CHAR,     MONEY_MISSING_DIGITS,
        MONEY_LEADING_ZERO, MONEY_TOO_MANY_DECIMALS,
        MONEY_NEGATIVE,     MONEY_OVERFLOW,
        MONEY_ABOVE_MAX,    MONEY_BELOW_MIN,
        MONEY_DIV_ZERO,
    };
    size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n; i++) {
        const char *s = money_rc_str(all[i]);
        assert_non_null(s);
        assert_true(strlen(s) > 0);
        assert_string_not_equal(s, "unknown money error");
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(s, money_rc_str(all[j]));
    }
    assert_string_equal(money_rc_str(MONEY_TOO_MANY_DECIMALS), "too many decimal places");
    assert_string_equal(money_rc_str((enum money_rc)999), "unknown money error");
}

static void expect_format(int64_t v, int scale, const char *want)
{
    char buf[MONEY_FORMAT_CAP];
    memset(buf, 'x', sizeof buf);
    size_t n = money_format(v, scale, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void expect_grouped(int64_t v, int scale, const char *want)
{
    char buf[MONEY_FORMAT_CAP];
    size_t n = money_format_grouped(v, scale, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_format(void **state)
{
    (void)state;
    expect_format(1234567, 2, "12345.67");
    expect_format(-5, 2, "-0.05");
    expect_format(5, 2, "0.05");
    expect_format(50, 2, "0.50");
    expect_format(0, 2, "0.00");
    expect_format(100, 2, "1.00");
    expect_format(-100, 2, "-1.00");
    expect_format(42, 0, "42");
    expect_format(-42, 0, "-42");
    expect_format(0, 0, "0");
    expect_format(11280, MONEY_SCALE_NAV, "1.1280");
    expect_format(15000, MONEY_SCALE_RATE, "0.015000");
    expect_format(1, MONEY_SCALE_MAX, "0.000000000000000001");
    expect_format(INT64_MAX, 2, "92233720368547758.07");
    expect_format(INT64_MIN, 2, "-92233720368547758.08");
    expect_format(INT64_MAX, 0, "9223372036854775807");
    expect_format(INT64_MIN, 0, "-9223372036854775808");
    expect_format(INT64_MIN, MONEY_SCALE_MAX, "-9.223372036854775808");
    expect_format(INT64_MIN + 1, MONEY_SCALE_MAX, "-9.223372036854775807");
}

static void test_format_cap(void **state)
{
    (void)state;
    char buf[16];
    /* "12345.67" needs 8 bytes and the NUL. */
    assert_int_equal(money_format(1234567, 2, buf, 9), 8);
    assert_string_equal(buf, "12345.67");
    memset(buf, 'x', sizeof buf);
    assert_int_equal(money_format(1234567, 2, buf, 8), 0);
    assert_string_equal(buf, "");
    assert_int_equal(money_format(1234567, 2, buf, 1), 0);
    assert_string_equal(buf, "");
    assert_int_equal(money_format(1234567, 2, NULL, 0), 0);
    assert_int_equal(money_format_grouped(123456789, 2, buf, 12), 0);
    assert_int_equal(money_format_grouped(123456789, 2, buf, 13), 12);
    assert_string_equal(buf, "1,234,567.89");

    /* The documented capacity holds the longest outputs. */
    char big[MONEY_FORMAT_CAP];
    assert_true(money_format_grouped(INT64_MIN, 0, big, sizeof big) > 0);
    assert_true(money_format(INT64_MIN, MONEY_SCALE_MAX, big, sizeof big) > 0);
}

static void test_format_grouped(void **state)
{
    (void)state;
    expect_grouped(123456789, 2, "1,234,567.89");
    expect_grouped(100000, 2, "1,000.00");
    expect_grouped(99999, 2, "999.99");
    expect_grouped(-100000, 2, "-1,000.00");
    expect_grouped(-99999, 2, "-999.99");
    expect_grouped(0, 2, "0.00");
    expect_grouped(-5, 2, "-0.05");
    expect_grouped(1000, 0, "1,000");
    expect_grouped(100, 0, "100");
    expect_grouped(100000000, 0, "100,000,000");
    expect_grouped(123456789012LL, 4, "12,345,678.9012");
    expect_grouped(INT64_MIN, 0, "-9,223,372,036,854,775,808");
    expect_grouped(INT64_MAX, 2, "92,233,720,368,547,758.07");
}

/* Every formatted value parses back to itself, at every scale. */
static void test_format_parse_roundtrip(void **state)
{
    (void)state;
    const int64_t near_max = INT64_MAX - 1, near_min = INT64_MIN + 1;
    const int64_t values[] = {
        0,    1,       -1,       9,        10,       99,        100,       101,
        -101, 1234567, -1234567, near_max, near_min, INT64_MAX, INT64_MIN, 1000000000000LL,
    };
    for (int scale = 0; scale <= MONEY_SCALE_MAX; scale++) {
        for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
            char buf[MONEY_FORMAT_CAP];
            size_t n = money_format(values[i], scale, buf, sizeof buf);
            assert_true(n > 0);
            int64_t back = SENTINEL;
            assert_int_equal(money_parse_signed(buf, n, scale, INT64_MIN, INT64_MAX, &back),
                             MONEY_OK);
            assert_int_equal(back, values[i]);
        }
    }
}

static int64_t div_ok(int64_t num, int64_t den, enum money_round mode)
{
    int64_t q = SENTINEL;
    assert_int_equal(money_div_round(num, den, mode, &q), MONEY_OK);
    return q;
}

static void test_div_round(void **state)
{
    (void)state;
    const enum money_round up = MONEY_ROUND_HALF_UP, tr = MONEY_ROUND_TRUNCATE;
    /* Ties go away from zero; truncation goes toward zero; signs of both operands count. */
    assert_int_equal(div_ok(7, 2, up), 4);
    assert_int_equal(div_ok(7, 2, tr), 3);
    assert_int_equal(div_ok(-7, 2, up), -4);
    assert_int_equal(div_ok(-7, 2, tr), -3);
    assert_int_equal(div_ok(7, -2, up), -4);
    assert_int_equal(div_ok(7, -2, tr), -3);
    assert_int_equal(div_ok(-7, -2, up), 4);
    assert_int_equal(div_ok(-7, -2, tr), 3);
    /* Below and above one half. */
    assert_int_equal(div_ok(4, 3, up), 1);
    assert_int_equal(div_ok(5, 3, up), 2);
    assert_int_equal(div_ok(5, 3, tr), 1);
    assert_int_equal(div_ok(-4, 3, up), -1);
    assert_int_equal(div_ok(-5, 3, up), -2);
    assert_int_equal(div_ok(1, 3, up), 0);
    assert_int_equal(div_ok(-1, 3, up), 0);
    assert_int_equal(div_ok(2, 3, up), 1);
    assert_int_equal(div_ok(-2, 3, tr), 0);
    /* 0.4999... stays down even with large operands: 2q + 1 = den - 1 over 2 * den. */
    assert_int_equal(div_ok(499999, 1000000, up), 0);
    assert_int_equal(div_ok(500000, 1000000, up), 1);
    /* Exact quotients are left alone. */
    assert_int_equal(div_ok(6, 3, up), 2);
    assert_int_equal(div_ok(-6, 3, tr), -2);
    assert_int_equal(div_ok(0, 5, up), 0);
    /* INT64_MAX = 2 * 4611686018427387903 + 1: exactly .5 over, rounds up. */
    assert_int_equal(div_ok(INT64_MAX, 2, up), 4611686018427387904LL);
    assert_int_equal(div_ok(INT64_MAX, 2, tr), 4611686018427387903LL);
    assert_int_equal(div_ok(INT64_MIN, 2, up), -4611686018427387904LL);
    assert_int_equal(div_ok(INT64_MIN, 1, up), INT64_MIN);
    assert_int_equal(div_ok(INT64_MIN, INT64_MIN, up), 1);
    assert_int_equal(div_ok(INT64_MIN, INT64_MAX, up), -1);
    assert_int_equal(div_ok(INT64_MIN, INT64_MAX, tr), -1);
    assert_int_equal(div_ok(INT64_MAX, INT64_MIN, up), -1);
    assert_int_equal(div_ok(INT64_MAX, INT64_MIN, tr), 0);
}

static void test_div_round_errors(void **state)
{
    (void)state;
    int64_t q = SENTINEL;
    assert_int_equal(money_div_round(1, 0, MONEY_ROUND_HALF_UP, &q), MONEY_DIV_ZERO);
    assert_int_equal(money_div_round(0, 0, MONEY_ROUND_TRUNCATE, &q), MONEY_DIV_ZERO);
    assert_int_equal(money_div_round(INT64_MIN, -1, MONEY_ROUND_HALF_UP, &q), MONEY_OVERFLOW);
    assert_int_equal(money_div_round(INT64_MIN, -1, MONEY_ROUND_TRUNCATE, &q), MONEY_OVERFLOW);
    assert_int_equal(q, SENTINEL);
}

static void test_mul_div(void **state)
{
    (void)state;
    const enum money_round up = MONEY_ROUND_HALF_UP, tr = MONEY_ROUND_TRUNCATE;
    int64_t q = 0;
    /* The product would overflow int64; the quotient does not. */
    assert_int_equal(money_mul_div(INT64_MAX, INT64_MAX, INT64_MAX, up, &q), MONEY_OK);
    assert_int_equal(q, INT64_MAX);
    assert_int_equal(money_mul_div(INT64_MAX, 2, 2, tr, &q), MONEY_OK);
    assert_int_equal(q, INT64_MAX);
    assert_int_equal(money_mul_div(INT64_MIN, INT64_MIN, INT64_MIN, up, &q), MONEY_OK);
    assert_int_equal(q, INT64_MIN);
    assert_int_equal(money_mul_div(INT64_MIN, 3, -3, up, &q), MONEY_OVERFLOW);
    assert_int_equal(money_mul_div(INT64_MIN, 3, 3, up, &q), MONEY_OK);
    assert_int_equal(q, INT64_MIN);
    /* (2^63 - 1) * 3 / 2 is 1.5 * INT64_MAX: too big whichever way it rounds. */
    q = SENTINEL;
    assert_int_equal(money_mul_div(INT64_MAX, 3, 2, tr, &q), MONEY_OVERFLOW);
    assert_int_equal(money_mul_div(INT64_MAX, 2, 1, up, &q), MONEY_OVERFLOW);
    assert_int_equal(money_mul_div(INT64_MIN, -1, 1, up, &q), MONEY_OVERFLOW);
    assert_int_equal(money_mul_div(1, 1, 0, up, &q), MONEY_DIV_ZERO);
    assert_int_equal(q, SENTINEL);
    /* 2^62 * 4 / 2 = 2^63, one past INT64_MAX. */
    assert_int_equal(money_mul_div((int64_t)1 << 62, 4, 2, tr, &q), MONEY_OVERFLOW);
    /* INT64_MAX * 4 / 8 = 4611686018427387903.5: the tie goes up. */
    assert_int_equal(money_mul_div(INT64_MAX, 4, 8, up, &q), MONEY_OK);
    assert_int_equal(q, 4611686018427387904LL);
    /* One fen at 1.5%: 1 / 1.015 = 0.985 fen. */
    assert_int_equal(money_mul_div(1, 1000000, 1015000, up, &q), MONEY_OK);
    assert_int_equal(q, 1);
    assert_int_equal(money_mul_div(1, 1000000, 1015000, tr, &q), MONEY_OK);
    assert_int_equal(q, 0);
    /* Negative operands follow the same symmetric rules. */
    assert_int_equal(money_mul_div(-7, 1, 2, up, &q), MONEY_OK);
    assert_int_equal(q, -4);
    assert_int_equal(money_mul_div(7, -3, 2, tr, &q), MONEY_OK);
    assert_int_equal(q, -10);
}

static void test_mul_div_half_up_edge_overflow(void **state)
{
    (void)state;
    /* 2^64 - 1 = 3 * 6148914691236517205, so a * b / 2 = 2^63 - 1/2 exactly: truncation gives
     * INT64_MAX, half-up gives 2^63, which does not fit. */
    const int64_t third = 6148914691236517205LL;
    int64_t q = SENTINEL;
    assert_int_equal(money_mul_div(third, 3, 2, MONEY_ROUND_TRUNCATE, &q), MONEY_OK);
    assert_int_equal(q, INT64_MAX);
    q = SENTINEL;
    assert_int_equal(money_mul_div(third, 3, 2, MONEY_ROUND_HALF_UP, &q), MONEY_OVERFLOW);
    assert_int_equal(q, SENTINEL);
    /* The mirror image: -(2^63 - 1/2) rounds away from zero to -2^63, which still fits. */
    assert_int_equal(money_mul_div(-third, 3, 2, MONEY_ROUND_TRUNCATE, &q), MONEY_OK);
    assert_int_equal(q, -INT64_MAX);
    assert_int_equal(money_mul_div(-third, 3, 2, MONEY_ROUND_HALF_UP, &q), MONEY_OK);
    assert_int_equal(q, INT64_MIN);
    /* 2^64 + 1 = 274177 * 67280421310721, so the quotient is -(2^63 + 1/2): truncation gives
     * INT64_MIN, half-up gives -(2^63) - 1, which does not fit. */
    assert_int_equal(money_mul_div(-274177, 67280421310721LL, 2, MONEY_ROUND_TRUNCATE, &q),
                     MONEY_OK);
    assert_int_equal(q, INT64_MIN);
    q = SENTINEL;
    assert_int_equal(money_mul_div(-274177, 67280421310721LL, 2, MONEY_ROUND_HALF_UP, &q),
                     MONEY_OVERFLOW);
    assert_int_equal(money_mul_div(INT64_MIN, 3, 2, MONEY_ROUND_TRUNCATE, &q), MONEY_OVERFLOW);
    assert_int_equal(q, SENTINEL);
}

struct sub_vector {
    const char *amount;
    const char *rate;
    const char *nav;
    const char *net;
    const char *fee;
    const char *shares;
};

static int64_t must_parse(const char *s, int scale)
{
    int64_t v = 0;
    assert_int_equal(money_parse(s, strlen(s), scale, INT64_MAX, &v), MONEY_OK);
    return v;
}

static void assert_formats_as(int64_t v, int scale, const char *want)
{
    char buf[MONEY_FORMAT_CAP];
    assert_true(money_format(v, scale, buf, sizeof buf) > 0);
    assert_string_equal(buf, want);
}

/*
 * Front-end fee (外扣法): net = amount / (1 + rate) half-up to the fen, fee = amount - net,
 * shares = net / NAV half-up to the hundredth. In units:
 *   net_fen  = amount_fen * 1e6 / (1e6 + rate_ppm)
 *   shares_h = net_fen * 1e-2 / (nav_e4 * 1e-4) * 1e2 = net_fen * 1e4 / nav_e4
 */
static void test_prospectus_subscription(void **state)
{
    (void)state;
    static const struct sub_vector v[] = {
        {"5000.00", "0.012", "1.1280", "4940.71", "59.29", "4380.06"},
        {"100000.00", "0.012", "1.1800", "98814.23", "1185.77", "83740.87"},
        {"100000.00", "0.015", "1.0170", "98522.17", "1477.83", "96875.29"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        int64_t amount_fen = must_parse(v[i].amount, MONEY_SCALE_FEN);
        int64_t rate_ppm = must_parse(v[i].rate, MONEY_SCALE_RATE);
        int64_t nav_e4 = must_parse(v[i].nav, MONEY_SCALE_NAV);
        int64_t net_fen = 0, shares_h = 0;
        assert_int_equal(
            money_mul_div(amount_fen, 1000000, 1000000 + rate_ppm, MONEY_ROUND_HALF_UP, &net_fen),
            MONEY_OK);
        int64_t fee_fen = amount_fen - net_fen;
        assert_int_equal(money_mul_div(net_fen, 10000, nav_e4, MONEY_ROUND_HALF_UP, &shares_h),
                         MONEY_OK);
        assert_formats_as(net_fen, MONEY_SCALE_FEN, v[i].net);
        assert_formats_as(fee_fen, MONEY_SCALE_FEN, v[i].fee);
        assert_formats_as(shares_h, MONEY_SCALE_SHARES, v[i].shares);
    }
    /* The first example spelled out in integers. */
    int64_t net_fen = 0, shares_h = 0;
    assert_int_equal(
        money_div_round(500000LL * 1000000, 1000000 + 12000, MONEY_ROUND_HALF_UP, &net_fen),
        MONEY_OK);
    assert_int_equal(net_fen, 494071);
    assert_int_equal(money_div_round(494071LL * 10000, 11280, MONEY_ROUND_HALF_UP, &shares_h),
                     MONEY_OK);
    assert_int_equal(shares_h, 438006);
}

/*
 * Redemption: gross = shares * NAV, fee = gross * rate, both to the fen; net = gross - fee.
 *   gross_fen = shares_h * 1e-2 * nav_e4 * 1e-4 * 1e2 = shares_h * nav_e4 / 1e4
 *   fee_fen   = gross_fen * rate_ppm / 1e6
 */
static void test_redemption_examples(void **state)
{
    (void)state;
    static const struct {
        const char *shares, *rate, *nav, *gross, *fee, *net;
    } v[] = {
        {"10000.00", "0.005", "1.0500", "10500.00", "52.50", "10447.50"},
        {"10000.00", "0.0075", "1.0500", "10500.00", "78.75", "10421.25"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        int64_t shares_h = must_parse(v[i].shares, MONEY_SCALE_SHARES);
        int64_t rate_ppm = must_parse(v[i].rate, MONEY_SCALE_RATE);
        int64_t nav_e4 = must_parse(v[i].nav, MONEY_SCALE_NAV);
        int64_t gross_fen = 0, fee_fen = 0;
        assert_int_equal(money_mul_div(shares_h, nav_e4, 10000, MONEY_ROUND_HALF_UP, &gross_fen),
                         MONEY_OK);
        assert_int_equal(money_mul_div(gross_fen, rate_ppm, 1000000, MONEY_ROUND_HALF_UP, &fee_fen),
                         MONEY_OK);
        assert_formats_as(gross_fen, MONEY_SCALE_FEN, v[i].gross);
        assert_formats_as(fee_fen, MONEY_SCALE_FEN, v[i].fee);
        assert_formats_as(gross_fen - fee_fen, MONEY_SCALE_FEN, v[i].net);
    }
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

static void bad_scale(void)
{
    int64_t v;
    (void)money_parse("1", 1, MONEY_SCALE_MAX + 1, INT64_MAX, &v);
}

static void bad_min_max(void)
{
    int64_t v;
    (void)money_parse_signed("1", 1, 2, 10, 9, &v);
}

static void bad_mode(void)
{
    int64_t v;
    (void)money_div_round(1, 2, (enum money_round)7, &v);
}

static void bad_format_scale(void)
{
    char buf[MONEY_FORMAT_CAP];
    (void)money_format(1, -1, buf, sizeof buf);
}

static void test_contract_violations_abort(void **state)
{
    (void)state;
    assert_true(aborts(bad_scale));
    assert_true(aborts(bad_min_max));
    assert_true(aborts(bad_mode));
    assert_true(aborts(bad_format_scale));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_parse_uses_len_not_nul),
        cmocka_unit_test(test_parse_empty),
        cmocka_unit_test(test_parse_bad_char),
        cmocka_unit_test(test_parse_missing_digits),
        cmocka_unit_test(test_parse_leading_zero),
        cmocka_unit_test(test_parse_too_many_decimals),
        cmocka_unit_test(test_parse_negative),
        cmocka_unit_test(test_parse_int64_bounds),
        cmocka_unit_test(test_parse_max),
        cmocka_unit_test(test_parse_signed),
        cmocka_unit_test(test_rc_str),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_cap),
        cmocka_unit_test(test_format_grouped),
        cmocka_unit_test(test_format_parse_roundtrip),
        cmocka_unit_test(test_div_round),
        cmocka_unit_test(test_div_round_errors),
        cmocka_unit_test(test_mul_div),
        cmocka_unit_test(test_mul_div_half_up_edge_overflow),
        cmocka_unit_test(test_prospectus_subscription),
        cmocka_unit_test(test_redemption_examples),
        cmocka_unit_test(test_contract_violations_abort),
    };
    return cmocka_run_group_tests_name("money", tests, NULL, NULL);
}
