/*
 * ledger.h: the double-entry postings each business event causes. Pure: the store
 * applies a struct ledger_txn atomically (api/ledger_store.c).
 *
 * An account holds one asset — "CNY", or a product's shares "P:<product id>" — for one
 * owner. A posting moves an amount from one account to another of the same asset, so
 * every asset sums to zero over all accounts at every instant. Only accounts facing the
 * outside world (the bank, a fund's issuance) and an institution's settlement account
 * may go negative; the store refuses any posting that would make another one negative.
 *
 *   event              asset   from                       to
 *   topup              CNY     bank                       investor available
 *   withdraw           CNY     investor available         bank
 *   subscribe.hold     CNY     investor available         investor held
 *   subscribe.release  CNY     investor held              investor available
 *   subscribe.confirm  CNY     investor held              settlement(institution)  net
 *                      CNY     investor held              platform fee income      fee
 *                      P:id    fund issuance(product)     investor available       shares
 *   redeem.hold        P:id    investor available         investor held
 *   redeem.release     P:id    investor held              investor available
 *   redeem.confirm     P:id    investor held              fund issuance(product)   shares
 *                      CNY     settlement(institution)    investor in transit      net
 *                      CNY     settlement(institution)    fund assets(product)     fee
 *   redeem.pay         CNY     investor in transit        investor available       net
 *   mmf.income         P:id    fund issuance(product)     investor available       shares
 */
#ifndef CFH_LEDGER_H
#define CFH_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LEDGER_ASSET_BYTES  24
#define LEDGER_POSTINGS_MAX 4

enum ledger_kind {
    LK_BANK = 0,      /* the payment channel: money from and to the outside */
    LK_AVAILABLE,     /* investor: free cash or shares */
    LK_HELD,          /* investor: reserved by an accepted order */
    LK_IN_TRANSIT,    /* investor: redemption cash confirmed, arriving on T+n */
    LK_SETTLEMENT,    /* institution: owed to (+) or by (−) the institution */
    LK_PLATFORM_FEES, /* platform: subscription fee income */
    LK_FUND_ASSETS,   /* product: redemption fees kept by the fund */
    LK_FUND_ISSUANCE, /* product: counterpart of shares created and redeemed */
    LK_COUNT
};

struct ledger_account_ref {
    char asset[LEDGER_ASSET_BYTES];
    enum ledger_kind kind;
    int64_t owner_id; /* investor, institution or product id; 0 for platform-wide */
};

struct ledger_posting {
    struct ledger_account_ref from, to;
    int64_t amount; /* fen, or hundredths of a share; always > 0 */
};

struct ledger_txn {
    const char *event; /* "subscribe.confirm", ... (static string) */
    int64_t order_id;  /* 0 when not about an order */
    size_t n;
    struct ledger_posting p[LEDGER_POSTINGS_MAX];
};

enum ledger_rc {
    LEDGER_OK = 0,
    LEDGER_BAD_AMOUNT,
    LEDGER_BAD_ID
};

const char *ledger_kind_name(enum ledger_kind k);
/* LK_COUNT when s is not a kind name. */
enum ledger_kind ledger_kind_parse(const char *s);
/* True for the accounts that face the outside world and may hold a negative balance. */
bool ledger_kind_may_go_negative(enum ledger_kind k);
/* "CNY" or "P:<product id>" into out. */
void ledger_asset_cash(char out[LEDGER_ASSET_BYTES]);
void ledger_asset_shares(int64_t product_id, char out[LEDGER_ASSET_BYTES]);

/* Builders: each fills txn (zero-amount legs are left out) or returns an error for
 * non-positive amounts and ids. */
enum ledger_rc ledger_topup(struct ledger_txn *t, int64_t investor, int64_t amount_fen);
enum ledger_rc ledger_withdraw(struct ledger_txn *t, int64_t investor, int64_t amount_fen);
enum ledger_rc ledger_sub_hold(struct ledger_txn *t, int64_t investor, int64_t order,
                               int64_t amount_fen);
enum ledger_rc ledger_sub_release(struct ledger_txn *t, int64_t investor, int64_t order,
                                  int64_t amount_fen);
/* amount_fen = net_fen + fee_fen is the held amount. */
enum ledger_rc ledger_sub_confirm(struct ledger_txn *t, int64_t investor, int64_t institution,
                                  int64_t product, int64_t order, int64_t net_fen, int64_t fee_fen,
                                  int64_t shares_h);
enum ledger_rc ledger_red_hold(struct ledger_txn *t, int64_t investor, int64_t product,
                               int64_t order, int64_t shares_h);
enum ledger_rc ledger_red_release(struct ledger_txn *t, int64_t investor, int64_t product,
                                  int64_t order, int64_t shares_h);
enum ledger_rc ledger_red_confirm(struct ledger_txn *t, int64_t investor, int64_t institution,
                                  int64_t product, int64_t order, int64_t shares_h, int64_t net_fen,
                                  int64_t fee_fen);
enum ledger_rc ledger_red_pay(struct ledger_txn *t, int64_t investor, int64_t order,
                              int64_t net_fen);
enum ledger_rc ledger_mmf_income(struct ledger_txn *t, int64_t investor, int64_t product,
                                 int64_t shares_h);

#endif
