/*
 * fee.h: subscription and redemption fees, the shares they buy and the cash they return, and the
 * money-market figures (7-day yield, daily income credited as shares). Pure: no I/O, no globals,
 * no allocation.
 *
 * Units are those of DESIGN §4: money in fen, shares in hundredths (shares_h), NAV in 0.0001 CNY
 * (nav_e4), rates in parts per million (rate_ppm). Every division states its rounding and runs on
 * 128-bit intermediates (base/money.h), so no input can make a product overflow silently.
 *
 * A product's fees are two schedules of tiers. fee_validate_subscription and
 * fee_validate_redemption apply the platform's rules when an institution configures them
 * (DESIGN §5: contiguous tiers from zero, the fee caps in force from 2026-01-01, at least 1.5%
 * for holdings under 7 days); the quote functions then price one order. The quotes never apply
 * the caps themselves, so a schedule configured before the caps still prices its old orders, but
 * they do refuse a schedule they cannot price (no tier for the amount, a rate outside 0..100%).
 */
#ifndef CFH_FEE_H
#define CFH_FEE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/civil.h"

/* Tiers in one schedule. A limit of the fee module's own structs, kept here with them. */
#define FEE_TIERS_MAX 8

/* The max of the last tier: the tier has no upper bound. */
#define FEE_OPEN_END INT64_MAX

/* 100% in rate_ppm. */
#define FEE_PPM_ONE INT64_C(1000000)

/* Subscription caps (DESIGN §5, in force from 2026-01-01), in ppm. */
#define FEE_CAP_EQUITY_PPM  8000 /* 0.8%: active equity-leaning (equity, equity-leaning mixed) */
#define FEE_CAP_MIXED_PPM   5000 /* 0.5%: other mixed funds */
#define FEE_CAP_PASSIVE_PPM 3000 /* 0.3%: index and bond funds */

/* Redemption: a holding of fewer than FEE_SHORT_HOLD_DAYS pays at least this rate. */
#define FEE_SHORT_HOLD_DAYS         7
#define FEE_SHORT_HOLD_RATE_MIN_PPM 15000 /* 1.5% */

/* Money-market: the 7-day yield averages this many calendar days. */
#define FEE_MMF_YIELD_DAYS 7
/* Largest |万份收益| accepted: 10000.0000 CNY per 10,000 shares, i.e. 100% in one day. Far above
 * anything real; it bounds the arithmetic, not the market. */
#define FEE_MMF_INCOME_PER_10K_MAX_E4 INT64_C(100000000)

#define FEE_ERR_MSG_CAP 256

enum fee_rc {
    FEE_OK = 0,
    /* schedule rules (fee_validate_*); fee_error.tier names the tier */
    FEE_E_EMPTY,               /* the schedule has no tiers */
    FEE_E_TOO_MANY,            /* more than FEE_TIERS_MAX tiers */
    FEE_E_NOT_FROM_ZERO,       /* tier 0 does not start at 0 */
    FEE_E_GAP,                 /* a tier starts after the previous one ends */
    FEE_E_OVERLAP,             /* a tier starts before the previous one ends */
    FEE_E_BAD_RANGE,           /* a tier's max is not greater than its min */
    FEE_E_NOT_OPEN_ENDED,      /* the last tier's max is not FEE_OPEN_END */
    FEE_E_RATE_RANGE,          /* a rate outside 0..FEE_PPM_ONE */
    FEE_E_FIXED_RANGE,         /* a negative fixed fee */
    FEE_E_BOTH_RATE_AND_FIXED, /* a subscription tier with both a rate and a fixed fee */
    FEE_E_CAP,                 /* above the subscription cap of the fund type */
    FEE_E_MMF_FEE,             /* a money-market fund with any fee */
    FEE_E_SHORT_HOLD_MIN,      /* a holding under 7 days charged less than 1.5% */
    /* quote inputs */
    FEE_E_AMOUNT,              /* amount_fen <= 0 */
    FEE_E_NAV,                 /* nav_e4 <= 0 */
    FEE_E_DISCOUNT_RANGE,      /* discount_ppm outside 0..FEE_PPM_ONE */
    FEE_E_NO_TIER,             /* no tier covers the amount or the holding period */
    FEE_E_FEE_EXCEEDS_AMOUNT,  /* a fixed fee that leaves nothing to invest */
    FEE_E_NO_SHARES,           /* the net amount buys less than the smallest share unit */
    FEE_E_SHARES,              /* shares_h <= 0 (or < 0 where 0 is allowed) */
    FEE_E_INSUFFICIENT_SHARES, /* more shares asked for than the lots hold */
    FEE_E_LOT,                 /* a lot with negative shares or a bad date; lots not oldest first */
    FEE_E_LOT_AFTER_TRADE,     /* a lot being redeemed was confirmed after the trade date */
    FEE_E_DATE,                /* the trade date is not a real day */
    FEE_E_LINES_CAP,           /* more lots consumed than the caller's lines array holds */
    FEE_E_INCOME_RANGE,        /* |per-10k income| above FEE_MMF_INCOME_PER_10K_MAX_E4 */
    FEE_E_OVERFLOW,            /* a result does not fit in int64 */
};

