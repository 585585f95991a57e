/* fee_json.h: fee schedules between JSON and core/fee.h (see fee_json.c for the shape). */
#ifndef CFH_FEE_JSON_H
#define CFH_FEE_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include "core/fee.h"

/* Parses an array of tiers; false with a message naming the element. Rules are not
 * checked here: call fee_validate_* next. */
bool fee_json_sub(json_t *arr, struct fee_sub_schedule *out, char *msg, size_t cap);
bool fee_json_red(json_t *arr, struct fee_red_schedule *out, char *msg, size_t cap);

/* JSON arrays (new references) in the same shape. */
json_t *fee_json_sub_out(const struct fee_sub_schedule *s);
json_t *fee_json_red_out(const struct fee_red_schedule *s);

/* Parses schedules stored by this module; false when the stored text is damaged. */
bool fee_json_load_sub(const char *text, struct fee_sub_schedule *out);
bool fee_json_load_red(const char *text, struct fee_red_schedule *out);

#endif
