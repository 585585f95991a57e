/*
 * bench/orders/inproc.c: the order path's write ceiling inside one process, without HTTP.
 *
 *   inproc DB MODE SECONDS THREADS WINDOW INVESTORS
 *
 * DB is a migrated and seeded database (caifuhao migrate, seed-demo). The program makes its
 * own product (an R1 bond fund of the demo institution boshi) and INVESTORS investors with
 * 1,000,000.00 CNY each, then THREADS threads place subscription orders of 10.00 CNY for
 * SECONDS seconds, each thread keeping WINDOW writes in flight with store_submit, so that
 * THREADS × WINDOW writes wait for the single writer at once (64 like wrk -c64 over HTTP).
 *
 * MODE says how much of src/api/orders.c's place_write each write does:
 *   bare     INSERT into orders + ledger_apply(ledger_sub_hold): the durable minimum
 *   place    api_order_place_subscription: the writer's half of POST /investor/orders as
 *            the server runs it (insert or find the repeat, daily limit, cash hold); the
 *            answer is read back on the request's thread, outside the writer
 *
 * INPROC_PRAGMA (environment), when set, is one SQL statement run on the writer's connection
 * before the load: an experiment knob ("PRAGMA wal_autocheckpoint=10000", or a CREATE INDEX)
 * to measure a change to src/store or the schema before making it.
 *
 * Prints one line of key=value figures for the run script to read: orders, seconds,
 * orders_per_s, failed, queue_full, p50_ms and p99_ms (submit to done), batches, mean_batch,
 * kib_written_per_order (bytes this process handed to write(2) during the load, per order)
 * and hist (batch sizes 1, 2-3, 4-7, ..., 128+).
 */
#include "api/ledger_store.h"
#include "api/orders.h"
#include "base/civil.h"
#include "base/crypto.h"
#include "core/ledger.h"
#include "store/store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum mode {
    MODE_BARE,
    MODE_PLACE
};

#define TRADE_DATE  "2026-03-02"
#define AMOUNT_FEN  1000               /* 10.00 CNY an order */
#define TOPUP_FEN   INT64_C(100000000) /* 1,000,000.00 CNY an investor */
#define DAILY_LIMIT INT64_C(10000000000)

static enum mode mode;
static int64_t product_id, institution_id, now_ms;
static int64_t *investors;
static int n_investors;

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void die(const char *what, const struct store_err *err)
{
    fprintf(stderr, "inproc: %s: %s\n", what, err ? err->msg : "");
    exit(1);
}

/* ---- set-up: product, investors and their cash ---- */

static enum store_rc setup_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    (void)ctx;
    enum store_rc rc =
        store_query_int(c, "SELECT institution_id FROM users WHERE login = 'boshi.admin'", NULL, 0,
                        &institution_id, err);
    if (rc != STORE_OK)
        return rc == STORE_DONE ? store_fail(err, STORE_ERROR, "no boshi.admin: seed-demo first")
                                : rc;
    product_id = crypto_random_id();
    struct store_val p[] = {SV_INT(product_id), SV_INT(institution_id), SV_INT(DAILY_LIMIT),
                            SV_INT(now_ms), SV_INT(now_ms)};
    rc = store_exec(c,
                    "INSERT INTO products (id, institution_id, code, name, type, risk_level, "
                    "status, min_purchase_fen, daily_limit_fen, sub_fees, red_fees, discount_ppm, "
                    "share_rounding, redeem_delay_days, prospectus_url, key_facts_url, "
                    "inception_date, created_ms, updated_ms) VALUES (?, ?, '990001', "
                    "'进程内压测债券', 'bond', 1, 'open', 1000, ?, "
                    "'[{\"min_amount\":\"0.00\",\"max_amount\":null,\"rate\":\"0.003000\"}]', "
                    "'[{\"min_days\":0,\"max_days\":7,\"rate\":\"0.015000\"},"
                    "{\"min_days\":7,\"max_days\":null,\"rate\":\"0.000000\"}]', 1000000, "
                    "'half_up', 2, 'https://example.com/p.pdf', 'https://example.com/k.pdf', "
                    "'2020-01-01', ?, ?)",
                    p, 5, NULL, err);
    for (int i = 0; i < n_investors && rc == STORE_OK; i++) {
        char login[32], name[32];
        snprintf(login, sizeof(login), "1390%07d", i + 1);
        snprintf(name, sizeof(name), "压测投资者%d", i + 1);
        investors[i] = crypto_random_id();
        struct store_val u[] = {SV_INT(investors[i]), SV_TEXT(login), SV_TEXT(name), SV_INT(now_ms),
                                SV_INT(now_ms)};
        rc = store_exec(c,
                        "INSERT INTO users (id, kind, role, login, display_name, status, "
                        "created_ms, updated_ms) VALUES (?, 'investor', 'investor', ?, ?, "
                        "'active', ?, ?)",
                        u, 5, NULL, err);
        struct ledger_txn t;
        if (rc == STORE_OK && ledger_topup(&t, investors[i], TOPUP_FEN) == LEDGER_OK)
            rc = ledger_apply(c, &t, now_ms, err);
    }
    return rc;
}

