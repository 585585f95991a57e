/*
 * events.c: POST /api/v1/events, the investor app's interaction events, in batches.
 *
 * Only a signed-in investor may send events. Anonymous installs (a device key) were ruled
 * out: these counts feed the fair traffic rule, and an endpoint anyone can call with a key
 * of their own choosing would let anyone inflate an institution's views, visitors and
 * engagement at will. An investor account is a real-name mobile number, limited per
 * account below and per address by the rate limiter.
 *
 * A batch is refused as a whole (problem+json) only when it is malformed: not JSON, not
 * {"events": [...]}, empty, or over LIMIT_EVENTS_PER_BATCH. Otherwise each event is judged
 * on its own: the good ones are stored, the others are listed by index with the reason, and
 * the answer says how many of each. An event's institution is found from its subject (a
 * product's or an article's owner, or the zone itself), never taken from the app.
 *
 * Ingest is cheap by construction: the investor's pseudonym is one keyed hash per request;
 * ids are looked up once per distinct subject in the batch, not per event; and the whole
 * batch is one write (many rows in one savepoint of the group commit), appended at the
 * right edge of a table whose only index is its time-ordered id. The write is quiet: it
 * does not invalidate the public page cache.
 *
 * Each investor has a budget of events_per_minute (a token bucket refilled continuously,
 * shared by all their sessions): events beyond it are refused with "rate_limited", and a
 * batch that finds the budget empty is 429 with Retry-After.
 */
#include "api/api.h"
#include "api/handlers.h"

#include "base/check.h"
#include "base/crypto.h"
#include "core/event.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define SUBJECT_SLOTS 1024 /* > 2 × LIMIT_EVENTS_PER_BATCH: the lookup table stays sparse */
#define BUDGET_LOCKS  16
#define MS_PER_MINUTE INT64_C(60000)

_Static_assert(SUBJECT_SLOTS >= 2 * LIMIT_EVENTS_PER_BATCH, "subject table too small");

/* ---- per-investor budgets ---- */

/* Tokens are counted in 1/60000 of an event, so that a budget of B events a minute refills
 * by exactly B units per millisecond. */
struct budget {
    int64_t user_id;
    int64_t units;
    int64_t last_ms;
};

static struct budget budgets[LIMIT_EVENT_BUCKETS];
static pthread_mutex_t budget_locks[BUDGET_LOCKS] = {
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER};

/*
 * Takes up to `want` events from the investor's budget; returns how many it may store. When
 * it returns 0, *wait_ms is how long until one more event is allowed. A user whose slot is
 * taken by another (hash collision) takes it over with a full budget: a collision never
 * refuses an investor who stayed within their own.
 */
static int64_t budget_take(int64_t user_id, int64_t per_minute, int64_t now_ms, int64_t want,
                           int64_t *wait_ms)
{
    uint64_t h = (uint64_t)user_id * UINT64_C(0x9e3779b97f4a7c15);
    size_t slot = (size_t)(h >> 40) % LIMIT_EVENT_BUCKETS;
    int64_t full = per_minute * MS_PER_MINUTE;
    pthread_mutex_t *lock = &budget_locks[slot % BUDGET_LOCKS];
    pthread_mutex_lock(lock);
    struct budget *b = &budgets[slot];
    if (b->user_id != user_id || b->last_ms == 0)
        *b = (struct budget){.user_id = user_id, .units = full, .last_ms = now_ms};
    int64_t elapsed = now_ms - b->last_ms;
    if (elapsed > 0) {
        b->units = elapsed >= MS_PER_MINUTE ? full : b->units + elapsed * per_minute;
        b->units = b->units > full ? full : b->units;
        b->last_ms = now_ms;
    }
    int64_t take = b->units / MS_PER_MINUTE;
    take = take < want ? take : want;
    b->units -= take * MS_PER_MINUTE;
    *wait_ms = take > 0 ? 0 : (MS_PER_MINUTE - b->units + per_minute - 1) / per_minute;
    pthread_mutex_unlock(lock);
    return take;
}

/* ---- one batch ---- */

struct ev_row {
    int64_t client_ms;
    int64_t subject_id; /* zone, product or content id */
    int64_t institution_id;
    enum event_kind kind;
    unsigned subject; /* EVENT_SUBJECT_* */
    enum event_slot slot;
    bool ok;
};

struct rejection {
    size_t index;
    const char *code, *field;
    char detail[96];
};

struct subject {
    unsigned type; /* 0: empty slot */
    int64_t id;
    int64_t institution_id; /* 0: not found */
};

