/*
 * test_lexicon.c - unit tests of core/lexicon: evasions caught with exact spans of the original
 * text, overlapping matches, the order and the cap of the match list, severities, the default
 * lexicon and its documented false positives, build and check errors, several threads sharing
 * one lexicon, and random texts against a plain search (normalise, memmem every term, map back).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/lexicon.h"
#include "core/normalize.h"

#define MC "marketing_claim"
#define SE "sensitive"

#define MATCHES_MAX 256

/* What a test expects of one match. */
struct want {
    uint32_t start, end;
    const char *term; /* the term's text as given to the lexicon */
};

static struct lexicon *build(const struct lex_term *terms, size_t n)
{
    struct lexicon *lex = NULL;
    struct lex_error err;
    enum lex_rc rc = lexicon_build(terms, n, &lex, &err);
    if (rc != LEX_OK)
        fail_msg("lexicon_build: %s", err.msg);
    assert_non_null(lex);
    return lex;
}

static struct lexicon *build_default(void)
{
    size_t n = 0;
    const struct lex_term *t = lexicon_default_terms(&n);
    return build(t, n);
}

/* Check text with a fresh scratch; returns the verdict and fills m[0..res.n_stored). */
static struct lex_result check(const struct lexicon *lex, const char *text, struct lex_match *m,
                               size_t cap)
{
    struct lex_scratch *s = NULL;
    assert_int_equal(lexicon_scratch_new(lex, 4096, &s), LEX_OK);
    struct lex_result res;
    assert_int_equal(lexicon_check(lex, s, text, strlen(text), m, cap, &res), LEX_OK);
    lexicon_scratch_free(s);
    assert_true(res.n_stored <= cap && res.n_stored <= res.n_matches);
    return res;
}

/* Check text and compare the matches with want[0..n) exactly, in order. */
static enum lex_severity expect(const struct lexicon *lex, const char *text,
                                const struct want *want, size_t n)
{
    struct lex_match m[MATCHES_MAX];
    struct lex_result res = check(lex, text, m, MATCHES_MAX);
    if (res.n_matches != n) {
        for (size_t i = 0; i < res.n_stored; i++)
            print_message("  match [%u, %u) \"%s\"\n", (unsigned)m[i].start, (unsigned)m[i].end,
                          lexicon_term(lex, m[i].term)->text);
        fail_msg("\"%s\": %zu matches, want %zu", text, res.n_matches, n);
    }
    for (size_t i = 0; i < n; i++) {
        const struct lex_term *t = lexicon_term(lex, m[i].term);
        if (m[i].start != want[i].start || m[i].end != want[i].end ||
            strcmp(t->text, want[i].term) != 0)
            fail_msg("\"%s\" match %zu: [%u, %u) \"%s\", want [%u, %u) \"%s\"", text, i,
                     (unsigned)m[i].start, (unsigned)m[i].end, t->text, (unsigned)want[i].start,
                     (unsigned)want[i].end, want[i].term);
        assert_int_equal(m[i].severity, t->severity);
        assert_string_equal(m[i].category, t->category);
    }
    return res.worst;
}

/* ---- evasions and spans --------------------------------------------------------------------- */

