/*
 * test_calendar.c - unit tests of core/calendar: trading days, T+n and the 15:00 cutoff.
 *
 * The closures are the 2025 and 2026 ranges that migrations/sqlite/0002_calendar.sql ships,
 * written out again here rather than parsed from the SQL. Expected dates and timestamps were
 * computed independently (Python's datetime with a fixed +08:00 zone, walking the same ranges)
 * and are written as literals, so that the tests do not check the code against itself.
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

#include "base/check.h"
#include "base/civil.h"
#include "core/calendar.h"

/* First year of the test calendar: 2024 is covered but not known, 2025 and 2026 are known. */
#define FIRST_YEAR 2020

struct range {
    const char *first;
    const char *last;
};

static const struct range closures_2025[] = {
    {"2025-01-01", "2025-01-01"}, /* 元旦 */
    {"2025-01-28", "2025-02-04"}, /* 春节 */
    {"2025-04-04", "2025-04-06"}, /* 清明节 */
    {"2025-05-01", "2025-05-05"}, /* 劳动节 */
    {"2025-05-31", "2025-06-02"}, /* 端午节 */
    {"2025-10-01", "2025-10-08"}, /* 国庆节、中秋节 */
};

static const struct range closures_2026[] = {
    {"2026-01-01", "2026-01-03"}, /* 元旦 */
    {"2026-02-15", "2026-02-23"}, /* 春节 */
    {"2026-04-04", "2026-04-06"}, /* 清明节 */
    {"2026-05-01", "2026-05-05"}, /* 劳动节 */
    {"2026-06-19", "2026-06-21"}, /* 端午节 */
    {"2026-09-25", "2026-09-27"}, /* 中秋节 */
    {"2026-10-01", "2026-10-07"}, /* 国庆节 */
};

static struct civil_date date(int32_t y, int32_t m, int32_t d)
{
    struct civil_date r = {.year = y, .month = m, .day = d};
    return r;
}

static struct civil_date parse(const char *s)
{
    struct civil_date d;
    assert_int_equal(civil_date_parse(s, strlen(s), &d), CIVIL_OK);
    return d;
}

static void assert_date(struct civil_date got, int32_t y, int32_t m, int32_t d)
{
    assert_int_equal(got.year, y);
    assert_int_equal(got.month, m);
    assert_int_equal(got.day, d);
}

static void add_ranges(struct calendar *c, const struct range *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_int_equal(calendar_add_closure(c, parse(r[i].first), parse(r[i].last)), CALENDAR_OK);
}

/* The calendar as the store will load it: 2025 and 2026 known, nothing else. */
static void load(struct calendar *c)
{
    calendar_init(c, FIRST_YEAR);
    add_ranges(c, closures_2025, ARRAY_LEN(closures_2025));
    add_ranges(c, closures_2026, ARRAY_LEN(closures_2026));
    assert_int_equal(calendar_mark_year_known(c, 2025), CALENDAR_OK);
    assert_int_equal(calendar_mark_year_known(c, 2026), CALENDAR_OK);
}

static bool trading(const struct calendar *c, struct civil_date d)
{
    bool out = false;
    assert_int_equal(calendar_is_trading_day(c, d, &out), CALENDAR_OK);
    return out;
}

static void expect_next(const struct calendar *c, struct civil_date d, struct civil_date want)
{
    struct civil_date got;
    assert_int_equal(calendar_next_trading_day(c, d, &got), CALENDAR_OK);
    assert_date(got, want.year, want.month, want.day);
}

static void expect_prev(const struct calendar *c, struct civil_date d, struct civil_date want)
{
    struct civil_date got;
    assert_int_equal(calendar_prev_trading_day(c, d, &got), CALENDAR_OK);
    assert_date(got, want.year, want.month, want.day);
}

static void expect_add(const struct calendar *c, struct civil_date t, int n, struct civil_date want)
{
    struct civil_date got;
    assert_int_equal(calendar_add_trading_days(c, t, n, &got), CALENDAR_OK);
    assert_date(got, want.year, want.month, want.day);
}

