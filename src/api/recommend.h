/*
 * recommend.h: the recommendation slots, served so that delivered impressions follow the
 * day's allocation (DESIGN §7, docs/fair-rule.md).
 *
 * On served day S the allocation is the latest published record before S (normally S − 1's,
 * published in the small hours of S). Each slot goes to the institution whose next
 * impression is most overdue, the smallest (delivered + 1) / allocated (stride scheduling:
 * deterministic given the counters; after any number of slots each institution is within
 * one impression of its share of them), never the same institution twice in one answer and
 * never one that is not open to investors. Delivered counts live in memory and are added to
 * fair_deliveries by one background write every LIMIT_RECOMMEND_FLUSH_MS, not one per
 * request.
 */
#ifndef CFH_RECOMMEND_H
#define CFH_RECOMMEND_H

#include <jansson.h>

#include "base/civil.h"
#include "http/http.h"
#include "store/store.h"

/* Starts the flusher thread (serve). 0, or -1 when it cannot start. */
int recommend_start(struct store *s);

/* Stops the flusher and writes the counts not yet written. Accepts never started. */
void recommend_stop(void);

/*
 * Picks up to `slots` institutions for one answer and counts them as delivered; appends one
 * item per pick to `items`. *record_date (OUT) is the record followed ("" when none).
 */
enum store_rc recommend_pick(struct req *r, int64_t slots, json_t *items,
                             char record_date[CIVIL_DATE_CAP], struct store_err *err);

#endif
