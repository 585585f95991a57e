/* questionnaire.c: risk questionnaire validation, scoring, validity and the default (see .h). */
#include "core/questionnaire.h"

#include "base/check.h"
#include "base/civil.h"
#include "base/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define CATEGORIES (QUEST_THRESHOLDS + 1) /* C1..C5 */

const char *quest_rc_str(enum quest_rc rc)
{
    switch (rc) {
    case QUEST_OK:
        return "ok";
    case QUEST_NO_QUESTIONS:
        return "no questions";
    case QUEST_TOO_MANY_QUESTIONS:
        return "too many questions";
    case QUEST_BAD_ID:
        return "bad question id";
    case QUEST_DUPLICATE_ID:
        return "duplicate question id";
    case QUEST_BAD_TEXT:
        return "bad text";
    case QUEST_BAD_OPTION_COUNT:
        return "bad number of options";
    case QUEST_BAD_SCORE:
        return "score out of range";
    case QUEST_ALL_DISQUALIFYING:
        return "every option is disqualifying";
    case QUEST_THRESHOLDS_NOT_ASCENDING:
        return "thresholds not ascending";
    case QUEST_CATEGORY_UNREACHABLE:
        return "category unreachable";
    case QUEST_BAD_FLOOR:
        return "bad lowest-category floor";
    case QUEST_TOO_MANY_ANSWERS:
        return "more answers than questions";
    case QUEST_ANSWER_MISSING:
        return "answer missing";
    case QUEST_ANSWER_OUT_OF_RANGE:
        return "answer out of range";
    }
    return "unknown error";
}

