/* bench/orders/response.c: the load client's HTTP/1.1 response parser (response.h). */
#include "response.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static enum parse_rc bad(const char **why, const char *what)
{
    *why = what;
    return PARSE_BAD;
}

void response_reset(struct response *r)
{
    r->len = 0;
    r->scanned = 0;
    r->body_start = 0;
    r->body = BODY_NONE;
    r->body_len = 0;
    r->chunk_pos = 0;
    r->in_trailers = false;
    r->status = 0;
    r->close = false;
    r->interim_seen = 0;
}

/* [s, s + n) with blanks trimmed off both ends equals word, case aside. */
static bool token_is(const char *s, size_t n, const char *word)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n == strlen(word) && strncasecmp(s, word, n) == 0;
}

/* "HTTP/1.x SSS reason": status into r; HTTP/1.0 closes unless the headers say keep-alive. */
static bool parse_status_line(struct response *r, const char *p, const char *eol, bool *http10)
{
    if (eol - p < 12 || memcmp(p, "HTTP/1.", 7) != 0 || (p[7] != '0' && p[7] != '1') ||
        p[8] != ' ' || (p[12] != ' ' && p + 12 != eol))
        return false;
    int status = 0;
    for (int i = 9; i < 12; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        status = status * 10 + (p[i] - '0');
    }
    if (status < 100 || status > 599)
        return false;
    r->status = status;
    *http10 = p[7] == '0';
    return true;
}

struct head_seen {
    bool length, chunked, keep_alive;
};

/* One header line [p, eol): the ones that say where the body ends or the connection's fate. */
static enum parse_rc parse_header(struct response *r, const char *p, const char *eol,
                                  struct head_seen *seen, const char **why)
{
    if (*p == ' ' || *p == '\t')
        return bad(why, "header line folded (obsolete)");
    const char *colon = memchr(p, ':', (size_t)(eol - p));
    if (colon == NULL)
        return bad(why, "header line without ':'");
    size_t name_len = (size_t)(colon - p);
    const char *v = colon + 1;
    size_t v_len = (size_t)(eol - v);
    if (name_len == 14 && strncasecmp(p, "content-length", 14) == 0) {
        uint64_t n = 0;
        size_t digits = 0;
        for (size_t i = 0; i < v_len; i++) {
            if (v[i] >= '0' && v[i] <= '9' && digits < 18) {
                n = n * 10 + (uint64_t)(v[i] - '0');
                digits++;
            } else if (v[i] != ' ' && v[i] != '\t') {
                return bad(why, "Content-Length is not a number");
            }
        }
        if (digits == 0 || (seen->length && n != r->body_len))
            return bad(why, "Content-Length is empty or given twice, differently");
        seen->length = true;
        r->body_len = n;
    } else if (name_len == 17 && strncasecmp(p, "transfer-encoding", 17) == 0) {
        const char *last = memrchr(v, ',', v_len);
        last = last ? last + 1 : v;
        if (!token_is(last, (size_t)(eol - last), "chunked"))
            return bad(why, "Transfer-Encoding other than chunked");
        seen->chunked = true;
    } else if (name_len == 10 && strncasecmp(p, "connection", 10) == 0) {
        /* A list of tokens: "close", "keep-alive", others (header names) ignored. */
        for (const char *t = v; t < eol;) {
            const char *comma = memchr(t, ',', (size_t)(eol - t));
            const char *t_end = comma ? comma : eol;
            if (token_is(t, (size_t)(t_end - t), "close"))
                r->close = true;
            else if (token_is(t, (size_t)(t_end - t), "keep-alive"))
                seen->keep_alive = true;
            t = t_end + 1;
        }
    }
    return PARSE_DONE;
}

/* Where the body ends, from the status and the headers seen (RFC 9112, 6.3). */
static enum parse_rc body_kind_set(struct response *r, const struct head_seen *seen,
                                   const char **why)
{
    if (seen->length && seen->chunked)
        return bad(why, "both Content-Length and chunked (RFC 9112 6.3: an error)");
    if (r->status == 204 || r->status == 304)
        r->body = BODY_NONE;
    else if (seen->chunked)
        r->body = BODY_CHUNKED;
    else if (seen->length)
        r->body = BODY_LENGTH;
    else
        r->body = BODY_CLOSE;
    if (r->body == BODY_LENGTH && r->body_len > RESPONSE_BYTES_MAX - r->body_start)
        return bad(why, "body larger than 1 MiB");
    r->chunk_pos = r->body_start;
    return PARSE_DONE;
}

