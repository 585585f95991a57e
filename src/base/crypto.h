/*
 * crypto.h: the libsodium primitives the platform uses, behind names that say what for.
 *
 * Password hashing is argon2id. It is deliberately expensive (tens of megabytes and
 * ~100 ms), so concurrent hashes are capped at the number of cores: a burst of logins
 * queues instead of exhausting memory.
 */
#ifndef CFH_CRYPTO_H
#define CFH_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/limits.h"

#define CRYPTO_SHA256_BYTES 32

/* Initialises libsodium and the hashing semaphore. ops 1..10, mem_kib 8..4194304. */
int crypto_setup(unsigned ops, unsigned mem_kib, unsigned concurrent_max);

/* Fills out with n random bytes. */
void crypto_random(void *out, size_t n);

/* A random id in [1, 2^62): fits a signed 64-bit column and a JSON string. */
int64_t crypto_random_id(void);

/*
 * A time-ordered id in [1, 2^62): milliseconds since 2024-01-01 UTC in the top 40 bits (good
 * until 2058), 22 random bits below, and always greater than the previous one this process
 * made. Rows keyed by it land at the right edge of their B-tree, so a batch of inserts
 * dirties a few pages instead of one page per row; the random bits keep ids of one
 * millisecond from being guessable from each other. Unique within one process: use it only
 * for tables that a single process inserts into (the server's orders), and let SQLite
 * number rows that batches insert too.
 */
int64_t crypto_ordered_id(void);

/* A fresh 256-bit token as 64 lower-case hex digits plus NUL. */
void crypto_token(char out[LIMIT_TOKEN_HEX + 1]);

void crypto_sha256(const void *p, size_t n, uint8_t out[CRYPTO_SHA256_BYTES]);

/* SHA-256 of a ‖ b, without joining them. */
void crypto_sha256_pair(const void *a, size_t na, const void *b, size_t nb,
                        uint8_t out[CRYPTO_SHA256_BYTES]);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void crypto_hex(const uint8_t *p, size_t n, char *out);

/* Parses exactly 2n hex digits into out; false on any other input. */
bool crypto_unhex(const char *hex, size_t hex_len, uint8_t *out, size_t n);

/* Hashes a password into out (argon2id encoded string). Returns 0, or -1 on OOM. */
int crypto_password_hash(const char *pw, size_t len, char out[LIMIT_PWHASH_STR]);

/* True when pw matches the encoded hash. Constant time in the password. */
bool crypto_password_verify(const char *hash, const char *pw, size_t len);

#define CRYPTO_KEY_BYTES     32
#define CRYPTO_SEAL_OVERHEAD 40 /* 24-byte nonce + 16-byte tag */

/* Encrypts n bytes under key (XSalsa20-Poly1305 with a random nonce) into out, which
 * must hold n + CRYPTO_SEAL_OVERHEAD bytes. Used for personal data at rest. */
void crypto_seal(const uint8_t key[CRYPTO_KEY_BYTES], const void *msg, size_t n, uint8_t *out);

/* Decrypts what crypto_seal wrote (n bytes) into out (n - CRYPTO_SEAL_OVERHEAD bytes);
 * false when it was not sealed under this key or was altered. */
bool crypto_unseal(const uint8_t key[CRYPTO_KEY_BYTES], const uint8_t *in, size_t n, void *out);

/*
 * Loads the 32-byte data key from path, creating it (mode 0600, random) when absent.
 * Returns 0, or -1 with a message in err.
 */
int crypto_load_key(const char *path, uint8_t key[CRYPTO_KEY_BYTES], char *err, size_t cap);

/*
 * A pseudonym for `id`: the first 8 bytes (little-endian, as a signed integer) of a BLAKE2b
 * hash of id's 8 little-endian bytes, keyed with `key` and personalised with `purpose` (at
 * most 16 bytes, distinct per use so that two uses of one key never share pseudonyms).
 * Without the key, a pseudonym cannot be tied back to its id, nor can ids be tried one by
 * one; the same id always gives the same pseudonym, so counts of distinct people still work.
 */
int64_t crypto_pseudonym(const uint8_t key[CRYPTO_KEY_BYTES], const char *purpose, int64_t id);

/* The purpose of the pseudonyms in interaction events (events.investor_key). */
#define CRYPTO_PURPOSE_EVENTS "cfh-events-v1"

/*
 * Ed25519 signatures, for what the platform publishes (the fair rule's daily records). The
 * key file holds the 32-byte seed; the key pair is derived from it.
 */
#define CRYPTO_SIGN_SEED_BYTES 32
#define CRYPTO_SIGN_PK_BYTES   32
#define CRYPTO_SIGN_SK_BYTES   64
#define CRYPTO_SIGN_BYTES      64

/* The key pair of a seed. */
void crypto_ed25519_keypair(const uint8_t seed[CRYPTO_SIGN_SEED_BYTES],
                            uint8_t pk[CRYPTO_SIGN_PK_BYTES], uint8_t sk[CRYPTO_SIGN_SK_BYTES]);

/* The detached signature of n bytes under sk. */
void crypto_ed25519_sign(const uint8_t sk[CRYPTO_SIGN_SK_BYTES], const void *msg, size_t n,
                         uint8_t sig[CRYPTO_SIGN_BYTES]);

/* True when sig is pk's signature of the n bytes. */
bool crypto_ed25519_verify(const uint8_t pk[CRYPTO_SIGN_PK_BYTES], const void *msg, size_t n,
                           const uint8_t sig[CRYPTO_SIGN_BYTES]);

/*
 * Loads the signing key pair from path (the seed), creating it (mode 0600, random) when
 * absent and `create` is set. Returns 0, or -1 with a message in err.
 */
int crypto_load_sign_key(const char *path, bool create, uint8_t pk[CRYPTO_SIGN_PK_BYTES],
                         uint8_t sk[CRYPTO_SIGN_SK_BYTES], char *err, size_t cap);

/* Zeroes n bytes in a way the compiler keeps (secrets leaving scope). */
void crypto_wipe(void *p, size_t n);

/* Constant-time comparison of n bytes. */
bool crypto_equal(const void *a, const void *b, size_t n);

#endif
