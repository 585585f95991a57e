/*
 * bench/orders/load.c: the HTTP load client of bench/orders/run. Every request places a new
 * subscription order, POST /api/v1/investor/orders, on HTTP/1.1 keep-alive connections.
 *
 *   load HOST:PORT CONNECTIONS SECONDS TOKENS_FILE PRODUCT_ID TAG
 *
 * TOKENS_FILE holds one investor session token a line. Connection i always uses token
 * i % ntokens and keeps one request in flight (no pipelining), so with as many investors as
 * connections no investor ever has two orders in flight. Each body carries the client order
 * id TAG-CONN-SEQ, SEQ counting from 1 on each connection: ids never repeat within a run, and
 * TAG tells a warm-up ("w") from a measured run ("m") in the database.
 *
 * Why not wrk: the client shares the machine with the server, and wrk with a Lua script that
 * formats every request cost ~29 us of CPU a request against the server's ~61 us: a third of
 * a 2-core box that production would give to the server. Here one thread waits in epoll; a
 * request is a fixed buffer per connection in which only SEQ's digits change (zero-padded,
 * so the length never does), and a response costs one recv and a scan of its head: ~10 us a
 * request in all, most of it the kernel's loopback TCP. Its own CPU time per request is
 * printed, so the cost stays known.
 *
 * All connections are opened first (for up to CONNECT_TIMEOUT_MS); the SECONDS of the run
 * start when they are. At the end no new request is sent and the ones in flight get up to
 * DRAIN_TIMEOUT_MS to finish: they are counted, and closing a connection while the server is
 * still writing its order is what a real client would not do either. A connection that fails
 * (reset, refused, no response in REQUEST_TIMEOUT_MS) counts an error and is opened again
 * RETRY_DELAY_MS later; one the server closes with "Connection: close" is opened again at once
 * and counts a reconnect.
 *
 * Prints one line of key=value figures for the run script, then the responses completed in
 * each second of the run (and after its end, while waiting for the last ones); non-2xx
 * statuses and errors by kind when there are any. Latencies are from the first byte sent to
 * the last byte of the response. Exit status: 0 after a run (even with errors), 1 when no
 * connection could be made or a response was malformed, 2 on bad arguments.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "response.h"

#define CONNECTIONS_MAX  10000
#define SECONDS_MAX      3600
#define TOKENS_MAX       100000
#define TOKEN_LEN_MAX    512
#define PRODUCT_LEN_MAX  64
#define TAG_LEN_MAX      16
#define HOSTPORT_LEN_MAX 256
#define BODY_MAX         512
#define SEQ_DIGITS       10 /* 10^10 requests on one connection: 30 days at 3.9M/s */
#define EVENTS_MAX       256
#define LATENCIES_MIN    (1u << 20)
#define LATENCIES_MAX    (1u << 28)
#define WARNINGS_MAX     10 /* error messages printed; the rest are only counted */

#define CONNECT_TIMEOUT_MS 5000
#define REQUEST_TIMEOUT_MS 10000
#define DRAIN_TIMEOUT_MS   5000
#define RETRY_DELAY_MS     100
#define TICK_MS            20 /* how often timeouts and due reconnects are looked for */

#define NS_PER_MS INT64_C(1000000)
#define NS_PER_S  INT64_C(1000000000)

enum conn_state {
    CONN_CLOSED,     /* no socket; opened again at deadline_ns (not after the run) */
    CONN_CONNECTING, /* connect in progress, given up at deadline_ns */
    CONN_IDLE,       /* connected, nothing in flight */
    CONN_SENDING,    /* request partly written */
    CONN_READING,    /* request written, response not complete */
};

enum err_kind {
    ERR_CONNECT,
    ERR_READ,
    ERR_WRITE,
    ERR_TIMEOUT,
    ERR_MALFORMED,
    ERR_KINDS,
};

static const char *const err_names[ERR_KINDS] = {"connect", "read", "write", "timeout",
                                                 "malformed"};

enum phase {
    PHASE_CONNECT, /* opening the connections, nothing sent */
    PHASE_RUN,     /* SECONDS of requests */
    PHASE_DRAIN,   /* no new requests; waiting for the ones in flight */
};

