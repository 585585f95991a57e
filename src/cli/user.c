/*
 * user.c: `caifuhao user create`: the way in for the first platform operator, and a
 * fallback for creating institution staff. The password is read from standard input so
 * that it never appears in the process list or shell history.
 */
#include "cli/cli.h"

#include "api/api.h"
#include "base/check.h"
#include "base/civil.h"
#include "base/crypto.h"

#include <stdio.h>
#include <string.h>

static void user_usage(FILE *out)
{
    fprintf(out, "usage: caifuhao user create --login LOGIN --role ROLE [--institution ID]\n"
                 "                            [--display-name NAME] --password-stdin "
                 "[--db PATH]\n\n"
                 "ROLE is ops_admin, ops_reviewer or ops_risk (platform operators), or\n"
                 "inst_admin, inst_operator or inst_compliance with --institution ID.\n"
                 "The password is the first line of standard input.\n");
}

struct user_ctx {
    struct api_new_user u;
    char hash[LIMIT_PWHASH_STR];
};

static enum store_rc user_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct user_ctx *x = ctx;
    enum store_rc rc = api_user_insert(c, &x->u, err);
    if (rc == STORE_CONSTRAINT)
        return store_fail(err, rc, "login '%s' is taken, or institution %lld does not exist",
                          x->u.login, (long long)x->u.institution_id);
    if (rc != STORE_OK)
        return rc;
    char subject[40];
    snprintf(subject, sizeof(subject), "user:%lld", (long long)x->u.id);
    json_t *d = json_pack("{s:s,s:s}", "login", x->u.login, "role", role_name(x->u.role));
    struct api_actor sys = {0, "system"};
    rc = api_audit(c, &sys, x->u.institution_id, "user.create", subject, d, x->u.now_ms, err);
    json_decref(d);
    return rc;
}

/* Reads the first line of stdin into pw; returns its length or -1. */
static int read_password(char *pw, size_t cap)
{
    if (fgets(pw, (int)cap, stdin) == NULL)
        return -1;
    size_t n = strcspn(pw, "\r\n");
    pw[n] = '\0';
    return (int)n;
}

static int check_args(const char **v, enum role *role, int64_t *inst)
{
    if (v[0] == NULL || v[1] == NULL || v[4] == NULL) {
        fprintf(stderr, "caifuhao: user create needs --login, --role and --password-stdin\n");
        return 2;
    }
    if (!account_login_valid(v[0], strlen(v[0]))) {
        fprintf(stderr,
                "caifuhao: login '%s' must be 3 to 32 of a-z, 0-9, '.', '_', '-', "
                "starting with a letter\n",
                v[0]);
        return 2;
    }
    *role = role_parse(v[1]);
    if (*role == ROLE_NONE || *role == ROLE_INVESTOR) {
        fprintf(stderr, "caifuhao: role '%s' is not an operator or staff role\n", v[1]);
        return 2;
    }
    *inst = 0;
    for (const char *p = v[2]; p != NULL && *p; p++) {
        if (*p < '0' || *p > '9' || *inst > INT64_MAX / 10 - 10) {
            fprintf(stderr, "caifuhao: --institution '%s' is not an id\n", v[2]);
            return 2;
        }
        *inst = *inst * 10 + (*p - '0');
    }
    if (role_is_inst(*role) != (*inst != 0)) {
        fprintf(stderr, "caifuhao: --institution is required for staff roles and only for "
                        "them\n");
        return 2;
    }
    return 0;
}

int cli_user(int argc, char **argv)
{
    if (argc < 1 || strcmp(argv[0], "create") != 0) {
        user_usage(argc > 0 && strcmp(argv[0], "--help") == 0 ? stdout : stderr);
        return argc > 0 && strcmp(argv[0], "--help") == 0 ? 0 : 2;
    }
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        user_usage(stdout);
        return 0;
    }
    struct config cfg;
    config_defaults(&cfg);
    static const char *const own[] = {"login",           "role", "institution", "display-name",
                                      "password-stdin!", NULL};
    const char *v[5] = {0};
    enum role role;
    int64_t inst;
    if (cli_parse(argc - 1, argv + 1, &cfg, own, v) != 0 || check_args(v, &role, &inst) != 0)
        return 2;
    char pw[LIMIT_PASSWORD_BYTES_MAX + 2];
    int plen = read_password(pw, sizeof(pw));
    enum account_pw pc = plen < 0 ? ACCOUNT_PW_TOO_SHORT : account_password_check(pw, (size_t)plen);
    if (pc != ACCOUNT_PW_OK) {
        fprintf(stderr, "caifuhao: the password %s\n", account_pw_str(pc));
        return 2;
    }
    struct store *s = cli_open_store(&cfg, true);
    if (s == NULL)
        return 1;
    struct user_ctx x = {.u = {.role = role,
                               .login = v[0],
                               .display_name = v[3] ? v[3] : v[0],
                               .institution_id = inst,
                               .status = "active",
                               .now_ms = civil_now_ms()}};
    struct store_err err = {0};
    enum store_rc rc = STORE_ERROR;
    if (crypto_password_hash(pw, (size_t)plen, x.hash) == 0) {
        x.u.password_hash = x.hash;
        rc = store_write_sync(s, user_write, &x, &err);
    }
    store_close(s);
    if (rc != STORE_OK) {
        fprintf(stderr, "caifuhao: user create: %s\n", err.msg[0] ? err.msg : "failed");
        return 1;
    }
    printf("user create: %s (%s) id %lld\n", x.u.login, role_name(role), (long long)x.u.id);
    return 0;
}
