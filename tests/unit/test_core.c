/*
 * test_core.c - unit tests of the pure account rules (roles, mobile numbers, passwords, logins,
 * the institution lifecycle) and of the audit hash chain (canonical form, sensitivity to every
 * field, chained verification).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "base/limits.h"
#include "core/account.h"
#include "core/audit.h"

/* ---- roles ---- */

static void test_roles(void **state)
{
    (void)state;
    for (int r = ROLE_INVESTOR; r < ROLE_COUNT; r++) {
        const char *name = role_name((enum role)r);
        assert_true(name[0] != '\0');
        assert_int_equal(role_parse(name), r);
        for (int o = ROLE_INVESTOR; o < r; o++)
            assert_string_not_equal(role_name((enum role)o), name);
    }
    assert_string_equal(role_name(ROLE_NONE), "");
    assert_int_equal(role_parse("ops_admin"), ROLE_OPS_ADMIN);
    assert_int_equal(role_parse("inst_compliance"), ROLE_INST_COMPLIANCE);
    assert_int_equal(role_parse(""), ROLE_NONE);
    assert_int_equal(role_parse("Investor"), ROLE_NONE);
    assert_int_equal(role_parse("ops_admin "), ROLE_NONE);
    assert_int_equal(role_parse("ops"), ROLE_NONE);
    assert_int_equal(role_parse("admin"), ROLE_NONE);

    assert_string_equal(role_kind(ROLE_INVESTOR), "investor");
    assert_string_equal(role_kind(ROLE_INST_ADMIN), "staff");
    assert_string_equal(role_kind(ROLE_INST_OPERATOR), "staff");
    assert_string_equal(role_kind(ROLE_INST_COMPLIANCE), "staff");
    assert_string_equal(role_kind(ROLE_OPS_ADMIN), "operator");
    assert_string_equal(role_kind(ROLE_OPS_REVIEWER), "operator");
    assert_string_equal(role_kind(ROLE_OPS_RISK), "operator");

    /* Every signed-in role is exactly one of investor, institution or operator. */
    for (int r = ROLE_INVESTOR; r < ROLE_COUNT; r++) {
        int kinds = (r == ROLE_INVESTOR) + role_is_inst((enum role)r) + role_is_ops((enum role)r);
        assert_int_equal(kinds, 1);
        assert_true(ROLES_SIGNED_IN & ROLE_BIT(r));
    }
    assert_false(role_is_inst(ROLE_NONE) || role_is_ops(ROLE_NONE));
    assert_false(ROLES_SIGNED_IN & ROLE_BIT(ROLE_NONE));
}

/* ---- field rules ---- */

static bool mobile(const char *s)
{
    return account_mobile_valid(s, strlen(s));
}

static void test_mobile(void **state)
{
    (void)state;
    assert_true(mobile("13800000001"));
    assert_true(mobile("19912345678"));
    assert_true(mobile("13000000000"));
    assert_true(mobile("15999999999"));
    assert_false(mobile("12800000001"));  /* second digit 2 */
    assert_false(mobile("10800000001"));  /* second digit 0 */
    assert_false(mobile("23800000001"));  /* does not start with 1 */
    assert_false(mobile("1380000000"));   /* 10 digits */
    assert_false(mobile("138000000012")); /* 12 digits */
    assert_false(mobile("1380000000a"));
    assert_false(mobile("13800a00001"));
    assert_false(mobile("1380000 001"));
    assert_false(mobile("+8613800000001"));
    assert_false(mobile(""));
    assert_false(account_mobile_valid("13800000001", 10)); /* the length given counts */
    assert_false(account_mobile_valid("1380000000\0", 11));
}

static enum account_pw pw(const char *s)
{
    return account_password_check(s, strlen(s));
}

