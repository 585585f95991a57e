/*
 * money.h - exact decimal numbers held as scaled 64-bit integers.
 *
 * Every amount in Caifuhao is an integer count of a fixed unit (DESIGN §4): money in fen
 * (`amount_fen`, 2 decimals), shares in hundredths (`shares_h`, 2 decimals), NAV in 0.0001 CNY
 * (`nav_e4`, 4 decimals) and rates in parts per million (`rate_ppm`, 6 decimals: "0.015" is 1.5%
 * is 15000). This module turns the decimal strings that JSON carries into those integers and back,
 * and does the few divisions the domain needs with explicit rounding on 128-bit intermediates.
 * No floating point is used anywhere.
 *
 * Accepted text is deliberately narrow so that one value has one spelling on the wire:
 *   ^-?(0|[1-9][0-9]*)(\.[0-9]{1,scale})?$      ('-' only where a signed value is asked for)
 * so "0.5" and "12345.67" are fine; ".5", "5.", "+5", "05", " 5", "5e2", "1.005" (scale 2) are not.
 */
#ifndef CAIFUHAO_BASE_MONEY_H
#define CAIFUHAO_BASE_MONEY_H

#include <stddef.h>
#include <stdint.h>

/* Decimal places of each unit. */
#define MONEY_SCALE_FEN    2  /* amount_fen: 0.01 CNY */
#define MONEY_SCALE_SHARES 2  /* shares_h: 0.01 share */
#define MONEY_SCALE_NAV    4  /* nav_e4: 0.0001 CNY */
#define MONEY_SCALE_RATE   6  /* rate_ppm: 1e-6, so 1.0 is 1000000 */
#define MONEY_SCALE_MAX    18 /* 10^18 is the largest power of ten in an int64 */

/* Bytes that always suffice for money_format and money_format_grouped, NUL included:
 * sign + 19 digits + 6 group separators + '.' + NUL = 28, or "-0." + 18 decimals + NUL = 22. */
#define MONEY_FORMAT_CAP 32

enum money_rc {
    MONEY_OK = 0,
    MONEY_EMPTY,             /* the string has no characters */
    MONEY_BAD_CHAR,          /* a character other than digits, one '.', or a leading '-' */
    MONEY_MISSING_DIGITS,    /* no digit before or after the '.': ".5", "5.", "-" */
    MONEY_LEADING_ZERO,      /* integer part with a superfluous leading zero: "05", "00.1" */
    MONEY_TOO_MANY_DECIMALS, /* more fractional digits than the scale (never rounded away) */
    MONEY_NEGATIVE,          /* a '-' where only non-negative values are allowed */
    MONEY_OVERFLOW,          /* the value, or a computed result, does not fit in int64 */
    MONEY_ABOVE_MAX,         /* the value is greater than the caller's maximum */
    MONEY_BELOW_MIN,         /* the value is less than the caller's minimum */
    MONEY_DIV_ZERO,          /* a division by zero was asked for */
};

/* How a quotient that is not exact becomes an integer. Both are symmetric around zero, the way
 * 四舍五入 and Java's RoundingMode.HALF_UP work: -2.5 -> -3, -2.4 -> -2. */
enum money_round {
    MONEY_ROUND_HALF_UP,  /* to the nearest; a tie goes away from zero */
    MONEY_ROUND_TRUNCATE, /* toward zero: drop the remainder */
};

/*
 * A short lower-case English description of `rc` ("too many decimal places"), for error
 * details. Never NULL; the string is static.
 */
const char *money_rc_str(enum money_rc rc);

/*
 * Parse a non-negative decimal with at most `scale` fractional digits into an integer count of
 * 10^-scale units: money_parse("12.3", 4, 2, max, &v) gives v = 1230.
 *
 * `s` holds `len` bytes and need not be NUL-terminated (it may be NULL only when len is 0).
 * 0 <= scale <= MONEY_SCALE_MAX and max >= 0.
 * Returns MONEY_OK and sets *out (OUT), or an error code and leaves *out untouched. A '-' gives
 * MONEY_NEGATIVE, even for "-0". Bad input is always a return value, never an assertion.
 */
enum money_rc money_parse(const char *s, size_t len, int scale, int64_t max, int64_t *out);

/*
 * Like money_parse, but a leading '-' is allowed and the result must lie in [min, max].
 * "-0.00" parses as 0. min <= max. Errors: MONEY_BELOW_MIN, MONEY_ABOVE_MAX, and the others of
 * money_parse except MONEY_NEGATIVE.
 */
enum money_rc money_parse_signed(const char *s, size_t len, int scale, int64_t min, int64_t max,
                                 int64_t *out);

/*
 * Write `v` (a count of 10^-scale units) as a plain decimal with exactly `scale` fractional
 * digits and no '.' when scale is 0: 1234567 at scale 2 is "12345.67", -5 is "-0.05", 0 is "0.00"
 * (never "-0.00"). The output is accepted by money_parse_signed at the same scale.
 *
 * 0 <= scale <= MONEY_SCALE_MAX. Returns the length written, the NUL not counted. If `cap` is too
 * small (MONEY_FORMAT_CAP always suffices), returns 0 and leaves "" in buf when cap > 0.
 */
size_t money_format(int64_t v, int scale, char *buf, size_t cap);

/*
 * As money_format, with ',' between groups of three integer digits, for display only:
 * "1,234,567.89", "-1,000.00". Not accepted by money_parse.
 */
size_t money_format_grouped(int64_t v, int scale, char *buf, size_t cap);

/*
 * *out = num / den rounded by `mode`, exactly. Errors: MONEY_DIV_ZERO when den is 0,
 * MONEY_OVERFLOW for INT64_MIN / -1. *out is untouched on error.
 */
enum money_rc money_div_round(int64_t num, int64_t den, enum money_round mode, int64_t *out);

/*
 * *out = a * b / c rounded by `mode`, with the product held in 128 bits so that it cannot
 * overflow. Net amount of a front-end fee: money_mul_div(amount_fen, 1000000, 1000000 + rate_ppm,
 * MONEY_ROUND_HALF_UP, &net_fen). Errors: MONEY_DIV_ZERO when c is 0, MONEY_OVERFLOW when the
 * rounded quotient does not fit in int64. *out is untouched on error.
 */
enum money_rc money_mul_div(int64_t a, int64_t b, int64_t c, enum money_round mode, int64_t *out);

#endif /* CAIFUHAO_BASE_MONEY_H */
