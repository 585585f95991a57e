/* ledger.c: postings per business event (see the table in ledger.h). */
#include "core/ledger.h"

#include "base/check.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_names[LK_COUNT] = {
    "bank",       "available",     "held",        "in_transit",
    "settlement", "platform_fees", "fund_assets", "fund_issuance",
};

const char *ledger_kind_name(enum ledger_kind k)
{
    ASSERT(k >= 0 && k < LK_COUNT);
    return kind_names[k];
}

enum ledger_kind ledger_kind_parse(const char *s)
{
    for (int k = 0; k < LK_COUNT; k++)
        if (strcmp(s, kind_names[k]) == 0)
            return (enum ledger_kind)k;
    return LK_COUNT;
}

bool ledger_kind_may_go_negative(enum ledger_kind k)
{
    return k == LK_BANK || k == LK_FUND_ISSUANCE || k == LK_SETTLEMENT;
}

void ledger_asset_cash(char out[LEDGER_ASSET_BYTES])
{
    snprintf(out, LEDGER_ASSET_BYTES, "CNY");
}

void ledger_asset_shares(int64_t product_id, char out[LEDGER_ASSET_BYTES])
{
    ASSERT(product_id > 0);
    snprintf(out, LEDGER_ASSET_BYTES, "P:%lld", (long long)product_id);
}

static void begin(struct ledger_txn *t, const char *event, int64_t order)
{
    memset(t, 0, sizeof(*t));
    t->event = event;
    t->order_id = order;
}

/* Adds one leg; amount 0 adds nothing (a fee-free confirmation has no fee leg). */
static void leg(struct ledger_txn *t, int64_t product, enum ledger_kind from, int64_t from_owner,
                enum ledger_kind to, int64_t to_owner, int64_t amount)
{
    ASSERT(amount >= 0);
    if (amount == 0)
        return;
    ASSERT(t->n < LEDGER_POSTINGS_MAX);
    struct ledger_posting *p = &t->p[t->n++];
    if (product == 0)
        ledger_asset_cash(p->from.asset);
    else
        ledger_asset_shares(product, p->from.asset);
    memcpy(p->to.asset, p->from.asset, LEDGER_ASSET_BYTES);
    p->from.kind = from;
    p->from.owner_id = from_owner;
    p->to.kind = to;
    p->to.owner_id = to_owner;
    p->amount = amount;
}

enum ledger_rc ledger_topup(struct ledger_txn *t, int64_t investor, int64_t amount_fen)
{
    if (investor <= 0)
        return LEDGER_BAD_ID;
    if (amount_fen <= 0)
        return LEDGER_BAD_AMOUNT;
    begin(t, "topup", 0);
    leg(t, 0, LK_BANK, 0, LK_AVAILABLE, investor, amount_fen);
    return LEDGER_OK;
}

enum ledger_rc ledger_withdraw(struct ledger_txn *t, int64_t investor, int64_t amount_fen)
{
    if (investor <= 0)
        return LEDGER_BAD_ID;
    if (amount_fen <= 0)
        return LEDGER_BAD_AMOUNT;
    begin(t, "withdraw", 0);
    leg(t, 0, LK_AVAILABLE, investor, LK_BANK, 0, amount_fen);
    return LEDGER_OK;
}

enum ledger_rc ledger_sub_hold(struct ledger_txn *t, int64_t investor, int64_t order,
                               int64_t amount_fen)
{
    if (investor <= 0 || order <= 0)
        return LEDGER_BAD_ID;
    if (amount_fen <= 0)
        return LEDGER_BAD_AMOUNT;
    begin(t, "subscribe.hold", order);
    leg(t, 0, LK_AVAILABLE, investor, LK_HELD, investor, amount_fen);
    return LEDGER_OK;
}

enum ledger_rc ledger_sub_release(struct ledger_txn *t, int64_t investor, int64_t order,
                                  int64_t amount_fen)
{
    if (investor <= 0 || order <= 0)
        return LEDGER_BAD_ID;
    if (amount_fen <= 0)
        return LEDGER_BAD_AMOUNT;
    begin(t, "subscribe.release", order);
    leg(t, 0, LK_HELD, investor, LK_AVAILABLE, investor, amount_fen);
    return LEDGER_OK;
}

