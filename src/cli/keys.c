/*
 * keys.c: `caifuhao keys status|rotate|retire`, the data key ring (base/keyring.h).
 *
 * rotate re-seals the profiles sealed under older keys in chunks, one transaction each, in
 * investor order; a row is re-sealed only if it still names the key it was read under, so a
 * run may stop anywhere and the next run continues. It may run while `serve` runs: a server
 * keeps the ring it started with, so it must be restarted after a key is added, and what it
 * sealed meanwhile under the older key is picked up by running rotate again. That is why
 * retire counts rows before it removes a key.
 */
#include "cli/cli.h"

#include "api/investor.h"
#include "base/check.h"
#include "base/civil.h"
#include "base/keyring.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define KEYS_ROW_IDS_MAX 32768 /* the largest batch_chunk */

static void keys_usage(FILE *out)
{
    fprintf(out,
            "usage: caifuhao keys status [--db PATH]\n"
            "       caifuhao keys rotate [--new-key] [--db PATH]\n"
            "       caifuhao keys retire --id N [--db PATH]\n\n"
            "The data key ring (data_key_file, default DB + '.key') seals investors' real names,\n"
            "ID numbers and bank cards; each sealed row names its key. Key 0 also derives the\n"
            "events pseudonyms and is never retired.\n\n"
            "status:  the keys (id, created, newest) and how many rows each seals.\n"
            "rotate --new-key:  adds a key to the ring and re-seals nothing (a server still\n"
            "         running on the old ring could not read rows under the new key).\n"
            "rotate:  re-seals every row sealed under an older key with the newest key, in\n"
            "         chunks; interrupted, run it again and it continues; with nothing older\n"
            "         left it changes nothing.\n"
            "retire:  removes key N from the ring when no row uses it; never the newest key,\n"
            "         never key 0.\n\n"
            "A rotation: 'keys rotate --new-key', restart every server (it keeps the ring it\n"
            "started with), 'keys rotate', then 'keys retire --id N' for the old key.\n");
}

/* Rows per key id, as counted in the database. */
struct key_counts {
    size_t n;
    int64_t id[LIMIT_DATA_KEYS_MAX + 1], rows[LIMIT_DATA_KEYS_MAX + 1];
    int64_t unknown_rows; /* rows under ids beyond the table (never in a valid ring) */
};

static int take_count(void *ctx, const struct store_row *row)
{
    struct key_counts *kc = ctx;
    if (kc->n == ARRAY_LEN(kc->id)) {
        kc->unknown_rows += store_row_int(row, 1);
        return 0;
    }
    kc->id[kc->n] = store_row_int(row, 0);
    kc->rows[kc->n++] = store_row_int(row, 1);
    return 0;
}

static enum store_rc count_by_key(struct store *s, struct key_counts *kc, struct store_err *err)
{
    memset(kc, 0, sizeof(*kc));
    struct store_conn *c = store_reader(s, err);
    if (c == NULL)
        return err->rc != STORE_OK ? err->rc : STORE_ERROR;
    return store_query(c,
                       "SELECT key_id, COUNT(*) FROM investor_profiles GROUP BY key_id "
                       "ORDER BY key_id",
                       NULL, 0, take_count, kc, err);
}

static int64_t rows_of(const struct key_counts *kc, int64_t id)
{
    for (size_t i = 0; i < kc->n; i++)
        if (kc->id[i] == id)
            return kc->rows[i];
    return 0;
}

/* Rows under ids not in the ring: 0, or the count after printing which. */
static int64_t rows_outside(const struct key_counts *kc, const struct keyring *kr)
{
    int64_t outside = kc->unknown_rows;
    for (size_t i = 0; i < kc->n; i++)
        if (keyring_find(kr, kc->id[i]) == NULL) {
            fprintf(stderr,
                    "caifuhao: %lld row(s) are sealed under key %lld, which is not in the "
                    "ring: restore it from a backup of the key file\n",
                    (long long)kc->rows[i], (long long)kc->id[i]);
            outside += kc->rows[i];
        }
    return outside;
}

static void format_created(int64_t ms, char *out, size_t cap)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL || strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, cap, "?");
}

static int keys_status(struct store *s, const struct config *cfg, const char *path)
{
    struct key_counts kc;
    struct store_err err = {0};
    if (count_by_key(s, &kc, &err) != STORE_OK) {
        fprintf(stderr, "caifuhao: keys status: %s\n", err.msg);
        return 1;
    }
    const struct keyring *kr = &cfg->data_keys;
    printf("key ring %s: %zu key(s)%s\n", path, kr->n,
           kr->bare ? " (a bare 32-byte key file: never rotated)" : "");
    printf("%-6s  %-20s  %10s\n", "id", "created (UTC)", "rows");
    for (size_t i = 0; i < kr->n; i++) {
        const struct keyring_key *k = &kr->keys[i];
        char when[32];
        format_created(k->created_ms, when, sizeof(when));
        bool newest = k == keyring_newest(kr);
        printf("%-6u  %-20s  %10lld%s%s%s%s\n", (unsigned)k->id, when,
               (long long)rows_of(&kc, k->id), newest || k->id == KEYRING_PSEUDONYM_ID ? "  " : "",
               newest ? "newest" : "", newest && k->id == KEYRING_PSEUDONYM_ID ? ", " : "",
               k->id == KEYRING_PSEUDONYM_ID ? "pseudonyms" : "");
    }
    return rows_outside(&kc, kr) > 0 ? 1 : 0;
}

