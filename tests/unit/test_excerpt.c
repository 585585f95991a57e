/*
 * test_excerpt.c - unit tests of api_excerpt (src/api/common.c): the start of a text for lists
 * and notifications, whole characters only, blanks folded, and an ellipsis exactly when text
 * was left out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "api/api.h"
#include "base/utf8.h"

#define CAP(chars) ((chars)*UTF8_SEQ_MAX + sizeof("…"))

static void expect(const char *in, size_t chars, const char *want)
{
    char out[CAP(16)];
    assert_true(chars <= 16);
    memset(out, 'Z', sizeof(out));
    api_excerpt(in, chars, out, CAP(chars));
    assert_string_equal(out, want);
    assert_true(utf8_valid(out, strlen(out)));
}

static void test_whole_text(void **state)
{
    (void)state;
    expect("", 5, "");
    expect("abc", 5, "abc");
    expect("abcde", 5, "abcde");
    expect("保本之外", 4, "保本之外");
    expect("长期持有\n", 4, "长期持有"); /* only blanks left: nothing was cut */
    expect("长期持有 \n\t ", 4, "长期持有");
}

static void test_cut(void **state)
{
    (void)state;
    expect("abcdef", 5, "abcde…");
    expect("长期持有，理性看待", 4, "长期持有…");
    expect("长期持有\n理性", 4, "长期持有…"); /* a blank then text: cut */
    expect("ab cd", 3, "ab…");                /* no space before the ellipsis */
    expect("😀😀😀", 2, "😀😀…");                  /* four-byte characters stay whole */
}

static void test_blanks_fold(void **state)
{
    (void)state;
    expect("  标题\n\n正文\t第二段  ", 16, "标题 正文 第二段");
    expect("\n\n\n", 5, "");
    expect("a\r\nb", 5, "a b");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_text),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_blanks_fold),
    };
    return cmocka_run_group_tests_name("excerpt", tests, NULL, NULL);
}
