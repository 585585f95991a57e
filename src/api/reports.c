/*
 * reports.c: investors report what they see; reviewers resolve the reports.
 *
 * Anything the public can see may be reported: a content, a question, the answer to one, a
 * comment, a zone (its live brand). A report names a category from a fixed list and may add a
 * few words. An investor has at most one open report per target (a repeat answers the open
 * one) and files at most LIMIT_REPORTS_PER_DAY reports a day. Open reports wait in the review
 * queue, one entry per target, oldest first, with the target's texts and the compliance check
 * of them, so the reviewer sees what was flagged. A reviewer dismisses them or takes the target
 * down, with a reason: every open report of that target is resolved at once and audited; each
 * reporter is notified of the outcome and the reason, and on a takedown so is the author of the
 * target (the staff member who saved a content's published version, the investor who asked a
 * question or wrote a comment, the staff member who answered, the one who submitted the zone's
 * live brand), all in the same write.
 */
#include "api/api.h"
#include "api/compliance.h"
#include "api/handlers.h"

#include "base/buf.h"
#include "base/check.h"
#include "base/crypto.h"
#include "base/utf8.h"
#include "core/markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS_PER_DAY INT64_C(86400000)

#define PUBLIC_INST "i.status IN ('pilot', 'live')"

enum target_kind {
    T_CONTENT = 0,
    T_QUESTION,
    T_ANSWER,
    T_COMMENT,
    T_ZONE,
};

/*
 * Per kind of target:
 *   visible  the target's institution, while the public can see the target;
 *   texts    what the reviewer reads, one column per field (a content's body is Markdown and
 *            is shown and checked as its plain text, `body_text`); the first one, quoted, is
 *            how the reporters' notifications name the target;
 *   label    the kind in the reporters' notifications.
 */
static const struct target_def {
    const char *name;
    const char *visible;
    const char *texts;
    const char *fields[3];
    const char *label;
} targets[] = {
    [T_CONTENT] = {"content",
                   "SELECT c.institution_id FROM contents c JOIN institutions i ON i.id = "
                   "c.institution_id WHERE c.id = ? AND c.published_version IS NOT NULL AND "
                   "c.status <> 'taken_down' AND " PUBLIC_INST,
                   "SELECT v.title, v.body FROM contents c JOIN content_versions v ON "
                   "v.content_id = c.id AND v.version = COALESCE(c.published_version, "
                   "c.latest_version) WHERE c.id = ?",
                   {"title", "body_text", NULL},
                   "内容"},
    [T_QUESTION] = {"question",
                    "SELECT q.institution_id FROM questions q JOIN institutions i ON i.id = "
                    "q.institution_id WHERE q.id = ? AND q.status = 'published' AND " PUBLIC_INST,
                    "SELECT body FROM questions WHERE id = ?",
                    {"body", NULL, NULL},
                    "提问"},
    [T_ANSWER] = {"answer",
                  "SELECT q.institution_id FROM questions q JOIN institutions i ON i.id = "
                  "q.institution_id WHERE q.id = ? AND q.status = 'published' AND q.answer IS "
                  "NOT NULL AND q.answer_taken_down_ms IS NULL AND " PUBLIC_INST,
                  "SELECT COALESCE(answer, ''), body FROM questions WHERE id = ?",
                  {"answer", "question", NULL},
                  "回答"},
    [T_COMMENT] = {"comment",
                   "SELECT m.institution_id FROM comments m JOIN contents c ON c.id = "
                   "m.content_id JOIN institutions i ON i.id = m.institution_id WHERE m.id = ? "
                   "AND m.status = 'published' AND c.published_version IS NOT NULL AND c.status "
                   "<> 'taken_down' AND " PUBLIC_INST,
                   "SELECT body FROM comments WHERE id = ?",
                   {"body", NULL, NULL},
                   "评论"},
    [T_ZONE] = {"zone",
                "SELECT i.id FROM institutions i WHERE i.id = ? AND " PUBLIC_INST,
                "SELECT COALESCE(z.display_name, i.name), COALESCE(z.slogan, ''), "
                "COALESCE(z.introduction, '') FROM institutions i LEFT JOIN zone_versions z ON "
                "z.institution_id = i.id AND z.status = 'approved' WHERE i.id = ?",
                {"display_name", "slogan", "introduction"},
                "财富号"},
};

