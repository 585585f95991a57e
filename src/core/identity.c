/* identity.c: resident ID numbers, bank card numbers and real names (see identity.h). */
#include "core/identity.h"

#include "base/check.h"
#include "base/utf8.h"

#include <stdint.h>
#include <string.h>

/* GB 11643-1999: weight of position i (1-based) is 2^(18-i) mod 11. */
static const int id_weights[IDENTITY_ID_LEN - 1] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                    3, 7, 9,  10, 5, 8, 4, 2};
static const char id_check_chars[11] = "10X98765432";

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The value of `n` decimal digits at s; they must be digits. */
static int32_t digits_value(const char *s, size_t n)
{
    int32_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

const char *identity_rc_str(enum identity_rc rc)
{
    switch (rc) {
    case IDENTITY_OK:
        return "ok";
    case IDENTITY_BAD_LENGTH:
        return "must be 18 characters";
    case IDENTITY_BAD_CHAR:
        return "must be 17 digits and a digit or X";
    case IDENTITY_BAD_REGION:
        return "region code must not start with 0";
    case IDENTITY_BAD_BIRTH_DATE:
        return "birth date is not a real date";
    case IDENTITY_BIRTH_RANGE:
        return "birth date is before 1900 or in the future";
    case IDENTITY_BAD_CHECK:
        return "wrong check character";
    }
    return "unknown error";
}

static enum identity_rc id_birth(const char *id, struct civil_date today, struct civil_date *out)
{
    struct civil_date d = {
        .year = digits_value(id + 6, 4),
        .month = digits_value(id + 10, 2),
        .day = digits_value(id + 12, 2),
    };
    if (!civil_date_valid(d))
        return IDENTITY_BAD_BIRTH_DATE;
    struct civil_date first = {.year = IDENTITY_ID_BIRTH_MIN, .month = 1, .day = 1};
    if (civil_date_cmp(d, first) < 0 || civil_date_cmp(d, today) > 0)
        return IDENTITY_BIRTH_RANGE;
    *out = d;
    return IDENTITY_OK;
}

enum identity_rc identity_id_check(const char *id, size_t len, struct civil_date today,
                                   struct civil_date *birth_out)
{
    ASSERT(civil_date_valid(today));
    if (len != IDENTITY_ID_LEN)
        return IDENTITY_BAD_LENGTH;
    int sum = 0;
    for (size_t i = 0; i < IDENTITY_ID_LEN - 1; i++) {
        if (!is_digit(id[i]))
            return IDENTITY_BAD_CHAR;
        sum += (id[i] - '0') * id_weights[i];
    }
    char check = id[IDENTITY_ID_LEN - 1] == 'x' ? 'X' : id[IDENTITY_ID_LEN - 1];
    if (!is_digit(check) && check != 'X')
        return IDENTITY_BAD_CHAR;
    if (id[0] == '0')
        return IDENTITY_BAD_REGION;
    struct civil_date birth;
    enum identity_rc rc = id_birth(id, today, &birth);
    if (rc != IDENTITY_OK)
        return rc;
    if (check != id_check_chars[sum % 11])
        return IDENTITY_BAD_CHECK;
    if (birth_out != NULL)
        *birth_out = birth;
    return IDENTITY_OK;
}

bool identity_id_valid(const char *id, size_t len, struct civil_date today,
                       struct civil_date *birth_out)
{
    return identity_id_check(id, len, today, birth_out) == IDENTITY_OK;
}

/* Leave "" in buf when there is room for it; the failure result of the writers below. */
static size_t write_nothing(char *buf, size_t cap)
{
    if (cap > 0)
        buf[0] = '\0';
    return 0;
}

size_t identity_id_normalize(const char *id, size_t len, char *buf, size_t cap)
{
    ASSERT(buf != NULL || cap == 0);
    if (len != IDENTITY_ID_LEN || cap < IDENTITY_ID_CAP)
        return write_nothing(buf, cap);
    for (size_t i = 0; i < IDENTITY_ID_LEN; i++)
        buf[i] = id[i] == 'x' ? 'X' : id[i];
    buf[IDENTITY_ID_LEN] = '\0';
    return IDENTITY_ID_LEN;
}

size_t identity_id_mask(const char *id, size_t len, char *buf, size_t cap)
{
    size_t n = identity_id_normalize(id, len, buf, cap);
    if (n == 0)
        return 0;
    /* Keep 0..2 and 14..17: 3 + 11 stars + 4 = 18. */
    memset(buf + 3, '*', IDENTITY_ID_LEN - 3 - 4);
    return n;
}

bool identity_card_valid(const char *digits, size_t len)
{
    if (len < IDENTITY_CARD_LEN_MIN || len > IDENTITY_CARD_LEN_MAX)
        return false;
    /* From the right, the check digit counts once and every second digit before it twice, a
     * doubled digit contributing the sum of its digits (7 -> 14 -> 1 + 4 = 5, i.e. 14 - 9). */
    int sum = 0;
    for (size_t k = 0; k < len; k++) {
        char c = digits[len - 1 - k];
        if (!is_digit(c))
            return false;
        int d = c - '0';
        if (k % 2 == 1)
            d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
    }
    return sum % 10 == 0;
}

size_t identity_card_mask(const char *digits, size_t len, char *buf, size_t cap)
{
    ASSERT(buf != NULL || cap == 0);
    if (cap < IDENTITY_CARD_MASK_CAP || !identity_card_valid(digits, len))
        return write_nothing(buf, cap);
    memcpy(buf, digits, 4);
    memcpy(buf + 4, " **** **** ", 11);
    memcpy(buf + 15, digits + len - 4, 4);
    buf[IDENTITY_CARD_MASK_CAP - 1] = '\0';
    return IDENTITY_CARD_MASK_CAP - 1;
}

/* Characters a name may not contain anywhere (see identity.h). */
static bool name_char_banned(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= '0' && cp <= '9') ||
           (cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF;
}

static bool is_space(uint32_t cp)
{
    return cp == 0x20 || cp == 0x3000;
}

bool identity_name_valid(const char *s, size_t len)
{
    /* More bytes than the longest possible encoding cannot be a short enough name. */
    if (len == 0 || len > (size_t)IDENTITY_NAME_CHARS_MAX * UTF8_SEQ_MAX)
        return false;
    size_t pos = 0, count = 0;
    uint32_t cp = 0;
    while (pos < len) {
        if (!utf8_decode_next(s, len, &pos, &cp) || name_char_banned(cp))
            return false;
        if (count == 0 && is_space(cp))
            return false;
        count++;
    }
    /* The loop ran at most len times: each step consumed at least one byte. */
    return count <= IDENTITY_NAME_CHARS_MAX && !is_space(cp);
}
