/* crypto.c: libsodium wrappers (see crypto.h). */
#include "base/crypto.h"

#include "base/check.h"

#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

static unsigned long long pw_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t pw_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
static sem_t hash_slots;
static bool ready;

int crypto_setup(unsigned ops, unsigned mem_kib, unsigned concurrent_max)
{
    if (sodium_init() < 0)
        return -1;
    if (ready)
        return 0;
    ASSERT(ops >= 1 && ops <= 10);
    ASSERT(mem_kib >= 8 && mem_kib <= 4194304);
    ASSERT(concurrent_max >= 1);
    pw_ops = ops;
    pw_mem = (size_t)mem_kib * 1024u;
    if (sem_init(&hash_slots, 0, concurrent_max) != 0)
        return -1;
    ready = true;
    return 0;
}

void crypto_random(void *out, size_t n)
{
    randombytes_buf(out, n);
}

int64_t crypto_random_id(void)
{
    uint64_t v = 0;
    while (v == 0) {
        randombytes_buf(&v, sizeof(v));
        v &= (UINT64_C(1) << 62) - 1;
    }
    return (int64_t)v;
}

#define ORDERED_EPOCH_MS    INT64_C(1704067200000) /* 2024-01-01T00:00:00Z */
#define ORDERED_RANDOM_BITS 22

int64_t crypto_ordered_id(void)
{
    static _Atomic uint64_t last;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - ORDERED_EPOCH_MS;
    ASSERT(ms > 0 && ms < (INT64_C(1) << (62 - ORDERED_RANDOM_BITS)));
    /* The low bits need not be secret, only spread: a per-thread generator seeded once
     * (splitmix64) spares a getrandom(2) per id. */
    static _Thread_local uint64_t seed;
    if (seed == 0)
        randombytes_buf(&seed, sizeof(seed));
    uint64_t z = (seed += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    uint32_t r = (uint32_t)(z ^ (z >> 31)) & ((UINT32_C(1) << ORDERED_RANDOM_BITS) - 1);
    uint64_t want = ((uint64_t)ms << ORDERED_RANDOM_BITS) | r;
    uint64_t prev = atomic_load(&last);
    uint64_t next;
    do
        next = want > prev ? want : prev + 1;
    while (!atomic_compare_exchange_weak(&last, &prev, next));
    return (int64_t)next;
}

void crypto_token(char out[LIMIT_TOKEN_HEX + 1])
{
    uint8_t raw[LIMIT_TOKEN_BYTES];
    randombytes_buf(raw, sizeof(raw));
    crypto_hex(raw, sizeof(raw), out);
    sodium_memzero(raw, sizeof(raw));
}

void crypto_sha256(const void *p, size_t n, uint8_t out[CRYPTO_SHA256_BYTES])
{
    crypto_hash_sha256(out, p, n);
}

int64_t crypto_pseudonym(const uint8_t key[CRYPTO_KEY_BYTES], const char *purpose, int64_t id)
{
    uint8_t personal[crypto_generichash_blake2b_PERSONALBYTES] = {0};
    size_t n = strlen(purpose);
    ASSERT(n <= sizeof(personal));
    memcpy(personal, purpose, n);
    uint8_t msg[8], out[crypto_generichash_blake2b_BYTES_MIN];
    uint64_t u = (uint64_t)id;
    for (int i = 0; i < 8; i++)
        msg[i] = (uint8_t)(u >> (8 * i));
    ASSERT(crypto_generichash_blake2b_salt_personal(out, sizeof(out), msg, sizeof(msg), key,
                                                    CRYPTO_KEY_BYTES, NULL, personal) == 0);
    uint64_t h = 0;
    for (int i = 7; i >= 0; i--)
        h = h << 8 | out[i];
    return (int64_t)h;
}

void crypto_sha256_pair(const void *a, size_t na, const void *b, size_t nb,
                        uint8_t out[CRYPTO_SHA256_BYTES])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, a, na);
    crypto_hash_sha256_update(&st, b, nb);
    crypto_hash_sha256_final(&st, out);
}

void crypto_hex(const uint8_t *p, size_t n, char *out)
{
    sodium_bin2hex(out, 2 * n + 1, p, n);
}

