/*
 * test_jobs.c - unit tests of the trading-day batches (jobs/confirm.c, jobs/settle.c) and of the
 * ledger reconciliation (jobs/ledger_check.c), on a real store: a fresh database file per test,
 * migrated, with one institution, two equity products and one investor.
 *
 * Orders are placed the way api/orders.c does it (an 'accepted' row and its hold posted in one
 * write), NAVs are inserted confirmed, and the calendar is the one migration 0002 ships
 * (2026-03-02 is a Monday and a trading day). Every figure asserted is worked out in the comment
 * above it from the fee rules of core/fee.h, so a change in rounding or in FIFO order fails here.
 */
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

static void test_confirm_subscription(void **state)
{
    (void)state;
    topup(1000000);
    int64_t id = subscribe(PROD, AMOUNT1, T1);
    put_nav(PROD, T1, NAV1, true);
    assert_check(0);
    assert_int_equal(balance(CASH, LK_HELD, INV), AMOUNT1);

    struct progress pr = {0};
    struct job_report r = run_job(false, T1, evening(T1), &pr);
    assert_report(&r, 1, 0, 0, 1);
    assert_int_equal(pr.calls, 1);
    assert_int_equal(pr.done, 1);
    assert_int_equal(pr.total, 1);
    assert_confirmed_sub(id, evening(T1));
    assert_sub_postings(id);
    assert_check(0);

    /* Again, later: nothing left to confirm, nothing changes. */
    r = run_job(false, T1, evening(T1) + 3600 * 1000, NULL);
    assert_report(&r, 0, 0, 0, 0);
    assert_confirmed_sub(id, evening(T1));
    assert_sub_postings(id);
    /* Nor does the next day's batch touch an order of T1. */
    r = confirm(T1_NEXT);
    assert_report(&r, 0, 0, 0, 0);
    assert_confirmed_sub(id, evening(T1));
    assert_check(0);
}

/* ---- 2. an order whose NAV is not published stays accepted ---- */

static void test_waiting_for_nav(void **state)
{
    (void)state;
    topup(1000000);
    int64_t a = subscribe(PROD, AMOUNT1, T1);
    int64_t b = subscribe(PROD2, 200000, T1);
    put_nav(PROD, T1, NAV1, true);
    /* Published but not confirmed by a second person: not a NAV to trade at. */
    put_nav(PROD2, T1, 10000, false);

    struct job_report r = confirm(T1);
    assert_report(&r, 1, 0, 1, 1);
    assert_confirmed_sub(a, evening(T1));
    assert_priced(b, "accepted", NONE, NONE, NONE, NONE, NONE);
    assert_int_equal(order_int(b, "confirmed_ms"), NONE);
    assert_int_equal(lots(PROD2), 0);
    assert_int_equal(balance(CASH, LK_HELD, INV), 200000);
    assert_check(0);

    /* Once confirmed at 1.0000: net = 200000 × 10^6 / 1012000 = 197628.4… → 197628, fee 2372,
     * shares = 197628 × 10^4 / 10000 = 197628. */
    put_nav(PROD2, T1, 10000, true);
    r = confirm(T1);
    assert_report(&r, 1, 0, 0, 1);
    assert_priced(b, "confirmed", 10000, NONE, 2372, 197628, 197628);
    assert_int_equal(balance(CASH, LK_HELD, INV), 0);
    assert_int_equal(balance(CASH, LK_PLATFORM_FEES, 0), FEE1 + 2372);
    assert_int_equal(balance("P:22", LK_AVAILABLE, INV), 197628);
    assert_check(0);
}

/* ---- 3. a cancelled order is not confirmed ---- */

static void test_cancelled_not_confirmed(void **state)
{
    (void)state;
    topup(1000000);
    int64_t kept = subscribe(PROD, AMOUNT1, T1);
    int64_t gone = subscribe(PROD, 300000, T1);
    assert_int_equal(balance(CASH, LK_HELD, INV), AMOUNT1 + 300000);
    cancel(gone, 300000);
    assert_int_equal(balance(CASH, LK_HELD, INV), AMOUNT1);
    put_nav(PROD, T1, NAV1, true);
    assert_check(0);

    struct job_report r = confirm(T1);
    assert_report(&r, 1, 0, 0, 1);
    assert_confirmed_sub(kept, evening(T1));
    assert_priced(gone, "cancelled", NONE, NONE, NONE, NONE, NONE);
    assert_int_equal(order_int(gone, "confirmed_ms"), NONE);
    assert_int_equal(entries(gone, "subscribe.release"), 1);
    assert_int_equal(entries(gone, "subscribe.confirm"), 0);
    assert_sub_postings(kept); /* the cancelled 3000.00 is back in available */
    assert_check(0);
}

