/*
 * cache.h: public answers kept until the next commit.
 *
 * Public pages (the institution list, a zone page) are read far more often than anything
 * behind them changes. An answer is kept with the store's generation (bumped by every
 * commit) and served while the generation is unchanged, so a change is visible on the next
 * request and no invalidation has to be remembered. A fixed number of slots, by key.
 */
#ifndef CFH_CACHE_H
#define CFH_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"

#define CACHE_SLOTS 256

/* Answers r from the cache (200, application/json) when key's answer is current. */
bool cache_reply(struct req *r, const char *space, int64_t key);

/* Keeps text (copied) as key's answer for the generation read before it was built. */
void cache_put(struct req *r, const char *space, int64_t key, uint64_t generation, const char *text,
               size_t len);

#endif
