/* ledger_store.c: posting ledger transactions (see ledger_store.h). */
#include "api/ledger_store.h"

#include "base/check.h"
#include "base/crypto.h"

#include <stdlib.h>
#include <string.h>

/* Adds delta to the account, creating it at zero first if it is new (rare: an account is
 * made once, then updated on every movement, so the UPDATE is tried first). The CHECK on
 * ledger_accounts refuses a negative balance where it is not allowed; it cannot be one
 * upsert, because SQLite checks the CHECK on the candidate row (the delta alone) before it
 * finds the conflict. */
static enum store_rc move(struct store_conn *c, const struct ledger_account_ref *a, int64_t delta,
                          int64_t *id, struct store_err *err)
{
    const char *kind = ledger_kind_name(a->kind);
    struct store_val u[] = {SV_INT(delta), SV_TEXT(a->asset), SV_TEXT(kind), SV_INT(a->owner_id)};
    const char *update = "UPDATE ledger_accounts SET balance = balance + ? WHERE asset = ? AND "
                         "kind = ? AND owner_id = ? RETURNING id";
    enum store_rc rc = store_query_int(c, update, u, 4, id, err);
    if (rc != STORE_DONE)
        return rc;
    struct store_val p[] = {
        SV_INT(crypto_random_id()),
        SV_TEXT(a->asset),
        SV_TEXT(kind),
        SV_INT(a->owner_id),
        SV_INT(ledger_kind_may_go_negative(a->kind) ? 1 : 0),
    };
    rc = store_exec(c,
                    "INSERT INTO ledger_accounts (id, asset, kind, owner_id, balance, "
                    "allow_negative) VALUES (?, ?, ?, ?, 0, ?)",
                    p, 5, NULL, err);
    return rc == STORE_OK ? store_query_int(c, update, u, 4, id, err) : rc;
}

static bool is_cash(const struct ledger_account_ref *a)
{
    return a->kind == LK_AVAILABLE && strcmp(a->asset, "CNY") == 0;
}

/* The investor's available-cash account the posting moves money into or out of, or 0: the
 * entry's cash_account, which statements read by (migration 0011). No posting moves cash
 * between two investors' available accounts. */
static int64_t cash_account(const struct ledger_posting *p, int64_t from, int64_t to)
{
    ASSERT(!(is_cash(&p->from) && is_cash(&p->to)));
    return is_cash(&p->from) ? from : is_cash(&p->to) ? to : 0;
}

static int take_ids(void *ctx, const struct store_row *row)
{
    int64_t *ids = ctx;
    ids[0] = store_row_int(row, 0);
    ids[1] = store_row_int(row, 1);
    return 1;
}

/* Entries are numbered by SQLite (max + 1, so always appended) rather than by this process:
 * batches in another process post to the same table. A transaction is named by the id of its
 * first entry, which the first INSERT computes the same way. */
static enum store_rc insert_entry(struct store_conn *c, const struct ledger_txn *t,
                                  const struct ledger_posting *p, int64_t from, int64_t to,
                                  int64_t at_ms, int64_t *txn, struct store_err *err)
{
    struct store_val e[] = {SV_TEXT(p->from.asset),
                            SV_INT(from),
                            SV_INT(to),
                            SV_INT(p->amount),
                            SV_TEXT(t->event),
                            SV_INT_OR_NULL(t->order_id),
                            SV_INT(at_ms),
                            SV_INT_OR_NULL(cash_account(p, from, to)),
                            SV_INT(*txn)};
    if (*txn != 0)
        return store_exec(c,
                          "INSERT INTO ledger_entries (asset, from_account, to_account, amount, "
                          "event, order_id, at_ms, cash_account, txn) VALUES (?, ?, ?, ?, ?, ?, "
                          "?, ?, ?)",
                          e, 9, NULL, err);
    int64_t ids[2] = {0, 0};
    enum store_rc rc = store_query(c,
                                   "INSERT INTO ledger_entries (asset, from_account, to_account, "
                                   "amount, event, order_id, at_ms, cash_account, txn) VALUES "
                                   "(?, ?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT MAX(id) FROM "
                                   "ledger_entries), 0) + 1) RETURNING id, txn",
                                   e, 8, take_ids, ids, err);
    if (rc != STORE_OK)
        return rc;
    if (ids[0] == 0 || ids[0] != ids[1])
        return store_fail(err, STORE_ERROR, "ledger entry %lld numbered apart from its txn %lld",
                          (long long)ids[0], (long long)ids[1]);
    *txn = ids[0];
    return STORE_OK;
}

