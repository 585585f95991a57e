/*
 * calendar.c: trading days, T+n and the 15:00 cutoff (see calendar.h).
 *
 * Days are handled as civil.h day numbers; bit i of `closed` is day first_days + i, so a query is
 * one range check, one weekday and one bit. Every walk from day to day is bounded by
 * CALENDAR_SEARCH_DAYS_MAX steps or by the n of T+n.
 */
#include "core/calendar.h"

#include "base/check.h"

#include <string.h>

const char *calendar_rc_str(enum calendar_rc rc)
{
    switch (rc) {
    case CALENDAR_OK:
        return "ok";
    case CALENDAR_UNKNOWN_YEAR:
        return "the trading calendar of that year is not loaded";
    case CALENDAR_OUT_OF_RANGE:
        return "date outside the years the trading calendar covers";
    case CALENDAR_BAD_RANGE:
        return "closure ends before it begins";
    case CALENDAR_NOT_TRADING_DAY:
        return "not a trading day";
    case CALENDAR_NO_TRADING_DAY:
        return "no trading day within the search window";
    }
    return "unknown calendar error";
}

static bool bit_get(const uint8_t *bits, int64_t i)
{
    return (bits[i / 8] >> (i % 8)) & 1u;
}

static void bit_set(uint8_t *bits, int64_t i)
{
    bits[i / 8] = (uint8_t)(bits[i / 8] | (1u << (i % 8)));
}

static void check_calendar(const struct calendar *c)
{
    ASSERT(c->first_year >= CALENDAR_FIRST_YEAR_MIN && c->first_year <= CALENDAR_FIRST_YEAR_MAX);
    ASSERT(c->span_days > 0 && c->span_days <= CALENDAR_DAYS_MAX);
}

static bool year_covered(const struct calendar *c, int32_t year)
{
    return year >= c->first_year && year - c->first_year < CALENDAR_YEARS_MAX;
}

void calendar_init(struct calendar *c, int32_t first_year)
{
    ASSERT(first_year >= CALENDAR_FIRST_YEAR_MIN && first_year <= CALENDAR_FIRST_YEAR_MAX);
    memset(c, 0, sizeof(*c));
    struct civil_date first = {.year = first_year, .month = 1, .day = 1};
    struct civil_date end = {.year = first_year + CALENDAR_YEARS_MAX, .month = 1, .day = 1};
    c->first_year = first_year;
    c->first_days = civil_days_from_date(first);
    c->span_days = civil_days_from_date(end) - c->first_days;
    check_calendar(c);
}

enum calendar_rc calendar_add_closure(struct calendar *c, struct civil_date from,
                                      struct civil_date to)
{
    check_calendar(c);
    ASSERT(civil_date_valid(from) && civil_date_valid(to));
    if (civil_date_cmp(from, to) > 0)
        return CALENDAR_BAD_RANGE;
    if (!year_covered(c, from.year) || !year_covered(c, to.year))
        return CALENDAR_OUT_OF_RANGE;
    int64_t first = civil_days_from_date(from) - c->first_days;
    int64_t last = civil_days_from_date(to) - c->first_days;
    ASSERT(0 <= first && first <= last && last < c->span_days);
    for (int64_t i = first; i <= last; i++)
        bit_set(c->closed, i);
    return CALENDAR_OK;
}

enum calendar_rc calendar_mark_year_known(struct calendar *c, int32_t year)
{
    check_calendar(c);
    if (!year_covered(c, year))
        return CALENDAR_OUT_OF_RANGE;
    bit_set(c->known, year - c->first_year);
    return CALENDAR_OK;
}

bool calendar_year_known(const struct calendar *c, int32_t year)
{
    check_calendar(c);
    return year_covered(c, year) && bit_get(c->known, year - c->first_year);
}

/* Whether day number `days` is a trading day: the rule of calendar_is_trading_day. */
static enum calendar_rc day_is_trading(const struct calendar *c, int64_t days, bool *out)
{
    int64_t i = days - c->first_days;
    if (i < 0 || i >= c->span_days)
        return CALENDAR_OUT_OF_RANGE;
    struct civil_date d = civil_date_from_days(days);
    if (civil_is_weekend(d)) {
        *out = false;
        return CALENDAR_OK;
    }
    if (!bit_get(c->known, d.year - c->first_year))
        return CALENDAR_UNKNOWN_YEAR;
    *out = !bit_get(c->closed, i);
    return CALENDAR_OK;
}

