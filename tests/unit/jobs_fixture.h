/*
 * jobs_fixture.h: what the batch tests share (test_jobs.c, test_ledger_check.c): a real store in
 * a fresh database file per test, migrated, with one institution, two equity products and one
 * investor; orders placed the way api/orders.c does it (an 'accepted' row and its hold posted in
 * one write), NAVs inserted confirmed, and the calendar migration 0002 ships (2026-03-02 is a
 * Monday and a trading day); and the prospectus example's figures. Include once per test
 * program. Not every program uses every helper, hence the pragma.
 */
#ifndef CFH_JOBS_FIXTURE_H
#define CFH_JOBS_FIXTURE_H

#pragma GCC diagnostic ignored "-Wunused-function"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/ledger_store.h"
#include "base/civil.h"
#include "base/crypto.h"
#include "core/fee.h"
#include "core/ledger.h"
#include "jobs/jobs.h"
#include "jobs/ledger_check.h"
#include "store/store.h"

#define INST  INT64_C(11)
#define PROD  INT64_C(21) /* has NAVs */
#define PROD2 INT64_C(22) /* a second product: its NAV late, or fees it cannot price */
#define INV   INT64_C(31)
#define CASH  "CNY"
#define SHARE "P:21"

/* Subscription 1.2%, one open tier (the prospectus example's rate: the caps bind only when a
 * schedule is configured, not when it prices). Redemption: under 7 days 1.5%, 7 to 365 days
 * 0.5%, then nothing. */
#define SUB_FEES "[{\"min_amount\": \"0.00\", \"max_amount\": null, \"rate\": \"0.012\"}]"
#define RED_FEES                                                  \
    "[{\"min_days\": 0, \"max_days\": 7, \"rate\": \"0.015\"}, "  \
    "{\"min_days\": 7, \"max_days\": 365, \"rate\": \"0.005\"}, " \
    "{\"min_days\": 365, \"max_days\": null, \"rate\": \"0\"}]"
#define DELAY_DAYS 2 /* redeem_delay_days */

#define T1      "2026-03-02" /* a Monday */
#define T1_NEXT "2026-03-03" /* T1 + 1 trading day: when its orders are confirmed */

/* ---- fixture: a migrated store in a fresh directory ---- */

struct env {
    char dir[64];
    char db[96];
    struct store *s;
};

static struct env ev;

static void write_ok(store_write_fn fn, void *ctx)
{
    struct store_err err = {0};
    enum store_rc rc = store_write_sync(ev.s, fn, ctx, &err);
    if (rc != STORE_OK)
        print_message("store_write_sync: %s\n", err.msg);
    assert_int_equal(rc, STORE_OK);
}

/* A write as the API makes one: a statement and the ledger transaction it causes, committed
 * together. It runs on the writer thread, so it returns its failures instead of asserting
 * (cmocka cannot jump across threads). */
struct posting {
    const char *sql; /* NULL: the transaction alone */
    const struct store_val *p;
    size_t n;
    struct ledger_txn t; /* t.n == 0: the statement alone */
    int64_t changes;     /* OUT: rows the statement changed */
};

static enum store_rc posting_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct posting *w = ctx;
    enum store_rc rc = w->sql ? store_exec(c, w->sql, w->p, w->n, &w->changes, err) : STORE_OK;
    return rc == STORE_OK && w->t.n > 0 ? ledger_apply(c, &w->t, 0, err) : rc;
}

/* Runs one statement as a write; returns the rows it changed. */
static int64_t sql_run(const char *sql, const struct store_val *p, size_t n)
{
    struct posting w = {.sql = sql, .p = p, .n = n, .changes = -1};
    write_ok(posting_write, &w);
    return w.changes;
}

#define SQL(sql, ...)                                     \
    sql_run(sql, (const struct store_val[]){__VA_ARGS__}, \
            sizeof((struct store_val[]){__VA_ARGS__}) / sizeof(struct store_val))

