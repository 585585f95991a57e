/*
 * test_campaign.c - unit tests of core/campaign: allowed and forbidden types, the rule each
 * forbidden one cites, and the scan of a campaign's wording, spacing and full-width evasions
 * included, with the span it reports in the original text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/campaign.h"

#define CAP 512

static struct campaign_hit scan(const char *text)
{
    static char norm[CAP];
    static uint32_t offs[CAP];
    struct campaign_hit hit;
    assert_true(campaign_scan(text, strlen(text), norm, offs, CAP, &hit));
    return hit;
}

static void expect_rule(const char *text, enum campaign_rule want)
{
    struct campaign_hit hit = scan(text);
    if (hit.rule != want)
        fail_msg("'%s': rule %d, want %d", text, (int)hit.rule, (int)want);
}

static void test_types(void **state)
{
    (void)state;
    enum campaign_rule rule = CAMPAIGN_RULE_TYING;
    assert_int_equal(campaign_type_parse("fee_discount", &rule), CAMPAIGN_FEE_DISCOUNT);
    assert_int_equal(rule, CAMPAIGN_RULE_NONE);
    assert_int_equal(campaign_type_parse("content_promotion", &rule), CAMPAIGN_CONTENT_PROMOTION);
    assert_int_equal(campaign_type_parse("segment_message", &rule), CAMPAIGN_SEGMENT_MESSAGE);
    assert_string_equal(campaign_type_name(CAMPAIGN_SEGMENT_MESSAGE), "segment_message");
    static const struct {
        const char *name;
        enum campaign_rule rule;
    } forbidden[] = {
        {"lottery", CAMPAIGN_RULE_LOTTERY},
        {"red_packet", CAMPAIGN_RULE_RED_PACKET},
        {"gift", CAMPAIGN_RULE_GIFT},
        {"free_shares", CAMPAIGN_RULE_FREE_SHARES},
        {"below_cost", CAMPAIGN_RULE_BELOW_COST},
        {"cashback", CAMPAIGN_RULE_BELOW_COST},
        {"tying", CAMPAIGN_RULE_TYING},
        {"bundle", CAMPAIGN_RULE_TYING},
        {"lucky_draw", CAMPAIGN_RULE_LOTTERY},
        {"hongbao", CAMPAIGN_RULE_RED_PACKET},
        {"red_envelope", CAMPAIGN_RULE_RED_PACKET},
        {"giveaway", CAMPAIGN_RULE_GIFT},
    };
    for (size_t i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++) {
        assert_int_equal(campaign_type_parse(forbidden[i].name, &rule), CAMPAIGN_TYPE_NONE);
        assert_int_equal(rule, forbidden[i].rule);
    }
    assert_int_equal(campaign_type_parse("banner", &rule), CAMPAIGN_TYPE_NONE);
    assert_int_equal(rule, CAMPAIGN_RULE_NONE);
    assert_int_equal(campaign_type_parse(NULL, &rule), CAMPAIGN_TYPE_NONE);
    assert_int_equal(campaign_type_parse("Fee_Discount", &rule), CAMPAIGN_TYPE_NONE);
}

static void test_rule_texts(void **state)
{
    (void)state;
    static const char *const codes[] = {"",        "no_lottery",     "no_red_packet",
                                        "no_gift", "no_free_shares", "no_below_cost",
                                        "no_tying"};
    for (int r = CAMPAIGN_RULE_LOTTERY; r <= CAMPAIGN_RULE_TYING; r++) {
        assert_string_equal(campaign_rule_code((enum campaign_rule)r), codes[r]);
        assert_true(strlen(campaign_rule_zh((enum campaign_rule)r)) > 10);
        assert_true(strlen(campaign_rule_en((enum campaign_rule)r)) > 10);
    }
    assert_non_null(strstr(campaign_rule_zh(CAMPAIGN_RULE_LOTTERY), "抽奖"));
    assert_non_null(strstr(campaign_rule_en(CAMPAIGN_RULE_BELOW_COST), "100%"));
}

static void test_scan_each_rule(void **state)
{
    (void)state;
    expect_rule("新春抽奖，人人有份", CAMPAIGN_RULE_LOTTERY);
    expect_rule("申购即领红包", CAMPAIGN_RULE_RED_PACKET);
    expect_rule("开户送精美礼品", CAMPAIGN_RULE_GIFT);
    expect_rule("首购赠送份额100份", CAMPAIGN_RULE_FREE_SHARES);
    expect_rule("新手体验金", CAMPAIGN_RULE_FREE_SHARES);
    expect_rule("0费率再返现", CAMPAIGN_RULE_BELOW_COST);
    expect_rule("买A基金送B基金", CAMPAIGN_RULE_TYING);
    expect_rule("与货币基金搭售", CAMPAIGN_RULE_TYING);
    expect_rule("Lucky Draw for new investors", CAMPAIGN_RULE_LOTTERY);
    expect_rule("Cash back on every order", CAMPAIGN_RULE_BELOW_COST);
}

static void test_scan_evasions(void **state)
{
    (void)state;
    /* A space, an ideographic space, a zero-width space, a soft hyphen, punctuation. */
    expect_rule("领取红 包", CAMPAIGN_RULE_RED_PACKET);
    expect_rule("红\xe3\x80\x80包", CAMPAIGN_RULE_RED_PACKET);
    expect_rule("红\xe2\x80\x8b包", CAMPAIGN_RULE_RED_PACKET);
    expect_rule("抽\xc2\xad奖", CAMPAIGN_RULE_LOTTERY);
    expect_rule("赠-品", CAMPAIGN_RULE_GIFT);
    /* Full-width Latin and mixed case. */
    expect_rule("\xef\xbc\xb2\xef\xbd\x85\xef\xbd\x84 Packet", CAMPAIGN_RULE_RED_PACKET);
    expect_rule("GIFT", CAMPAIGN_RULE_GIFT);
}

