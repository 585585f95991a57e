/* event.c: interaction event kinds and their subjects (see event.h). */
#include "core/event.h"

#include "base/check.h"

#include <string.h>

static const struct {
    const char *name;
    unsigned subjects;
} kinds[EVENT_KIND_COUNT] = {
    [EVENT_NONE] = {"", 0},
    [EVENT_ZONE_VIEW] = {"zone_view", EVENT_SUBJECT_ZONE},
    [EVENT_PRODUCT_VIEW] = {"product_view", EVENT_SUBJECT_PRODUCT},
    [EVENT_CONTENT_VIEW] = {"content_view", EVENT_SUBJECT_CONTENT},
    [EVENT_FOLLOW] = {"follow", EVENT_SUBJECT_ZONE},
    [EVENT_SHARE] = {"share", EVENT_SUBJECT_ZONE | EVENT_SUBJECT_PRODUCT | EVENT_SUBJECT_CONTENT},
    [EVENT_ORDER_STARTED] = {"order_started", EVENT_SUBJECT_PRODUCT},
    [EVENT_ORDER_PLACED] = {"order_placed", EVENT_SUBJECT_PRODUCT},
    [EVENT_IMPRESSION] = {"recommendation_impression", EVENT_SUBJECT_ZONE},
};

enum event_kind event_kind_parse(const char *s)
{
    if (s == NULL)
        return EVENT_NONE;
    for (int k = EVENT_NONE + 1; k < EVENT_KIND_COUNT; k++)
        if (strcmp(s, kinds[k].name) == 0)
            return (enum event_kind)k;
    return EVENT_NONE;
}

const char *event_kind_name(enum event_kind k)
{
    return k > EVENT_NONE && k < EVENT_KIND_COUNT ? kinds[k].name : "";
}

unsigned event_subjects(enum event_kind k)
{
    return k > EVENT_NONE && k < EVENT_KIND_COUNT ? kinds[k].subjects : 0;
}

bool event_has_slot(enum event_kind k)
{
    return k == EVENT_IMPRESSION;
}

enum event_slot event_slot_parse(const char *s)
{
    if (s != NULL && strcmp(s, "home") == 0)
        return EVENT_SLOT_HOME;
    if (s != NULL && strcmp(s, "feed") == 0)
        return EVENT_SLOT_FEED;
    return EVENT_SLOT_NONE;
}

const char *event_subjects_problem(enum event_kind k, unsigned given)
{
    unsigned allowed = event_subjects(k);
    ASSERT(allowed != 0);
    if (given & ~allowed)
        return allowed == EVENT_SUBJECT_ZONE      ? "this kind of event names only a zone_id"
               : allowed == EVENT_SUBJECT_PRODUCT ? "this kind of event names only a product_id"
               : allowed == EVENT_SUBJECT_CONTENT ? "this kind of event names only a content_id"
                                                  : "an event names one subject only";
    if (given == 0)
        return allowed == EVENT_SUBJECT_ZONE      ? "zone_id is required"
               : allowed == EVENT_SUBJECT_PRODUCT ? "product_id is required"
               : allowed == EVENT_SUBJECT_CONTENT ? "content_id is required"
                                                  : "one of content_id, product_id, zone_id is "
                                                    "required";
    if ((given & (given - 1)) != 0)
        return "an event names one subject only";
    return NULL;
}
