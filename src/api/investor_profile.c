/*
 * investor_profile.c: real-name details and the risk assessment of an investor.
 *
 * The name, ID number and bank card are sealed with the data key before they reach the
 * database (crypto_seal); only masked forms are ever returned. The risk questionnaire's
 * version is stored with every answer sheet, so an assessment can always be re-read
 * against the exact questions the investor answered.
 */
#include "api/handlers.h"
#include "api/investor.h"
#include "api/questionnaires.h"
#include "api/trading.h"

#include "base/check.h"
#include "base/crypto.h"
#include "base/utf8.h"
#include "core/identity.h"
#include "core/questionnaire.h"
#include "core/suitability.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- questionnaire ---- */

void api_inv_questionnaire(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct quest_def d;
    struct store_err err;
    enum store_rc rc = quest_def_current(c, &d, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "questionnaire", quest_def_public(&d)));
    quest_def_release(&d);
}

static json_t *assessment_json(int64_t id, int version, int32_t score, int category, bool lowest,
                               int64_t taken_ms, int64_t now_ms)
{
    int64_t until = quest_valid_until_ms(taken_ms);
    return json_pack("{s:o,s:i,s:i,s:s,s:s,s:s,s:b,s:I,s:I,s:b}", "id", json_id(id),
                     "questionnaire_version", version, "score", (int)score, "category",
                     suit_category_code(category), "category_name", suit_category_name(category),
                     "max_risk_level", suit_risk_code(lowest ? 1 : suit_risk_limit(category)),
                     "lowest", lowest, "taken_ms", (json_int_t)taken_ms, "valid_until_ms",
                     (json_int_t)until, "valid", quest_is_valid(taken_ms, now_ms));
}

struct assess {
    int64_t id, investor, now_ms, version;
    struct quest_result res;
    char *answers_text;
    json_t *out;
};

enum store_rc api_assessment_store(struct store_conn *c, int64_t id, int64_t investor,
                                   int64_t version, const char *answers_json,
                                   const struct quest_result *res, int64_t now_ms,
                                   struct store_err *err)
{
    enum store_rc rc = quest_def_ensure_stored(c, err);
    if (rc != STORE_OK)
        return rc;
    /* The version answered must still be the current one when the sheet is stored. */
    int64_t current = 0;
    rc = store_query_int(c, "SELECT MAX(version) FROM questionnaires", NULL, 0, &current, err);
    if (rc != STORE_OK)
        return rc;
    if (current != version)
        return api_abort(err, API_ABORT_CONFLICT,
                         "the questionnaire changed while you answered it; answer version %lld",
                         (long long)current);
    struct store_val p[] = {SV_INT(id),
                            SV_INT(investor),
                            SV_INT(version),
                            SV_TEXT(answers_json),
                            SV_INT(res->total),
                            SV_INT(res->category),
                            SV_INT(res->lowest ? 1 : 0),
                            SV_INT(now_ms),
                            SV_INT(quest_valid_until_ms(now_ms))};
    return store_exec(c,
                      "INSERT INTO risk_assessments (id, investor_id, questionnaire_version, "
                      "answers, score, category, lowest, taken_ms, valid_until_ms) VALUES "
                      "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      p, 9, NULL, err);
}

static enum store_rc assess_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct assess *x = ctx;
    return api_assessment_store(c, x->id, x->investor, x->version, x->answers_text, &x->res,
                                x->now_ms, err);
}

static void assess_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct assess *x = r->write.ctx;
    free(x->answers_text);
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 201,
                   json_pack("{s:o}", "assessment",
                             assessment_json(x->id, (int)x->version, x->res.total, x->res.category,
                                             x->res.lowest, x->now_ms, x->now_ms)));
}

