/*
 * yaml2json: a build-time host program that turns one YAML document (stdin) into the equivalent
 * JSON (stdout). It exists so that api/openapi.yaml can be written by hand in YAML and embedded in
 * the server as JSON.
 *
 * Scalars are resolved with the YAML 1.2 core schema, restricted to what JSON can carry:
 *   plain null | Null | NULL | ~ | (empty)            -> null
 *   plain true | True | TRUE | false | False | FALSE  -> true / false
 *   plain [-+]?[0-9]+                                 -> integer (must fit in 64 bits)
 *   plain [-+]?(.[0-9]+|[0-9]+(.[0-9]*)?)([eE][-+]?[0-9]+)?  -> real
 *   anything else, every quoted or block scalar, and every scalar tagged !!str -> string
 * Mapping keys are always strings. Anchors, aliases, other tags, complex keys, duplicate keys and
 * more than one document are refused. Every error names the line and column and exits 1.
 */
#include <errno.h>
#include <float.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yaml.h>

#define DEPTH_MAX 256                 /* nesting bound; the OpenAPI document needs about 12 */
#define INPUT_MAX (16u * 1024 * 1024) /* a build input, not a data set */
#define TAG_STR   "tag:yaml.org,2002:str"
#define TAG_MAP   "tag:yaml.org,2002:map"
#define TAG_SEQ   "tag:yaml.org,2002:seq"

struct frame {
    json_t *node; /* array or object being filled (borrowed from its parent) */
    char *key;    /* object only: key read but not yet given a value, or NULL */
    size_t key_len;
    yaml_mark_t key_mark;
};

struct conv {
    yaml_parser_t parser;
    unsigned char *input; /* all of stdin; kept to turn a byte offset into line and column */
    size_t input_len;
    struct frame stack[DEPTH_MAX];
    size_t depth;
    json_t *root; /* owned; NULL until the first node */
    int documents;
    int real_precision; /* digits needed so that every real prints back to its own value */
};

static void fail_at(yaml_mark_t mark, const char *what)
{
    fprintf(stderr, "yaml2json: line %zu, column %zu: %s\n", mark.line + 1, mark.column + 1, what);
}

