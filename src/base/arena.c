/* arena.c: chunked bump allocator with a ceiling (see arena.h). */
#include "base/arena.h"

#include "base/check.h"
#include "base/limits.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
    struct arena_chunk *next;
    size_t size; /* bytes of data[] */
    _Alignas(16) char data[];
};

void arena_init(struct arena *a, size_t max_bytes)
{
    ASSERT(a != NULL);
    ASSERT(max_bytes > 0);
    memset(a, 0, sizeof(*a));
    a->max_bytes = max_bytes;
}

void arena_release(struct arena *a)
{
    if (a == NULL)
        return;
    struct arena_chunk *c = a->head;
    while (c != NULL) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->cur = NULL;
    a->left = 0;
    a->used_bytes = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
    ASSERT(a != NULL);
    /* A zero-byte request still gets a distinct, aligned pointer. */
    size_t need = n == 0 ? 16 : (n + 15u) & ~(size_t)15u;
    if (need < n)
        return NULL;
    if (need > a->left) {
        size_t size = need > LIMIT_ARENA_CHUNK_BYTES ? need : LIMIT_ARENA_CHUNK_BYTES;
        if (size > a->max_bytes || a->used_bytes > a->max_bytes - size)
            return NULL;
        struct arena_chunk *c = malloc(sizeof(*c) + size);
        if (c == NULL)
            return NULL;
        c->next = a->head;
        c->size = size;
        a->head = c;
        a->cur = c->data;
        a->left = size;
        a->used_bytes += size;
    }
    void *p = a->cur;
    a->cur += need;
    a->left -= need;
    ASSERT(((uintptr_t)p & 15u) == 0);
    return p;
}

void *arena_zalloc(struct arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    if (p != NULL)
        memset(p, 0, n);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    ASSERT(s != NULL || n == 0);
    char *p = arena_alloc(a, n + 1);
    if (p == NULL)
        return NULL;
    if (n > 0)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = arena_alloc(a, (size_t)n + 1);
    if (p == NULL)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
