/*
 * fee.c: fee schedules and their rules, subscription and redemption quotes, money-market yield and
 * income (see fee.h). Every division goes through money_div_round or money_mul_div with its
 * rounding written at the call; the comments show the arithmetic in the units of DESIGN §4.
 */
#include "core/fee.h"

#include "base/check.h"
#include "base/money.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define CAP_SOURCE "(DESIGN §5, in force from 2026-01-01)"

/* 10^4: the scale of nav_e4; also hundredths per share times fen per CNY (see the quotes). */
#define E4 INT64_C(10000)

/* ---- names ---------------------------------------------------------------------------------- */

static const char *const fund_type_names[] = {
    "", "money_market", "bond", "index", "equity", "mixed", "qdii",
};

const char *fee_fund_type_name(enum fee_fund_type t)
{
    ASSERT((int)t >= FEE_FUND_NONE && (int)t <= FEE_FUND_QDII);
    return fund_type_names[t];
}

enum fee_fund_type fee_fund_type_parse(const char *s)
{
    if (s == NULL)
        return FEE_FUND_NONE;
    for (int t = FEE_FUND_MONEY_MARKET; t <= FEE_FUND_QDII; t++)
        if (strcmp(s, fund_type_names[t]) == 0)
            return (enum fee_fund_type)t;
    return FEE_FUND_NONE;
}

const char *fee_rounding_name(enum fee_rounding r)
{
    switch (r) {
    case FEE_ROUND_HALF_UP:
        return "half_up";
    case FEE_ROUND_TRUNCATE:
        return "truncate";
    }
    BUG("unknown fee_rounding");
}

bool fee_rounding_parse(const char *s, enum fee_rounding *out)
{
    ASSERT(out != NULL);
    if (s != NULL && strcmp(s, "half_up") == 0)
        *out = FEE_ROUND_HALF_UP;
    else if (s != NULL && strcmp(s, "truncate") == 0)
        *out = FEE_ROUND_TRUNCATE;
    else
        return false;
    return true;
}

static enum money_round money_mode(enum fee_rounding r)
{
    switch (r) {
    case FEE_ROUND_HALF_UP:
        return MONEY_ROUND_HALF_UP;
    case FEE_ROUND_TRUNCATE:
        return MONEY_ROUND_TRUNCATE;
    }
    BUG("unknown fee_rounding");
}

const char *fee_rc_str(enum fee_rc rc)
{
    switch (rc) {
    case FEE_OK:
        return "ok";
    case FEE_E_EMPTY:
        return "the schedule has no tiers";
    case FEE_E_TOO_MANY:
        return "too many tiers";
    case FEE_E_NOT_FROM_ZERO:
        return "the first tier does not start at 0";
    case FEE_E_GAP:
        return "a gap between tiers";
    case FEE_E_OVERLAP:
        return "overlapping tiers";
    case FEE_E_BAD_RANGE:
        return "a tier ends before it starts";
    case FEE_E_NOT_OPEN_ENDED:
        return "the last tier is not open-ended";
    case FEE_E_RATE_RANGE:
        return "rate outside 0% to 100%";
    case FEE_E_FIXED_RANGE:
        return "negative fixed fee";
    case FEE_E_BOTH_RATE_AND_FIXED:
        return "a tier with both a rate and a fixed fee";
    case FEE_E_CAP:
        return "fee above the cap for the fund type";
    case FEE_E_MMF_FEE:
        return "money-market funds charge no fee";
    case FEE_E_SHORT_HOLD_MIN:
        return "holdings under 7 days must pay at least 1.5%";
    case FEE_E_AMOUNT:
        return "amount must be positive";
    case FEE_E_NAV:
        return "nav must be positive";
    case FEE_E_DISCOUNT_RANGE:
        return "discount outside 0% to 100% of the list rate";
    case FEE_E_NO_TIER:
        return "no fee tier covers the order";
    case FEE_E_FEE_EXCEEDS_AMOUNT:
        return "the fixed fee is not less than the amount";
    case FEE_E_NO_SHARES:
        return "the amount buys less than 0.01 share";
    case FEE_E_SHARES:
        return "shares must be positive";
    case FEE_E_INSUFFICIENT_SHARES:
        return "more shares than are held";
    case FEE_E_LOT:
        return "bad lot: negative shares, bad date, or not oldest first";
    case FEE_E_LOT_AFTER_TRADE:
        return "a lot was confirmed after the trade date";
    case FEE_E_DATE:
        return "bad trade date";
    case FEE_E_LINES_CAP:
        return "too many lots for the lines array";
    case FEE_E_INCOME_RANGE:
        return "per-10k income out of range";
    case FEE_E_OVERFLOW:
        return "result too large";
    }
    BUG("unknown fee_rc");
}

