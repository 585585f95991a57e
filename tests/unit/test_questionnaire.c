/*
 * test_questionnaire.c - unit tests of core/questionnaire: the default questionnaire, scoring
 * into C1..C5 and the lowest category, validation of edited questionnaires, and the one-year
 * validity of a result.
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

#include "base/civil.h"
#include "core/questionnaire.h"

/* Option indexes per question of the default questionnaire (age, income, invest_share,
 * experience, horizon, purpose, loss_tolerance, knowledge, debt, liquidity). */
#define DEFAULT_N 10
static const int lowest_options[DEFAULT_N] = {0, 0, 0, 0, 0, 0, 1, 0, 0, 0};  /* total 16 */
static const int second_options[DEFAULT_N] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};  /* total 42 */
static const int third_options[DEFAULT_N] = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2};   /* total 73 */
static const int highest_options[DEFAULT_N] = {4, 4, 4, 4, 3, 3, 4, 3, 3, 2}; /* total 100 */

static struct quest_result score_ok(const int *answers, size_t n)
{
    struct quest_result r;
    struct quest_error err;
    assert_int_equal(quest_score(quest_default(), answers, n, &r, &err), QUEST_OK);
    assert_int_equal(err.rc, QUEST_OK);
    return r;
}

static void expect_score(const int answers[DEFAULT_N], int32_t total, int category, bool lowest)
{
    struct quest_result r = score_ok(answers, DEFAULT_N);
    assert_int_equal(r.total, total);
    assert_int_equal(r.category, category);
    assert_int_equal(r.lowest, lowest);
}

static void test_default_validates(void **state)
{
    (void)state;
    const struct quest *q = quest_default();
    struct quest_error err;
    assert_int_equal(quest_validate(q, &err), QUEST_OK);
    assert_int_equal(err.rc, QUEST_OK);
    assert_int_equal(quest_validate(q, NULL), QUEST_OK);
    assert_int_equal(q->question_count, DEFAULT_N);
    assert_string_equal(q->questions[6].id, "loss_tolerance");
    assert_string_equal(q->questions[6].options[0].text, "不能承受任何损失");
    assert_true(q->questions[6].options[0].disqualifying);
    /* The disqualifying option is the only one. */
    int disqualifying = 0;
    for (uint32_t i = 0; i < q->question_count; i++)
        for (uint32_t j = 0; j < q->questions[i].option_count; j++)
            disqualifying += q->questions[i].options[j].disqualifying;
    assert_int_equal(disqualifying, 1);
}

static void test_each_category(void **state)
{
    (void)state;
    expect_score(lowest_options, 16, 1, true);
    int c1[DEFAULT_N];
    memcpy(c1, lowest_options, sizeof c1);
    c1[0] = 2; /* age 18-30: 16 - 1 + 8 */
    expect_score(c1, 23, 1, false);
    expect_score(second_options, 42, 2, false);
    int c3[DEFAULT_N];
    memcpy(c3, second_options, sizeof c3);
    c3[1] = 2; /* income: +2 */
    c3[3] = 2; /* experience: +3 */
    expect_score(c3, 47, 3, false);
    expect_score(third_options, 73, 4, false);
    expect_score(highest_options, 100, 5, false);
}

static void test_boundaries(void **state)
{
    (void)state;
    const struct quest *q = quest_default();
    static const int32_t totals[] = {0, 16, 29, 30, 44, 45, 59, 60, 79, 80, 100};
    static const int want[] = {1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
    for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++)
        assert_int_equal(quest_category_of_total(q, totals[i]), want[i]);
    /* The floor: 19 is the lowest category, 20 an ordinary C1. */
    int a[DEFAULT_N];
    memcpy(a, lowest_options, sizeof a);
    a[0] = 1; /* age 51-60: +3 */
    expect_score(a, 19, 1, true);
    memcpy(a, lowest_options, sizeof a);
    a[9] = 1; /* liquidity: +4 */
    expect_score(a, 20, 1, false);
}

static void test_disqualifying(void **state)
{
    (void)state;
    int a[DEFAULT_N];
    memcpy(a, highest_options, sizeof a);
    a[6] = 0; /* "不能承受任何损失": whatever else was answered */
    struct quest_result r = score_ok(a, DEFAULT_N);
    assert_int_equal(r.total, 90);
    assert_int_equal(r.category, 1);
    assert_true(r.lowest);
    assert_int_equal(r.disqualified_by, 6);
    r = score_ok(highest_options, DEFAULT_N);
    assert_int_equal(r.disqualified_by, -1);
}

