/*
 * test_store.c - unit tests of the store: group commit (fsyncs counted below SQLite), a failing
 * write rolled back alone, reads and error mapping, migrations and schema checks, and draining
 * on close.
 *
 * The fsyncs are counted by a VFS named "countsync" that wraps the default one: every file it
 * opens is wrapped in a sqlite3_file whose methods forward to the real file, and xSync bumps an
 * atomic counter. In WAL mode with synchronous=FULL a commit syncs the WAL once, so group commit
 * shows as fewer fsyncs than writes. Every test works on its own database in a fresh directory
 * under /tmp, removed afterwards.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <semaphore.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"

#include "store_fixture.h"

/* ---- helpers ---- */

static struct store *open_store(const char *db, bool writer)
{
    struct store_err err = {0};
    struct store_options opt = {.dsn = db, .vfs = VFS_NAME, .start_writer = writer};
    struct store *s = store_open(&opt, &err);
    if (s == NULL)
        print_message("store_open: %s\n", err.msg);
    assert_non_null(s);
    return s;
}

static struct store *open_migrated(const char *db)
{
    struct store *s = open_store(db, true);
    struct store_err err = {0};
    int applied = -1;
    enum store_rc rc = store_migrate(s, &applied, &err);
    if (rc != STORE_OK)
        print_message("store_migrate: %s\n", err.msg);
    assert_int_equal(rc, STORE_OK);
    return s;
}

static enum store_rc create_t(struct store_conn *c, void *ctx, struct store_err *err)
{
    (void)ctx;
    return store_exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT", NULL, 0,
                      NULL, err);
}

/* One row of t to insert; optionally slow, aborting, or also inserting dup_id. */
struct row_write {
    int64_t id;
    const char *v;
    useconds_t delay_us; /* sleep after the insert, holding the writer */
    bool abort;          /* insert, then return STORE_ABORT with code 42 */
    int64_t dup_id;      /* insert, then insert this id too (0: don't) */
};

static enum store_rc insert_row(struct store_conn *c, void *ctx, struct store_err *err)
{
    const struct row_write *w = ctx;
    struct store_val p[] = {SV_INT(w->id), SV_TEXT(w->v)};
    enum store_rc rc = store_exec(c, "INSERT INTO t (id, v) VALUES (?, ?)", p, 2, NULL, err);
    if (rc != STORE_OK)
        return rc;
    if (w->delay_us > 0)
        usleep(w->delay_us);
    if (w->dup_id != 0) {
        struct store_val d[] = {SV_INT(w->dup_id), SV_TEXT("dup")};
        return store_exec(c, "INSERT INTO t (id, v) VALUES (?, ?)", d, 2, NULL, err);
    }
    if (w->abort) {
        err->code = 42;
        return store_fail(err, STORE_ABORT, "write %lld chose to abort", (long long)w->id);
    }
    return STORE_OK;
}

static void write_ok(struct store *s, store_write_fn fn, void *ctx)
{
    struct store_err err = {0};
    enum store_rc rc = store_write_sync(s, fn, ctx, &err);
    if (rc != STORE_OK)
        print_message("store_write_sync: %s\n", err.msg);
    assert_int_equal(rc, STORE_OK);
}

static int64_t query_int(struct store *s, const char *sql, int64_t id)
{
    struct store_err err = {0};
    struct store_conn *c = store_reader(s, &err);
    assert_non_null(c);
    struct store_val p[] = {SV_INT(id)};
    int64_t v = -1;
    assert_int_equal(store_query_int(c, sql, p, id < 0 ? 0 : 1, &v, &err), STORE_OK);
    return v;
}

static int64_t count_t(struct store *s)
{
    return query_int(s, "SELECT count(*) FROM t", -1);
}

static bool has_row(struct store *s, int64_t id)
{
    return query_int(s, "SELECT count(*) FROM t WHERE id = ?", id) == 1;
}

static void raw_exec(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    char *msg = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        print_message("raw_exec: %s: %s\n", sql, msg ? msg : "?");
    sqlite3_free(msg);
    sqlite3_close(h);
    assert_int_equal(rc, SQLITE_OK);
}

/* ---- 1. group commit ---- */

#define GC_THREADS 64

struct gc_thread {
    pthread_t tid;
    pthread_barrier_t *start;
    struct store *s;
    struct row_write w;
    enum store_rc rc; /* OUT */
};

