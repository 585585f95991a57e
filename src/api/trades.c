/*
 * trades.c: an institution's trades of one trade date, per product: what its operations staff
 * reconcile against the fund's registrar and settle with the platform.
 *
 * For each of the institution's products with orders on T: subscriptions and redemptions by
 * status, the amounts and shares applied for, and what confirmation made of them (net, fees,
 * shares, gross, cash paid so far). The settlement of T is what the ledger moves into the
 * institution's settlement account for those orders: + the subscriptions' net amounts, − the
 * redemptions' gross amounts (the investors' net cash and the redemption fee the fund keeps,
 * core/ledger.c). Everything is summed from the orders, which `ledger check` holds the ledger
 * to. As JSON, and as CSV for a spreadsheet.
 */
#include "api/dashboard.h"
#include "api/handlers.h"
#include "api/orders.h"
#include "api/trading.h"

#include "base/buf.h"
#include "base/money.h"

#include <stdio.h>
#include <string.h>

/* The figures of one product's row, in the SELECT's order after id, code and name. */
enum trade_col {
    SUB_ORDERS,
    SUB_ACCEPTED,
    SUB_CONFIRMED,
    SUB_FAILED,
    SUB_CANCELLED,
    SUB_AMOUNT, /* applied for, cancelled orders left out (fen) */
    SUB_CONFIRMED_AMOUNT,
    SUB_NET,
    SUB_FEE,
    SUB_DISCOUNT,
    SUB_SHARES, /* hundredths of a share */
    RED_ORDERS,
    RED_ACCEPTED,
    RED_CONFIRMED,
    RED_FAILED,
    RED_CANCELLED,
    RED_SHARES, /* applied for, cancelled orders left out */
    RED_CONFIRMED_SHARES,
    RED_GROSS,
    RED_FEE,
    RED_NET,
    RED_PAID, /* net cash already paid to investors */
    TRADE_COLS
};

/* s: subscription, r: redemption, c: confirmed; one aggregate per enum trade_col. */
static const char trades_sql[] =
    "SELECT p.id, p.code, p.name, SUM(s), SUM(s AND st = 'accepted'), SUM(s AND c), "
    "SUM(s AND st = 'failed'), SUM(s AND st = 'cancelled'), "
    "SUM(CASE WHEN s AND st <> 'cancelled' THEN amount_fen ELSE 0 END), "
    "SUM(CASE WHEN s AND c THEN amount_fen ELSE 0 END), "
    "SUM(CASE WHEN s AND c THEN net_fen ELSE 0 END), "
    "SUM(CASE WHEN s AND c THEN fee_fen ELSE 0 END), "
    "SUM(CASE WHEN s AND c THEN COALESCE(discount_fen, 0) ELSE 0 END), "
    "SUM(CASE WHEN s AND c THEN confirmed_shares_h ELSE 0 END), "
    "SUM(NOT s), SUM(NOT s AND st = 'accepted'), SUM(NOT s AND c), "
    "SUM(NOT s AND st = 'failed'), SUM(NOT s AND st = 'cancelled'), "
    "SUM(CASE WHEN NOT s AND st <> 'cancelled' THEN shares_h ELSE 0 END), "
    "SUM(CASE WHEN NOT s AND c THEN confirmed_shares_h ELSE 0 END), "
    "SUM(CASE WHEN NOT s AND c THEN gross_fen ELSE 0 END), "
    "SUM(CASE WHEN NOT s AND c THEN fee_fen ELSE 0 END), "
    "SUM(CASE WHEN NOT s AND c THEN net_fen ELSE 0 END), "
    "SUM(CASE WHEN NOT s AND c AND cash_paid_ms IS NOT NULL THEN net_fen ELSE 0 END) "
    "FROM (SELECT o.product_id, o.side = 'subscribe' AS s, o.status AS st, o.status = "
    "'confirmed' AS c, o.amount_fen, o.shares_h, o.net_fen, o.fee_fen, o.discount_fen, "
    "o.confirmed_shares_h, o.gross_fen, o.cash_paid_ms FROM orders o JOIN products q ON q.id = "
    "o.product_id WHERE q.institution_id = ? AND o.trade_date = ?) t JOIN products p ON p.id = "
    "t.product_id GROUP BY p.id ORDER BY p.code, p.id LIMIT ?";

