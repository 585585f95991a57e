/* search.c: search texts made safe for the store (see search.h). */
#include "core/search.h"

#include "base/check.h"
#include "base/utf8.h"

#include <stdio.h>
#include <string.h>

const char *search_rc_str(enum search_rc rc)
{
    switch (rc) {
    case SEARCH_OK:
        return "ok";
    case SEARCH_EMPTY:
        return "the query is empty";
    case SEARCH_TOO_LONG:
        return "the query is too long";
    case SEARCH_BAD_TEXT:
        return "the query has invalid UTF-8, control or bidirectional characters";
    }
    return "?";
}

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000 || cp == 0x00A0;
}

static bool is_bad(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/* Writes open, s[0..n) with each byte in `special` preceded by `esc` (or doubled when esc is
 * 0), then close, and a NUL. The caller sizes out for the worst case: every byte escaped. */
static void quote(char *out, size_t cap, char open, const char *s, size_t n, const char *special,
                  char esc, char close)
{
    ASSERT(cap >= 2 * n + 3);
    size_t k = 0;
    out[k++] = open;
    for (size_t i = 0; i < n; i++) {
        if (strchr(special, s[i]) != NULL)
            out[k++] = esc ? esc : s[i];
        out[k++] = s[i];
    }
    out[k++] = close;
    out[k] = '\0';
}

enum search_rc search_query_prepare(const char *q, size_t len, struct search_query *out)
{
    ASSERT(q != NULL || len == 0);
    if (!utf8_valid(q, len))
        return SEARCH_BAD_TEXT;
    size_t pos = 0, first = len, end = 0, chars = 0;
    uint32_t cp = 0;
    while (pos < len) {
        size_t at = pos;
        bool decoded = utf8_decode_next(q, len, &pos, &cp);
        ASSERT(decoded); /* valid: checked above */
        if (is_space(cp))
            continue;
        if (is_bad(cp))
            return SEARCH_BAD_TEXT;
        first = first < at ? first : at;
        end = pos;
    }
    if (first == len)
        return SEARCH_EMPTY;
    size_t n = end - first;
    chars = utf8_count(q + first, n);
    if (chars > LIMIT_SEARCH_QUERY_CHARS_MAX || n > SEARCH_TEXT_BYTES_MAX)
        return SEARCH_TOO_LONG;
    memcpy(out->text, q + first, n);
    out->text[n] = '\0';
    out->chars = chars;
    out->mode = chars >= SEARCH_TRIGRAM_CHARS_MIN ? SEARCH_TRIGRAM : SEARCH_SCAN;
    quote(out->fts, sizeof(out->fts), '"', out->text, n, "\"", 0, '"');
    quote(out->like, sizeof(out->like), '%', out->text, n, "\\%_", '\\', '%');
    return SEARCH_OK;
}
