/* http_int.h: what the files of src/http share. */
#ifndef CFH_HTTP_INT_H
#define CFH_HTTP_INT_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>

#include "http/http.h"
#include "http/server.h"

#define METRIC_LAT_BUCKETS 12
/* Pseudo-routes after the table: static files and unmatched paths. */
#define METRIC_ROUTE_STATIC (LIMIT_ROUTES_MAX + 0)
#define METRIC_ROUTE_NONE   (LIMIT_ROUTES_MAX + 1)
#define METRIC_ROUTES       (LIMIT_ROUTES_MAX + 2)

struct route_metrics {
    atomic_uint_fast64_t by_class[6]; /* status / 100 */
    atomic_uint_fast64_t lat[METRIC_LAT_BUCKETS + 1];
    atomic_uint_fast64_t lat_sum_us;
};

struct rate_bucket {
    uint32_t ip;
    int64_t tokens_milli; /* tokens × 1000 */
    int64_t last_ms;
};

struct server {
    const struct config *cfg;
    struct store *store;
    struct MHD_Daemon *daemon;
    atomic_int in_flight;
    atomic_bool draining;
    uint64_t rid_prefix;
    atomic_uint_fast64_t rid_counter;
    struct route_metrics metrics[METRIC_ROUTES];
    pthread_mutex_t rate_lock[16];
    struct rate_bucket rate[LIMIT_RATE_BUCKETS];
    const char *openapi_json; /* served at /api/v1/openapi.json */
    size_t openapi_len;
};

/* route.c */
enum route_match {
    ROUTE_FOUND,
    ROUTE_NO_PATH,
    ROUTE_NO_METHOD
};
enum route_match route_find(const char *path, enum http_method m, int *index,
                            const char *params[REQ_PARAMS_MAX], struct arena *a, char *allow,
                            size_t allow_cap);
enum http_method method_parse(const char *s);

/* session.c: resolves the caller; answers 401/403 itself and returns false. */
bool session_resolve_or_reply(struct req *r, uint32_t roles);
bool method_is_unsafe(enum http_method m);

/* static.c: GET/HEAD of a non-API path. */
void static_serve(struct req *r);

/* metrics.c */
void metrics_observe(struct server *srv, int route, unsigned status, int64_t us);

/* ratelimit.c: true when the client may go on; answers 429 itself otherwise. */
bool rate_allow_or_reply(struct req *r);

/* req.c */
void req_finish_response(struct req *r);

#endif
