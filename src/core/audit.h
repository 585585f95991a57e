/*
 * audit.h: the hash chain of the audit log. Pure: the store keeps the rows.
 *
 * hash(n) = SHA-256(hash(n-1) ‖ canonical(entry n)), with hash(0) = 32 zero bytes. The
 * canonical form writes every field as "<byte length>:<bytes>;" in a fixed order, so no
 * two different entries share a canonical form (no separator can be smuggled into a
 * field). Changing, removing or reordering any entry breaks every later hash.
 */
#ifndef CFH_AUDIT_H
#define CFH_AUDIT_H

#include <stdint.h>

#include "base/crypto.h"

struct audit_entry {
    int64_t seq;
    int64_t at_ms;
    int64_t actor_user_id;  /* 0: the system (CLI, batch) */
    int64_t institution_id; /* 0: platform-wide */
    const char *actor_role;
    const char *action;  /* "institution.create", "staff.invite", ... */
    const char *subject; /* what it acted on: "institution:123" */
    const char *detail;  /* JSON object text */
};

void audit_hash(const uint8_t prev[CRYPTO_SHA256_BYTES], const struct audit_entry *e,
                uint8_t out[CRYPTO_SHA256_BYTES]);

#endif
