/*
 * fee_json.c: fee schedules between JSON and core/fee.h.
 *
 *   sub_fees: [{"min_amount": "0.00", "max_amount": "1000000.00", "rate": "0.015"},
 *              {"min_amount": "5000000.00", "max_amount": null, "fixed": "1000.00"}]
 *   red_fees: [{"min_days": 0, "max_days": 7, "rate": "0.015"},
 *              {"min_days": 7, "max_days": null, "rate": "0"}]
 *
 * Rates are decimal fractions ("0.015" = 1.5%) with at most 6 decimals, i.e. exact ppm.
 * A null max is the open end. Shape errors name the element ("sub_fees[1].rate"); rule
 * errors come from fee_validate_* and name the rule and the tier.
 */
#include "api/fee_json.h"

#include "api/trading.h"
#include "base/check.h"
#include "base/money.h"

#include <stdio.h>
#include <string.h>

/* A decimal string member; false with a message naming "<array>[i].<key>". */
static bool take_decimal(json_t *o, const char *arr, size_t i, const char *key, int scale,
                         bool required, int64_t *out, char *msg, size_t cap)
{
    json_t *v = json_object_get(o, key);
    if (v == NULL && !required)
        return true;
    int64_t x = 0;
    if (!json_is_string(v) || money_parse(json_string_value(v), json_string_length(v), scale,
                                          INT64_MAX / 4, &x) != MONEY_OK) {
        snprintf(msg, cap, "%s[%zu].%s must be a decimal string with at most %d decimals", arr, i,
                 key, scale);
        return false;
    }
    *out = x;
    return true;
}

static bool only_keys(json_t *o, const char *const *keys, const char *arr, size_t i, char *msg,
                      size_t cap)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        bool known = false;
        for (const char *const *p = keys; *p; p++)
            known = known || strcmp(*p, k) == 0;
        if (!known) {
            snprintf(msg, cap, "%s[%zu] has an unknown member '%s'", arr, i, k);
            return false;
        }
    }
    return true;
}

bool fee_json_sub(json_t *arr, struct fee_sub_schedule *out, char *msg, size_t cap)
{
    static const char *const keys[] = {"min_amount", "max_amount", "rate", "fixed", NULL};
    memset(out, 0, sizeof(*out));
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        if (i >= FEE_TIERS_MAX || !json_is_object(o)) {
            snprintf(msg, cap, "sub_fees must be 1 to %d objects", FEE_TIERS_MAX);
            return false;
        }
        struct fee_sub_tier *t = &out->tiers[i];
        t->max_amount_fen = FEE_OPEN_END;
        json_t *max = json_object_get(o, "max_amount");
        bool has_rate = json_object_get(o, "rate") != NULL;
        bool has_fixed = json_object_get(o, "fixed") != NULL;
        if (!only_keys(o, keys, "sub_fees", i, msg, cap) ||
            !take_decimal(o, "sub_fees", i, "min_amount", 2, true, &t->min_amount_fen, msg, cap) ||
            (max && !json_is_null(max) &&
             !take_decimal(o, "sub_fees", i, "max_amount", 2, true, &t->max_amount_fen, msg,
                           cap)) ||
            !take_decimal(o, "sub_fees", i, "rate", 6, false, &t->rate_ppm, msg, cap) ||
            !take_decimal(o, "sub_fees", i, "fixed", 2, false, &t->fixed_fen, msg, cap))
            return false;
        if (has_rate == has_fixed) {
            snprintf(msg, cap, "sub_fees[%zu] needs exactly one of 'rate' or 'fixed'", i);
            return false;
        }
        out->n = i + 1;
    }
    return true;
}

static bool take_days(json_t *o, size_t i, const char *key, bool nullable, int64_t *out, char *msg,
                      size_t cap)
{
    json_t *v = json_object_get(o, key);
    if (nullable && (v == NULL || json_is_null(v))) {
        *out = FEE_OPEN_END;
        return true;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100000) {
        snprintf(msg, cap, "red_fees[%zu].%s must be a whole number of days", i, key);
        return false;
    }
    *out = json_integer_value(v);
    return true;
}

bool fee_json_red(json_t *arr, struct fee_red_schedule *out, char *msg, size_t cap)
{
    static const char *const keys[] = {"min_days", "max_days", "rate", NULL};
    memset(out, 0, sizeof(*out));
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        if (i >= FEE_TIERS_MAX || !json_is_object(o)) {
            snprintf(msg, cap, "red_fees must be 1 to %d objects", FEE_TIERS_MAX);
            return false;
        }
        struct fee_red_tier *t = &out->tiers[i];
        if (!only_keys(o, keys, "red_fees", i, msg, cap) ||
            !take_days(o, i, "min_days", false, &t->min_days, msg, cap) ||
            !take_days(o, i, "max_days", true, &t->max_days, msg, cap) ||
            !take_decimal(o, "red_fees", i, "rate", 6, true, &t->rate_ppm, msg, cap))
            return false;
        out->n = i + 1;
    }
    return true;
}

json_t *fee_json_sub_out(const struct fee_sub_schedule *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->n; i++) {
        const struct fee_sub_tier *t = &s->tiers[i];
        json_t *o = json_pack(
            "{s:o,s:o}", "min_amount", json_decimal(t->min_amount_fen, 2), "max_amount",
            t->max_amount_fen == FEE_OPEN_END ? json_null() : json_decimal(t->max_amount_fen, 2));
        if (t->fixed_fen > 0)
            json_object_set_new(o, "fixed", json_decimal(t->fixed_fen, 2));
        else
            json_object_set_new(o, "rate", json_decimal(t->rate_ppm, 6));
        json_array_append_new(a, o);
    }
    return a;
}

json_t *fee_json_red_out(const struct fee_red_schedule *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->n; i++) {
        const struct fee_red_tier *t = &s->tiers[i];
        json_array_append_new(
            a, json_pack("{s:I,s:o,s:o}", "min_days", (json_int_t)t->min_days, "max_days",
                         t->max_days == FEE_OPEN_END ? json_null() : json_integer(t->max_days),
                         "rate", json_decimal(t->rate_ppm, 6)));
    }
    return a;
}

bool fee_json_load_sub(const char *text, struct fee_sub_schedule *out)
{
    char msg[160];
    json_t *j = json_loads(text, 0, NULL);
    bool ok = j != NULL && json_is_array(j) && fee_json_sub(j, out, msg, sizeof(msg)) && out->n;
    json_decref(j);
    return ok;
}

bool fee_json_load_red(const char *text, struct fee_red_schedule *out)
{
    char msg[160];
    json_t *j = json_loads(text, 0, NULL);
    bool ok = j != NULL && json_is_array(j) && fee_json_red(j, out, msg, sizeof(msg)) && out->n;
    json_decref(j);
    return ok;
}