/* ---- caps ----------------------------------------------------------------------------------- */

int64_t fee_subscription_cap_ppm(enum fee_fund_type type, bool equity_leaning)
{
    switch (type) {
    case FEE_FUND_MONEY_MARKET:
        /* The platform's rule, not a regulatory cap: a money-market fund is a cash tool with a
         * fixed NAV of 1.0000, and the platform sells it without any subscription fee, rate or
         * fixed, so that parking cash never costs the investor money up front. */
        return 0;
    case FEE_FUND_BOND:
    case FEE_FUND_INDEX:
        return FEE_CAP_PASSIVE_PPM;
    case FEE_FUND_EQUITY:
        return FEE_CAP_EQUITY_PPM;
    case FEE_FUND_MIXED:
        return equity_leaning ? FEE_CAP_EQUITY_PPM : FEE_CAP_MIXED_PPM;
    case FEE_FUND_QDII:
        /* DESIGN §5 names no QDII category. QDII funds are mostly actively managed overseas
         * equity funds, so they take the active equity-leaning cap; that is also the highest
         * cap, so a QDII fund is never refused a fee an onshore fund of its kind may charge,
         * and never left uncapped. A passive QDII index fund would deserve the 0.3% cap, but
         * the product model does not record passive QDII funds apart. */
        return FEE_CAP_EQUITY_PPM;
    case FEE_FUND_NONE:
        break;
    }
    BUG("fee_subscription_cap_ppm: no fund type");
}

static const char *cap_label(enum fee_fund_type type, bool equity_leaning)
{
    switch (type) {
    case FEE_FUND_BOND:
        return "bond funds";
    case FEE_FUND_INDEX:
        return "index funds";
    case FEE_FUND_EQUITY:
        return "equity funds";
    case FEE_FUND_MIXED:
        return equity_leaning ? "equity-leaning mixed funds" : "mixed funds";
    case FEE_FUND_QDII:
        return "QDII funds (the active equity cap)";
    case FEE_FUND_MONEY_MARKET:
    case FEE_FUND_NONE:
        break;
    }
    BUG("cap_label: no cap label");
}

/* ---- error messages ------------------------------------------------------------------------- */

/* A number formatted for a message; returned by value so that several fit in one call. */
struct num {
    char s[MONEY_FORMAT_CAP + 8];
};

/* A rate as a percentage with 2 to 4 decimals: 15000 ppm is "1.50", 12345 is "1.2345". ppm is
 * 10^-4 percent, so money_format at scale 4 writes the percentage; trailing zeros then go. */
static struct num pct(int64_t ppm)
{
    struct num n;
    size_t len = money_format(ppm, 4, n.s, sizeof n.s);
    ASSERT(len >= 6); /* "0.0000" at least */
    while (n.s[len - 1] == '0' && n.s[len - 3] != '.')
        len--;
    n.s[len] = '\0';
    return n;
}