/* ---- 4. a redemption across two lots, then its cash on T+n ---- */

/*
 * Lot 1: the prospectus example above, T 2026-03-02, confirmed 2026-03-03: 438006 shares.
 * Lot 2: 3000.00 on T 2026-03-09 at NAV 1.2000: net = 300000 × 10^6 / 1012000 = 296442.6… →
 * 296443, fee 3557, shares = 296443 × 10^4 / 12000 = 247035.8… → 247036; confirmed 2026-03-10.
 */
#define T_LOT2    "2026-03-09"
#define NET2      296443
#define FEE2      3557
#define SHARES2   247036
#define T2        "2026-03-12"
#define NAV_T2    12500
#define RED_H     500000
#define CASH_DATE "2026-03-16" /* T2 (Thursday) + 2 trading days: Friday 13, Monday 16 */

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

/* Two subscriptions confirmed on different dates; returns their order ids. */
static void two_lots(int64_t ids[2])
{
    ids[0] = confirmed_lot1();
    ids[1] = subscribe(PROD, 300000, T_LOT2);
    put_nav(PROD, T_LOT2, 12000, true);
    struct job_report r = confirm(T_LOT2);
    assert_report(&r, 1, 0, 0, 1);
    assert_priced(ids[1], "confirmed", 12000, NONE, FEE2, NET2, SHARES2);
    assert_int_equal(lots(PROD), 2);
    assert_lot(ids[0], T1_NEXT, SHARES1, AMOUNT1);
    assert_lot(ids[1], "2026-03-10", SHARES2, 300000);
    assert_int_equal(balance(SHARE, LK_AVAILABLE, INV), SHARES1 + SHARES2);
    assert_check(0);
}

/*
 * 5000.00 shares at NAV(T2) 1.2500, oldest lot first:
 *   lot 1, all 438006, held 2026-03-03 → 03-12 = 9 days, 0.5%:
 *     gross = 438006 × 12500 / 10^4 = 547507.5 → 547508; fee = 547508 × 0.5% = 2737.54 → 2738
 *   lot 2, the other 500000 − 438006 = 61994, held 03-10 → 03-12 = 2 days, 1.5%:
 *     gross = 61994 × 12500 / 10^4 = 77492.5 → 77493; fee = 77493 × 1.5% = 1162.395 → 1162
 *   gross 625001, fee 3900, net 621101.
 * Lot 2 keeps 247036 − 61994 = 185042 shares and 300000 − ⌊300000 × 61994 / 247036⌋ =
 * 300000 − 75285 = 224715 fen of cost; lot 1 is empty and keeps no cost.
 */
#define GROSS 625001
#define RFEE  3900
#define RNET  621101
#define LEFT2 185042
#define COST2 224715

static void assert_redemption_confirmed(int64_t red, const int64_t ids[2])
{
    assert_priced(red, "confirmed", NAV_T2, GROSS, RFEE, RNET, RED_H);
    assert_string_equal(order_text(red, "cash_date"), CASH_DATE);
    assert_int_equal(order_int(red, "confirmed_ms"), evening(T2));
    assert_int_equal(order_int(red, "cash_paid_ms"), NONE);
    assert_int_equal(lots(PROD), 2);
    assert_lot(ids[0], T1_NEXT, 0, 0);
    assert_lot(ids[1], "2026-03-10", LEFT2, COST2);

    assert_int_equal(balance(SHARE, LK_HELD, INV), 0);
    assert_int_equal(balance(SHARE, LK_AVAILABLE, INV), LEFT2);
    assert_int_equal(balance(SHARE, LK_FUND_ISSUANCE, PROD), -LEFT2);
    assert_int_equal(balance(CASH, LK_IN_TRANSIT, INV), RNET);
    assert_int_equal(balance(CASH, LK_FUND_ASSETS, PROD), RFEE);
    assert_int_equal(balance(CASH, LK_SETTLEMENT, INST), NET1 + NET2 - RNET - RFEE);
    assert_int_equal(balance(CASH, LK_PLATFORM_FEES, 0), FEE1 + FEE2);
    assert_int_equal(balance(CASH, LK_AVAILABLE, INV), 1000000 - AMOUNT1 - 300000);
    assert_int_equal(entries(red, "redeem.confirm"), 3);
}