/* One chunk of `keys rotate`: the next rows after `after` not under the newest key. */
struct reseal_chunk {
    const struct keyring *ring;
    int64_t after;    /* IN/OUT: the last investor id looked at */
    int64_t limit;    /* rows per chunk */
    int64_t seen;     /* OUT: rows looked at in this chunk */
    int64_t resealed; /* OUT: of them, re-sealed */
    int64_t ids[KEYS_ROW_IDS_MAX];
};

static int take_id(void *ctx, const struct store_row *row)
{
    struct reseal_chunk *x = ctx;
    x->ids[x->seen++] = store_row_int(row, 0);
    return x->seen == x->limit;
}

static enum store_rc reseal_chunk(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct reseal_chunk *x = ctx;
    x->seen = x->resealed = 0;
    struct store_val p[] = {SV_INT(keyring_newest(x->ring)->id), SV_INT(x->after),
                            SV_INT(x->limit)};
    enum store_rc rc = store_query(c,
                                   "SELECT user_id FROM investor_profiles WHERE key_id <> ? "
                                   "AND user_id > ? ORDER BY user_id LIMIT ?",
                                   p, 3, take_id, x, err);
    for (int64_t i = 0; i < x->seen && rc == STORE_OK; i++) {
        rc = api_profile_reseal(c, x->ring, x->ids[i], err);
        x->resealed += rc == STORE_OK;
        rc = rc == STORE_DONE ? STORE_OK : rc;
    }
    return rc;
}

static void progress(int64_t done, int64_t total)
{
    if (!isatty(STDERR_FILENO))
        return;
    fprintf(stderr, "\rkeys rotate: %lld / %lld rows re-sealed (%lld%%)", (long long)done,
            (long long)total, (long long)(total > 0 ? done * 100 / total : 100));
    fflush(stderr);
}

/* Re-seals every row not under the ring's newest key; prints what it did. */
static int reseal_all(struct store *s, const struct keyring *kr, int64_t chunk, int64_t pending)
{
    static struct reseal_chunk x; /* 256 KiB of ids: not on the stack */
    memset(&x, 0, sizeof(x));
    x.ring = kr;
    x.limit = chunk;
    int64_t done = 0, chunks = 0;
    struct store_err err = {0};
    enum store_rc rc = STORE_OK;
    /* Investor ids only grow from chunk to chunk, so this ends; rows sealed behind it by a
     * server still on the older key are left for the next run. */
    do {
        rc = store_write_sync(s, reseal_chunk, &x, &err);
        if (rc == STORE_OK) {
            done += x.resealed;
            chunks++;
            if (x.seen > 0)
                x.after = x.ids[x.seen - 1];
            progress(done, pending);
        }
    } while (rc == STORE_OK && x.seen == x.limit);
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "\n");
    if (rc != STORE_OK) {
        fprintf(stderr,
                "caifuhao: keys rotate failed after %lld row(s): %s (run it again to resume)\n",
                (long long)done, err.msg);
        return 1;
    }
    printf("keys rotate: %lld row(s) re-sealed under key %u in %lld chunk(s)\n", (long long)done,
           (unsigned)keyring_newest(kr)->id, (long long)chunks);
    return 0;
}

static int keys_rotate(struct store *s, struct config *cfg, const char *path, bool new_key)
{
    struct keyring *kr = &cfg->data_keys;
    struct key_counts kc;
    struct store_err err = {0};
    char msg[CONFIG_ERR_MAX + 1100];
    if (count_by_key(s, &kc, &err) != STORE_OK) {
        fprintf(stderr, "caifuhao: keys rotate: %s\n", err.msg);
        return 1;
    }
    if (rows_outside(&kc, kr) > 0)
        return 1;
    if (new_key) {
        if (keyring_add(kr, civil_now_ms(), msg, sizeof(msg)) != 0 ||
            keyring_save(kr, path, msg, sizeof(msg)) != 0) {
            fprintf(stderr, "caifuhao: keys rotate: %s\n", msg);
            return 1;
        }
        /* Nothing is re-sealed yet: a server still running on the old ring could not read a
         * row sealed under the new key. Servers restarted, `keys rotate` re-seals. */
        printf("keys rotate: added key %u to %s; restart every server so that it seals with "
               "it, then run 'caifuhao keys rotate' to re-seal the rows under older keys\n",
               (unsigned)keyring_newest(kr)->id, path);
        return 0;
    }
    int64_t pending = 0;
    for (size_t i = 0; i < kc.n; i++)
        pending += kc.id[i] != (int64_t)keyring_newest(kr)->id ? kc.rows[i] : 0;
    if (pending == 0 && !new_key) {
        printf("keys rotate: nothing to re-seal: every row is under the newest key %u "
               "(--new-key adds a key)\n",
               (unsigned)keyring_newest(kr)->id);
        return 0;
    }
    return reseal_all(s, kr, cfg->batch_chunk, pending);
}

