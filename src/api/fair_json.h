/*
 * fair_json.h: the fair rule's published texts (DESIGN §7, docs/fair-rule.md).
 *
 * A rule version is a JSON object:
 *
 *   {"terms": [{"metric": "answer_rate", "weight": 3, "direction": "higher",
 *               "normalisation": "range", "lo": 0, "hi": 1000000, "missing_ppm": 500000},
 *              {"metric": "follower_growth", "weight": 1, "direction": "higher",
 *               "normalisation": "relative", "missing_ppm": 0}],
 *    "floor_days": 30, "floor_ppm": 20000, "cap_ppm": 150000, "total": 100000}
 *
 * `direction` may be left out (the catalogue's own); `lo` and `hi` belong to range only.
 *
 * A day's record is the JSON object
 *
 *   {"format": 1, "date": "2026-03-02", "rule_version": 3, "rule_hash": HEX,
 *    "rule_text": TEXT, "total": N,
 *    "inputs":  [{"institution_id": "ID", "is_new": B, "metrics": {NAME: VALUE, ...}}, ...],
 *    "results": [{"institution_id": "ID", "norm_ppm": {NAME: PPM, ...}, "score_ppm": N,
 *                 "floor": N, "cap": N, "impressions": N}, ...],
 *    "prev_date": "2026-03-01" or null, "prev_hash": HEX}
 *
 * with institutions in ascending id order (the order fr_run needs). Canonical text: members
 * sorted by name, no blanks (jansson JSON_SORT_KEYS | JSON_COMPACT); every number in a
 * record is an integer and every string ASCII, so any JSON library that sorts keys and
 * omits blanks writes the same bytes. hash = SHA-256 of the canonical text; the signature is
 * Ed25519 over the 32 bytes of that hash (not its hex).
 *
 * Nothing here reads whether an institution is the platform's own: a record has no such
 * member, and neither has struct fr_input.
 */
#ifndef CFH_FAIR_JSON_H
#define CFH_FAIR_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/crypto.h"
#include "core/fairrule.h"

#define FAIR_HASH_HEX    (2 * CRYPTO_SHA256_BYTES + 1) /* hex digits and the NUL */
#define FAIR_SIG_HEX     (2 * CRYPTO_SIGN_BYTES + 1)
#define FAIR_KEY_HEX     (2 * CRYPTO_SIGN_PK_BYTES + 1)
#define FAIR_RECORD_FMT  1
#define FAIR_FIELD_BYTES 64
#define FAIR_MSG_BYTES   256

/* What is wrong with a text, and where: field "terms[2].weight", "" for the whole. */
struct fair_err {
    char field[FAIR_FIELD_BYTES];
    char msg[FAIR_MSG_BYTES];
};

/* Parses and checks (fr_rule_check) a rule object; false with err naming the field. */
bool fair_rule_parse(json_t *j, struct fr_rule *out, struct fair_err *err);

/* Parses stored or published rule text; false with err. */
bool fair_rule_load(const char *text, size_t len, struct fr_rule *out, struct fair_err *err);

/* The rule as its canonical JSON object (new reference). */
json_t *fair_rule_json(const struct fr_rule *r);

/* The platform's default rule, explained in plain words in docs/fair-rule.md (keep the two
 * in step). */
void fair_rule_default(struct fr_rule *out);

/* Canonical text of a JSON value (malloc'd, the caller frees); NULL when out of memory. */
char *fair_canonical(const json_t *j);

/* SHA-256 of n bytes as lower-case hex. */
void fair_sha256_hex(const void *p, size_t n, char out[FAIR_HASH_HEX]);

/* Everything a record holds. in/out are malloc'd by fair_record_parse (fair_day_release
 * frees them); a caller that builds one owns its own arrays and does not release. */
struct fair_day {
    struct civil_date date;
    int64_t rule_version;
    char rule_hash[FAIR_HASH_HEX];
    const char *rule_text; /* borrowed: from the caller, or from the parsed JSON */
    struct fr_rule rule;
    size_t n;
    struct fr_input *in;
    struct fr_output *out; /* the results as recorded */
    bool has_prev;
    struct civil_date prev_date;
    char prev_hash[FAIR_HASH_HEX];
};

/* The record as its JSON object (new reference); NULL when out of memory. */
json_t *fair_record_json(const struct fair_day *d);

/* Parses a record object (borrowed; d->rule_text points into it). false with err. */
bool fair_record_parse(json_t *rec, struct fair_day *d, struct fair_err *err);

void fair_day_release(struct fair_day *d);

/* The metrics an institution has, as a JSON object name -> value (new reference). */
json_t *fair_metrics_json(const bool has[FR_METRICS], const int64_t value[FR_METRICS]);
/* The rule's normalised metrics of one result (new reference). */
json_t *fair_norm_json(const struct fr_rule *r, const struct fr_output *o);

/* A day as the public endpoint answers it: the record and what stands beside it. */
struct fair_published {
    json_t *record;        /* borrowed */
    const char *hash;      /* hex */
    const char *prev_hash; /* hex */
    const char *signature; /* hex */
};

/* Called once per check with its outcome and a line that says what was compared. */
typedef void (*fair_note_fn)(void *ctx, bool ok, const char *line);

/*
 * Checks one published day: the record parses; its canonical hash is `hash`; rule_hash is
 * the SHA-256 of rule_text; fr_run on its inputs gives every recorded result, field by
 * field; its prev_hash is the published prev_hash and, when prev is given, the canonical
 * hash of the previous day's record, whose date is the record's prev_date (a first day
 * chains to 64 zeros and needs no prev); the signature verifies under pk (NULL: not
 * checked, and said so). Returns the number of failed checks (0: all hold).
 */
int fair_verify_day(const struct fair_published *day, const struct fair_published *prev,
                    const uint8_t *pk, fair_note_fn note, void *ctx);

/* 64 zeros: the prev_hash of the first published day. */
extern const char fair_zero_hash[FAIR_HASH_HEX];

#endif
