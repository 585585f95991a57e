/*
 * test_identity.c - unit tests of core/identity: resident ID numbers (GB 11643-1999), bank card
 * numbers (Luhn), their masks, and real names.
 *
 * Check characters are computed here by a second implementation written from the standards'
 * definitions (weights as powers of two, Luhn by a digit table) rather than copied from the
 * module, so that one mistake cannot hide in both.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/identity.h"

static const struct civil_date today = {2026, 3, 10};
static const struct civil_date sentinel = {7777, 7, 7};

/* ISO 7064 MOD 11-2: position i (1-based) weighs 2^(18-i) mod 11; the check character c makes
 * sum + value(c) == 1 (mod 11), with X for 10, so value(c) = (12 - sum mod 11) mod 11. */
static char id_check_char(const char *first17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int w = 1;
        for (int k = 0; k < 17 - i; k++)
            w = w * 2 % 11;
        sum += (first17[i] - '0') * w;
    }
    int v = (12 - sum % 11) % 11;
    return v == 10 ? 'X' : (char)('0' + v);
}

/* id (19 bytes) := region + birth + sequence + the check character. */
static void make_id(char id[19], const char *region6, const char *birth8, const char *seq3)
{
    assert_int_equal(strlen(region6), 6);
    assert_int_equal(strlen(birth8), 8);
    assert_int_equal(strlen(seq3), 3);
    memcpy(id, region6, 6);
    memcpy(id + 6, birth8, 8);
    memcpy(id + 14, seq3, 3);
    id[17] = id_check_char(id);
    id[18] = '\0';
}

static enum identity_rc id_rc(const char *id, struct civil_date *birth)
{
    *birth = sentinel;
    enum identity_rc rc = identity_id_check(id, strlen(id), today, birth);
    assert_int_equal(identity_id_valid(id, strlen(id), today, NULL), rc == IDENTITY_OK);
    if (rc != IDENTITY_OK)
        assert_memory_equal(birth, &sentinel, sizeof sentinel);
    return rc;
}

static void expect_id(const char *id, int32_t y, int32_t m, int32_t d)
{
    struct civil_date b;
    assert_int_equal(id_rc(id, &b), IDENTITY_OK);
    assert_int_equal(b.year, y);
    assert_int_equal(b.month, m);
    assert_int_equal(b.day, d);
}

static void expect_id_rc(const char *id, enum identity_rc want)
{
    struct civil_date b;
    assert_int_equal(id_rc(id, &b), want);
}

static void test_id_valid(void **state)
{
    (void)state;
    /* The example of GB 11643-1999 itself, and its check digit recomputed here. */
    expect_id("11010519491231002X", 1949, 12, 31);
    assert_int_equal(id_check_char("11010519491231002"), 'X');
    expect_id("11010519491231002x", 1949, 12, 31); /* lower-case x accepted */
    char id[19];
    make_id(id, "440305", "19880229", "123"); /* a leap day */
    expect_id(id, 1988, 2, 29);
    make_id(id, "310104", "20000101", "456");
    expect_id(id, 2000, 1, 1);
    make_id(id, "650102", "19900615", "007");
    expect_id(id, 1990, 6, 15);
    make_id(id, "110101", "19000101", "001"); /* the earliest accepted */
    expect_id(id, 1900, 1, 1);
    make_id(id, "110101", "20260310", "001"); /* born today */
    expect_id(id, 2026, 3, 10);
    make_id(id, "910101", "19800101", "001"); /* any first digit 1-9 */
    expect_id(id, 1980, 1, 1);
    /* Each check value 0..10 turns up with some sequence number. */
    bool seen[11] = {false};
    for (int seq = 0; seq < 1000; seq++) {
        char s[4] = {(char)('0' + seq / 100), (char)('0' + seq / 10 % 10), (char)('0' + seq % 10)};
        make_id(id, "320102", "19751120", s);
        expect_id(id, 1975, 11, 20);
        char c = id[17];
        seen[c == 'X' ? 10 : c - '0'] = true;
    }
    for (int v = 0; v <= 10; v++)
        assert_true(seen[v]);
}