/* Parses N of --id N: 0..LIMIT_DATA_KEY_ID_MAX, digits only. */
static bool parse_id(const char *s, int64_t *out)
{
    int64_t v = 0;
    size_t n = strlen(s);
    if (n == 0 || n > 6)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return v <= LIMIT_DATA_KEY_ID_MAX;
}

static int keys_retire(struct store *s, struct config *cfg, const char *path, int64_t id)
{
    struct keyring *kr = &cfg->data_keys;
    char msg[CONFIG_ERR_MAX + 1100];
    if (keyring_remove(kr, id, msg, sizeof(msg)) != 0) {
        fprintf(stderr, "caifuhao: keys retire: %s\n", msg);
        return 1;
    }
    struct key_counts kc;
    struct store_err err = {0};
    if (count_by_key(s, &kc, &err) != STORE_OK) {
        fprintf(stderr, "caifuhao: keys retire: %s\n", err.msg);
        return 1;
    }
    int64_t rows = rows_of(&kc, id);
    if (rows > 0) {
        fprintf(stderr,
                "caifuhao: keys retire: key %lld still seals %lld row(s); run 'caifuhao keys "
                "rotate' (after restarting the server) to re-seal them first\n",
                (long long)id, (long long)rows);
        return 1;
    }
    if (keyring_save(kr, path, msg, sizeof(msg)) != 0) {
        fprintf(stderr, "caifuhao: keys retire: %s\n", msg);
        return 1;
    }
    printf("keys retire: key %lld removed from %s; %zu key(s) left\n", (long long)id, path, kr->n);
    return 0;
}

int cli_keys(int argc, char **argv)
{
    bool help = argc > 0 && strcmp(argv[0], "--help") == 0;
    const char *sub = argc > 0 ? argv[0] : "";
    if (help ||
        (strcmp(sub, "status") != 0 && strcmp(sub, "rotate") != 0 && strcmp(sub, "retire") != 0)) {
        keys_usage(help ? stdout : stderr);
        return help ? 0 : 2;
    }
    struct config cfg;
    config_defaults(&cfg);
    static const char *const own[] = {"new-key!", "id", NULL};
    const char *v[2] = {NULL, NULL};
    if (cli_parse(argc - 1, argv + 1, &cfg, own, v) != 0)
        return 2;
    int64_t id = -1;
    if (strcmp(sub, "retire") == 0 && (v[1] == NULL || !parse_id(v[1], &id))) {
        fprintf(stderr, "caifuhao: keys retire needs --id N, a key id (0 to %d)\n",
                LIMIT_DATA_KEY_ID_MAX);
        return 2;
    }
    if ((v[0] != NULL && strcmp(sub, "rotate") != 0) ||
        (v[1] != NULL && strcmp(sub, "retire") != 0)) {
        fprintf(stderr, "caifuhao: keys %s takes no --%s\n", sub, v[0] ? "new-key" : "id");
        return 2;
    }
    char err[CONFIG_ERR_MAX], path[CONFIG_PATH_MAX + 8];
    if (config_load_env(&cfg, err) != 0) {
        fprintf(stderr, "caifuhao: %s\n", err);
        return 2;
    }
    config_data_key_path(&cfg, path, sizeof(path));
    /* Never make a key here: a missing file next to sealed rows is a restore to do, not a key
     * to invent. */
    if (access(path, F_OK) != 0) {
        fprintf(stderr, "caifuhao: keys %s: no data key file '%s' (see data_key_file)\n", sub,
                path);
        return 1;
    }
    int lock = -1;
    if (strcmp(sub, "status") != 0 && (lock = keyring_lock(path, err, sizeof(err))) < 0) {
        fprintf(stderr, "caifuhao: keys %s: %s\n", sub, err);
        return 1;
    }
    /* Opened (and the ring read) under the lock: what rotate and retire change is current. */
    struct store *s = cli_open_store(&cfg, true);
    int code = 1;
    if (s != NULL) {
        code = strcmp(sub, "status") == 0   ? keys_status(s, &cfg, path)
               : strcmp(sub, "rotate") == 0 ? keys_rotate(s, &cfg, path, v[0] != NULL)
                                            : keys_retire(s, &cfg, path, id);
        store_close(s);
    }
    keyring_wipe(&cfg.data_keys);
    if (lock >= 0)
        close(lock);
    return code;
}