static void test_password_rules(void **state)
{
    (void)state;
    assert_int_equal(pw("abc1234"), ACCOUNT_PW_TOO_SHORT); /* 7 bytes */
    assert_int_equal(pw("abcd1234"), ACCOUNT_PW_OK);       /* 8 */
    assert_int_equal(pw(""), ACCOUNT_PW_TOO_SHORT);
    char longest[LIMIT_PASSWORD_BYTES_MAX + 2];
    memset(longest, 'x', sizeof(longest) - 1);
    longest[0] = '7';
    longest[LIMIT_PASSWORD_BYTES_MAX] = '\0';
    assert_int_equal(pw(longest), ACCOUNT_PW_OK); /* 128 */
    longest[LIMIT_PASSWORD_BYTES_MAX] = 'x';
    longest[LIMIT_PASSWORD_BYTES_MAX + 1] = '\0';
    assert_int_equal(pw(longest), ACCOUNT_PW_TOO_LONG); /* 129 */
    assert_int_equal(pw("abcdefgh"), ACCOUNT_PW_NEEDS_LETTER_AND_DIGIT);
    assert_int_equal(pw("ABCDEFGHIJ"), ACCOUNT_PW_NEEDS_LETTER_AND_DIGIT);
    assert_int_equal(pw("12345678"), ACCOUNT_PW_NEEDS_LETTER_AND_DIGIT);
    assert_int_equal(pw("!@#$%^&*()"), ACCOUNT_PW_NEEDS_LETTER_AND_DIGIT);
    assert_int_equal(pw("1234567Z"), ACCOUNT_PW_OK);
    assert_int_equal(pw("pass word 9"), ACCOUNT_PW_OK);

    const char *msgs[] = {account_pw_str(ACCOUNT_PW_OK), account_pw_str(ACCOUNT_PW_TOO_SHORT),
                          account_pw_str(ACCOUNT_PW_TOO_LONG),
                          account_pw_str(ACCOUNT_PW_NEEDS_LETTER_AND_DIGIT)};
    for (size_t i = 0; i < 4; i++) {
        assert_true(msgs[i][0] != '\0');
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(msgs[i], msgs[k]);
    }
    assert_non_null(strstr(account_pw_str(ACCOUNT_PW_TOO_SHORT), "8"));
    assert_non_null(strstr(account_pw_str(ACCOUNT_PW_TOO_LONG), "128"));
}

static bool login(const char *s)
{
    return account_login_valid(s, strlen(s));
}

static void test_login_rules(void **state)
{
    (void)state;
    assert_true(login("ops.admin"));
    assert_true(login("abc"));
    assert_true(login("a_b-c.d9"));
    assert_true(login("abcdefghijklmnopqrstuvwxyz012345"));   /* 32 */
    assert_false(login("abcdefghijklmnopqrstuvwxyz0123456")); /* 33 */
    assert_false(login("a1"));
    assert_false(login(""));
    assert_false(login("Ops"));
    assert_false(login("oPs"));
    assert_false(login("1abc"));
    assert_false(login("_abc"));
    assert_false(login(".abc"));
    assert_false(login("a b"));
    assert_false(login("ab@c"));
    assert_false(login("abc/"));
    assert_false(login("运营admin"));
    assert_false(account_login_valid("ab\0", 3));
}

/* ---- institutions ---- */

struct transition {
    enum inst_status from, to;
};

/* docs/api-foundation.md: "Status transitions: applied→pilot, applied→live, pilot→live,
 * pilot→suspended, live→suspended, suspended→pilot, suspended→live." */
static const struct transition documented[] = {
    {INST_APPLIED, INST_PILOT},   {INST_APPLIED, INST_LIVE},   {INST_PILOT, INST_LIVE},
    {INST_PILOT, INST_SUSPENDED}, {INST_LIVE, INST_SUSPENDED}, {INST_SUSPENDED, INST_PILOT},
    {INST_SUSPENDED, INST_LIVE},
};

static bool is_documented(int from, int to)
{
    for (size_t i = 0; i < sizeof(documented) / sizeof(documented[0]); i++)
        if ((int)documented[i].from == from && (int)documented[i].to == to)
            return true;
    return false;
}

static void test_inst_transitions(void **state)
{
    (void)state;
    int allowed = 0;
    for (int from = INST_STATUS_NONE; from <= INST_SUSPENDED; from++) {
        for (int to = INST_STATUS_NONE; to <= INST_SUSPENDED; to++) {
            bool got = inst_transition_allowed((enum inst_status)from, (enum inst_status)to);
            if (got != is_documented(from, to))
                print_message("%s -> %s: got %d\n", inst_status_name((enum inst_status)from),
                              inst_status_name((enum inst_status)to), got);
            assert_int_equal(got, is_documented(from, to));
            allowed += got;
        }
    }
    assert_int_equal(allowed, 7);
    assert_false(inst_transition_allowed((enum inst_status)5, INST_LIVE));
    assert_false(inst_transition_allowed(INST_APPLIED, (enum inst_status)5));
    assert_false(inst_transition_allowed((enum inst_status) - 1, INST_PILOT));
}

