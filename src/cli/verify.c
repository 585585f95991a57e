/*
 * verify.c: `caifuhao verify-allocation --date D [--from URL|FILE] [--key HEX] [--db PATH]`.
 *
 * Anyone can check a published day of the fair rule without trusting the platform's
 * figures: the record's canonical SHA-256, the rule hash, every institution's normalised
 * metrics, score, floor, cap and impressions recomputed with fr_run from the record's own
 * inputs and rule text, the chain to the previous published day, and the Ed25519 signature
 * (api/fair_json.h, fair_verify_day). The day comes from
 *
 *   (default)  the database of --db, and the public key from its key file;
 *   --from URL the public endpoints of a running server, http://host:port (plain HTTP, a
 *              minimal GET client below: the tool needs nothing but this binary);
 *   --from FILE a JSON file holding what GET /api/v1/public/fair-days/{date} answers, or an
 *              array of such days (the previous day is looked up in it).
 *
 * --key HEX takes the public key instead. Exit status: 0 when every check holds, 1 when one
 * fails (each failure is printed, naming what differs), 2 on a usage error, 3 when the day
 * cannot be loaded at all.
 */
#include "cli/cli.h"

#include "api/fair_json.h"
#include "base/check.h"
#include "base/civil.h"
#include "base/crypto.h"

#include <errno.h>
#include <jansson.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define EXIT_DIFFERS 1
#define EXIT_USAGE   2
#define EXIT_LOAD    3

#define HTTP_HOST_MAX 256

/* ---- a minimal HTTP/1.1 GET (http:// only) ---- */

struct url {
    char host[HTTP_HOST_MAX];
    char port[8];
    const char *path; /* points into the URL: "" or "/prefix" */
};

static bool url_parse(const char *s, struct url *u, char *err, size_t cap)
{
    if (strncmp(s, "http://", 7) != 0) {
        snprintf(err, cap, "'%s': only http:// URLs are supported", s);
        return false;
    }
    const char *h = s + 7, *end = h + strcspn(h, ":/");
    size_t hl = (size_t)(end - h);
    if (hl == 0 || hl >= sizeof(u->host)) {
        snprintf(err, cap, "'%s' has no host", s);
        return false;
    }
    memcpy(u->host, h, hl);
    u->host[hl] = '\0';
    snprintf(u->port, sizeof(u->port), "80");
    if (*end == ':') {
        size_t pl = strcspn(end + 1, "/");
        if (pl == 0 || pl >= sizeof(u->port) || strspn(end + 1, "0123456789") < pl) {
            snprintf(err, cap, "'%s' has a bad port", s);
            return false;
        }
        memcpy(u->port, end + 1, pl);
        u->port[pl] = '\0';
        end += 1 + pl;
    }
    u->path = end;
    return true;
}

static int connect_to(const struct url *u, char *err, size_t cap)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
    int rc = getaddrinfo(u->host, u->port, &hints, &res);
    if (rc != 0) {
        snprintf(err, cap, "cannot resolve '%s': %s", u->host, gai_strerror(rc));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *a = res; a != NULL && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        struct timeval tv = {LIMIT_VERIFY_TIMEOUT_S, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0)
        snprintf(err, cap, "cannot connect to %s:%s: %s", u->host, u->port, strerror(errno));
    return fd;
}

/* Reads until the server closes (we ask it to), at most LIMIT_VERIFY_FETCH_BYTES. */
static char *read_all(int fd, size_t *len, char *err, size_t cap)
{
    size_t n = 0, size = 64 * 1024;
    char *b = malloc(size + 1);
    while (b != NULL) {
        if (n == size) {
            if (size >= LIMIT_VERIFY_FETCH_BYTES) {
                snprintf(err, cap, "the answer is larger than %d bytes", LIMIT_VERIFY_FETCH_BYTES);
                break;
            }
            size *= 2;
            char *nb = realloc(b, size + 1);
            if (nb == NULL)
                break;
            b = nb;
        }
        ssize_t got = read(fd, b + n, size - n);
        if (got == 0) {
            b[n] = '\0';
            *len = n;
            return b;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            snprintf(err, cap, "reading the answer: %s", strerror(errno));
            break;
        }
        n += (size_t)got;
    }
    if (b == NULL)
        snprintf(err, cap, "out of memory");
    free(b);
    return NULL;
}

/* Decodes a chunked body in place; false when it is malformed. */
static bool dechunk(char *body, size_t *len)
{
    size_t in = 0, out = 0;
    for (;;) {
        char *end = NULL;
        /* tidy: allow strtol — the chunk size is hex, bounded by the body's length. */
        unsigned long long size = strtoull(body + in, &end, 16);
        char *crlf = strstr(body + in, "\r\n");
        if (end == body + in || crlf == NULL)
            return false;
        in = (size_t)(crlf - body) + 2;
        if (size == 0)
            break;
        if (size > *len - in)
            return false;
        memmove(body + out, body + in, size);
        out += size;
        in += size + 2;
        if (in > *len)
            return false;
    }
    body[out] = '\0';
    *len = out;
    return true;
}