static void expect_trade_date(const struct calendar *c, int64_t utc_ms, struct civil_date want)
{
    struct civil_date got;
    assert_int_equal(calendar_trade_date(c, utc_ms, &got), CALENDAR_OK);
    assert_date(got, want.year, want.month, want.day);
}

static void test_rc_str(void **state)
{
    (void)state;
    const enum calendar_rc all[] = {
        CALENDAR_OK,        CALENDAR_UNKNOWN_YEAR,    CALENDAR_OUT_OF_RANGE,
        CALENDAR_BAD_RANGE, CALENDAR_NOT_TRADING_DAY, CALENDAR_NO_TRADING_DAY,
    };
    for (size_t i = 0; i < ARRAY_LEN(all); i++) {
        const char *s = calendar_rc_str(all[i]);
        assert_non_null(s);
        assert_string_not_equal(s, "unknown calendar error");
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(s, calendar_rc_str(all[j]));
    }
    assert_string_equal(calendar_rc_str((enum calendar_rc)77), "unknown calendar error");
}

static void test_init_and_known_years(void **state)
{
    (void)state;
    struct calendar c;
    calendar_init(&c, FIRST_YEAR);
    assert_false(calendar_year_known(&c, 2026));
    assert_int_equal(calendar_mark_year_known(&c, 2026), CALENDAR_OK);
    assert_true(calendar_year_known(&c, 2026));
    assert_false(calendar_year_known(&c, 2025));
    assert_false(calendar_year_known(&c, 2027));
    /* The covered years are FIRST_YEAR .. FIRST_YEAR + CALENDAR_YEARS_MAX - 1. */
    int32_t last = FIRST_YEAR + CALENDAR_YEARS_MAX - 1;
    assert_int_equal(calendar_mark_year_known(&c, FIRST_YEAR), CALENDAR_OK);
    assert_int_equal(calendar_mark_year_known(&c, last), CALENDAR_OK);
    assert_true(calendar_year_known(&c, FIRST_YEAR));
    assert_true(calendar_year_known(&c, last));
    assert_int_equal(calendar_mark_year_known(&c, FIRST_YEAR - 1), CALENDAR_OUT_OF_RANGE);
    assert_int_equal(calendar_mark_year_known(&c, last + 1), CALENDAR_OUT_OF_RANGE);
    assert_false(calendar_year_known(&c, FIRST_YEAR - 1));
    assert_false(calendar_year_known(&c, last + 1));
    assert_false(calendar_year_known(&c, INT32_MIN));
    assert_false(calendar_year_known(&c, INT32_MAX));

    /* The extreme first years are accepted, and a year at the end of the range is usable. */
    calendar_init(&c, CALENDAR_FIRST_YEAR_MIN);
    assert_int_equal(calendar_mark_year_known(&c, 1970), CALENDAR_OK);
    assert_true(trading(&c, date(1970, 1, 1))); /* a Thursday */
    calendar_init(&c, CALENDAR_FIRST_YEAR_MAX);
    assert_int_equal(calendar_mark_year_known(&c, CIVIL_YEAR_MAX), CALENDAR_OK);
    assert_true(trading(&c, date(9999, 12, 31))); /* a Friday */
    struct civil_date out = date(1, 1, 1);
    assert_int_equal(calendar_next_trading_day(&c, date(9999, 12, 31), &out),
                     CALENDAR_OUT_OF_RANGE);
    assert_date(out, 1, 1, 1);
}

static void expect_range_closed(const struct calendar *c, const struct range *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct civil_date d = parse(r[i].first);
        struct civil_date last = parse(r[i].last);
        for (int k = 0; k < 31 && civil_date_cmp(d, last) <= 0; k++) {
            assert_false(trading(c, d));
            d = civil_date_add_days(d, 1);
        }
        assert_int_equal(civil_date_cmp(d, last), 1); /* the whole range was walked */
    }
}

