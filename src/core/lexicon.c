/*
 * lexicon.c: building a lexicon (validate, normalise, refuse duplicates, compile with Hyperscan),
 * checking a text with it (normalise, scan, map spans back, keep the first matches in order),
 * and the default lexicon. See lexicon.h for the contract and the false-positive policy.
 *
 * Hyperscan scans a two-byte form of the normalised text, not its UTF-8: every character as
 * its UTF-16 code units, big-endian ("保" is 4F DD, "a" is 00 61). Chinese text is a third
 * shorter that way, and its bytes vary far more than UTF-8's continuation bytes (10xxxxxx),
 * so Hyperscan's literal filter lets through fewer false candidates: the scan ran 3.7 times
 * faster per character on uniform CJK text (bench/moderation). Terms are compiled in the
 * same form. A literal can then also match across a character boundary (the second byte of
 * one character and the first of the next); such matches end at an odd offset and are
 * dropped, which is exact: characters start at even offsets, and a term's code units can
 * only match whole code units at an even offset.
 */
#include "core/lexicon.h"

#include "base/check.h"
#include "core/normalize.h"

#include <hs.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lexicon {
    hs_database_t *db;      /* the normalised terms, literal, block mode; read-only */
    hs_scratch_t *proto;    /* cloned by lexicon_scratch_new; never scanned with */
    size_t n;               /* terms, 1..LEX_TERMS_MAX */
    struct lex_term *terms; /* [n] copies of the caller's terms, pointing into `strings` */
    uint16_t *nlen;         /* [n] normalised length of each term in bytes */
    uint16_t *wlen;         /* [n] length of its two-byte form in bytes */
    char *strings;          /* the copied texts and categories, NUL-terminated */
};

struct lex_scratch {
    hs_scratch_t *hs;      /* Hyperscan's scratch space for this thread */
    size_t text_bytes_max; /* longest text lexicon_check accepts */
    char *norm;            /* [text_bytes_max] the normalised text */
    uint32_t *offs;        /* [text_bytes_max] its offsets into the original */
    char *wide;            /* [2 × text_bytes_max] its two-byte form */
    uint32_t *w2n;         /* [text_bytes_max + 1] code unit -> normalised byte offset */
};

/*
 * The two-byte form of the valid UTF-8 norm[0..n) into w (room for 2n bytes), and for each
 * code unit u the offset in norm of the character it belongs to (w2n, room for n + 1 entries;
 * w2n[units] = n). Returns the number of bytes written (twice the code units).
 */
static size_t to_wide(const char *norm, size_t n, char *w, uint32_t *w2n)
{
    const unsigned char *s = (const unsigned char *)norm;
    unsigned char *o = (unsigned char *)w;
    size_t i = 0, u = 0;
    while (i < n) {
        uint32_t at = (uint32_t)i, cp;
        unsigned char b = s[i];
        if (b < 0x80) {
            cp = b;
            i += 1;
        } else if (b < 0xE0) {
            cp = (uint32_t)(b & 0x1F) << 6 | (s[i + 1] & 0x3Fu);
            i += 2;
        } else if (b < 0xF0) {
            cp = (uint32_t)(b & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3Fu);
            i += 3;
        } else {
            cp = (uint32_t)(b & 0x07) << 18 | (uint32_t)(s[i + 1] & 0x3F) << 12 |
                 (uint32_t)(s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3Fu);
            i += 4;
            cp -= 0x10000;
            uint32_t hi = 0xD800 | cp >> 10;
            o[2 * u] = (unsigned char)(hi >> 8);
            o[2 * u + 1] = (unsigned char)hi;
            w2n[u++] = at;
            cp = 0xDC00 | (cp & 0x3FF);
        }
        o[2 * u] = (unsigned char)(cp >> 8);
        o[2 * u + 1] = (unsigned char)cp;
        w2n[u++] = at;
    }
    w2n[u] = (uint32_t)n;
    return 2 * u;
}

const char *lex_severity_name(enum lex_severity s)
{
    switch (s) {
    case LEX_NONE:
        return "none";
    case LEX_REVIEW:
        return "review";
    case LEX_BLOCK:
        return "block";
    }
    return "";
}

bool lex_severity_parse(const char *s, enum lex_severity *out)
{
    ASSERT(out != NULL);
    if (s != NULL && strcmp(s, "review") == 0)
        *out = LEX_REVIEW;
    else if (s != NULL && strcmp(s, "block") == 0)
        *out = LEX_BLOCK;
    else
        return false;
    return true;
}

