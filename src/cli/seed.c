/*
 * seed.c: `caifuhao seed-demo` and `caifuhao user create`.
 *
 * Demo data is the five pilot fund companies of the design (博时, 兴全, 天弘, 南方, 建信), each
 * with an admin, an operator and a compliance officer, three platform operators and three
 * investors. Every row is marked demo = 1 and every institution's name says 演示, so it can
 * never be mistaken for a real institution.
 */
#include "cli/cli.h"
#include "cli/seed.h"

#include "api/api.h"
#include "api/fair_json.h"
#include "api/trading.h"
#include "base/check.h"
#include "base/civil.h"
#include "base/crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_PASSWORD "caifuhao2026"

static const struct {
    const char *key, *name, *short_name;
} demo_insts[] = {
    {"boshi", "博时基金（演示）", "博时"},    {"xingquan", "兴证全球基金（演示）", "兴全"},
    {"tianhong", "天弘基金（演示）", "天弘"}, {"nanfang", "南方基金（演示）", "南方"},
    {"jianxin", "建信基金（演示）", "建信"},
};

static const struct {
    const char *login, *name;
    enum role role;
} demo_people[] = {
    {"ops.admin", "平台管理员（演示）", ROLE_OPS_ADMIN},
    {"ops.reviewer", "内容审核员（演示）", ROLE_OPS_REVIEWER},
    {"ops.risk", "风控专员（演示）", ROLE_OPS_RISK},
    {"13800000001", "演示投资者甲", ROLE_INVESTOR},
    {"13800000002", "演示投资者乙", ROLE_INVESTOR},
    {"13800000003", "演示投资者丙", ROLE_INVESTOR},
};

static const struct {
    const char *suffix, *name;
    enum role role;
} demo_staff[] = {
    {"admin", "管理员", ROLE_INST_ADMIN},
    {"operator", "运营", ROLE_INST_OPERATOR},
    {"compliance", "合规", ROLE_INST_COMPLIANCE},
};

/* One hash serves every demo account: they share a published password anyway. */
struct seed_ctx {
    int64_t now_ms;
    struct calendar cal;
    int products;
    char hash[LIMIT_PWHASH_STR];
    int created;
};

static const struct api_actor system_actor = {0, "system"};

static enum store_rc seed_inst(struct store_conn *c, struct seed_ctx *x, size_t i,
                               struct store_err *err)
{
    int64_t id = crypto_random_id();
    int64_t at = x->now_ms + (int64_t)i; /* keeps the design's order in lists */
    struct store_val p[] = {SV_INT(id), SV_TEXT(demo_insts[i].name),
                            SV_TEXT(demo_insts[i].short_name), SV_INT(at), SV_INT(at)};
    enum store_rc rc = store_exec(c,
                                  "INSERT INTO institutions (id, name, short_name, type, "
                                  "status, demo, created_ms, updated_ms) "
                                  "VALUES (?, ?, ?, 'fund_company', 'pilot', 1, ?, ?)",
                                  p, 5, NULL, err);
    struct store_val h[] = {SV_INT(crypto_random_id()), SV_INT(id), SV_INT(x->now_ms)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "INSERT INTO institution_status_history (id, institution_id, "
                        "from_status, to_status, by_user_id, at_ms, reason) VALUES "
                        "(?, ?, NULL, 'pilot', NULL, ?, 'demonstration data')",
                        h, 3, NULL, err);
    for (size_t k = 0; k < ARRAY_LEN(demo_staff) && rc == STORE_OK; k++) {
        char login[40], name[80];
        snprintf(login, sizeof(login), "%s.%s", demo_insts[i].key, demo_staff[k].suffix);
        snprintf(name, sizeof(name), "%s%s（演示）", demo_insts[i].short_name, demo_staff[k].name);
        struct api_new_user u = {.role = demo_staff[k].role,
                                 .login = login,
                                 .display_name = name,
                                 .institution_id = id,
                                 .status = "active",
                                 .password_hash = x->hash,
                                 .demo = true,
                                 .now_ms = x->now_ms};
        rc = api_user_insert(c, &u, err);
    }
    if (rc == STORE_OK)
        rc = seed_products(c, id, (int)i, demo_insts[i].short_name, &x->cal, x->now_ms,
                           &x->products, err);
    return rc;
}

/*
 * The default fair rule (docs/fair-rule.md) as version 1, published 45 days before today
 * with the usual 15 days of notice, so that it is in force for every day the demo scores.
 */
