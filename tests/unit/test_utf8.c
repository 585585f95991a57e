/*
 * test_utf8.c - unit tests of base/utf8: strict validation, counting, decoding and encoding.
 *
 * Besides hand-picked cases, every string of one to three bytes (and a large share of four-byte
 * ones) is checked against a reference written the other way round: decode by bit pattern first,
 * then reject by value (overlong, surrogate, above U+10FFFF, NUL).
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

#include "base/utf8.h"

/* Length of the sequence at p if valid, else 0; by value, independent of the byte table. */
static size_t ref_seq(const unsigned char *p, size_t avail)
{
    unsigned b = p[0];
    size_t n;
    uint32_t v, min;
    if (b == 0)
        return 0;
    if (b < 0x80)
        return 1;
    if ((b & 0xE0u) == 0xC0u) {
        n = 2, v = b & 0x1Fu, min = 0x80;
    } else if ((b & 0xF0u) == 0xE0u) {
        n = 3, v = b & 0x0Fu, min = 0x800;
    } else if ((b & 0xF8u) == 0xF0u) {
        n = 4, v = b & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (avail < n)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xC0u) != 0x80u)
            return 0;
        v = v << 6 | (p[k] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    return n;
}

static size_t ref_prefix(const unsigned char *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t n = ref_seq(p + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

static bool valid_bytes(const char *s, size_t len)
{
    bool ok = utf8_valid(s, len);
    assert_int_equal(ok, utf8_valid_prefix(s, len) == len);
    return ok;
}

static bool valid_str(const char *s)
{
    return valid_bytes(s, strlen(s));
}

static void test_valid_samples(void **state)
{
    (void)state;
    assert_true(utf8_valid(NULL, 0));
    assert_true(valid_str(""));
    assert_true(valid_str("hello"));
    assert_true(valid_str("财富号"));
    assert_true(valid_str("博时基金 Bosera 2026"));
    assert_true(valid_str("\xF0\x9F\x98\x80")); /* U+1F600 */
    assert_true(valid_str("\xEF\xBB\xBF"));     /* U+FEFF, a BOM, is an ordinary character */
    assert_true(valid_str("\xEF\xBF\xBE"));     /* U+FFFE, a noncharacter, is still valid */
    assert_true(valid_str("\xEF\xBC\xA1\xE3\x80\x80")); /* full-width A, ideographic space */
}

static void test_valid_boundaries(void **state)
{
    (void)state;
    /* The first and last code point of every row of the table. */
    static const struct {
        const char *first, *last;
    } rows[] = {
        {"\x01", "\x7F"},                         /* U+0001..U+007F */
        {"\xC2\x80", "\xDF\xBF"},                 /* U+0080..U+07FF */
        {"\xE0\xA0\x80", "\xE0\xBF\xBF"},         /* U+0800..U+0FFF */
        {"\xE1\x80\x80", "\xEC\xBF\xBF"},         /* U+1000..U+CFFF */
        {"\xED\x80\x80", "\xED\x9F\xBF"},         /* U+D000..U+D7FF */
        {"\xEE\x80\x80", "\xEF\xBF\xBF"},         /* U+E000..U+FFFF */
        {"\xF0\x90\x80\x80", "\xF0\xBF\xBF\xBF"}, /* U+10000..U+3FFFF */
        {"\xF1\x80\x80\x80", "\xF3\xBF\xBF\xBF"}, /* U+40000..U+FFFFF */
        {"\xF4\x80\x80\x80", "\xF4\x8F\xBF\xBF"}, /* U+100000..U+10FFFF */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_true(valid_str(rows[i].first));
        assert_true(valid_str(rows[i].last));
    }
}

static void test_invalid_samples(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t len;
        size_t prefix; /* offset of the first bad byte */
    } bad[] = {
        {"\0", 1, 0},                       /* NUL */
        {"a\0b", 3, 1},                     /* embedded NUL */
        {"\x80", 1, 0},                     /* stray continuation */
        {"a\xBF", 2, 1},                    /* stray continuation */
        {"\xC0\x80", 2, 0},                 /* overlong NUL */
        {"\xC1\xBF", 2, 0},                 /* overlong U+007F */
        {"\xE0\x80\x80", 3, 0},             /* overlong NUL */
        {"\xE0\x9F\xBF", 3, 0},             /* overlong U+07FF */
        {"\xF0\x80\x80\x80", 4, 0},         /* overlong NUL */
        {"\xF0\x8F\xBF\xBF", 4, 0},         /* overlong U+FFFF */
        {"\xED\xA0\x80", 3, 0},             /* U+D800, high surrogate */
        {"\xED\xBF\xBF", 3, 0},             /* U+DFFF, low surrogate */
        {"\xED\xA0\xBD\xED\xB8\x80", 6, 0}, /* CESU-8 surrogate pair */
        {"\xF4\x90\x80\x80", 4, 0},         /* U+110000 */
        {"\xF5\x80\x80\x80", 4, 0},         /* lead F5 */
        {"\xF7\xBF\xBF\xBF", 4, 0},         /* U+1FFFFF */
        {"\xF8\x88\x80\x80\x80", 5, 0},     /* old five-byte form */
        {"\xFE", 1, 0},
        {"\xFF", 1, 0},
        {"\xC2", 1, 0},                 /* truncated at the end */
        {"ab\xE4\xB8", 4, 2},           /* truncated at the end */
        {"\xF0\x9F\x98", 3, 0},         /* truncated at the end */
        {"\xE4\xB8\x41", 3, 0},         /* truncated by ASCII "A" */
        {"\xC2\x41", 2, 0},             /* truncated by ASCII "A" */
        {"\xF0\x9F\x41\x80", 4, 0},     /* truncated by ASCII "A" */
        {"\xE8\xB4\xA2\xE5\xAF", 5, 3}, /* 财 then half of 富 */
        {"\xC2\xC2\x80", 3, 0},         /* lead where a continuation belongs */
        {"\xE8\xB4\xA2\xC0\x80", 5, 3},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(valid_bytes(bad[i].s, bad[i].len));
        assert_int_equal(utf8_valid_prefix(bad[i].s, bad[i].len), bad[i].prefix);
    }
}

/* All strings of one, two and three bytes agree with the reference. */
static void test_exhaustive_short(void **state)
{
    (void)state;
    unsigned char b[3];
    for (unsigned x = 0; x < 256; x++) {
        b[0] = (unsigned char)x;
        assert_int_equal(utf8_valid_prefix((const char *)b, 1), ref_prefix(b, 1));
        for (unsigned y = 0; y < 256; y++) {
            b[1] = (unsigned char)y;
            assert_int_equal(utf8_valid_prefix((const char *)b, 2), ref_prefix(b, 2));
            for (unsigned z = 0; z < 256; z++) {
                b[2] = (unsigned char)z;
                size_t got = utf8_valid_prefix((const char *)b, 3);
                if (got != ref_prefix(b, 3))
                    fail_msg("%02x %02x %02x: got %zu", x, y, z, got);
            }
        }
    }
}

/* Four-byte strings: every first and second byte, with interesting third and fourth bytes. */
static void test_exhaustive_four(void **state)
{
    (void)state;
    static const unsigned char tail[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90,
                                         0x9F, 0xA0, 0xBF, 0xC0, 0xF4, 0xFF};
    size_t nt = sizeof tail;
    unsigned char b[4];
    for (unsigned x = 0; x < 256; x++) {
        for (unsigned y = 0; y < 256; y++) {
            for (size_t i = 0; i < nt * nt; i++) {
                b[0] = (unsigned char)x;
                b[1] = (unsigned char)y;
                b[2] = tail[i / nt];
                b[3] = tail[i % nt];
                size_t got = utf8_valid_prefix((const char *)b, 4);
                if (got != ref_prefix(b, 4))
                    fail_msg("%02x %02x %02x %02x: got %zu", b[0], b[1], b[2], b[3], got);
            }
        }
    }
}

/* The word-at-a-time path: a bad byte at every position of strings of many lengths. */
static void test_ascii_fast_path(void **state)
{
    (void)state;
    char buf[80];
    static const unsigned char bad[] = {0x00, 0x80, 0xBF, 0xC2, 0xE4, 0xF0, 0xFF};
    for (size_t len = 0; len <= 72; len++) {
        memset(buf, 'a', sizeof buf);
        assert_true(valid_bytes(buf, len));
        assert_int_equal(utf8_count(buf, len), len);
        for (size_t pos = 0; pos < len; pos++) {
            for (size_t k = 0; k < sizeof bad; k++) {
                memset(buf, 'a', sizeof buf);
                buf[pos] = (char)bad[k];
                assert_false(valid_bytes(buf, len));
                assert_int_equal(utf8_valid_prefix(buf, len), pos);
            }
            /* 7F and 01 are ASCII, and valid anywhere. */
            buf[pos] = 0x7F;
            assert_true(valid_bytes(buf, len));
            buf[pos] = 0x01;
            assert_true(valid_bytes(buf, len));
        }
    }
    /* Bytes of a word around a zero byte, where the borrow of (w - ONES) propagates. */
    const char tricky[16] = {'a', 'a', 'a', 0x01, 0x00, 0x01, 'a', 'a',
                             'a', 'a', 'a', 'a',  'a',  'a',  'a', 'a'};
    assert_int_equal(utf8_valid_prefix(tricky, sizeof tricky), 4);
    const char ones[16] = {0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
                           0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01};
    assert_true(valid_bytes(ones, sizeof ones));
}

/* A multi-byte character at every alignment relative to the 8-byte words. */
static void test_multibyte_alignment(void **state)
{
    (void)state;
    static const char *const chars[] = {"\xC2\xA9", "\xE8\xB4\xA2", "\xF0\x9F\x98\x80"};
    char buf[64];
    for (size_t c = 0; c < 3; c++) {
        size_t clen = strlen(chars[c]);
        for (size_t before = 0; before < 20; before++) {
            for (size_t after = 0; after < 12; after++) {
                memset(buf, 'x', sizeof buf);
                memcpy(buf + before, chars[c], clen);
                size_t len = before + clen + after;
                assert_true(valid_bytes(buf, len));
                assert_int_equal(utf8_count(buf, len), before + 1 + after);
                /* Cut short by one byte: invalid exactly where the character starts. */
                if (after == 0) {
                    assert_int_equal(utf8_valid_prefix(buf, len - 1), before);
                }
            }
        }
    }
}

static void test_count(void **state)
{
    (void)state;
    assert_int_equal(utf8_count(NULL, 0), 0);
    assert_int_equal(utf8_count("", 0), 0);
    assert_int_equal(utf8_count("abc", 3), 3);
    assert_int_equal(utf8_count("财富号", strlen("财富号")), 3);
    assert_int_equal(utf8_count("\xF0\x9F\x98\x80\x61", 5), 2); /* "😀a" */
    const char *mixed = "博时基金 Bosera：稳健理财 😀 2026年";
    size_t len = strlen(mixed);
    size_t pos = 0, n = 0;
    uint32_t cp;
    while (utf8_decode_next(mixed, len, &pos, &cp))
        n++;
    assert_int_equal(pos, len);
    assert_int_equal(utf8_count(mixed, len), n);
    assert_int_equal(n, 24); /* 4 + 1 + 6 + 1 + 4 + 1 + 1 + 1 + 4 + 1 */
    /* 100 Chinese characters are 300 bytes but 100 characters. */
    char buf[300];
    for (size_t i = 0; i < 100; i++)
        memcpy(buf + 3 * i, "\xE5\xAF\x8C", 3);
    assert_int_equal(utf8_count(buf, sizeof buf), 100);
    assert_true(valid_bytes(buf, sizeof buf));
}

static void test_decode_next(void **state)
{
    (void)state;
    const char *s = "a\xC2\xA9\xE8\xB4\xA2\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF";
    size_t len = strlen(s);
    static const uint32_t want[] = {0x61, 0xA9, 0x8D22, 0x1F600, 0x10FFFF};
    size_t pos = 0;
    uint32_t cp = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_true(utf8_decode_next(s, len, &pos, &cp));
        assert_int_equal(cp, want[i]);
    }
    assert_int_equal(pos, len);
    assert_false(utf8_decode_next(s, len, &pos, &cp));
    assert_int_equal(pos, len);

    /* An invalid sequence stops decoding in place. */
    const char *bad = "ab\xED\xA0\x80\x63"; /* "ab", U+D800, "c" */
    pos = 0;
    assert_true(utf8_decode_next(bad, 6, &pos, &cp));
    assert_true(utf8_decode_next(bad, 6, &pos, &cp));
    cp = 12345;
    assert_false(utf8_decode_next(bad, 6, &pos, &cp));
    assert_int_equal(pos, 2);
    assert_int_equal(cp, 12345);
    /* NUL is refused, like utf8_valid does. */
    pos = 0;
    assert_false(utf8_decode_next("\0", 1, &pos, &cp));
    assert_int_equal(pos, 0);
    /* Truncated: only len bytes are looked at. */
    pos = 0;
    assert_false(utf8_decode_next("\xE8\xB4\xA2", 2, &pos, &cp));
    assert_int_equal(pos, 0);
    pos = 0;
    assert_false(utf8_decode_next(NULL, 0, &pos, &cp));
}

