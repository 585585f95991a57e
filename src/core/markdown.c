/*
 * markdown.c: the Markdown subset of markdown.h, to HTML or to plain text.
 *
 * Three stages. The input is checked and cut into lines. Blocks are recognised line by line
 * (a quote strips its ">" from its lines and recurses on them). The text of each paragraph,
 * heading or item is gathered into a scratch buffer and parsed inline in three linear passes:
 * tokenize (text, escapes, code spans, asterisk runs, brackets, line breaks; a "]" resolves the
 * nearest "[" on the spot, as in CommonMark), pair the asterisk runs (one stack per run length,
 * links as barriers), then write the tokens out. No pass looks back or ahead more than a bounded
 * distance except the backtick scan, whose failures are each for a different run length, so a
 * block of n bytes costs at most O(n^1.5) and nothing recurses beyond MD_QUOTE_DEPTH_MAX.
 *
 * Every byte written goes through put(), which enforces the output limit; all text goes through
 * text(), which escapes it for HTML (the same escaping serves text and attribute values, which
 * are always double-quoted). Markup is written only by tag(), which plain-text mode and image
 * alts silence, so md_plain_text is md_render with the tags left out.
 */
#include "core/markdown.h"

#include "base/check.h"
#include "base/utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(MD_INPUT_BYTES_MAX < INT32_MAX, "token offsets are 32-bit");

struct line {
    uint32_t beg; /* first byte of the content, after the markers of enclosing quotes */
    uint32_t end; /* one past the last byte; the line end is not included */
};

enum tok_kind {
    TK_TEXT,
    TK_CODE,
    TK_SOFT,
    TK_HARD,
    TK_STAR,
    TK_OPEN,
    TK_CLOSE
};

#define TF_IMAGE     0x01u /* TK_OPEN: "![" */
#define TF_CAN_OPEN  0x02u /* TK_STAR: a non-space follows */
#define TF_CAN_CLOSE 0x04u /* TK_STAR: a non-space precedes */
#define TF_SHOWN     0x08u /* TK_OPEN: the <a> or <img> was written (so its end must be too) */

struct tok {
    uint32_t off; /* bytes in the scratch text; for TK_CLOSE the url between the parentheses */
    uint32_t len;
    int32_t other; /* the partner of a matched pair; the entry below while on a stack */
    int32_t aux;   /* TK_OPEN: the emphasis floor to restore at its close */
    uint8_t kind;  /* enum tok_kind */
    uint8_t flags; /* TF_* */
};

struct ctx {
    const char *src;
    struct buf *out;
    size_t out_start; /* out->len on entry: restored on an error */
    bool plain;       /* md_plain_text: no tags */
    enum md_rc rc;    /* the first error; once set, nothing more is written */
    struct md_stats st;
    int alt;    /* > 0 inside an image's alt: text only, no tags */
    int depth;  /* inline elements open */
    char *text; /* scratch: the inline text of one block */
    size_t text_len;
    struct tok *toks; /* room for one token per scratch byte, which is always enough */
    size_t ntok, tok_cap;
};

/* ---- output ---------------------------------------------------------------------------------- */

static void put(struct ctx *c, const char *s, size_t n)
{
    if (c->rc != MD_OK || n == 0)
        return;
    size_t used = c->out->len - c->out_start;
    if (n > MD_OUTPUT_BYTES_MAX - used || n > c->out->max - c->out->len) {
        c->rc = MD_E_OUTPUT_SIZE;
        return;
    }
    if (!buf_append(c->out, s, n))
        c->rc = MD_E_NOMEM;
}

static bool html(const struct ctx *c)
{
    return !c->plain && c->alt == 0;
}

static void tag(struct ctx *c, const char *s)
{
    if (html(c))
        put(c, s, strlen(s));
}

static const char *entity(char ch)
{
    static const char *const esc[128] = {
        ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;"};
    unsigned char b = (unsigned char)ch;
    return b < 128 ? esc[b] : NULL;
}

/* Text as the reader should see it: escaped for HTML, as it is for plain text. */
static void text(struct ctx *c, const char *s, size_t n)
{
    if (c->plain) {
        put(c, s, n);
        return;
    }
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        const char *e = entity(s[i]);
        if (e == NULL)
            continue;
        put(c, s + from, i - from);
        put(c, e, strlen(e));
        from = i + 1;
    }
    put(c, s + from, n - from);
}