static enum store_rc pragma_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    return store_exec(c, ctx, NULL, 0, NULL, err);
}

/* ---- one order: what place_write (src/api/orders.c) does, per MODE ---- */

struct slot {
    struct store_write w;
    struct worker *owner;
    int64_t id, investor, submitted_us;
    char client_id[40];
    bool busy;
};

static enum store_rc place_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct slot *x = ctx;
    if (mode == MODE_PLACE) {
        struct order_subscription o = {
            .investor = x->investor,
            .product = product_id,
            .institution = institution_id,
            .amount_fen = AMOUNT_FEN,
            .daily_limit_fen = DAILY_LIMIT,
            .now_ms = now_ms,
            .client_id = x->client_id,
            .trade_date = TRADE_DATE,
        };
        bool existing = false;
        enum store_rc rc = api_order_place_subscription(c, &o, &x->id, &existing, err);
        return rc == STORE_OK && existing ? store_fail(err, STORE_ABORT, "repeated client id") : rc;
    }
    x->id = crypto_ordered_id();
    struct store_val p[] = {
        SV_INT(x->id),          SV_INT(x->investor),  SV_TEXT(x->client_id), SV_INT(product_id),
        SV_INT(institution_id), SV_TEXT("subscribe"), SV_INT(AMOUNT_FEN),    SV_INT(0),
        SV_TEXT(TRADE_DATE),    SV_INT(now_ms),
    };
    enum store_rc rc = store_exec(c,
                                  "INSERT INTO orders (id, investor_id, client_order_id, "
                                  "product_id, institution_id, side, amount_fen, shares_h, status, "
                                  "trade_date, placed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                                  "'accepted', ?, ?)",
                                  p, 10, NULL, err);
    if (rc != STORE_OK)
        return rc;
    struct ledger_txn t;
    if (ledger_sub_hold(&t, x->investor, x->id, AMOUNT_FEN) != LEDGER_OK)
        return store_fail(err, STORE_ERROR, "ledger_sub_hold refused the order");
    return ledger_apply(c, &t, now_ms, err);
}

/* ---- the load: THREADS workers, each with WINDOW writes in flight ---- */

struct worker {
    pthread_t th;
    int index, window;
    int64_t deadline_us;
    pthread_mutex_t lock;
    pthread_cond_t freed;
    int in_flight;
    struct slot *slots;
    uint32_t *lat_us; /* one per finished order */
    size_t n_lat, cap_lat;
    int64_t ok, failed, full;
};

static atomic_int_fast64_t next_seq;

