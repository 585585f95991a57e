/* keyring.c: the data key ring and its file (see keyring.h). */
#include "base/keyring.h"

#include "base/check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#define HEX_KEY (2 * CRYPTO_KEY_BYTES)
#define MS_MAX  INT64_C(253402300799999) /* 9999-12-31T23:59:59.999Z: a sane bound on times */

/* Reads a decimal number of 1..15 digits from p (up to end) that ends at `stop`. */
static bool take_number(const char **p, const char *end, char stop, int64_t max, int64_t *out)
{
    const char *s = *p;
    int64_t v = 0;
    int digits = 0;
    while (s < end && *s >= '0' && *s <= '9' && digits < 16) {
        v = v * 10 + (*s - '0');
        s++;
        digits++;
    }
    if (digits == 0 || digits > 15 || s >= end || *s != stop || v > max ||
        (digits > 1 && **p == '0'))
        return false;
    *p = s + 1;
    *out = v;
    return true;
}

/* One "key ID CREATED HEX\n" line starting at p; on success *p is past it. */
static bool take_key_line(const char **p, const char *end, struct keyring_key *k)
{
    const char *s = *p;
    int64_t id = 0, created = 0;
    if (end - s < 4 || memcmp(s, "key ", 4) != 0)
        return false;
    s += 4;
    if (!take_number(&s, end, ' ', LIMIT_DATA_KEY_ID_MAX, &id) ||
        !take_number(&s, end, ' ', MS_MAX, &created))
        return false;
    if (end - s < HEX_KEY + 1 || s[HEX_KEY] != '\n' ||
        !crypto_unhex(s, HEX_KEY, k->key, sizeof(k->key)))
        return false;
    k->id = (uint32_t)id;
    k->created_ms = created;
    *p = s + HEX_KEY + 1;
    return true;
}

/* Checks the last line ("sum HEX\n") against the bytes before it; *body_len = their count. */
static int check_sum(const uint8_t *buf, size_t len, size_t *body_len, char *err, size_t cap)
{
    if (buf[len - 1] != '\n') {
        snprintf(err, cap, "is truncated: its last line is incomplete");
        return -1;
    }
    size_t start = len - 1;
    while (start > 0 && buf[start - 1] != '\n')
        start--;
    const char *line = (const char *)buf + start;
    size_t line_len = len - 1 - start;
    uint8_t want[CRYPTO_SHA256_BYTES], got[CRYPTO_SHA256_BYTES];
    if (line_len != 4 + 2 * sizeof(want) || memcmp(line, "sum ", 4) != 0 ||
        !crypto_unhex(line + 4, 2 * sizeof(want), want, sizeof(want))) {
        snprintf(err, cap, "is truncated or damaged: it does not end with a 'sum' line");
        return -1;
    }
    crypto_sha256(buf, start, got);
    if (!crypto_equal(want, got, sizeof(got))) {
        snprintf(err, cap, "is damaged: its sum does not match its contents");
        return -1;
    }
    *body_len = start;
    return 0;
}

