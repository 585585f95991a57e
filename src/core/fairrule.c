/* fairrule.c: scores and the allocation of impressions (see fairrule.h). */
#include "core/fairrule.h"

#include "base/check.h"
#include "base/crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    enum fr_direction direction;
} catalogue[FR_METRICS] = {
    [FR_RESPONSE_S] = {"question_response_time", FR_LOWER},
    [FR_ANSWER_RATE] = {"answer_rate", FR_HIGHER},
    [FR_RETENTION_90D] = {"holder_retention_90d", FR_HIGHER},
    [FR_COMPLAINTS_PER_10K] = {"complaint_rate", FR_LOWER},
    [FR_COMPLIANCE] = {"compliance_record", FR_HIGHER},
    [FR_ENGAGEMENT] = {"content_engagement", FR_HIGHER},
    [FR_FOLLOWER_GROWTH] = {"follower_growth", FR_HIGHER},
};

const char *fr_metric_name(enum fr_metric m)
{
    return (unsigned)m < FR_METRICS ? catalogue[m].name : NULL;
}

bool fr_metric_parse(const char *s, enum fr_metric *out)
{
    for (int m = 0; s != NULL && m < FR_METRICS; m++) {
        if (strcmp(s, catalogue[m].name) == 0) {
            *out = (enum fr_metric)m;
            return true;
        }
    }
    return false;
}

enum fr_direction fr_metric_direction(enum fr_metric m)
{
    ASSERT((unsigned)m < FR_METRICS);
    return catalogue[m].direction;
}

const char *fr_rc_str(enum fr_rc rc)
{
    switch (rc) {
    case FR_OK:
        return "ok";
    case FR_E_TERMS:
        return "a rule needs one to seven metrics";
    case FR_E_DUPLICATE:
        return "a metric appears twice";
    case FR_E_WEIGHT:
        return "a weight must be 1 to 1000";
    case FR_E_RANGE:
        return "a range needs lo < hi, both within ±10^12";
    case FR_E_MISSING:
        return "missing_ppm must be 0 to 1000000";
    case FR_E_TOTAL:
        return "the day's impressions must be 1 to 10^12";
    case FR_E_FLOOR:
        return "floor_days must be 0 to 365 and floor_ppm 0 to 1000000";
    case FR_E_CAP:
        return "cap_ppm must be 1 to 1000000";
    case FR_E_INPUTS:
        return "the inputs need 1 to 100000 institutions with distinct ids in ascending order "
               "and values within ±10^12";
    }
    return "?";
}

enum fr_rc fr_rule_check(const struct fr_rule *r, int *term)
{
    *term = -1;
    if (r->n < 1 || r->n > FR_METRICS)
        return FR_E_TERMS;
    bool seen[FR_METRICS] = {false};
    for (size_t i = 0; i < r->n; i++) {
        const struct fr_term *t = &r->term[i];
        *term = (int)i;
        if ((unsigned)t->metric >= FR_METRICS || seen[t->metric])
            return FR_E_DUPLICATE;
        seen[t->metric] = true;
        if (t->weight < 1 || t->weight > FR_WEIGHT_MAX)
            return FR_E_WEIGHT;
        if (t->norm == FR_RANGE &&
            (t->lo >= t->hi || t->lo < -FR_VALUE_ABS_MAX || t->hi > FR_VALUE_ABS_MAX))
            return FR_E_RANGE;
        if (t->missing_ppm < 0 || t->missing_ppm > FR_PPM_ONE)
            return FR_E_MISSING;
    }
    *term = -1;
    if (r->total < 1 || r->total > FR_TOTAL_MAX)
        return FR_E_TOTAL;
    if (r->floor_days < 0 || r->floor_days > 365 || r->floor_ppm < 0 || r->floor_ppm > FR_PPM_ONE)
        return FR_E_FLOOR;
    if (r->cap_ppm < 1 || r->cap_ppm > FR_PPM_ONE)
        return FR_E_CAP;
    return FR_OK;
}

uint64_t fr_tie_hash(struct civil_date day, int64_t inst_id)
{
    char text[CIVIL_DATE_CAP + 24];
    char d[CIVIL_DATE_CAP];
    civil_date_format(day, d, sizeof(d));
    int n = snprintf(text, sizeof(text), "%s:%lld", d, (long long)inst_id);
    ASSERT(n > 0 && (size_t)n < sizeof(text));
    uint8_t h[CRYPTO_SHA256_BYTES];
    crypto_sha256(text, (size_t)n, h);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | h[i];
    return v;
}

