/*
 * rollup_int.h: what the files of the daily roll-up share (rollup.c orchestrates;
 * rollup_events.c reads the events and writes investor_days; rollup_hold.c reads holdings
 * from the ledger; rollup_metrics.c computes the rule's inputs). Not for other modules.
 */
#ifndef CFH_ROLLUP_INT_H
#define CFH_ROLLUP_INT_H

#include "base/pmap.h"
#include "core/segment.h"
#include "jobs/rollup.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- the figures of the day ---- */

struct inst_fig {
    int64_t id;
    int64_t zone_views, product_views, content_views, shares, impressions;
    int64_t visitors, new_visitors, funnel[SEG_FUNNEL_STEPS];
    int64_t follows_gained, follows_lost, followers;
    int64_t orders, subscriptions, subscribe_amount_fen, redemptions, redeem_shares_h, buyers;
    int64_t inflow_fen, outflow_fen;
    int64_t holders, aum_fen, h30_base, h30_kept, h90_base, h90_kept;
    int64_t questions, answers, response_s_median;
    bool has_median;
    int64_t complaints;
};

struct product_fig {
    int64_t id, institution_id;
    int64_t views, visitors, orders_started;
    int64_t orders, subscriptions, subscribe_amount_fen, redemptions, redeem_shares_h, buyers;
    int64_t inflow_fen, outflow_fen;
    int64_t holders, shares_h, aum_fen, h30_base, h30_kept, h90_base, h90_kept;
    int64_t nav_e4;
    bool has_nav;
};

struct content_fig {
    int64_t id, institution_id, views, visitors, shares;
};

/* One investor's day with one institution: a row of investor_days. */
struct visitor {
    int64_t institution_id, key;
    uint32_t flags;
    uint32_t attrs; /* risk | age << 3 | region << 6 */
    int64_t orders, amount_fen;
    bool is_new;
};

/* An investor's subscriptions of the day with one institution, from the orders table. */
struct buy {
    int64_t institution_id, key, orders, amount_fen;
};

struct rollup {
    struct store *store;
    struct store_conn *rd;
    struct civil_date d;
    char day[CIVIL_DATE_CAP];
    int64_t start_ms, end_ms; /* [start, end): the day in UTC ms */
    int64_t now_ms;
    const uint8_t *key;
    int passes;
    job_progress_fn progress;
    void *pctx;
    struct rollup_report *rep;
    bool finished; /* every row of the day written: batch_runs says done */

    struct inst_fig *inst; /* every institution, by id ascending */
    size_t n_inst;
    struct pmap inst_ix;

    struct product_fig *prod; /* every product */
    size_t n_prod;
    struct pmap prod_ix;

    struct content_fig *cont; /* contents seen today, grown as met */
    size_t n_cont, cap_cont;
    struct pmap cont_ix;

    struct buy *buys; /* subscriptions of the day by (institution, investor) */
    size_t n_buys;

    struct pmap attrs; /* pseudonym → segment attributes, for investors who have any */
};

/* The figures of institution / product id, or NULL (an id that did not exist at the start). */
struct inst_fig *rollup_inst(struct rollup *x, int64_t id);
struct product_fig *rollup_product(struct rollup *x, int64_t id);

/* Runs fn in a write of its own and counts it. */
enum store_rc rollup_write(struct rollup *x, store_write_fn fn, void *ctx, struct store_err *err);

/* rollup_events.c: the segment attributes, then the passes over the day's events. */
enum store_rc rollup_attrs(struct rollup *x, struct store_err *err);
enum store_rc rollup_events(struct rollup *x, struct store_err *err);

/* rollup_hold.c: holders, shares and AUM at the end of the day; retention. */
enum store_rc rollup_holdings(struct rollup *x, struct store_err *err);

/* The number of followers of each institution at `at_ms`, into out[i] for x->inst[i]. */
enum store_rc rollup_followers_at(struct rollup *x, int64_t at_ms, int64_t *out,
                                  struct store_err *err);

/* rollup_metrics.c: inst_metrics_daily for the day (after the institutions' rows). */
enum store_rc rollup_metrics(struct rollup *x, struct store_err *err);

#endif
