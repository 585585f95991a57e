/*
 * consents.c: an investor's separate, revocable consent (PIPL Art. 23) for one institution
 * to see their name, mobile number and holdings of that institution's products.
 *
 * The consent screen shows exactly what, to whom and for what; the text and its version
 * are kept with every grant. While a consent is active the institution sees those three
 * things and nothing more (never the ID or card number, never other institutions'
 * holdings); once revoked it sees nothing, at once.
 */
#include "api/api.h"
#include "api/handlers.h"
#include "api/trading.h"

#include "base/check.h"
#include "base/crypto.h"
#include "base/keyring.h"
#include "base/log.h"
#include "base/money.h"

#include <stdio.h>
#include <string.h>

#define CONSENT_VERSION    "consent-v1"
#define CONSENT_TEXT_BYTES 2048 /* the text with the name five times */

struct inst_name {
    bool found;
    char name[256];
};

static int take_name(void *ctx, const struct store_row *row)
{
    struct inst_name *n = ctx;
    n->found = true;
    snprintf(n->name, sizeof(n->name), "%s", store_row_text(row, 0, NULL));
    return 1;
}

/* The text an investor agrees to, naming the institution. */
static void consent_text(const char *inst, char *out, size_t cap)
{
    snprintf(out, cap,
             "您同意向%s提供：您的姓名、手机号码，以及您持有的%s产品的份额与市值。用途：为您提供"
             "投资咨询与客户服务。您可以随时撤回本同意，撤回后%s将无法再查看上述信息。\n"
             "You agree that %s may see your name, mobile number and your holdings of its "
             "products, to advise and serve you. You may revoke this at any time; %s then sees "
             "none of it.",
             inst, inst, inst, inst, inst);
}

/* The institution's name when it is open to investors; answers 404 itself. */
static bool public_inst_or_reply(struct req *r, int64_t id, struct inst_name *n)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return false;
    struct store_err err;
    struct store_val p[] = {SV_INT(id)};
    enum store_rc rc = store_query(c,
                                   "SELECT name FROM institutions WHERE id = ? AND status IN "
                                   "('pilot', 'live')",
                                   p, 1, take_name, n, &err);
    if (rc != STORE_OK)
        req_store_problem(r, rc, &err);
    else if (!n->found)
        req_problem(r, 404, "not_found", NULL, "no zone %lld", (long long)id);
    return rc == STORE_OK && n->found;
}

static enum store_rc active_since(struct store_conn *c, int64_t investor, int64_t inst,
                                  int64_t *granted, struct store_err *err)
{
    struct store_val p[] = {SV_INT(investor), SV_INT(inst)};
    return store_query_int(c,
                           "SELECT granted_ms FROM consents WHERE investor_id = ? AND "
                           "institution_id = ? AND revoked_ms IS NULL",
                           p, 2, granted, err);
}

void api_inv_consent_get(struct req *r)
{
    int64_t inst = 0, granted = 0;
    struct inst_name n = {0};
    if (!req_param_id_or_reply(r, 0, &inst) || !public_inst_or_reply(r, inst, &n))
        return;
    char text[CONSENT_TEXT_BYTES];
    consent_text(n.name, text, sizeof(text));
    struct store_err err;
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    enum store_rc rc = active_since(c, r->sess.user_id, inst, &granted, &err);
    if (rc != STORE_OK && rc != STORE_DONE) {
        req_store_problem(r, rc, &err);
        return;
    }
    json_t *o =
        json_pack("{s:o,s:s,s:s,s:s,s:b}", "institution_id", json_id(inst), "institution_name",
                  n.name, "text_version", CONSENT_VERSION, "text", text, "granted", rc == STORE_OK);
    json_object_set_new(o, "granted_ms", rc == STORE_OK ? json_integer(granted) : json_null());
    req_reply_json(r, 200, json_pack("{s:o}", "consent", o));
}

struct consent_change {
    int64_t investor, inst, now_ms;
    bool grant;
    char text[CONSENT_TEXT_BYTES];
};

static enum store_rc consent_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct consent_change *x = ctx;
    int64_t granted = 0;
    enum store_rc rc = active_since(c, x->investor, x->inst, &granted, err);
    if (rc != STORE_OK && rc != STORE_DONE)
        return rc;
    bool active = rc == STORE_OK;
    if (x->grant && !active) {
        struct store_val p[] = {SV_INT(crypto_random_id()), SV_INT(x->investor), SV_INT(x->inst),
                                SV_TEXT(CONSENT_VERSION),   SV_TEXT(x->text),    SV_INT(x->now_ms)};
        return store_exec(c,
                          "INSERT INTO consents (id, investor_id, institution_id, text_version, "
                          "text, granted_ms) VALUES (?, ?, ?, ?, ?, ?)",
                          p, 6, NULL, err);
    }
    if (!x->grant && active) {
        struct store_val p[] = {SV_INT(x->now_ms), SV_INT(x->investor), SV_INT(x->inst)};
        return store_exec(c,
                          "UPDATE consents SET revoked_ms = ? WHERE investor_id = ? AND "
                          "institution_id = ? AND revoked_ms IS NULL",
                          p, 3, NULL, err);
    }
    return STORE_OK; /* already as asked: granting or revoking twice changes nothing */
}

static void consent_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct consent_change *x = r->write.ctx;
    if (rc != STORE_OK) {
        req_store_problem(r, rc, err);
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:o,s:b}", "institution_id", json_id(x->inst), "granted", x->grant));
}