struct conn {
    int fd; /* -1 when CONN_CLOSED */
    enum conn_state state;
    bool want_out;       /* EPOLLOUT is in the fd's epoll events */
    uint32_t opens;      /* sockets opened so far; each after the first is a reconnect */
    char *req;           /* the request, sent as is but for seq */
    size_t req_len;      /* the same for every request of the connection */
    size_t req_sent;     /* bytes of the request in flight written */
    char *seq;           /* SEQ_DIGITS digits inside req */
    int64_t sent_ns;     /* when the request in flight started */
    int64_t deadline_ns; /* CONN_CLOSED: open again; CONN_CONNECTING: give up */
    struct response rsp;
};

struct config {
    const char *hostport; /* as given, also the Host header */
    struct sockaddr_storage addr;
    socklen_t addr_len;
    int family;
    uint32_t connections;
    uint32_t seconds;
    char **tokens;
    uint32_t n_tokens;
    const char *product;
    const char *tag;
};

struct stats {
    uint64_t requests; /* responses received in full */
    uint64_t ok;       /* 2xx */
    uint64_t non2xx;
    uint64_t errors; /* sum of err[] */
    uint64_t err[ERR_KINDS];
    uint64_t reconnects;
    uint64_t status[600]; /* responses by status */
    uint64_t *per_second; /* responses completed in each second; [seconds]: after the end */
    int64_t *latency_ns;  /* one per response */
    size_t latency_n;
    size_t latency_cap;    /* <= LATENCIES_MAX */
    uint64_t latency_lost; /* not kept: no memory */
    uint64_t warnings;     /* error messages so far */
};

struct loop {
    int epfd;
    enum phase phase;
    struct conn *conns;
    uint32_t connecting; /* conns in CONN_CONNECTING */
    uint32_t inflight;   /* conns in CONN_SENDING or CONN_READING */
    uint32_t connected;  /* connections ever established */
    int64_t connect_deadline_ns;
    int64_t start_ns;
    int64_t end_ns;
    int64_t drain_deadline_ns;
    int64_t last_done_ns;
    int64_t cpu_start_us;
};

static struct config cfg;
static struct stats st;
static struct loop lp;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static int64_t cpu_us(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 + ru.ru_utime.tv_usec +
           ru.ru_stime.tv_usec;
}

__attribute__((format(printf, 1, 2), noreturn)) static void fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "load: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL)
        fatal("out of memory");
    return p;
}

/* ---- arguments and set-up ---- */

static void usage(void)
{
    fprintf(stderr,
            "usage: load HOST:PORT CONNECTIONS SECONDS TOKENS_FILE PRODUCT_ID TAG\n"
            "  CONNECTIONS 1..%d, SECONDS 1..%d; TOKENS_FILE: one session token a line;\n"
            "  TAG: 1..%d letters or digits, prefix of the client order ids\n",
            CONNECTIONS_MAX, SECONDS_MAX, TAG_LEN_MAX);
    exit(2);
}

static bool parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* Plain text of a JSON string: nothing to escape, and no more than max bytes. */
static bool plain_text(const char *s, size_t max, bool alnum_only)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool alnum = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
        if (alnum_only ? !alnum : (c < 0x21 || c > 0x7e || c == '"' || c == '\\'))
            return false;
    }
    return true;
}

/* HOST:PORT ([::1]:PORT for IPv6) into cfg.addr: the first address getaddrinfo gives. */
static bool resolve(const char *hostport)
{
    char host[HOSTPORT_LEN_MAX];
    size_t n = strlen(hostport);
    const char *colon = strrchr(hostport, ':');
    if (n >= sizeof(host) || colon == NULL || colon == hostport || colon[1] == '\0')
        return false;
    size_t host_len = (size_t)(colon - hostport);
    const char *h = hostport;
    if (h[0] == '[' && h[host_len - 1] == ']') {
        h++;
        host_len -= 2;
    }
    memcpy(host, h, host_len);
    host[host_len] = '\0';
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
    struct addrinfo *ai;
    int rc = getaddrinfo(host, colon + 1, &hints, &ai);
    if (rc != 0) {
        fprintf(stderr, "load: cannot resolve '%s': %s\n", hostport, gai_strerror(rc));
        return false;
    }
    memcpy(&cfg.addr, ai->ai_addr, ai->ai_addrlen);
    cfg.addr_len = ai->ai_addrlen;
    cfg.family = ai->ai_family;
    freeaddrinfo(ai);
    return true;
}