bool crypto_unhex(const char *hex, size_t hex_len, uint8_t *out, size_t n)
{
    if (hex_len != 2 * n)
        return false;
    for (size_t i = 0; i < hex_len; i++) {
        char c = hex[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    size_t got = 0;
    return sodium_hex2bin(out, n, hex, hex_len, NULL, &got, NULL) == 0 && got == n;
}

int crypto_password_hash(const char *pw, size_t len, char out[LIMIT_PWHASH_STR])
{
    ASSERT(ready);
    ASSERT(LIMIT_PWHASH_STR >= crypto_pwhash_STRBYTES);
    while (sem_wait(&hash_slots) != 0) {
    }
    int rc = crypto_pwhash_str_alg(out, pw, len, pw_ops, pw_mem, crypto_pwhash_ALG_ARGON2ID13);
    sem_post(&hash_slots);
    return rc == 0 ? 0 : -1;
}

bool crypto_password_verify(const char *hash, const char *pw, size_t len)
{
    ASSERT(ready);
    while (sem_wait(&hash_slots) != 0) {
    }
    bool ok = crypto_pwhash_str_verify(hash, pw, len) == 0;
    sem_post(&hash_slots);
    return ok;
}

void crypto_wipe(void *p, size_t n)
{
    sodium_memzero(p, n);
}

bool crypto_equal(const void *a, const void *b, size_t n)
{
    return sodium_memcmp(a, b, n) == 0;
}

void crypto_seal(const uint8_t key[CRYPTO_KEY_BYTES], const void *msg, size_t n, uint8_t *out)
{
    ASSERT(CRYPTO_SEAL_OVERHEAD == crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES);
    randombytes_buf(out, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, msg, n, out, key);
}

bool crypto_unseal(const uint8_t key[CRYPTO_KEY_BYTES], const uint8_t *in, size_t n, void *out)
{
    if (n < CRYPTO_SEAL_OVERHEAD)
        return false;
    return crypto_secretbox_open_easy(out, in + crypto_secretbox_NONCEBYTES,
                                      n - crypto_secretbox_NONCEBYTES, in, key) == 0;
}

/* Reads exactly n bytes of a key file into out, or creates it with n random bytes (mode
 * 0600) when it is absent and create is set. `what` names the file in messages. */
static int key_file(const char *path, const char *what, bool create, uint8_t *out, size_t n,
                    char *err, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        uint8_t extra;
        ssize_t got = read(fd, out, n);
        ssize_t more = got == (ssize_t)n ? read(fd, &extra, 1) : 0;
        close(fd);
        if (got == (ssize_t)n && more == 0)
            return 0;
        snprintf(err, cap, "%s file '%s' is not %zu bytes", what, path, n);
        return -1;
    }
    if (errno != ENOENT || !create) {
        snprintf(err, cap, "cannot read %s file '%s': %s", what, path, strerror(errno));
        return -1;
    }
    /* O_EXCL: two processes starting at once cannot both create a different key. */
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return key_file(path, what, false, out, n, err, cap);
        snprintf(err, cap, "cannot create %s file '%s': %s", what, path, strerror(errno));
        return -1;
    }
    randombytes_buf(out, n);
    bool ok = write(fd, out, n) == (ssize_t)n && fsync(fd) == 0;
    close(fd);
    if (!ok) {
        unlink(path);
        snprintf(err, cap, "cannot write %s file '%s'", what, path);
        return -1;
    }
    return 0;
}

void crypto_ed25519_keypair(const uint8_t seed[CRYPTO_SIGN_SEED_BYTES],
                            uint8_t pk[CRYPTO_SIGN_PK_BYTES], uint8_t sk[CRYPTO_SIGN_SK_BYTES])
{
    ASSERT(crypto_sign_PUBLICKEYBYTES == CRYPTO_SIGN_PK_BYTES);
    ASSERT(crypto_sign_SECRETKEYBYTES == CRYPTO_SIGN_SK_BYTES);
    ASSERT(crypto_sign_SEEDBYTES == CRYPTO_SIGN_SEED_BYTES);
    crypto_sign_seed_keypair(pk, sk, seed);
}

void crypto_ed25519_sign(const uint8_t sk[CRYPTO_SIGN_SK_BYTES], const void *msg, size_t n,
                         uint8_t sig[CRYPTO_SIGN_BYTES])
{
    ASSERT(crypto_sign_BYTES == CRYPTO_SIGN_BYTES);
    crypto_sign_detached(sig, NULL, msg, n, sk);
}

bool crypto_ed25519_verify(const uint8_t pk[CRYPTO_SIGN_PK_BYTES], const void *msg, size_t n,
                           const uint8_t sig[CRYPTO_SIGN_BYTES])
{
    return crypto_sign_verify_detached(sig, msg, n, pk) == 0;
}

int crypto_load_sign_key(const char *path, bool create, uint8_t pk[CRYPTO_SIGN_PK_BYTES],
                         uint8_t sk[CRYPTO_SIGN_SK_BYTES], char *err, size_t cap)
{
    uint8_t seed[CRYPTO_SIGN_SEED_BYTES];
    if (key_file(path, "signing key", create, seed, sizeof(seed), err, cap) != 0)
        return -1;
    crypto_ed25519_keypair(seed, pk, sk);
    sodium_memzero(seed, sizeof(seed));
    return 0;
}

int crypto_load_key(const char *path, uint8_t key[CRYPTO_KEY_BYTES], char *err, size_t cap)
{
    return key_file(path, "data key", true, key, CRYPTO_KEY_BYTES, err, cap);
}
