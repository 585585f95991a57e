/*
 * uploads.c: images uploaded by institutions (logos, article images) and their serving at
 * /uploads/<id>. The bytes decide what an image is (core/image.c): a declared type that
 * does not match them is refused, as are unknown formats and sizes outside the limits.
 * Ids are content addresses scoped to the institution, so a re-upload is the same image
 * and an address never changes what it points to (cached for a year).
 */
#include "api/handlers.h"
#include "api/trading.h"

#include "base/check.h"
#include "base/crypto.h"
#include "core/image.h"

#include <stdio.h>
#include <string.h>

#define UPLOAD_ID_HEX 64

struct upload {
    char id[UPLOAD_ID_HEX + 1];
    int64_t inst, by, now_ms;
    struct image_info info;
    const uint8_t *bytes;
    size_t len;
};

static enum store_rc upload_write(struct store_conn *c, void *ctx, struct store_err *err)
{
    struct upload *x = ctx;
    struct store_val p[] = {
        SV_TEXT(x->id),        SV_INT(x->inst),        SV_TEXT(image_type_mime(x->info.type)),
        SV_INT(x->info.width), SV_INT(x->info.height), SV_BLOB(x->bytes, x->len),
        SV_INT(x->by),         SV_INT(x->now_ms)};
    return store_exec(c,
                      "INSERT INTO uploads (id, institution_id, content_type, width, height, "
                      "bytes, created_by, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT (id) DO NOTHING",
                      p, 8, NULL, err);
}

static json_t *upload_json(const char *id, const char *type, int64_t w, int64_t h, size_t bytes)
{
    char url[96];
    snprintf(url, sizeof(url), "/uploads/%s", id);
    return json_pack("{s:s,s:s,s:s,s:I,s:I,s:I}", "id", id, "url", url, "content_type", type,
                     "width", (json_int_t)w, "height", (json_int_t)h, "bytes", (json_int_t)bytes);
}

static void upload_then(struct req *r, enum store_rc rc, const struct store_err *err)
{
    struct upload *x = r->write.ctx;
    if (rc != STORE_OK) {
        req_store_problem(r, rc, err);
        return;
    }
    req_reply_json(r, 201,
                   json_pack("{s:o}", "upload",
                             upload_json(x->id, image_type_mime(x->info.type), x->info.width,
                                         x->info.height, x->len)));
}

void api_inst_upload(struct req *r)
{
    const char *ct = req_header(r, "Content-Type");
    struct upload *x = arena_zalloc(&r->arena, sizeof(*x));
    if (x == NULL)
        return;
    if (ct == NULL ||
        (strcmp(ct, "image/png") && strcmp(ct, "image/jpeg") && strcmp(ct, "image/webp"))) {
        req_problem(r, 415, "unsupported_media_type", NULL,
                    "upload a PNG, JPEG or WebP image with its Content-Type");
        return;
    }
    if (r->body == NULL || r->body_len == 0) {
        req_problem(r, 422, "invalid_image", NULL, "the upload is empty");
        return;
    }
    enum image_rc ir = image_probe((const uint8_t *)r->body, r->body_len, &x->info);
    if (ir != IMAGE_OK || strcmp(image_type_mime(x->info.type), ct) != 0) {
        req_problem(r, 422, "invalid_image", NULL, "the bytes are not a %s image: %s", ct,
                    ir == IMAGE_OK ? "they are another format" : image_rc_str(ir));
        return;
    }
    if (x->info.width < LIMIT_UPLOAD_DIM_MIN || x->info.height < LIMIT_UPLOAD_DIM_MIN ||
        x->info.width > LIMIT_UPLOAD_DIM_MAX || x->info.height > LIMIT_UPLOAD_DIM_MAX) {
        req_problem(r, 422, "invalid_image", NULL, "images must be %d to %d pixels on each side",
                    LIMIT_UPLOAD_DIM_MIN, LIMIT_UPLOAD_DIM_MAX);
        return;
    }
    /* The id covers the institution too: two institutions' identical files stay theirs. */
    uint8_t h[CRYPTO_SHA256_BYTES];
    char scoped[32];
    int k = snprintf(scoped, sizeof(scoped), "%lld:", (long long)r->sess.institution_id);
    crypto_sha256_pair(scoped, (size_t)k, r->body, r->body_len, h);
    crypto_hex(h, sizeof(h), x->id);
    x->inst = r->sess.institution_id;
    x->by = r->sess.user_id;
    x->now_ms = r->now_ms;
    x->bytes = (const uint8_t *)r->body;
    x->len = r->body_len;
    req_write(r, upload_write, x, upload_then);
}

struct served {
    bool found;
    char type[16];
    const void *bytes;
    size_t len;
    struct req *r;
};

static int take_upload(void *ctx, const struct store_row *row)
{
    struct served *s = ctx;
    s->found = true;
    snprintf(s->type, sizeof(s->type), "%s", store_row_text(row, 0, NULL));
    const void *b = store_row_blob(row, 1, &s->len);
    /* The row's memory ends with the callback: answer from inside it (copied). */
    req_reply_raw(s->r, 200, s->type, b, s->len);
    return 1;
}

void api_upload_get(struct req *r)
{
    const char *id = r->params[0];
    uint8_t raw[CRYPTO_SHA256_BYTES];
    if (!crypto_unhex(id, strlen(id), raw, sizeof(raw))) {
        req_problem(r, 404, "not_found", NULL, "no such upload");
        return;
    }
    struct store_conn *c = req_reader_or_reply(r);
    if (c == NULL)
        return;
    struct served s = {.r = r};
    struct store_err err;
    struct store_val p[] = {SV_TEXT(id)};
    enum store_rc rc = store_query(c, "SELECT content_type, bytes FROM uploads WHERE id = ?", p, 1,
                                   take_upload, &s, &err);
    if (rc != STORE_OK) {
        req_store_problem(r, rc, &err);
        return;
    }
    if (!s.found) {
        req_problem(r, 404, "not_found", NULL, "no such upload");
        return;
    }
    req_add_header(r, "Cache-Control", "public, max-age=31536000, immutable");
    req_add_header(r, "Content-Disposition", "inline");
}
