/*
 * bench/moderation/bench.c: throughput of the compliance check (core/lexicon, core/normalize)
 * on one thread, against a straightforward per-term search measured in the same run. Compiled
 * and run by bench/moderation/run; see there for the settings and the targets.
 *
 *   bench CORPUS_MIB REF_MIB TERMS REPEAT CHUNK_KIB SKEWED
 *
 * Everything is generated in memory from fixed seeds, so every run scans the same bytes.
 *   lexicon  the default terms plus synthetic terms of 2..6 CJK characters, TERMS in all;
 *   corpus   CORPUS_MIB MiB of sentence-like Chinese: clauses of 4..24 CJK characters ended by
 *            ，。、；：！？“”（） and friends, with ASCII words ("ETF", "QDII"), numbers like
 *            "3.25%", spaces and newlines (about 3% of the characters), and one planted term per
 *            ~10,000 characters (0.01%), a quarter of them disguised with a space, a zero-width
 *            space, an ideographic space or a hyphen after the first character, and full-width
 *            Latin letters.
 * Two models of the CJK characters, for the text and the synthetic terms alike:
 *   uniform  uniformly from U+4E00..U+9FA5 (20,902 characters): random CJK from the common
 *            block, the model the targets are stated for;
 *   skewed   (when SKEWED is 1) Zipf frequencies (s = 1) over 3,500 characters of that block,
 *            the terms uniformly from the same 3,500: closer to real text, where ~3,500
 *            characters cover 99% of it, and harder for the matcher (see the run script).
 * Measured (best of REPEAT runs each):
 *   (a) matcher      lexicon_count_normalised over the normalised corpus, 1 MiB per call:
 *                    Hyperscan alone. MB/s of normalised bytes.
 *   (b) whole check  lexicon_check over the ORIGINAL corpus in CHUNK_KIB pieces cut at character
 *                    boundaries: validation, normalisation, scan, spans mapped back, matches
 *                    sorted. MB/s of original bytes. Also normalisation alone, for the split.
 *   (c) reference    for every term, memmem over the normalised text, counting every occurrence
 *                    (overlapping ones too), on the first REF_MIB MiB of the normalised corpus,
 *                    1 MiB per piece as in (a): one run. Its count must equal (a)'s on the same
 *                    pieces (the cross-check), and its MB/s is the denominator of the ratios.
 * MB is 10^6 bytes, MiB 2^20.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/utf8.h"
#include "core/lexicon.h"
#include "core/normalize.h"

#define COMMON_CHARS 3500
#define ZIPF_SLOTS   65536
#define TERM_SLOT    32 /* bytes per synthetic term: 6 CJK characters and a NUL fit */

static void die(const char *what)
{
    fprintf(stderr, "bench/moderation: %s\n", what);
    exit(1);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* splitmix64: small, fast, and the same sequence everywhere. */
static uint64_t rng_state;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}
static uint32_t below(uint32_t n)
{
    return (uint32_t)(((rnd() >> 32) * n) >> 32);
}

#define CJK_LO 0x4E00u
#define CJK_N  (0x9FA6u - 0x4E00u) /* U+4E00..U+9FA5 */

static uint32_t common[COMMON_CHARS]; /* the skewed model's characters, in rank order */
static uint16_t zipf[ZIPF_SLOTS];     /* a uniform 16-bit number -> a rank, Zipf-distributed */
static bool skewed;                   /* the model in use */

/* A character of a synthetic term. */
static uint32_t term_char(void)
{
    return skewed ? common[below(COMMON_CHARS)] : CJK_LO + below(CJK_N);
}

/* A CJK character of the text. */
static uint32_t text_char(void)
{
    return skewed ? common[zipf[below(ZIPF_SLOTS)]] : CJK_LO + below(CJK_N);
}

static void setup_chars(void)
{
    /* 3,500 distinct code points of U+4E00..U+9FA5, in a random order of rank. */
    static uint8_t used[CJK_N];
    for (size_t k = 0; k < COMMON_CHARS;) {
        uint32_t cp = CJK_LO + below(CJK_N);
        if (!used[cp - CJK_LO]) {
            used[cp - CJK_LO] = 1;
            common[k++] = cp;
        }
    }
    double h = 0, acc = 0;
    for (size_t r = 0; r < COMMON_CHARS; r++)
        h += 1.0 / (double)(r + 1);
    size_t slot = 0;
    for (size_t r = 0; r < COMMON_CHARS && slot < ZIPF_SLOTS; r++) {
        acc += 1.0 / (double)(r + 1) / h;
        size_t until = (size_t)(acc * ZIPF_SLOTS + 0.5);
        for (; slot < until && slot < ZIPF_SLOTS; slot++)
            zipf[slot] = (uint16_t)r;
    }
    for (; slot < ZIPF_SLOTS; slot++)
        zipf[slot] = COMMON_CHARS - 1;
}