/* ---- urls ------------------------------------------------------------------------------------ */

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n';
}

static bool is_punct(char ch)
{
    return ch != '\0' && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", ch) != NULL;
}

static bool prefix_ci(const char *s, size_t n, const char *p)
{
    size_t m = strlen(p);
    if (n < m)
        return false;
    for (size_t i = 0; i < m; i++) {
        char ch = s[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (ch != p[i])
            return false;
    }
    return true;
}

/* An href we write: http(s) with a host, or mailto with an address; nothing blank or control. */
static bool safe_href(const char *u, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)u[i];
        if (b <= 0x20 || b == 0x7f)
            return false;
    }
    size_t host = prefix_ci(u, n, "https://") ? 8 : prefix_ci(u, n, "http://") ? 7 : 0;
    if (host > 0)
        return n > host && u[host] != '/' && u[host] != '\\';
    return prefix_ci(u, n, "mailto:") && n > 7;
}

/* One of the platform's uploads: MD_UPLOAD_PREFIX and 16..64 lower-case hex digits, exactly. */
static bool upload_src(const char *u, size_t n)
{
    size_t p = sizeof MD_UPLOAD_PREFIX - 1;
    if (n < p + MD_UPLOAD_ID_HEX_MIN || n > p + MD_UPLOAD_ID_HEX_MAX ||
        memcmp(u, MD_UPLOAD_PREFIX, p) != 0)
        return false;
    for (size_t i = p; i < n; i++)
        if (!((u[i] >= '0' && u[i] <= '9') || (u[i] >= 'a' && u[i] <= 'f')))
            return false;
    return true;
}

/* The ")" balancing the "(" at t[p], on the same line and within MD_URL_BYTES_MAX bytes. */
static bool find_url_end(const char *t, size_t n, size_t p, size_t *end)
{
    if (p >= n || t[p] != '(')
        return false;
    size_t depth = 0;
    for (size_t j = p + 1; j < n && j - (p + 1) <= MD_URL_BYTES_MAX; j++) {
        if (t[j] == '\n')
            return false;
        if (t[j] == '(') {
            depth++;
        } else if (t[j] == ')') {
            if (depth == 0) {
                *end = j;
                return true;
            }
            depth--;
        }
    }
    return false;
}

/* ---- inline: tokens -------------------------------------------------------------------------- */

static int32_t push_tok(struct ctx *c, enum tok_kind kind, size_t off, size_t len, unsigned flags)
{
    ASSERT(c->ntok < c->tok_cap);
    c->toks[c->ntok] = (struct tok){
        .off = (uint32_t)off,
        .len = (uint32_t)len,
        .other = -1,
        .aux = -1,
        .kind = (uint8_t)kind,
        .flags = (uint8_t)flags,
    };
    return (int32_t)c->ntok++;
}

/* Ends the pending text run [*from, to) and starts the next one at `next`. */
static void flush(struct ctx *c, size_t *from, size_t to, size_t next)
{
    if (to > *from)
        push_tok(c, TK_TEXT, *from, to - *from, 0);
    *from = next;
}

static size_t run_len(const char *t, size_t n, size_t i, char ch)
{
    size_t j = i;
    while (j < n && t[j] == ch)
        j++;
    return j - i;
}

static size_t on_backslash(struct ctx *c, size_t i, size_t *from)
{
    const char *t = c->text;
    if (i + 1 < c->text_len && t[i + 1] == '\n') {
        flush(c, from, i, i + 2);
        push_tok(c, TK_HARD, i, 2, 0);
        return i + 2;
    }
    if (i + 1 < c->text_len && is_punct(t[i + 1])) {
        flush(c, from, i, i + 2);
        push_tok(c, TK_TEXT, i + 1, 1, 0);
        return i + 2;
    }
    return i + 1;
}

static size_t on_newline(struct ctx *c, size_t i, size_t *from)
{
    size_t e = i, spaces = 0;
    while (e > *from && is_blank(c->text[e - 1]))
        e--;
    while (spaces < i - e && c->text[i - 1 - spaces] == ' ')
        spaces++;
    flush(c, from, e, i + 1);
    push_tok(c, spaces >= 2 ? TK_HARD : TK_SOFT, e, i + 1 - e, 0);
    return i + 1;
}

