/*
 * test_base.c - unit tests of the helper modules in src/base: the arena (alignment, ceiling,
 * reuse), the bounded buffer (maximum, JSON escaping, steal), settings (names, bounds, origins,
 * environment, cross-checks) and the crypto wrappers (tokens, hex, password hashing, ids,
 * SHA-256 against the FIPS 180-2 vector).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/config.h"
#include "base/crypto.h"
#include "base/pmap.h"
#include "base/limits.h"

/* ---- arena ---- */

static void test_arena_alignment(void **state)
{
    (void)state;
    static const size_t sizes[] = {1, 3, 15, 16, 17, 100, 4097, 1, 2 * LIMIT_ARENA_CHUNK_BYTES};
    struct arena a;
    arena_init(&a, 1 << 20);
    unsigned char *p[sizeof(sizes) / sizeof(sizes[0])];
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        p[i] = arena_alloc(&a, sizes[i]);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % 16, 0);
        memset(p[i], (int)i + 1, sizes[i]);
    }
    /* No allocation overlapped another: each still holds its own byte. */
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        for (size_t k = 0; k < sizes[i]; k++)
            assert_int_equal(p[i][k], i + 1);
    assert_true(a.used_bytes <= a.max_bytes);
    arena_release(&a);
}

static void test_arena_ceiling(void **state)
{
    (void)state;
    struct arena a;
    size_t max = 4 * LIMIT_ARENA_CHUNK_BYTES;
    arena_init(&a, max);
    /* 1000 rounds to 1008; a 16 KiB chunk holds 16 of them, four chunks 64. */
    int n = 0;
    while (arena_alloc(&a, 1000) != NULL) {
        n++;
        assert_true(n <= 64);
    }
    assert_int_equal(n, 64);
    assert_int_equal(a.used_bytes, max);
    assert_null(arena_alloc(&a, 1000));
    assert_null(arena_alloc(&a, 1 << 20));
    assert_int_equal(a.used_bytes, max);
    /* What is left in the newest chunk is still handed out: 16384 - 16 × 1008 = 256. */
    assert_non_null(arena_alloc(&a, 256));
    assert_null(arena_alloc(&a, 16));
    assert_int_equal(a.used_bytes, max);
    arena_release(&a);

    /* One piece larger than a chunk gets a chunk of its own size, within the ceiling. */
    arena_init(&a, 40000);
    assert_non_null(arena_alloc(&a, 20000));
    assert_non_null(arena_alloc(&a, 20000));
    assert_int_equal(a.used_bytes, 40000);
    assert_null(arena_alloc(&a, 1));
    assert_int_equal(a.used_bytes, 40000);
    arena_release(&a);

    /* Sizes whose rounding would wrap around. */
    arena_init(&a, max);
    assert_null(arena_alloc(&a, SIZE_MAX));
    assert_null(arena_alloc(&a, SIZE_MAX - 14));
    assert_null(arena_alloc(&a, max + 1));
    assert_int_equal(a.used_bytes, 0);
    arena_release(&a);
}

static void test_arena_strings(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 4 * LIMIT_ARENA_CHUNK_BYTES);
    char *s = arena_strndup(&a, "abcdef", 3);
    assert_string_equal(s, "abc");
    assert_int_equal((uintptr_t)s % 16, 0);
    assert_string_equal(arena_strndup(&a, "", 0), "");
    assert_string_equal(arena_strndup(&a, NULL, 0), "");
    assert_memory_equal(arena_strndup(&a, "a\0b", 3), "a\0b", 4);

    char *f = arena_printf(&a, "%s-%d-%05.1f", "基金", -42, 3.14159);
    assert_string_equal(f, "基金--42-003.1");
    /* Longer than a chunk: sized by a first formatting pass, not truncated. */
    char *big = arena_printf(&a, "%*d", LIMIT_ARENA_CHUNK_BYTES + 10, 7);
    assert_non_null(big);
    assert_int_equal(strlen(big), LIMIT_ARENA_CHUNK_BYTES + 10);
    assert_int_equal(big[LIMIT_ARENA_CHUNK_BYTES + 9], '7');
    /* Full: strndup and printf return NULL rather than a partial result. */
    assert_null(arena_printf(&a, "%*d", (int)a.max_bytes, 1));
    assert_null(arena_strndup(&a, "x", a.max_bytes));
    arena_release(&a);
}

