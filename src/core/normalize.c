/*
 * normalize.c: the normalisation rule of normalize.h, table-driven, with fast paths for what
 * most checked text is made of.
 *
 * Most of it is Chinese: three-byte characters of U+4E00..U+9FFF (lead bytes E4..E9) with a
 * punctuation mark every ten to twenty characters and the odd number or Latin word. cjk5 takes
 * CJK sixteen bytes at a time with SSE2 (five characters a step, no step waiting on the load of
 * the one before); ASCII runs through a 128-byte table in a loop of their own, with no branch on
 * the result; two-byte characters whose lead byte proves them kept (run_len) are copied, and
 * three-byte ones with any second byte (CJK, Chinese punctuation) are decoded inline and looked
 * up in action_above() without leaving the loop. The rest (Latin-1, Greek, Cyrillic, E0 and ED
 * leads, four-byte characters, the last three bytes of the text, anything invalid) is decoded
 * and looked up in action(): a 1,200-byte table for U+0080..U+052F, the full-width block by
 * arithmetic, bit masks for the common punctuation, and a short sorted list of dropped ranges.
 * The output never overtakes the input (n <= i), which is what lets the fast paths write whole
 * blocks ahead and overwrite the excess later.
 */
#include "core/normalize.h"

#include "base/check.h"
#include "base/utf8.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* What happens to one code point: KEEP its bytes, DROP it, or anything else: emit that byte. */
#define KEEP 0x00
#define DROP 0xFF

/*
 * ASCII: the byte each character becomes, DROP for controls, space and punctuation other than
 * # $ % & + @, lower case for A..Z. (NUL never gets here: it is invalid UTF-8.)
 */
#define D DROP
static const unsigned char ascii_out[128] = {
    D,   D,   D,   D,   D,   D,   D,   D,   D,   D,   D,   D,   D,   D,   D,   D,   /* 00 */
    D,   D,   D,   D,   D,   D,   D,   D,   D,   D,   D,   D,   D,   D,   D,   D,   /* 10 */
    D,   D,   D,   '#', '$', '%', '&', D,   D,   D,   D,   '+', D,   D,   D,   D,   /* 20 */
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', D,   D,   D,   D,   D,   D,   /* 30 */
    '@', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', /* 40 */
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', D,   D,   D,   D,   D,   /* 50 */
    D,   'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', /* 60 */
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', D,   D,   D,   D,   D,   /* 70 */
};
#undef D

/*
 * For a lead byte 80..FF: the length of the character it starts when that byte alone proves the
 * character is kept unchanged (its continuation bytes still have to be 80..BF); 0 when it has to
 * be decoded and looked up. 2: C5..CB (U+0140..U+02FF) and D2, D3, D5..DF (U+0480..U+04FF,
 * U+0540..U+07FF). 3: E4..EC (U+4000..U+CFFF: CJK, Yi, Hangul) and EE (private use). Not C2..C4,
 * CC..D1, D4 (the table: C4 holds ı), E0 and ED (their second byte has a narrower range), E1..E3
 * and EF (they hold dropped characters) or any four-byte lead. ASCII goes through ascii_out.
 */
static const unsigned char run_len[256] = {
    [0xC5] = 2, [0xC6] = 2, [0xC7] = 2, [0xC8] = 2, [0xC9] = 2, [0xCA] = 2, [0xCB] = 2, [0xD2] = 2,
    [0xD3] = 2, [0xD5] = 2, [0xD6] = 2, [0xD7] = 2, [0xD8] = 2, [0xD9] = 2, [0xDA] = 2, [0xDB] = 2,
    [0xDC] = 2, [0xDD] = 2, [0xDE] = 2, [0xDF] = 2, [0xE4] = 3, [0xE5] = 3, [0xE6] = 3, [0xE7] = 3,
    [0xE8] = 3, [0xE9] = 3, [0xEA] = 3, [0xEB] = 3, [0xEC] = 3, [0xEE] = 3,
};

/*
 * U+0080..U+052F: DROP, KEEP or the ASCII letter a look-alike becomes (normalize.h has the same
 * table in words). C1 controls and combining diacritics are ranges, handled in action().
 */