static void *gc_main(void *arg)
{
    struct gc_thread *t = arg;
    pthread_barrier_wait(t->start);
    t->rc = store_write_sync(t->s, insert_row, &t->w, NULL);
    return NULL;
}

/* Frames in the WAL file: (size - 32-byte header) / (24-byte frame header + page). */
static int64_t wal_frames(const char *db)
{
    char path[128];
    snprintf(path, sizeof(path), "%s-wal", db);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return ((int64_t)st.st_size - 32) / (24 + 4096);
}

/* Runs GC_THREADS concurrent writes released together; returns how many failed. */
static int run_gc_threads(struct store *s)
{
    static struct gc_thread th[GC_THREADS];
    pthread_barrier_t start;
    assert_int_equal(pthread_barrier_init(&start, NULL, GC_THREADS), 0);
    for (int i = 0; i < GC_THREADS; i++) {
        th[i] = (struct gc_thread){.start = &start, .s = s, .rc = STORE_ERROR};
        /* 1 ms per write: while one batch runs, the others pile up behind it. */
        th[i].w = (struct row_write){.id = i + 1, .v = "gc", .delay_us = 1000};
        assert_int_equal(pthread_create(&th[i].tid, NULL, gc_main, &th[i]), 0);
    }
    int failed = 0;
    for (int i = 0; i < GC_THREADS; i++) {
        assert_int_equal(pthread_join(th[i].tid, NULL), 0);
        failed += th[i].rc != STORE_OK;
    }
    pthread_barrier_destroy(&start);
    return failed;
}

static void test_group_commit(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_migrated(f->db);
    /* An empty WAL, whatever the migrations wrote: see the frame count check below. */
    raw_exec(f->db, "PRAGMA wal_checkpoint(TRUNCATE)");
    write_ok(s, create_t, NULL);

    /* k: what one lone commit costs. Zero would mean the shim is not in the path or the
     * commit is not durable (synchronous below FULL). */
    uint64_t before = atomic_load(&syncs);
    struct row_write lone = {.id = 1000, .v = "lone"};
    write_ok(s, insert_row, &lone);
    uint64_t k = atomic_load(&syncs) - before;
    assert_true(k >= 1);

    struct store_stats st0, st1;
    store_get_stats(s, &st0);
    uint64_t syncs0 = atomic_load(&syncs);
    int failed = run_gc_threads(s);
    uint64_t fsyncs = atomic_load(&syncs) - syncs0;
    store_get_stats(s, &st1);
    uint64_t batches = st1.batches - st0.batches;
    print_message("group commit: %d writes in %llu batches, %llu fsyncs (one commit: %llu)\n",
                  GC_THREADS, (unsigned long long)batches, (unsigned long long)fsyncs,
                  (unsigned long long)k);

    assert_int_equal(failed, 0);
    assert_int_equal(count_t(s), GC_THREADS + 1);
    for (int i = 1; i <= GC_THREADS; i++)
        assert_true(has_row(s, i));
    assert_int_equal(st1.writes - st0.writes, GC_THREADS);
    assert_int_equal(st1.writes_failed - st0.writes_failed, 0);
    assert_int_equal(st1.generation - st0.generation, batches);
    assert_true(batches >= 1 && batches < GC_THREADS);
    /* A checkpoint (which syncs the WAL and the database too) runs only once the WAL holds
     * wal_autocheckpoint = 1000 frames; the file never shrinks and was empty before the
     * phase, so staying below that proves none ran and every fsync counted is a commit's. */
    assert_true(wal_frames(f->db) < 1000);
    assert_true(fsyncs >= batches);
    assert_true(fsyncs <= batches * k);
    store_close(s);
}

/* ---- 2. a failing write is rolled back alone ---- */

struct tracked {
    struct store_write w;
    struct row_write row;
    sem_t *finished;
    atomic_int done_calls;
};

static void tracked_done(struct store_write *w)
{
    struct tracked *t = w->done_ctx;
    atomic_fetch_add(&t->done_calls, 1);
    sem_post(t->finished);
}

static void tracked_init(struct tracked *t, sem_t *finished, struct row_write row)
{
    memset(t, 0, sizeof(*t));
    t->row = row;
    t->finished = finished;
    t->w =
        (struct store_write){.fn = insert_row, .ctx = &t->row, .done = tracked_done, .done_ctx = t};
    atomic_init(&t->done_calls, 0);
}