static size_t put_cp(char *p, uint32_t cp)
{
    size_t n = utf8_encode(cp, p, UTF8_SEQ_MAX);
    if (n == 0)
        die("cannot encode a code point");
    return n;
}

/* The lexicon: the default terms, then synthetic ones up to `total`, all distinct. */
static struct lex_term *make_terms(size_t total, char **storage)
{
    size_t n0 = 0;
    const struct lex_term *def = lexicon_default_terms(&n0);
    if (total < n0)
        die("fewer terms asked for than the default lexicon has");
    struct lex_term *t = calloc(total, sizeof *t);
    char *buf = calloc(total, TERM_SLOT);
    if (t == NULL || buf == NULL)
        die("out of memory");
    memcpy(t, def, n0 * sizeof *t);
    for (size_t i = n0; i < total; i++) {
        char *p = buf + i * TERM_SLOT;
        size_t len = 0, chars = 2 + below(5);
        for (size_t k = 0; k < chars; k++)
            len += put_cp(p + len, term_char());
        p[len] = '\0';
        t[i] = (struct lex_term){p, LEX_REVIEW, "synthetic"};
    }
    *storage = buf;
    return t;
}

/* Append one planted term to p, disguised one time in four; returns the bytes written. */
static size_t plant(char *p, const struct lex_term *t)
{
    const char *s = t->text;
    size_t len = strlen(s), n = 0, cut = 0;
    uint32_t how = below(16);
    if (how >= 4) {
        memcpy(p, s, len);
        return len;
    }
    /* cut after the first character: a space, U+200B, U+3000 or '-' */
    size_t pos = 0;
    uint32_t cp = 0;
    if (!utf8_decode_next(s, len, &pos, &cp))
        die("bad term");
    cut = pos;
    memcpy(p, s, cut);
    n = cut;
    static const char *const seps[] = {" ", "\xe2\x80\x8b", "\xe3\x80\x80", "-"};
    size_t sl = strlen(seps[how]);
    memcpy(p + n, seps[how], sl);
    n += sl;
    /* the rest, with ASCII letters full-width */
    for (size_t k = cut; k < len; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c >= 'a' && c <= 'z')
            n += put_cp(p + n, 0xFF41 + (c - 'a'));
        else
            p[n++] = (char)c;
    }
    return n;
}

/* One clause of text at p (room for at least 512 bytes); returns the bytes written. */
static size_t clause(char *p, const struct lex_term *terms, size_t nterms, uint64_t *planted)
{
    static const uint32_t puncts[] = {0xFF0C, 0xFF0C, 0xFF0C, 0x3002, 0x3002, 0x3001, 0xFF1B,
                                      0xFF1A, 0xFF01, 0xFF1F, 0x201C, 0x201D, 0xFF08, 0xFF09};
    static const char *const words[] = {"ETF", "LOF", "QDII", "A", "C", "FOF", "REITs", "AI"};
    size_t n = 0, chars = 4 + below(21);
    for (size_t k = 0; k < chars; k++) {
        uint32_t r = below(10000);
        if (r == 0) {
            n += plant(p + n, &terms[below((uint32_t)nterms)]);
            (*planted)++;
        } else if (r < 150) {
            const char *w = words[below(sizeof words / sizeof words[0])];
            size_t wl = strlen(w);
            memcpy(p + n, w, wl);
            n += wl;
        } else if (r < 300) {
            n += (size_t)snprintf(p + n, 16, "%u.%02u%%", below(10), below(100));
        } else if (r < 340) {
            p[n++] = ' ';
        } else {
            n += put_cp(p + n, text_char());
        }
    }
    n += put_cp(p + n, puncts[below(sizeof puncts / sizeof puncts[0])]);
    if (below(20) == 0)
        p[n++] = '\n';
    return n;
}

