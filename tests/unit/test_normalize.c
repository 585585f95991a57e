/*
 * test_normalize.c - unit tests of core/normalize: the evasions DESIGN §6 names, the offset map
 * and spans, invalid input, and every code point against a reference.
 *
 * The reference (ref_action, ref_norm) is written from the rule as normalize.h states it, the
 * look-alike letters as the characters themselves rather than code points, and decodes one
 * character at a time with no fast path: random texts, every code point alone and every code
 * point inside long runs of CJK (where the SIMD path takes over) must come out byte for byte and
 * offset for offset as it says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/utf8.h"
#include "core/normalize.h"

#define BUF_MAX 4096

/* ---- the reference -------------------------------------------------------------------------- */

#define REF_KEEP 0
#define REF_DROP (-1)

/* Look-alike letters, written as themselves (normalize.h, "the table"). */
static const struct {
    const char *chars;
    char to;
} ref_maps[] = {
    {"ÀÁÂÃÄÅàáâãäåΑαАа", 'a'},
    {"ΒВв", 'b'},
    {"ÇçϲСс", 'c'},
    {"ԁ", 'd'},
    {"ÈÉÊËèéêëΕεЕеЁё", 'e'},
    {"ΗНн", 'h'},
    {"ÌÍÎÏìíîïıΙιІі", 'i'},
    {"ϳЈј", 'j'},
    {"ΚκКк", 'k'},
    {"ΜМм", 'm'},
    {"ÑñΝ", 'n'},
    {"ÒÓÔÕÖØòóôõöøΟοОо", 'o'},
    {"ΡρРр", 'p'},
    {"ԛ", 'q'},
    {"Ѕѕ", 's'},
    {"ΤТт", 't'},
    {"ÙÚÛÜùúûüυ", 'u'},
    {"ν", 'v'},
    {"ԝ", 'w'},
    {"ΧχХх", 'x'},
    {"ÝýÿΥУу", 'y'},
    {"Ζ", 'z'},
};

/* Dropped code points above ASCII, inclusive ranges (normalize.h, "dropped"). */
static const uint32_t ref_drops[][2] = {
    {0x80, 0xA1},       {0xA6, 0xA6},       {0xAB, 0xAB},       {0xAD, 0xAD},     {0xB7, 0xB7},
    {0xBB, 0xBB},       {0xBF, 0xBF},       {0x300, 0x36F},     {0x115F, 0x1160}, {0x1680, 0x1680},
    {0x17B4, 0x17B5},   {0x180B, 0x180F},   {0x2000, 0x202F},   {0x2032, 0x206F}, {0x3000, 0x3003},
    {0x3008, 0x3011},   {0x3014, 0x301F},   {0x30FB, 0x30FB},   {0x3164, 0x3164}, {0xFE00, 0xFE19},
    {0xFE30, 0xFE57},   {0xFEFF, 0xFEFF},   {0xFF5F, 0xFF65},   {0xFFA0, 0xFFA0}, {0xFFF9, 0xFFFB},
    {0x1BCA0, 0x1BCA3}, {0xE0000, 0xE007F}, {0xE0100, 0xE01EF},
};

/* ref_maps as (code point, letter) pairs, decoded once. */
static struct {
    uint32_t cp;
    char to;
} ref_pairs[128];
static size_t n_ref_pairs;

static void ref_setup(void)
{
    if (n_ref_pairs > 0)
        return;
    for (size_t i = 0; i < sizeof ref_maps / sizeof ref_maps[0]; i++) {
        const char *s = ref_maps[i].chars;
        size_t pos = 0, len = strlen(s);
        uint32_t c = 0;
        while (utf8_decode_next(s, len, &pos, &c)) {
            assert_true(n_ref_pairs < sizeof ref_pairs / sizeof ref_pairs[0]);
            ref_pairs[n_ref_pairs].cp = c;
            ref_pairs[n_ref_pairs++].to = ref_maps[i].to;
        }
    }
}

