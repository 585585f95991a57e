/*
 * test_civil.c - unit tests of base/civil: the calendar, strict dates and China Standard Time.
 *
 * Expected timestamps were computed independently (Python's datetime with a fixed +08:00 zone)
 * and are written here as literals, so that the tests do not check the code against itself.
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
#include <time.h>
#include <unistd.h>

#include "base/civil.h"

static struct civil_date date(int32_t y, int32_t m, int32_t d)
{
    struct civil_date r = {.year = y, .month = m, .day = d};
    return r;
}

static void assert_date(struct civil_date got, int32_t y, int32_t m, int32_t d)
{
    assert_int_equal(got.year, y);
    assert_int_equal(got.month, m);
    assert_int_equal(got.day, d);
}

static void test_leap_years(void **state)
{
    (void)state;
    assert_true(civil_is_leap_year(2024));
    assert_true(civil_is_leap_year(2000));
    assert_true(civil_is_leap_year(2400));
    assert_true(civil_is_leap_year(1972));
    assert_true(civil_is_leap_year(0));
    assert_true(civil_is_leap_year(-4));
    assert_true(civil_is_leap_year(-400));
    assert_false(civil_is_leap_year(2026));
    assert_false(civil_is_leap_year(1900));
    assert_false(civil_is_leap_year(2100));
    assert_false(civil_is_leap_year(1970));
    assert_false(civil_is_leap_year(-100));
    assert_false(civil_is_leap_year(-1));
}

static void test_days_in_month(void **state)
{
    (void)state;
    static const int32_t want[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int32_t m = 1; m <= 12; m++)
        assert_int_equal(civil_days_in_month(2026, m), want[m - 1]);
    assert_int_equal(civil_days_in_month(2024, 2), 29);
    assert_int_equal(civil_days_in_month(2100, 2), 28);
    assert_int_equal(civil_days_in_month(2400, 2), 29);
    assert_int_equal(civil_days_in_month(2026, 0), 0);
    assert_int_equal(civil_days_in_month(2026, 13), 0);
    assert_int_equal(civil_days_in_month(2026, -1), 0);
}

static void test_date_valid(void **state)
{
    (void)state;
    assert_true(civil_date_valid(date(2026, 2, 28)));
    assert_true(civil_date_valid(date(2024, 2, 29)));
    assert_true(civil_date_valid(date(2400, 2, 29)));
    assert_true(civil_date_valid(date(2026, 12, 31)));
    assert_true(civil_date_valid(date(INT32_MIN, 1, 1)));
    assert_true(civil_date_valid(date(INT32_MAX, 12, 31)));
    assert_false(civil_date_valid(date(2026, 2, 29)));
    assert_false(civil_date_valid(date(2100, 2, 29)));
    assert_false(civil_date_valid(date(2026, 4, 31)));
    assert_false(civil_date_valid(date(2026, 1, 0)));
    assert_false(civil_date_valid(date(2026, 0, 1)));
    assert_false(civil_date_valid(date(2026, 13, 1)));
    assert_false(civil_date_valid(date(2026, 1, 32)));
    assert_false(civil_date_valid(date(2026, 1, -1)));
}

static void test_days_known(void **state)
{
    (void)state;
    assert_int_equal(civil_days_from_date(date(1970, 1, 1)), 0);
    assert_int_equal(civil_days_from_date(date(1970, 1, 2)), 1);
    assert_int_equal(civil_days_from_date(date(1969, 12, 31)), -1);
    assert_int_equal(civil_days_from_date(date(1971, 1, 1)), 365);
    assert_int_equal(civil_days_from_date(date(2000, 3, 1)), 11017);
    assert_int_equal(civil_days_from_date(date(2026, 11, 29)), 20786);
    assert_int_equal(civil_days_from_date(date(2400, 2, 29)), 157113);
    assert_int_equal(civil_days_from_date(date(9999, 12, 31)), 2932896);
    assert_int_equal(civil_days_from_date(date(1, 1, 1)), -719162);
    assert_int_equal(civil_days_from_date(date(0, 3, 1)), -719468);
    assert_int_equal(civil_days_from_date(date(INT32_MIN, 1, 1)), CIVIL_DAYS_MIN);
    assert_int_equal(civil_days_from_date(date(INT32_MAX, 12, 31)), CIVIL_DAYS_MAX);

    assert_date(civil_date_from_days(0), 1970, 1, 1);
    assert_date(civil_date_from_days(-1), 1969, 12, 31);
    assert_date(civil_date_from_days(157113), 2400, 2, 29);
    assert_date(civil_date_from_days(157114), 2400, 3, 1);
    assert_date(civil_date_from_days(-719468), 0, 3, 1);
    assert_date(civil_date_from_days(-719469), 0, 2, 29);
    assert_date(civil_date_from_days(CIVIL_DAYS_MIN), INT32_MIN, 1, 1);
    assert_date(civil_date_from_days(CIVIL_DAYS_MAX), INT32_MAX, 12, 31);
}

/* The day after d, by the rules of the calendar alone. */
static struct civil_date next_day(struct civil_date d)
{
    if (d.day < civil_days_in_month(d.year, d.month))
        return date(d.year, d.month, d.day + 1);
    if (d.month < 12)
        return date(d.year, d.month + 1, 1);
    return date(d.year + 1, 1, 1);
}