static void test_evasions_default(void **state)
{
    (void)state;
    struct lexicon *lex = build_default();
    /* 保(0..2) then a removed character, then 本: the span covers both characters and the
     * removed one between them. */
    struct want sp[] = {{0, 7, "保本"}};
    assert_int_equal(expect(lex, "保 本", sp, 1), LEX_REVIEW);
    sp[0].end = 9;
    assert_int_equal(expect(lex, "保\u200b本", sp, 1), LEX_REVIEW);
    assert_int_equal(expect(lex, "保\u3000本", sp, 1), LEX_REVIEW);
    assert_int_equal(expect(lex, "保\ufe0f本", sp, 1), LEX_REVIEW); /* variation selector */
    sp[0].end = 8;
    assert_int_equal(expect(lex, "保\u00ad本", sp, 1), LEX_REVIEW); /* soft hyphen */

    struct want wz[] = {{0, 8, "稳赚"}};
    assert_int_equal(expect(lex, "稳\u00ad赚", wz, 1), LEX_BLOCK);
    struct want wx[] = {{0, 9, "加vx"}};
    assert_int_equal(expect(lex, "加ＶＸ", wx, 1), LEX_BLOCK); /* full-width */
    wx[0].end = 6;
    assert_int_equal(expect(lex, "加V\u0445", wx, 1), LEX_BLOCK); /* Cyrillic х */
    struct want wc[] = {{0, 11, "加微信"}};
    assert_int_equal(expect(lex, "加 微 信", wc, 1), LEX_BLOCK);
    lexicon_free(lex);
}

static void test_exact_spans(void **state)
{
    (void)state;
    const struct lex_term terms[] = {
        {"保本", LEX_REVIEW, MC}, {"VIP", LEX_BLOCK, SE}, {"bonus", LEX_BLOCK, SE}};
    struct lexicon *lex = build(terms, 3);
    /* 前言：(0..8) 中文(9..14) ＶＩＰ(15..23) 客户(24..29) 保(30..32) U+200B(33..35) 本(36..38)
     * ！(39..41) */
    const struct want w1[] = {{15, 24, "VIP"}, {30, 39, "保本"}};
    assert_int_equal(expect(lex, "前言：中文ＶＩＰ客户保\u200b本！", w1, 2), LEX_BLOCK);
    /* "Get a b" (0..6), Cyrillic о (7..8), "nus" (9..11) */
    const struct want w2[] = {{6, 12, "bonus"}};
    assert_int_equal(expect(lex, "Get a b\u043enus!", w2, 1), LEX_BLOCK);
    const struct want w3[] = {{3, 8, "bonus"}, {9, 12, "VIP"}};
    assert_int_equal(expect(lex, "抢BoNuS vIp", w3, 2), LEX_BLOCK);
    lexicon_free(lex);
}

static void test_overlapping(void **state)
{
    (void)state;
    const struct lex_term terms[] = {{"稳赚", LEX_BLOCK, MC},
                                     {"稳赚不赔", LEX_BLOCK, MC},
                                     {"赚不", LEX_REVIEW, MC},
                                     {"赔", LEX_REVIEW, MC}};
    struct lexicon *lex = build(terms, 4);
    /* 他说(0..5) 稳(6..8) 赚(9..11) 不(12..14) 赔(15..17) */
    const struct want w[] = {{6, 12, "稳赚"}, {6, 18, "稳赚不赔"}, {9, 15, "赚不"}, {15, 18, "赔"}};
    assert_int_equal(expect(lex, "他说稳赚不赔", w, 4), LEX_BLOCK);
    /* the same match twice in a row, overlapping itself: 赔赔 */
    const struct want w2[] = {{0, 3, "赔"}, {3, 6, "赔"}};
    assert_int_equal(expect(lex, "赔赔", w2, 2), LEX_REVIEW);
    lexicon_free(lex);
}

static void test_severity(void **state)
{
    (void)state;
    const struct lex_term terms[] = {{"review me", LEX_REVIEW, "r"}, {"block me", LEX_BLOCK, "b"}};
    struct lexicon *lex = build(terms, 2);
    struct lex_match m[4];
    assert_int_equal(check(lex, "nothing here", m, 4).worst, LEX_NONE);
    assert_int_equal(check(lex, "please REVIEW-ME", m, 4).worst, LEX_REVIEW);
    assert_int_equal(check(lex, "block me, review me", m, 4).worst, LEX_BLOCK);
    assert_int_equal(check(lex, "", m, 4).worst, LEX_NONE);
    assert_int_equal(check(lex, " ，。\u200b", m, 4).n_matches, 0); /* nothing left to scan */
    assert_string_equal(lex_severity_name(LEX_BLOCK), "block");
    assert_string_equal(lex_severity_name(LEX_REVIEW), "review");
    assert_string_equal(lex_severity_name(LEX_NONE), "none");
    enum lex_severity sev = LEX_NONE;
    assert_true(lex_severity_parse("block", &sev) && sev == LEX_BLOCK);
    assert_true(lex_severity_parse("review", &sev) && sev == LEX_REVIEW);
    assert_false(lex_severity_parse("none", &sev));
    assert_false(lex_severity_parse(NULL, &sev));
    assert_int_equal(sev, LEX_REVIEW);
    lexicon_free(lex);
}