static enum store_rc seed_fair_rule(struct store_conn *c, int64_t now_ms, struct store_err *err)
{
    struct fr_rule rule;
    fair_rule_default(&rule);
    json_t *j = fair_rule_json(&rule);
    char *text = fair_canonical(j);
    json_decref(j);
    if (text == NULL)
        return store_fail(err, STORE_ERROR, "out of memory");
    char hash[FAIR_HASH_HEX], published[CIVIL_DATE_CAP], effective[CIVIL_DATE_CAP];
    fair_sha256_hex(text, strlen(text), hash);
    struct civil_date today = civil_date_of_ms_cst(now_ms);
    civil_date_format(civil_date_add_days(today, -45), published, sizeof(published));
    civil_date_format(civil_date_add_days(today, -30), effective, sizeof(effective));
    struct store_val p[] = {SV_TEXT(text),  SV_TEXT(hash),      SV_INT(now_ms),    SV_INT(now_ms),
                            SV_INT(now_ms), SV_TEXT(published), SV_TEXT(effective)};
    enum store_rc rc = store_exec(c,
                                  "INSERT INTO fair_rule_versions (version, status, text, hash, "
                                  "created_ms, updated_ms, published_ms, published_date, "
                                  "notice_days, effective_date) SELECT 1, 'published', ?, ?, ?, "
                                  "?, ?, ?, 15, ? WHERE NOT EXISTS (SELECT 1 FROM "
                                  "fair_rule_versions)",
                                  p, 7, NULL, err);
    free(text);
    return rc;
}

static enum store_rc seed_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct seed_ctx *x = ctx;
    enum store_rc rc = STORE_OK;
    for (size_t i = 0; i < ARRAY_LEN(demo_insts) && rc == STORE_OK; i++)
        rc = seed_inst(c, x, i, err);
    for (size_t i = 0; i < ARRAY_LEN(demo_people) && rc == STORE_OK; i++) {
        struct api_new_user u = {.role = demo_people[i].role,
                                 .login = demo_people[i].login,
                                 .display_name = demo_people[i].name,
                                 .status = "active",
                                 .password_hash = x->hash,
                                 .demo = true,
                                 .now_ms = x->now_ms};
        rc = api_user_insert(c, &u, err);
    }
    if (rc == STORE_OK)
        rc = seed_fair_rule(c, x->now_ms, err);
    if (rc != STORE_OK)
        return rc;
    json_t *d = json_pack("{s:i,s:i}", "institutions", (int)ARRAY_LEN(demo_insts), "accounts",
                          (int)(ARRAY_LEN(demo_people) + 3 * ARRAY_LEN(demo_insts)));
    rc = api_audit(c, &system_actor, 0, "demo.seed", "demo", d, x->now_ms, err);
    json_decref(d);
    return rc;
}

static void print_accounts(void)
{
    printf("demo accounts (password for all: %s):\n", DEMO_PASSWORD);
    printf("  operators:    ops.admin, ops.reviewer, ops.risk\n");
    printf("  institutions: ");
    for (size_t i = 0; i < ARRAY_LEN(demo_insts); i++)
        printf("%s.admin%s", demo_insts[i].key, i + 1 < ARRAY_LEN(demo_insts) ? ", " : "\n");
    printf("                (also <name>.operator and <name>.compliance)\n");
    printf("  investors:    13800000001, 13800000002, 13800000003\n");
}

int cli_seed_demo(int argc, char **argv)
{
    if (argc > 0 && strcmp(argv[0], "--help") == 0) {
        printf("usage: caifuhao seed-demo [--db PATH] [--if-empty]\n\nLoads demonstration "
               "institutions and accounts (marked as demo). --if-empty: only into a database "
               "with no institutions yet.\n");
        return 0;
    }
    struct config cfg;
    config_defaults(&cfg);
    static const char *const own[] = {"if-empty!", NULL};
    const char *vals[1] = {NULL};
    if (cli_parse(argc, argv, &cfg, own, vals) != 0)
        return 2;
    struct store *s = cli_open_store(&cfg, true);
    if (s == NULL)
        return 1;
    struct store_err err = {0};
    int64_t count = 0;
    struct store_conn *c = store_reader(s, &err);
    enum store_rc rc =
        c ? store_query_int(c,
                            "SELECT count(*) FROM institutions WHERE demo = 1 "
                            "OR ? = 1",
                            (struct store_val[]){SV_INT(vals[0] != NULL)}, 1, &count, &err)
          : STORE_ERROR;
    if (rc == STORE_OK && count > 0) {
        printf("seed-demo: %s already has data; nothing loaded\n", cfg.db);
        print_accounts();
        store_close(s);
        return 0;
    }
    static struct seed_ctx x; /* the calendar makes it large */
    x.now_ms = config_now_ms(&cfg);
    if (rc == STORE_OK)
        rc = tcal_get(s, &x.cal, &err);
    if (rc == STORE_OK && crypto_password_hash(DEMO_PASSWORD, strlen(DEMO_PASSWORD), x.hash) != 0)
        rc = store_fail(&err, STORE_ERROR, "cannot hash the demo password (out of memory)");
    if (rc == STORE_OK)
        rc = store_write_sync(s, seed_write, &x, &err);
    int orders = 0;
    if (rc == STORE_OK)
        rc = seed_trades(s, &cfg.data_keys, &x.cal, x.now_ms, &orders, &err);
    store_close(s);
    if (rc != STORE_OK) {
        fprintf(stderr, "caifuhao: seed-demo %s: %s\n", cfg.db, err.msg);
        return 1;
    }
    printf("seed-demo: loaded 5 demonstration fund companies and %d products with a year of "
           "NAV history into %s, and %d confirmed orders (subscriptions and a paid redemption) "
           "of investor 13800000001 over the past year\n",
           x.products, cfg.db, orders);
    print_accounts();
    return 0;
}