/* One institution, two equity products with the fees above, one investor. */
static void seed(void)
{
    assert_int_equal(SQL("INSERT INTO institutions (id, name, short_name, type, status, "
                         "created_ms, updated_ms) VALUES (?, 'Test Fund Management', "
                         "'Test Fund', 'fund_company', 'live', 0, 0)",
                         SV_INT(INST)),
                     1);
    for (int64_t id = PROD; id <= PROD2; id++) {
        char code[24];
        snprintf(code, sizeof(code), "%06lld", (long long)id);
        assert_int_equal(
            SQL("INSERT INTO products (id, institution_id, code, name, type, risk_level, status, "
                "min_purchase_fen, daily_limit_fen, sub_fees, red_fees, discount_ppm, "
                "share_rounding, redeem_delay_days, prospectus_url, key_facts_url, "
                "inception_date, created_ms, updated_ms) VALUES (?, ?, ?, 'Test Equity', "
                "'equity', 3, 'open', 100, 100000000000, ?, ?, 1000000, 'half_up', ?, "
                "'https://example.com/p.pdf', 'https://example.com/k.pdf', '2020-01-02', 0, 0)",
                SV_INT(id), SV_INT(INST), SV_TEXT(code), SV_TEXT(SUB_FEES), SV_TEXT(RED_FEES),
                SV_INT(DELAY_DAYS)),
            1);
    }
    assert_int_equal(SQL("INSERT INTO users (id, kind, role, login, display_name, status, "
                         "created_ms, updated_ms) VALUES (?, 'investor', 'investor', "
                         "'13800000031', 'Investor 31', 'active', 0, 0)",
                         SV_INT(INV)),
                     1);
}

static int env_setup(void **state)
{
    memset(&ev, 0, sizeof(ev));
    snprintf(ev.dir, sizeof(ev.dir), "/tmp/cfh-jobs-XXXXXX");
    if (mkdtemp(ev.dir) == NULL)
        return -1;
    snprintf(ev.db, sizeof(ev.db), "%s/test.db", ev.dir);
    struct store_err err = {0};
    struct store_options opt = {.dsn = ev.db, .start_writer = true};
    ev.s = store_open(&opt, &err);
    int applied = 0;
    if (ev.s == NULL || store_migrate(ev.s, &applied, &err) != STORE_OK) {
        print_message("fixture: %s\n", err.msg);
        return -1;
    }
    seed();
    *state = &ev;
    return 0;
}

static int env_teardown(void **state)
{
    (void)state;
    store_close(ev.s);
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char path[128];
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        snprintf(path, sizeof(path), "%s%s", ev.db, suffixes[i]);
        unlink(path);
    }
    return rmdir(ev.dir);
}

static int group_setup(void **state)
{
    (void)state;
    job_set_chunk(512); /* MANY below makes three chunks of it */
    return crypto_setup(1, 8192, 1);
}

/* ---- acting: cash, orders, NAVs, batches ---- */

static struct civil_date day(const char *s)
{
    struct civil_date d = {0};
    assert_int_equal(civil_date_parse(s, strlen(s), &d), CIVIL_OK);
    return d;
}

/* 21:00 CST on `date`: when the batches run, after the NAVs are in. */
static int64_t evening(const char *date)
{
    return civil_ms_of_cst(day(date), 21, 0, 0);
}

static void topup(int64_t amount_fen)
{
    struct posting w = {.sql = NULL};
    assert_int_equal(ledger_topup(&w.t, INV, amount_fen), LEDGER_OK);
    write_ok(posting_write, &w);
}

/* Orders as api/orders.c places them: an 'accepted' row and its hold, in one write. */
struct place {
    int64_t product;
    int64_t amount_fen; /* a subscription's; 0 for a redemption */
    int64_t shares_h;   /* a redemption's; 0 for a subscription */
    const char *trade_date;
    int count;  /* orders alike, placed in the one write */
    int64_t id; /* OUT: the last one's */
};