#define TAB_LO 0x0080u
#define TAB_HI 0x0530u /* exclusive */
#define AT(cp) [(cp)-TAB_LO]
static const unsigned char tab_0080[TAB_HI - TAB_LO] = {
    /* Latin-1: spaces and punctuation */
    AT(0xA0) = DROP,
    AT(0xA1) = DROP,
    AT(0xA6) = DROP,
    AT(0xAB) = DROP,
    AT(0xAD) = DROP,
    AT(0xB7) = DROP,
    AT(0xBB) = DROP,
    AT(0xBF) = DROP,
    /* Latin-1 letters with diacritics (Æ Ð × Þ ß æ ð ÷ þ are kept) */
    AT(0xC0) = 'a',
    AT(0xC1) = 'a',
    AT(0xC2) = 'a',
    AT(0xC3) = 'a',
    AT(0xC4) = 'a',
    AT(0xC5) = 'a',
    AT(0xC7) = 'c',
    AT(0xC8) = 'e',
    AT(0xC9) = 'e',
    AT(0xCA) = 'e',
    AT(0xCB) = 'e',
    AT(0xCC) = 'i',
    AT(0xCD) = 'i',
    AT(0xCE) = 'i',
    AT(0xCF) = 'i',
    AT(0xD1) = 'n',
    AT(0xD2) = 'o',
    AT(0xD3) = 'o',
    AT(0xD4) = 'o',
    AT(0xD5) = 'o',
    AT(0xD6) = 'o',
    AT(0xD8) = 'o',
    AT(0xD9) = 'u',
    AT(0xDA) = 'u',
    AT(0xDB) = 'u',
    AT(0xDC) = 'u',
    AT(0xDD) = 'y',
    AT(0xE0) = 'a',
    AT(0xE1) = 'a',
    AT(0xE2) = 'a',
    AT(0xE3) = 'a',
    AT(0xE4) = 'a',
    AT(0xE5) = 'a',
    AT(0xE7) = 'c',
    AT(0xE8) = 'e',
    AT(0xE9) = 'e',
    AT(0xEA) = 'e',
    AT(0xEB) = 'e',
    AT(0xEC) = 'i',
    AT(0xED) = 'i',
    AT(0xEE) = 'i',
    AT(0xEF) = 'i',
    AT(0xF1) = 'n',
    AT(0xF2) = 'o',
    AT(0xF3) = 'o',
    AT(0xF4) = 'o',
    AT(0xF5) = 'o',
    AT(0xF6) = 'o',
    AT(0xF8) = 'o',
    AT(0xF9) = 'u',
    AT(0xFA) = 'u',
    AT(0xFB) = 'u',
    AT(0xFC) = 'u',
    AT(0xFD) = 'y',
    AT(0xFF) = 'y',
    AT(0x131) = 'i', /* dotless ı */
    /* Greek capitals that are Latin capitals, and the lower-case look-alikes */
    AT(0x391) = 'a',
    AT(0x392) = 'b',
    AT(0x395) = 'e',
    AT(0x396) = 'z',
    AT(0x397) = 'h',
    AT(0x399) = 'i',
    AT(0x39A) = 'k',
    AT(0x39C) = 'm',
    AT(0x39D) = 'n',
    AT(0x39F) = 'o',
    AT(0x3A1) = 'p',
    AT(0x3A4) = 't',
    AT(0x3A5) = 'y',
    AT(0x3A7) = 'x',
    AT(0x3B1) = 'a',
    AT(0x3B5) = 'e',
    AT(0x3B9) = 'i',
    AT(0x3BA) = 'k',
    AT(0x3BD) = 'v',
    AT(0x3BF) = 'o',
    AT(0x3C1) = 'p',
    AT(0x3C5) = 'u',
    AT(0x3C7) = 'x',
    AT(0x3F2) = 'c',
    AT(0x3F3) = 'j',
    /* Cyrillic */
    AT(0x401) = 'e',
    AT(0x405) = 's',
    AT(0x406) = 'i',
    AT(0x408) = 'j',
    AT(0x410) = 'a',
    AT(0x412) = 'b',
    AT(0x415) = 'e',
    AT(0x41A) = 'k',
    AT(0x41C) = 'm',
    AT(0x41D) = 'h',
    AT(0x41E) = 'o',
    AT(0x420) = 'p',
    AT(0x421) = 'c',
    AT(0x422) = 't',
    AT(0x423) = 'y',
    AT(0x425) = 'x',
    AT(0x430) = 'a',
    AT(0x432) = 'b',
    AT(0x435) = 'e',
    AT(0x43A) = 'k',
    AT(0x43C) = 'm',
    AT(0x43D) = 'h',
    AT(0x43E) = 'o',
    AT(0x440) = 'p',
    AT(0x441) = 'c',
    AT(0x442) = 't',
    AT(0x443) = 'y',
    AT(0x445) = 'x',
    AT(0x451) = 'e',
    AT(0x455) = 's',
    AT(0x456) = 'i',
    AT(0x458) = 'j',
    AT(0x501) = 'd',
    AT(0x51B) = 'q',
    AT(0x51D) = 'w',
};
#undef AT