int keyring_parse(struct keyring *kr, const uint8_t *buf, size_t len, int64_t bare_created_ms,
                  char *err, size_t cap)
{
    ASSERT(kr != NULL && buf != NULL);
    memset(kr, 0, sizeof(*kr));
    size_t ml = strlen(KEYRING_MAGIC);
    /* A ring cut to 32 bytes still starts with the magic line; a random key does so with
     * probability 2^-152. */
    bool magic = len > ml && memcmp(buf, KEYRING_MAGIC "\n", ml + 1) == 0;
    if (len == CRYPTO_KEY_BYTES && !magic) {
        kr->n = 1;
        kr->bare = true;
        kr->keys[0].created_ms = bare_created_ms;
        memcpy(kr->keys[0].key, buf, CRYPTO_KEY_BYTES);
        return 0;
    }
    if (!magic) {
        snprintf(err, cap, "is neither a 32-byte key nor a key ring ('%s' on its first line)",
                 KEYRING_MAGIC);
        return -1;
    }
    if (len > LIMIT_KEYRING_FILE_BYTES) {
        snprintf(err, cap, "is larger than %d bytes", LIMIT_KEYRING_FILE_BYTES);
        return -1;
    }
    size_t body = 0;
    if (check_sum(buf, len, &body, err, cap) != 0)
        return -1;
    const char *p = (const char *)buf + ml + 1, *end = (const char *)buf + body;
    for (int line = 2; p < end; line++) {
        if (kr->n == LIMIT_DATA_KEYS_MAX) {
            snprintf(err, cap, "holds more than %d keys", LIMIT_DATA_KEYS_MAX);
            goto out_wipe;
        }
        struct keyring_key *k = &kr->keys[kr->n];
        if (!take_key_line(&p, end, k)) {
            snprintf(err, cap, "line %d is not 'key ID CREATED_MS HEX'", line);
            goto out_wipe;
        }
        if (kr->n > 0 && k->id <= kr->keys[kr->n - 1].id) {
            snprintf(err, cap, "line %d: key ids must ascend (%u after %u)", line, (unsigned)k->id,
                     (unsigned)kr->keys[kr->n - 1].id);
            goto out_wipe;
        }
        kr->n++;
    }
    if (kr->n == 0 || kr->keys[0].id != KEYRING_PSEUDONYM_ID) {
        snprintf(err, cap, "has no key 0 (the key of the events pseudonyms)");
        goto out_wipe;
    }
    return 0;
out_wipe:
    keyring_wipe(kr);
    return -1;
}

size_t keyring_format(const struct keyring *kr, char *out, size_t cap)
{
    ASSERT(kr != NULL && kr->n >= 1 && kr->n <= LIMIT_DATA_KEYS_MAX);
    size_t len = 0;
    int w = snprintf(out, cap, "%s\n", KEYRING_MAGIC);
    if (w < 0 || (size_t)w >= cap)
        return 0;
    len = (size_t)w;
    for (size_t i = 0; i < kr->n; i++) {
        char hex[HEX_KEY + 1];
        crypto_hex(kr->keys[i].key, CRYPTO_KEY_BYTES, hex);
        w = snprintf(out + len, cap - len, "key %u %lld %s\n", (unsigned)kr->keys[i].id,
                     (long long)kr->keys[i].created_ms, hex);
        sodium_memzero(hex, sizeof(hex));
        if (w < 0 || (size_t)w >= cap - len)
            return 0;
        len += (size_t)w;
    }
    uint8_t sum[CRYPTO_SHA256_BYTES];
    char sum_hex[2 * CRYPTO_SHA256_BYTES + 1];
    crypto_sha256(out, len, sum);
    crypto_hex(sum, sizeof(sum), sum_hex);
    w = snprintf(out + len, cap - len, "sum %s\n", sum_hex);
    if (w < 0 || (size_t)w >= cap - len)
        return 0;
    return len + (size_t)w;
}

int keyring_load(struct keyring *kr, const char *path, bool create, char *err, size_t cap)
{
    char why[160];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        /* A new installation gets the bare key it always got; `keys rotate` writes a ring. */
        uint8_t key[CRYPTO_KEY_BYTES];
        if (crypto_load_key(path, key, err, cap) != 0)
            return -1;
        sodium_memzero(key, sizeof(key));
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
        snprintf(err, cap, "cannot read data key file '%s': %s", path, strerror(errno));
        return -1;
    }
    static uint8_t buf[LIMIT_KEYRING_FILE_BYTES + 1]; /* start-up and CLI only: one thread */
    struct stat st;
    size_t len = 0;
    ssize_t got = 1;
    while (len < sizeof(buf) && got > 0) {
        got = read(fd, buf + len, sizeof(buf) - len);
        if (got > 0)
            len += (size_t)got;
    }
    bool ok = got >= 0 && fstat(fd, &st) == 0;
    close(fd);
    int rc = -1;
    if (!ok)
        snprintf(err, cap, "cannot read data key file '%s': %s", path, strerror(errno));
    else if (keyring_parse(kr, buf, len,
                           (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000, why,
                           sizeof(why)) != 0)
        snprintf(err, cap, "data key file '%s' %s", path, why);
    else
        rc = 0;
    sodium_memzero(buf, sizeof(buf));
    return rc;
}

