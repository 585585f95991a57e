/*
 * server.c: libmicrohttpd glue: request lifecycle, dispatch, suspend/resume for writes,
 * access log and the SIGTERM drain.
 *
 * libmicrohttpd calls the access handler several times per request: once when the
 * headers are in, once per chunk of body, and once more when the body is complete. The
 * response is queued only on that last call. Queuing it on the first call makes
 * libmicrohttpd close the connection after the response (DESIGN.md §9 measured ~22k
 * instead of ~130k requests per second), so even a GET waits for its second call.
 */
#include "http/http_int.h"

#include "base/buf.h"
#include "base/check.h"
#include "base/civil.h"
#include "base/crypto.h"
#include "base/log.h"
#include "embedded.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/*
 * Behind the trusted reverse proxy, the client is the last address the proxy appended to
 * X-Forwarded-For (the ones before it are the client's own claims). Anything unreadable
 * leaves the proxy's address: limits then apply to the proxy, never to a forged client.
 */
static uint32_t forwarded_client(struct MHD_Connection *conn, uint32_t proxy)
{
    const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
    if (xff == NULL)
        return proxy;
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ')
        last++;
    char addr[INET_ADDRSTRLEN];
    size_t n = strcspn(last, " ");
    if (n == 0 || n >= sizeof(addr))
        return proxy;
    memcpy(addr, last, n);
    addr[n] = '\0';
    struct in_addr in;
    return inet_pton(AF_INET, addr, &in) == 1 && in.s_addr != 0 ? in.s_addr : proxy;
}

static struct req *req_new(struct server *srv, struct MHD_Connection *conn, const char *url,
                           const char *method)
{
    struct req *r = calloc(1, sizeof(*r));
    if (r == NULL)
        return NULL;
    r->srv = srv;
    r->store = srv->store;
    r->cfg = srv->cfg;
    r->conn = conn;
    arena_init(&r->arena, LIMIT_REQ_ARENA_BYTES);
    r->start_us = mono_us();
    r->now_ms = config_now_ms(srv->cfg);
    r->route_index = -1;
    r->method_str = method;
    r->method = method_parse(method);
    r->path = url;
    /* Image uploads are the one body larger than a JSON document. */
    r->body_max =
        strcmp(url, "/api/v1/inst/uploads") == 0 ? LIMIT_UPLOAD_BYTES_MAX : LIMIT_BODY_BYTES_MAX;
    r->arena.max_bytes += r->body_max;
    uint64_t n = atomic_fetch_add(&srv->rid_counter, 1);
    snprintf(r->rid, sizeof(r->rid), "%08llx%012llx", (unsigned long long)srv->rid_prefix,
             (unsigned long long)(n & 0xffffffffffffULL));
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci != NULL && ci->client_addr != NULL && ci->client_addr->sa_family == AF_INET)
        r->ip = ((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr.s_addr;
    if (r->ip != 0 && r->ip == srv->cfg->trusted_proxy_ip)
        r->ip = forwarded_client(conn, r->ip);
    return r;
}

void http_healthz(struct req *r)
{
    req_reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

void http_readyz(struct req *r)
{
    if (atomic_load(&r->srv->draining))
        req_problem(r, 503, "unavailable", NULL, "server is draining");
    else
        req_reply_json(r, 200, json_pack("{s:s}", "status", "ready"));
}

void http_openapi(struct req *r)
{
    req_reply_raw(r, 200, "application/json", r->srv->openapi_json, r->srv->openapi_len);
    req_add_header(r, "Cache-Control", "public, max-age=300");
}

static void route_request(struct req *r, int idx)
{
    r->route_index = idx;
    const struct route *rt = &api_routes[idx];
    if (!(rt->flags & ROUTE_UNLIMITED) && !rate_allow_or_reply(r))
        return;
    if (!session_resolve_or_reply(r, rt->roles))
        return;
    rt->handler(r);
    req_snapshot_end(r);
    if (r->response == NULL && !r->suspended) {
        log_msg(LOG_ERROR, r->rid, "handler for %s %s produced no response", r->method_str,
                rt->pattern);
        req_problem(r, 500, "internal", NULL, "internal error");
    }
}

static void dispatch(struct req *r)
{
    if (r->body_too_large) {
        req_problem(r, 413, "body_too_large", NULL, "request body exceeds %zu bytes", r->body_max);
        return;
    }
    char allow[LIMIT_ALLOW_HEADER_BYTES];
    int idx = -1;
    enum route_match m =
        route_find(r->path, r->method, &idx, r->params, &r->arena, allow, sizeof(allow));
    if (m == ROUTE_FOUND) {
        route_request(r, idx);
        return;
    }
    bool api = strncmp(r->path, "/api/", 5) == 0;
    r->route_index = api || m == ROUTE_NO_METHOD ? METRIC_ROUTE_NONE : METRIC_ROUTE_STATIC;
    if (!rate_allow_or_reply(r))
        return;
    if (m == ROUTE_NO_METHOD) {
        req_problem(r, 405, "method_not_allowed", NULL, "%s is not allowed here; allowed: %s",
                    r->method_str, allow);
        req_add_header(r, "Allow", allow);
    } else if (api) {
        req_problem(r, 404, "not_found", NULL, "no such endpoint: %s", r->path);
    } else if (r->method == M_GET || r->method == M_HEAD) {
        static_serve(r);
    } else {
        req_problem(r, 405, "method_not_allowed", NULL, "only GET and HEAD are allowed here");
        req_add_header(r, "Allow", "GET, HEAD");
    }
}

static enum MHD_Result queue(struct req *r)
{
    ASSERT(r->response != NULL);
    req_finish_response(r);
    r->queued = true;
    enum MHD_Result ok = MHD_queue_response(r->conn, r->status, r->response);
    MHD_destroy_response(r->response);
    r->response = NULL;
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct server *srv = cls;
    struct req *r = *con_cls;
    if (r == NULL) {
        r = req_new(srv, conn, url, method);
        if (r == NULL)
            return MHD_NO;
        *con_cls = r;
        atomic_fetch_add(&srv->in_flight, 1);
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl != NULL && strlen(cl) > 9) {
            r->body_too_large = true;
        } else if (cl != NULL) {
            size_t n = 0;
            for (const char *p = cl; *p >= '0' && *p <= '9'; p++)
                n = n * 10 + (size_t)(*p - '0');
            r->body_too_large = n > r->body_max;
        }
        if (r->body_too_large) { /* do not read a body we will refuse */
            dispatch(r);
            return queue(r);
        }
        return MHD_YES;
    }
    if (r->queued) { /* refused early (413): swallow the rest of the upload */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->suspended) { /* resumed after the write committed */
        r->suspended = false;
        r->then(r, r->write.rc, &r->write.err);
        req_snapshot_end(r);
        if (r->response == NULL)
            req_problem(r, 500, "internal", NULL, "internal error");
        return queue(r);
    }
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (r->body_too_large || r->body_len + n > r->body_max) {
            r->body_too_large = true;
            return MHD_YES;
        }
        if (r->body == NULL)
            r->body = arena_alloc(&r->arena, r->body_max + 1);
        if (r->body == NULL)
            return MHD_NO;
        memcpy(r->body + r->body_len, upload_data, n);
        r->body_len += n;
        r->body[r->body_len] = '\0';
        return MHD_YES;
    }
    dispatch(r);
    if (r->suspended)
        return MHD_YES;
    return queue(r);
}

static void access_log(struct req *r)
{
    char line[LIMIT_LOG_LINE_BYTES];
    char ts[40];
    civil_format_ms_iso(r->now_ms, ts, sizeof(ts));
    char ip[INET_ADDRSTRLEN] = "";
    inet_ntop(AF_INET, &r->ip, ip, sizeof(ip));
    const char *route = r->route_index >= 0 && r->route_index < (int)api_routes_count
                            ? api_routes[r->route_index].pattern
                            : "";
    struct buf b;
    buf_init(&b, sizeof(line) - 2);
    buf_printf(&b, "{\"ts\":\"%s\",\"rid\":\"%s\",\"method\":\"", ts, r->rid);
    buf_json_escape(&b, r->method_str, strlen(r->method_str));
    buf_puts(&b, "\",\"path\":\"");
    buf_json_escape(&b, r->path, strlen(r->path) > 256 ? 256 : strlen(r->path));
    buf_printf(&b,
               "\",\"route\":\"%s\",\"status\":%u,\"us\":%lld,\"bytes\":%zu,\"ip\":\"%s\","
               "\"user\":\"%lld\"}\n",
               route, r->status, (long long)(mono_us() - r->start_us), r->resp_bytes, ip,
               (long long)r->sess.user_id);
    if (!b.overflow)
        log_write_line(STDOUT_FILENO, b.data, (uint32_t)b.len);
    buf_free(&b);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    struct server *srv = cls;
    struct req *r = *con_cls;
    if (r == NULL)
        return;
    *con_cls = NULL;
    if (r->suspended) {
        /* The client left while its write ran: the write has finished (the connection was
         * resumed by it) but nobody will read the answer. The continuation still runs, to
         * release what the write's context holds; its response is discarded. */
        r->suspended = false;
        r->then(r, r->write.rc, &r->write.err);
        req_snapshot_end(r);
    }
    req_snapshot_end(r);
    int metric = r->route_index < 0 ? METRIC_ROUTE_NONE : r->route_index;
    metrics_observe(srv, metric, r->status, mono_us() - r->start_us);
    access_log(r);
    if (r->json != NULL)
        json_decref(r->json);
    if (r->response != NULL)
        MHD_destroy_response(r->response);
    arena_release(&r->arena);
    free(r);
    atomic_fetch_sub(&srv->in_flight, 1);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/*
 * Percent-decodes the path and query in place, as libmicrohttpd would, except "%00": a NUL
 * would cut the string short and make "/x/%00" look like "/x/", so it stays as the three
 * characters "%00" and fails validation wherever it lands.
 */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    char *w = s;
    for (const char *p = s; *p; p++) {
        int hi = p[0] == '%' ? hexval(p[1]) : -1;
        int lo = hi >= 0 ? hexval(p[2]) : -1;
        if (lo >= 0 && (hi | lo) != 0) {
            *w++ = (char)(hi * 16 + lo);
            p += 2;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

static const char *find_openapi(size_t *len)
{
    for (size_t i = 0; i < embedded_files_count; i++) {
        if (strcmp(embedded_files[i].name, "openapi.json") == 0) {
            *len = embedded_files[i].len;
            return (const char *)embedded_files[i].data;
        }
    }
    BUG("openapi.json is not embedded");
}

struct server *server_start(const struct config *cfg, struct store *store, char *err,
                            size_t err_cap)
{
    struct server *srv = calloc(1, sizeof(*srv));
    if (srv == NULL) {
        snprintf(err, err_cap, "out of memory");
        return NULL;
    }
    srv->cfg = cfg;
    srv->store = store;
    crypto_random(&srv->rid_prefix, sizeof(srv->rid_prefix));
    srv->rid_prefix &= 0xffffffffu;
    for (size_t i = 0; i < ARRAY_LEN(srv->rate_lock); i++)
        pthread_mutex_init(&srv->rate_lock[i], NULL);
    srv->openapi_json = find_openapi(&srv->openapi_len);

    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(cfg->listen_port);
    addr.sin_addr.s_addr = cfg->listen_ip;
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC;
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)LIMIT_CONNECTIONS_MAX, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)LIMIT_CONNECTIONS_PER_IP_MAX, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)LIMIT_CONNECTION_TIMEOUT_S, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
        MHD_OPTION_END);
    if (srv->daemon == NULL) {
        snprintf(err, err_cap, "cannot listen on %s (in use, or not an address of this host?)",
                 cfg->listen);
        free(srv);
        return NULL;
    }
    return srv;
}

void server_drain_and_stop(struct server *srv)
{
    if (srv == NULL)
        return;
    atomic_store(&srv->draining, true);
    /* Stop accepting; connections already open finish the requests they carry. */
    MHD_quiesce_daemon(srv->daemon);
    int64_t deadline = mono_us() + (int64_t)LIMIT_DRAIN_MS * 1000;
    while (atomic_load(&srv->in_flight) > 0 && mono_us() < deadline)
        usleep(10000);
    int left = atomic_load(&srv->in_flight);
    if (left > 0)
        log_warn("drain timed out with %d request(s) in flight", left);
    MHD_stop_daemon(srv->daemon);
    for (size_t i = 0; i < ARRAY_LEN(srv->rate_lock); i++)
        pthread_mutex_destroy(&srv->rate_lock[i]);
    free(srv);
}