/* A code span to the next run of as many backticks, or the run is text. */
static size_t on_backtick(struct ctx *c, size_t i, size_t *from)
{
    const char *t = c->text;
    size_t n = c->text_len, r = run_len(t, n, i, '`');
    for (size_t j = i + r; j < n;) {
        const char *q = memchr(t + j, '`', n - j);
        if (q == NULL)
            break;
        j = (size_t)(q - t);
        size_t r2 = run_len(t, n, j, '`');
        if (r2 == r) {
            size_t b = i + r, e = j;
            if (e - b >= 2 && is_space(t[b]) && is_space(t[e - 1]) &&
                run_len(t, e, b, ' ') < e - b) {
                b++;
                e--;
            }
            flush(c, from, i, j + r);
            push_tok(c, TK_CODE, b, e - b, 0);
            return j + r;
        }
        j += r2;
    }
    return i + r;
}

static size_t on_star(struct ctx *c, size_t i, size_t *from)
{
    const char *t = c->text;
    size_t n = c->text_len, r = run_len(t, n, i, '*');
    unsigned flags = 0;
    if (i + r < n && !is_space(t[i + r]))
        flags |= TF_CAN_OPEN;
    if (i > 0 && !is_space(t[i - 1]))
        flags |= TF_CAN_CLOSE;
    if (r > 2 || flags == 0)
        return i + r;
    flush(c, from, i, i + r);
    push_tok(c, TK_STAR, i, r, flags);
    return i + r;
}

/* The stack of "[" and "![" not yet closed, linked through tok.other. */
struct brackets {
    int32_t top;   /* -1 when empty */
    int32_t floor; /* a "[" before this token would hold a link already made: it cannot link */
};

static size_t on_open(struct ctx *c, size_t i, size_t *from, bool image, struct brackets *br)
{
    size_t n = image ? 2 : 1;
    flush(c, from, i, i + n);
    int32_t k = push_tok(c, TK_OPEN, i, n, image ? TF_IMAGE : 0);
    c->toks[k].other = br->top;
    br->top = k;
    return i + n;
}

static size_t on_close(struct ctx *c, size_t i, size_t *from, struct brackets *br)
{
    if (br->top < 0)
        return i + 1;
    int32_t o = br->top;
    struct tok *open = &c->toks[o];
    br->top = open->other;
    open->other = -1;
    bool image = (open->flags & TF_IMAGE) != 0;
    size_t end = 0;
    if ((!image && o < br->floor) || !find_url_end(c->text, c->text_len, i + 1, &end)) {
        open->kind = TK_TEXT;
        return i + 1;
    }
    flush(c, from, i, end + 1);
    int32_t k = push_tok(c, TK_CLOSE, i + 2, end - (i + 2), 0);
    c->toks[k].other = o;
    c->toks[o].other = k;
    if (!image)
        br->floor = o;
    return end + 1;
}

static void tokenize(struct ctx *c)
{
    const char *t = c->text;
    size_t n = c->text_len, i = 0, from = 0;
    struct brackets br = {.top = -1, .floor = -1};
    c->ntok = 0;
    while (i < n) {
        switch (t[i]) {
        case '\\':
            i = on_backslash(c, i, &from);
            break;
        case '\n':
            i = on_newline(c, i, &from);
            break;
        case '`':
            i = on_backtick(c, i, &from);
            break;
        case '*':
            i = on_star(c, i, &from);
            break;
        case '!':
            i = i + 1 < n && t[i + 1] == '[' ? on_open(c, i, &from, true, &br) : i + 1;
            break;
        case '[':
            i = on_open(c, i, &from, false, &br);
            break;
        case ']':
            i = on_close(c, i, &from, &br);
            break;
        default:
            i++;
        }
    }
    flush(c, &from, n, n);
    for (int32_t k = br.top; k >= 0; k = c->toks[k].other)
        c->toks[k].kind = TK_TEXT;
}

/* ---- inline: emphasis ------------------------------------------------------------------------ */