/* The head, when it is all there: status, body kind and the connection's fate into r. */
static enum parse_rc parse_head(struct response *r, const char **why)
{
    const char *end = memmem(r->buf + r->scanned, r->len - r->scanned, "\r\n\r\n", 4);
    if (end == NULL) {
        r->scanned = r->len >= 3 ? r->len - 3 : 0;
        return r->len > HEAD_BYTES_MAX ? bad(why, "head longer than 64 KiB") : PARSE_MORE;
    }
    const char *lines_end = end + 2; /* each header line ends in its CRLF; then the empty line */
    const char *eol = memmem(r->buf, (size_t)(lines_end - r->buf), "\r\n", 2);
    bool http10;
    if (!parse_status_line(r, r->buf, eol, &http10))
        return bad(why, "status line is not HTTP/1.x SSS");
    struct head_seen seen = {false, false, false};
    /* Each pass moves p past one CRLF, so it ends by lines_end. */
    for (const char *p = eol + 2; p < lines_end; p = eol + 2) {
        eol = memmem(p, (size_t)(lines_end - p), "\r\n", 2);
        if (parse_header(r, p, eol, &seen, why) == PARSE_BAD)
            return PARSE_BAD;
    }
    if (http10 && !seen.keep_alive)
        r->close = true;
    r->body_start = (size_t)(end + 4 - r->buf);
    return body_kind_set(r, &seen, why);
}

/* "1a;ext" or "1a " up to eol: the size of a chunk. */
static bool parse_chunk_size(const char *p, const char *eol, uint64_t *size)
{
    uint64_t n = 0;
    int digits = 0;
    for (; p < eol; p++) {
        int c = (unsigned char)*p | 0x20;
        int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
        if (d < 0)
            break;
        if (++digits > 15)
            return false;
        n = n * 16 + (uint64_t)d;
    }
    if (digits == 0 || (p < eol && *p != ';' && *p != ' ' && *p != '\t'))
        return false;
    *size = n;
    return true;
}

/* Chunks from r->chunk_pos on; *end is where the response ends once the last one is in. */
static enum parse_rc parse_chunks(struct response *r, size_t *end, const char **why)
{
    /* Each pass moves chunk_pos forward by 2 bytes or more, and chunk_pos <= len. */
    while (r->chunk_pos < r->len) {
        const char *line = r->buf + r->chunk_pos;
        const char *eol = memmem(line, r->len - r->chunk_pos, "\r\n", 2);
        if (eol == NULL)
            return r->len - r->chunk_pos > CHUNK_LINE_MAX ? bad(why, "chunk line too long")
                                                          : PARSE_MORE;
        size_t next = (size_t)(eol + 2 - r->buf);
        if (r->in_trailers) {
            r->chunk_pos = next;
            if (eol == line) {
                *end = next;
                return PARSE_DONE;
            }
            continue;
        }
        uint64_t size;
        if (!parse_chunk_size(line, eol, &size))
            return bad(why, "chunk size is not hexadecimal");
        if (size == 0) {
            r->in_trailers = true;
            r->chunk_pos = next;
            continue;
        }
        if (size > RESPONSE_BYTES_MAX)
            return bad(why, "chunk larger than 1 MiB");
        size_t data_end = next + (size_t)size;
        if (r->len < data_end + 2)
            return PARSE_MORE;
        if (memcmp(r->buf + data_end, "\r\n", 2) != 0)
            return bad(why, "chunk not followed by CRLF");
        r->chunk_pos = data_end + 2;
    }
    return PARSE_MORE;
}

/* The bytes received so far: a whole response (and nothing after it), not yet, or bad. */
enum parse_rc response_parse(struct response *r, const char **why)
{
    /* A 1xx is dropped and the head after it parsed: at most INTERIM_MAX of them. */
    while (r->body_start == 0) {
        enum parse_rc rc = parse_head(r, why);
        if (rc != PARSE_DONE)
            return rc;
        if (r->status >= 200)
            break;
        if (r->status == 101 || ++r->interim_seen > INTERIM_MAX)
            return bad(why, "101 or too many 1xx responses");
        unsigned seen = r->interim_seen;
        size_t rest = r->len - r->body_start;
        memmove(r->buf, r->buf + r->body_start, rest);
        response_reset(r);
        r->len = rest;
        r->interim_seen = seen;
    }
    size_t end;
    switch (r->body) {
    case BODY_NONE:
        end = r->body_start;
        break;
    case BODY_LENGTH:
        if (r->len - r->body_start < r->body_len)
            return PARSE_MORE;
        end = r->body_start + (size_t)r->body_len;
        break;
    case BODY_CHUNKED: {
        enum parse_rc rc = parse_chunks(r, &end, why);
        if (rc != PARSE_DONE)
            return rc;
        break;
    }
    case BODY_CLOSE:
    default:
        return PARSE_MORE;
    }
    return end == r->len ? PARSE_DONE : bad(why, "bytes after the end of the response");
}

/* Room to receive into: false when the buffer is full at RESPONSE_BYTES_MAX. */
bool response_reserve(struct response *r)
{
    if (r->cap - r->len >= RESPONSE_BYTES_MIN / 2 || r->cap == RESPONSE_BYTES_MAX)
        return r->len < r->cap;
    char *buf = realloc(r->buf, r->cap * 2);
    if (buf == NULL)
        return r->len < r->cap;
    r->buf = buf;
    r->cap *= 2;
    return true;
}
