/*
 * rollup_hold.c: who held what at the end of a day, from the ledger itself.
 *
 * An investor's shares of a product at a moment are the sum of the postings into their
 * available and held share accounts before it, less those out of them (core/ledger.h), so
 * holdings at the end of any past day are exact even though share_lots only keep today's.
 * From the holdings at the end of D: holders and shares per product, AUM at the latest
 * confirmed NAV on or before D (shares_h × nav_e4 / 10^4 fen, half-up), holders per
 * institution (distinct investors holding any of its products). From those at the ends of
 * D-30 and D-90: retention, the share of those holders still holding on D (any of the
 * institution's products; for a product, that product).
 */
#include "jobs/rollup_int.h"

#include "base/check.h"
#include "base/money.h"

#include <stdlib.h>
#include <string.h>

struct holding {
    int64_t investor, product, shares_h;
};

struct holdings {
    struct holding *h;
    size_t n, cap;
    bool oom;
};

static int take_holding(void *ctx, const struct store_row *row)
{
    struct holdings *hs = ctx;
    size_t len = 0;
    const char *asset = store_row_text(row, 1, &len);
    int64_t product = 0;
    /* "P:<product id>"; the query asks for share assets only. */
    for (size_t i = 2; i < len && asset[i] >= '0' && asset[i] <= '9'; i++)
        product = product * 10 + (asset[i] - '0');
    if (hs->n == hs->cap) {
        size_t cap = hs->cap ? 2 * hs->cap : 1024;
        struct holding *h =
            cap <= LIMIT_ROLLUP_HOLDINGS_MAX ? realloc(hs->h, cap * sizeof(*h)) : NULL;
        if (h == NULL) {
            hs->oom = true;
            return 1;
        }
        hs->h = h;
        hs->cap = cap;
    }
    hs->h[hs->n++] = (struct holding){store_row_int(row, 0), product, store_row_int(row, 2)};
    return 0;
}

/* Every (investor, product) with shares at at_ms, into *hs (the caller frees hs->h). */
static enum store_rc holdings_at(struct rollup *x, int64_t at_ms, struct holdings *hs,
                                 struct store_err *err)
{
    memset(hs, 0, sizeof(*hs));
    struct store_val p[] = {SV_INT(at_ms)};
    enum store_rc rc = store_query(
        x->rd,
        "SELECT a.owner_id, a.asset, SUM(m.d) FROM (SELECT to_account AS acct, amount AS d FROM "
        "ledger_entries WHERE at_ms < ?1 AND asset <> 'CNY' UNION ALL SELECT from_account, "
        "-amount FROM ledger_entries WHERE at_ms < ?1 AND asset <> 'CNY') m JOIN "
        "ledger_accounts a ON a.id = m.acct WHERE a.kind IN ('available', 'held') AND "
        "a.asset LIKE 'P:%' GROUP BY a.owner_id, a.asset HAVING SUM(m.d) > 0",
        p, 1, take_holding, hs, err);
    if (rc == STORE_OK && hs->oom)
        rc = store_fail(err, STORE_ERROR, "more than %lld holdings",
                        (long long)LIMIT_ROLLUP_HOLDINGS_MAX);
    return rc;
}

struct held_sets {
    struct pmap by_product; /* (product, investor) held at the end of D */
    struct pmap by_inst;    /* (institution, investor) */
};

static enum store_rc count_end(struct rollup *x, const struct holdings *hs, struct held_sets *s,
                               struct store_err *err)
{
    for (size_t i = 0; i < hs->n; i++) {
        const struct holding *h = &hs->h[i];
        struct product_fig *p = rollup_product(x, h->product);
        struct inst_fig *in = p ? rollup_inst(x, p->institution_id) : NULL;
        if (in == NULL)
            continue;
        bool added = false;
        if (pmap_put(&s->by_product, h->product, h->investor, 0, &added, SIZE_MAX) == NULL ||
            pmap_put(&s->by_inst, in->id, h->investor, 0, &added, SIZE_MAX) == NULL)
            return store_fail(err, STORE_ERROR, "out of memory for holders");
        in->holders += added;
        p->holders++;
        p->shares_h += h->shares_h;
    }
    for (size_t i = 0; i < x->n_prod; i++) {
        struct product_fig *p = &x->prod[i];
        int64_t aum = 0;
        if (p->has_nav && p->shares_h > 0 &&
            money_mul_div(p->shares_h, p->nav_e4, 10000, MONEY_ROUND_HALF_UP, &aum) != MONEY_OK)
            return store_fail(err, STORE_ERROR, "AUM of product %lld is out of range",
                              (long long)p->id);
        p->aum_fen = aum;
        struct inst_fig *in = rollup_inst(x, p->institution_id);
        if (in != NULL)
            in->aum_fen += aum;
    }
    return STORE_OK;
}

/* Retention over `days`: the holders at the end of D - days, and how many still hold. */
static enum store_rc count_kept(struct rollup *x, int days, const struct held_sets *s,
                                struct store_err *err)
{
    struct holdings hs;
    enum store_rc rc = holdings_at(x, x->end_ms - days * CIVIL_MS_PER_DAY, &hs, err);
    struct pmap seen = {0};
    if (rc == STORE_OK && !pmap_init(&seen, hs.n))
        rc = store_fail(err, STORE_ERROR, "out of memory for holders");
    for (size_t i = 0; rc == STORE_OK && i < hs.n; i++) {
        const struct holding *h = &hs.h[i];
        struct product_fig *p = rollup_product(x, h->product);
        struct inst_fig *in = p ? rollup_inst(x, p->institution_id) : NULL;
        if (in == NULL)
            continue;
        bool kept = pmap_get(&s->by_product, h->product, h->investor) != NULL;
        *(days == 30 ? &p->h30_base : &p->h90_base) += 1;
        *(days == 30 ? &p->h30_kept : &p->h90_kept) += kept;
        bool added = false;
        if (pmap_put(&seen, in->id, h->investor, 0, &added, SIZE_MAX) == NULL) {
            rc = store_fail(err, STORE_ERROR, "out of memory for holders");
            break;
        }
        if (!added)
            continue; /* the institution counts an investor once, whatever they held */
        kept = pmap_get(&s->by_inst, in->id, h->investor) != NULL;
        *(days == 30 ? &in->h30_base : &in->h90_base) += 1;
        *(days == 30 ? &in->h30_kept : &in->h90_kept) += kept;
    }
    pmap_free(&seen);
    free(hs.h);
    return rc;
}

enum store_rc rollup_holdings(struct rollup *x, struct store_err *err)
{
    struct holdings hs;
    enum store_rc rc = holdings_at(x, x->end_ms, &hs, err);
    struct held_sets s = {{0}, {0}};
    if (rc == STORE_OK && (!pmap_init(&s.by_product, hs.n) || !pmap_init(&s.by_inst, hs.n)))
        rc = store_fail(err, STORE_ERROR, "out of memory for holders");
    if (rc == STORE_OK)
        rc = count_end(x, &hs, &s, err);
    free(hs.h);
    if (rc == STORE_OK)
        rc = count_kept(x, 30, &s, err);
    if (rc == STORE_OK)
        rc = count_kept(x, 90, &s, err);
    pmap_free(&s.by_product);
    pmap_free(&s.by_inst);
    return rc;
}
