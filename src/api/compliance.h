/*
 * compliance.h: the compliance check as handlers use it: texts in, a verdict and the
 * matched spans out, with the lexicon version in force (src/core/lexicon.c does the
 * matching; this keeps one compiled lexicon per version for the whole process).
 */
#ifndef CFH_COMPLIANCE_H
#define CFH_COMPLIANCE_H

#include <jansson.h>
#include <stdbool.h>

#include "store/store.h"

enum compliance_verdict {
    COMPLIANCE_PASS = 0,
    COMPLIANCE_REVIEW,
    COMPLIANCE_BLOCK
};

struct compliance_text {
    const char *field; /* "title", "body", "slogan" … */
    const char *text;  /* UTF-8 */
    size_t len;
};

struct compliance_result {
    enum compliance_verdict verdict;
    int64_t lexicon_version;
    json_t *json; /* {lexicon_version, verdict, matches:[{field,start,end,text,term,severity,
                     category}]}; owned by the caller */
};

/* Checks every text with the lexicon in force. STORE_OK, or the store's error. */
enum store_rc compliance_run(struct store *s, const struct compliance_text *t, size_t n,
                             struct compliance_result *out, struct store_err *err);

/* "pass", "review", "block". */
const char *compliance_verdict_name(enum compliance_verdict v);

/* Forget the compiled lexicon (after operators publish a new version). */
void compliance_invalidate(void);

struct req;

/*
 * The check of one text of a request (common.c): a blocking match answers 422
 * compliance_blocked with the matches and returns false; otherwise sets the verdict and the
 * check as JSON text (*check, free() it).
 */
bool api_checked_or_reply(struct req *r, const char *field, const char *text,
                          enum compliance_verdict *verdict, char **check);

/* A text an investor writes (a question, a comment): what writing one shares (held.c). */
struct api_new_text {
    int64_t id, investor, now_ms;
    int64_t retry_s;  /* OUT: when a rate limit refused it, seconds until one more */
    const char *body; /* the member "body" of the request */
    char *check;      /* the check's JSON text, free()d by api_new_text_then */
    enum compliance_verdict verdict;
    json_t *out;        /* OUT: what was stored, as the 201 answers it */
    const char *member; /* of the 201 answer: "question", "comment" */
};

/* Checks t->body (visible text, no controls; then the lexicon) and sets id, investor and
 * time; answers 422 itself. */
bool api_new_text_or_reply(struct req *r, struct api_new_text *t);

/* The continuation of its write; r->write.ctx must start with a struct api_new_text. Answers
 * 201 {member: out}, 429 with Retry-After for API_ABORT_RATE, or the write's failure. */
void api_new_text_then(struct req *r, enum store_rc rc, const struct store_err *err);

#endif
