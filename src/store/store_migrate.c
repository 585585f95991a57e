/*
 * store_migrate.c: forward-only schema migrations embedded in the binary.
 *
 * Migrations are the files migrations/<backend>/NNNN_name.sql compiled in by tools/embed.
 * Each is applied once, in order, in its own write (so in its own savepoint), and recorded
 * in schema_migrations with the SHA-256 of its text. The server refuses to start when a
 * migration is pending, when an applied one has changed, or when the database has one
 * this binary does not know (it was migrated by a newer version).
 */
#include "store/store_int.h"

#include "base/check.h"
#include "base/civil.h"
#include "base/crypto.h"
#include "embedded.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define MIGRATIONS_MAX 256

struct migration {
    int64_t version;
    const char *name;
    const char *sql;
    char checksum[2 * CRYPTO_SHA256_BYTES + 1];
};

struct applied {
    int64_t version[MIGRATIONS_MAX];
    char checksum[MIGRATIONS_MAX][2 * CRYPTO_SHA256_BYTES + 1];
    size_t count;
    bool overflow;
};

/* Embedded names are basenames: "0001_foundation.sql". Only the ones for this backend's
 * directory are embedded today (there is one backend), so all NNNN_*.sql files count. */
static size_t known_migrations(struct migration *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < embedded_files_count && n < cap; i++) {
        const char *name = embedded_files[i].name;
        size_t len = strlen(name);
        if (len < 9 || strcmp(name + len - 4, ".sql") != 0 || name[4] != '_')
            continue;
        int64_t v = 0;
        bool digits = true;
        for (int k = 0; k < 4; k++) {
            digits = digits && isdigit((unsigned char)name[k]);
            v = v * 10 + (name[k] - '0');
        }
        if (!digits)
            continue;
        out[n].version = v;
        out[n].name = name;
        out[n].sql = (const char *)embedded_files[i].data;
        uint8_t h[CRYPTO_SHA256_BYTES];
        crypto_sha256(embedded_files[i].data, embedded_files[i].len, h);
        crypto_hex(h, sizeof(h), out[n].checksum);
        ASSERT(n == 0 || out[n - 1].version < v); /* embed is given a sorted list */
        n++;
    }
    return n;
}

static int take_applied(void *ctx, const struct store_row *row)
{
    struct applied *a = ctx;
    if (a->count == MIGRATIONS_MAX) {
        a->overflow = true;
        return 1;
    }
    a->version[a->count] = store_row_int(row, 0);
    snprintf(a->checksum[a->count], sizeof(a->checksum[0]), "%s", store_row_text(row, 1, NULL));
    a->count++;
    return 0;
}

static enum store_rc bootstrap(struct store_conn *c, void *ctx, struct store_err *err)
{
    (void)ctx;
    const struct store_backend *b = ((struct store_conn_head *)(void *)c)->backend;
    return b->script(c, b->bootstrap_sql, err);
}

static enum store_rc apply_one(struct store_conn *c, void *ctx, struct store_err *err)
{
    const struct migration *m = ctx;
    const struct store_backend *b = ((struct store_conn_head *)(void *)c)->backend;
    enum store_rc rc = b->script(c, m->sql, err);
    if (rc != STORE_OK) {
        char why[LIMIT_STORE_ERR_BYTES];
        snprintf(why, sizeof(why), "%s", err->msg); /* err->msg is rewritten below */
        return store_fail(err, rc, "migration %s failed: %s", m->name, why);
    }
    struct store_val p[] = {SV_INT(m->version), SV_TEXT(m->name), SV_TEXT(m->checksum),
                            SV_INT(civil_now_ms())};
    return store_exec(c,
                      "INSERT INTO schema_migrations (version, name, checksum, applied_ms) "
                      "VALUES (?, ?, ?, ?)",
                      p, 4, NULL, err);
}

static enum store_rc load_applied(struct store *s, struct applied *a, struct store_err *err)
{
    a->count = 0;
    a->overflow = false;
    struct store_conn *c = store_reader(s, err);
    if (c == NULL)
        return STORE_ERROR;
    enum store_rc rc = store_query(c,
                                   "SELECT version, checksum FROM schema_migrations "
                                   "ORDER BY version",
                                   NULL, 0, take_applied, a, err);
    if (rc == STORE_OK && a->overflow)
        return store_fail(err, STORE_ERROR, "more than %d applied migrations", MIGRATIONS_MAX);
    return rc;
}

/* Checks applied against known; counts pending. STORE_ERROR with a message on mismatch. */
static enum store_rc compare(const struct migration *known, size_t nknown, const struct applied *a,
                             size_t *pending, struct store_err *err)
{
    *pending = 0;
    for (size_t i = 0; i < a->count; i++) {
        size_t k = 0;
        while (k < nknown && known[k].version != a->version[i])
            k++;
        if (k == nknown)
            return store_fail(err, STORE_ERROR,
                              "database has migration %04lld, which this binary does not know: "
                              "it was migrated by a newer version; refusing to use it",
                              (long long)a->version[i]);
        if (strcmp(known[k].checksum, a->checksum[i]) != 0)
            return store_fail(err, STORE_ERROR,
                              "migration %s was changed after it was applied (checksum "
                              "mismatch); refusing to use the database",
                              known[k].name);
    }
    *pending = nknown - a->count;
    return STORE_OK;
}

static bool is_applied(const struct applied *a, int64_t version)
{
    for (size_t i = 0; i < a->count; i++)
        if (a->version[i] == version)
            return true;
    return false;
}

enum store_rc store_migrate(struct store *s, int *applied_now, struct store_err *err)
{
    struct migration known[MIGRATIONS_MAX];
    struct applied a;
    size_t nknown = known_migrations(known, MIGRATIONS_MAX);
    *applied_now = 0;
    enum store_rc rc = store_write_sync(s, bootstrap, NULL, err);
    if (rc == STORE_OK)
        rc = load_applied(s, &a, err);
    size_t pending = 0;
    if (rc == STORE_OK)
        rc = compare(known, nknown, &a, &pending, err);
    for (size_t i = 0; i < nknown && rc == STORE_OK; i++) {
        if (is_applied(&a, known[i].version))
            continue;
        rc = store_write_sync(s, apply_one, &known[i], err);
        if (rc == STORE_OK)
            (*applied_now)++;
    }
    return rc;
}

enum store_rc store_check_schema(struct store *s, struct store_err *err)
{
    struct migration known[MIGRATIONS_MAX];
    struct applied a;
    size_t nknown = known_migrations(known, MIGRATIONS_MAX);
    enum store_rc rc = load_applied(s, &a, err);
    if (rc != STORE_OK) {
        char why[LIMIT_STORE_ERR_BYTES];
        snprintf(why, sizeof(why), "%s", err->msg); /* err->msg is rewritten below */
        return store_fail(err, STORE_ERROR,
                          "database is not migrated (%s): run 'caifuhao migrate' first", why);
    }
    size_t pending = 0;
    rc = compare(known, nknown, &a, &pending, err);
    if (rc == STORE_OK && pending > 0)
        return store_fail(err, STORE_ERROR,
                          "%zu migration(s) pending: run 'caifuhao migrate' first", pending);
    return rc;
}