/* Walk every day from -1001-01-01 to past 10000-01-01: conversions agree with counting. */
static void test_days_every_day(void **state)
{
    (void)state;
    struct civil_date d = date(-1001, 1, 1);
    int64_t days = civil_days_from_date(d);
    for (int64_t i = 0; i < 4100000; i++) {
        struct civil_date back = civil_date_from_days(days);
        assert_int_equal(back.year, d.year);
        assert_int_equal(back.month, d.month);
        assert_int_equal(back.day, d.day);
        assert_int_equal(civil_days_from_date(d), days);
        d = next_day(d);
        days++;
    }
    assert_true(d.year > 10000);
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(civil_weekday(date(1970, 1, 1)), CIVIL_THURSDAY);
    assert_int_equal(civil_weekday(date(1969, 12, 31)), CIVIL_WEDNESDAY);
    assert_int_equal(civil_weekday(date(2000, 1, 1)), CIVIL_SATURDAY);
    assert_int_equal(civil_weekday(date(2024, 2, 29)), CIVIL_THURSDAY);
    assert_int_equal(civil_weekday(date(2026, 11, 29)), CIVIL_SUNDAY);
    assert_int_equal(civil_weekday(date(2026, 11, 30)), CIVIL_MONDAY);
    assert_int_equal(civil_weekday(date(1, 1, 1)), CIVIL_MONDAY);
    /* Seven days later is the same weekday, across negative day numbers too. */
    for (int64_t days = -800; days < 800; days++) {
        struct civil_date d = civil_date_from_days(days);
        assert_int_equal(civil_weekday(d), civil_weekday(civil_date_add_days(d, 7)));
        assert_int_equal(civil_weekday(civil_date_add_days(d, 1)), civil_weekday(d) % 7 + 1);
    }
    assert_true(civil_is_weekend(date(2026, 11, 28)));
    assert_true(civil_is_weekend(date(2026, 11, 29)));
    assert_false(civil_is_weekend(date(2026, 11, 27)));
    assert_false(civil_is_weekend(date(2026, 11, 30)));
}

