/*
 * batch.c: `caifuhao batch confirm|settle|mmf-income|rollup --date D` and
 * `caifuhao ledger check`.
 * Batches may run while `serve` runs on the same database: both go through SQLite's
 * locking, and a batch's chunks are short transactions.
 */
#include "cli/cli.h"

#include "base/civil.h"
#include "jobs/jobs.h"
#include "jobs/ledger_check.h"
#include "jobs/rollup.h"
#include "jobs/score.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void progress(void *ctx, int64_t done, int64_t total)
{
    const char *what = ctx;
    if (!isatty(STDERR_FILENO))
        return;
    if (total > 0)
        fprintf(stderr, "\r%s: %lld / %lld orders (%lld%%)", what, (long long)done,
                (long long)total, (long long)(done * 100 / total));
    else
        fprintf(stderr, "\r%s: %lld orders", what, (long long)done);
    fflush(stderr);
}

static void progress_events(void *ctx, int64_t done, int64_t total)
{
    const char *what = ctx;
    if (!isatty(STDERR_FILENO))
        return;
    if (total > 0)
        fprintf(stderr, "\r%s: %lld / %lld events read (%lld%%)", what, (long long)done,
                (long long)total, (long long)(done * 100 / total));
    else
        fprintf(stderr, "\r%s: %lld events read", what, (long long)done);
    fflush(stderr);
}

static void batch_usage(FILE *out)
{
    fprintf(out, "usage: caifuhao batch confirm --date YYYY-MM-DD [--db PATH]\n"
                 "       caifuhao batch settle --date YYYY-MM-DD [--db PATH]\n"
                 "       caifuhao batch mmf-income --date YYYY-MM-DD [--db PATH]\n"
                 "       caifuhao batch rollup --date YYYY-MM-DD [--passes N] [--db PATH]\n"
                 "       caifuhao batch score --date YYYY-MM-DD [--db PATH]\n\n"
                 "confirm: confirms the accepted orders of trade date T whose NAV(T) is "
                 "published.\nsettle:  pays redemption cash due on or before the date.\n"
                 "mmf-income: credits the day's money-market income as shares to holders.\n"
                 "rollup: the day's figures per institution, product and content, the segment\n"
                 "        rows and the fair rule's metric inputs (after the day has ended);\n"
                 "        --passes reads the events at least N times, each for a share of the\n"
                 "        investors (a large day chooses more by itself).\n"
                 "score:   scores the institutions on the day's metrics with the fair rule in "
                 "force,\n         allocates the impressions and publishes the signed record "
                 "(the day\n         must be over; a published day is left alone).\n"
                 "All are idempotent and resumable: run again, they do nothing twice.\n");
}

/* `batch rollup --date D [--passes N]` with the store open. */
static int run_rollup(struct store *s, const struct config *cfg, struct civil_date d,
                      const char *passes_s, char *what)
{
    int passes = 0;
    if (passes_s != NULL) {
        for (const char *p = passes_s; *p; p++)
            passes = *p >= '0' && *p <= '9' && passes <= LIMIT_ROLLUP_PASSES_MAX
                         ? passes * 10 + (*p - '0')
                         : LIMIT_ROLLUP_PASSES_MAX + 1;
        if (passes < 1 || passes > LIMIT_ROLLUP_PASSES_MAX) {
            fprintf(stderr, "caifuhao: --passes must be 1..%d\n", LIMIT_ROLLUP_PASSES_MAX);
            return 2;
        }
    }
    struct rollup_report rep;
    struct store_err err = {0};
    int64_t started = civil_mono_ms();
    enum store_rc rc = job_rollup(s, d, config_now_ms(cfg), cfg->data_key, passes, progress_events,
                                  what, &rep, &err);
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "\n");
    if (rc != STORE_OK) {
        fprintf(stderr, "caifuhao: batch %s failed: %s (run it again to resume)\n", what, err.msg);
        return 1;
    }
    printf("batch %s: %lld events in %lld pass(es), %lld visitor rows, %lld institutions, "
           "%lld products, %lld contents, %lld metrics, %lld chunks, %lld ms\n",
           what, (long long)rep.events, (long long)rep.passes, (long long)rep.visitor_rows,
           (long long)rep.institutions, (long long)rep.products, (long long)rep.contents,
           (long long)rep.metrics, (long long)rep.chunks, (long long)(civil_mono_ms() - started));
    return 0;
}

