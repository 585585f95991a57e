/*
 * campaigns.h: what the campaigns module shares with orders, the feed, the inbox and the
 * confirmation batch: who a campaign is for, the attribution of an order to a campaign, and
 * the investor's opt-out of personalised marketing (PIPL Art. 24).
 */
#ifndef CFH_CAMPAIGNS_H
#define CFH_CAMPAIGNS_H

#include "api/api.h"

/*
 * Whether the campaign row `k` (an alias in the statement) is for the investor bound as ?1, as
 * an SQL expression (1 or 0): everyone (`all`; a promotion's followers), investors with no
 * subscription of the institution accepted or confirmed yet (`new_investors`), investors whose
 * latest risk category has its bit in k.risk_mask (`risk`), holders of k.segment_product_id
 * (`holders`). The opt-out is not in it: callers ask api_marketing_opted_out and exclude opted-out
 * investors from every segment but `all`.
 */
#define CAMPAIGN_AUDIENCE_SQL                                                                 \
    "(CASE k.segment WHEN 'all' THEN 1 WHEN 'new_investors' THEN NOT EXISTS (SELECT 1 FROM "  \
    "orders o WHERE o.investor_id = ?1 AND o.institution_id = k.institution_id AND o.side = " \
    "'subscribe' AND o.status IN ('accepted', 'confirmed')) WHEN 'risk' THEN "                \
    "COALESCE((k.risk_mask "                                                                  \
    ">> ((SELECT a.category FROM risk_assessments a WHERE a.investor_id = ?1 ORDER BY "       \
    "a.taken_ms DESC LIMIT 1) - 1)) & 1, 0) WHEN 'holders' THEN EXISTS (SELECT 1 FROM "       \
    "share_lots l WHERE l.investor_id = ?1 AND l.product_id = k.segment_product_id AND "      \
    "l.shares_h > 0) ELSE 0 END)"

/*
 * True when the investor opted out of personalised marketing. The one place that reads the
 * opt-out. A failed lookup answers true: an error must never send marketing to someone who
 * refused it.
 */
bool api_marketing_opted_out(struct store_conn *c, int64_t investor);

/*
 * Checks, on the request's reader, that an order of `investor` for `product` of `institution`
 * may be attributed to `campaign`: approved, not stopped, running now (within its period and,
 * for a fee discount, with budget left), of that institution, applying to that product, and the
 * investor in its audience (an opted-out investor is in no segment but `all`). Otherwise answers
 * 422 `campaign_not_applicable` with `reason` and returns false.
 */
bool api_campaign_attribution_or_reply(struct req *r, struct store_conn *c, int64_t campaign,
                                       int64_t investor, int64_t product, int64_t institution);

/*
 * Inside the write of an order placed through `campaign`, after the reader's attribution check:
 * STORE_ABORT with API_ABORT_CAMPAIGN when the campaign was stopped in between, so that no
 * order placed after a stop is attributed to it. The writer is serial: a stop's write comes
 * wholly before or after the order's.
 */
enum store_rc api_campaign_not_stopped(struct store_conn *c, int64_t campaign,
                                       struct store_err *err);

/*
 * What the confirmation batch applies to an order placed through `campaign`: *off_ppm (OUT) the
 * share of the rate fee taken off (0 unless a fee discount) and *left_fen (OUT) its budget left,
 * read now. The campaign's state is not read: an attributed order keeps its discount whatever
 * happened since (stopped, ended), within the budget. The order's estimate reads the same, so
 * that it shows what confirmation would give now. STORE_DONE when there is no such campaign.
 */
enum store_rc api_campaign_discount_terms(struct store_conn *c, int64_t campaign, int64_t *off_ppm,
                                          int64_t *left_fen, struct store_err *err);

/*
 * Delivers the segment messages approved before their first day whose period has begun (and
 * not ended, nor been stopped); *delivered (OUT) how many. Inside a write; the scheduler inside
 * serve runs it on each tick.
 */
enum store_rc api_campaign_deliver_due(struct store_conn *c, int64_t now_ms, int64_t *delivered,
                                       struct store_err *err);

/* The pending campaigns for the review queue, appended to items. */
enum store_rc api_campaign_review_items(struct store_conn *c, json_t *items, struct store_err *err);

#endif
