/*
 * campaigns_ops.c: campaigns as reviewers and investors meet them: the review queue's entries,
 * the reviewer's decision, and the attribution of an order to a campaign.
 *
 * Every submitted campaign waits for a reviewer. Approving a segment message within its period
 * sends its message then (the messages module's delivery); approving it before its first day
 * schedules it: the message stays held, decided, and the scheduler inside serve delivers it on
 * that day (api_campaign_deliver_due). Rejecting it rejects the message. The author is told
 * either way, in the same write.
 *
 * An order is attributed at placement only: a campaign stopped since refuses new orders like
 * an ended one, and the order's write checks the stop again (api_campaign_not_stopped).
 */
#include "api/campaigns.h"
#include "api/campaigns_int.h"
#include "api/handlers.h"
#include "api/messages.h"
#include "api/trading.h"

#include "base/check.h"
#include "base/utf8.h"

#include <stdio.h>
#include <string.h>

/* ---- review ---- */

static int collect_review(void *arr, const struct store_row *row)
{
    json_t *k = campaign_json(row);
    json_object_set_new(k, "institution_name",
                        json_string(store_row_text(row, CAMPAIGN_NCOLS, NULL)));
    json_array_append_new(arr, json_pack("{s:s,s:o}", "kind", "campaign", "item", k));
    return 0;
}

enum store_rc api_campaign_review_items(struct store_conn *c, json_t *items, struct store_err *err)
{
    struct store_val p[] = {SV_INT(LIMIT_PAGE_SIZE_MAX), SV_INT(0)};
    return store_query(
        c,
        "SELECT " CAMPAIGN_COLS(
            "?2") ", i.name FROM campaigns k JOIN "
                  "institutions i ON i.id = k.institution_id WHERE k.status = 'pending' "
                  "ORDER BY k.submitted_ms, k.id LIMIT ?1",
        p, 2, collect_review, items, err);
}

struct k_decision {
    int64_t id, inst, author, now_ms, start_ms, end_ms;
    bool approve, segment_message;
    const char *reason;
    char name[LIMIT_CAMPAIGN_NAME_CHARS_MAX * UTF8_SEQ_MAX + 1];
    struct api_actor actor;
    json_t *out;
};

static int take_pending(void *ctx, const struct store_row *row)
{
    struct k_decision *x = ctx;
    x->inst = store_row_int(row, 0);
    x->author = store_row_int(row, 1);
    snprintf(x->name, sizeof(x->name), "%s", store_row_text(row, 2, NULL));
    x->segment_message = strcmp(store_row_text(row, 3, NULL), "segment_message") == 0;
    x->start_ms = store_row_int(row, 4);
    x->end_ms = store_row_int(row, 5);
    return 1;
}

/* A segment message goes out (or is dropped) with its campaign's decision. */
static enum store_rc decide_message(struct store_conn *c, struct k_decision *x,
                                    struct store_err *err)
{
    if (x->approve && x->now_ms >= x->end_ms)
        return api_abort(err, API_ABORT_CONFLICT,
                         "a segment message is sent within its period, and this one's is over; "
                         "reject it");
    if (x->approve && x->now_ms < x->start_ms) { /* scheduled: delivered on its first day */
        struct store_val s[] = {SV_INT(x->actor.user_id), SV_INT(x->now_ms), SV_TEXT(x->reason),
                                SV_INT(x->id)};
        return store_exec(c,
                          "UPDATE messages SET decided_by = ?, decided_ms = ?, reason = ? WHERE "
                          "campaign_id = ? AND status = 'held'",
                          s, 4, NULL, err);
    }
    int64_t sent = 0;
    enum store_rc rc = x->approve ? api_message_delivery_ms(c, x->now_ms, &sent, err) : STORE_OK;
    struct store_val u[] = {SV_TEXT(x->approve ? "delivered" : "rejected"),
                            x->approve ? SV_INT(sent) : SV_NULL_,
                            SV_INT(x->actor.user_id),
                            SV_INT(x->now_ms),
                            SV_TEXT(x->reason),
                            SV_INT(x->id)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE messages SET status = ?, sent_ms = ?, decided_by = ?, decided_ms "
                        "= ?, reason = ? WHERE campaign_id = ? AND status = 'held'",
                        u, 6, NULL, err);
    return rc;
}

static enum store_rc notify_author(struct store_conn *c, struct k_decision *x, const char *subject,
                                   struct store_err *err)
{
    if (x->approve)
        return api_notify(c, x->author, "campaign_approved", subject, x->now_ms, err,
                          "营销活动「%s」已通过审核，将在活动期内进行。审核意见：%s", x->name,
                          x->reason);
    return api_notify(c, x->author, "campaign_rejected", subject, x->now_ms, err,
                      "营销活动「%s」未通过审核，不会进行。理由：%s", x->name, x->reason);
}