struct ingest {
    int64_t investor_key;
    int64_t now_ms;
    size_t n;        /* events in the batch */
    size_t accepted; /* rows with ok set */
    struct ev_row *row;
    struct rejection *rej;
    size_t rejected;
    struct subject subjects[SUBJECT_SLOTS];
};

static void reject(struct ingest *x, size_t i, const char *code, const char *field, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));

/* Marks event i refused with a code, the field at fault (or NULL) and a detail. */
static void reject(struct ingest *x, size_t i, const char *code, const char *field, const char *fmt,
                   ...)
{
    ASSERT(x->rejected < x->n && x->row[i].ok);
    struct rejection *j = &x->rej[x->rejected++];
    j->index = i;
    j->code = code;
    j->field = field;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->detail, sizeof(j->detail), fmt, ap);
    va_end(ap);
    x->row[i].ok = false;
    x->accepted--;
}

static const char *const id_fields[] = {"zone_id", "product_id", "content_id"};
static const unsigned id_subjects[] = {EVENT_SUBJECT_ZONE, EVENT_SUBJECT_PRODUCT,
                                       EVENT_SUBJECT_CONTENT};

/* Reads the subject ids of event i; false when one was rejected. */
static bool parse_ids(struct ingest *x, size_t i, json_t *ev)
{
    struct ev_row *e = &x->row[i];
    unsigned given = 0;
    for (size_t k = 0; k < ARRAY_LEN(id_fields); k++) {
        json_t *v = json_object_get(ev, id_fields[k]);
        if (v == NULL)
            continue;
        int64_t id = 0;
        if (!json_is_string(v) || !api_id_parse(json_string_value(v), &id)) {
            reject(x, i, "invalid_field", id_fields[k], "'%s' must be an id (a string of digits)",
                   id_fields[k]);
            return false;
        }
        given |= id_subjects[k];
        e->subject = id_subjects[k];
        e->subject_id = id;
    }
    const char *problem = event_subjects_problem(e->kind, given);
    if (problem != NULL) {
        reject(x, i, given ? "invalid_field" : "missing_field", NULL, "%s", problem);
        return false;
    }
    return true;
}

/* Reads kind, at_ms and slot of event i; false when it was rejected. */
static bool parse_head(struct ingest *x, size_t i, json_t *ev)
{
    struct ev_row *e = &x->row[i];
    json_t *kind = json_object_get(ev, "kind"), *at = json_object_get(ev, "at_ms");
    json_t *slot = json_object_get(ev, "slot");
    if (kind == NULL || at == NULL) {
        reject(x, i, "missing_field", kind ? "at_ms" : "kind", "field '%s' is required",
               kind ? "at_ms" : "kind");
        return false;
    }
    e->kind = json_is_string(kind) ? event_kind_parse(json_string_value(kind)) : EVENT_NONE;
    if (e->kind == EVENT_NONE) {
        reject(x, i, "invalid_field", "kind", "'kind' is not a kind of event");
        return false;
    }
    e->client_ms = json_is_integer(at) ? json_integer_value(at) : 0;
    if (!json_is_integer(at) || e->client_ms < x->now_ms - LIMIT_EVENT_PAST_MS ||
        e->client_ms > x->now_ms + LIMIT_EVENT_FUTURE_MS) {
        reject(x, i, "invalid_field", "at_ms",
               "'at_ms' must be UTC milliseconds within the last 7 days");
        return false;
    }
    if (event_has_slot(e->kind) || slot != NULL) {
        e->slot = event_has_slot(e->kind) && json_is_string(slot)
                      ? event_slot_parse(json_string_value(slot))
                      : EVENT_SLOT_NONE;
        if (e->slot == EVENT_SLOT_NONE) {
            reject(x, i, slot ? "invalid_field" : "missing_field", "slot", "%s",
                   event_has_slot(e->kind) ? "'slot' must be \"home\" or \"feed\""
                                           : "only a recommendation_impression has a slot");
            return false;
        }
    }
    return true;
}

static void parse_event(struct ingest *x, size_t i, json_t *ev)
{
    x->row[i].ok = true;
    x->accepted++;
    if (!json_is_object(ev)) {
        reject(x, i, "invalid_field", NULL, "an event must be a JSON object");
        return;
    }
    static const char *const known[] = {"kind",    "at_ms",      "slot",
                                        "zone_id", "product_id", "content_id"};
    const char *key;
    json_t *v;
    json_object_foreach(ev, key, v) {
        bool found = false;
        for (size_t k = 0; k < ARRAY_LEN(known) && !found; k++)
            found = strcmp(key, known[k]) == 0;
        if (!found) {
            /* The field's own name would echo the client's text: say which event instead. */
            reject(x, i, "unknown_field", NULL, "an event has an unknown field");
            return;
        }
    }
    if (parse_head(x, i, ev))
        parse_ids(x, i, ev);
}