static void test_add_days_and_between(void **state)
{
    (void)state;
    assert_date(civil_date_add_days(date(2024, 2, 28), 1), 2024, 2, 29);
    assert_date(civil_date_add_days(date(2024, 2, 28), 2), 2024, 3, 1);
    assert_date(civil_date_add_days(date(2026, 2, 28), 1), 2026, 3, 1);
    assert_date(civil_date_add_days(date(2025, 12, 31), 1), 2026, 1, 1);
    assert_date(civil_date_add_days(date(1970, 1, 1), -1), 1969, 12, 31);
    assert_date(civil_date_add_days(date(2026, 3, 1), -1), 2026, 2, 28);
    assert_date(civil_date_add_days(date(2026, 5, 17), 0), 2026, 5, 17);
    assert_date(civil_date_add_days(date(2026, 1, 1), 365), 2027, 1, 1);
    assert_date(civil_date_add_days(date(2024, 1, 1), 365), 2024, 12, 31);

    assert_int_equal(civil_days_between(date(2026, 1, 1), date(2026, 1, 8)), 7);
    assert_int_equal(civil_days_between(date(2026, 1, 8), date(2026, 1, 1)), -7);
    assert_int_equal(civil_days_between(date(2024, 2, 1), date(2024, 3, 1)), 29);
    assert_int_equal(civil_days_between(date(2026, 2, 1), date(2026, 3, 1)), 28);
    assert_int_equal(civil_days_between(date(2400, 1, 1), date(2401, 1, 1)), 366);
    assert_int_equal(civil_days_between(date(2100, 1, 1), date(2101, 1, 1)), 365);
}

static void test_cmp(void **state)
{
    (void)state;
    assert_int_equal(civil_date_cmp(date(2026, 1, 1), date(2026, 1, 1)), 0);
    assert_int_equal(civil_date_cmp(date(2026, 1, 1), date(2026, 1, 2)), -1);
    assert_int_equal(civil_date_cmp(date(2026, 1, 2), date(2026, 1, 1)), 1);
    assert_int_equal(civil_date_cmp(date(2026, 1, 31), date(2026, 2, 1)), -1);
    assert_int_equal(civil_date_cmp(date(2025, 12, 31), date(2026, 1, 1)), -1);
    assert_int_equal(civil_date_cmp(date(2027, 1, 1), date(2026, 12, 31)), 1);
}

#define PARSE_SENTINEL date(1234, 5, 6)

static enum civil_rc parse_n(const char *s, size_t len, struct civil_date *out)
{
    *out = PARSE_SENTINEL;
    enum civil_rc rc = civil_date_parse(s, len, out);
    if (rc != CIVIL_OK)
        assert_date(*out, 1234, 5, 6);
    return rc;
}

static enum civil_rc parse(const char *s, struct civil_date *out)
{
    return parse_n(s, strlen(s), out);
}

static void test_parse_valid(void **state)
{
    (void)state;
    struct civil_date d;
    assert_int_equal(parse("2026-02-27", &d), CIVIL_OK);
    assert_date(d, 2026, 2, 27);
    assert_int_equal(parse("2024-02-29", &d), CIVIL_OK);
    assert_date(d, 2024, 2, 29);
    assert_int_equal(parse("2000-02-29", &d), CIVIL_OK);
    assert_int_equal(parse("2400-02-29", &d), CIVIL_OK);
    assert_date(d, 2400, 2, 29);
    assert_int_equal(parse("1970-01-01", &d), CIVIL_OK);
    assert_date(d, 1970, 1, 1);
    assert_int_equal(parse("9999-12-31", &d), CIVIL_OK);
    assert_date(d, 9999, 12, 31);
    assert_int_equal(parse("2026-12-31", &d), CIVIL_OK);
    assert_date(d, 2026, 12, 31);
    /* Only len bytes are read: no terminator needed, and whatever follows is ignored. */
    const char bare[10] = {'2', '0', '2', '6', '-', '0', '3', '-', '0', '2'};
    assert_int_equal(parse_n(bare, sizeof bare, &d), CIVIL_OK);
    assert_date(d, 2026, 3, 2);
    assert_int_equal(parse_n("2026-03-02T15:00", 10, &d), CIVIL_OK);
    assert_date(d, 2026, 3, 2);
}