/* REF_KEEP, REF_DROP or the ASCII byte code point cp becomes. */
static int ref_action(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        cp -= 0xFEE0; /* full-width ASCII */
    if (cp < 0x80) {
        if (cp >= 'A' && cp <= 'Z')
            return (int)cp - 'A' + 'a';
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
            (cp != 0 && strchr("#$%&+@", (int)cp)))
            return (int)cp;
        return REF_DROP;
    }
    ref_setup();
    for (size_t i = 0; i < n_ref_pairs; i++)
        if (ref_pairs[i].cp == cp)
            return ref_pairs[i].to;
    for (size_t i = 0; i < sizeof ref_drops / sizeof ref_drops[0]; i++)
        if (cp >= ref_drops[i][0] && cp <= ref_drops[i][1])
            return REF_DROP;
    return REF_KEEP;
}

/* Normalise valid text one character at a time by ref_action. Returns the output length. */
static size_t ref_norm(const char *s, size_t len, char *out, uint32_t *offs)
{
    size_t i = 0, n = 0;
    while (i < len) {
        size_t at = i;
        uint32_t cp = 0;
        assert_true(utf8_decode_next(s, len, &i, &cp));
        int a = ref_action(cp);
        if (a == REF_KEEP) {
            for (size_t k = at; k < i; k++, n++) {
                out[n] = s[k];
                offs[n] = (uint32_t)k;
            }
        } else if (a != REF_DROP) {
            out[n] = (char)a;
            offs[n++] = (uint32_t)at;
        }
    }
    return n;
}

/* ---- helpers -------------------------------------------------------------------------------- */

/* Normalise s[0..len) (must succeed) into out/offs; returns the length. */
static size_t norm_n(const char *s, size_t len, char *out, uint32_t *offs)
{
    size_t n = SIZE_MAX, bad = SIZE_MAX;
    assert_int_equal(norm_text(s, len, out, offs, len, &n, &bad), NORM_OK);
    assert_true(n <= len);
    assert_int_equal(bad, SIZE_MAX); /* untouched */
    return n;
}

/* Normalise s and compare with want (a NUL-terminated string). */
static void assert_norm(const char *s, const char *want)
{
    char out[BUF_MAX];
    uint32_t offs[BUF_MAX];
    size_t len = strlen(s);
    assert_true(len <= BUF_MAX);
    size_t n = norm_n(s, len, out, offs);
    out[n] = '\0';
    if (strcmp(out, want) != 0)
        fail_msg("normalise \"%s\": got \"%s\", want \"%s\"", s, out, want);
}

/* Normalise s[0..len) with norm_text and with the reference; both must agree exactly. */
static void assert_like_ref(const char *s, size_t len)
{
    static char out[BUF_MAX], ref[BUF_MAX];
    static uint32_t offs[BUF_MAX], ref_offs[BUF_MAX];
    assert_true(len <= BUF_MAX);
    size_t n = norm_n(s, len, out, offs);
    size_t rn = ref_norm(s, len, ref, ref_offs);
    if (n != rn || memcmp(out, ref, n) != 0) {
        for (size_t k = 0; k < len; k++)
            print_message("%02x ", (unsigned char)s[k]);
        fail_msg("length %zu, reference %zu", n, rn);
    }
    assert_memory_equal(out, ref, n);
    assert_memory_equal(offs, ref_offs, n * sizeof offs[0]);
}