/* When there are more matches than room, the first ones by start are kept and all counted. */
static void test_cap(void **state)
{
    (void)state;
    const struct lex_term terms[] = {{"abcd", LEX_REVIEW, "x"}, {"c", LEX_BLOCK, "y"}};
    struct lexicon *lex = build(terms, 2);
    struct lex_match m[2];
    /* "c" ends first (it is reported first) but "abcd" starts first. */
    struct lex_result res = check(lex, "xabcd", m, 1);
    assert_int_equal(res.n_matches, 2);
    assert_int_equal(res.n_stored, 1);
    assert_int_equal(res.worst, LEX_BLOCK); /* from the match that was not stored */
    assert_int_equal(m[0].start, 1);
    assert_int_equal(m[0].end, 5);
    res = check(lex, "xabcd", NULL, 0);
    assert_int_equal(res.n_matches, 2);
    assert_int_equal(res.n_stored, 0);
    lexicon_free(lex);

    const struct lex_term t2[] = {{"保本", LEX_REVIEW, "x"}, {"本保", LEX_REVIEW, "x"}};
    lex = build(t2, 2);
    char text[601];
    for (int i = 0; i < 100; i++)
        memcpy(text + 6 * i, "保本", 6);
    text[600] = '\0';
    struct lex_match ten[10];
    res = check(lex, text, ten, 10);
    assert_int_equal(res.n_matches, 199); /* 100 × 保本, 99 × 本保 */
    assert_int_equal(res.n_stored, 10);
    for (uint32_t i = 0; i < 10; i++) {
        assert_int_equal(ten[i].start, 3 * i);
        assert_int_equal(ten[i].end, 3 * i + 6);
    }
    lexicon_free(lex);
}

/* ---- the default lexicon and its known false positives -------------------------------------- */

static void test_default_lexicon(void **state)
{
    (void)state;
    size_t n = 0;
    const struct lex_term *t = lexicon_default_terms(&n);
    assert_true(n >= 60 && n <= LEX_TERMS_MAX);
    struct lexicon *lex = build(t, n);
    assert_int_equal(lexicon_size(lex), n);
    size_t blocks = 0;
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(lexicon_term(lex, i)->text, t[i].text);
        assert_true(strcmp(t[i].category, MC) == 0 || strcmp(t[i].category, SE) == 0);
        blocks += t[i].severity == LEX_BLOCK;
    }
    assert_true(blocks > 10 && blocks < n);
    /* 本(0..2)基(3..5)金(6..8)保(9..11)本(12..14)保(15..17)息(18..20)，稳(24..26)赚 不 赔！ */
    const struct want w[] = {
        {9, 15, "保本"}, {9, 21, "保本保息"}, {24, 30, "稳赚"}, {24, 36, "稳赚不赔"}};
    assert_int_equal(expect(lex, "本基金保本保息，稳赚不赔！", w, 4), LEX_BLOCK);
    lexicon_free(lex);
}

