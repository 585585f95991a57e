/*
 * campaign.c: allowed and forbidden campaign types, the rules they cite, the scan of a
 * campaign's wording for forbidden offers, and what staff may do to a campaign in each state
 * (see campaign.h).
 */
#include "core/campaign.h"

#include "base/check.h"
#include "core/normalize.h"

#include <string.h>

static const char *const type_names[] = {"", "fee_discount", "content_promotion",
                                         "segment_message"};

const char *campaign_type_name(enum campaign_type t)
{
    ASSERT((int)t > CAMPAIGN_TYPE_NONE && (int)t <= CAMPAIGN_SEGMENT_MESSAGE);
    return type_names[t];
}

/* Forbidden type names as a client might send them, with the rule each breaks. */
static const struct {
    const char *name;
    enum campaign_rule rule;
} forbidden_types[] = {
    {"lottery", CAMPAIGN_RULE_LOTTERY},
    {"lucky_draw", CAMPAIGN_RULE_LOTTERY},
    {"raffle", CAMPAIGN_RULE_LOTTERY},
    {"red_packet", CAMPAIGN_RULE_RED_PACKET},
    {"red_envelope", CAMPAIGN_RULE_RED_PACKET},
    {"hongbao", CAMPAIGN_RULE_RED_PACKET},
    {"gift", CAMPAIGN_RULE_GIFT},
    {"giveaway", CAMPAIGN_RULE_GIFT},
    {"free_shares", CAMPAIGN_RULE_FREE_SHARES},
    {"share_giveaway", CAMPAIGN_RULE_FREE_SHARES},
    {"below_cost", CAMPAIGN_RULE_BELOW_COST},
    {"cashback", CAMPAIGN_RULE_BELOW_COST},
    {"cash_back", CAMPAIGN_RULE_BELOW_COST},
    {"rebate", CAMPAIGN_RULE_BELOW_COST},
    {"tying", CAMPAIGN_RULE_TYING},
    {"bundle", CAMPAIGN_RULE_TYING},
};

enum campaign_type campaign_type_parse(const char *s, enum campaign_rule *rule)
{
    ASSERT(rule != NULL);
    *rule = CAMPAIGN_RULE_NONE;
    if (s == NULL)
        return CAMPAIGN_TYPE_NONE;
    for (int t = CAMPAIGN_FEE_DISCOUNT; t <= CAMPAIGN_SEGMENT_MESSAGE; t++)
        if (strcmp(s, type_names[t]) == 0)
            return (enum campaign_type)t;
    for (size_t i = 0; i < sizeof(forbidden_types) / sizeof(forbidden_types[0]); i++)
        if (strcmp(s, forbidden_types[i].name) == 0)
            *rule = forbidden_types[i].rule;
    return CAMPAIGN_TYPE_NONE;
}

#define SALES_RULES "《公开募集证券投资基金销售机构监督管理办法》"

static const struct {
    const char *code, *zh, *en;
} rules[] = {
    [CAMPAIGN_RULE_LOTTERY] = {"no_lottery", "不得以抽奖方式销售基金（" SALES_RULES "）。",
                               "Funds may not be sold through lotteries or prize draws (the "
                               "fund-sales rules)."},
    [CAMPAIGN_RULE_RED_PACKET] = {"no_red_packet",
                                  "不得以红包、现金奖励等回扣方式销售基金（" SALES_RULES "）。",
                                  "Funds may not be sold with red packets or other cash "
                                  "rewards, which are kickbacks (the fund-sales rules)."},
    [CAMPAIGN_RULE_GIFT] = {"no_gift",
                            "不得以赠送实物、礼品或保险等方式销售基金（" SALES_RULES "）。",
                            "Funds may not be sold with gifts of goods or insurance (the "
                            "fund-sales rules)."},
    [CAMPAIGN_RULE_FREE_SHARES] = {"no_free_shares",
                                   "不得以赠送基金份额方式销售基金（" SALES_RULES "）。",
                                   "Funds may not be sold by giving fund shares away (the "
                                   "fund-sales rules)."},
    [CAMPAIGN_RULE_BELOW_COST] = {"no_below_cost",
                                  "不得以低于成本的费用销售基金：费率优惠不得超过100%，"
                                  "不得“零费率再返现”（" SALES_RULES "）。",
                                  "Funds may not be sold below cost: a fee discount may not "
                                  "exceed 100% of the fee, and no cash may be paid back on top "
                                  "of a waived fee (the fund-sales rules)."},
    [CAMPAIGN_RULE_TYING] = {"no_tying",
                             "不得搭售：一只产品的优惠不得以购买另一只产品为条件（买A送B）。",
                             "No tying: a benefit on one product may not depend on buying "
                             "another (buy A, get B)."},
};

