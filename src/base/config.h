/*
 * config.h: the server's settings, from flags, then environment, then defaults.
 *
 * Every setting has a name (the flag is --name with '_' as '-'), an environment variable
 * CAIFUHAO_NAME, a default and bounds. config_set() checks a value when it is given;
 * config_load_env() fills what flags did not set. A bad value is a clear message naming
 * the setting and where it came from, never a silent default.
 */
#ifndef CFH_CONFIG_H
#define CFH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "base/keyring.h"

#define CONFIG_PATH_MAX 1024
#define CONFIG_ERR_MAX  256

struct config {
    char db[CONFIG_PATH_MAX];            /* SQLite database file */
    char listen[64];                     /* ADDR:PORT, IPv4 */
    char web_root[CONFIG_PATH_MAX];      /* built web UI (web/dist) */
    char log_level[8];                   /* debug, info, warn, error */
    int64_t threads;                     /* HTTP worker threads */
    int64_t session_idle_s;              /* session ends after this long unused */
    int64_t session_absolute_s;          /* session ends this long after login */
    int64_t login_max_failures;          /* consecutive wrong passwords before lock */
    int64_t login_lock_s;                /* lock duration */
    int64_t rate_limit_rps;              /* per-IP requests per second; 0 disables */
    int64_t rate_limit_burst;            /* per-IP bucket size */
    int64_t argon2_ops;                  /* argon2id time cost */
    int64_t argon2_mem_kib;              /* argon2id memory cost */
    char data_key_file[CONFIG_PATH_MAX]; /* key for personal data at rest; "" = DB path + ".key" */
    int64_t nav_move_bound_ppm;          /* NAV move needing a second confirmation */
    char trusted_proxy[64];        /* IPv4 of a reverse proxy whose X-Forwarded-For is believed */
    int64_t scheduler_interval_s;  /* serve runs the batches this often; 0: never */
    int64_t batch_chunk;           /* rows per batch transaction (jobs.h) */
    int64_t clock_offset_s;        /* business clock = wall clock + this (rehearsal, demo) */
    int64_t events_per_minute;     /* interaction events one investor may send per minute */
    int64_t segment_min_investors; /* dashboard cells with fewer investors are suppressed */
    char sign_key_file[CONFIG_PATH_MAX]; /* Ed25519 seed for published records; "" = DB + ".sign" */
    int64_t fair_notice_days;            /* least notice before a fair rule version applies */
    uint32_t set_mask;                   /* OUT: bit per setting given by flag or env */
    /* Parsed from listen by config_check. */
    uint32_t listen_ip; /* network byte order */
    uint16_t listen_port;
    uint32_t trusted_proxy_ip; /* network byte order; 0: none */
    /* Loaded by the CLI from data_key_file before serving, and kept for the process's life:
     * after `caifuhao keys rotate` a server must be restarted to seal with the new key. */
    struct keyring data_keys;
    /* Key 0 of data_keys: derives the events pseudonyms, whatever key seals. */
    uint8_t data_key[32];
    /* Loaded by the CLI from sign_key_file: the platform's Ed25519 key pair. */
    uint8_t sign_pk[32];
    uint8_t sign_sk[64];
};

/* The data key file's path: data_key_file, or the database's path and ".key". */
void config_data_key_path(const struct config *c, char *out, size_t cap);

/* The signing key file's path: sign_key_file, or the database's path and ".sign". */
void config_sign_key_path(const struct config *c, char *out, size_t cap);

/* The business clock: wall-clock UTC ms shifted by clock_offset_s. Everything that decides
 * by time (trade dates, cutoffs, session expiry, NAV dates) reads this. */
int64_t config_now_ms(const struct config *c);

/* Fills defaults (threads = online cores, at least 2). */
void config_defaults(struct config *c);

/*
 * Sets one setting by name ("listen", "session_idle_s" or "session-idle-s"). `origin` is
 * used in the message ("--listen", "CAIFUHAO_LISTEN"). Returns 0, -1 with err filled, or
 * -2 when the name is unknown.
 */
int config_set(struct config *c, const char *name, const char *value, const char *origin,
               char err[CONFIG_ERR_MAX]);

/* Applies CAIFUHAO_* variables for settings not set by a flag. 0 or -1 with err. */
int config_load_env(struct config *c, char err[CONFIG_ERR_MAX]);

/* Cross-checks (absolute ≥ idle, listen parses). 0 or -1 with err. */
int config_check(struct config *c, char err[CONFIG_ERR_MAX]);

/* Writes "  --name VALUE  (CAIFUHAO_NAME, default D) description" lines. */
void config_usage(FILE *out);

#endif