/* GETs base + path; *status and the body (malloc'd, NUL-terminated). NULL with err. */
static char *http_get(const char *base, const char *path, int *status, char *err, size_t cap)
{
    struct url u;
    if (!url_parse(base, &u, err, cap))
        return NULL;
    int fd = connect_to(&u, err, cap);
    if (fd < 0)
        return NULL;
    char req[1024];
    size_t plen = strlen(u.path);
    while (plen > 0 && u.path[plen - 1] == '/')
        plen--;
    int n = snprintf(req, sizeof(req),
                     "GET %.*s%s HTTP/1.1\r\nHost: %s:%s\r\nAccept: application/json\r\n"
                     "User-Agent: caifuhao-verify\r\nConnection: close\r\n\r\n",
                     (int)plen, u.path, path, u.host, u.port);
    size_t len = 0;
    char *resp = NULL;
    if (n > 0 && (size_t)n < sizeof(req) && write(fd, req, (size_t)n) == n)
        resp = read_all(fd, &len, err, cap);
    else
        snprintf(err, cap, "cannot send the request to %s", base);
    close(fd);
    if (resp == NULL)
        return NULL;
    char *head_end = strstr(resp, "\r\n\r\n");
    if (strncmp(resp, "HTTP/1.", 7) != 0 || head_end == NULL || len < 12) {
        snprintf(err, cap, "%s%s: not an HTTP answer", base, path);
        free(resp);
        return NULL;
    }
    *status = 0;
    for (int k = 9; k < 12 && resp[k] >= '0' && resp[k] <= '9'; k++)
        *status = *status * 10 + (resp[k] - '0');
    *head_end = '\0';
    bool chunked = strcasestr(resp, "\r\ntransfer-encoding: chunked") != NULL;
    size_t body_len = len - (size_t)(head_end + 4 - resp);
    memmove(resp, head_end + 4, body_len + 1);
    if (chunked && !dechunk(resp, &body_len)) {
        snprintf(err, cap, "%s%s: malformed chunked answer", base, path);
        free(resp);
        return NULL;
    }
    return resp;
}

/* ---- where the days come from ---- */

struct source {
    const char *url;  /* --from http://… */
    json_t *file;     /* --from FILE: one day or an array of days */
    struct store *db; /* default */
    char err[512];
};

/* A day as the public endpoint answers it, with the record parsed. */
struct day {
    json_t *answer; /* owns everything below */
    struct fair_published pub;
};

static bool day_of(json_t *answer, struct day *d)
{
    d->answer = answer;
    d->pub.record = json_object_get(answer, "record");
    d->pub.hash = json_string_value(json_object_get(answer, "hash"));
    d->pub.prev_hash = json_string_value(json_object_get(answer, "prev_hash"));
    d->pub.signature = json_string_value(json_object_get(answer, "signature"));
    return json_is_object(d->pub.record);
}

static json_t *fetch_json(struct source *src, const char *path, int *status)
{
    char *body = http_get(src->url, path, status, src->err, sizeof(src->err));
    if (body == NULL)
        return NULL;
    json_error_t je;
    json_t *j = json_loads(body, 0, &je);
    free(body);
    if (j == NULL)
        snprintf(src->err, sizeof(src->err), "%s%s: not JSON: %s", src->url, path, je.text);
    return j;
}

static int take_day_row(void *ctx, const struct store_row *row)
{
    size_t len = 0;
    const char *rec = store_row_text(row, 4, &len);
    json_t *record = json_loadb(rec, len, 0, NULL);
    *(json_t **)ctx = json_pack(
        "{s:s,s:s,s:s,s:s,s:o}", "date", store_row_text(row, 0, NULL), "hash",
        store_row_text(row, 1, NULL), "prev_hash", store_row_text(row, 2, NULL), "signature",
        store_row_text(row, 3, NULL), "record", record ? record : json_null());
    return 1;
}