/* The tokens of path, one a line; blank lines are skipped. */
static void read_tokens(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fatal("cannot open tokens file '%s'", path);
    cfg.tokens = xmalloc(sizeof(*cfg.tokens) * TOKENS_MAX);
    char line[TOKEN_LEN_MAX + 2];
    while (fgets(line, sizeof(line), f) != NULL) {
        size_t n = strlen(line);
        if (n == sizeof(line) - 1 && line[n - 1] != '\n')
            fatal("a line of '%s' is longer than a token can be", path);
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
            line[--n] = '\0';
        if (n == 0)
            continue;
        if (!plain_text(line, TOKEN_LEN_MAX, false))
            fatal("'%s' holds a token with a space or a control character", path);
        if (cfg.n_tokens == TOKENS_MAX)
            fatal("'%s' holds too many tokens", path);
        cfg.tokens[cfg.n_tokens] = xmalloc(n + 1);
        memcpy(cfg.tokens[cfg.n_tokens++], line, n + 1);
    }
    bool failed = ferror(f) != 0;
    fclose(f);
    if (failed)
        fatal("cannot read '%s'", path);
    if (cfg.n_tokens == 0)
        fatal("no token in '%s'", path);
}

static void parse_args(int argc, char **argv)
{
    if (argc != 7)
        usage();
    cfg.hostport = argv[1];
    cfg.product = argv[5];
    cfg.tag = argv[6];
    if (!parse_u32(argv[2], 1, CONNECTIONS_MAX, &cfg.connections) ||
        !parse_u32(argv[3], 1, SECONDS_MAX, &cfg.seconds) ||
        !plain_text(cfg.product, PRODUCT_LEN_MAX, false) ||
        !plain_text(cfg.tag, TAG_LEN_MAX, true) || !resolve(cfg.hostport))
        usage();
    read_tokens(argv[4]);
}

/* Connection i's request, with SEQ 0 (conn_send counts it up before each send). */
static void request_build(struct conn *c, uint32_t i)
{
    char body[BODY_MAX];
    int id_len = snprintf(body, sizeof(body), "{\"client_order_id\":\"%s-%" PRIu32 "-", cfg.tag, i);
    int body_len = snprintf(body, sizeof(body),
                            "{\"client_order_id\":\"%s-%" PRIu32 "-%0*d\",\"product_id\":\"%s\","
                            "\"side\":\"subscribe\",\"amount\":\"10.00\"}",
                            cfg.tag, i, SEQ_DIGITS, 0, cfg.product);
    assert(id_len > 0 && body_len > id_len && (size_t)body_len < sizeof(body));
    const char *token = cfg.tokens[i % cfg.n_tokens];
    static const char head_fmt[] = "POST /api/v1/investor/orders HTTP/1.1\r\n"
                                   "Host: %s\r\n"
                                   "Authorization: Bearer %s\r\n"
                                   "Content-Type: application/json\r\n"
                                   "Content-Length: %d\r\n"
                                   "\r\n";
    int head_len = snprintf(NULL, 0, head_fmt, cfg.hostport, token, body_len);
    assert(head_len > 0);
    c->req_len = (size_t)head_len + (size_t)body_len;
    c->req = xmalloc(c->req_len + 1);
    snprintf(c->req, (size_t)head_len + 1, head_fmt, cfg.hostport, token, body_len);
    memcpy(c->req + head_len, body, (size_t)body_len + 1);
    c->seq = c->req + head_len + id_len;
    assert(c->seq[0] == '0' && c->seq[SEQ_DIGITS] == '"');
}

