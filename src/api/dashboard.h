/*
 * dashboard.h: what the dashboard handlers share (dashboards.c: figures by day and range;
 * segments.c: breakdowns by segment): the period asked for, whose figures the caller may
 * see, and the investors of a period gathered one per pseudonym.
 */
#ifndef CFH_DASHBOARD_H
#define CFH_DASHBOARD_H

#include "api/api.h"
#include "base/buf.h"
#include "base/civil.h"
#include "base/pmap.h"
#include "core/segment.h"

struct dash_range {
    struct civil_date from, to; /* both included */
    char from_s[CIVIL_DATE_CAP], to_s[CIVIL_DATE_CAP];
    int64_t days;
};

/* Reads ?from= and ?to= (YYYY-MM-DD, UTC+8; defaults: `to` yesterday, `from` default_days
 * before it, counting `to`), at most LIMIT_DASHBOARD_DAYS_MAX days; answers 400 itself. */
bool dash_range_or_reply(struct req *r, int64_t default_days, struct dash_range *out);

/* The period of equal length just before r. */
struct dash_range dash_previous(const struct dash_range *r);

/*
 * Whose figures: institution staff see their own institution's, always; a ?institution_id=
 * naming another is 403. Operators see the one named by ?institution_id= (404 when there is
 * none such) or, without it, the whole platform (*inst = 0). Answers itself on failure.
 */
bool dash_scope_or_reply(struct req *r, int64_t *inst);

/* One investor (pseudonym) over a period. */
struct dash_person {
    int64_t key;
    uint32_t bits;    /* DASH_P_* */
    int64_t last_day; /* day number of the latest row: its segment values are kept */
    int risk, age, region;
    int64_t orders, amount_fen;
};

#define DASH_P_VISITED (1u << 0)
#define DASH_P_BOUGHT  (1u << 1)
#define DASH_P_NEW     (1u << 2)
#define DASH_P_FUNNEL0 (1u << 3) /* then one bit per step: FUNNEL0 << s */

struct dash_people {
    struct pmap ix; /* (key, 0) → index */
    struct dash_person *p;
    size_t n, cap;
    bool too_many; /* more than LIMIT_DASHBOARD_INVESTORS */
};

/*
 * Gathers investor_days of institution inst (0: every institution) over the period, one
 * dash_person per pseudonym. STORE_OK with out->too_many set when the period has more
 * investors than a view may read. dash_people_free releases it.
 */
enum store_rc dash_people_scan(struct store_conn *c, int64_t inst, const struct dash_range *r,
                               struct dash_people *out, struct store_err *err);
void dash_people_free(struct dash_people *p);

/* Answers a CSV export made in b (taken) as text/csv, UTF-8, with a file name of `name` and
 * the period; 422 when it overflowed LIMIT_CSV_BYTES_MAX. */
void dash_reply_csv(struct req *r, struct buf *b, const char *name, const struct dash_range *g);

/* 422 for a period with too many investors for one view. */
void dash_too_many(struct req *r);

#endif
