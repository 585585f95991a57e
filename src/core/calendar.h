/*
 * calendar.h: the mainland exchange trading calendar and the 15:00 cutoff (DESIGN §5). Pure: no
 * I/O, no globals, no allocation; the caller owns the struct and fills it from the store.
 *
 * A trading day is a Monday to Friday outside every closure range. Saturdays and Sundays are
 * always closed, the official make-up working days (调休上班) included: the exchanges do not
 * open on them. Closures are published a year at a time, so the calendar also records which years
 * are known (loaded). A query whose answer depends on a weekday of a year that is not known
 * returns CALENDAR_UNKNOWN_YEAR instead of guessing that the day is open: a guess would give an
 * order a trade date on what may turn out to be a holiday.
 *
 * Dates are China Standard Time dates (struct civil_date); moments are UTC milliseconds.
 */
#ifndef CFH_CALENDAR_H
#define CFH_CALENDAR_H

#include "base/civil.h"

#include <stdbool.h>
#include <stdint.h>

#define CALENDAR_YEARS_MAX       64                         /* years one struct calendar covers */
#define CALENDAR_DAYS_MAX        (CALENDAR_YEARS_MAX * 366) /* an upper bound on their days */
#define CALENDAR_SEARCH_DAYS_MAX 370 /* next/prev trading day looks at most this far */
#define CALENDAR_ADD_DAYS_MAX    250 /* largest n of T+n: about a year of trading days */
#define CALENDAR_CUTOFF_HOUR     15  /* orders at or after 15:00:00.000 CST go to the next day */
#define CALENDAR_FIRST_YEAR_MIN  CIVIL_YEAR_MIN
#define CALENDAR_FIRST_YEAR_MAX  (CIVIL_YEAR_MAX - CALENDAR_YEARS_MAX + 1)

enum calendar_rc {
    CALENDAR_OK = 0,
    CALENDAR_UNKNOWN_YEAR,    /* the answer depends on a weekday of a year not marked known */
    CALENDAR_OUT_OF_RANGE,    /* a date outside the years covered, or n of T+n out of range */
    CALENDAR_BAD_RANGE,       /* a closure that ends before it begins */
    CALENDAR_NOT_TRADING_DAY, /* T must be a trading day and is not */
    CALENDAR_NO_TRADING_DAY,  /* no trading day within CALENDAR_SEARCH_DAYS_MAX days */
};

/*
 * Closed days and known years of CALENDAR_YEARS_MAX consecutive years, as bitmaps. About 3 KB:
 * it may live on the stack. Fill it only through the functions below.
 */
struct calendar {
    int32_t first_year; /* the first year covered */
    int64_t first_days; /* day number (civil.h) of first_year-01-01 */
    int64_t span_days;  /* days covered: first_year-01-01 up to (first_year + YEARS_MAX)-01-01 */
    uint8_t known[(CALENDAR_YEARS_MAX + 7) / 8]; /* bit i: year first_year + i is loaded */
    uint8_t closed[(CALENDAR_DAYS_MAX + 7) / 8]; /* bit i: day first_days + i is a closure */
};

/* A short lower-case English description of `rc`. Never NULL; the string is static. */
const char *calendar_rc_str(enum calendar_rc rc);

/*
 * Make `c` an empty calendar of the years first_year .. first_year + CALENDAR_YEARS_MAX - 1: no
 * closures, no year known. first_year must lie in CALENDAR_FIRST_YEAR_MIN..MAX (a programmer
 * error otherwise). Needs no release.
 */
void calendar_init(struct calendar *c, int32_t first_year);

/*
 * Close every day from `from` to `to`, both included; they may lie in different years. Both dates
 * must be valid. Returns CALENDAR_BAD_RANGE when `to` is before `from`, CALENDAR_OUT_OF_RANGE when
 * either lies outside the years covered (and closes nothing in both cases), else CALENDAR_OK.
 * Closing a weekend day or a day already closed is harmless. Closures may be added to a known
 * year (an unscheduled closure).
 */
enum calendar_rc calendar_add_closure(struct calendar *c, struct civil_date from,
                                      struct civil_date to);

/*
 * Record that all closures of `year` have been added, so that its weekdays can be answered.
 * Returns CALENDAR_OUT_OF_RANGE for a year outside the years covered, else CALENDAR_OK.
 */
enum calendar_rc calendar_mark_year_known(struct calendar *c, int32_t year);

/* True when `year` is covered and marked known. */
bool calendar_year_known(const struct calendar *c, int32_t year);

/*
 * Sets *out (OUT) to whether valid `date` is a trading day. A Saturday or Sunday is answered
 * (false) in any covered year, known or not; a weekday needs its year known. Returns CALENDAR_OK,
 * CALENDAR_UNKNOWN_YEAR or CALENDAR_OUT_OF_RANGE; on error *out is untouched.
 */
enum calendar_rc calendar_is_trading_day(const struct calendar *c, struct civil_date date,
                                         bool *out);

/*
 * Sets *out (OUT) to the first trading day strictly after valid `date`, which itself may be any
 * covered day. Errors, with *out untouched: CALENDAR_UNKNOWN_YEAR when a weekday of an unknown
 * year comes first, CALENDAR_OUT_OF_RANGE when `date` or the search leaves the years covered,
 * CALENDAR_NO_TRADING_DAY when the next CALENDAR_SEARCH_DAYS_MAX days are all closed.
 */
enum calendar_rc calendar_next_trading_day(const struct calendar *c, struct civil_date date,
                                           struct civil_date *out);

/* As calendar_next_trading_day, but the last trading day strictly before `date`. */
enum calendar_rc calendar_prev_trading_day(const struct calendar *c, struct civil_date date,
                                           struct civil_date *out);

/*
 * T+n: sets *out (OUT) to the n-th trading day after trading day `t`; T+0 is `t` itself.
 * `t` must be valid. Returns CALENDAR_OUT_OF_RANGE when n is outside 0..CALENDAR_ADD_DAYS_MAX,
 * CALENDAR_NOT_TRADING_DAY when `t` is a covered day but not a trading day (e.g. closed after the
 * order was placed: the caller must decide, not this function), and the errors of
 * calendar_is_trading_day and calendar_next_trading_day; on error *out is untouched.
 */
enum calendar_rc calendar_add_trading_days(const struct calendar *c, struct civil_date t, int n,
                                           struct civil_date *out);

/*
 * The trade date T (OUT *out) of an order placed at `utc_ms`. With the CST wall clock of utc_ms:
 * a trading day before 15:00:00.000 gives that day; 15:00:00.000 or later, or a day that is not a
 * trading day, gives the next trading day. Any int64 utc_ms; errors as calendar_next_trading_day.
 */
enum calendar_rc calendar_trade_date(const struct calendar *c, int64_t utc_ms,
                                     struct civil_date *out);

/*
 * The cutoff of trading day `t` (OUT *out): the UTC milliseconds of 15:00:00.000 CST on t. An
 * order with trade date t may be cancelled while now_ms < *out. `t` must be valid. Returns
 * CALENDAR_NOT_TRADING_DAY when t is not a trading day, and the errors of
 * calendar_is_trading_day; on error *out is untouched.
 */
enum calendar_rc calendar_cutoff_ms(const struct calendar *c, struct civil_date t, int64_t *out);

#endif