/* Runs on the writer thread when the slot's batch has committed. */
static void slot_done(struct store_write *w)
{
    struct slot *x = w->done_ctx;
    struct worker *k = x->owner;
    uint32_t us = (uint32_t)(mono_us() - x->submitted_us);
    pthread_mutex_lock(&k->lock);
    if (w->rc == STORE_OK) {
        k->ok++;
        if (k->n_lat == k->cap_lat) {
            k->cap_lat = k->cap_lat ? 2 * k->cap_lat : 65536;
            k->lat_us = realloc(k->lat_us, k->cap_lat * sizeof(*k->lat_us));
            if (k->lat_us == NULL)
                die("out of memory", NULL);
        }
        k->lat_us[k->n_lat++] = us;
    } else {
        k->failed++;
        if (k->failed == 1)
            fprintf(stderr, "inproc: a write failed: %s\n", w->err.msg);
    }
    x->busy = false;
    k->in_flight--;
    pthread_cond_signal(&k->freed);
    pthread_mutex_unlock(&k->lock);
}

static struct store *store;

static void *worker_main(void *arg)
{
    struct worker *k = arg;
    pthread_mutex_lock(&k->lock);
    while (mono_us() < k->deadline_us) {
        while (k->in_flight == k->window)
            pthread_cond_wait(&k->freed, &k->lock);
        struct slot *x = NULL;
        for (int i = 0; i < k->window && x == NULL; i++)
            if (!k->slots[i].busy)
                x = &k->slots[i];
        int64_t seq = atomic_fetch_add(&next_seq, 1);
        x->busy = true;
        x->owner = k;
        x->investor = investors[seq % n_investors];
        snprintf(x->client_id, sizeof(x->client_id), "inproc-%lld", (long long)seq);
        x->w = (struct store_write){.fn = place_write, .ctx = x, .done = slot_done, .done_ctx = x};
        k->in_flight++;
        pthread_mutex_unlock(&k->lock);
        x->submitted_us = mono_us();
        enum store_rc rc = store_submit(store, &x->w);
        pthread_mutex_lock(&k->lock);
        if (rc != STORE_OK) { /* queue full: give the writer a moment */
            x->busy = false;
            k->in_flight--;
            k->full++;
            pthread_mutex_unlock(&k->lock);
            nanosleep(&(struct timespec){0, 100000}, NULL);
            pthread_mutex_lock(&k->lock);
        }
    }
    while (k->in_flight > 0)
        pthread_cond_wait(&k->freed, &k->lock);
    pthread_mutex_unlock(&k->lock);
    return NULL;
}

/* Bytes this process handed to write(2)/pwrite(2) so far (wchar of /proc/self/io), or -1. */
static int64_t io_wchar(void)
{
    FILE *f = fopen("/proc/self/io", "r");
    long long v = -1;
    char line[128];
    while (f != NULL && fgets(line, sizeof(line), f) != NULL)
        if (sscanf(line, "wchar: %lld", &v) == 1)
            break;
    if (f != NULL)
        fclose(f);
    return v;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int arg_int(const char *s, int lo, int hi, const char *what)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "inproc: %s must be %d..%d, not '%s'\n", what, lo, hi, s);
        exit(2);
    }
    return (int)v;
}

/* Opens the store, makes the product and the investors, runs INPROC_PRAGMA. */
static void open_and_set_up(const char *db)
{
    struct store_err err = {0};
    struct store_options opt = {.dsn = db, .start_writer = true};
    store = store_open(&opt, &err);
    if (store == NULL)
        die("cannot open the store", &err);
    if (store_check_schema(store, &err) != STORE_OK)
        die("schema", &err);
    now_ms = civil_ms_of_cst((struct civil_date){2026, 3, 2}, 10, 0, 0);
    investors = calloc((size_t)n_investors, sizeof(*investors));
    if (investors == NULL || store_write_sync(store, setup_write, NULL, &err) != STORE_OK)
        die("set-up", &err);
    char *pragma = getenv("INPROC_PRAGMA");
    if (pragma != NULL && *pragma != '\0' &&
        store_write_sync(store, pragma_write, pragma, &err) != STORE_OK)
        die(pragma, &err);
}

struct totals {
    int64_t ok, failed, full, wchar;
    double seconds, p50_ms, p99_ms;
    struct store_stats before, after;
};