static char *make_corpus(size_t bytes, const struct lex_term *terms, size_t nterms,
                         uint64_t *planted)
{
    char *c = malloc(bytes + 1024);
    if (c == NULL)
        die("out of memory for the corpus");
    size_t n = 0;
    while (n < bytes)
        n += clause(c + n, terms, nterms, planted);
    /* trim to `bytes` at a character boundary */
    n = bytes;
    while (n > 0 && ((unsigned char)c[n] & 0xC0) == 0x80)
        n--;
    if (!utf8_valid(c, n))
        die("generated corpus is not valid UTF-8");
    c[n] = '\0';
    return c;
}

/* The end of the piece that starts at `at`: at most `max` bytes, cut at a character boundary. */
static size_t piece_end(const char *s, size_t len, size_t at, size_t max)
{
    size_t e = at + max < len ? at + max : len;
    while (e > at && e < len && ((unsigned char)s[e] & 0xC0) == 0x80)
        e--;
    return e;
}

/* Normalise the corpus piece by piece into one buffer. Returns its length. */
static size_t normalise_corpus(const char *c, size_t len, char *norm, uint32_t *offs, size_t chunk)
{
    size_t at = 0, n = 0;
    while (at < len) {
        size_t e = piece_end(c, len, at, chunk), got = 0;
        if (norm_text(c + at, e - at, norm + n, offs, e - at, &got, NULL) != NORM_OK)
            die("cannot normalise the corpus");
        n += got;
        at = e;
    }
    return n;
}

/* The normaliser alone, over the original text in pieces of `chunk` bytes. */
static double run_normaliser(const char *c, size_t len, char *norm, uint32_t *offs, size_t chunk)
{
    double t0 = now_s();
    (void)normalise_corpus(c, len, norm, offs, chunk);
    return now_s() - t0;
}

/* (a): the matcher over normalised text in pieces of `piece` bytes. */
static double run_matcher(const struct lexicon *lex, struct lex_scratch *s, const char *norm,
                          size_t len, size_t piece, uint64_t *count)
{
    double t0 = now_s();
    uint64_t total = 0;
    for (size_t at = 0; at < len;) {
        size_t e = piece_end(norm, len, at, piece);
        uint64_t k = 0;
        if (lexicon_count_normalised(lex, s, norm + at, e - at, &k) != LEX_OK)
            die("lexicon_count_normalised failed");
        total += k;
        at = e;
    }
    *count = total;
    return now_s() - t0;
}

/* (b): the whole check over the original text in pieces of `chunk` bytes. */
static double run_check(const struct lexicon *lex, struct lex_scratch *s, const char *c, size_t len,
                        size_t chunk, uint64_t *count, uint64_t *blocks)
{
    struct lex_match m[64];
    double t0 = now_s();
    uint64_t total = 0, nblock = 0;
    for (size_t at = 0; at < len;) {
        size_t e = piece_end(c, len, at, chunk);
        struct lex_result res;
        if (lexicon_check(lex, s, c + at, e - at, m, 64, &res) != LEX_OK)
            die("lexicon_check failed");
        total += res.n_matches;
        nblock += res.worst == LEX_BLOCK;
        at = e;
    }
    *count = total;
    *blocks = nblock;
    return now_s() - t0;
}

/* (c): every term with memmem over the same pieces as (a), counting overlapping occurrences. */
static double run_reference(char **nterm, const size_t *nlen, size_t nterms, const char *norm,
                            size_t len, size_t piece, uint64_t *count)
{
    double t0 = now_s();
    uint64_t total = 0;
    for (size_t at = 0; at < len;) {
        size_t e = piece_end(norm, len, at, piece);
        for (size_t i = 0; i < nterms; i++) {
            const char *p = norm + at, *end = norm + e;
            while ((p = memmem(p, (size_t)(end - p), nterm[i], nlen[i])) != NULL) {
                total++;
                p++;
            }
        }
        at = e;
    }
    *count = total;
    return now_s() - t0;
}

static size_t arg(const char *s, size_t lo, size_t hi, const char *what)
{
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "bench/moderation: %s must be %zu..%zu, not '%s'\n", what, lo, hi, s);
        exit(2);
    }
    return (size_t)v;
}

static void pass_line(bool ok, const char *what, double got, double target)
{
    printf("%s  %s >= %.0f MB/s (%.0f MB/s)\n", ok ? "PASS" : "MISS", what, target, got);
}

/* What one text model measured. */
struct figures {
    double build_s, gen_s;         /* set-up, not measured */
    size_t len, norm_len, ref_len; /* corpus, normalised corpus, reference sample */
    uint64_t planted, blocks;      /* planted terms; chunks whose verdict was block */
    double a_s, b_s, n_s, c_s;     /* best seconds: matcher, check, normaliser, reference */
    uint64_t a_count, b_count;     /* matches found by (a) and (b) */
    uint64_t a_ref_count, c_count; /* the cross-check on the reference sample */
};