static void test_parse_bad_format(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2026-2-27",   "2026-02-7",  "26-02-27",    "2026/02/27",       "2026-02-27 ",
        " 2026-02-27", "20260227",   "2026-02-2a",  "2026-02-27T00:00", "+026-02-27",
        "-026-02-27",  "2026-0a-27", "202６-02-27", "10000-01-01",      "2026_02_27",
        "2026-02--7",  "2026--02-7", "x",           "2026-02-27Z",      "0x7E-02-27",
    };
    struct civil_date d;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(parse(bad[i], &d), CIVIL_BAD_FORMAT);
    assert_int_equal(parse_n("", 0, &d), CIVIL_BAD_FORMAT);
    assert_int_equal(parse_n(NULL, 0, &d), CIVIL_BAD_FORMAT);
    /* A trailing NUL counted in len is trailing junk. */
    assert_int_equal(parse_n("2026-02-27", 11, &d), CIVIL_BAD_FORMAT);
    assert_int_equal(parse_n("2026-02-2\0", 10, &d), CIVIL_BAD_FORMAT);
    /* Too short by one. */
    assert_int_equal(parse_n("2026-02-27", 9, &d), CIVIL_BAD_FORMAT);
}

static void test_parse_bad_date(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2026-02-29", "2100-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-01-00",
        "2026-04-31", "2026-01-32", "2026-06-31", "2026-99-99", "2023-02-29",
    };
    struct civil_date d;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(parse(bad[i], &d), CIVIL_BAD_DATE);
}

static void test_parse_out_of_range(void **state)
{
    (void)state;
    struct civil_date d;
    assert_int_equal(parse("1969-12-31", &d), CIVIL_OUT_OF_RANGE);
    assert_int_equal(parse("0000-01-01", &d), CIVIL_OUT_OF_RANGE);
    assert_int_equal(parse("1900-01-01", &d), CIVIL_OUT_OF_RANGE);
    assert_int_equal(parse("0001-01-01", &d), CIVIL_OUT_OF_RANGE);
}

static void test_rc_str(void **state)
{
    (void)state;
    const enum civil_rc all[] = {CIVIL_OK, CIVIL_BAD_FORMAT, CIVIL_BAD_DATE, CIVIL_OUT_OF_RANGE};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        const char *s = civil_rc_str(all[i]);
        assert_non_null(s);
        assert_string_not_equal(s, "unknown date error");
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(s, civil_rc_str(all[j]));
    }
    assert_string_equal(civil_rc_str((enum civil_rc)77), "unknown date error");
}

