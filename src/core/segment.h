/*
 * segment.h: investor segments for the institution dashboards, and the suppression that
 * keeps a breakdown from singling anyone out. Pure: no I/O, no allocation.
 *
 * A breakdown splits the investors an institution saw in a period by one dimension: new or
 * returning, risk class (C1..C5 or unassessed), age band, or province (from the first two
 * digits of the resident ID, GB/T 2260). Each cell counts distinct investors; a cell with
 * fewer than k of them (segment_min_investors, default 20) is suppressed, and so is enough
 * of the rest that the suppressed cells cannot be recovered by subtracting the published
 * ones from the total (seg_suppress).
 */
#ifndef CFH_SEGMENT_H
#define CFH_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/civil.h"

/* What an investor did on a day with an institution (investor_days.flags). */
#define SEG_F_VISITED       (1u << 0) /* any event */
#define SEG_F_ZONE_VIEW     (1u << 1)
#define SEG_F_PRODUCT_VIEW  (1u << 2) /* of one of the institution's products */
#define SEG_F_ORDER_STARTED (1u << 3)
#define SEG_F_ORDER_PLACED  (1u << 4) /* the order_placed event */
#define SEG_F_BOUGHT        (1u << 5) /* an order in the orders table, placed that day */
#define SEG_F_CONTENT_VIEW  (1u << 6)

/* The funnel: each step counts investors who also took every step before it, that day. */
#define SEG_FUNNEL_STEPS 4
extern const unsigned seg_funnel_mask[SEG_FUNNEL_STEPS];

enum seg_dimension {
    SEG_NEW_RETURNING = 0,
    SEG_RISK_CLASS,
    SEG_AGE_BAND,
    SEG_REGION,
    SEG_DIMENSION_COUNT
};

#define SEG_AGE_BANDS    7  /* 0 unknown, then <25, 25-34, 35-44, 45-54, 55-64, 65+ */
#define SEG_RISK_CLASSES 6  /* 0 unassessed, then C1..C5 */
#define SEG_CELLS_MAX    35 /* the provinces and "unknown" */

/* "new_returning", "risk_class", "age_band", "region"; SEG_DIMENSION_COUNT if unknown. */
enum seg_dimension seg_dimension_parse(const char *s);
const char *seg_dimension_name(enum seg_dimension d);

/* Number of cells of dimension d (all of them are always listed). */
size_t seg_cell_count(enum seg_dimension d);

/* Cell i of d: its stable key ("C3", "25_34", "44", "unknown") and a label for people. */
const char *seg_cell_key(enum seg_dimension d, size_t i);
const char *seg_cell_label(enum seg_dimension d, size_t i);

/*
 * Age band of someone born on `birth`, on day `on`: whole years of age (a birthday counts
 * from its day; 29 February from 1 March in other years), then 1 below 25, 2 for 25-34, ...
 * 6 for 65 and over. 0 when birth is after `on`.
 */
int seg_age_band(struct civil_date birth, struct civil_date on);

/* The province code (11..82) of a resident ID or its mask ("440***********123X"), or 0 when
 * its first two characters are no province of GB/T 2260. Reads at most two bytes of s. */
int seg_region(const char *s, size_t len);

/* One investor's values over a period, as the breakdown counts them. */
struct seg_investor {
    bool visited;       /* any event in the period */
    bool bought;        /* any order in the period */
    bool is_new;        /* first seen by the institution within the period */
    int risk_class;     /* 0..5, on the last day seen in the period */
    int age_band;       /* 0..6 */
    int region;         /* 0 or 11..82 */
    int64_t orders;     /* placed in the period */
    int64_t amount_fen; /* subscriptions placed in the period */
};

/* The cell of d that an investor falls in (always one: unknown values have their cell). */
size_t seg_cell_of(enum seg_dimension d, const struct seg_investor *inv);

/*
 * Suppression. counts[0..n) are the cells of one breakdown; k >= 1. Sets hide[i] for:
 *  - every cell with 0 < count < k;
 *  - then, while the hidden cells sum to less than k, the smallest visible non-zero cell
 *    (the first of equals), so that the total minus the visible cells (the hidden cells'
 *    sum, which anyone can work out) is never a count below k, and never a single hidden
 *    cell's exact value;
 *  - and when even every non-zero cell together is fewer than k (a total below k), every
 *    cell, zeros included: visible zeros would say the few are all in the hidden cells.
 * Otherwise zero cells stay visible: they say nobody is there, which singles no one out.
 * Returns the number of hidden cells.
 */
size_t seg_suppress(const int64_t *counts, size_t n, int64_t k, bool *hide);

#endif