/* A short lower-case English description of `rc`. Never NULL; the string is static. */
const char *fee_rc_str(enum fee_rc rc);

/* What a schedule validation found: the first broken rule, in tier order. */
struct fee_error {
    enum fee_rc code;          /* OUT: FEE_OK, or the rule broken */
    int32_t tier;              /* OUT: index of the offending tier; -1 when no single tier */
    char msg[FEE_ERR_MSG_CAP]; /* OUT: "tier 2: rate 1.00% exceeds the 0.30% cap for ..." */
};

enum fee_fund_type {
    FEE_FUND_NONE = 0,
    FEE_FUND_MONEY_MARKET,
    FEE_FUND_BOND,
    FEE_FUND_INDEX,
    FEE_FUND_EQUITY,
    FEE_FUND_MIXED,
    FEE_FUND_QDII,
};

/* "money_market", "bond", "index", "equity", "mixed", "qdii" (the products.type column); ""
 * for FEE_FUND_NONE. */
const char *fee_fund_type_name(enum fee_fund_type t);
/* FEE_FUND_NONE when s is NULL or not a type name. */
enum fee_fund_type fee_fund_type_parse(const char *s);

/* How shares (or income shares) that are not a whole hundredth become one: per product. */
enum fee_rounding {
    FEE_ROUND_HALF_UP = 0, /* "half_up": to the nearest, a tie away from zero */
    FEE_ROUND_TRUNCATE,    /* "truncate": toward zero */
};

/* "half_up" or "truncate" (the products.share_rounding column). */
const char *fee_rounding_name(enum fee_rounding r);
/* True and *out set (OUT) when s names a rounding; false otherwise, *out untouched. */
bool fee_rounding_parse(const char *s, enum fee_rounding *out);

/*
 * The subscription cap in ppm that DESIGN §5 sets for a fund (in force from 2026-01-01):
 * FEE_CAP_EQUITY_PPM for equity funds, mixed funds with equity_leaning and QDII funds;
 * FEE_CAP_MIXED_PPM for other mixed funds; FEE_CAP_PASSIVE_PPM for index and bond funds; 0 for
 * money-market funds, which the platform sells without a subscription fee. equity_leaning is
 * read only for mixed funds. `type` must not be FEE_FUND_NONE.
 */
int64_t fee_subscription_cap_ppm(enum fee_fund_type type, bool equity_leaning);

/* One band of order amounts, [min_amount_fen, max_amount_fen). A tier charges a rate, or a fixed
 * fee per order, or nothing (both 0). */
struct fee_sub_tier {
    int64_t min_amount_fen; /* inclusive */
    int64_t max_amount_fen; /* exclusive; FEE_OPEN_END for the last tier */
    int64_t rate_ppm;       /* list rate, 外扣法; 0 for a fixed-fee tier */
    int64_t fixed_fen;      /* fee per order; 0 for a rate tier */
};

struct fee_sub_schedule {
    size_t n;                                 /* tiers in use, 1..FEE_TIERS_MAX */
    struct fee_sub_tier tiers[FEE_TIERS_MAX]; /* by amount, ascending */
};