static void setup(void)
{
    lp.epfd = epoll_create1(EPOLL_CLOEXEC);
    if (lp.epfd < 0)
        fatal("epoll_create1: %s", strerror(errno));
    lp.conns = xmalloc(sizeof(*lp.conns) * cfg.connections);
    for (uint32_t i = 0; i < cfg.connections; i++) {
        struct conn *c = &lp.conns[i];
        memset(c, 0, sizeof(*c));
        c->fd = -1;
        c->state = CONN_CLOSED;
        request_build(c, i);
        c->rsp.cap = RESPONSE_BYTES_MIN;
        c->rsp.buf = xmalloc(c->rsp.cap);
    }
    st.per_second = calloc((size_t)cfg.seconds + 1, sizeof(*st.per_second));
    st.latency_cap = LATENCIES_MIN;
    st.latency_ns = malloc(sizeof(*st.latency_ns) * st.latency_cap);
    if (st.per_second == NULL || st.latency_ns == NULL)
        fatal("out of memory");
}

/* ---- connections ---- */

static void conn_open(struct conn *c);

static void warn(const struct conn *c, const char *what, const char *why)
{
    if (st.warnings++ < WARNINGS_MAX)
        fprintf(stderr, "load: connection %u: %s: %s\n", (unsigned)(c - lp.conns), what, why);
}

static void conn_set_state(struct conn *c, enum conn_state s)
{
    if (c->state == CONN_CONNECTING)
        lp.connecting--;
    if (s == CONN_CONNECTING)
        lp.connecting++;
    if (c->state == CONN_SENDING || c->state == CONN_READING)
        lp.inflight--;
    if (s == CONN_SENDING || s == CONN_READING)
        lp.inflight++;
    assert(lp.connecting <= cfg.connections && lp.inflight <= cfg.connections);
    c->state = s;
}

static void conn_close(struct conn *c)
{
    if (c->fd >= 0)
        close(c->fd); /* also takes it out of the epoll set */
    c->fd = -1;
    c->want_out = false;
    response_reset(&c->rsp);
    conn_set_state(c, CONN_CLOSED);
}

/* An error of kind on c: counted, the socket closed, opened again RETRY_DELAY_MS later. */
static void conn_fail(struct conn *c, enum err_kind kind, const char *why)
{
    st.errors++;
    st.err[kind]++;
    warn(c, err_names[kind], why);
    conn_close(c);
    c->deadline_ns = now_ns() + RETRY_DELAY_MS * NS_PER_MS;
}

static void conn_want_out(struct conn *c, bool on)
{
    if (c->want_out == on)
        return;
    struct epoll_event ev = {.events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c};
    if (epoll_ctl(lp.epfd, EPOLL_CTL_MOD, c->fd, &ev) != 0)
        fatal("epoll_ctl: %s", strerror(errno));
    c->want_out = on;
}

/* Whether a new request may go out at now: the run's SECONDS are not over. */
static bool sending(int64_t now)
{
    return lp.phase == PHASE_RUN && now < lp.end_ns;
}

static void conn_write(struct conn *c)
{
    assert(c->state == CONN_SENDING && c->req_sent < c->req_len);
    ssize_t n = send(c->fd, c->req + c->req_sent, c->req_len - c->req_sent, MSG_NOSIGNAL);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            conn_want_out(c, true);
        else
            conn_fail(c, ERR_WRITE, strerror(errno));
        return;
    }
    c->req_sent += (size_t)n;
    if (c->req_sent < c->req_len) {
        conn_want_out(c, true);
        return;
    }
    conn_want_out(c, false);
    conn_set_state(c, CONN_READING);
}

/* The next request: SEQ counted up in place (decimal, carry to the left), then sent. */
static void conn_send(struct conn *c, int64_t now)
{
    assert(c->state == CONN_IDLE);
    int i = SEQ_DIGITS - 1;
    while (i >= 0 && c->seq[i] == '9')
        c->seq[i--] = '0';
    assert(i >= 0); /* see SEQ_DIGITS */
    c->seq[i]++;
    c->sent_ns = now;
    c->req_sent = 0;
    conn_set_state(c, CONN_SENDING);
    conn_write(c);
}