/* A write that holds the writer until opened, then for linger_us more, so that what is
 * submitted meanwhile queues up behind it and is taken as one batch. */
struct gate {
    struct store_write w;
    sem_t started;
    atomic_bool open;
    useconds_t linger_us;
    atomic_int done_calls;
};

static enum store_rc hold_writer(struct store_conn *c, void *ctx, struct store_err *err)
{
    (void)c;
    (void)err;
    struct gate *g = ctx;
    sem_post(&g->started);
    while (!atomic_load(&g->open))
        usleep(500);
    usleep(g->linger_us);
    return STORE_OK;
}

static void gate_done(struct store_write *w)
{
    atomic_fetch_add(&((struct gate *)w->done_ctx)->done_calls, 1);
}

static void gate_start(struct store *s, struct gate *g, useconds_t linger_us)
{
    g->w = (struct store_write){.fn = hold_writer, .ctx = g, .done = gate_done, .done_ctx = g};
    sem_init(&g->started, 0, 0);
    atomic_init(&g->open, false);
    atomic_init(&g->done_calls, 0);
    g->linger_us = linger_us;
    assert_int_equal(store_submit(s, &g->w), STORE_OK);
    while (sem_wait(&g->started) != 0) {
    }
}

#define RB_WRITES 6

static void submit_rollback_batch(struct store *s, struct tracked *t, sem_t *finished)
{
    for (int i = 0; i < RB_WRITES; i++) {
        struct row_write row = {.id = i + 1, .v = "kept"};
        if (i + 1 == 3)
            row.abort = true; /* inserts 3, then aborts */
        if (i + 1 == 5)
            row.dup_id = 2; /* inserts 5, then collides with 2 from an earlier savepoint */
        tracked_init(&t[i], finished, row);
        assert_int_equal(store_submit(s, &t[i].w), STORE_OK);
    }
}

static void test_failing_write_rolled_back_alone(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->db, true);
    write_ok(s, create_t, NULL);
    struct store_stats st0, st1;
    store_get_stats(s, &st0);

    struct gate g;
    gate_start(s, &g, 0);
    sem_t finished;
    sem_init(&finished, 0, 0);
    static struct tracked t[RB_WRITES];
    submit_rollback_batch(s, t, &finished);
    atomic_store(&g.open, true);
    for (int i = 0; i < RB_WRITES; i++)
        while (sem_wait(&finished) != 0) {
        }
    store_get_stats(s, &st1);

    /* The gate's batch, then all six together. */
    assert_int_equal(st1.batches - st0.batches, 2);
    assert_int_equal(st1.writes - st0.writes, RB_WRITES + 1);
    assert_int_equal(st1.writes_failed - st0.writes_failed, 2);
    for (int i = 0; i < RB_WRITES; i++) {
        int64_t id = i + 1;
        assert_int_equal(atomic_load(&t[i].done_calls), 1);
        if (id == 3) {
            assert_int_equal(t[i].w.rc, STORE_ABORT);
            assert_int_equal(t[i].w.err.code, 42);
            assert_non_null(strstr(t[i].w.err.msg, "abort"));
        } else if (id == 5) {
            assert_int_equal(t[i].w.rc, STORE_CONSTRAINT);
        } else {
            assert_int_equal(t[i].w.rc, STORE_OK);
        }
        assert_int_equal(has_row(s, id), id != 3 && id != 5);
    }
    assert_int_equal(count_t(s), RB_WRITES - 2);
    assert_int_equal(query_int(s, "SELECT count(*) FROM t WHERE v = 'dup'", -1), 0);
    assert_int_equal(atomic_load(&g.done_calls), 1);
    store_close(s);
    sem_destroy(&finished);
    sem_destroy(&g.started);
}

/* ---- 3. reads ---- */

static void *reader_on_thread(void *arg)
{
    struct store **sp = arg;
    return store_reader(*sp, NULL);
}

