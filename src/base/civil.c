/*
 * civil.c - day numbers, dates and China Standard Time by integer arithmetic.
 *
 * The date <-> day-number conversion counts years from March, so that the leap day is the last
 * day of the counting year, and groups years into 400-year cycles of exactly 146097 days
 * (400 * 365 + 97 leap days). Inside a cycle every quantity is a small non-negative number;
 * only the cycle index can be negative, and it is found by floor division.
 */
#ifndef _GNU_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif

#include "base/civil.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Assertions stay on in every build: a broken contract aborts after naming the line. */
#define CIVIL_ASSERT(cond) ((cond) ? (void)0 : civil_assert_fail(#cond, __FILE__, __LINE__))

static _Noreturn void civil_assert_fail(const char *cond, const char *file, int line)
{
    fprintf(stderr, "%s:%d: assertion failed: %s\n", file, line, cond);
    abort();
}

#define DAYS_PER_CYCLE 146097 /* days in 400 Gregorian years */
/* Day number of 0000-03-01, the start of cycle 0, counted back from 1970-01-01: 1970 years of
 * 365 days, plus 478 leap days (years 0..1969: 493 multiples of 4, less 20 centuries, plus 5
 * multiples of 400), less the 60 days of 0000-01-01..0000-02-29 (year 0 is a leap year):
 * 719050 + 478 - 60 = 719468. */
#define DAYS_0000_03_01 INT64_C(-719468)

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0)))
        q--;
    return q;
}

/* a mod b in 0..b-1 for b > 0, without forming q * b (which can overflow near INT64_MIN). */
static int64_t floor_mod(int64_t a, int64_t b)
{
    int64_t r = a % b;
    return r < 0 ? r + b : r;
}

const char *civil_rc_str(enum civil_rc rc)
{
    switch (rc) {
    case CIVIL_OK:
        return "ok";
    case CIVIL_BAD_FORMAT:
        return "date not in YYYY-MM-DD format";
    case CIVIL_BAD_DATE:
        return "no such date";
    case CIVIL_OUT_OF_RANGE:
        return "year out of range";
    }
    return "unknown date error";
}

bool civil_is_leap_year(int32_t year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int32_t civil_days_in_month(int32_t year, int32_t month)
{
    static const int32_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && civil_is_leap_year(year))
        return 29;
    return days[month - 1];
}

bool civil_date_valid(struct civil_date d)
{
    return d.month >= 1 && d.month <= 12 && d.day >= 1 &&
           d.day <= civil_days_in_month(d.year, d.month);
}

int64_t civil_days_from_date(struct civil_date d)
{
    CIVIL_ASSERT(civil_date_valid(d));
    /* Years start on 1 March: January and February belong to the year before. */
    int64_t y = (int64_t)d.year - (d.month <= 2 ? 1 : 0);
    int64_t cycle = floor_div(y, 400);
    int64_t year_of_cycle = y - cycle * 400;       /* 0..399 */
    int64_t month_from_march = (d.month + 9) % 12; /* March 0 .. February 11 */
    /* Months from March run 31,30,31,30,31, 31,30,31,30,31, 31,28/29: the first day of month m
     * is (153 * m + 2) / 5, which gives 0, 31, 61, 92, 122, 153, ... */
    int64_t day_of_year = (153 * month_from_march + 2) / 5 + d.day - 1; /* 0..365 */
    int64_t day_of_cycle =
        year_of_cycle * 365 + year_of_cycle / 4 - year_of_cycle / 100 + day_of_year; /* 0..146096 */
    CIVIL_ASSERT(day_of_cycle >= 0 && day_of_cycle < DAYS_PER_CYCLE);
    return cycle * DAYS_PER_CYCLE + day_of_cycle + DAYS_0000_03_01;
}

