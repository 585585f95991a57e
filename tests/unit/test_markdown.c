/*
 * test_markdown.c - unit tests of core/markdown: every construct of the subset, escaping, a table
 * of script-injection attempts, the limits just under and just over, invalid input, plain-text
 * extraction, and inputs built to make a naive parser slow.
 *
 * Every HTML output in this file also goes through assert_safe_html, an independent checker of
 * what the renderer may ever produce: only its own tags, properly nested; on <a> exactly href, rel
 * and target, on <img> exactly src, alt and loading; values double-quoted and escaped; hrefs with
 * an allowed scheme and srcs that are uploads; no raw quote or ">" in text. Random documents built
 * from Markdown's special characters are held to it as well.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "core/markdown.h"

#define HEX16    "0123456789abcdef"
#define UP16     "/uploads/" HEX16                   /* the shortest upload id */
#define UP64     "/uploads/" HEX16 HEX16 HEX16 HEX16 /* the longest */
#define REL      "rel=\"nofollow noopener noreferrer\" target=\"_blank\""
#define A(href)  "<a href=\"" href "\" " REL ">" /* the opening tag of a kept link */
#define IMG(alt) "<img src=\"" UP16 "\" alt=\"" alt "\" loading=\"lazy\">"

/* ---- the output checker ---------------------------------------------------------------------- */

static const char *const entities[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};

static size_t entity_len(const char *p)
{
    for (size_t k = 0; k < sizeof entities / sizeof entities[0]; k++)
        if (strncmp(p, entities[k], strlen(entities[k])) == 0)
            return strlen(entities[k]);
    fail_msg("'&' that is not one of the renderer's entities at \"%.20s\"", p);
    return 0;
}

/* name is one of the words of list, which starts and ends with a space. */
static bool one_of(const char *name, const char *list)
{
    char w[24];
    snprintf(w, sizeof w, " %s ", name);
    return strstr(list, w) != NULL;
}

static bool is_upload(const char *v, size_t n)
{
    size_t p = strlen(MD_UPLOAD_PREFIX);
    if (n < p + MD_UPLOAD_ID_HEX_MIN || n > p + MD_UPLOAD_ID_HEX_MAX ||
        strncmp(v, MD_UPLOAD_PREFIX, p) != 0)
        return false;
    return strspn(v + p, "0123456789abcdef") >= n - p;
}

/* One attribute value, name="value": checks it against what `attr` may hold. */
static void check_value(const char *attr, const char *v, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (v[k] == '<' || v[k] == '>')
            fail_msg("raw '%c' in attribute %s", v[k], attr);
        if (v[k] == '&')
            k += entity_len(v + k) - 1;
    }
    if (strcmp(attr, "href") == 0) {
        bool ok = strncasecmp(v, "https://", 8) == 0 || strncasecmp(v, "http://", 7) == 0 ||
                  strncasecmp(v, "mailto:", 7) == 0;
        if (!ok)
            fail_msg("href \"%.*s\" has no allowed scheme", (int)n, v);
    } else if (strcmp(attr, "src") == 0) {
        assert_true(is_upload(v, n));
    } else {
        const char *fixed = strcmp(attr, "rel") == 0       ? "nofollow noopener noreferrer"
                            : strcmp(attr, "target") == 0  ? "_blank"
                            : strcmp(attr, "loading") == 0 ? "lazy"
                                                           : NULL;
        if (fixed != NULL && (strlen(fixed) != n || strncmp(v, fixed, n) != 0))
            fail_msg("%s=\"%.*s\"", attr, (int)n, v);
    }
}

/* Elements open at a point of the output, innermost last. */
struct open_tags {
    char name[64][16];
    int depth;
};

/* The attributes of the tag at h[i] (just after its name), checked; returns the index of ">". */
static size_t check_attrs(const char *h, size_t i, char *names, size_t cap)
{
    size_t used = 0;
    while (h[i] == ' ') {
        size_t a = strspn(h + i + 1, "abcdefghijklmnopqrstuvwxyz");
        assert_true(a > 0 && a < 16 && used + a + 2 < cap);
        char attr[16] = {0};
        memcpy(attr, h + i + 1, a);
        memcpy(names + used, attr, a);
        names[used + a] = ' ';
        used += a + 1;
        names[used] = '\0';
        i += 1 + a;
        if (h[i] != '=' || h[i + 1] != '"')
            fail_msg("attribute %s without a double-quoted value", attr);
        const char *v = h + i + 2, *q = strchr(v, '"');
        assert_non_null(q);
        check_value(attr, v, (size_t)(q - v));
        i = (size_t)(q - h) + 1;
    }
    return i;
}

