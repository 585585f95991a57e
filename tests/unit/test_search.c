/*
 * test_search.c - unit tests of core/search: trimming and refusing query texts, the FTS5 string
 * and LIKE pattern built from them.
 *
 * The patterns are also run against a real SQLite FTS5 trigram table and a LIKE over a plain
 * table: every query text made of FTS5 and LIKE syntax must run without an error and find
 * exactly the rows that contain it as a substring (Latin letters in any case).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/search.h"

static enum search_rc prep(const char *q, struct search_query *out)
{
    memset(out, 0x5a, sizeof(*out));
    return search_query_prepare(q, strlen(q), out);
}

static void test_trim_and_modes(void **state)
{
    (void)state;
    struct search_query s;
    assert_int_equal(prep("  养老 ", &s), SEARCH_OK);
    assert_string_equal(s.text, "养老");
    assert_int_equal(s.chars, 2);
    assert_int_equal(s.mode, SEARCH_SCAN);
    assert_int_equal(prep("\u3000养老目标\t", &s), SEARCH_OK);
    assert_string_equal(s.text, "养老目标");
    assert_int_equal(s.chars, 4);
    assert_int_equal(s.mode, SEARCH_TRIGRAM);
    assert_int_equal(prep("债", &s), SEARCH_OK);
    assert_int_equal(s.mode, SEARCH_SCAN);
    assert_int_equal(prep("abc", &s), SEARCH_OK);
    assert_int_equal(s.mode, SEARCH_TRIGRAM);
    /* Spaces inside are part of the substring. */
    assert_int_equal(prep(" a b ", &s), SEARCH_OK);
    assert_string_equal(s.text, "a b");
    assert_int_equal(s.mode, SEARCH_TRIGRAM);
}

static void test_refused(void **state)
{
    (void)state;
    struct search_query s;
    assert_int_equal(prep("", &s), SEARCH_EMPTY);
    assert_int_equal(prep("   \u3000 ", &s), SEARCH_EMPTY);
    assert_int_equal(prep("a\nb", &s), SEARCH_BAD_TEXT);
    assert_int_equal(prep("a\x7f", &s), SEARCH_BAD_TEXT);
    assert_int_equal(prep("a\u202eb", &s), SEARCH_BAD_TEXT);
    assert_int_equal(prep("\xe5\x85", &s), SEARCH_BAD_TEXT); /* truncated */
    assert_int_equal(prep("\xc0\x80", &s), SEARCH_BAD_TEXT); /* overlong NUL */
    char q[3 * LIMIT_SEARCH_QUERY_CHARS_MAX + 2] = "";
    for (int i = 0; i < LIMIT_SEARCH_QUERY_CHARS_MAX; i++)
        memcpy(q + 3 * i, "基", 3);
    assert_int_equal(prep(q, &s), SEARCH_OK);
    assert_int_equal(s.chars, LIMIT_SEARCH_QUERY_CHARS_MAX);
    q[3 * LIMIT_SEARCH_QUERY_CHARS_MAX] = 'a';
    assert_int_equal(prep(q, &s), SEARCH_TOO_LONG);
    assert_string_equal(search_rc_str(SEARCH_TOO_LONG), "the query is too long");
}

static void test_patterns(void **state)
{
    (void)state;
    struct search_query s;
    assert_int_equal(prep("a\"b", &s), SEARCH_OK);
    assert_string_equal(s.fts, "\"a\"\"b\"");
    assert_string_equal(s.like, "%a\"b%");
    assert_int_equal(prep("5%_x\\", &s), SEARCH_OK);
    assert_string_equal(s.fts, "\"5%_x\\\"");
    assert_string_equal(s.like, "%5\\%\\_x\\\\%");
    assert_int_equal(prep("\"\"\"", &s), SEARCH_OK);
    assert_string_equal(s.fts, "\"\"\"\"\"\"\"\"");
}

/* ---- against SQLite ---- */

static const char *const rows[] = {
    "养老目标日期2035三年持有期混合",
    "Bosera Growth 成长精选",
    "中证500 ETF 联接 A",
    "AND OR NOT NEAR(a b) * ^col: \"quoted\" 100% a_b \\ end",
    "稳健债券",
};

static int count_rows(void *ctx, int n, char **v, char **names)
{
    (void)n;
    (void)v;
    (void)names;
    (*(int *)ctx)++;
    return 0;
}

/* Rows that contain q, letters compared in lower case as both SQLite forms do. */
static int expected(const char *q)
{
    int n = 0;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char a[256], b[256];
        size_t k;
        for (k = 0; rows[i][k] && k < sizeof(a) - 1; k++)
            a[k] = (char)(rows[i][k] >= 'A' && rows[i][k] <= 'Z' ? rows[i][k] + 32 : rows[i][k]);
        a[k] = '\0';
        for (k = 0; q[k] && k < sizeof(b) - 1; k++)
            b[k] = (char)(q[k] >= 'A' && q[k] <= 'Z' ? q[k] + 32 : q[k]);
        b[k] = '\0';
        n += strstr(a, b) != NULL;
    }
    return n;
}

static int run(sqlite3 *db, const char *sql, const char *param)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC), SQLITE_OK);
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        n++;
    if (rc != SQLITE_DONE)
        fail_msg("%s with %s: %s", sql, param, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return n;
}

static void test_sqlite(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    int ignored = 0;
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE VIRTUAL TABLE f USING fts5 (t, tokenize = 'trigram');"
                                  "CREATE TABLE p (t TEXT);",
                                  count_rows, &ignored, NULL),
                     SQLITE_OK);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO f (t) VALUES (?1); ", -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, rows[i], -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
        assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO p (t) VALUES (?1)", -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, rows[i], -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    const char *queries[] = {
        "养老目标",  "养老",
        "养",        "目标日期",
        "bosera",    "BOSERA",
        "gRoWtH",    "500",
        "ETF",       "etf 联接",
        "AND",       "OR",
        "NOT",       "NEAR(a",
        "NEAR(a b)", "*",
        "^col:",     "\"quoted\"",
        "\"",        "\"\"",
        "100%",      "%",
        "_",         "a_b",
        "\\",        "(",
        ")",         "{",
        "}",         "-",
        "+",         ":",
        "'",         "';DROP TABLE f;--",
        "a OR b",    "col:a",
        "稳健债券",  "不存在的",
    };
    for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
        struct search_query s;
        assert_int_equal(prep(queries[i], &s), SEARCH_OK);
        int want = expected(s.text);
        int like = run(db, "SELECT 1 FROM p WHERE t LIKE ?1 ESCAPE '\\'", s.like);
        if (like != want)
            fail_msg("LIKE %s: %d rows, want %d", s.like, like, want);
        if (s.mode == SEARCH_TRIGRAM) {
            int fts = run(db, "SELECT 1 FROM f WHERE f MATCH ?1", s.fts);
            if (fts != want)
                fail_msg("MATCH %s: %d rows, want %d", s.fts, fts, want);
        }
    }
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trim_and_modes),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_sqlite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