static bool text_is(const char *s, size_t n, const char *lit)
{
    return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

static size_t skip_digits(const char *s, size_t i, size_t n)
{
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    return i;
}

static bool is_int_text(const char *s, size_t n)
{
    size_t i = (n > 0 && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    return i < n && skip_digits(s, i, n) == n;
}

/* [-+]? ( . [0-9]+ | [0-9]+ ( . [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?  (integers are checked first) */
static bool is_real_text(const char *s, size_t n)
{
    size_t i = (n > 0 && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    size_t start = i;
    i = skip_digits(s, i, n);
    bool int_digits = i > start;
    if (i < n && s[i] == '.') {
        size_t frac = ++i;
        i = skip_digits(s, i, n);
        if (!int_digits && i == frac)
            return false;
    } else if (!int_digits) {
        return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        size_t exp = i;
        i = skip_digits(s, i, n);
        if (i == exp)
            return false;
    }
    return i == n;
}

/* Fewest significant digits (up to 17) that print `v` so that it reads back unchanged. */
static int precision_for(double v)
{
    char buf[64];
    for (int p = 1; p < 17; p++) {
        snprintf(buf, sizeof buf, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            return p;
    }
    return 17;
}

static json_t *number_or_fail(struct conv *c, const char *s, size_t n, yaml_mark_t mark)
{
    char buf[128];
    if (n >= sizeof buf) {
        fail_at(mark, "number too long");
        return NULL;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end = NULL;
    errno = 0;
    if (is_int_text(s, n)) {
        long long i = strtoll(buf, &end, 10);
        if (errno == ERANGE || *end != '\0') {
            fail_at(mark, "integer out of the 64-bit range");
            return NULL;
        }
        return json_integer((json_int_t)i);
    }
    double d = strtod(buf, &end);
    if (errno == ERANGE || *end != '\0') {
        fail_at(mark, "real number out of range");
        return NULL;
    }
    int p = precision_for(d);
    if (p > c->real_precision)
        c->real_precision = p;
    return json_real(d);
}

/* Resolves a scalar event to a new JSON value, or reports the error and returns NULL. */
static json_t *scalar_or_fail(struct conv *c, const yaml_event_t *ev)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    const char *tag = (const char *)ev->data.scalar.tag;
    bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && tag == NULL;
    json_t *v;

    if (tag != NULL && strcmp(tag, "!") != 0 && strcmp(tag, TAG_STR) != 0) {
        fail_at(ev->start_mark, "unsupported tag (only !!str is accepted)");
        return NULL;
    }
    if (plain && (n == 0 || text_is(s, n, "~") || text_is(s, n, "null") || text_is(s, n, "Null") ||
                  text_is(s, n, "NULL")))
        return json_null();
    if (plain && (text_is(s, n, "true") || text_is(s, n, "True") || text_is(s, n, "TRUE")))
        return json_true();
    if (plain && (text_is(s, n, "false") || text_is(s, n, "False") || text_is(s, n, "FALSE")))
        return json_false();
    if (plain && (is_int_text(s, n) || is_real_text(s, n)))
        return number_or_fail(c, s, n, ev->start_mark);
    v = json_stringn(s, n);
    if (v == NULL)
        fail_at(ev->start_mark, "scalar is not valid UTF-8");
    return v;
}

/* Places a new node (reference stolen) in the current container, or makes it the root. */
static bool attach_or_fail(struct conv *c, json_t *node, yaml_mark_t mark)
{
    if (c->depth == 0) {
        c->root = node;
        return true;
    }
    struct frame *top = &c->stack[c->depth - 1];
    if (json_is_array(top->node)) {
        if (json_array_append_new(top->node, node) == 0)
            return true;
        fail_at(mark, "out of memory");
        return false;
    }
    if (top->key == NULL) {
        json_decref(node);
        fail_at(mark, "mapping keys must be scalars");
        return false;
    }
    int rc = json_object_setn_new(top->node, top->key, top->key_len, node);
    free(top->key);
    top->key = NULL;
    if (rc != 0)
        fail_at(mark, "out of memory");
    return rc == 0;
}

/* A scalar in a mapping is a key when no key is pending; keys stay strings, whatever they say. */
static bool take_key_or_fail(struct conv *c, const yaml_event_t *ev)
{
    struct frame *top = &c->stack[c->depth - 1];
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;

    if (json_object_getn(top->node, s, n) != NULL) {
        fail_at(ev->start_mark, "duplicate mapping key");
        return false;
    }
    top->key = malloc(n + 1);
    if (top->key == NULL) {
        fail_at(ev->start_mark, "out of memory");
        return false;
    }
    memcpy(top->key, s, n);
    top->key[n] = '\0';
    top->key_len = n;
    top->key_mark = ev->start_mark;
    return true;
}

static bool on_scalar(struct conv *c, const yaml_event_t *ev)
{
    if (ev->data.scalar.anchor != NULL) {
        fail_at(ev->start_mark, "anchors are not supported");
        return false;
    }
    if (c->depth > 0) {
        struct frame *top = &c->stack[c->depth - 1];
        if (json_is_object(top->node) && top->key == NULL)
            return take_key_or_fail(c, ev);
    }
    json_t *v = scalar_or_fail(c, ev);
    return v != NULL && attach_or_fail(c, v, ev->start_mark);
}

static bool on_collection_start(struct conv *c, const yaml_event_t *ev, bool is_map)
{
    const yaml_char_t *anchor =
        is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
    const char *tag =
        (const char *)(is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag);
    if (anchor != NULL) {
        fail_at(ev->start_mark, "anchors are not supported");
        return false;
    }
    if (tag != NULL && strcmp(tag, "!") != 0 && strcmp(tag, is_map ? TAG_MAP : TAG_SEQ) != 0) {
        fail_at(ev->start_mark, "unsupported tag on a collection");
        return false;
    }
    if (c->depth == DEPTH_MAX) {
        fail_at(ev->start_mark, "nesting too deep");
        return false;
    }
    json_t *node = is_map ? json_object() : json_array();
    if (node == NULL) {
        fail_at(ev->start_mark, "out of memory");
        return false;
    }
    if (!attach_or_fail(c, node, ev->start_mark))
        return false;
    c->stack[c->depth++] = (struct frame){.node = node};
    return true;
}

/* Handles one parser event; returns false after reporting an error. */
static bool on_event(struct conv *c, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++c->documents > 1) {
            fail_at(ev->start_mark, "more than one document");
            return false;
        }
        return true;
    case YAML_SCALAR_EVENT:
        return on_scalar(c, ev);
    case YAML_SEQUENCE_START_EVENT:
        return on_collection_start(c, ev, false);
    case YAML_MAPPING_START_EVENT:
        return on_collection_start(c, ev, true);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        c->depth--;
        return true;
    case YAML_ALIAS_EVENT:
        fail_at(ev->start_mark, "aliases are not supported");
        return false;
    case YAML_STREAM_END_EVENT:
        if (c->root == NULL) {
            fail_at(ev->start_mark, "input holds no document");
            return false;
        }
        return true;
    default:
        return true;
    }
}

/* Reader errors (bad encoding) carry a byte offset, not a mark: count lines and characters. */
static yaml_mark_t mark_at_offset(const struct conv *c, size_t offset)
{
    yaml_mark_t m = {.index = offset};
    for (size_t i = 0; i < offset && i < c->input_len; i++) {
        if (c->input[i] == '\n') {
            m.line++;
            m.column = 0;
        } else if ((c->input[i] & 0xC0) != 0x80) {
            m.column++;
        }
    }
    return m;
}

static void report_parser_error(const struct conv *c)
{
    const yaml_parser_t *p = &c->parser;
    char what[512];
    const char *problem = p->problem != NULL ? p->problem : "malformed YAML";
    if (p->context != NULL)
        snprintf(what, sizeof what, "%s %s", problem, p->context);
    else
        snprintf(what, sizeof what, "%s", problem);
    if (p->error == YAML_READER_ERROR)
        fail_at(mark_at_offset(c, p->problem_offset), what);
    else
        fail_at(p->problem_mark, what);
}

/* Reads the whole stream; returns false after reporting an error. */
static bool convert(struct conv *c)
{
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&c->parser, &ev)) {
            report_parser_error(c);
            return false;
        }
        bool ok = on_event(c, &ev);
        bool done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (!ok)
            return false;
        if (done)
            return true;
    }
}