static const char *const categories[] = {"misleading_claims",
                                         "guaranteed_returns",
                                         "illegal_fundraising",
                                         "harassment",
                                         "privacy",
                                         "other"};

#define REPORT_COLS                                                                      \
    "r.id, r.target_kind, r.target_id, r.institution_id, r.category, r.text, r.status, " \
    "r.created_ms, r.resolved_ms, r.resolution_reason"

static json_t *report_json(const struct store_row *row)
{
    json_t *o = json_pack(
        "{s:o,s:s,s:o,s:o,s:s,s:s,s:s,s:I}", "id", json_id(store_row_int(row, 0)), "target_kind",
        store_row_text(row, 1, NULL), "target_id", json_id(store_row_int(row, 2)), "institution_id",
        json_id(store_row_int(row, 3)), "category", store_row_text(row, 4, NULL), "text",
        store_row_text(row, 5, NULL), "status", store_row_text(row, 6, NULL), "created_ms",
        (json_int_t)store_row_int(row, 7));
    json_object_set_new(o, "resolved_ms",
                        store_row_is_null(row, 8) ? json_null()
                                                  : json_integer(store_row_int(row, 8)));
    json_object_set_new(o, "resolution_reason",
                        store_row_is_null(row, 9) ? json_null()
                                                  : json_string(store_row_text(row, 9, NULL)));
    return o;
}

static int collect_report(void *arr, const struct store_row *row)
{
    json_array_append_new(arr, report_json(row));
    return 0;
}

/* The caller's reports, newest first, with their outcome. */
void api_inv_reports(struct req *r)
{
    struct store_val p[] = {SV_INT(r->sess.user_id), SV_INT(LIMIT_PAGE_SIZE_MAX)};
    api_reply_items(r,
                    "SELECT " REPORT_COLS " FROM reports r WHERE r.reporter_id = ? ORDER BY "
                    "r.created_ms DESC, r.id DESC LIMIT ?",
                    p, 2, collect_report);
}

/* ---- filing a report ---- */

struct report_new {
    int64_t id, reporter, target, inst, now_ms;
    int64_t retry_s; /* OUT: when the daily limit refused it */
    enum target_kind kind;
    const char *category, *text;
    bool repeat; /* OUT: an open report of the caller's answered */
    json_t *out;
};

static int take_report(void *ctx, const struct store_row *row)
{
    *(json_t **)ctx = report_json(row);
    return 1;
}

static enum store_rc load_open(struct store_conn *c, struct report_new *x, struct store_err *err)
{
    struct store_val p[] = {SV_INT(x->reporter), SV_TEXT(targets[x->kind].name), SV_INT(x->target)};
    return store_query(c,
                       "SELECT " REPORT_COLS " FROM reports r WHERE r.reporter_id = ? AND "
                       "r.target_kind = ? AND r.target_id = ? AND r.status = 'open'",
                       p, 3, take_report, &x->out, err);
}

static enum store_rc under_daily_limit(struct store_conn *c, struct report_new *x,
                                       struct store_err *err)
{
    int64_t n = 0, oldest = 0;
    struct store_val q[] = {SV_INT(x->reporter), SV_INT(x->now_ms - MS_PER_DAY)};
    const char *count = "SELECT count(*) FROM reports WHERE reporter_id = ? AND created_ms > ?";
    enum store_rc rc = store_query_int(c, count, q, 2, &n, err);
    if (rc != STORE_OK || n < LIMIT_REPORTS_PER_DAY)
        return rc;
    rc = store_query_int(c,
                         "SELECT min(created_ms) FROM reports WHERE reporter_id = ? AND "
                         "created_ms > ?",
                         q, 2, &oldest, err);
    if (rc != STORE_OK)
        return rc;
    x->retry_s = api_retry_after_s(oldest, MS_PER_DAY, x->now_ms);
    return api_abort(err, API_ABORT_RATE, "at most %d reports in 24 hours; please wait",
                     LIMIT_REPORTS_PER_DAY);
}

