/*
 * messages.h: what the messages module (messages.c) shares with campaigns.c, whose segment
 * messages are messages of this module: the same audiences, daily limit and delivery times.
 */
#ifndef CFH_MESSAGES_H
#define CFH_MESSAGES_H

#include "api/api.h"

/*
 * The delivery time of a message delivered now, inside a write: the clock, or one millisecond
 * after the latest delivery when the clock has not moved past it, so that delivery times are
 * strictly increasing in the writer's order (the inbox's mark-all-read relies on it).
 */
enum store_rc api_message_delivery_ms(struct store_conn *c, int64_t now_ms, int64_t *out,
                                      struct store_err *err);

/*
 * The daily limit, inside a write: STORE_OK while the institution has delivered today (UTC+8)
 * and has waiting for a reviewer fewer than LIMIT_MESSAGES_PER_DAY messages; otherwise
 * STORE_ABORT with API_ABORT_LIMIT and *resets_ms (OUT) the next midnight UTC+8.
 */
enum store_rc api_message_within_limit(struct store_conn *c, int64_t inst, int64_t now_ms,
                                       int64_t *resets_ms, struct store_err *err);

/* Answers the limit's refusal: 429 limit_exceeded with limit, resets_ms and Retry-After. */
void api_message_limit_reply(struct req *r, const struct store_err *err, int64_t resets_ms,
                             int64_t now_ms);

/*
 * The audience a message would reach now (*reach, OUT): the zone's followers, or the holders
 * of `product` (0: of any product of the institution), less those who muted the zone, and for
 * a campaign's segment message (`marketing`) less those who opted out of personalised
 * marketing (they never see it).
 */
enum store_rc api_message_reach(struct store_conn *c, int64_t inst, bool holders, int64_t product,
                                bool marketing, int64_t *reach, struct store_err *err);

#endif