static void test_id_single_corruption(void **state)
{
    (void)state;
    static const char alphabet[] = "0123456789X";
    char good[19];
    make_id(good, "440305", "19880229", "123");
    const char *ids[] = {"11010519491231002X", good};
    for (size_t k = 0; k < 2; k++) {
        for (int pos = 0; pos < 18; pos++) {
            for (const char *c = alphabet; *c != '\0'; c++) {
                if (*c == ids[k][pos])
                    continue;
                char bad[19];
                memcpy(bad, ids[k], sizeof bad);
                bad[pos] = *c;
                assert_false(identity_id_valid(bad, 18, today, NULL));
            }
        }
    }
}

static void test_id_adjacent_swaps(void **state)
{
    (void)state;
    /* MOD 11-2 also catches every swap of two different neighbours: neighbouring weights
     * differ mod 11 and a digit difference is never a multiple of 11. */
    char id[19];
    make_id(id, "440305", "19880229", "123");
    for (int pos = 0; pos < 17; pos++) {
        if (id[pos] == id[pos + 1])
            continue;
        char bad[19];
        memcpy(bad, id, sizeof bad);
        bad[pos] = id[pos + 1];
        bad[pos + 1] = id[pos];
        assert_false(identity_id_valid(bad, 18, today, NULL));
    }
}

static void test_id_bad_length_and_chars(void **state)
{
    (void)state;
    expect_id_rc("", IDENTITY_BAD_LENGTH);
    expect_id_rc("11010519491231002", IDENTITY_BAD_LENGTH);
    expect_id_rc("11010519491231002X0", IDENTITY_BAD_LENGTH);
    expect_id_rc("110105491231002", IDENTITY_BAD_LENGTH); /* the 15-digit 1985 format */
    assert_false(identity_id_valid(NULL, 0, today, NULL));
    expect_id_rc("1101051949123100XX", IDENTITY_BAD_CHAR);
    expect_id_rc("11010519491231002Y", IDENTITY_BAD_CHAR);
    expect_id_rc("11010519491231002 ", IDENTITY_BAD_CHAR);
    expect_id_rc("110105 9491231002X", IDENTITY_BAD_CHAR);
    expect_id_rc("11010519491231O02X", IDENTITY_BAD_CHAR); /* letter O for zero */
    expect_id_rc("1101051949-231002X", IDENTITY_BAD_CHAR);
    /* Only len bytes are read: the 18 of a longer buffer. */
    assert_true(identity_id_valid("11010519491231002X trailing", 18, today, NULL));
}

static void test_id_region(void **state)
{
    (void)state;
    char id[19];
    make_id(id, "010105", "19491231", "002");
    expect_id_rc(id, IDENTITY_BAD_REGION);
}

static void test_id_birth_date(void **state)
{
    (void)state;
    char id[19];
    static const char *const not_dates[] = {"19490230", "19491301", "19490001", "19490100",
                                            "19490431", "19000229", "20230229", "00000000"};
    for (size_t i = 0; i < sizeof not_dates / sizeof not_dates[0]; i++) {
        make_id(id, "110105", not_dates[i], "002");
        expect_id_rc(id, IDENTITY_BAD_BIRTH_DATE);
    }
    make_id(id, "110105", "18991231", "002"); /* before 1900 */
    expect_id_rc(id, IDENTITY_BIRTH_RANGE);
    make_id(id, "110105", "20260311", "002"); /* tomorrow */
    expect_id_rc(id, IDENTITY_BIRTH_RANGE);
    make_id(id, "110105", "20991231", "002");
    expect_id_rc(id, IDENTITY_BIRTH_RANGE);
    /* The same number is fine once `today` has caught up. */
    make_id(id, "110105", "20260311", "002");
    struct civil_date later = {2026, 3, 11};
    assert_true(identity_id_valid(id, 18, later, NULL));
}

static void test_id_check_char(void **state)
{
    (void)state;
    char id[19];
    make_id(id, "110105", "19491231", "002");
    id[17] = id[17] == '0' ? '1' : '0';
    expect_id_rc(id, IDENTITY_BAD_CHECK);
    expect_id_rc("110105194912310020", IDENTITY_BAD_CHECK);
    for (int rc = IDENTITY_OK; rc <= IDENTITY_BAD_CHECK; rc++)
        assert_true(strlen(identity_rc_str((enum identity_rc)rc)) > 0);
}