enum ledger_rc ledger_sub_confirm(struct ledger_txn *t, int64_t investor, int64_t institution,
                                  int64_t product, int64_t order, int64_t net_fen, int64_t fee_fen,
                                  int64_t shares_h)
{
    if (investor <= 0 || institution <= 0 || product <= 0 || order <= 0)
        return LEDGER_BAD_ID;
    if (net_fen <= 0 || fee_fen < 0 || shares_h <= 0)
        return LEDGER_BAD_AMOUNT;
    begin(t, "subscribe.confirm", order);
    leg(t, 0, LK_HELD, investor, LK_SETTLEMENT, institution, net_fen);
    leg(t, 0, LK_HELD, investor, LK_PLATFORM_FEES, 0, fee_fen);
    leg(t, product, LK_FUND_ISSUANCE, product, LK_AVAILABLE, investor, shares_h);
    return LEDGER_OK;
}

enum ledger_rc ledger_red_hold(struct ledger_txn *t, int64_t investor, int64_t product,
                               int64_t order, int64_t shares_h)
{
    if (investor <= 0 || product <= 0 || order <= 0)
        return LEDGER_BAD_ID;
    if (shares_h <= 0)
        return LEDGER_BAD_AMOUNT;
    begin(t, "redeem.hold", order);
    leg(t, product, LK_AVAILABLE, investor, LK_HELD, investor, shares_h);
    return LEDGER_OK;
}

enum ledger_rc ledger_red_release(struct ledger_txn *t, int64_t investor, int64_t product,
                                  int64_t order, int64_t shares_h)
{
    if (investor <= 0 || product <= 0 || order <= 0)
        return LEDGER_BAD_ID;
    if (shares_h <= 0)
        return LEDGER_BAD_AMOUNT;
    begin(t, "redeem.release", order);
    leg(t, product, LK_HELD, investor, LK_AVAILABLE, investor, shares_h);
    return LEDGER_OK;
}

enum ledger_rc ledger_red_confirm(struct ledger_txn *t, int64_t investor, int64_t institution,
                                  int64_t product, int64_t order, int64_t shares_h, int64_t net_fen,
                                  int64_t fee_fen)
{
    if (investor <= 0 || institution <= 0 || product <= 0 || order <= 0)
        return LEDGER_BAD_ID;
    if (shares_h <= 0 || net_fen < 0 || fee_fen < 0)
        return LEDGER_BAD_AMOUNT;
    begin(t, "redeem.confirm", order);
    leg(t, product, LK_HELD, investor, LK_FUND_ISSUANCE, product, shares_h);
    leg(t, 0, LK_SETTLEMENT, institution, LK_IN_TRANSIT, investor, net_fen);
    leg(t, 0, LK_SETTLEMENT, institution, LK_FUND_ASSETS, product, fee_fen);
    return LEDGER_OK;
}

enum ledger_rc ledger_red_pay(struct ledger_txn *t, int64_t investor, int64_t order,
                              int64_t net_fen)
{
    if (investor <= 0 || order <= 0)
        return LEDGER_BAD_ID;
    if (net_fen <= 0)
        return LEDGER_BAD_AMOUNT;
    begin(t, "redeem.pay", order);
    leg(t, 0, LK_IN_TRANSIT, investor, LK_AVAILABLE, investor, net_fen);
    return LEDGER_OK;
}

enum ledger_rc ledger_mmf_income(struct ledger_txn *t, int64_t investor, int64_t product,
                                 int64_t shares_h)
{
    if (investor <= 0 || product <= 0)
        return LEDGER_BAD_ID;
    if (shares_h <= 0)
        return LEDGER_BAD_AMOUNT;
    begin(t, "mmf.income", 0);
    leg(t, product, LK_FUND_ISSUANCE, product, LK_AVAILABLE, investor, shares_h);
    return LEDGER_OK;
}
