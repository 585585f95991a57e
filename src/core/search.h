/*
 * search.h: what a search text becomes before it reaches the store. Pure: no I/O, no globals, no
 * allocation; results go into the caller's struct.
 *
 * A query is matched as one substring, case-insensitively for Latin letters. The trigram index
 * (SQLite FTS5 `tokenize = 'trigram'`, PostgreSQL pg_trgm) finds substrings of at least
 * SEARCH_TRIGRAM_CHARS_MIN characters; shorter ones, common in Chinese (养老, 债), are matched
 * by a LIKE scan instead. Both forms are built here so that nothing the user typed is ever
 * read as query syntax:
 *
 *   fts   the text as one FTS5 string: wrapped in double quotes, each `"` doubled
 *         (a"b → "a""b"). Inside a string FTS5 reads no operator, column filter, prefix star,
 *         NEAR or parenthesis, so `AND`, `*`, `^`, `:` and `(` are plain characters.
 *   like  the text as a LIKE pattern with ESCAPE '\': `%` text `%`, each `\`, `%` and `_`
 *         of the text preceded by `\` (5%_x → %5\%\_x%).
 */
#ifndef CFH_SEARCH_H
#define CFH_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/limits.h"

#define SEARCH_TRIGRAM_CHARS_MIN 3
#define SEARCH_TEXT_BYTES_MAX    (4 * LIMIT_SEARCH_QUERY_CHARS_MAX)
#define SEARCH_PATTERN_BYTES_MAX (2 * SEARCH_TEXT_BYTES_MAX + 3) /* quotes or % and a NUL */

enum search_rc {
    SEARCH_OK = 0,
    SEARCH_EMPTY,    /* nothing but spaces */
    SEARCH_TOO_LONG, /* more than LIMIT_SEARCH_QUERY_CHARS_MAX characters */
    SEARCH_BAD_TEXT, /* invalid UTF-8, control or bidirectional characters */
};

enum search_mode {
    SEARCH_TRIGRAM = 0, /* 3 characters or more: the trigram index */
    SEARCH_SCAN,        /* 1 or 2 characters: a bounded LIKE scan */
};

struct search_query {
    enum search_mode mode;                /* OUT */
    size_t chars;                         /* OUT: code points of text */
    char text[SEARCH_TEXT_BYTES_MAX + 1]; /* OUT: the query without surrounding spaces */
    char fts[SEARCH_PATTERN_BYTES_MAX];   /* OUT: an FTS5 string (see above) */
    char like[SEARCH_PATTERN_BYTES_MAX];  /* OUT: a LIKE pattern, ESCAPE '\' (see above) */
};

/*
 * Prepares q[0..len) for searching: trims spaces (ASCII and U+3000) at both ends, refuses
 * what cannot be a query, and fills out. out is filled only on SEARCH_OK.
 */
enum search_rc search_query_prepare(const char *q, size_t len, struct search_query *out);

/* "the query is empty", ... for messages. */
const char *search_rc_str(enum search_rc rc);

#endif
