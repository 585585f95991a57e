/*
 * pmap.h: a hash map from a pair of 64-bit integers to a 32-bit value, heap-backed, for
 * batch work and per-request aggregation (a value is usually an index into an array of the
 * caller's). Every map has a ceiling on its entries, given at each insertion.
 */
#ifndef CFH_PMAP_H
#define CFH_PMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pmap_slot {
    int64_t a, b;
    uint32_t v;
    uint32_t used;
};

struct pmap {
    struct pmap_slot *slot;
    size_t cap; /* a power of two; at most half full */
    size_t n;   /* entries */
};

/* An empty map sized for `expect` entries; false when out of memory. */
bool pmap_init(struct pmap *m, size_t expect);
/* Frees the slots; accepts NULL and a map that was never initialised (zeroed). */
void pmap_free(struct pmap *m);
/* Removes every entry, keeping the memory. */
void pmap_clear(struct pmap *m);
/* The value of (a, b), adding it with value `v` when absent (*added, OUT, says which); NULL
 * when out of memory or the map holds `limit` entries already. */
uint32_t *pmap_put(struct pmap *m, int64_t a, int64_t b, uint32_t v, bool *added, size_t limit);
/* The value of (a, b), or NULL. */
uint32_t *pmap_get(const struct pmap *m, int64_t a, int64_t b);

#endif
