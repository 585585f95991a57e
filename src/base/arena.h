/*
 * arena.h: bump allocation with a hard ceiling, freed all at once.
 *
 * Each HTTP request and each batch owns one arena; everything they allocate comes
 * from it and is released when they end. An arena never exceeds `max_bytes`: past
 * that, allocation returns NULL and the caller answers with an error, so one request
 * cannot take the process's memory.
 */
#ifndef CFH_ARENA_H
#define CFH_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;

struct arena {
    struct arena_chunk *head; /* newest chunk first */
    char *cur;                /* next free byte in head */
    size_t left;              /* bytes free in head */
    size_t used_bytes;        /* chunk bytes taken from malloc so far */
    size_t max_bytes;         /* ceiling on used_bytes */
};

/* Prepares an empty arena; allocates nothing yet. */
void arena_init(struct arena *a, size_t max_bytes);

/* Frees every chunk. Accepts NULL. The arena can be used again after this. */
void arena_release(struct arena *a);

/* Returns n bytes aligned to 16, or NULL when the ceiling would be passed. */
void *arena_alloc(struct arena *a, size_t n);

/* Like arena_alloc, zeroed. */
void *arena_zalloc(struct arena *a, size_t n);

/* Copies s[0..n) and a terminating NUL into the arena; NULL when full. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* Formats into the arena; NULL when full. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