/* Code points from U+0530 up that are dropped, as sorted, disjoint, inclusive ranges. */
static const struct {
    uint32_t lo, hi;
} drop_ranges[] = {
    {0x115F, 0x1160},   /* Hangul choseong and jungseong fillers */
    {0x1680, 0x1680},   /* ogham space */
    {0x17B4, 0x17B5},   /* Khmer inherent vowels (invisible) */
    {0x180B, 0x180F},   /* Mongolian variation selectors and vowel separator */
    {0x2000, 0x202F},   /* spaces, zero width, dashes, quotes, bullets, …, bidi embeddings */
    {0x2032, 0x206F},   /* primes, ※, other punctuation, word joiner, bidi isolates */
    {0x3000, 0x3003},   /* ideographic space, 、。〃 */
    {0x3008, 0x3011},   /* 〈〉《》「」『』【】 */
    {0x3014, 0x301F},   /* 〔〕〖〗〘〙〚〛〜〝〞〟 */
    {0x30FB, 0x30FB},   /* katakana middle dot ・ */
    {0x3164, 0x3164},   /* Hangul filler */
    {0xFE00, 0xFE19},   /* variation selectors, vertical punctuation forms */
    {0xFE30, 0xFE57},   /* CJK compatibility forms, small punctuation forms */
    {0xFEFF, 0xFEFF},   /* zero width no-break space (BOM) */
    {0xFF5F, 0xFF65},   /* half-width brackets and CJK punctuation ｡｢｣､･ */
    {0xFFA0, 0xFFA0},   /* half-width Hangul filler */
    {0xFFF9, 0xFFFB},   /* interlinear annotation controls */
    {0x1BCA0, 0x1BCA3}, /* shorthand format controls */
    {0xE0000, 0xE007F}, /* tags */
    {0xE0100, 0xE01EF}, /* variation selectors supplement */
};

static bool in_drop_ranges(uint32_t cp)
{
    size_t lo = 0, hi = ARRAY_LEN(drop_ranges);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp > drop_ranges[mid].hi)
            lo = mid + 1;
        else if (cp < drop_ranges[mid].lo)
            hi = mid;
        else
            return true;
    }
    return false;
}

/* U+3000..U+301F that are dropped: 3000..3003, 3008..3011, 3014..301F (not 〄 々 〆 〇 〒 〓). */
#define CJK_PUNCT_DROP 0xFFF3FF0Fu

/* action() for cp >= TAB_HI: shortcuts for the punctuation of Chinese text (the same answers as
 * drop_ranges), the full-width block, then the list. Small enough to inline in the fast path. */
static inline unsigned action_above(uint32_t cp)
{
    if (cp - 0x3000u < 0x20u)
        return (CJK_PUNCT_DROP >> (cp - 0x3000u)) & 1u ? DROP : KEEP;
    if (cp - 0xFF01u < 0x5Eu)
        return ascii_out[cp - 0xFEE0u]; /* full-width ASCII: U+FF01 is '!' (0x21) */
    if (cp - 0x2000u < 0x70u)
        return cp == 0x2030 || cp == 0x2031 ? KEEP : DROP; /* all but ‰ ‱ */
    return in_drop_ranges(cp) ? DROP : KEEP;
}

/* KEEP, DROP or the ASCII byte that code point cp (valid, not NUL) becomes. */
static unsigned action(uint32_t cp)
{
    if (cp < 0x80)
        return ascii_out[cp];
    if (cp < 0xA0 || (cp >= 0x300 && cp < 0x370))
        return DROP; /* C1 controls, combining diacritics */
    if (cp < TAB_HI)
        return tab_0080[cp - TAB_LO];
    return action_above(cp);
}

static bool is_cont(unsigned char b)
{
    return (b & 0xC0u) == 0x80u;
}

