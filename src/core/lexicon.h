/*
 * lexicon.h: the compliance check's matcher (DESIGN §6, issue 4 item 3). A lexicon is a set of
 * terms, each with a severity (block or review) and a category; lexicon_check finds every
 * occurrence of every term in a text after both are normalised (core/normalize.h), and reports
 * each as a span of the ORIGINAL text, so the author and the reviewer see exactly what was
 * flagged, however it was spaced, padded with zero-width characters or written in full-width or
 * look-alike letters.
 *
 * The matching is Hyperscan's literal matcher (hs_compile_lit_multi, block mode), compiled once
 * per lexicon version into a database that all threads share read-only; each thread scans with a
 * scratch of its own (struct lex_scratch). A term's id is its index. Terms are literals, so the
 * start of a match is its end minus the normalised term's length: no HS_FLAG_SOM_LEFTMOST, which
 * would cost speed for nothing. Every occurrence is reported, overlapping ones included
 * ("稳赚不赔" matches both 稳赚 and 稳赚不赔).
 *
 * Known false positives. Literal matching does not understand words or negation: 保本 is inside
 * "确保本基金合规" (ensure this fund complies), 无风险 inside "无风险收益率" (the risk-free rate),
 * 零风险 inside "没有零风险的投资" (no investment is risk-free). Normalisation adds joins across
 * removed spaces and punctuation ("确保 本金", "环保，本基金" → 保本), the same class again. The
 * default lexicon therefore gives `block` only to terms that are hardly ever innocent, and
 * `review` to the rest; a block is shown to the author with its span and reason, so a false one
 * costs a rephrasing, never silent loss. The check does not try to undo joins (for instance by
 * refusing block matches that cross a removed space): that would reopen exactly the evasion the
 * normalisation closes ("稳 赚").
 *
 * Speed (bench/moderation, one thread of a 2-vCPU EPYC VM, 10,000 terms): the scan runs at about
 * 0.75 GB/s of normalised Chinese text and the whole check at about 0.5 GB/s of original text.
 * Hyperscan's literal matcher (FDR) picks its layout by the number of distinct literals, counting
 * literals that end in the same 8 bytes once, and on CJK its speed is not monotonic in that
 * number: synthetic sets of 5,000 terms scan at ~1.8 GB/s, 8,000..9,999 at ~0.85, exactly
 * 10,000 at ~1.3, 20,000 at ~0.7. Two-character terms (6-byte literals) cost the most.
 *
 * Memory: this module allocates (malloc) its lexicon and scratches, and Hyperscan allocates the
 * database and its scratch space; both are long-lived, built at start-up or when an operator
 * publishes a new lexicon version. lexicon_check itself allocates nothing.
 */
#ifndef CFH_LEXICON_H
#define CFH_LEXICON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/utf8.h"

/* Limits of the lexicon module, kept here with its structs. */
#define LEX_TERMS_MAX          20000 /* terms in one lexicon */
#define LEX_TERM_CHARS_MAX     64    /* code points in one term as written */
#define LEX_TERM_BYTES_MAX     (LEX_TERM_CHARS_MAX * UTF8_SEQ_MAX) /* so at most 256 bytes */
#define LEX_CATEGORY_BYTES_MAX 32         /* a category: 1..32 of a..z, 0..9, '_' */
#define LEX_TEXT_BYTES_MAX     (1u << 20) /* one checked text: 1 MiB, far above any body */
#define LEX_ERR_MSG_CAP        1024       /* room for two quoted terms of LEX_TERM_BYTES_MAX */
/* A scratch's work area per byte of text: 1 normalised byte and a 4-byte offset. */
#define LEX_SCRATCH_BYTES_PER_TEXT_BYTE 5

enum lex_severity {
    LEX_NONE = 0,   /* no match (only in struct lex_result) */
    LEX_REVIEW = 1, /* hold for a human reviewer */
    LEX_BLOCK = 2,  /* refuse; the author sees the spans and reasons */
};

