/*
 * buf.h: a growable byte buffer with a maximum size, heap-backed.
 *
 * Used where output size is not known up front (metrics text, log lines). Appending
 * past `max` fails and sets `overflow`; the content so far stays valid, so a caller
 * can check once at the end instead of after every append.
 */
#ifndef CFH_BUF_H
#define CFH_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *data;    /* NUL-terminated while len < cap */
    size_t len;    /* bytes used, excluding the NUL */
    size_t cap;    /* bytes allocated */
    size_t max;    /* ceiling on len */
    bool overflow; /* an append was refused */
};

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b); /* accepts NULL */
bool buf_append(struct buf *b, const void *p, size_t n);
bool buf_puts(struct buf *b, const char *s);
bool buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends s as the inside of a JSON string (quotes not included). */
bool buf_json_escape(struct buf *b, const char *s, size_t n);

/* Appends s as one quoted CSV cell (RFC 4180: "…", a quote inside doubled). A cell that
 * starts with = + - or @ gets an apostrophe first, so that a spreadsheet opening the file
 * shows the text instead of running it as a formula (text that others typed: names). */
bool buf_csv_text(struct buf *b, const char *s);

/* Hands the data to the caller (free() it) and resets the buffer. */
char *buf_steal(struct buf *b, size_t *len);

#endif