/* v clamped to [lo, hi] as ppm of the way from lo to hi, truncated; lo < hi. */
static int64_t position_ppm(int64_t v, int64_t lo, int64_t hi)
{
    if (v <= lo)
        return 0;
    if (v >= hi)
        return FR_PPM_ONE;
    return (int64_t)((__int128)(v - lo) * FR_PPM_ONE / (hi - lo));
}

static void normalise(const struct fr_rule *r, const struct fr_input *in, size_t n,
                      struct fr_output *out)
{
    for (size_t k = 0; k < r->n; k++) {
        const struct fr_term *t = &r->term[k];
        int64_t lo = t->lo, hi = t->hi;
        bool any = false;
        if (t->norm == FR_RELATIVE) {
            for (size_t i = 0; i < n; i++) {
                if (!in[i].has[t->metric])
                    continue;
                int64_t v = in[i].value[t->metric];
                lo = any && lo < v ? lo : v;
                hi = any && hi > v ? hi : v;
                any = true;
            }
        }
        for (size_t i = 0; i < n; i++) {
            int64_t p = t->missing_ppm;
            if (in[i].has[t->metric]) {
                p = lo < hi ? position_ppm(in[i].value[t->metric], lo, hi) : FR_PPM_ONE / 2;
                if (t->direction == FR_LOWER)
                    p = FR_PPM_ONE - p;
            }
            out[i].norm_ppm[t->metric] = p;
        }
    }
    int64_t wsum = 0;
    for (size_t k = 0; k < r->n; k++)
        wsum += r->term[k].weight;
    for (size_t i = 0; i < n; i++) {
        __int128 s = 0;
        for (size_t k = 0; k < r->n; k++)
            s += (__int128)r->term[k].weight * out[i].norm_ppm[r->term[k].metric];
        out[i].score_ppm = (int64_t)(s / wsum);
    }
}

/* ---- allocation ---- */

/* Where institution idx starts growing with λ (λ = lo / w) or stops at its cap (λ = hi / w). */
struct event {
    int64_t num, den;
    int stop; /* 0: start, 1: stop; at equal λ starts come first */
    uint32_t idx;
};