/* The tag after "<" at h[i]; returns the index after its ">". */
static size_t check_tag(const char *h, size_t i, struct open_tags *open)
{
    bool closing = h[i] == '/';
    i += closing;
    char name[16] = {0}, attrs[64] = {0};
    size_t n = strspn(h + i, "abcdefghijklmnopqrstuvwxyz0123456789");
    assert_true(n > 0 && n < sizeof name);
    memcpy(name, h + i, n);
    if (!one_of(name, " p h2 h3 h4 ul ol li pre code blockquote hr br a img em strong "))
        fail_msg("tag <%s> is not one the renderer writes", name);
    i = closing ? i + n : check_attrs(h, i + n, attrs, sizeof attrs);
    assert_int_equal(h[i], '>');
    const char *want = strcmp(name, "a") == 0     ? "href rel target "
                       : strcmp(name, "img") == 0 ? "src alt loading "
                                                  : "";
    if (!closing && strcmp(attrs, want) != 0)
        fail_msg("<%s> with attributes \"%s\", not \"%s\"", name, attrs, want);
    if (closing) {
        assert_true(open->depth > 0);
        assert_string_equal(open->name[--open->depth], name);
    } else if (!one_of(name, " br hr img ")) {
        assert_true(open->depth < 64);
        memcpy(open->name[open->depth++], name, sizeof name);
    }
    return i + 1;
}

static void assert_safe_html(const char *h)
{
    struct open_tags open = {.depth = 0};
    size_t i = 0;
    while (h[i] != '\0') {
        char ch = h[i];
        if (ch == '<') {
            i = check_tag(h, i + 1, &open);
            continue;
        }
        if (ch == '"' || ch == '\'' || ch == '>')
            fail_msg("raw '%c' in text at \"%.20s\"", ch, h + i);
        i += ch == '&' ? entity_len(h + i) : 1;
    }
    if (open.depth != 0)
        fail_msg("<%s> left open", open.name[open.depth - 1]);
}

/* ---- helpers --------------------------------------------------------------------------------- */

/* Renders md[0..len) into a fresh buffer; checks the result code and, for HTML, the output. */
static char *run_len(const char *md, size_t len, bool plain, enum md_rc want, struct md_stats *st)
{
    struct buf b;
    buf_init(&b, 4 * MD_OUTPUT_BYTES_MAX);
    struct md_stats local;
    struct md_stats *s = st != NULL ? st : &local;
    enum md_rc rc = plain ? md_plain_text(md, len, &b, s) : md_render(md, len, &b, s);
    if (rc != want)
        fail_msg("\"%.60s\": %s, want %s", md, md_rc_str(rc), md_rc_str(want));
    if (rc != MD_OK)
        assert_int_equal(b.len, 0);
    char *out = buf_steal(&b, NULL);
    assert_non_null(out);
    if (!plain)
        assert_safe_html(out);
    return out;
}

static char *html_of(const char *md)
{
    return run_len(md, strlen(md), false, MD_OK, NULL);
}

/* The output of md_render (or md_plain_text) for md is exactly `want`. */
static void assert_output(bool plain, const char *md, const char *want)
{
    char *got = run_len(md, strlen(md), plain, MD_OK, NULL);
    if (strcmp(got, want) != 0)
        fail_msg("input  \"%s\"\ngot    \"%s\"\nwanted \"%s\"", md, got, want);
    free(got);
}

#define assert_html(md, want)  assert_output(false, md, want)
#define assert_plain(md, want) assert_output(true, md, want)

static void assert_rc(const char *md, size_t len, enum md_rc want)
{
    free(run_len(md, len, false, want, NULL));
    free(run_len(md, len, true, want, NULL));
}

static char *repeat(const char *unit, size_t times)
{
    size_t n = strlen(unit);
    char *s = malloc(n * times + 1);
    assert_non_null(s);
    for (size_t k = 0; k < times; k++)
        memcpy(s + k * n, unit, n);
    s[n * times] = '\0';
    return s;
}

/* ---- blocks ---------------------------------------------------------------------------------- */

static void test_paragraphs(void **state)
{
    (void)state;
    assert_html("", "");
    assert_html("\n\n  \n", "");
    assert_html("hello", "<p>hello</p>\n");
    assert_html("a\nb\n\nc", "<p>a\nb</p>\n<p>c</p>\n");
    assert_html("  indented\n\tline  ", "<p>indented\nline</p>\n");
    assert_html("a\r\nb\rc\r\n\r\nd", "<p>a\nb\nc</p>\n<p>d</p>\n");
    assert_html("财富号 基金", "<p>财富号 基金</p>\n");
}

static void test_headings(void **state)
{
    (void)state;
    assert_html("# One", "<h2>One</h2>\n");
    assert_html("## Two\n### Three", "<h3>Two</h3>\n<h4>Three</h4>\n");
    assert_html("text\n# Head\ntext", "<p>text</p>\n<h2>Head</h2>\n<p>text</p>\n");
    assert_html("#### Four", "<p>#### Four</p>\n");
    assert_html("#NoSpace", "<p>#NoSpace</p>\n");
    assert_html("# **bold** head #", "<h2><strong>bold</strong> head #</h2>\n");
}