struct params {
    size_t corpus_mib, ref_mib, nterms, repeat, chunk;
};

/* Build the lexicon, replacing synthetic terms that collide until it builds. */
static struct lexicon *build_lexicon(struct lex_term *terms, size_t nterms, char *term_buf,
                                     double *build_s)
{
    struct lexicon *lex = NULL;
    struct lex_error err;
    double t0 = now_s();
    for (int tries = 0; lexicon_build(terms, nterms, &lex, &err) != LEX_OK; tries++) {
        if (err.code != LEX_E_DUPLICATE || tries > 1000)
            die(err.msg);
        char *p = term_buf + (size_t)err.term * TERM_SLOT;
        size_t len = 0;
        for (int k = 0; k < 3; k++)
            len += put_cp(p + len, term_char());
        p[len] = '\0';
        t0 = now_s();
    }
    *build_s = now_s() - t0;
    return lex;
}

/* The terms as the matcher sees them, for the reference search. */
static char *normalised_terms(const struct lexicon *lex, size_t nterms, size_t *nlen)
{
    char *nbuf = malloc(nterms * LEX_TERM_BYTES_MAX);
    uint32_t offs[LEX_TERM_BYTES_MAX];
    if (nbuf == NULL)
        die("out of memory");
    for (size_t i = 0; i < nterms; i++) {
        const char *t = lexicon_term(lex, i)->text;
        if (norm_text(t, strlen(t), nbuf + i * LEX_TERM_BYTES_MAX, offs, LEX_TERM_BYTES_MAX,
                      &nlen[i], NULL) != NORM_OK)
            die("cannot normalise a term");
    }
    return nbuf;
}

static void measure(bool model_skewed, const struct params *pm, bool with_ref, struct figures *f)
{
    skewed = model_skewed;
    rng_state = model_skewed ? 2 : 1;
    char *term_buf = NULL;
    struct lex_term *terms = make_terms(pm->nterms, &term_buf);
    struct lexicon *lex = build_lexicon(terms, pm->nterms, term_buf, &f->build_s);

    double t0 = now_s();
    char *corpus = make_corpus(pm->corpus_mib << 20, terms, pm->nterms, &f->planted);
    f->len = strlen(corpus);
    size_t piece = LEX_TEXT_BYTES_MAX;
    char *norm = malloc(f->len);
    uint32_t *offs = malloc((pm->chunk > piece ? pm->chunk : piece) * sizeof *offs);
    struct lex_scratch *s = NULL;
    if (norm == NULL || offs == NULL || lexicon_scratch_new(lex, piece, &s) != LEX_OK)
        die("out of memory");
    f->norm_len = normalise_corpus(corpus, f->len, norm, offs, pm->chunk);
    f->gen_s = now_s() - t0;

    f->a_s = f->b_s = f->n_s = 1e30;
    for (size_t r = 0; r < pm->repeat; r++) {
        double ta = run_matcher(lex, s, norm, f->norm_len, piece, &f->a_count);
        double tb = run_check(lex, s, corpus, f->len, pm->chunk, &f->b_count, &f->blocks);
        double tn = run_normaliser(corpus, f->len, norm, offs, pm->chunk);
        f->a_s = ta < f->a_s ? ta : f->a_s;
        f->b_s = tb < f->b_s ? tb : f->b_s;
        f->n_s = tn < f->n_s ? tn : f->n_s;
    }
    if (with_ref) {
        size_t *nlen = calloc(pm->nterms, sizeof *nlen);
        char **nterm = calloc(pm->nterms, sizeof *nterm);
        if (nlen == NULL || nterm == NULL)
            die("out of memory");
        char *nbuf = normalised_terms(lex, pm->nterms, nlen);
        for (size_t i = 0; i < pm->nterms; i++)
            nterm[i] = nbuf + i * LEX_TERM_BYTES_MAX;
        f->ref_len = piece_end(norm, f->norm_len, 0, pm->ref_mib << 20);
        f->c_s = run_reference(nterm, nlen, pm->nterms, norm, f->ref_len, piece, &f->c_count);
        (void)run_matcher(lex, s, norm, f->ref_len, piece, &f->a_ref_count);
        free(nbuf);
        free(nterm);
        free(nlen);
    }
    lexicon_scratch_free(s);
    lexicon_free(lex);
    free(offs);
    free(norm);
    free(corpus);
    free(terms);
    free(term_buf);
}

