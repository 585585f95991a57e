/* store_int.h: what store.c, store_migrate.c and the backends share. */
#ifndef CFH_STORE_INT_H
#define CFH_STORE_INT_H

#include "store/store.h"

/* Every backend connection starts with this, so generic code can find its backend. */
struct store_conn_head {
    const struct store_backend *backend;
};

/* Counts a database error for /metrics. */
void store_note_error(enum store_rc rc);

#endif
