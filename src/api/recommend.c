/*
 * recommend.c: the recommendation slots and their delivered counts (see recommend.h).
 *
 * One process-wide table holds, for the served day, each allocated institution's
 * allocation and delivered count, and a min-heap keyed by (delivered + 1) / allocated, so a
 * slot costs O(log n) under one mutex whatever the number of institutions. The table is
 * reloaded when the served day or the latest record changes. Counts not yet written ("pending") go
 * to the store in one write per LIMIT_RECOMMEND_FLUSH_MS from the flusher thread.
 */
#include "api/recommend.h"

#include "api/api.h"
#include "api/handlers.h"
#include "base/check.h"
#include "base/log.h"
#include "core/fairrule.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct slot {
    int64_t id;
    int64_t alloc;     /* impressions allocated by the record */
    int64_t delivered; /* on the served day, this process's view */
    int64_t pending;   /* delivered here, not yet written */
    uint64_t tie;      /* fr_tie_hash of the served day */
    bool hidden;       /* found not open to investors: skipped until the next load */
};

/* Counts of an earlier served day still to be written. */
struct owed {
    char day[CIVIL_DATE_CAP];
    int64_t id, n;
};

static struct {
    pthread_mutex_t lock;
    char served[CIVIL_DATE_CAP];
    char record[CIVIL_DATE_CAP];
    struct slot *v;
    size_t n;
    size_t *heap; /* indices into v */
    size_t hn;
    struct owed *owed;
    size_t on, ocap;
    /* the flusher */
    struct store *store;
    pthread_t thread;
    pthread_cond_t wake;
    bool running, stopping;
} rs = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* ---- the heap ---- */

static bool before(size_t a, size_t b)
{
    const struct slot *x = &rs.v[a], *y = &rs.v[b];
    __int128 l = (__int128)(x->delivered + 1) * y->alloc,
             r = (__int128)(y->delivered + 1) * x->alloc;
    if (l != r)
        return l < r;
    if (x->tie != y->tie)
        return x->tie < y->tie;
    return x->id < y->id;
}

static void sift_down(size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < rs.hn && before(rs.heap[l], rs.heap[m]))
            m = l;
        if (r < rs.hn && before(rs.heap[r], rs.heap[m]))
            m = r;
        if (m == i)
            return;
        size_t t = rs.heap[i];
        rs.heap[i] = rs.heap[m];
        rs.heap[m] = t;
        i = m;
    }
}

static void sift_up(size_t i)
{
    while (i > 0 && before(rs.heap[i], rs.heap[(i - 1) / 2])) {
        size_t p = (i - 1) / 2, t = rs.heap[i];
        rs.heap[i] = rs.heap[p];
        rs.heap[p] = t;
        i = p;
    }
}

static size_t pop(void)
{
    ASSERT(rs.hn > 0);
    size_t top = rs.heap[0];
    rs.heap[0] = rs.heap[--rs.hn];
    sift_down(0);
    return top;
}

static void push(size_t idx)
{
    rs.heap[rs.hn++] = idx;
    sift_up(rs.hn - 1);
}

/* ---- loading ---- */

struct loaded {
    struct slot *v;
    size_t n, cap;
    struct civil_date served;
};

static int take_slot(void *ctx, const struct store_row *row)
{
    struct loaded *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        struct slot *v = realloc(l->v, cap * sizeof(*v));
        if (v == NULL)
            return 1;
        l->v = v;
        l->cap = cap;
    }
    struct slot *s = &l->v[l->n++];
    s->id = store_row_int(row, 0);
    s->alloc = store_row_int(row, 1);
    s->delivered = store_row_int(row, 2);
    s->pending = 0;
    s->tie = fr_tie_hash(l->served, s->id);
    s->hidden = false;
    return l->n >= FR_INSTITUTIONS_MAX;
}

static void owe(const char *day, int64_t id, int64_t n)
{
    if (rs.on == rs.ocap) {
        size_t cap = rs.ocap ? 2 * rs.ocap : 64;
        struct owed *o = realloc(rs.owed, cap * sizeof(*o));
        if (o == NULL) {
            log_error("recommend: out of memory; %lld delivered impressions not counted",
                      (long long)n);
            return;
        }
        rs.owed = o;
        rs.ocap = cap;
    }
    snprintf(rs.owed[rs.on].day, CIVIL_DATE_CAP, "%s", day);
    rs.owed[rs.on].id = id;
    rs.owed[rs.on].n = n;
    rs.on++;
}