static void test_inst_names_and_types(void **state)
{
    (void)state;
    for (int s = INST_APPLIED; s <= INST_SUSPENDED; s++)
        assert_int_equal(inst_status_parse(inst_status_name((enum inst_status)s)), s);
    assert_string_equal(inst_status_name(INST_APPLIED), "applied");
    assert_string_equal(inst_status_name(INST_SUSPENDED), "suspended");
    assert_int_equal(inst_status_parse(""), INST_STATUS_NONE);
    assert_int_equal(inst_status_parse("Live"), INST_STATUS_NONE);
    assert_int_equal(inst_status_parse("closed"), INST_STATUS_NONE);

    assert_false(inst_status_public(INST_STATUS_NONE));
    assert_false(inst_status_public(INST_APPLIED));
    assert_true(inst_status_public(INST_PILOT));
    assert_true(inst_status_public(INST_LIVE));
    assert_false(inst_status_public(INST_SUSPENDED));

    assert_true(inst_type_valid("fund_company"));
    assert_true(inst_type_valid("bank"));
    assert_true(inst_type_valid("insurer"));
    assert_true(inst_type_valid("securities_firm"));
    assert_false(inst_type_valid(""));
    assert_false(inst_type_valid("Bank"));
    assert_false(inst_type_valid("bank "));
    assert_false(inst_type_valid("fund-company"));
    assert_false(inst_type_valid("trust"));
}

/* ---- audit chain ---- */

static const struct audit_entry base_entry = {
    .seq = 1,
    .at_ms = 1700000000000,
    .actor_user_id = 42,
    .institution_id = 0,
    .actor_role = "ops_admin",
    .action = "institution.create",
    .subject = "institution:7",
    .detail = "{\"name\":\"华夏基金\"}",
};

static const uint8_t zero_prev[CRYPTO_SHA256_BYTES];

static void test_audit_canonical_form(void **state)
{
    (void)state;
    /* Written out by hand from audit.h: prev ‖ "<len>:<bytes>;" for every field in order.
     * A change here means every stored chain stops verifying. */
    const struct audit_entry *e = &base_entry;
    char canon[256];
    int n = snprintf(canon, sizeof(canon),
                     "1:1;13:1700000000000;2:42;1:0;9:ops_admin;"
                     "18:institution.create;13:institution:7;%zu:%s;",
                     strlen(e->detail), e->detail);
    assert_true(n > 0 && (size_t)n < sizeof(canon));
    uint8_t msg[CRYPTO_SHA256_BYTES + sizeof(canon)];
    memset(msg, 0, CRYPTO_SHA256_BYTES);
    memcpy(msg + CRYPTO_SHA256_BYTES, canon, (size_t)n);
    uint8_t want[CRYPTO_SHA256_BYTES], got[CRYPTO_SHA256_BYTES], again[CRYPTO_SHA256_BYTES];
    crypto_sha256(msg, CRYPTO_SHA256_BYTES + (size_t)n, want);
    audit_hash(zero_prev, e, got);
    assert_memory_equal(got, want, CRYPTO_SHA256_BYTES);
    audit_hash(zero_prev, e, again);
    assert_memory_equal(got, again, CRYPTO_SHA256_BYTES); /* deterministic */

    /* Negative numbers are written with their sign. */
    struct audit_entry neg = base_entry;
    neg.seq = -5;
    n = snprintf(canon, sizeof(canon),
                 "2:-5;13:1700000000000;2:42;1:0;9:ops_admin;"
                 "18:institution.create;13:institution:7;%zu:%s;",
                 strlen(e->detail), e->detail);
    memcpy(msg + CRYPTO_SHA256_BYTES, canon, (size_t)n);
    crypto_sha256(msg, CRYPTO_SHA256_BYTES + (size_t)n, want);
    audit_hash(zero_prev, &neg, got);
    assert_memory_equal(got, want, CRYPTO_SHA256_BYTES);
}

static bool same_hash(const uint8_t *prev_a, const struct audit_entry *a, const uint8_t *prev_b,
                      const struct audit_entry *b)
{
    uint8_t ha[CRYPTO_SHA256_BYTES], hb[CRYPTO_SHA256_BYTES];
    audit_hash(prev_a, a, ha);
    audit_hash(prev_b, b, hb);
    return memcmp(ha, hb, sizeof(ha)) == 0;
}