static void test_lists(void **state)
{
    (void)state;
    assert_html("- a\n* b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
    assert_html("1. x\n22. y\n3. z", "<ol>\n<li>x</li>\n<li>y</li>\n<li>z</li>\n</ol>\n");
    /* Continuation lines, blank lines between items, and an indented item (one level only). */
    assert_html("- a\n  more\n\n- b\n  - c",
                "<ul>\n<li>a\nmore</li>\n<li>b</li>\n<li>c</li>\n</ul>\n");
    assert_html("- a\n1. b", "<ul>\n<li>a</li>\n</ul>\n<ol>\n<li>b</li>\n</ol>\n");
    assert_html("- a\n\ntext", "<ul>\n<li>a</li>\n</ul>\n<p>text</p>\n");
    assert_html("text\n- a", "<p>text</p>\n<ul>\n<li>a</li>\n</ul>\n");
    assert_html("- *em* [l](https://x.example/)",
                "<ul>\n<li><em>em</em> " A("https://x.example/") "l</a></li>\n</ul>\n");
    /* Not items. */
    assert_html("-a\n1.b\n1234567890. c\n*b*", "<p>-a\n1.b\n1234567890. c\n<em>b</em></p>\n");
}

static void test_quotes(void **state)
{
    (void)state;
    assert_html("> a\n>b", "<blockquote>\n<p>a\nb</p>\n</blockquote>\n");
    assert_html("> a\n>\n> - c\n> > d\n> ```\n> <x>\ne",
                "<blockquote>\n<p>a</p>\n<ul>\n<li>c</li>\n</ul>\n<blockquote>\n<p>d</p>\n"
                "</blockquote>\n<pre><code>&lt;x&gt;\n</code></pre>\n</blockquote>\n<p>e</p>\n");
    assert_html("> # h", "<blockquote>\n<h2>h</h2>\n</blockquote>\n");
}

static void test_code_blocks(void **state)
{
    (void)state;
    assert_html("```js\nif (a < b) {\n  *x* [y](z)\n}\n```\nafter",
                "<pre><code>if (a &lt; b) {\n  *x* [y](z)\n}\n</code></pre>\n<p>after</p>\n");
    assert_html("```\ncode", "<pre><code>code\n</code></pre>\n");
    assert_html("````\n```\n````", "<pre><code>```\n</code></pre>\n");
    assert_html("```\n\n\n```", "<pre><code>\n\n</code></pre>\n");
    assert_html("para\n```\nx\n```  ", "<p>para</p>\n<pre><code>x\n</code></pre>\n");
    /* A backtick after the opening run makes it inline code, not a fence. */
    assert_html("``` a`b", "<p>``` a`b</p>\n");
    assert_html("```a``` b", "<p><code>a</code> b</p>\n");
}

static void test_rules(void **state)
{
    (void)state;
    assert_html("a\n---\nb", "<p>a</p>\n<hr>\n<p>b</p>\n");
    assert_html("-----  ", "<hr>\n");
    assert_html("--\n--- x\n- - -", "<p>--\n--- x</p>\n<ul>\n<li>- -</li>\n</ul>\n");
}

/* ---- inline ---------------------------------------------------------------------------------- */

static void test_emphasis(void **state)
{
    (void)state;
    assert_html("**b** *i* a*b*c", "<p><strong>b</strong> <em>i</em> a<em>b</em>c</p>\n");
    assert_html("**a *b* c**", "<p><strong>a <em>b</em> c</strong></p>\n");
    assert_html("*a **b* c**", "<p><em>a **b</em> c**</p>\n");
    assert_html("***t*** ** a** *a *b", "<p>***t*** ** a** *a *b</p>\n");
    assert_html("2 * 3 * 4", "<p>2 * 3 * 4</p>\n");
    assert_html("*a\nb*", "<p><em>a\nb</em></p>\n");
    /* Emphasis does not cross a link's edge. */
    assert_html("*a [b*](https://x.example/) c*",
                "<p><em>a " A("https://x.example/") "b*</a> c</em></p>\n");
    assert_html("[*a](https://x.example/)*", "<p>" A("https://x.example/") "*a</a>*</p>\n");
}

static void test_code_spans(void **state)
{
    (void)state;
    assert_html("`a*b*` `[x](https://y.example/)`",
                "<p><code>a*b*</code> <code>[x](https://y.example/)</code></p>\n");
    assert_html("``a ` b``", "<p><code>a ` b</code></p>\n");
    assert_html("` a ` `  `", "<p><code>a</code> <code>  </code></p>\n");
    assert_html("`a\nb`", "<p><code>a b</code></p>\n");
    assert_html("`open ``", "<p>`open ``</p>\n");
    assert_html("\\`not`", "<p>`not`</p>\n");
}

static void test_escapes_and_breaks(void **state)
{
    (void)state;
    assert_html("\\*a\\* \\[x\\](y) \\q \\\\", "<p>*a* [x](y) \\q \\</p>\n");
    assert_html("a  \nb\\\nc\nd", "<p>a<br>\nb<br>\nc\nd</p>\n");
    assert_html("end  ", "<p>end</p>\n");
    assert_html("end\\", "<p>end\\</p>\n");
    assert_html("a \t\nb", "<p>a\nb</p>\n");
}

static void test_links(void **state)
{
    (void)state;
    assert_html("[site](https://example.com/a?b=1&c=2)",
                "<p>" A("https://example.com/a?b=1&amp;c=2") "site</a></p>\n");
    assert_html("[m](MAILTO:x@y.example) [h](HTTP://A.example)",
                "<p>" A("MAILTO:x@y.example") "m</a> " A("HTTP://A.example") "h</a></p>\n");
    assert_html("[w](https://x.example/Fund_(finance))",
                "<p>" A("https://x.example/Fund_(finance)") "w</a></p>\n");
    assert_html("[x](  https://a.example\t)", "<p>" A("https://a.example") "x</a></p>\n");
    assert_html("[**b** `c`](https://a.example/)",
                "<p>" A("https://a.example/") "<strong>b</strong> <code>c</code></a></p>\n");
    /* Not links: a space before "(", no ")", a ")" on the next line, a title. */
    assert_html("[x] (https://a.example)", "<p>[x] (https://a.example)</p>\n");
    assert_html("[x](https://a.example", "<p>[x](https://a.example</p>\n");
    assert_html("[x](https://a\n.example)", "<p>[x](https://a\n.example)</p>\n");
    assert_html("[x](https://a.example \"t\")", "<p>x</p>\n");
    assert_html("[x]", "<p>[x]</p>\n");
    assert_html("a ] b [ c", "<p>a ] b [ c</p>\n");
    /* Nested brackets; an inner link wins over an outer one. */
    assert_html("[a [b] c](https://a.example/)", "<p>" A("https://a.example/") "a [b] c</a></p>\n");
    assert_html("[[x](https://a.example/)](https://b.example/)",
                "<p>[" A("https://a.example/") "x</a>](https://b.example/)</p>\n");
}

static void test_url_length(void **state)
{
    (void)state;
    char *path = repeat("a", MD_URL_BYTES_MAX - strlen("https://x/"));
    char md[MD_URL_BYTES_MAX + 64];
    snprintf(md, sizeof md, "[x](https://x/%s)", path);
    char *got = html_of(md);
    assert_non_null(strstr(got, "<a href="));
    free(got);
    snprintf(md, sizeof md, "[x](https://x/%sb)", path);
    got = html_of(md);
    assert_null(strstr(got, "<a "));
    assert_non_null(strstr(got, "[x](https://x/aaa"));
    free(got);
    free(path);
}

static void test_images(void **state)
{
    (void)state;
    assert_html("![logo](" UP16 ")", "<p>" IMG("logo") "</p>\n");
    assert_html("![a *b* `c` [d](https://x.example/)](" UP16 ")", "<p>" IMG("a b c d") "</p>\n");
    assert_html("[![a](" UP16 ")](https://x.example/)",
                "<p>" A("https://x.example/") IMG("a") "</a></p>\n");
    char *got = html_of("![x](" UP64 ")");
    assert_non_null(strstr(got, "<img src=\"" UP64 "\""));
    free(got);
    /* Too short, too long, upper case, other prefixes: the alt only, with its markup. */
    static const char *const refused[] = {"![*x*](/uploads/0123456789abcde)",
                                          "![*x*](" UP64 "0)",
                                          "![*x*](/uploads/0123456789ABCDEF)",
                                          "![*x*](/UPLOADS/0123456789abcdef)",
                                          "![*x*](uploads/0123456789abcdef)",
                                          "![*x*](https://cdn.example" UP16 ")",
                                          "![*x*](" UP16 "?a=1)",
                                          "![*x*](" UP16 "/)"};
    for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++)
        assert_html(refused[k], "<p>x</p>\n");
}