static void test_scan_priority_and_span(void **state)
{
    (void)state;
    /* The most specific rule: free shares, not a gift. */
    expect_rule("赠送份额", CAMPAIGN_RULE_FREE_SHARES);
    /* A red packet is cited before the buy-and-get pattern it also fits. */
    expect_rule("买基金送红包", CAMPAIGN_RULE_RED_PACKET);
    const char *text = "春季活动：红 包雨";
    struct campaign_hit hit = scan(text);
    assert_int_equal(hit.rule, CAMPAIGN_RULE_RED_PACKET);
    assert_string_equal(hit.word, "红包");
    /* The span covers 红, the space and 包 in the original. */
    assert_int_equal(hit.start, strlen("春季活动："));
    assert_int_equal(hit.end, strlen("春季活动：红 包"));
    hit = scan("先买入A，再送B");
    assert_int_equal(hit.rule, CAMPAIGN_RULE_TYING);
    assert_int_equal(hit.start, strlen("先"));
    assert_int_equal(hit.end, strlen("先买入A，再送"));
}

static void test_scan_clean(void **state)
{
    (void)state;
    /* Ordinary fee-discount wording passes; so do words that only look close. */
    expect_rule("春季申购费率优惠：指定产品申购费5折", CAMPAIGN_RULE_NONE);
    expect_rule("投资者的权利是我们的首要关切", CAMPAIGN_RULE_NONE);
    expect_rule("消息已送达关注者", CAMPAIGN_RULE_NONE);
    expect_rule("买入后请耐心持有，长期投资", CAMPAIGN_RULE_NONE);
    expect_rule("", CAMPAIGN_RULE_NONE);
    /* 买 and 送 too far apart are not a buy-and-get offer. */
    expect_rule("买入前请阅读基金合同和招募说明书等法律文件，确认后送", CAMPAIGN_RULE_NONE);
}

static void test_scan_bad_input(void **state)
{
    (void)state;
    char norm[8];
    uint32_t offs[8];
    struct campaign_hit hit;
    assert_false(campaign_scan("\xff\xfe", 2, norm, offs, sizeof(norm), &hit));
    assert_false(campaign_scan("0123456789", 10, norm, offs, sizeof(norm), &hit));
}