static enum store_rc place_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct place *x = ctx;
    enum store_rc rc = STORE_OK;
    for (int k = 0; k < x->count && rc == STORE_OK; k++) {
        x->id = crypto_random_id();
        char client[32];
        snprintf(client, sizeof(client), "c-%lld", (long long)x->id);
        bool sub = x->amount_fen > 0;
        struct store_val p[] = {
            SV_INT(x->id),         SV_INT(INV),         SV_TEXT(client),
            SV_INT(x->product),    SV_INT(INST),        SV_TEXT(sub ? "subscribe" : "redeem"),
            SV_INT(x->amount_fen), SV_INT(x->shares_h), SV_TEXT(x->trade_date)};
        struct posting w = {.sql = "INSERT INTO orders (id, investor_id, client_order_id, "
                                   "product_id, institution_id, side, amount_fen, shares_h, "
                                   "status, trade_date, placed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, "
                                   "?, 'accepted', ?, 0)",
                            .p = p,
                            .n = 9};
        enum ledger_rc lr = sub ? ledger_sub_hold(&w.t, INV, x->id, x->amount_fen)
                                : ledger_red_hold(&w.t, INV, x->product, x->id, x->shares_h);
        rc = lr == LEDGER_OK ? posting_write(c, &w, err)
                             : store_fail(err, STORE_ERROR, "the hold was refused");
        /* The daily-limit counter, as placing through the API keeps it (ledger check 6). */
        struct store_val u[] = {SV_INT(INV), SV_INT(x->product), SV_TEXT(x->trade_date),
                                SV_INT(x->amount_fen)};
        if (rc == STORE_OK && sub)
            rc = store_exec(c,
                            "INSERT INTO order_daily_usage (investor_id, product_id, trade_date, "
                            "amount_fen) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                            "amount_fen = amount_fen + excluded.amount_fen",
                            u, 4, NULL, err);
    }
    return rc;
}

static int64_t place(int64_t product, int64_t amount_fen, int64_t shares_h, const char *t,
                     int count)
{
    struct place x = {product, amount_fen, shares_h, t, count, 0};
    write_ok(place_write, &x);
    return x.id;
}

static int64_t subscribe(int64_t product, int64_t amount_fen, const char *trade_date)
{
    return place(product, amount_fen, 0, trade_date, 1);
}

static int64_t redeem(int64_t product, int64_t shares_h, const char *trade_date)
{
    return place(product, 0, shares_h, trade_date, 1);
}

/* The investor cancels before the cutoff (api/orders.c cancel_write). */
static void cancel(int64_t id, int64_t amount_fen)
{
    struct store_val u[] = {SV_INT(evening(T1) - 9 * 3600 * 1000), SV_INT(id)};
    struct posting w = {.sql = "UPDATE orders SET status = 'cancelled', cancelled_ms = ? WHERE "
                               "id = ? AND status = 'accepted'",
                        .p = u,
                        .n = 2};
    assert_int_equal(ledger_sub_release(&w.t, INV, id, amount_fen), LEDGER_OK);
    write_ok(posting_write, &w);
    assert_int_equal(w.changes, 1);
    assert_int_equal(SQL("UPDATE order_daily_usage SET amount_fen = amount_fen - ? WHERE "
                         "investor_id = ? AND trade_date = (SELECT trade_date FROM orders WHERE "
                         "id = ?)",
                         SV_INT(amount_fen), SV_INT(INV), SV_INT(id)),
                     1);
}

static void put_nav(int64_t product, const char *date, int64_t nav_e4, bool confirmed)
{
    assert_int_equal(SQL("INSERT INTO navs (product_id, nav_date, nav_e4, acc_nav_e4, confirmed, "
                         "published_ms) VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (product_id, "
                         "nav_date) DO UPDATE SET confirmed = excluded.confirmed",
                         SV_INT(product), SV_TEXT(date), SV_INT(nav_e4), SV_INT(nav_e4),
                         SV_INT(confirmed ? 1 : 0)),
                     1);
}

/* Progress calls seen: how many, and the last (done, total). */
struct progress {
    int calls;
    int64_t done, total;
};

static void on_progress(void *ctx, int64_t done, int64_t total)
{
    struct progress *p = ctx;
    p->calls++;
    p->done = done;
    p->total = total;
}

/* Runs job_confirm (or job_settle) for date d at now_ms; the report starts as garbage, so a
 * field the job forgets to set shows. */
