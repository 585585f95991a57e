/*
 * markdown.h: articles in a small Markdown subset, rendered to HTML that can go into a page as it
 * is, and the same text without markup for search indexing and the compliance check.
 *
 * What institutions and investors write is untrusted, so nothing of the input ever becomes markup
 * by being copied: every character of text is escaped (& < > " '), raw HTML shows as the text it
 * is, a link keeps its href only with an allowed scheme, an image only when it is one of the
 * platform's own uploads, and whatever is refused degrades to its text. md_plain_text walks the
 * same parse, so the compliance check reads exactly the words a reader sees: link texts and image
 * alts included, URLs and markup excluded.
 *
 * The subset. A line's leading spaces and tabs are ignored when recognising a block.
 *
 * Blocks
 *   paragraph   consecutive lines that start no other block, joined by newlines; a blank line or
 *               a line that starts another block ends it.
 *   "# " "## " "### "   heading -> <h2> <h3> <h4> (the page owns <h1>); "####", or "#"
 *               without a space after it, is paragraph text; a closing "#" is text too.
 *   "- " "* "   item of an unordered list -> <ul><li>.
 *   "1. "       item of an ordered list (1 to 9 digits, a dot, a space) -> <ol><li>, numbered
 *               from 1 whatever the digits say. Lines after an item that start no block continue
 *               it; blank lines between items of the same kind keep the list going; anything else
 *               ends it. Lists are one level deep and items hold inline text only: an indented
 *               item is one more item of the same list.
 *   "> "        block quote (the space is optional) -> <blockquote>. Consecutive lines starting
 *               with ">" form it; without the ">" they are parsed as blocks again, so quotes nest,
 *               up to MD_QUOTE_DEPTH_MAX.
 *   "```"       fenced code -> <pre><code>: three or more backticks open it (text after them, a
 *               language name, is ignored and may not contain a backtick); the lines after it are
 *               shown as written up to a line of at least as many backticks, or to the end of the
 *               quote or document.
 *   "---"       three or more "-" and nothing else -> <hr>.
 *
 * Inline (in paragraphs, headings and list items)
 *   **bold** *italic*  -> <strong> <em>. A run of exactly one or two asterisks opens when a
 *               non-space follows it and closes when a non-space precedes it; a closer pairs with
 *               the nearest open run of the same length. Runs of three or more are text.
 *   `code`      -> <code>: from a run of backticks to the next run of the same length; nothing
 *               inside is markup; one space just inside each end is dropped when both are there.
 *   [text](url) -> <a href="url" rel="nofollow noopener noreferrer" target="_blank">.
 *   ![alt](url) -> <img src="url" alt="alt" loading="lazy">; the alt is plain text.
 *               The url runs to the ")" that balances the "(" on the same line, at most
 *               MD_URL_BYTES_MAX bytes, spaces around it trimmed; otherwise the brackets are
 *               text. A "]" closes the nearest "["; a link may not contain a link (an inner one
 *               wins); titles ([x](url "title")) are not supported: the space refuses the url.
 *   line break  two or more spaces, or a backslash, at the end of a line -> <br>.
 *   \*          a backslash before ASCII punctuation makes it text.
 *   Anything unmatched is text. Entities are not decoded: "&amp;" shows as typed.
 *
 * Links and images
 *   A link keeps its href only when the url is "https://" or "http://" followed by a host, or
 *   "mailto:" followed by something (any letter case), with no space, tab or control character
 *   anywhere. Anything else shows the link text alone: javascript:, data:, vbscript:, file:,
 *   relative and protocol-relative urls, "java\tscript:", "java&#115;cript:".
 *   An image is shown only when its url is exactly MD_UPLOAD_PREFIX and 16 to 64 lower-case hex
 *   digits; otherwise its alt text shows instead.
 *
 * Input: valid UTF-8 (base/utf8.h: no NUL, no overlong forms), lines ended by LF, CRLF or CR, and
 * no control character but tab: the rest of C0, DEL and C1 (U+0080..U+009F) are refused, since
 * nobody types them and HTML does not allow them in text.
 */