/* A tier bound: "5000000.00 CNY", "7 days" or "the open end". */
static struct num bound(int64_t v, bool fen)
{
    struct num n;
    char amount[MONEY_FORMAT_CAP];
    if (v == FEE_OPEN_END) {
        snprintf(n.s, sizeof n.s, "the open end");
    } else if (fen) {
        size_t len = money_format(v, MONEY_SCALE_FEN, amount, sizeof amount);
        ASSERT(len > 0);
        snprintf(n.s, sizeof n.s, "%s CNY", amount);
    } else {
        snprintf(n.s, sizeof n.s, "%" PRId64 " days", v);
    }
    return n;
}

static struct num cny(int64_t fen)
{
    return bound(fen, true);
}

static void error_ok(struct fee_error *err)
{
    if (err == NULL)
        return;
    err->code = FEE_OK;
    err->tier = -1;
    err->msg[0] = '\0';
}

static enum fee_rc fail(struct fee_error *err, enum fee_rc code, int32_t tier, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Record rule `code` broken by `tier` (-1: none) with a message "tier N: ..." and return it. */
static enum fee_rc fail(struct fee_error *err, enum fee_rc code, int32_t tier, const char *fmt, ...)
{
    ASSERT(code != FEE_OK);
    if (err == NULL)
        return code;
    err->code = code;
    err->tier = tier;
    int off = tier >= 0 ? snprintf(err->msg, sizeof err->msg, "tier %d: ", (int)tier) : 0;
    ASSERT(off >= 0 && (size_t)off < sizeof err->msg);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg + off, sizeof err->msg - (size_t)off, fmt, ap);
    va_end(ap);
    return code;
}

/* ---- validation ----------------------------------------------------------------------------- */

static enum fee_rc check_count(size_t n, struct fee_error *err)
{
    if (n == 0)
        return fail(err, FEE_E_EMPTY, -1,
                    "the schedule has no tiers; it needs one from 0 at least");
    if (n > FEE_TIERS_MAX)
        return fail(err, FEE_E_TOO_MANY, FEE_TIERS_MAX, "%zu tiers, at most %d are allowed", n,
                    FEE_TIERS_MAX);
    return FEE_OK;
}

/* The shape rules both schedules share. Tier i of n spans [min, max); prev_max ends tier i-1. */
static enum fee_rc check_span(size_t i, size_t n, int64_t min, int64_t max, int64_t prev_max,
                              bool fen, struct fee_error *err)
{
    int32_t t = (int32_t)i;
    if (i == 0 && min != 0)
        return fail(err, FEE_E_NOT_FROM_ZERO, t, "starts at %s; the first tier must start at 0",
                    bound(min, fen).s);
    if (i > 0 && min > prev_max)
        return fail(err, FEE_E_GAP, t, "starts at %s but tier %d ends at %s: a gap with no fee",
                    bound(min, fen).s, t - 1, bound(prev_max, fen).s);
    if (i > 0 && min < prev_max)
        return fail(err, FEE_E_OVERLAP, t, "starts at %s but tier %d runs to %s: they overlap",
                    bound(min, fen).s, t - 1, bound(prev_max, fen).s);
    if (max <= min)
        return fail(err, FEE_E_BAD_RANGE, t, "ends at %s, not after its start at %s",
                    bound(max, fen).s, bound(min, fen).s);
    if (i + 1 == n && max != FEE_OPEN_END)
        return fail(err, FEE_E_NOT_OPEN_ENDED, t, "the last tier ends at %s; it must be open-ended",
                    bound(max, fen).s);
    return FEE_OK;
}

static enum fee_rc check_rate(size_t i, int64_t rate_ppm, struct fee_error *err)
{
    if (rate_ppm < 0 || rate_ppm > FEE_PPM_ONE)
        return fail(err, FEE_E_RATE_RANGE, (int32_t)i, "rate %s%% is outside 0%% to 100%%",
                    pct(rate_ppm).s);
    return FEE_OK;
}

