/* config.c: table-driven settings (see config.h). */
#include "base/config.h"

#include "base/check.h"
#include "base/civil.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum kind {
    K_STR,
    K_INT
};

struct setting {
    const char *name;
    enum kind kind;
    size_t offset;
    size_t size; /* K_STR: buffer size */
    int64_t min, max;
    const char *help;
};

#define S(n, sz, h)                                        \
    {                                                      \
#n, K_STR, offsetof(struct config, n), sz, 0, 0, h \
    }
#define I(n, lo, hi, h)                                     \
    {                                                       \
#n, K_INT, offsetof(struct config, n), 0, lo, hi, h \
    }
static const struct setting settings[] = {
    S(db, CONFIG_PATH_MAX, "SQLite database file"),
    S(listen, 64, "address and port to serve on (IPv4 ADDR:PORT)"),
    S(web_root, CONFIG_PATH_MAX, "directory of the built web UI"),
    S(log_level, 8, "debug, info, warn or error"),
    I(threads, 1, 64, "HTTP worker threads"),
    I(session_idle_s, 1, 86400, "seconds a session may stay unused"),
    I(session_absolute_s, 1, 2592000, "seconds a session lasts after login"),
    I(login_max_failures, 1, 100, "wrong passwords in a row before the account locks"),
    I(login_lock_s, 1, 86400, "seconds an account stays locked"),
    I(rate_limit_rps, 0, 1000000, "requests per second per client address (0: off)"),
    I(rate_limit_burst, 1, 1000000, "burst of requests per client address"),
    I(argon2_ops, 1, 10, "argon2id time cost for new password hashes"),
    I(argon2_mem_kib, 8, 4194304, "argon2id memory cost in KiB"),
    S(data_key_file, CONFIG_PATH_MAX, "key file for personal data at rest (default: DB + .key)"),
    I(nav_move_bound_ppm, 1000, 1000000, "NAV move (ppm) that needs a second confirmation"),
    S(trusted_proxy, 64, "IPv4 address of a reverse proxy whose X-Forwarded-For is trusted"),
    I(scheduler_interval_s, 0, 86400, "seconds between batch runs inside serve (0: off)"),
    I(batch_chunk, 16, 32768, "rows (orders, holders, payments) per batch transaction"),
    I(clock_offset_s, -315360000, 315360000, "shift of the business clock in seconds (rehearsal)"),
    I(events_per_minute, 1, 10000000, "interaction events one investor may send per minute"),
    I(segment_min_investors, 2, 1000, "fewest investors a dashboard segment may show"),
    S(sign_key_file, CONFIG_PATH_MAX,
      "signing key file for published records (default: DB + .sign)"),
    I(fair_notice_days, 15, 365, "days of notice before a published fair rule version applies"),
};
#undef S
#undef I

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->db, sizeof(c->db), "var/caifuhao.db");
    snprintf(c->listen, sizeof(c->listen), "127.0.0.1:8080");
    snprintf(c->web_root, sizeof(c->web_root), "web/dist");
    snprintf(c->log_level, sizeof(c->log_level), "info");
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    c->threads = cores < 2 ? 2 : cores > 64 ? 64 : cores;
    c->session_idle_s = 1800;
    c->session_absolute_s = 43200;
    c->login_max_failures = 5;
    c->login_lock_s = 900;
    c->rate_limit_rps = 100;
    c->rate_limit_burst = 200;
    c->argon2_ops = 2;
    c->argon2_mem_kib = 65536;
    c->nav_move_bound_ppm = 100000; /* 10% in a day */
    c->scheduler_interval_s = 60;
    c->batch_chunk = 2048;
    c->events_per_minute = 600;
    c->segment_min_investors = 20;
    c->fair_notice_days = 15;
}

void config_data_key_path(const struct config *c, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s", c->data_key_file[0] ? c->data_key_file : c->db,
             c->data_key_file[0] ? "" : ".key");
}

void config_sign_key_path(const struct config *c, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s", c->sign_key_file[0] ? c->sign_key_file : c->db,
             c->sign_key_file[0] ? "" : ".sign");
}

static const struct setting *find(const char *name)
{
    char norm[64];
    size_t n = strlen(name);
    if (n >= sizeof(norm))
        return NULL;
    for (size_t i = 0; i <= n; i++)
        norm[i] = name[i] == '-' ? '_' : name[i];
    for (size_t i = 0; i < ARRAY_LEN(settings); i++)
        if (strcmp(settings[i].name, norm) == 0)
            return &settings[i];
    return NULL;
}

static int set_int(const struct setting *s, int64_t *dst, const char *value, const char *origin,
                   char err[CONFIG_ERR_MAX])
{
    /* tidy: allow strtol — checked: whole string, range, errno. */
    char *end = NULL;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    /* A sign only where the range has negatives: "-5" for a count is a typo, not 0. */
    const char *digits = value[0] == '-' && s->min < 0 ? value + 1 : value;
    if (value[0] == '\0' || *end != '\0' || errno != 0 || !isdigit((unsigned char)digits[0])) {
        snprintf(err, CONFIG_ERR_MAX, "%s: '%s' is not a whole number", origin, value);
        return -1;
    }
    if (v < s->min || v > s->max) {
        snprintf(err, CONFIG_ERR_MAX, "%s: %lld is out of range %lld..%lld", origin, v,
                 (long long)s->min, (long long)s->max);
        return -1;
    }
    *dst = v;
    return 0;
}