static void conn_connected(struct conn *c)
{
    int err = 0;
    socklen_t len = sizeof(err);
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        err = errno;
    if (err != 0) {
        conn_fail(c, ERR_CONNECT, strerror(err));
        return;
    }
    conn_want_out(c, false);
    lp.connected++;
    conn_set_state(c, CONN_IDLE);
    int64_t now = now_ns();
    if (sending(now))
        conn_send(c, now);
}

static void conn_open(struct conn *c)
{
    assert(c->state == CONN_CLOSED && c->fd < 0);
    if (c->opens++ > 0)
        st.reconnects++;
    c->fd = socket(cfg.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        conn_fail(c, ERR_CONNECT, strerror(errno));
        return;
    }
    int one = 1;
    if (setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0 ||
        (connect(c->fd, (const struct sockaddr *)&cfg.addr, cfg.addr_len) != 0 &&
         errno != EINPROGRESS)) {
        conn_fail(c, ERR_CONNECT, strerror(errno));
        return;
    }
    /* Done or not, the connect's outcome comes as EPOLLOUT (or EPOLLERR). */
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
    if (epoll_ctl(lp.epfd, EPOLL_CTL_ADD, c->fd, &ev) != 0)
        fatal("epoll_ctl: %s", strerror(errno));
    c->want_out = true;
    c->deadline_ns = now_ns() + CONNECT_TIMEOUT_MS * NS_PER_MS;
    conn_set_state(c, CONN_CONNECTING);
}

static void record(const struct conn *c, int64_t done_ns)
{
    int status = c->rsp.status;
    st.requests++;
    st.status[status]++;
    if (status >= 200 && status <= 299)
        st.ok++;
    else
        st.non2xx++;
    if (st.latency_n == st.latency_cap && st.latency_cap < LATENCIES_MAX) {
        int64_t *l = realloc(st.latency_ns, sizeof(*l) * st.latency_cap * 2);
        if (l != NULL) {
            st.latency_ns = l;
            st.latency_cap *= 2;
        }
    }
    if (st.latency_n < st.latency_cap)
        st.latency_ns[st.latency_n++] = done_ns - c->sent_ns;
    else
        st.latency_lost++;
    int64_t sec = (done_ns - lp.start_ns) / NS_PER_S;
    st.per_second[sec < cfg.seconds ? sec : cfg.seconds]++;
    lp.last_done_ns = done_ns;
}

/* A whole response: counted; the next request goes out at once while the run lasts. */
static void conn_done(struct conn *c)
{
    int64_t now = now_ns();
    record(c, now);
    /* A server that answers before it has read the whole request leaves nothing to go on. */
    bool close_it = c->rsp.close || c->state == CONN_SENDING;
    response_reset(&c->rsp);
    conn_set_state(c, CONN_IDLE);
    if (close_it) {
        conn_close(c);
        if (sending(now))
            conn_open(c);
        return;
    }
    if (sending(now))
        conn_send(c, now);
}

static void conn_eof(struct conn *c)
{
    if (c->state == CONN_IDLE) { /* the server closed an idle connection: allowed */
        conn_close(c);
        if (sending(now_ns()))
            conn_open(c);
        return;
    }
    if (c->rsp.body_start > 0 && c->rsp.body == BODY_CLOSE) {
        c->rsp.close = true;
        conn_done(c);
        return;
    }
    conn_fail(c, ERR_READ, "closed by the server before the response ended");
}

static void conn_read(struct conn *c)
{
    struct response *r = &c->rsp;
    if (!response_reserve(r)) {
        conn_fail(c, ERR_MALFORMED, "response larger than 1 MiB");
        return;
    }
    ssize_t n = recv(c->fd, r->buf + r->len, r->cap - r->len, 0);
    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            conn_fail(c, ERR_READ, strerror(errno));
        return;
    }
    if (n == 0) {
        conn_eof(c);
        return;
    }
    if (c->state == CONN_IDLE) {
        conn_fail(c, ERR_MALFORMED, "bytes with no request in flight");
        return;
    }
    r->len += (size_t)n;
    const char *why = NULL;
    switch (response_parse(r, &why)) {
    case PARSE_MORE:
        return;
    case PARSE_BAD:
        conn_fail(c, ERR_MALFORMED, why);
        return;
    case PARSE_DONE:
        conn_done(c);
        return;
    }
}