static void check_rule(enum campaign_rule r)
{
    ASSERT((int)r > CAMPAIGN_RULE_NONE && (int)r <= CAMPAIGN_RULE_TYING);
}

const char *campaign_rule_code(enum campaign_rule r)
{
    check_rule(r);
    return rules[r].code;
}

const char *campaign_rule_zh(enum campaign_rule r)
{
    check_rule(r);
    return rules[r].zh;
}

const char *campaign_rule_en(enum campaign_rule r)
{
    check_rule(r);
    return rules[r].en;
}

/*
 * The words, already in norm_text's form (lower case, no spaces or punctuation), in the order
 * the rules are tried. Kept short and specific: a bare 送 or 奖 would refuse 送达 and 奖项.
 * 利是 is left out: it is inside 权利是.
 */
static const struct {
    enum campaign_rule rule;
    const char *word;
} words[] = {
    {CAMPAIGN_RULE_FREE_SHARES, "赠送份额"},
    {CAMPAIGN_RULE_FREE_SHARES, "送份额"},
    {CAMPAIGN_RULE_FREE_SHARES, "赠份额"},
    {CAMPAIGN_RULE_FREE_SHARES, "免费份额"},
    {CAMPAIGN_RULE_FREE_SHARES, "份额赠送"},
    {CAMPAIGN_RULE_FREE_SHARES, "赠送基金"},
    {CAMPAIGN_RULE_FREE_SHARES, "体验金"},
    {CAMPAIGN_RULE_FREE_SHARES, "freeshares"},
    {CAMPAIGN_RULE_RED_PACKET, "红包"},
    {CAMPAIGN_RULE_RED_PACKET, "redpacket"},
    {CAMPAIGN_RULE_RED_PACKET, "redenvelope"},
    {CAMPAIGN_RULE_RED_PACKET, "hongbao"},
    {CAMPAIGN_RULE_LOTTERY, "抽奖"},
    {CAMPAIGN_RULE_LOTTERY, "摇奖"},
    {CAMPAIGN_RULE_LOTTERY, "开奖"},
    {CAMPAIGN_RULE_LOTTERY, "中奖"},
    {CAMPAIGN_RULE_LOTTERY, "奖品"},
    {CAMPAIGN_RULE_LOTTERY, "大转盘"},
    {CAMPAIGN_RULE_LOTTERY, "刮刮乐"},
    {CAMPAIGN_RULE_LOTTERY, "砸金蛋"},
    {CAMPAIGN_RULE_LOTTERY, "lottery"},
    {CAMPAIGN_RULE_LOTTERY, "luckydraw"},
    {CAMPAIGN_RULE_LOTTERY, "raffle"},
    {CAMPAIGN_RULE_GIFT, "赠品"},
    {CAMPAIGN_RULE_GIFT, "礼品"},
    {CAMPAIGN_RULE_GIFT, "礼物"},
    {CAMPAIGN_RULE_GIFT, "礼包"},
    {CAMPAIGN_RULE_GIFT, "好礼"},
    {CAMPAIGN_RULE_GIFT, "赠礼"},
    {CAMPAIGN_RULE_GIFT, "送礼"},
    {CAMPAIGN_RULE_GIFT, "赠送"},
    {CAMPAIGN_RULE_GIFT, "免费领"},
    {CAMPAIGN_RULE_GIFT, "gift"},
    {CAMPAIGN_RULE_GIFT, "giveaway"},
    {CAMPAIGN_RULE_BELOW_COST, "返现"},
    {CAMPAIGN_RULE_BELOW_COST, "返利"},
    {CAMPAIGN_RULE_BELOW_COST, "返佣"},
    {CAMPAIGN_RULE_BELOW_COST, "回扣"},
    {CAMPAIGN_RULE_BELOW_COST, "现金返还"},
    {CAMPAIGN_RULE_BELOW_COST, "返还现金"},
    {CAMPAIGN_RULE_BELOW_COST, "负费率"},
    {CAMPAIGN_RULE_BELOW_COST, "倒贴"},
    {CAMPAIGN_RULE_BELOW_COST, "cashback"},
    {CAMPAIGN_RULE_BELOW_COST, "rebate"},
    {CAMPAIGN_RULE_BELOW_COST, "kickback"},
    {CAMPAIGN_RULE_TYING, "搭售"},
    {CAMPAIGN_RULE_TYING, "捆绑"},
    {CAMPAIGN_RULE_TYING, "buyoneget"},
};

#define BUY  "买"
#define GIVE "送"