static enum store_rc k_decide_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct k_decision *x = ctx;
    struct store_val q[] = {SV_INT(x->id)};
    x->inst = 0;
    enum store_rc rc = store_query(c,
                                   "SELECT institution_id, submitted_by, name, type, start_ms, "
                                   "end_ms FROM campaigns WHERE id = ? AND status = 'pending'",
                                   q, 1, take_pending, x, err);
    if (rc == STORE_OK && x->inst == 0)
        return api_abort(err, API_ABORT_NOT_FOUND, "no campaign %lld waiting for review",
                         (long long)x->id);
    if (rc == STORE_OK && x->segment_message)
        rc = decide_message(c, x, err);
    struct store_val u[] = {SV_TEXT(x->approve ? "approved" : "rejected"), SV_INT(x->actor.user_id),
                            SV_INT(x->now_ms), SV_TEXT(x->reason), SV_INT(x->id)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE campaigns SET status = ?, decided_by = ?, decided_ms = ?, reason "
                        "= ? WHERE id = ?",
                        u, 5, NULL, err);
    char subject[48];
    snprintf(subject, sizeof(subject), "campaign:%lld", (long long)x->id);
    if (rc == STORE_OK)
        rc = api_moderation(c, subject, x->inst, x->approve ? "approve" : "reject", x->reason,
                            x->actor.user_id, x->now_ms, err);
    json_t *d = json_pack("{s:b,s:s}", "approve", x->approve, "reason", x->reason);
    if (rc == STORE_OK)
        rc = api_audit(c, &x->actor, x->inst, "campaign.decide", subject, d, x->now_ms, err);
    json_decref(d);
    if (rc == STORE_OK)
        rc = notify_author(c, x, subject, err);
    return rc == STORE_OK ? campaign_load(c, x->id, 0, x->now_ms, &x->out, err) : rc;
}

static void k_decide_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct k_decision *x = r->write.ctx;
    if (rc != STORE_OK) {
        json_decref(x->out);
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "campaign", x->out));
}

void api_ops_campaign_decide(struct req *r)
{
    struct k_decision *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id) ||
        !api_decision_or_reply(r, &x->approve, &x->reason))
        return;
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, k_decide_write, x, k_decide_then);
}

/* ---- attribution of an order ---- */

/*
 * What the attribution rules read of campaign row `k` for the investor bound as ?1 and the
 * product as ?2, as columns (take_attribution reads them in this order). The order check and the
 * list of offers (below) select exactly these, so that both answer by the same rules.
 */
#define ATTRIBUTION_COLS                                                         \
    "k.institution_id, k.type, k.status, k.start_ms, k.end_ms, k.spent_fen >= "  \
    "k.budget_fen, k.segment, EXISTS (SELECT 1 FROM campaign_products cp WHERE " \
    "cp.campaign_id = k.id AND cp.product_id = ?2), " CAMPAIGN_AUDIENCE_SQL      \
    ", k.stopped_ms IS NOT NULL"

/* The number of columns of ATTRIBUTION_COLS: a statement's next column is this one. */
#define ATTRIBUTION_NCOLS 10

struct attribution {
    bool found, covers, in_audience, all, exhausted, discount, stopped;
    int64_t inst, start_ms, end_ms;
    char status[16];
};

static void read_attribution(struct attribution *a, const struct store_row *row)
{
    a->found = true;
    a->inst = store_row_int(row, 0);
    a->discount = strcmp(store_row_text(row, 1, NULL), "fee_discount") == 0;
    snprintf(a->status, sizeof(a->status), "%s", store_row_text(row, 2, NULL));
    a->start_ms = store_row_int(row, 3);
    a->end_ms = store_row_int(row, 4);
    a->exhausted = store_row_int(row, 5) != 0;
    a->all = strcmp(store_row_text(row, 6, NULL), "all") == 0;
    a->covers = store_row_int(row, 7) != 0;
    a->in_audience = store_row_int(row, 8) != 0;
    a->stopped = store_row_int(row, 9) != 0;
}

static int take_attribution(void *ctx, const struct store_row *row)
{
    read_attribution(ctx, row);
    return 1;
}

