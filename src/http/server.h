/*
 * server.h: the HTTP server: libmicrohttpd with a thread pool and epoll, the route table,
 * sessions, static files, metrics and a graceful drain.
 */
#ifndef CFH_SERVER_H
#define CFH_SERVER_H

#include "base/config.h"
#include "store/store.h"

struct server;

/* Starts serving. NULL with a message in err on failure (port in use, ...). */
struct server *server_start(const struct config *cfg, struct store *store, char *err,
                            size_t err_cap);

/* Stops accepting, waits up to LIMIT_DRAIN_MS for requests in flight, then stops. */
void server_drain_and_stop(struct server *srv);

#endif