static enum quest_rc score_err(const int *answers, size_t n, struct quest_error *err)
{
    struct quest_result r, before;
    memset(&r, 0x5A, sizeof r);
    before = r;
    enum quest_rc rc = quest_score(quest_default(), answers, n, &r, err);
    assert_memory_equal(&r, &before, sizeof r); /* untouched on error */
    assert_int_equal(err->rc, rc);
    assert_true(strlen(err->msg) > 0);
    return rc;
}

static void test_invalid_answers(void **state)
{
    (void)state;
    struct quest_error err;
    int a[DEFAULT_N + 1];
    memcpy(a, second_options, sizeof second_options);
    a[DEFAULT_N] = 0;

    assert_int_equal(score_err(a, DEFAULT_N - 1, &err), QUEST_ANSWER_MISSING);
    assert_int_equal(err.question, 9);
    assert_non_null(strstr(err.msg, "liquidity"));
    assert_int_equal(score_err(NULL, 0, &err), QUEST_ANSWER_MISSING);
    assert_int_equal(err.question, 0);
    assert_int_equal(score_err(a, DEFAULT_N + 1, &err), QUEST_TOO_MANY_ANSWERS);

    a[3] = QUEST_NO_ANSWER;
    assert_int_equal(score_err(a, DEFAULT_N, &err), QUEST_ANSWER_MISSING);
    assert_int_equal(err.question, 3);
    a[3] = 5; /* experience has options 0..4 */
    assert_int_equal(score_err(a, DEFAULT_N, &err), QUEST_ANSWER_OUT_OF_RANGE);
    assert_int_equal(err.question, 3);
    assert_int_equal(err.option, 5);
    a[3] = -2;
    assert_int_equal(score_err(a, DEFAULT_N, &err), QUEST_ANSWER_OUT_OF_RANGE);
    a[3] = 4;
    a[9] = 3; /* liquidity has options 0..2 */
    assert_int_equal(score_err(a, DEFAULT_N, &err), QUEST_ANSWER_OUT_OF_RANGE);
    assert_int_equal(err.question, 9);
    /* No error struct is fine too. */
    struct quest_result r;
    assert_int_equal(quest_score(quest_default(), a, DEFAULT_N, &r, NULL),
                     QUEST_ANSWER_OUT_OF_RANGE);
}

/* A copy of the default to break in one place. */
static struct quest broken(void)
{
    return *quest_default();
}

static void expect_invalid(const struct quest *q, enum quest_rc rc, int32_t question,
                           int32_t option)
{
    struct quest_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(quest_validate(q, &err), rc);
    assert_int_equal(err.rc, rc);
    assert_int_equal(err.question, question);
    assert_int_equal(err.option, option);
    assert_true(strlen(err.msg) > 0 && strlen(err.msg) < sizeof err.msg);
    assert_int_equal(quest_validate(q, NULL), rc);
}

static void test_validate_questions(void **state)
{
    (void)state;
    struct quest q = broken();
    q.question_count = 0;
    expect_invalid(&q, QUEST_NO_QUESTIONS, -1, -1);
    q.question_count = QUEST_QUESTIONS_MAX + 1;
    expect_invalid(&q, QUEST_TOO_MANY_QUESTIONS, -1, -1);

    static const char *const bad_ids[] = {
        NULL, "", "Age", "age-x", "年龄", "age ", "a23456789012345678901234567890123"};
    for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
        q = broken();
        q.questions[2].id = bad_ids[i];
        expect_invalid(&q, QUEST_BAD_ID, 2, -1);
    }
    q = broken();
    q.questions[2].id = "a2345678901234567890123456789012"; /* 32 bytes: fine */
    assert_int_equal(quest_validate(&q, NULL), QUEST_OK);

    q = broken();
    q.questions[3].id = "age";
    expect_invalid(&q, QUEST_DUPLICATE_ID, 3, -1);
    struct quest_error err;
    quest_validate(&q, &err);
    assert_non_null(strstr(err.msg, "questions[3]"));
    assert_non_null(strstr(err.msg, "\"age\""));
}

static void test_validate_texts(void **state)
{
    (void)state;
    char long_text[QUEST_TEXT_CHARS_MAX * 3 + 4];
    for (int i = 0; i < QUEST_TEXT_CHARS_MAX; i++)
        memcpy(long_text + 3 * i, "问", 3);
    long_text[QUEST_TEXT_CHARS_MAX * 3] = '\0';
    struct quest q = broken();
    q.questions[1].text = long_text; /* exactly the maximum */
    assert_int_equal(quest_validate(&q, NULL), QUEST_OK);
    memcpy(long_text + QUEST_TEXT_CHARS_MAX * 3, "问", 4); /* one more, and the NUL */

    const char *const bad[] = {NULL, "", "\xE9\x97", "\xC0\xAF", long_text};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        q = broken();
        q.questions[1].text = bad[i];
        expect_invalid(&q, QUEST_BAD_TEXT, 1, -1);
        q = broken();
        q.questions[4].options[2].text = bad[i];
        expect_invalid(&q, QUEST_BAD_TEXT, 4, 2);
    }
}

