/*
 * ledger_store.h: applying ledger transactions (core/ledger.h) to the store, and reading
 * balances. Call only inside a write (store_write_fn): a transaction's postings and the
 * business rows that caused them commit together or not at all.
 */
#ifndef CFH_LEDGER_STORE_H
#define CFH_LEDGER_STORE_H

#include "core/ledger.h"
#include "store/store.h"

/*
 * Posts every leg of t. STORE_CONSTRAINT when a leg would take an account that may not go
 * negative below zero (insufficient cash or shares); the caller's savepoint then undoes
 * the legs already posted.
 */
enum store_rc ledger_apply(struct store_conn *c, const struct ledger_txn *t, int64_t at_ms,
                           struct store_err *err);

/* Balance of one account; 0 when it does not exist yet. */
enum store_rc ledger_balance(struct store_conn *c, const char *asset, enum ledger_kind kind,
                             int64_t owner, int64_t *out, struct store_err *err);

#endif
