/* ledger_check.h: `caifuhao ledger check` (see ledger_check.c for what it verifies). */
#ifndef CFH_LEDGER_CHECK_H
#define CFH_LEDGER_CHECK_H

#include <stdio.h>

#include "store/store.h"

/* Runs every check, printing one line each (and up to 20 differences) to out. */
enum store_rc ledger_check_run(struct store *s, FILE *out, int64_t *differences,
                               struct store_err *err);

#endif