static void test_innocent_and_false_positives(void **state)
{
    (void)state;
    struct lexicon *lex = build_default();
    /* No match: the characters are there but not adjacent, or the words were left out. */
    assert_int_equal(expect(lex, "保健本草纲目", NULL, 0), LEX_NONE);
    assert_int_equal(expect(lex, "本基金第一季度的最大回撤为3.2%。", NULL, 0), LEX_NONE);
    assert_int_equal(expect(lex, "投资有风险，入市需谨慎。", NULL, 0), LEX_NONE);
    /* Known false positives, reported and left to a reviewer (severity review, not block).
     * Removing the space joins 确保 and 本金: 确(0..2) 保(3..5) space(6) 本(7..9) 金 */
    const struct want w1[] = {{3, 10, "保本"}};
    assert_int_equal(expect(lex, "确保 本金安全", w1, 1), LEX_REVIEW);
    /* ... and across a comma: 环(0..2) 保(3..5) ，(6..8) 本(9..11) */
    const struct want w2[] = {{3, 12, "保本"}};
    assert_int_equal(expect(lex, "环保，本基金", w2, 1), LEX_REVIEW);
    /* ... with no separator at all: 确保本基金 (ensure this fund) */
    const struct want w3[] = {{3, 9, "保本"}};
    assert_int_equal(expect(lex, "确保本基金合规", w3, 1), LEX_REVIEW);
    /* ... and a decimal point: 年化(0..5) 2(6) .(7) 1(8) 0 0 % ，(12..14) 收(15..17) 益(18..20) */
    const struct want w4[] = {{8, 21, "100%收益"}};
    assert_int_equal(expect(lex, "年化2.100%，收益稳", w4, 1), LEX_REVIEW);
    /* the risk-free rate */
    const struct want w5[] = {{0, 9, "无风险"}};
    assert_int_equal(expect(lex, "无风险收益率", w5, 1), LEX_REVIEW);
    lexicon_free(lex);
}

/* ---- errors --------------------------------------------------------------------------------- */

static enum lex_rc build_err(const struct lex_term *terms, size_t n, struct lex_error *err)
{
    struct lexicon *lex = (struct lexicon *)(uintptr_t)1; /* must become NULL */
    enum lex_rc rc = lexicon_build(terms, n, &lex, err);
    assert_null(lex);
    assert_int_equal(err->code, rc);
    assert_int_equal(lexicon_build(terms, n, &lex, NULL), rc); /* err may be NULL */
    return rc;
}

static void test_build_errors(void **state)
{
    (void)state;
    struct lex_error err;
    assert_int_equal(build_err(NULL, 0, &err), LEX_E_NO_TERMS);

    const struct lex_term empty[] = {{"ok", LEX_BLOCK, "c"}, {"", LEX_BLOCK, "c"}};
    assert_int_equal(build_err(empty, 2, &err), LEX_E_TERM_EMPTY);
    assert_int_equal(err.term, 1);
    const struct lex_term null_text[] = {{NULL, LEX_BLOCK, "c"}};
    assert_int_equal(build_err(null_text, 1, &err), LEX_E_TERM_EMPTY);
    const struct lex_term blank[] = {{" - \u200b", LEX_BLOCK, "c"}};
    assert_int_equal(build_err(blank, 1, &err), LEX_E_TERM_EMPTY);
    assert_non_null(strstr(err.msg, "empty once spaces"));

    const struct lex_term dup[] = {
        {"保本", LEX_BLOCK, "c"}, {"稳赚", LEX_BLOCK, "c"}, {"保 本", LEX_REVIEW, "d"}};
    assert_int_equal(build_err(dup, 3, &err), LEX_E_DUPLICATE);
    assert_int_equal(err.term, 2);
    assert_int_equal(err.other, 0);
    assert_string_equal(err.msg, "term 2 \"保 本\": same as term 0 \"保本\" once normalised "
                                 "(\"保本\")");
    const struct lex_term dup2[] = {{"VIP", LEX_BLOCK, "c"}, {"ｖｉｐ", LEX_BLOCK, "c"}};
    assert_int_equal(build_err(dup2, 2, &err), LEX_E_DUPLICATE);

    const struct lex_term bad_utf8[] = {{"ab\xff", LEX_BLOCK, "c"}};
    assert_int_equal(build_err(bad_utf8, 1, &err), LEX_E_TERM_UTF8);
    assert_non_null(strstr(err.msg, "at byte 2"));

    const struct lex_term no_sev[] = {{"a", LEX_NONE, "c"}};
    assert_int_equal(build_err(no_sev, 1, &err), LEX_E_SEVERITY);
    const struct lex_term odd_sev[] = {{"a", (enum lex_severity)7, "c"}};
    assert_int_equal(build_err(odd_sev, 1, &err), LEX_E_SEVERITY);

    const char *bad_cats[] = {NULL,  "",     "Marketing",
                              "a-b", "类别", "abcdefghijklmnopqrstuvwxyz0123456"}; /* 33 */
    for (size_t i = 0; i < sizeof bad_cats / sizeof bad_cats[0]; i++) {
        const struct lex_term t[] = {{"a", LEX_BLOCK, bad_cats[i]}};
        assert_int_equal(build_err(t, 1, &err), LEX_E_CATEGORY);
    }
    const struct lex_term cat32[] = {{"a", LEX_BLOCK, "abcdefghijklmnopqrstuvwxyz_01234"}};
    lexicon_free(build(cat32, 1));
    assert_string_equal(lex_rc_str(LEX_E_DUPLICATE), "duplicate term");
}

