/*
 * test_event.c - unit tests of core/event: kind names and codes (stored, so pinned here),
 * which subject each kind names, and slots.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/event.h"

static void test_kinds(void **state)
{
    (void)state;
    /* The codes are in the events table: they never change meaning. */
    static const char *const names[] = {"",
                                        "zone_view",
                                        "product_view",
                                        "content_view",
                                        "follow",
                                        "share",
                                        "order_started",
                                        "order_placed",
                                        "recommendation_impression"};
    for (int k = 1; k < EVENT_KIND_COUNT; k++) {
        assert_string_equal(event_kind_name((enum event_kind)k), names[k]);
        assert_int_equal(event_kind_parse(names[k]), k);
    }
    assert_int_equal(EVENT_KIND_COUNT, 9);
    assert_int_equal(event_kind_parse("Zone_View"), EVENT_NONE);
    assert_int_equal(event_kind_parse(""), EVENT_NONE);
    assert_int_equal(event_kind_parse(NULL), EVENT_NONE);
    assert_string_equal(event_kind_name(EVENT_NONE), "");
    assert_string_equal(event_kind_name((enum event_kind)42), "");
}

static void test_subjects(void **state)
{
    (void)state;
    const unsigned Z = EVENT_SUBJECT_ZONE, P = EVENT_SUBJECT_PRODUCT, C = EVENT_SUBJECT_CONTENT;
    assert_null(event_subjects_problem(EVENT_ZONE_VIEW, Z));
    assert_null(event_subjects_problem(EVENT_PRODUCT_VIEW, P));
    assert_null(event_subjects_problem(EVENT_CONTENT_VIEW, C));
    assert_null(event_subjects_problem(EVENT_FOLLOW, Z));
    assert_null(event_subjects_problem(EVENT_ORDER_STARTED, P));
    assert_null(event_subjects_problem(EVENT_ORDER_PLACED, P));
    assert_null(event_subjects_problem(EVENT_IMPRESSION, Z));
    assert_null(event_subjects_problem(EVENT_SHARE, Z));
    assert_null(event_subjects_problem(EVENT_SHARE, P));
    assert_null(event_subjects_problem(EVENT_SHARE, C));
    /* Missing, wrong and too many. */
    assert_string_equal(event_subjects_problem(EVENT_ZONE_VIEW, 0), "zone_id is required");
    assert_string_equal(event_subjects_problem(EVENT_PRODUCT_VIEW, Z),
                        "this kind of event names only a product_id");
    assert_string_equal(event_subjects_problem(EVENT_ZONE_VIEW, Z | P),
                        "this kind of event names only a zone_id");
    assert_string_equal(event_subjects_problem(EVENT_SHARE, Z | C),
                        "an event names one subject only");
    assert_non_null(event_subjects_problem(EVENT_SHARE, 0));
}

static void test_slots(void **state)
{
    (void)state;
    assert_true(event_has_slot(EVENT_IMPRESSION));
    for (int k = 1; k < EVENT_IMPRESSION; k++)
        assert_false(event_has_slot((enum event_kind)k));
    assert_int_equal(event_slot_parse("home"), EVENT_SLOT_HOME);
    assert_int_equal(event_slot_parse("feed"), EVENT_SLOT_FEED);
    assert_int_equal(event_slot_parse("Home"), EVENT_SLOT_NONE);
    assert_int_equal(event_slot_parse(NULL), EVENT_SLOT_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_subjects),
        cmocka_unit_test(test_slots),
    };
    return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
