/* buf.c: bounded growable buffer (see buf.h). */
#include "base/buf.h"

#include "base/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
    ASSERT(b != NULL);
    memset(b, 0, sizeof(*b));
    b->max = max;
}

void buf_free(struct buf *b)
{
    if (b == NULL)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static bool reserve(struct buf *b, size_t n)
{
    if (b->overflow || n > b->max - b->len) {
        b->overflow = true;
        return false;
    }
    size_t want = b->len + n + 1;
    if (want <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < want)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (p == NULL) {
        b->overflow = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

bool buf_append(struct buf *b, const void *p, size_t n)
{
    if (!reserve(b, n))
        return false;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

bool buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(b, (size_t)n))
        return false;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

bool buf_json_escape(struct buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        buf_append(b, s + start, i - start);
        char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
        if (c == '"' || c == '\\') {
            esc[1] = (char)c;
            buf_append(b, esc, 2);
        } else {
            buf_append(b, esc, 6);
        }
        start = i + 1;
    }
    return buf_append(b, s + start, n - start);
}

bool buf_csv_text(struct buf *b, const char *s)
{
    buf_puts(b, "\"");
    if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')
        buf_puts(b, "'");
    for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
        buf_append(b, s, (size_t)(q - s) + 1);
        buf_puts(b, "\""); /* doubled */
    }
    buf_puts(b, s);
    return buf_puts(b, "\"");
}

char *buf_steal(struct buf *b, size_t *len)
{
    if (b->data == NULL) {
        if (!reserve(b, 0))
            return NULL;
        b->data[0] = '\0';
    }
    char *p = b->data;
    if (len != NULL)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
