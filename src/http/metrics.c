/*
 * metrics.c: Prometheus text exposition of request counts, latency histograms per route,
 * and the store writer's batch sizes and errors. Counters are relaxed atomics: a scrape
 * may see one request counted in the total but not yet in the histogram, never a torn
 * value.
 */
#include "http/http_int.h"

#include "base/buf.h"
#include "base/check.h"

#include <string.h>

/* Upper bounds of latency buckets, microseconds. */
static const int64_t lat_le_us[METRIC_LAT_BUCKETS] = {
    250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 1000000, 5000000,
};

void metrics_observe(struct server *srv, int route, unsigned status, int64_t us)
{
    ASSERT(route >= 0 && route < METRIC_ROUTES);
    struct route_metrics *m = &srv->metrics[route];
    unsigned cls = status / 100 < 6 ? status / 100 : 5;
    atomic_fetch_add_explicit(&m->by_class[cls], 1, memory_order_relaxed);
    int b = 0;
    while (b < METRIC_LAT_BUCKETS && us > lat_le_us[b])
        b++;
    atomic_fetch_add_explicit(&m->lat[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->lat_sum_us, (uint64_t)(us < 0 ? 0 : us), memory_order_relaxed);
}

static void route_label(int i, char *out, size_t cap)
{
    if (i < (int)api_routes_count)
        snprintf(out, cap, "route=\"%s\",method=\"%s\"", api_routes[i].pattern,
                 method_name(api_routes[i].method));
    else
        snprintf(out, cap, "route=\"%s\",method=\"\"",
                 i == METRIC_ROUTE_STATIC ? "static" : "unmatched");
}

static void write_route(struct buf *b, struct server *srv, int i)
{
    struct route_metrics *m = &srv->metrics[i];
    uint64_t total = 0;
    for (int c = 1; c < 6; c++)
        total += atomic_load_explicit(&m->by_class[c], memory_order_relaxed);
    if (total == 0)
        return;
    char label[256];
    route_label(i, label, sizeof(label));
    for (int c = 1; c < 6; c++) {
        uint64_t v = atomic_load_explicit(&m->by_class[c], memory_order_relaxed);
        if (v > 0)
            buf_printf(b, "caifuhao_http_requests_total{%s,status=\"%dxx\"} %llu\n", label, c,
                       (unsigned long long)v);
    }
    uint64_t cum = 0;
    for (int k = 0; k <= METRIC_LAT_BUCKETS; k++) {
        cum += atomic_load_explicit(&m->lat[k], memory_order_relaxed);
        if (k < METRIC_LAT_BUCKETS)
            buf_printf(b, "caifuhao_http_request_duration_seconds_bucket{%s,le=\"%g\"} %llu\n",
                       label, (double)lat_le_us[k] / 1e6, (unsigned long long)cum);
        else
            buf_printf(b, "caifuhao_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %llu\n",
                       label, (unsigned long long)cum);
    }
    buf_printf(b, "caifuhao_http_request_duration_seconds_sum{%s} %.6f\n", label,
               (double)atomic_load_explicit(&m->lat_sum_us, memory_order_relaxed) / 1e6);
    buf_printf(b, "caifuhao_http_request_duration_seconds_count{%s} %llu\n", label,
               (unsigned long long)cum);
}

static void write_store(struct buf *b, struct store *s)
{
    struct store_stats st;
    store_get_stats(s, &st);
    static const char *const le[] = {"1", "3", "7", "15", "31", "63", "127", "+Inf"};
    buf_puts(b, "# TYPE caifuhao_store_batch_size histogram\n");
    uint64_t cum = 0;
    for (int k = 0; k < 8; k++) {
        cum += st.batch_hist[k];
        buf_printf(b, "caifuhao_store_batch_size_bucket{le=\"%s\"} %llu\n", le[k],
                   (unsigned long long)cum);
    }
    buf_printf(b, "caifuhao_store_batch_size_sum %llu\n", (unsigned long long)st.writes);
    buf_printf(b, "caifuhao_store_batch_size_count %llu\n", (unsigned long long)cum);
    buf_printf(b,
               "# TYPE caifuhao_store_batches_total counter\ncaifuhao_store_batches_total "
               "%llu\n",
               (unsigned long long)st.batches);
    buf_printf(b,
               "# TYPE caifuhao_store_writes_failed_total counter\n"
               "caifuhao_store_writes_failed_total %llu\n",
               (unsigned long long)st.writes_failed);
    buf_printf(b,
               "# TYPE caifuhao_store_commit_failures_total counter\n"
               "caifuhao_store_commit_failures_total %llu\n",
               (unsigned long long)st.commit_failures);
    buf_printf(b,
               "# TYPE caifuhao_store_db_errors_total counter\n"
               "caifuhao_store_db_errors_total %llu\n",
               (unsigned long long)st.db_errors);
}

void http_metrics(struct req *r)
{
    struct buf b;
    buf_init(&b, 4u << 20);
    buf_puts(&b, "# TYPE caifuhao_http_requests_total counter\n"
                 "# TYPE caifuhao_http_request_duration_seconds histogram\n");
    for (int i = 0; i < METRIC_ROUTES; i++)
        if (i < (int)api_routes_count || i >= LIMIT_ROUTES_MAX)
            write_route(&b, r->srv, i);
    buf_printf(&b,
               "# TYPE caifuhao_http_requests_in_flight gauge\n"
               "caifuhao_http_requests_in_flight %d\n",
               atomic_load(&r->srv->in_flight));
    write_store(&b, r->store);
    if (b.overflow) {
        buf_free(&b);
        req_problem(r, 500, "internal", NULL, "metrics too large");
        return;
    }
    req_reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
    buf_free(&b);
}
