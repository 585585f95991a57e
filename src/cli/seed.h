/* seed.h: demonstration data shared by the seed-demo files. */
#ifndef CFH_SEED_H
#define CFH_SEED_H

#include "core/calendar.h"
#include "store/store.h"

/*
 * Inserts the demo products of one institution (one per fund type) with a year of NAV
 * history up to the business date of now_ms; adds the number inserted to *count.
 */
enum store_rc seed_products(struct store_conn *c, int64_t inst, int inst_index,
                            const char *short_name, const struct calendar *cal, int64_t now_ms,
                            int *count, struct store_err *err);

#endif
