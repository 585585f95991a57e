/*
 * store_sqlite.c: the SQLite backend. Everything SQLite-specific lives here: pragmas,
 * the statement cache, error-code mapping and "BEGIN IMMEDIATE".
 *
 * Connections: one writer (owned by the writer thread) and one reader per worker thread.
 * Readers are query_only so that a bug cannot write around the writer. WAL lets readers
 * run while the writer commits; synchronous=FULL makes a commit durable on return.
 */
#include "store/store_int.h"
#include "store/walbuf.h"

#include "base/check.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>

#define PROBE_MAX              8
#define STORE_SQLITE_PAGE_SIZE "2048"
/* Page caches in KiB (negative: SQLite's unit for KiB). The writer touches the right edge of
 * every table and a leaf per investor-keyed index: with SQLite's 2 MB default it re-read
 * pages from the OS on most writes. */
#define STORE_SQLITE_WRITER_CACHE "-131072"
#define STORE_SQLITE_READER_CACHE "-16384"

struct cached_stmt {
    const char *sql; /* the caller's string: usually a literal, compared by text too */
    sqlite3_stmt *stmt;
};

struct checkpointer;

struct store_conn {
    struct store_conn_head head; /* must stay first */
    sqlite3 *db;
    struct checkpointer *ckpt; /* the writer's only */
    struct cached_stmt cache[LIMIT_STMT_CACHE];
};

/*
 * Checkpoints run mostly beside the writer, not inside its commits. SQLite's automatic
 * checkpoint runs in the connection that commits, so every few thousand pages one commit
 * (and every write queued behind it) also copied the whole WAL into the database file.
 * Here the writer's WAL hook notes the WAL's size; past LIMIT_WAL_CHECKPOINT_PAGES it wakes
 * this thread, which runs a PASSIVE checkpoint on a connection of its own: it copies what
 * no reader still needs and never takes the write lock, so the writer goes on committing.
 * A background pass alone never lets the WAL start over under a steady stream of writes
 * (the writer has always appended more by the time it finishes); it starts over at the first
 * pause. So that a WAL under endless load cannot grow without bound (and every page lookup
 * slow down with it), the writer finishes a checkpoint itself once the WAL passes
 * LIMIT_WAL_PAGES_MAX after a background pass: a stall of the writer, but a rare one. (Doing
 * it at every background pass cost the order benchmark's p99: a one-second stall.)
 */
struct checkpointer {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool due, running, stopping;
    uint64_t passes; /* background passes finished */
    uint64_t seen;   /* passes when the writer last finished a checkpoint */
    sqlite3 *db;
};

static void *checkpointer_main(void *arg)
{
    struct checkpointer *k = arg;
    pthread_mutex_lock(&k->lock);
    for (;;) {
        while (!k->due && !k->stopping)
            pthread_cond_wait(&k->wake, &k->lock);
        if (k->stopping)
            break;
        k->due = false;
        k->running = true;
        pthread_mutex_unlock(&k->lock);
        /* Busy or partial is fine: the writer finishes it. */
        sqlite3_wal_checkpoint_v2(k->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&k->lock);
        k->running = false;
        k->passes++;
    }
    pthread_mutex_unlock(&k->lock);
    return NULL;
}

static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    (void)name;
    struct checkpointer *k = arg;
    if (pages < LIMIT_WAL_CHECKPOINT_PAGES)
        return SQLITE_OK;
    pthread_mutex_lock(&k->lock);
    bool finish = !k->running && k->passes > k->seen && pages >= LIMIT_WAL_PAGES_MAX;
    if (finish)
        k->seen = k->passes;
    else if (!k->running) {
        k->due = true;
        pthread_cond_signal(&k->wake);
    }
    pthread_mutex_unlock(&k->lock);
    if (finish)
        sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

static void checkpointer_stop(struct checkpointer *k)
{
    if (k == NULL)
        return;
    pthread_mutex_lock(&k->lock);
    k->stopping = true;
    pthread_cond_signal(&k->wake);
    pthread_mutex_unlock(&k->lock);
    pthread_join(k->thread, NULL);
    sqlite3_close_v2(k->db);
    pthread_cond_destroy(&k->wake);
    pthread_mutex_destroy(&k->lock);
    free(k);
}

/* Starts the checkpointer of writer connection c; false (and SQLite's own automatic
 * checkpoints stay on) when it cannot. */