static void test_stats(void **state)
{
    (void)state;
    const char *md = "[a](https://a.example/) [b](javascript:x) [c](mailto:c@d.example)\n"
                     "![i](" UP16 ") ![j](https://x.example/j.png) ![k](" UP16 ")\n"
                     "![alt [l](https://a.example/)](" UP16 ")";
    for (int plain = 0; plain <= 1; plain++) {
        struct md_stats st;
        memset(&st, 0x5e, sizeof st);
        free(run_len(md, strlen(md), plain, MD_OK, &st));
        assert_int_equal(st.links, 2);
        assert_int_equal(st.links_dropped, 1);
        assert_int_equal(st.images, 3);
        assert_int_equal(st.images_dropped, 1);
        assert_int_equal(st.error_offset, 0);
    }
    free(run_len("x", 1, false, MD_OK, NULL)); /* stats may be NULL */
}

/* ---- escaping and injection ------------------------------------------------------------------ */

static void test_escaping(void **state)
{
    (void)state;
    const char *sp = "&amp; &lt; &gt; &quot; &#39;";
    char want[256];
    snprintf(want, sizeof want, "<p>%s</p>\n", sp);
    assert_html("& < > \" '", want);
    snprintf(want, sizeof want, "<h2>%s</h2>\n", sp);
    assert_html("# & < > \" '", want);
    snprintf(want, sizeof want, "<ul>\n<li>%s</li>\n</ul>\n", sp);
    assert_html("- & < > \" '", want);
    snprintf(want, sizeof want, "<blockquote>\n<p>%s</p>\n</blockquote>\n", sp);
    assert_html("> & < > \" '", want);
    snprintf(want, sizeof want, "<p><code>%s</code></p>\n", sp);
    assert_html("`& < > \" '`", want);
    snprintf(want, sizeof want, "<pre><code>%s\n</code></pre>\n", sp);
    assert_html("```\n& < > \" '\n```", want);
    snprintf(want, sizeof want,
             "<p>" A("https://x.example/?a=1&amp;b=&lt;&gt;&quot;&#39;") "%s</a></p>\n", sp);
    assert_html("[& < > \" '](https://x.example/?a=1&b=<>\"')", want);
    snprintf(want, sizeof want, "<p>" IMG("%s") "</p>\n", sp);
    assert_html("![& < > \" '](" UP16 ")", want);
    /* Entities in the input are text, shown as typed. */
    assert_html("&amp; &#60; &lt;", "<p>&amp;amp; &amp;#60; &amp;lt;</p>\n");
    /* Plain text is not HTML: nothing escaped. */
    assert_plain("& < > \" ' &amp;", "& < > \" ' &amp;\n");
}