static enum store_rc report_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct report_new *x = ctx;
    enum store_rc rc = load_open(c, x, err);
    if (rc != STORE_OK || x->out != NULL) {
        x->repeat = x->out != NULL;
        return rc;
    }
    struct store_val v[] = {SV_INT(x->target)};
    rc = store_query_int(c, targets[x->kind].visible, v, 1, &x->inst, err);
    if (rc == STORE_DONE)
        return api_abort(err, API_ABORT_NOT_FOUND, "no %s %lld that you can see",
                         targets[x->kind].name, (long long)x->target);
    if (rc == STORE_OK)
        rc = under_daily_limit(c, x, err);
    struct store_val p[] = {SV_INT(x->id),     SV_INT(x->reporter), SV_TEXT(targets[x->kind].name),
                            SV_INT(x->target), SV_INT(x->inst),     SV_TEXT(x->category),
                            SV_TEXT(x->text),  SV_INT(x->now_ms)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "INSERT INTO reports (id, reporter_id, target_kind, target_id, "
                        "institution_id, category, text, status, created_ms) VALUES (?, ?, ?, ?, "
                        "?, ?, ?, 'open', ?)",
                        p, 8, NULL, err);
    return rc == STORE_OK ? load_open(c, x, err) : rc;
}

static void report_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct report_new *x = r->write.ctx;
    if (rc == STORE_ABORT && err->code == API_ABORT_RATE) {
        api_rate_limited(r, x->retry_s, err->msg);
        return;
    }
    if (rc != STORE_OK) {
        json_decref(x->out);
        api_write_failed(r, rc, err, "reported already");
        return;
    }
    ASSERT(x->out != NULL); /* found, or inserted and read back in the same write */
    req_reply_json(r, x->repeat ? 200 : 201,
                   json_pack("{s:o,s:b}", "report", x->out, "repeat", x->repeat));
}

/* The kind named s, or ARRAY_LEN(targets). */
static size_t target_index(const char *s)
{
    size_t i = 0;
    while (i < ARRAY_LEN(targets) && strcmp(s, targets[i].name) != 0)
        i++;
    return i;
}

static bool category_ok(const char *s)
{
    for (size_t i = 0; i < ARRAY_LEN(categories); i++)
        if (strcmp(s, categories[i]) == 0)
            return true;
    return false;
}

