/*
 * trading.h: what the trading handlers share: the trading calendar as loaded from the
 * store, decimal fields of requests, and JSON for amounts.
 */
#ifndef CFH_TRADING_H
#define CFH_TRADING_H

#include "api/api.h"
#include "base/civil.h"
#include "core/calendar.h"

/*
 * Copies the trading calendar into out, loading it from the store on first use or after
 * tcal_invalidate(). STORE_OK, or the store's error.
 */
enum store_rc tcal_get(struct store *s, struct calendar *out, struct store_err *err);
/* Makes the next tcal_get reload (after an operator changed the calendar). */
void tcal_invalidate(void);

/*
 * Parses a decimal string field already taken by req_fields_or_reply: scale 2 for fen and
 * shares, 4 for NAV, 6 for rates. Answers 422 naming the field on anything but a number in
 * [min, max] with at most `scale` decimals.
 */
bool req_decimal_or_reply(struct req *r, const char *field, const char *s, size_t len, int scale,
                          int64_t min, int64_t max, int64_t *out);

/* "12345.67" (scale 2) / "1.0234" (scale 4) as a JSON string. */
json_t *json_decimal(int64_t v, int scale);

/* A date field "YYYY-MM-DD"; 422 naming the field otherwise. */
bool req_date_or_reply(struct req *r, const char *field, const char *s, size_t len,
                       struct civil_date *out);

#define API_PRODUCT_COLS                                                                         \
    "p.id, p.institution_id, p.code, p.name, p.type, p.equity_leaning, p.risk_level, p.status, " \
    "p.min_purchase_fen, p.daily_limit_fen, p.sub_fees, p.red_fees, p.discount_ppm, "            \
    "p.share_rounding, p.redeem_delay_days, p.prospectus_url, p.key_facts_url, p.benchmark, "    \
    "p.inception_date, p.demo, p.created_ms, p.updated_ms, "                                     \
    "(SELECT n.nav_e4 FROM navs n WHERE n.product_id = p.id AND n.confirmed = 1 "                \
    "ORDER BY n.nav_date DESC LIMIT 1), "                                                        \
    "(SELECT n.nav_date FROM navs n WHERE n.product_id = p.id AND n.confirmed = 1 "              \
    "ORDER BY n.nav_date DESC LIMIT 1)"

/* A product as JSON (products.c) from a row of API_PRODUCT_COLS. */
json_t *api_product_json(const struct store_row *row);
/* Loads a product; inst 0 for any institution, else only that institution's. STORE_DONE
 * when absent. */
enum store_rc api_load_product(struct store_conn *c, int64_t id, int64_t inst, json_t **out,
                               struct store_err *err);

#endif