enum calendar_rc calendar_is_trading_day(const struct calendar *c, struct civil_date date,
                                         bool *out)
{
    check_calendar(c);
    ASSERT(civil_date_valid(date));
    return day_is_trading(c, civil_days_from_date(date), out);
}

/* The first trading day strictly after (step 1) or before (step -1) day number `days`. */
static enum calendar_rc walk(const struct calendar *c, int64_t days, int step, int64_t *out)
{
    ASSERT(step == 1 || step == -1);
    int64_t i = days - c->first_days;
    if (i < 0 || i >= c->span_days)
        return CALENDAR_OUT_OF_RANGE;
    for (int k = 1; k <= CALENDAR_SEARCH_DAYS_MAX; k++) {
        bool trading = false;
        enum calendar_rc rc = day_is_trading(c, days + (int64_t)k * step, &trading);
        if (rc != CALENDAR_OK)
            return rc;
        if (trading) {
            *out = days + (int64_t)k * step;
            return CALENDAR_OK;
        }
    }
    return CALENDAR_NO_TRADING_DAY;
}

static enum calendar_rc walk_date(const struct calendar *c, struct civil_date date, int step,
                                  struct civil_date *out)
{
    check_calendar(c);
    ASSERT(civil_date_valid(date));
    int64_t days = 0;
    enum calendar_rc rc = walk(c, civil_days_from_date(date), step, &days);
    if (rc == CALENDAR_OK)
        *out = civil_date_from_days(days);
    return rc;
}

enum calendar_rc calendar_next_trading_day(const struct calendar *c, struct civil_date date,
                                           struct civil_date *out)
{
    return walk_date(c, date, 1, out);
}

enum calendar_rc calendar_prev_trading_day(const struct calendar *c, struct civil_date date,
                                           struct civil_date *out)
{
    return walk_date(c, date, -1, out);
}

enum calendar_rc calendar_add_trading_days(const struct calendar *c, struct civil_date t, int n,
                                           struct civil_date *out)
{
    check_calendar(c);
    ASSERT(civil_date_valid(t));
    if (n < 0 || n > CALENDAR_ADD_DAYS_MAX)
        return CALENDAR_OUT_OF_RANGE;
    int64_t days = civil_days_from_date(t);
    bool trading = false;
    enum calendar_rc rc = day_is_trading(c, days, &trading);
    if (rc != CALENDAR_OK)
        return rc;
    if (!trading)
        return CALENDAR_NOT_TRADING_DAY;
    for (int k = 0; k < n; k++) {
        rc = walk(c, days, 1, &days);
        if (rc != CALENDAR_OK)
            return rc;
    }
    *out = civil_date_from_days(days);
    return CALENDAR_OK;
}

enum calendar_rc calendar_trade_date(const struct calendar *c, int64_t utc_ms,
                                     struct civil_date *out)
{
    check_calendar(c);
    struct civil_time now = civil_time_of_ms_cst(utc_ms);
    if (!year_covered(c, now.date.year))
        return CALENDAR_OUT_OF_RANGE;
    int64_t days = civil_days_from_date(now.date);
    if (now.hour < CALENDAR_CUTOFF_HOUR) {
        bool trading = false;
        enum calendar_rc rc = day_is_trading(c, days, &trading);
        if (rc != CALENDAR_OK)
            return rc;
        if (trading) {
            *out = now.date;
            return CALENDAR_OK;
        }
    }
    /* At or after the cutoff the day's own status does not matter: T is the next trading day. */
    enum calendar_rc rc = walk(c, days, 1, &days);
    if (rc == CALENDAR_OK)
        *out = civil_date_from_days(days);
    return rc;
}

enum calendar_rc calendar_cutoff_ms(const struct calendar *c, struct civil_date t, int64_t *out)
{
    bool trading = false;
    enum calendar_rc rc = calendar_is_trading_day(c, t, &trading);
    if (rc != CALENDAR_OK)
        return rc;
    if (!trading)
        return CALENDAR_NOT_TRADING_DAY;
    *out = civil_ms_of_cst(t, CALENDAR_CUTOFF_HOUR, 0, 0);
    return CALENDAR_OK;
}