/* offs[0..4) = at, at+1, at+2, at+3. */
static void put_offs4(uint32_t *offs, size_t at)
{
#if defined(__SSE2__)
    __m128i v = _mm_add_epi32(_mm_set1_epi32((int)(uint32_t)at), _mm_setr_epi32(0, 1, 2, 3));
    _mm_storeu_si128((__m128i *)(void *)offs, v);
#else
    for (uint32_t k = 0; k < 4; k++)
        offs[k] = (uint32_t)at + k;
#endif
}

#if defined(__SSE2__)
/* Bits of a 16-byte block: the leads and the continuation bytes of five three-byte characters;
 * bit 15 stops the count at five. */
#define LEAD5 0x1249u /* bytes 0, 3, 6, 9, 12 */
#define CONT5 0x6DB6u /* bytes 1, 2, 4, 5, 7, 8, 10, 11, 13, 14 */
#define STOP5 0x8000u

/*
 * Chinese text, fifteen bytes a step: how many of the (up to five) three-byte characters at the
 * start of s[0..16) have leads E4..EC (U+4000..U+CFFF, all kept) and continuation bytes 80..BF.
 * Those are copied to o with offsets at, at+1, ...; the block is always written whole (16 bytes,
 * 16 offsets: the caller has room) and what lies past the good characters is overwritten later.
 * No step depends on a load of the one before, so the processor runs several at once.
 */
static unsigned cjk5(const unsigned char *s, unsigned char *o, uint32_t *offs, size_t at)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
    _mm_storeu_si128((__m128i *)(void *)o, v);
    put_offs4(offs, at);
    put_offs4(offs + 4, at + 4);
    put_offs4(offs + 8, at + 8);
    put_offs4(offs + 12, at + 12);
    __m128i cont =
        _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xC0)), _mm_set1_epi8((char)0x80));
    /* lead - E4 <= 8 as unsigned bytes: min(d, 8) == d */
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8((char)0xE4));
    __m128i lead = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(8)), d);
    unsigned mc = (unsigned)_mm_movemask_epi8(cont), ml = (unsigned)_mm_movemask_epi8(lead);
    unsigned bad = (~mc & CONT5) | (~ml & LEAD5) | STOP5;
    /* The first bad byte is in character ctz / 3; all before it are good. */
    return (unsigned)__builtin_ctz(bad) / 3;
}
#endif

/*
 * The fast path, while at least four bytes are left: blocks of CJK (cjk5), ASCII through
 * ascii_out without a branch on the outcome, the two-byte characters run_len proves kept, and
 * three-byte characters with leads E1..EC, EE, EF (CJK, and the punctuation of Chinese text)
 * through run_len or action(). Stops at any other character. Multi-byte characters are copied four
 * bytes and four offsets at a time, the extra ones overwritten by what comes next: with four bytes
 * left, n + 4 <= i + 4 <= len <= cap, so every write stays inside the buffers (and likewise n + 16
 * for cjk5).
 */
static void fast_run(const unsigned char *s, size_t len, size_t *i_io, unsigned char *o,
                     uint32_t *offs, size_t *n_io)
{
    size_t i = *i_io, n = *n_io;
    while (len - i >= UTF8_SEQ_MAX) {
#if defined(__SSE2__)
        /* Only at a CJK lead: cjk5 costs a block's stores, which ASCII should not pay per byte. */
        if (len - i >= 16 && s[i] - 0xE4u <= 8u) {
            unsigned m = cjk5(s + i, o + n, offs + n, i);
            if (m == 5) {
                /* A predicted branch with a constant step, not i += 3 * m: the next load need
                 * not wait for this block's check. */
                i += 15;
                n += 15;
                continue;
            }
            /* m < 5 consumed at most 12 of 16 bytes: four are left for what follows */
            i += 3 * m;
            n += 3 * m;
        }
#endif
        unsigned b = s[i];
        if (b < 0x80) {
            /* A run of ASCII in its own loop, so that its branches predict well. */
            while (b != 0) {
                unsigned a = ascii_out[b];
                o[n] = (unsigned char)a;
                offs[n] = (uint32_t)i;
                n += a != DROP;
                i++;
                if (len - i < UTF8_SEQ_MAX || (b = s[i]) >= 0x80)
                    break;
            }
            if (b == 0)
                break; /* NUL: the slow path reports it */
            continue;
        }
        unsigned k = run_len[b];
        if (k == 2 && is_cont(s[i + 1])) {
            memcpy(o + n, s + i, 4);
            put_offs4(offs + n, i);
            i += 2;
            n += 2;
            continue;
        }
        /* Three bytes with any second byte 80..BF: CJK at the end of a block, and the
         * punctuation of Chinese text (E2, E3, EF), looked up without leaving the loop. */
        if (b < 0xE1 || b > 0xEF || b == 0xED || !is_cont(s[i + 1]) || !is_cont(s[i + 2]))
            break;
        unsigned act = KEEP;
        if (k == 0)
            act = action_above((b & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu));
        memcpy(o + n, s + i, 4);
        put_offs4(offs + n, i);
        if (act != KEEP)
            o[n] = (unsigned char)act; /* a DROP byte here is past n and overwritten later */
        i += 3;
        n += act == KEEP ? 3 : act != DROP;
    }
    *i_io = i;
    *n_io = n;
}