static void test_term_length_limits(void **state)
{
    (void)state;
    struct lex_error err;
    char t64[LEX_TERM_CHARS_MAX * 3 + 4] = "", t65[sizeof t64 + 3] = "";
    for (int i = 0; i < LEX_TERM_CHARS_MAX; i++)
        memcpy(t64 + 3 * i, "一", 3);
    memcpy(t65, t64, strlen(t64));
    memcpy(t65 + strlen(t64), "二", 4);
    const struct lex_term ok[] = {{t64, LEX_BLOCK, "c"}};
    lexicon_free(build(ok, 1));
    const struct lex_term too_long[] = {{t65, LEX_BLOCK, "c"}};
    assert_int_equal(build_err(too_long, 1, &err), LEX_E_TERM_LONG);

    char ascii[LEX_TERM_BYTES_MAX + 40];
    memset(ascii, 'a', sizeof ascii - 1);
    ascii[sizeof ascii - 1] = '\0';
    const struct lex_term long_ascii[] = {{ascii, LEX_BLOCK, "c"}};
    assert_int_equal(build_err(long_ascii, 1, &err), LEX_E_TERM_LONG);
}

static void test_term_count_limits(void **state)
{
    (void)state;
    size_t n = LEX_TERMS_MAX + 1;
    struct lex_term *t = calloc(n, sizeof *t);
    char *buf = calloc(n, 8);
    assert_non_null(t);
    assert_non_null(buf);
    for (size_t i = 0; i < n; i++) {
        snprintf(buf + 8 * i, 8, "t%05zu", i);
        t[i] = (struct lex_term){buf + 8 * i, LEX_REVIEW, "synthetic"};
    }
    struct lex_error err;
    assert_int_equal(build_err(t, n, &err), LEX_E_TOO_MANY);
    struct lexicon *lex = build(t, LEX_TERMS_MAX);
    assert_int_equal(lexicon_size(lex), LEX_TERMS_MAX);
    const struct want w[] = {{4, 10, "t19999"}};
    assert_int_equal(expect(lex, "see T19999!", w, 1), LEX_REVIEW);
    lexicon_free(lex);
    free(buf);
    free(t);
}