struct attack {
    const char *md;
    const char *html; /* the exact output; NULL: only the generic checks */
    bool url_hidden;  /* the attack was a url: it must not show at all */
};

static const struct attack attacks[] = {
    {"<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n", false},
    {"<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n", false},
    {"<a href=\"javascript:alert(1)\">x</a>", NULL, false},
    {"<iframe src=//evil.example></iframe><svg onload=alert(1)>", NULL, false},
    {"<!-- x --><style>*{}</style>", NULL, false},
    {"[x](javascript:alert(1))", "<p>x</p>\n", true},
    {"[x](JAVASCRIPT:alert(1))", "<p>x</p>\n", true},
    {"[x](JaVaScRiPt:alert(1))", "<p>x</p>\n", true},
    {"[x](java&#115;cript:alert(1))", "<p>x</p>\n", true},
    {"[x](&#106;avascript:alert(1))", "<p>x</p>\n", true},
    {"[x](&#x6A;avascript&colon;alert(1))", "<p>x</p>\n", true},
    {"[x](%6Aavascript:alert(1))", "<p>x</p>\n", true},
    {"[x](  javascript:alert(1))", "<p>x</p>\n", true},
    {"[x](java\tscript:alert(1))", "<p>x</p>\n", true},
    {"[x](\tjavascript:alert(1))", "<p>x</p>\n", true},
    {"[x](\xc2\xa0javascript:alert(1))", "<p>x</p>\n", true},
    {"[x](\xef\xbd\x8a\xef\xbd\x81vascript:alert(1))", "<p>x</p>\n", true},
    {"[x](<javascript:alert(1)>)", "<p>x</p>\n", true},
    {"[x](javascript://%0Aalert(1))", "<p>x</p>\n", true},
    {"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "<p>x</p>\n", true},
    {"[x](vbscript:msgbox(1))", "<p>x</p>\n", true},
    {"[x](file:///etc/passwd)", "<p>x</p>\n", true},
    {"[x](//evil.example/)", "<p>x</p>\n", true},
    {"[x](/relative/javascript:alert(1))", "<p>x</p>\n", true},
    {"[x](./javascript:alert(1))", "<p>x</p>\n", true},
    {"[x](https:javascript:alert(1))", "<p>x</p>\n", true},
    {"[x](https:///javascript:alert(1))", "<p>x</p>\n", true},
    {"[x](https://ok.example/ onclick=alert(1))", "<p>x</p>\n", true},
    {"[x](javascript:alert(1) \"https://ok.example/\")", "<p>x</p>\n", true},
    {"![x](javascript:alert(1))", "<p>x</p>\n", true},
    {"![x](https://evil.example/a.png)", "<p>x</p>\n", true},
    {"![x](/uploads/../etc/passwd)", "<p>x</p>\n", true},
    {"![x](/uploads/0123456789abcdef/../../x)", "<p>x</p>\n", true},
    {"![x](" UP16 "\" onerror=\"alert(1))", "<p>x</p>\n", true},
    {"![x](" UP16 "\"onerror=\"alert(1))", "<p>x</p>\n", true},
    {"![x](data:image/svg+xml;base64,PHN2Zz4=)", "<p>x</p>\n", true},
    {"[x](https://ok.example/\"onmouseover=\"alert(1))",
     "<p>" A("https://ok.example/&quot;onmouseover=&quot;alert(1)") "x</a></p>\n", false},
    {"[x](https://ok.example/'><script>alert(1)</script>)",
     "<p>" A("https://ok.example/&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;") "x</a></p>\n",
     false},
    {"[x](mailto:a@b.example?subject=\"><script>)",
     "<p>" A("mailto:a@b.example?subject=&quot;&gt;&lt;script&gt;") "x</a></p>\n", false},
    {"[a `\"b'` \"c\"](https://ok.example/)",
     "<p>" A("https://ok.example/") "a <code>&quot;b&#39;</code> &quot;c&quot;</a>"
                                    "</p>\n",
     false},
    {"[<img src=x onerror=alert(1)>](https://ok.example/)",
     "<p>" A("https://ok.example/") "&lt;img src=x onerror=alert(1)&gt;</a></p>\n", false},
    {"![x\" onerror=\"alert(1)](" UP16 ")", "<p>" IMG("x&quot; onerror=&quot;alert(1)") "</p>\n",
     false},
    {"![<script>](" UP16 ")", "<p>" IMG("&lt;script&gt;") "</p>\n", false},
    {"[[x](javascript:alert(1))](https://ok.example/)", "<p>[x](https://ok.example/)</p>\n", true},
    {"[x [y](javascript:alert(1)) z](javascript:alert(2))", "<p>[x y z](javascript:alert(2))</p>\n",
     false},
    {"**<b>bold</b>**", "<p><strong>&lt;b&gt;bold&lt;/b&gt;</strong></p>\n", false},
    {"```\n<script>alert(1)</script>\n```",
     "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>\n", false},
    {"`<script>`", "<p><code>&lt;script&gt;</code></p>\n", false},
    {"> <script>", "<blockquote>\n<p>&lt;script&gt;</p>\n</blockquote>\n", false},
    {"# <script>", "<h2>&lt;script&gt;</h2>\n", false},
    {"\\<script>", "<p>&lt;script&gt;</p>\n", false},
    {"<scr<script>ipt>", "<p>&lt;scr&lt;script&gt;ipt&gt;</p>\n", false},
};

/* True when `needle` occurs inside a tag of h, outside its quoted attribute values. */
static bool tag_has(const char *h, const char *needle)
{
    bool in_tag = false, in_value = false;
    for (; *h != '\0'; h++) {
        if (!in_tag)
            in_tag = *h == '<';
        else if (*h == '"')
            in_value = !in_value;
        else if (!in_value && *h == '>')
            in_tag = false;
        else if (!in_value && strncasecmp(h, needle, strlen(needle)) == 0)
            return true;
    }
    return false;
}

static void test_injection_table(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof attacks / sizeof attacks[0]; k++) {
        const struct attack *a = &attacks[k];
        char *got = html_of(a->md); /* also runs assert_safe_html */
        if (strcasestr(got, "<script") || strcasestr(got, "<img src=x") ||
            strcasestr(got, "<a href=\"javascript"))
            fail_msg("row %zu: markup passed through: %s", k, got);
        if (tag_has(got, "javascript:") || tag_has(got, " on"))
            fail_msg("row %zu: a tag with a script url or an event attribute: %s", k, got);
        if (a->url_hidden && (strcasestr(got, "javascript") || strcasestr(got, "data:") ||
                              strcasestr(got, "script:") || strcasestr(got, "passwd")))
            fail_msg("row %zu: refused url still shown: %s", k, got);
        if (a->html != NULL && strcmp(got, a->html) != 0)
            fail_msg("row %zu: input \"%s\"\ngot    \"%s\"\nwanted \"%s\"", k, a->md, got, a->html);
        free(got);
    }
}

