/*
 * seed_trades.c: a year of trading by one demonstration investor, for `caifuhao seed-demo`.
 *
 * So that a fresh `make run` shows holdings with gains, an order history, a statement and the
 * institutions' trade-date reports, the first demo investor verifies their identity (made-up
 * details, sealed like any others), answers the questionnaire (C4), tops up and subscribes to
 * four products of the demo fund companies on six trade dates over the past year, and each of
 * those dates is confirmed by the batch at its NAV. Two months before the last date the
 * investor redeems half of the oldest lot (FIFO, with its holding-period fee), and the cash
 * arrives on T+n by the settlement batch. Six months back the investor also puts 50,000.00 in
 * a money-market fund, whose income the daily batch credits as shares every calendar day up to
 * yesterday. Everything goes through the same functions as the API and the batches (profile,
 * assessment, ledger postings, order placement, job_confirm, job_settle, job_mmf_income), so
 * the demo's ledger reconciles like a real one.
 */
#include "cli/seed.h"

#include "api/investor.h"
#include "api/ledger_store.h"
#include "api/orders.h"
#include "api/questionnaires.h"
#include "base/check.h"
#include "base/crypto.h"
#include "core/ledger.h"
#include "jobs/jobs.h"

#include <stdio.h>
#include <string.h>

#define DEMO_INVESTOR  "13800000001"
#define DEMO_PRODUCTS  4
#define DEMO_DATES     6
#define DEMO_TOPUP_FEN INT64_C(50000000) /* 500,000.00 CNY */
#define DEMO_REDEEM    4                 /* the date (index) of the redemption */
#define DEMO_MMF       2                 /* the date (index) of the money-market subscription */
#define DEMO_MMF_FEN   INT64_C(5000000)  /* 50,000.00 CNY */

/* Trading days before the last one, oldest first: about 10, 8, 6, 4, 2 and 1 months ago. */
static const int days_back[DEMO_DATES] = {220, 170, 125, 85, 42, 21};
/* C4 on the default questionnaire: may buy up to R4 without a warning. */
static const int answers_c4[] = {4, 4, 4, 1, 1, 1, 1, 1, 1, 1};

struct demo_trades {
    const struct keyring *ring;
    const struct calendar *cal;
    int64_t now_ms, investor;
    int64_t product[DEMO_PRODUCTS], inst[DEMO_PRODUCTS], limit[DEMO_PRODUCTS];
    char type[DEMO_PRODUCTS][24];
    size_t products;
    int64_t mmf, mmf_inst, mmf_limit; /* the money-market fund (0: none in the demo) */
    struct civil_date date[DEMO_DATES];
};

/* In code order, a product of a company and a type not chosen yet, until DEMO_PRODUCTS are. */
static int take_product(void *ctx, const struct store_row *row)
{
    struct demo_trades *x = ctx;
    int64_t inst = store_row_int(row, 1);
    const char *type = store_row_text(row, 3, NULL);
    for (size_t i = 0; i < x->products; i++)
        if (x->inst[i] == inst || strcmp(x->type[i], type) == 0)
            return 0;
    snprintf(x->type[x->products], sizeof(x->type[0]), "%s", type);
    x->product[x->products] = store_row_int(row, 0);
    x->inst[x->products] = inst;
    x->limit[x->products] = store_row_int(row, 2);
    return ++x->products == DEMO_PRODUCTS;
}

/* Verified identity, a C4 assessment and cash, dated the day before the first trade. */
static enum store_rc ready_investor(struct store_conn *c, struct demo_trades *x, int64_t at_ms,
                                    struct store_err *err)
{
    static const char name[] = "王晓明", id[] = "11010519491231002X",
                      card[] = "6222021234567890128";
    struct api_profile p = {.investor = x->investor};
    const char *field = NULL;
    char msg[160];
    if (!api_profile_seal(x->ring, at_ms, name, strlen(name), id, strlen(id), card, strlen(card),
                          &p, &field, msg, sizeof(msg)))
        return store_fail(err, STORE_ERROR, "demo profile: %s", msg);
    enum store_rc rc = api_profile_store(c, &p, err);
    struct quest_def d;
    if (rc == STORE_OK)
        rc = quest_def_current(c, &d, err);
    if (rc != STORE_OK)
        return rc;
    struct quest_result res;
    struct quest_error qe;
    bool scored = quest_score(&d.q, answers_c4, ARRAY_LEN(answers_c4), &res, &qe) == QUEST_OK;
    int64_t version = d.version;
    quest_def_release(&d);
    if (!scored)
        return store_fail(err, STORE_ERROR, "demo assessment: %s", qe.msg);
    rc = api_assessment_store(c, crypto_random_id(), x->investor, version, "[4,4,4,1,1,1,1,1,1,1]",
                              &res, at_ms, err);
    struct ledger_txn t;
    ASSERT(ledger_topup(&t, x->investor, DEMO_TOPUP_FEN) == LEDGER_OK);
    return rc == STORE_OK ? ledger_apply(c, &t, at_ms, err) : rc;
}