static void test_check_errors(void **state)
{
    (void)state;
    struct lexicon *lex = build_default();
    struct lex_scratch *s = NULL;
    assert_int_equal(lexicon_scratch_new(lex, 16, &s), LEX_OK);
    struct lex_match m[4];
    struct lex_result res;
    assert_int_equal(lexicon_check(lex, s, "保本\xe4\xbf", 8, m, 4, &res), LEX_E_TEXT_UTF8);
    assert_int_equal(res.bad_at, 6);
    assert_int_equal(res.worst, LEX_NONE);
    assert_int_equal(res.n_stored, 0);
    assert_int_equal(lexicon_check(lex, s, "保本\0", 7, m, 4, &res), LEX_E_TEXT_UTF8);
    assert_int_equal(res.bad_at, 6);
    assert_int_equal(lexicon_check(lex, s, "12345678901234567", 17, m, 4, &res), LEX_E_TEXT_LONG);
    assert_int_equal(lexicon_check(lex, s, "1234567890123456", 16, m, 4, &res), LEX_OK);
    assert_int_equal(lexicon_check(lex, s, NULL, 0, NULL, 0, &res), LEX_OK);
    lexicon_scratch_free(s);
    lexicon_scratch_free(NULL);
    lexicon_free(NULL);
    lexicon_free(lex);
}

/* The largest text: 1 MiB of "保本 " and spaces, every match counted. */
static void test_largest_text(void **state)
{
    (void)state;
    const struct lex_term terms[] = {{"保本", LEX_BLOCK, "c"}};
    struct lexicon *lex = build(terms, 1);
    struct lex_scratch *s = NULL;
    assert_int_equal(lexicon_scratch_new(lex, LEX_TEXT_BYTES_MAX, &s), LEX_OK);
    size_t len = LEX_TEXT_BYTES_MAX, reps = len / 7;
    char *text = malloc(len + 1);
    assert_non_null(text);
    for (size_t i = 0; i < reps; i++)
        memcpy(text + 7 * i, "保本 ", 7);
    memset(text + 7 * reps, ' ', len - 7 * reps);
    struct lex_match m[16];
    struct lex_result res;
    assert_int_equal(lexicon_check(lex, s, text, len, m, 16, &res), LEX_OK);
    assert_int_equal(res.n_matches, reps);
    assert_int_equal(res.n_stored, 16);
    assert_int_equal(m[15].start, 7 * 15);
    text[len] = ' ';
    assert_int_equal(lexicon_check(lex, s, text, len + 1, m, 16, &res), LEX_E_TEXT_LONG);
    uint64_t count = 0;
    assert_int_equal(lexicon_count_normalised(lex, s, "保本保本", 12, &count), LEX_OK);
    assert_int_equal(count, 2);
    free(text);
    lexicon_scratch_free(s);
    lexicon_free(lex);
}

/* ---- sharing -------------------------------------------------------------------------------- */

static void test_terms_are_copied(void **state)
{
    (void)state;
    char text[16] = "保本", cat[16] = "cat";
    const struct lex_term terms[] = {{text, LEX_BLOCK, cat}};
    struct lexicon *lex = build(terms, 1);
    memset(text, 0, sizeof text);
    memset(cat, 0, sizeof cat);
    assert_string_equal(lexicon_term(lex, 0)->text, "保本");
    assert_string_equal(lexicon_term(lex, 0)->category, "cat");
    const struct want w[] = {{0, 6, "保本"}};
    assert_int_equal(expect(lex, "保本", w, 1), LEX_BLOCK);
    lexicon_free(lex);
}

static void test_scratch_attach(void **state)
{
    (void)state;
    const struct lex_term v1[] = {{"保本", LEX_REVIEW, MC}};
    struct lexicon *old = build(v1, 1), *cur = build_default();
    struct lex_scratch *s = NULL;
    assert_int_equal(lexicon_scratch_new(old, 64, &s), LEX_OK);
    assert_int_equal(lexicon_scratch_attach(cur, s), LEX_OK);
    struct lex_match m[8];
    struct lex_result res;
    assert_int_equal(lexicon_check(cur, s, "稳赚保本", 12, m, 8, &res), LEX_OK);
    assert_int_equal(res.n_matches, 2);
    assert_int_equal(res.worst, LEX_BLOCK);
    assert_int_equal(lexicon_check(old, s, "稳赚保本", 12, m, 8, &res), LEX_OK);
    assert_int_equal(res.n_matches, 1);
    lexicon_scratch_free(s);
    lexicon_free(old);
    lexicon_free(cur);
}