static void test_arena_release_reuse(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 2 * LIMIT_ARENA_CHUNK_BYTES);
    for (int round = 0; round < 3; round++) {
        int n = 0;
        while (arena_alloc(&a, 4096) != NULL)
            n++;
        assert_int_equal(n, 8); /* the same capacity every round */
        arena_release(&a);
        assert_int_equal(a.used_bytes, 0);
        assert_null(a.head);
        assert_int_equal(a.max_bytes, 2 * LIMIT_ARENA_CHUNK_BYTES);
    }
    unsigned char *z = arena_zalloc(&a, 3000);
    assert_non_null(z);
    for (size_t i = 0; i < 3000; i++)
        assert_int_equal(z[i], 0);
    arena_release(&a);
    arena_release(&a); /* twice is fine */
    arena_release(NULL);
}

/* ---- buf ---- */

static void test_buf_max(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 10);
    assert_true(buf_puts(&b, "12345"));
    assert_false(buf_append(&b, "678901", 6)); /* 11 > 10 */
    assert_true(b.overflow);
    assert_int_equal(b.len, 5);
    assert_string_equal(b.data, "12345");
    /* The flag is sticky: later appends are refused even when they would fit. */
    assert_false(buf_puts(&b, "x"));
    assert_string_equal(b.data, "12345");
    buf_free(&b);
    buf_free(NULL);

    buf_init(&b, 10);
    assert_true(buf_printf(&b, "%d", 12345678));
    assert_true(buf_puts(&b, "ab")); /* exactly max */
    assert_int_equal(b.len, 10);
    assert_false(b.overflow);
    assert_false(buf_printf(&b, "%c", 'z'));
    assert_true(b.overflow);
    assert_string_equal(b.data, "12345678ab");
    buf_free(&b);

    /* Growth past the first allocation keeps every byte. */
    buf_init(&b, 5000);
    char expect[3501 + 8];
    for (int i = 0; i < 500; i++) {
        assert_true(buf_printf(&b, "%07d", i));
        snprintf(expect + 7 * i, 12, "%07d", i);
    }
    assert_int_equal(b.len, 3500);
    assert_string_equal(b.data, expect);
    buf_free(&b);
}

static void expect_escape(const char *in, size_t n, const char *want)
{
    struct buf b;
    buf_init(&b, 1024);
    assert_true(buf_json_escape(&b, in, n));
    assert_string_equal(b.data, want);
    assert_int_equal(b.len, strlen(want));
    buf_free(&b);
}

static void test_buf_json_escape(void **state)
{
    (void)state;
    expect_escape("plain", 5, "plain");
    expect_escape("say \"hi\"", 8, "say \\\"hi\\\"");
    expect_escape("a\\b", 3, "a\\\\b");
    expect_escape("\n\r\t\b\f", 5, "\\u000a\\u000d\\u0009\\u0008\\u000c");
    expect_escape("\x01\x1f", 2, "\\u0001\\u001f");
    expect_escape("a\0b", 3, "a\\u0000b");
    expect_escape("\x7f ~", 3, "\x7f ~"); /* DEL needs no escape in JSON */
    expect_escape("基金净值 ✓ 😀", strlen("基金净值 ✓ 😀"), "基金净值 ✓ 😀");
    expect_escape("\"\\\"", 3, "\\\"\\\\\\\"");
    expect_escape("", 0, "");

    /* Escaping counts against the maximum: 5 input bytes become 10. */
    struct buf b;
    buf_init(&b, 9);
    assert_false(buf_json_escape(&b, "\"\"\"\"\"", 5));
    assert_true(b.overflow);
    assert_true(b.len <= 9);
    buf_free(&b);
}