/* splitmix64, for reproducible random texts */
static uint64_t rng = 42;
static uint32_t below(uint32_t n)
{
    uint64_t z = (rng += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    z ^= z >> 31;
    return (uint32_t)(((z >> 32) * n) >> 32);
}

/* ---- the evasions and the rule -------------------------------------------------------------- */

static void test_evasions_collapse(void **state)
{
    (void)state;
    static const char *const forms[] = {
        "保本",
        "保 本",
        "保\u200b本",       /* zero width space */
        "保\u200c\u200d本", /* zero width non-joiner, joiner */
        "保\u2060本",       /* word joiner */
        "保\ufeff本",       /* zero width no-break space */
        "保\u3000本",       /* ideographic space */
        "保\xc2\xa0本",     /* no-break space */
        "保\u00ad本",       /* soft hyphen */
        "保\ufe0f本",       /* variation selector 16 */
        "保\U000E0100本",   /* variation selector 17 */
        "保\u202e本",       /* right-to-left override */
        "保-本",            /* ASCII separators */
        "保_本",
        "保.本",
        "保*本",
        "保|本",
        "保/本",
        "保~本",
        "保·本",                /* middle dot */
        "保・本",               /* katakana middle dot */
        "保、本",               /* ideographic comma */
        "保，本",               /* full-width comma */
        "保。本",               /* ideographic full stop */
        "保－本",               /* full-width hyphen */
        "保\t\r\n本",           /* ASCII whitespace */
        " 保 \u200b\u3000 本 ", /* several, and at both ends */
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        assert_norm(forms[i], "保本");
}

static void test_full_width_and_case(void **state)
{
    (void)state;
    assert_norm("ＡＢＣ", "abc");
    assert_norm("ＶＩＰ", "vip");
    assert_norm("ｖｉｐ", "vip");
    assert_norm("VIP Vip vIp", "vipvipvip");
    assert_norm("１００％收益", "100%收益");
    assert_norm("＃＄％＆＋＠", "#$%&+@");
    assert_norm("！＂＇（）＊，－．／：；＜＝＞？［＼］＾＿｀｛｜｝～", "");
    assert_norm("a+b=c", "a+bc");
    assert_norm("3.25%", "325%");
    assert_norm("Hello, World! 2026", "helloworld2026");
}

static void test_look_alikes(void **state)
{
    (void)state;
    assert_norm("v\u0456p", "vip");                  /* Cyrillic і */
    assert_norm("V\u0399P", "vip");                  /* Greek capital iota */
    assert_norm("\u0432\u0456\u0440", "bip");        /* в і р: Cyrillic all through */
    assert_norm("c\u043e\u0440y", "copy");           /* Cyrillic о р */
    assert_norm("\u0410\u0412\u0421", "abc");        /* Cyrillic capitals А В С */
    assert_norm("\u03bf\u03b1\u03b5\u03c1", "oaep"); /* Greek ο α ε ρ */
    assert_norm("Crème Brûlée", "cremebrulee");
    assert_norm("e\u0301", "e");      /* e + combining acute */
    assert_norm("ı", "i");            /* dotless i */
    assert_norm("ß×Þæ", "ß×Þæ");      /* no Latin look-alike: kept */
    assert_norm("Ωπλ", "Ωπλ");        /* Greek letters not in the table are kept */
    assert_norm("加v\u0445", "加vx"); /* Cyrillic х inside a Latin term */
}

static void test_kept(void **state)
{
    (void)state;
    assert_norm("财富号", "财富号");
    assert_norm("ひらがなカタカナ한국어", "ひらがなカタカナ한국어");
    assert_norm("々〇", "々〇");     /* in the CJK punctuation block, but letters */
    assert_norm("5‰", "5‰");         /* per mille is kept, unlike other punctuation */
    assert_norm("😀👍", "😀👍");         /* emoji */
    assert_norm("𠀀𪚥", "𠀀𪚥");     /* CJK extension B, four bytes */
    assert_norm("\ue000", "\ue000"); /* private use */
    assert_norm("", "");
}

static void test_offsets(void **state)
{
    (void)state;
    /* a(0) 保(1..3) U+200B(4..6) Ｂ(7..9) 本(10..12) */
    const char *s = "a保\u200bＢ本";
    char out[32];
    uint32_t offs[32];
    size_t n = norm_n(s, strlen(s), out, offs);
    assert_int_equal(n, 8);
    assert_memory_equal(out, "a保b本", 8);
    static const uint32_t want[] = {0, 1, 2, 3, 7, 10, 11, 12};
    assert_memory_equal(offs, want, sizeof want);

    uint32_t start = 99, end = 99;
    norm_span_to_original(s, strlen(s), offs, 1, 8, &start, &end); /* 保b本 */
    assert_int_equal(start, 1);
    assert_int_equal(end, 13);
    norm_span_to_original(s, strlen(s), offs, 4, 5, &start, &end); /* b, from Ｂ */
    assert_int_equal(start, 7);
    assert_int_equal(end, 10);
    norm_span_to_original(s, strlen(s), offs, 0, 1, &start, &end); /* a */
    assert_int_equal(start, 0);
    assert_int_equal(end, 1);
}

static void test_span_excludes_outer_drops(void **state)
{
    (void)state;
    /* "  保 本  ": the span of 保本 starts at 保 and ends after 本, not at the spaces. */
    const char *s = "  保 本  ";
    char out[32];
    uint32_t offs[32];
    size_t n = norm_n(s, strlen(s), out, offs);
    assert_int_equal(n, 6);
    uint32_t start = 0, end = 0;
    norm_span_to_original(s, strlen(s), offs, 0, 6, &start, &end);
    assert_int_equal(start, 2);
    assert_int_equal(end, 9);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t len, bad_at;
    } cases[] = {
        {"\xff", 1, 0},
        {"ab\x80", 3, 2},                             /* stray continuation byte */
        {"保本\xe4\xbf", 8, 6},                       /* truncated at the end */
        {"\xc0\x80", 2, 0},                           /* overlong NUL */
        {"a\xed\xa0\x80", 4, 1},                      /* surrogate */
        {"a\0b", 3, 1},                               /* NUL */
        {"\xf4\x90\x80\x80", 4, 0},                   /* above U+10FFFF */
        {"保本基金\xe4\x41\x42\x43\x44\x45", 18, 12}, /* lead, then ASCII, in the fast path */
        {"一二三四五六七八九十\xe4\xb8", 32, 30},     /* truncated after a SIMD block */
        {"一二三\xe4\xb8\x41四五六七八九十", 33, 9},  /* bad inside a SIMD block */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        uint32_t offs[64];
        size_t n = 12345, bad = 0;
        assert_int_equal(utf8_valid_prefix(cases[i].s, cases[i].len), cases[i].bad_at);
        assert_int_equal(norm_text(cases[i].s, cases[i].len, out, offs, sizeof out, &n, &bad),
                         NORM_E_UTF8);
        assert_int_equal(bad, cases[i].bad_at);
        assert_int_equal(n, 12345); /* untouched */
        assert_int_equal(norm_text(cases[i].s, cases[i].len, out, offs, sizeof out, &n, NULL),
                         NORM_E_UTF8);
    }
}

static void test_capacity(void **state)
{
    (void)state;
    char out[8];
    uint32_t offs[8];
    size_t n = 77;
    assert_int_equal(norm_text("abcdefghi", 9, out, offs, 8, &n, NULL), NORM_E_CAP);
    assert_int_equal(n, 77);
    assert_int_equal(norm_text("abcdefgh", 8, out, offs, 8, &n, NULL), NORM_OK);
    assert_int_equal(n, 8);
    assert_int_equal(norm_text(NULL, 0, out, offs, 0, &n, NULL), NORM_OK);
    assert_int_equal(n, 0);
    assert_string_equal(norm_rc_str(NORM_E_UTF8), "invalid utf-8");
    assert_string_equal(norm_rc_str(NORM_OK), "ok");
}

/* ---- against the reference ------------------------------------------------------------------ */

/* Every code point, alone and in the middle of CJK runs long enough for the SIMD path. */
static void test_every_code_point(void **state)
{
    (void)state;
    const char *pre = "一二三四五六七", *post = "八九十百千万亿兆京垓";
    size_t pl = strlen(pre), ql = strlen(post);
    char s[64];
    for (uint32_t cp = 1; cp <= UTF8_CP_MAX; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        size_t n = utf8_encode(cp, s, sizeof s);
        assert_true(n > 0);
        assert_like_ref(s, n);
        memmove(s + pl, s, n);
        memcpy(s, pre, pl);
        memcpy(s + pl + n, post, ql);
        assert_like_ref(s, pl + n + ql);
    }
}

/* Pieces of text that random texts are made of: runs of CJK, ASCII, punctuation, invisibles. */
static const char *const pieces[] = {
    "保本",   "稳赚",       "基金",   "收益",     "一二三四五六七八九十",
    "财富号", "ETF",        "vip",    "VIP",      "3.25%",
    " ",      "  ",         "\t",     "\n",       ",",
    ".",      "-",          "_",      "，",       "。",
    "、",     "“",          "”",      "…",        "—",
    "\u3000", "\u200b",     "\u200d", "\ufeff",   "\u00ad",
    "\ufe0f", "\U000E0100", "ＡＢＣ", "１００％", "Ｖ",
    "\u0456", "\u043e",     "\u0399", "é",        "e\u0301",
    "😀",      "𠀀",         "한국",   "カナ",     "ß",
    "ı",      "#",          "@",      "\xc2\x85", "‰",
    "《",     "》",         "【",     "】",       "々",
    "\ue000", "Ω",
};

static size_t random_text(char *s, size_t cap)
{
    size_t n = 0, count = below(60);
    for (size_t k = 0; k < count; k++) {
        const char *p = pieces[below(sizeof pieces / sizeof pieces[0])];
        size_t pl = strlen(p);
        if (n + pl > cap)
            break;
        memcpy(s + n, p, pl);
        n += pl;
    }
    return n;
}

static void test_random_texts(void **state)
{
    (void)state;
    static char s[BUF_MAX], out[BUF_MAX], again[BUF_MAX];
    static uint32_t offs[BUF_MAX], offs2[BUF_MAX];
    for (int round = 0; round < 20000; round++) {
        size_t len = random_text(s, sizeof s);
        assert_like_ref(s, len);
        /* The output is shorter, its offsets increase, and it normalises to itself. */
        size_t n = norm_n(s, len, out, offs);
        for (size_t k = 1; k < n; k++)
            assert_true(offs[k - 1] < offs[k]);
        assert_true(n == 0 || offs[n - 1] < len);
        size_t n2 = norm_n(out, n, again, offs2);
        assert_int_equal(n2, n);
        assert_memory_equal(again, out, n);
    }
}

/* A random byte changed: either still valid and like the reference, or refused where
 * utf8_valid_prefix says. */
static void test_random_corruption(void **state)
{
    (void)state;
    static char s[BUF_MAX], out[BUF_MAX];
    static uint32_t offs[BUF_MAX];
    for (int round = 0; round < 20000; round++) {
        size_t len = random_text(s, sizeof s);
        if (len == 0)
            continue;
        s[below((uint32_t)len)] = (char)below(256);
        size_t n = 0, bad = 0;
        enum norm_rc rc = norm_text(s, len, out, offs, len, &n, &bad);
        if (utf8_valid(s, len)) {
            assert_int_equal(rc, NORM_OK);
            assert_like_ref(s, len);
        } else {
            assert_int_equal(rc, NORM_E_UTF8);
            assert_int_equal(bad, utf8_valid_prefix(s, len));
        }
    }
}

/* ---- contracts ------------------------------------------------------------------------------ */

/* Run fn in a child process and report whether it died of SIGABRT. */
static bool aborts(void (*fn)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Keep the expected assertion message out of the test log. */
        if (freopen("/dev/null", "w", stderr) == NULL)
            _exit(3);
        fn();
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void null_output(void)
{
    size_t n = 0;
    (void)norm_text("a", 1, NULL, NULL, 1, &n, NULL);
}

static void empty_span(void)
{
    uint32_t offs[1] = {0}, start = 0, end = 0;
    norm_span_to_original("a", 1, offs, 1, 1, &start, &end);
}

static void test_contract_violations_abort(void **state)
{
    (void)state;
    assert_true(aborts(null_output));
    assert_true(aborts(empty_span));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_evasions_collapse), cmocka_unit_test(test_full_width_and_case),
        cmocka_unit_test(test_look_alikes),       cmocka_unit_test(test_kept),
        cmocka_unit_test(test_offsets),           cmocka_unit_test(test_span_excludes_outer_drops),
        cmocka_unit_test(test_invalid_utf8),      cmocka_unit_test(test_capacity),
        cmocka_unit_test(test_every_code_point),  cmocka_unit_test(test_random_texts),
        cmocka_unit_test(test_random_corruption), cmocka_unit_test(test_contract_violations_abort),
    };
    return cmocka_run_group_tests_name("normalize", tests, NULL, NULL);
}
