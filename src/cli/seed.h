/* seed.h: demonstration data shared by the seed-demo files. */
#ifndef CFH_SEED_H
#define CFH_SEED_H

#include "base/keyring.h"
#include "core/calendar.h"
#include "store/store.h"

/*
 * Inserts the demo products of one institution (one per fund type) with a year of NAV
 * history up to the business date of now_ms; adds the number inserted to *count.
 */
enum store_rc seed_products(struct store_conn *c, int64_t inst, int inst_index,
                            const char *short_name, const struct calendar *cal, int64_t now_ms,
                            int *count, struct store_err *err);

/*
 * A year of trading by the first demo investor: verified, assessed C4, topped up, subscriptions
 * on six past trade dates, each date confirmed by the batch (seed_trades.c). Runs its own
 * writes; *orders is the number of orders confirmed.
 */
enum store_rc seed_trades(struct store *s, const struct keyring *ring, const struct calendar *cal,
                          int64_t now_ms, int *orders, struct store_err *err);

#endif
