/*
 * bench/confirm/gen.c: fills a database with accepted subscription orders for
 * bench/confirm/run, written the way the order API writes them.
 *
 *   gen DB ORDERS INVESTORS TRADE_DATE
 *
 * DB is migrated and seeded (caifuhao migrate, seed-demo). gen adds one R1 bond fund of the
 * demo institution boshi (subscription fee 0.3%), INVESTORS investors each topped up with
 * exactly what their orders hold, and ORDERS subscriptions of TRADE_DATE spread over the
 * investors in turn, amounts from 1,000.00 to 10,960.00 CNY. Each order is placed by
 * api_order_place_subscription (src/api/orders.c), the writer's half of the order API: the
 * orders row, the daily-limit counter and the cash hold, so that `caifuhao ledger check`
 * holds before and after confirmation.
 * Then it publishes NAV(TRADE_DATE) = 1.0234, confirmed.
 *
 * Many orders go into one write (one transaction): this is the set-up, not the measure.
 * Prints "product=ID orders=N investors=M seconds=S".
 */
#include "api/ledger_store.h"
#include "api/orders.h"
#include "base/civil.h"
#include "base/crypto.h"
#include "core/ledger.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ORDERS_PER_WRITE 20000
#define NAV_E4           10234

struct gen {
    int64_t orders, investors, done, institution, product, now_ms;
    int64_t *investor; /* ids */
    char trade_date[CIVIL_DATE_CAP];
};

/* Order number k: its investor and amount. */
static int64_t investor_of(const struct gen *g, int64_t k)
{
    return g->investor[k % g->investors];
}

static int64_t amount_of(int64_t k)
{
    return 100000 + (k % 997) * 1000; /* 1,000.00 .. 10,960.00 CNY */
}

/* A larger page cache for the generator's own connection: set-up speed only. (Not
 * temp_store=MEMORY: with it every statement of a large write walks the whole in-memory
 * sub-journal when it ends, which makes a 20,000-order write quadratic.) */
static enum store_rc tune_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    (void)ctx;
    return store_exec(c, "PRAGMA cache_size=-262144", NULL, 0, NULL, err);
}

static enum store_rc setup_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct gen *g = ctx;
    enum store_rc rc =
        store_query_int(c, "SELECT institution_id FROM users WHERE login = 'boshi.admin'", NULL, 0,
                        &g->institution, err);
    if (rc != STORE_OK)
        return rc == STORE_DONE ? store_fail(err, STORE_ERROR, "no boshi.admin: seed-demo first")
                                : rc;
    g->product = crypto_random_id();
    struct store_val p[] = {SV_INT(g->product), SV_INT(g->institution), SV_INT(g->now_ms),
                            SV_INT(g->now_ms)};
    rc = store_exec(c,
                    "INSERT INTO products (id, institution_id, code, name, type, risk_level, "
                    "status, min_purchase_fen, daily_limit_fen, sub_fees, red_fees, discount_ppm, "
                    "share_rounding, redeem_delay_days, prospectus_url, key_facts_url, "
                    "inception_date, created_ms, updated_ms) VALUES (?, ?, '990002', "
                    "'博时确认压测债券', 'bond', 1, 'open', 1000, 100000000000, "
                    "'[{\"min_amount\":\"0.00\",\"max_amount\":null,\"rate\":\"0.003000\"}]', "
                    "'[{\"min_days\":0,\"max_days\":7,\"rate\":\"0.015000\"},"
                    "{\"min_days\":7,\"max_days\":null,\"rate\":\"0.000000\"}]', 1000000, "
                    "'half_up', 2, 'https://www.bosera.com/p/990002.pdf', "
                    "'https://www.bosera.com/k/990002.pdf', '2020-01-02', ?, ?)",
                    p, 4, NULL, err);
    for (int64_t i = 0; i < g->investors && rc == STORE_OK; i++) {
        char login[32], name[64];
        snprintf(login, sizeof(login), "137%08lld", (long long)i + 1);
        snprintf(name, sizeof(name), "确认压测投资者%lld", (long long)i + 1);
        g->investor[i] = crypto_random_id();
        struct store_val u[] = {SV_INT(g->investor[i]), SV_TEXT(login), SV_TEXT(name),
                                SV_INT(g->now_ms), SV_INT(g->now_ms)};
        rc = store_exec(c,
                        "INSERT INTO users (id, kind, role, login, display_name, status, "
                        "created_ms, updated_ms) VALUES (?, 'investor', 'investor', ?, ?, "
                        "'active', ?, ?)",
                        u, 5, NULL, err);
        /* Exactly what this investor's orders will hold. */
        int64_t cash = 0;
        for (int64_t k = i; k < g->orders; k += g->investors)
            cash += amount_of(k);
        struct ledger_txn t;
        if (rc == STORE_OK && cash > 0 && ledger_topup(&t, g->investor[i], cash) == LEDGER_OK)
            rc = ledger_apply(c, &t, g->now_ms, err);
    }
    return rc;
}

