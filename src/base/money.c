/*
 * money.c - exact decimal parsing, formatting and rounding of scaled integers.
 *
 * Parsing is two passes over at most `len` bytes: the first checks the shape of the text, so that
 * a syntax error is reported as such even when the digits would also overflow; the second
 * accumulates the digits into an unsigned magnitude with an overflow check on every step.
 * Rounding divides 128-bit integers: |a * b| <= 2^126 always fits, so only the final quotient can
 * fail to fit in int64, and that is reported rather than wrapped.
 */
#include "base/money.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* Assertions stay on in every build: a broken contract aborts after naming the line. */
#define MONEY_ASSERT(cond) ((cond) ? (void)0 : money_assert_fail(#cond, __FILE__, __LINE__))

static _Noreturn void money_assert_fail(const char *cond, const char *file, int line)
{
    fprintf(stderr, "%s:%d: assertion failed: %s\n", file, line, cond);
    abort();
}

__extension__ typedef __int128 i128;

/* The magnitude of INT64_MIN, 2^63, is one more than INT64_MAX. */
#define MAG_POS_LIMIT ((uint64_t)INT64_MAX)
#define MAG_NEG_LIMIT ((uint64_t)INT64_MAX + 1u)

const char *money_rc_str(enum money_rc rc)
{
    switch (rc) {
    case MONEY_OK:
        return "ok";
    case MONEY_EMPTY:
        return "empty number";
    case MONEY_BAD_CHAR:
        return "unexpected character in number";
    case MONEY_MISSING_DIGITS:
        return "missing digits before or after the decimal point";
    case MONEY_LEADING_ZERO:
        return "superfluous leading zero";
    case MONEY_TOO_MANY_DECIMALS:
        return "too many decimal places";
    case MONEY_NEGATIVE:
        return "negative number not allowed";
    case MONEY_OVERFLOW:
        return "number out of range";
    case MONEY_ABOVE_MAX:
        return "number above maximum";
    case MONEY_BELOW_MIN:
        return "number below minimum";
    case MONEY_DIV_ZERO:
        return "division by zero";
    }
    return "unknown money error";
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * Check that s[0..len) is (0|[1-9][0-9]*)(\.[0-9]+)? with at most `scale` decimals, and count
 * the fractional digits into *nfrac_out.
 */
static enum money_rc check_shape(const char *s, size_t len, int scale, size_t *nfrac_out)
{
    size_t i = 0;
    while (i < len && is_digit(s[i]))
        i++;
    size_t nint = i;
    bool dot = false;
    size_t nfrac = 0;
    if (i < len && s[i] == '.') {
        dot = true;
        i++;
        size_t frac_start = i;
        while (i < len && is_digit(s[i]))
            i++;
        nfrac = i - frac_start;
    }
    if (i < len)
        return MONEY_BAD_CHAR;
    if (nint == 0 || (dot && nfrac == 0))
        return MONEY_MISSING_DIGITS;
    if (nint > 1 && s[0] == '0')
        return MONEY_LEADING_ZERO;
    if (nfrac > (size_t)scale)
        return MONEY_TOO_MANY_DECIMALS;
    *nfrac_out = nfrac;
    return MONEY_OK;
}

/*
 * Parse the unsigned part (no sign) into a magnitude in 10^-scale units that is <= limit.
 * "12.3" at scale 2: digits give 123, then one more factor of ten for the missing decimal.
 */
static enum money_rc parse_magnitude(const char *s, size_t len, int scale, uint64_t limit,
                                     uint64_t *mag_out)
{
    size_t nfrac = 0;
    enum money_rc rc = check_shape(s, len, scale, &nfrac);
    if (rc != MONEY_OK)
        return rc;
    uint64_t mag = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.')
            continue;
        uint64_t d = (uint64_t)(s[i] - '0');
        /* mag * 10 + d <= limit  <=>  mag <= (limit - d) / 10 in integers */
        if (mag > (limit - d) / 10u)
            return MONEY_OVERFLOW;
        mag = mag * 10u + d;
    }
    for (size_t k = nfrac; k < (size_t)scale; k++) {
        if (mag > limit / 10u)
            return MONEY_OVERFLOW;
        mag *= 10u;
    }
    MONEY_ASSERT(mag <= limit);
    *mag_out = mag;
    return MONEY_OK;
}

