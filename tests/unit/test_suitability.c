/*
 * test_suitability.c - unit tests of core/suitability: the CSRC 2017 match of investor category
 * against product risk level, the special risk warning, and the C/R codes.
 *
 * The expected decisions are written out literally below rather than derived from a rule, so a
 * change to the rule has to change this table too.
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

#include "core/suitability.h"

#define M SUIT_MATCH
#define C SUIT_NEEDS_CONFIRMATION
#define X SUIT_REFUSED

/* DESIGN §5: C1->R1, C2->R1..R2, C3->R1..R3, C4->R1..R4, C5->all; rows C1..C5, columns R1..R5. */
static const enum suit_decision ordinary[5][5] = {
    /*         R1 R2 R3 R4 R5 */
    /* C1 */ {M, C, C, C, C},
    /* C2 */ {M, M, C, C, C},
    /* C3 */ {M, M, M, C, C},
    /* C4 */ {M, M, M, M, C},
    /* C5 */ {M, M, M, M, M},
};

/* Lowest-category C1 (no risk tolerance): R1 as for any C1, refused outright above it. */
static const enum suit_decision lowest[5] = {M, X, X, X, X};

static enum suit_decision check(struct suit_investor inv, int risk, struct suit_result *r)
{
    memset(r, 0xA5, sizeof *r);
    enum suit_decision d = suit_check(inv, risk, r);
    assert_int_equal(d, r->decision);
    assert_non_null(r->message);
    assert_true(strlen(r->message) > 0);
    return d;
}

static void test_ordinary_table(void **state)
{
    (void)state;
    for (int c = 1; c <= 5; c++) {
        for (int r = 1; r <= 5; r++) {
            struct suit_investor inv = {.category = c, .assessment_valid = true};
            struct suit_result res;
            enum suit_decision want = ordinary[c - 1][r - 1];
            assert_int_equal(check(inv, r, &res), want);
            assert_int_equal(res.reason, want == M ? SUIT_REASON_WITHIN_TOLERANCE
                                                   : SUIT_REASON_ABOVE_TOLERANCE);
            /* The limit function tells the same story as the table. */
            assert_int_equal(r <= suit_risk_limit(c), want == M);
        }
    }
}

static void test_lowest_category(void **state)
{
    (void)state;
    struct suit_investor inv = {.category = 1, .lowest = true, .assessment_valid = true};
    for (int r = 1; r <= 5; r++) {
        struct suit_result res;
        assert_int_equal(check(inv, r, &res), lowest[r - 1]);
        if (r == 1) {
            assert_int_equal(res.reason, SUIT_REASON_WITHIN_TOLERANCE);
        } else {
            assert_int_equal(res.reason, SUIT_REASON_LOWEST_CATEGORY);
            assert_non_null(strstr(res.message, "lowest"));
        }
    }
}

static void test_professional(void **state)
{
    (void)state;
    /* Professionals match everything, with or without a questionnaire or category. */
    struct suit_investor invs[] = {
        {.professional = true, .category = 1, .assessment_valid = true},
        {.professional = true, .category = 0, .assessment_valid = false},
        {.professional = true, .category = 1, .lowest = true, .assessment_valid = false},
    };
    for (size_t i = 0; i < sizeof invs / sizeof invs[0]; i++) {
        for (int r = 1; r <= 5; r++) {
            struct suit_result res;
            assert_int_equal(check(invs[i], r, &res), SUIT_MATCH);
            assert_int_equal(res.reason, SUIT_REASON_PROFESSIONAL);
        }
    }
}

static void test_no_assessment(void **state)
{
    (void)state;
    /* Missing (category 0) or expired (a stale category kept): refused, even for R1. */
    struct suit_investor invs[] = {
        {.category = 0, .assessment_valid = false},
        {.category = 5, .assessment_valid = false},
        {.category = 1, .lowest = true, .assessment_valid = false},
    };
    for (size_t i = 0; i < sizeof invs / sizeof invs[0]; i++) {
        for (int r = 1; r <= 5; r++) {
            struct suit_result res;
            assert_int_equal(check(invs[i], r, &res), SUIT_REFUSED);
            assert_int_equal(res.reason, SUIT_REASON_NO_ASSESSMENT);
            assert_string_equal(res.message, "assessment missing or expired");
        }
    }
}