static void test_reader_per_thread(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->db, true);
    struct store_err err = {0};
    struct store_conn *a = store_reader(s, &err);
    assert_non_null(a);
    assert_ptr_equal(store_reader(s, &err), a);

    pthread_t tid;
    void *other = NULL;
    assert_int_equal(pthread_create(&tid, NULL, reader_on_thread, &s), 0);
    assert_int_equal(pthread_join(tid, &other), 0);
    assert_non_null(other);
    assert_ptr_not_equal(other, a);

    /* A second store gets its own connection on the same thread. */
    struct store *s2 = open_store(f->db, false);
    struct store_conn *b = store_reader(s2, &err);
    assert_non_null(b);
    assert_ptr_not_equal(b, a);
    assert_ptr_equal(store_reader(s, &err), a);
    store_close(s2);
    store_close(s);
    store_close(NULL);
}

/* A read snapshot sees one state of the database: a write committed while it is open shows
 * only after it ends. */
static void test_read_snapshot(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->db, true);
    write_ok(s, create_t, NULL);
    struct row_write one = {.id = 1, .v = "one"}, two = {.id = 2, .v = "two"};
    write_ok(s, insert_row, &one);
    struct store_err err = {0};
    struct store_conn *c = store_reader(s, &err);
    assert_non_null(c);
    int64_t n = -1;
    assert_int_equal(store_read_begin(c, &err), STORE_OK);
    assert_int_equal(store_query_int(c, "SELECT COUNT(*) FROM t", NULL, 0, &n, &err), STORE_OK);
    assert_int_equal(n, 1);
    write_ok(s, insert_row, &two); /* commits on the writer meanwhile */
    assert_int_equal(store_query_int(c, "SELECT COUNT(*) FROM t", NULL, 0, &n, &err), STORE_OK);
    assert_int_equal(n, 1);
    /* A second begin inside the snapshot is refused: a snapshot left open is an error, not a
     * silent old view. */
    assert_int_not_equal(store_read_begin(c, &err), STORE_OK);
    store_read_end(c);
    assert_int_equal(store_query_int(c, "SELECT COUNT(*) FROM t", NULL, 0, &n, &err), STORE_OK);
    assert_int_equal(n, 2);
    store_read_end(c); /* none open: harmless */
    assert_int_equal(store_read_begin(c, &err), STORE_OK);
    store_read_end(c);
    store_close(s);
}

static enum store_rc create_r(struct store_conn *c, void *ctx, struct store_err *err)
{
    (void)ctx;
    enum store_rc rc = store_exec(c,
                                  "CREATE TABLE r (id INTEGER PRIMARY KEY, txt TEXT, b BLOB, "
                                  "n INTEGER) STRICT",
                                  NULL, 0, NULL, err);
    static const uint8_t bytes[] = {0x00, 0x01, 0xff, 0x00, 0x7f};
    struct store_val p1[] = {SV_INT(1), SV_TEXT("基金 \"x\"\\"), SV_BLOB(bytes, sizeof(bytes)),
                             SV_NULL_};
    struct store_val p2[] = {SV_INT(2), SV_TEXTN("a\0b", 3), SV_BLOB("", 0), SV_INT(-7)};
    struct store_val p3[] = {SV_INT(3), SV_NULL_, SV_NULL_, SV_INT(INT64_MIN)};
    const char *ins = "INSERT INTO r (id, txt, b, n) VALUES (?, ?, ?, ?)";
    if (rc == STORE_OK)
        rc = store_exec(c, ins, p1, 4, NULL, err);
    if (rc == STORE_OK)
        rc = store_exec(c, ins, p2, 4, NULL, err);
    if (rc == STORE_OK)
        rc = store_exec(c, ins, p3, 4, NULL, err);
    return rc;
}

static int check_r_row(void *ctx, const struct store_row *row)
{
    int *seen = ctx;
    size_t tl = 99, bl = 99;
    int64_t id = store_row_int(row, 0);
    const char *txt = store_row_text(row, 1, &tl);
    const uint8_t *b = store_row_blob(row, 2, &bl);
    assert_int_equal(id, *seen + 1);
    if (id == 1) {
        assert_int_equal(tl, strlen("基金 \"x\"\\"));
        assert_string_equal(txt, "基金 \"x\"\\");
        assert_int_equal(bl, 5);
        assert_memory_equal(b, "\x00\x01\xff\x00\x7f", 5);
        assert_true(store_row_is_null(row, 3));
    } else if (id == 2) {
        assert_int_equal(tl, 3);
        assert_memory_equal(txt, "a\0b", 4); /* and NUL-terminated */
        assert_int_equal(bl, 0);
        assert_false(store_row_is_null(row, 2)); /* empty, not NULL */
        assert_int_equal(store_row_int(row, 3), -7);
    } else {
        assert_true(store_row_is_null(row, 1));
        assert_string_equal(txt, "");
        assert_int_equal(tl, 0);
        assert_true(store_row_is_null(row, 2));
        assert_int_equal(store_row_int(row, 3), INT64_MIN);
        assert_false(store_row_is_null(row, 3));
    }
    (*seen)++;
    return 0;
}

