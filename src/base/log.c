/* log.c: JSON lines to stderr (see log.h). */
#include "base/log.h"

#include "base/civil.h"
#include "base/limits.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static atomic_int min_level = LOG_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_set_level(enum log_level level)
{
    atomic_store(&min_level, (int)level);
}

/* Appends s to out[*len..cap) as JSON string content; stops quietly when full. */
static void escape_into(char *out, size_t *len, size_t cap, const char *s)
{
    for (; *s != '\0' && *len + 7 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[(*len)++] = '\\';
            out[(*len)++] = (char)c;
        } else if (c < 0x20) {
            *len += (size_t)snprintf(out + *len, cap - *len, "\\u%04x", c);
        } else {
            out[(*len)++] = (char)c;
        }
    }
}

void log_msg(enum log_level level, const char *rid, const char *fmt, ...)
{
    if ((int)level < atomic_load(&min_level))
        return;
    char msg[LIMIT_LOG_LINE_BYTES / 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);

    char line[LIMIT_LOG_LINE_BYTES];
    char ts[40];
    civil_format_ms_iso(civil_now_ms(), ts, sizeof(ts));
    size_t len = (size_t)snprintf(line, sizeof(line), "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"",
                                  ts, level_names[level]);
    escape_into(line, &len, sizeof(line) - 32, msg);
    if (rid != NULL) {
        len += (size_t)snprintf(line + len, sizeof(line) - len, "\",\"rid\":\"");
        escape_into(line, &len, sizeof(line) - 8, rid);
    }
    len += (size_t)snprintf(line + len, sizeof(line) - len, "\"}\n");
    log_write_line(STDERR_FILENO, line, (uint32_t)len);
}

void log_write_line(int fd, const char *line, uint32_t len)
{
    /* A short write on a pipe or file is retried; an error is dropped: logging must
     * never take the server down. */
    uint32_t off = 0;
    for (int tries = 0; off < len && tries < 8; tries++) {
        ssize_t n = write(fd, line + off, len - off);
        if (n <= 0)
            return;
        off += (uint32_t)n;
    }
}