/* fsyncs the directory that holds path, so that a rename in it is durable. */
static int sync_dir(const char *path)
{
    char dir[1024];
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        snprintf(dir, sizeof(dir), ".");
    else if (slash == path)
        snprintf(dir, sizeof(dir), "/");
    else if ((size_t)(slash - path) < sizeof(dir))
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
    else
        return -1;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int keyring_save(const struct keyring *kr, const char *path, char *err, size_t cap)
{
    static char text[LIMIT_KEYRING_FILE_BYTES];
    size_t len = keyring_format(kr, text, sizeof(text));
    ASSERT(len > 0); /* LIMIT_KEYRING_FILE_BYTES holds LIMIT_DATA_KEYS_MAX keys */
    char tmp[1100];
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
        snprintf(err, cap, "data key file path '%s' is too long", path);
        return -1;
    }
    int rc = -1;
    unlink(tmp); /* left by a crash: the lock says nobody else is writing it */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, cap, "cannot create '%s': %s", tmp, strerror(errno));
        goto out_wipe;
    }
    bool ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, cap, "cannot write data key file '%s': %s", path, strerror(errno));
        unlink(tmp);
        goto out_wipe;
    }
    if (sync_dir(path) != 0) {
        snprintf(err, cap, "cannot sync the directory of '%s': %s", path, strerror(errno));
        goto out_wipe;
    }
    rc = 0;
out_wipe:
    sodium_memzero(text, sizeof(text));
    return rc;
}

int keyring_lock(const char *path, char *err, size_t cap)
{
    char lock[1100];
    if ((size_t)snprintf(lock, sizeof(lock), "%s.lock", path) >= sizeof(lock)) {
        snprintf(err, cap, "data key file path '%s' is too long", path);
        return -1;
    }
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, cap, "cannot open '%s': %s", lock, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        snprintf(err, cap, "another 'caifuhao keys' command holds '%s'", lock);
        close(fd);
        return -1;
    }
    return fd;
}

const struct keyring_key *keyring_find(const struct keyring *kr, int64_t id)
{
    for (size_t i = 0; i < kr->n; i++)
        if ((int64_t)kr->keys[i].id == id)
            return &kr->keys[i];
    return NULL;
}

const struct keyring_key *keyring_newest(const struct keyring *kr)
{
    ASSERT(kr->n >= 1 && kr->n <= LIMIT_DATA_KEYS_MAX);
    return &kr->keys[kr->n - 1];
}

int keyring_add(struct keyring *kr, int64_t now_ms, char *err, size_t cap)
{
    ASSERT(kr->n >= 1);
    uint32_t id = keyring_newest(kr)->id + 1;
    if (kr->n == LIMIT_DATA_KEYS_MAX || id > LIMIT_DATA_KEY_ID_MAX) {
        snprintf(err, cap, "the ring is full (%d keys): retire keys no row uses first",
                 LIMIT_DATA_KEYS_MAX);
        return -1;
    }
    struct keyring_key *k = &kr->keys[kr->n++];
    k->id = id;
    k->created_ms = now_ms;
    crypto_random(k->key, sizeof(k->key));
    kr->bare = false;
    return 0;
}

int keyring_remove(struct keyring *kr, int64_t id, char *err, size_t cap)
{
    const struct keyring_key *k = keyring_find(kr, id);
    if (k == NULL) {
        snprintf(err, cap, "there is no key %lld in the ring", (long long)id);
        return -1;
    }
    if (id == KEYRING_PSEUDONYM_ID) {
        snprintf(err, cap,
                 "key 0 derives the events pseudonyms; it stays for as long as events do");
        return -1;
    }
    if (k == keyring_newest(kr)) {
        snprintf(err, cap, "key %lld is the newest: it seals everything written now",
                 (long long)id);
        return -1;
    }
    size_t i = (size_t)(k - kr->keys);
    memmove(&kr->keys[i], &kr->keys[i + 1], (kr->n - i - 1) * sizeof(kr->keys[0]));
    kr->n--;
    sodium_memzero(&kr->keys[kr->n], sizeof(kr->keys[0]));
    return 0;
}

void keyring_wipe(struct keyring *kr)
{
    if (kr != NULL)
        sodium_memzero(kr, sizeof(*kr));
}