static int stop_at_first(void *ctx, const struct store_row *row)
{
    (void)row;
    (*(int *)ctx)++;
    return 1;
}

static void test_query_values(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->db, true);
    write_ok(s, create_r, NULL);
    struct store_err err = {0};
    struct store_conn *c = store_reader(s, &err);
    assert_non_null(c);

    int seen = 0;
    assert_int_equal(store_query(c, "SELECT id, txt, b, n FROM r ORDER BY id", NULL, 0, check_r_row,
                                 &seen, &err),
                     STORE_OK);
    assert_int_equal(seen, 3);
    seen = 0;
    assert_int_equal(store_query(c, "SELECT id FROM r", NULL, 0, stop_at_first, &seen, &err),
                     STORE_OK);
    assert_int_equal(seen, 1);

    int64_t v = 12345;
    struct store_val none[] = {SV_INT(99)};
    assert_int_equal(store_query_int(c, "SELECT n FROM r WHERE id = ?", none, 1, &v, &err),
                     STORE_DONE);
    assert_int_equal(v, 12345); /* untouched */
    struct store_val two[] = {SV_INT(2)};
    assert_int_equal(store_query_int(c, "SELECT n FROM r WHERE id = ?", two, 1, &v, &err),
                     STORE_OK);
    assert_int_equal(v, -7);

    assert_int_equal(store_query_int(c, "SELECT nope FROM r", NULL, 0, &v, &err), STORE_ERROR);
    assert_non_null(strstr(err.msg, "nope"));
    store_close(s);
}

static enum store_rc insert_null_v(struct store_conn *c, void *ctx, struct store_err *err)
{
    (void)ctx;
    struct store_val p[] = {SV_INT(77), SV_NULL_};
    return store_exec(c, "INSERT INTO t (id, v) VALUES (?, ?)", p, 2, NULL, err);
}

static void test_errors_map(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->db, true);
    write_ok(s, create_t, NULL);
    struct row_write one = {.id = 1, .v = "first"};
    write_ok(s, insert_row, &one);

    struct store_err err = {0};
    struct row_write again = {.id = 1, .v = "second"};
    assert_int_equal(store_write_sync(s, insert_row, &again, &err), STORE_CONSTRAINT);
    assert_int_equal(err.rc, STORE_CONSTRAINT);
    assert_non_null(strstr(err.msg, "UNIQUE"));
    assert_int_equal(store_write_sync(s, insert_null_v, NULL, &err), STORE_CONSTRAINT);
    assert_non_null(strstr(err.msg, "NOT NULL"));

    /* Readers are query_only: a bug cannot write around the writer. */
    struct store_conn *c = store_reader(s, &err);
    assert_non_null(c);
    struct store_val p[] = {SV_INT(2), SV_TEXT("sneaky")};
    assert_int_equal(store_exec(c, "INSERT INTO t (id, v) VALUES (?, ?)", p, 2, NULL, &err),
                     STORE_ERROR);
    assert_int_equal(count_t(s), 1);
    assert_int_equal(query_int(s, "SELECT count(*) FROM t WHERE v = 'first'", -1), 1);
    store_close(s);
}

/* ---- 4. migrations ---- */

static void expect_schema_error(struct store *s, const char *word)
{
    struct store_err err = {0};
    assert_int_equal(store_check_schema(s, &err), STORE_ERROR);
    if (strstr(err.msg, word) == NULL)
        print_message("message without '%s': %s\n", word, err.msg);
    assert_non_null(strstr(err.msg, word));
}