static void test_holidays_closed(void **state)
{
    (void)state;
    struct calendar c;
    load(&c);
    expect_range_closed(&c, closures_2025, ARRAY_LEN(closures_2025));
    expect_range_closed(&c, closures_2026, ARRAY_LEN(closures_2026));
    /* The weekdays just outside a few ranges are open. */
    assert_true(trading(&c, date(2026, 2, 13)));  /* Friday before 春节 */
    assert_true(trading(&c, date(2026, 2, 24)));  /* Tuesday after */
    assert_true(trading(&c, date(2026, 9, 24)));  /* Thursday before 中秋节 */
    assert_true(trading(&c, date(2026, 9, 30)));  /* Wednesday between 中秋节 and 国庆节 */
    assert_true(trading(&c, date(2026, 10, 8)));  /* Thursday after 国庆节 */
    assert_true(trading(&c, date(2025, 12, 31))); /* Wednesday */
    assert_true(trading(&c, date(2025, 10, 9)));  /* Thursday after 国庆节、中秋节 */
}

static void test_weekends_closed(void **state)
{
    (void)state;
    struct calendar c;
    load(&c);
    /* Official make-up working days (调休上班) of the State Council's arrangements: offices work,
     * the exchanges stay closed. 2025: 01-26 Sun, 02-08 Sat, 04-27 Sun, 09-28 Sun, 10-11 Sat.
     * 2026: 01-04 Sun, 02-14 Sat, 02-28 Sat, 05-09 Sat, 09-20 Sun, 10-10 Sat. */
    const struct civil_date makeup[] = {
        date(2025, 1, 26),  date(2025, 2, 8),  date(2025, 4, 27),  date(2025, 9, 28),
        date(2025, 10, 11), date(2026, 1, 4),  date(2026, 2, 14),  date(2026, 2, 28),
        date(2026, 5, 9),   date(2026, 9, 20), date(2026, 10, 10),
    };
    for (size_t i = 0; i < ARRAY_LEN(makeup); i++) {
        assert_true(civil_is_weekend(makeup[i]));
        assert_false(trading(&c, makeup[i]));
    }
    /* Every Saturday and Sunday of both years. */
    struct civil_date d = date(2025, 1, 1);
    int weekend_days = 0;
    for (int k = 0; k < 730; k++, d = civil_date_add_days(d, 1)) {
        if (civil_is_weekend(d)) {
            assert_false(trading(&c, d));
            weekend_days++;
        }
    }
    assert_date(d, 2027, 1, 1);
    assert_int_equal(weekend_days, 2 * 104); /* each year: 52 weeks and one extra weekday */
}

/* Weekdays of `year` outside the ranges, counted from the ranges and civil.h alone. */
static int expected_trading_days(int32_t year, const struct range *r, size_t n)
{
    int weekdays = 0;
    struct civil_date d = date(year, 1, 1);
    for (int k = 0; k < 366 && d.year == year; k++, d = civil_date_add_days(d, 1))
        weekdays += !civil_is_weekend(d);
    int holiday_weekdays = 0;
    for (size_t i = 0; i < n; i++) {
        struct civil_date h = parse(r[i].first);
        for (int k = 0; k < 31 && civil_date_cmp(h, parse(r[i].last)) <= 0; k++) {
            holiday_weekdays += !civil_is_weekend(h);
            h = civil_date_add_days(h, 1);
        }
    }
    return weekdays - holiday_weekdays;
}

static int counted_trading_days(const struct calendar *c, int32_t year)
{
    int n = 0;
    struct civil_date d = date(year, 1, 1);
    for (int k = 0; k < 366 && d.year == year; k++, d = civil_date_add_days(d, 1))
        n += trading(c, d);
    return n;
}

/*
 * 2025: 261 weekdays, 18 of them in closures (1 + 6 + 1 + 3 + 1 + 6): 243 trading days, the
 * figure the Shanghai Stock Exchange published for 2025. 2026: 261 weekdays, 19 of them closed
 * (2 + 6 + 1 + 3 + 1 + 1 + 5): 242 trading days.
 */
