/*
 * calendar_ops.c: operators maintain the trading calendar: add the closures of a new year
 * and then mark the year known (until then, no trade date in it is guessed), or correct a
 * year already known. Every change is audited and takes effect at once (tcal_invalidate).
 * Orders already placed keep their trade date.
 */
#include "api/handlers.h"
#include "api/trading.h"

#include "base/check.h"
#include "base/crypto.h"

#include <stdio.h>
#include <string.h>

static int collect_year(void *arr, const struct store_row *row)
{
    json_array_append_new(arr, json_pack("{s:I,s:s}", "year", (json_int_t)store_row_int(row, 0),
                                         "source", store_row_text(row, 1, NULL)));
    return 0;
}

static int collect_closure(void *arr, const struct store_row *row)
{
    json_array_append_new(
        arr,
        json_pack("{s:o,s:s,s:s,s:s,s:s}", "id", json_id(store_row_int(row, 0)), "first_day",
                  store_row_text(row, 1, NULL), "last_day", store_row_text(row, 2, NULL), "reason",
                  store_row_text(row, 3, NULL), "source", store_row_text(row, 4, NULL)));
    return 0;
}

void api_ops_calendar(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    json_t *years = json_array(), *closures = json_array();
    struct store_err err;
    enum store_rc rc = store_query(c, "SELECT year, source FROM calendar_years ORDER BY year", NULL,
                                   0, collect_year, years, &err);
    if (rc == STORE_OK)
        rc = store_query(c,
                         "SELECT id, first_day, last_day, reason, source FROM calendar_closures "
                         "ORDER BY first_day",
                         NULL, 0, collect_closure, closures, &err);
    if (rc != STORE_OK) {
        json_decref(years);
        json_decref(closures);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o,s:o}", "years", years, "closures", closures));
}

struct cal_change {
    int64_t id, year, now_ms;
    char first[CIVIL_DATE_CAP], last[CIVIL_DATE_CAP];
    const char *reason, *source;
    struct api_actor actor;
};

static enum store_rc closure_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct cal_change *x = ctx;
    struct store_val p[] = {SV_INT(x->id),      SV_TEXT(x->first),  SV_TEXT(x->last),
                            SV_TEXT(x->reason), SV_TEXT(x->source), SV_INT(x->now_ms)};
    enum store_rc rc = store_exec(c,
                                  "INSERT INTO calendar_closures (id, first_day, last_day, "
                                  "reason, source, created_ms) VALUES (?, ?, ?, ?, ?, ?)",
                                  p, 6, NULL, err);
    if (rc != STORE_OK)
        return rc;
    json_t *d = json_pack("{s:s,s:s,s:s,s:s}", "first_day", x->first, "last_day", x->last, "reason",
                          x->reason, "source", x->source);
    rc = api_audit(c, &x->actor, 0, "calendar.closure.add", "calendar", d, x->now_ms, err);
    json_decref(d);
    return rc;
}

static void cal_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "this year is already known");
        return;
    }
    tcal_invalidate();
    api_ops_calendar(r);
    r->status = 201;
}

void api_ops_calendar_closure(struct req *r)
{
    struct cal_change *x = arena_zalloc(&r->arena, sizeof(*x));
    json_t *j = req_json_or_reply(r);
    const char *first, *last;
    size_t fl = 0, ll = 0;
    struct field f[] = {
        FIELD_STR("first_day", true, 1, 16, &first, &fl),
        FIELD_STR("last_day", true, 1, 16, &last, &ll),
        FIELD_STR("reason", true, 1, 100, &x->reason, NULL),
        FIELD_STR("source", true, 1, 200, &x->source, NULL),
    };
    struct civil_date a, b;
    if (x == NULL || j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)) ||
        !req_date_or_reply(r, "first_day", first, fl, &a) ||
        !req_date_or_reply(r, "last_day", last, ll, &b))
        return;
    if (civil_date_cmp(a, b) > 0 || civil_days_between(a, b) > 31) {
        req_problem(r, 422, "invalid_field", "last_day",
                    "a closure runs from first_day to last_day, at most 32 days");
        return;
    }
    civil_date_format(a, x->first, sizeof(x->first));
    civil_date_format(b, x->last, sizeof(x->last));
    x->id = crypto_random_id();
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, closure_write, x, cal_then);
}

static enum store_rc year_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct cal_change *x = ctx;
    struct store_val p[] = {SV_INT(x->year), SV_TEXT(x->source), SV_INT(x->now_ms)};
    enum store_rc rc = store_exec(c,
                                  "INSERT INTO calendar_years (year, source, loaded_ms) VALUES "
                                  "(?, ?, ?)",
                                  p, 3, NULL, err);
    if (rc != STORE_OK)
        return rc;
    json_t *d = json_pack("{s:I,s:s}", "year", (json_int_t)x->year, "source", x->source);
    rc = api_audit(c, &x->actor, 0, "calendar.year.add", "calendar", d, x->now_ms, err);
    json_decref(d);
    return rc;
}

void api_ops_calendar_year(struct req *r)
{
    struct cal_change *x = arena_zalloc(&r->arena, sizeof(*x));
    json_t *j = req_json_or_reply(r);
    struct field f[] = {
        FIELD_INT("year", true, &x->year),
        FIELD_STR("source", true, 1, 200, &x->source, NULL),
    };
    if (x == NULL || j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    if (x->year < 2020 || x->year > 2080) {
        req_problem(r, 422, "invalid_field", "year", "field 'year' must be 2020 to 2080");
        return;
    }
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, year_write, x, cal_then);
}