static void conn_event(struct conn *c, uint32_t events)
{
    bool out = (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0;
    if (c->state == CONN_CONNECTING) {
        if (out)
            conn_connected(c);
        return;
    }
    if (c->state == CONN_SENDING && out)
        conn_write(c);
    if (c->state != CONN_CLOSED && (events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
        conn_read(c);
}

/* Every TICK_MS: connects and requests past their time fail, closed connections due reopen. */
static void conns_tick(int64_t now)
{
    for (uint32_t i = 0; i < cfg.connections; i++) {
        struct conn *c = &lp.conns[i];
        switch (c->state) {
        case CONN_CLOSED:
            if ((lp.phase == PHASE_CONNECT || sending(now)) && now >= c->deadline_ns)
                conn_open(c);
            break;
        case CONN_CONNECTING:
            if (now >= c->deadline_ns)
                conn_fail(c, ERR_TIMEOUT, "connect timed out");
            break;
        case CONN_SENDING:
        case CONN_READING:
            if (now - c->sent_ns >= REQUEST_TIMEOUT_MS * NS_PER_MS)
                conn_fail(c, ERR_TIMEOUT, "no response within the request timeout");
            break;
        case CONN_IDLE:
            break;
        }
    }
}

/* ---- the run ---- */

static void run_start(int64_t now)
{
    lp.phase = PHASE_RUN;
    lp.start_ns = now;
    lp.end_ns = now + (int64_t)cfg.seconds * NS_PER_S;
    lp.cpu_start_us = cpu_us();
    for (uint32_t i = 0; i < cfg.connections; i++) {
        struct conn *c = &lp.conns[i];
        if (c->state == CONN_CONNECTING)
            conn_fail(c, ERR_TIMEOUT, "connect timed out");
        else if (c->state == CONN_IDLE)
            conn_send(c, now);
    }
}

/* The phase at now; false when the run is over (or never started: nothing connected). */
static bool phase_advance(int64_t now)
{
    if (lp.phase == PHASE_CONNECT) {
        bool all = lp.connecting == 0;
        for (uint32_t i = 0; all && i < cfg.connections; i++)
            all = lp.conns[i].state == CONN_IDLE;
        if (!all && now < lp.connect_deadline_ns)
            return true;
        if (lp.connected == 0)
            return false;
        run_start(now);
    }
    if (lp.phase == PHASE_RUN && now >= lp.end_ns) {
        lp.phase = PHASE_DRAIN;
        lp.drain_deadline_ns = now + DRAIN_TIMEOUT_MS * NS_PER_MS;
    }
    if (lp.phase == PHASE_DRAIN)
        return lp.inflight > 0 && now < lp.drain_deadline_ns;
    return true;
}

static int64_t phase_deadline(void)
{
    switch (lp.phase) {
    case PHASE_CONNECT:
        return lp.connect_deadline_ns;
    case PHASE_RUN:
        return lp.end_ns;
    case PHASE_DRAIN:
    default:
        return lp.drain_deadline_ns;
    }
}

/* Until the drain ends: bounded in time by CONNECT_TIMEOUT_MS + SECONDS + DRAIN_TIMEOUT_MS. */
static void run(void)
{
    struct epoll_event events[EVENTS_MAX];
    lp.phase = PHASE_CONNECT;
    lp.connect_deadline_ns = now_ns() + CONNECT_TIMEOUT_MS * NS_PER_MS;
    for (uint32_t i = 0; i < cfg.connections; i++)
        conn_open(&lp.conns[i]);
    int64_t next_tick_ns = now_ns() + TICK_MS * NS_PER_MS;
    for (int64_t now = now_ns(); phase_advance(now); now = now_ns()) {
        int64_t wake_ns = phase_deadline();
        if (next_tick_ns < wake_ns)
            wake_ns = next_tick_ns;
        /* Rounded up: woken before the deadline, the loop would spin until it. */
        int timeout_ms = wake_ns > now ? (int)((wake_ns - now + NS_PER_MS - 1) / NS_PER_MS) : 0;
        int n = epoll_wait(lp.epfd, events, EVENTS_MAX, timeout_ms);
        if (n < 0 && errno != EINTR)
            fatal("epoll_wait: %s", strerror(errno));
        for (int i = 0; i < n; i++)
            conn_event(events[i].data.ptr, events[i].events);
        now = now_ns();
        if (now >= next_tick_ns) {
            conns_tick(now);
            next_tick_ns = now + TICK_MS * NS_PER_MS;
        }
    }
}

/* ---- the report ---- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The quantile per_mille / 1000 of the sorted latencies in ms: nearest rank, ceil(q * n). */
static double quantile_ms(uint64_t per_mille)
{
    if (st.latency_n == 0)
        return 0;
    uint64_t rank = ((uint64_t)st.latency_n * per_mille + 999) / 1000;
    if (rank < 1)
        rank = 1;
    return (double)st.latency_ns[rank - 1] / 1e6;
}

static void report(int64_t cpu_used_us)
{
    int64_t end = lp.last_done_ns > lp.end_ns ? lp.last_done_ns : lp.end_ns;
    double duration_s = (double)(end - lp.start_ns) / 1e9;
    qsort(st.latency_ns, st.latency_n, sizeof(*st.latency_ns), cmp_i64);
    printf("requests=%" PRIu64 " ok=%" PRIu64 " non2xx=%" PRIu64 " errors=%" PRIu64
           " reconnects=%" PRIu64 " duration_s=%.3f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f"
           " p999_ms=%.3f max_ms=%.3f client_cpu_us=%.1f\n",
           st.requests, st.ok, st.non2xx, st.errors, st.reconnects, duration_s, quantile_ms(500),
           quantile_ms(900), quantile_ms(990), quantile_ms(999), quantile_ms(1000),
           st.requests > 0 ? (double)cpu_used_us / (double)st.requests : 0.0);
    printf("responses in each second:");
    for (uint32_t s = 0; s < cfg.seconds; s++)
        printf(" %" PRIu64, st.per_second[s]);
    printf(" (+%" PRIu64 " after the end); %u connections, %u tokens, %.0f requests/s\n",
           st.per_second[cfg.seconds], (unsigned)cfg.connections, (unsigned)cfg.n_tokens,
           duration_s > 0 ? (double)st.requests / duration_s : 0.0);
    if (st.non2xx > 0) {
        printf("non-2xx by status:");
        for (int s = 100; s < 600; s++)
            if (st.status[s] > 0 && (s < 200 || s > 299))
                printf(" %d=%" PRIu64, s, st.status[s]);
        printf("\n");
    }
    if (st.errors > 0) {
        printf("errors by kind:");
        for (int k = 0; k < ERR_KINDS; k++)
            printf(" %s=%" PRIu64, err_names[k], st.err[k]);
        printf("\n");
    }
    if (st.latency_lost > 0)
        printf("latencies not kept (no memory): %" PRIu64 "\n", st.latency_lost);
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    setup();
    run();
    if (lp.phase == PHASE_CONNECT) {
        fprintf(stderr, "load: could not connect to %s\n", cfg.hostport);
        return 1;
    }
    int64_t cpu_used_us = cpu_us() - lp.cpu_start_us;
    /* Still in flight after the drain: no answer in time. */
    for (uint32_t i = 0; i < cfg.connections; i++) {
        struct conn *c = &lp.conns[i];
        if (c->state == CONN_SENDING || c->state == CONN_READING)
            conn_fail(c, ERR_TIMEOUT, "no response by the end of the wait after the run");
        conn_close(c);
    }
    if (st.warnings > WARNINGS_MAX)
        fprintf(stderr, "load: %" PRIu64 " more errors not shown\n", st.warnings - WARNINGS_MAX);
    report(cpu_used_us);
    if (st.err[ERR_MALFORMED] > 0) {
        fprintf(stderr, "load: %" PRIu64 " malformed responses\n", st.err[ERR_MALFORMED]);
        return 1;
    }
    return 0;
}