enum store_rc ledger_apply(struct store_conn *c, const struct ledger_txn *t, int64_t at_ms,
                           struct store_err *err)
{
    ASSERT(t->n > 0 && t->n <= LEDGER_POSTINGS_MAX);
    int64_t txn = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct ledger_posting *p = &t->p[i];
        ASSERT(p->amount > 0);
        ASSERT(strcmp(p->from.asset, p->to.asset) == 0);
        int64_t from = 0, to = 0;
        enum store_rc rc = move(c, &p->from, -p->amount, &from, err);
        if (rc == STORE_OK)
            rc = move(c, &p->to, p->amount, &to, err);
        if (rc == STORE_OK)
            rc = insert_entry(c, t, p, from, to, at_ms, &txn, err);
        if (rc != STORE_OK)
            return rc == STORE_DONE ? STORE_ERROR : rc;
    }
    return STORE_OK;
}

enum store_rc ledger_balance(struct store_conn *c, const char *asset, enum ledger_kind kind,
                             int64_t owner, int64_t *out, struct store_err *err)
{
    struct store_val p[] = {SV_TEXT(asset), SV_TEXT(ledger_kind_name(kind)), SV_INT(owner)};
    *out = 0;
    enum store_rc rc = store_query_int(c,
                                       "SELECT balance FROM ledger_accounts WHERE asset = ? AND "
                                       "kind = ? AND owner_id = ?",
                                       p, 3, out, err);
    return rc == STORE_DONE ? STORE_OK : rc;
}

/* ---- many transactions in one write ---- */

static uint64_t ref_hash(const struct ledger_account_ref *a)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (const char *p = a->asset; *p != '\0'; p++)
        h = (h ^ (uint8_t)*p) * UINT64_C(1099511628211);
    h = (h ^ (uint64_t)a->kind) * UINT64_C(1099511628211);
    h = (h ^ (uint64_t)a->owner_id) * UINT64_C(1099511628211);
    return h ^ (h >> 29);
}

static bool ref_equal(const struct ledger_account_ref *a, const struct ledger_account_ref *b)
{
    return a->kind == b->kind && a->owner_id == b->owner_id && strcmp(a->asset, b->asset) == 0;
}

/* Empties the slots in use (a batch's table is large; a chunk uses a few of its slots). */
static void batch_clear(struct ledger_batch *b)
{
    for (size_t i = 0; i < b->used; i++)
        b->slot[b->used_slot[i]] = (struct ledger_batch_slot){0};
    b->used = 0;
}

void ledger_batch_begin(struct ledger_batch *b, int64_t at_ms)
{
    b->at_ms = at_ms;
    b->next_entry = 0;
    batch_clear(b);
}

void ledger_batch_forget(struct ledger_batch *b)
{
    memset(b->known, 0, sizeof(b->known));
    b->known_n = 0;
}

/* The known entry for a: the one holding it, or the empty one where it would go. */
static struct ledger_known *known_find(struct ledger_batch *b, const struct ledger_account_ref *a,
                                       uint64_t h)
{
    size_t i = (size_t)(h & (LEDGER_KNOWN_ACCOUNTS - 1));
    while (b->known[i].id != 0 && !ref_equal(&b->known[i].ref, a))
        i = (i + 1) & (LEDGER_KNOWN_ACCOUNTS - 1);
    return &b->known[i];
}

static void known_add(struct ledger_batch *b, const struct ledger_account_ref *a, uint64_t h,
                      int64_t id)
{
    if (b->known_n >= LEDGER_KNOWN_ACCOUNTS / 2)
        ledger_batch_forget(b);
    struct ledger_known *k = known_find(b, a, h);
    if (k->id == 0)
        b->known_n++;
    *k = (struct ledger_known){.ref = *a, .id = id};
}

/* The account's id, found or created at zero; its slot accumulates the deltas. */
static enum store_rc batch_account(struct store_conn *c, struct ledger_batch *b,
                                   const struct ledger_account_ref *a,
                                   struct ledger_batch_slot **out, struct store_err *err)
{
    uint64_t h = ref_hash(a);
    size_t i = (size_t)(h % LEDGER_BATCH_ACCOUNTS);
    while (b->slot[i].id != 0 && !ref_equal(&b->slot[i].ref, a))
        i = (i + 1) % LEDGER_BATCH_ACCOUNTS;
    struct ledger_batch_slot *s = &b->slot[i];
    *out = s;
    if (s->id != 0)
        return STORE_OK;
    const struct ledger_known *k = known_find(b, a, h);
    if (k->id != 0) {
        s->id = k->id;
        s->ref = *a;
        s->delta = 0;
        b->used_slot[b->used++] = (uint32_t)i;
        return STORE_OK;
    }
    const char *kind = ledger_kind_name(a->kind);
    struct store_val q[] = {SV_TEXT(a->asset), SV_TEXT(kind), SV_INT(a->owner_id)};
    enum store_rc rc = store_query_int(c,
                                       "SELECT id FROM ledger_accounts WHERE asset = ? AND kind "
                                       "= ? AND owner_id = ?",
                                       q, 3, &s->id, err);
    if (rc == STORE_DONE) {
        s->id = crypto_random_id();
        struct store_val p[] = {SV_INT(s->id), SV_TEXT(a->asset), SV_TEXT(kind),
                                SV_INT(a->owner_id),
                                SV_INT(ledger_kind_may_go_negative(a->kind) ? 1 : 0)};
        rc = store_exec(c,
                        "INSERT INTO ledger_accounts (id, asset, kind, owner_id, balance, "
                        "allow_negative) VALUES (?, ?, ?, ?, 0, ?)",
                        p, 5, NULL, err);
    }
    if (rc != STORE_OK) {
        s->id = 0;
        return rc;
    }
    s->ref = *a;
    s->delta = 0;
    b->used_slot[b->used++] = (uint32_t)i;
    known_add(b, a, h, s->id);
    return STORE_OK;
}