/* The published day ds from the source; false (src->err says why) when it cannot be had. */
static bool load_day(struct source *src, const char *ds, struct day *d)
{
    json_t *answer = NULL;
    if (src->url) {
        char path[96];
        int status = 0;
        snprintf(path, sizeof(path), "/api/v1/public/fair-days/%s", ds);
        answer = fetch_json(src, path, &status);
        if (answer != NULL && status != 200) {
            snprintf(src->err, sizeof(src->err), "%s%s answered %d", src->url, path, status);
            json_decref(answer);
            return false;
        }
    } else if (src->file) {
        size_t i;
        json_t *e;
        json_t *all =
            json_is_array(src->file) ? json_incref(src->file) : json_pack("[O]", src->file);
        json_array_foreach(all, i, e) {
            const char *date = json_string_value(json_object_get(e, "date"));
            if (answer == NULL && date != NULL && strcmp(date, ds) == 0)
                answer = json_incref(e);
        }
        json_decref(all);
        if (answer == NULL)
            snprintf(src->err, sizeof(src->err), "the file holds no day %s", ds);
    } else {
        struct store_err err = {0};
        struct store_conn *c = store_reader(src->db, &err);
        struct store_val p[] = {SV_TEXT(ds)};
        if (c == NULL || store_query(c,
                                     "SELECT day, hash, prev_hash, signature, record FROM "
                                     "fair_days WHERE day = ?",
                                     p, 1, take_day_row, &answer, &err) != STORE_OK)
            snprintf(src->err, sizeof(src->err), "%s", err.msg);
        else if (answer == NULL)
            snprintf(src->err, sizeof(src->err), "no published day %s in the database", ds);
    }
    if (answer != NULL && !day_of(answer, d)) {
        snprintf(src->err, sizeof(src->err), "day %s has no record object", ds);
        json_decref(answer);
        return false;
    }
    return answer != NULL;
}

/* The public key: --key, else the endpoint, else the database's key file. */
static bool load_key(struct source *src, const char *hex, const struct config *cfg,
                     uint8_t pk[CRYPTO_SIGN_PK_BYTES])
{
    if (hex != NULL) {
        if (crypto_unhex(hex, strlen(hex), pk, CRYPTO_SIGN_PK_BYTES))
            return true;
        snprintf(src->err, sizeof(src->err), "--key must be 64 hexadecimal digits");
        return false;
    }
    if (src->url) {
        int status = 0;
        json_t *j = fetch_json(src, "/api/v1/public/fair-key", &status);
        const char *k = json_string_value(json_object_get(j, "public_key"));
        bool ok = status == 200 && k && crypto_unhex(k, strlen(k), pk, CRYPTO_SIGN_PK_BYTES);
        if (j != NULL && !ok)
            snprintf(src->err, sizeof(src->err),
                     "the server's /api/v1/public/fair-key answered "
                     "no key");
        json_decref(j);
        return ok;
    }
    char path[CONFIG_PATH_MAX + 8];
    uint8_t sk[CRYPTO_SIGN_SK_BYTES];
    config_sign_key_path(cfg, path, sizeof(path));
    bool ok = crypto_load_sign_key(path, false, pk, sk, src->err, sizeof(src->err)) == 0;
    crypto_random(sk, sizeof(sk)); /* not needed here: overwritten at once */
    return ok;
}

static int take_hash(void *ctx, const struct store_row *row)
{
    snprintf(ctx, FAIR_HASH_HEX, "%s", store_row_text(row, 0, NULL));
    return 1;
}

/* The record's rule_hash against the platform's published version of that number: a record
 * can only follow a rule that was published (FILE: nothing to compare with). */
static void check_published_rule(struct source *src, const struct day *d, fair_note_fn note,
                                 void *ctx)
{
    json_t *v = json_object_get(d->pub.record, "rule_version");
    const char *rh = json_string_value(json_object_get(d->pub.record, "rule_hash"));
    if (src->file != NULL || !json_is_integer(v) || rh == NULL)
        return;
    char hash[FAIR_HASH_HEX] = "", line[256];
    long long version = (long long)json_integer_value(v);
    if (src->url) {
        char path[96];
        int status = 0;
        snprintf(path, sizeof(path), "/api/v1/public/fair-rules/%lld", version);
        json_t *j = fetch_json(src, path, &status);
        const char *h = json_string_value(json_object_get(j, "hash"));
        snprintf(hash, sizeof(hash), "%s", status == 200 && h ? h : "");
        json_decref(j);
    } else {
        struct store_err err = {0};
        struct store_conn *c = store_reader(src->db, &err);
        struct store_val p[] = {SV_INT(version)};
        if (c != NULL)
            store_query(c,
                        "SELECT hash FROM fair_rule_versions WHERE version = ? AND status = "
                        "'published'",
                        p, 1, take_hash, hash, &err);
    }
    bool ok = strcmp(hash, rh) == 0;
    snprintf(line, sizeof(line), "rule: version %lld %s", version,
             ok        ? "is the published version of that number"
             : hash[0] ? "is NOT the published version of that number (its hash differs)"
                       : "is not a published version");
    note(ctx, ok, line);
}

struct tally {
    int ok, failed;
};

static void print_note(void *ctx, bool ok, const char *line)
{
    struct tally *t = ctx;
    *(ok ? &t->ok : &t->failed) += 1;
    printf("%s %s\n", ok ? "ok  " : "FAIL", line);
}

