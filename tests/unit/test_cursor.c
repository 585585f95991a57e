/*
 * test_cursor.c - unit tests of base/cursor: page cursors round-trip every key exactly, sort
 * nothing themselves, and refuse anything a client could send instead.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/cursor.h"

static void round_trip(int64_t ms, int64_t id)
{
    char s[LIMIT_CURSOR_CHARS + 1];
    struct cursor k = {ms, id}, back = {-1, -1};
    cursor_encode(&k, s);
    assert_int_equal(strlen(s), LIMIT_CURSOR_CHARS);
    assert_true(cursor_decode(s, &back));
    assert_int_equal(back.ms, ms);
    assert_int_equal(back.id, id);
}

static void test_round_trip(void **state)
{
    (void)state;
    round_trip(0, 1);
    round_trip(1772416800000, 4611686018427387905); /* 2026-03-02 10:00 CST, a random id */
    round_trip(INT64_MAX, INT64_MAX);
    round_trip(1, INT64_MAX);
    round_trip(INT64_MAX, 1);
    /* A spread of keys, bits in every digit. */
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < 10000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t ms = (int64_t)(x >> 1);
        int64_t id = (int64_t)((x * 0xD6E8FEB86659FD93u) >> 1);
        round_trip(ms, id < 1 ? 1 : id);
    }
}

static void test_known_form(void **state)
{
    (void)state;
    char s[LIMIT_CURSOR_CHARS + 1];
    struct cursor k = {0x19CAC2A1C00, 0x4000000000000001};
    cursor_encode(&k, s);
    assert_string_equal(s, "0000019cac2a1c004000000000000001");
    struct cursor first = cursor_first();
    assert_int_equal(first.ms, INT64_MAX);
    assert_int_equal(first.id, INT64_MAX);
}

static void test_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "0",
        "0000019cac2a1c00400000000000000",   /* 31 digits */
        "0000019cac2a1c0040000000000000011", /* 33 digits */
        "0000019CAC2A1C004000000000000001",  /* upper case */
        "0000019cac2a1c00400000000000000g",  /* not hex */
        "0000019cac2a1c00 400000000000001",  /* a space */
        "-000019cac2a1c004000000000000001",  /* a sign */
        "80000000000000004000000000000001",  /* time above INT64_MAX */
        "0000019cac2a1c000000000000000000",  /* id 0 */
        "0000019cac2a1c008000000000000001",  /* id above INT64_MAX */
        "ffffffffffffffffffffffffffffffff",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct cursor out = {7, 7};
        assert_false(cursor_decode(bad[i], &out));
        assert_int_equal(out.ms, 7); /* untouched */
        assert_int_equal(out.id, 7);
    }
    struct cursor out = {7, 7};
    assert_false(cursor_decode(NULL, &out));
}

static bool aborts(void (*fn)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (freopen("/dev/null", "w", stderr) == NULL)
            _exit(3);
        fn();
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void encode_negative_time(void)
{
    char s[LIMIT_CURSOR_CHARS + 1];
    struct cursor k = {-1, 1};
    cursor_encode(&k, s);
}

static void encode_id_zero(void)
{
    char s[LIMIT_CURSOR_CHARS + 1];
    struct cursor k = {1, 0};
    cursor_encode(&k, s);
}

static void test_contract_violations_abort(void **state)
{
    (void)state;
    assert_true(aborts(encode_negative_time));
    assert_true(aborts(encode_id_zero));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_known_form),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_contract_violations_abort),
    };
    return cmocka_run_group_tests_name("cursor", tests, NULL, NULL);
}