static void test_encode(void **state)
{
    (void)state;
    char buf[UTF8_SEQ_MAX];
    assert_int_equal(utf8_encode(0x41, buf, sizeof buf), 1);
    assert_memory_equal(buf, "A", 1);
    assert_int_equal(utf8_encode(0x7F, buf, sizeof buf), 1);
    assert_int_equal(utf8_encode(0x80, buf, sizeof buf), 2);
    assert_memory_equal(buf, "\xC2\x80", 2);
    assert_int_equal(utf8_encode(0x7FF, buf, sizeof buf), 2);
    assert_memory_equal(buf, "\xDF\xBF", 2);
    assert_int_equal(utf8_encode(0x800, buf, sizeof buf), 3);
    assert_memory_equal(buf, "\xE0\xA0\x80", 3);
    assert_int_equal(utf8_encode(0x8D22, buf, sizeof buf), 3);
    assert_memory_equal(buf, "\xE8\xB4\xA2", 3);
    assert_int_equal(utf8_encode(0xFFFF, buf, sizeof buf), 3);
    assert_memory_equal(buf, "\xEF\xBF\xBF", 3);
    assert_int_equal(utf8_encode(0x10000, buf, sizeof buf), 4);
    assert_memory_equal(buf, "\xF0\x90\x80\x80", 4);
    assert_int_equal(utf8_encode(0x1F600, buf, sizeof buf), 4);
    assert_memory_equal(buf, "\xF0\x9F\x98\x80", 4);
    assert_int_equal(utf8_encode(0x10FFFF, buf, sizeof buf), 4);
    assert_memory_equal(buf, "\xF4\x8F\xBF\xBF", 4);

    memset(buf, 'z', sizeof buf);
    assert_int_equal(utf8_encode(0, buf, sizeof buf), 0);
    assert_int_equal(utf8_encode(0xD800, buf, sizeof buf), 0);
    assert_int_equal(utf8_encode(0xDFFF, buf, sizeof buf), 0);
    assert_int_equal(utf8_encode(0x110000, buf, sizeof buf), 0);
    assert_int_equal(utf8_encode(UINT32_MAX, buf, sizeof buf), 0);
    assert_int_equal(utf8_encode(0x8D22, buf, 2), 0);
    assert_int_equal(utf8_encode(0x41, NULL, 0), 0);
    assert_memory_equal(buf, "zzzz", 4);
}