/* Open runs after token `limit` can no longer close: they become text. top[r]: runs of r. */
static void drop_runs_after(struct ctx *c, int32_t top[3], int32_t limit)
{
    for (int r = 1; r <= 2; r++) {
        while (top[r] > limit) {
            struct tok *t = &c->toks[top[r]];
            top[r] = t->other;
            t->other = -1;
            t->kind = TK_TEXT;
        }
    }
}

static void pair_run(struct ctx *c, int32_t top[3], int32_t floor, int32_t k)
{
    struct tok *t = &c->toks[k];
    int r = (int)t->len;
    if ((t->flags & TF_CAN_CLOSE) && top[r] > floor) {
        int32_t o = top[r];
        top[r] = c->toks[o].other;
        drop_runs_after(c, top, o);
        c->toks[o].other = k;
        t->other = o;
    } else if (t->flags & TF_CAN_OPEN) {
        t->other = top[r];
        top[r] = k;
    } else {
        t->kind = TK_TEXT;
    }
}

/* Pairs asterisk runs; a link or image is a barrier that emphasis does not cross. */
static void pair_emphasis(struct ctx *c)
{
    int32_t top[3] = {-1, -1, -1};
    int32_t floor = -1; /* the innermost open link or image: runs before it are out of reach */
    for (int32_t k = 0; k < (int32_t)c->ntok; k++) {
        struct tok *t = &c->toks[k];
        if (t->kind == TK_OPEN) {
            t->aux = floor;
            floor = k;
        } else if (t->kind == TK_CLOSE) {
            drop_runs_after(c, top, t->other);
            floor = c->toks[t->other].aux;
        } else if (t->kind == TK_STAR) {
            pair_run(c, top, floor, k);
        }
    }
    drop_runs_after(c, top, -1);
}

/* ---- inline: output -------------------------------------------------------------------------- */

static bool enter(struct ctx *c)
{
    if (c->depth >= MD_INLINE_DEPTH_MAX) {
        if (c->rc == MD_OK)
            c->rc = MD_E_DEPTH;
        return false;
    }
    c->depth++;
    return true;
}

static void code_span(struct ctx *c, const char *s, size_t n)
{
    tag(c, "<code>");
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            text(c, s + from, i - from);
            put(c, " ", 1);
            from = i + 1;
        }
    }
    text(c, s + from, n - from);
    tag(c, "</code>");
}