void api_inv_report(struct req *r)
{
    json_t *j = req_json_or_reply(r);
    struct report_new *x = arena_zalloc(&r->arena, sizeof(*x));
    const char *kind, *target;
    struct field f[] = {
        FIELD_STR("target_kind", true, 1, 16, &kind, NULL),
        FIELD_STR("target_id", true, 1, 20, &target, NULL),
        FIELD_STR("category", true, 1, 32, &x->category, NULL),
        FIELD_STR("text", false, 0, LIMIT_REPORT_TEXT_CHARS_MAX, &x->text, NULL),
    };
    if (j == NULL || x == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    size_t k = target_index(kind);
    if (k == ARRAY_LEN(targets)) {
        req_problem(r, 422, "invalid_field", "target_kind",
                    "field 'target_kind' must be content, question, answer, comment or zone");
        return;
    }
    if (!api_id_or_reply(r, "target_id", target, &x->target))
        return;
    if (!category_ok(x->category)) {
        req_problem(r, 422, "invalid_field", "category",
                    "field 'category' must be misleading_claims, guaranteed_returns, "
                    "illegal_fundraising, harassment, privacy or other");
        return;
    }
    x->text = x->text ? x->text : "";
    if (x->text[0] != '\0' && !api_text_ok(x->text, false)) {
        req_problem(r, 422, "invalid_field", "text",
                    "field 'text' may not contain control or bidirectional characters");
        return;
    }
    x->kind = (enum target_kind)k;
    x->id = crypto_random_id();
    x->reporter = r->sess.user_id;
    x->now_ms = r->now_ms;
    req_write(r, report_write, x, report_then);
}

/* ---- resolving ---- */

#define QUOTE_CHARS 40 /* of a target, in a notification */

struct resolution {
    int64_t id, now_ms;
    bool take_down;
    const char *reason, *zone_reason;
    struct api_actor actor;
    enum target_kind kind; /* OUT: of the report */
    int64_t target, inst;  /* OUT */
    int64_t resolved;      /* OUT: reports resolved */
    int64_t told;          /* OUT: reporters notified */
    /* OUT: the target as its reporters saw it, quoted */
    char quote[QUOTE_CHARS * UTF8_SEQ_MAX + sizeof("…")];
};

static int take_target(void *ctx, const struct store_row *row)
{
    struct resolution *x = ctx;
    const char *kind = store_row_text(row, 0, NULL);
    size_t k = target_index(kind);
    ASSERT(k < ARRAY_LEN(targets)); /* the table's CHECK holds the same names */
    x->kind = (enum target_kind)k;
    x->target = store_row_int(row, 1);
    x->inst = store_row_int(row, 2);
    return 1;
}

static int take_quote(void *ctx, const struct store_row *row)
{
    struct resolution *x = ctx;
    api_excerpt(store_row_text(row, 0, NULL), QUOTE_CHARS, x->quote, sizeof(x->quote));
    return 1;
}

/* Who wrote a hidden question, answer or comment (0: nobody recorded), and its text quoted. */
struct author {
    int64_t id;
    char quote[QUOTE_CHARS * UTF8_SEQ_MAX + sizeof("…")];
};

static int take_author(void *ctx, const struct store_row *row)
{
    struct author *a = ctx;
    a->id = store_row_int(row, 0);
    api_excerpt(store_row_text(row, 1, NULL), QUOTE_CHARS, a->quote, sizeof(a->quote));
    return 1;
}

/* Tells the author of a question, an answer or a comment just hidden (inside the write). The
 * answer's author is the staff member who answered; the quote is then of the question. */
static enum store_rc notify_hidden(struct store_conn *c, const struct resolution *x,
                                   const char *subject, struct store_err *err)
{
    static const char *const author_sql[] = {
        [T_QUESTION] = "SELECT investor_id, body FROM questions WHERE id = ?",
        [T_ANSWER] = "SELECT COALESCE(answered_by, 0), body FROM questions WHERE id = ?",
        [T_COMMENT] = "SELECT investor_id, body FROM comments WHERE id = ?",
    };
    struct author a = {0};
    struct store_val p[] = {SV_INT(x->target)};
    enum store_rc rc = store_query(c, author_sql[x->kind], p, 1, take_author, &a, err);
    if (rc != STORE_OK || a.id == 0)
        return rc;
    switch (x->kind) {
    case T_QUESTION:
        return api_notify(c, a.id, "question_taken_down", subject, x->now_ms, err,
                          "您的提问「%s」经举报审核已被下架，不再公开。理由：%s", a.quote,
                          x->reason);
    case T_ANSWER:
        return api_notify(c, a.id, "answer_taken_down", subject, x->now_ms, err,
                          "对提问「%s」的回答「%s」经举报审核已被下架，投资者不再能看到；可以重新"
                          "回答。理由：%s",
                          a.quote, x->quote, x->reason);
    case T_COMMENT:
        return api_notify(c, a.id, "comment_taken_down", subject, x->now_ms, err,
                          "您的评论「%s」经举报审核已被下架，读者不再能看到。理由：%s", a.quote,
                          x->reason);
    case T_CONTENT:
    case T_ZONE:
        break;
    }
    BUG("hide_row hides a question, an answer or a comment only");
}

/* Hides a question, an answer or a comment; records the decision and tells the author when
 * something changed. */
static enum store_rc hide_row(struct store_conn *c, struct resolution *x, struct store_err *err)
{
    static const struct {
        const char *sql;              /* parameters: the target id, or the time and the target id */
        const char *subject, *suffix; /* subject:<id><suffix> */
    } hide[] = {
        [T_QUESTION] = {"UPDATE questions SET status = 'rejected' WHERE id = ? AND status = "
                        "'published'",
                        "question", ""},
        [T_ANSWER] = {"UPDATE questions SET answer_taken_down_ms = ? WHERE id = ? AND answer IS "
                      "NOT NULL AND answer_taken_down_ms IS NULL",
                      "question", ":answer"},
        [T_COMMENT] = {"UPDATE comments SET status = 'taken_down', decided_ms = ? WHERE id = ? "
                       "AND status IN ('published', 'held')",
                       "comment", ""},
    };
    ASSERT(x->kind == T_QUESTION || x->kind == T_ANSWER || x->kind == T_COMMENT);
    int64_t changed = 0;
    struct store_val p[] = {SV_INT(x->now_ms), SV_INT(x->target)};
    bool timed = x->kind != T_QUESTION;
    enum store_rc rc =
        store_exec(c, hide[x->kind].sql, timed ? p : p + 1, timed ? 2 : 1, &changed, err);
    char subject[64];
    snprintf(subject, sizeof(subject), "%s:%lld%s", hide[x->kind].subject, (long long)x->target,
             hide[x->kind].suffix);
    if (rc == STORE_OK && changed > 0)
        rc = api_moderation(c, subject, x->inst, "take_down", x->reason, x->actor.user_id,
                            x->now_ms, err);
    if (rc == STORE_OK && changed > 0)
        rc = notify_hidden(c, x, subject, err);
    return rc;
}

struct brand {
    int64_t version, author;
    char name[LIMIT_INST_NAME_CHARS_MAX * UTF8_SEQ_MAX + 1];
};

static int take_brand(void *ctx, const struct store_row *row)
{
    struct brand *b = ctx;
    b->version = store_row_int(row, 0);
    b->author = store_row_int(row, 1);
    snprintf(b->name, sizeof(b->name), "%s", store_row_text(row, 2, NULL));
    return 1;
}

/* Takes the live brand down: the zone shows its default brand until a new one is approved.
 * The staff member who submitted that brand version is told. */
static enum store_rc hide_brand(struct store_conn *c, struct resolution *x, struct store_err *err)
{
    struct brand b = {0};
    struct store_val q[] = {SV_INT(x->target)};
    enum store_rc rc = store_query(c,
                                   "SELECT id, submitted_by, display_name FROM zone_versions "
                                   "WHERE institution_id = ? AND status = 'approved'",
                                   q, 1, take_brand, &b, err);
    if (rc == STORE_OK && b.version == 0)
        return STORE_OK; /* the default brand is the institution's name: nothing to hide */
    struct store_val u[] = {SV_INT(x->actor.user_id), SV_INT(x->now_ms), SV_TEXT(x->zone_reason),
                            SV_INT(b.version)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE zone_versions SET status = 'rejected', decided_by = ?, decided_ms "
                        "= ?, reason = ? WHERE id = ?",
                        u, 4, NULL, err);
    char subject[48];
    snprintf(subject, sizeof(subject), "zone:%lld", (long long)b.version);
    if (rc == STORE_OK)
        rc = api_moderation(c, subject, x->inst, "take_down", x->reason, x->actor.user_id,
                            x->now_ms, err);
    if (rc == STORE_OK)
        rc = api_notify(c, b.author, "zone_taken_down", subject, x->now_ms, err,
                        "财富号品牌「%s」经举报审核已被下架，专区改为显示机构名称，直至新的品牌"
                        "版本通过审核。理由：%s",
                        b.name, x->reason);
    return rc == STORE_OK ? api_search_index_zone(c, x->target, err) : rc;
}

/* A content goes the way of a direct takedown, which tells the author of its published
 * version. */
static enum store_rc take_target_down(struct store_conn *c, struct resolution *x,
                                      struct store_err *err)
{
    if (x->kind == T_ZONE)
        return hide_brand(c, x, err);
    if (x->kind != T_CONTENT)
        return hide_row(c, x, err);
    int64_t inst = 0;
    struct store_val v[] = {SV_INT(x->target)};
    enum store_rc rc = store_query_int(c, targets[T_CONTENT].visible, v, 1, &inst, err);
    if (rc == STORE_DONE)
        return STORE_OK; /* gone already */
    return rc == STORE_OK
               ? api_content_take_down(c, x->target, x->reason, &x->actor, x->now_ms, err)
               : rc;
}

struct reporter {
    int64_t report, user;
};

static int take_reporter(void *ctx, const struct store_row *row)
{
    struct reporter *r = ctx;
    r->report = store_row_int(row, 0);
    r->user = store_row_int(row, 1);
    return 1;
}

/* Tells every reporter whose open report of the target is being resolved the outcome and the
 * reason, one notification per report (subject: their own report), before the reports leave
 * `open`. */
static enum store_rc notify_reporters(struct store_conn *c, struct resolution *x,
                                      struct store_err *err)
{
    enum store_rc rc = STORE_OK;
    struct reporter r = {0, 0};
    for (;;) {
        struct store_val p[] = {SV_TEXT(targets[x->kind].name), SV_INT(x->target),
                                SV_INT(r.report)};
        r.report = 0;
        rc = store_query(c,
                         "SELECT id, reporter_id FROM reports WHERE target_kind = ? AND "
                         "target_id = ? AND status = 'open' AND id > ? ORDER BY id LIMIT 1",
                         p, 3, take_reporter, &r, err);
        if (rc != STORE_OK || r.report == 0)
            return rc;
        char subject[48];
        snprintf(subject, sizeof(subject), "report:%lld", (long long)r.report);
        if (x->take_down)
            rc = api_notify(c, r.user, "report_upheld", subject, x->now_ms, err,
                            "您举报的%s「%s」经审核已下架。感谢您的举报。理由：%s",
                            targets[x->kind].label, x->quote, x->reason);
        else
            rc = api_notify(c, r.user, "report_dismissed", subject, x->now_ms, err,
                            "您举报的%s「%s」经审核未发现需要下架的问题，予以保留。理由：%s",
                            targets[x->kind].label, x->quote, x->reason);
        if (rc != STORE_OK)
            return rc;
        x->told++;
    }
}

static enum store_rc resolve_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct resolution *x = ctx;
    x->target = 0;
    x->told = 0;
    struct store_val q[] = {SV_INT(x->id)};
    enum store_rc rc = store_query(c,
                                   "SELECT target_kind, target_id, institution_id FROM reports "
                                   "WHERE id = ? AND status = 'open'",
                                   q, 1, take_target, x, err);
    if (rc == STORE_OK && x->target == 0)
        return api_abort(err, API_ABORT_NOT_FOUND, "no open report %lld", (long long)x->id);
    /* The target as the reporters saw it, before a takedown changes what is shown. */
    struct store_val t[] = {SV_INT(x->target)};
    x->quote[0] = '\0';
    if (rc == STORE_OK)
        rc = store_query(c, targets[x->kind].texts, t, 1, take_quote, x, err);
    if (rc == STORE_OK && x->take_down)
        rc = take_target_down(c, x, err);
    if (rc == STORE_OK)
        rc = notify_reporters(c, x, err);
    struct store_val u[] = {SV_TEXT(x->take_down ? "taken_down" : "dismissed"),
                            SV_INT(x->actor.user_id),
                            SV_INT(x->now_ms),
                            SV_TEXT(x->reason),
                            SV_TEXT(targets[x->kind].name),
                            SV_INT(x->target)};
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "UPDATE reports SET status = ?, resolved_by = ?, resolved_ms = ?, "
                        "resolution_reason = ? WHERE target_kind = ? AND target_id = ? AND "
                        "status = 'open'",
                        u, 6, &x->resolved, err);
    ASSERT(rc != STORE_OK || x->told == x->resolved); /* every reporter told, in this write */
    char subject[48], target[48];
    snprintf(subject, sizeof(subject), "report:%lld", (long long)x->id);
    snprintf(target, sizeof(target), "%s:%lld", targets[x->kind].name, (long long)x->target);
    json_t *d =
        json_pack("{s:s,s:s,s:s,s:I}", "decision", x->take_down ? "take_down" : "dismiss", "reason",
                  x->reason, "target", target, "reports", (json_int_t)x->resolved);
    if (rc == STORE_OK)
        rc = api_audit(c, &x->actor, x->inst, "report.resolve", subject, d, x->now_ms, err);
    json_decref(d);
    return rc;
}