static int cmp_id(const void *a, const void *b)
{
    const struct slot *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Installs a freshly loaded table (under the lock), carrying the counts of this process. */
static void install(struct loaded *l, const char *served, const char *record)
{
    bool same_day = strcmp(rs.served, served) == 0;
    for (size_t i = 0; i < rs.n; i++) {
        struct slot *old = &rs.v[i];
        if (old->pending == 0)
            continue;
        struct slot key = {.id = old->id};
        struct slot *now = same_day ? bsearch(&key, l->v, l->n, sizeof(key), cmp_id) : NULL;
        if (now != NULL) {
            now->delivered += old->pending;
            now->pending = old->pending;
        } else {
            owe(rs.served, old->id, old->pending);
        }
    }
    free(rs.v);
    free(rs.heap);
    rs.v = l->v;
    rs.n = l->n;
    rs.heap = malloc((l->n ? l->n : 1) * sizeof(*rs.heap));
    ASSERT(rs.heap != NULL);
    rs.hn = 0;
    for (size_t i = 0; i < rs.n; i++)
        if (rs.v[i].alloc > 0)
            push(i);
    snprintf(rs.served, sizeof(rs.served), "%s", served);
    snprintf(rs.record, sizeof(rs.record), "%s", record);
    l->v = NULL;
}

static int take_day(void *ctx, const struct store_row *row)
{
    snprintf(ctx, CIVIL_DATE_CAP, "%s", store_row_text(row, 0, NULL));
    return 1;
}

/* Brings the table to the served day of r and the latest record before it. The record is
 * looked up on every call (one read of the primary key's last entry), so a day published
 * by the batch in another process is followed at once; the table is loaded only when the
 * served day or the record changes. */
static enum store_rc refresh(struct req *r, struct store_conn *c, struct store_err *err)
{
    struct civil_date today = civil_date_of_ms_cst(r->now_ms);
    char served[CIVIL_DATE_CAP], record[CIVIL_DATE_CAP] = "";
    civil_date_format(today, served, sizeof(served));
    struct store_val p[] = {SV_TEXT(served)};
    enum store_rc rc =
        store_query(c, "SELECT MAX(day) FROM fair_days WHERE day < ?", p, 1, take_day, record, err);
    pthread_mutex_lock(&rs.lock);
    bool same = strcmp(rs.served, served) == 0 && strcmp(rs.record, record) == 0;
    pthread_mutex_unlock(&rs.lock);
    if (rc != STORE_OK || same)
        return rc;
    struct loaded l = {NULL, 0, 0, today};
    struct store_val q[] = {SV_TEXT(record), SV_TEXT(served)};
    rc = store_query(c,
                     "SELECT x.institution_id, x.impressions, COALESCE(d.delivered, 0) FROM "
                     "fair_day_results x LEFT JOIN fair_deliveries d ON d.day = ?2 AND "
                     "d.institution_id = x.institution_id WHERE x.day = ?1 ORDER BY "
                     "x.institution_id",
                     q, 2, take_slot, &l, err);
    if (rc == STORE_OK) {
        pthread_mutex_lock(&rs.lock);
        install(&l, served, record);
        pthread_mutex_unlock(&rs.lock);
    }
    free(l.v);
    return rc;
}

/* ---- picking ---- */

#define PICK_ROUNDS 3 /* rounds of replacing picks found not open to investors */

/* Takes up to `want` institutions not in got[0..*n) (under the lock) and counts them. */
static void take(size_t want, size_t *got, size_t *n)
{
    size_t start = *n, again[LIMIT_RECOMMEND_SLOTS_MAX], na = 0;
    while (*n < start + want && rs.hn > 0) {
        size_t idx = pop();
        if (rs.v[idx].hidden)
            continue; /* dropped until the next load */
        bool dup = false;
        for (size_t k = 0; k < start; k++)
            dup = dup || got[k] == idx;
        if (dup) { /* already in this answer: back in the heap afterwards */
            ASSERT(na < ARRAY_LEN(again));
            again[na++] = idx;
            continue;
        }
        got[(*n)++] = idx;
    }
    for (size_t k = 0; k < na; k++)
        push(again[k]);
    for (size_t k = start; k < *n; k++) {
        rs.v[got[k]].delivered++;
        rs.v[got[k]].pending++;
        push(got[k]);
    }
}

struct shown {
    json_t *by_id; /* id string -> item */
};

static int take_shown(void *ctx, const struct store_row *row)
{
    struct shown *s = ctx;
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)store_row_int(row, 0));
    json_object_set_new(
        s->by_id, id,
        json_pack("{s:o,s:s,s:s,s:s,s:b}", "institution_id", json_id(store_row_int(row, 0)), "name",
                  store_row_text(row, 1, NULL), "short_name", store_row_text(row, 2, NULL),
                  "zone_name", store_row_text(row, 4, NULL), "platform_own",
                  (int)store_row_int(row, 3)));
    return 0;
}

