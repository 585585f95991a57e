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

/*
 * Many transactions in one write, for the batches: the same entries as ledger_apply, but
 * each account's balance is updated once, at ledger_batch_flush, by the sum of its
 * movements. Begin, add every transaction, flush before the write returns. A balance that
 * would end negative where it may not makes the flush STORE_CONSTRAINT (the write then
 * rolls back whole); a balance may dip below zero between two adds of one batch. A batch
 * starts zeroed (a static one is); begin and flush clear only the slots it used.
 */
#define LEDGER_BATCH_ACCOUNTS 65536 /* distinct accounts between flushes, ×2 for hashing */

struct ledger_batch_slot {
    struct ledger_account_ref ref;
    int64_t id; /* 0: empty */
    int64_t delta;
};

/* Account ids met by earlier writes of the same job (an account's id never changes once it is
 * made), so a job looks each account up once rather than once per chunk. */
#define LEDGER_KNOWN_ACCOUNTS (1u << 18) /* a power of two; cleared whole when half full */

struct ledger_known {
    struct ledger_account_ref ref;
    int64_t id; /* 0: empty */
};

struct ledger_batch {
    int64_t at_ms, next_entry;
    size_t used;
    uint32_t used_slot[LEDGER_BATCH_ACCOUNTS / 2]; /* the slots in use, to flush and clear */
    struct ledger_batch_slot slot[LEDGER_BATCH_ACCOUNTS];
    size_t known_n;
    struct ledger_known known[LEDGER_KNOWN_ACCOUNTS];
};

void ledger_batch_begin(struct ledger_batch *b, int64_t at_ms);
/* Forgets the account ids the batch has met: at the start of a job, and after a write of it
 * that failed (an account that write made was rolled back with it). */
void ledger_batch_forget(struct ledger_batch *b);
enum store_rc ledger_batch_add(struct store_conn *c, struct ledger_batch *b,
                               const struct ledger_txn *t, struct store_err *err);
enum store_rc ledger_batch_flush(struct store_conn *c, struct ledger_batch *b,
                                 struct store_err *err);

/* Balance of one account; 0 when it does not exist yet. */
enum store_rc ledger_balance(struct store_conn *c, const char *asset, enum ledger_kind kind,
                             int64_t owner, int64_t *out, struct store_err *err);

#endif