static void expect_csv(const char *in, const char *want)
{
    struct buf b;
    buf_init(&b, 1024);
    assert_true(buf_csv_text(&b, in));
    assert_string_equal(b.data, want);
    buf_free(&b);
}

static void test_buf_csv_text(void **state)
{
    (void)state;
    expect_csv("博时稳健债券A", "\"博时稳健债券A\"");
    expect_csv("a,b", "\"a,b\"");
    expect_csv("say \"hi\"", "\"say \"\"hi\"\"\"");
    expect_csv("\"", "\"\"\"\"");
    expect_csv("", "\"\"");
    expect_csv("line\r\nbreak", "\"line\r\nbreak\"");
    /* Formulas are shown, not run. */
    expect_csv("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"");
    expect_csv("+1", "\"'+1\"");
    expect_csv("-1", "\"'-1\"");
    expect_csv("@SUM(A1)", "\"'@SUM(A1)\"");
    expect_csv("a=b", "\"a=b\"");
    /* Past the maximum: refused, flagged. */
    struct buf b;
    buf_init(&b, 4);
    assert_false(buf_csv_text(&b, "abcdef"));
    assert_true(b.overflow);
    buf_free(&b);
}

static void test_buf_steal(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 100);
    assert_true(buf_puts(&b, "hello"));
    size_t len = 0;
    char *p = buf_steal(&b, &len);
    assert_string_equal(p, "hello");
    assert_int_equal(len, 5);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    /* The buffer is usable again and does not share memory with what was stolen. */
    assert_true(buf_puts(&b, "again"));
    assert_string_equal(p, "hello");
    free(p);
    p = buf_steal(&b, NULL);
    assert_string_equal(p, "again");
    free(p);
    /* An empty buffer hands over memory, not NULL. Its bytes are not read: today buf_steal
     * does not NUL-terminate a buffer that never held data. */
    p = buf_steal(&b, &len);
    assert_non_null(p);
    assert_int_equal(len, 0);
    free(p);
    buf_free(&b);
}

/* ---- config ---- */

static void test_config_defaults(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_string_equal(c.db, "var/caifuhao.db");
    assert_string_equal(c.web_root, "web/dist");
    assert_string_equal(c.log_level, "info");
    assert_true(c.threads >= 2 && c.threads <= LIMIT_THREADS_MAX);
    assert_int_equal(c.session_idle_s, 1800);
    assert_int_equal(c.session_absolute_s, 43200);
    assert_int_equal(c.login_max_failures, 5);
    assert_int_equal(c.events_per_minute, 600);
    assert_int_equal(c.segment_min_investors, 20);
    assert_int_equal(c.set_mask, 0);
    char err[CONFIG_ERR_MAX];
    assert_int_equal(config_check(&c, err), 0);
    assert_int_equal(c.listen_port, 8080);
    assert_int_equal(c.listen_ip, htonl(0x7f000001));
}

static void expect_set_fails(const char *name, const char *value, const char *origin)
{
    struct config c;
    config_defaults(&c);
    char err[CONFIG_ERR_MAX] = "";
    assert_int_equal(config_set(&c, name, value, origin, err), -1);
    if (strstr(err, origin) == NULL)
        print_message("message without '%s': %s\n", origin, err);
    assert_non_null(strstr(err, origin));
    assert_int_equal(c.session_idle_s, 1800); /* untouched */
    assert_string_equal(c.log_level, "info");
    assert_int_equal(c.set_mask, 0);
}

