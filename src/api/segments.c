/*
 * segments.c: breakdowns of a period's investors by one dimension (new or returning, risk
 * class, age band, province), for an institution's own investors or, for operators, the
 * platform's; JSON or CSV under the same rule.
 *
 * Nothing here may single anyone out (PIPL; core/segment.h has the rule):
 *  - a cell counts distinct investors and is published only with at least
 *    segment_min_investors of them (default 20); orders and amounts go with the buyers'
 *    count and are suppressed with it;
 *  - when a cell is suppressed, more cells are, until what could be worked out from the
 *    total minus the published cells is itself at least that many investors;
 *  - a breakdown covers a whole day, a whole week (Monday to Sunday) or a whole calendar
 *    month, never any other period: two overlapping periods, one a day longer, would
 *    otherwise tell by difference who came on that one day.
 * Each investor counts in one cell: the segment of the last day they were seen in the
 * period.
 */
#include "api/dashboard.h"

#include "api/handlers.h"
#include "api/trading.h"
#include "base/check.h"
#include "base/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A day, a Monday-to-Sunday week, or a calendar month. */
static bool period_aligned(const struct dash_range *g)
{
    if (g->days == 1)
        return true;
    if (g->days == 7 && civil_weekday(g->from) == CIVIL_MONDAY)
        return true;
    return g->from.day == 1 && g->to.year == g->from.year && g->to.month == g->from.month &&
           g->to.day == civil_days_in_month(g->to.year, g->to.month);
}

struct cells {
    size_t n;
    int64_t visitors[SEG_CELLS_MAX], buyers[SEG_CELLS_MAX];
    int64_t orders[SEG_CELLS_MAX], amount_fen[SEG_CELLS_MAX];
    bool hide_v[SEG_CELLS_MAX], hide_b[SEG_CELLS_MAX];
    int64_t total_v, total_b, total_orders, total_amount;
};

static void count_cells(enum seg_dimension d, const struct dash_people *dp, int64_t k,
                        struct cells *c)
{
    memset(c, 0, sizeof(*c));
    c->n = seg_cell_count(d);
    for (size_t i = 0; i < dp->n; i++) {
        const struct dash_person *p = &dp->p[i];
        struct seg_investor inv = {
            .is_new = (p->bits & DASH_P_NEW) != 0,
            .risk_class = p->risk,
            .age_band = p->age,
            .region = p->region,
        };
        size_t cell = seg_cell_of(d, &inv);
        ASSERT(cell < c->n);
        if (p->bits & DASH_P_VISITED) {
            c->visitors[cell]++;
            c->total_v++;
        }
        if (p->bits & DASH_P_BOUGHT) {
            c->buyers[cell]++;
            c->orders[cell] += p->orders;
            c->amount_fen[cell] += p->amount_fen;
            c->total_b++;
            c->total_orders += p->orders;
            c->total_amount += p->amount_fen;
        }
    }
    seg_suppress(c->visitors, c->n, k, c->hide_v);
    seg_suppress(c->buyers, c->n, k, c->hide_b);
}

static json_t *cells_json(enum seg_dimension d, const struct cells *c)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < c->n; i++) {
        json_t *o =
            json_pack("{s:s,s:s}", "segment", seg_cell_key(d, i), "label", seg_cell_label(d, i));
        json_object_set_new(o, "visitors",
                            c->hide_v[i] ? json_null() : json_integer(c->visitors[i]));
        json_object_set_new(o, "buyers", c->hide_b[i] ? json_null() : json_integer(c->buyers[i]));
        json_object_set_new(o, "orders", c->hide_b[i] ? json_null() : json_integer(c->orders[i]));
        json_object_set_new(o, "subscribe_amount",
                            c->hide_b[i] ? json_null() : json_decimal(c->amount_fen[i], 2));
        json_array_append_new(arr, o);
    }
    return arr;
}

