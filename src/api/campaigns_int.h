/*
 * campaigns_int.h: what campaigns.c (the institution's side) and campaigns_ops.c (the
 * reviewer's side, attribution of orders) share: the campaign's columns and its JSON.
 */
#ifndef CFH_CAMPAIGNS_INT_H
#define CFH_CAMPAIGNS_INT_H

#include "api/api.h"
#include "core/campaign.h"
#include "core/fee.h"

/*
 * Columns, in order, that campaign_json reads (from `campaigns k`); NOW is the parameter that
 * holds the time (UTC ms) at which the status is read: an approved campaign is `approved`
 * before its period, `running` within it, `ended` after it, and a fee discount whose budget is
 * spent is `exhausted`.
 */
#define CAMPAIGN_COLS(NOW)                                                                        \
    "k.id, k.institution_id, k.type, k.name, k.text, k.start_date, k.end_date, k.start_ms, "      \
    "k.end_ms, k.budget_fen, k.spent_fen, k.discount_ppm, k.content_id, k.segment, "              \
    "k.risk_mask, k.segment_product_id, CASE WHEN k.status <> 'approved' THEN k.status WHEN " NOW \
    " >= k.end_ms THEN 'ended' WHEN k.type = 'fee_discount' AND k.spent_fen >= "                  \
    "k.budget_fen THEN 'exhausted' WHEN " NOW " >= k.start_ms THEN 'running' ELSE 'approved' "    \
    "END, k.check_result, k.created_by, k.created_ms, k.submitted_ms, k.decided_ms, k.reason, "   \
    "(SELECT json_group_array(CAST(cp.product_id AS TEXT)) FROM campaign_products cp WHERE "      \
    "cp.campaign_id = k.id), (SELECT m.id FROM messages m WHERE m.campaign_id = k.id)"

/* The number of columns of CAMPAIGN_COLS: a statement's next column is this one. */
#define CAMPAIGN_NCOLS 25

/* A campaign as JSON from a row of CAMPAIGN_COLS. */
json_t *campaign_json(const struct store_row *row);

/* Loads one campaign, its status read at now_ms; inst 0 for any institution, else only that
 * institution's. STORE_DONE when absent. */
enum store_rc campaign_load(struct store_conn *c, int64_t id, int64_t inst, int64_t now_ms,
                            json_t **out, struct store_err *err);

#endif