static size_t utf8_char_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* 买 then 送 within CAMPAIGN_TYING_GAP_CHARS characters: where 买 starts and 送 ends. */
static bool find_tying(const char *s, size_t n, size_t *from, size_t *to)
{
    const char *buy = memmem(s, n, BUY, strlen(BUY));
    while (buy != NULL) {
        size_t at = (size_t)(buy - s) + strlen(BUY);
        for (int k = 0; k <= CAMPAIGN_TYING_GAP_CHARS && at < n; k++) {
            if (n - at >= strlen(GIVE) && memcmp(s + at, GIVE, strlen(GIVE)) == 0) {
                *from = (size_t)(buy - s);
                *to = at + strlen(GIVE);
                return true;
            }
            at += utf8_char_len((unsigned char)s[at]);
        }
        size_t next = (size_t)(buy - s) + strlen(BUY);
        buy = memmem(s + next, n - next, BUY, strlen(BUY));
    }
    return false;
}

static void set_hit(const char *text, size_t len, const uint32_t *offs, size_t from, size_t to,
                    enum campaign_rule rule, const char *word, struct campaign_hit *hit)
{
    hit->rule = rule;
    hit->word = word;
    norm_span_to_original(text, len, offs, from, to, &hit->start, &hit->end);
}

bool campaign_scan(const char *text, size_t len, char *norm, uint32_t *offs, size_t cap,
                   struct campaign_hit *hit)
{
    ASSERT(hit != NULL && norm != NULL && offs != NULL);
    memset(hit, 0, sizeof(*hit));
    size_t n = 0;
    if (norm_text(text, len, norm, offs, cap, &n, NULL) != NORM_OK)
        return false;
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        const char *w = words[i].word;
        const char *at = memmem(norm, n, w, strlen(w));
        /* UTF-8 is self-synchronising: a whole word only matches on character boundaries. */
        if (at != NULL) {
            size_t from = (size_t)(at - norm);
            set_hit(text, len, offs, from, from + strlen(w), words[i].rule, w, hit);
            return true;
        }
    }
    size_t from = 0, to = 0;
    if (find_tying(norm, n, &from, &to))
        set_hit(text, len, offs, from, to, CAMPAIGN_RULE_TYING, BUY "…" GIVE, hit);
    return true;
}

/* ---- states and what may be done in each ---- */

static const char *const state_names[] = {
    [CAMPAIGN_STATE_DRAFT] = "draft",         [CAMPAIGN_STATE_PENDING] = "pending",
    [CAMPAIGN_STATE_REJECTED] = "rejected",   [CAMPAIGN_STATE_APPROVED] = "approved",
    [CAMPAIGN_STATE_RUNNING] = "running",     [CAMPAIGN_STATE_ENDED] = "ended",
    [CAMPAIGN_STATE_EXHAUSTED] = "exhausted", [CAMPAIGN_STATE_STOPPED] = "stopped",
};

enum campaign_state campaign_state_parse(const char *s)
{
    for (int k = CAMPAIGN_STATE_DRAFT; s != NULL && k <= CAMPAIGN_STATE_STOPPED; k++)
        if (strcmp(s, state_names[k]) == 0)
            return (enum campaign_state)k;
    return CAMPAIGN_STATE_NONE;
}

const char *campaign_state_name(enum campaign_state s)
{
    ASSERT((int)s > CAMPAIGN_STATE_NONE && (int)s <= CAMPAIGN_STATE_STOPPED);
    return state_names[s];
}

const char *campaign_action_refusal(enum campaign_action a, enum campaign_type t,
                                    enum campaign_state s, bool delivered)
{
    ASSERT(s != CAMPAIGN_STATE_NONE);
    bool live = s == CAMPAIGN_STATE_APPROVED || s == CAMPAIGN_STATE_RUNNING ||
                s == CAMPAIGN_STATE_EXHAUSTED;
    switch (a) {
    case CAMPAIGN_EDIT:
        return s == CAMPAIGN_STATE_DRAFT || s == CAMPAIGN_STATE_REJECTED
                   ? NULL
                   : "only a draft or a rejected campaign can be edited";
    case CAMPAIGN_SUBMIT:
        return s == CAMPAIGN_STATE_DRAFT ? NULL : "only a draft campaign can be submitted";
    case CAMPAIGN_WITHDRAW:
        return s == CAMPAIGN_STATE_PENDING ? NULL
                                           : "only a campaign waiting for review can be withdrawn";
    case CAMPAIGN_STOP:
        if (live && t == CAMPAIGN_SEGMENT_MESSAGE && delivered)
            return "its segment message has been delivered; what was delivered cannot be taken "
                   "back, so it cannot be stopped";
        if (s == CAMPAIGN_STATE_STOPPED)
            return "the campaign is already stopped";
        return live ? NULL : "only an approved campaign that has not ended can be stopped";
    }
    BUG("unknown campaign action");
}