static void open_ref(struct ctx *c, struct tok *t)
{
    const struct tok *close = &c->toks[t->other];
    const char *u = c->text + close->off;
    size_t n = close->len;
    while (n > 0 && is_blank(*u)) {
        u++;
        n--;
    }
    while (n > 0 && is_blank(u[n - 1]))
        n--;
    if (!enter(c))
        return;
    bool image = (t->flags & TF_IMAGE) != 0;
    bool ok = image ? upload_src(u, n) : safe_href(u, n);
    if (c->alt == 0) {
        size_t *count = image ? (ok ? &c->st.images : &c->st.images_dropped)
                              : (ok ? &c->st.links : &c->st.links_dropped);
        (*count)++;
    }
    if (ok && html(c)) {
        tag(c, image ? "<img src=\"" : "<a href=\"");
        text(c, u, n);
        tag(c, image ? "\" alt=\"" : "\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">");
        t->flags |= TF_SHOWN;
    }
    if (image)
        c->alt++;
}

static void close_ref(struct ctx *c, const struct tok *t)
{
    const struct tok *open = &c->toks[t->other];
    c->depth--;
    if (open->flags & TF_IMAGE) {
        c->alt--;
        if (open->flags & TF_SHOWN)
            tag(c, "\" loading=\"lazy\">");
    } else if (open->flags & TF_SHOWN) {
        tag(c, "</a>");
    }
}

static void emphasis(struct ctx *c, const struct tok *t, int32_t k)
{
    bool strong = t->len == 2;
    if (t->other > k) {
        if (enter(c))
            tag(c, strong ? "<strong>" : "<em>");
    } else {
        c->depth--;
        tag(c, strong ? "</strong>" : "</em>");
    }
}

static void write_inline(struct ctx *c)
{
    for (int32_t k = 0; k < (int32_t)c->ntok && c->rc == MD_OK; k++) {
        struct tok *t = &c->toks[k];
        const char *s = c->text + t->off;
        switch ((enum tok_kind)t->kind) {
        case TK_TEXT:
            text(c, s, t->len);
            break;
        case TK_CODE:
            code_span(c, s, t->len);
            break;
        case TK_SOFT:
            put(c, "\n", 1);
            break;
        case TK_HARD:
            put(c, html(c) ? "<br>\n" : "\n", html(c) ? 5 : 1);
            break;
        case TK_STAR:
            emphasis(c, t, k);
            break;
        case TK_OPEN:
            open_ref(c, t);
            break;
        case TK_CLOSE:
            close_ref(c, t);
            break;
        }
    }
    ASSERT(c->rc != MD_OK || (c->depth == 0 && c->alt == 0));
    c->depth = 0;
    c->alt = 0;
}

/* ---- blocks ---------------------------------------------------------------------------------- */

enum blk {
    B_BLANK,
    B_TEXT,
    B_FENCE,
    B_RULE,
    B_HEADING,
    B_QUOTE,
    B_UL,
    B_OL
};

struct cls {
    enum blk kind;
    size_t at; /* where the content starts: after the marker and one blank */
    size_t n;  /* B_HEADING: level 1..3; B_FENCE: backticks */
};

static bool only_blanks(const char *s, size_t i, size_t end)
{
    while (i < end && is_blank(s[i]))
        i++;
    return i == end;
}

static size_t after_marker(const char *s, size_t i, size_t end)
{
    return i < end && is_blank(s[i]) ? i + 1 : i;
}

static struct cls classify(const char *s, const struct line *ln)
{
    size_t i = ln->beg, end = ln->end;
    while (i < end && is_blank(s[i]))
        i++;
    struct cls k = {.kind = B_TEXT, .at = i, .n = 0};
    if (i == end)
        return (struct cls){.kind = B_BLANK, .at = i};
    char ch = s[i];
    size_t r = run_len(s, end, i, ch), digits = 0;
    while (i + digits < end && s[i + digits] >= '0' && s[i + digits] <= '9')
        digits++;
    if (ch == '`' && r >= 3 && memchr(s + i + r, '`', end - i - r) == NULL)
        k = (struct cls){.kind = B_FENCE, .at = i, .n = r};
    else if (ch == '-' && r >= 3 && only_blanks(s, i + r, end))
        k.kind = B_RULE;
    else if (ch == '#' && r <= 3 && i + r < end && is_blank(s[i + r]))
        k = (struct cls){.kind = B_HEADING, .at = i + r + 1, .n = r};
    else if (ch == '>')
        k = (struct cls){.kind = B_QUOTE, .at = after_marker(s, i + 1, end)};
    else if ((ch == '-' || ch == '*') && i + 1 < end && is_blank(s[i + 1]))
        k = (struct cls){.kind = B_UL, .at = i + 2};
    else if (digits >= 1 && digits <= 9 && i + digits + 1 < end && s[i + digits] == '.' &&
             is_blank(s[i + digits + 1]))
        k = (struct cls){.kind = B_OL, .at = i + digits + 2};
    return k;
}

static enum blk kind_of(const struct ctx *c, const struct line *ln)
{
    return classify(c->src, ln).kind;
}

/* Gathers lines [from, to) into the scratch text (the first from byte `at`) and writes them. */
static void inline_block(struct ctx *c, const char *open, const char *close, const struct line *ln,
                         size_t from, size_t to, size_t at)
{
    size_t n = 0;
    for (size_t k = from; k < to; k++) {
        size_t b = k == from ? at : ln[k].beg;
        while (b < ln[k].end && is_blank(c->src[b]))
            b++;
        if (k > from)
            c->text[n++] = '\n';
        memcpy(c->text + n, c->src + b, ln[k].end - b);
        n += ln[k].end - b;
    }
    while (n > 0 && is_blank(c->text[n - 1]))
        n--;
    ASSERT(n <= c->tok_cap);
    c->text_len = n;
    tokenize(c);
    pair_emphasis(c);
    tag(c, open);
    write_inline(c);
    tag(c, close);
    if (c->plain)
        put(c, "\n", 1);
}

static size_t paragraph(struct ctx *c, const struct line *ln, size_t i, size_t n, size_t at)
{
    size_t j = i + 1;
    while (j < n && kind_of(c, &ln[j]) == B_TEXT)
        j++;
    inline_block(c, "<p>", "</p>\n", ln, i, j, at);
    return j;
}

static void heading(struct ctx *c, const struct line *ln, size_t i, struct cls k)
{
    static const char *const tags[3][2] = {
        {"<h2>", "</h2>\n"},
        {"<h3>", "</h3>\n"},
        {"<h4>", "</h4>\n"},
    };
    ASSERT(k.n >= 1 && k.n <= 3);
    inline_block(c, tags[k.n - 1][0], tags[k.n - 1][1], ln, i, i + 1, k.at);
}

static size_t list(struct ctx *c, const struct line *ln, size_t i, size_t n, enum blk kind)
{
    tag(c, kind == B_UL ? "<ul>\n" : "<ol>\n");
    while (c->rc == MD_OK) {
        struct cls item = classify(c->src, &ln[i]);
        ASSERT(item.kind == kind);
        size_t j = i + 1;
        while (j < n && kind_of(c, &ln[j]) == B_TEXT)
            j++;
        inline_block(c, "<li>", "</li>\n", ln, i, j, item.at);
        i = j;
        while (j < n && kind_of(c, &ln[j]) == B_BLANK)
            j++;
        if (j == n || kind_of(c, &ln[j]) != kind)
            break;
        i = j;
    }
    tag(c, kind == B_UL ? "</ul>\n" : "</ol>\n");
    return i;
}

/* A line closing a fence of `ticks` backticks: at least as many, then nothing but blanks. */
static bool fence_end(const char *s, const struct line *ln, size_t ticks)
{
    size_t i = ln->beg;
    while (i < ln->end && is_blank(s[i]))
        i++;
    size_t r = run_len(s, ln->end, i, '`');
    return r >= ticks && only_blanks(s, i + r, ln->end);
}

static size_t fence(struct ctx *c, const struct line *ln, size_t i, size_t n, size_t ticks)
{
    tag(c, "<pre><code>");
    size_t j = i + 1;
    while (j < n && c->rc == MD_OK && !fence_end(c->src, &ln[j], ticks)) {
        text(c, c->src + ln[j].beg, ln[j].end - ln[j].beg);
        put(c, "\n", 1);
        j++;
    }
    tag(c, "</code></pre>\n");
    return j < n ? j + 1 : j;
}

static void blocks(struct ctx *c, struct line *ln, size_t n, int quote_depth);

/* The run of ">" lines from i, without their markers, parsed as blocks again. */
static size_t quote(struct ctx *c, struct line *ln, size_t i, size_t n, int quote_depth)
{
    size_t j = i;
    struct cls k;
    while (j < n && (k = classify(c->src, &ln[j])).kind == B_QUOTE) {
        ln[j].beg = (uint32_t)k.at;
        j++;
    }
    if (quote_depth >= MD_QUOTE_DEPTH_MAX) {
        c->rc = MD_E_DEPTH;
        return j;
    }
    tag(c, "<blockquote>\n");
    blocks(c, ln + i, j - i, quote_depth + 1);
    tag(c, "</blockquote>\n");
    return j;
}

static void blocks(struct ctx *c, struct line *ln, size_t n, int quote_depth)
{
    size_t i = 0;
    while (i < n && c->rc == MD_OK) {
        struct cls k = classify(c->src, &ln[i]);
        switch (k.kind) {
        case B_BLANK:
            i++;
            break;
        case B_RULE:
            tag(c, "<hr>\n");
            i++;
            break;
        case B_FENCE:
            i = fence(c, ln, i, n, k.n);
            break;
        case B_HEADING:
            heading(c, ln, i, k);
            i++;
            break;
        case B_QUOTE:
            i = quote(c, ln, i, n, quote_depth);
            break;
        case B_UL:
        case B_OL:
            i = list(c, ln, i, n, k.kind);
            break;
        case B_TEXT:
            i = paragraph(c, ln, i, n, k.at);
            break;
        }
    }
}

/* ---- input and entry points ------------------------------------------------------------------ */

/* The line starting at pos ends at *end; returns where the next one starts. */
static size_t next_line(const char *s, size_t len, size_t pos, size_t *end)
{
    size_t i = pos;
    while (i < len && s[i] != '\n' && s[i] != '\r')
        i++;
    *end = i;
    if (i + 1 < len && s[i] == '\r' && s[i + 1] == '\n')
        return i + 2;
    return i < len ? i + 1 : i;
}

/* Size, UTF-8, control characters, line count; *nlines (OUT) on success. */
static enum md_rc check_input(const char *s, size_t len, size_t *nlines, size_t *bad)
{
    if (len > MD_INPUT_BYTES_MAX)
        return MD_E_INPUT_SIZE;
    size_t ok = utf8_valid_prefix(s, len);
    if (ok < len) {
        *bad = ok;
        return MD_E_UTF8;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)s[i];
        /* In valid UTF-8, 0xC2 is always a lead byte: C2 80..C2 9F is U+0080..U+009F. */
        bool c1 = b == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] <= 0x9f;
        if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f || c1) {
            *bad = i;
            return MD_E_CONTROL;
        }
    }
    size_t n = 0, end = 0;
    for (size_t pos = 0; pos < len; pos = next_line(s, len, pos, &end)) {
        if (n == MD_LINES_MAX) {
            *bad = pos;
            return MD_E_LINES;
        }
        n++;
    }
    *nlines = n;
    return MD_OK;
}