struct thread_job {
    const struct lexicon *lex;
    const char *text;
    struct lex_result want;
    struct lex_match want_m[8];
    bool ok;
};

static void *thread_main(void *arg)
{
    struct thread_job *job = arg;
    struct lex_scratch *s = NULL;
    job->ok = lexicon_scratch_new(job->lex, 1024, &s) == LEX_OK;
    for (int i = 0; i < 500 && job->ok; i++) {
        struct lex_match m[8];
        struct lex_result res;
        job->ok = lexicon_check(job->lex, s, job->text, strlen(job->text), m, 8, &res) == LEX_OK &&
                  res.n_matches == job->want.n_matches && res.worst == job->want.worst &&
                  memcmp(m, job->want_m, res.n_stored * sizeof m[0]) == 0;
    }
    lexicon_scratch_free(s);
    return NULL;
}

/* One lexicon, four threads with a scratch each, the same answers as on one thread. */
static void test_threads_share_a_lexicon(void **state)
{
    (void)state;
    struct lexicon *lex = build_default();
    struct thread_job jobs[4];
    pthread_t th[4];
    const char *text = "本基金稳 赚不赔，保\u200b本保息，欢迎加ＶＸ私信领取内幕消息。";
    for (int i = 0; i < 4; i++) {
        jobs[i] = (struct thread_job){.lex = lex, .text = text};
        jobs[i].want = check(lex, text, jobs[i].want_m, 8);
        assert_int_equal(pthread_create(&th[i], NULL, thread_main, &jobs[i]), 0);
    }
    assert_true(jobs[0].want.n_matches >= 6);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_true(jobs[i].ok);
    }
    lexicon_free(lex);
}

/* ---- against a plain search ----------------------------------------------------------------- */