static bool checkpointer_start(struct store_conn *c, const char *dsn, const char *vfs)
{
    struct checkpointer *k = calloc(1, sizeof(*k));
    if (k == NULL)
        return false;
    if (sqlite3_open_v2(dsn, &k->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, vfs) !=
        SQLITE_OK) {
        sqlite3_close_v2(k->db);
        free(k);
        return false;
    }
    sqlite3_busy_timeout(k->db, LIMIT_BUSY_TIMEOUT_MS);
    pthread_mutex_init(&k->lock, NULL);
    pthread_cond_init(&k->wake, NULL);
    if (pthread_create(&k->thread, NULL, checkpointer_main, k) != 0) {
        sqlite3_close_v2(k->db);
        pthread_cond_destroy(&k->wake);
        pthread_mutex_destroy(&k->lock);
        free(k);
        return false;
    }
    c->ckpt = k;
    sqlite3_wal_hook(c->db, wal_hook, k);
    return true;
}

static enum store_rc map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
        return STORE_OK;
    case SQLITE_DONE:
        return STORE_DONE;
    case SQLITE_CONSTRAINT:
        return STORE_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return STORE_BUSY;
    default:
        return STORE_ERROR;
    }
}

static enum store_rc fail_db(struct store_conn *c, int rc, struct store_err *err)
{
    return store_fail(err, map_rc(rc), "sqlite: %s", sqlite3_errmsg(c->db));
}

static void sqlite_disconnect(struct store_conn *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < LIMIT_STMT_CACHE; i++)
        sqlite3_finalize(c->cache[i].stmt);
    if (c->ckpt != NULL)
        sqlite3_wal_hook(c->db, NULL, NULL);
    checkpointer_stop(c->ckpt);
    sqlite3_close_v2(c->db);
    free(c);
}

/* Before SQLite's first use: every connection belongs to one thread at a time (the writer
 * thread, or the reader's own thread), so no per-connection mutexes; and no memory
 * statistics, whose global mutex was taken on every allocation (a tenth of the writer's
 * time). A call after SQLite was initialised fails harmlessly. */
static void sqlite_configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static struct store_conn *sqlite_connect(const char *dsn, bool writer, const char *vfs,
                                         struct store_err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_configure);
    if (vfs == NULL)
        vfs = walbuf_vfs_name();
    struct store_conn *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        store_fail(err, STORE_ERROR, "out of memory");
        return NULL;
    }
    c->head.backend = &store_sqlite_backend;
    int flags = SQLITE_OPEN_NOMUTEX |
                (writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READWRITE);
    int rc = sqlite3_open_v2(dsn, &c->db, flags, vfs);
    if (rc != SQLITE_OK) {
        store_fail(err, STORE_ERROR, "cannot open database '%s': %s", dsn,
                   c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
        sqlite_disconnect(c);
        return NULL;
    }
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, LIMIT_BUSY_TIMEOUT_MS);
    /* The writer keeps savepoint journals in memory (one savepoint per write: on disk they
     * doubled the bytes written per order; SQLite walks an in-memory journal from its start
     * when a statement ends, so a write should stay small or be alone in its transaction,
     * see run_one in store.c) and leaves checkpoints to the checkpointer. A new
     * database gets 2 KiB pages (an existing one keeps its size): each commit writes every
     * page it dirtied, and an order dirties one leaf per investor-keyed index, so halving the
     * page nearly halved the bytes per order and gave 30% more orders/s (bench/orders). */
    const char *pragmas = writer ? "PRAGMA page_size=" STORE_SQLITE_PAGE_SIZE ";"
                                   "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                   "PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=0;"
                                   "PRAGMA cache_size=" STORE_SQLITE_WRITER_CACHE ";"
                                   "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;"
                                 : "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                                   "PRAGMA cache_size=" STORE_SQLITE_READER_CACHE ";"
                                   "PRAGMA trusted_schema=OFF; PRAGMA query_only=ON;";
    char *msg = NULL;
    rc = sqlite3_exec(c->db, pragmas, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        store_fail(err, map_rc(rc), "cannot set up database '%s': %s", dsn, msg ? msg : "?");
        sqlite3_free(msg);
        sqlite_disconnect(c);
        return NULL;
    }
    if (writer && !checkpointer_start(c, dsn, vfs))
        sqlite3_exec(c->db, "PRAGMA wal_autocheckpoint=1000", NULL, NULL, NULL);
    return c;
}

static size_t slot_of(const char *sql)
{
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= 0x9e3779b97f4a7c15u;
    return (size_t)(h >> 7) % LIMIT_STMT_CACHE;
}