#ifndef CFH_MARKDOWN_H
#define CFH_MARKDOWN_H

#include <stddef.h>

#include "base/buf.h"

#define MD_INPUT_BYTES_MAX  (64 * 1024)  /* source of one article */
#define MD_OUTPUT_BYTES_MAX (256 * 1024) /* HTML (or plain text) of one article */
#define MD_LINES_MAX        4096         /* lines of one article */
#define MD_QUOTE_DEPTH_MAX  4            /* block quotes inside block quotes */
#define MD_INLINE_DEPTH_MAX 8            /* emphasis, links and images open at once */
#define MD_URL_BYTES_MAX    2048         /* between the parentheses of a link or image */

/* Images must come from the platform's uploads: MD_UPLOAD_PREFIX and a hex id. */
#define MD_UPLOAD_PREFIX     "/uploads/"
#define MD_UPLOAD_ID_HEX_MIN 16
#define MD_UPLOAD_ID_HEX_MAX 64

enum md_rc {
    MD_OK = 0,
    MD_E_INPUT_SIZE,  /* more than MD_INPUT_BYTES_MAX bytes */
    MD_E_UTF8,        /* not valid UTF-8 (or a NUL) */
    MD_E_CONTROL,     /* a control character other than tab and line ends */
    MD_E_LINES,       /* more than MD_LINES_MAX lines */
    MD_E_DEPTH,       /* quotes or inline elements nested deeper than their limit */
    MD_E_OUTPUT_SIZE, /* the output would pass MD_OUTPUT_BYTES_MAX, or the max of `out` */
    MD_E_NOMEM,       /* an allocation failed */
};

/* A short lower-case English description of `rc`. Never NULL; the string is static. */
const char *md_rc_str(enum md_rc rc);

/* What a render did. Counts leave out links and images inside an image's alt (plain text). */
struct md_stats {
    size_t links;          /* OUT: <a> elements written */
    size_t images;         /* OUT: <img> elements written */
    size_t links_dropped;  /* OUT: links shown as their text only: url refused */
    size_t images_dropped; /* OUT: images shown as their alt only: not an upload */
    size_t error_offset;   /* OUT: MD_E_UTF8, MD_E_CONTROL, MD_E_LINES: byte in src where the
                              fault starts (the first line too many for MD_E_LINES); else 0 */
};

/*
 * Render src[0..len) (need not be NUL-terminated; NULL only when len is 0) as HTML appended to
 * `out`, which must not be NULL (one that has already overflowed gets MD_E_OUTPUT_SIZE). Blocks
 * end in "\n". No globals, so threads may render at once; the working storage, about 21 bytes per
 * input byte (1.4 MiB at MD_INPUT_BYTES_MAX), is malloc'd and freed before the call returns.
 *
 * Returns MD_OK, or an error with `out` exactly as it was before the call: nothing is ever cut
 * short. The input is checked first, in this order: MD_E_INPUT_SIZE, MD_E_UTF8, MD_E_CONTROL,
 * MD_E_LINES; then MD_E_DEPTH, MD_E_OUTPUT_SIZE or MD_E_NOMEM while rendering. *stats (OUT, may
 * be NULL) is filled on success; on an error its counts are 0 and error_offset is set.
 */
enum md_rc md_render(const char *src, size_t len, struct buf *out, struct md_stats *stats);

/*
 * The text a reader of md_render's HTML sees, appended to `out` as plain UTF-8 (not HTML: escape
 * it before showing it): no markup markers and no urls; link texts and image alts (shown or
 * refused) included; code as written; "\n" at soft and hard line breaks and after each
 * paragraph, heading, list item and code line. Arguments, limits, errors and stats as for
 * md_render, which it agrees with: the same input fails in both or in neither, except that the
 * plain text is shorter and so may fit where the HTML does not.
 */
enum md_rc md_plain_text(const char *src, size_t len, struct buf *out, struct md_stats *stats);

#endif