static uint64_t rng = 7;
static uint32_t below(uint32_t n)
{
    uint64_t z = (rng += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    z ^= z >> 31;
    return (uint32_t)(((z >> 32) * n) >> 32);
}

static int cmp_match(const void *pa, const void *pb)
{
    const struct lex_match *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return a->term < b->term ? -1 : a->term > b->term;
}

/* Every occurrence of every term by memmem over the normalised text, mapped back and sorted. */
static size_t plain_search(const struct lexicon *lex, const char *text, size_t len,
                           struct lex_match *out)
{
    static char norm[4096], nterm[LEX_TERM_BYTES_MAX];
    static uint32_t offs[4096], toffs[LEX_TERM_BYTES_MAX];
    size_t nlen = 0, n = 0;
    assert_int_equal(norm_text(text, len, norm, offs, sizeof norm, &nlen, NULL), NORM_OK);
    for (size_t t = 0; t < lexicon_size(lex); t++) {
        const char *term = lexicon_term(lex, t)->text;
        size_t tl = 0;
        assert_int_equal(norm_text(term, strlen(term), nterm, toffs, sizeof nterm, &tl, NULL),
                         NORM_OK);
        for (const char *p = norm; (p = memmem(p, nlen - (size_t)(p - norm), nterm, tl)); p++) {
            assert_true(n < MATCHES_MAX);
            size_t from = (size_t)(p - norm);
            out[n].term = (uint32_t)t;
            norm_span_to_original(text, len, offs, from, from + tl, &out[n].start, &out[n].end);
            n++;
        }
    }
    qsort(out, n, sizeof out[0], cmp_match);
    return n;
}

static void test_random_against_plain_search(void **state)
{
    (void)state;
    const struct lex_term terms[] = {
        {"保本", LEX_REVIEW, "a"}, {"本保", LEX_REVIEW, "a"}, {"保本保息", LEX_BLOCK, "a"},
        {"稳赚", LEX_BLOCK, "a"},  {"vip", LEX_BLOCK, "b"},   {"ip", LEX_REVIEW, "b"},
        {"100%", LEX_REVIEW, "c"}, {"息稳", LEX_REVIEW, "c"}, {"a", LEX_REVIEW, "d"},
    };
    static const char *const pieces[] = {
        "保",     "本", "息",     "稳", "赚", "基金", "v",      "V", "Ｖ", "i",
        "\u0456", "p",  "P",      "1",  "0",  "%",    "％",     ".", " ",  "\u200b",
        "\u3000", "，", "\u00ad", "a",  "A",  "Ａ",   "\u0430", "😀",
    };
    struct lexicon *lex = build(terms, sizeof terms / sizeof terms[0]);
    struct lex_scratch *s = NULL;
    assert_int_equal(lexicon_scratch_new(lex, 4096, &s), LEX_OK);
    for (int round = 0; round < 5000; round++) {
        char text[1024];
        size_t len = 0, count = below(40);
        for (size_t k = 0; k < count; k++) {
            const char *p = pieces[below(sizeof pieces / sizeof pieces[0])];
            memcpy(text + len, p, strlen(p));
            len += strlen(p);
        }
        struct lex_match got[MATCHES_MAX], want[MATCHES_MAX];
        struct lex_result res;
        assert_int_equal(lexicon_check(lex, s, text, len, got, MATCHES_MAX, &res), LEX_OK);
        size_t n = plain_search(lex, text, len, want);
        assert_int_equal(res.n_matches, n);
        enum lex_severity worst = LEX_NONE;
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(got[i].start, want[i].start);
            assert_int_equal(got[i].end, want[i].end);
            assert_int_equal(got[i].term, want[i].term);
            if (got[i].severity > worst)
                worst = got[i].severity;
        }
        assert_int_equal(res.worst, worst);
    }
    lexicon_scratch_free(s);
    lexicon_free(lex);
}

/* ---- contracts ------------------------------------------------------------------------------ */

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

static void scratch_of_zero_bytes(void)
{
    const struct lex_term t[] = {{"a", LEX_BLOCK, "c"}};
    struct lexicon *lex = NULL;
    struct lex_scratch *s = NULL;
    if (lexicon_build(t, 1, &lex, NULL) == LEX_OK)
        (void)lexicon_scratch_new(lex, 0, &s);
}

static void check_without_result(void)
{
    const struct lex_term t[] = {{"a", LEX_BLOCK, "c"}};
    struct lexicon *lex = NULL;
    struct lex_scratch *s = NULL;
    if (lexicon_build(t, 1, &lex, NULL) == LEX_OK && lexicon_scratch_new(lex, 8, &s) == LEX_OK)
        (void)lexicon_check(lex, s, "a", 1, NULL, 0, NULL);
}

static void test_contract_violations_abort(void **state)
{
    (void)state;
    assert_true(aborts(scratch_of_zero_bytes));
    assert_true(aborts(check_without_result));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_evasions_default),
        cmocka_unit_test(test_exact_spans),
        cmocka_unit_test(test_overlapping),
        cmocka_unit_test(test_severity),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_default_lexicon),
        cmocka_unit_test(test_innocent_and_false_positives),
        cmocka_unit_test(test_build_errors),
        cmocka_unit_test(test_term_length_limits),
        cmocka_unit_test(test_term_count_limits),
        cmocka_unit_test(test_check_errors),
        cmocka_unit_test(test_largest_text),
        cmocka_unit_test(test_terms_are_copied),
        cmocka_unit_test(test_scratch_attach),
        cmocka_unit_test(test_threads_share_a_lexicon),
        cmocka_unit_test(test_random_against_plain_search),
        cmocka_unit_test(test_contract_violations_abort),
    };
    return cmocka_run_group_tests_name("lexicon", tests, NULL, NULL);
}
