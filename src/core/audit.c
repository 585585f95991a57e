/* audit.c: canonical form and chained hash of audit entries (see audit.h). */
#include "core/audit.h"

#include "base/check.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void put_bytes(crypto_hash_sha256_state *st, const char *s, size_t n)
{
    char len[24];
    int k = snprintf(len, sizeof(len), "%zu:", n);
    crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)k);
    crypto_hash_sha256_update(st, (const unsigned char *)s, n);
    crypto_hash_sha256_update(st, (const unsigned char *)";", 1);
}

static void put_int(crypto_hash_sha256_state *st, int64_t v)
{
    char num[24];
    int k = snprintf(num, sizeof(num), "%lld", (long long)v);
    put_bytes(st, num, (size_t)k);
}

void audit_hash(const uint8_t prev[CRYPTO_SHA256_BYTES], const struct audit_entry *e,
                uint8_t out[CRYPTO_SHA256_BYTES])
{
    ASSERT(e != NULL && e->actor_role && e->action && e->subject && e->detail);
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, prev, CRYPTO_SHA256_BYTES);
    put_int(&st, e->seq);
    put_int(&st, e->at_ms);
    put_int(&st, e->actor_user_id);
    put_int(&st, e->institution_id);
    put_bytes(&st, e->actor_role, strlen(e->actor_role));
    put_bytes(&st, e->action, strlen(e->action));
    put_bytes(&st, e->subject, strlen(e->subject));
    put_bytes(&st, e->detail, strlen(e->detail));
    crypto_hash_sha256_final(&st, out);
}