/* One band of holding periods in calendar days, [min_days, max_days). */
struct fee_red_tier {
    int64_t min_days; /* inclusive */
    int64_t max_days; /* exclusive; FEE_OPEN_END for the last tier */
    int64_t rate_ppm;
};

struct fee_red_schedule {
    size_t n;                                 /* tiers in use, 1..FEE_TIERS_MAX */
    struct fee_red_tier tiers[FEE_TIERS_MAX]; /* by holding days, ascending */
};

/*
 * Check a subscription schedule against the platform's rules, in tier order, stopping at the
 * first broken one: 1..FEE_TIERS_MAX tiers; tier 0 starts at 0; each tier starts where the
 * previous ends and ends after it starts; the last is open-ended; rates within 0..FEE_PPM_ONE, no
 * negative fixed fee, not both a rate and a fixed fee; and the cap of
 * fee_subscription_cap_ppm(type, equity_leaning). A fixed fee is held to the cap at the tier's
 * smallest amount, where it weighs most: fixed_fen <= cap × min_amount_fen (so a fixed-fee tier
 * cannot start at 0). Money-market funds may charge nothing at all (FEE_E_MMF_FEE).
 *
 * `type` must not be FEE_FUND_NONE; s must not be NULL; err may be NULL. Returns FEE_OK, or the
 * rule's code with err filled in (err->code is always set, FEE_OK included).
 */
enum fee_rc fee_validate_subscription(enum fee_fund_type type, bool equity_leaning,
                                      const struct fee_sub_schedule *s, struct fee_error *err);

/*
 * Check a redemption schedule: the same shape rules as fee_validate_subscription over holding
 * days; rates within 0..FEE_PPM_ONE; every tier that starts below FEE_SHORT_HOLD_DAYS charges at
 * least FEE_SHORT_HOLD_RATE_MIN_PPM; and a money-market fund charges 0 in every tier. There is
 * no cap. Arguments and result as for fee_validate_subscription.
 */
enum fee_rc fee_validate_redemption(enum fee_fund_type type, const struct fee_red_schedule *s,
                                    struct fee_error *err);

/* The price of one subscription order. */
struct fee_sub_quote {
    int64_t net_fen;          /* OUT: amount invested at NAV */
    int64_t fee_fen;          /* OUT: amount − net, the platform's fee income */
    int64_t shares_h;         /* OUT: shares bought, > 0 */
    int64_t rate_ppm_applied; /* OUT: list rate after the discount; 0 for a fixed fee */
    size_t tier;              /* OUT: index of the tier the amount fell in */
    bool fixed;               /* OUT: the tier charged a fixed fee */
    int64_t campaign_off_fen; /* OUT: what a campaign took off the fee (0 without one) */
};

/*
 * Price a subscription of amount_fen (one order: several orders on a day are priced separately)
 * at nav_e4 = NAV(T), front-end fee by 外扣法 (DESIGN §5).
 *
 * The tier is the one with min_amount_fen <= amount_fen < max_amount_fen. discount_ppm is the
 * fraction of the list rate the investor pays: FEE_PPM_ONE is full price, 100000 is "1折" (pays
 * 10% of it), 0 waives the rate fee. The applied rate is list × discount_ppm / 10^6 rounded half-up
 * to the ppm. For a rate tier
 *     net_fen = amount_fen × 10^6 / (10^6 + rate_ppm_applied), half-up to the fen,
 *     fee_fen = amount_fen − net_fen;
 * for a fixed-fee tier, which the discount does not touch, fee_fen = fixed_fen and net_fen =
 * amount_fen − fixed_fen. Shares follow from the rounded net amount:
 *     net_fen / 100 CNY ÷ nav_e4 / 10^4 CNY per share = net_fen × 100 / nav_e4 shares
 *     shares_h = net_fen × 10^4 / nav_e4, rounded by shares_rounding.
 *
 * s and out must not be NULL. Returns FEE_OK and fills *out (OUT), or leaves *out untouched and
 * returns FEE_E_AMOUNT (amount_fen <= 0), FEE_E_NAV (nav_e4 <= 0), FEE_E_DISCOUNT_RANGE,
 * FEE_E_TOO_MANY / FEE_E_EMPTY (s->n), FEE_E_NO_TIER, FEE_E_RATE_RANGE / FEE_E_FIXED_RANGE /
 * FEE_E_BOTH_RATE_AND_FIXED (the tier itself), FEE_E_FEE_EXCEEDS_AMOUNT, FEE_E_NO_SHARES (shares
 * round to 0) or FEE_E_OVERFLOW (shares beyond int64).
 */