/* On each date, two of the products in turn, at 10:00 (UTC+8), amounts from 8,000.00 up. */
static enum store_rc place_orders(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct demo_trades *x = ctx;
    enum store_rc rc =
        ready_investor(c, x, civil_ms_of_cst(civil_date_add_days(x->date[0], -1), 10, 0, 0), err);
    for (int k = 0; k < DEMO_DATES && rc == STORE_OK; k++) {
        for (int j = 0; j < 2 && rc == STORE_OK; j++) {
            size_t i = (size_t)(k + j) % x->products;
            char client_id[32], day[CIVIL_DATE_CAP];
            snprintf(client_id, sizeof(client_id), "demo-%d-%d", k, j);
            civil_date_format(x->date[k], day, sizeof(day));
            int64_t amount = INT64_C(800000) + (int64_t)(k * 2 + j) * INT64_C(123456);
            struct order_subscription o = {.investor = x->investor,
                                           .product = x->product[i],
                                           .institution = x->inst[i],
                                           .amount_fen = amount,
                                           .daily_limit_fen = x->limit[i],
                                           .now_ms = civil_ms_of_cst(x->date[k], 10, 0, 0),
                                           .client_id = client_id,
                                           .trade_date = day};
            int64_t id = 0;
            bool existing = false;
            rc = api_order_place_subscription(c, &o, &id, &existing, err);
        }
    }
    char day[CIVIL_DATE_CAP];
    civil_date_format(x->date[DEMO_MMF], day, sizeof(day));
    struct order_subscription m = {.investor = x->investor,
                                   .product = x->mmf,
                                   .institution = x->mmf_inst,
                                   .amount_fen = DEMO_MMF_FEN,
                                   .daily_limit_fen = x->mmf_limit,
                                   .now_ms = civil_ms_of_cst(x->date[DEMO_MMF], 10, 15, 0),
                                   .client_id = "demo-mmf-1",
                                   .trade_date = day};
    int64_t id = 0;
    bool existing = false;
    return rc == STORE_OK && x->mmf != 0 ? api_order_place_subscription(c, &m, &id, &existing, err)
                                         : rc;
}

static int take_lot_shares(void *ctx, const struct store_row *row)
{
    *(int64_t *)ctx = store_row_int(row, 0);
    return 1;
}

/* On date DEMO_REDEEM at 10:30, half of the oldest lot of the first product. */
static enum store_rc place_redemption(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct demo_trades *x = ctx;
    int64_t lot = 0;
    struct store_val p[] = {SV_INT(x->investor), SV_INT(x->product[0])};
    enum store_rc rc = store_query(c,
                                   "SELECT shares_h FROM share_lots WHERE investor_id = ? AND "
                                   "product_id = ? AND shares_h > 0 ORDER BY confirmed_date, id "
                                   "LIMIT 1",
                                   p, 2, take_lot_shares, &lot, err);
    if (rc == STORE_OK && lot < 2)
        return store_fail(err, STORE_ERROR, "demo trades: no lot to redeem from");
    char day[CIVIL_DATE_CAP];
    civil_date_format(x->date[DEMO_REDEEM], day, sizeof(day));
    struct order_redemption o = {.investor = x->investor,
                                 .product = x->product[0],
                                 .institution = x->inst[0],
                                 .shares_h = lot / 2,
                                 .now_ms = civil_ms_of_cst(x->date[DEMO_REDEEM], 10, 30, 0),
                                 .client_id = "demo-redeem-1",
                                 .trade_date = day};
    int64_t id = 0;
    bool existing = false;
    return rc == STORE_OK ? api_order_place_redemption(c, &o, &id, &existing, err) : rc;
}

struct due {
    bool parsed;
    struct civil_date d;
};

static int take_due(void *ctx, const struct store_row *row)
{
    struct due *due = ctx;
    size_t len = 0;
    const char *s = store_row_text(row, 0, &len);
    due->parsed = civil_date_parse(s, len, &due->d) == CIVIL_OK;
    return 1;
}

/* The settlement batch on the day the redemption's cash is due (T+n of its product). */
static enum store_rc settle_redemption(struct store *s, int64_t now_ms, struct store_err *err)
{
    struct store_conn *c = store_reader(s, err);
    if (c == NULL)
        return STORE_ERROR;
    struct due due = {0};
    enum store_rc rc = store_query(c,
                                   "SELECT cash_date FROM orders WHERE client_order_id = "
                                   "'demo-redeem-1' AND status = 'confirmed'",
                                   NULL, 0, take_due, &due, err);
    if (rc == STORE_OK && !due.parsed)
        return store_fail(err, STORE_ERROR, "demo trades: the redemption was not confirmed");
    struct job_report rep;
    return rc == STORE_OK ? job_settle(s, due.d, now_ms, NULL, NULL, &rep, err) : rc;
}

