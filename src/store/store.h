/*
 * store.h: durable state behind one interface, whatever the database.
 *
 * Reads run on the calling thread's own read connection (store_reader), with prepared
 * statements cached per connection. Writes never run on the caller's thread: they are
 * functions handed to the single writer thread, which runs many of them in one
 * transaction, each in its own savepoint, and commits them with one fsync (group
 * commit). A write that fails is rolled back to its savepoint alone; the others in the
 * batch commit.
 *
 * SQL given to this interface is portable (plain SQL with `?` parameters, ON CONFLICT,
 * no SQLite-only functions); the backend (store_sqlite.c) owns everything
 * engine-specific. A backend is a struct store_backend of function pointers.
 */
#ifndef CFH_STORE_H
#define CFH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/limits.h"

enum store_rc {
    STORE_OK = 0,
    STORE_DONE,       /* query: no (more) rows */
    STORE_CONSTRAINT, /* unique, foreign key or check constraint */
    STORE_BUSY,       /* locked longer than the busy timeout */
    STORE_FULL,       /* write queue full: try later (503) */
    STORE_CLOSED,     /* store shutting down */
    STORE_ABORT,      /* a write function chose to roll back; its err says why */
    STORE_ERROR,      /* anything else: I/O, corruption, bad SQL (a bug) */
};

struct store_err {
    enum store_rc rc;
    int code; /* write function's own code when rc == STORE_ABORT */
    char msg[LIMIT_STORE_ERR_BYTES];
};

enum store_type {
    SV_NULL,
    SV_INT,
    SV_TEXT,
    SV_BLOB
};

/* One bound parameter. Text and blob bytes must outlive the call. */
struct store_val {
    enum store_type type;
    int64_t i;
    const void *p;
    size_t len;
};

#define SV_INT(x)         ((struct store_val){.type = SV_INT, .i = (x)})
#define SV_TEXT(s)        ((struct store_val){.type = SV_TEXT, .p = (s), .len = strlen(s)})
#define SV_TEXTN(s, n)    ((struct store_val){.type = SV_TEXT, .p = (s), .len = (n)})
#define SV_BLOB(b, n)     ((struct store_val){.type = SV_BLOB, .p = (b), .len = (n)})
#define SV_NULL_          ((struct store_val){.type = SV_NULL})
#define SV_INT_OR_NULL(x) ((x) ? SV_INT(x) : SV_NULL_)

struct store;      /* opaque: the database */
struct store_conn; /* opaque: one connection, one thread at a time */
struct store_row;

/* Called once per row; return 0 to go on, anything else to stop (query returns STORE_OK). */
typedef int (*store_row_fn)(void *ctx, const struct store_row *row);

int64_t store_row_int(const struct store_row *row, int col);
bool store_row_is_null(const struct store_row *row, int col);
/* Text of a column, NUL-terminated, valid until the callback returns. "" for NULL. */
const char *store_row_text(const struct store_row *row, int col, size_t *len);
const void *store_row_blob(const struct store_row *row, int col, size_t *len);

struct store_backend {
    const char *name;
    const char *begin_sql;     /* the writer's batch transaction: "BEGIN IMMEDIATE" on SQLite */
    const char *bootstrap_sql; /* creates schema_migrations if missing */
    const char *migration_dir; /* which embedded migrations are this backend's ("sqlite") */
    struct store_conn *(*connect)(const char *dsn, bool writer, const char *vfs,
                                  struct store_err *err);
    void (*disconnect)(struct store_conn *c);
    enum store_rc (*query)(struct store_conn *c, const char *sql, const struct store_val *params,
                           size_t n, store_row_fn fn, void *ctx, struct store_err *err);
    enum store_rc (*exec)(struct store_conn *c, const char *sql, const struct store_val *params,
                          size_t n, int64_t *changes, struct store_err *err);
    /* Runs a multi-statement script (migrations) without parameters. */
    enum store_rc (*script)(struct store_conn *c, const char *sql, struct store_err *err);
    int64_t (*row_int)(const struct store_row *row, int col);
    bool (*row_is_null)(const struct store_row *row, int col);
    const char *(*row_text)(const struct store_row *row, int col, size_t *len);
    const void *(*row_blob)(const struct store_row *row, int col, size_t *len);
};