/* Returns a reset statement for sql; *cached says whether the cache owns it. */
static sqlite3_stmt *prepare(struct store_conn *c, const char *sql, bool *cached,
                             struct store_err *err)
{
    size_t slot = slot_of(sql);
    int free_slot = -1;
    for (size_t i = 0; i < PROBE_MAX; i++) {
        struct cached_stmt *e = &c->cache[(slot + i) % LIMIT_STMT_CACHE];
        if (e->stmt == NULL) {
            if (free_slot < 0)
                free_slot = (int)((slot + i) % LIMIT_STMT_CACHE);
            continue;
        }
        if (e->sql == sql && strcmp(sqlite3_sql(e->stmt), sql) == 0) {
            *cached = true;
            return e->stmt;
        }
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(c->db, sql, -1, free_slot >= 0 ? SQLITE_PREPARE_PERSISTENT : 0, &st,
                                NULL);
    if (rc != SQLITE_OK) {
        fail_db(c, rc, err);
        return NULL;
    }
    *cached = free_slot >= 0;
    if (*cached) {
        c->cache[free_slot].sql = sql;
        c->cache[free_slot].stmt = st;
    }
    return st;
}

static int bind_all(sqlite3_stmt *st, const struct store_val *p, size_t n)
{
    int rc = SQLITE_OK;
    for (size_t i = 0; i < n && rc == SQLITE_OK; i++) {
        int idx = (int)i + 1;
        switch (p[i].type) {
        case SV_NULL:
            rc = sqlite3_bind_null(st, idx);
            break;
        case SV_INT:
            rc = sqlite3_bind_int64(st, idx, p[i].i);
            break;
        case SV_TEXT:
            rc = sqlite3_bind_text(st, idx, p[i].p, (int)p[i].len, SQLITE_STATIC);
            break;
        case SV_BLOB:
            rc = sqlite3_bind_blob(st, idx, p[i].p, (int)p[i].len, SQLITE_STATIC);
            break;
        }
    }
    return rc;
}

static void release(sqlite3_stmt *st, bool cached)
{
    if (cached) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    } else {
        sqlite3_finalize(st);
    }
}

static enum store_rc sqlite_query(struct store_conn *c, const char *sql,
                                  const struct store_val *params, size_t n, store_row_fn fn,
                                  void *ctx, struct store_err *err)
{
    bool cached = false;
    sqlite3_stmt *st = prepare(c, sql, &cached, err);
    if (st == NULL)
        return err ? err->rc : STORE_ERROR;
    enum store_rc out = STORE_OK;
    int rc = bind_all(st, params, n);
    if (rc != SQLITE_OK) {
        out = fail_db(c, rc, err);
        goto out_release;
    }
    struct store_row row = {&store_sqlite_backend, st};
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (fn(ctx, &row) != 0)
            goto out_release;
    }
    if (rc != SQLITE_DONE)
        out = fail_db(c, rc, err);
out_release:
    release(st, cached);
    return out;
}

static enum store_rc sqlite_exec(struct store_conn *c, const char *sql,
                                 const struct store_val *params, size_t n, int64_t *changes,
                                 struct store_err *err)
{
    bool cached = false;
    sqlite3_stmt *st = prepare(c, sql, &cached, err);
    if (st == NULL)
        return err ? err->rc : STORE_ERROR;
    enum store_rc out = STORE_OK;
    int rc = bind_all(st, params, n);
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        }
    }
    if (rc != SQLITE_DONE && rc != SQLITE_OK)
        out = fail_db(c, rc, err);
    else if (changes != NULL)
        *changes = sqlite3_changes64(c->db);
    release(st, cached);
    return out;
}

static enum store_rc sqlite_script(struct store_conn *c, const char *sql, struct store_err *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        return STORE_OK;
    enum store_rc out = store_fail(err, map_rc(rc), "sqlite: %s", msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return out;
}

static int64_t row_int(const struct store_row *row, int col)
{
    return sqlite3_column_int64(row->impl, col);
}

static bool row_is_null(const struct store_row *row, int col)
{
    return sqlite3_column_type(row->impl, col) == SQLITE_NULL;
}

static const char *row_text(const struct store_row *row, int col, size_t *len)
{
    const unsigned char *t = sqlite3_column_text(row->impl, col);
    if (len != NULL)
        *len = t ? (size_t)sqlite3_column_bytes(row->impl, col) : 0;
    return t ? (const char *)t : "";
}

static const void *row_blob(const struct store_row *row, int col, size_t *len)
{
    const void *b = sqlite3_column_blob(row->impl, col);
    if (len != NULL)
        *len = (size_t)sqlite3_column_bytes(row->impl, col);
    return b;
}

const struct store_backend store_sqlite_backend = {
    .name = "sqlite",
    .begin_sql = "BEGIN IMMEDIATE",
    .bootstrap_sql = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                     "checksum TEXT NOT NULL, applied_ms INTEGER NOT NULL) STRICT",
    .migration_dir = "sqlite",
    .connect = sqlite_connect,
    .disconnect = sqlite_disconnect,
    .query = sqlite_query,
    .exec = sqlite_exec,
    .script = sqlite_script,
    .row_int = row_int,
    .row_is_null = row_is_null,
    .row_text = row_text,
    .row_blob = row_blob,
};
