/*
 * static.c: the built web UI from web_root (web/dist).
 *
 * Paths are checked segment by segment after libmicrohttpd has percent-decoded them: no
 * "..", no ".", no empty segment, no backslash or control byte, no hidden file. Files
 * under /assets/ have content hashes in their names (Vite), so they are cached for a
 * year; everything else is revalidated with an ETag. A path without an extension that
 * is not a file is a client-side route of the single-page app and gets index.html.
 */
#include "http/http_int.h"

#include "base/check.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json"},
    {".webmanifest", "application/manifest+json"},
};

static const char *type_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot != NULL && (slash == NULL || dot > slash))
        for (size_t i = 0; i < ARRAY_LEN(types); i++)
            if (strcasecmp(dot, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

static bool path_safe(const char *path)
{
    if (path[0] != '/' || strlen(path) > LIMIT_URL_BYTES_MAX)
        return false;
    for (const char *p = path; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f || c == '\\')
            return false;
        if (c == '/' && (p[1] == '/' || p[1] == '.'))
            return false; /* empty segment, ".", "..", hidden files */
    }
    return true;
}

static const char fallback_html[] =
    "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>财富号 Caifuhao"
    "</title></head><body><h1>财富号 Caifuhao</h1><p>The API is running. The web UI has not "
    "been built into web/dist yet.</p><ul><li><a href=\"/api/v1/openapi.json\">API contract"
    "</a></li><li><a href=\"/healthz\">/healthz</a></li></ul></body></html>";

/* Opens web_root + rel as a regular file; -1 when absent or not a regular file. */
static int open_file(struct req *r, const char *rel, struct stat *st)
{
    char full[CONFIG_PATH_MAX + LIMIT_URL_BYTES_MAX + 16];
    int n = snprintf(full, sizeof(full), "%s%s", r->cfg->web_root, rel);
    if (n < 0 || (size_t)n >= sizeof(full))
        return -1;
    int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return -1;
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_size > LIMIT_STATIC_FILE_BYTES_MAX) {
        close(fd);
        return -1;
    }
    return fd;
}

static void send_file(struct req *r, int fd, const struct stat *st, const char *rel)
{
    char etag[64];
    snprintf(etag, sizeof(etag), "\"%llx-%llx\"", (unsigned long long)st->st_size,
             (unsigned long long)st->st_mtim.tv_sec);
    const char *inm = req_header(r, "If-None-Match");
    bool immutable = strncmp(rel, "/assets/", 8) == 0;
    if (inm != NULL && strcmp(inm, etag) == 0) {
        close(fd);
        req_reply_empty(r, 304);
    } else {
        struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)st->st_size, fd);
        if (resp == NULL) {
            close(fd);
            req_problem(r, 503, "unavailable", NULL, "cannot send the file now");
            return;
        }
        r->response = resp;
        r->status = 200;
        r->resp_bytes = (size_t)st->st_size;
        req_add_header(r, "Content-Type", type_of(rel));
    }
    req_add_header(r, "ETag", etag);
    req_add_header(r, "Cache-Control",
                   immutable ? "public, max-age=31536000, immutable" : "no-cache");
}

void static_serve(struct req *r)
{
    if (!path_safe(r->path)) {
        req_problem(r, 404, "not_found", NULL, "no such file");
        return;
    }
    const char *rel = strcmp(r->path, "/") == 0 ? "/index.html" : r->path;
    struct stat st;
    int fd = open_file(r, rel, &st);
    const char *last = strrchr(rel, '/');
    if (fd < 0 && strchr(last, '.') == NULL) { /* a client-side route */
        rel = "/index.html";
        fd = open_file(r, rel, &st);
    }
    if (fd >= 0) {
        send_file(r, fd, &st, rel);
        return;
    }
    if (strcmp(rel, "/index.html") == 0) {
        req_reply_raw(r, 200, "text/html; charset=utf-8", fallback_html, sizeof(fallback_html) - 1);
        req_add_header(r, "Cache-Control", "no-cache");
        return;
    }
    req_problem(r, 404, "not_found", NULL, "no such file");
}