static void test_trading_day_counts(void **state)
{
    (void)state;
    struct calendar c;
    load(&c);
    int want_2025 = expected_trading_days(2025, closures_2025, ARRAY_LEN(closures_2025));
    int want_2026 = expected_trading_days(2026, closures_2026, ARRAY_LEN(closures_2026));
    assert_int_equal(want_2025, 243);
    assert_int_equal(want_2026, 242);
    assert_int_equal(counted_trading_days(&c, 2025), 243);
    assert_int_equal(counted_trading_days(&c, 2026), 242);
}

/* The 15:00:00.000 CST cutoff on Tuesday 2026-03-03, which is 07:00:00Z. */
static void test_trade_date_cutoff(void **state)
{
    (void)state;
    struct calendar c;
    load(&c);
    expect_trade_date(&c, INT64_C(1772467200000), date(2026, 3, 3)); /* 00:00:00.000 CST */
    expect_trade_date(&c, INT64_C(1772521199999), date(2026, 3, 3)); /* 14:59:59.999 CST */
    expect_trade_date(&c, INT64_C(1772521200000), date(2026, 3, 4)); /* 15:00:00.000 CST */
    expect_trade_date(&c, INT64_C(1772521200001), date(2026, 3, 4));
    /* 2026-03-02T23:30:00Z is 07:30 CST on 2026-03-03: the CST date decides, not the UTC one. */
    expect_trade_date(&c, INT64_C(1772494200000), date(2026, 3, 3));
    /* Friday 2026-03-06 at 15:00 CST, Saturday 10:00 and Sunday 20:00: all Monday 03-09. */
    expect_trade_date(&c, INT64_C(1772780400000), date(2026, 3, 9));
    expect_trade_date(&c, INT64_C(1772848800000), date(2026, 3, 9));
    expect_trade_date(&c, INT64_C(1772971200000), date(2026, 3, 9));
}

static void test_trade_date_holidays(void **state)
{
    (void)state;
    struct calendar c;
    load(&c);
    /* Wednesday 2026-09-30 is the last trading day before 国庆节 (10-01..10-07); Thursday 10-08
     * is the first one after it. */
    expect_trade_date(&c, INT64_C(1790751599999), date(2026, 9, 30));
    expect_trade_date(&c, INT64_C(1790751600000), date(2026, 10, 8));
    expect_trade_date(&c, INT64_C(1790820000000), date(2026, 10, 8)); /* 10-01 10:00, a holiday */
    /* Friday 2026-02-13 15:00 goes past 春节 (02-15..02-23) to Tuesday 02-24. */
    expect_trade_date(&c, INT64_C(1770966000000), date(2026, 2, 24));
    /* Wednesday 2025-12-31 15:00 goes past 元旦 (2026-01-01..01-03) to Monday 2026-01-05. */
    expect_trade_date(&c, INT64_C(1767164400000), date(2026, 1, 5));
    /* Thursday 2026-12-31 before the cutoff is fine; at the cutoff T would be in 2027. */
    expect_trade_date(&c, INT64_C(1798700399999), date(2026, 12, 31));
    struct civil_date out = date(1, 1, 1);
    assert_int_equal(calendar_trade_date(&c, INT64_C(1798700400000), &out), CALENDAR_UNKNOWN_YEAR);
    assert_date(out, 1, 1, 1);
}