static void test_redemption_fifo_and_settle(void **state)
{
    (void)state;
    int64_t ids[2];
    two_lots(ids);
    int64_t red = redeem(PROD, RED_H, T2);
    assert_int_equal(balance(SHARE, LK_HELD, INV), RED_H);
    assert_check(0);
    put_nav(PROD, T2, NAV_T2, true);
    struct job_report r = confirm(T2);
    assert_report(&r, 1, 0, 0, 1);
    assert_redemption_confirmed(red, ids);
    assert_check(0);

    /* The day before the cash date pays nothing. */
    r = settle("2026-03-15");
    assert_report(&r, 0, 0, 0, 0);
    assert_int_equal(balance(CASH, LK_IN_TRANSIT, INV), RNET);
    assert_int_equal(order_int(red, "cash_paid_ms"), NONE);
    assert_check(0);

    r = settle(CASH_DATE);
    assert_report(&r, 1, 0, 0, 1);
    assert_int_equal(balance(CASH, LK_IN_TRANSIT, INV), 0);
    assert_int_equal(balance(CASH, LK_AVAILABLE, INV), 1000000 - AMOUNT1 - 300000 + RNET);
    assert_int_equal(order_int(red, "cash_paid_ms"), evening(CASH_DATE));
    assert_int_equal(entries(red, "redeem.pay"), 1);
    assert_check(0);

    /* Paid once: the same day again, or any later day, pays nothing more. */
    r = settle(CASH_DATE);
    assert_report(&r, 0, 0, 0, 0);
    r = settle("2026-03-20");
    assert_report(&r, 0, 0, 0, 0);
    assert_int_equal(balance(CASH, LK_AVAILABLE, INV), 1000000 - AMOUNT1 - 300000 + RNET);
    assert_int_equal(order_int(red, "cash_paid_ms"), evening(CASH_DATE));
    assert_int_equal(entries(red, "redeem.pay"), 1);
    /* And the redemption is not confirmed twice. */
    r = confirm(T2);
    assert_report(&r, 0, 0, 0, 0);
    assert_int_equal(entries(red, "redeem.confirm"), 3);
    assert_check(0);
}

/* ---- 5. a redemption whose cash date crosses a holiday ---- */

/*
 * All of lot 1 (438006) redeemed on Thursday 2026-04-02 at NAV 1.1000, held 2026-03-03 → 04-02 =
 * 30 days, 0.5%: gross = 438006 × 11000 / 10^4 = 481806.6 → 481807, fee = 2409.035 → 2409,
 * net 479398. T+2 trading days: Friday 04-03, then (Qingming, 04-04 to 04-06) Tuesday 04-07.
 */
static void test_cash_date_skips_holiday(void **state)
{
    (void)state;
    int64_t sub = confirmed_lot1();
    int64_t red = redeem(PROD, SHARES1, "2026-04-02");
    put_nav(PROD, "2026-04-02", 11000, true);
    struct job_report r = confirm("2026-04-02");
    assert_report(&r, 1, 0, 0, 1);
    assert_priced(red, "confirmed", 11000, 481807, 2409, 479398, SHARES1);
    assert_string_equal(order_text(red, "cash_date"), "2026-04-07");
    assert_int_equal(lots(PROD), 1);
    assert_lot(sub, T1_NEXT, 0, 0);
    assert_int_equal(balance(SHARE, LK_AVAILABLE, INV), 0);
    assert_check(0);

    r = settle("2026-04-06");
    assert_report(&r, 0, 0, 0, 0);
    r = settle("2026-04-07");
    assert_report(&r, 1, 0, 0, 1);
    assert_int_equal(balance(CASH, LK_AVAILABLE, INV), 1000000 - AMOUNT1 + 479398);
    assert_check(0);
}

/* ---- 6. a subscription the fee rules cannot price fails and is released ---- */

