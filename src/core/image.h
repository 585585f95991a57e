/*
 * image.h: what an uploaded image really is, from its bytes. The declared content type is
 * never trusted: a file is a PNG, JPEG or WebP image by its signature and a readable header
 * with its dimensions, or it is refused. Pure: no decoding beyond the header.
 */
#ifndef CFH_IMAGE_H
#define CFH_IMAGE_H

#include <stddef.h>
#include <stdint.h>

enum image_type {
    IMAGE_NONE = 0,
    IMAGE_PNG,
    IMAGE_JPEG,
    IMAGE_WEBP
};

enum image_rc {
    IMAGE_OK = 0,
    IMAGE_UNKNOWN,   /* not a PNG, JPEG or WebP signature */
    IMAGE_TRUNCATED, /* the header ends before the dimensions */
    IMAGE_BAD_SIZE,  /* zero or absurd dimensions */
};

struct image_info {
    enum image_type type;
    uint32_t width, height;
};

/* Reads type and dimensions from the first bytes of an image. */
enum image_rc image_probe(const uint8_t *p, size_t n, struct image_info *out);

/* "image/png", "image/jpeg", "image/webp"; "" for IMAGE_NONE. */
const char *image_type_mime(enum image_type t);

const char *image_rc_str(enum image_rc rc);

#endif
