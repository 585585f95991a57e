/*
 * keyring.h: the data keys that seal personal data at rest, and their file.
 *
 * The ring holds up to LIMIT_DATA_KEYS_MAX keys, each with an id and the time it was made.
 * The newest (largest id) seals; a sealed row names the key that sealed it, and any key in
 * the ring unseals. Key 0, the original key, also derives the events pseudonyms
 * (crypto_pseudonym): it stays in the ring for as long as the events exist, so that rotating
 * the sealing key changes no pseudonym and dashboards keep counting the same people.
 *
 * The file is either a bare 32-byte key (what every key file was before rotation existed;
 * read as a ring of one key, id 0) or text, written whole and atomically:
 *
 *     caifuhao-keyring 1
 *     key 0 1772416800000 <64 hex digits>
 *     key 1 1788210000000 <64 hex digits>
 *     sum <64 hex digits: SHA-256 of every byte before this line>
 *
 * Ids ascend strictly; the time is UTC milliseconds. The sum makes a truncated or altered
 * file an error at start-up instead of rows that silently fail to unseal later.
 */
#ifndef CFH_KEYRING_H
#define CFH_KEYRING_H

#include "base/crypto.h"
#include "base/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEYRING_MAGIC        "caifuhao-keyring 1"
#define KEYRING_PSEUDONYM_ID 0 /* the key that derives the events pseudonyms */

struct keyring_key {
    uint32_t id;        /* 0..LIMIT_DATA_KEY_ID_MAX */
    int64_t created_ms; /* UTC ms; a bare key file: its modification time */
    uint8_t key[CRYPTO_KEY_BYTES];
};

struct keyring {
    size_t n;                                     /* keys held, 1..LIMIT_DATA_KEYS_MAX */
    struct keyring_key keys[LIMIT_DATA_KEYS_MAX]; /* ids ascending; keys[n-1] is the newest */
    bool bare;                                    /* read from a bare 32-byte key file */
};

/*
 * Parses a key file's bytes into *kr. A 32-byte buffer is a bare key (id 0, created at
 * bare_created_ms); anything else must be the text form with a matching sum, strictly
 * ascending ids and key 0 present. Returns 0, or -1 with a message in err.
 */
int keyring_parse(struct keyring *kr, const uint8_t *buf, size_t len, int64_t bare_created_ms,
                  char *err, size_t cap);

/* Writes the text form of kr into out. Returns its length, or 0 when cap is too small. */
size_t keyring_format(const struct keyring *kr, char *out, size_t cap);

/*
 * Loads the ring from path; when the file is absent and `create` is set, first creates a
 * bare random key there (mode 0600, as before rings existed). Returns 0, or -1 with err.
 */
int keyring_load(struct keyring *kr, const char *path, bool create, char *err, size_t cap);

/*
 * Replaces the file at path with kr's text form: a temporary file beside it (mode 0600),
 * fsync, rename over path, fsync of the directory. A crash leaves the old file or the new
 * one, never a mix. Returns 0, or -1 with a message in err.
 */
int keyring_save(const struct keyring *kr, const char *path, char *err, size_t cap);

/*
 * Takes an exclusive lock on path + ".lock" (created 0600) so that two key commands never
 * edit the ring at once. Returns the descriptor to close when done, or -1 with err.
 */
int keyring_lock(const char *path, char *err, size_t cap);

/* The key with this id, or NULL. */
const struct keyring_key *keyring_find(const struct keyring *kr, int64_t id);

/* The sealing key: the largest id. */
const struct keyring_key *keyring_newest(const struct keyring *kr);

/* Adds a random key with the next id, made at now_ms. Returns 0, or -1 with err (full). */
int keyring_add(struct keyring *kr, int64_t now_ms, char *err, size_t cap);

/* Removes key id. Returns 0, or -1 with err: absent, the newest, or the pseudonym key. */
int keyring_remove(struct keyring *kr, int64_t id, char *err, size_t cap);

/* Zeroes the keys. NULL is fine. */
void keyring_wipe(struct keyring *kr);

#endif
