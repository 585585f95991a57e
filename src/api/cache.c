/* cache.c: generation-keyed answers of public pages (see cache.h). */
#include "api/cache.h"

#include "base/check.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* One kept answer, shared by the responses sending it: freed by the last one. */
struct entry {
    atomic_int refs;
    size_t len;
    char text[];
};

struct slot {
    const struct store *store;
    const char *space; /* a string literal: compared by address */
    int64_t key;
    uint64_t generation; /* store generation + 1; 0 = empty */
    struct entry *entry;
};

static void entry_release(void *p)
{
    struct entry *e = p;
    if (e != NULL && atomic_fetch_sub(&e->refs, 1) == 1)
        free(e);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot slots[CACHE_SLOTS];

static struct slot *slot_of(const char *space, int64_t key)
{
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)space;
    return &slots[(h >> 17) % CACHE_SLOTS];
}

bool cache_reply(struct req *r, const char *space, int64_t key)
{
    uint64_t gen = store_generation(r->store) + 1;
    struct slot *s = slot_of(space, key);
    pthread_mutex_lock(&lock);
    bool hit = s->generation == gen && s->store == r->store && s->space == space && s->key == key;
    struct entry *e = hit ? s->entry : NULL;
    if (e != NULL)
        atomic_fetch_add(&e->refs, 1);
    pthread_mutex_unlock(&lock);
    if (e != NULL) /* no copy: the response holds a reference until it is sent */
        req_reply_shared(r, 200, "application/json", e->text, e->len, entry_release, e);
    return e != NULL;
}

void cache_put(struct req *r, const char *space, int64_t key, uint64_t generation, const char *text,
               size_t len)
{
    struct entry *e = malloc(sizeof(*e) + len);
    if (e == NULL)
        return;               /* a cache that cannot keep an answer just misses next time */
    atomic_init(&e->refs, 1); /* the slot's own reference */
    e->len = len;
    memcpy(e->text, text, len);
    struct slot *s = slot_of(space, key);
    pthread_mutex_lock(&lock);
    struct entry *old = s->entry;
    *s = (struct slot){r->store, space, key, generation + 1, e};
    pthread_mutex_unlock(&lock);
    entry_release(old);
}
