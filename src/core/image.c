/* image.c: image type and dimensions from header bytes (see image.h). */
#include "core/image.h"

#include "base/check.h"

#include <stdbool.h>
#include <string.h>

#define DIM_MAX 65535u

static uint32_t be16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le16(const uint8_t *p)
{
    return (uint32_t)p[1] << 8 | p[0];
}

static uint32_t le24(const uint8_t *p)
{
    return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static enum image_rc png(const uint8_t *p, size_t n, struct image_info *out)
{
    /* Signature, then the IHDR chunk: length(4) "IHDR" width(4) height(4). */
    if (n < 24)
        return IMAGE_TRUNCATED;
    if (memcmp(p + 12, "IHDR", 4) != 0)
        return IMAGE_UNKNOWN;
    out->width = be32(p + 16);
    out->height = be32(p + 20);
    return IMAGE_OK;
}

/* Walks JPEG markers to the first start-of-frame, which holds the dimensions. */
static enum image_rc jpeg(const uint8_t *p, size_t n, struct image_info *out)
{
    size_t i = 2;
    for (int markers = 0; markers < 256; markers++) {
        while (i < n && p[i] == 0xFF)
            i++;
        if (i + 3 > n)
            return IMAGE_TRUNCATED;
        uint8_t m = p[i];
        uint32_t len = be16(p + i + 1);
        bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        if (sof) {
            if (i + 8 > n)
                return IMAGE_TRUNCATED;
            out->height = be16(p + i + 4);
            out->width = be16(p + i + 6);
            return IMAGE_OK;
        }
        if (m == 0xD9 || m == 0xDA || len < 2)
            return IMAGE_UNKNOWN; /* end of image or scan data before any frame header */
        i += 1 + len;
    }
    return IMAGE_UNKNOWN;
}

static enum image_rc webp(const uint8_t *p, size_t n, struct image_info *out)
{
    if (n < 30)
        return IMAGE_TRUNCATED;
    if (memcmp(p + 12, "VP8 ", 4) == 0) { /* lossy: frame tag then 14-bit sizes */
        out->width = le16(p + 26) & 0x3FFF;
        out->height = le16(p + 28) & 0x3FFF;
    } else if (memcmp(p + 12, "VP8L", 4) == 0) { /* lossless: 14 bits each, minus one */
        uint32_t b =
            (uint32_t)p[21] | (uint32_t)p[22] << 8 | (uint32_t)p[23] << 16 | (uint32_t)p[24] << 24;
        out->width = (b & 0x3FFF) + 1;
        out->height = ((b >> 14) & 0x3FFF) + 1;
    } else if (memcmp(p + 12, "VP8X", 4) == 0) { /* extended: 24-bit sizes, minus one */
        out->width = le24(p + 24) + 1;
        out->height = le24(p + 27) + 1;
    } else {
        return IMAGE_UNKNOWN;
    }
    return IMAGE_OK;
}

enum image_rc image_probe(const uint8_t *p, size_t n, struct image_info *out)
{
    ASSERT(out != NULL);
    static const uint8_t png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    memset(out, 0, sizeof(*out));
    enum image_rc rc = IMAGE_UNKNOWN;
    if (n >= 8 && memcmp(p, png_sig, 8) == 0) {
        out->type = IMAGE_PNG;
        rc = png(p, n, out);
    } else if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
        out->type = IMAGE_JPEG;
        rc = jpeg(p, n, out);
    } else if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) {
        out->type = IMAGE_WEBP;
        rc = webp(p, n, out);
    }
    if (rc == IMAGE_OK &&
        (out->width == 0 || out->height == 0 || out->width > DIM_MAX || out->height > DIM_MAX))
        rc = IMAGE_BAD_SIZE;
    if (rc != IMAGE_OK)
        out->type = IMAGE_NONE;
    return rc;
}

const char *image_type_mime(enum image_type t)
{
    switch (t) {
    case IMAGE_PNG:
        return "image/png";
    case IMAGE_JPEG:
        return "image/jpeg";
    case IMAGE_WEBP:
        return "image/webp";
    case IMAGE_NONE:
        return "";
    }
    BUG("unknown image type");
}

const char *image_rc_str(enum image_rc rc)
{
    switch (rc) {
    case IMAGE_OK:
        return "ok";
    case IMAGE_UNKNOWN:
        return "not a PNG, JPEG or WebP image";
    case IMAGE_TRUNCATED:
        return "the image header is cut short";
    case IMAGE_BAD_SIZE:
        return "the image has no size or an absurd one";
    }
    BUG("unknown image_rc");
}