static struct job_report run_job(bool settling, const char *d, int64_t now_ms, struct progress *pr)
{
    struct job_report rep;
    memset(&rep, 0x5a, sizeof(rep));
    struct store_err err = {0};
    job_progress_fn fn = pr ? on_progress : NULL;
    enum store_rc rc = settling ? job_settle(ev.s, day(d), now_ms, fn, pr, &rep, &err)
                                : job_confirm(ev.s, day(d), now_ms, fn, pr, &rep, &err);
    if (rc != STORE_OK)
        print_message("job %s %s: %s\n", settling ? "settle" : "confirm", d, err.msg);
    assert_int_equal(rc, STORE_OK);
    return rep;
}

static struct job_report confirm(const char *t)
{
    return run_job(false, t, evening(t), NULL);
}

static struct job_report settle(const char *d)
{
    return run_job(true, d, evening(d), NULL);
}

static void assert_report(const struct job_report *r, int64_t processed, int64_t failed,
                          int64_t waiting, int64_t chunks)
{
    if (r->processed != processed || r->failed != failed || r->waiting != waiting ||
        r->chunks != chunks)
        print_message("report (processed, failed, waiting, chunks): have %lld %lld %lld %lld\n",
                      (long long)r->processed, (long long)r->failed, (long long)r->waiting,
                      (long long)r->chunks);
    assert_int_equal(r->processed, processed);
    assert_int_equal(r->failed, failed);
    assert_int_equal(r->waiting, waiting);
    assert_int_equal(r->chunks, chunks);
}

/* ---- looking: balances, rows, reconciliation ---- */

static struct store_conn *reader(void)
{
    struct store_err err = {0};
    struct store_conn *c = store_reader(ev.s, &err);
    assert_non_null(c);
    return c;
}

static int64_t balance(const char *asset, enum ledger_kind kind, int64_t owner)
{
    struct store_err err = {0};
    int64_t v = -1;
    assert_int_equal(ledger_balance(reader(), asset, kind, owner, &v, &err), STORE_OK);
    return v;
}

/* The integer a query returns. */
static int64_t q_int(const char *sql, const struct store_val *p, size_t n)
{
    struct store_err err = {0};
    int64_t v = -1;
    enum store_rc rc = store_query_int(reader(), sql, p, n, &v, &err);
    if (rc != STORE_OK)
        print_message("%s: %s\n", sql, err.msg);
    assert_int_equal(rc, STORE_OK);
    return v;
}

#define Q(sql, ...)                                     \
    q_int(sql, (const struct store_val[]){__VA_ARGS__}, \
          sizeof((struct store_val[]){__VA_ARGS__}) / sizeof(struct store_val))

/* Reconciliation finds exactly `want` differences; its report is shown when it does not. */
static void assert_check(int64_t want)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    struct store_err err = {0};
    int64_t found = -1;
    enum store_rc rc = ledger_check_run(ev.s, out, &found, &err);
    fclose(out);
    if (rc != STORE_OK || found != want)
        print_message("ledger check (%s):\n%s", err.msg, text);
    free(text);
    assert_int_equal(rc, STORE_OK);
    assert_int_equal(found, want);
}

#define NONE INT64_C(-1) /* an SQL NULL, where a figure is not written */

static int take_text(void *ctx, const struct store_row *row)
{
    snprintf(ctx, 96, "%s", store_row_is_null(row, 0) ? "NULL" : store_row_text(row, 0, NULL));
    return 1;
}

/* The text a query with one id parameter returns ("NULL", "absent" for no row), in a buffer
 * that the next call reuses. */
static const char *q_text(const char *sql, int64_t id)
{
    static char text[96];
    snprintf(text, sizeof(text), "absent");
    struct store_err err = {0};
    struct store_val p[] = {SV_INT(id)};
    assert_int_equal(store_query(reader(), sql, p, 1, take_text, text, &err), STORE_OK);
    return text;
}

/* A column of order `id`: as text, and as an integer (NONE for NULL). */
static const char *order_text(int64_t id, const char *column)
{
    char sql[96];
    snprintf(sql, sizeof(sql), "SELECT %s FROM orders WHERE id = ?", column);
    return q_text(sql, id);
}

static int64_t order_int(int64_t id, const char *column)
{
    char sql[96];
    snprintf(sql, sizeof(sql), "SELECT COALESCE(%s, -1) FROM orders WHERE id = ?", column);
    return Q(sql, SV_INT(id));
}

