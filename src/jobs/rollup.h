/*
 * rollup.h: the daily roll-up, `caifuhao batch rollup --date D`.
 *
 * For business day D (UTC+8) it computes, per institution, product and content: views,
 * unique visitors (distinct pseudonyms), the funnel zone view → product view → order
 * started → order placed, follower change, orders and amounts, flows, holders and AUM at
 * NAV, 30- and 90-day holder retention, questions and answer times, complaints; one row
 * per investor pseudonym, institution and day for the segment breakdowns; and the fair
 * rule's metric inputs (core/metrics.h) in inst_metrics_daily. docs/metrics.md defines each.
 *
 * Set-based and streamed: events are read once per pass as one range of ids (the id is the
 * receive time), aggregated in memory, and written in chunks of LIMIT_ROLLUP_CHUNK_ROWS
 * rows, one short transaction each, so `serve` keeps committing meanwhile. Visitors are
 * counted exactly: a day too large for one pass is split into passes by pseudonym, each
 * holding a disjoint share of the investors, whose counts add up.
 *
 * Idempotent and restartable: a run first removes whatever an earlier run wrote for D and
 * then writes D afresh; killed anywhere and run again, it ends with the same rows as one
 * uninterrupted run. batch_runs ('rollup', D) says 'running' until the last write, then
 * 'done'. Days are meant to be rolled up in order: "new" visitors are those never seen
 * by the institution on an earlier day that was rolled up.
 */
#ifndef CFH_ROLLUP_H
#define CFH_ROLLUP_H

#include "base/civil.h"
#include "base/crypto.h"
#include "jobs/jobs.h"
#include "store/store.h"

struct rollup_report {
    int64_t events;       /* events of the day */
    int64_t passes;       /* passes over them */
    int64_t visitor_rows; /* investor_days rows written */
    int64_t institutions; /* rollup_inst_daily rows */
    int64_t products;     /* rollup_product_daily rows */
    int64_t contents;     /* rollup_content_daily rows */
    int64_t metrics;      /* inst_metrics_daily rows */
    int64_t chunks;       /* writes committed */
};

/*
 * Rolls up day d. `key` is the data key (events' pseudonyms are made under it, and the job
 * makes the same ones for orders and segments); `passes` 0 chooses by the day's volume,
 * otherwise forces that many (1..LIMIT_ROLLUP_PASSES_MAX). Progress reports events read.
 */
enum store_rc job_rollup(struct store *s, struct civil_date d, int64_t now_ms,
                         const uint8_t key[CRYPTO_KEY_BYTES], int passes, job_progress_fn progress,
                         void *pctx, struct rollup_report *out, struct store_err *err);

/* True when batch_runs says day d was rolled up to the end. */
enum store_rc job_rollup_done(struct store *s, struct civil_date d, bool *done,
                              struct store_err *err);

#endif