struct civil_date civil_date_from_days(int64_t days)
{
    CIVIL_ASSERT(days >= CIVIL_DAYS_MIN && days <= CIVIL_DAYS_MAX);
    int64_t z = days - DAYS_0000_03_01;
    int64_t cycle = floor_div(z, DAYS_PER_CYCLE);
    int64_t day_of_cycle = z - cycle * DAYS_PER_CYCLE; /* 0..146096 */
    /* Undo 365 * y + y / 4 - y / 100: leap days come every 1460 days (4 years less one), are
     * dropped every 36524 days (100 years), and come back on day 146096 (the last of a cycle). */
    int64_t year_of_cycle =
        (day_of_cycle - day_of_cycle / 1460 + day_of_cycle / 36524 - day_of_cycle / 146096) / 365;
    int64_t day_of_year =
        day_of_cycle - (365 * year_of_cycle + year_of_cycle / 4 - year_of_cycle / 100);
    int64_t month_from_march = (5 * day_of_year + 2) / 153; /* inverse of (153 * m + 2) / 5 */
    int64_t month = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;
    struct civil_date d = {
        .year = (int32_t)(cycle * 400 + year_of_cycle + (month <= 2 ? 1 : 0)),
        .month = (int32_t)month,
        .day = (int32_t)(day_of_year - (153 * month_from_march + 2) / 5 + 1),
    };
    CIVIL_ASSERT(civil_date_valid(d));
    return d;
}

int64_t civil_days_between(struct civil_date from, struct civil_date to)
{
    return civil_days_from_date(to) - civil_days_from_date(from);
}

struct civil_date civil_date_add_days(struct civil_date d, int64_t n)
{
    int64_t days = civil_days_from_date(d);
    CIVIL_ASSERT(n <= CIVIL_DAYS_MAX - days && n >= CIVIL_DAYS_MIN - days);
    return civil_date_from_days(days + n);
}

enum civil_weekday civil_weekday(struct civil_date d)
{
    /* Day 0, 1970-01-01, was a Thursday (4). */
    int64_t wd = floor_mod(civil_days_from_date(d) + 3, 7) + 1;
    CIVIL_ASSERT(wd >= CIVIL_MONDAY && wd <= CIVIL_SUNDAY);
    return (enum civil_weekday)wd;
}

bool civil_is_weekend(struct civil_date d)
{
    return civil_weekday(d) >= CIVIL_SATURDAY;
}

int civil_date_cmp(struct civil_date a, struct civil_date b)
{
    CIVIL_ASSERT(civil_date_valid(a) && civil_date_valid(b));
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    if (a.day != b.day)
        return a.day < b.day ? -1 : 1;
    return 0;
}

