/*
 * api.h: what the handlers share: the JSON shape of users and institutions, the audit
 * append that every operator and institution-admin write calls, and account creation.
 */
#ifndef CFH_API_H
#define CFH_API_H

#include "base/cursor.h"
#include "http/http.h"

/* Columns, in order, that api_user_json reads from a row starting at column `col`. */
#define API_USER_COLS \
    "u.id, u.kind, u.role, u.login, u.display_name, u.institution_id, u.status, u.created_ms"
#define API_INST_COLS                                                                    \
    "i.id, i.name, i.short_name, i.type, i.status, i.created_ms, i.updated_ms, i.demo, " \
    "i.platform_own"

json_t *api_user_json(const struct store_row *row, int col);
json_t *api_inst_json(const struct store_row *row, int col);

/* Row callback appending api_user_json / api_inst_json of each row to a json array ctx. */
int api_collect_users(void *array, const struct store_row *row);
int api_collect_insts(void *array, const struct store_row *row);

/* Who did it, for the audit log. */
struct api_actor {
    int64_t user_id;  /* 0: the system (CLI) */
    const char *role; /* role name, or "system" */
};

/*
 * Appends an audit entry inside the current write (call from a store_write_fn). `detail`
 * is a JSON object (borrowed). Chains to the last entry's hash.
 */
enum store_rc api_audit(struct store_conn *c, const struct api_actor *actor, int64_t institution_id,
                        const char *action, const char *subject, json_t *detail, int64_t now_ms,
                        struct store_err *err);

/* A new account, inserted by api_user_insert inside a write. */
struct api_new_user {
    int64_t id; /* OUT when 0 on input: a fresh random id */
    enum role role;
    const char *login;
    const char *display_name;
    int64_t institution_id;    /* staff only */
    const char *status;        /* "active" or "invited" */
    const char *password_hash; /* NULL for invited accounts */
    bool demo;
    int64_t now_ms;
};

/* STORE_CONSTRAINT when the login is taken. */
enum store_rc api_user_insert(struct store_conn *c, struct api_new_user *u, struct store_err *err);

/* Creates an invite token for user_id; token_hex receives the token to hand over. */
enum store_rc api_invite_insert(struct store_conn *c, int64_t user_id, int64_t now_ms,
                                char token_hex[LIMIT_TOKEN_HEX + 1], struct store_err *err);

/* Records a moderation decision (inside a write). by 0: the automatic check. */
enum store_rc api_moderation(struct store_conn *c, const char *subject, int64_t institution_id,
                             const char *decision, const char *reason, int64_t by, int64_t now_ms,
                             struct store_err *err);

/*
 * True when a user-visible text shows something (not only spaces or invisible characters)
 * and carries no bidirectional or control characters (newlines and tabs are allowed
 * unless single_line).
 */
bool api_text_ok(const char *s, bool single_line);

/* A text field as api_text_ok wants it: its name, its value and whether it is one line. */
struct api_text_field {
    const char *name, *text;
    bool single_line;
};

/* Checks the fields in order; answers 422 invalid_field naming the first bad one. */
bool api_texts_ok_or_reply(struct req *r, const struct api_text_field *f, size_t n);

/* Reads a reviewer's body {decision: approve|reject, reason}; answers 4xx itself. */
bool api_decision_or_reply(struct req *r, bool *approve, const char **reason);

/* Answers 200 {"items": [...]} with one element per row, made by `collect` (which appends
 * to the json array passed as its context); a store failure is answered as a problem. */
void api_reply_items(struct req *r, const char *sql, const struct store_val *params, size_t n,
                     store_row_fn collect);

/* The actor of the current request. */
struct api_actor api_actor_of(const struct req *r);

/* Codes a write function returns in err->code with STORE_ABORT. */
enum api_abort {
    API_ABORT_NOT_FOUND = 1,
    API_ABORT_CONFLICT,
    API_ABORT_INVALID,
    API_ABORT_INSUFFICIENT, /* 409 insufficient_funds: cash or shares */
    API_ABORT_FORBIDDEN,    /* 403 */
    API_ABORT_LIMIT,        /* 422 limit_exceeded */
    API_ABORT_RATE,         /* 429 rate_limited: a per-user limit; the write knows when to retry */
    API_ABORT_STATE,        /* 409: not allowed in the subject's state (callers may say which) */
    API_ABORT_CAMPAIGN,     /* 422 campaign_not_applicable: stopped while the order was placed */
    API_ABORT_UNAVAILABLE,  /* 503 unavailable: this process cannot do it until it is restarted */
};

/* Answers 429 rate_limited with `detail` and Retry-After: retry_s seconds. */
void api_rate_limited(struct req *r, int64_t retry_s, const char *detail);

/*
 * Seconds until the oldest event counted in a sliding window leaves it, so that one more is
 * allowed: ceil((oldest_ms + window_ms - now_ms) / 1000), at least 1.
 */
int64_t api_retry_after_s(int64_t oldest_ms, int64_t window_ms, int64_t now_ms);
/* Parses a positive id written in decimal without a leading zero ("4611686018427387905");
 * false on anything else (s may be NULL). */
bool api_id_parse(const char *s, int64_t *out);

/* Parses an id carried as a JSON string field ("4611686018427387905"); 422 naming the
 * field otherwise. */
