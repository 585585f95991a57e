/*
 * investor.h: an investor's real-name details and risk assessment, as the handlers store them,
 * for the callers that are not handlers (the demonstration data of `caifuhao seed-demo`).
 */
#ifndef CFH_INVESTOR_H
#define CFH_INVESTOR_H

#include "api/api.h"
#include "base/civil.h"
#include "base/crypto.h"
#include "base/keyring.h"
#include "core/questionnaire.h"

/* Real-name details checked and sealed with the data key: only masked forms in clear. */
struct api_profile {
    int64_t investor, now_ms;
    char name_masked[64], id_masked[32], card_masked[40], birth[CIVIL_DATE_CAP];
    uint8_t name_enc[LIMIT_PII_BYTES_MAX + CRYPTO_SEAL_OVERHEAD];
    uint8_t id_enc[LIMIT_PII_BYTES_MAX + CRYPTO_SEAL_OVERHEAD];
    uint8_t card_enc[LIMIT_PII_BYTES_MAX + CRYPTO_SEAL_OVERHEAD];
    size_t name_len, id_len, card_len;
    uint32_t key_id;            /* the ring's key that sealed all three: its newest */
    const struct keyring *ring; /* re-seals a stored row under key_id before a new card joins it */
};

/*
 * Checks a name (1 to 32 characters, no digits), a resident ID number (GB 11643, born by
 * `now_ms`) and a bank card (Luhn), then masks and seals them into *out under ring's newest
 * key (ring must outlive *out). False when one is not valid: *field names it ("real_name",
 * "id_number", "bank_card") and msg says why.
 */
bool api_profile_seal(const struct keyring *ring, int64_t now_ms, const char *name, size_t nlen,
                      const char *id, size_t ilen, const char *card, size_t clen,
                      struct api_profile *out, const char **field, char *msg, size_t msg_cap);

/* Stores out->investor's details (inside a write). STORE_ABORT (conflict) when the investor's
 * verified identity would change: only the bank card may. A stored row sealed under another
 * key is re-sealed under p->key_id first, so that one key_id keeps naming all three columns. */
enum store_rc api_profile_store(struct store_conn *c, const struct api_profile *p,
                                struct store_err *err);

/*
 * Re-seals investor's stored profile (inside a write) under ring's newest key, unsealing with
 * the key the row names. STORE_OK when re-sealed; STORE_DONE when there is no such row or it
 * is already under the newest key; STORE_ERROR when the row's key is not in the ring or does
 * not open it (the message says which).
 */
enum store_rc api_profile_reseal(struct store_conn *c, const struct keyring *ring, int64_t investor,
                                 struct store_err *err);

/* Stores an answer sheet scored as *res against questionnaire `version` (inside a write);
 * STORE_ABORT (conflict) when that is no longer the current version. */
enum store_rc api_assessment_store(struct store_conn *c, int64_t id, int64_t investor,
                                   int64_t version, const char *answers_json,
                                   const struct quest_result *res, int64_t now_ms,
                                   struct store_err *err);

#endif