/* `batch score`: exit 0 when the day is published (now or before), 1 when it cannot be. */
static int batch_score(struct store *s, const struct config *cfg, struct civil_date d,
                       const char *ds)
{
    int64_t now = config_now_ms(cfg);
    struct civil_date today = civil_date_of_ms_cst(now);
    if (civil_date_cmp(d, today) >= 0) {
        char ts[CIVIL_DATE_CAP];
        civil_date_format(today, ts, sizeof(ts));
        fprintf(stderr, "caifuhao: batch score %s: the day is not over (today is %s)\n", ds, ts);
        return 1;
    }
    struct score_report rep;
    struct store_err err = {0};
    enum store_rc rc = job_score(s, d, now, cfg->sign_sk, &rep, &err);
    if (rc != STORE_OK) {
        fprintf(stderr, "caifuhao: batch score %s failed: %s\n", ds, err.msg);
        return 1;
    }
    if (rep.already) {
        printf("batch score %s: already published (hash %s); left alone\n", ds, rep.hash);
        return 0;
    }
    if (!rep.published) {
        fprintf(stderr, "caifuhao: batch score %s: nothing published: %s\n", ds, rep.why);
        return 1;
    }
    printf("batch score %s: published %lld institutions, rule version %lld, %lld impressions, "
           "hash %s\n",
           ds, (long long)rep.institutions, (long long)rep.rule_version, (long long)rep.total,
           rep.hash);
    if (rep.values_ignored > 0)
        printf("batch score %s: %lld metric values beyond 10^12 were taken as missing\n", ds,
               (long long)rep.values_ignored);
    return 0;
}

int cli_batch(int argc, char **argv)
{
    bool help = argc > 0 && strcmp(argv[0], "--help") == 0;
    if (argc < 1 || help ||
        (strcmp(argv[0], "confirm") != 0 && strcmp(argv[0], "settle") != 0 &&
         strcmp(argv[0], "mmf-income") != 0 && strcmp(argv[0], "rollup") != 0 &&
         strcmp(argv[0], "score") != 0)) {
        batch_usage(help ? stdout : stderr);
        return help ? 0 : 2;
    }
    struct config cfg;
    config_defaults(&cfg);
    static const char *const own[] = {"date", "passes", NULL};
    const char *v[2] = {NULL, NULL};
    if (cli_parse(argc - 1, argv + 1, &cfg, own, v) != 0)
        return 2;
    struct civil_date d;
    if (v[0] == NULL || civil_date_parse(v[0], strlen(v[0]), &d) != CIVIL_OK) {
        fprintf(stderr, "caifuhao: batch %s needs --date YYYY-MM-DD\n", argv[0]);
        return 2;
    }
    struct store *s = cli_open_store(&cfg, true);
    if (s == NULL)
        return 1;
    if (strcmp(argv[0], "score") == 0) {
        int code = batch_score(s, &cfg, d, v[0]);
        store_close(s);
        return code;
    }
    job_set_chunk(cfg.batch_chunk);
    char what[48];
    snprintf(what, sizeof(what), "%s %s", argv[0], v[0]);
    if (strcmp(argv[0], "rollup") == 0) {
        int code = run_rollup(s, &cfg, d, v[1], what);
        store_close(s);
        return code;
    }
    if (v[1] != NULL) {
        store_close(s);
        fprintf(stderr, "caifuhao: --passes is for batch rollup only\n");
        return 2;
    }
    struct job_report rep;
    struct store_err err = {0};
    int64_t now = config_now_ms(&cfg);
    enum store_rc rc = argv[0][0] == 'c'   ? job_confirm(s, d, now, progress, what, &rep, &err)
                       : argv[0][0] == 's' ? job_settle(s, d, now, progress, what, &rep, &err)
                                           : job_mmf_income(s, d, now, progress, what, &rep, &err);
    store_close(s);
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "\n");
    if (rc != STORE_OK) {
        fprintf(stderr, "caifuhao: batch %s failed: %s (run it again to resume)\n", what, err.msg);
        return 1;
    }
    printf("batch %s: %lld processed, %lld failed, %lld waiting for NAV, %lld chunks\n", what,
           (long long)rep.processed, (long long)rep.failed, (long long)rep.waiting,
           (long long)rep.chunks);
    return 0;
}

int cli_ledger(int argc, char **argv)
{
    if (argc < 1 || strcmp(argv[0], "check") != 0) {
        fprintf(argc > 0 && strcmp(argv[0], "--help") == 0 ? stdout : stderr,
                "usage: caifuhao ledger check [--db PATH]\n\nReconciles the ledger; exits 1 "
                "on any difference.\n");
        return argc > 0 && strcmp(argv[0], "--help") == 0 ? 0 : 2;
    }
    struct config cfg;
    config_defaults(&cfg);
    if (cli_parse(argc - 1, argv + 1, &cfg, NULL, NULL) != 0)
        return 2;
    struct store *s = cli_open_store(&cfg, true);
    if (s == NULL)
        return 1;
    int64_t diffs = 0;
    struct store_err err = {0};
    enum store_rc rc = ledger_check_run(s, stdout, &diffs, &err);
    store_close(s);
    if (rc != STORE_OK) {
        fprintf(stderr, "caifuhao: ledger check: %s\n", err.msg);
        return 1;
    }
    printf("ledger check: %s\n", diffs ? "DIFFERENCES FOUND" : "ok");
    return diffs ? 1 : 0;
}
