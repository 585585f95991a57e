/*
 * store.c: the backend-independent half of the store: per-thread read connections and the
 * single writer thread with group commit (see store.h for the contract).
 *
 * Group commit, in numbers (DESIGN.md §9): SQLite in WAL mode with synchronous=FULL does
 * ~7k single-row commits per second, because each commit waits for one fsync; the same
 * disk takes ~600k rows per second in 100-row transactions. So the writer takes whatever
 * is queued (up to LIMIT_WRITE_BATCH), runs it in one transaction and pays one fsync.
 */
#include "store/store_int.h"

#include "base/check.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define READERS_MAX (LIMIT_THREADS_MAX + 8)
#define TL_SLOTS    4

struct store {
    const struct store_backend *backend;
    char dsn[1024];
    char vfs[64];

    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct store_write *head, *tail;
    uint32_t queued;
    bool stopping;
    bool writer_running;
    pthread_t writer;
    struct store_conn *wconn;

    /* Read connections: one per thread that reads, found through `reader_key`; a thread
     * that exits gives its connection back (reader_release). Under `lock`. */
    pthread_key_t reader_key;
    struct reader *readers[READERS_MAX];
    uint32_t readers_count;

    struct store_stats stats; /* under lock */
    atomic_uint_fast64_t generation;
};

/* What a thread's key points to: its connection, and the store to give it back to. */
struct reader {
    struct store *store;
    struct store_conn *conn;
    uint32_t slot; /* index in store->readers */
};

static atomic_uint_fast64_t db_errors;

enum store_rc store_fail(struct store_err *err, enum store_rc rc, const char *fmt, ...)
{
    if (err != NULL) {
        err->rc = rc;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
    }
    return rc;
}

void store_note_error(enum store_rc rc)
{
    if (rc == STORE_ERROR || rc == STORE_BUSY)
        atomic_fetch_add(&db_errors, 1);
}

static void *writer_main(void *arg);

/* Thread-exit destructor of reader_key: the thread's connection is closed and its slot
 * freed, so threads that come and go do not use up READERS_MAX. */
static void reader_release(void *p)
{
    struct reader *rd = p;
    struct store *s = rd->store;
    pthread_mutex_lock(&s->lock);
    uint32_t last = --s->readers_count;
    s->readers[rd->slot] = s->readers[last];
    s->readers[rd->slot]->slot = rd->slot;
    s->readers[last] = NULL;
    pthread_mutex_unlock(&s->lock);
    s->backend->disconnect(rd->conn);
    free(rd);
}

struct store *store_open(const struct store_options *opt, struct store_err *err)
{
    ASSERT(opt != NULL && opt->dsn != NULL);
    struct store *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        store_fail(err, STORE_ERROR, "out of memory");
        return NULL;
    }
    s->backend = &store_sqlite_backend;
    snprintf(s->dsn, sizeof(s->dsn), "%s", opt->dsn);
    if (opt->vfs != NULL)
        snprintf(s->vfs, sizeof(s->vfs), "%s", opt->vfs);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    if (pthread_key_create(&s->reader_key, reader_release) != 0) {
        store_fail(err, STORE_ERROR, "cannot create the reader key");
        goto out_destroy;
    }

    /* The writer's connection is made here so that a bad path fails at start-up. */
    s->wconn = s->backend->connect(s->dsn, true, s->vfs[0] ? s->vfs : NULL, err);
    if (s->wconn == NULL)
        goto out_free;
    if (opt->start_writer) {
        if (pthread_create(&s->writer, NULL, writer_main, s) != 0) {
            store_fail(err, STORE_ERROR, "cannot start the writer thread");
            goto out_disconnect;
        }
        s->writer_running = true;
    }
    return s;

out_disconnect:
    s->backend->disconnect(s->wconn);
out_free:
    pthread_key_delete(s->reader_key);
out_destroy:
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    free(s);
    return NULL;
}

