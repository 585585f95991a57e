/* orders.h: order JSON shared by the order handlers and the batches. */
#ifndef CFH_ORDERS_H
#define CFH_ORDERS_H

#include "api/api.h"
#include "base/civil.h"

/* An integer column that may be null. */
struct order_opt {
    bool set;
    int64_t v;
};

/* One order as the API shows it: the columns it is read from, or what placing it wrote. */
struct order_view {
    int64_t id, product_id, institution_id, amount_fen, shares_h, placed_ms;
    int64_t campaign_id; /* 0: none */
    const char *client_order_id, *product_code, *product_name, *side, *status, *trade_date;
    const char *fail_reason, *cash_date; /* NULL: null */
    struct order_opt cancelled_ms, confirmed_ms, nav_e4, fee_fen, net_fen, gross_fen;
    struct order_opt confirmed_shares_h, cash_paid_ms, discount_fen;
};

/* The order's JSON (every order answer has this shape). */
json_t *api_order_json(const struct order_view *v);

/* Loads one order of `investor` (0: any investor) as JSON; STORE_DONE when absent. */
enum store_rc api_load_order(struct store_conn *c, int64_t id, int64_t investor, json_t **out,
                             struct store_err *err);

/* Adds the order's confirm_date: the trading day after its trade date, when its shares
 * (subscription) or its amount (redemption) are confirmed; null where the calendar does not
 * reach. For the answers that show an order to its investor. */
void api_order_add_dates(struct req *r, json_t *order);

/* The trading day after t (T+1) as a JSON string, or null where the calendar does not reach
 * or t is not a trading day. */
json_t *api_confirm_date_json(struct req *r, struct civil_date t);

/* A subscription that passed every check made before the write (product, suitability). */
struct order_subscription {
    int64_t investor, product, institution, amount_fen, daily_limit_fen, now_ms;
    const char *client_id, *trade_date;
};

/* The writer's half of placing a subscription, as the API runs it: insert (or find the
 * repeat of the client order id), daily limit, cash hold. For bench/orders/inproc.c and
 * seed-demo. */
enum store_rc api_order_place_subscription(struct store_conn *c, const struct order_subscription *o,
                                           int64_t *id, bool *existing, struct store_err *err);

/* A redemption that passed every check made before the write (product status). */
struct order_redemption {
    int64_t investor, product, institution, shares_h, now_ms;
    const char *client_id, *trade_date;
};

/* The writer's half of placing a redemption, as the API runs it: insert (or find the repeat
 * of the client order id) and hold the shares; STORE_ABORT when they are not available.
 * For seed-demo. */
enum store_rc api_order_place_redemption(struct store_conn *c, const struct order_redemption *o,
                                         int64_t *id, bool *existing, struct store_err *err);

/* Takes a subscription that no longer counts (cancelled, failed) off the investor's daily
 * total for the product (see the daily limit in orders.c). Inside a write. */
enum store_rc api_order_daily_release(struct store_conn *c, int64_t investor, int64_t product,
                                      const char *trade_date, int64_t amount_fen,
                                      struct store_err *err);

#endif
