/*
 * log.h: one JSON object per line.
 *
 * Operational messages go to stderr, the access log to stdout (log_access). Each line is
 * written with a single write(2) so that lines from different threads never interleave.
 */
#ifndef CFH_LOG_H
#define CFH_LOG_H

#include <stdint.h>

enum log_level {
    LOG_DEBUG,
    LOG_INFO,
    LOG_WARN,
    LOG_ERROR
};

/* Sets the lowest level written; default LOG_INFO. */
void log_set_level(enum log_level level);

/*
 * Writes {"ts":...,"level":...,"msg":msg,"rid":rid} to stderr; `rid` may be NULL.
 * `msg` is formatted; it is escaped for JSON, so any text is safe.
 */
void log_msg(enum log_level level, const char *rid, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_info(...)  log_msg(LOG_INFO, NULL, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, NULL, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, NULL, __VA_ARGS__)

/* Writes a complete, already-formatted line (with its newline) to fd in one write. */
void log_write_line(int fd, const char *line, uint32_t len);

#endif
