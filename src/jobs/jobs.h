/*
 * jobs.h: the batches of the trading day.
 *
 *   confirm T   every accepted order of trade date T whose product has NAV(T): fees and
 *               shares for subscriptions, FIFO lots and fees for redemptions (T+1)
 *   settle D    redemption cash whose date (T+n) is on or before D reaches investors
 *
 *   mmf-income D money-market income of calendar day D credited as shares to holders
 *
 * The daily roll-up of events, orders and holdings into figures has its own header,
 * jobs/rollup.h.
 *
 * Each batch works in chunks of job_chunk() orders, one write per chunk. An order changes
 * state in the same transaction as its ledger postings, and a chunk only selects orders
 * still in the state it acts on, so a batch killed anywhere and run again finishes the
 * same way as one run uninterrupted: never a double confirmation, never a lost one.
 */
#ifndef CFH_JOBS_H
#define CFH_JOBS_H

#include <stdio.h>

#include "base/civil.h"
#include "store/store.h"

/* Rows (orders, holders, payments) per chunk: the setting batch_chunk, JOB_CHUNK_MIN to
 * JOB_CHUNK_MAX. A chunk is one write and, for a batch run alone, one transaction and one
 * fsync: 2048 confirmed 22,000 orders/s where 512 did 10,700 (bench/confirm). */
#define JOB_CHUNK_MIN     16
#define JOB_CHUNK_MAX     32768
#define JOB_CHUNK_DEFAULT 2048

void job_set_chunk(int64_t rows);
int64_t job_chunk(void);

struct job_report {
    int64_t processed; /* orders confirmed, failed or paid */
    int64_t failed;    /* orders that could not be confirmed (reason on the order) */
    int64_t waiting;   /* orders left because their NAV is not published yet */
    int64_t chunks;    /* writes committed */
};

/* Progress callback: done so far and total when known (0 otherwise). */
typedef void (*job_progress_fn)(void *ctx, int64_t done, int64_t total);

enum store_rc job_confirm(struct store *s, struct civil_date t, int64_t now_ms,
                          job_progress_fn progress, void *pctx, struct job_report *out,
                          struct store_err *err);

enum store_rc job_settle(struct store *s, struct civil_date d, int64_t now_ms,
                         job_progress_fn progress, void *pctx, struct job_report *out,
                         struct store_err *err);

enum store_rc job_mmf_income(struct store *s, struct civil_date d, int64_t now_ms,
                             job_progress_fn progress, void *pctx, struct job_report *out,
                             struct store_err *err);

#endif
