/*
 * normalize.h: text normalisation for lexicon matching (DESIGN §6), with a map from every
 * normalised byte back to the original text, so that a match found in the normalised text can
 * be shown to the author and the reviewer as a span of what they wrote. Pure: no I/O, no
 * globals, no allocation; the caller supplies the output buffers.
 *
 * The rule is one pass over the code points of valid UTF-8 (base/utf8.h: no NUL, no overlongs,
 * no surrogates), each of which is kept, mapped to one ASCII byte or dropped:
 *
 *   mapped  full-width ASCII U+FF01..U+FF5E to ASCII (then as ASCII below: "ＡＢＣ" → "abc");
 *           ASCII A..Z to a..z;
 *           letters that look like Latin ones, to the lower-case Latin letter (the table):
 *             Latin-1   À..Å à..å → a, Ç ç → c, È..Ë è..ë → e, Ì..Ï ì..ï ı → i, Ñ ñ → n,
 *                       Ò..Ö Ø ò..ö ø → o, Ù..Ü ù..ü → u, Ý ý ÿ → y
 *             Greek     Α α → a, Β → b, Ε ε → e, Ζ → z, Η → h, Ι ι → i, Κ κ → k, Μ → m,
 *                       Ν → n, ν → v, Ο ο → o, Ρ ρ → p, Τ → t, Υ → y, υ → u, Χ χ → x,
 *                       ϲ → c, ϳ → j
 *             Cyrillic  А а → a, В в → b, Е е Ё ё → e, К к → k, М м → m, Н н → h, О о → o,
 *                       Р р → p, С с → c, Т т → t, У у → y, Х х → x, Ѕ ѕ → s, І і → i,
 *                       Ј ј → j, ԁ → d, ԛ → q, ԝ → w
 *           (so "vip" written with a Cyrillic "і" or a Greek "Ι" still reads "vip").
 *   dropped whitespace: ASCII controls and space, C1 controls U+0080..U+009F, U+00A0, U+1680,
 *             U+3000 (ideographic space);
 *           all of General Punctuation U+2000..U+206F except ‰ ‱: the spaces U+2000..U+200A,
 *             U+2028, U+2029, U+202F, U+205F, the zero-width characters U+200B..U+200F and
 *             U+2060..U+2064, the bidi controls U+202A..U+202E and U+2066..U+2069, dashes,
 *             quotes, •, …, ‧, ※ and the rest;
 *           other invisible and format characters: U+00AD soft hyphen, U+034F, U+115F, U+1160,
 *             U+17B4, U+17B5, U+180B..U+180F, U+3164, U+FE00..U+FE0F and U+E0100..U+E01EF
 *             (variation selectors), U+FEFF, U+FFA0, U+FFF9..U+FFFB, U+1BCA0..U+1BCA3,
 *             U+E0000..U+E007F (tags), and the combining diacritics U+0300..U+036F ("é" written
 *             as e + U+0301 becomes "e");
 *           punctuation: every ASCII punctuation character except # $ % & + @ (so "100%" and
 *             "a+b" survive), Latin-1 ¡ ¦ « · » ¿, CJK punctuation U+3001..U+3003 (、。〃),
 *             U+3008..U+3011 and U+3014..U+301F (brackets, 〜), U+30FB ・, the vertical and
 *             small forms U+FE10..U+FE19 and U+FE30..U+FE57, the half-width U+FF5F..U+FF65, and
 *             through the full-width map ，。：；！？（）－＿．＊｜／～ and the rest.
 *   kept    everything else, byte for byte: CJK, kana, Hangul, digits, a..z, # $ % & + @, other
 *           letters and symbols, emoji.
 *
 * Dropping is unconditional, wherever the character sits: the simplest rule that cannot be
 * evaded by choosing where to put a space. Terms are normalised by the same function, so
 * "保 本", "保\u200b本", "保　本", "保-本" and "保本" are all "保本", and a term can never
 * contain a dropped character. The price is that words on either side of a space or a comma are
 * joined: "确保 本金" and "环保，本基金" both contain "保本" after normalisation. That is the
 * same false positive that "确保本金" already has with no space at all (Chinese is written
 * without spaces), so it is not a new class; the lexicon's severities are chosen with it in
 * mind (core/lexicon.h).
 *
 * Not covered (add variant terms to the lexicon instead): traditional/simplified variants
 * (穩賺/稳赚), homophones and pinyin (威信 for 微信), mathematical and enclosed alphanumerics
 * (𝐕𝐈𝐏, ⓥⓘⓟ), letters of other scripts not in the table, and NFKC in general.
 *
 * Properties (tested): the output is never longer than the input; normalising the output again
 * gives it back unchanged; every output byte has an offset into the original.
 */
#ifndef CFH_NORMALIZE_H
#define CFH_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest text norm_text accepts: its offsets are uint32_t. Callers have lower limits of their
 * own (LEX_TEXT_BYTES_MAX). */
#define NORM_TEXT_BYTES_MAX ((size_t)UINT32_MAX)

enum norm_rc {
    NORM_OK = 0,
    NORM_E_UTF8,     /* the text is not valid UTF-8 (or contains NUL); *bad_at says where */
    NORM_E_TOO_LONG, /* longer than NORM_TEXT_BYTES_MAX */
    NORM_E_CAP,      /* cap < len: the output buffers might be too small */
};

/* A short lower-case English description of `rc`. Never NULL; the string is static. */
const char *norm_rc_str(enum norm_rc rc);

/*
 * Normalise src[0..len) by the rule above into out[0..*out_len), and for every output byte k set
 * offs[k] to the byte offset in src it came from: the same byte, for a kept character (so the
 * three bytes of a kept "保" at offset 9 have offsets 9, 10, 11), or the first byte of the
 * character it was mapped from ("Ａ" at offset 9 becomes one "a" with offset 9). Offsets are
 * strictly increasing. No NUL is appended.
 *
 * cap is the room in out (bytes) and in offs (entries); cap >= len always suffices, and is
 * required, since the output is never longer than the input. Past *out_len the buffers may have
 * been written to (the fast paths copy whole blocks), never past cap. src may be NULL only when
 * len is 0; out, offs and out_len must not be NULL; bad_at may be NULL.
 *
 * Returns NORM_OK with *out_len set (OUT), NORM_E_TOO_LONG or NORM_E_CAP (nothing written), or
 * NORM_E_UTF8 with *bad_at (OUT) set to the offset of the first byte of the first bad or
 * truncated sequence (out and offs hold a prefix of the result, *out_len is untouched).
 *
 * Speed, one core of the benchmark machine (bench/moderation): about 1.4 GB/s on Chinese text
 * with punctuation, numbers and Latin words mixed in; 5 GB/s and more on runs of CJK alone.
 */
enum norm_rc norm_text(const char *src, size_t len, char *out, uint32_t *offs, size_t cap,
                       size_t *out_len, size_t *bad_at);

/*
 * Map the normalised span out[from..to) of a successful norm_text(src, len, ...) back to the
 * original: *start (OUT) = offs[from], the first byte of the character that gave out[from], and
 * *end (OUT) = the offset just past the last byte of the character that gave out[to - 1]. So the
 * span covers the characters that matched and every dropped character between them, and no
 * dropped character before or after. from < to <= the normalised length, both on character
 * boundaries of out; src must be the valid text that was normalised.
 */
void norm_span_to_original(const char *src, size_t len, const uint32_t *offs, size_t from,
                           size_t to, uint32_t *start, uint32_t *end);

#endif