static void test_config_set(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    char err[CONFIG_ERR_MAX] = "";
    assert_int_equal(config_set(&c, "session-idle-s", "60", "--session-idle-s", err), 0);
    assert_int_equal(c.session_idle_s, 60);
    assert_int_equal(config_set(&c, "session_idle_s", "120", "CAIFUHAO_SESSION_IDLE_S", err), 0);
    assert_int_equal(c.session_idle_s, 120);
    assert_int_equal(config_set(&c, "session_idle_s", "86400", "--session-idle-s", err), 0);
    assert_int_equal(config_set(&c, "rate-limit-rps", "0", "--rate-limit-rps", err), 0);
    assert_int_equal(c.rate_limit_rps, 0);
    assert_int_equal(config_set(&c, "listen", "0.0.0.0:9000", "--listen", err), 0);
    assert_string_equal(c.listen, "0.0.0.0:9000");
    assert_int_not_equal(c.set_mask, 0);

    expect_set_fails("session-idle-s", "0", "--session-idle-s");
    expect_set_fails("session-idle-s", "86401", "--session-idle-s");
    expect_set_fails("session_idle_s", "99999999999999999999", "CAIFUHAO_SESSION_IDLE_S");
    expect_set_fails("session-idle-s", "abc", "--session-idle-s");
    expect_set_fails("session-idle-s", "12x", "--session-idle-s");
    expect_set_fails("session-idle-s", " 12", "--session-idle-s");
    expect_set_fails("session-idle-s", "-5", "--session-idle-s");
    expect_set_fails("session-idle-s", "+5", "--session-idle-s");
    expect_set_fails("session-idle-s", "", "--session-idle-s");
    expect_set_fails("log-level", "", "--log-level");
    expect_set_fails("log-level", "verbose!", "--log-level"); /* 8 bytes: no room for NUL */

    err[0] = '\0';
    assert_int_equal(config_set(&c, "no-such-thing", "1", "--no-such-thing", err), -2);
    assert_non_null(strstr(err, "--no-such-thing"));
    assert_int_equal(config_set(&c, "session__idle_s", "1", "--x", err), -2);
    assert_int_equal(config_set(&c, "", "1", "--", err), -2);
}

static void test_config_env(void **state)
{
    (void)state;
    struct config c;
    config_defaults(&c);
    char err[CONFIG_ERR_MAX] = "";
    assert_int_equal(config_set(&c, "session-idle-s", "60", "--session-idle-s", err), 0);
    setenv("CAIFUHAO_SESSION_IDLE_S", "77", 1);
    setenv("CAIFUHAO_LOGIN_LOCK_S", "99", 1);
    setenv("CAIFUHAO_LISTEN", "10.0.0.1:9000", 1);
    unsetenv("CAIFUHAO_THREADS");
    assert_int_equal(config_load_env(&c, err), 0);
    assert_int_equal(c.session_idle_s, 60); /* the flag wins */
    assert_int_equal(c.login_lock_s, 99);
    assert_string_equal(c.listen, "10.0.0.1:9000");
    assert_int_equal(c.session_absolute_s, 43200); /* neither: default */

    setenv("CAIFUHAO_THREADS", "lots", 1);
    config_defaults(&c);
    assert_int_equal(config_load_env(&c, err), -1);
    assert_non_null(strstr(err, "CAIFUHAO_THREADS"));
    assert_non_null(strstr(err, "lots"));
    /* A flag shields the setting from a bad variable too. */
    config_defaults(&c);
    assert_int_equal(config_set(&c, "threads", "4", "--threads", err), 0);
    assert_int_equal(config_load_env(&c, err), 0);
    assert_int_equal(c.threads, 4);

    unsetenv("CAIFUHAO_SESSION_IDLE_S");
    unsetenv("CAIFUHAO_LOGIN_LOCK_S");
    unsetenv("CAIFUHAO_LISTEN");
    unsetenv("CAIFUHAO_THREADS");
}

static int check_listen(const char *listen)
{
    struct config c;
    config_defaults(&c);
    char err[CONFIG_ERR_MAX] = "";
    assert_int_equal(config_set(&c, "listen", listen, "--listen", err), 0);
    int rc = config_check(&c, err);
    if (rc != 0)
        assert_non_null(strstr(err, listen));
    return rc;
}