struct trade_row {
    int64_t id;
    const char *code, *name;
    int64_t v[TRADE_COLS];
};

static void read_row(const struct store_row *row, struct trade_row *t)
{
    t->id = store_row_int(row, 0);
    t->code = store_row_text(row, 1, NULL);
    t->name = store_row_text(row, 2, NULL);
    for (int i = 0; i < TRADE_COLS; i++)
        t->v[i] = store_row_int(row, 3 + i);
}

/* What the orders of T move into the institution's settlement account (fen, signed). */
static int64_t settlement(const int64_t *v)
{
    return v[SUB_NET] - v[RED_GROSS];
}

struct trades_json {
    json_t *products;
    int64_t total[TRADE_COLS];
};

static int collect_json(void *ctx, const struct store_row *row)
{
    struct trades_json *j = ctx;
    struct trade_row t;
    read_row(row, &t);
    const int64_t *v = t.v;
    json_t *sub =
        json_pack("{s:I,s:I,s:I,s:I,s:I}", "orders", (json_int_t)v[SUB_ORDERS], "accepted",
                  (json_int_t)v[SUB_ACCEPTED], "confirmed", (json_int_t)v[SUB_CONFIRMED], "failed",
                  (json_int_t)v[SUB_FAILED], "cancelled", (json_int_t)v[SUB_CANCELLED]);
    json_object_set_new(sub, "amount", json_decimal(v[SUB_AMOUNT], 2));
    json_object_set_new(sub, "confirmed_amount", json_decimal(v[SUB_CONFIRMED_AMOUNT], 2));
    json_object_set_new(sub, "net", json_decimal(v[SUB_NET], 2));
    json_object_set_new(sub, "fee", json_decimal(v[SUB_FEE], 2));
    json_object_set_new(sub, "discount", json_decimal(v[SUB_DISCOUNT], 2));
    json_object_set_new(sub, "shares", json_decimal(v[SUB_SHARES], 2));
    json_t *red =
        json_pack("{s:I,s:I,s:I,s:I,s:I}", "orders", (json_int_t)v[RED_ORDERS], "accepted",
                  (json_int_t)v[RED_ACCEPTED], "confirmed", (json_int_t)v[RED_CONFIRMED], "failed",
                  (json_int_t)v[RED_FAILED], "cancelled", (json_int_t)v[RED_CANCELLED]);
    json_object_set_new(red, "shares", json_decimal(v[RED_SHARES], 2));
    json_object_set_new(red, "confirmed_shares", json_decimal(v[RED_CONFIRMED_SHARES], 2));
    json_object_set_new(red, "gross", json_decimal(v[RED_GROSS], 2));
    json_object_set_new(red, "fee", json_decimal(v[RED_FEE], 2));
    json_object_set_new(red, "net", json_decimal(v[RED_NET], 2));
    json_object_set_new(red, "paid", json_decimal(v[RED_PAID], 2));
    json_array_append_new(
        j->products, json_pack("{s:o,s:s,s:s,s:o,s:o,s:o}", "product_id", json_id(t.id),
                               "product_code", t.code, "product_name", t.name, "subscriptions", sub,
                               "redemptions", red, "settlement", json_decimal(settlement(v), 2)));
    for (int i = 0; i < TRADE_COLS; i++)
        j->total[i] += v[i];
    return 0;
}

/* The trade date of ?date=; answers 400 itself. */
static bool trade_date_or_reply(struct req *r, struct civil_date *t, char ts[CIVIL_DATE_CAP])
{
    const char *q = req_query(r, "date");
    if (q == NULL || civil_date_parse(q, strlen(q), t) != CIVIL_OK) {
        req_problem(r, 400, "bad_request", "date", "give the trade date as date=YYYY-MM-DD");
        return false;
    }
    civil_date_format(*t, ts, CIVIL_DATE_CAP);
    return true;
}

