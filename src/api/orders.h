/* orders.h: order JSON shared by the order handlers and the batches. */
#ifndef CFH_ORDERS_H
#define CFH_ORDERS_H

#include "api/api.h"

/* Loads one order of `investor` (0: any investor) as JSON; STORE_DONE when absent. */
enum store_rc api_load_order(struct store_conn *c, int64_t id, int64_t investor, json_t **out,
                             struct store_err *err);

#endif
