/*
 * rollup_events.c: the day's interaction events, read as one range of ids, and the rows of
 * investor_days they make.
 *
 * A pass reads every event of the day once and keeps, in memory, the investors (by
 * pseudonym) whose pseudonym falls in its share: pseudonym mod passes = pass. Distinct
 * visitors per institution, product and content are then exact within the pass, and the
 * passes' counts add up because no investor is in two of them. One pass is enough for
 * LIMIT_ROLLUP_EVENTS_PER_PASS events; a larger day takes more, each reading the range again
 * (sequential reads are cheap; memory for every visitor of a huge day at once is not).
 *
 * Segment attributes (risk class, age band, province) are looked up by pseudonym: the job
 * makes every investor's pseudonym under the same key as the ingest did, once, keeping only
 * those of investors who have any attribute.
 */
#include "jobs/rollup_int.h"

#include "base/check.h"
#include "core/event.h"

#include <stdlib.h>
#include <string.h>

#define ATTR_RISK(a)   ((int)((a)&7u))
#define ATTR_AGE(a)    ((int)(((a) >> 3) & 7u))
#define ATTR_REGION(a) ((int)(((a) >> 6) & 127u))

struct attr_scan {
    struct rollup *x;
    bool oom;
};

static int take_attrs(void *ctx, const struct store_row *row)
{
    struct attr_scan *a = ctx;
    size_t blen = 0, ilen = 0;
    const char *birth = store_row_text(row, 1, &blen);
    const char *id = store_row_text(row, 2, &ilen);
    int64_t risk = store_row_is_null(row, 3) ? 0 : store_row_int(row, 3);
    struct civil_date b;
    int age = civil_date_parse(birth, blen, &b) == CIVIL_OK ? seg_age_band(b, a->x->d) : 0;
    int region = seg_region(id, ilen);
    if (risk < 1 || risk > 5)
        risk = 0;
    uint32_t v = (uint32_t)risk | (uint32_t)age << 3 | (uint32_t)region << 6;
    if (v == 0)
        return 0;
    bool added = false;
    int64_t key = crypto_pseudonym(a->x->key, CRYPTO_PURPOSE_EVENTS, store_row_int(row, 0));
    if (pmap_put(&a->x->attrs, key, 0, v, &added, LIMIT_ROLLUP_HOLDINGS_MAX) == NULL) {
        a->oom = true;
        return 1;
    }
    return 0;
}

enum store_rc rollup_attrs(struct rollup *x, struct store_err *err)
{
    if (!pmap_init(&x->attrs, 1024))
        return store_fail(err, STORE_ERROR, "out of memory");
    struct attr_scan a = {x, false};
    /* The risk class in force at the end of D: the latest assessment taken before it and
     * still valid then. */
    struct store_val p[] = {SV_INT(x->end_ms)};
    enum store_rc rc = store_query(
        x->rd,
        "SELECT u.id, COALESCE(p.birth_date, ''), COALESCE(p.id_number_masked, ''), (SELECT "
        "r.category FROM risk_assessments r WHERE r.investor_id = u.id AND r.taken_ms < ?1 AND "
        "r.valid_until_ms >= ?1 ORDER BY r.taken_ms DESC LIMIT 1) FROM users u LEFT JOIN "
        "investor_profiles p ON p.user_id = u.id WHERE u.kind = 'investor'",
        p, 1, take_attrs, &a, err);
    if (rc == STORE_OK && a.oom)
        rc = store_fail(err, STORE_ERROR, "out of memory for investors' segments");
    return rc;
}

/* ---- one pass ---- */

struct pass {
    struct rollup *x;
    int64_t index, count; /* this pass takes pseudonyms with part(key, count) = index */
    struct visitor *vis;
    size_t n_vis, cap_vis;
    struct pmap vis_ix;  /* (institution, key) → index in vis */
    struct pmap seen_pv; /* (product, key) */
    struct pmap seen_cv; /* (content, key) */
    int64_t read;        /* events read, for progress */
    bool oom;
};

/* The pass an investor key belongs to: its remainder made non-negative, computed the same
 * way as in the events query (SQL's % keeps the sign of the dividend, as C's does). */
static int64_t part(int64_t key, int64_t count)
{
    return (key % count + count) % count;
}

static struct visitor *visitor_of(struct pass *ps, int64_t inst, int64_t key)
{
    bool added = false;
    uint32_t *ix =
        pmap_put(&ps->vis_ix, inst, key, (uint32_t)ps->n_vis, &added, LIMIT_ROLLUP_HOLDINGS_MAX);
    if (ix == NULL)
        return NULL;
    if (added) {
        if (ps->n_vis == ps->cap_vis) {
            size_t cap = ps->cap_vis ? 2 * ps->cap_vis : 4096;
            struct visitor *v = realloc(ps->vis, cap * sizeof(*v));
            if (v == NULL)
                return NULL;
            ps->vis = v;
            ps->cap_vis = cap;
        }
        ps->vis[ps->n_vis++] = (struct visitor){.institution_id = inst, .key = key};
    }
    return &ps->vis[*ix];
}