/* What a backend hands to row callbacks. */
struct store_row {
    const struct store_backend *backend;
    void *impl; /* the backend's statement */
};

extern const struct store_backend store_sqlite_backend;

struct store_options {
    const char *dsn;   /* SQLite: file path */
    const char *vfs;   /* SQLite VFS name, NULL for the default (tests count fsyncs) */
    bool start_writer; /* false for read-only tools */
};

/* Opens the store (connections are made lazily). NULL with err on failure. */
struct store *store_open(const struct store_options *opt, struct store_err *err);

/* Stops the writer after draining its queue, closes every connection. Accepts NULL. */
void store_close(struct store *s);

/* This thread's read connection to s, created on first use; NULL with err on failure. */
struct store_conn *store_reader(struct store *s, struct store_err *err);

enum store_rc store_query(struct store_conn *c, const char *sql, const struct store_val *params,
                          size_t n, store_row_fn fn, void *ctx, struct store_err *err);
enum store_rc store_exec(struct store_conn *c, const char *sql, const struct store_val *params,
                         size_t n, int64_t *changes, struct store_err *err);

/*
 * One snapshot for several reads on a reader connection: the queries between begin and end
 * see one state of the database, and SQLite keeps the connection's page cache for all of
 * them (a reader that starts a read after another connection committed drops its whole cache,
 * so under a stream of writes each query alone re-read every page it touched). End it before
 * waiting on anything: the snapshot holds back checkpoints while it lasts. end accepts a
 * connection with no snapshot open.
 */
enum store_rc store_read_begin(struct store_conn *c, struct store_err *err);
void store_read_end(struct store_conn *c);

/* Convenience: first column of the first row as an integer; STORE_DONE when no row. */
enum store_rc store_query_int(struct store_conn *c, const char *sql, const struct store_val *params,
                              size_t n, int64_t *out, struct store_err *err);

/*
 * A write: `fn` runs on the writer thread inside its own savepoint with the writer's
 * connection. Returning anything but STORE_OK rolls back this write alone. When the batch
 * has committed (or failed), `done` is called on the writer thread with rc and err set;
 * it must be quick (resume a connection, signal a waiter).
 */
typedef enum store_rc (*store_write_fn)(struct store_conn *c, void *ctx, struct store_err *err);

struct store_write {
    store_write_fn fn;
    void *ctx;
    void (*done)(struct store_write *w);
    void *done_ctx;
    /* Changes nothing that cached answers are built from (interaction events): a batch of
     * only quiet writes leaves the generation alone, so event traffic does not empty the
     * public page cache on every commit. */
    bool quiet;
    enum store_rc rc;         /* OUT */
    struct store_err err;     /* OUT */
    struct store_write *next; /* queue link, owned by the store */
};

/* Queues w. STORE_OK, or STORE_FULL / STORE_CLOSED and w is not queued (done not called). */
enum store_rc store_submit(struct store *s, struct store_write *w);

/* Queues a write and waits for its commit. Returns its rc; err filled on failure. */
enum store_rc store_write_sync(struct store *s, store_write_fn fn, void *ctx,
                               struct store_err *err);

struct store_stats {
    uint64_t batches;         /* transactions committed by the writer */
    uint64_t writes;          /* write functions run */
    uint64_t writes_failed;   /* rolled back to their savepoint */
    uint64_t commit_failures; /* whole batches lost */
    uint64_t db_errors;       /* STORE_ERROR / STORE_BUSY seen anywhere */
    uint64_t batch_hist[8];   /* batch sizes: 1, 2-3, 4-7, 8-15, 16-31, 32-63, 64-127, 128+ */
    uint64_t generation;      /* bumped after every commit: cache key for readers */
};

void store_get_stats(struct store *s, struct store_stats *out);
uint64_t store_generation(struct store *s);

/* Migrations (store_migrate.c). */
enum store_rc store_migrate(struct store *s, int *applied, struct store_err *err);
/* STORE_OK when the schema is exactly current; else STORE_ERROR with a message. */
enum store_rc store_check_schema(struct store *s, struct store_err *err);

/* Sets err and returns rc. */
enum store_rc store_fail(struct store_err *err, enum store_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
