/*
 * questionnaire.h: the risk questionnaire (风险承受能力问卷) that puts an investor into C1..C5.
 * Pure: no I/O, no allocation.
 *
 * A questionnaire is a list of single-choice questions; each option carries a score and the
 * investor's category follows from the total through four ascending cut points. Two rules make
 * an investor C1 of the lowest category (最低风险承受能力类别, whom suitability.h refuses above
 * R1): choosing an option marked `disqualifying` ("不能承受任何损失"), or a total below an
 * optional floor. A result is valid for one year (quest_valid_until_ms).
 *
 * The platform ships one definition (quest_default); operators may publish edited versions,
 * which the store keeps as JSON. struct quest is laid out to be filled straight from that JSON
 * (fixed arrays with counts, strings by pointer), and quest_validate is what makes such a
 * definition safe to score with.
 */
#ifndef CFH_QUESTIONNAIRE_H
#define CFH_QUESTIONNAIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QUEST_QUESTIONS_MAX  20 /* questions in one questionnaire */
#define QUEST_OPTIONS_MIN    2  /* options of one question */
#define QUEST_OPTIONS_MAX    6
#define QUEST_SCORE_MAX      100 /* one option scores 0..QUEST_SCORE_MAX */
#define QUEST_TOTAL_MAX      (QUEST_QUESTIONS_MAX * QUEST_SCORE_MAX) /* largest total: 2000 */
#define QUEST_THRESHOLDS     4    /* cut points between C1|C2|C3|C4|C5 */
#define QUEST_ID_BYTES_MAX   32   /* question id: [a-z0-9_]+ */
#define QUEST_TEXT_CHARS_MAX 200  /* question or option text, in code points */
#define QUEST_ERR_BYTES      160  /* struct quest_error message, NUL included */
#define QUEST_NO_ANSWER      (-1) /* an answers[] entry for a question left unanswered */
#define QUEST_VALIDITY_YEARS 1

enum quest_rc {
    QUEST_OK = 0,
    /* quest_validate */
    QUEST_NO_QUESTIONS,             /* question_count is 0 */
    QUEST_TOO_MANY_QUESTIONS,       /* question_count above QUEST_QUESTIONS_MAX */
    QUEST_BAD_ID,                   /* question id missing, empty, too long or not [a-z0-9_] */
    QUEST_DUPLICATE_ID,             /* two questions with one id */
    QUEST_BAD_TEXT,                 /* text missing, invalid UTF-8, empty or too long */
    QUEST_BAD_OPTION_COUNT,         /* fewer than 2 or more than QUEST_OPTIONS_MAX options */
    QUEST_BAD_SCORE,                /* an option score outside 0..QUEST_SCORE_MAX */
    QUEST_ALL_DISQUALIFYING,        /* a question whose every option is disqualifying */
    QUEST_THRESHOLDS_NOT_ASCENDING, /* cut points not strictly ascending */
    QUEST_CATEGORY_UNREACHABLE,     /* no answers give a total in some category's range */
    QUEST_BAD_FLOOR,                /* lowest_below negative or above the first cut point */
    /* quest_score */
    QUEST_TOO_MANY_ANSWERS,    /* more answers than questions */
    QUEST_ANSWER_MISSING,      /* fewer answers than questions, or a QUEST_NO_ANSWER entry */
    QUEST_ANSWER_OUT_OF_RANGE, /* an option index the question does not have */
};

/* What went wrong, for a 400 response or an operator's editing screen. */
struct quest_error {
    enum quest_rc rc;          /* OUT: the same code as returned */
    int32_t question;          /* OUT: index of the question at fault, or -1 */
    int32_t option;            /* OUT: index of the option at fault, or -1 */
    char msg[QUEST_ERR_BYTES]; /* OUT: lower-case English: "question 3 (\"income\"): no answer" */
};

struct quest_option {
    const char *text;   /* "不能承受任何损失"; not owned, NUL-terminated */
    int32_t score;      /* added to the total when chosen: 0..QUEST_SCORE_MAX */
    bool disqualifying; /* choosing it makes the investor C1 of the lowest category */
};