/* Fill *err (when given) and return rc. Indexes are -1 when they do not apply. */
static enum quest_rc fail(struct quest_error *err, enum quest_rc rc, int32_t question,
                          int32_t option, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static enum quest_rc fail(struct quest_error *err, enum quest_rc rc, int32_t question,
                          int32_t option, const char *fmt, ...)
{
    if (err == NULL)
        return rc;
    err->rc = rc;
    err->question = question;
    err->option = option;
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return rc;
}

/* 1..QUEST_TEXT_CHARS_MAX code points of valid UTF-8. */
static bool text_ok(const char *s)
{
    if (s == NULL)
        return false;
    size_t len = strnlen(s, (size_t)QUEST_TEXT_CHARS_MAX * UTF8_SEQ_MAX + 1);
    if (len > (size_t)QUEST_TEXT_CHARS_MAX * UTF8_SEQ_MAX || !utf8_valid(s, len))
        return false;
    size_t chars = utf8_count(s, len);
    return chars >= 1 && chars <= QUEST_TEXT_CHARS_MAX;
}

/* 1..QUEST_ID_BYTES_MAX bytes of [a-z0-9_]. */
static bool id_ok(const char *s)
{
    if (s == NULL)
        return false;
    size_t len = strnlen(s, QUEST_ID_BYTES_MAX + 1);
    if (len == 0 || len > QUEST_ID_BYTES_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
}

static enum quest_rc validate_question(const struct quest_question *qq, int32_t i,
                                       struct quest_error *err)
{
    if (!id_ok(qq->id))
        return fail(err, QUEST_BAD_ID, i, -1,
                    "questions[%d]: id must be 1 to %d bytes of a-z, 0-9 and _", i,
                    QUEST_ID_BYTES_MAX);
    if (!text_ok(qq->text))
        return fail(err, QUEST_BAD_TEXT, i, -1,
                    "questions[%d]: text must be 1 to %d characters of valid UTF-8", i,
                    QUEST_TEXT_CHARS_MAX);
    if (qq->option_count < QUEST_OPTIONS_MIN || qq->option_count > QUEST_OPTIONS_MAX)
        return fail(err, QUEST_BAD_OPTION_COUNT, i, -1, "questions[%d]: must have %d to %d options",
                    i, QUEST_OPTIONS_MIN, QUEST_OPTIONS_MAX);
    bool any_qualifying = false;
    for (int32_t j = 0; j < (int32_t)qq->option_count; j++) {
        const struct quest_option *o = &qq->options[j];
        if (!text_ok(o->text))
            return fail(err, QUEST_BAD_TEXT, i, j,
                        "questions[%d].options[%d]: text must be 1 to %d characters of valid "
                        "UTF-8",
                        i, j, QUEST_TEXT_CHARS_MAX);
        if (o->score < 0 || o->score > QUEST_SCORE_MAX)
            return fail(err, QUEST_BAD_SCORE, i, j,
                        "questions[%d].options[%d]: score %d is outside 0 to %d", i, j,
                        (int)o->score, QUEST_SCORE_MAX);
        any_qualifying = any_qualifying || !o->disqualifying;
    }
    if (!any_qualifying)
        return fail(err, QUEST_ALL_DISQUALIFYING, i, -1,
                    "questions[%d]: at least one option must not be disqualifying", i);
    return QUEST_OK;
}

static enum quest_rc validate_questions(const struct quest *q, struct quest_error *err)
{
    if (q->question_count == 0)
        return fail(err, QUEST_NO_QUESTIONS, -1, -1, "a questionnaire needs at least one question");
    if (q->question_count > QUEST_QUESTIONS_MAX)
        return fail(err, QUEST_TOO_MANY_QUESTIONS, -1, -1,
                    "a questionnaire has at most %d questions", QUEST_QUESTIONS_MAX);
    for (int32_t i = 0; i < (int32_t)q->question_count; i++) {
        enum quest_rc rc = validate_question(&q->questions[i], i, err);
        if (rc != QUEST_OK)
            return rc;
        for (int32_t k = 0; k < i; k++)
            if (strcmp(q->questions[k].id, q->questions[i].id) == 0)
                return fail(err, QUEST_DUPLICATE_ID, i, -1,
                            "questions[%d]: id \"%s\" is already used by questions[%d]", i,
                            q->questions[i].id, k);
    }
    return QUEST_OK;
}

/*
 * reach[s] := some answers that choose no disqualifying option total s. Subset-sum over at most
 * QUEST_QUESTIONS_MAX x QUEST_OPTIONS_MAX x (QUEST_TOTAL_MAX + 1) = 240,120 steps; the partial
 * total after question i is at most (i + 1) x QUEST_SCORE_MAX, so no index leaves the array.
 */
static void reachable_totals(const struct quest *q, bool reach[QUEST_TOTAL_MAX + 1])
{
    bool next[QUEST_TOTAL_MAX + 1];
    memset(reach, 0, sizeof(bool) * (QUEST_TOTAL_MAX + 1));
    reach[0] = true;
    for (uint32_t i = 0; i < q->question_count; i++) {
        const struct quest_question *qq = &q->questions[i];
        memset(next, 0, sizeof next);
        for (uint32_t j = 0; j < qq->option_count; j++) {
            if (qq->options[j].disqualifying)
                continue;
            int32_t score = qq->options[j].score;
            for (int32_t s = 0; s + score <= QUEST_TOTAL_MAX; s++)
                next[s + score] = next[s + score] || reach[s];
        }
        memcpy(reach, next, sizeof next);
    }
}

static int32_t clamp_total(int32_t v)
{
    return v < 0 ? 0 : v > QUEST_TOTAL_MAX + 1 ? QUEST_TOTAL_MAX + 1 : v;
}

static enum quest_rc validate_thresholds(const struct quest *q, struct quest_error *err)
{
    const int32_t *t = q->thresholds;
    for (int i = 1; i < QUEST_THRESHOLDS; i++)
        if (t[i] <= t[i - 1])
            return fail(err, QUEST_THRESHOLDS_NOT_ASCENDING, -1, -1,
                        "thresholds must be strictly ascending: %d then %d", (int)t[i - 1],
                        (int)t[i]);
    if (q->lowest_below < 0 || q->lowest_below > t[0])
        return fail(err, QUEST_BAD_FLOOR, -1, -1, "lowest_below must be 0 to %d (the C2 threshold)",
                    (int)t[0]);
    bool reach[QUEST_TOTAL_MAX + 1];
    reachable_totals(q, reach);
    for (int c = 1; c <= CATEGORIES; c++) {
        /* Category c covers totals [lo, hi). */
        int32_t lo = c == 1 ? 0 : clamp_total(t[c - 2]);
        int32_t hi = c == CATEGORIES ? QUEST_TOTAL_MAX + 1 : clamp_total(t[c - 1]);
        bool found = false;
        for (int32_t s = lo; s < hi && !found; s++)
            found = reach[s];
        if (!found)
            return fail(err, QUEST_CATEGORY_UNREACHABLE, -1, -1,
                        "no answers give category C%d (totals %d to %d)", c, (int)lo, (int)hi - 1);
    }
    return QUEST_OK;
}

enum quest_rc quest_validate(const struct quest *q, struct quest_error *err)
{
    ASSERT(q != NULL);
    enum quest_rc rc = validate_questions(q, err);
    if (rc == QUEST_OK)
        rc = validate_thresholds(q, err);
    if (rc == QUEST_OK && err != NULL)
        *err = (struct quest_error){.rc = QUEST_OK, .question = -1, .option = -1};
    return rc;
}

int quest_category_of_total(const struct quest *q, int32_t total)
{
    int category = 1;
    for (int i = 0; i < QUEST_THRESHOLDS; i++)
        category += total >= q->thresholds[i];
    ASSERT(category >= 1 && category <= CATEGORIES);
    return category;
}

enum quest_rc quest_score(const struct quest *q, const int *answers, size_t n,
                          struct quest_result *out, struct quest_error *err)
{
    ASSERT(q != NULL && out != NULL && (answers != NULL || n == 0));
    ASSERT(q->question_count >= 1 && q->question_count <= QUEST_QUESTIONS_MAX);
    if (n > q->question_count)
        return fail(err, QUEST_TOO_MANY_ANSWERS, -1, -1, "%zu answers for %u questions", n,
                    (unsigned)q->question_count);
    struct quest_result r = {.total = 0, .disqualified_by = -1};
    for (int32_t i = 0; i < (int32_t)q->question_count; i++) {
        const struct quest_question *qq = &q->questions[i];
        ASSERT(qq->option_count <= QUEST_OPTIONS_MAX);
        int a = (size_t)i < n ? answers[i] : QUEST_NO_ANSWER;
        if (a == QUEST_NO_ANSWER)
            return fail(err, QUEST_ANSWER_MISSING, i, -1, "question \"%s\": no answer", qq->id);
        if (a < 0 || a >= (int)qq->option_count)
            return fail(err, QUEST_ANSWER_OUT_OF_RANGE, i, a,
                        "question \"%s\": option %d does not exist (0 to %u)", qq->id, a,
                        (unsigned)qq->option_count - 1);
        r.total += qq->options[a].score;
        if (qq->options[a].disqualifying && r.disqualified_by < 0)
            r.disqualified_by = i;
    }
    r.lowest = r.disqualified_by >= 0 || r.total < q->lowest_below;
    r.category = r.lowest ? 1 : quest_category_of_total(q, r.total);
    *out = r;
    if (err != NULL)
        *err = (struct quest_error){.rc = QUEST_OK, .question = -1, .option = -1};
    return QUEST_OK;
}

int64_t quest_valid_until_ms(int64_t taken_ms)
{
    struct civil_time t = civil_time_of_ms_cst(taken_ms);
    ASSERT(t.date.year >= CIVIL_YEAR_MIN && t.date.year < CIVIL_YEAR_MAX);
    struct civil_date d = t.date;
    d.year += QUEST_VALIDITY_YEARS;
    /* 2028-02-29 -> 2029-02-28: a day early rather than a day late (2029-03-01). */
    if (d.month == 2 && d.day == 29 && !civil_is_leap_year(d.year))
        d.day = 28;
    int64_t until = civil_ms_of_cst(d, t.hour, t.minute, t.second) + t.ms;
    ASSERT(until > taken_ms);
    return until;
}

bool quest_is_valid(int64_t taken_ms, int64_t now_ms)
{
    return taken_ms <= now_ms && now_ms < quest_valid_until_ms(taken_ms);
}

/*
 * The built-in questionnaire. Each question's options run from the least to the most risk the
 * investor can bear, scoring up to 10, so totals run from 16 (the lowest option of every
 * question, the disqualifying one aside) to 100:
 *
 *     C1 保守型 16..29   C2 稳健型 30..44   C3 平衡型 45..59   C4 成长型 60..79   C5 进取型 80..100
 *
 * and a total below 20, or the answer "不能承受任何损失", is C1 of the lowest category. The
 * English in the comments is a gloss for readers of this file, not part of the questionnaire.
 *
 * The table is laid out by hand (clang-format off): the formatter's layout of nested
 * designated initializers pushes the glosses out of line with their options.
 */
/* clang-format off */
#define OPTION(t, s)            {.text = (t), .score = (s)}
#define OPTION_DISQUALIFYING(t) {.text = (t), .score = 0, .disqualifying = true}
/* option_count is counted from the options given, so the two cannot disagree. */
#define QUESTION(qid, qtext, ...)                                                                  \
    {.id = (qid), .text = (qtext),                                                                 \
     .option_count = sizeof((struct quest_option[]){__VA_ARGS__}) / sizeof(struct quest_option),  \
     .options = {__VA_ARGS__}}

static const struct quest default_quest = {
    .question_count = 10,
    .thresholds = {30, 45, 60, 80},
    .lowest_below = 20,
    .questions = {
        /* How old are you? */
        QUESTION("age", "您的年龄是？",
                 OPTION("60岁以上", 1),                  /* over 60 */
                 OPTION("51—60岁", 4),                   /* 51 to 60 */
                 OPTION("18—30岁", 8),                   /* 18 to 30 */
                 OPTION("41—50岁", 8),                   /* 41 to 50 */
                 OPTION("31—40岁", 10)),                 /* 31 to 40 */
        /* What is your household's income a year, in yuan? */
        QUESTION("income", "您的家庭年收入（折合人民币）为：",
                 OPTION("5万元以下", 2),                 /* below 50,000 */
                 OPTION("5万—20万元", 4),                /* 50,000 to 200,000 */
                 OPTION("20万—50万元", 6),               /* 200,000 to 500,000 */
                 OPTION("50万—100万元", 8),              /* 500,000 to 1 million */
                 OPTION("100万元以上", 10)),             /* above 1 million */
        /* What share of your household's financial assets will you put into funds? The smaller
         * the share, the less a loss hurts. */
        QUESTION("invest_share", "您计划用于基金投资的资金占家庭金融资产的比例为：",
                 OPTION("70%以上", 2),                   /* above 70% */
                 OPTION("50%—70%", 4),                   /* 50% to 70% */
                 OPTION("30%—50%", 6),                   /* 30% to 50% */
                 OPTION("10%—30%", 8),                   /* 10% to 30% */
                 OPTION("10%以下", 10)),                 /* below 10% */
        /* How long have you invested in stocks, funds, foreign exchange or derivatives? */
        QUESTION("experience", "您投资股票、基金、外汇、金融衍生品等风险投资品的经验有多长时间？",
                 OPTION("没有经验", 0),                  /* none */
                 OPTION("2年以下", 3),                   /* under 2 years */
                 OPTION("2—5年", 6),                     /* 2 to 5 years */
                 OPTION("5—8年", 8),                     /* 5 to 8 years */
                 OPTION("8年以上", 10)),                 /* over 8 years */
        /* How long do you plan to keep the money invested? */
        QUESTION("horizon", "您计划的投资期限是多长？",
                 OPTION("1年以下", 2),                   /* under a year */
                 OPTION("1—3年", 5),                     /* 1 to 3 years */
                 OPTION("3—5年", 8),                     /* 3 to 5 years */
                 OPTION("5年以上", 10)),                 /* over 5 years */
        /* What is the main purpose of your investment? */
        QUESTION("purpose", "您投资的主要目的是：",
                 OPTION("资产保值，获取稳定收益", 2),    /* keep the value, steady returns */
                 OPTION("资产稳健增长", 5),              /* steady growth */
                 OPTION("资产较快增长，愿意承担较大波动", 8), /* fast growth, large swings */
                 OPTION("追求高收益，能够承受很大波动", 10)), /* high returns, very large swings */
        /* What is the largest loss on your investment you could bear? */
        QUESTION("loss_tolerance", "您能承受的最大投资损失是多少？",
                 OPTION_DISQUALIFYING("不能承受任何损失"), /* none at all: lowest category */
                 OPTION("10%以内", 3),                   /* up to 10% */
                 OPTION("10%—30%", 6),                   /* 10% to 30% */
                 OPTION("30%—50%", 8),                   /* 30% to 50% */
                 OPTION("50%以上", 10)),                 /* more than 50% */
        /* Which best describes your knowledge of financial investment? */
        QUESTION("knowledge", "以下哪项最能说明您的金融投资知识水平？",
                 OPTION("欠缺，基本不了解金融产品", 1),  /* little: hardly knows the products */
                 OPTION("一般，了解常见金融产品及其风险", 4), /* basic: common products, risks */
                 OPTION("丰富，能够理解基金的定价和风险特征", 7), /* good: fund pricing, risks */
                 OPTION("专业，从事或学习过金融相关专业", 10)), /* works or studied in finance */
        /* What are your household's debts? */
        QUESTION("debt", "您目前的家庭负债情况是：",
                 OPTION("负债较重，月还款额超过月收入的50%", 2), /* repayments above 50% */
                 OPTION("有一定负债，月还款额占月收入的20%—50%", 5), /* 20% to 50% */
                 OPTION("负债较轻，月还款额低于月收入的20%", 8), /* below 20% of income */
                 OPTION("没有负债", 10)),                /* none */
        /* Might you need this money within the next year? */
        QUESTION("liquidity", "未来一年内，您是否可能需要动用这笔投资资金？",
                 OPTION("很可能需要随时动用", 1),        /* likely, at any moment */
                 OPTION("可能需要动用部分资金", 5),      /* possibly part of it */
                 OPTION("基本不需要动用", 10)),          /* most likely not */
    },
};
/* clang-format on */

const struct quest *quest_default(void)
{
    return &default_quest;
}