static void change(struct req *r, bool grant)
{
    struct consent_change *x = arena_zalloc(&r->arena, sizeof(*x));
    struct inst_name n = {0};
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->inst))
        return;
    if (grant) {
        /* The investor agrees to a text they saw: its version must be the current one. */
        json_t *j = req_json_or_reply(r);
        const char *version;
        struct field f[] = {FIELD_STR("text_version", true, 1, 32, &version, NULL)};
        if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
            return;
        if (!public_inst_or_reply(r, x->inst, &n))
            return;
        if (strcmp(version, CONSENT_VERSION) != 0) {
            req_problem(r, 409, "conflict", "text_version",
                        "the consent text has changed; read it again (version %s)",
                        CONSENT_VERSION);
            return;
        }
        consent_text(n.name, x->text, sizeof(x->text));
    }
    x->investor = r->sess.user_id;
    x->now_ms = r->now_ms;
    x->grant = grant;
    req_write(r, consent_write, x, consent_then);
}

void api_inv_consent_grant(struct req *r)
{
    change(r, true);
}

void api_inv_consent_revoke(struct req *r)
{
    change(r, false);
}

/* ---- what the institution sees ---- */

struct customers {
    json_t *items;
    const struct keyring *ring;
    struct store_conn *c;
    int64_t inst;
    bool key_missing;     /* a row's key is not in the ring: logged once per answer */
    enum store_rc failed; /* a holdings lookup failed: the whole answer fails */
    struct store_err err;
};

static int collect_holding(void *arr, const struct store_row *row)
{
    /* Market value at the latest confirmed NAV: shares_h × nav_e4 / 10^4 fen, half-up. */
    int64_t shares = store_row_int(row, 2), mv = 0;
    bool has_nav =
        !store_row_is_null(row, 3) &&
        money_mul_div(shares, store_row_int(row, 3), 10000, MONEY_ROUND_HALF_UP, &mv) == MONEY_OK;
    json_array_append_new(arr,
                          json_pack("{s:s,s:s,s:o,s:o}", "product_code",
                                    store_row_text(row, 0, NULL), "product_name",
                                    store_row_text(row, 1, NULL), "shares", json_decimal(shares, 2),
                                    "market_value", has_nav ? json_decimal(mv, 2) : json_null()));
    return 0;
}

static int collect_customer(void *ctx, const struct store_row *row)
{
    struct customers *cu = ctx;
    size_t n = 0;
    const uint8_t *sealed = store_row_blob(row, 2, &n);
    char name[LIMIT_PII_BYTES_MAX + 1] = "";
    /* The key the row names; an id this process has not loaded means `keys rotate` ran after it
     * started: said in the log, and the name left out as if not verified yet. */
    const struct keyring_key *k = sealed ? keyring_find(cu->ring, store_row_int(row, 4)) : NULL;
    if (sealed != NULL && k == NULL && !cu->key_missing) {
        cu->key_missing = true;
        log_msg(LOG_ERROR, NULL,
                "a profile is sealed under data key %lld, not in the ring this server loaded: "
                "restart it after 'caifuhao keys rotate'",
                (long long)store_row_int(row, 4));
    }
    if (k != NULL && n > CRYPTO_SEAL_OVERHEAD && n - CRYPTO_SEAL_OVERHEAD <= LIMIT_PII_BYTES_MAX &&
        crypto_unseal(k->key, sealed, n, name))
        name[n - CRYPTO_SEAL_OVERHEAD] = '\0';
    else
        snprintf(name, sizeof(name), "%s", ""); /* no verified name yet */
    int64_t investor = store_row_int(row, 0);
    json_t *holdings = json_array();
    struct store_err err;
    /* Only this institution's products: its customers' other holdings stay private. */
    struct store_val p[] = {SV_INT(investor), SV_INT(cu->inst)};
    enum store_rc rc = store_query(
        cu->c,
        "SELECT p.code, p.name, SUM(l.shares_h), (SELECT n.nav_e4 FROM navs n WHERE n.product_id "
        "= p.id AND n.confirmed = 1 ORDER BY n.nav_date DESC LIMIT 1) FROM share_lots l JOIN "
        "products p ON p.id = l.product_id WHERE l.investor_id = ? AND p.institution_id = ? "
        "GROUP BY p.id HAVING SUM(l.shares_h) > 0 ORDER BY p.code",
        p, 2, collect_holding, holdings, &err);
    if (rc != STORE_OK) {
        json_decref(holdings);
        cu->failed = rc;
        cu->err = err;
        return 1;
    }
    json_array_append_new(
        cu->items, json_pack("{s:o,s:s,s:s,s:I,s:o}", "investor_id", json_id(investor), "name",
                             name, "mobile", store_row_text(row, 1, NULL), "consented_ms",
                             (json_int_t)store_row_int(row, 3), "holdings", holdings));
    return 0;
}

void api_inst_customers(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct customers cu = {json_array(), &r->cfg->data_keys, c,  r->sess.institution_id,
                           false,        STORE_OK,           {0}};
    struct store_err err;
    struct store_val p[] = {SV_INT(r->sess.institution_id), SV_INT(LIMIT_PAGE_SIZE_MAX)};
    enum store_rc rc =
        store_query(c,
                    "SELECT k.investor_id, u.login, f.real_name_enc, k.granted_ms, f.key_id "
                    "FROM consents k JOIN users u ON u.id = k.investor_id LEFT "
                    "JOIN investor_profiles f ON f.user_id = k.investor_id WHERE "
                    "k.institution_id = ? AND k.revoked_ms IS NULL ORDER BY "
                    "k.granted_ms DESC LIMIT ?",
                    p, 2, collect_customer, &cu, &err);
    if (rc == STORE_OK && cu.failed != STORE_OK) {
        rc = cu.failed;
        err = cu.err;
    }
    if (rc != STORE_OK) {
        json_decref(cu.items);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "items", cu.items));
}