/* Reads all of stdin into c->input; returns false after reporting an error. */
static bool read_input(struct conv *c)
{
    size_t cap = 0;
    for (;;) {
        if (c->input_len == cap) {
            size_t grown_cap = cap == 0 ? 64 * 1024 : cap * 2;
            unsigned char *grown = grown_cap <= INPUT_MAX ? realloc(c->input, grown_cap) : NULL;
            if (grown == NULL) {
                fprintf(stderr, "yaml2json: input too large (limit %u bytes)\n", INPUT_MAX);
                return false;
            }
            c->input = grown;
            cap = grown_cap;
        }
        size_t got = fread(c->input + c->input_len, 1, cap - c->input_len, stdin);
        c->input_len += got;
        if (got == 0)
            break;
    }
    if (ferror(stdin)) {
        fprintf(stderr, "yaml2json: cannot read the input\n");
        return false;
    }
    return true;
}

static bool write_output(const struct conv *c)
{
    size_t flags = JSON_INDENT(2) | JSON_REAL_PRECISION(c->real_precision) | JSON_ENCODE_ANY;
    if (json_dumpf(c->root, stdout, flags) == 0 && fputc('\n', stdout) != EOF &&
        fflush(stdout) == 0)
        return true;
    fprintf(stderr, "yaml2json: cannot write the output\n");
    return false;
}

static void conv_release(struct conv *c)
{
    for (size_t i = 0; i < DEPTH_MAX; i++)
        free(c->stack[i].key);
    json_decref(c->root);
    yaml_parser_delete(&c->parser);
    free(c->input);
}

int main(void)
{
    static struct conv c; /* static: the stack is large and must start zeroed */

    if (!yaml_parser_initialize(&c.parser)) {
        fprintf(stderr, "yaml2json: cannot initialise the YAML parser\n");
        return 1;
    }
    c.real_precision = 1;
    bool ok = read_input(&c);
    if (ok) {
        yaml_parser_set_input_string(&c.parser, c.input, c.input_len);
        ok = convert(&c) && write_output(&c);
    }
    conv_release(&c);
    return ok ? 0 : 1;
}