/* THREADS workers for SECONDS; fills out. */
static void run_load(int threads, int window, int seconds, struct totals *out)
{
    store_get_stats(store, &out->before);
    int64_t wchar0 = io_wchar();
    struct worker *ks = calloc((size_t)threads, sizeof(*ks));
    if (ks == NULL)
        die("out of memory", NULL);
    int64_t start = mono_us();
    for (int i = 0; i < threads; i++) {
        struct worker *k = &ks[i];
        k->index = i;
        k->window = window;
        k->deadline_us = start + (int64_t)seconds * 1000000;
        k->slots = calloc((size_t)window, sizeof(*k->slots));
        pthread_mutex_init(&k->lock, NULL);
        pthread_cond_init(&k->freed, NULL);
        if (k->slots == NULL || pthread_create(&k->th, NULL, worker_main, k) != 0)
            die("cannot start a thread", NULL);
    }
    size_t n_lat = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ks[i].th, NULL);
        out->ok += ks[i].ok;
        out->failed += ks[i].failed;
        out->full += ks[i].full;
        n_lat += ks[i].n_lat;
    }
    out->seconds = (double)(mono_us() - start) / 1e6;
    store_get_stats(store, &out->after);
    out->wchar = wchar0 >= 0 ? io_wchar() - wchar0 : -1;
    uint32_t *lat = malloc((n_lat ? n_lat : 1) * sizeof(*lat));
    if (lat == NULL)
        die("out of memory", NULL);
    size_t at = 0;
    for (int i = 0; i < threads; i++) {
        if (ks[i].n_lat)
            memcpy(lat + at, ks[i].lat_us, ks[i].n_lat * sizeof(*lat));
        at += ks[i].n_lat;
    }
    qsort(lat, n_lat, sizeof(*lat), cmp_u32);
    out->p50_ms = n_lat ? lat[n_lat / 2] / 1000.0 : 0;
    out->p99_ms = n_lat ? lat[n_lat * 99 / 100] / 1000.0 : 0;
    free(lat);
}

static void report(const char *mode_name, const struct totals *t)
{
    uint64_t batches = t->after.batches - t->before.batches;
    uint64_t writes = t->after.writes - t->before.writes;
    printf("mode=%s orders=%lld seconds=%.3f orders_per_s=%.0f failed=%lld queue_full=%lld ",
           mode_name, (long long)t->ok, t->seconds, (double)t->ok / t->seconds,
           (long long)t->failed, (long long)t->full);
    printf("p50_ms=%.3f p99_ms=%.3f batches=%llu mean_batch=%.1f kib_written_per_order=%.1f "
           "hist=",
           t->p50_ms, t->p99_ms, (unsigned long long)batches,
           batches ? (double)writes / (double)batches : 0.0,
           t->wchar >= 0 && t->ok > 0 ? (double)t->wchar / 1024.0 / (double)t->ok : -1.0);
    for (int b = 0; b < 8; b++)
        printf("%s%llu", b ? "," : "",
               (unsigned long long)(t->after.batch_hist[b] - t->before.batch_hist[b]));
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: inproc DB bare|place SECONDS THREADS WINDOW INVESTORS\n");
        return 2;
    }
    if (strcmp(argv[2], "bare") == 0)
        mode = MODE_BARE;
    else if (strcmp(argv[2], "place") == 0)
        mode = MODE_PLACE;
    else
        return fprintf(stderr, "inproc: unknown mode '%s'\n", argv[2]), 2;
    int seconds = arg_int(argv[3], 1, 3600, "SECONDS");
    int threads = arg_int(argv[4], 1, 256, "THREADS");
    int window = arg_int(argv[5], 1, 1024, "WINDOW");
    n_investors = arg_int(argv[6], 1, 1000000, "INVESTORS");
    if (crypto_setup(1, 8, 1) != 0)
        return fprintf(stderr, "inproc: libsodium failed to start\n"), 1;
    open_and_set_up(argv[1]);
    struct totals t = {0};
    run_load(threads, window, seconds, &t);
    report(argv[2], &t);
    store_close(store);
    return t.failed == 0 ? 0 : 1;
}
