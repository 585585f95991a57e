/* suitability.c: the CSRC 2017 suitability match and its risk warning (see suitability.h). */
#include "core/suitability.h"

#include "base/check.h"

#include <stdio.h>

const char suit_warning_version[] = "suit-warning-v1";

static const char *const category_codes[] = {"C1", "C2", "C3", "C4", "C5"};
static const char *const risk_codes[] = {"R1", "R2", "R3", "R4", "R5"};
static const char *const category_names[] = {"保守型", "稳健型", "平衡型", "成长型", "进取型"};
static const char *const risk_names[] = {"低风险", "中低风险", "中风险", "中高风险", "高风险"};
static const char *const category_names_en[] = {"conservative", "cautious", "balanced", "growth",
                                                "aggressive"};
static const char *const risk_names_en[] = {"low", "medium-low", "medium", "medium-high", "high"};

static bool level_valid(int level)
{
    return level >= SUIT_LEVEL_MIN && level <= SUIT_LEVEL_MAX;
}

static const char *const reason_messages[] = {
    [SUIT_REASON_PROFESSIONAL] = "professional investor",
    [SUIT_REASON_WITHIN_TOLERANCE] = "within the investor's risk tolerance",
    [SUIT_REASON_ABOVE_TOLERANCE] = "above the investor's risk tolerance",
    [SUIT_REASON_NO_ASSESSMENT] = "assessment missing or expired",
    [SUIT_REASON_LOWEST_CATEGORY] = "lowest risk category: only R1 products may be sold",
};

static enum suit_decision decide(struct suit_result *out, enum suit_decision d, enum suit_reason r)
{
    out->decision = d;
    out->reason = r;
    out->message = reason_messages[r];
    return d;
}

enum suit_decision suit_check(struct suit_investor inv, int product_risk, struct suit_result *out)
{
    ASSERT(level_valid(product_risk));
    ASSERT(out != NULL);
    if (inv.professional)
        return decide(out, SUIT_MATCH, SUIT_REASON_PROFESSIONAL);
    if (!inv.assessment_valid)
        return decide(out, SUIT_REFUSED, SUIT_REASON_NO_ASSESSMENT);
    ASSERT(level_valid(inv.category));
    ASSERT(!inv.lowest || inv.category == SUIT_LEVEL_MIN);
    if (product_risk <= suit_risk_limit(inv.category))
        return decide(out, SUIT_MATCH, SUIT_REASON_WITHIN_TOLERANCE);
    if (inv.lowest)
        return decide(out, SUIT_REFUSED, SUIT_REASON_LOWEST_CATEGORY);
    return decide(out, SUIT_NEEDS_CONFIRMATION, SUIT_REASON_ABOVE_TOLERANCE);
}

int suit_risk_limit(int category)
{
    ASSERT(level_valid(category));
    /* Cn -> Rn: the two scales have the same five steps. */
    return category;
}

size_t suit_warning_text(int category, int product_risk, char *buf, size_t cap)
{
    ASSERT(level_valid(category) && level_valid(product_risk));
    ASSERT(product_risk > suit_risk_limit(category));
    ASSERT(buf != NULL || cap == 0);
    int c = category - 1, r = product_risk - 1;
    int n = snprintf(buf, cap,
                     "风险提示：您的风险承受能力等级为%s（%s），本产品风险等级为%s（%s），"
                     "超出您的风险承受能力，本产品不适合您，本平台不向您推荐。"
                     "投资本产品可能损失部分或全部本金，过往业绩不代表未来表现。"
                     "如您仍坚持购买，请确认您已阅读并理解本提示及产品法律文件，"
                     "自愿承担投资风险及由此产生的全部后果。\n"
                     "Risk warning: your risk tolerance is %s (%s) and this product's risk level "
                     "is %s (%s), which exceeds your risk tolerance. The product is not suitable "
                     "for you and the platform does not recommend it. You may lose part or all of "
                     "your principal, and past performance does not indicate future results. If "
                     "you still wish to buy, confirm that you have read and understood this "
                     "warning and the product's legal documents and that you accept the "
                     "investment risk and all of its consequences.",
                     category_codes[c], category_names[c], risk_codes[r], risk_names[r],
                     category_codes[c], category_names_en[c], risk_codes[r], risk_names_en[r]);
    ASSERT(n > 0);
    if ((size_t)n >= cap) {
        if (cap > 0)
            buf[0] = '\0';
        return 0;
    }
    return (size_t)n;
}

const char *suit_decision_str(enum suit_decision d)
{
    switch (d) {
    case SUIT_MATCH:
        return "match";
    case SUIT_NEEDS_CONFIRMATION:
        return "needs_confirmation";
    case SUIT_REFUSED:
        return "refused";
    }
    return "unknown";
}

const char *suit_category_code(int category)
{
    ASSERT(level_valid(category));
    return category_codes[category - 1];
}

const char *suit_risk_code(int risk)
{
    ASSERT(level_valid(risk));
    return risk_codes[risk - 1];
}

const char *suit_category_name(int category)
{
    ASSERT(level_valid(category));
    return category_names[category - 1];
}

const char *suit_risk_name(int risk)
{
    ASSERT(level_valid(risk));
    return risk_names[risk - 1];
}

const char *suit_category_name_en(int category)
{
    ASSERT(level_valid(category));
    return category_names_en[category - 1];
}

const char *suit_risk_name_en(int risk)
{
    ASSERT(level_valid(risk));
    return risk_names_en[risk - 1];
}

/* Exactly two bytes: `letter` and one digit 1..5. */
static bool parse_level(const char *s, size_t len, char letter, int *out)
{
    if (len != 2 || s[0] != letter || s[1] < '0' + SUIT_LEVEL_MIN || s[1] > '0' + SUIT_LEVEL_MAX)
        return false;
    *out = s[1] - '0';
    return true;
}

bool suit_category_parse(const char *s, size_t len, int *out)
{
    return parse_level(s, len, 'C', out);
}

bool suit_risk_parse(const char *s, size_t len, int *out)
{
    return parse_level(s, len, 'R', out);
}