static struct content_fig *content_of(struct rollup *x, int64_t id, int64_t inst)
{
    bool added = false;
    uint32_t *ix = pmap_put(&x->cont_ix, id, 0, (uint32_t)x->n_cont, &added, SIZE_MAX);
    if (ix == NULL)
        return NULL;
    if (added) {
        if (x->n_cont == x->cap_cont) {
            size_t cap = x->cap_cont ? 2 * x->cap_cont : 1024;
            struct content_fig *c = realloc(x->cont, cap * sizeof(*c));
            if (c == NULL)
                return NULL;
            x->cont = c;
            x->cap_cont = cap;
        }
        x->cont[x->n_cont++] = (struct content_fig){.id = id, .institution_id = inst};
    }
    return &x->cont[*ix];
}

static const uint32_t kind_flag[EVENT_KIND_COUNT] = {
    [EVENT_ZONE_VIEW] = SEG_F_ZONE_VIEW,       [EVENT_PRODUCT_VIEW] = SEG_F_PRODUCT_VIEW,
    [EVENT_CONTENT_VIEW] = SEG_F_CONTENT_VIEW, [EVENT_ORDER_STARTED] = SEG_F_ORDER_STARTED,
    [EVENT_ORDER_PLACED] = SEG_F_ORDER_PLACED,
};

/* Counts one event of the pass's investors. False when out of memory. */
static bool count_event(struct pass *ps, int kind, int64_t key, struct inst_fig *in,
                        int64_t product, int64_t content)
{
    bool added = false;
    if (kind == EVENT_IMPRESSION) { /* shown to the investor, not something they did */
        in->impressions++;
        return true;
    }
    struct visitor *v = visitor_of(ps, in->id, key);
    if (v == NULL)
        return false;
    v->flags |= SEG_F_VISITED | kind_flag[kind];
    in->zone_views += kind == EVENT_ZONE_VIEW;
    in->product_views += kind == EVENT_PRODUCT_VIEW;
    in->content_views += kind == EVENT_CONTENT_VIEW;
    in->shares += kind == EVENT_SHARE;
    struct product_fig *p = product ? rollup_product(ps->x, product) : NULL;
    if (p != NULL && p->institution_id == in->id) {
        p->views += kind == EVENT_PRODUCT_VIEW;
        p->orders_started += kind == EVENT_ORDER_STARTED;
        if (pmap_put(&ps->seen_pv, product, key, 0, &added, LIMIT_ROLLUP_HOLDINGS_MAX) == NULL)
            return false;
        p->visitors += added;
    }
    struct content_fig *c = content ? content_of(ps->x, content, in->id) : NULL;
    if (content && c == NULL)
        return false;
    if (c != NULL) {
        c->views += kind == EVENT_CONTENT_VIEW;
        c->shares += kind == EVENT_SHARE;
        if (pmap_put(&ps->seen_cv, content, key, 0, &added, LIMIT_ROLLUP_HOLDINGS_MAX) == NULL)
            return false;
        c->visitors += added;
    }
    return true;
}

static int take_event(void *ctx, const struct store_row *row)
{
    struct pass *ps = ctx;
    if (++ps->read % (1 << 20) == 0 && ps->x->progress)
        ps->x->progress(ps->x->pctx, ps->read + ps->index * ps->x->rep->events,
                        ps->x->rep->events * ps->count);
    int64_t key = store_row_int(row, 1);
    ASSERT(part(key, ps->count) == ps->index); /* the query keeps the pass's share only */
    int64_t kind = store_row_int(row, 0);
    struct inst_fig *in = rollup_inst(ps->x, store_row_int(row, 2));
    if (in == NULL || kind <= EVENT_NONE || kind >= EVENT_KIND_COUNT)
        return 0; /* an institution created since the job started */
    if (!count_event(ps, (int)kind, key, in, store_row_int(row, 3), store_row_int(row, 4))) {
        ps->oom = true;
        return 1;
    }
    return 0;
}

/* Adds the day's subscriptions of the pass's investors. */
static bool merge_buys(struct pass *ps)
{
    for (size_t i = 0; i < ps->x->n_buys; i++) {
        const struct buy *b = &ps->x->buys[i];
        if (part(b->key, ps->count) != ps->index)
            continue;
        struct visitor *v = visitor_of(ps, b->institution_id, b->key);
        if (v == NULL)
            return false;
        v->flags |= SEG_F_BOUGHT;
        v->orders += b->orders;
        v->amount_fen += b->amount_fen;
    }
    return true;
}

