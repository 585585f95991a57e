/*
 * test_keyring.c - unit tests of the data key ring (src/base/keyring.c): a bare 32-byte key
 * read as key 0, the text form written and read back (in memory and through a file), every
 * truncation and an altered byte refused with a message that says so, the rules of adding and
 * removing keys, the lock, and a key id the ring does not hold.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/keyring.h"

static char dir[64];
static char text[LIMIT_KEYRING_FILE_BYTES];
static struct keyring ring, back;

static int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/cfh-keyring-XXXXXX");
    return crypto_setup(1, 8, 2) == 0 && mkdtemp(dir) != NULL ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A ring of keys 0, 1 and 2. */
static void three_keys(struct keyring *kr)
{
    uint8_t bare[CRYPTO_KEY_BYTES];
    crypto_random(bare, sizeof(bare));
    char err[160];
    assert_int_equal(keyring_parse(kr, bare, sizeof(bare), 1772416800000, err, sizeof(err)), 0);
    assert_int_equal(keyring_add(kr, 1772416801000, err, sizeof(err)), 0);
    assert_int_equal(keyring_add(kr, 1772416802000, err, sizeof(err)), 0);
}

static void assert_same(const struct keyring *a, const struct keyring *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_int_equal(a->keys[i].id, b->keys[i].id);
        assert_int_equal(a->keys[i].created_ms, b->keys[i].created_ms);
        assert_memory_equal(a->keys[i].key, b->keys[i].key, CRYPTO_KEY_BYTES);
    }
}

static void test_bare_key(void **state)
{
    (void)state;
    uint8_t bare[CRYPTO_KEY_BYTES];
    crypto_random(bare, sizeof(bare));
    char err[160];
    assert_int_equal(keyring_parse(&ring, bare, sizeof(bare), 42, err, sizeof(err)), 0);
    assert_true(ring.bare);
    assert_int_equal(ring.n, 1);
    assert_int_equal(ring.keys[0].id, 0);
    assert_int_equal(ring.keys[0].created_ms, 42);
    assert_memory_equal(ring.keys[0].key, bare, sizeof(bare));
    assert_ptr_equal(keyring_newest(&ring), keyring_find(&ring, KEYRING_PSEUDONYM_ID));
    /* 31 or 33 bytes are neither a key nor a ring. */
    assert_int_equal(keyring_parse(&ring, bare, 31, 42, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "neither a 32-byte key nor a key ring"));
}

static void test_round_trip(void **state)
{
    (void)state;
    three_keys(&ring);
    size_t len = keyring_format(&ring, text, sizeof(text));
    assert_true(len > 0);
    assert_memory_equal(text, KEYRING_MAGIC "\nkey 0 1772416800000 ", 39);
    char err[160];
    assert_int_equal(keyring_parse(&back, (const uint8_t *)text, len, 0, err, sizeof(err)), 0);
    assert_false(back.bare);
    assert_same(&ring, &back);
    assert_int_equal(keyring_newest(&back)->id, 2);
    /* Too small a buffer: nothing, not half a ring. */
    assert_int_equal(keyring_format(&ring, text, len - 1), 0);
    /* A full ring still fits the file's bound. */
    while (ring.n < LIMIT_DATA_KEYS_MAX)
        assert_int_equal(keyring_add(&ring, INT64_C(253402300799999), err, sizeof(err)), 0);
    assert_int_equal(keyring_add(&ring, 1, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "the ring is full"));
    assert_true(keyring_format(&ring, text, sizeof(text)) > 0);
}