static void resolve_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct resolution *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200,
                   json_pack("{s:o,s:s,s:s,s:o,s:I}", "id", json_id(x->id), "decision",
                             x->take_down ? "take_down" : "dismiss", "target_kind",
                             targets[x->kind].name, "target_id", json_id(x->target), "resolved",
                             (json_int_t)x->resolved));
}

void api_ops_report_resolve(struct req *r)
{
    struct resolution *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL || !req_param_id_or_reply(r, 0, &x->id))
        return;
    json_t *j = req_json_or_reply(r);
    const char *decision;
    struct field f[] = {
        FIELD_STR("decision", true, 1, 16, &decision, NULL),
        FIELD_STR("reason", true, 1, LIMIT_REASON_CHARS_MAX, &x->reason, NULL),
    };
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    if (strcmp(decision, "dismiss") != 0 && strcmp(decision, "take_down") != 0) {
        req_problem(r, 422, "invalid_field", "decision",
                    "field 'decision' must be dismiss or take_down");
        return;
    }
    x->take_down = decision[0] == 't';
    x->zone_reason = arena_printf(&r->arena, "taken down after a report: %s", x->reason);
    if (x->zone_reason == NULL) {
        req_problem(r, 503, "unavailable", NULL, "out of memory; try again");
        return;
    }
    x->now_ms = r->now_ms;
    x->actor = api_actor_of(r);
    req_write(r, resolve_write, x, resolve_then);
}