enum store_rc ledger_batch_add(struct store_conn *c, struct ledger_batch *b,
                               const struct ledger_txn *t, struct store_err *err)
{
    ASSERT(t->n > 0 && t->n <= LEDGER_POSTINGS_MAX);
    enum store_rc rc = STORE_OK;
    /* Room for every account of this transaction, so the table never fills halfway. */
    if (b->used + 2 * LEDGER_POSTINGS_MAX > LEDGER_BATCH_ACCOUNTS / 2)
        rc = ledger_batch_flush(c, b, err);
    if (rc == STORE_OK && b->next_entry == 0) {
        rc = store_query_int(c, "SELECT COALESCE(MAX(id), 0) + 1 FROM ledger_entries", NULL, 0,
                             &b->next_entry, err);
        rc = rc == STORE_DONE ? STORE_ERROR : rc;
    }
    int64_t txn = b->next_entry;
    for (size_t i = 0; i < t->n && rc == STORE_OK; i++) {
        const struct ledger_posting *p = &t->p[i];
        ASSERT(p->amount > 0);
        ASSERT(strcmp(p->from.asset, p->to.asset) == 0);
        struct ledger_batch_slot *from = NULL, *to = NULL;
        rc = batch_account(c, b, &p->from, &from, err);
        if (rc == STORE_OK)
            rc = batch_account(c, b, &p->to, &to, err);
        if (rc != STORE_OK)
            break;
        from->delta -= p->amount;
        to->delta += p->amount;
        struct store_val e[] = {
            SV_INT(b->next_entry),  SV_INT(txn),
            SV_TEXT(p->from.asset), SV_INT(from->id),
            SV_INT(to->id),         SV_INT(p->amount),
            SV_TEXT(t->event),      SV_INT_OR_NULL(t->order_id),
            SV_INT(b->at_ms),       SV_INT_OR_NULL(cash_account(p, from->id, to->id))};
        rc = store_exec(c,
                        "INSERT INTO ledger_entries (id, txn, asset, from_account, to_account, "
                        "amount, event, order_id, at_ms, cash_account) VALUES (?, ?, ?, ?, ?, ?, "
                        "?, ?, ?, ?)",
                        e, 10, NULL, err);
        b->next_entry++;
    }
    return rc;
}

/* qsort has no context argument; a batch is flushed by one thread at a time (the writer). */
static _Thread_local const struct ledger_batch *sorting_batch;

static int by_account_id(const void *a, const void *b)
{
    int64_t x = sorting_batch->slot[*(const uint32_t *)a].id;
    int64_t y = sorting_batch->slot[*(const uint32_t *)b].id;
    return (x > y) - (x < y);
}

enum store_rc ledger_batch_flush(struct store_conn *c, struct ledger_batch *b,
                                 struct store_err *err)
{
    enum store_rc rc = STORE_OK;
    /* In account id order: neighbouring updates land on the same or the next B-tree leaf. */
    sorting_batch = b;
    qsort(b->used_slot, b->used, sizeof(b->used_slot[0]), by_account_id);
    sorting_batch = NULL;
    for (size_t i = 0; i < b->used && rc == STORE_OK; i++) {
        struct ledger_batch_slot *s = &b->slot[b->used_slot[i]];
        if (s->delta == 0)
            continue;
        struct store_val u[] = {SV_INT(s->delta), SV_INT(s->id)};
        rc = store_exec(c, "UPDATE ledger_accounts SET balance = balance + ? WHERE id = ?", u, 2,
                        NULL, err);
    }
    int64_t next = b->next_entry;
    ledger_batch_begin(b, b->at_ms);
    b->next_entry = next;
    return rc;
}