void store_close(struct store *s)
{
    if (s == NULL)
        return;
    pthread_mutex_lock(&s->lock);
    s->stopping = true;
    pthread_cond_broadcast(&s->wake);
    pthread_mutex_unlock(&s->lock);
    if (s->writer_running)
        pthread_join(s->writer, NULL);
    ASSERT(s->head == NULL);
    /* Threads still alive keep a key value that now dangles; store_close is called after
     * every thread that read from the store has stopped using it. */
    pthread_key_delete(s->reader_key);
    for (uint32_t i = 0; i < s->readers_count; i++) {
        s->backend->disconnect(s->readers[i]->conn);
        free(s->readers[i]);
    }
    s->backend->disconnect(s->wconn);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

struct store_conn *store_reader(struct store *s, struct store_err *err)
{
    struct reader *rd = pthread_getspecific(s->reader_key);
    if (rd != NULL)
        return rd->conn;
    rd = calloc(1, sizeof(*rd));
    if (rd == NULL) {
        store_fail(err, STORE_ERROR, "out of memory");
        return NULL;
    }
    rd->store = s;
    rd->conn = s->backend->connect(s->dsn, false, s->vfs[0] ? s->vfs : NULL, err);
    if (rd->conn == NULL) {
        free(rd);
        return NULL;
    }
    /* Check and take the slot under one lock: threads arriving together cannot overfill. */
    pthread_mutex_lock(&s->lock);
    bool room = s->readers_count < READERS_MAX;
    if (room) {
        rd->slot = s->readers_count++;
        s->readers[rd->slot] = rd;
    }
    pthread_mutex_unlock(&s->lock);
    if (!room || pthread_setspecific(s->reader_key, rd) != 0) {
        if (room)
            reader_release(rd);
        else {
            s->backend->disconnect(rd->conn);
            free(rd);
        }
        store_fail(err, STORE_ERROR, "read connection limit (%d) reached", READERS_MAX);
        return NULL;
    }
    return rd->conn;
}

static const struct store_backend *backend_of(struct store_conn *c)
{
    return ((struct store_conn_head *)(void *)c)->backend;
}

enum store_rc store_query(struct store_conn *c, const char *sql, const struct store_val *params,
                          size_t n, store_row_fn fn, void *ctx, struct store_err *err)
{
    ASSERT(n <= LIMIT_SQL_PARAMS);
    enum store_rc rc = backend_of(c)->query(c, sql, params, n, fn, ctx, err);
    store_note_error(rc);
    return rc;
}

enum store_rc store_exec(struct store_conn *c, const char *sql, const struct store_val *params,
                         size_t n, int64_t *changes, struct store_err *err)
{
    ASSERT(n <= LIMIT_SQL_PARAMS);
    enum store_rc rc = backend_of(c)->exec(c, sql, params, n, changes, err);
    store_note_error(rc);
    return rc;
}

struct first_int {
    int64_t v;
    bool found;
};

static int take_first_int(void *ctx, const struct store_row *row)
{
    struct first_int *f = ctx;
    f->v = store_row_int(row, 0);
    f->found = true;
    return 1;
}

enum store_rc store_read_begin(struct store_conn *c, struct store_err *err)
{
    return store_exec(c, "BEGIN", NULL, 0, NULL, err);
}

void store_read_end(struct store_conn *c)
{
    struct store_err err;
    /* Fails harmlessly when the snapshot already ended (an error rolled it back). */
    (void)store_exec(c, "COMMIT", NULL, 0, NULL, &err);
}

enum store_rc store_query_int(struct store_conn *c, const char *sql, const struct store_val *params,
                              size_t n, int64_t *out, struct store_err *err)
{
    struct first_int f = {0, false};
    enum store_rc rc = store_query(c, sql, params, n, take_first_int, &f, err);
    if (rc != STORE_OK)
        return rc;
    if (!f.found)
        return STORE_DONE;
    *out = f.v;
    return STORE_OK;
}

int64_t store_row_int(const struct store_row *row, int col)
{
    return row->backend->row_int(row, col);
}

bool store_row_is_null(const struct store_row *row, int col)
{
    return row->backend->row_is_null(row, col);
}

const char *store_row_text(const struct store_row *row, int col, size_t *len)
{
    return row->backend->row_text(row, col, len);
}

const void *store_row_blob(const struct store_row *row, int col, size_t *len)
{
    return row->backend->row_blob(row, col, len);
}

/* ---- the writer ---- */

enum store_rc store_submit(struct store *s, struct store_write *w)
{
    ASSERT(w != NULL && w->fn != NULL && w->done != NULL);
    pthread_mutex_lock(&s->lock);
    enum store_rc rc = STORE_OK;
    if (s->stopping || !s->writer_running)
        rc = STORE_CLOSED;
    else if (s->queued >= LIMIT_WRITE_QUEUE)
        rc = STORE_FULL;
    if (rc == STORE_OK) {
        w->next = NULL;
        w->rc = STORE_OK;
        w->err.rc = STORE_OK;
        w->err.code = 0;
        w->err.msg[0] = '\0';
        if (s->tail != NULL)
            s->tail->next = w;
        else
            s->head = w;
        s->tail = w;
        s->queued++;
        pthread_cond_signal(&s->wake);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static enum store_rc plain(struct store *s, const char *sql, struct store_err *err)
{
    return store_exec(s->wconn, sql, NULL, 0, NULL, err);
}

/* Runs one write inside its savepoint. The savepoint statements themselves failing
 * means the transaction is unusable: returned as STORE_ERROR so the batch is abandoned. */
static enum store_rc run_one(struct store *s, struct store_write *w, bool alone)
{
    struct store_err e;
    /* A write alone in its transaction needs no savepoint: the transaction is one. (A
     * savepoint makes SQLite copy every page the write changes into a sub-journal; for a
     * batch job's chunk that is thousands of pages.) */
    if (alone) {
        w->rc = w->fn(s->wconn, w->ctx, &w->err);
        if (w->rc != STORE_OK)
            w->err.rc = w->rc;
        return STORE_OK;
    }
    if (plain(s, "SAVEPOINT w", &e) != STORE_OK) {
        w->rc = STORE_ERROR;
        w->err = e;
        return STORE_ERROR;
    }
    w->rc = w->fn(s->wconn, w->ctx, &w->err);
    if (w->rc != STORE_OK) {
        w->err.rc = w->rc;
        if (plain(s, "ROLLBACK TO w", &e) != STORE_OK)
            return STORE_ERROR;
    }
    return plain(s, "RELEASE w", &e) == STORE_OK ? STORE_OK : STORE_ERROR;
}

static void note_batch(struct store *s, uint32_t n, uint32_t failed, bool committed, bool quiet)
{
    uint32_t bucket = 0;
    while (bucket < 7 && (2u << bucket) <= n)
        bucket++;
    pthread_mutex_lock(&s->lock);
    s->stats.writes += n;
    s->stats.writes_failed += failed;
    if (committed) {
        s->stats.batches++;
        s->stats.batch_hist[bucket]++;
    } else {
        s->stats.commit_failures++;
    }
    pthread_mutex_unlock(&s->lock);
    if (committed && !quiet)
        atomic_fetch_add(&s->generation, 1);
}

static void run_batch(struct store *s, struct store_write *batch, uint32_t n)
{
    struct store_err e = {0};
    enum store_rc rc = plain(s, s->backend->begin_sql, &e);
    uint32_t failed = 0;
    bool quiet = true;
    for (struct store_write *w = batch; w != NULL && rc == STORE_OK; w = w->next) {
        rc = run_one(s, w, n == 1);
        failed += w->rc != STORE_OK;
        quiet = quiet && w->quiet;
    }
    /* A lone write that failed is undone by rolling its transaction back. */
    if (rc == STORE_OK && n == 1 && failed == 1) {
        rc = plain(s, "ROLLBACK", &e);
        note_batch(s, n, failed, rc == STORE_OK, quiet);
        if (rc != STORE_OK) {
            batch->rc = STORE_ERROR;
            batch->err = e;
            batch->err.rc = STORE_ERROR;
        }
        batch->done(batch);
        return;
    }
    if (rc == STORE_OK)
        rc = plain(s, "COMMIT", &e);
    if (rc != STORE_OK) {
        struct store_err ignored;
        plain(s, "ROLLBACK", &ignored);
        for (struct store_write *w = batch; w != NULL; w = w->next) {
            if (w->rc == STORE_OK || w->rc == STORE_ERROR) {
                w->rc = STORE_ERROR;
                w->err = e;
                w->err.rc = STORE_ERROR;
            }
        }
    }
    note_batch(s, n, failed, rc == STORE_OK, quiet);
    /* Read next before done(): done may free w. */
    for (struct store_write *w = batch, *next; w != NULL; w = next) {
        next = w->next;
        w->done(w);
    }
}

static void *writer_main(void *arg)
{
    struct store *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->lock);
        while (s->head == NULL && !s->stopping)
            pthread_cond_wait(&s->wake, &s->lock);
        if (s->head == NULL) {
            pthread_mutex_unlock(&s->lock);
            break;
        }
        struct store_write *batch = s->head, *last = s->head;
        uint32_t n = 1;
        while (last->next != NULL && n < LIMIT_WRITE_BATCH) {
            last = last->next;
            n++;
        }
        s->head = last->next;
        if (s->head == NULL)
            s->tail = NULL;
        last->next = NULL;
        s->queued -= n;
        pthread_mutex_unlock(&s->lock);
        run_batch(s, batch, n);
    }
    return NULL;
}

struct sync_wait {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool finished;
};

static void sync_done(struct store_write *w)
{
    struct sync_wait *sw = w->done_ctx;
    pthread_mutex_lock(&sw->lock);
    sw->finished = true;
    pthread_cond_signal(&sw->cond);
    pthread_mutex_unlock(&sw->lock);
}

enum store_rc store_write_sync(struct store *s, store_write_fn fn, void *ctx, struct store_err *err)
{
    struct sync_wait sw = {.finished = false};
    pthread_mutex_init(&sw.lock, NULL);
    pthread_cond_init(&sw.cond, NULL);
    struct store_write w = {.fn = fn, .ctx = ctx, .done = sync_done, .done_ctx = &sw};
    enum store_rc rc = store_submit(s, &w);
    if (rc == STORE_OK) {
        pthread_mutex_lock(&sw.lock);
        while (!sw.finished)
            pthread_cond_wait(&sw.cond, &sw.lock);
        pthread_mutex_unlock(&sw.lock);
        rc = w.rc;
        if (rc != STORE_OK && err != NULL)
            *err = w.err;
    } else {
        store_fail(err, rc, rc == STORE_FULL ? "write queue full" : "store is closed");
    }
    pthread_cond_destroy(&sw.cond);
    pthread_mutex_destroy(&sw.lock);
    return rc;
}

void store_get_stats(struct store *s, struct store_stats *out)
{
    pthread_mutex_lock(&s->lock);
    *out = s->stats;
    pthread_mutex_unlock(&s->lock);
    out->db_errors = atomic_load(&db_errors);
    out->generation = atomic_load(&s->generation);
}

uint64_t store_generation(struct store *s)
{
    return atomic_load(&s->generation);
}
