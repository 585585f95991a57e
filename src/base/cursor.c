/* cursor.c: opaque page cursors (see cursor.h). */
#include "base/cursor.h"

#include "base/check.h"

#include <string.h>

_Static_assert(LIMIT_CURSOR_CHARS == 32, "a cursor is two 16-digit halves");

static const char hex_digits[] = "0123456789abcdef";

struct cursor cursor_first(void)
{
    return (struct cursor){INT64_MAX, INT64_MAX};
}

static void put_u64(uint64_t v, char *out)
{
    for (int i = 15; i >= 0; i--) {
        out[i] = hex_digits[v & 0xF];
        v >>= 4;
    }
}

static bool get_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    for (int i = 0; i < 16; i++) {
        const char *d = memchr(hex_digits, s[i], 16);
        if (s[i] == '\0' || d == NULL)
            return false;
        v = v << 4 | (uint64_t)(d - hex_digits);
    }
    *out = v;
    return true;
}

void cursor_encode(const struct cursor *k, char out[LIMIT_CURSOR_CHARS + 1])
{
    ASSERT(k->ms >= 0 && k->id >= 1);
    put_u64((uint64_t)k->ms, out);
    put_u64((uint64_t)k->id, out + 16);
    out[LIMIT_CURSOR_CHARS] = '\0';
}

bool cursor_decode(const char *s, struct cursor *out)
{
    uint64_t ms = 0, id = 0;
    if (s == NULL || strlen(s) != LIMIT_CURSOR_CHARS || !get_u64(s, &ms) || !get_u64(s + 16, &id))
        return false;
    if (ms > (uint64_t)INT64_MAX || id < 1 || id > (uint64_t)INT64_MAX)
        return false;
    out->ms = (int64_t)ms;
    out->id = (int64_t)id;
    return true;
}