/* Changing this text means a new suit_warning_version: evidence already stored names the old. */
static const char warning_c2_r4[] =
    "风险提示：您的风险承受能力等级为C2（稳健型），本产品风险等级为R4（中高风险），"
    "超出您的风险承受能力，本产品不适合您，本平台不向您推荐。"
    "投资本产品可能损失部分或全部本金，过往业绩不代表未来表现。"
    "如您仍坚持购买，请确认您已阅读并理解本提示及产品法律文件，"
    "自愿承担投资风险及由此产生的全部后果。\n"
    "Risk warning: your risk tolerance is C2 (cautious) and this product's risk level is R4 "
    "(medium-high), which exceeds your risk tolerance. The product is not suitable for you and "
    "the platform does not recommend it. You may lose part or all of your principal, and past "
    "performance does not indicate future results. If you still wish to buy, confirm that you "
    "have read and understood this warning and the product's legal documents and that you "
    "accept the investment risk and all of its consequences.";

static void test_warning_text_pinned(void **state)
{
    (void)state;
    char buf[SUIT_WARNING_CAP];
    size_t n = suit_warning_text(2, 4, buf, sizeof buf);
    assert_int_equal(n, strlen(warning_c2_r4));
    assert_string_equal(buf, warning_c2_r4);
    assert_string_equal(suit_warning_version, "suit-warning-v1");
}

static void test_warning_text_names_both_levels(void **state)
{
    (void)state;
    size_t longest = 0;
    for (int c = 1; c <= 4; c++) {
        for (int r = c + 1; r <= 5; r++) {
            char buf[SUIT_WARNING_CAP], want[128];
            size_t n = suit_warning_text(c, r, buf, sizeof buf);
            assert_true(n > 0 && n < sizeof buf);
            assert_int_equal(n, strlen(buf));
            longest = n > longest ? n : longest;
            snprintf(want, sizeof want, "您的风险承受能力等级为%s（%s），本产品风险等级为%s（%s）",
                     suit_category_code(c), suit_category_name(c), suit_risk_code(r),
                     suit_risk_name(r));
            assert_non_null(strstr(buf, want));
            snprintf(want, sizeof want, "your risk tolerance is C%d (%s)", c,
                     suit_category_name_en(c));
            assert_non_null(strstr(buf, want));
            snprintf(want, sizeof want, "risk level is R%d (%s)", r, suit_risk_name_en(r));
            assert_non_null(strstr(buf, want));
            assert_non_null(strstr(buf, "\nRisk warning: "));
        }
    }
    /* SUIT_WARNING_CAP leaves room to spare for the longest text. */
    assert_true(longest <= SUIT_WARNING_CAP / 2);
    print_message("longest warning: %zu bytes\n", longest);
}

static void test_warning_text_cap(void **state)
{
    (void)state;
    char buf[SUIT_WARNING_CAP];
    size_t n = suit_warning_text(1, 5, buf, sizeof buf);
    assert_true(n > 0);
    /* One byte short of the NUL: nothing, and "" rather than a cut-off warning. */
    memset(buf, 'z', sizeof buf);
    assert_int_equal(suit_warning_text(1, 5, buf, n), 0);
    assert_string_equal(buf, "");
    assert_int_equal(suit_warning_text(1, 5, buf, n + 1), n);
    assert_int_equal(suit_warning_text(1, 5, NULL, 0), 0);
}