static enum store_rc query_trades(struct req *r, struct store_conn *c, const char *t,
                                  store_row_fn fn, void *ctx, struct store_err *err)
{
    struct store_val p[] = {SV_INT(r->sess.institution_id), SV_TEXT(t),
                            SV_INT(LIMIT_TRADE_PRODUCTS_MAX)};
    return store_query(c, trades_sql, p, 3, fn, ctx, err);
}

void api_inst_trades(struct req *r)
{
    struct civil_date t;
    char ts[CIVIL_DATE_CAP];
    if (!trade_date_or_reply(r, &t, ts))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct trades_json j = {.products = json_array()};
    struct store_err err;
    enum store_rc rc = query_trades(r, c, ts, collect_json, &j, &err);
    if (rc != STORE_OK) {
        json_decref(j.products);
        req_store_problem(r, rc, &err);
        return;
    }
    const int64_t *v = j.total;
    json_t *totals = json_object();
    json_object_set_new(totals, "subscription_amount", json_decimal(v[SUB_AMOUNT], 2));
    json_object_set_new(totals, "subscription_net", json_decimal(v[SUB_NET], 2));
    json_object_set_new(totals, "subscription_fee", json_decimal(v[SUB_FEE], 2));
    json_object_set_new(totals, "redemption_gross", json_decimal(v[RED_GROSS], 2));
    json_object_set_new(totals, "redemption_fee", json_decimal(v[RED_FEE], 2));
    json_object_set_new(totals, "redemption_net", json_decimal(v[RED_NET], 2));
    json_object_set_new(totals, "settlement", json_decimal(settlement(v), 2));
    req_reply_json(r, 200,
                   json_pack("{s:s,s:o,s:o,s:o}", "date", ts, "confirm_date",
                             api_confirm_date_json(r, t), "products", j.products, "totals",
                             totals));
}

/* ---- CSV ---- */

static void csv_money(struct buf *b, int64_t v, int scale)
{
    char s[MONEY_FORMAT_CAP];
    money_format(v, scale, s, sizeof(s));
    buf_printf(b, ",%s", s);
}

static int collect_csv(void *ctx, const struct store_row *row)
{
    struct buf *b = ctx;
    struct trade_row t;
    read_row(row, &t);
    buf_printf(b, "%s,", t.code);
    buf_csv_text(b, t.name);
    static const int scale[TRADE_COLS] = {[SUB_AMOUNT] = 2,   [SUB_CONFIRMED_AMOUNT] = 2,
                                          [SUB_NET] = 2,      [SUB_FEE] = 2,
                                          [SUB_DISCOUNT] = 2, [SUB_SHARES] = 2,
                                          [RED_SHARES] = 2,   [RED_CONFIRMED_SHARES] = 2,
                                          [RED_GROSS] = 2,    [RED_FEE] = 2,
                                          [RED_NET] = 2,      [RED_PAID] = 2};
    for (int i = 0; i < TRADE_COLS; i++)
        csv_money(b, t.v[i], scale[i]);
    csv_money(b, settlement(t.v), 2);
    buf_puts(b, "\r\n");
    return 0;
}

void api_inst_trades_csv(struct req *r)
{
    struct civil_date t;
    char ts[CIVIL_DATE_CAP];
    if (!trade_date_or_reply(r, &t, ts))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct buf b;
    buf_init(&b, LIMIT_CSV_BYTES_MAX);
    buf_puts(&b, "product_code,product_name,sub_orders,sub_accepted,sub_confirmed,sub_failed,"
                 "sub_cancelled,sub_amount,sub_confirmed_amount,sub_net,sub_fee,sub_discount,"
                 "sub_shares,red_orders,red_accepted,red_confirmed,red_failed,red_cancelled,"
                 "red_shares,red_confirmed_shares,red_gross,red_fee,red_net,red_paid,"
                 "settlement\r\n");
    struct store_err err;
    enum store_rc rc = query_trades(r, c, ts, collect_csv, &b, &err);
    if (rc != STORE_OK) {
        buf_free(&b);
        req_store_problem(r, rc, &err);
        return;
    }
    struct dash_range g = {0};
    snprintf(g.from_s, sizeof(g.from_s), "%s", ts);
    snprintf(g.to_s, sizeof(g.to_s), "%s", ts);
    dash_reply_csv(r, &b, "trades", &g);
}