static void test_add_trading_days(void **state)
{
    (void)state;
    struct calendar c;
    load(&c);
    expect_add(&c, date(2026, 3, 3), 0, date(2026, 3, 3));
    expect_add(&c, date(2026, 3, 3), 1, date(2026, 3, 4));
    expect_add(&c, date(2026, 2, 13), 1, date(2026, 2, 24));
    expect_add(&c, date(2026, 2, 13), 2, date(2026, 2, 25));
    expect_add(&c, date(2026, 2, 13), 10, date(2026, 3, 9));
    expect_add(&c, date(2026, 9, 30), 1, date(2026, 10, 8));
    expect_add(&c, date(2026, 9, 30), 2, date(2026, 10, 9));
    expect_add(&c, date(2026, 9, 30), 3, date(2026, 10, 12));
    expect_add(&c, date(2026, 9, 24), 10, date(2026, 10, 16)); /* across 中秋节 and 国庆节 */
    expect_add(&c, date(2025, 1, 27), 1, date(2025, 2, 5));
    expect_add(&c, date(2025, 1, 27), 3, date(2025, 2, 7));
    expect_add(&c, date(2025, 12, 31), 1, date(2026, 1, 5));
    expect_add(&c, date(2025, 12, 31), 10, date(2026, 1, 16));
    expect_add(&c, date(2025, 1, 2), CALENDAR_ADD_DAYS_MAX, date(2026, 1, 14));
    expect_add(&c, date(2026, 12, 30), 1, date(2026, 12, 31));

    struct civil_date out = date(1, 1, 1);
    /* T must be a trading day: a holiday, a weekend, and n out of range are refused. */
    assert_int_equal(calendar_add_trading_days(&c, date(2026, 10, 1), 1, &out),
                     CALENDAR_NOT_TRADING_DAY);
    assert_int_equal(calendar_add_trading_days(&c, date(2026, 3, 7), 0, &out),
                     CALENDAR_NOT_TRADING_DAY);
    assert_int_equal(calendar_add_trading_days(&c, date(2026, 3, 3), -1, &out),
                     CALENDAR_OUT_OF_RANGE);
    assert_int_equal(
        calendar_add_trading_days(&c, date(2026, 3, 3), CALENDAR_ADD_DAYS_MAX + 1, &out),
        CALENDAR_OUT_OF_RANGE);
    /* T+2 of 2026-12-30 would be in 2027; T in an unknown year is unknown. */
    assert_int_equal(calendar_add_trading_days(&c, date(2026, 12, 30), 2, &out),
                     CALENDAR_UNKNOWN_YEAR);
    assert_int_equal(calendar_add_trading_days(&c, date(2024, 12, 31), 0, &out),
                     CALENDAR_UNKNOWN_YEAR);
    assert_date(out, 1, 1, 1);
}

static void test_next_prev_year_end(void **state)
{
    (void)state;
    struct calendar c;
    load(&c);
    expect_next(&c, date(2025, 12, 31), date(2026, 1, 5));
    expect_next(&c, date(2025, 12, 30), date(2025, 12, 31));
    expect_next(&c, date(2025, 12, 27), date(2025, 12, 29)); /* Saturday */
    expect_next(&c, date(2026, 1, 1), date(2026, 1, 5));
    expect_prev(&c, date(2026, 1, 5), date(2025, 12, 31));
    expect_prev(&c, date(2026, 1, 3), date(2025, 12, 31));
    expect_prev(&c, date(2026, 1, 6), date(2026, 1, 5));
    expect_prev(&c, date(2026, 10, 8), date(2026, 9, 30));
    expect_prev(&c, date(2026, 9, 28), date(2026, 9, 24));
    expect_next(&c, date(2026, 12, 30), date(2026, 12, 31));
    /* The day itself never counts, trading day or not. */
    expect_next(&c, date(2026, 3, 3), date(2026, 3, 4));
    expect_prev(&c, date(2026, 3, 3), date(2026, 3, 2));
}

static void test_unknown_years(void **state)
{
    (void)state;
    struct calendar c;
    load(&c);
    struct civil_date out = date(1, 1, 1);
    bool open = true;
    /* 2027 is covered but not known: its weekdays are not guessed. */
    assert_int_equal(calendar_is_trading_day(&c, date(2027, 1, 4), &open), CALENDAR_UNKNOWN_YEAR);
    assert_int_equal(calendar_is_trading_day(&c, date(2027, 1, 1), &open), CALENDAR_UNKNOWN_YEAR);
    assert_true(open);
    assert_int_equal(calendar_next_trading_day(&c, date(2026, 12, 31), &out),
                     CALENDAR_UNKNOWN_YEAR);
    assert_int_equal(calendar_prev_trading_day(&c, date(2027, 1, 4), &out), CALENDAR_UNKNOWN_YEAR);
    assert_int_equal(calendar_trade_date(&c, INT64_C(1799028000000), &out), /* 2027-01-04 10:00 */
                     CALENDAR_UNKNOWN_YEAR);
    /* 2025-01-01 is closed, so the trading day before 2025-01-02 would be in 2024. */
    assert_int_equal(calendar_prev_trading_day(&c, date(2025, 1, 2), &out), CALENDAR_UNKNOWN_YEAR);
    assert_date(out, 1, 1, 1);
    int64_t ms = 0;
    assert_int_equal(calendar_cutoff_ms(&c, date(2027, 1, 4), &ms), CALENDAR_UNKNOWN_YEAR);
    assert_int_equal(ms, 0);

    /* A weekend is closed whatever the holidays: it is answered even in an unknown year. */
    assert_int_equal(calendar_is_trading_day(&c, date(2027, 1, 2), &open), CALENDAR_OK);
    assert_false(open);

    /* Once 2027 is marked known (here without closures) its days are answered. */
    assert_int_equal(calendar_mark_year_known(&c, 2027), CALENDAR_OK);
    expect_next(&c, date(2026, 12, 31), date(2027, 1, 1));
    assert_true(trading(&c, date(2027, 1, 4)));
}