static int event_cmp(const void *a, const void *b)
{
    const struct event *x = a, *y = b;
    __int128 l = (__int128)x->num * y->den, r = (__int128)y->num * x->den;
    if (l != r)
        return l < r ? -1 : 1;
    if (x->stop != y->stop)
        return x->stop - y->stop;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* A growing institution's fractional share, for the largest-remainder step. */
struct share {
    int64_t rem;
    uint64_t tie;
    int64_t id;
    uint32_t idx;
};

static int share_cmp(const void *a, const void *b)
{
    const struct share *x = a, *y = b;
    if (x->rem != y->rem)
        return x->rem > y->rem ? -1 : 1;
    if (x->tie != y->tie)
        return x->tie < y->tie ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static void bounds(const struct fr_rule *r, const struct fr_input *in, size_t n,
                   struct fr_output *out)
{
    int64_t floor = (int64_t)(((__int128)r->total * r->floor_ppm + FR_PPM_ONE - 1) / FR_PPM_ONE);
    int64_t cap = (int64_t)((__int128)r->total * r->cap_ppm / FR_PPM_ONE);
    __int128 floors = 0, caps = (__int128)cap * (int64_t)n;
    for (size_t i = 0; i < n; i++)
        floors += in[i].is_new ? floor : 0;
    if (floors > r->total)
        floor = 0; /* the new ones cannot all have their floor: nobody has one */
    if (caps < r->total)
        cap = (r->total + (int64_t)n - 1) / (int64_t)n; /* the caps cannot hold the day */
    for (size_t i = 0; i < n; i++) {
        out[i].cap = cap;
        out[i].floor = in[i].is_new ? (floor < cap ? floor : cap) : 0;
    }
}

/*
 * Finds λ = num / den with Σ clamp(λ·w_i, floor_i, cap_i) = total (weights w_i = score + 1)
 * by sweeping, in order, the points where institutions leave their floor or reach their cap:
 * between two such points the sum grows linearly. bounds() made Σ floor <= total <= Σ cap,
 * so the sum reaches the total at or before the last point.
 */
static void find_lambda(const struct fr_rule *r, size_t n, const struct fr_output *out,
                        struct event *ev, int64_t *num, int64_t *den)
{
    __int128 fixed = 0;  /* Σ of the bounds of those not growing */
    int64_t growing = 0; /* Σ w of those growing */
    for (size_t i = 0; i < n; i++) {
        int64_t w = out[i].score_ppm + 1;
        ev[2 * i] = (struct event){out[i].floor, w, 0, (uint32_t)i};
        ev[2 * i + 1] = (struct event){out[i].cap, w, 1, (uint32_t)i};
        fixed += out[i].floor;
    }
    qsort(ev, 2 * n, sizeof(*ev), event_cmp);
    for (size_t e = 0; e < 2 * n; e++) {
        /* The sum at this point, fixed + λ_e · growing, over the denominator den_e. */
        __int128 at = fixed * ev[e].den + (__int128)ev[e].num * growing;
        if (at >= (__int128)r->total * ev[e].den) {
            if (growing > 0) { /* reached inside the segment that ends here */
                *num = (int64_t)(r->total - fixed);
                *den = growing;
            } else { /* flat at the total: any λ of it gives the same shares */
                *num = ev[e].num;
                *den = ev[e].den;
            }
            return;
        }
        int64_t w = out[ev[e].idx].score_ppm + 1;
        fixed += ev[e].stop ? out[ev[e].idx].cap : -out[ev[e].idx].floor;
        growing += ev[e].stop ? -w : w;
    }
    ASSERT(!"the caps hold the day's total");
}

static void allocate(const struct fr_rule *r, struct civil_date day, const struct fr_input *in,
                     size_t n, struct fr_output *out, void *scratch)
{
    bounds(r, in, n, out);
    int64_t num = 0, den = 1;
    find_lambda(r, n, out, scratch, &num, &den);
    struct share *sh = scratch;
    size_t ns = 0;
    int64_t given = 0;
    for (size_t i = 0; i < n; i++) {
        __int128 q = (__int128)num * (out[i].score_ppm + 1); /* λ·w_i, over den */
        if (q <= (__int128)out[i].floor * den) {
            out[i].impressions = out[i].floor;
        } else if (q >= (__int128)out[i].cap * den) {
            out[i].impressions = out[i].cap;
        } else {
            out[i].impressions = (int64_t)(q / den);
            sh[ns++] = (struct share){(int64_t)(q % den), fr_tie_hash(day, in[i].inst_id),
                                      in[i].inst_id, (uint32_t)i};
        }
        given += out[i].impressions;
    }
    qsort(sh, ns, sizeof(*sh), share_cmp);
    int64_t left = r->total - given;
    ASSERT(left >= 0 && (size_t)left <= ns);
    for (size_t k = 0; k < (size_t)left; k++)
        out[sh[k].idx].impressions++;
}

enum fr_rc fr_run(const struct fr_rule *r, struct civil_date day, const struct fr_input *in,
                  size_t n, struct fr_output *out)
{
    int term = -1;
    enum fr_rc rc = fr_rule_check(r, &term);
    if (rc != FR_OK)
        return rc;
    if (n < 1 || n > FR_INSTITUTIONS_MAX)
        return FR_E_INPUTS;
    for (size_t i = 0; i < n; i++) {
        if (in[i].inst_id <= 0 || (i > 0 && in[i].inst_id <= in[i - 1].inst_id))
            return FR_E_INPUTS;
        for (int m = 0; m < FR_METRICS; m++)
            if (in[i].has[m] &&
                (in[i].value[m] < -FR_VALUE_ABS_MAX || in[i].value[m] > FR_VALUE_ABS_MAX))
                return FR_E_INPUTS;
    }
    memset(out, 0, n * sizeof(*out));
    normalise(r, in, n, out);
    size_t bytes = 2 * n * sizeof(struct event);
    void *scratch = malloc(bytes > n * sizeof(struct share) ? bytes : n * sizeof(struct share));
    ASSERT(scratch != NULL);
    allocate(r, day, in, n, out, scratch);
    free(scratch);
    return FR_OK;
}

int fr_costliest(const struct fr_rule *r, const struct fr_output *o)
{
    int best = -1;
    int64_t worst = 0;
    for (size_t k = 0; k < r->n; k++) {
        const struct fr_term *t = &r->term[k];
        int64_t cost = t->weight * (FR_PPM_ONE - o->norm_ppm[t->metric]);
        if (cost > worst) {
            worst = cost;
            best = (int)t->metric;
        }
    }
    return best;
}