static void verify_usage(FILE *out)
{
    fprintf(out,
            "usage: caifuhao verify-allocation --date YYYY-MM-DD [--from URL|FILE] [--key HEX] "
            "[--db PATH]\n\n"
            "Recomputes a published day of the fair rule from its own inputs and rule text and "
            "checks\nits hash, the chain to the previous day and the Ed25519 signature.\n"
            "  --from URL   a server's public endpoints, http://host:port\n"
            "  --from FILE  what GET /api/v1/public/fair-days/{date} answers, or an array of "
            "days\n"
            "  (neither)    the database of --db\n"
            "  --key HEX    the platform's public key (else the server's, or the database's "
            "key file)\n"
            "Exit status: 0 all checks hold, 1 a check failed, 2 usage, 3 the day cannot be "
            "loaded.\n");
}

/* Sets up the source of --from (or the database); false after printing. */
static bool open_source(struct source *src, const char *from, struct config *cfg)
{
    char err[CONFIG_ERR_MAX];
    if (config_load_env(cfg, err) != 0 || config_check(cfg, err) != 0 ||
        crypto_setup((unsigned)cfg->argon2_ops, (unsigned)cfg->argon2_mem_kib, 1) != 0) {
        fprintf(stderr, "caifuhao: %s\n", err);
        return false;
    }
    if (from != NULL && strncmp(from, "http", 4) == 0 && strstr(from, "://") != NULL) {
        src->url = from;
        return true;
    }
    if (from != NULL) {
        json_error_t je;
        src->file = json_load_file(from, 0, &je);
        if (src->file == NULL)
            fprintf(stderr, "caifuhao: verify-allocation: cannot read '%s': %s (line %d)\n", from,
                    je.text, je.line);
        return src->file != NULL;
    }
    struct store_err serr = {0};
    struct store_options opt = {.dsn = cfg->db, .start_writer = false};
    src->db = store_open(&opt, &serr);
    if (src->db != NULL && store_check_schema(src->db, &serr) == STORE_OK)
        return true;
    fprintf(stderr, "caifuhao: verify-allocation: %s: %s\n", cfg->db, serr.msg);
    store_close(src->db);
    src->db = NULL;
    return false;
}

static int verify(struct source *src, const char *ds, const char *key, const struct config *cfg)
{
    struct day d = {0}, prev = {0};
    if (!load_day(src, ds, &d)) {
        fprintf(stderr, "caifuhao: verify-allocation %s: %s\n", ds, src->err);
        return EXIT_LOAD;
    }
    printf("verify-allocation %s: from %s\n", ds,
           src->url    ? src->url
           : src->file ? "the file"
                       : cfg->db);
    const char *pd = json_string_value(json_object_get(d.pub.record, "prev_date"));
    if (pd != NULL && !load_day(src, pd, &prev))
        printf("note the previous day %s cannot be loaded: %s\n", pd, src->err);
    uint8_t pk[CRYPTO_SIGN_PK_BYTES];
    bool have_key = load_key(src, key, cfg, pk);
    if (!have_key)
        printf("note no public key: %s\n", src->err);
    struct tally t = {0, 0};
    fair_verify_day(&d.pub, prev.answer ? &prev.pub : NULL, have_key ? pk : NULL, print_note, &t);
    check_published_rule(src, &d, print_note, &t);
    json_decref(d.answer);
    json_decref(prev.answer);
    if (t.failed == 0)
        printf("verify-allocation %s: all %d checks hold\n", ds, t.ok);
    else
        printf("verify-allocation %s: %d of %d checks FAILED\n", ds, t.failed, t.ok + t.failed);
    return t.failed == 0 ? 0 : EXIT_DIFFERS;
}

int cli_verify(int argc, char **argv)
{
    if (argc > 0 && strcmp(argv[0], "--help") == 0) {
        verify_usage(stdout);
        return 0;
    }
    struct config cfg;
    config_defaults(&cfg);
    static const char *const own[] = {"date", "from", "key", NULL};
    const char *v[3] = {NULL, NULL, NULL};
    if (cli_parse(argc, argv, &cfg, own, v) != 0)
        return EXIT_USAGE;
    struct civil_date d;
    if (v[0] == NULL || civil_date_parse(v[0], strlen(v[0]), &d) != CIVIL_OK) {
        verify_usage(stderr);
        return EXIT_USAGE;
    }
    char ds[CIVIL_DATE_CAP];
    civil_date_format(d, ds, sizeof(ds));
    struct source src = {0};
    if (!open_source(&src, v[1], &cfg))
        return EXIT_LOAD;
    int code = verify(&src, ds, v[2], &cfg);
    json_decref(src.file);
    store_close(src.db);
    return code;
}