/* ---- limits and bad input -------------------------------------------------------------------- */

static void test_size_limits(void **state)
{
    (void)state;
    char *s = repeat("a", MD_INPUT_BYTES_MAX + 1);
    assert_rc(s, MD_INPUT_BYTES_MAX, MD_OK);
    assert_rc(s, MD_INPUT_BYTES_MAX + 1, MD_E_INPUT_SIZE);
    free(s);
    /* "<p>" + 4 bytes per "<" + "</p>\n": 65534 of them make exactly 256 KiB. */
    size_t k = (MD_OUTPUT_BYTES_MAX - 8) / 4;
    s = repeat("<", k + 1);
    char *got = run_len(s, k, false, MD_OK, NULL);
    assert_int_equal(strlen(got), MD_OUTPUT_BYTES_MAX);
    free(got);
    free(run_len(s, k + 1, false, MD_E_OUTPUT_SIZE, NULL));
    /* The same text is short enough as plain text. */
    got = run_len(s, k + 1, true, MD_OK, NULL);
    assert_int_equal(strlen(got), k + 2);
    free(got);
    free(s);
}

static void test_lines_limit(void **state)
{
    (void)state;
    char *s = repeat("a\n", MD_LINES_MAX + 1);
    assert_rc(s, 2 * MD_LINES_MAX, MD_OK);
    assert_rc(s, 2 * MD_LINES_MAX - 1, MD_OK); /* the last line without its end */
    struct md_stats st;
    free(run_len(s, 2 * MD_LINES_MAX + 1, false, MD_E_LINES, &st));
    assert_int_equal(st.error_offset, 2 * MD_LINES_MAX);
    free(s);
    s = repeat("\r\n", MD_LINES_MAX + 1);
    assert_rc(s, 2 * MD_LINES_MAX, MD_OK);
    assert_rc(s, 2 * MD_LINES_MAX + 2, MD_E_LINES);
    free(s);
}

/* d emphases open at once: "*w **w *w ... w* w** w*". */
static char *nested_emphasis(int d)
{
    char *s = calloc((size_t)d * 8 + 1, 1);
    assert_non_null(s);
    size_t n = 0;
    for (int k = 0; k < d; k++)
        n += (size_t)snprintf(s + n, 9, "%sw ", k % 2 ? "**" : "*");
    for (int k = d - 1; k >= 0; k--)
        n += (size_t)snprintf(s + n, 9, "w%s ", k % 2 ? "**" : "*");
    return s;
}