static void test_file_round_trip(void **state)
{
    (void)state;
    char path[128], tmp[160], err[1400];
    snprintf(path, sizeof(path), "%s/ring.key", dir);
    three_keys(&ring);
    assert_int_equal(keyring_save(&ring, path, err, sizeof(err)), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    assert_int_equal(access(tmp, F_OK), -1);
    assert_int_equal(keyring_load(&back, path, false, err, sizeof(err)), 0);
    assert_same(&ring, &back);
    /* Saved again over itself (one key fewer): the new ring replaces the old whole. */
    assert_int_equal(keyring_remove(&ring, 1, err, sizeof(err)), 0);
    assert_int_equal(keyring_save(&ring, path, err, sizeof(err)), 0);
    assert_int_equal(keyring_load(&back, path, false, err, sizeof(err)), 0);
    assert_same(&ring, &back);
    assert_null(keyring_find(&back, 1));
}

static void test_load_missing(void **state)
{
    (void)state;
    char path[128], err[1400];
    snprintf(path, sizeof(path), "%s/absent.key", dir);
    assert_int_equal(keyring_load(&ring, path, false, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "cannot read data key file"));
    /* Created when asked: a bare key, as every installation before rings had. */
    assert_int_equal(keyring_load(&ring, path, true, err, sizeof(err)), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, CRYPTO_KEY_BYTES);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_true(ring.bare);
    assert_int_equal(keyring_load(&back, path, false, err, sizeof(err)), 0);
    assert_same(&ring, &back);
}

static void test_truncated(void **state)
{
    (void)state;
    three_keys(&ring);
    size_t len = keyring_format(&ring, text, sizeof(text));
    char err[160];
    for (size_t cut = 0; cut < len; cut++) {
        assert_int_equal(keyring_parse(&back, (const uint8_t *)text, cut, 0, err, sizeof(err)), -1);
        assert_true(strstr(err, "truncated") != NULL || strstr(err, "neither") != NULL);
        assert_int_equal(back.n, 0);
    }
    /* Cut after a whole key line, the sum line gone: still truncated, never a shorter ring. */
    const char *last_key = strstr(text, "\nkey 2 ");
    assert_non_null(last_key);
    size_t cut = (size_t)(last_key - text) + 1;
    assert_int_equal(keyring_parse(&back, (const uint8_t *)text, cut, 0, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "does not end with a 'sum' line"));
}

static void test_corrupted(void **state)
{
    (void)state;
    three_keys(&ring);
    size_t len = keyring_format(&ring, text, sizeof(text));
    char err[160];
    /* One hex digit of key 1 changed. */
    char *k1 = strstr(text, "\nkey 1 ");
    assert_non_null(k1);
    char *digit = strchr(k1 + 7, ' ') + 1;
    *digit = *digit == '0' ? '1' : '0';
    assert_int_equal(keyring_parse(&back, (const uint8_t *)text, len, 0, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "sum does not match"));
    /* Another magic line. */
    len = keyring_format(&ring, text, sizeof(text));
    text[17] = '2';
    assert_int_equal(keyring_parse(&back, (const uint8_t *)text, len, 0, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "neither a 32-byte key nor a key ring"));
    /* Well summed but wrong inside: ids out of order, then no key 0. */
    ring.keys[1].id = 7;
    len = keyring_format(&ring, text, sizeof(text));
    assert_int_equal(keyring_parse(&back, (const uint8_t *)text, len, 0, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "line 4: key ids must ascend (2 after 7)"));
    ring.keys[1].id = 1;
    ring.keys[0].id = 0;
    memmove(&ring.keys[0], &ring.keys[1], 2 * sizeof(ring.keys[0]));
    ring.n = 2;
    len = keyring_format(&ring, text, sizeof(text));
    assert_int_equal(keyring_parse(&back, (const uint8_t *)text, len, 0, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "has no key 0"));
}

static void test_add_remove(void **state)
{
    (void)state;
    three_keys(&ring);
    char err[160];
    assert_int_equal(keyring_remove(&ring, 0, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "pseudonyms"));
    assert_int_equal(keyring_remove(&ring, 2, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "newest"));
    assert_int_equal(keyring_remove(&ring, 9, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "no key 9"));
    assert_int_equal(ring.n, 3);
    assert_int_equal(keyring_remove(&ring, 1, err, sizeof(err)), 0);
    assert_int_equal(ring.n, 2);
    /* Ids are never reused: the next key is 3, not 1. */
    assert_int_equal(keyring_add(&ring, 5, err, sizeof(err)), 0);
    assert_int_equal(keyring_newest(&ring)->id, 3);
    assert_memory_not_equal(ring.keys[0].key, keyring_newest(&ring)->key, CRYPTO_KEY_BYTES);
}

static void test_unknown_key(void **state)
{
    (void)state;
    three_keys(&ring);
    const uint8_t msg[] = "王晓明";
    uint8_t sealed[sizeof(msg) + CRYPTO_SEAL_OVERHEAD], out[sizeof(msg)];
    crypto_seal(keyring_newest(&ring)->key, msg, sizeof(msg), sealed);
    /* A row names its key: only that one opens it, and an id not in the ring finds nothing. */
    assert_true(crypto_unseal(keyring_find(&ring, 2)->key, sealed, sizeof(sealed), out));
    assert_memory_equal(out, msg, sizeof(msg));
    assert_false(crypto_unseal(keyring_find(&ring, 1)->key, sealed, sizeof(sealed), out));
    assert_null(keyring_find(&ring, 3));
    assert_null(keyring_find(&ring, -1));
}

static void test_lock(void **state)
{
    (void)state;
    char path[128], err[1400];
    snprintf(path, sizeof(path), "%s/locked.key", dir);
    int a = keyring_lock(path, err, sizeof(err));
    assert_true(a >= 0);
    assert_int_equal(keyring_lock(path, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "another 'caifuhao keys' command"));
    close(a);
    int b = keyring_lock(path, err, sizeof(err));
    assert_true(b >= 0);
    close(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bare_key),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_file_round_trip),
        cmocka_unit_test(test_load_missing),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_corrupted),
        cmocka_unit_test(test_add_remove),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_lock),
    };
    return cmocka_run_group_tests_name("keyring", tests, group_setup, group_teardown);
}