enum money_rc money_parse(const char *s, size_t len, int scale, int64_t max, int64_t *out)
{
    MONEY_ASSERT(scale >= 0 && scale <= MONEY_SCALE_MAX);
    MONEY_ASSERT(max >= 0 && out != NULL);
    if (len == 0)
        return MONEY_EMPTY;
    MONEY_ASSERT(s != NULL);
    uint64_t mag = 0;
    if (s[0] == '-') {
        /* Report the shape first ("-x" is a bad character), then the sign, even for "-0". */
        enum money_rc rc = parse_magnitude(s + 1, len - 1, scale, MAG_NEG_LIMIT, &mag);
        return (rc == MONEY_OK || rc == MONEY_OVERFLOW) ? MONEY_NEGATIVE : rc;
    }
    enum money_rc rc = parse_magnitude(s, len, scale, MAG_POS_LIMIT, &mag);
    if (rc != MONEY_OK)
        return rc;
    if (mag > (uint64_t)max)
        return MONEY_ABOVE_MAX;
    *out = (int64_t)mag;
    return MONEY_OK;
}

enum money_rc money_parse_signed(const char *s, size_t len, int scale, int64_t min, int64_t max,
                                 int64_t *out)
{
    MONEY_ASSERT(scale >= 0 && scale <= MONEY_SCALE_MAX);
    MONEY_ASSERT(min <= max && out != NULL);
    if (len == 0)
        return MONEY_EMPTY;
    MONEY_ASSERT(s != NULL);
    bool neg = s[0] == '-';
    size_t skip = neg ? 1u : 0u;
    uint64_t mag = 0;
    enum money_rc rc =
        parse_magnitude(s + skip, len - skip, scale, neg ? MAG_NEG_LIMIT : MAG_POS_LIMIT, &mag);
    if (rc != MONEY_OK)
        return rc;
    int64_t v;
    if (!neg)
        v = (int64_t)mag;
    else if (mag == 0)
        v = 0; /* "-0.00" is zero */
    else
        v = -(int64_t)(mag - 1u) - 1; /* mag may be 2^63: negate without overflowing */
    if (v < min)
        return MONEY_BELOW_MIN;
    if (v > max)
        return MONEY_ABOVE_MAX;
    *out = v;
    return MONEY_OK;
}

/*
 * Write the text of v into buf back to front, then reverse it: the fractional digits first, then
 * the integer digits (with a ',' every three when grouped), then the sign.
 */
static size_t format_impl(int64_t v, int scale, bool grouped, char *buf, size_t cap)
{
    MONEY_ASSERT(scale >= 0 && scale <= MONEY_SCALE_MAX);
    MONEY_ASSERT(buf != NULL || cap == 0);
    char tmp[MONEY_FORMAT_CAP];
    size_t n = 0;
    uint64_t mag = v < 0 ? 0u - (uint64_t)v : (uint64_t)v;
    for (int k = 0; k < scale; k++) {
        tmp[n++] = (char)('0' + mag % 10u);
        mag /= 10u;
    }
    if (scale > 0)
        tmp[n++] = '.';
    int int_digits = 0;
    do {
        if (grouped && int_digits > 0 && int_digits % 3 == 0)
            tmp[n++] = ',';
        tmp[n++] = (char)('0' + mag % 10u);
        mag /= 10u;
        int_digits++;
    } while (mag != 0);
    if (v < 0)
        tmp[n++] = '-';
    MONEY_ASSERT(n < sizeof tmp);
    if (n + 1 > cap) {
        if (cap > 0)
            buf[0] = '\0';
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return n;
}

size_t money_format(int64_t v, int scale, char *buf, size_t cap)
{
    return format_impl(v, scale, false, buf, cap);
}

size_t money_format_grouped(int64_t v, int scale, char *buf, size_t cap)
{
    return format_impl(v, scale, true, buf, cap);
}

/*
 * num / den rounded by mode. C division truncates toward zero and the remainder takes the sign of
 * num, so |r| < |den|; half-up moves one step away from zero when 2|r| >= |den|.
 */
static enum money_rc div_round128(i128 num, i128 den, enum money_round mode, int64_t *out)
{
    MONEY_ASSERT(mode == MONEY_ROUND_HALF_UP || mode == MONEY_ROUND_TRUNCATE);
    MONEY_ASSERT(out != NULL);
    if (den == 0)
        return MONEY_DIV_ZERO;
    i128 q = num / den;
    i128 r = num % den;
    if (mode == MONEY_ROUND_HALF_UP && r != 0) {
        i128 r_abs = r < 0 ? -r : r;
        i128 den_abs = den < 0 ? -den : den;
        if (2 * r_abs >= den_abs)
            q += ((num < 0) != (den < 0)) ? -1 : 1;
    }
    if (q > INT64_MAX || q < INT64_MIN)
        return MONEY_OVERFLOW;
    *out = (int64_t)q;
    return MONEY_OK;
}

enum money_rc money_div_round(int64_t num, int64_t den, enum money_round mode, int64_t *out)
{
    return div_round128(num, den, mode, out);
}

enum money_rc money_mul_div(int64_t a, int64_t b, int64_t c, enum money_round mode, int64_t *out)
{
    /* |a * b| <= 2^63 * 2^63 = 2^126 < 2^127: the product never overflows i128. */
    return div_round128((i128)a * (i128)b, c, mode, out);
}
