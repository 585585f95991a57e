/*
 * campaign.h: which marketing campaigns an institution may run (DESIGN §6), pure: no I/O, no
 * globals, no allocation beyond the caller's buffers.
 *
 * Allowed: a subscription-fee discount on the institution's own products, a promotion of its
 * own content among its followers, a message to a segment of its followers or holders.
 * Forbidden, each with the rule it breaks: lotteries, red packets, gifts, free fund shares,
 * below-cost offers, and tying one product to another. The fund-sales rules
 * (《公开募集证券投资基金销售机构监督管理办法》) forbid selling funds through lotteries,
 * kickbacks or gifts of goods, insurance or fund shares, and at fees below cost; a CSRC bureau
 * stopped exactly such a 财富号 campaign in 2018.
 *
 * A forbidden campaign is caught twice: by its declared type (campaign_type_parse) and by its
 * wording (campaign_scan), so that a "fee_discount" named 抽奖送红包 is refused too. The words
 * are matched on text normalised by norm_text (full-width to ASCII, case folded, spaces,
 * zero-width characters and punctuation dropped), so "红 包", "红\u200b包" and "ＲｅｄＰａｃｋｅｔ"
 * read 红包 and redpacket.
 */
#ifndef CFH_CAMPAIGN_H
#define CFH_CAMPAIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum campaign_type {
    CAMPAIGN_TYPE_NONE = 0,
    CAMPAIGN_FEE_DISCOUNT,
    CAMPAIGN_CONTENT_PROMOTION,
    CAMPAIGN_SEGMENT_MESSAGE,
};

/* The rule a forbidden campaign breaks. */
enum campaign_rule {
    CAMPAIGN_RULE_NONE = 0,
    CAMPAIGN_RULE_LOTTERY,     /* 抽奖 */
    CAMPAIGN_RULE_RED_PACKET,  /* 红包 */
    CAMPAIGN_RULE_GIFT,        /* 赠品、礼品 */
    CAMPAIGN_RULE_FREE_SHARES, /* 赠送份额 */
    CAMPAIGN_RULE_BELOW_COST,  /* a fee discount beyond 100%, "0 fee + cash back" */
    CAMPAIGN_RULE_TYING,       /* 买A送B: a benefit on one product for buying another */
};

/* "fee_discount", "content_promotion", "segment_message" (the campaigns.type column). */
const char *campaign_type_name(enum campaign_type t);

/*
 * The type named s. An allowed type is returned with *rule (OUT) = CAMPAIGN_RULE_NONE. A
 * forbidden one ("lottery", "red_packet", "gift", "free_shares", "below_cost", "tying" and a few
 * synonyms such as "cashback" or "bundle") is CAMPAIGN_TYPE_NONE with *rule set to the rule it
 * breaks; anything else is CAMPAIGN_TYPE_NONE with CAMPAIGN_RULE_NONE. s may be NULL.
 */
enum campaign_type campaign_type_parse(const char *s, enum campaign_rule *rule);

/* The rule's stable code: "no_lottery", "no_red_packet", "no_gift", "no_free_shares",
 * "no_below_cost", "no_tying". Not for CAMPAIGN_RULE_NONE. */
const char *campaign_rule_code(enum campaign_rule r);
/* The rule explained, in Chinese and in English (static strings). */
const char *campaign_rule_zh(enum campaign_rule r);
const char *campaign_rule_en(enum campaign_rule r);

/* What campaign_scan found: the first forbidden wording, as a span of the original text. */
struct campaign_hit {
    enum campaign_rule rule; /* OUT: CAMPAIGN_RULE_NONE when nothing was found */
    const char *word;        /* OUT: the listed word (normalised form, static), or "买…送" */
    uint32_t start, end;     /* OUT: byte span in the original text */
};

/*
 * Scans the UTF-8 text[0..len) for wording of a forbidden campaign, after norm_text. Rules are
 * tried in a fixed order (free shares, red packet, lottery, gift, below cost, tying) so that the
 * most specific one is cited: "赠送份额" is free shares, not a gift. Tying is also the pattern
 * 买 followed within CAMPAIGN_TYING_GAP_CHARS characters by 送 ("买A基金送B基金").
 *
 * norm and offs are the caller's scratch, cap entries each (cap >= len). Returns false when the
 * text is not valid UTF-8 or cap is too small (nothing is known: treat as refused); otherwise
 * true, with hit->rule CAMPAIGN_RULE_NONE or the rule, word and span found.
 */
bool campaign_scan(const char *text, size_t len, char *norm, uint32_t *offs, size_t cap,
                   struct campaign_hit *hit);

/*
 * A campaign's state. Draft, pending, rejected and approved are stored; an approved campaign
 * then reads as approved (before its period), running, ended, exhausted (a fee discount whose
 * budget is spent) or stopped (by its institution, before its last day) from the clock, the
 * budget and the stop.
 */
enum campaign_state {
    CAMPAIGN_STATE_NONE = 0,
    CAMPAIGN_STATE_DRAFT,
    CAMPAIGN_STATE_PENDING,
    CAMPAIGN_STATE_REJECTED,
    CAMPAIGN_STATE_APPROVED,
    CAMPAIGN_STATE_RUNNING,
    CAMPAIGN_STATE_ENDED,
    CAMPAIGN_STATE_EXHAUSTED,
    CAMPAIGN_STATE_STOPPED,
};

/* The state named s ("draft" … "stopped"); CAMPAIGN_STATE_NONE for anything else or NULL. */
enum campaign_state campaign_state_parse(const char *s);
/* The state's name, as the API shows it. Not for CAMPAIGN_STATE_NONE. */
const char *campaign_state_name(enum campaign_state s);

/* What an institution's staff do to a campaign once it exists. */
enum campaign_action {
    CAMPAIGN_EDIT,     /* draft or rejected: a draft again, with the new terms */
    CAMPAIGN_SUBMIT,   /* draft: pending, in the review queue */
    CAMPAIGN_WITHDRAW, /* pending: a draft again, out of the queue */
    CAMPAIGN_STOP,     /* approved, running or exhausted, not a delivered message: stopped */
};

/*
 * Why `a` may not be done to a campaign of type t in state s, as a sentence for the refusal
 * (static), or NULL when it may. `delivered`: a segment message's message has gone out. One
 * approved before its first day waits to be delivered then, and may be stopped until it is;
 * once delivered it cannot be taken back, so it cannot be stopped.
 */
const char *campaign_action_refusal(enum campaign_action a, enum campaign_type t,
                                    enum campaign_state s, bool delivered);

/* Characters 买 and 送 may be apart and still read as 买A送B. */
#define CAMPAIGN_TYING_GAP_CHARS 12

#endif