/* One CSV field: as it is, or quoted with its quotes doubled when it needs to be. */
static void csv_field(struct buf *b, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        buf_puts(b, s);
        return;
    }
    buf_puts(b, "\"");
    for (const char *p = s; *p; p++)
        buf_append(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
    buf_puts(b, "\"");
}

static void cells_csv(struct buf *b, enum seg_dimension d, const struct cells *c)
{
    buf_puts(b, "dimension,segment,label,visitors,buyers,orders,subscribe_amount\r\n");
    for (size_t i = 0; i < c->n; i++) {
        buf_printf(b, "%s,", seg_dimension_name(d));
        csv_field(b, seg_cell_key(d, i));
        buf_puts(b, ",");
        csv_field(b, seg_cell_label(d, i));
        if (c->hide_v[i])
            buf_puts(b, ",");
        else
            buf_printf(b, ",%lld", (long long)c->visitors[i]);
        char amount[MONEY_FORMAT_CAP];
        money_format(c->amount_fen[i], 2, amount, sizeof(amount));
        if (c->hide_b[i])
            buf_puts(b, ",,,\r\n");
        else
            buf_printf(b, ",%lld,%lld,%s\r\n", (long long)c->buyers[i], (long long)c->orders[i],
                       amount);
    }
}

static bool dimension_or_reply(struct req *r, enum seg_dimension *d)
{
    const char *v = req_query(r, "dimension");
    *d = seg_dimension_parse(v);
    if (*d == SEG_DIMENSION_COUNT) {
        req_problem(r, 400, "bad_request", NULL,
                    "query parameter 'dimension' must be new_returning, risk_class, age_band or "
                    "region");
        return false;
    }
    return true;
}

static void segments(struct req *r, bool csv)
{
    int64_t inst = 0;
    struct dash_range g;
    enum seg_dimension d;
    if (!dash_scope_or_reply(r, &inst) || !dimension_or_reply(r, &d) ||
        !dash_range_or_reply(r, 1, &g))
        return;
    if (!period_aligned(&g)) {
        req_problem(r, 400, "bad_request", NULL,
                    "a breakdown covers one whole day, week (Monday to Sunday) or calendar "
                    "month: overlapping periods could be subtracted to single someone out");
        return;
    }
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct dash_people dp;
    struct store_err err;
    enum store_rc rc = dash_people_scan(c, inst, &g, &dp, &err);
    if (rc != STORE_OK || dp.too_many) {
        dash_people_free(&dp);
        if (rc != STORE_OK)
            req_store_problem(r, rc, &err);
        else
            dash_too_many(r);
        return;
    }
    static _Thread_local struct cells cl;
    count_cells(d, &dp, r->cfg->segment_min_investors, &cl);
    dash_people_free(&dp);
    if (csv) {
        struct buf b;
        buf_init(&b, LIMIT_CSV_BYTES_MAX);
        cells_csv(&b, d, &cl);
        dash_reply_csv(r, &b, "segments", &g);
        return;
    }
    json_t *total = json_pack("{s:I,s:I,s:I,s:o}", "visitors", (json_int_t)cl.total_v, "buyers",
                              (json_int_t)cl.total_b, "orders", (json_int_t)cl.total_orders,
                              "subscribe_amount", json_decimal(cl.total_amount, 2));
    json_t *out = json_pack(
        "{s:o,s:s,s:s,s:s,s:I,s:o,s:o}", "institution_id", json_id_or_null(inst), "dimension",
        seg_dimension_name(d), "from", g.from_s, "to", g.to_s, "min_investors",
        (json_int_t)r->cfg->segment_min_investors, "cells", cells_json(d, &cl), "total", total);
    req_reply_json(r, 200, out);
}

void api_inst_dashboard_segments(struct req *r)
{
    segments(r, false);
}

void api_inst_dashboard_segments_csv(struct req *r)
{
    segments(r, true);
}

void api_ops_dashboard_segments(struct req *r)
{
    segments(r, false);
}