/* Why the order cannot be attributed ({reason code, words}), or NULL when it can. */
static const char *refusal(const struct attribution *a, int64_t institution, int64_t now_ms,
                           bool opted_out, const char **words)
{
    struct {
        bool broken;
        const char *code, *words;
    } rules[] = {
        {!a->found, "not_found", "there is no such campaign"},
        {a->inst != institution, "other_institution",
         "the campaign is another institution's, not this product's"},
        {strcmp(a->status, "approved") != 0, "not_approved", "the campaign is not approved"},
        {a->stopped, "stopped", "the campaign was stopped by its institution"},
        {now_ms < a->start_ms || now_ms >= a->end_ms, "not_running",
         "the campaign is not running now (outside its period)"},
        {a->discount && a->exhausted, "budget_spent", "the campaign's budget is spent"},
        {!a->covers, "product_not_covered", "the campaign does not apply to this product"},
        {!a->all && opted_out, "opted_out",
         "you opted out of personalised marketing, and this campaign is for a segment of "
         "investors"},
        {!a->in_audience, "not_in_audience", "you are not in the campaign's audience"},
    };
    for (size_t i = 0; i < ARRAY_LEN(rules); i++)
        if (rules[i].broken) {
            *words = rules[i].words;
            return rules[i].code;
        }
    return NULL;
}

bool api_campaign_attribution_or_reply(struct req *r, struct store_conn *c, int64_t campaign,
                                       int64_t investor, int64_t product, int64_t institution)
{
    struct attribution a = {0};
    struct store_err err;
    struct store_val p[] = {SV_INT(investor), SV_INT(product), SV_INT(campaign)};
    enum store_rc rc =
        store_query(c, "SELECT " ATTRIBUTION_COLS " FROM campaigns k WHERE k.id = ?3", p, 3,
                    take_attribution, &a, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return false;
    }
    const char *words = NULL;
    const char *why = refusal(&a, institution, r->now_ms,
                              a.found && !a.all && api_marketing_opted_out(c, investor), &words);
    if (why == NULL)
        return true;
    req_problem_with(r, 422, "campaign_not_applicable",
                     json_pack("{s:s,s:s}", "field", "campaign_id", "reason", why),
                     "the order cannot be placed through campaign %lld: %s", (long long)campaign,
                     words);
    return false;
}

enum store_rc api_campaign_not_stopped(struct store_conn *c, int64_t campaign,
                                       struct store_err *err)
{
    int64_t stopped = 0;
    struct store_val p[] = {SV_INT(campaign)};
    enum store_rc rc = store_query_int(
        c, "SELECT stopped_ms IS NOT NULL FROM campaigns WHERE id = ?", p, 1, &stopped, err);
    /* The reader found it: campaigns are never deleted. */
    ASSERT(rc != STORE_DONE);
    if (rc == STORE_OK && stopped)
        return api_abort(err, API_ABORT_CAMPAIGN,
                         "the order cannot be placed through campaign %lld: the campaign was "
                         "stopped by its institution",
                         (long long)campaign);
    return rc;
}

/* ---- the discount an attributed order gets ---- */

struct discount_terms {
    bool found;
    int64_t off_ppm, left_fen;
};

static int take_terms(void *ctx, const struct store_row *row)
{
    struct discount_terms *t = ctx;
    t->found = true;
    t->off_ppm = store_row_int(row, 0);
    t->left_fen = store_row_int(row, 1);
    return 1;
}

enum store_rc api_campaign_discount_terms(struct store_conn *c, int64_t campaign, int64_t *off_ppm,
                                          int64_t *left_fen, struct store_err *err)
{
    struct discount_terms t = {0};
    struct store_val q[] = {SV_INT(campaign)};
    enum store_rc rc = store_query(c,
                                   "SELECT CASE type WHEN 'fee_discount' THEN discount_ppm ELSE "
                                   "0 END, budget_fen - spent_fen FROM campaigns WHERE id = ?",
                                   q, 1, take_terms, &t, err);
    if (rc == STORE_OK && !t.found)
        return STORE_DONE;
    /* The table refuses spent_fen > budget_fen (a CHECK) and discount_ppm outside 0..10^6. */
    ASSERT(rc != STORE_OK || (t.left_fen >= 0 && t.off_ppm >= 0));
    *off_ppm = t.off_ppm;
    *left_fen = t.left_fen;
    return rc;
}

/* ---- scheduled segment messages ---- */

enum store_rc api_campaign_deliver_due(struct store_conn *c, int64_t now_ms, int64_t *delivered,
                                       struct store_err *err)
{
    int64_t sent = 0;
    enum store_rc rc = api_message_delivery_ms(c, now_ms, &sent, err);
    struct store_val p[] = {SV_INT(sent), SV_INT(now_ms)};
    /* One delivery time for all: they are delivered in one write, at one moment. */
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE messages SET status = 'delivered', sent_ms = ?1 WHERE status = "
                        "'held' AND decided_ms IS NOT NULL AND campaign_id IN (SELECT id FROM "
                        "campaigns WHERE type = 'segment_message' AND status = 'approved' AND "
                        "stopped_ms IS NULL AND start_ms <= ?2 AND ?2 < end_ms)",
                        p, 2, delivered, err);
    return rc;
}

/* ---- the offers an investor may use on a product ---- */