struct quest_question {
    const char *id;        /* "loss_tolerance": stable across versions; not owned */
    const char *text;      /* "您能承受的最大投资损失是多少？"; not owned */
    uint32_t option_count; /* QUEST_OPTIONS_MIN..QUEST_OPTIONS_MAX */
    struct quest_option options[QUEST_OPTIONS_MAX];
};

/*
 * A questionnaire. With t = thresholds, a total s gives C1 for s < t[0], C2 for
 * t[0] <= s < t[1], C3 for t[1] <= s < t[2], C4 for t[2] <= s < t[3] and C5 for s >= t[3].
 * The strings are not owned: they must outlive the struct (string literals, or the arena the
 * JSON was parsed into).
 */
struct quest {
    uint32_t question_count; /* 1..QUEST_QUESTIONS_MAX */
    struct quest_question questions[QUEST_QUESTIONS_MAX];
    int32_t thresholds[QUEST_THRESHOLDS]; /* lowest total of C2, C3, C4, C5: strictly ascending */
    int32_t lowest_below; /* a total below this is C1 of the lowest category; 0: no such floor */
};

struct quest_result {
    int32_t total;           /* OUT: sum of the chosen options' scores */
    int category;            /* OUT: 1..5 for C1..C5 */
    bool lowest;             /* OUT: C1 of the lowest category (disqualified or below the floor) */
    int32_t disqualified_by; /* OUT: first question answered with a disqualifying option, or -1 */
};

/*
 * Check that `q` can be scored and that every category can be the outcome: 1..QUEST_QUESTIONS_MAX
 * questions; ids of 1..QUEST_ID_BYTES_MAX bytes of [a-z0-9_], unique; question and option texts
 * of valid UTF-8 with 1..QUEST_TEXT_CHARS_MAX code points; 2..QUEST_OPTIONS_MAX options scoring
 * 0..QUEST_SCORE_MAX, not all disqualifying; strictly ascending thresholds such that for each of
 * C1..C5 some answers without a disqualifying option reach a total in its range (computed exactly
 * over all attainable totals, not just the minimum and maximum); 0 <= lowest_below <= t[0].
 * Returns QUEST_OK, or the first problem found with details in *err (OUT, may be NULL).
 */
enum quest_rc quest_validate(const struct quest *q, struct quest_error *err);

/*
 * Score one investor's answers: answers[i] is the index of the option chosen for question i,
 * or QUEST_NO_ANSWER, for i < n. `q` must have passed quest_validate. Every question needs an
 * answer in range (n may not exceed question_count; `answers` may be NULL only when n is 0).
 * Returns QUEST_OK and fills *out (OUT), or an error with details in *err (OUT, may be NULL),
 * leaving *out alone.
 */
enum quest_rc quest_score(const struct quest *q, const int *answers, size_t n,
                          struct quest_result *out, struct quest_error *err);

/* The category for `total` under q's thresholds: 1..5. `q` must have passed quest_validate. */
int quest_category_of_total(const struct quest *q, int32_t total);

/* A short lower-case English description of `rc`. Static, never NULL. */
const char *quest_rc_str(enum quest_rc rc);

/*
 * The built-in questionnaire: ten questions on age, income, the share of assets to invest,
 * experience, horizon, purpose, loss tolerance, knowledge, debt and liquidity needs; totals 16
 * to 100. A static constant that passes quest_validate; never NULL.
 */
const struct quest *quest_default(void);

/*
 * The first moment (UTC ms) at which a questionnaire taken at `taken_ms` is no longer valid:
 * the same China Standard Time wall-clock time on the same calendar date one year later
 * (2026-03-10 14:30 CST -> 2027-03-10 14:30 CST). A result taken on 29 February expires on
 * 28 February of the next year, so that validity never exceeds one year.
 * taken_ms must lie in CST years CIVIL_YEAR_MIN..CIVIL_YEAR_MAX - 1: it comes from our clock.
 */
int64_t quest_valid_until_ms(int64_t taken_ms);

/*
 * True when a result taken at `taken_ms` may be used at `now_ms`:
 * taken_ms <= now_ms < quest_valid_until_ms(taken_ms). A result dated after `now_ms` is not
 * valid (a stepped clock or a forged record); ask the investor to take the questionnaire again.
 */
bool quest_is_valid(int64_t taken_ms, int64_t now_ms);

#endif