static enum fee_rc check_sub_tier(enum fee_fund_type type, bool equity_leaning, size_t i,
                                  const struct fee_sub_tier *t, struct fee_error *err)
{
    int32_t ti = (int32_t)i;
    if (check_rate(i, t->rate_ppm, err) != FEE_OK)
        return FEE_E_RATE_RANGE;
    if (t->fixed_fen < 0)
        return fail(err, FEE_E_FIXED_RANGE, ti, "fixed fee %s is negative", cny(t->fixed_fen).s);
    if (t->rate_ppm != 0 && t->fixed_fen != 0)
        return fail(err, FEE_E_BOTH_RATE_AND_FIXED, ti,
                    "has a rate (%s%%) and a fixed fee (%s); a tier charges one or the other",
                    pct(t->rate_ppm).s, cny(t->fixed_fen).s);
    if (type == FEE_FUND_MONEY_MARKET && (t->rate_ppm != 0 || t->fixed_fen != 0))
        return fail(err, FEE_E_MMF_FEE, ti,
                    "money-market funds are sold without a subscription fee (platform rule)");
    int64_t cap = fee_subscription_cap_ppm(type, equity_leaning);
    if (t->rate_ppm > cap)
        return fail(err, FEE_E_CAP, ti, "rate %s%% exceeds the %s%% cap for %s " CAP_SOURCE,
                    pct(t->rate_ppm).s, pct(cap).s, cap_label(type, equity_leaning));
    /* A fixed fee weighs most on the tier's smallest order: fixed / min_amount <= cap, i.e.
     * fixed_fen <= min_amount_fen × cap_ppm / 10^6, truncated (fixed_fen is whole fen). */
    int64_t fixed_max = 0;
    enum money_rc mrc =
        money_mul_div(t->min_amount_fen, cap, FEE_PPM_ONE, MONEY_ROUND_TRUNCATE, &fixed_max);
    ASSERT(mrc == MONEY_OK);
    if (t->fixed_fen > fixed_max)
        return fail(err, FEE_E_CAP, ti,
                    "fixed fee %s is more than the %s%% cap for %s on the smallest order of the "
                    "tier, %s " CAP_SOURCE,
                    cny(t->fixed_fen).s, pct(cap).s, cap_label(type, equity_leaning),
                    cny(t->min_amount_fen).s);
    return FEE_OK;
}

enum fee_rc fee_validate_subscription(enum fee_fund_type type, bool equity_leaning,
                                      const struct fee_sub_schedule *s, struct fee_error *err)
{
    ASSERT(s != NULL);
    ASSERT((int)type > FEE_FUND_NONE && (int)type <= FEE_FUND_QDII);
    error_ok(err);
    enum fee_rc rc = check_count(s->n, err);
    for (size_t i = 0; rc == FEE_OK && i < s->n; i++) {
        const struct fee_sub_tier *t = &s->tiers[i];
        int64_t prev_max = i > 0 ? s->tiers[i - 1].max_amount_fen : 0;
        rc = check_span(i, s->n, t->min_amount_fen, t->max_amount_fen, prev_max, true, err);
        if (rc == FEE_OK)
            rc = check_sub_tier(type, equity_leaning, i, t, err);
    }
    return rc;
}

static enum fee_rc check_red_tier(enum fee_fund_type type, size_t i, const struct fee_red_tier *t,
                                  struct fee_error *err)
{
    int32_t ti = (int32_t)i;
    if (check_rate(i, t->rate_ppm, err) != FEE_OK)
        return FEE_E_RATE_RANGE;
    /* The platform's rule: a money-market fund is redeemed at its fixed NAV of 1.0000 and its
     * schedule charges nothing in any tier. The regulation behind the 7-day minimum exempts
     * money-market funds: a short holding there does not dilute the other holders the way it
     * does in a fund whose NAV moves. */
    if (type == FEE_FUND_MONEY_MARKET) {
        if (t->rate_ppm != 0)
            return fail(err, FEE_E_MMF_FEE, ti,
                        "rate %s%%: money-market funds charge no redemption fee (platform rule)",
                        pct(t->rate_ppm).s);
        return FEE_OK;
    }
    if (t->min_days < FEE_SHORT_HOLD_DAYS && t->rate_ppm < FEE_SHORT_HOLD_RATE_MIN_PPM)
        return fail(err, FEE_E_SHORT_HOLD_MIN, ti,
                    "rate %s%% for holdings from %s is below the %s%% minimum for holdings under "
                    "%d days (DESIGN §5)",
                    pct(t->rate_ppm).s, bound(t->min_days, false).s,
                    pct(FEE_SHORT_HOLD_RATE_MIN_PPM).s, FEE_SHORT_HOLD_DAYS);
    return FEE_OK;
}