static void test_states(void **state)
{
    (void)state;
    static const char *const names[] = {"draft",   "pending", "rejected",  "approved",
                                        "running", "ended",   "exhausted", "stopped"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        assert_int_equal(campaign_state_parse(names[i]), CAMPAIGN_STATE_DRAFT + (int)i);
        assert_string_equal(campaign_state_name(CAMPAIGN_STATE_DRAFT + (int)i), names[i]);
    }
    assert_int_equal(campaign_state_parse("Draft"), CAMPAIGN_STATE_NONE);
    assert_int_equal(campaign_state_parse(""), CAMPAIGN_STATE_NONE);
    assert_int_equal(campaign_state_parse(NULL), CAMPAIGN_STATE_NONE);
}

/* Every action against every state and type: allowed exactly where the table says. */
static void test_actions(void **state)
{
    (void)state;
    enum {
        D = 1 << CAMPAIGN_STATE_DRAFT,
        P = 1 << CAMPAIGN_STATE_PENDING,
        R = 1 << CAMPAIGN_STATE_REJECTED,
        A = 1 << CAMPAIGN_STATE_APPROVED,
        U = 1 << CAMPAIGN_STATE_RUNNING,
        X = 1 << CAMPAIGN_STATE_EXHAUSTED
    };
    static const struct {
        enum campaign_action a;
        enum campaign_type t;
        int allowed;    /* bit s: allowed in state s */
        bool delivered; /* a segment message's message went out */
    } table[] = {
        {CAMPAIGN_EDIT, CAMPAIGN_FEE_DISCOUNT, D | R, false},
        {CAMPAIGN_EDIT, CAMPAIGN_SEGMENT_MESSAGE, D | R, false},
        {CAMPAIGN_SUBMIT, CAMPAIGN_CONTENT_PROMOTION, D, false},
        {CAMPAIGN_WITHDRAW, CAMPAIGN_SEGMENT_MESSAGE, P, false},
        {CAMPAIGN_WITHDRAW, CAMPAIGN_FEE_DISCOUNT, P, false},
        {CAMPAIGN_STOP, CAMPAIGN_FEE_DISCOUNT, A | U | X, false},
        {CAMPAIGN_STOP, CAMPAIGN_CONTENT_PROMOTION, A | U | X, false},
        {CAMPAIGN_STOP, CAMPAIGN_SEGMENT_MESSAGE, 0, true},
        /* Approved before its first day, not delivered yet: it may still be stopped. */
        {CAMPAIGN_STOP, CAMPAIGN_SEGMENT_MESSAGE, A | U | X, false},
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        for (int s = CAMPAIGN_STATE_DRAFT; s <= CAMPAIGN_STATE_STOPPED; s++) {
            const char *why =
                campaign_action_refusal(table[i].a, table[i].t, s, table[i].delivered);
            bool want = (table[i].allowed >> s) & 1;
            if ((why == NULL) != want)
                fail_msg("row %zu, state %d: %s", i, s, why ? why : "allowed");
        }
    assert_non_null(strstr(campaign_action_refusal(CAMPAIGN_STOP, CAMPAIGN_SEGMENT_MESSAGE,
                                                   CAMPAIGN_STATE_RUNNING, true),
                           "cannot be taken back"));
    assert_non_null(strstr(campaign_action_refusal(CAMPAIGN_STOP, CAMPAIGN_FEE_DISCOUNT,
                                                   CAMPAIGN_STATE_STOPPED, false),
                           "already stopped"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_rule_texts),
        cmocka_unit_test(test_scan_each_rule),
        cmocka_unit_test(test_scan_evasions),
        cmocka_unit_test(test_scan_priority_and_span),
        cmocka_unit_test(test_scan_clean),
        cmocka_unit_test(test_scan_bad_input),
        cmocka_unit_test(test_states),
        cmocka_unit_test(test_actions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