/* ---- subjects: each distinct id looked up once ---- */

static struct subject *subject_slot(struct ingest *x, unsigned type, int64_t id)
{
    uint64_t h = ((uint64_t)id ^ type) * UINT64_C(0x9e3779b97f4a7c15);
    for (size_t i = 0, s = (size_t)(h >> 54); i < SUBJECT_SLOTS; i++, s = (s + 1) % SUBJECT_SLOTS) {
        struct subject *e = &x->subjects[s];
        if (e->type == 0 || (e->type == type && e->id == id))
            return e;
    }
    BUG("subject table full"); /* cannot happen: at most LIMIT_EVENTS_PER_BATCH entries */
}

static enum store_rc lookup(struct store_conn *c, struct subject *s, struct store_err *err)
{
    static const char *const sql[] = {
        "SELECT id FROM institutions WHERE id = ? AND status IN ('pilot', 'live')",
        "SELECT p.institution_id FROM products p JOIN institutions i ON i.id = p.institution_id "
        "WHERE p.id = ? AND i.status IN ('pilot', 'live')",
        "SELECT c.institution_id FROM contents c JOIN institutions i ON i.id = c.institution_id "
        "WHERE c.id = ? AND i.status IN ('pilot', 'live')",
    };
    size_t k = s->type == EVENT_SUBJECT_ZONE ? 0 : s->type == EVENT_SUBJECT_PRODUCT ? 1 : 2;
    struct store_val p[] = {SV_INT(s->id)};
    enum store_rc rc = store_query_int(c, sql[k], p, 1, &s->institution_id, err);
    return rc == STORE_DONE ? STORE_OK : rc;
}

/* Sets each event's institution from its subject; rejects those whose subject is unknown or
 * belongs to an institution that is not open to investors. */
static bool resolve_or_reply(struct req *r, struct ingest *x)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return false;
    struct store_err err;
    for (size_t i = 0; i < x->n; i++) {
        struct ev_row *e = &x->row[i];
        if (!e->ok)
            continue;
        struct subject *s = subject_slot(x, e->subject, e->subject_id);
        if (s->type == 0) {
            *s = (struct subject){.type = e->subject, .id = e->subject_id};
            enum store_rc rc = lookup(c, s, &err);
            if (rc != STORE_OK) {
                req_store_problem(r, rc, &err);
                return false;
            }
        }
        e->institution_id = s->institution_id;
        if (e->institution_id == 0) {
            const char *field = e->subject == EVENT_SUBJECT_ZONE      ? "zone_id"
                                : e->subject == EVENT_SUBJECT_PRODUCT ? "product_id"
                                                                      : "content_id";
            reject(x, i, "not_found", field, "no such %s", field);
        }
    }
    return true;
}

/* ---- storing ---- */

/* Rows per INSERT: 8 rows of 8 columns fill LIMIT_SQL_PARAMS. One statement step per 8
 * events instead of per event cuts the writer's time per event by about a third. */
#define ROWS_PER_INSERT 8
#define EVENT_COLS      8
#define ROW_VALUES      "(?, ?, ?, ?, ?, ?, ?, ?)"
_Static_assert(ROWS_PER_INSERT *EVENT_COLS <= LIMIT_SQL_PARAMS, "one statement's parameters");

static const char insert_one[] = "INSERT INTO events (id, kind, investor_key, institution_id, "
                                 "product_id, content_id, slot, client_ms) VALUES " ROW_VALUES;
static const char insert_many[] =
    "INSERT INTO events (id, kind, investor_key, institution_id, product_id, content_id, slot, "
    "client_ms) VALUES " ROW_VALUES ", " ROW_VALUES ", " ROW_VALUES ", " ROW_VALUES ", " ROW_VALUES
    ", " ROW_VALUES ", " ROW_VALUES ", " ROW_VALUES;

static void bind_row(struct store_val *p, int64_t id, int64_t key, const struct ev_row *e)
{
    p[0] = SV_INT(id);
    p[1] = SV_INT(e->kind);
    p[2] = SV_INT(key);
    p[3] = SV_INT(e->institution_id);
    p[4] = e->subject == EVENT_SUBJECT_PRODUCT ? SV_INT(e->subject_id) : SV_NULL_;
    p[5] = e->subject == EVENT_SUBJECT_CONTENT ? SV_INT(e->subject_id) : SV_NULL_;
    p[6] = SV_INT_OR_NULL((int64_t)e->slot);
    p[7] = SV_INT(e->client_ms);
}

