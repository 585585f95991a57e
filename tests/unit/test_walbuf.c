/*
 * test_walbuf.c - unit tests of src/store/walbuf.c, the VFS that gathers a WAL transaction's
 * writes: how many writes reach the file below (counted by store_fixture.h's VFS), and that no
 * commit is seen late or lost, with or without a sync, in a transaction bigger than its page
 * cache, and with frames rewritten in place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "store/walbuf.h"
#include "store_fixture.h"

static void sql_ok(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        print_message("%s: %s\n", sql, msg ? msg : "?");
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
}

static int64_t sql_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        print_message("%s: %s\n", sql, sqlite3_errmsg(db));
    assert_int_equal(rc, SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

#define ROWS_SQL(n, bytes)                                                                     \
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " #n ") INSERT " \
    "INTO t (v) SELECT randomblob(" #bytes ") FROM n"

static void test_walbuf(void **state)
{
    (void)state;
    const char *vfs = walbuf_vfs_name();
    assert_string_equal(vfs, WALBUF_VFS_NAME);
    sqlite3 *w = NULL, *r = NULL;
    assert_int_equal(sqlite3_open_v2(fx.db, &w, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs),
                     SQLITE_OK);
    sql_ok(w, "PRAGMA page_size=4096; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
              "CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
    assert_int_equal(sqlite3_open_v2(fx.db, &r, SQLITE_OPEN_READONLY, vfs), SQLITE_OK);

    /* 200 rows of 1000 bytes: about 50 pages, 100 writes of SQLite's (header, page) each;
     * gathered, 210 KiB in pieces of 96 KiB. */
    atomic_store(&wal_writes, 0);
    sql_ok(w, "BEGIN; " ROWS_SQL(200, 1000) "; COMMIT");
    uint64_t writes = atomic_load(&wal_writes);
    print_message("walbuf: one commit of ~50 pages took %llu WAL writes\n",
                  (unsigned long long)writes);
    assert_true(writes >= 1 && writes <= 6);
    assert_int_equal(sql_int(r, "SELECT COUNT(*) FROM t"), 200);

    /* A connection that does not sync still shows its commit to the others at once. */
    sql_ok(w, "PRAGMA synchronous=OFF; INSERT INTO t (v) VALUES (x'01')");
    assert_int_equal(sql_int(r, "SELECT COUNT(*) FROM t"), 201);
    assert_int_equal(sql_int(r, "SELECT COUNT(*) FROM t WHERE v = x'01'"), 1);

    /* A transaction bigger than its page cache spills frames before the commit and reads
     * them back, and rewrites some of them in place: all of it must come back as written. */
    sql_ok(w, "PRAGMA synchronous=FULL; PRAGMA cache_size=8; BEGIN; " ROWS_SQL(3000, 700));
    assert_int_equal(sql_int(w, "SELECT COUNT(*) FROM t WHERE length(v) = 700"), 3000);
    sql_ok(w, "UPDATE t SET v = zeroblob(700) WHERE k % 7 = 0; COMMIT");
    assert_int_equal(sql_int(r, "SELECT COUNT(*) FROM t"), 3201);
    assert_int_equal(sql_int(r, "SELECT COUNT(*) FROM t WHERE v = zeroblob(700)"), 3201 / 7);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(r, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(r);
    sqlite3_close(w);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, dir_setup, dir_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {T(test_walbuf)};
    return cmocka_run_group_tests_name("walbuf", tests, vfs_register, vfs_unregister);
}