/* Every scalar value encodes to a valid sequence that decodes back to it. */
static void test_encode_decode_all(void **state)
{
    (void)state;
    char buf[UTF8_SEQ_MAX];
    for (uint32_t cp = 1; cp <= UTF8_CP_MAX; cp++) {
        size_t n = utf8_encode(cp, buf, sizeof buf);
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            assert_int_equal(n, 0);
            continue;
        }
        size_t pos = 0;
        uint32_t back = 0;
        if (n == 0 || !utf8_valid(buf, n) || !utf8_decode_next(buf, n, &pos, &back) || back != cp ||
            pos != n || utf8_count(buf, n) != 1)
            fail_msg("U+%04X: n=%zu back=U+%04X", (unsigned)cp, n, (unsigned)back);
    }
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

static void valid_null_with_len(void)
{
    (void)utf8_valid(NULL, 3);
}

static void decode_pos_past_end(void)
{
    size_t pos = 4;
    uint32_t cp;
    (void)utf8_decode_next("abc", 3, &pos, &cp);
}

static void test_contract_violations_abort(void **state)
{
    (void)state;
    assert_true(aborts(valid_null_with_len));
    assert_true(aborts(decode_pos_past_end));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_samples),
        cmocka_unit_test(test_valid_boundaries),
        cmocka_unit_test(test_invalid_samples),
        cmocka_unit_test(test_exhaustive_short),
        cmocka_unit_test(test_exhaustive_four),
        cmocka_unit_test(test_ascii_fast_path),
        cmocka_unit_test(test_multibyte_alignment),
        cmocka_unit_test(test_count),
        cmocka_unit_test(test_decode_next),
        cmocka_unit_test(test_encode),
        cmocka_unit_test(test_encode_decode_all),
        cmocka_unit_test(test_contract_violations_abort),
    };
    return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
