/*
 * ratelimit.c: per-client token buckets. Each IPv4 address gets rate_limit_rps tokens per
 * second up to rate_limit_burst; a request takes one; an empty bucket is a 429 with
 * Retry-After. Buckets live in a fixed table (LIMIT_RATE_BUCKETS) indexed by a hash of
 * the address: a colliding address takes the slot over with a full bucket, which errs on
 * the side of letting a request through, never of refusing an innocent client.
 */
#include "http/http_int.h"

#include <stdio.h>

bool rate_allow_or_reply(struct req *r)
{
    int64_t rps = r->cfg->rate_limit_rps;
    if (rps == 0)
        return true;
    int64_t burst_milli = r->cfg->rate_limit_burst * 1000;
    /* Fibonacci hashing: the product's top bits depend on every bit of the address (its low
     * bits would depend only on the first octets, the same for a whole network). */
    uint32_t h = r->ip * 2654435761u;
    size_t slot = (h >> 16) % LIMIT_RATE_BUCKETS;
    pthread_mutex_t *lock = &r->srv->rate_lock[slot % 16];
    pthread_mutex_lock(lock);
    struct rate_bucket *b = &r->srv->rate[slot];
    if (b->ip != r->ip || b->last_ms == 0) {
        b->ip = r->ip;
        b->tokens_milli = burst_milli;
        b->last_ms = r->now_ms;
    }
    int64_t elapsed = r->now_ms - b->last_ms;
    if (elapsed > 0) {
        /* rps tokens per 1000 ms = rps milli-tokens per ms. */
        int64_t add = elapsed * rps;
        b->tokens_milli = b->tokens_milli + add > burst_milli ? burst_milli : b->tokens_milli + add;
        b->last_ms = r->now_ms;
    }
    bool ok = b->tokens_milli >= 1000;
    int64_t wait_ms = 0;
    if (ok)
        b->tokens_milli -= 1000;
    else
        wait_ms = ((1000 - b->tokens_milli) + rps - 1) / rps;
    pthread_mutex_unlock(lock);
    if (ok)
        return true;
    char retry[24];
    snprintf(retry, sizeof(retry), "%lld", (long long)(wait_ms + 999) / 1000);
    req_problem(r, 429, "rate_limited", NULL,
                "too many requests from this address; retry in "
                "%s s",
                retry);
    req_add_header(r, "Retry-After", retry);
    return false;
}