static void expect_date_format(struct civil_date d, const char *want)
{
    char buf[CIVIL_DATE_CAP];
    memset(buf, 'x', sizeof buf);
    size_t n = civil_date_format(d, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_date_format(void **state)
{
    (void)state;
    expect_date_format(date(2026, 2, 27), "2026-02-27");
    expect_date_format(date(1970, 1, 1), "1970-01-01");
    expect_date_format(date(2400, 2, 29), "2400-02-29");
    expect_date_format(date(9999, 12, 31), "9999-12-31");
    expect_date_format(date(5, 1, 1), "0005-01-01");
    expect_date_format(date(0, 1, 1), "0000-01-01");
    expect_date_format(date(10000, 1, 1), "");
    expect_date_format(date(-1, 12, 31), "");

    char buf[CIVIL_DATE_CAP];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(civil_date_format(date(2026, 2, 27), buf, CIVIL_DATE_CAP - 1), 0);
    assert_string_equal(buf, "");
    assert_int_equal(civil_date_format(date(2026, 2, 27), NULL, 0), 0);

    /* Every parsed date formats back to its text. */
    const char *texts[] = {"1970-01-01", "2024-02-29", "2026-11-29", "9999-12-31"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct civil_date d;
        assert_int_equal(parse(texts[i], &d), CIVIL_OK);
        expect_date_format(d, texts[i]);
    }
}

static void assert_time(struct civil_time t, int32_t y, int32_t mo, int32_t d, int32_t h,
                        int32_t mi, int32_t s, int32_t ms)
{
    assert_date(t.date, y, mo, d);
    assert_int_equal(t.hour, h);
    assert_int_equal(t.minute, mi);
    assert_int_equal(t.second, s);
    assert_int_equal(t.ms, ms);
}

static void test_date_of_ms_cst(void **state)
{
    (void)state;
    /* 1970-01-01T00:00:00Z is 08:00 in Beijing; the CST day began 8 hours earlier. */
    assert_date(civil_date_of_ms_cst(0), 1970, 1, 1);
    assert_date(civil_date_of_ms_cst(-1), 1970, 1, 1);
    assert_date(civil_date_of_ms_cst(-28800000), 1970, 1, 1);
    assert_date(civil_date_of_ms_cst(-28800001), 1969, 12, 31);
    /* 2026-03-01T16:00:00Z = 2026-03-02T00:00:00+08:00: the CST date turns at 16:00 UTC. */
    const int64_t turn = INT64_C(1772380800000);
    assert_date(civil_date_of_ms_cst(turn - 1), 2026, 3, 1);
    assert_date(civil_date_of_ms_cst(turn), 2026, 3, 2);
    assert_time(civil_time_of_ms_cst(turn - 1), 2026, 3, 1, 23, 59, 59, 999);
    assert_time(civil_time_of_ms_cst(turn), 2026, 3, 2, 0, 0, 0, 0);
    /* New Year in Beijing comes at 2024-12-31T16:00:00Z. */
    const int64_t new_year = INT64_C(1735660800000);
    assert_date(civil_date_of_ms_cst(new_year - 1), 2024, 12, 31);
    assert_date(civil_date_of_ms_cst(new_year), 2025, 1, 1);

    assert_time(civil_time_of_ms_cst(INT64_C(1795925038123)), 2026, 11, 29, 12, 3, 58, 123);
    assert_time(civil_time_of_ms_cst(0), 1970, 1, 1, 8, 0, 0, 0);
    assert_time(civil_time_of_ms_cst(-1), 1970, 1, 1, 7, 59, 59, 999);
    /* The ends of int64: +292278994-08-17T07:12:55.807Z and -292275055-05-16T16:47:04.192Z. */
    assert_time(civil_time_of_ms_cst(INT64_MAX), 292278994, 8, 17, 15, 12, 55, 807);
    assert_time(civil_time_of_ms_cst(INT64_MIN), -292275055, 5, 17, 0, 47, 4, 192);
}

static void test_ms_of_cst(void **state)
{
    (void)state;
    /* The 15:00 cutoff on 2026-03-02 is 07:00 UTC. */
    assert_int_equal(civil_ms_of_cst(date(2026, 3, 2), 15, 0, 0), INT64_C(1772434800000));
    assert_int_equal(civil_ms_of_cst(date(2026, 3, 2), 0, 0, 0), INT64_C(1772380800000));
    assert_int_equal(civil_ms_of_cst(date(1970, 1, 1), 0, 0, 0), -28800000);
    assert_int_equal(civil_ms_of_cst(date(1970, 1, 1), 8, 0, 0), 0);
    assert_int_equal(civil_ms_of_cst(date(2026, 11, 29), 12, 3, 58) + 123, INT64_C(1795925038123));
    assert_int_equal(civil_ms_of_cst(date(9999, 12, 31), 23, 59, 59) + 999,
                     INT64_C(253402271999999));
    assert_int_equal(civil_ms_of_cst(date(1, 1, 1), 0, 0, 0), INT64_C(-62135625600000));

    /* Round trip through the wall clock, across the epoch and CST midnights. */
    for (int64_t ms = -3 * CIVIL_MS_PER_DAY; ms < 3 * CIVIL_MS_PER_DAY; ms += 999983) {
        struct civil_time t = civil_time_of_ms_cst(ms);
        assert_int_equal(civil_ms_of_cst(t.date, t.hour, t.minute, t.second) + t.ms, ms);
    }
    for (int64_t ms = INT64_C(1772380800000) - 5000; ms < INT64_C(1772380800000) + 5000; ms += 7) {
        struct civil_time t = civil_time_of_ms_cst(ms);
        assert_int_equal(civil_ms_of_cst(t.date, t.hour, t.minute, t.second) + t.ms, ms);
    }
}

static void expect_iso(int64_t ms, const char *want)
{
    char buf[CIVIL_ISO_CAP];
    memset(buf, 'x', sizeof buf);
    size_t n = civil_format_ms_iso(ms, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_format_ms_iso(void **state)
{
    (void)state;
    expect_iso(INT64_C(1795925038123), "2026-11-29T12:03:58.123+08:00");
    expect_iso(0, "1970-01-01T08:00:00.000+08:00");
    expect_iso(-1, "1970-01-01T07:59:59.999+08:00");
    expect_iso(INT64_C(1772380800000), "2026-03-02T00:00:00.000+08:00");
    expect_iso(INT64_C(1772380799999), "2026-03-01T23:59:59.999+08:00");
    expect_iso(INT64_C(253402271999999), "9999-12-31T23:59:59.999+08:00");
    expect_iso(INT64_C(253402272000000), ""); /* year 10000 */
    /* 0000-01-01T00:00:00+08:00 is day -719528. */
    expect_iso(INT64_C(-62167248000000), "0000-01-01T00:00:00.000+08:00");
    expect_iso(INT64_C(-62167248000001), ""); /* year -1 */
    expect_iso(INT64_MAX, "");
    expect_iso(INT64_MIN, "");

    char buf[CIVIL_ISO_CAP];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(civil_format_ms_iso(0, buf, CIVIL_ISO_CAP - 1), 0);
    assert_string_equal(buf, "");
    assert_int_equal(civil_format_ms_iso(0, NULL, 0), 0);
    assert_int_equal(civil_format_ms_iso(0, buf, CIVIL_ISO_CAP), 29);
}

static void test_clocks(void **state)
{
    (void)state;
    int64_t now = civil_now_ms();
    /* After 2024-01-01 and before 2100-01-01, and within a few seconds of time(). */
    assert_true(now > INT64_C(1704038400000));
    assert_true(now < INT64_C(4102416000000));
    int64_t secs = (int64_t)time(NULL);
    assert_true(now / 1000 >= secs - 2 && now / 1000 <= secs + 2);

    int64_t m1 = civil_mono_ms();
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
    int64_t m2 = civil_mono_ms();
    assert_true(m2 >= m1 + 19);
    assert_true(m2 - m1 < 5000);
    /* It is the monotonic clock, not the wall clock with another origin. */
    struct timespec ts;
    assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
    int64_t direct = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    assert_true(direct >= m2 && direct - m2 < 5000);
}

/* Run fn in a child process and report whether it died of SIGABRT. */
static bool aborts(void (*fn)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (freopen("/dev/null", "w", stderr) == NULL)
            _exit(3);
        fn();
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void days_of_invalid_date(void)
{
    (void)civil_days_from_date(date(2026, 2, 29));
}
static void days_out_of_range(void)
{
    (void)civil_date_from_days(CIVIL_DAYS_MAX + 1);
}
static void hour_24(void)
{
    (void)civil_ms_of_cst(date(2026, 1, 1), 24, 0, 0);
}
static void ms_overflow(void)
{
    (void)civil_ms_of_cst(date(300000000, 1, 1), 0, 0, 0);
}
static void add_past_end(void)
{
    (void)civil_date_add_days(date(INT32_MAX, 12, 31), 1);
}

static void test_contract_violations_abort(void **state)
{
    (void)state;
    assert_true(aborts(days_of_invalid_date));
    assert_true(aborts(days_out_of_range));
    assert_true(aborts(hour_24));
    assert_true(aborts(ms_overflow));
    assert_true(aborts(add_past_end));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_days_in_month),
        cmocka_unit_test(test_date_valid),
        cmocka_unit_test(test_days_known),
        cmocka_unit_test(test_days_every_day),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_add_days_and_between),
        cmocka_unit_test(test_cmp),
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_parse_bad_format),
        cmocka_unit_test(test_parse_bad_date),
        cmocka_unit_test(test_parse_out_of_range),
        cmocka_unit_test(test_rc_str),
        cmocka_unit_test(test_date_format),
        cmocka_unit_test(test_date_of_ms_cst),
        cmocka_unit_test(test_ms_of_cst),
        cmocka_unit_test(test_format_ms_iso),
        cmocka_unit_test(test_clocks),
        cmocka_unit_test(test_contract_violations_abort),
    };
    return cmocka_run_group_tests_name("civil", tests, NULL, NULL);
}
