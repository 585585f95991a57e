/*
 * scheduler.c: runs the day's batches inside `serve` when their inputs exist, so a
 * platform with no operator at the console still confirms, settles and credits income.
 *
 * Every scheduler_interval_s it: confirms every trade date up to today that still has
 * accepted orders (job_confirm leaves those without NAV waiting), pays redemption cash due
 * today, credits money-market income for the last week's days (already credited days
 * cost one query), and rolls up each of the last LIMIT_ROLLUP_DAYS_BACK days that has ended
 * and is not rolled up yet, oldest first. All are idempotent, so the scheduler and an
 * operator running the same batch by hand cannot double anything.
 *
 * It delivers the campaigns' segment messages approved before their first day once that day
 * has come (api_campaign_deliver_due).
 *
 * It also publishes the fair rule's days (jobs/score.h): each day after the last published
 * one (a month back at most) that is over, whose metrics the daily roll-up has written and
 * is not still writing (batch_runs 'rollup' running), in date order. A day without a rule in
 * force or without metrics is passed over.
 */
#include "jobs/scheduler.h"

#include "api/campaigns.h"
#include "base/check.h"
#include "base/log.h"
#include "jobs/jobs.h"
#include "jobs/rollup.h"
#include "jobs/score.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MMF_DAYS_BACK 7

struct scheduler {
    struct store *store;
    const struct config *cfg;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;
};

struct dates {
    struct civil_date d[LIMIT_SCHEDULER_DATES];
    size_t n;
};

static int take_date(void *ctx, const struct store_row *row)
{
    struct dates *ds = ctx;
    size_t len = 0;
    const char *s = store_row_text(row, 0, &len);
    if (civil_date_parse(s, len, &ds->d[ds->n]) == CIVIL_OK)
        ds->n++;
    return ds->n == LIMIT_SCHEDULER_DATES;
}

static void report(const char *job, struct civil_date d, enum store_rc rc,
                   const struct job_report *r, const struct store_err *err)
{
    char ds[CIVIL_DATE_CAP];
    civil_date_format(d, ds, sizeof(ds));
    if (rc != STORE_OK)
        log_error("scheduler: %s %s failed: %s", job, ds, err->msg);
    else if (r->processed > 0 || r->failed > 0)
        log_info("scheduler: %s %s: %lld processed, %lld failed, %lld waiting", job, ds,
                 (long long)r->processed, (long long)r->failed, (long long)r->waiting);
}

/* The ended days of the last week that are not rolled up yet, oldest first. */
static void rollups(struct scheduler *sc, struct civil_date today, int64_t now)
{
    for (int k = LIMIT_ROLLUP_DAYS_BACK; k >= 1; k--) {
        struct civil_date d = civil_date_add_days(today, -k);
        char ds[CIVIL_DATE_CAP];
        civil_date_format(d, ds, sizeof(ds));
        struct store_err err = {0};
        bool done = false;
        if (job_rollup_done(sc->store, d, &done, &err) != STORE_OK) {
            log_error("scheduler: rollup %s: %s", ds, err.msg);
            return;
        }
        if (done)
            continue;
        struct rollup_report rr;
        if (job_rollup(sc->store, d, now, sc->cfg->data_key, 0, NULL, NULL, &rr, &err) != STORE_OK)
            log_error("scheduler: rollup %s failed: %s", ds, err.msg);
        else
            log_info("scheduler: rollup %s: %lld events, %lld visitor rows", ds,
                     (long long)rr.events, (long long)rr.visitor_rows);
    }
}

static void score_due(struct scheduler *sc, struct civil_date today, int64_t now)
{
    struct civil_date due[LIMIT_SCHEDULER_DATES];
    size_t n = 0;
    struct store_err err = {0};
    struct store_conn *c = store_reader(sc->store, &err);
    if (c == NULL || fair_days_due(c, today, due, ARRAY_LEN(due), &n, &err) != STORE_OK) {
        log_error("scheduler: cannot list the fair rule's days due: %s", err.msg);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        struct score_report rep;
        char ds[CIVIL_DATE_CAP];
        civil_date_format(due[i], ds, sizeof(ds));
        enum store_rc rc = job_score(sc->store, due[i], now, sc->cfg->sign_sk, &rep, &err);
        if (rc != STORE_OK)
            log_error("scheduler: score %s failed: %s", ds, err.msg);
        else if (rep.published)
            log_info("scheduler: score %s: published %lld institutions, hash %s", ds,
                     (long long)rep.institutions, rep.hash);
        else if (!rep.already && !rep.no_inputs)
            log_info("scheduler: score %s: nothing published: %s", ds, rep.why);
        if (rc != STORE_OK)
            return;
    }
}