/* One candidate: what the attribution rules read of it, and what the investor is shown. */
struct offer {
    struct attribution a;
    json_t *json;
};

struct offers {
    struct offer item[LIMIT_CAMPAIGN_OFFERS_SCAN];
    size_t n;
    bool segmented; /* some candidate is for a segment: the opt-out must be read */
};

static int collect_offer(void *ctx, const struct store_row *row)
{
    struct offers *o = ctx;
    /* The statement's LIMIT is the array's size. */
    ASSERT(o->n < ARRAY_LEN(o->item));
    struct offer *x = &o->item[o->n++];
    read_attribution(&x->a, row);
    int k = ATTRIBUTION_NCOLS;
    x->json = json_pack(
        "{s:o,s:s,s:s,s:o,s:s,s:s,s:o,s:s,s:b}", "id", json_id(store_row_int(row, k)), "name",
        store_row_text(row, k + 1, NULL), "text", store_row_text(row, k + 2, NULL), "discount",
        json_decimal(store_row_int(row, k + 3), 6), "start_date", store_row_text(row, k + 4, NULL),
        "end_date", store_row_text(row, k + 5, NULL), "institution_id", json_id(x->a.inst),
        "institution_name", store_row_text(row, k + 6, NULL), "has_budget_left", !x->a.exhausted);
    o->segmented = o->segmented || !x->a.all;
    return 0;
}

/* The institution of a product investors may see (its institution pilot or live), or 404. */
static bool visible_product_or_reply(struct req *r, struct store_conn *c, int64_t product,
                                     int64_t *inst)
{
    struct store_err err;
    struct store_val q[] = {SV_INT(product)};
    enum store_rc rc = store_query_int(c,
                                       "SELECT p.institution_id FROM products p JOIN institutions "
                                       "i ON i.id = p.institution_id WHERE p.id = ? AND "
                                       "i.status IN ('pilot', 'live')",
                                       q, 1, inst, &err);
    if (rc == STORE_DONE)
        req_problem(r, 404, "not_found", NULL, "no product %lld", (long long)product);
    else if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    return rc == STORE_OK;
}

/*
 * GET /api/v1/investor/products/{id}/campaigns: the fee discounts the caller may name when
 * buying the product now, best discount first. A campaign is listed exactly when an order
 * naming it would be attributed to it: every candidate goes through refusal(), the rules of
 * api_campaign_attribution_or_reply, read from the same columns. The statement only narrows the
 * scan to fee discounts of the product that are approved, not stopped and not over (drafts,
 * rejected, stopped and ended ones pile up over the years); the rules decide.
 *
 * Of the budget, only that some is left is shown (every listed offer has some): the figures
 * are the institution's, and how much is left would only press the investor to hurry.
 */
void api_inv_product_campaigns(struct req *r)
{
    int64_t product = 0, inst = 0;
    if (!req_param_id_or_reply(r, 0, &product))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL || !visible_product_or_reply(r, c, product, &inst))
        return;
    struct offers *o = arena_zalloc(&r->arena, sizeof(*o));
    if (o == NULL) {
        req_problem(r, 503, "unavailable", NULL, "out of memory; try again");
        return;
    }
    struct store_err err;
    int64_t investor = r->sess.user_id;
    struct store_val p[] = {SV_INT(investor), SV_INT(product), SV_INT(r->now_ms),
                            SV_INT(LIMIT_CAMPAIGN_OFFERS_SCAN)};
    enum store_rc rc = store_query(
        c,
        "SELECT " ATTRIBUTION_COLS ", k.id, k.name, k.text, k.discount_ppm, k.start_date, "
        "k.end_date, i.name FROM campaigns k JOIN campaign_products cp ON cp.campaign_id = "
        "k.id AND cp.product_id = ?2 JOIN institutions i ON i.id = k.institution_id WHERE "
        "k.type = 'fee_discount' AND k.status = 'approved' AND k.stopped_ms IS NULL AND "
        "k.end_ms > ?3 ORDER BY k.discount_ppm DESC, k.end_ms, k.id LIMIT ?4",
        p, 4, collect_offer, o, &err);
    json_t *items = json_array();
    /* Read once, and only when it matters, as the order check does. */
    bool opted_out = rc == STORE_OK && o->segmented && api_marketing_opted_out(c, investor);
    for (size_t i = 0; i < o->n; i++) {
        const char *words = NULL;
        if (rc == STORE_OK && refusal(&o->item[i].a, inst, r->now_ms, opted_out, &words) == NULL)
            json_array_append_new(items, o->item[i].json);
        else
            json_decref(o->item[i].json);
    }
    if (rc != STORE_OK) {
        json_decref(items);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o,s:o}", "product_id", json_id(product), "items", items));
}