/* ---- the review queue ---- */

/* Open reports grouped by target, in the order of each target's oldest report. */
struct groups {
    json_t *list;  /* [{..., reports: [...]}] */
    json_t *index; /* "kind:id" -> entry of list (borrowed) */
};

static int collect_open(void *ctx, const struct store_row *row)
{
    struct groups *g = ctx;
    char key[48];
    snprintf(key, sizeof(key), "%s:%lld", store_row_text(row, 1, NULL),
             (long long)store_row_int(row, 2));
    json_t *e = json_object_get(g->index, key);
    if (e == NULL) {
        e = json_pack("{s:o,s:s,s:o,s:o,s:s,s:I,s:[]}", "id", json_id(store_row_int(row, 0)),
                      "target_kind", store_row_text(row, 1, NULL), "target_id",
                      json_id(store_row_int(row, 2)), "institution_id",
                      json_id(store_row_int(row, 3)), "institution_name",
                      store_row_text(row, 10, NULL), "created_ms",
                      (json_int_t)store_row_int(row, 7), "reports");
        json_array_append_new(g->list, e);
        json_object_set(g->index, key, e);
    }
    json_array_append_new(json_object_get(e, "reports"),
                          json_pack("{s:o,s:s,s:s,s:I}", "id", json_id(store_row_int(row, 0)),
                                    "category", store_row_text(row, 4, NULL), "text",
                                    store_row_text(row, 5, NULL), "created_ms",
                                    (json_int_t)store_row_int(row, 7)));
    return 0;
}