static void test_validate_options(void **state)
{
    (void)state;
    struct quest q = broken();
    q.questions[5].option_count = 1;
    expect_invalid(&q, QUEST_BAD_OPTION_COUNT, 5, -1);
    q.questions[5].option_count = QUEST_OPTIONS_MAX + 1;
    expect_invalid(&q, QUEST_BAD_OPTION_COUNT, 5, -1);
    q = broken();
    q.questions[9].option_count = 4; /* liquidity has 3: the fourth is empty */
    expect_invalid(&q, QUEST_BAD_TEXT, 9, 3);

    q = broken();
    q.questions[0].options[1].score = -1;
    expect_invalid(&q, QUEST_BAD_SCORE, 0, 1);
    q.questions[0].options[1].score = QUEST_SCORE_MAX + 1;
    expect_invalid(&q, QUEST_BAD_SCORE, 0, 1);

    q = broken();
    for (uint32_t j = 0; j < q.questions[6].option_count; j++)
        q.questions[6].options[j].disqualifying = true;
    expect_invalid(&q, QUEST_ALL_DISQUALIFYING, 6, -1);
}

static void test_validate_thresholds(void **state)
{
    (void)state;
    struct quest q = broken();
    static const int32_t not_ascending[][4] = {
        {30, 30, 60, 80}, {45, 30, 60, 80}, {30, 45, 80, 60}};
    for (size_t i = 0; i < 3; i++) {
        memcpy(q.thresholds, not_ascending[i], sizeof q.thresholds);
        expect_invalid(&q, QUEST_THRESHOLDS_NOT_ASCENDING, -1, -1);
    }
    /* Totals without the disqualifying answer run 16..100. */
    static const int32_t unreachable[][4] = {
        {16, 45, 60, 80},  /* C1 would need a total below 16 */
        {30, 45, 60, 101}, /* C5 would need more than 100 */
        {0, 5, 10, 16},    /* C1..C3 below every total */
        {30, 45, 60, 200},
        {17, 18, 19, 100}, /* C2 needs exactly 17, but the smallest step up from 16 is 2 */
    };
    for (size_t i = 0; i < sizeof unreachable / sizeof unreachable[0]; i++) {
        q = broken();
        q.lowest_below = 0;
        memcpy(q.thresholds, unreachable[i], sizeof q.thresholds);
        expect_invalid(&q, QUEST_CATEGORY_UNREACHABLE, -1, -1);
    }
    q = broken();
    memcpy(q.thresholds, (int32_t[4]){18, 19, 20, 100}, sizeof q.thresholds);
    q.lowest_below = 0;
    assert_int_equal(quest_validate(&q, NULL), QUEST_OK); /* 16, 18, 19, 20 and 100: tight */

    q = broken();
    q.lowest_below = -1;
    expect_invalid(&q, QUEST_BAD_FLOOR, -1, -1);
    q.lowest_below = 31;
    expect_invalid(&q, QUEST_BAD_FLOOR, -1, -1);
    q.lowest_below = 30; /* the whole of C1 */
    assert_int_equal(quest_validate(&q, NULL), QUEST_OK);
}

static void test_validate_reachability_is_exact(void **state)
{
    (void)state;
    /* Two questions scoring 0 or 10 reach only 0, 10 and 20. Minimum and maximum alone would
     * accept cut points 5, 10, 15, 20, but no answers total 5..9 (C2). */
    struct quest q = {
        .question_count = 2,
        .thresholds = {5, 10, 15, 20},
        .questions =
            {
                {.id = "a",
                 .text = "A?",
                 .option_count = 2,
                 .options = {{.text = "no", .score = 0}, {.text = "yes", .score = 10}}},
                {.id = "b",
                 .text = "B?",
                 .option_count = 2,
                 .options = {{.text = "no", .score = 0}, {.text = "yes", .score = 10}}},
            },
    };
    expect_invalid(&q, QUEST_CATEGORY_UNREACHABLE, -1, -1);
    struct quest_error err;
    quest_validate(&q, &err);
    assert_non_null(strstr(err.msg, "C2"));
    /* A third option of 5 fills the gap... */
    q.questions[0].option_count = 3;
    q.questions[0].options[2] = (struct quest_option){.text = "maybe", .score = 5};
    assert_int_equal(quest_validate(&q, NULL), QUEST_OK);
    /* ...unless choosing it disqualifies: then 5 is a C1 result, not a C2 total. */
    q.questions[0].options[2].disqualifying = true;
    expect_invalid(&q, QUEST_CATEGORY_UNREACHABLE, -1, -1);
}