enum fee_rc fee_validate_redemption(enum fee_fund_type type, const struct fee_red_schedule *s,
                                    struct fee_error *err)
{
    ASSERT(s != NULL);
    ASSERT((int)type > FEE_FUND_NONE && (int)type <= FEE_FUND_QDII);
    error_ok(err);
    enum fee_rc rc = check_count(s->n, err);
    for (size_t i = 0; rc == FEE_OK && i < s->n; i++) {
        const struct fee_red_tier *t = &s->tiers[i];
        int64_t prev_max = i > 0 ? s->tiers[i - 1].max_days : 0;
        rc = check_span(i, s->n, t->min_days, t->max_days, prev_max, false, err);
        if (rc == FEE_OK)
            rc = check_red_tier(type, i, t, err);
    }
    return rc;
}

/* ---- quotes --------------------------------------------------------------------------------- */

static enum fee_rc check_size(size_t n)
{
    return n == 0 ? FEE_E_EMPTY : n > FEE_TIERS_MAX ? FEE_E_TOO_MANY : FEE_OK;
}

/* v lies in [min, max); FEE_OPEN_END as max has no upper bound, so INT64_MAX itself is in. */
static bool in_span(int64_t v, int64_t min, int64_t max)
{
    return v >= min && (max == FEE_OPEN_END || v < max);
}

/* The fee of a subscription of amount_fen > 0 in tier t: fills q's net, fee, rate and fixed. */
static enum fee_rc sub_fee(const struct fee_sub_tier *t, int64_t amount_fen, int64_t discount_ppm,
                           struct fee_sub_quote *q)
{
    if (t->rate_ppm < 0 || t->rate_ppm > FEE_PPM_ONE)
        return FEE_E_RATE_RANGE;
    if (t->fixed_fen < 0)
        return FEE_E_FIXED_RANGE;
    if (t->rate_ppm != 0 && t->fixed_fen != 0)
        return FEE_E_BOTH_RATE_AND_FIXED;
    if (t->fixed_fen > 0) {
        /* A fixed fee per order; the platform's discount is for rate fees only (DESIGN §5). */
        if (t->fixed_fen >= amount_fen)
            return FEE_E_FEE_EXCEEDS_AMOUNT;
        q->fixed = true;
        q->rate_ppm_applied = 0;
        q->fee_fen = t->fixed_fen;
        q->net_fen = amount_fen - t->fixed_fen;
        return FEE_OK;
    }
    /* rate = list × discount / 10^6, half-up to the ppm: 1.5% at 1折 is 15000 × 100000 / 10^6 =
     * 1500 ppm. Both factors are at most 10^6, so the rate never exceeds the list rate. */
    int64_t rate = 0;
    enum money_rc mrc =
        money_mul_div(t->rate_ppm, discount_ppm, FEE_PPM_ONE, MONEY_ROUND_HALF_UP, &rate);
    ASSERT(mrc == MONEY_OK && rate >= 0 && rate <= t->rate_ppm);
    /* 外扣法: the fee is a rate on the net amount, amount = net × (1 + rate), so
     * net_fen = amount_fen × 10^6 / (10^6 + rate_ppm), half-up. The divisor is at least the
     * multiplier, so 0 < amount / 2 <= net <= amount: no overflow, and net rounds to >= 1 fen. */
    mrc = money_mul_div(amount_fen, FEE_PPM_ONE, FEE_PPM_ONE + rate, MONEY_ROUND_HALF_UP,
                        &q->net_fen);
    ASSERT(mrc == MONEY_OK && q->net_fen > 0 && q->net_fen <= amount_fen);
    q->fixed = false;
    q->rate_ppm_applied = rate;
    q->fee_fen = amount_fen - q->net_fen;
    return FEE_OK;
}

