/*
 * marketing.c: an investor's choice about personalised marketing (PIPL Art. 24).
 *
 * An investor may refuse marketing that is chosen for them from their data (campaigns aimed
 * at a segment, offers picked by their behaviour). The choice is stored here for the
 * campaign code to honour; it limits nothing else: the investor still browses, follows,
 * reads, asks, trades and receives the messages of the zones they follow, exactly as before.
 * Investors who never chose are not opted out. Every change is kept with its time.
 */
#include "api/api.h"
#include "api/campaigns.h"
#include "api/handlers.h"

#include "base/check.h"

struct pref {
    int64_t investor, now_ms;
    bool opted_out, found;
    int64_t updated_ms;
};

static int take_pref(void *ctx, const struct store_row *row)
{
    struct pref *p = ctx;
    p->found = true;
    p->opted_out = store_row_int(row, 0) != 0;
    p->updated_ms = store_row_int(row, 1);
    return 1;
}

static enum store_rc load_pref(struct store_conn *c, struct pref *p, struct store_err *err)
{
    struct store_val q[] = {SV_INT(p->investor)};
    return store_query(c, "SELECT opted_out, updated_ms FROM marketing_prefs WHERE investor_id = ?",
                       q, 1, take_pref, p, err);
}

static void reply_pref(struct req *r, const struct pref *p)
{
    json_t *o = json_pack("{s:b}", "opted_out", p->found && p->opted_out);
    json_object_set_new(o, "updated_ms", p->found ? json_integer(p->updated_ms) : json_null());
    req_reply_json(r, 200, json_pack("{s:o}", "marketing", o));
}

void api_inv_marketing_get(struct req *r)
{
    struct pref p = {.investor = r->sess.user_id};
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct store_err err;
    enum store_rc rc = load_pref(c, &p, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return;
    }
    reply_pref(r, &p);
}

static enum store_rc pref_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct pref *x = ctx;
    struct pref now = {.investor = x->investor};
    enum store_rc rc = load_pref(c, &now, err);
    if (rc != STORE_OK)
        return rc;
    /* Saying the same again changes nothing, not even the time of the choice. */
    if (now.found ? now.opted_out == x->opted_out : !x->opted_out) {
        x->found = now.found;
        x->updated_ms = now.updated_ms;
        return STORE_OK;
    }
    struct store_val p[] = {SV_INT(x->investor), SV_INT(x->opted_out), SV_INT(x->now_ms)};
    rc = store_exec(c,
                    "INSERT INTO marketing_prefs (investor_id, opted_out, updated_ms) VALUES "
                    "(?, ?, ?) ON CONFLICT (investor_id) DO UPDATE SET opted_out = "
                    "excluded.opted_out, updated_ms = excluded.updated_ms",
                    p, 3, NULL, err);
    if (rc == STORE_OK)
        rc = store_exec(c,
                        "INSERT INTO marketing_pref_changes (investor_id, opted_out, at_ms) "
                        "VALUES (?, ?, ?)",
                        p, 3, NULL, err);
    x->found = true;
    x->updated_ms = x->now_ms;
    return rc;
}

static void pref_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    if (rc != STORE_OK) {
        req_store_problem(r, rc, err);
        return;
    }
    reply_pref(r, r->write.ctx);
}

void api_inv_marketing_put(struct req *r)
{
    json_t *j = req_json_or_reply(r);
    bool opted_out = false;
    struct field f[] = {FIELD_BOOL("opted_out", true, &opted_out)};
    if (j == NULL || !req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    struct pref *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL) {
        req_problem(r, 503, "unavailable", NULL, "out of memory");
        return;
    }
    x->investor = r->sess.user_id;
    x->now_ms = r->now_ms;
    x->opted_out = opted_out;
    req_write(r, pref_write, x, pref_then);
}

/* The campaign code's one question: is this investor opted out? An error reads as opted out,
 * so a failing lookup never sends marketing the investor may have refused. */
bool api_marketing_opted_out(struct store_conn *c, int64_t investor)
{
    ASSERT(c != NULL);
    int64_t opted_out = 0;
    struct store_err err;
    struct store_val p[] = {SV_INT(investor)};
    enum store_rc rc = store_query_int(
        c, "SELECT opted_out FROM marketing_prefs WHERE investor_id = ?", p, 1, &opted_out, &err);
    return rc == STORE_DONE ? false : rc != STORE_OK || opted_out != 0;
}