static int64_t cst_ms(int32_t y, int32_t m, int32_t d, int32_t hh, int32_t mm, int32_t ss)
{
    return civil_ms_of_cst((struct civil_date){y, m, d}, hh, mm, ss);
}

static void test_valid_until(void **state)
{
    (void)state;
    int64_t taken = cst_ms(2026, 3, 10, 14, 30, 0) + 123;
    assert_int_equal(quest_valid_until_ms(taken), cst_ms(2027, 3, 10, 14, 30, 0) + 123);
    /* A year across a leap day is 366 days, the other way 365. */
    taken = cst_ms(2027, 6, 1, 9, 0, 0);
    assert_int_equal(quest_valid_until_ms(taken) - taken, 366 * CIVIL_MS_PER_DAY);
    taken = cst_ms(2027, 2, 28, 9, 0, 0);
    assert_int_equal(quest_valid_until_ms(taken), cst_ms(2028, 2, 28, 9, 0, 0));
    /* 29 February: the 28th of the next year, not 1 March. */
    taken = cst_ms(2028, 2, 29, 10, 0, 0);
    assert_int_equal(quest_valid_until_ms(taken), cst_ms(2029, 2, 28, 10, 0, 0));
    assert_int_equal(quest_valid_until_ms(taken) - taken, 365 * CIVIL_MS_PER_DAY);
    /* The calendar date is China's: 2026-12-31T16:30Z is 2027-01-01 00:30 CST. */
    taken = cst_ms(2027, 1, 1, 0, 30, 0);
    assert_int_equal(quest_valid_until_ms(taken), cst_ms(2028, 1, 1, 0, 30, 0));
    struct civil_date until = civil_date_of_ms_cst(quest_valid_until_ms(taken));
    assert_int_equal(until.year, 2028);
    assert_int_equal(until.month, 1);
    assert_int_equal(until.day, 1);
}

static void test_is_valid(void **state)
{
    (void)state;
    int64_t taken = cst_ms(2028, 2, 29, 10, 0, 0);
    int64_t until = quest_valid_until_ms(taken);
    assert_true(quest_is_valid(taken, taken));
    assert_true(quest_is_valid(taken, cst_ms(2028, 12, 31, 23, 59, 59)));
    assert_true(quest_is_valid(taken, until - 1));
    assert_false(quest_is_valid(taken, until));
    assert_false(quest_is_valid(taken, cst_ms(2029, 3, 1, 0, 0, 0)));
    assert_false(quest_is_valid(taken, taken - 1)); /* dated in the future */
}

static void test_rc_str(void **state)
{
    (void)state;
    for (int rc = QUEST_OK; rc <= QUEST_ANSWER_OUT_OF_RANGE; rc++)
        assert_true(strlen(quest_rc_str((enum quest_rc)rc)) > 0);
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

static void taken_before_1970(void)
{
    (void)quest_valid_until_ms(-CIVIL_MS_PER_DAY);
}

static void taken_in_9999(void)
{
    (void)quest_is_valid(cst_ms(9999, 6, 1, 0, 0, 0), cst_ms(9999, 6, 2, 0, 0, 0));
}

static void score_null_result(void)
{
    (void)quest_score(quest_default(), lowest_options, DEFAULT_N, NULL, NULL);
}

static void test_contract_violations_abort(void **state)
{
    (void)state;
    assert_true(aborts(taken_before_1970));
    assert_true(aborts(taken_in_9999));
    assert_true(aborts(score_null_result));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_validates),
        cmocka_unit_test(test_each_category),
        cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_disqualifying),
        cmocka_unit_test(test_invalid_answers),
        cmocka_unit_test(test_validate_questions),
        cmocka_unit_test(test_validate_texts),
        cmocka_unit_test(test_validate_options),
        cmocka_unit_test(test_validate_thresholds),
        cmocka_unit_test(test_validate_reachability_is_exact),
        cmocka_unit_test(test_valid_until),
        cmocka_unit_test(test_is_valid),
        cmocka_unit_test(test_rc_str),
        cmocka_unit_test(test_contract_violations_abort),
    };
    return cmocka_run_group_tests_name("questionnaire", tests, NULL, NULL);
}
