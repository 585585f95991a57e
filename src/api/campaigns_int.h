/*
 * campaigns_int.h: what campaigns.c (the institution's side) and campaigns_ops.c (the
 * reviewer's side, attribution of orders) share: the campaign's columns and its JSON.
 */
#ifndef CFH_CAMPAIGNS_INT_H
#define CFH_CAMPAIGNS_INT_H

#include "api/api.h"
#include "base/civil.h"
#include "core/campaign.h"
#include "core/fee.h"

/*
 * The campaign's state read at NOW (the parameter that holds the time, UTC ms), as SQL: the
 * stored status until it is approved; then `stopped` once its institution stopped it, `ended`
 * after its period, `exhausted` when a fee discount's budget is spent, `running` within its
 * period, `approved` before it.
 */
#define CAMPAIGN_STATUS_SQL(NOW)                                                              \
    "CASE WHEN k.status <> 'approved' THEN k.status WHEN k.stopped_ms IS NOT NULL THEN "      \
    "'stopped' WHEN " NOW " >= k.end_ms THEN 'ended' WHEN k.type = 'fee_discount' AND "       \
    "k.spent_fen >= k.budget_fen THEN 'exhausted' WHEN " NOW " >= k.start_ms THEN 'running' " \
    "ELSE 'approved' END"

/*
 * Columns, in order, that campaign_json reads (from `campaigns k`), the state read at NOW. The
 * message is the segment message's current one: held while pending, delivered once approved,
 * the last rejected one when rejected (a rejected message stays when the campaign is edited
 * and submitted again); a draft has none.
 */
#define CAMPAIGN_COLS(NOW)                                                                         \
    "k.id, k.institution_id, k.type, k.name, k.text, k.start_date, k.end_date, k.start_ms, "       \
    "k.end_ms, k.budget_fen, k.spent_fen, k.discount_ppm, k.content_id, k.segment, "               \
    "k.risk_mask, k.segment_product_id, " CAMPAIGN_STATUS_SQL(                                     \
        NOW) ", k.check_result, "                                                                  \
             "k.created_by, k.created_ms, k.submitted_ms, k.decided_ms, k.reason, (SELECT "        \
             "json_group_array(CAST(cp.product_id AS TEXT)) FROM campaign_products cp WHERE "      \
             "cp.campaign_id = k.id), CASE WHEN k.status <> 'draft' THEN (SELECT m.id FROM "       \
             "messages m "                                                                         \
             "WHERE m.campaign_id = k.id ORDER BY m.status = 'rejected', m.created_ms DESC LIMIT " \
             "1) "                                                                                 \
             "END, k.stopped_ms, k.stopped_by, k.stop_reason, (SELECT max(m.sent_ms) FROM "        \
             "messages m WHERE m.campaign_id = k.id AND m.status = 'delivered')"

/* The number of columns of CAMPAIGN_COLS: a statement's next column is this one. */
#define CAMPAIGN_NCOLS 29

/* A campaign as JSON from a row of CAMPAIGN_COLS. */
json_t *campaign_json(const struct store_row *row);

/* Loads one campaign, its status read at now_ms; inst 0 for any institution, else only that
 * institution's. STORE_DONE when absent. */
enum store_rc campaign_load(struct store_conn *c, int64_t id, int64_t inst, int64_t now_ms,
                            json_t **out, struct store_err *err);

/* ---- the terms of a campaign, as create and edit read and check them (campaigns.c) ---- */

/* A campaign's terms from a create or edit request, checked; then what the write needs. */
struct campaign_new {
    int64_t id, inst, by, now_ms;
    enum campaign_type type;
    const char *name, *text, *segment;
    char start_s[CIVIL_DATE_CAP], end_s[CIVIL_DATE_CAP];
    int64_t start_ms, end_ms, budget_fen, discount_ppm, content, segment_product, risk_mask;
    int64_t product[LIMIT_CAMPAIGN_PRODUCTS_MAX];
    size_t n_products;
    char *check; /* the compliance check as JSON, malloc'd: the write's callback frees it */
    enum campaign_state was; /* edit: the state the campaign was edited from */
    struct api_actor actor;
    json_t *out;
};

/*
 * Reads the body of a create or edit request into x (inst and now_ms set by the caller) and
 * checks it all, in order: the type (forbidden types cite their rule), the wording of the name
 * and text, the period, the audience, each type's members against the caller's own products and
 * content, tying, and the lexicon. Answers 4xx itself and returns false on the first failure.
 */
bool campaign_terms_or_reply(struct req *r, struct campaign_new *x);

/* The name and text through the lexicon: a blocking match answers 422 with the spans; otherwise
 * *check (OUT, malloc'd) is the check as JSON. */
bool campaign_lexicon_or_reply(struct req *r, const char *name, const char *text, char **check);

/* ---- a campaign's state, as edit, submit, withdraw and stop check it (campaigns_state.c) ---- */

/* A campaign as a change of state needs it: read on the reader first, then in the write. */
struct campaign_state_row {
    bool found;
    enum campaign_type type;
    enum campaign_state state; /* read at the request's time */
    bool delivered;            /* a segment message: its message has gone out */
};

/* Reads campaign `id` of institution `inst` at now_ms; found false when it is not theirs. */
enum store_rc campaign_state_read(struct store_conn *c, int64_t id, int64_t inst, int64_t now_ms,
                                  struct campaign_state_row *out, struct store_err *err);

/* On the reader, before the write: 404 when the campaign is not the caller's, 409
 * campaign_state when `a` is not allowed in its state now. */
bool campaign_action_or_reply(struct req *r, struct store_conn *c, int64_t id,
                              enum campaign_action a, struct campaign_state_row *out);

/*
 * The same inside the write, where it decides: STORE_ABORT with API_ABORT_NOT_FOUND, or with
 * API_ABORT_STATE and the sentence, *state (OUT) the state that refused it.
 */
enum store_rc campaign_action_check(struct store_conn *c, int64_t id, int64_t inst, int64_t now_ms,
                                    enum campaign_action a, enum campaign_state *state,
                                    struct store_err *err);

/* Answers a failed change of state: 409 campaign_state (with the state) for API_ABORT_STATE,
 * as api_write_failed otherwise. */
void campaign_write_failed(struct req *r, enum store_rc rc, const struct store_err *err,
                           enum campaign_state state);

/* "campaign:<id>", the subject of the campaign's audit entries and notifications. */
#define CAMPAIGN_SUBJECT_CAP 48
void campaign_subject(int64_t id, char out[CAMPAIGN_SUBJECT_CAP]);

#endif