static void test_id_normalize_and_mask(void **state)
{
    (void)state;
    char buf[IDENTITY_ID_CAP];
    assert_int_equal(identity_id_normalize("11010519491231002x", 18, buf, sizeof buf), 18);
    assert_string_equal(buf, "11010519491231002X");
    assert_int_equal(identity_id_mask("11010519491231002X", 18, buf, sizeof buf), 18);
    assert_string_equal(buf, "110***********002X");
    assert_int_equal(identity_id_mask("11010519491231002x", 18, buf, sizeof buf), 18);
    assert_string_equal(buf, "110***********002X");
    assert_int_equal(identity_id_mask("440305198802291235", 18, buf, sizeof buf), 18);
    assert_string_equal(buf, "440***********1235");
    /* Wrong length or too small a buffer: "" and 0, never part of the number. */
    assert_int_equal(identity_id_mask("110105194912310", 15, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    assert_int_equal(identity_id_mask("11010519491231002X", 18, buf, 18), 0);
    assert_string_equal(buf, "");
    assert_int_equal(identity_id_normalize("11010519491231002X", 18, buf, 18), 0);
    assert_int_equal(identity_id_mask("11010519491231002X", 18, NULL, 0), 0);
}

/* Luhn from the right: the check digit once, then every second digit doubled, via the table of
 * digit sums of 2d. Returns the digit that completes `prefix`. */
static char luhn_digit(const char *prefix)
{
    static const int doubled[10] = {0, 2, 4, 6, 8, 1, 3, 5, 7, 9};
    size_t n = strlen(prefix);
    int sum = 0;
    for (size_t k = 0; k < n; k++) {
        int d = prefix[n - 1 - k] - '0';
        sum += k % 2 == 0 ? doubled[d] : d;
    }
    return (char)('0' + (10 - sum % 10) % 10);
}

static void test_card_valid(void **state)
{
    (void)state;
    static const char *const good[] = {
        "4111111111111111", "5500000000000004", "6011111111111117",    "4012888888881881",
        "3530111333300000", "6250941006528599", "6222021234567890128",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        size_t n = strlen(good[i]);
        assert_true(identity_card_valid(good[i], n));
        char prefix[20];
        memcpy(prefix, good[i], n - 1);
        prefix[n - 1] = '\0';
        assert_int_equal(luhn_digit(prefix), good[i][n - 1]);
    }
    /* Every length from 16 to 19. */
    static const char *const prefixes[] = {"622202123456789", "6222021234567890",
                                           "62220212345678901", "622202123456789012"};
    for (size_t i = 0; i < 4; i++) {
        char card[21];
        size_t n = strlen(prefixes[i]);
        memcpy(card, prefixes[i], n);
        card[n] = luhn_digit(prefixes[i]);
        card[n + 1] = '\0';
        assert_true(identity_card_valid(card, n + 1));
    }
}

static void test_card_invalid(void **state)
{
    (void)state;
    assert_false(identity_card_valid("6222021234567890125", 19)); /* Luhn says 8, not 5 */
    assert_false(identity_card_valid("4111111111111112", 16));
    assert_false(identity_card_valid("378282246310005", 15));      /* Luhn-valid, 15 digits */
    assert_false(identity_card_valid("41111111111111111115", 20)); /* Luhn-valid, 20 digits */
    assert_false(identity_card_valid("", 0));
    assert_false(identity_card_valid(NULL, 0));
    assert_false(identity_card_valid("4111 1111 1111 1111", 19));
    assert_false(identity_card_valid("411111111111111X", 16));
    /* All zeros is Luhn-valid; it is the issuer's business to refuse it, not a typing error. */
    assert_true(identity_card_valid("0000000000000000", 16));
}

static void test_card_single_digit_errors(void **state)
{
    (void)state;
    static const char *const good[] = {"4111111111111111", "6222021234567890128",
                                       "3530111333300000"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        size_t n = strlen(good[i]);
        for (size_t pos = 0; pos < n; pos++) {
            for (char c = '0'; c <= '9'; c++) {
                if (c == good[i][pos])
                    continue;
                char bad[20];
                memcpy(bad, good[i], n);
                bad[pos] = c;
                assert_false(identity_card_valid(bad, n));
            }
        }
    }
}

static void test_card_adjacent_swaps(void **state)
{
    (void)state;
    /* Luhn catches every swap of different neighbours but 09 <-> 90 (both sum to 9 either
     * way: 0 + 9 = 9 and 2 x 9 -> 9, 2 x 0 = 0). The second card has a 09 and a 90 in it. */
    static const char *const good[] = {"6222021234567890128", "6509901234567099"};
    int undetected = 0;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        size_t n = strlen(good[i]);
        assert_true(identity_card_valid(good[i], n));
        for (size_t pos = 0; pos + 1 < n; pos++) {
            char a = good[i][pos], b = good[i][pos + 1];
            if (a == b)
                continue;
            char bad[20];
            memcpy(bad, good[i], n);
            bad[pos] = b;
            bad[pos + 1] = a;
            bool zero_nine = (a == '0' && b == '9') || (a == '9' && b == '0');
            assert_int_equal(identity_card_valid(bad, n), zero_nine);
            undetected += zero_nine;
        }
    }
    assert_true(undetected > 0);
}

static void test_card_mask(void **state)
{
    (void)state;
    char buf[IDENTITY_CARD_MASK_CAP];
    assert_int_equal(identity_card_mask("6222021234567890128", 19, buf, sizeof buf), 19);
    assert_string_equal(buf, "6222 **** **** 0128");
    assert_int_equal(identity_card_mask("4111111111111111", 16, buf, sizeof buf), 19);
    assert_string_equal(buf, "4111 **** **** 1111");
    /* Invalid numbers and short buffers give "". */
    assert_int_equal(identity_card_mask("6222021234567890125", 19, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    assert_int_equal(identity_card_mask("4111111111111111", 16, buf, sizeof buf - 1), 0);
    assert_string_equal(buf, "");
    assert_int_equal(identity_card_mask("4111111111111111", 16, NULL, 0), 0);
}

static bool name_ok(const char *s)
{
    return identity_name_valid(s, strlen(s));
}

static void test_name(void **state)
{
    (void)state;
    assert_true(name_ok("张三"));
    assert_true(name_ok("阿卜杜拉·买买提"));
    assert_true(name_ok("欧阳娜娜"));
    assert_true(name_ok("Zhang San"));
    assert_true(name_ok("王"));
    assert_true(name_ok("\xF0\xA0\x80\x80"
                        "明")); /* U+20000, a rare character of names */
    char name[32 * 3 + 4];
    for (int i = 0; i < 32; i++)
        memcpy(name + 3 * i, "张", 3);
    assert_true(identity_name_valid(name, 32 * 3));
    memcpy(name + 96, "张", 3);
    assert_false(identity_name_valid(name, 33 * 3));

    assert_false(name_ok(""));
    assert_false(identity_name_valid(NULL, 0));
    assert_false(name_ok("张三1"));
    assert_false(name_ok("张三\xEF\xBC\x91")); /* full-width 1 */
    assert_false(name_ok("张\t三"));
    assert_false(name_ok("张三\n"));
    assert_false(name_ok("张\x7F三"));
    assert_false(name_ok("张\xC2\x85三"));     /* U+0085, a C1 control */
    assert_false(name_ok("张\xE2\x80\x8B三")); /* U+200B zero width space */
    assert_false(name_ok("张\xE2\x80\xAE三")); /* U+202E right-to-left override */
    assert_false(name_ok("\xEF\xBB\xBF张三")); /* U+FEFF byte order mark */
    assert_false(name_ok(" 张三"));
    assert_false(name_ok("张三 "));
    assert_false(name_ok("\xE3\x80\x80张三")); /* U+3000 ideographic space */
    assert_false(name_ok("张三\xE3\x80\x80"));
    assert_false(name_ok("\xFF"));
    assert_false(name_ok("\xC0\xAF"));              /* overlong '/' */
    assert_false(name_ok("\xE5\xBC"));              /* truncated */
    assert_false(identity_name_valid("张\0三", 7)); /* an embedded NUL */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_valid),
        cmocka_unit_test(test_id_single_corruption),
        cmocka_unit_test(test_id_adjacent_swaps),
        cmocka_unit_test(test_id_bad_length_and_chars),
        cmocka_unit_test(test_id_region),
        cmocka_unit_test(test_id_birth_date),
        cmocka_unit_test(test_id_check_char),
        cmocka_unit_test(test_id_normalize_and_mask),
        cmocka_unit_test(test_card_valid),
        cmocka_unit_test(test_card_invalid),
        cmocka_unit_test(test_card_single_digit_errors),
        cmocka_unit_test(test_card_adjacent_swaps),
        cmocka_unit_test(test_card_mask),
        cmocka_unit_test(test_name),
    };
    return cmocka_run_group_tests_name("identity", tests, NULL, NULL);
}
