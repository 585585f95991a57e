/*
 * utf8.h - strict UTF-8 validation, counting, decoding and encoding.
 *
 * Every string that enters Caifuhao from outside is checked here before it is stored, matched or
 * measured. "Valid" means well-formed UTF-8 as defined by Unicode (Table 3-7) and RFC 3629, with
 * one addition: U+0000 is refused too, because a NUL cannot survive a C string and would let two
 * different byte strings compare equal. So these are rejected: overlong forms (C0 80, E0 80 80),
 * UTF-16 surrogates (ED A0 80), code points above U+10FFFF (F4 90 80 80), stray continuation
 * bytes, truncated sequences, the bytes C0, C1 and F5..FF, and the byte 00.
 *
 * Length limits on text fields count code points ("at most 30 characters"), not bytes; that is
 * what utf8_count gives. ASCII, the common case in JSON bodies, is checked eight bytes at a time.
 */
#ifndef CAIFUHAO_BASE_UTF8_H
#define CAIFUHAO_BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTF8_SEQ_MAX 4 /* longest encoding of one code point, in bytes */
#define UTF8_CP_MAX  UINT32_C(0x10FFFF)

/*
 * True when s[0..len) is valid UTF-8 in the sense above (no NUL). `s` need not be
 * NUL-terminated and may be NULL only when len is 0; the empty string is valid.
 */
bool utf8_valid(const char *s, size_t len);

/*
 * The length in bytes of the longest valid prefix of s[0..len) that ends on a code point
 * boundary: len when the whole string is valid, otherwise the offset of the first byte of the
 * first bad or truncated sequence (for "invalid UTF-8 at byte N" messages).
 */
size_t utf8_valid_prefix(const char *s, size_t len);

/*
 * The number of code points in s[0..len), which should be valid (check with utf8_valid first):
 * "财富号" is 3, "😀" is 1. For invalid input the result is the number of bytes that are not
 * continuation bytes (10xxxxxx), which is meaningless but safe.
 */
size_t utf8_count(const char *s, size_t len);

/*
 * Decode the code point that starts at s[*pos]. On success sets *cp (OUT), advances *pos (IN/OUT)
 * past it and returns true. Returns false, touching nothing, at the end of the string
 * (*pos == len) or when the bytes at *pos are not a valid sequence under the rules of
 * utf8_valid (so U+0000 is refused here too). *pos <= len.
 */
bool utf8_decode_next(const char *s, size_t len, size_t *pos, uint32_t *cp);

/*
 * Write the UTF-8 encoding of `cp` to buf (no NUL is added) and return its length, 1..4.
 * Returns 0 and writes nothing when cp is 0, a surrogate (U+D800..U+DFFF) or above U+10FFFF, or
 * when cap is too small (UTF8_SEQ_MAX always suffices).
 */
size_t utf8_encode(uint32_t cp, char *buf, size_t cap);

#endif /* CAIFUHAO_BASE_UTF8_H */