static enum md_rc render_lines(struct ctx *c, size_t len, size_t nlines)
{
    struct line *ln = malloc(nlines * sizeof *ln);
    c->text = malloc(len + 1);
    c->tok_cap = len + 1;
    c->toks = malloc(c->tok_cap * sizeof *c->toks);
    if (ln == NULL || c->text == NULL || c->toks == NULL) {
        c->rc = MD_E_NOMEM;
        goto out_free;
    }
    size_t pos = 0, end = 0;
    for (size_t k = 0; k < nlines; k++) {
        size_t next = next_line(c->src, len, pos, &end);
        ln[k] = (struct line){.beg = (uint32_t)pos, .end = (uint32_t)end};
        pos = next;
    }
    ASSERT(pos == len);
    blocks(c, ln, nlines, 0);
out_free:
    free(c->toks);
    free(c->text);
    free(ln);
    return c->rc;
}

static enum md_rc run(const char *src, size_t len, struct buf *out, struct md_stats *stats,
                      bool plain)
{
    ASSERT(out != NULL);
    ASSERT(src != NULL || len == 0);
    struct ctx c = {.src = src, .out = out, .out_start = out->len, .plain = plain, .rc = MD_OK};
    bool overflow = out->overflow;
    size_t nlines = 0;
    c.rc = check_input(src, len, &nlines, &c.st.error_offset);
    if (c.rc == MD_OK && overflow)
        c.rc = MD_E_OUTPUT_SIZE;
    if (c.rc == MD_OK && nlines > 0)
        render_lines(&c, len, nlines);
    if (c.rc != MD_OK) {
        out->len = c.out_start;
        if (out->data != NULL)
            out->data[out->len] = '\0';
        out->overflow = overflow;
        c.st = (struct md_stats){.error_offset = c.st.error_offset};
    }
    if (stats != NULL)
        *stats = c.st;
    return c.rc;
}

enum md_rc md_render(const char *src, size_t len, struct buf *out, struct md_stats *stats)
{
    return run(src, len, out, stats, false);
}

enum md_rc md_plain_text(const char *src, size_t len, struct buf *out, struct md_stats *stats)
{
    return run(src, len, out, stats, true);
}

const char *md_rc_str(enum md_rc rc)
{
    switch (rc) {
    case MD_OK:
        return "ok";
    case MD_E_INPUT_SIZE:
        return "text too long";
    case MD_E_UTF8:
        return "invalid UTF-8";
    case MD_E_CONTROL:
        return "control character in text";
    case MD_E_LINES:
        return "too many lines";
    case MD_E_DEPTH:
        return "quotes or emphasis nested too deep";
    case MD_E_OUTPUT_SIZE:
        return "rendered text too long";
    case MD_E_NOMEM:
        return "out of memory";
    }
    return "unknown markdown error";
}
