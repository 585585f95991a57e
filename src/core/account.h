/*
 * account.h: who may do what, and what a valid account looks like. Pure rules: no I/O.
 *
 * Roles are fixed by the platform (DESIGN.md §1). Institution staff belong to exactly one
 * institution; an institution moves through applied → pilot → live → suspended, and only
 * along the transitions in inst_transition_allowed().
 */
#ifndef CFH_ACCOUNT_H
#define CFH_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum role {
    ROLE_NONE = 0,
    ROLE_INVESTOR,
    ROLE_INST_ADMIN,
    ROLE_INST_OPERATOR,
    ROLE_INST_COMPLIANCE,
    ROLE_OPS_ADMIN,
    ROLE_OPS_REVIEWER,
    ROLE_OPS_RISK,
    ROLE_COUNT
};

#define ROLE_BIT(r)  (1u << (r))
#define ROLES_PUBLIC 0u /* a route open to everyone has no role bits */
#define ROLES_INST \
    (ROLE_BIT(ROLE_INST_ADMIN) | ROLE_BIT(ROLE_INST_OPERATOR) | ROLE_BIT(ROLE_INST_COMPLIANCE))
#define ROLES_OPS (ROLE_BIT(ROLE_OPS_ADMIN) | ROLE_BIT(ROLE_OPS_REVIEWER) | ROLE_BIT(ROLE_OPS_RISK))

#define ROLES_SIGNED_IN (ROLE_BIT(ROLE_INVESTOR) | ROLES_INST | ROLES_OPS)

/* "inst_admin" etc.; "" for ROLE_NONE. */
const char *role_name(enum role r);
/* ROLE_NONE when s is not a role name. */
enum role role_parse(const char *s);
/* "investor", "staff" or "operator". */
const char *role_kind(enum role r);
bool role_is_inst(enum role r);
bool role_is_ops(enum role r);

/* Mainland mobile number: 11 digits, "1", then 3-9, then 9 digits. */
bool account_mobile_valid(const char *s, size_t len);

enum account_pw {
    ACCOUNT_PW_OK = 0,
    ACCOUNT_PW_TOO_SHORT,
    ACCOUNT_PW_TOO_LONG,
    ACCOUNT_PW_NEEDS_LETTER_AND_DIGIT,
};
/* Checks a new password: LIMIT_PASSWORD_BYTES_MIN..MAX bytes with a letter and a digit. */
enum account_pw account_password_check(const char *pw, size_t len);
const char *account_pw_str(enum account_pw rc);

/* Staff and operator login: 3-32 of [a-z0-9._-], starting with a letter. */
bool account_login_valid(const char *s, size_t len);

enum inst_status {
    INST_STATUS_NONE = 0,
    INST_APPLIED,
    INST_PILOT,
    INST_LIVE,
    INST_SUSPENDED,
};
const char *inst_status_name(enum inst_status s);
enum inst_status inst_status_parse(const char *s);
/* True when an operator may move an institution from `from` to `to`. */
bool inst_transition_allowed(enum inst_status from, enum inst_status to);
/* True when the institution's zone is visible to investors. */
bool inst_status_public(enum inst_status s);

/* fund_company, bank, insurer, securities_firm. */
bool inst_type_valid(const char *s);

#endif