const char *lex_rc_str(enum lex_rc rc)
{
    switch (rc) {
    case LEX_OK:
        return "ok";
    case LEX_E_NO_TERMS:
        return "lexicon has no terms";
    case LEX_E_TOO_MANY:
        return "too many terms";
    case LEX_E_TERM_EMPTY:
        return "empty term";
    case LEX_E_TERM_UTF8:
        return "term is not valid utf-8";
    case LEX_E_TERM_LONG:
        return "term too long";
    case LEX_E_DUPLICATE:
        return "duplicate term";
    case LEX_E_SEVERITY:
        return "bad severity";
    case LEX_E_CATEGORY:
        return "bad category";
    case LEX_E_NOMEM:
        return "out of memory";
    case LEX_E_HYPERSCAN:
        return "hyperscan error";
    case LEX_E_TEXT_UTF8:
        return "text is not valid utf-8";
    case LEX_E_TEXT_LONG:
        return "text too long";
    case LEX_E_SCRATCH:
        return "scratch not usable with this lexicon";
    }
    return "unknown lexicon error";
}

/* ---- building ------------------------------------------------------------------------------- */

/* Sets err (may be NULL) and returns rc. fmt's arguments are validated UTF-8 or ASCII, and
 * LEX_ERR_MSG_CAP has room for the longest message, so it is never cut inside a character. */
__attribute__((format(printf, 5, 6))) static enum lex_rc
fail(struct lex_error *err, enum lex_rc rc, int32_t term, int32_t other, const char *fmt, ...)
{
    if (err == NULL)
        return rc;
    err->code = rc;
    err->term = term;
    err->other = other;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    ASSERT(w >= 0 && (size_t)w < sizeof err->msg);
    return rc;
}

static bool category_valid(const char *c)
{
    if (c == NULL || c[0] == '\0')
        return false;
    size_t k = 0;
    for (; c[k] != '\0' && k <= LEX_CATEGORY_BYTES_MAX; k++) {
        char ch = c[k];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
            return false;
    }
    return k <= LEX_CATEGORY_BYTES_MAX;
}

/* Check term i and normalise it into nbuf (room for LEX_TERM_BYTES_MAX); sets *nlen. */
static enum lex_rc term_prepare(const struct lex_term *t, int32_t i, char *nbuf, size_t *nlen,
                                struct lex_error *err)
{
    if (t->text == NULL || t->text[0] == '\0')
        return fail(err, LEX_E_TERM_EMPTY, i, -1, "term %d is empty", (int)i);
    /* More than LEX_TERM_BYTES_MAX bytes cannot be LEX_TERM_CHARS_MAX characters. */
    size_t len = strnlen(t->text, LEX_TERM_BYTES_MAX + 1);
    if (len <= LEX_TERM_BYTES_MAX && !utf8_valid(t->text, len))
        return fail(err, LEX_E_TERM_UTF8, i, -1, "term %d is not valid UTF-8 (at byte %zu)", (int)i,
                    utf8_valid_prefix(t->text, len));
    if (len > LEX_TERM_BYTES_MAX || utf8_count(t->text, len) > LEX_TERM_CHARS_MAX)
        return fail(err, LEX_E_TERM_LONG, i, -1, "term %d is longer than %d characters", (int)i,
                    LEX_TERM_CHARS_MAX);
    if (t->severity != LEX_REVIEW && t->severity != LEX_BLOCK)
        return fail(err, LEX_E_SEVERITY, i, -1,
                    "term %d \"%s\": severity %d is not review or block", (int)i, t->text,
                    (int)t->severity);
    if (!category_valid(t->category))
        return fail(err, LEX_E_CATEGORY, i, -1,
                    "term %d \"%s\": category must be 1..%d of a-z 0-9 _", (int)i, t->text,
                    LEX_CATEGORY_BYTES_MAX);
    uint32_t offs[LEX_TERM_BYTES_MAX];
    enum norm_rc nrc = norm_text(t->text, len, nbuf, offs, LEX_TERM_BYTES_MAX, nlen, NULL);
    ASSERT(nrc == NORM_OK); /* valid and short enough: checked above */
    if (*nlen == 0)
        return fail(err, LEX_E_TERM_EMPTY, i, -1,
                    "term %d \"%s\" is empty once spaces, punctuation and invisible characters "
                    "are removed",
                    (int)i, t->text);
    return LEX_OK;
}