static void test_config_check(void **state)
{
    (void)state;
    assert_int_equal(check_listen("127.0.0.1:8080"), 0);
    assert_int_equal(check_listen("1.2.3.4:1"), 0);
    assert_int_equal(check_listen("1.2.3.4:65535"), 0);
    assert_int_equal(check_listen("localhost:80"), -1);
    assert_int_equal(check_listen("1.2.3.4"), -1);
    assert_int_equal(check_listen("1.2.3.4:"), -1);
    assert_int_equal(check_listen("1.2.3.4:0"), -1);
    assert_int_equal(check_listen("1.2.3.4:65536"), -1);
    assert_int_equal(check_listen("1.2.3.4:80x"), -1);
    assert_int_equal(check_listen("1.2.3.4:-80"), -1);
    assert_int_equal(check_listen("1.2.3:80"), -1);
    assert_int_equal(check_listen("[::1]:80"), -1);

    struct config c;
    char err[CONFIG_ERR_MAX] = "";
    config_defaults(&c);
    c.session_idle_s = 600;
    c.session_absolute_s = 600;
    assert_int_equal(config_check(&c, err), 0);
    c.session_absolute_s = 599;
    assert_int_equal(config_check(&c, err), -1);
    assert_non_null(strstr(err, "session_absolute_s"));

    config_defaults(&c);
    assert_int_equal(config_set(&c, "log-level", "loud", "--log-level", err), 0);
    assert_int_equal(config_check(&c, err), -1);
    assert_non_null(strstr(err, "loud"));
    assert_int_equal(config_set(&c, "log-level", "warn", "--log-level", err), 0);
    assert_int_equal(config_check(&c, err), 0);
    assert_int_equal(c.trusted_proxy_ip, 0); /* no proxy unless one is named */

    assert_int_equal(config_set(&c, "trusted-proxy", "10.0.0.5", "--trusted-proxy", err), 0);
    assert_int_equal(config_check(&c, err), 0);
    assert_int_equal(c.trusted_proxy_ip, htonl(0x0A000005));
    assert_int_equal(config_set(&c, "trusted-proxy", "proxy.local", "--trusted-proxy", err), 0);
    assert_int_equal(config_check(&c, err), -1);
    assert_non_null(strstr(err, "trusted_proxy"));
}

static void test_config_usage(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    config_usage(out);
    assert_int_equal(fclose(out), 0);
    assert_non_null(strstr(text, "--session-idle-s"));
    assert_non_null(strstr(text, "CAIFUHAO_SESSION_IDLE_S"));
    assert_non_null(strstr(text, "default 1800"));
    assert_non_null(strstr(text, "default 127.0.0.1:8080"));
    free(text);
}

/* ---- crypto ---- */

static int crypto_group_setup(void **state)
{
    (void)state;
    return crypto_setup(1, 8, 2);
}

static bool lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return s[n] == '\0';
}

static void test_crypto_token(void **state)
{
    (void)state;
    char a[LIMIT_TOKEN_HEX + 1], b[LIMIT_TOKEN_HEX + 1];
    crypto_token(a);
    crypto_token(b);
    assert_int_equal(strlen(a), 64);
    assert_true(lower_hex(a, 64));
    assert_true(lower_hex(b, 64));
    assert_string_not_equal(a, b);
}

static void test_crypto_hex(void **state)
{
    (void)state;
    uint8_t out[3] = {0};
    assert_true(crypto_unhex("00ff7F", 6, out, 3));
    assert_memory_equal(out, "\x00\xff\x7f", 3);
    char hex[7];
    crypto_hex(out, 3, hex);
    assert_string_equal(hex, "00ff7f");

    assert_false(crypto_unhex("abc", 3, out, 2)); /* odd length */
    assert_false(crypto_unhex("zz", 2, out, 1));  /* not hex */
    assert_false(crypto_unhex("0g", 2, out, 1));
    assert_false(crypto_unhex("00 1", 4, out, 2));  /* a space is not a digit */
    assert_false(crypto_unhex("abcd", 4, out, 1));  /* too long for out */
    assert_false(crypto_unhex("ab", 2, out, 2));    /* too short for out */
    assert_false(crypto_unhex("a\0bc", 4, out, 2)); /* NUL inside */
    assert_false(crypto_unhex("", 0, out, 1));
}