static void test_out_of_range(void **state)
{
    (void)state;
    struct calendar c;
    load(&c);
    struct civil_date out = date(1, 1, 1);
    bool open = true;
    int32_t end = FIRST_YEAR + CALENDAR_YEARS_MAX;
    assert_int_equal(calendar_is_trading_day(&c, date(FIRST_YEAR - 1, 12, 31), &open),
                     CALENDAR_OUT_OF_RANGE);
    assert_int_equal(calendar_is_trading_day(&c, date(end, 1, 1), &open), CALENDAR_OUT_OF_RANGE);
    assert_int_equal(calendar_is_trading_day(&c, date(end, 1, 3), &open), CALENDAR_OUT_OF_RANGE);
    assert_true(open);
    assert_int_equal(calendar_next_trading_day(&c, date(end, 1, 1), &out), CALENDAR_OUT_OF_RANGE);
    assert_int_equal(calendar_prev_trading_day(&c, date(FIRST_YEAR, 1, 1), &out),
                     CALENDAR_OUT_OF_RANGE);
    assert_int_equal(calendar_trade_date(&c, INT64_MAX, &out), CALENDAR_OUT_OF_RANGE);
    assert_int_equal(calendar_trade_date(&c, INT64_MIN, &out), CALENDAR_OUT_OF_RANGE);
    assert_int_equal(calendar_trade_date(&c, 0, &out), CALENDAR_OUT_OF_RANGE); /* 1970 */
    assert_date(out, 1, 1, 1);
    assert_int_equal(calendar_add_closure(&c, date(end, 1, 1), date(end, 1, 1)),
                     CALENDAR_OUT_OF_RANGE);
}

static void test_add_closure_validation(void **state)
{
    (void)state;
    struct calendar c;
    calendar_init(&c, FIRST_YEAR);
    assert_int_equal(calendar_mark_year_known(&c, 2020), CALENDAR_OK);
    assert_int_equal(calendar_mark_year_known(&c, 2021), CALENDAR_OK);
    /* Inverted and partly uncovered ranges are refused and close nothing. */
    assert_int_equal(calendar_add_closure(&c, date(2020, 3, 3), date(2020, 3, 2)),
                     CALENDAR_BAD_RANGE);
    assert_int_equal(calendar_add_closure(&c, date(2021, 1, 1), date(2020, 12, 31)),
                     CALENDAR_BAD_RANGE);
    assert_int_equal(calendar_add_closure(&c, date(2019, 12, 30), date(2020, 1, 2)),
                     CALENDAR_OUT_OF_RANGE);
    int32_t last = FIRST_YEAR + CALENDAR_YEARS_MAX - 1;
    assert_int_equal(calendar_add_closure(&c, date(last, 12, 31), date(last + 1, 1, 1)),
                     CALENDAR_OUT_OF_RANGE);
    assert_true(trading(&c, date(2020, 1, 2)));
    assert_true(trading(&c, date(2020, 3, 2)));
    assert_true(trading(&c, date(2020, 3, 3)));
    /* A single day, a range across a year end, an overlap and a repeat are all fine. */
    assert_int_equal(calendar_add_closure(&c, date(2020, 3, 2), date(2020, 3, 2)), CALENDAR_OK);
    assert_false(trading(&c, date(2020, 3, 2)));
    assert_true(trading(&c, date(2020, 3, 3)));
    assert_int_equal(calendar_add_closure(&c, date(2020, 12, 31), date(2021, 1, 1)), CALENDAR_OK);
    assert_int_equal(calendar_add_closure(&c, date(2020, 12, 30), date(2020, 12, 31)), CALENDAR_OK);
    assert_int_equal(calendar_add_closure(&c, date(2020, 12, 30), date(2020, 12, 31)), CALENDAR_OK);
    assert_true(trading(&c, date(2020, 12, 29)));
    assert_false(trading(&c, date(2020, 12, 30)));
    assert_false(trading(&c, date(2020, 12, 31)));
    assert_false(trading(&c, date(2021, 1, 1)));
    assert_true(trading(&c, date(2021, 1, 4)));
    /* The first and last covered days can be closed. */
    assert_int_equal(calendar_add_closure(&c, date(FIRST_YEAR, 1, 1), date(FIRST_YEAR, 1, 1)),
                     CALENDAR_OK);
    assert_int_equal(calendar_add_closure(&c, date(last, 12, 31), date(last, 12, 31)), CALENDAR_OK);
    assert_false(trading(&c, date(2020, 1, 1)));
}