static enum store_rc events_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct ingest *x = ctx;
    int64_t last = 0;
    enum store_rc rc =
        store_query_int(c, "SELECT COALESCE(MAX(id), 0) FROM events", NULL, 0, &last, err);
    /* Time-ordered and strictly increasing whatever the clock does: a day's events are one
     * range of ids. */
    int64_t id = x->now_ms << LIMIT_EVENT_ID_SHIFT;
    id = id > last ? id : last + 1;
    struct store_val p[ROWS_PER_INSERT * EVENT_COLS];
    /* Whole statements of 8 rows first, then the remainder one row at a time. */
    size_t full = x->accepted / ROWS_PER_INSERT * ROWS_PER_INSERT, k = 0, rows = 0;
    for (size_t i = 0; i < x->n && rc == STORE_OK; i++) {
        if (!x->row[i].ok)
            continue;
        bind_row(p + rows * EVENT_COLS, id++, x->investor_key, &x->row[i]);
        rows++;
        if (k++ >= full || rows == ROWS_PER_INSERT) {
            rc = store_exec(c, rows == 1 ? insert_one : insert_many, p, rows * EVENT_COLS, NULL,
                            err);
            rows = 0;
        }
    }
    ASSERT(rc != STORE_OK || rows == 0);
    return rc;
}

static int by_index(const void *a, const void *b)
{
    const struct rejection *x = a, *y = b;
    return (x->index > y->index) - (x->index < y->index);
}

static void reply_counts(struct req *r, struct ingest *x)
{
    qsort(x->rej, x->rejected, sizeof(*x->rej), by_index);
    json_t *rej = json_array();
    for (size_t i = 0; i < x->rejected; i++) {
        const struct rejection *j = &x->rej[i];
        json_t *o = json_pack("{s:I,s:s,s:s}", "index", (json_int_t)j->index, "code", j->code,
                              "detail", j->detail);
        if (j->field != NULL)
            json_object_set_new(o, "field", json_string(j->field));
        json_array_append_new(rej, o);
    }
    req_reply_json(r, 200,
                   json_pack("{s:I,s:o}", "accepted", (json_int_t)x->accepted, "rejected", rej));
}

static void events_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    if (rc != STORE_OK) {
        req_store_problem(r, rc, err);
        return;
    }
    reply_counts(r, r->write.ctx);
}

/* Refuses what the investor's budget does not cover; false (429 answered) when it covers
 * nothing at all. */
static bool budget_or_reply(struct req *r, struct ingest *x)
{
    int64_t wait_ms = 0;
    int64_t allowed = budget_take(r->sess.user_id, r->cfg->events_per_minute, r->now_ms,
                                  (int64_t)x->accepted, &wait_ms);
    if (allowed == 0 && x->accepted > 0) {
        char retry[24];
        snprintf(retry, sizeof(retry), "%lld", (long long)(wait_ms + 999) / 1000);
        req_problem(r, 429, "rate_limited", NULL,
                    "more than %lld events a minute from this investor; retry in %s s",
                    (long long)r->cfg->events_per_minute, retry);
        req_add_header(r, "Retry-After", retry);
        return false;
    }
    for (size_t i = 0; i < x->n; i++) {
        if (!x->row[i].ok)
            continue;
        if (allowed > 0)
            allowed--;
        else
            reject(x, i, "rate_limited", NULL, "over this investor's events a minute");
    }
    return true;
}

void api_events_ingest(struct req *r)
{
    json_t *j = req_json_or_reply(r), *events = NULL;
    struct field f[] = {FIELD_ARRAY("events", true, 1, LIMIT_EVENTS_PER_BATCH, &events)};
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    size_t n = json_array_size(events);
    struct ingest *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x != NULL) {
        x->row = arena_zalloc(&r->arena, n * sizeof(*x->row));
        x->rej = arena_zalloc(&r->arena, n * sizeof(*x->rej));
    }
    if (x == NULL || x->row == NULL || x->rej == NULL) {
        req_problem(r, 503, "unavailable", NULL, "out of memory for this batch");
        return;
    }
    x->n = n;
    x->now_ms = r->now_ms;
    for (size_t i = 0; i < n; i++)
        parse_event(x, i, json_array_get(events, i));
    if (x->accepted > 0 && !resolve_or_reply(r, x))
        return;
    if (!budget_or_reply(r, x))
        return;
    if (x->accepted == 0) {
        reply_counts(r, x);
        return;
    }
    x->investor_key = crypto_pseudonym(r->cfg->data_key, CRYPTO_PURPOSE_EVENTS, r->sess.user_id);
    req_write_quiet(r, events_write, x, events_then);
}