/* The campaign's part of a rate fee already priced in q at r1 = q->rate_ppm_applied (see
 * fee_quote_subscription_campaign for the arithmetic). */
static void campaign_off(struct fee_sub_quote *q, int64_t amount_fen, int64_t off_ppm,
                         int64_t left_fen)
{
    /* r2 = r1 × (10^6 − off) / 10^6 <= r1: both factors are at most 10^6. */
    int64_t rate = 0, net = 0;
    enum money_rc mrc = money_mul_div(q->rate_ppm_applied, FEE_PPM_ONE - off_ppm, FEE_PPM_ONE,
                                      MONEY_ROUND_HALF_UP, &rate);
    ASSERT(mrc == MONEY_OK && rate >= 0 && rate <= q->rate_ppm_applied);
    mrc = money_mul_div(amount_fen, FEE_PPM_ONE, FEE_PPM_ONE + rate, MONEY_ROUND_HALF_UP, &net);
    ASSERT(mrc == MONEY_OK && net >= q->net_fen && net <= amount_fen);
    /* A lower rate never buys a higher fee: net is monotonic in the rate, so whole >= 0. */
    int64_t whole = net - q->net_fen;
    int64_t off = whole <= left_fen ? whole : left_fen;
    if (off == whole)
        q->rate_ppm_applied = rate;
    q->campaign_off_fen = off;
    q->fee_fen -= off;
    q->net_fen += off;
    ASSERT(q->fee_fen >= amount_fen - net);
}

enum fee_rc fee_quote_subscription_campaign(const struct fee_sub_schedule *s, int64_t amount_fen,
                                            int64_t discount_ppm, int64_t campaign_off_ppm,
                                            int64_t budget_left_fen, int64_t nav_e4,
                                            enum fee_rounding shares_rounding,
                                            struct fee_sub_quote *out)
{
    ASSERT(s != NULL && out != NULL);
    enum money_round shares_mode = money_mode(shares_rounding);
    if (amount_fen <= 0 || budget_left_fen < 0)
        return FEE_E_AMOUNT;
    if (nav_e4 <= 0)
        return FEE_E_NAV;
    if (discount_ppm < 0 || discount_ppm > FEE_PPM_ONE || campaign_off_ppm < 0 ||
        campaign_off_ppm > FEE_PPM_ONE)
        return FEE_E_DISCOUNT_RANGE;
    enum fee_rc rc = check_size(s->n);
    if (rc != FEE_OK)
        return rc;
    size_t i = 0;
    while (i < s->n && !in_span(amount_fen, s->tiers[i].min_amount_fen, s->tiers[i].max_amount_fen))
        i++;
    if (i == s->n)
        return FEE_E_NO_TIER;

    struct fee_sub_quote q = {.tier = i};
    rc = sub_fee(&s->tiers[i], amount_fen, discount_ppm, &q);
    if (rc != FEE_OK)
        return rc;
    if (!q.fixed && campaign_off_ppm > 0)
        campaign_off(&q, amount_fen, campaign_off_ppm, budget_left_fen);
    /* net_fen / 100 CNY ÷ (nav_e4 / 10^4 CNY per share) = net_fen × 100 / nav_e4 shares
     * = net_fen × 10^4 / nav_e4 hundredths of a share. A tiny NAV can overflow it. */
    if (money_mul_div(q.net_fen, E4, nav_e4, shares_mode, &q.shares_h) != MONEY_OK)
        return FEE_E_OVERFLOW;
    if (q.shares_h <= 0)
        return FEE_E_NO_SHARES;
    ASSERT(q.net_fen + q.fee_fen == amount_fen && q.fee_fen >= 0 && q.campaign_off_fen >= 0);
    *out = q;
    return FEE_OK;
}

