/*
 * questionnaires.h: risk questionnaire versions. Operators publish new versions; each
 * answer sheet keeps the version it answered; the built-in questionnaire (quest_default) is
 * version 1 until an operator publishes another.
 */
#ifndef CFH_QUESTIONNAIRES_H
#define CFH_QUESTIONNAIRES_H

#include <jansson.h>

#include "core/questionnaire.h"
#include "store/store.h"

struct quest_def {
    int64_t version;
    struct quest q; /* strings borrowed from json */
    json_t *json;   /* the full definition, scores included; owned */
};

/* The current version; the built-in one when none is stored. Release with quest_def_release. */
enum store_rc quest_def_current(struct store_conn *c, struct quest_def *out, struct store_err *err);
void quest_def_release(struct quest_def *d);

/* Parses a full definition {questions:[{id,text,options:[{text,score,disqualifying?}]}],
 * thresholds:[4], lowest_below} into q (strings borrowed from j). false with a message. */
bool quest_def_parse(json_t *j, struct quest *q, char *msg, size_t cap);

/* The full definition of q (scores included), new reference. */
json_t *quest_def_json(const struct quest *q);

/* What an investor sees: questions and option texts, no scores. New reference. */
json_t *quest_def_public(const struct quest_def *d);

/* Stores the built-in questionnaire as version 1 if no version is stored (inside a write). */
enum store_rc quest_def_ensure_stored(struct store_conn *c, struct store_err *err);

#endif
