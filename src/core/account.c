/* account.c: roles, account field rules, institution lifecycle (see account.h). */
#include "core/account.h"

#include "base/check.h"
#include "base/limits.h"

#include <string.h>

static const char *const role_names[ROLE_COUNT] = {
    "",          "investor",     "inst_admin", "inst_operator", "inst_compliance",
    "ops_admin", "ops_reviewer", "ops_risk",
};

const char *role_name(enum role r)
{
    ASSERT(r >= ROLE_NONE && r < ROLE_COUNT);
    return role_names[r];
}

enum role role_parse(const char *s)
{
    for (int r = ROLE_INVESTOR; r < ROLE_COUNT; r++)
        if (strcmp(s, role_names[r]) == 0)
            return (enum role)r;
    return ROLE_NONE;
}

bool role_is_inst(enum role r)
{
    return (ROLE_BIT(r) & ROLES_INST) != 0;
}

bool role_is_ops(enum role r)
{
    return (ROLE_BIT(r) & ROLES_OPS) != 0;
}

const char *role_kind(enum role r)
{
    ASSERT(r != ROLE_NONE);
    return r == ROLE_INVESTOR ? "investor" : role_is_inst(r) ? "staff" : "operator";
}

bool account_mobile_valid(const char *s, size_t len)
{
    if (len != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9')
        return false;
    for (size_t i = 2; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

enum account_pw account_password_check(const char *pw, size_t len)
{
    if (len < LIMIT_PASSWORD_BYTES_MIN)
        return ACCOUNT_PW_TOO_SHORT;
    if (len > LIMIT_PASSWORD_BYTES_MAX)
        return ACCOUNT_PW_TOO_LONG;
    bool letter = false, digit = false;
    for (size_t i = 0; i < len; i++) {
        char c = pw[i];
        letter = letter || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        digit = digit || (c >= '0' && c <= '9');
    }
    return letter && digit ? ACCOUNT_PW_OK : ACCOUNT_PW_NEEDS_LETTER_AND_DIGIT;
}

const char *account_pw_str(enum account_pw rc)
{
    switch (rc) {
    case ACCOUNT_PW_OK:
        return "ok";
    case ACCOUNT_PW_TOO_SHORT:
        return "must be at least 8 bytes";
    case ACCOUNT_PW_TOO_LONG:
        return "must be at most 128 bytes";
    case ACCOUNT_PW_NEEDS_LETTER_AND_DIGIT:
        return "must contain at least one letter and one digit";
    }
    BUG("unknown account_pw");
}

bool account_login_valid(const char *s, size_t len)
{
    if (len < LIMIT_LOGIN_BYTES_MIN || len > LIMIT_LOGIN_BYTES_MAX || s[0] < 'a' || s[0] > 'z')
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        bool ok =
            (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

static const char *const status_names[] = {"", "applied", "pilot", "live", "suspended"};

const char *inst_status_name(enum inst_status s)
{
    ASSERT(s >= INST_STATUS_NONE && s <= INST_SUSPENDED);
    return status_names[s];
}

enum inst_status inst_status_parse(const char *s)
{
    for (int i = INST_APPLIED; i <= INST_SUSPENDED; i++)
        if (strcmp(s, status_names[i]) == 0)
            return (enum inst_status)i;
    return INST_STATUS_NONE;
}

bool inst_transition_allowed(enum inst_status from, enum inst_status to)
{
    /* rows: from; columns: to (none, applied, pilot, live, suspended).
     * Nothing returns to "applied"; a suspended institution is reinstated to pilot or
     * live by a new decision, which the history records with its reason. */
    static const bool allowed[5][5] = {
        [INST_APPLIED] = {[INST_PILOT] = true, [INST_LIVE] = true},
        [INST_PILOT] = {[INST_LIVE] = true, [INST_SUSPENDED] = true},
        [INST_LIVE] = {[INST_SUSPENDED] = true},
        [INST_SUSPENDED] = {[INST_PILOT] = true, [INST_LIVE] = true},
    };
    if (from <= INST_STATUS_NONE || from > INST_SUSPENDED || to <= INST_STATUS_NONE ||
        to > INST_SUSPENDED)
        return false;
    return allowed[from][to];
}

bool inst_status_public(enum inst_status s)
{
    return s == INST_PILOT || s == INST_LIVE;
}

bool inst_type_valid(const char *s)
{
    static const char *const types[] = {"fund_company", "bank", "insurer", "securities_firm"};
    for (size_t i = 0; i < ARRAY_LEN(types); i++)
        if (strcmp(s, types[i]) == 0)
            return true;
    return false;
}