/* Read `width` ASCII digits; false if any byte is not one. */
static bool read_digits(const char *s, int width, int32_t *out)
{
    int32_t v = 0;
    for (int i = 0; i < width; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

enum civil_rc civil_date_parse(const char *s, size_t len, struct civil_date *out)
{
    CIVIL_ASSERT(out != NULL);
    CIVIL_ASSERT(s != NULL || len == 0);
    struct civil_date d;
    if (len != 10 || s[4] != '-' || s[7] != '-' || !read_digits(s, 4, &d.year) ||
        !read_digits(s + 5, 2, &d.month) || !read_digits(s + 8, 2, &d.day))
        return CIVIL_BAD_FORMAT;
    if (!civil_date_valid(d))
        return CIVIL_BAD_DATE;
    if (d.year < CIVIL_YEAR_MIN || d.year > CIVIL_YEAR_MAX)
        return CIVIL_OUT_OF_RANGE;
    *out = d;
    return CIVIL_OK;
}

/* Write v, 0 <= v < 10^width, as exactly `width` digits. */
static void put_digits(char *p, int64_t v, int width)
{
    CIVIL_ASSERT(v >= 0);
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    CIVIL_ASSERT(v == 0);
}

static size_t fail_format(char *buf, size_t cap)
{
    if (cap > 0)
        buf[0] = '\0';
    return 0;
}

size_t civil_date_format(struct civil_date d, char *buf, size_t cap)
{
    CIVIL_ASSERT(civil_date_valid(d));
    CIVIL_ASSERT(buf != NULL || cap == 0);
    if (cap < CIVIL_DATE_CAP || d.year < 0 || d.year > 9999)
        return fail_format(buf, cap);
    put_digits(buf, d.year, 4);
    buf[4] = '-';
    put_digits(buf + 5, d.month, 2);
    buf[7] = '-';
    put_digits(buf + 8, d.day, 2);
    buf[10] = '\0';
    return 10;
}

struct civil_time civil_time_of_ms_cst(int64_t utc_ms)
{
    /* Split first, then shift: utc_ms + 8h itself could overflow near INT64_MAX. */
    int64_t days = floor_div(utc_ms, CIVIL_MS_PER_DAY);
    int64_t ms_of_day = floor_mod(utc_ms, CIVIL_MS_PER_DAY) + CIVIL_CST_OFFSET_MS;
    if (ms_of_day >= CIVIL_MS_PER_DAY) {
        ms_of_day -= CIVIL_MS_PER_DAY;
        days++;
    }
    CIVIL_ASSERT(ms_of_day >= 0 && ms_of_day < CIVIL_MS_PER_DAY);
    struct civil_time t = {
        .date = civil_date_from_days(days),
        .hour = (int32_t)(ms_of_day / 3600000),
        .minute = (int32_t)(ms_of_day / 60000 % 60),
        .second = (int32_t)(ms_of_day / 1000 % 60),
        .ms = (int32_t)(ms_of_day % 1000),
    };
    return t;
}

struct civil_date civil_date_of_ms_cst(int64_t utc_ms)
{
    return civil_time_of_ms_cst(utc_ms).date;
}

int64_t civil_ms_of_cst(struct civil_date d, int32_t hour, int32_t minute, int32_t second)
{
    CIVIL_ASSERT(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59);
    CIVIL_ASSERT(second >= 0 && second <= 59);
    int64_t days = civil_days_from_date(d);
    int64_t ms_of_day = ((int64_t)hour * 3600 + minute * 60 + second) * 1000;
    int64_t ms = 0;
    bool overflow = __builtin_mul_overflow(days, CIVIL_MS_PER_DAY, &ms) ||
                    __builtin_add_overflow(ms, ms_of_day - CIVIL_CST_OFFSET_MS, &ms);
    CIVIL_ASSERT(!overflow);
    return ms;
}

size_t civil_format_ms_iso(int64_t utc_ms, char *buf, size_t cap)
{
    CIVIL_ASSERT(buf != NULL || cap == 0);
    struct civil_time t = civil_time_of_ms_cst(utc_ms);
    if (cap < CIVIL_ISO_CAP || t.date.year < 0 || t.date.year > 9999)
        return fail_format(buf, cap);
    /* 0         1         2
     * 0123456789012345678901234567
     * 2026-11-29T12:03:58.123+08:00 */
    size_t n = civil_date_format(t.date, buf, cap);
    CIVIL_ASSERT(n == 10);
    buf[10] = 'T';
    put_digits(buf + 11, t.hour, 2);
    buf[13] = ':';
    put_digits(buf + 14, t.minute, 2);
    buf[16] = ':';
    put_digits(buf + 17, t.second, 2);
    buf[19] = '.';
    put_digits(buf + 20, t.ms, 3);
    static const char offset[] = "+08:00";
    for (size_t i = 0; i < sizeof offset; i++) /* the NUL too */
        buf[23 + i] = offset[i];
    return 29;
}

static int64_t clock_ms(clockid_t clock)
{
    struct timespec ts;
    /* Fails only for a clock the kernel does not have; both used here always exist. */
    int rc = clock_gettime(clock, &ts);
    CIVIL_ASSERT(rc == 0);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t civil_now_ms(void)
{
    return clock_ms(CLOCK_REALTIME);
}

int64_t civil_mono_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}