/* The picks got[from..n) that are open to investors, as items in s->by_id. */
static enum store_rc look_up(struct store_conn *c, const int64_t *ids, size_t from, size_t n,
                             struct shown *s, struct store_err *err)
{
    char sql[1024] = "SELECT i.id, i.name, i.short_name, i.platform_own, COALESCE((SELECT "
                     "z.display_name FROM zone_versions z WHERE z.institution_id = i.id AND "
                     "z.status = 'approved' ORDER BY z.submitted_ms DESC LIMIT 1), i.name) FROM "
                     "institutions i WHERE i.status IN ('pilot', 'live') AND i.id IN (";
    struct store_val p[LIMIT_RECOMMEND_SLOTS_MAX];
    size_t len = strlen(sql);
    for (size_t k = from; k < n; k++) {
        p[k - from] = SV_INT(ids[k]);
        len += (size_t)snprintf(sql + len, sizeof(sql) - len, "%s?", k > from ? ", " : "");
    }
    snprintf(sql + len, sizeof(sql) - len, ")");
    return store_query(c, sql, p, n - from, take_shown, s, err);
}

enum store_rc recommend_pick(struct req *r, int64_t slots, json_t *items,
                             char record_date[CIVIL_DATE_CAP], struct store_err *err)
{
    ASSERT(slots >= 1 && slots <= LIMIT_RECOMMEND_SLOTS_MAX);
    struct store_conn *c = store_reader(r->store, err);
    if (c == NULL)
        return err->rc ? err->rc : STORE_ERROR;
    enum store_rc rc = refresh(r, c, err);
    if (rc != STORE_OK)
        return rc;
    size_t got[LIMIT_RECOMMEND_SLOTS_MAX], n = 0, shown = 0;
    int64_t ids[LIMIT_RECOMMEND_SLOTS_MAX];
    struct shown s = {json_object()};
    for (int round = 0; round < PICK_ROUNDS && shown < (size_t)slots && rc == STORE_OK; round++) {
        size_t from = n;
        pthread_mutex_lock(&rs.lock);
        snprintf(record_date, CIVIL_DATE_CAP, "%s", rs.record);
        take((size_t)slots - shown, got, &n);
        for (size_t k = from; k < n; k++)
            ids[k] = rs.v[got[k]].id;
        pthread_mutex_unlock(&rs.lock);
        if (n == from)
            break;
        rc = look_up(c, ids, from, n, &s, err);
        pthread_mutex_lock(&rs.lock);
        for (size_t k = from; k < n && rc == STORE_OK; k++) {
            char id[24];
            snprintf(id, sizeof(id), "%lld", (long long)ids[k]);
            json_t *item = json_object_get(s.by_id, id);
            bool same = k < rs.n && got[k] < rs.n && rs.v[got[k]].id == ids[k];
            if (item != NULL) {
                json_array_append(items, item);
                shown++;
            } else if (same) { /* not open to investors: not delivered, not picked again */
                rs.v[got[k]].hidden = true;
                rs.v[got[k]].delivered--;
                rs.v[got[k]].pending--;
            }
        }
        pthread_mutex_unlock(&rs.lock);
    }
    json_decref(s.by_id);
    return rc;
}

/* ---- writing the counts ---- */

