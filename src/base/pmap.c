/*
 * pmap.c: a hash map from pairs of integers to 32-bit values (see pmap.h). Open addressing,
 * linear probing, at most half full. Ids and pseudonyms are random-looking already; the mix
 * below spreads those that are not (small test ids, sequences).
 */
#include "base/pmap.h"

#include "base/check.h"

#include <stdlib.h>
#include <string.h>

#define PMAP_CAP_MIN 64

static uint64_t mix(int64_t a, int64_t b)
{
    uint64_t h = (uint64_t)a * UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t)b;
    h ^= h >> 31;
    h *= UINT64_C(0xbf58476d1ce4e5b9);
    h ^= h >> 29;
    return h;
}

bool pmap_init(struct pmap *m, size_t expect)
{
    size_t cap = PMAP_CAP_MIN;
    while (cap < 2 * expect && cap < (SIZE_MAX >> 2))
        cap <<= 1;
    m->slot = calloc(cap, sizeof(*m->slot));
    m->cap = m->slot ? cap : 0;
    m->n = 0;
    return m->slot != NULL;
}

void pmap_free(struct pmap *m)
{
    if (m == NULL)
        return;
    free(m->slot);
    memset(m, 0, sizeof(*m));
}

void pmap_clear(struct pmap *m)
{
    if (m->slot != NULL)
        memset(m->slot, 0, m->cap * sizeof(*m->slot));
    m->n = 0;
}

static struct pmap_slot *find(const struct pmap *m, int64_t a, int64_t b)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)mix(a, b) & mask;; i = (i + 1) & mask) {
        struct pmap_slot *s = &m->slot[i];
        if (!s->used || (s->a == a && s->b == b))
            return s; /* the map is never full, so an empty slot ends every probe */
    }
}

static bool grow(struct pmap *m)
{
    struct pmap bigger = {.slot = calloc(m->cap * 2, sizeof(*m->slot)), .cap = m->cap * 2};
    if (bigger.slot == NULL)
        return false;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slot[i].used)
            continue;
        *find(&bigger, m->slot[i].a, m->slot[i].b) = m->slot[i];
        bigger.n++;
    }
    ASSERT(bigger.n == m->n);
    free(m->slot);
    *m = bigger;
    return true;
}

uint32_t *pmap_put(struct pmap *m, int64_t a, int64_t b, uint32_t v, bool *added, size_t limit)
{
    ASSERT(m->slot != NULL);
    struct pmap_slot *s = find(m, a, b);
    *added = !s->used;
    if (s->used)
        return &s->v;
    if (m->n >= limit)
        return NULL;
    if (2 * (m->n + 1) > m->cap) {
        if (!grow(m))
            return NULL;
        s = find(m, a, b);
    }
    *s = (struct pmap_slot){.a = a, .b = b, .v = v, .used = 1};
    m->n++;
    return &s->v;
}

uint32_t *pmap_get(const struct pmap *m, int64_t a, int64_t b)
{
    struct pmap_slot *s = find(m, a, b);
    return s->used ? &s->v : NULL;
}