enum fee_rc fee_quote_subscription(const struct fee_sub_schedule *s, int64_t amount_fen,
                                   int64_t discount_ppm, int64_t nav_e4,
                                   enum fee_rounding shares_rounding, struct fee_sub_quote *out)
{
    return fee_quote_subscription_campaign(s, amount_fen, discount_ppm, 0, 0, nav_e4,
                                           shares_rounding, out);
}

/* Lots must be well formed and oldest first before first-in-first-out means anything. */
static enum fee_rc check_lots(const struct fee_lot *lots, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (lots[i].shares_h < 0 || !civil_date_valid(lots[i].confirmed))
            return FEE_E_LOT;
        if (i > 0 && civil_date_cmp(lots[i - 1].confirmed, lots[i].confirmed) > 0)
            return FEE_E_LOT;
    }
    return FEE_OK;
}

/* The lots (checked, so every shares_h >= 0) hold at least shares_h > 0; no sum can overflow. */
static enum fee_rc check_enough(const struct fee_lot *lots, size_t n, int64_t shares_h)
{
    int64_t left = shares_h;
    for (size_t i = 0; i < n; i++) {
        if (lots[i].shares_h >= left)
            return FEE_OK;
        left -= lots[i].shares_h;
    }
    return FEE_E_INSUFFICIENT_SHARES;
}

/* Price `take` shares of `lot` redeemed with trade date T: holding days, tier, gross and fee. */
static enum fee_rc price_lot(const struct fee_red_schedule *s, const struct fee_lot *lot,
                             int64_t take, struct civil_date trade_date, int64_t nav_e4,
                             struct fee_red_line *line)
{
    if (civil_date_cmp(lot->confirmed, trade_date) > 0)
        return FEE_E_LOT_AFTER_TRADE;
    int64_t days = civil_days_between(lot->confirmed, trade_date);
    size_t k = 0;
    while (k < s->n && !in_span(days, s->tiers[k].min_days, s->tiers[k].max_days))
        k++;
    if (k == s->n)
        return FEE_E_NO_TIER;
    int64_t rate = s->tiers[k].rate_ppm;
    if (rate < 0 || rate > FEE_PPM_ONE)
        return FEE_E_RATE_RANGE;
    /* shares_h / 100 × nav_e4 / 10^4 CNY = shares_h × nav_e4 / 10^6 CNY
     * = shares_h × nav_e4 / 10^4 fen, half-up (the published examples round so). */
    int64_t gross = 0, fee = 0;
    if (money_mul_div(take, nav_e4, E4, MONEY_ROUND_HALF_UP, &gross) != MONEY_OK)
        return FEE_E_OVERFLOW;
    /* fee = gross_fen × rate_ppm / 10^6, half-up; rate <= 10^6 keeps it within gross. */
    enum money_rc mrc = money_mul_div(gross, rate, FEE_PPM_ONE, MONEY_ROUND_HALF_UP, &fee);
    ASSERT(mrc == MONEY_OK && fee >= 0 && fee <= gross);
    *line = (struct fee_red_line){
        .shares_h = take,
        .days = days,
        .tier = k,
        .rate_ppm = rate,
        .gross_fen = gross,
        .fee_fen = fee,
    };
    return FEE_OK;
}