enum fee_rc fee_quote_subscription(const struct fee_sub_schedule *s, int64_t amount_fen,
                                   int64_t discount_ppm, int64_t nav_e4,
                                   enum fee_rounding shares_rounding, struct fee_sub_quote *out);

/*
 * fee_quote_subscription with an institution's campaign discount (a fee_discount campaign) on
 * top of the platform's. The two combine multiplicatively on the rate fee:
 *     r1 = list × discount_ppm / 10^6, half-up to the ppm (the platform's, as above)
 *     r2 = r1 × (10^6 − campaign_off_ppm) / 10^6, half-up to the ppm
 *     fee1 = amount − amount × 10^6 / (10^6 + r1) half-up, the fee without the campaign
 *     fee2 = the same at r2, the fee with the whole campaign discount
 *     campaign_off_fen = min(fee1 − fee2, budget_left_fen)
 *     fee_fen = fee1 − campaign_off_fen, net_fen = amount − fee_fen, shares from net_fen
 * so the campaign takes at most what its budget has left (the last order may get part of its
 * discount) and the fee never falls below fee2 >= 0. campaign_off_ppm 10^6 waives the rate fee
 * (still >= 0); more than that is not a discount but a payment (below cost) and is refused with
 * FEE_E_DISCOUNT_RANGE. A fixed-fee tier is not discounted, as for the platform's discount:
 * campaign_off_fen is 0. budget_left_fen < 0 is FEE_E_AMOUNT.
 *
 * Example: 10,000.00 at a list rate of 0.8%, platform 1折, campaign 50% off, NAV 1.2345:
 * r1 = 800 ppm, fee1 = 7.99 (net 9,992.01); r2 = 400 ppm, fee2 = 4.00; off = 3.99;
 * fee 4.00, net 9,996.00, shares 9,996.00 / 1.2345 = 8,097.21 (half-up).
 *
 * Other arguments, results and errors as for fee_quote_subscription; rate_ppm_applied is r2
 * when the whole campaign discount was given, r1 otherwise.
 */
enum fee_rc fee_quote_subscription_campaign(const struct fee_sub_schedule *s, int64_t amount_fen,
                                            int64_t discount_ppm, int64_t campaign_off_ppm,
                                            int64_t budget_left_fen, int64_t nav_e4,
                                            enum fee_rounding shares_rounding,
                                            struct fee_sub_quote *out);

/* Shares an investor holds from one confirmation. */
struct fee_lot {
    int64_t shares_h;            /* >= 0; a lot of 0 is skipped */
    struct civil_date confirmed; /* the day the shares were confirmed (份额确认日) */
};

/* What one redemption takes from one lot. */
struct fee_red_line {
    size_t lot;        /* index into the caller's lots */
    int64_t shares_h;  /* taken from the lot, > 0 */
    int64_t days;      /* holding period in calendar days */
    size_t tier;       /* index of the redemption tier for `days` */
    int64_t rate_ppm;  /* that tier's rate */
    int64_t gross_fen; /* shares_h × NAV, half-up to the fen */
    int64_t fee_fen;   /* gross_fen × rate, half-up to the fen */
};

/* The price of one redemption order. The caller sets `lines` and `lines_cap`. */
struct fee_red_quote {
    struct fee_red_line *lines;     /* IN: room for the per-lot lines; NULL for totals only */
    size_t lines_cap;               /* IN: entries in lines (one per lot always suffices) */
    size_t n_lines;                 /* OUT: lots consumed, oldest first */
    int64_t gross_fen;              /* OUT: Σ line gross */
    int64_t fee_fen;                /* OUT: Σ line fee */
    int64_t net_fen;                /* OUT: gross − fee, the cash the investor receives */
    int64_t fee_to_fund_assets_fen; /* OUT: = fee_fen: since 2026-01-01 all of it */
    int64_t fee_to_platform_fen;    /* OUT: 0, for the same reason */
};