static void test_cutoff_ms(void **state)
{
    (void)state;
    struct calendar c;
    load(&c);
    int64_t ms = 0;
    /* 2026-03-03 15:00:00 CST is 2026-03-03T07:00:00Z. */
    assert_int_equal(calendar_cutoff_ms(&c, date(2026, 3, 3), &ms), CALENDAR_OK);
    assert_int_equal(ms, INT64_C(1772521200000));
    assert_int_equal(calendar_cutoff_ms(&c, date(2026, 9, 30), &ms), CALENDAR_OK);
    assert_int_equal(ms, INT64_C(1790751600000));
    /* An order with trade date T is cancellable strictly before the cutoff of T. */
    struct civil_date t;
    assert_int_equal(calendar_trade_date(&c, ms - 1, &t), CALENDAR_OK);
    assert_date(t, 2026, 9, 30);
    assert_int_equal(calendar_trade_date(&c, ms, &t), CALENDAR_OK);
    assert_date(t, 2026, 10, 8);
    ms = 42;
    assert_int_equal(calendar_cutoff_ms(&c, date(2026, 3, 7), &ms), CALENDAR_NOT_TRADING_DAY);
    assert_int_equal(calendar_cutoff_ms(&c, date(2026, 10, 1), &ms), CALENDAR_NOT_TRADING_DAY);
    assert_int_equal(calendar_cutoff_ms(&c, date(2019, 3, 4), &ms), CALENDAR_OUT_OF_RANGE);
    assert_int_equal(ms, 42);
}

/* A calendar closed for longer than the search window: the search stops and says so. */
static void test_no_trading_day(void **state)
{
    (void)state;
    struct calendar c;
    calendar_init(&c, FIRST_YEAR);
    for (int32_t y = 2029; y <= 2031; y++)
        assert_int_equal(calendar_mark_year_known(&c, y), CALENDAR_OK);
    /* Tuesday 2030-01-01 + 370 days is Monday 2031-01-06: the last day the search looks at. */
    assert_int_equal(calendar_add_closure(&c, date(2030, 1, 2), date(2031, 1, 3)), CALENDAR_OK);
    expect_next(&c, date(2030, 1, 1), date(2031, 1, 6));
    expect_prev(&c, date(2031, 1, 6), date(2030, 1, 1));
    expect_add(&c, date(2030, 1, 1), 1, date(2031, 1, 6));
    /* From Monday 2029-12-31 it is 371 days away. */
    assert_int_equal(calendar_add_closure(&c, date(2030, 1, 1), date(2030, 1, 1)), CALENDAR_OK);
    struct civil_date out = date(1, 1, 1);
    assert_int_equal(calendar_next_trading_day(&c, date(2029, 12, 31), &out),
                     CALENDAR_NO_TRADING_DAY);
    assert_int_equal(calendar_add_trading_days(&c, date(2029, 12, 31), 1, &out),
                     CALENDAR_NO_TRADING_DAY);
    assert_int_equal(calendar_prev_trading_day(&c, date(2031, 1, 6), &out),
                     CALENDAR_NO_TRADING_DAY);
    assert_int_equal(calendar_trade_date(&c, civil_ms_of_cst(date(2029, 12, 31), 15, 0, 0), &out),
                     CALENDAR_NO_TRADING_DAY);
    assert_date(out, 1, 1, 1);
}