static void test_crypto_password(void **state)
{
    (void)state;
    char hash[LIMIT_PWHASH_STR];
    assert_int_equal(crypto_password_hash("correct horse 1", 15, hash), 0);
    assert_non_null(strstr(hash, "$argon2id$"));
    assert_true(crypto_password_verify(hash, "correct horse 1", 15));
    assert_false(crypto_password_verify(hash, "correct horse 2", 15));
    assert_false(crypto_password_verify(hash, "correct horse 1", 14)); /* length counts */
    assert_false(crypto_password_verify(hash, "", 0));
    assert_false(crypto_password_verify("not a hash", "correct horse 1", 15));

    /* Salted: the same password hashes differently each time, and both verify. */
    char again[LIMIT_PWHASH_STR];
    assert_int_equal(crypto_password_hash("correct horse 1", 15, again), 0);
    assert_string_not_equal(hash, again);
    assert_true(crypto_password_verify(again, "correct horse 1", 15));
}

static void test_crypto_random_id(void **state)
{
    (void)state;
    int64_t first = crypto_random_id(), or_bits = 0;
    bool varied = false;
    for (int i = 0; i < 2000; i++) {
        int64_t v = crypto_random_id();
        assert_true(v >= 1 && v < (INT64_C(1) << 62));
        or_bits |= v;
        varied = varied || v != first;
    }
    assert_true(varied);
    /* 2000 draws set bit 61 (and every other bit) with overwhelming probability. */
    assert_int_equal(or_bits, (INT64_C(1) << 62) - 1);
}

/* Time-ordered ids: strictly increasing within the process, in range, and their top bits
 * are the milliseconds since 2024-01-01 of when they were made. */
