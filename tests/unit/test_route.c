/*
 * test_route.c - unit tests of route matching (src/http/route.c) against the real route table
 * (src/api/routes.c): every route is reachable with its own method, placeholders capture one
 * non-empty segment, near-miss paths are 404s, other methods are 405s with an Allow list, and
 * HEAD is served by GET routes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "http/http_int.h"

#define ALLOW_CAP LIMIT_ALLOW_HEADER_BYTES

/* One lookup, with the outputs poisoned first so that "not written" is visible. */
struct lookup {
    enum route_match rc;
    int index;
    const char *params[REQ_PARAMS_MAX];
    char allow[ALLOW_CAP];
};

static struct arena arena;

static int arena_setup(void **state)
{
    (void)state;
    arena_init(&arena, LIMIT_REQ_ARENA_BYTES);
    return 0;
}

static int arena_teardown(void **state)
{
    (void)state;
    arena_release(&arena);
    return 0;
}

static struct lookup find(const char *path, enum http_method m)
{
    struct lookup l;
    memset(&l, 0, sizeof(l));
    l.index = -1;
    memset(l.allow, 'X', sizeof(l.allow));
    l.rc = route_find(path, m, &l.index, l.params, &arena, l.allow, sizeof(l.allow));
    assert_non_null(memchr(l.allow, '\0', sizeof(l.allow))); /* always a string */
    return l;
}

/* Index of the table entry with exactly this method and pattern; fails when absent. */
static int route_index(enum http_method m, const char *pattern)
{
    for (size_t i = 0; i < api_routes_count; i++)
        if (api_routes[i].method == m && strcmp(api_routes[i].pattern, pattern) == 0)
            return (int)i;
    fail_msg("no route %s %s", method_name(m), pattern);
    return -1;
}

/* The pattern with its n-th placeholder replaced by "1n" (10, 11, ...). */
static void instantiate(const char *pattern, char *out, size_t cap, int *nparams)
{
    size_t o = 0;
    *nparams = 0;
    for (const char *p = pattern; *p != '\0';) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            assert_non_null(close);
            o += (size_t)snprintf(out + o, cap - o, "%d", 10 + (*nparams)++);
            p = close + 1;
        } else {
            out[o++] = *p++;
        }
        assert_true(o < cap);
    }
    out[o] = '\0';
}

static void test_every_route_reachable(void **state)
{
    (void)state;
    assert_true(api_routes_count > 0 && api_routes_count <= LIMIT_ROUTES_MAX);
    for (size_t i = 0; i < api_routes_count; i++) {
        const struct route *rt = &api_routes[i];
        char path[256];
        int np = 0;
        instantiate(rt->pattern, path, sizeof(path), &np);
        struct lookup l = find(path, rt->method);
        if (l.rc != ROUTE_FOUND || l.index != (int)i)
            print_message("%s %s -> rc %d index %d\n", method_name(rt->method), path, l.rc,
                          l.index);
        assert_int_equal(l.rc, ROUTE_FOUND);
        assert_int_equal(l.index, (int)i);
        for (int k = 0; k < np; k++) {
            char want[8];
            snprintf(want, sizeof(want), "%d", 10 + k);
            assert_string_equal(l.params[k], want);
        }
    }
}

static void test_exact_and_params(void **state)
{
    (void)state;
    struct lookup l = find("/api/v1/me", M_GET);
    assert_int_equal(l.rc, ROUTE_FOUND);
    assert_int_equal(l.index, route_index(M_GET, "/api/v1/me"));

    l = find("/api/v1/ops/institutions/4611686018427387903/staff", M_POST);
    assert_int_equal(l.rc, ROUTE_FOUND);
    assert_int_equal(l.index, route_index(M_POST, "/api/v1/ops/institutions/{id}/staff"));
    assert_string_equal(l.params[0], "4611686018427387903");
    assert_null(l.params[1]);

    /* A placeholder takes any one non-empty segment; validating it is the handler's job. */
    l = find("/api/v1/ops/institutions/abc", M_GET);
    assert_int_equal(l.rc, ROUTE_FOUND);
    assert_int_equal(l.index, route_index(M_GET, "/api/v1/ops/institutions/{id}"));
    assert_string_equal(l.params[0], "abc");
    l = find("/api/v1/inst/staff/%7Bid%7D", M_PATCH);
    assert_int_equal(l.rc, ROUTE_FOUND);
    assert_string_equal(l.params[0], "%7Bid%7D");

    /* A literal segment is not a placeholder. */
    l = find("/api/v1/ops/institutions/7/status", M_POST);
    assert_int_equal(l.index, route_index(M_POST, "/api/v1/ops/institutions/{id}/status"));
    assert_string_equal(l.params[0], "7");
    l = find("/api/v1/ops/audit/verify", M_GET);
    assert_int_equal(l.rc, ROUTE_FOUND);
    assert_int_equal(l.index, route_index(M_GET, "/api/v1/ops/audit/verify"));
    assert_null(l.params[0]);
}