/*
 * Price a redemption of shares_h at nav_e4 = NAV(T), T = trade_date, first in first out: shares
 * come from lots[0] (the oldest) onwards, the last lot touched possibly in part.
 *
 * Holding period (持有期): calendar days from the lot's confirmation date to the redemption's
 * trade date T, civil_days_between(lot.confirmed, trade_date). Shares confirmed on 2026-03-02 and
 * redeemed with T = 2026-03-09 have held 7 days and leave the under-7-days tier; with
 * T = 2026-03-06 they have held 4 days and pay at least 1.5%. A lot confirmed on T has held 0
 * days. Per lot
 *     gross = shares_h / 100 × nav_e4 / 10^4 CNY = shares_h × nav_e4 / 10^4 fen, half-up,
 *     fee = gross × rate_ppm / 10^6, half-up to the fen,
 * following the published worked examples; totals are sums of the lines, net = gross − fee. Since
 * 2026-01-01 every redemption fee goes to fund assets (DESIGN §5), none to the platform.
 *
 * s, out and (when n > 0) lots must not be NULL; lots must be oldest first. Returns FEE_OK and
 * fills *out's OUT fields and out->lines[0..n_lines), or leaves the OUT fields untouched (lines
 * may have been written) and returns FEE_E_SHARES (shares_h <= 0), FEE_E_NAV, FEE_E_DATE,
 * FEE_E_TOO_MANY / FEE_E_EMPTY (s->n), FEE_E_LOT, FEE_E_INSUFFICIENT_SHARES,
 * FEE_E_LOT_AFTER_TRADE, FEE_E_NO_TIER, FEE_E_RATE_RANGE, FEE_E_LINES_CAP or FEE_E_OVERFLOW.
 */
enum fee_rc fee_quote_redemption(const struct fee_red_schedule *s, const struct fee_lot *lots,
                                 size_t n, int64_t shares_h, struct civil_date trade_date,
                                 int64_t nav_e4, struct fee_red_quote *out);

/*
 * Money-market 7-day annualised yield (DESIGN §5) from the per-10,000-share income (万份收益, in
 * 0.0001 CNY) of the last 7 calendar days, weekends and holidays included:
 *     yield = (Σ income / 7) × 365 / 10000 × 100%.
 * *yield_e5 (OUT) is in units of 10^-5, i.e. 0.001 percentage point: 1498 is "1.498%"
 * (money_format(yield_e5, 3, ...) and a '%'). With x in 0.0001 CNY, the daily return per share
 * is x / 10^8, so
 *     yield_e5 = Σx × 365 × 10^5 / (7 × 10^8) = Σx × 365 / 7000, half-up.
 * Income may be negative. Returns FEE_OK, or FEE_E_INCOME_RANGE (a day's |x| above
 * FEE_MMF_INCOME_PER_10K_MAX_E4) with *yield_e5 untouched.
 */
enum fee_rc fee_mmf_yield_7d(const int64_t income_per_10k_e4[FEE_MMF_YIELD_DAYS],
                             int64_t *yield_e5);

/*
 * One holder's income for one day, credited as shares at the fixed NAV 1.0000:
 *     income = shares_h / 100 × x / 10^4 / 10^4 CNY = shares_h × x / 10^8 fen,
 * and at NAV 1.0000 one fen buys one hundredth of a share, so *out_shares_h (OUT) =
 * shares_h × x / 10^8, rounded by r. Truncate is the usual choice and the recommended one: the
 * holders' credited income never sums to more than the fund earned. Negative income (rare) rounds
 * toward zero under truncate, like money_div_round.
 * Returns FEE_OK, or FEE_E_SHARES (shares_h < 0) or FEE_E_INCOME_RANGE with *out untouched.
 */
enum fee_rc fee_mmf_income_shares(int64_t shares_h, int64_t income_per_10k_e4, enum fee_rounding r,
                                  int64_t *out_shares_h);

#endif