/* The trading day after `d` by asking about each day in turn. */
static struct civil_date brute_next(const struct calendar *c, struct civil_date d)
{
    for (int k = 0; k < 30; k++) {
        d = civil_date_add_days(d, 1);
        if (trading(c, d))
            return d;
    }
    fail_msg("no trading day within 30 days");
    return d;
}

/* Every day of 2025 and 2026 (up to 12-30, so that nothing reaches 2027): the walking functions
 * agree with asking day by day. */
static void test_every_day(void **state)
{
    (void)state;
    struct calendar c;
    load(&c);
    struct civil_date d = date(2025, 1, 1);
    for (int k = 0; k < 729; k++, d = civil_date_add_days(d, 1)) {
        struct civil_date next = brute_next(&c, d);
        bool open = trading(&c, d);
        expect_next(&c, d, next);
        if (open)
            expect_prev(&c, next, d);
        struct civil_date same = open ? d : next;
        expect_trade_date(&c, civil_ms_of_cst(d, 0, 0, 0), same);
        expect_trade_date(&c, civil_ms_of_cst(d, 14, 59, 59) + 999, same);
        expect_trade_date(&c, civil_ms_of_cst(d, 15, 0, 0), next);
        expect_trade_date(&c, civil_ms_of_cst(d, 23, 59, 59) + 999, next);
        if (open)
            expect_add(&c, d, 1, next);
    }
    assert_date(d, 2026, 12, 31);
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

static void init_before_1970(void)
{
    struct calendar c;
    calendar_init(&c, CALENDAR_FIRST_YEAR_MIN - 1);
}
static void init_past_9999(void)
{
    struct calendar c;
    calendar_init(&c, CALENDAR_FIRST_YEAR_MAX + 1);
}
static void query_invalid_date(void)
{
    struct calendar c;
    bool open;
    load(&c);
    (void)calendar_is_trading_day(&c, date(2026, 2, 29), &open);
}
static void closure_invalid_date(void)
{
    struct calendar c;
    load(&c);
    (void)calendar_add_closure(&c, date(2026, 4, 31), date(2026, 5, 1));
}
static void query_uninitialised(void)
{
    struct calendar c;
    memset(&c, 0, sizeof(c));
    (void)calendar_year_known(&c, 2026);
}

/* Programmer errors abort; none of these can come from outside (dates are parsed first). */
static void test_contract_violations_abort(void **state)
{
    (void)state;
    assert_true(aborts(init_before_1970));
    assert_true(aborts(init_past_9999));
    assert_true(aborts(query_invalid_date));
    assert_true(aborts(closure_invalid_date));
    assert_true(aborts(query_uninitialised));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rc_str),
        cmocka_unit_test(test_init_and_known_years),
        cmocka_unit_test(test_holidays_closed),
        cmocka_unit_test(test_weekends_closed),
        cmocka_unit_test(test_trading_day_counts),
        cmocka_unit_test(test_trade_date_cutoff),
        cmocka_unit_test(test_trade_date_holidays),
        cmocka_unit_test(test_add_trading_days),
        cmocka_unit_test(test_next_prev_year_end),
        cmocka_unit_test(test_unknown_years),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_add_closure_validation),
        cmocka_unit_test(test_cutoff_ms),
        cmocka_unit_test(test_no_trading_day),
        cmocka_unit_test(test_every_day),
        cmocka_unit_test(test_contract_violations_abort),
    };
    return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
