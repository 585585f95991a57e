/*
 * tcal.c: the trading calendar of the running process. Closures change a few times a
 * year, so the calendar is loaded once and copied out (3 KB) to each caller; an operator's
 * change invalidates it.
 */
#include "api/trading.h"

#include "base/check.h"
#include "base/money.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#define TCAL_FIRST_YEAR 2020

static pthread_mutex_t tcal_lock = PTHREAD_MUTEX_INITIALIZER;
static struct calendar tcal;
static bool tcal_loaded;

struct load_ctx {
    struct calendar *c;
    bool bad;
};

static int take_year(void *ctx, const struct store_row *row)
{
    struct load_ctx *l = ctx;
    if (calendar_mark_year_known(l->c, (int32_t)store_row_int(row, 0)) != CALENDAR_OK)
        l->bad = true;
    return 0;
}

static int take_closure(void *ctx, const struct store_row *row)
{
    struct load_ctx *l = ctx;
    struct civil_date from, to;
    size_t n1 = 0, n2 = 0;
    const char *a = store_row_text(row, 0, &n1);
    const char *b = store_row_text(row, 1, &n2);
    if (civil_date_parse(a, n1, &from) != CIVIL_OK || civil_date_parse(b, n2, &to) != CIVIL_OK ||
        calendar_add_closure(l->c, from, to) != CALENDAR_OK)
        l->bad = true;
    return 0;
}

static enum store_rc load(struct store *s, struct calendar *c, struct store_err *err)
{
    struct store_conn *conn = store_reader(s, err);
    if (conn == NULL)
        return STORE_ERROR;
    calendar_init(c, TCAL_FIRST_YEAR);
    struct load_ctx l = {c, false};
    enum store_rc rc = store_query(conn, "SELECT year FROM calendar_years ORDER BY year", NULL, 0,
                                   take_year, &l, err);
    if (rc == STORE_OK)
        rc = store_query(conn, "SELECT first_day, last_day FROM calendar_closures", NULL, 0,
                         take_closure, &l, err);
    if (rc == STORE_OK && l.bad)
        rc = store_fail(err, STORE_ERROR, "the stored trading calendar has an invalid entry");
    return rc;
}

enum store_rc tcal_get(struct store *s, struct calendar *out, struct store_err *err)
{
    pthread_mutex_lock(&tcal_lock);
    enum store_rc rc = STORE_OK;
    if (!tcal_loaded) {
        rc = load(s, &tcal, err);
        tcal_loaded = rc == STORE_OK;
    }
    if (rc == STORE_OK)
        memcpy(out, &tcal, sizeof(tcal));
    pthread_mutex_unlock(&tcal_lock);
    return rc;
}

void tcal_invalidate(void)
{
    pthread_mutex_lock(&tcal_lock);
    tcal_loaded = false;
    pthread_mutex_unlock(&tcal_lock);
}

bool req_decimal_or_reply(struct req *r, const char *field, const char *s, size_t len, int scale,
                          int64_t min, int64_t max, int64_t *out)
{
    int64_t v = 0;
    enum money_rc rc = money_parse(s, len, scale, max, &v);
    if (rc == MONEY_OK && v < min)
        rc = MONEY_BELOW_MIN;
    if (rc == MONEY_OK) {
        *out = v;
        return true;
    }
    char lo[32], hi[32];
    money_format(min, scale, lo, sizeof(lo));
    money_format(max, scale, hi, sizeof(hi));
    req_problem(r, 422, "invalid_field", field,
                "field '%s' must be a decimal string from %s to %s with at most %d decimals "
                "(%s)",
                field, lo, hi, scale, money_rc_str(rc));
    return false;
}

json_t *json_decimal(int64_t v, int scale)
{
    char buf[MONEY_FORMAT_CAP];
    money_format(v, scale, buf, sizeof(buf));
    return json_string(buf);
}

bool req_date_or_reply(struct req *r, const char *field, const char *s, size_t len,
                       struct civil_date *out)
{
    if (civil_date_parse(s, len, out) == CIVIL_OK)
        return true;
    req_problem(r, 422, "invalid_field", field, "field '%s' must be a date YYYY-MM-DD", field);
    return false;
}
