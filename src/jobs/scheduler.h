/* scheduler.h: the batches run by `serve` on their own (see scheduler.c). */
#ifndef CFH_SCHEDULER_H
#define CFH_SCHEDULER_H

#include "base/config.h"
#include "store/store.h"

struct scheduler;

/* Starts the scheduler thread; NULL when scheduler_interval_s is 0 (off) or it cannot
 * start (logged by the caller). */
struct scheduler *scheduler_start(struct store *s, const struct config *cfg);

/* Stops it after the batch in progress, if any. Accepts NULL. */
void scheduler_stop(struct scheduler *sc);

#endif