/* "none", "review", "block"; "" for anything else. */
const char *lex_severity_name(enum lex_severity s);
/* True and *out set (OUT) for "review" or "block"; false otherwise, *out untouched. */
bool lex_severity_parse(const char *s, enum lex_severity *out);

enum lex_rc {
    LEX_OK = 0,
    /* building (lexicon_build); lex_error.term names the term */
    LEX_E_NO_TERMS,   /* a lexicon needs at least one term */
    LEX_E_TOO_MANY,   /* more than LEX_TERMS_MAX terms */
    LEX_E_TERM_EMPTY, /* NULL, "", or nothing left after normalisation (" - ") */
    LEX_E_TERM_UTF8,  /* the term is not valid UTF-8 */
    LEX_E_TERM_LONG,  /* more than LEX_TERM_CHARS_MAX code points */
    LEX_E_DUPLICATE,  /* two terms that normalise alike ("保 本" and "保本") */
    LEX_E_SEVERITY,   /* severity neither LEX_REVIEW nor LEX_BLOCK */
    LEX_E_CATEGORY,   /* category NULL, empty, too long or not a..z 0..9 _ */
    LEX_E_NOMEM,      /* an allocation failed */
    LEX_E_HYPERSCAN,  /* Hyperscan refused to compile or to allocate scratch */
    /* checking (lexicon_check) */
    LEX_E_TEXT_UTF8, /* the text is not valid UTF-8; lex_result.bad_at says where */
    LEX_E_TEXT_LONG, /* longer than the scratch's text_bytes_max */
    LEX_E_SCRATCH,   /* the scratch was not made for this lexicon, or is in use */
};

/* A short lower-case English description of `rc`. Never NULL; the string is static. */
const char *lex_rc_str(enum lex_rc rc);

/* What lexicon_build found wrong, for the operator who edited the lexicon. */
struct lex_error {
    enum lex_rc code;          /* OUT: LEX_OK or the first problem, in term order */
    int32_t term;              /* OUT: index of the offending term; -1 when no single term */
    int32_t other;             /* OUT: for LEX_E_DUPLICATE, the earlier term; else -1 */
    char msg[LEX_ERR_MSG_CAP]; /* OUT: `term 12 "保 本": same as term 3 "保本" once normalised` */
};

/* One term as an operator wrote it. */
struct lex_term {
    const char *text;           /* 1..LEX_TERM_CHARS_MAX code points of valid UTF-8 */
    enum lex_severity severity; /* LEX_REVIEW or LEX_BLOCK */
    const char *category;       /* "marketing_claim", "sensitive", ... */
};

/* A compiled lexicon: immutable once built, safe to share between threads. */
struct lexicon;
/* One thread's scan state and work area; never used by two threads at once. */
struct lex_scratch;

/*
 * Build a lexicon from terms[0..n): validate every term (in order, stopping at the first
 * problem), normalise it with norm_text, refuse duplicates after normalisation, and compile the
 * normalised terms with Hyperscan. The lexicon keeps its own copies of the texts and categories;
 * the caller's array may go away. Compiling 10,000 terms takes 0.1 to 0.2 s: do it when a
 * lexicon version is published, not per request.
 *
 * terms may be NULL only when n is 0; out must not be NULL; err may be NULL. Returns LEX_OK and
 * *out (OUT, free with lexicon_free), or a code with *out set to NULL and err filled in
 * (err->code is always set).
 */
enum lex_rc lexicon_build(const struct lex_term *terms, size_t n, struct lexicon **out,
                          struct lex_error *err);

/* Frees a lexicon; NULL is fine. No scratch may be scanning with it. */
void lexicon_free(struct lexicon *lex);

/* The number of terms. */
size_t lexicon_size(const struct lexicon *lex);

/* Term i (< lexicon_size) as given to lexicon_build; the strings live as long as the lexicon. */
const struct lex_term *lexicon_term(const struct lexicon *lex, size_t i);