int config_set(struct config *c, const char *name, const char *value, const char *origin,
               char err[CONFIG_ERR_MAX])
{
    const struct setting *s = find(name);
    if (s == NULL) {
        snprintf(err, CONFIG_ERR_MAX, "%s: unknown setting", origin);
        return -2;
    }
    char *field = (char *)c + s->offset;
    if (s->kind == K_INT) {
        if (set_int(s, (int64_t *)(void *)field, value, origin, err) != 0)
            return -1;
    } else {
        size_t len = strlen(value);
        if (len == 0 || len >= s->size) {
            snprintf(err, CONFIG_ERR_MAX, "%s: value must be 1..%zu bytes", origin, s->size - 1);
            return -1;
        }
        memcpy(field, value, len + 1);
    }
    c->set_mask |= 1u << (s - settings);
    return 0;
}

int config_load_env(struct config *c, char err[CONFIG_ERR_MAX])
{
    for (size_t i = 0; i < ARRAY_LEN(settings); i++) {
        if (c->set_mask & (1u << i))
            continue;
        char var[64] = "CAIFUHAO_";
        size_t n = strlen(var);
        for (const char *p = settings[i].name; *p && n + 1 < sizeof(var); p++)
            var[n++] = (char)toupper((unsigned char)*p);
        var[n] = '\0';
        const char *v = getenv(var);
        if (v != NULL && config_set(c, settings[i].name, v, var, err) != 0)
            return -1;
    }
    return 0;
}

static int parse_listen(struct config *c, char err[CONFIG_ERR_MAX])
{
    const char *colon = strrchr(c->listen, ':');
    char addr[48];
    if (colon == NULL || (size_t)(colon - c->listen) >= sizeof(addr))
        goto bad;
    memcpy(addr, c->listen, (size_t)(colon - c->listen));
    addr[colon - c->listen] = '\0';
    struct in_addr in;
    if (inet_pton(AF_INET, addr, &in) != 1)
        goto bad;
    int64_t port = 0;
    const char *p = colon + 1;
    if (*p == '\0' || strlen(p) > 5)
        goto bad;
    for (; *p; p++) {
        if (!isdigit((unsigned char)*p))
            goto bad;
        port = port * 10 + (*p - '0');
    }
    if (port < 1 || port > 65535)
        goto bad;
    c->listen_ip = in.s_addr;
    c->listen_port = (uint16_t)port;
    return 0;
bad:
    snprintf(err, CONFIG_ERR_MAX, "listen: '%s' is not an IPv4 ADDR:PORT (e.g. 127.0.0.1:8080)",
             c->listen);
    return -1;
}

int config_check(struct config *c, char err[CONFIG_ERR_MAX])
{
    if (parse_listen(c, err) != 0)
        return -1;
    struct in_addr proxy = {0};
    if (c->trusted_proxy[0] != '\0' && inet_pton(AF_INET, c->trusted_proxy, &proxy) != 1) {
        snprintf(err, CONFIG_ERR_MAX, "trusted_proxy: '%s' is not an IPv4 address",
                 c->trusted_proxy);
        return -1;
    }
    c->trusted_proxy_ip = proxy.s_addr;
    if (c->session_absolute_s < c->session_idle_s) {
        snprintf(err, CONFIG_ERR_MAX,
                 "session_absolute_s (%lld) must not be less than session_idle_s (%lld)",
                 (long long)c->session_absolute_s, (long long)c->session_idle_s);
        return -1;
    }
    static const char *const levels[] = {"debug", "info", "warn", "error"};
    for (size_t i = 0; i < ARRAY_LEN(levels); i++)
        if (strcmp(c->log_level, levels[i]) == 0)
            return 0;
    snprintf(err, CONFIG_ERR_MAX, "log_level: '%s' is not debug, info, warn or error",
             c->log_level);
    return -1;
}

void config_usage(FILE *out)
{
    struct config d;
    config_defaults(&d);
    for (size_t i = 0; i < ARRAY_LEN(settings); i++) {
        const struct setting *s = &settings[i];
        char flag[48], env[48];
        size_t n = 0;
        for (const char *p = s->name; *p && n + 1 < sizeof(flag); p++)
            flag[n++] = *p == '_' ? '-' : *p;
        flag[n] = '\0';
        n = 0;
        for (const char *p = s->name; *p && n + 1 < sizeof(env); p++)
            env[n++] = (char)toupper((unsigned char)*p);
        env[n] = '\0';
        const char *field = (const char *)&d + s->offset;
        if (s->kind == K_STR)
            fprintf(out, "  --%-20s %s (CAIFUHAO_%s, default %s)\n", flag, s->help, env, field);
        else
            fprintf(out, "  --%-20s %s (CAIFUHAO_%s, default %lld)\n", flag, s->help, env,
                    (long long)*(const int64_t *)(const void *)field);
    }
}

int64_t config_now_ms(const struct config *c)
{
    return civil_now_ms() + c->clock_offset_s * 1000;
}
