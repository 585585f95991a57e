/*
 * investor_cash.c: an investor's cash in the platform. Top-up and withdrawal are
 * simulated bank transfers, but they post exactly what a real payment channel would
 * cause: bank ⇄ investor available (core/ledger.h). A withdrawal that would overdraw is
 * refused by the ledger itself, so no interleaving of requests can make it negative.
 */
#include "api/handlers.h"
#include "api/ledger_store.h"
#include "api/trading.h"

#include "base/check.h"

#include <string.h>

static json_t *cash_json(struct store_conn *c, int64_t investor, struct store_err *err,
                         enum store_rc *rc)
{
    char cny[LEDGER_ASSET_BYTES];
    ledger_asset_cash(cny);
    int64_t avail = 0, held = 0, transit = 0;
    *rc = ledger_balance(c, cny, LK_AVAILABLE, investor, &avail, err);
    if (*rc == STORE_OK)
        *rc = ledger_balance(c, cny, LK_HELD, investor, &held, err);
    if (*rc == STORE_OK)
        *rc = ledger_balance(c, cny, LK_IN_TRANSIT, investor, &transit, err);
    if (*rc != STORE_OK)
        return NULL;
    return json_pack("{s:o,s:o,s:o,s:s}", "available", json_decimal(avail, 2), "held",
                     json_decimal(held, 2), "in_transit", json_decimal(transit, 2), "currency",
                     "CNY");
}

struct cash_ctx {
    int64_t investor, amount_fen, now_ms;
    bool withdraw;
    json_t *cash; /* OUT */
};

static enum store_rc cash_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct cash_ctx *x = ctx;
    int64_t one = 0;
    struct store_val p[] = {SV_INT(x->investor)};
    enum store_rc rc = store_query_int(c,
                                       "SELECT 1 FROM investor_profiles WHERE user_id = ? AND "
                                       "bank_card_enc IS NOT NULL",
                                       p, 1, &one, err);
    if (rc == STORE_DONE)
        return api_abort(err, API_ABORT_CONFLICT,
                         "verify your real name and bind a bank card before moving money");
    if (rc != STORE_OK)
        return rc;
    struct ledger_txn t;
    enum ledger_rc lr = x->withdraw ? ledger_withdraw(&t, x->investor, x->amount_fen)
                                    : ledger_topup(&t, x->investor, x->amount_fen);
    ASSERT(lr == LEDGER_OK);
    rc = ledger_apply(c, &t, x->now_ms, err);
    if (rc == STORE_CONSTRAINT)
        return api_abort(err, API_ABORT_INSUFFICIENT, "the amount exceeds your available cash");
    if (rc != STORE_OK)
        return rc;
    x->cash = cash_json(c, x->investor, err, &rc);
    return rc;
}

static void cash_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct cash_ctx *x = r->write.ctx;
    if (rc != STORE_OK) {
        json_decref(x->cash);
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "cash", x->cash));
}

static void move_cash(struct req *r, bool withdraw)
{
    json_t *j = req_json_or_reply(r);
    struct cash_ctx *x = arena_zalloc(&r->arena, sizeof(*x));
    const char *amount;
    size_t alen = 0;
    struct field f[] = {FIELD_STR("amount", true, 1, 32, &amount, &alen)};
    if (j == NULL || x == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    if (!req_decimal_or_reply(r, "amount", amount, alen, 2, 1, LIMIT_TOPUP_FEN_MAX, &x->amount_fen))
        return;
    x->investor = r->sess.user_id;
    x->now_ms = r->now_ms;
    x->withdraw = withdraw;
    req_write(r, cash_write, x, cash_then);
}

void api_inv_topup(struct req *r)
{
    move_cash(r, false);
}

void api_inv_withdraw(struct req *r)
{
    move_cash(r, true);
}

void api_inv_cash(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct store_err err;
    enum store_rc rc;
    json_t *cash = cash_json(c, r->sess.user_id, &err, &rc);
    if (cash == NULL) {
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "cash", cash));
}