/* What lexicon_build works with before the lexicon exists. */
struct build {
    size_t n;
    char *nbuf;         /* [n × LEX_TERM_BYTES_MAX] normalised terms, one slot each */
    size_t *nlen;       /* [n] their lengths */
    const char **exprs; /* [n] pointers into nbuf, for Hyperscan */
    unsigned *ids;      /* [n] 0..n-1 */
    int32_t *slots;     /* [nslots] duplicate detection: term index or -1 */
    size_t nslots;      /* a power of two >= 2n */
};

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (size_t k = 0; k < n; k++) {
        h ^= (unsigned char)s[k];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

/* Insert term i into the hash set; returns the index of an earlier equal term, or -1. */
static int32_t dedup_insert(struct build *b, size_t i)
{
    size_t mask = b->nslots - 1;
    size_t at = (size_t)fnv1a(b->exprs[i], b->nlen[i]) & mask;
    for (size_t probes = 0; probes < b->nslots; probes++, at = (at + 1) & mask) {
        int32_t j = b->slots[at];
        if (j < 0) {
            b->slots[at] = (int32_t)i;
            return -1;
        }
        if (b->nlen[j] == b->nlen[i] && memcmp(b->exprs[j], b->exprs[i], b->nlen[i]) == 0)
            return j;
    }
    BUG("dedup table full"); /* nslots >= 2n: cannot happen */
}

static void build_release(struct build *b)
{
    free(b->nbuf);
    free(b->nlen);
    free(b->exprs);
    free(b->ids);
    free(b->slots);
}

static enum lex_rc build_alloc(struct build *b, size_t n)
{
    *b = (struct build){.n = n, .nslots = 16};
    while (b->nslots < 2 * n)
        b->nslots *= 2;
    b->nbuf = malloc(n * LEX_TERM_BYTES_MAX);
    b->nlen = calloc(n, sizeof *b->nlen);
    b->exprs = calloc(n, sizeof *b->exprs);
    b->ids = calloc(n, sizeof *b->ids);
    b->slots = malloc(b->nslots * sizeof *b->slots);
    if (!b->nbuf || !b->nlen || !b->exprs || !b->ids || !b->slots)
        return LEX_E_NOMEM;
    memset(b->slots, 0xFF, b->nslots * sizeof *b->slots); /* all -1 */
    return LEX_OK;
}

/* Validate and normalise every term, refusing duplicates. */
static enum lex_rc build_terms(struct build *b, const struct lex_term *terms, struct lex_error *err)
{
    for (size_t i = 0; i < b->n; i++) {
        char *slot = b->nbuf + i * LEX_TERM_BYTES_MAX;
        enum lex_rc rc = term_prepare(&terms[i], (int32_t)i, slot, &b->nlen[i], err);
        if (rc != LEX_OK)
            return rc;
        b->exprs[i] = slot;
        b->ids[i] = (unsigned)i;
        int32_t j = dedup_insert(b, i);
        if (j >= 0)
            return fail(err, LEX_E_DUPLICATE, (int32_t)i, j,
                        "term %zu \"%s\": same as term %d \"%s\" once normalised (\"%.*s\")", i,
                        terms[i].text, (int)j, terms[j].text, (int)b->nlen[i], b->exprs[i]);
    }
    return LEX_OK;
}

/* Copy the terms' strings into lex->strings and point lex->terms at them. */
static enum lex_rc copy_terms(struct lexicon *lex, const struct lex_term *terms)
{
    size_t total = 0;
    for (size_t i = 0; i < lex->n; i++)
        total += strlen(terms[i].text) + 1 + strlen(terms[i].category) + 1;
    lex->strings = malloc(total);
    if (lex->strings == NULL)
        return LEX_E_NOMEM;
    char *p = lex->strings;
    for (size_t i = 0; i < lex->n; i++) {
        size_t tl = strlen(terms[i].text) + 1, cl = strlen(terms[i].category) + 1;
        memcpy(p, terms[i].text, tl);
        memcpy(p + tl, terms[i].category, cl);
        lex->terms[i] = (struct lex_term){p, terms[i].severity, p + tl};
        p += tl + cl;
    }
    ASSERT(p == lex->strings + total);
    return LEX_OK;
}

/* A lexicon of n terms with its arrays, everything else empty; NULL when out of memory. */
static struct lexicon *lexicon_alloc(size_t n)
{
    struct lexicon *lex = calloc(1, sizeof *lex);
    if (lex == NULL)
        return NULL;
    lex->n = n;
    lex->terms = calloc(n, sizeof *lex->terms);
    lex->nlen = calloc(n, sizeof *lex->nlen);
    lex->wlen = calloc(n, sizeof *lex->wlen);
    if (lex->terms == NULL || lex->nlen == NULL || lex->wlen == NULL) {
        lexicon_free(lex);
        return NULL;
    }
    return lex;
}

static enum lex_rc compile(struct lexicon *lex, const struct build *b, struct lex_error *err)
{
    /* The terms in their two-byte form, in one block: at most twice their UTF-8 length. */
    char *wbuf = malloc(b->n * 2 * LEX_TERM_BYTES_MAX);
    const char **wexprs = malloc(b->n * sizeof *wexprs);
    size_t *wlens = malloc(b->n * sizeof *wlens);
    uint32_t w2n[LEX_TERM_BYTES_MAX + 1];
    if (wbuf == NULL || wexprs == NULL || wlens == NULL) {
        free(wbuf);
        free(wexprs);
        free(wlens);
        return LEX_E_NOMEM;
    }
    for (size_t i = 0; i < b->n; i++) {
        wexprs[i] = wbuf + i * 2 * LEX_TERM_BYTES_MAX;
        wlens[i] = to_wide(b->exprs[i], b->nlen[i], wbuf + i * 2 * LEX_TERM_BYTES_MAX, w2n);
        lex->wlen[i] = (uint16_t)wlens[i];
    }
    hs_compile_error_t *cerr = NULL;
    hs_error_t hrc = hs_compile_lit_multi(wexprs, NULL, b->ids, wlens, (unsigned)b->n,
                                          HS_MODE_BLOCK, NULL, &lex->db, &cerr);
    free(wbuf);
    free(wexprs);
    free(wlens);
    if (hrc != HS_SUCCESS) {
        int32_t at = cerr != NULL ? cerr->expression : -1;
        enum lex_rc rc = fail(err, LEX_E_HYPERSCAN, at >= 0 ? at : -1, -1,
                              "hyperscan cannot compile the lexicon: %s (expression %d)",
                              cerr != NULL && cerr->message ? cerr->message : "?", (int)at);
        hs_free_compile_error(cerr);
        return rc;
    }
    hrc = hs_alloc_scratch(lex->db, &lex->proto);
    if (hrc != HS_SUCCESS)
        return fail(err, hrc == HS_NOMEM ? LEX_E_NOMEM : LEX_E_HYPERSCAN, -1, -1,
                    "hyperscan cannot allocate scratch space (error %d)", (int)hrc);
    return LEX_OK;
}

enum lex_rc lexicon_build(const struct lex_term *terms, size_t n, struct lexicon **out,
                          struct lex_error *err)
{
    ASSERT(out != NULL);
    ASSERT(terms != NULL || n == 0);
    *out = NULL;
    if (err != NULL)
        *err = (struct lex_error){.code = LEX_OK, .term = -1, .other = -1};
    if (n == 0)
        return fail(err, LEX_E_NO_TERMS, -1, -1, "a lexicon needs at least one term");
    if (n > LEX_TERMS_MAX)
        return fail(err, LEX_E_TOO_MANY, -1, -1, "%zu terms, more than %d", n, LEX_TERMS_MAX);
    struct build b;
    enum lex_rc rc = build_alloc(&b, n);
    if (rc == LEX_OK)
        rc = build_terms(&b, terms, err);
    struct lexicon *lex = NULL;
    if (rc == LEX_OK) {
        lex = lexicon_alloc(n);
        rc = lex != NULL ? copy_terms(lex, terms) : LEX_E_NOMEM;
    }
    if (rc == LEX_OK) {
        for (size_t i = 0; i < n; i++)
            lex->nlen[i] = (uint16_t)b.nlen[i]; /* <= LEX_TERM_BYTES_MAX */
        rc = compile(lex, &b, err);
    }
    build_release(&b);
    if (rc != LEX_OK) {
        if (rc == LEX_E_NOMEM && err != NULL && err->code == LEX_OK)
            (void)fail(err, rc, -1, -1, "out of memory building a lexicon of %zu terms", n);
        lexicon_free(lex);
        return rc;
    }
    *out = lex;
    return LEX_OK;
}

void lexicon_free(struct lexicon *lex)
{
    if (lex == NULL)
        return;
    hs_free_scratch(lex->proto);
    hs_free_database(lex->db);
    free(lex->strings);
    free(lex->nlen);
    free(lex->wlen);
    free(lex->terms);
    free(lex);
}

size_t lexicon_size(const struct lexicon *lex)
{
    ASSERT(lex != NULL);
    return lex->n;
}

const struct lex_term *lexicon_term(const struct lexicon *lex, size_t i)
{
    ASSERT(lex != NULL && i < lex->n);
    return &lex->terms[i];
}

/* ---- scratch -------------------------------------------------------------------------------- */

enum lex_rc lexicon_scratch_new(const struct lexicon *lex, size_t text_bytes_max,
                                struct lex_scratch **out)
{
    ASSERT(lex != NULL && out != NULL);
    ASSERT(text_bytes_max >= 1 && text_bytes_max <= LEX_TEXT_BYTES_MAX);
    *out = NULL;
    struct lex_scratch *s = calloc(1, sizeof *s);
    if (s == NULL)
        return LEX_E_NOMEM;
    s->text_bytes_max = text_bytes_max;
    s->norm = malloc(text_bytes_max);
    s->offs = malloc(text_bytes_max * sizeof *s->offs);
    s->wide = malloc(2 * text_bytes_max);
    s->w2n = malloc((text_bytes_max + 1) * sizeof *s->w2n);
    if (s->norm == NULL || s->offs == NULL || s->wide == NULL || s->w2n == NULL) {
        lexicon_scratch_free(s);
        return LEX_E_NOMEM;
    }
    hs_error_t hrc = hs_clone_scratch(lex->proto, &s->hs);
    if (hrc != HS_SUCCESS) {
        lexicon_scratch_free(s);
        return hrc == HS_NOMEM ? LEX_E_NOMEM : LEX_E_HYPERSCAN;
    }
    *out = s;
    return LEX_OK;
}

enum lex_rc lexicon_scratch_attach(const struct lexicon *lex, struct lex_scratch *scratch)
{
    ASSERT(lex != NULL && scratch != NULL);
    /* hs_alloc_scratch grows an existing scratch in place, or leaves it as it was on failure. */
    hs_error_t hrc = hs_alloc_scratch(lex->db, &scratch->hs);
    if (hrc == HS_SUCCESS)
        return LEX_OK;
    return hrc == HS_NOMEM ? LEX_E_NOMEM : LEX_E_HYPERSCAN;
}

void lexicon_scratch_free(struct lex_scratch *scratch)
{
    if (scratch == NULL)
        return;
    hs_free_scratch(scratch->hs);
    free(scratch->norm);
    free(scratch->offs);
    free(scratch->wide);
    free(scratch->w2n);
    free(scratch);
}

/* ---- checking ------------------------------------------------------------------------------- */

/* What the match callback needs, and what it accumulates. */
struct scan {
    const struct lexicon *lex;
    const char *text;        /* the original */
    size_t len;              /* its length */
    const uint32_t *offs;    /* normalised byte -> original offset */
    const uint32_t *w2n;     /* code unit of the two-byte form -> normalised byte */
    size_t norm_len;         /* length of the normalised text */
    size_t wide_len;         /* length of the two-byte form */
    struct lex_match *out;   /* a max-heap by match_less while scanning, sorted at the end */
    size_t cap;              /* entries in out */
    size_t n_stored;         /* entries in the heap */
    size_t n_matches;        /* all matches */
    enum lex_severity worst; /* of all matches */
};

/* The order of the result: by start, then end, then term. */
static bool match_less(const struct lex_match *a, const struct lex_match *b)
{
    if (a->start != b->start)
        return a->start < b->start;
    if (a->end != b->end)
        return a->end < b->end;
    return a->term < b->term;
}

static void swap_matches(struct lex_match *a, struct lex_match *b)
{
    struct lex_match t = *a;
    *a = *b;
    *b = t;
}

/* Restore the max-heap property of h[0..n) below position k. */
static void sift_down(struct lex_match *h, size_t n, size_t k)
{
    for (;;) {
        size_t big = k, l = 2 * k + 1, r = l + 1;
        if (l < n && match_less(&h[big], &h[l]))
            big = l;
        if (r < n && match_less(&h[big], &h[r]))
            big = r;
        if (big == k)
            return;
        swap_matches(&h[k], &h[big]);
        k = big;
    }
}

/*
 * Keep the cap smallest matches seen so far in a max-heap: a new match enters while there is
 * room, or replaces the largest kept one when it is smaller. O(log cap) per match, so a text
 * crafted to match everywhere costs time in proportion, not cap × matches.
 */
static void heap_offer(struct scan *c, const struct lex_match *m)
{
    struct lex_match *h = c->out;
    if (c->n_stored < c->cap) {
        size_t k = c->n_stored++;
        h[k] = *m;
        while (k > 0 && match_less(&h[(k - 1) / 2], &h[k])) {
            swap_matches(&h[(k - 1) / 2], &h[k]);
            k = (k - 1) / 2;
        }
    } else if (c->cap > 0 && match_less(m, &h[0])) {
        h[0] = *m;
        sift_down(h, c->n_stored, 0);
    }
}

/* Heapsort the kept matches into ascending order. */
static void heap_sort(struct lex_match *h, size_t n)
{
    for (size_t k = n; k > 1; k--) {
        swap_matches(&h[0], &h[k - 1]);
        sift_down(h, k - 1, 0);
    }
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *ctx)
{
    (void)from; /* 0: no HS_FLAG_SOM_LEFTMOST; the start comes from the term's length */
    (void)flags;
    struct scan *c = ctx;
    ASSERT(id < c->lex->n);
    if (to % 2 != 0)
        return 0; /* across a character boundary: not a match of characters */
    size_t wlen = c->lex->wlen[id];
    ASSERT(to >= wlen && to <= c->wide_len);
    size_t from_n = c->w2n[(to - wlen) / 2], to_n = c->w2n[to / 2];
    ASSERT(to_n - from_n == c->lex->nlen[id]);
    const struct lex_term *t = &c->lex->terms[id];
    struct lex_match m = {.term = id, .severity = t->severity, .category = t->category};
    norm_span_to_original(c->text, c->len, c->offs, from_n, to_n, &m.start, &m.end);
    c->n_matches++;
    if (m.severity > c->worst)
        c->worst = m.severity;
    heap_offer(c, &m);
    return 0; /* go on: every match is counted */
}

enum lex_rc lexicon_check(const struct lexicon *lex, struct lex_scratch *scratch, const char *text,
                          size_t len, struct lex_match *out, size_t cap, struct lex_result *res)
{
    ASSERT(lex != NULL && scratch != NULL && res != NULL);
    ASSERT(text != NULL || len == 0);
    ASSERT(out != NULL || cap == 0);
    *res = (struct lex_result){.worst = LEX_NONE};
    if (len > scratch->text_bytes_max)
        return LEX_E_TEXT_LONG;
    size_t norm_len = 0, bad_at = 0;
    enum norm_rc nrc = norm_text(text, len, scratch->norm, scratch->offs, scratch->text_bytes_max,
                                 &norm_len, &bad_at);
    if (nrc == NORM_E_UTF8) {
        res->bad_at = bad_at;
        return LEX_E_TEXT_UTF8;
    }
    ASSERT(nrc == NORM_OK);
    if (norm_len == 0)
        return LEX_OK;
    size_t wide_len = to_wide(scratch->norm, norm_len, scratch->wide, scratch->w2n);
    struct scan c = {.lex = lex,
                     .text = text,
                     .len = len,
                     .offs = scratch->offs,
                     .w2n = scratch->w2n,
                     .norm_len = norm_len,
                     .wide_len = wide_len,
                     .out = out,
                     .cap = cap};
    hs_error_t hrc =
        hs_scan(lex->db, scratch->wide, (unsigned)wide_len, 0, scratch->hs, on_match, &c);
    if (hrc != HS_SUCCESS)
        return LEX_E_SCRATCH; /* HS_INVALID or HS_SCRATCH_IN_USE: nothing was stored yet */
    heap_sort(out, c.n_stored);
    res->worst = c.worst;
    res->n_matches = c.n_matches;
    res->n_stored = c.n_stored;
    return LEX_OK;
}

static int on_match_count(unsigned int id, unsigned long long from, unsigned long long to,
                          unsigned int flags, void *ctx)
{
    (void)id;
    (void)from;
    (void)flags;
    (*(uint64_t *)ctx) += to % 2 == 0; /* see on_match */
    return 0;
}

enum lex_rc lexicon_count_normalised(const struct lexicon *lex, struct lex_scratch *scratch,
                                     const char *norm, size_t len, uint64_t *count)
{
    ASSERT(lex != NULL && scratch != NULL && count != NULL);
    ASSERT(norm != NULL || len == 0);
    if (len > LEX_TEXT_BYTES_MAX)
        return LEX_E_TEXT_LONG;
    uint64_t k = 0;
    if (len == 0) {
        *count = 0;
        return LEX_OK;
    }
    char *wide = malloc(2 * len);
    uint32_t *w2n = malloc((len + 1) * sizeof *w2n);
    enum lex_rc rc = wide != NULL && w2n != NULL ? LEX_OK : LEX_E_NOMEM;
    size_t wide_len = rc == LEX_OK ? to_wide(norm, len, wide, w2n) : 0;
    if (rc == LEX_OK && hs_scan(lex->db, wide, (unsigned)wide_len, 0, scratch->hs, on_match_count,
                                &k) != HS_SUCCESS)
        rc = LEX_E_SCRATCH;
    free(wide);
    free(w2n);
    *count = k;
    return rc;
}

/* ---- the default lexicon -------------------------------------------------------------------- */

/*
 * Built from DESIGN §6 and the rules it follows: the CSRC's fund-sales rules forbid promising
 * returns or no loss and "欲购从速、申购良机" style pressure, and superlatives and rankings
 * ("名列前茅", "首只", "最好", "唯一"); the Advertising Law forbids "最佳" style absolutes.
 *
 * block: a promise of returns or of no loss, or contact and tip-selling that moves an investor
 * off the platform, or gambling: phrases that are hardly ever innocent in a fund zone. A negated
 * use ("天下没有稳赚不赔的生意") is blocked too and shows the author the span to rephrase.
 * review: everything with a common innocent use; a reviewer decides. Notable choices:
 *   保本      "确保本基金…" (ensure this fund …) contains it; so do joins like "环保，本…"
 *   零风险 无风险  investor education ("没有零风险的投资") and "无风险收益率" (risk-free rate)
 *   稳定收益   "力争长期稳定收益" appears in fund objectives
 *   100%收益  normalisation drops '.', so "年化2.100%，收益…" reads "2100%收益…"
 *   刚性兑付   "打破刚性兑付" (end rigid redemption) is the regulators' own phrase
 *   非法集资   anti-fraud notices ("防范非法集资") are common and welcome
 *   博彩      Macau gaming stocks (博彩股) are a listed sector
 * Left out: 第一 (第一季度, "Q1", is in every report), 最大 (最大回撤, "maximum drawdown"), and
 * bare 绝对 (绝对收益, "absolute return", is a strategy); 排名第一, 业绩第一 and 绝对安全 take
 * their place. The abuse terms are placeholders for the operators' own list.
 */
#define MC "marketing_claim"
#define SE "sensitive"
static const struct lex_term default_terms[] = {
    /* promised returns or no loss */
    {"保本保息", LEX_BLOCK, MC},      /* principal and interest guaranteed */
    {"保证本金", LEX_BLOCK, MC},      /* principal guaranteed */
    {"保證本金", LEX_BLOCK, MC},      /* the same, traditional characters */
    {"本金无忧", LEX_BLOCK, MC},      /* no worry about the principal */
    {"稳赚", LEX_BLOCK, MC},          /* a sure profit */
    {"穩賺", LEX_BLOCK, MC},          /* the same, traditional */
    {"稳赚不赔", LEX_BLOCK, MC},      /* a sure profit, never a loss */
    {"穩賺不賠", LEX_BLOCK, MC},      /* the same, traditional */
    {"只赚不赔", LEX_BLOCK, MC},      /* only gains, no losses */
    {"稳赢", LEX_BLOCK, MC},          /* a sure win */
    {"包赚", LEX_BLOCK, MC},          /* profit guaranteed */
    {"保证收益", LEX_BLOCK, MC},      /* returns guaranteed */
    {"保證收益", LEX_BLOCK, MC},      /* the same, traditional */
    {"保收益", LEX_BLOCK, MC},        /* returns guaranteed (short form) */
    {"收益有保障", LEX_BLOCK, MC},    /* returns are secured */
    {"保底收益", LEX_BLOCK, MC},      /* a guaranteed minimum return */
    {"只涨不跌", LEX_BLOCK, MC},      /* only goes up */
    {"绝对安全", LEX_BLOCK, MC},      /* absolutely safe */
    {"百分百收益", LEX_BLOCK, MC},    /* one hundred per cent return */
    {"百分之百收益", LEX_BLOCK, MC},  /* the same */
    {"保本", LEX_REVIEW, MC},         /* capital preservation */
    {"零风险", LEX_REVIEW, MC},       /* zero risk */
    {"零風險", LEX_REVIEW, MC},       /* the same, traditional */
    {"无风险", LEX_REVIEW, MC},       /* risk-free */
    {"稳定收益", LEX_REVIEW, MC},     /* stable returns */
    {"高收益低风险", LEX_REVIEW, MC}, /* high return, low risk */
    {"100%收益", LEX_REVIEW, MC},     /* 100% return */
    {"百分百", LEX_REVIEW, MC},       /* one hundred per cent */
    {"刚性兑付", LEX_REVIEW, MC},     /* rigid redemption (an implied guarantee) */
    {"刚兑", LEX_REVIEW, MC},         /* the same, short */
    /* pressure to buy now */
    {"欲购从速", LEX_REVIEW, MC}, /* buy quickly while you can */
    {"申购良机", LEX_REVIEW, MC}, /* a golden chance to subscribe */
    {"抢购", LEX_REVIEW, MC},     /* rush to buy */
    {"限时抢", LEX_REVIEW, MC},   /* grab it for a limited time */
    /* rankings and superlatives */
    {"名列前茅", LEX_REVIEW, MC}, /* among the very top */
    {"位居前列", LEX_REVIEW, MC}, /* in the front rank */
    {"业绩稳健", LEX_REVIEW, MC}, /* steady performance */
    {"业绩优良", LEX_REVIEW, MC}, /* excellent performance */
    {"首只", LEX_REVIEW, MC},     /* the first (fund of its kind) */
    {"最好", LEX_REVIEW, MC},     /* the best */
    {"最佳", LEX_REVIEW, MC},     /* the best, optimal */
    {"最强", LEX_REVIEW, MC},     /* the strongest */
    {"唯一", LEX_REVIEW, MC},     /* the only one */
    {"排名第一", LEX_REVIEW, MC}, /* ranked first */
    {"业绩第一", LEX_REVIEW, MC}, /* first in performance */
    /* off-platform contact, tips and unlicensed advice */
    {"荐股", LEX_BLOCK, SE},      /* stock tips */
    {"喊单", LEX_BLOCK, SE},      /* calling trades */
    {"带单", LEX_BLOCK, SE},      /* trading along with a "teacher" */
    {"内幕消息", LEX_BLOCK, SE},  /* insider information */
    {"带你赚钱", LEX_BLOCK, SE},  /* I'll make you money */
    {"加微信", LEX_BLOCK, SE},    /* add me on WeChat */
    {"加vx", LEX_BLOCK, SE},      /* the same, abbreviated */
    {"加wx", LEX_BLOCK, SE},      /* the same, abbreviated */
    {"加qq", LEX_BLOCK, SE},      /* add me on QQ */
    {"私信领取", LEX_BLOCK, SE},  /* message me privately to receive it */
    {"代客理财", LEX_BLOCK, SE},  /* managing money on a client's behalf */
    {"保底", LEX_BLOCK, SE},      /* a guaranteed floor */
    {"非法集资", LEX_REVIEW, SE}, /* illegal fundraising */
    /* gambling */
    {"赌博", LEX_BLOCK, SE},   /* gambling */
    {"网赌", LEX_BLOCK, SE},   /* online gambling */
    {"六合彩", LEX_BLOCK, SE}, /* Mark Six lottery */
    {"百家乐", LEX_BLOCK, SE}, /* baccarat */
    {"博彩", LEX_REVIEW, SE},  /* gaming, betting */
    /* abuse (placeholders) */
    {"傻逼", LEX_REVIEW, SE},     /* (obscene insult) */
    {"脑残", LEX_REVIEW, SE},     /* brain-dead */
    {"骗子", LEX_REVIEW, SE},     /* fraudster */
    {"去死", LEX_REVIEW, SE},     /* go die */
    {"垃圾基金", LEX_REVIEW, SE}, /* garbage fund */
    {"割韭菜", LEX_REVIEW, SE},   /* fleecing small investors */
};
#undef MC
#undef SE

const struct lex_term *lexicon_default_terms(size_t *n)
{
    ASSERT(n != NULL);
    *n = ARRAY_LEN(default_terms);
    return default_terms;
}
