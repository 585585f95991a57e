/*
 * marketing.c: an investor's opt-out of personalised marketing (PIPL Art. 24).
 *
 * An investor who opted out receives no campaign aimed at a segment: no segment message in the
 * inbox, no promotion or fee discount offered to new investors, a risk class or the holders of
 * a product. A campaign open to everyone still applies to them, and everything else (orders,
 * follows, ordinary messages, the feed) works as before. api_marketing_opted_out is the only
 * reader of marketing_optouts.
 */
#include "api/campaigns.h"
#include "api/handlers.h"

#include "base/check.h"

bool api_marketing_opted_out(struct store_conn *c, int64_t investor)
{
    ASSERT(c != NULL);
    int64_t one = 0;
    struct store_err err;
    struct store_val p[] = {SV_INT(investor)};
    enum store_rc rc = store_query_int(c, "SELECT 1 FROM marketing_optouts WHERE investor_id = ?",
                                       p, 1, &one, &err);
    return rc != STORE_DONE;
}

static json_t *setting_json(bool opted_out, int64_t since_ms)
{
    json_t *o = json_pack("{s:b}", "opted_out", opted_out);
    json_object_set_new(o, "opted_out_ms", opted_out ? json_integer(since_ms) : json_null());
    return o;
}

static int take_since(void *ctx, const struct store_row *row)
{
    *(int64_t *)ctx = store_row_int(row, 0);
    return 1;
}

void api_inv_marketing_get(struct req *r)
{
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    int64_t since = -1;
    struct store_err err;
    struct store_val p[] = {SV_INT(r->sess.user_id)};
    enum store_rc rc =
        store_query(c, "SELECT opted_out_ms FROM marketing_optouts WHERE investor_id = ?", p, 1,
                    take_since, &since, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "marketing", setting_json(since >= 0, since)));
}

struct optout {
    int64_t investor, now_ms, since_ms;
    bool on;
};

static enum store_rc optout_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct optout *x = ctx;
    struct store_val p[] = {SV_INT(x->investor), SV_INT(x->now_ms)};
    if (!x->on)
        return store_exec(c, "DELETE FROM marketing_optouts WHERE investor_id = ?", p, 1, NULL,
                          err);
    /* Opting out again keeps the first time. */
    return store_query_int(c,
                           "INSERT INTO marketing_optouts (investor_id, opted_out_ms) VALUES (?, "
                           "?) ON CONFLICT DO UPDATE SET opted_out_ms = opted_out_ms RETURNING "
                           "opted_out_ms",
                           p, 2, &x->since_ms, err);
}

static void optout_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct optout *x = r->write.ctx;
    if (rc != STORE_OK) {
        api_write_failed(r, rc, err, "conflict");
        return;
    }
    req_reply_json(r, 200, json_pack("{s:o}", "marketing", setting_json(x->on, x->since_ms)));
}

void api_inv_marketing_put(struct req *r)
{
    struct optout *x = arena_zalloc(&r->arena, sizeof(*x));
    json_t *j = req_json_or_reply(r);
    if (x == NULL || j == NULL)
        return;
    struct field f[] = {FIELD_BOOL("opted_out", true, &x->on)};
    if (!req_fields_or_reply(r, j, f, ARRAY_LEN(f)))
        return;
    x->investor = r->sess.user_id;
    x->now_ms = r->now_ms;
    req_write(r, optout_write, x, optout_then);
}