static void test_failed_subscription_released(void **state)
{
    (void)state;
    /* A 500.00 order for a product charging 1000.00 per order whatever the amount: it would
     * invest nothing (FEE_E_FEE_EXCEEDS_AMOUNT). Beside it, the prospectus example. */
    assert_int_equal(SQL("UPDATE products SET sub_fees = ? WHERE id = ?",
                         SV_TEXT("[{\"min_amount\": \"0.00\", \"max_amount\": null, "
                                 "\"fixed\": \"1000.00\"}]"),
                         SV_INT(PROD2)),
                     1);
    topup(100000 + AMOUNT1);
    int64_t id = subscribe(PROD2, 50000, T1);
    put_nav(PROD2, T1, 10000, true);
    int64_t ok = subscribe(PROD, AMOUNT1, T1);
    put_nav(PROD, T1, NAV1, true);
    struct progress pr = {0};
    struct job_report r = run_job(false, T1, evening(T1), &pr);
    assert_int_equal(r.failed, 1);
    assert_int_equal(r.waiting, 0);
    assert_int_equal(r.chunks, 1);
    assert_priced(id, "failed", NONE, NONE, NONE, NONE, NONE);
    assert_string_equal(order_text(id, "fail_reason"), fee_rc_str(FEE_E_FEE_EXCEEDS_AMOUNT));
    assert_int_equal(order_int(id, "confirmed_ms"), evening(T1));
    assert_confirmed_sub(ok, evening(T1));
    assert_int_equal(balance(CASH, LK_HELD, INV), 0);
    assert_int_equal(balance(CASH, LK_AVAILABLE, INV), 100000);
    assert_int_equal(entries(id, "subscribe.release"), 1);
    assert_int_equal(lots(PROD2), 0);
    /* A failed subscription no longer counts towards the day's limit (check 6 sees it). */
    assert_int_equal(SQL("UPDATE order_daily_usage SET amount_fen = 0 WHERE product_id = ? AND "
                         "trade_date = ? AND amount_fen = 0",
                         SV_INT(PROD2), SV_TEXT(T1)),
                     1);
    assert_check(0);

    /* Failed is final: a second run neither fails it again nor releases twice. */
    struct job_report again = confirm(T1);
    assert_report(&again, 0, 0, 0, 0);
    assert_int_equal(entries(id, "subscribe.release"), 1);
    assert_int_equal(balance(CASH, LK_AVAILABLE, INV), 100000);

    /* jobs.h: `processed` counts the orders "confirmed, failed or paid"; progress reports
     * processed + waiting against the orders accepted for T. */
    assert_int_equal(pr.total, 2);
    assert_int_equal(pr.done, 2);
    assert_int_equal(r.processed, 2);
}

/* ---- 7. reconciliation sees a balance changed behind the ledger's back ---- */

static void test_check_detects_tampering(void **state)
{
    (void)state;
    confirmed_lot1();
    assert_check(0);
    /* One fen more in the investor's available cash, with no entry: CNY no longer sums to zero,
     * and that account's balance no longer equals its entries. Nothing else disagrees. */
    const char *add = "UPDATE ledger_accounts SET balance = balance + ? WHERE asset = 'CNY' AND "
                      "kind = 'available' AND owner_id = ?";
    assert_int_equal(SQL(add, SV_INT(1), SV_INT(INV)), 1);
    assert_check(2);
    /* Put back, the ledger agrees with itself again. */
    assert_int_equal(SQL(add, SV_INT(-1), SV_INT(INV)), 1);
    assert_check(0);
    /* A lot that lost shares disagrees with the shares the ledger holds for the investor. */
    const char *lot = "UPDATE share_lots SET shares_h = shares_h + ? WHERE investor_id = ?";
    assert_int_equal(SQL(lot, SV_INT(-1), SV_INT(INV)), 1);
    assert_check(1);
    assert_int_equal(SQL(lot, SV_INT(1), SV_INT(INV)), 1);
    assert_check(0);

    /* A holding with no lot at all: check 5 of ledger_check.c ("the FIFO lots of an investor and
     * product hold exactly their available + held shares") must see it too. */
    assert_int_equal(SQL("DELETE FROM share_lots WHERE investor_id = ?", SV_INT(INV)), 1);
    assert_int_equal(balance(SHARE, LK_AVAILABLE, INV), SHARES1);
    assert_check(1);
}

/* Check 6: a daily-limit counter that drifted from the orders it counts. */
static void test_check_detects_daily_drift(void **state)
{
    (void)state;
    confirmed_lot1();
    assert_check(0);
    const char *add = "UPDATE order_daily_usage SET amount_fen = amount_fen + ? WHERE "
                      "investor_id = ?";
    assert_int_equal(SQL(add, SV_INT(1), SV_INT(INV)), 1);
    assert_check(1);
    assert_int_equal(SQL(add, SV_INT(-1), SV_INT(INV)), 1);
    assert_check(0);
    assert_int_equal(SQL("DELETE FROM order_daily_usage WHERE investor_id = ?", SV_INT(INV)), 1);
    assert_check(1);
}