void api_inv_assess(struct req *r)
{
    json_t *j = req_json_or_reply(r);
    struct assess *x = arena_zalloc(&r->arena, sizeof(*x));
    int64_t version = 0;
    json_t *answers = NULL;
    struct field f[] = {
        FIELD_INT("questionnaire_version", true, &version),
        FIELD_ARRAY("answers", true, 1, QUEST_QUESTIONS_MAX, &answers),
    };
    if (j == NULL || x == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    struct store_conn *c = req_reader_or_reply(r);
    struct quest_def d;
    struct store_err err;
    enum store_rc rc = c ? quest_def_current(c, &d, &err) : STORE_CLOSED;
    if (rc != STORE_OK) {
        if (c != NULL)
            req_store_problem(r, rc, &err);
        return;
    }
    x->version = d.version;
    if (version != d.version) {
        quest_def_release(&d);
        req_problem(r, 409, "questionnaire_outdated", "questionnaire_version",
                    "the questionnaire has changed (current version %lld); answer it again",
                    (long long)x->version);
        return;
    }
    int picks[QUEST_QUESTIONS_MAX];
    size_t n = json_array_size(answers);
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_array_get(answers, i);
        if (!json_is_integer(a) || json_integer_value(a) < 0 || json_integer_value(a) > 100) {
            quest_def_release(&d);
            req_problem(r, 422, "invalid_field", "answers",
                        "answers[%zu] must be the index of an option", i);
            return;
        }
        picks[i] = (int)json_integer_value(a);
    }
    struct quest_error qe;
    rc = quest_score(&d.q, picks, n, &x->res, &qe) == QUEST_OK ? STORE_OK : STORE_ABORT;
    quest_def_release(&d);
    if (rc != STORE_OK) {
        req_problem(r, 422, "invalid_field", "answers", "%s", qe.msg);
        return;
    }
    x->id = crypto_random_id();
    x->investor = r->sess.user_id;
    x->now_ms = r->now_ms;
    x->answers_text = json_dumps(answers, JSON_COMPACT);
    req_write(r, assess_write, x, assess_then);
}

static int take_assessment_json(void *ctx, const struct store_row *row)
{
    int64_t *now = ((int64_t **)ctx)[1];
    *((json_t ***)ctx)[0] = assessment_json(
        store_row_int(row, 0), (int)store_row_int(row, 1), (int32_t)store_row_int(row, 2),
        (int)store_row_int(row, 3), store_row_int(row, 4) != 0, store_row_int(row, 5), *now);
    return 1;
}

void api_inv_assessment(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *out = NULL;
    void *ctx[2] = {&out, &r->now_ms};
    struct store_err err;
    struct store_val p[] = {SV_INT(r->sess.user_id)};
    enum store_rc rc = store_query(c,
                                   "SELECT id, questionnaire_version, score, category, lowest, "
                                   "taken_ms FROM risk_assessments WHERE investor_id = ? "
                                   "ORDER BY taken_ms DESC LIMIT 1",
                                   p, 1, take_assessment_json, ctx, &err);
    if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    else if (out == NULL)
        req_problem(r, 404, "not_found", NULL, "no risk assessment yet: take the questionnaire");
    else
        req_reply_json(r, 200, json_pack("{s:o}", "assessment", out));
}

/* ---- real-name profile ---- */

enum store_rc api_profile_store(struct store_conn *c, const struct api_profile *x,
                                struct store_err *err)
{
    /* The identity is fixed once verified; only the bank card may change. */
    struct store_val q[] = {SV_INT(x->investor), SV_TEXT(x->id_masked)};
    int64_t one = 0;
    enum store_rc rc = store_query_int(c,
                                       "SELECT 1 FROM investor_profiles WHERE user_id = ? AND "
                                       "id_number_masked <> ?",
                                       q, 2, &one, err);
    if (rc == STORE_OK)
        return api_abort(err, API_ABORT_CONFLICT,
                         "your real-name identity is already verified and cannot be changed here");
    if (rc != STORE_DONE)
        return rc;
    rc = api_profile_reseal(c, x->ring, x->investor, err);
    if (rc != STORE_OK && rc != STORE_DONE)
        return rc;
    struct store_val p[] = {
        SV_INT(x->key_id),
        SV_INT(x->investor),
        SV_BLOB(x->name_enc, x->name_len),
        SV_BLOB(x->id_enc, x->id_len),
        SV_TEXT(x->name_masked),
        SV_TEXT(x->id_masked),
        SV_TEXT(x->birth),
        SV_BLOB(x->card_enc, x->card_len),
        SV_TEXT(x->card_masked),
        SV_INT(x->now_ms),
        SV_INT(x->now_ms),
    };
    return store_exec(c,
                      "INSERT INTO investor_profiles (key_id, user_id, real_name_enc, "
                      "id_number_enc, real_name_masked, id_number_masked, birth_date, "
                      "bank_card_enc, bank_card_masked, created_ms, updated_ms) VALUES (?, ?, ?, "
                      "?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET bank_card_enc = "
                      "excluded.bank_card_enc, bank_card_masked = excluded.bank_card_masked, "
                      "updated_ms = excluded.updated_ms",
                      p, 11, NULL, err);
}