static void test_crypto_ordered_id(void **state)
{
    (void)state;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t before = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - INT64_C(1704067200000);
    int64_t prev = crypto_ordered_id(), low_bits = 0;
    for (int i = 0; i < 100000; i++) {
        int64_t v = crypto_ordered_id();
        assert_true(v > prev);
        assert_true(v < (INT64_C(1) << 62));
        low_bits |= v & ((1 << 22) - 1);
        prev = v;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t after = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - INT64_C(1704067200000);
    /* 100,000 ids may run ahead of the clock by at most one per id within a millisecond. */
    assert_true((prev >> 22) >= before && (prev >> 22) <= after + 1);
    assert_int_equal(low_bits, (1 << 22) - 1);
}

static void test_crypto_sha256(void **state)
{
    (void)state;
    uint8_t h[CRYPTO_SHA256_BYTES];
    char hex[2 * CRYPTO_SHA256_BYTES + 1];
    crypto_sha256("abc", 3, h);
    crypto_hex(h, sizeof(h), hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    crypto_sha256("", 0, h);
    crypto_hex(h, sizeof(h), hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_true(crypto_equal("abc", "abc", 3));
    assert_false(crypto_equal("abc", "abd", 3));
}

/* Known answers from an independent BLAKE2b (Python's hashlib.blake2b with key, person and
 * digest_size 16, of the id as 8 little-endian bytes; the first 8 bytes of the digest read as
 * a little-endian signed integer). */
static void test_crypto_pseudonym(void **state)
{
    (void)state;
    uint8_t key[CRYPTO_KEY_BYTES], zero[CRYPTO_KEY_BYTES] = {0};
    for (int i = 0; i < CRYPTO_KEY_BYTES; i++)
        key[i] = (uint8_t)i;
    assert_int_equal(crypto_pseudonym(key, CRYPTO_PURPOSE_EVENTS, 1), INT64_C(2599012643919361291));
    assert_int_equal(crypto_pseudonym(key, CRYPTO_PURPOSE_EVENTS, INT64_C(4611686018427387905)),
                     INT64_C(-4308214683650025607));
    assert_int_equal(crypto_pseudonym(key, "other", 1), INT64_C(5635213761836135585));
    assert_int_equal(crypto_pseudonym(zero, CRYPTO_PURPOSE_EVENTS, 1),
                     INT64_C(1925428938002002635));
    /* The same id, key and purpose always give the same pseudonym; it is never the id. */
    for (int64_t id = 1; id < 2000; id++) {
        int64_t p = crypto_pseudonym(key, CRYPTO_PURPOSE_EVENTS, id);
        assert_int_equal(p, crypto_pseudonym(key, CRYPTO_PURPOSE_EVENTS, id));
        assert_int_not_equal(p, id);
        assert_int_not_equal(p, crypto_pseudonym(key, CRYPTO_PURPOSE_EVENTS, id + 1));
    }
}

/* ---- pmap ---- */

static void test_pmap(void **state)
{
    (void)state;
    struct pmap m;
    assert_true(pmap_init(&m, 0));
    bool added = false;
    /* Grows past its first size; every pair keeps its value; (a, b) is not (b, a). */
    for (int64_t i = 0; i < 5000; i++) {
        uint32_t *v = pmap_put(&m, i, -i, (uint32_t)i, &added, SIZE_MAX);
        assert_non_null(v);
        assert_true(added);
    }
    assert_int_equal(m.n, 5000);
    assert_true(2 * m.n <= m.cap);
    for (int64_t i = 0; i < 5000; i++) {
        uint32_t *v = pmap_get(&m, i, -i);
        assert_non_null(v);
        assert_int_equal(*v, (uint32_t)i);
        assert_true(i == 0 || pmap_get(&m, -i, i) == NULL);
    }
    uint32_t *v = pmap_put(&m, 7, -7, 99, &added, SIZE_MAX);
    assert_false(added);
    assert_int_equal(*v, 7); /* an existing pair keeps its value */
    /* The ceiling refuses a new pair, not an existing one. */
    assert_null(pmap_put(&m, 1, 1, 0, &added, 5000));
    assert_non_null(pmap_put(&m, 1, -1, 0, &added, 5000));
    pmap_clear(&m);
    assert_int_equal(m.n, 0);
    assert_null(pmap_get(&m, 1, -1));
    pmap_free(&m);
    pmap_free(&m);
    pmap_free(NULL);
}

int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_arena_alignment), cmocka_unit_test(test_arena_ceiling),
        cmocka_unit_test(test_arena_strings),   cmocka_unit_test(test_arena_release_reuse),
        cmocka_unit_test(test_buf_max),         cmocka_unit_test(test_buf_json_escape),
        cmocka_unit_test(test_buf_csv_text),    cmocka_unit_test(test_buf_steal),
        cmocka_unit_test(test_config_defaults), cmocka_unit_test(test_config_set),
        cmocka_unit_test(test_config_env),      cmocka_unit_test(test_config_check),
        cmocka_unit_test(test_config_usage),    cmocka_unit_test(test_pmap),
    };
    const struct CMUnitTest crypto[] = {
        cmocka_unit_test(test_crypto_token),      cmocka_unit_test(test_crypto_hex),
        cmocka_unit_test(test_crypto_password),   cmocka_unit_test(test_crypto_random_id),
        cmocka_unit_test(test_crypto_ordered_id), cmocka_unit_test(test_crypto_sha256),
        cmocka_unit_test(test_crypto_pseudonym),
    };
    int failed = cmocka_run_group_tests_name("base", pure, NULL, NULL);
    failed += cmocka_run_group_tests_name("crypto", crypto, crypto_group_setup, NULL);
    return failed;
}
