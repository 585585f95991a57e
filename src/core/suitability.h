/*
 * suitability.h: may this investor buy this product? Pure rules: no I/O, no allocation.
 *
 * The CSRC 《证券期货投资者适当性管理办法》 (2017) sorts ordinary investors into risk tolerance
 * categories C1 (保守型) .. C5 (进取型) from a risk questionnaire, and products into risk levels
 * R1 (低风险) .. R5 (高风险). DESIGN §5 turns that into this table, where the rows are the
 * investor's category and a product of level Rn matches when n is at most the row's limit:
 *
 *     C1 -> R1      C2 -> R1..R2      C3 -> R1..R3      C4 -> R1..R4      C5 -> R1..R5
 *
 * Professional investors (专业投资者) match every product. Above the limit the platform does not
 * promote the product; an investor who insists must be shown the special risk warning of
 * suit_warning_text and confirm it, and the confirmation is kept as evidence together with
 * suit_warning_version. The one exception is the lowest category (最低风险承受能力类别: C1 with
 * no risk tolerance at all, see questionnaire.h), who is refused outright above R1. R1 is still a
 * match for them: it is exactly the C1 row of the table, and the regulation forbids selling above
 * the investor's tolerance, not within it.
 *
 * Categories and levels are plain ints 1..5 so that they travel through JSON and SQL unchanged;
 * the wire spelling is "C3" and "R4" (suit_category_parse, suit_category_code).
 */
#ifndef CFH_SUITABILITY_H
#define CFH_SUITABILITY_H

#include <stdbool.h>
#include <stddef.h>

#define SUIT_LEVEL_MIN 1 /* C1, R1 */
#define SUIT_LEVEL_MAX 5 /* C5, R5 */

/* Bytes that always suffice for suit_warning_text, NUL included: the longest text is 930 bytes,
 * and test_suitability.c keeps it within half of this. */
#define SUIT_WARNING_CAP 2048

/*
 * The version of the text that suit_warning_text writes. Stored with every confirmation so that
 * the evidence says which words the investor saw; change it whenever the text changes (a unit
 * test pins one complete text to catch a forgotten change).
 */
extern const char suit_warning_version[];

enum suit_decision {
    SUIT_MATCH,              /* within the investor's tolerance: may be sold and promoted */
    SUIT_NEEDS_CONFIRMATION, /* above it: only after the investor confirms the special warning */
    SUIT_REFUSED,            /* must not be sold at all */
};

/* Why suit_check decided what it did; one reason per decision path. */
enum suit_reason {
    SUIT_REASON_PROFESSIONAL,     /* MATCH: professional investors match every product */
    SUIT_REASON_WITHIN_TOLERANCE, /* MATCH: product level <= the category's limit */
    SUIT_REASON_ABOVE_TOLERANCE,  /* NEEDS_CONFIRMATION: product level above the limit */
    SUIT_REASON_NO_ASSESSMENT,    /* REFUSED: no questionnaire, or it has expired */
    SUIT_REASON_LOWEST_CATEGORY,  /* REFUSED: lowest-category investor, product above R1 */
};

/* What suit_check needs to know about an investor. */
struct suit_investor {
    int category; /* 1..5 for C1..C5; not looked at when professional or unassessed */
    bool lowest;  /* C1 with no risk tolerance (最低风险承受能力类别); needs category 1 */
    bool professional;     /* 专业投资者: matches every product, no questionnaire needed */
    bool assessment_valid; /* a questionnaire result that has not expired (quest_is_valid) */
};

struct suit_result {
    enum suit_decision decision; /* OUT: the decision, as also returned */
    enum suit_reason reason;     /* OUT: why */
    const char *message; /* OUT: lower-case English, static: "assessment missing or expired" */
};

/*
 * Decide whether investor `inv` may buy a product of risk level `product_risk` (1..5), in this
 * order: a professional investor matches; without a valid assessment the investor is refused;
 * a lowest-category investor is refused above R1; otherwise the table above decides between
 * MATCH and NEEDS_CONFIRMATION. Fills *out (OUT) and returns out->decision.
 *
 * product_risk must be 1..5, and once the first two rules have not decided, inv.category must
 * be 1..5 and inv.lowest may only be set with category 1: the caller parses stored values with
 * suit_category_parse and suit_risk_parse, so anything else is a programmer error.
 */
enum suit_decision suit_check(struct suit_investor inv, int product_risk, struct suit_result *out);

/* The highest product risk level that matches an ordinary investor of `category` (1..5). */
int suit_risk_limit(int category);

/*
 * Write the special risk warning for an investor of `category` (1..5) who insists on a product
 * of `product_risk` (1..5, greater than category): a Chinese paragraph naming both levels, then
 * a newline and the same in English. Returns its length in bytes (NUL not counted); or 0,
 * leaving "" when cap > 0, if cap is too small (SUIT_WARNING_CAP always suffices).
 */
size_t suit_warning_text(int category, int product_risk, char *buf, size_t cap);

/* "match", "needs_confirmation", "refused": the wire names of a decision. Static, never NULL. */
const char *suit_decision_str(enum suit_decision d);

/* "C1".."C5" and "R1".."R5" for 1..5. Static strings; the argument must be 1..5. */
const char *suit_category_code(int category);
const char *suit_risk_code(int risk);

/* "保守型".."进取型" and "低风险".."高风险" for 1..5. Static strings; the argument must be 1..5. */
const char *suit_category_name(int category);
const char *suit_risk_name(int risk);

/* "conservative".."aggressive" and "low".."high" for 1..5. Static; the argument must be 1..5. */
const char *suit_category_name_en(int category);
const char *suit_risk_name_en(int risk);

/*
 * Parse exactly "C1".."C5" (suit_category_parse) or "R1".."R5" (suit_risk_parse) from s[0..len),
 * which need not be NUL-terminated (NULL only when len is 0). Upper case only, no spaces: one
 * spelling per value, so "c3", " C3", "C03", "C0" and "C6" are refused. On success sets *out
 * (OUT) to 1..5 and returns true; otherwise returns false and leaves *out alone.
 */
bool suit_category_parse(const char *s, size_t len, int *out);
bool suit_risk_parse(const char *s, size_t len, int *out);

#endif