static void test_migrate_and_check(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->db, true);
    struct store_err err = {0};
    int applied = -1;
    assert_int_equal(store_migrate(s, &applied, &err), STORE_OK);
    assert_true(applied >= 1);
    int known = applied;
    assert_int_equal(store_migrate(s, &applied, &err), STORE_OK);
    assert_int_equal(applied, 0);
    assert_int_equal(store_check_schema(s, &err), STORE_OK);
    assert_int_equal(query_int(s, "SELECT count(*) FROM schema_migrations", -1), known);

    /* A migration this binary does not know: refuse to check and to migrate. */
    raw_exec(f->db, "INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', 'x', 0)");
    expect_schema_error(s, "newer");
    assert_int_equal(store_migrate(s, &applied, &err), STORE_ERROR);
    assert_non_null(strstr(err.msg, "newer"));
    assert_int_equal(applied, 0);
    raw_exec(f->db, "DELETE FROM schema_migrations WHERE version = 9999");
    assert_int_equal(store_check_schema(s, &err), STORE_OK);

    /* An applied migration whose text changed. */
    raw_exec(f->db, "CREATE TABLE saved AS SELECT checksum FROM schema_migrations "
                    "WHERE version = 1;"
                    "UPDATE schema_migrations SET checksum = 'deadbeef' WHERE version = 1");
    expect_schema_error(s, "changed");
    raw_exec(f->db, "UPDATE schema_migrations SET checksum = (SELECT checksum FROM saved) "
                    "WHERE version = 1; DROP TABLE saved");
    assert_int_equal(store_check_schema(s, &err), STORE_OK);

    /* A known migration missing from the record is pending. */
    raw_exec(f->db, "DELETE FROM schema_migrations WHERE version = 1");
    expect_schema_error(s, "pending");
    store_close(s);
}

static void test_check_unmigrated(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->db, false);
    expect_schema_error(s, "migrate");
    expect_schema_error(s, "not migrated");
    store_close(s);
}

/* ---- 5. close drains the queue; a store without a writer refuses writes ---- */

#define DRAIN_WRITES 40

static void test_close_drains(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->db, true);
    write_ok(s, create_t, NULL);

    /* The gate holds the writer until after store_close has been called, so all the writes
     * below are still queued when it is. */
    struct gate g;
    gate_start(s, &g, 50000);
    sem_t finished;
    sem_init(&finished, 0, 0);
    static struct tracked t[DRAIN_WRITES];
    for (int i = 0; i < DRAIN_WRITES; i++) {
        tracked_init(&t[i], &finished, (struct row_write){.id = i + 1, .v = "drained"});
        assert_int_equal(store_submit(s, &t[i].w), STORE_OK);
    }
    int done_before = 0;
    for (int i = 0; i < DRAIN_WRITES; i++)
        done_before += atomic_load(&t[i].done_calls);
    assert_int_equal(done_before, 0);
    atomic_store(&g.open, true);
    store_close(s);

    assert_int_equal(atomic_load(&g.done_calls), 1);
    for (int i = 0; i < DRAIN_WRITES; i++) {
        assert_int_equal(atomic_load(&t[i].done_calls), 1);
        assert_int_equal(t[i].w.rc, STORE_OK);
    }
    s = open_store(f->db, false);
    assert_int_equal(count_t(s), DRAIN_WRITES);
    for (int i = 1; i <= DRAIN_WRITES; i++)
        assert_true(has_row(s, i));
    store_close(s);
    sem_destroy(&finished);
    sem_destroy(&g.started);
}

static void never_done(struct store_write *w)
{
    (void)w;
    fail_msg("done() called for a write that was refused");
}

static void test_no_writer_refuses(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->db, false);
    struct store_write w = {.fn = create_t, .done = never_done};
    assert_int_equal(store_submit(s, &w), STORE_CLOSED);
    struct store_err err = {0};
    assert_int_equal(store_write_sync(s, create_t, NULL, &err), STORE_CLOSED);
    assert_int_equal(err.rc, STORE_CLOSED);
    assert_non_null(strstr(err.msg, "closed"));
    store_close(s);

    /* A path that cannot be created fails at open, with the path in the message. */
    struct store_options bad = {.dsn = "/nonexistent-dir/x/y.db", .start_writer = true};
    assert_null(store_open(&bad, &err));
    assert_non_null(strstr(err.msg, "/nonexistent-dir/x/y.db"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, dir_setup, dir_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_group_commit),      T(test_failing_write_rolled_back_alone),
        T(test_reader_per_thread), T(test_query_values),
        T(test_errors_map),        T(test_migrate_and_check),
        T(test_check_unmigrated),  T(test_close_drains),
        T(test_no_writer_refuses), T(test_read_snapshot),
    };
    return cmocka_run_group_tests_name("store", tests, vfs_register, vfs_unregister);
}