static double mbs(size_t bytes, double s)
{
    return (double)bytes / s / 1e6;
}

static void report(const char *name, const char *what, const struct params *pm,
                   const struct figures *f)
{
    printf("\ntext model \"%s\": %s\n", name, what);
    printf("  corpus %zu bytes, %llu planted terms; normalised to %zu bytes (%.1f%%); lexicon "
           "built in %.2f s, corpus generated in %.1f s\n",
           f->len, (unsigned long long)f->planted, f->norm_len,
           100.0 * (double)f->norm_len / (double)f->len, f->build_s, f->gen_s);
    printf("  %-46s %11s %8s %9s %8s\n", "", "bytes", "seconds", "MB/s", "matches");
    printf("  %-46s %11zu %8.3f %9.1f %8llu\n", "(a) matcher: hyperscan, normalised text",
           f->norm_len, f->a_s, mbs(f->norm_len, f->a_s), (unsigned long long)f->a_count);
    printf("  %-46s %11zu %8.3f %9.1f %8llu\n", "(b) whole check: lexicon_check, original text",
           f->len, f->b_s, mbs(f->len, f->b_s), (unsigned long long)f->b_count);
    printf("  %-46s %11zu %8.3f %9.1f %8s\n", "    of which normalisation alone", f->len, f->n_s,
           mbs(f->len, f->n_s), "-");
    if (f->ref_len > 0) {
        printf("  %-46s %11zu %8.3f %9.3f %8llu\n", "(c) reference: memmem per term, normalised",
               f->ref_len, f->c_s, mbs(f->ref_len, f->c_s), (unsigned long long)f->c_count);
        printf("  cross-check on (c)'s %zu bytes: matcher %llu matches, reference %llu: %s\n",
               f->ref_len, (unsigned long long)f->a_ref_count, (unsigned long long)f->c_count,
               f->a_ref_count == f->c_count ? "equal" : "DIFFERENT");
    }
    printf("  (a), (b): best of %zu runs, (b) in %zu KiB chunks (%llu of them blocked)%s\n",
           pm->repeat, pm->chunk >> 10, (unsigned long long)f->blocks,
           f->ref_len > 0 ? "; (c): one run" : "");
}

int main(int argc, char **argv)
{
    if (argc != 7)
        die("usage: bench CORPUS_MIB REF_MIB TERMS REPEAT CHUNK_KIB SKEWED");
    struct params pm = {
        .corpus_mib = arg(argv[1], 1, 4096, "BENCH_MB"),
        .nterms = arg(argv[3], 100, LEX_TERMS_MAX, "BENCH_TERMS"),
        .repeat = arg(argv[4], 1, 100, "BENCH_REPEAT"),
        .chunk = arg(argv[5], 1, LEX_TEXT_BYTES_MAX >> 10, "BENCH_CHUNK_KIB") << 10,
    };
    pm.ref_mib = arg(argv[2], 1, pm.corpus_mib, "BENCH_REF_MB");
    bool with_skewed = arg(argv[6], 0, 1, "BENCH_SKEWED") == 1;
    size_t n_default = 0;
    (void)lexicon_default_terms(&n_default);
    rng_state = 3;
    setup_chars();

    printf("lexicon: %zu terms: %zu default, %zu synthetic of 2..6 CJK characters\n", pm.nterms,
           n_default, pm.nterms - n_default);
    struct figures u = {0}, z = {0};
    measure(false, &pm, true, &u);
    report("uniform", "CJK uniformly from U+4E00..U+9FA5; the targets apply", &pm, &u);
    if (with_skewed) {
        measure(true, &pm, false, &z);
        report("skewed", "Zipf over 3,500 characters; for information", &pm, &z);
    }

    double a = mbs(u.norm_len, u.a_s), b = mbs(u.len, u.b_s), c = mbs(u.ref_len, u.c_s);
    bool same = u.a_ref_count == u.c_count;
    printf("\nratio (a)/(c) = %.0f   (matcher / per-term memmem)\n", a / c);
    printf("ratio (b)/(c) = %.0f   (whole check / per-term memmem)\n", b / c);
    pass_line(a >= 1000 && same, "matcher (a), uniform model", a, 1000);
    pass_line(b >= 500 && same, "whole check (b), uniform model", b, 500);
    if (!same)
        printf("note: the matcher and the reference disagree: the figures do not count\n");
    return same ? 0 : 1;
}
