/*
 * identity.h: checks and masks for the identity data of account opening. Pure: no I/O.
 *
 * Three things an investor types when opening an account: the 18-character resident identity
 * number (公民身份号码, GB 11643-1999), a bank card number for payments and redemptions, and the
 * real name that goes with both. The checks here catch typing mistakes and impossible values;
 * whether the number, card and name really belong together is for the verification service.
 *
 * Every ID and card number shown back (pages, logs, audit details) goes through a mask first.
 */
#ifndef CFH_IDENTITY_H
#define CFH_IDENTITY_H

#include "base/civil.h"

#include <stdbool.h>
#include <stddef.h>

#define IDENTITY_ID_LEN         18   /* 6 region + 8 birth date + 3 sequence + 1 check */
#define IDENTITY_ID_CAP         19   /* the ID, or its mask, and the NUL */
#define IDENTITY_ID_BIRTH_MIN   1900 /* earliest birth year accepted (1900-01-01) */
#define IDENTITY_CARD_LEN_MIN   16
#define IDENTITY_CARD_LEN_MAX   19
#define IDENTITY_CARD_MASK_CAP  20 /* "6222 **** **** 1234" and the NUL */
#define IDENTITY_NAME_CHARS_MAX 32 /* code points, not bytes */

enum identity_rc {
    IDENTITY_OK = 0,
    IDENTITY_BAD_LENGTH,     /* not exactly 18 bytes */
    IDENTITY_BAD_CHAR,       /* a non-digit in the first 17, or a last character not 0-9, X, x */
    IDENTITY_BAD_REGION,     /* the region code starts with 0 */
    IDENTITY_BAD_BIRTH_DATE, /* characters 7-14 are no real date: 19490230 */
    IDENTITY_BIRTH_RANGE,    /* a real date, but before 1900-01-01 or after today */
    IDENTITY_BAD_CHECK,      /* the check character does not match (a typing error) */
};

/* A short lower-case English description of `rc` ("wrong check character"). Static, never NULL. */
const char *identity_rc_str(enum identity_rc rc);

/*
 * Check an 18-character resident identity number in id[0..len), which need not be
 * NUL-terminated (NULL only when len is 0), in this order: length 18; 17 ASCII digits and a
 * check character 0-9, X or x; a region code (characters 1-6) not starting with 0; a birth date
 * (characters 7-14, YYYYMMDD) that is a real day from 1900-01-01 to `today` (valid; the caller's
 * CST date, so a baby born today passes); and the ISO 7064 MOD 11-2 check character: with
 * weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 (2^(18-i) mod 11 for position i), the sum of
 * digit times weight mod 11 picks the check from "10X98765432".
 * Returns IDENTITY_OK and sets *birth_out (OUT, may be NULL) to the birth date, or the first
 * failed rule, leaving *birth_out alone. 15-digit numbers of the 1985 format are refused: they
 * were replaced by 2013 and carry no check character.
 */
enum identity_rc identity_id_check(const char *id, size_t len, struct civil_date today,
                                   struct civil_date *birth_out);

/* identity_id_check(...) == IDENTITY_OK, for callers that need no reason. */
bool identity_id_valid(const char *id, size_t len, struct civil_date today,
                       struct civil_date *birth_out);

/*
 * Write the canonical spelling of an ID that identity_id_check accepted: the same characters
 * with a lower-case x made upper-case, so that one person has one stored value. Returns 18; or 0,
 * leaving "" when cap > 0, if len is not 18 or cap is less than IDENTITY_ID_CAP.
 */
size_t identity_id_normalize(const char *id, size_t len, char *buf, size_t cap);

/*
 * Write the display mask of an ID: the first 3 characters (province and city: enough to tell
 * two of a person's records apart, too little to find them) and the last 4 (sequence and
 * check) with eleven '*' between: "110***********123X"; a lower-case x is shown upper-case.
 * Returns 18; or 0, leaving "" when cap > 0, if len is not 18 or cap is less than
 * IDENTITY_ID_CAP. Nothing else is ever shown, so a malformed value is not echoed either.
 */
size_t identity_id_mask(const char *id, size_t len, char *buf, size_t cap);

/*
 * True when digits[0..len) is a bank card number: 16 to 19 ASCII digits (no spaces) whose last
 * digit is the Luhn (ISO/IEC 7812) check digit. Luhn finds every single wrong digit and every
 * swap of two neighbouring digits except 09 <-> 90.
 */
bool identity_card_valid(const char *digits, size_t len);

/*
 * Write the display mask of a card number: the first 4 digits (the issuer), three groups of
 * "****" and the last 4, "6222 **** **** 1234", whatever the length, so the mask does not tell
 * a 16-digit card from a 19-digit one. Returns 19; or 0, leaving "" when cap > 0, if
 * identity_card_valid(digits, len) is false or cap is less than IDENTITY_CARD_MASK_CAP.
 */
size_t identity_card_mask(const char *digits, size_t len, char *buf, size_t cap);

/*
 * True when s[0..len) can be a real name: valid UTF-8 of 1 to IDENTITY_NAME_CHARS_MAX code
 * points, with no control characters (U+0000-U+001F, U+007F-U+009F), no digits (ASCII and
 * full-width), no invisible format characters that could disguise a name (U+200B-U+200F,
 * U+2028-U+202E, U+2060-U+206F, U+FEFF), and no space (U+0020, U+3000) at either end.
 * "张三", "阿卜杜拉·买买提" and "Zhang San" pass; names are otherwise taken as typed.
 */
bool identity_name_valid(const char *s, size_t len);

#endif