static void test_depth_limits(void **state)
{
    (void)state;
    char *s = nested_emphasis(MD_INLINE_DEPTH_MAX);
    char *got = html_of(s);
    assert_non_null(strstr(got, "<em>w <strong>w <em>w <strong>w "));
    free(got);
    free(s);
    s = nested_emphasis(MD_INLINE_DEPTH_MAX + 1);
    assert_rc(s, strlen(s), MD_E_DEPTH);
    free(s);
    /* Links and images count too. */
    s = repeat("![", MD_INLINE_DEPTH_MAX + 1);
    char *close = repeat("](" UP16 ")", MD_INLINE_DEPTH_MAX + 1);
    char md[1024];
    snprintf(md, sizeof md, "%sx%s", s, close);
    assert_rc(md, strlen(md), MD_E_DEPTH);
    snprintf(md, sizeof md, "%sx%s", s + 2, close + strlen(UP16) + 3);
    free(html_of(md));
    free(close);
    free(s);
    /* Quotes. */
    s = repeat("> ", MD_QUOTE_DEPTH_MAX + 1);
    snprintf(md, sizeof md, "%sdeep", s + 2);
    got = html_of(md);
    assert_non_null(strstr(got, "<p>deep</p>"));
    free(got);
    snprintf(md, sizeof md, "%sdeep", s);
    assert_rc(md, strlen(md), MD_E_DEPTH);
    free(s);
}

static void test_bad_input(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t len;
        enum md_rc rc;
        size_t offset;
    } v[] = {
        {"ab\xff", 3, MD_E_UTF8, 2},
        {"a\xc0\x80", 3, MD_E_UTF8, 1},         /* overlong NUL */
        {"\xed\xa0\x80", 3, MD_E_UTF8, 0},      /* surrogate */
        {"x\xe5\xb8", 3, MD_E_UTF8, 1},         /* truncated */
        {"x\xf4\x90\x80\x80", 5, MD_E_UTF8, 1}, /* above U+10FFFF */
        {"a\0b", 3, MD_E_UTF8, 1},
        {"a\x01-", 3, MD_E_CONTROL, 1},
        {"[x](\x0bjavascript:x)", 18, MD_E_CONTROL, 4},
        {"a\x7f", 2, MD_E_CONTROL, 1},
        {"a\xc2\x85", 3, MD_E_CONTROL, 1}, /* U+0085 NEL */
        {"\x1b[31m", 5, MD_E_CONTROL, 0},
    };
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
        for (int plain = 0; plain <= 1; plain++) {
            struct md_stats st;
            free(run_len(v[k].s, v[k].len, plain, v[k].rc, &st));
            assert_int_equal(st.error_offset, v[k].offset);
            assert_int_equal(st.links + st.images + st.links_dropped + st.images_dropped, 0);
        }
    }
    /* Tab, no-break space and CJK are fine. */
    assert_html("a\tb\u00a0c 保本", "<p>a\tb\u00a0c 保本</p>\n");
}

static void test_out_buffer(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 64);
    assert_true(buf_puts(&b, "X"));
    assert_int_equal(md_render("*a*", 3, &b, NULL), MD_OK);
    assert_string_equal(b.data, "X<p><em>a</em></p>\n");
    /* An error leaves the buffer as it was. */
    assert_int_equal(md_render("a\x01", 2, &b, NULL), MD_E_CONTROL);
    assert_string_equal(b.data, "X<p><em>a</em></p>\n");
    char *big = repeat("word ", 20);
    assert_int_equal(md_render(big, strlen(big), &b, NULL), MD_E_OUTPUT_SIZE);
    assert_string_equal(b.data, "X<p><em>a</em></p>\n");
    assert_false(b.overflow);
    free(big);
    /* A buffer that has already overflowed takes nothing and keeps its flag. */
    assert_false(buf_append(&b, "0123456789012345678901234567890123456789012345678901234", 55));
    assert_true(b.overflow);
    assert_int_equal(md_render("a", 1, &b, NULL), MD_E_OUTPUT_SIZE);
    assert_true(b.overflow);
    buf_free(&b);
    /* NULL source with length 0. */
    buf_init(&b, 64);
    assert_int_equal(md_plain_text(NULL, 0, &b, NULL), MD_OK);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

/* ---- plain text ------------------------------------------------------------------------------ */

static void test_plain_text(void **state)
{
    (void)state;
    assert_plain(
        "# T\n\nSee [our *fund*](https://x.example/) and ![保本图](https://e.example/a.png)"
        " ![ok `c`](" UP16 ")\n\n- a\n- **b**\n\n1. c\n\n```\nx < y\n```\n---\n> q  \n> r",
        "T\nSee our fund and 保本图 ok c\na\nb\nc\nx < y\nq\nr\n");
    /* The words a reader sees, joined as the reader sees them. */
    assert_plain("保**本**", "保本\n");
    assert_plain("稳[赚](javascript:x)", "稳赚\n");
    assert_plain("[零风险](https://x.example/)", "零风险\n");
    assert_plain("<b>raw</b> \\*", "<b>raw</b> *\n");
    assert_plain("`a\nb`", "a b\n");
    assert_plain("line\\\nbreak", "line\nbreak\n");
    assert_plain("", "");
}

/* ---- robustness ------------------------------------------------------------------------------ */