static int take_mmf(void *ctx, const struct store_row *row)
{
    struct demo_trades *x = ctx;
    x->mmf = store_row_int(row, 0);
    x->mmf_inst = store_row_int(row, 1);
    x->mmf_limit = store_row_int(row, 2);
    return 1;
}

/* The money-market fund's income for every calendar day from its lot's date (T+1 of the
 * subscription: a lot earns from its date) to yesterday, one batch run a day as the
 * scheduler would have done. */
static enum store_rc credit_mmf_income(struct store *s, const struct demo_trades *x,
                                       struct store_err *err)
{
    struct civil_date d, yesterday = civil_date_add_days(civil_date_of_ms_cst(x->now_ms), -1);
    if (x->mmf == 0)
        return STORE_OK;
    if (calendar_add_trading_days(x->cal, x->date[DEMO_MMF], 1, &d) != CALENDAR_OK)
        return store_fail(err, STORE_ERROR, "demo trades: the calendar ends too soon");
    enum store_rc rc = STORE_OK;
    for (; civil_date_cmp(d, yesterday) <= 0 && rc == STORE_OK; d = civil_date_add_days(d, 1)) {
        struct job_report rep;
        rc = job_mmf_income(s, d, x->now_ms, NULL, NULL, &rep, err);
    }
    return rc;
}

static enum store_rc pick(struct store *s, struct demo_trades *x, struct store_err *err)
{
    struct store_conn *c = store_reader(s, err);
    if (c == NULL)
        return STORE_ERROR;
    struct store_val p[] = {SV_TEXT(DEMO_INVESTOR)};
    enum store_rc rc =
        store_query_int(c, "SELECT id FROM users WHERE login = ?", p, 1, &x->investor, err);
    /* R2 to R4 (the investor is C4), no money-market fund (its income is a daily batch of
     * its own), each from another company and of another type, with a minimum the orders
     * pass. */
    if (rc == STORE_OK)
        rc = store_query(c,
                         "SELECT p.id, p.institution_id, p.daily_limit_fen, p.type FROM products p "
                         "JOIN "
                         "institutions i ON i.id = p.institution_id WHERE i.demo = 1 AND "
                         "p.type <> 'money_market' AND p.risk_level BETWEEN 2 AND 4 AND "
                         "p.min_purchase_fen <= 800000 AND p.status = 'open' ORDER BY p.code",
                         NULL, 0, take_product, x, err);
    struct store_val m[] = {SV_INT(DEMO_MMF_FEN), SV_INT(DEMO_MMF_FEN)};
    if (rc == STORE_OK)
        rc = store_query(c,
                         "SELECT p.id, p.institution_id, p.daily_limit_fen FROM products p JOIN "
                         "institutions i ON i.id = p.institution_id WHERE i.demo = 1 AND p.type "
                         "= 'money_market' AND p.status = 'open' AND p.min_purchase_fen <= ? AND "
                         "p.daily_limit_fen >= ? ORDER BY p.code LIMIT 1",
                         m, 2, take_mmf, x, err);
    if (rc == STORE_DONE)
        return store_fail(err, STORE_ERROR, "demo trades: no demo investor %s", DEMO_INVESTOR);
    if (rc == STORE_OK && x->products < 2)
        return store_fail(err, STORE_ERROR, "demo trades: too few demo products to buy");
    /* days_back falls: walk back from today, nearest date first, and store oldest first. */
    struct civil_date d = civil_date_of_ms_cst(x->now_ms);
    for (int k = DEMO_DATES - 1, back = 0; k >= 0 && rc == STORE_OK; k--) {
        for (; back < days_back[k] && rc == STORE_OK; back++)
            if (calendar_prev_trading_day(x->cal, d, &d) != CALENDAR_OK)
                rc = store_fail(err, STORE_ERROR, "demo trades: the calendar ends too soon");
        x->date[k] = d;
    }
    return rc;
}

enum store_rc seed_trades(struct store *s, const struct keyring *ring, const struct calendar *cal,
                          int64_t now_ms, int *orders, struct store_err *err)
{
    struct demo_trades x = {.ring = ring, .cal = cal, .now_ms = now_ms};
    enum store_rc rc = pick(s, &x, err);
    if (rc == STORE_OK)
        rc = store_write_sync(s, place_orders, &x, err);
    *orders = 0;
    for (int k = 0; k < DEMO_DATES && rc == STORE_OK; k++) {
        struct job_report rep;
        if (k == DEMO_REDEEM)
            rc = store_write_sync(s, place_redemption, &x, err);
        if (rc == STORE_OK)
            rc = job_confirm(s, x.date[k], now_ms, NULL, NULL, &rep, err);
        *orders += rc == STORE_OK ? (int)(rep.processed - rep.failed) : 0;
    }
    if (rc == STORE_OK)
        rc = settle_redemption(s, now_ms, err);
    return rc == STORE_OK ? credit_mmf_income(s, &x, err) : rc;
}
