/*
 * civil.h - calendar dates and China Standard Time, by arithmetic alone.
 *
 * Business time is UTC+8 with no daylight saving (DESIGN §4): moments are stored as UTC
 * milliseconds since 1970-01-01T00:00:00Z, trade dates as "YYYY-MM-DD". This module converts
 * between the two with integer arithmetic on the proleptic Gregorian calendar, so it never calls
 * localtime/gmtime (not reentrant, and dependent on the TZ of the host) and never reads tzdata:
 * the offset of China Standard Time has been +08:00 since before 1970.
 *
 * Day numbers count days since 1970-01-01 (day 0, a Thursday); earlier dates are negative.
 */
#ifndef CAIFUHAO_BASE_CIVIL_H
#define CAIFUHAO_BASE_CIVIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Years that civil_date_parse accepts: dates that can come from outside. */
#define CIVIL_YEAR_MIN 1970
#define CIVIL_YEAR_MAX 9999

#define CIVIL_MS_PER_DAY    INT64_C(86400000)
#define CIVIL_CST_OFFSET_MS INT64_C(28800000) /* +08:00 */

/* Day numbers of INT32_MIN-01-01 and INT32_MAX-12-31: the days that civil_date_from_days maps to
 * a date whose year fits in int32. Every int64 millisecond timestamp lies well inside. */
#define CIVIL_DAYS_MIN INT64_C(-784353015833)
#define CIVIL_DAYS_MAX INT64_C(784351576776)

#define CIVIL_DATE_CAP 11 /* "2026-02-27" and the NUL */
#define CIVIL_ISO_CAP  30 /* "2026-11-29T12:03:58.123+08:00" and the NUL */

/* A day of the proleptic Gregorian calendar. */
struct civil_date {
    int32_t year;  /* 2026; any int32, though only 1970..9999 is ever parsed */
    int32_t month; /* 1..12 */
    int32_t day;   /* 1..civil_days_in_month(year, month) */
};

/* A wall-clock moment in China Standard Time. */
struct civil_time {
    struct civil_date date; /* the CST calendar date */
    int32_t hour;           /* 0..23 */
    int32_t minute;         /* 0..59 */
    int32_t second;         /* 0..59 (no leap seconds: timestamps are POSIX) */
    int32_t ms;             /* 0..999 */
};

/* ISO 8601 day numbers: Monday is 1, Sunday is 7. */
enum civil_weekday {
    CIVIL_MONDAY = 1,
    CIVIL_TUESDAY,
    CIVIL_WEDNESDAY,
    CIVIL_THURSDAY,
    CIVIL_FRIDAY,
    CIVIL_SATURDAY,
    CIVIL_SUNDAY,
};

enum civil_rc {
    CIVIL_OK = 0,
    CIVIL_BAD_FORMAT,   /* not exactly "YYYY-MM-DD" with ASCII digits */
    CIVIL_BAD_DATE,     /* well formed, but no such day: "2026-02-29", "2026-13-01" */
    CIVIL_OUT_OF_RANGE, /* a real day, but the year is outside CIVIL_YEAR_MIN..CIVIL_YEAR_MAX */
};

/* A short lower-case English description of `rc`. Never NULL; the string is static. */
const char *civil_rc_str(enum civil_rc rc);

/* True for years divisible by 4, except centuries not divisible by 400 (2000 and 2400 yes,
 * 2100 no). Any int32 year, negative ones included. */
bool civil_is_leap_year(int32_t year);

/* 28..31 for month 1..12 of `year`; 0 for a month outside 1..12. */
int32_t civil_days_in_month(int32_t year, int32_t month);

/* True when `d` names a real day: month in 1..12 and day in range for that month and year. */
bool civil_date_valid(struct civil_date d);

/* The day number of `d` (1970-01-01 is 0). `d` must be valid. */
int64_t civil_days_from_date(struct civil_date d);

/* The date of day number `days`, which must lie in CIVIL_DAYS_MIN..CIVIL_DAYS_MAX. */
struct civil_date civil_date_from_days(int64_t days);

/* `to` minus `from` in days: 2026-01-01 to 2026-01-08 is 7. Both must be valid. */
int64_t civil_days_between(struct civil_date from, struct civil_date to);

/* `d` moved by `n` days (negative: backwards). `d` valid; the result's day number must stay in
 * CIVIL_DAYS_MIN..CIVIL_DAYS_MAX. */
struct civil_date civil_date_add_days(struct civil_date d, int64_t n);

/* The ISO weekday of `d`, which must be valid. */
enum civil_weekday civil_weekday(struct civil_date d);

/* True on Saturday and Sunday. `d` must be valid. */
bool civil_is_weekend(struct civil_date d);

/* -1, 0 or 1 as `a` is before, equal to or after `b`. Both must be valid. */
int civil_date_cmp(struct civil_date a, struct civil_date b);

/*
 * Parse exactly "YYYY-MM-DD": ten bytes, ASCII digits, '-' separators, a real day, a year in
 * CIVIL_YEAR_MIN..CIVIL_YEAR_MAX. `s` holds `len` bytes and need not be NUL-terminated (it may be
 * NULL only when len is 0). Returns CIVIL_OK and sets *out (OUT), or an error code and leaves
 * *out untouched. Bad input is a return value, never an assertion.
 */
enum civil_rc civil_date_parse(const char *s, size_t len, struct civil_date *out);

/*
 * Write valid `d` as "YYYY-MM-DD" into buf. Returns 10; or 0, leaving "" when cap > 0, if cap is
 * less than CIVIL_DATE_CAP or the year is outside 0..9999 (it would need more than four digits).
 */
size_t civil_date_format(struct civil_date d, char *buf, size_t cap);

/* The China Standard Time date of a UTC millisecond timestamp: 2026-03-01T15:59:59.999Z is
 * 2026-03-01 and 2026-03-01T16:00:00Z is 2026-03-02. Defined for every int64. */
struct civil_date civil_date_of_ms_cst(int64_t utc_ms);

/* The China Standard Time wall clock of a UTC millisecond timestamp. Defined for every int64. */
struct civil_time civil_time_of_ms_cst(int64_t utc_ms);

/*
 * The UTC millisecond timestamp of hour:minute:second China Standard Time on date `d`:
 * 2026-03-02 15:00:00 CST is 2026-03-02T07:00:00Z. `d` valid, 0 <= hour <= 23,
 * 0 <= minute <= 59, 0 <= second <= 59, and the result must fit in int64 (any year within
 * about 292 million years of 1970).
 */
int64_t civil_ms_of_cst(struct civil_date d, int32_t hour, int32_t minute, int32_t second);

/*
 * Write `utc_ms` as ISO 8601 in China Standard Time with milliseconds and the offset:
 * "2026-11-29T12:03:58.123+08:00". Returns 29; or 0, leaving "" when cap > 0, if cap is less than
 * CIVIL_ISO_CAP or the CST year is outside 0..9999.
 */
size_t civil_format_ms_iso(int64_t utc_ms, char *buf, size_t cap);

/* Wall-clock time now, UTC milliseconds since the epoch (CLOCK_REALTIME). For timestamps. */
int64_t civil_now_ms(void);

/* Milliseconds on a clock that never goes backwards (CLOCK_MONOTONIC), with an arbitrary origin.
 * For durations and timeouts only; never store it. */
int64_t civil_mono_ms(void);

#endif /* CAIFUHAO_BASE_CIVIL_H */