/* A stored profile's sealed columns, as read for re-sealing. */
struct sealed_row {
    bool found;
    int64_t key_id;
    size_t len[3]; /* 0: the column is NULL (the bank card may be) */
    bool too_long; /* a column larger than any seal of LIMIT_PII_BYTES_MAX bytes */
    uint8_t blob[3][LIMIT_PII_BYTES_MAX + CRYPTO_SEAL_OVERHEAD];
};

static int take_sealed(void *ctx, const struct store_row *row)
{
    struct sealed_row *s = ctx;
    s->found = true;
    s->key_id = store_row_int(row, 0);
    for (int i = 0; i < 3; i++) {
        size_t n = 0;
        const void *b = store_row_is_null(row, i + 1) ? NULL : store_row_blob(row, i + 1, &n);
        if (n > sizeof(s->blob[i]))
            s->too_long = true;
        else if (b != NULL)
            memcpy(s->blob[i], b, n);
        s->len[i] = n <= sizeof(s->blob[i]) ? n : 0;
    }
    return 1;
}

/* Unseals each present column of *s under `from` and seals it again under `to`, in place. */
static bool reseal_columns(struct sealed_row *s, const uint8_t *from, const uint8_t *to)
{
    uint8_t plain[LIMIT_PII_BYTES_MAX];
    bool ok = !s->too_long;
    for (int i = 0; i < 3 && ok; i++) {
        size_t n = s->len[i];
        if (n == 0)
            continue;
        ok = n >= CRYPTO_SEAL_OVERHEAD && crypto_unseal(from, s->blob[i], n, plain);
        if (ok)
            crypto_seal(to, plain, n - CRYPTO_SEAL_OVERHEAD, s->blob[i]);
    }
    crypto_wipe(plain, sizeof(plain));
    return ok;
}

enum store_rc api_profile_reseal(struct store_conn *c, const struct keyring *ring, int64_t investor,
                                 struct store_err *err)
{
    ASSERT(ring != NULL && ring->n >= 1);
    static _Thread_local struct sealed_row s; /* ~400 bytes of blobs: off the writer's stack */
    memset(&s, 0, sizeof(s));
    struct store_val q[] = {SV_INT(investor)};
    enum store_rc rc = store_query(c,
                                   "SELECT key_id, real_name_enc, id_number_enc, bank_card_enc "
                                   "FROM investor_profiles WHERE user_id = ?",
                                   q, 1, take_sealed, &s, err);
    const struct keyring_key *to = keyring_newest(ring);
    if (rc != STORE_OK || !s.found || s.key_id == (int64_t)to->id)
        return rc != STORE_OK ? rc : STORE_DONE;
    const struct keyring_key *from = keyring_find(ring, s.key_id);
    if (from == NULL) /* a newer key than this process loaded: 503 until it is restarted */
        return api_abort(err, API_ABORT_UNAVAILABLE,
                         "the profile of investor %lld is sealed under data key %lld, which is "
                         "not in the key ring this process loaded (restart it after "
                         "'caifuhao keys rotate')",
                         (long long)investor, (long long)s.key_id);
    if (!reseal_columns(&s, from->key, to->key))
        return store_fail(err, STORE_ERROR,
                          "the profile of investor %lld does not unseal under data key %lld",
                          (long long)investor, (long long)s.key_id);
    struct store_val p[] = {
        SV_BLOB(s.blob[0], s.len[0]),
        SV_BLOB(s.blob[1], s.len[1]),
        s.len[2] > 0 ? SV_BLOB(s.blob[2], s.len[2]) : SV_NULL_,
        SV_INT(to->id),
        SV_INT(investor),
        SV_INT(s.key_id),
    };
    /* The key_id condition: a row changed since it was read is left to the next run. */
    rc = store_exec(c,
                    "UPDATE investor_profiles SET real_name_enc = ?, id_number_enc = ?, "
                    "bank_card_enc = ?, key_id = ? WHERE user_id = ? AND key_id = ?",
                    p, 6, NULL, err);
    return rc;
}

static enum store_rc profile_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    return api_profile_store(c, ctx, err);
}

static json_t *profile_json(const char *name, const char *id, const char *card)
{
    return json_pack("{s:s,s:s,s:s,s:b}", "real_name", name, "id_number", id, "bank_card", card,
                     "verified", 1);
}

static void profile_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct api_profile *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(
        r, 200,
        json_pack("{s:o}", "profile", profile_json(x->name_masked, x->id_masked, x->card_masked)));
}