static void test_near_misses(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "/api/v1/me/",                       /* trailing slash */
        "/api/v1/me/x",                      /* extra segment */
        "/api/v1/ops/institutions/7/staff/", /* trailing slash after a placeholder */
        "/api/v1/ops/institutions/7/staff/8",
        "/api/v1/ops",                     /* missing segment */
        "/api/v1/ops/institutions/",       /* empty placeholder */
        "/api/v1/ops/institutions//staff", /* empty segment */
        "/api/v1//me",
        "//api/v1/me",
        "/api//v1/me",
        "/api/v1/ME", /* case matters */
        "/api/v1/mee",
        "/api/v1/m",
        "api/v1/me", /* no leading slash */
        "",
        "/",
        "/api/v1/me?x=1", /* the query is stripped before matching, never part of it */
        "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p",
    };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        for (int m = M_GET; m <= M_OTHER; m++) {
            struct lookup l = find(paths[i], (enum http_method)m);
            if (l.rc != ROUTE_NO_PATH)
                print_message("'%s' %s matched\n", paths[i], method_name((enum http_method)m));
            assert_int_equal(l.rc, ROUTE_NO_PATH);
            assert_string_equal(l.allow, "");
        }
    }
}

static void expect_405(const char *path, enum http_method m, const char *allow)
{
    struct lookup l = find(path, m);
    assert_int_equal(l.rc, ROUTE_NO_METHOD);
    assert_string_equal(l.allow, allow);
}

static void test_other_method(void **state)
{
    (void)state;
    expect_405("/api/v1/ops/institutions", M_DELETE, "GET, POST");
    expect_405("/api/v1/ops/institutions", M_PUT, "GET, POST");
    expect_405("/api/v1/ops/institutions", M_OTHER, "GET, POST");
    expect_405("/api/v1/ops/institutions/9/staff", M_PATCH, "GET, POST");
    expect_405("/api/v1/ops/institutions/9", M_POST, "GET");
    expect_405("/api/v1/inst/staff/9", M_GET, "PATCH");
    expect_405("/api/v1/inst/staff/9", M_HEAD, "PATCH");
    expect_405("/api/v1/auth/login", M_GET, "POST");
    expect_405("/api/v1/auth/login", M_HEAD, "POST");
    expect_405("/api/v1/me", M_POST, "GET");

    /* A small Allow buffer is never overrun; what fits is listed. */
    char *small = malloc(8);
    assert_non_null(small);
    int index = -1;
    const char *params[REQ_PARAMS_MAX] = {NULL};
    assert_int_equal(
        route_find("/api/v1/ops/institutions", M_DELETE, &index, params, &arena, small, 8),
        ROUTE_NO_METHOD);
    assert_string_equal(small, "GET");
    free(small);
}

static void test_head_is_get(void **state)
{
    (void)state;
    struct lookup l = find("/api/v1/me", M_HEAD);
    assert_int_equal(l.rc, ROUTE_FOUND);
    assert_int_equal(l.index, route_index(M_GET, "/api/v1/me"));
    l = find("/api/v1/ops/institutions/5/staff", M_HEAD);
    assert_int_equal(l.rc, ROUTE_FOUND);
    assert_int_equal(l.index, route_index(M_GET, "/api/v1/ops/institutions/{id}/staff"));
    assert_string_equal(l.params[0], "5");
}

static void test_method_parse(void **state)
{
    (void)state;
    static const char *const known[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    for (int m = M_GET; m < M_OTHER; m++) {
        assert_int_equal(method_parse(known[m]), m);
        assert_string_equal(method_name((enum http_method)m), known[m]);
    }
    static const char *const unknown[] = {"get",  "Get", "TRACE", "CONNECT", "PROPFIND", "",
                                          "GETX", "GE",  " GET",  "?",       "POST ",    "BREW"};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
        assert_int_equal(method_parse(unknown[i]), M_OTHER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_reachable), cmocka_unit_test(test_exact_and_params),
        cmocka_unit_test(test_near_misses),           cmocka_unit_test(test_other_method),
        cmocka_unit_test(test_head_is_get),           cmocka_unit_test(test_method_parse),
    };
    return cmocka_run_group_tests_name("route", tests, arena_setup, arena_teardown);
}