static int by_inst_key(const void *a, const void *b)
{
    const struct visitor *x = a, *y = b;
    if (x->institution_id != y->institution_id)
        return x->institution_id < y->institution_id ? -1 : 1;
    return (x->key > y->key) - (x->key < y->key);
}

struct vis_rows {
    struct rollup *x;
    struct visitor *v;
    size_t n;
};

static int take_first_day(void *ctx, const struct store_row *row)
{
    (void)row;
    *(bool *)ctx = true;
    return 0;
}

/*
 * Whether the investor is new to the institution on D, keeping the first day seen: one
 * statement, which inserts D for an investor never seen, moves a later first day back to D
 * (a day rolled up out of order), and returns a row in exactly those cases and when D is
 * already the first day (a rerun); an earlier first day returns nothing: a returning visitor.
 */
static enum store_rc first_seen(struct store_conn *c, const char *day, struct visitor *v,
                                struct store_err *err)
{
    struct store_val k[] = {SV_INT(v->institution_id), SV_INT(v->key), SV_TEXT(day)};
    v->is_new = false;
    return store_query(c,
                       "INSERT INTO investor_first_seen (institution_id, investor_key, first_day) "
                       "VALUES (?, ?, ?) ON CONFLICT (institution_id, investor_key) DO UPDATE SET "
                       "first_day = excluded.first_day WHERE excluded.first_day <= first_day "
                       "RETURNING first_day",
                       k, 3, take_first_day, &v->is_new, err);
}

/* investor_days rows, 6 to a statement (10 columns; 60 parameters of LIMIT_SQL_PARAMS). */
#define VIS_COLS       10
#define VIS_PER_INSERT 6
#define VIS_VALUES     "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_Static_assert(VIS_COLS *VIS_PER_INSERT <= LIMIT_SQL_PARAMS, "one statement's parameters");

static const char vis_insert_one[] = "INSERT INTO investor_days (institution_id, day, "
                                     "investor_key, flags, is_new, risk_class, age_band, region, "
                                     "orders, amount_fen) VALUES " VIS_VALUES;
static const char vis_insert_many[] =
    "INSERT INTO investor_days (institution_id, day, investor_key, flags, is_new, risk_class, "
    "age_band, region, orders, amount_fen) VALUES " VIS_VALUES ", " VIS_VALUES ", " VIS_VALUES
    ", " VIS_VALUES ", " VIS_VALUES ", " VIS_VALUES;

static void bind_visitor(struct store_val *p, const char *day, const struct visitor *v)
{
    p[0] = SV_INT(v->institution_id);
    p[1] = SV_TEXT(day);
    p[2] = SV_INT(v->key);
    p[3] = SV_INT(v->flags);
    p[4] = SV_INT(v->is_new);
    p[5] = SV_INT(ATTR_RISK(v->attrs));
    p[6] = SV_INT(ATTR_AGE(v->attrs));
    p[7] = SV_INT(ATTR_REGION(v->attrs));
    p[8] = SV_INT(v->orders);
    p[9] = SV_INT(v->amount_fen);
}

static enum store_rc vis_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct vis_rows *w = ctx;
    enum store_rc rc = STORE_OK;
    for (size_t i = 0; i < w->n && rc == STORE_OK; i++)
        rc = first_seen(c, w->x->day, &w->v[i], err);
    struct store_val p[VIS_COLS * VIS_PER_INSERT];
    size_t full = w->n / VIS_PER_INSERT * VIS_PER_INSERT;
    for (size_t i = 0; i < full && rc == STORE_OK; i += VIS_PER_INSERT) {
        for (size_t j = 0; j < VIS_PER_INSERT; j++)
            bind_visitor(p + j * VIS_COLS, w->x->day, &w->v[i + j]);
        rc = store_exec(c, vis_insert_many, p, ARRAY_LEN(p), NULL, err);
    }
    for (size_t i = full; i < w->n && rc == STORE_OK; i++) {
        bind_visitor(p, w->x->day, &w->v[i]);
        rc = store_exec(c, vis_insert_one, p, VIS_COLS, NULL, err);
    }
    return rc;
}

