/*
 * main.c: the caifuhao binary. One process, subcommands:
 *
 *   serve       HTTP API and web UI
 *   migrate     apply pending schema migrations
 *   seed-demo   load demonstration data
 *   user create create an operator or institution staff account
 *   batch       the day's batches (confirm, settle, mmf-income, score)
 *   verify-allocation  check a published day of the fair rule
 *   keys        the data key ring: status, rotate, retire
 *   routes      print the route table
 *   version     print the version
 */
#include "cli/cli.h"

#include "api/handlers.h"
#include "base/check.h"
#include "base/crypto.h"
#include "base/log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CAIFUHAO_VERSION "0.1.0"

static void usage(FILE *out)
{
    fprintf(out,
            "caifuhao %s: open wealth-management platform\n\n"
            "usage: caifuhao COMMAND [FLAGS]\n\n"
            "commands:\n"
            "  serve        serve the HTTP API and web UI\n"
            "  migrate      apply pending database migrations\n"
            "  seed-demo    load demonstration institutions and accounts\n"
            "  user create  create an operator or institution staff account\n"
            "  batch        run a batch of the day (confirm, settle, mmf-income, score)\n"
            "  verify-allocation  recompute and check a published day of the fair rule\n"
            "  keys         the data key ring: status, rotate, retire\n"
            "  routes       print the API route table\n"
            "  version      print the version\n\n"
            "'caifuhao COMMAND --help' describes a command.\n",
            CAIFUHAO_VERSION);
}

static int cmd_routes(void)
{
    for (size_t i = 0; i < api_routes_count; i++)
        printf("%s %s\n", method_name(api_routes[i].method), api_routes[i].pattern);
    return 0;
}

int cli_parse(int argc, char **argv, struct config *cfg, const char *const *own,
              const char **own_values)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "caifuhao: unexpected argument '%s'\n", a);
            return 2;
        }
        char name[64];
        const char *eq = strchr(a, '=');
        size_t nl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (nl == 0 || nl >= sizeof(name)) {
            fprintf(stderr, "caifuhao: bad flag '%s'\n", a);
            return 2;
        }
        memcpy(name, a + 2, nl);
        name[nl] = '\0';
        int k = 0;
        bool is_switch = false;
        for (; own && own[k]; k++) {
            size_t ol = strlen(own[k]);
            is_switch = own[k][ol - 1] == '!';
            if (strncmp(own[k], name, nl) == 0 && ol - is_switch == nl)
                break;
        }
        bool mine = own && own[k];
        const char *value = eq ? eq + 1 : NULL;
        if (mine && is_switch) {
            own_values[k] = "1";
            continue;
        }
        if (value == NULL) {
            if (i + 1 >= argc) {
                fprintf(stderr, "caifuhao: flag '--%s' needs a value\n", name);
                return 2;
            }
            value = argv[++i];
        }
        if (mine) {
            own_values[k] = value;
            continue;
        }
        char err[CONFIG_ERR_MAX], origin[80];
        snprintf(origin, sizeof(origin), "--%s", name);
        int rc = config_set(cfg, name, value, origin, err);
        if (rc != 0) {
            fprintf(stderr, "caifuhao: %s\n", rc == -2 ? "unknown flag" : err);
            if (rc == -2)
                fprintf(stderr, "  '%s'; see 'caifuhao --help'\n", a);
            return 2;
        }
    }
    return 0;
}

struct store *cli_open_store(struct config *cfg, bool check_schema)
{
    char err[CONFIG_ERR_MAX];
    if (config_load_env(cfg, err) != 0 || config_check(cfg, err) != 0) {
        fprintf(stderr, "caifuhao: %s\n", err);
        return NULL;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (crypto_setup((unsigned)cfg->argon2_ops, (unsigned)cfg->argon2_mem_kib,
                     cores < 1 ? 1u : (unsigned)cores) != 0) {
        fprintf(stderr, "caifuhao: cannot initialise libsodium\n");
        return NULL;
    }
    char key_path[CONFIG_PATH_MAX + 8];
    config_data_key_path(cfg, key_path, sizeof(key_path));
    if (keyring_load(&cfg->data_keys, key_path, true, err, sizeof(err)) != 0) {
        fprintf(stderr, "caifuhao: %s\n", err);
        return NULL;
    }
    memcpy(cfg->data_key, keyring_find(&cfg->data_keys, KEYRING_PSEUDONYM_ID)->key,
           sizeof(cfg->data_key));
    config_sign_key_path(cfg, key_path, sizeof(key_path));
    if (crypto_load_sign_key(key_path, true, cfg->sign_pk, cfg->sign_sk, err, sizeof(err)) != 0) {
        fprintf(stderr, "caifuhao: %s\n", err);
        return NULL;
    }
    struct store_err serr = {0};
    struct store_options opt = {.dsn = cfg->db, .start_writer = true};
    struct store *s = store_open(&opt, &serr);
    if (s == NULL) {
        fprintf(stderr, "caifuhao: %s\n", serr.msg);
        return NULL;
    }
    if (check_schema && store_check_schema(s, &serr) != STORE_OK) {
        fprintf(stderr, "caifuhao: %s: %s\n", cfg->db, serr.msg);
        store_close(s);
        return NULL;
    }
    return s;
}

int cli_migrate(int argc, char **argv)
{
    struct config cfg;
    config_defaults(&cfg);
    if (argc > 0 && strcmp(argv[0], "--help") == 0) {
        printf("usage: caifuhao migrate [--db PATH]\n\nApplies pending migrations in order; "
               "refuses a database migrated by a newer version.\n");
        return 0;
    }
    if (cli_parse(argc, argv, &cfg, NULL, NULL) != 0)
        return 2;
    struct store *s = cli_open_store(&cfg, false);
    if (s == NULL)
        return 1;
    int applied = 0;
    struct store_err err = {0};
    enum store_rc rc = store_migrate(s, &applied, &err);
    store_close(s);
    if (rc != STORE_OK) {
        fprintf(stderr, "caifuhao: migrate %s: %s\n", cfg.db, err.msg);
        return 1;
    }
    printf("migrate: %s: %d migration(s) applied, schema is current\n", cfg.db, applied);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "serve") == 0)
        return cli_serve(argc - 2, argv + 2);
    if (strcmp(cmd, "migrate") == 0)
        return cli_migrate(argc - 2, argv + 2);
    if (strcmp(cmd, "seed-demo") == 0)
        return cli_seed_demo(argc - 2, argv + 2);
    if (strcmp(cmd, "user") == 0)
        return cli_user(argc - 2, argv + 2);
    if (strcmp(cmd, "batch") == 0)
        return cli_batch(argc - 2, argv + 2);
    if (strcmp(cmd, "ledger") == 0)
        return cli_ledger(argc - 2, argv + 2);
    if (strcmp(cmd, "verify-allocation") == 0)
        return cli_verify(argc - 2, argv + 2);
    if (strcmp(cmd, "keys") == 0)
        return cli_keys(argc - 2, argv + 2);
    if (strcmp(cmd, "routes") == 0)
        return cmd_routes();
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("caifuhao %s\n", CAIFUHAO_VERSION);
        return 0;
    }
    fprintf(stderr, "caifuhao: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return 2;
}