/* Inputs that make a parser that rescans for every opener quadratic; each must still be fast. */
static void test_pathological(void **state)
{
    (void)state;
    static const char *const units[] = {
        "*a ", "**a ", "[a](", "[](", "![x](", "[",  "![", "]",
        "](",  "`",    "a`` ", "*",   "[a]",   "> ", "- ", "\\",
    };
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        char *s = repeat(units[k], MD_INPUT_BYTES_MAX / strlen(units[k]));
        size_t len = strlen(s);
        struct buf b;
        buf_init(&b, MD_OUTPUT_BYTES_MAX);
        enum md_rc rc = md_render(s, len, &b, NULL);
        /* "> > > ..." nests quotes; the rest is text or flat lists. */
        enum md_rc want = units[k][0] == '>' ? MD_E_DEPTH : MD_OK;
        if (rc != want)
            fail_msg("\"%s\" repeated: %s", units[k], md_rc_str(rc));
        if (rc == MD_OK)
            assert_safe_html(b.data != NULL ? b.data : "");
        buf_free(&b);
        free(s);
    }
    /* Backtick runs of every length, none closed: the worst case of the code-span scan. */
    char *s = malloc(MD_INPUT_BYTES_MAX + 1);
    assert_non_null(s);
    size_t n = 0;
    for (size_t r = 1; n + r + 1 <= MD_INPUT_BYTES_MAX; r++) {
        memset(s + n, '`', r);
        s[n + r] = 'x';
        n += r + 1;
    }
    free(run_len(s, n, false, MD_OK, NULL));
    free(s);
}

static uint64_t next_random(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Random documents made of Markdown's special characters: safe HTML, and both modes agree. */
static void test_random_documents(void **state)
{
    (void)state;
    /* Pieces separated by "|". */
    static const char pieces[] =
        "*|**|`|[|]|(|)|!|\\|<|>|\"|'|&|#|-| |\t|1. |a|保|> |- |```|---|on|=|/|:|"
        "](|https://x.example/|javascript:|mailto:m@x.example|" UP16 "|\n|  \n";
    const char *piece[64];
    size_t piece_len[64], npieces = 0;
    for (const char *p = pieces; npieces < 64; npieces++) {
        piece[npieces] = p;
        piece_len[npieces] = strcspn(p, "|");
        p += piece_len[npieces];
        if (*p++ == '\0') {
            npieces++;
            break;
        }
    }
    uint64_t seed = 0x9e3779b97f4a7c15u;
    char doc[512];
    for (int round = 0; round < 5000; round++) {
        size_t n = 0, pieces_n = next_random(&seed) % 60;
        for (size_t k = 0; k < pieces_n; k++) {
            size_t pick = next_random(&seed) % npieces, m = piece_len[pick];
            const char *p = piece[pick];
            if (n + m >= sizeof doc)
                break;
            memcpy(doc + n, p, m);
            n += m;
        }
        doc[n] = '\0';
        struct buf h, t;
        struct md_stats sh, st;
        buf_init(&h, MD_OUTPUT_BYTES_MAX);
        buf_init(&t, MD_OUTPUT_BYTES_MAX);
        enum md_rc rh = md_render(doc, n, &h, &sh), rt = md_plain_text(doc, n, &t, &st);
        assert_int_equal(rh, rt);
        assert_true(rh == MD_OK || rh == MD_E_DEPTH);
        if (rh == MD_OK) {
            assert_safe_html(h.data != NULL ? h.data : "");
            assert_memory_equal(&sh, &st, sizeof sh);
        }
        buf_free(&h);
        buf_free(&t);
    }
}

static void test_rc_str(void **state)
{
    (void)state;
    for (int rc = MD_OK; rc <= MD_E_NOMEM; rc++)
        assert_true(strlen(md_rc_str((enum md_rc)rc)) > 0);
    assert_string_equal(md_rc_str(MD_E_UTF8), "invalid UTF-8");
}

/* ---- contract violations --------------------------------------------------------------------- */

/* True when fn() ends the process with SIGABRT (a failed ASSERT), run in a child. */
static bool aborts(void (*fn)(void))
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Keep the expected assertion message out of the test log. */
        if (freopen("/dev/null", "w", stderr) == NULL)
            _exit(3);
        fn();
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void render_null_out(void)
{
    (void)md_render("a", 1, NULL, NULL);
}

static void render_null_src(void)
{
    struct buf b;
    buf_init(&b, 64);
    (void)md_render(NULL, 1, &b, NULL);
}

static void test_contract_violations_abort(void **state)
{
    (void)state;
    assert_true(aborts(render_null_out));
    assert_true(aborts(render_null_src));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paragraphs),
        cmocka_unit_test(test_headings),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_code_blocks),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_emphasis),
        cmocka_unit_test(test_code_spans),
        cmocka_unit_test(test_escapes_and_breaks),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_url_length),
        cmocka_unit_test(test_images),
        cmocka_unit_test(test_stats),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_injection_table),
        cmocka_unit_test(test_size_limits),
        cmocka_unit_test(test_lines_limit),
        cmocka_unit_test(test_depth_limits),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_out_buffer),
        cmocka_unit_test(test_plain_text),
        cmocka_unit_test(test_pathological),
        cmocka_unit_test(test_random_documents),
        cmocka_unit_test(test_rc_str),
        cmocka_unit_test(test_contract_violations_abort),
    };
    return cmocka_run_group_tests_name("markdown", tests, NULL, NULL);
}
