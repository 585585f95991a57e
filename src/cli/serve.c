/*
 * serve.c: `caifuhao serve`. Checks every setting and the schema before it listens, then
 * serves until SIGTERM or SIGINT, and drains: stop accepting, finish requests in flight,
 * let the writer commit what is queued, close the database.
 */
#include "cli/cli.h"

#include "api/recommend.h"
#include "base/log.h"
#include "http/server.h"
#include "jobs/jobs.h"
#include "jobs/scheduler.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static void serve_usage(void)
{
    printf("usage: caifuhao serve [FLAGS]\n\nServes the API and web UI until SIGTERM.\n\n"
           "flags (each also from the environment; flags win):\n");
    config_usage(stdout);
}

int cli_serve(int argc, char **argv)
{
    if (argc > 0 && strcmp(argv[0], "--help") == 0) {
        serve_usage();
        return 0;
    }
    struct config cfg;
    config_defaults(&cfg);
    if (cli_parse(argc, argv, &cfg, NULL, NULL) != 0)
        return 2;
    /* Block the signals before any thread starts, so that every thread inherits the mask
     * and only sigwait below receives them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct store *store = cli_open_store(&cfg, true);
    if (store == NULL)
        return 1;
    log_set_level(strcmp(cfg.log_level, "debug") == 0   ? LOG_DEBUG
                  : strcmp(cfg.log_level, "warn") == 0  ? LOG_WARN
                  : strcmp(cfg.log_level, "error") == 0 ? LOG_ERROR
                                                        : LOG_INFO);
    char err[256];
    struct server *srv = server_start(&cfg, store, err, sizeof(err));
    if (srv == NULL) {
        fprintf(stderr, "caifuhao: %s\n", err);
        store_close(store);
        return 1;
    }
    if (recommend_start(store) != 0)
        log_warn("the recommendation counter did not start; delivered impressions are not saved");
    log_info("serving http://%s/ with database %s (%lld threads)", cfg.listen, cfg.db,
             (long long)cfg.threads);
    job_set_chunk(cfg.batch_chunk);
    struct scheduler *sched = scheduler_start(store, &cfg);
    if (sched == NULL && cfg.scheduler_interval_s > 0)
        log_warn("the batch scheduler did not start; run the batches by hand");
    int sig = 0;
    sigwait(&set, &sig);
    log_info("received %s: draining", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    scheduler_stop(sched);
    server_drain_and_stop(srv);
    recommend_stop();
    store_close(store);
    log_info("stopped");
    return 0;
}