struct texts {
    enum target_kind kind;
    json_t *obj; /* field -> text */
};

static int take_texts(void *ctx, const struct store_row *row)
{
    struct texts *t = ctx;
    for (int i = 0; i < 3 && targets[t->kind].fields[i] != NULL; i++) {
        size_t len = 0;
        const char *s = store_row_text(row, i, &len);
        struct buf plain;
        buf_init(&plain, MD_OUTPUT_BYTES_MAX);
        bool md = t->kind == T_CONTENT && i == 1 &&
                  md_plain_text(s, len, &plain, NULL) == MD_OK; /* what a reader reads */
        json_object_set_new(t->obj, targets[t->kind].fields[i],
                            json_string(md ? (plain.data ? plain.data : "") : s));
        buf_free(&plain);
    }
    return 1;
}

/* The target of entry e as the reviewer sees it: visible now or not, its texts, their check. */
static enum store_rc describe_target(struct store *s, struct store_conn *c, json_t *e,
                                     struct store_err *err)
{
    struct texts t = {
        (enum target_kind)target_index(json_string_value(json_object_get(e, "target_kind"))),
        json_object()};
    ASSERT(t.kind < ARRAY_LEN(targets));
    int64_t id = 0, inst = 0;
    bool parsed = api_id_parse(json_string_value(json_object_get(e, "target_id")), &id);
    ASSERT(parsed); /* written by collect_open */
    struct store_val p[] = {SV_INT(id)};
    enum store_rc vrc = store_query_int(c, targets[t.kind].visible, p, 1, &inst, err);
    enum store_rc rc = vrc == STORE_OK || vrc == STORE_DONE
                           ? store_query(c, targets[t.kind].texts, p, 1, take_texts, &t, err)
                           : vrc;
    struct compliance_text ct[3];
    size_t n = 0;
    const char *field;
    json_t *v;
    json_object_foreach(t.obj, field, v) {
        ct[n++] = (struct compliance_text){field, json_string_value(v), json_string_length(v)};
    }
    struct compliance_result res = {.json = NULL};
    if (rc == STORE_OK)
        rc = compliance_run(s, ct, n, &res, err);
    if (rc != STORE_OK) {
        json_decref(t.obj);
        return rc;
    }
    json_object_set_new(
        e, "target",
        json_pack("{s:b,s:o,s:o}", "visible", vrc == STORE_OK, "texts", t.obj, "check", res.json));
    return STORE_OK;
}

enum store_rc api_report_review_items(struct store *s, struct store_conn *c, json_t *items,
                                      struct store_err *err)
{
    struct groups g = {json_array(), json_object()};
    struct store_val p[] = {SV_INT(LIMIT_PAGE_SIZE_MAX)};
    enum store_rc rc = store_query(c,
                                   "SELECT " REPORT_COLS ", i.name FROM reports r JOIN "
                                   "institutions i ON i.id = r.institution_id WHERE r.status = "
                                   "'open' ORDER BY r.created_ms, r.id LIMIT ?",
                                   p, 1, collect_open, &g, err);
    size_t i;
    json_t *e;
    json_array_foreach(g.list, i, e) {
        if (rc == STORE_OK)
            rc = describe_target(s, c, e, err);
        if (rc == STORE_OK)
            json_array_append_new(items, json_pack("{s:s,s:O}", "kind", "report", "item", e));
    }
    json_decref(g.index);
    json_decref(g.list);
    return rc;
}
