/*
 * route.c: matching a path against the route table.
 *
 * Patterns are literal segments and `{name}` placeholders that match one non-empty
 * segment. The table is small (tens of routes), so a linear scan over pre-split
 * patterns is faster than anything cleverer. A path that matches some route with another
 * method is a 405 with the Allow list, not a 404.
 */
#include "http/http_int.h"

#include "base/check.h"

#include <string.h>

static const char *const method_names[] = {"GET",   "HEAD",   "POST",    "PUT",
                                           "PATCH", "DELETE", "OPTIONS", "?"};

const char *method_name(enum http_method m)
{
    ASSERT(m >= M_GET && m <= M_OTHER);
    return method_names[m];
}

enum http_method method_parse(const char *s)
{
    for (int m = M_GET; m < M_OTHER; m++)
        if (strcmp(s, method_names[m]) == 0)
            return (enum http_method)m;
    return M_OTHER;
}

/* Matches path against pattern, segment by segment; fills params on success. */
static bool match(const char *pattern, const char *path, const char *params[REQ_PARAMS_MAX],
                  struct arena *a)
{
    int np = 0;
    const char *p = pattern, *q = path;
    for (int seg = 0; seg < LIMIT_PATH_SEGMENTS_MAX; seg++) {
        if (*p == '\0' || *q == '\0')
            return *p == '\0' && *q == '\0';
        if (*p != '/' || *q != '/')
            return false;
        p++;
        q++;
        const char *pe = strchr(p, '/');
        const char *qe = strchr(q, '/');
        size_t pl = pe ? (size_t)(pe - p) : strlen(p);
        size_t ql = qe ? (size_t)(qe - q) : strlen(q);
        if (pl > 2 && p[0] == '{' && p[pl - 1] == '}') {
            if (ql == 0 || np == REQ_PARAMS_MAX)
                return false;
            if (params != NULL) {
                params[np] = arena_strndup(a, q, ql);
                if (params[np] == NULL)
                    return false;
            }
            np++;
        } else if (pl != ql || memcmp(p, q, pl) != 0) {
            return false;
        }
        p += pl;
        q += ql;
    }
    return false;
}

enum route_match route_find(const char *path, enum http_method m, int *index,
                            const char *params[REQ_PARAMS_MAX], struct arena *a, char *allow,
                            size_t allow_cap)
{
    ASSERT(api_routes_count <= LIMIT_ROUTES_MAX);
    enum http_method want = m == M_HEAD ? M_GET : m;
    size_t allow_len = 0;
    allow[0] = '\0';
    bool path_seen = false;
    for (size_t i = 0; i < api_routes_count; i++) {
        const struct route *rt = &api_routes[i];
        if (!match(rt->pattern, path, NULL, NULL))
            continue;
        if (rt->method == want) {
            *index = (int)i;
            return match(rt->pattern, path, params, a) ? ROUTE_FOUND : ROUTE_NO_PATH;
        }
        const char *name = method_name(rt->method);
        size_t nl = strlen(name);
        if (allow_len + nl + 3 < allow_cap && strstr(allow, name) == NULL) {
            if (allow_len > 0) {
                memcpy(allow + allow_len, ", ", 2);
                allow_len += 2;
            }
            memcpy(allow + allow_len, name, nl + 1);
            allow_len += nl;
        }
        path_seen = true;
    }
    return path_seen ? ROUTE_NO_METHOD : ROUTE_NO_PATH;
}