enum fee_rc fee_quote_redemption(const struct fee_red_schedule *s, const struct fee_lot *lots,
                                 size_t n, int64_t shares_h, struct civil_date trade_date,
                                 int64_t nav_e4, struct fee_red_quote *out)
{
    ASSERT(s != NULL && out != NULL);
    ASSERT(lots != NULL || n == 0);
    if (shares_h <= 0)
        return FEE_E_SHARES;
    if (nav_e4 <= 0)
        return FEE_E_NAV;
    if (!civil_date_valid(trade_date))
        return FEE_E_DATE;
    enum fee_rc rc = check_size(s->n);
    if (rc == FEE_OK)
        rc = check_lots(lots, n);
    if (rc == FEE_OK)
        rc = check_enough(lots, n, shares_h);
    if (rc != FEE_OK)
        return rc;

    int64_t left = shares_h, gross = 0, fee = 0;
    size_t used = 0;
    for (size_t i = 0; i < n && left > 0; i++) {
        if (lots[i].shares_h == 0)
            continue;
        int64_t take = lots[i].shares_h < left ? lots[i].shares_h : left;
        struct fee_red_line line;
        rc = price_lot(s, &lots[i], take, trade_date, nav_e4, &line);
        if (rc != FEE_OK)
            return rc;
        line.lot = i;
        if (line.gross_fen > INT64_MAX - gross)
            return FEE_E_OVERFLOW;
        gross += line.gross_fen;
        fee += line.fee_fen; /* each fee <= its gross, so fee <= gross: no overflow */
        if (out->lines != NULL) {
            if (used >= out->lines_cap)
                return FEE_E_LINES_CAP;
            out->lines[used] = line;
        }
        used++;
        left -= take;
    }
    ASSERT(left == 0 && fee <= gross);
    out->n_lines = used;
    out->gross_fen = gross;
    out->fee_fen = fee;
    out->net_fen = gross - fee;
    /* Since 2026-01-01 every redemption fee is fund property (DESIGN §5): none to the platform. */
    out->fee_to_fund_assets_fen = fee;
    out->fee_to_platform_fen = 0;
    return FEE_OK;
}

/* ---- money-market funds --------------------------------------------------------------------- */

static bool income_ok(int64_t income_per_10k_e4)
{
    return income_per_10k_e4 >= -FEE_MMF_INCOME_PER_10K_MAX_E4 &&
           income_per_10k_e4 <= FEE_MMF_INCOME_PER_10K_MAX_E4;
}

enum fee_rc fee_mmf_yield_7d(const int64_t income_per_10k_e4[FEE_MMF_YIELD_DAYS], int64_t *yield_e5)
{
    ASSERT(income_per_10k_e4 != NULL && yield_e5 != NULL);
    int64_t sum = 0;
    for (int d = 0; d < FEE_MMF_YIELD_DAYS; d++) {
        if (!income_ok(income_per_10k_e4[d]))
            return FEE_E_INCOME_RANGE;
        sum += income_per_10k_e4[d];
    }
    /* x (0.0001 CNY per 10^4 shares) is a daily return of x / 10^8 per share. In units of 10^-5:
     * (Σx / 7) × 365 / 10^8 × 10^5 = Σx × 365 / 7000, half-up. |Σx| <= 7 × 10^8: no overflow. */
    enum money_rc mrc =
        money_mul_div(sum, 365, FEE_MMF_YIELD_DAYS * 1000, MONEY_ROUND_HALF_UP, yield_e5);
    ASSERT(mrc == MONEY_OK);
    return FEE_OK;
}

enum fee_rc fee_mmf_income_shares(int64_t shares_h, int64_t income_per_10k_e4, enum fee_rounding r,
                                  int64_t *out_shares_h)
{
    ASSERT(out_shares_h != NULL);
    enum money_round mode = money_mode(r);
    if (shares_h < 0)
        return FEE_E_SHARES;
    if (!income_ok(income_per_10k_e4))
        return FEE_E_INCOME_RANGE;
    /* shares_h / 100 shares × x / 10^4 CNY per 10^4 shares = shares_h × x / 10^10 CNY
     * = shares_h × x / 10^8 fen, and a fen buys a hundredth of a share at NAV 1.0000.
     * |x| <= 10^8 keeps |result| <= shares_h. */
    enum money_rc mrc =
        money_mul_div(shares_h, income_per_10k_e4, INT64_C(100000000), mode, out_shares_h);
    ASSERT(mrc == MONEY_OK);
    return FEE_OK;
}
