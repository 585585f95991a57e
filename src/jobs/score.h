/*
 * score.h: the fair rule's daily job (DESIGN §7, docs/fair-rule.md).
 *
 * job_score(D) scores every institution open to investors (pilot or live) with the rule
 * version in force on D and the day's metrics (inst_metrics_daily), allocates the
 * impressions with fr_run, and publishes the day's record: canonical JSON, its SHA-256
 * chained to the previous published day's, signed with the platform's Ed25519 key. Days are
 * published in date order and never twice: a day already published is left alone.
 */
#ifndef CFH_SCORE_H
#define CFH_SCORE_H

#include <stdbool.h>
#include <stdint.h>

#include "api/fair_json.h"
#include "base/civil.h"
#include "store/store.h"

struct score_report {
    bool published; /* OUT: this run published the day */
    bool already;   /* OUT: the day was published before; nothing was done */
    bool no_inputs; /* OUT: no metrics for the day yet (the roll-up has not written them) */
    int64_t institutions;
    int64_t rule_version;
    int64_t total;
    int64_t values_ignored; /* metric values beyond ±10^12, taken as missing */
    char hash[FAIR_HASH_HEX];
    char why[256]; /* when neither published nor already: why nothing was published */
};

/* Scores and publishes day d, signed with sk. STORE_OK with the report saying what
 * happened (published, already, or why not); another rc on a store failure. */
enum store_rc job_score(struct store *s, struct civil_date d, int64_t now_ms,
                        const uint8_t sk[CRYPTO_SIGN_SK_BYTES], struct score_report *out,
                        struct store_err *err);

/*
 * The daily metrics of day d for the institutions in[0..n) (sorted by id, inst_id set),
 * into their has/value: the only place that reads inst_metrics_daily, the table the daily
 * roll-up owns. *rows counts the day's rows read (with n = 0 it stops at the first: a test
 * of whether the day has any). Names outside the catalogue are skipped; values beyond
 * ±FR_VALUE_ABS_MAX are left missing and counted in *ignored.
 */
enum store_rc fair_inputs_read(struct store_conn *c, struct civil_date d, struct fr_input *in,
                               size_t n, int64_t *rows, int64_t *ignored, struct store_err *err);

/* The days the scheduler should try now, oldest first: after the last published day (or,
 * before the first, from the first effective date of a published rule), before today, at
 * most cap of them, and only those whose roll-up has finished (batch_runs 'rollup' 'done':
 * a half-written day would be scored on part of its metrics). */
enum store_rc fair_days_due(struct store_conn *c, struct civil_date today, struct civil_date *out,
                            size_t cap, size_t *n, struct store_err *err);

#endif