/* Attributes, per-institution counts and the rows of the pass's investors. */
static enum store_rc finish_pass(struct pass *ps, struct store_err *err)
{
    struct rollup *x = ps->x;
    if (ps->n_vis > 1) /* qsort wants a pointer even for nothing; vis is NULL then */
        qsort(ps->vis, ps->n_vis, sizeof(*ps->vis), by_inst_key);
    for (size_t i = 0; i < ps->n_vis; i++) {
        struct visitor *v = &ps->vis[i];
        uint32_t *a = pmap_get(&x->attrs, v->key, 0);
        v->attrs = a ? *a : 0;
        struct inst_fig *in = rollup_inst(x, v->institution_id);
        in->visitors += (v->flags & SEG_F_VISITED) != 0;
        for (int s = 0; s < SEG_FUNNEL_STEPS; s++)
            in->funnel[s] += (v->flags & seg_funnel_mask[s]) == seg_funnel_mask[s];
    }
    enum store_rc rc = STORE_OK;
    for (size_t from = 0; rc == STORE_OK && from < ps->n_vis; from += LIMIT_ROLLUP_CHUNK_ROWS) {
        size_t n =
            ps->n_vis - from < LIMIT_ROLLUP_CHUNK_ROWS ? ps->n_vis - from : LIMIT_ROLLUP_CHUNK_ROWS;
        struct vis_rows w = {x, ps->vis + from, n};
        rc = rollup_write(x, vis_write, &w, err);
        for (size_t i = 0; rc == STORE_OK && i < n; i++)
            rollup_inst(x, w.v[i].institution_id)->new_visitors +=
                w.v[i].is_new && (w.v[i].flags & SEG_F_VISITED);
    }
    x->rep->visitor_rows += rc == STORE_OK ? (int64_t)ps->n_vis : 0;
    return rc;
}

static enum store_rc run_pass(struct pass *ps, int64_t lo, int64_t hi, struct store_err *err)
{
    /* The pass's share is chosen in the query: the other investors' events cost a step of
     * the scan, not a trip through the row callback. */
    struct store_val p[] = {SV_INT(lo), SV_INT(hi), SV_INT(ps->count), SV_INT(ps->index)};
    enum store_rc rc = store_query(ps->x->rd,
                                   "SELECT kind, investor_key, institution_id, product_id, "
                                   "content_id FROM events WHERE id >= ?1 AND id < ?2 AND "
                                   "(investor_key % ?3 + ?3) % ?3 = ?4",
                                   p, 4, take_event, ps, err);
    if (rc == STORE_OK && (ps->oom || !merge_buys(ps)))
        rc = store_fail(err, STORE_ERROR, "out of memory for the day's visitors");
    if (rc == STORE_OK)
        rc = finish_pass(ps, err);
    return rc;
}

enum store_rc rollup_events(struct rollup *x, struct store_err *err)
{
    int64_t lo = x->start_ms << LIMIT_EVENT_ID_SHIFT, hi = x->end_ms << LIMIT_EVENT_ID_SHIFT;
    struct store_val p[] = {SV_INT(lo), SV_INT(hi)};
    enum store_rc rc = store_query_int(
        x->rd, "SELECT count(*) FROM events WHERE id >= ? AND id < ?", p, 2, &x->rep->events, err);
    if (rc != STORE_OK)
        return rc;
    int64_t need =
        (x->rep->events + LIMIT_ROLLUP_EVENTS_PER_PASS - 1) / LIMIT_ROLLUP_EVENTS_PER_PASS;
    int64_t passes = need > x->passes ? need : x->passes;
    passes = passes < 1 ? 1 : passes;
    if (passes > LIMIT_ROLLUP_PASSES_MAX)
        return store_fail(err, STORE_ERROR, "%lld events in one day need more than %d passes",
                          (long long)x->rep->events, LIMIT_ROLLUP_PASSES_MAX);
    x->rep->passes = passes;
    if (!pmap_init(&x->cont_ix, 1024))
        return store_fail(err, STORE_ERROR, "out of memory");
    /* Maps grow as they fill; start them at a visitor pair per 16 events of the pass. */
    size_t expect = (size_t)(x->rep->events / passes / 16);
    for (int64_t i = 0; rc == STORE_OK && i < passes; i++) {
        struct pass ps = {.x = x, .index = i, .count = passes};
        if (!pmap_init(&ps.vis_ix, expect) || !pmap_init(&ps.seen_pv, expect) ||
            !pmap_init(&ps.seen_cv, expect))
            rc = store_fail(err, STORE_ERROR, "out of memory for the day's visitors");
        if (rc == STORE_OK)
            rc = run_pass(&ps, lo, hi, err);
        free(ps.vis);
        pmap_free(&ps.vis_ix);
        pmap_free(&ps.seen_pv);
        pmap_free(&ps.seen_cv);
        if (rc == STORE_OK && x->progress)
            x->progress(x->pctx, (i + 1) * x->rep->events, passes * x->rep->events);
    }
    return rc;
}