static void test_names(void **state)
{
    (void)state;
    static const char *const cat[] = {"保守型", "稳健型", "平衡型", "成长型", "进取型"};
    static const char *const risk[] = {"低风险", "中低风险", "中风险", "中高风险", "高风险"};
    for (int i = 1; i <= 5; i++) {
        assert_string_equal(suit_category_name(i), cat[i - 1]);
        assert_string_equal(suit_risk_name(i), risk[i - 1]);
    }
    assert_string_equal(suit_decision_str(SUIT_MATCH), "match");
    assert_string_equal(suit_decision_str(SUIT_NEEDS_CONFIRMATION), "needs_confirmation");
    assert_string_equal(suit_decision_str(SUIT_REFUSED), "refused");
}

static void test_parse_format_roundtrip(void **state)
{
    (void)state;
    for (int i = 1; i <= 5; i++) {
        int v = 0;
        const char *c = suit_category_code(i), *r = suit_risk_code(i);
        assert_int_equal(strlen(c), 2);
        assert_true(suit_category_parse(c, strlen(c), &v));
        assert_int_equal(v, i);
        assert_true(suit_risk_parse(r, strlen(r), &v));
        assert_int_equal(v, i);
        /* The two kinds are not interchangeable. */
        assert_false(suit_category_parse(r, strlen(r), &v));
        assert_false(suit_risk_parse(c, strlen(c), &v));
    }
    int v = 0;
    assert_true(suit_category_parse("C3", 2, &v));
    assert_int_equal(v, 3);
    assert_true(suit_risk_parse("R4xyz", 2, &v)); /* only len bytes are read */
    assert_int_equal(v, 4);
}

static void test_parse_bad(void **state)
{
    (void)state;
    static const char *const bad_c[] = {"",    "C",   "C0", "C6", "C9",  "c3",  "C03",
                                        "C3 ", " C3", "CC", "3",  "C-1", "C１", "R3"};
    static const char *const bad_r[] = {"", "R", "R0", "R6", "r3", "R03", "R3 ", "Rx", "C3", "R１"};
    for (size_t i = 0; i < sizeof bad_c / sizeof bad_c[0]; i++) {
        int v = 77;
        assert_false(suit_category_parse(bad_c[i], strlen(bad_c[i]), &v));
        assert_int_equal(v, 77);
    }
    for (size_t i = 0; i < sizeof bad_r / sizeof bad_r[0]; i++) {
        int v = 77;
        assert_false(suit_risk_parse(bad_r[i], strlen(bad_r[i]), &v));
        assert_int_equal(v, 77);
    }
    int v = 77;
    assert_false(suit_category_parse(NULL, 0, &v));
    assert_false(suit_category_parse("C3", 1, &v));
    assert_int_equal(v, 77);
}

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

static void risk_out_of_range(void)
{
    struct suit_result r;
    (void)suit_check((struct suit_investor){.category = 3, .assessment_valid = true}, 6, &r);
}

static void category_out_of_range(void)
{
    struct suit_result r;
    (void)suit_check((struct suit_investor){.category = 0, .assessment_valid = true}, 1, &r);
}

static void lowest_not_c1(void)
{
    struct suit_result r;
    struct suit_investor inv = {.category = 2, .lowest = true, .assessment_valid = true};
    (void)suit_check(inv, 1, &r);
}

static void warning_without_mismatch(void)
{
    char buf[SUIT_WARNING_CAP];
    (void)suit_warning_text(3, 3, buf, sizeof buf);
}

static void code_out_of_range(void)
{
    (void)suit_category_code(6);
}

static void test_contract_violations_abort(void **state)
{
    (void)state;
    assert_true(aborts(risk_out_of_range));
    assert_true(aborts(category_out_of_range));
    assert_true(aborts(lowest_not_c1));
    assert_true(aborts(warning_without_mismatch));
    assert_true(aborts(code_out_of_range));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ordinary_table),
        cmocka_unit_test(test_lowest_category),
        cmocka_unit_test(test_professional),
        cmocka_unit_test(test_no_assessment),
        cmocka_unit_test(test_warning_text_pinned),
        cmocka_unit_test(test_warning_text_names_both_levels),
        cmocka_unit_test(test_warning_text_cap),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_parse_format_roundtrip),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_contract_violations_abort),
    };
    return cmocka_run_group_tests_name("suitability", tests, NULL, NULL);
}