struct due_messages {
    int64_t now_ms, delivered;
};

static enum store_rc deliver_due(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct due_messages *x = ctx;
    return api_campaign_deliver_due(c, x->now_ms, &x->delivered, err);
}

static void tick(struct scheduler *sc)
{
    int64_t now = config_now_ms(sc->cfg);
    struct civil_date today = civil_date_of_ms_cst(now);
    char ts[CIVIL_DATE_CAP];
    civil_date_format(today, ts, sizeof(ts));
    struct store_err err = {0};
    struct job_report r;
    struct dates ds = {.n = 0};
    struct store_conn *c = store_reader(sc->store, &err);
    struct store_val p[] = {SV_TEXT(ts), SV_INT(LIMIT_SCHEDULER_DATES)};
    if (c == NULL || store_query(c,
                                 "SELECT DISTINCT trade_date FROM orders WHERE status = "
                                 "'accepted' AND trade_date <= ? ORDER BY trade_date LIMIT ?",
                                 p, 2, take_date, &ds, &err) != STORE_OK) {
        log_error("scheduler: cannot list pending trade dates: %s", err.msg);
        return;
    }
    for (size_t i = 0; i < ds.n; i++) {
        if (now < civil_ms_of_cst(ds.d[i], 15, 0, 0))
            continue; /* today before the cutoff: still open */
        report("confirm", ds.d[i], job_confirm(sc->store, ds.d[i], now, NULL, NULL, &r, &err), &r,
               &err);
    }
    report("settle", today, job_settle(sc->store, today, now, NULL, NULL, &r, &err), &r, &err);
    for (int k = MMF_DAYS_BACK; k >= 0; k--) {
        struct civil_date d = civil_date_add_days(today, -k);
        report("mmf-income", d, job_mmf_income(sc->store, d, now, NULL, NULL, &r, &err), &r, &err);
    }
    struct due_messages dm = {.now_ms = now};
    if (store_write_sync(sc->store, deliver_due, &dm, &err) != STORE_OK)
        log_error("scheduler: scheduled segment messages: %s", err.msg);
    else if (dm.delivered > 0)
        log_info("scheduler: delivered %lld scheduled segment messages", (long long)dm.delivered);
    rollups(sc, today, now);
    score_due(sc, today, now);
}

static void *scheduler_main(void *arg)
{
    struct scheduler *sc = arg;
    pthread_mutex_lock(&sc->lock);
    while (!sc->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += sc->cfg->scheduler_interval_s;
        while (!sc->stopping && pthread_cond_timedwait(&sc->wake, &sc->lock, &until) == 0) {
        }
        if (sc->stopping)
            break;
        pthread_mutex_unlock(&sc->lock);
        tick(sc);
        pthread_mutex_lock(&sc->lock);
    }
    pthread_mutex_unlock(&sc->lock);
    return NULL;
}

struct scheduler *scheduler_start(struct store *s, const struct config *cfg)
{
    if (cfg->scheduler_interval_s == 0)
        return NULL;
    struct scheduler *sc = calloc(1, sizeof(*sc));
    if (sc == NULL)
        return NULL;
    sc->store = s;
    sc->cfg = cfg;
    pthread_mutex_init(&sc->lock, NULL);
    pthread_cond_init(&sc->wake, NULL);
    if (pthread_create(&sc->thread, NULL, scheduler_main, sc) != 0) {
        pthread_cond_destroy(&sc->wake);
        pthread_mutex_destroy(&sc->lock);
        free(sc);
        return NULL;
    }
    return sc;
}

void scheduler_stop(struct scheduler *sc)
{
    if (sc == NULL)
        return;
    pthread_mutex_lock(&sc->lock);
    sc->stopping = true;
    pthread_cond_signal(&sc->wake);
    pthread_mutex_unlock(&sc->lock);
    pthread_join(sc->thread, NULL);
    pthread_cond_destroy(&sc->wake);
    pthread_mutex_destroy(&sc->lock);
    free(sc);
}