/* The order's status and the figures confirmation wrote on it. */
static void assert_priced(int64_t id, const char *status, int64_t nav_e4, int64_t gross_fen,
                          int64_t fee_fen, int64_t net_fen, int64_t shares_h)
{
    assert_string_equal(order_text(id, "status"), status);
    assert_int_equal(order_int(id, "nav_e4"), nav_e4);
    assert_int_equal(order_int(id, "gross_fen"), gross_fen);
    assert_int_equal(order_int(id, "fee_fen"), fee_fen);
    assert_int_equal(order_int(id, "net_fen"), net_fen);
    assert_int_equal(order_int(id, "confirmed_shares_h"), shares_h);
}

/* The lot an order's confirmation made is dated `date` and now holds shares_h and cost_fen. */
static void assert_lot(int64_t order, const char *date, int64_t shares_h, int64_t cost_fen)
{
    assert_string_equal(q_text("SELECT confirmed_date FROM share_lots WHERE order_id = ?", order),
                        date);
    assert_int_equal(Q("SELECT shares_h FROM share_lots WHERE order_id = ? AND investor_id = ?",
                       SV_INT(order), SV_INT(INV)),
                     shares_h);
    assert_int_equal(Q("SELECT cost_fen FROM share_lots WHERE order_id = ?", SV_INT(order)),
                     cost_fen);
}

/* Lots of a product. */
static int64_t lots(int64_t product)
{
    return Q("SELECT count(*) FROM share_lots WHERE product_id = ?", SV_INT(product));
}

/* Ledger entries an order caused with `event`. */
static int64_t entries(int64_t order, const char *event)
{
    return Q("SELECT count(*) FROM ledger_entries WHERE order_id = ? AND event = ?", SV_INT(order),
             SV_TEXT(event));
}

/* ---- 1. a subscription: the prospectus example ---- */

/*
 * 5000.00 CNY at 1.2%, discount_ppm 10^6 (full list rate), NAV(T) 1.1280, half-up:
 *     net    = 500000 × 10^6 / 1012000 = 494071.1… → 494071 fen (4940.71)
 *     fee    = 500000 − 494071 = 5929 fen (59.29)
 *     shares = 494071 × 10^4 / 11280 = 438006.2… → 438006 hundredths (4380.06)
 */
#define NAV1    11280
#define AMOUNT1 500000
#define NET1    494071
#define FEE1    5929
#define SHARES1 438006

static void assert_confirmed_sub(int64_t id, int64_t confirmed_ms)
{
    assert_priced(id, "confirmed", NAV1, NONE, FEE1, NET1, SHARES1);
    assert_string_equal(order_text(id, "cash_date"), "NULL");
    assert_string_equal(order_text(id, "fail_reason"), "NULL");
    assert_int_equal(order_int(id, "confirmed_ms"), confirmed_ms);
    assert_int_equal(lots(PROD), 1);
    assert_lot(id, T1_NEXT, SHARES1, AMOUNT1);
}

static void assert_sub_postings(int64_t id)
{
    assert_int_equal(balance(CASH, LK_AVAILABLE, INV), 1000000 - AMOUNT1);
    assert_int_equal(balance(CASH, LK_HELD, INV), 0);
    assert_int_equal(balance(CASH, LK_SETTLEMENT, INST), NET1);
    assert_int_equal(balance(CASH, LK_PLATFORM_FEES, 0), FEE1);
    assert_int_equal(balance(CASH, LK_BANK, 0), -1000000);
    assert_int_equal(balance(SHARE, LK_AVAILABLE, INV), SHARES1);
    assert_int_equal(balance(SHARE, LK_FUND_ISSUANCE, PROD), -SHARES1);
    assert_int_equal(entries(id, "subscribe.hold"), 1);
    assert_int_equal(entries(id, "subscribe.confirm"), 3);
}

/* The prospectus example, confirmed: 10000.00 topped up, 5000.00 subscribed on T1. */
static int64_t confirmed_lot1(void)
{
    topup(1000000);
    int64_t id = subscribe(PROD, AMOUNT1, T1);
    put_nav(PROD, T1, NAV1, true);
    struct job_report r = confirm(T1);
    assert_report(&r, 1, 0, 0, 1);
    return id;
}

#endif
