/*
 * utf8.c - strict UTF-8 by the table of well-formed byte sequences.
 *
 * Unicode Table 3-7 lists every well-formed sequence; the second byte is where the exceptions
 * live, so each lead byte fixes the allowed range of the second byte and the rest must be plain
 * continuation bytes 80..BF:
 *
 *   U+0001..U+007F     01..7F
 *   U+0080..U+07FF     C2..DF  80..BF
 *   U+0800..U+0FFF     E0      A0..BF  80..BF           (A0: no overlongs)
 *   U+1000..U+CFFF     E1..EC  80..BF  80..BF
 *   U+D000..U+D7FF     ED      80..9F  80..BF           (9F: no surrogates)
 *   U+E000..U+FFFF     EE..EF  80..BF  80..BF
 *   U+10000..U+3FFFF   F0      90..BF  80..BF  80..BF   (90: no overlongs)
 *   U+40000..U+FFFFF   F1..F3  80..BF  80..BF  80..BF
 *   U+100000..U+10FFFF F4      80..8F  80..BF  80..BF   (8F: nothing above U+10FFFF)
 *
 * Runs of ASCII are skipped a 64-bit word at a time: a word is plain ASCII without NUL when no
 * byte has its top bit set and no byte is zero.
 */
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Assertions stay on in every build: a broken contract aborts after naming the line. */
#define UTF8_ASSERT(cond) ((cond) ? (void)0 : utf8_assert_fail(#cond, __FILE__, __LINE__))

static _Noreturn void utf8_assert_fail(const char *cond, const char *file, int line)
{
    fprintf(stderr, "%s:%d: assertion failed: %s\n", file, line, cond);
    abort();
}

#define ONES  UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* True when all eight bytes of w are in 01..7F. (w - ONES) & ~w sets a byte's top bit when that
 * byte is zero (and perhaps, through the borrow, in bytes above it, which only makes this
 * conservative); w itself sets it for bytes 80..FF. */
static bool word_is_ascii_no_nul(uint64_t w)
{
    return ((((w - ONES) & ~w) | w) & HIGHS) == 0;
}

/*
 * Decode one well-formed sequence at p[0..avail). Returns its length 1..4 and sets *cp, or 0 if
 * the bytes there are not a valid sequence (including a truncated one and NUL).
 */
static size_t decode_seq(const unsigned char *p, size_t avail, uint32_t *cp)
{
    UTF8_ASSERT(avail > 0);
    unsigned b0 = p[0];
    if (b0 < 0x80) {
        *cp = b0;
        return b0 == 0 ? 0 : 1;
    }
    size_t n;
    uint32_t v;
    unsigned lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 2;
        v = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3;
        v = b0 & 0x0Fu;
        lo = b0 == 0xE0 ? 0xA0 : lo;
        hi = b0 == 0xED ? 0x9F : hi;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4;
        v = b0 & 0x07u;
        lo = b0 == 0xF0 ? 0x90 : lo;
        hi = b0 == 0xF4 ? 0x8F : hi;
    } else {
        return 0; /* 80..C1 and F5..FF never start a sequence */
    }
    if (avail < n || p[1] < lo || p[1] > hi)
        return 0;
    v = v << 6 | (p[1] & 0x3Fu);
    for (size_t k = 2; k < n; k++) {
        if ((p[k] & 0xC0u) != 0x80u)
            return 0;
        v = v << 6 | (p[k] & 0x3Fu);
    }
    UTF8_ASSERT(v >= 0x80 && v <= UTF8_CP_MAX && (v < 0xD800 || v > 0xDFFF));
    *cp = v;
    return n;
}

size_t utf8_valid_prefix(const char *s, size_t len)
{
    UTF8_ASSERT(s != NULL || len == 0);
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        uint64_t w;
        while (len - i >= sizeof w) {
            memcpy(&w, p + i, sizeof w);
            if (!word_is_ascii_no_nul(w))
                break;
            i += sizeof w;
        }
        if (i == len)
            break;
        uint32_t cp;
        size_t n = decode_seq(p + i, len - i, &cp);
        if (n == 0)
            return i;
        i += n;
    }
    UTF8_ASSERT(i == len);
    return len;
}

bool utf8_valid(const char *s, size_t len)
{
    return utf8_valid_prefix(s, len) == len;
}

size_t utf8_count(const char *s, size_t len)
{
    UTF8_ASSERT(s != NULL || len == 0);
    const unsigned char *p = (const unsigned char *)s;
    size_t continuation = 0;
    size_t i = 0;
    /* A continuation byte is 10xxxxxx: top bit set and the next bit clear. Shifting ~w left by
     * one moves each byte's bit 6 to its bit 7 (bit 7 spills into the next byte's bit 0, which
     * the mask drops). */
    for (; len - i >= sizeof(uint64_t); i += sizeof(uint64_t)) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        continuation += (size_t)__builtin_popcountll(w & (~w << 1) & HIGHS);
    }
    for (; i < len; i++)
        continuation += (p[i] & 0xC0u) == 0x80u;
    UTF8_ASSERT(continuation <= len);
    return len - continuation;
}

bool utf8_decode_next(const char *s, size_t len, size_t *pos, uint32_t *cp)
{
    UTF8_ASSERT(pos != NULL && cp != NULL && *pos <= len);
    UTF8_ASSERT(s != NULL || len == 0);
    if (*pos == len)
        return false;
    uint32_t v;
    size_t n = decode_seq((const unsigned char *)s + *pos, len - *pos, &v);
    if (n == 0)
        return false;
    *cp = v;
    *pos += n;
    return true;
}

size_t utf8_encode(uint32_t cp, char *buf, size_t cap)
{
    UTF8_ASSERT(buf != NULL || cap == 0);
    if (cp == 0 || cp > UTF8_CP_MAX || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (cap < n)
        return 0;
    unsigned char *out = (unsigned char *)buf;
    if (n == 1) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    /* Continuation bytes carry six bits each from the bottom up; the lead byte, n one-bits and
     * a zero, carries what is left: 5, 4 or 3 bits. */
    static const unsigned char lead[UTF8_SEQ_MAX + 1] = {0, 0, 0xC0, 0xE0, 0xF0};
    for (size_t k = n - 1; k > 0; k--) {
        out[k] = (unsigned char)(0x80u | (cp & 0x3Fu));
        cp >>= 6;
    }
    out[0] = (unsigned char)(lead[n] | cp);
    return n;
}
