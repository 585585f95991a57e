/*
 * cursor.h: opaque page cursors for lists read newest first.
 *
 * Such a list is ordered by a key (a time in milliseconds, then an id) that never changes
 * once a row is in the list, and a page continues strictly after the key of the previous
 * page's last row. Rows added meanwhile sort before that key (they are newer), so paging
 * on never repeats a row and never skips one. The cursor carries the key as 32 lower-case
 * hex digits; clients pass it back as they got it and never read it.
 */
#ifndef CFH_CURSOR_H
#define CFH_CURSOR_H

#include <stdbool.h>
#include <stdint.h>

#include "base/limits.h"

struct cursor {
    int64_t ms; /* the row's time, >= 0 */
    int64_t id; /* the row's id, >= 1: ties of ms in id order */
};

/* The key before every row: a first page starts here. */
struct cursor cursor_first(void);

/* Writes k as LIMIT_CURSOR_CHARS hex digits and a NUL. k->ms >= 0, k->id >= 1. */
void cursor_encode(const struct cursor *k, char out[LIMIT_CURSOR_CHARS + 1]);

/* Reads a cursor made by cursor_encode; false (and *out untouched) for anything else:
 * another length, upper case, a non-hex digit, a negative time, an id below 1. */
bool cursor_decode(const char *s, struct cursor *out);

#endif
