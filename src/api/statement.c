/*
 * statement.c: an investor's statement for a date range (UTC+8 dates, at most a year):
 * opening and closing available cash and every movement of it with the event and order that
 * caused it. Everything comes from the ledger, so
 * the statement reconciles by construction: opening + Σ movements = closing.
 */
#include "api/handlers.h"
#include "api/ledger_store.h"
#include "api/trading.h"

#include "base/check.h"

#include <stdio.h>
#include <string.h>

struct movements {
    json_t *items;
    int64_t sum;
    size_t n;
};

static int take_movement(void *ctx, const struct store_row *row)
{
    struct movements *m = ctx;
    int64_t amount = store_row_int(row, 3);
    m->sum += amount;
    if (m->n++ < LIMIT_STATEMENT_ROWS_MAX) {
        char date[CIVIL_DATE_CAP];
        civil_date_format(civil_date_of_ms_cst(store_row_int(row, 0)), date, sizeof(date));
        json_array_append_new(m->items, json_pack("{s:I,s:s,s:s,s:o,s:o}", "at_ms",
                                                  (json_int_t)store_row_int(row, 0), "date", date,
                                                  "event", store_row_text(row, 1, NULL), "order_id",
                                                  json_id_or_null(store_row_int(row, 2)), "amount",
                                                  json_decimal(amount, 2)));
    }
    return 0;
}

/* Signed movements of one investor's available cash: + into it, − out of it, at_ms in
 * [from, to). Entries that move it name it in cash_account (migration 0011). */
#define MOVEMENTS_SQL                                                                        \
    "SELECT at_ms, event, COALESCE(order_id, 0), CASE WHEN to_account = cash_account THEN "  \
    "amount ELSE -amount END, id FROM ledger_entries WHERE cash_account = ? AND at_ms >= ? " \
    "AND at_ms < ? ORDER BY at_ms, id"

static enum store_rc movements(struct store_conn *c, int64_t account, int64_t from_ms,
                               int64_t to_ms, struct movements *m, struct store_err *err)
{
    struct store_val p[] = {SV_INT(account), SV_INT(from_ms), SV_INT(to_ms)};
    return store_query(c, MOVEMENTS_SQL, p, 3, take_movement, m, err);
}

static bool range_or_reply(struct req *r, struct civil_date *a, struct civil_date *b)
{
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    if (from == NULL || to == NULL || civil_date_parse(from, strlen(from), a) != CIVIL_OK ||
        civil_date_parse(to, strlen(to), b) != CIVIL_OK || civil_date_cmp(*a, *b) > 0 ||
        civil_days_between(*a, *b) >= LIMIT_STATEMENT_DAYS_MAX) {
        req_problem(r, 400, "bad_request", NULL,
                    "give from and to as dates YYYY-MM-DD, from <= to, at most %d days",
                    LIMIT_STATEMENT_DAYS_MAX);
        return false;
    }
    return true;
}

void api_inv_statement(struct req *r)
{
    struct civil_date a, b;
    if (!range_or_reply(r, &a, &b))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    int64_t from_ms = civil_ms_of_cst(a, 0, 0, 0);
    int64_t to_ms = civil_ms_of_cst(civil_date_add_days(b, 1), 0, 0, 0);
    int64_t account = 0;
    struct store_err err;
    struct store_val q[] = {SV_INT(r->sess.user_id)};
    enum store_rc rc = store_query_int(c,
                                       "SELECT id FROM ledger_accounts WHERE asset = 'CNY' AND "
                                       "kind = 'available' AND owner_id = ?",
                                       q, 1, &account, &err);
    struct movements before = {json_array(), 0, 0}, during = {json_array(), 0, 0};
    if (rc == STORE_OK)
        rc = movements(c, account, 0, from_ms, &before, &err);
    if (rc == STORE_OK)
        rc = movements(c, account, from_ms, to_ms, &during, &err);
    json_decref(before.items);
    if (rc != STORE_OK && rc != STORE_DONE) {
        json_decref(during.items);
        req_store_problem(r, rc, &err);
        return;
    }
    char fs[CIVIL_DATE_CAP], ts[CIVIL_DATE_CAP];
    civil_date_format(a, fs, sizeof(fs));
    civil_date_format(b, ts, sizeof(ts));
    req_reply_json(r, 200,
                   json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:b}", "from", fs, "to", ts, "currency",
                             "CNY", "opening_available", json_decimal(before.sum, 2),
                             "closing_available", json_decimal(before.sum + during.sum, 2),
                             "movements", during.items, "truncated",
                             during.n > LIMIT_STATEMENT_ROWS_MAX));
}