bool api_id_or_reply(struct req *r, const char *field, const char *s, int64_t *out);

/* Fails the current write with STORE_ABORT and an api_abort code; returns STORE_ABORT. */
enum store_rc api_abort(struct store_err *err, enum api_abort code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Loads one user / institution as JSON (new reference); STORE_DONE when absent. */
enum store_rc api_load_user(struct store_conn *c, int64_t id, json_t **out, struct store_err *err);
enum store_rc api_load_inst(struct store_conn *c, int64_t id, json_t **out, struct store_err *err);

/* Answers a failed write: STORE_ABORT codes map to 404/409/422 with err->msg as detail,
 * STORE_CONSTRAINT to 409 with `conflict_detail`, anything else to req_store_problem. */
void api_write_failed(struct req *r, enum store_rc rc, const struct store_err *err,
                      const char *conflict_detail);

/*
 * Copies the first `chars` characters of UTF-8 `s` into `out` (`cap` bytes, the NUL
 * included), line breaks and tabs as single spaces, ending in "…" when text was left out.
 * cap must hold chars characters of 4 bytes, the ellipsis and the NUL.
 */
void api_excerpt(const char *s, size_t chars, char *out, size_t cap);

/*
 * One page of a list read newest first: at most `limit` rows (?limit=, 1 to
 * LIMIT_PAGE_SIZE_MAX, default LIMIT_PAGE_SIZE_DEFAULT) strictly after the key `after`
 * (?cursor=, the previous page's next_cursor; absent: from the newest row).
 */
struct api_page {
    int64_t limit;
    struct cursor after;
};

/* Reads ?limit= and ?cursor=; answers 400 bad_request itself. */
bool api_page_or_reply(struct req *r, struct api_page *page);

/* Makes one list item from a row and sets *key (OUT) to the row's sort key. */
typedef json_t *(*api_page_row_fn)(const struct store_row *row, struct cursor *key);

/*
 * Runs `sql`, which orders by the key newest first and asks for page->limit + 1 rows, and
 * appends at most page->limit items to `items` (borrowed). *next (OUT, new reference) is
 * the cursor of the next page, or JSON null when this page is the last.
 */
enum store_rc api_page_read(struct store_conn *c, const char *sql, const struct store_val *params,
                            size_t n, const struct api_page *page, api_page_row_fn make,
                            json_t *items, json_t **next, struct store_err *err);

/*
 * Notifies `recipient` (a user) of a reviewer's decision about `subject` (as in
 * moderation_decisions). Call inside the write that records the decision, so that the two
 * commit together. `kind` is one the notifications table allows; the text is formatted and
 * cut to LIMIT_NOTIFICATION_TEXT_BYTES at a character boundary.
 */
enum store_rc api_notify(struct store_conn *c, int64_t recipient, const char *kind,
                         const char *subject, int64_t now_ms, struct store_err *err,
                         const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* The latest published contents of one kind ("article", "announcement") of an institution, as
 * feed items, newest first (at most LIMIT_ZONE_CONTENTS): the zone page's modules. */
enum store_rc api_zone_contents(struct store_conn *c, int64_t inst, const char *kind, json_t *arr,
                                struct store_err *err);

/* An investor's on/off setting about one zone (following it, muting it). */
struct api_zone_toggle {
    int64_t investor, inst, now_ms;
    bool on;
    const char *member; /* of the answer: {institution_id, <member>: on} */
};

/* Runs `write` (on a struct api_zone_toggle for the zone in the path) and answers. */
void api_zone_toggle(struct req *r, bool on, const char *member, store_write_fn write);

/* A row (institution_id, name, since_ms) as a list item: the zones an investor follows or
 * mutes. */
int api_collect_zone_since(void *arr, const struct store_row *row);

/* Marking as read, for the caller's own items (inbox messages, notifications). */
struct api_mark {
    int64_t user, id, now_ms; /* id 0: everything so far */
};

/* Runs `write` (on a struct api_mark) for the caller: one item (the id in the path) or, with
 * `all`, everything; answers {id, read: true} or {unread: 0}. */
void api_mark_read(struct req *r, bool all, store_write_fn write);

/*
 * A text an investor wrote that the check held for a reviewer (held.c). The SQL names the
 * row by ?: select_sql answers its institution_id, investor_id and body while it is held;
 * update_sql takes ?1 status, ?2 approve (1 or 0), ?3 publication time, ?4 decision time and
 * ?5 id. `name` is the subject prefix and audit noun ("question" → "question:<id>",
 * "question.decide"); `noun` names it in the author's notification.
 */
struct api_held_kind {
    const char *name, *noun, *select_sql, *update_sql, *approved_kind, *rejected_kind;
};

/* POST .../{id}/decision on such a text: approve or reject with a reason, audited, the
 * author told, all in one write. */
void api_held_decide(struct req *r, const struct api_held_kind *k);

/*
 * Brings one row of a search index (search.c) in step with what it indexes, inside a write:
 * the approved brand of an institution, a product's code and name, a content's published
 * version (none: the row goes). Every write that changes those calls it.
 */
enum store_rc api_search_index_zone(struct store_conn *c, int64_t inst, struct store_err *err);
enum store_rc api_search_index_product(struct store_conn *c, int64_t id, struct store_err *err);
enum store_rc api_search_index_content(struct store_conn *c, int64_t id, struct store_err *err);

#endif