/*
 * Decode the character at s[*i] (not a fast-path one, or one of the last three bytes): three-byte
 * sequences whose second byte may be anything in 80..BF (leads E1..EC, EE, EF: most punctuation)
 * inline, the rest by utf8_decode_next. Returns false at invalid UTF-8, *i untouched.
 */
static bool decode(const unsigned char *s, size_t len, size_t *i, uint32_t *cp)
{
    size_t at = *i;
    unsigned b = s[at];
    if (b >= 0xE1 && b <= 0xEF && b != 0xED && len - at >= 3 && is_cont(s[at + 1]) &&
        is_cont(s[at + 2])) {
        *cp = (b & 0x0Fu) << 12 | (s[at + 1] & 0x3Fu) << 6 | (s[at + 2] & 0x3Fu);
        *i = at + 3;
        return true;
    }
    return utf8_decode_next((const char *)s, len, i, cp);
}

const char *norm_rc_str(enum norm_rc rc)
{
    switch (rc) {
    case NORM_OK:
        return "ok";
    case NORM_E_UTF8:
        return "invalid utf-8";
    case NORM_E_TOO_LONG:
        return "text too long";
    case NORM_E_CAP:
        return "output buffer smaller than the text";
    }
    return "unknown normalisation error";
}

enum norm_rc norm_text(const char *src, size_t len, char *out, uint32_t *offs, size_t cap,
                       size_t *out_len, size_t *bad_at)
{
    ASSERT(src != NULL || len == 0);
    ASSERT(out != NULL && offs != NULL && out_len != NULL);
    if (len > NORM_TEXT_BYTES_MAX)
        return NORM_E_TOO_LONG;
    if (cap < len)
        return NORM_E_CAP;
    const unsigned char *s = (const unsigned char *)src;
    unsigned char *o = (unsigned char *)out;
    size_t i = 0, n = 0; /* bytes read, bytes written: n <= i always */
    while (i < len) {
        fast_run(s, len, &i, o, offs, &n);
        if (i == len)
            break;
        /* Anything else, and the last three bytes: decode, look up. */
        size_t at = i;
        uint32_t cp = 0;
        if (!decode(s, len, &i, &cp)) {
            if (bad_at != NULL)
                *bad_at = at;
            return NORM_E_UTF8;
        }
        unsigned act = action(cp);
        if (act == KEEP) {
            for (size_t k = at; k < i; k++, n++) {
                o[n] = s[k];
                offs[n] = (uint32_t)k;
            }
        } else if (act != DROP) {
            o[n] = (unsigned char)act;
            offs[n] = (uint32_t)at;
            n++;
        }
        ASSERT(n <= i);
    }
    *out_len = n;
    return NORM_OK;
}

void norm_span_to_original(const char *src, size_t len, const uint32_t *offs, size_t from,
                           size_t to, uint32_t *start, uint32_t *end)
{
    ASSERT(src != NULL && offs != NULL && start != NULL && end != NULL);
    ASSERT(from < to);
    const unsigned char *s = (const unsigned char *)src;
    size_t last = offs[to - 1];
    ASSERT(offs[from] <= last && last < len);
    /* Past the last byte of the character that holds byte `last`: skip continuation bytes. */
    size_t e = last + 1;
    while (e < len && is_cont(s[e]))
        e++;
    ASSERT(e - last <= UTF8_SEQ_MAX);
    *start = offs[from];
    *end = (uint32_t)e;
}