/* Masks a name: keeps the last character ("*三", "**拉"). */
static void mask_name(const char *s, size_t len, char *out, size_t cap)
{
    size_t last = len;
    while (last > 0 && ((unsigned char)s[last - 1] & 0xC0) == 0x80)
        last--;
    last = last > 0 ? last - 1 : 0;
    size_t stars = utf8_count(s, last);
    size_t k = 0;
    for (size_t i = 0; i < stars && k + 1 < cap && i < 8; i++)
        out[k++] = '*';
    snprintf(out + k, cap - k, "%.*s", (int)(len - last), s + last);
}

bool api_profile_seal(const struct keyring *ring, int64_t now_ms, const char *name, size_t nlen,
                      const char *id, size_t ilen, const char *card, size_t clen,
                      struct api_profile *x, const char **field, char *msg, size_t msg_cap)
{
    struct civil_date today = civil_date_of_ms_cst(now_ms), birth;
    if (!identity_name_valid(name, nlen)) {
        *field = "real_name";
        snprintf(msg, msg_cap,
                 "field 'real_name' must be a person's name (1 to 32 characters, no digits)");
        return false;
    }
    enum identity_rc ir = identity_id_check(id, ilen, today, &birth);
    if (ir != IDENTITY_OK) {
        *field = "id_number";
        snprintf(msg, msg_cap, "field 'id_number' is not a valid resident ID number: %s",
                 identity_rc_str(ir));
        return false;
    }
    if (!identity_card_valid(card, clen)) {
        *field = "bank_card";
        snprintf(msg, msg_cap,
                 "field 'bank_card' must be a 16 to 19 digit card number with a valid check "
                 "digit");
        return false;
    }
    char norm[32];
    size_t nl = identity_id_normalize(id, ilen, norm, sizeof(norm));
    mask_name(name, nlen, x->name_masked, sizeof(x->name_masked));
    identity_id_mask(norm, nl, x->id_masked, sizeof(x->id_masked));
    identity_card_mask(card, clen, x->card_masked, sizeof(x->card_masked));
    civil_date_format(birth, x->birth, sizeof(x->birth));
    const struct keyring_key *k = keyring_newest(ring);
    crypto_seal(k->key, name, nlen, x->name_enc);
    crypto_seal(k->key, norm, nl, x->id_enc);
    crypto_seal(k->key, card, clen, x->card_enc);
    x->key_id = k->id;
    x->ring = ring;
    x->name_len = nlen + CRYPTO_SEAL_OVERHEAD;
    x->id_len = nl + CRYPTO_SEAL_OVERHEAD;
    x->card_len = clen + CRYPTO_SEAL_OVERHEAD;
    x->now_ms = now_ms;
    return true;
}

void api_inv_profile_put(struct req *r)
{
    json_t *j = req_json_or_reply(r);
    struct api_profile *x = arena_zalloc(&r->arena, sizeof(*x));
    const char *name, *id, *card;
    size_t nlen = 0, ilen = 0, clen = 0;
    struct field f[] = {
        FIELD_STR("real_name", true, 1, 32, &name, &nlen),
        FIELD_STR("id_number", true, 1, 32, &id, &ilen),
        FIELD_STR("bank_card", true, 1, 32, &card, &clen),
    };
    if (j == NULL || x == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    const char *field = NULL;
    char msg[160];
    if (!api_profile_seal(&r->cfg->data_keys, r->now_ms, name, nlen, id, ilen, card, clen, x,
                          &field, msg, sizeof(msg))) {
        req_problem(r, 422, "invalid_field", field, "%s", msg);
        return;
    }
    x->investor = r->sess.user_id;
    x->now_ms = r->now_ms;
    req_write(r, profile_write, x, profile_then);
}

static int take_profile(void *ctx, const struct store_row *row)
{
    *(json_t **)ctx = profile_json(store_row_text(row, 0, NULL), store_row_text(row, 1, NULL),
                                   store_row_text(row, 2, NULL));
    return 1;
}

void api_inv_profile_get(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *out = NULL;
    struct store_err err;
    struct store_val p[] = {SV_INT(r->sess.user_id)};
    enum store_rc rc = store_query(c,
                                   "SELECT real_name_masked, id_number_masked, "
                                   "COALESCE(bank_card_masked, '') FROM investor_profiles "
                                   "WHERE user_id = ?",
                                   p, 1, take_profile, &out, &err);
    if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    else if (out == NULL)
        req_problem(r, 404, "not_found", NULL, "no real-name profile yet");
    else
        req_reply_json(r, 200, json_pack("{s:o}", "profile", out));
}
