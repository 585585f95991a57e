/*
 * bench/orders/response.h: the HTTP/1.1 response parser of the load client (load.c): a
 * response received in pieces into a growing buffer, its status line, headers (Content-Length,
 * Transfer-Encoding: chunked, Connection), 1xx responses skipped, and its body.
 */
#ifndef BENCH_RESPONSE_H
#define BENCH_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RESPONSE_BYTES_MIN 4096
#define RESPONSE_BYTES_MAX (1 << 20)
#define HEAD_BYTES_MAX     (64 * 1024)
#define CHUNK_LINE_MAX     1024
#define INTERIM_MAX        8 /* 1xx responses before the final one */

enum body_kind {
    BODY_NONE,    /* 204, 304 */
    BODY_LENGTH,  /* Content-Length */
    BODY_CHUNKED, /* Transfer-Encoding: chunked */
    BODY_CLOSE,   /* neither: the body ends when the server closes */
};

enum parse_rc {
    PARSE_MORE,
    PARSE_DONE,
    PARSE_BAD,
};

/* The response being received on a connection, and how far it is parsed. */
struct response {
    char *buf;
    size_t cap;            /* bytes allocated at buf, <= RESPONSE_BYTES_MAX */
    size_t len;            /* bytes received */
    size_t scanned;        /* the search for the head's end resumes here */
    size_t body_start;     /* 0 until the head is complete */
    enum body_kind body;   /* valid once body_start > 0 */
    uint64_t body_len;     /* BODY_LENGTH */
    size_t chunk_pos;      /* BODY_CHUNKED: the next chunk-size or trailer line */
    bool in_trailers;      /* BODY_CHUNKED: the last chunk was seen */
    int status;            /* 100..599 */
    bool close;            /* the server closes the connection after this response */
    unsigned interim_seen; /* 1xx responses skipped */
};
/* Forgets the response received so far (the buffer is kept). */
void response_reset(struct response *r);

/* Parses what was received: PARSE_MORE until the response is complete, PARSE_DONE when it is
 * (r->len then counts its bytes only), PARSE_BAD with *why when it is malformed. */
enum parse_rc response_parse(struct response *r, const char **why);

/* Room to receive into: false when the buffer is full at RESPONSE_BYTES_MAX. */
bool response_reserve(struct response *r);

#endif