/*
 * Make a scratch for checking texts of up to text_bytes_max bytes (1..LEX_TEXT_BYTES_MAX) with
 * `lex`. The scratch holds the Hyperscan scratch space and the work area that lexicon_check
 * normalises into: text_bytes_max × LEX_SCRATCH_BYTES_PER_TEXT_BYTE bytes (320 KiB for a 64 KiB
 * body), allocated here once so that a check allocates nothing. One per thread.
 * Returns LEX_OK and *out (OUT), or LEX_E_NOMEM / LEX_E_HYPERSCAN with *out NULL.
 */
enum lex_rc lexicon_scratch_new(const struct lexicon *lex, size_t text_bytes_max,
                                struct lex_scratch **out);

/*
 * Let a scratch also scan with `lex`, typically a newly published version of its lexicon (the
 * scratch grows if that one needs more space). Call it from the thread that owns the scratch.
 * Returns LEX_OK, LEX_E_NOMEM or LEX_E_HYPERSCAN (the scratch is still good for its old ones).
 */
enum lex_rc lexicon_scratch_attach(const struct lexicon *lex, struct lex_scratch *scratch);

/* Frees a scratch; NULL is fine. */
void lexicon_scratch_free(struct lex_scratch *scratch);

/* One occurrence of a term in the checked text. */
struct lex_match {
    uint32_t start;             /* byte offset in the ORIGINAL text of the first character */
    uint32_t end;               /* just past the last byte of the last matched character */
    uint32_t term;              /* index of the term in the lexicon */
    enum lex_severity severity; /* the term's severity */
    const char *category;       /* the term's category; lives as long as the lexicon */
};

/* The outcome of one check. */
struct lex_result {
    enum lex_severity worst; /* OUT: the highest severity of all matches; LEX_NONE for none */
    size_t n_matches;        /* OUT: every match found, which may be more than were stored */
    size_t n_stored;         /* OUT: entries written to the caller's array, min(n_matches, cap) */
    size_t bad_at;           /* OUT: for LEX_E_TEXT_UTF8, the offset of the first bad byte */
};

/*
 * Check text[0..len) against the lexicon. The text is normalised into the scratch's work area,
 * scanned, and every match is mapped back to a span [start, end) of the original text
 * (norm_span_to_original): from the first byte of the first matched character to just past the
 * last byte of the last one, including the characters removed between them.
 *
 * Matches are stored in out[0..res->n_stored), sorted by (start, end, term); when there are more
 * than cap, the first cap in that order are kept. res->n_matches and res->worst count all of
 * them. out may be NULL when cap is 0 (to learn only the verdict and the count).
 *
 * lex, scratch and res must not be NULL; text may be NULL only when len is 0. The scratch must
 * have been made for (or attached to) lex. Returns LEX_OK with *res filled in, or
 * LEX_E_TEXT_LONG (len above the scratch's text_bytes_max), LEX_E_TEXT_UTF8 (res->bad_at set) or
 * LEX_E_SCRATCH; after an error res->worst is LEX_NONE and nothing is stored.
 */
enum lex_rc lexicon_check(const struct lexicon *lex, struct lex_scratch *scratch, const char *text,
                          size_t len, struct lex_match *out, size_t cap, struct lex_result *res);

/*
 * The matcher alone: count the matches in norm[0..len), text that is already normalised
 * (norm_text output; LEX_TEXT_BYTES_MAX at most), without mapping spans: the conversion to the
 * two-byte form Hyperscan scans (lexicon.c), into memory allocated for the call, and the scan.
 * For benchmarks and for cross-checks against a plain search. Returns LEX_OK with *count (OUT),
 * LEX_E_TEXT_LONG, LEX_E_NOMEM or LEX_E_SCRATCH.
 */
enum lex_rc lexicon_count_normalised(const struct lexicon *lex, struct lex_scratch *scratch,
                                     const char *norm, size_t len, uint64_t *count);

/*
 * The default lexicon, from DESIGN §6: prohibited marketing claims (category "marketing_claim")
 * and sensitive content ("sensitive"). *n (OUT) is the number of terms. The table is static and
 * builds without error; lexicon.c says why each term has its severity.
 */
const struct lex_term *lexicon_default_terms(size_t *n);

#endif