static void test_audit_every_field_counts(void **state)
{
    (void)state;
    const struct audit_entry *b = &base_entry;
    struct audit_entry e[8];
    for (int i = 0; i < 8; i++)
        e[i] = base_entry;
    e[0].seq++;
    e[1].at_ms++;
    e[2].actor_user_id = 0;
    e[3].institution_id = 7;
    e[4].actor_role = "ops_risk";
    e[5].action = "institution.creatE";
    e[6].subject = "institution:8";
    e[7].detail = "{\"name\":\"华夏基金 \"}";
    for (int i = 0; i < 8; i++)
        assert_false(same_hash(zero_prev, b, zero_prev, &e[i]));
    uint8_t prev[CRYPTO_SHA256_BYTES] = {0};
    prev[31] = 1;
    assert_false(same_hash(zero_prev, b, prev, b));

    /* Length prefixes keep field boundaries: moving bytes across one changes the hash. */
    struct audit_entry x = base_entry, y = base_entry;
    x.action = "ab";
    x.subject = "c";
    y.action = "a";
    y.subject = "bc";
    assert_false(same_hash(zero_prev, &x, zero_prev, &y));
    x.actor_user_id = 12, x.institution_id = 3;
    y = x;
    y.actor_user_id = 1, y.institution_id = 23;
    assert_false(same_hash(zero_prev, &x, zero_prev, &y));
    x = base_entry, y = base_entry;
    x.actor_role = "", x.action = "x;";
    y.actor_role = "x;", y.action = "";
    assert_false(same_hash(zero_prev, &x, zero_prev, &y));
}

/* Recomputes the chain from the genesis hash; returns the index of the first entry whose
 * stored hash differs, or n when all match. */
static size_t verify_chain(const struct audit_entry *e, uint8_t (*stored)[CRYPTO_SHA256_BYTES],
                           size_t n, bool *broken)
{
    uint8_t prev[CRYPTO_SHA256_BYTES] = {0};
    size_t first = n;
    for (size_t i = 0; i < n; i++) {
        uint8_t h[CRYPTO_SHA256_BYTES];
        audit_hash(prev, &e[i], h);
        broken[i] = memcmp(h, stored[i], sizeof(h)) != 0;
        if (broken[i] && first == n)
            first = i;
        memcpy(prev, h, sizeof(prev));
    }
    return first;
}

static void test_audit_chain(void **state)
{
    (void)state;
    struct audit_entry e[3] = {base_entry, base_entry, base_entry};
    e[1].seq = 2, e[1].action = "staff.invite", e[1].subject = "user:9", e[1].detail = "{}";
    e[2].seq = 3, e[2].action = "institution.status", e[2].detail = "{\"to\":\"pilot\"}";
    uint8_t stored[3][CRYPTO_SHA256_BYTES];
    uint8_t prev[CRYPTO_SHA256_BYTES] = {0};
    for (int i = 0; i < 3; i++) {
        audit_hash(prev, &e[i], stored[i]);
        memcpy(prev, stored[i], sizeof(prev));
    }
    bool broken[3];
    assert_int_equal(verify_chain(e, stored, 3, broken), 3);

    /* Tamper with entry 2: it and every later entry stop verifying; entry 1 still does. */
    e[1].detail = "{\"role\":\"ops_admin\"}";
    assert_int_equal(verify_chain(e, stored, 3, broken), 1);
    assert_false(broken[0]);
    assert_true(broken[1]);
    assert_true(broken[2]);

    /* Re-hashing the tampered entry does not help: entry 3 was chained to the old hash. */
    audit_hash(stored[0], &e[1], stored[1]);
    assert_int_equal(verify_chain(e, stored, 3, broken), 2);
    assert_false(broken[1]);
    assert_true(broken[2]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_mobile),
        cmocka_unit_test(test_password_rules),
        cmocka_unit_test(test_login_rules),
        cmocka_unit_test(test_inst_transitions),
        cmocka_unit_test(test_inst_names_and_types),
        cmocka_unit_test(test_audit_canonical_form),
        cmocka_unit_test(test_audit_every_field_counts),
        cmocka_unit_test(test_audit_chain),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
