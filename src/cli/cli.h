/* cli.h: subcommands of the caifuhao binary. */
#ifndef CFH_CLI_H
#define CFH_CLI_H

#include "base/config.h"
#include "store/store.h"

/* Each returns the process exit code: 0 ok, 1 failure, 2 usage error. */
int cli_serve(int argc, char **argv);
int cli_migrate(int argc, char **argv);
int cli_seed_demo(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_batch(int argc, char **argv);
int cli_ledger(int argc, char **argv);
int cli_verify(int argc, char **argv);
int cli_keys(int argc, char **argv);

/*
 * Parses --flag VALUE / --flag=VALUE pairs: settings go into cfg, the command's own
 * flags (names in `own`, NULL-terminated; a name ending in '!' takes no value) into
 * own_values. Prints the problem and returns 2 on an unknown flag or bad value.
 */
int cli_parse(int argc, char **argv, struct config *cfg, const char *const *own,
              const char **own_values);

/* Loads env, checks, sets up crypto; opens the store (with writer). NULL after printing. */
struct store *cli_open_store(struct config *cfg, bool check_schema);

#endif