static enum store_rc orders_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct gen *g = ctx;
    enum store_rc rc = STORE_OK;
    int64_t end = g->done + ORDERS_PER_WRITE < g->orders ? g->done + ORDERS_PER_WRITE : g->orders;
    for (int64_t k = g->done; k < end && rc == STORE_OK; k++) {
        char client_id[32];
        snprintf(client_id, sizeof(client_id), "gen-%lld", (long long)k);
        struct order_subscription o = {
            .investor = investor_of(g, k),
            .product = g->product,
            .institution = g->institution,
            .amount_fen = amount_of(k),
            .daily_limit_fen = LIMIT_AMOUNT_FEN_MAX,
            .now_ms = g->now_ms + k % 18000000,
            .client_id = client_id,
            .trade_date = g->trade_date,
        };
        int64_t id = 0;
        bool existing = false;
        rc = api_order_place_subscription(c, &o, &id, &existing, err);
        if (rc == STORE_OK && existing)
            rc = store_fail(err, STORE_ERROR, "order %lld repeated a client id", (long long)k);
    }
    if (rc == STORE_OK)
        g->done = end;
    return rc;
}

static enum store_rc nav_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct gen *g = ctx;
    struct store_val p[] = {SV_INT(g->product), SV_TEXT(g->trade_date), SV_INT(NAV_E4),
                            SV_INT(NAV_E4), SV_INT(g->now_ms)};
    return store_exec(c,
                      "INSERT INTO navs (product_id, nav_date, nav_e4, acc_nav_e4, confirmed, "
                      "published_ms) VALUES (?, ?, ?, ?, 1, ?)",
                      p, 5, NULL, err);
}

static int64_t arg_count(const char *s, int64_t lo, int64_t hi, const char *what)
{
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "gen: %s must be %lld..%lld, not '%s'\n", what, (long long)lo,
                (long long)hi, s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: gen DB ORDERS INVESTORS TRADE_DATE\n");
        return 2;
    }
    struct gen g = {0};
    g.orders = arg_count(argv[2], 1, 100000000, "ORDERS");
    g.investors = arg_count(argv[3], 1, 10000000, "INVESTORS");
    struct civil_date t;
    if (civil_date_parse(argv[4], strlen(argv[4]), &t) != CIVIL_OK) {
        fprintf(stderr, "gen: TRADE_DATE must be YYYY-MM-DD, not '%s'\n", argv[4]);
        return 2;
    }
    civil_date_format(t, g.trade_date, sizeof(g.trade_date));
    g.now_ms = civil_ms_of_cst(t, 9, 30, 0); /* orders placed from 09:30 on T */
    g.investor = calloc((size_t)g.investors, sizeof(*g.investor));
    if (g.investor == NULL || crypto_setup(1, 8, 1) != 0) {
        fprintf(stderr, "gen: cannot start\n");
        return 1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct store_err err = {0};
    struct store_options opt = {.dsn = argv[1], .start_writer = true};
    struct store *s = store_open(&opt, &err);
    enum store_rc rc = s == NULL ? STORE_ERROR : store_check_schema(s, &err);
    if (rc == STORE_OK)
        rc = store_write_sync(s, tune_write, &g, &err);
    if (rc == STORE_OK)
        rc = store_write_sync(s, setup_write, &g, &err);
    while (rc == STORE_OK && g.done < g.orders)
        rc = store_write_sync(s, orders_write, &g, &err);
    if (rc == STORE_OK)
        rc = store_write_sync(s, nav_write, &g, &err);
    store_close(s);
    if (rc != STORE_OK) {
        fprintf(stderr, "gen: %s\n", err.msg);
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("product=%lld orders=%lld investors=%lld seconds=%.1f\n", (long long)g.product,
           (long long)g.orders, (long long)g.investors,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return 0;
}