/* Check 7: statements read an investor's cash movements by cash_account; an entry that moves
 * available cash without naming it (or names it without moving it) would make a statement
 * wrong, and the check must say so. */
static void test_check_detects_unnamed_cash(void **state)
{
    (void)state;
    confirmed_lot1();
    assert_check(0);
    /* The top-up, the hold and the confirmation are there; only the first two move the
     * investor's available cash. */
    assert_int_equal(Q("SELECT COUNT(*) FROM ledger_entries WHERE cash_account IS NOT NULL"), 2);
    assert_true(Q("SELECT COUNT(*) FROM ledger_entries WHERE cash_account IS NULL") > 0);
    const char *topup_sql = "UPDATE ledger_entries SET cash_account = ? WHERE event = 'topup'";
    int64_t account = Q("SELECT cash_account FROM ledger_entries WHERE event = 'topup'");
    assert_int_equal(SQL(topup_sql, SV_NULL_), 1);
    assert_check(1);
    assert_int_equal(SQL(topup_sql, SV_INT(account)), 1);
    assert_check(0);
    const char *confirm_sql = "UPDATE ledger_entries SET cash_account = ? WHERE event = "
                              "'subscribe.confirm' AND cash_account IS NULL";
    assert_true(SQL(confirm_sql, SV_INT(account)) >= 1);
    assert_true(Q("SELECT COUNT(*) FROM ledger_entries WHERE cash_account IS NOT NULL") > 2);
    assert_check(Q("SELECT COUNT(*) FROM ledger_entries WHERE event = 'subscribe.confirm'"));
}

/* ---- 8. more orders than one chunk ---- */

/*
 * 1200 orders of 100.00 at 1.2% and NAV 1.1280: net = 10000 × 10^6 / 1012000 = 9881.4… → 9881,
 * fee 119, shares = 9881 × 10^4 / 11280 = 8759.75 → 8760. 1200 = 512 + 512 + 176: three chunks.
 */
#define MANY 1200

static void test_many_orders_in_chunks(void **state)
{
    (void)state;
    topup(MANY * 10000);
    place(PROD, 10000, 0, T1, MANY);
    put_nav(PROD, T1, NAV1, true);
    assert_int_equal(balance(CASH, LK_HELD, INV), MANY * 10000);

    struct progress pr = {0};
    struct job_report r = run_job(false, T1, evening(T1), &pr);
    assert_true(MANY > 2 * job_chunk() && MANY <= 3 * job_chunk());
    assert_report(&r, MANY, 0, 0, 3);
    assert_int_equal(pr.calls, 3);
    assert_int_equal(pr.done, MANY);
    assert_int_equal(pr.total, MANY);

    const char *sql = "SELECT count(*) FROM orders WHERE investor_id = ? AND status = 'confirmed' "
                      "AND net_fen = 9881 AND fee_fen = 119 AND confirmed_shares_h = 8760";
    assert_int_equal(Q(sql, SV_INT(INV)), MANY);
    assert_int_equal(Q("SELECT count(*) FROM share_lots WHERE investor_id = ? AND "
                       "confirmed_date = ? AND shares_h = 8760",
                       SV_INT(INV), SV_TEXT(T1_NEXT)),
                     MANY);
    assert_int_equal(balance(CASH, LK_HELD, INV), 0);
    assert_int_equal(balance(CASH, LK_AVAILABLE, INV), 0);
    assert_int_equal(balance(CASH, LK_SETTLEMENT, INST), MANY * 9881);
    assert_int_equal(balance(CASH, LK_PLATFORM_FEES, 0), MANY * 119);
    assert_int_equal(balance(SHARE, LK_AVAILABLE, INV), MANY * 8760);
    assert_check(0);

    r = confirm(T1);
    assert_report(&r, 0, 0, 0, 0);
    assert_int_equal(Q("SELECT count(*) FROM share_lots WHERE investor_id = ?", SV_INT(INV)), MANY);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, env_setup, env_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_confirm_subscription),       T(test_waiting_for_nav),
        T(test_cancelled_not_confirmed),    T(test_redemption_fifo_and_settle),
        T(test_cash_date_skips_holiday),    T(test_failed_subscription_released),
        T(test_check_detects_daily_drift),  T(test_check_detects_tampering),
        T(test_check_detects_unnamed_cash), T(test_many_orders_in_chunks),
    };
    return cmocka_run_group_tests_name("jobs", tests, group_setup, NULL);
}