struct batch {
    struct owed *o;
    size_t n;
};

static enum store_rc flush_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct batch *b = ctx;
    enum store_rc rc = STORE_OK;
    for (size_t i = 0; i < b->n && rc == STORE_OK; i++) {
        struct store_val p[] = {SV_TEXT(b->o[i].day), SV_INT(b->o[i].id), SV_INT(b->o[i].n)};
        rc = store_exec(c,
                        "INSERT INTO fair_deliveries (day, institution_id, delivered) VALUES (?, "
                        "?, ?) ON CONFLICT (day, institution_id) DO UPDATE SET delivered = "
                        "delivered + excluded.delivered",
                        p, 3, NULL, err);
    }
    return rc;
}

/* Writes every pending and owed count in one write; on failure they are owed again. */
static void flush(void)
{
    pthread_mutex_lock(&rs.lock);
    for (size_t i = 0; i < rs.n; i++) {
        if (rs.v[i].pending != 0)
            owe(rs.served, rs.v[i].id, rs.v[i].pending);
        rs.v[i].pending = 0;
    }
    struct batch b = {rs.owed, rs.on};
    rs.owed = NULL;
    rs.on = rs.ocap = 0;
    pthread_mutex_unlock(&rs.lock);
    if (b.n == 0) {
        free(b.o);
        return;
    }
    struct store_err err = {0};
    enum store_rc rc = store_write_sync(rs.store, flush_write, &b, &err);
    if (rc != STORE_OK) {
        log_warn("recommend: delivered counts not written (%s); trying again", err.msg);
        pthread_mutex_lock(&rs.lock);
        for (size_t i = 0; i < b.n; i++)
            owe(b.o[i].day, b.o[i].id, b.o[i].n);
        pthread_mutex_unlock(&rs.lock);
    }
    free(b.o);
}

static void *flusher_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&rs.lock);
    while (!rs.stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (long)(LIMIT_RECOMMEND_FLUSH_MS % 1000) * 1000000L;
        until.tv_sec += LIMIT_RECOMMEND_FLUSH_MS / 1000 + until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        while (!rs.stopping && pthread_cond_timedwait(&rs.wake, &rs.lock, &until) == 0) {
        }
        pthread_mutex_unlock(&rs.lock);
        flush();
        pthread_mutex_lock(&rs.lock);
    }
    pthread_mutex_unlock(&rs.lock);
    return NULL;
}

int recommend_start(struct store *s)
{
    ASSERT(!rs.running);
    rs.store = s;
    rs.stopping = false;
    if (pthread_create(&rs.thread, NULL, flusher_main, NULL) != 0)
        return -1;
    rs.running = true;
    return 0;
}

void recommend_stop(void)
{
    if (rs.running) {
        pthread_mutex_lock(&rs.lock);
        rs.stopping = true;
        pthread_cond_signal(&rs.wake);
        pthread_mutex_unlock(&rs.lock);
        pthread_join(rs.thread, NULL);
        rs.running = false;
        flush();
    }
    pthread_mutex_lock(&rs.lock);
    free(rs.v);
    free(rs.heap);
    free(rs.owed);
    rs.v = NULL;
    rs.heap = NULL;
    rs.owed = NULL;
    rs.n = rs.hn = rs.on = rs.ocap = 0;
    rs.served[0] = rs.record[0] = '\0';
    pthread_mutex_unlock(&rs.lock);
}

/* ---- the public slots ---- */

void api_public_recommendations(struct req *r)
{
    int64_t slots = LIMIT_FEED_RECOMMENDATIONS;
    if (!req_query_int_or_reply(r, "slots", 1, LIMIT_RECOMMEND_SLOTS_MAX, &slots))
        return;
    json_t *items = json_array();
    char record[CIVIL_DATE_CAP] = "", served[CIVIL_DATE_CAP];
    civil_date_format(civil_date_of_ms_cst(r->now_ms), served, sizeof(served));
    struct store_err err;
    enum store_rc rc = recommend_pick(r, slots, items, record, &err);
    if (rc != STORE_OK) {
        json_decref(items);
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:s,s:o,s:o}", "date", served, "record_date",
                             record[0] ? json_string(record) : json_null(), "items", items));
}
