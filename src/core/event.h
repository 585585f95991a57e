/*
 * event.h: the interaction events the investor app reports, and what each must name. Pure.
 *
 * An event is one thing an investor did or was shown: a zone, product or article seen, a
 * follow, a share, an order begun or placed, a zone shown in a recommendation slot. Each
 * kind names exactly the subject it is about; the server finds the institution from it
 * (never from the app), so an app cannot credit one institution with another's views.
 *
 *   kind                         code  subject                          extra
 *   zone_view                    1     zone_id
 *   product_view                 2     product_id
 *   content_view                 3     content_id
 *   follow                       4     zone_id
 *   share                        5     one of content_id, product_id, zone_id
 *   order_started                6     product_id
 *   order_placed                 7     product_id
 *   recommendation_impression    8     zone_id                          slot: home | feed
 *
 * The codes are stored (events.kind) and must never change meaning.
 */
#ifndef CFH_EVENT_H
#define CFH_EVENT_H

#include <stdbool.h>
#include <stdint.h>

enum event_kind {
    EVENT_NONE = 0,
    EVENT_ZONE_VIEW = 1,
    EVENT_PRODUCT_VIEW = 2,
    EVENT_CONTENT_VIEW = 3,
    EVENT_FOLLOW = 4,
    EVENT_SHARE = 5,
    EVENT_ORDER_STARTED = 6,
    EVENT_ORDER_PLACED = 7,
    EVENT_IMPRESSION = 8, /* recommendation_impression */
    EVENT_KIND_COUNT
};

/* What an event is about. */
enum event_subject {
    EVENT_SUBJECT_ZONE = 1u << 0,
    EVENT_SUBJECT_PRODUCT = 1u << 1,
    EVENT_SUBJECT_CONTENT = 1u << 2,
};

enum event_slot {
    EVENT_SLOT_NONE = 0,
    EVENT_SLOT_HOME = 1,
    EVENT_SLOT_FEED = 2,
};

/* EVENT_NONE when `s` is not a kind's name. */
enum event_kind event_kind_parse(const char *s);

/* "zone_view", ...; "" for EVENT_NONE or an unknown code. Static. */
const char *event_kind_name(enum event_kind k);

/* The subjects (EVENT_SUBJECT_* bits) a kind may name; exactly one of them must be given. */
unsigned event_subjects(enum event_kind k);

/* True for the kinds that carry a slot (recommendation_impression): it is then required. */
bool event_has_slot(enum event_kind k);

/* EVENT_SLOT_NONE when `s` is not "home" or "feed". */
enum event_slot event_slot_parse(const char *s);

/*
 * Why an event's set of subjects is wrong, or NULL when it is right: `given` has the
 * EVENT_SUBJECT_* bits of the ids the event carried. Static text naming the problem.
 */
const char *event_subjects_problem(enum event_kind k, unsigned given);

#endif
