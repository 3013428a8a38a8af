/*
 * task.h: a header-only C SDK for task-queue task modules.
 *
 * A task module is a WASI preview1 reactor that exports `memory`, `alloc`,
 * `execute` and `_initialize` (see docs/abi.md). This header writes the
 * exports for you; a task is one handler function:
 *
 *     #include "task.h"
 *
 *     static void handle(const char *payload, size_t len) {
 *         char *name;
 *         if (task_json_get_string(payload, len, "name", &name, NULL) != TASK_JSON_OK)
 *             task_fail(2, "hello: payload needs a \"name\" string");
 *         task_return_fmt("{\"hello\":\"%s\"}", task_json_escape(name, strlen(name)));
 *     }
 *
 *     TASK_MAIN(handle);
 *
 * Build it as a reactor:
 *
 *     clang --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -O2 \
 *           -I include -o hello.wasm hello.c
 *
 * Memory: the worker discards the instance after every task, so nothing here
 * (payload, strings returned by the JSON helpers, the result) ever needs to be
 * freed. Allocation failure is reported with task_fail rather than returned.
 *
 * The payload is NOT NUL-terminated; every helper takes (pointer, length) and
 * never reads past the length.
 */
#ifndef TASK_H
#define TASK_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(__wasm32__)
#error "task.h targets wasm32: build with clang --target=wasm32-wasi -mexec-model=reactor"
#endif

/* The result of the current task: set by task_return*, read by execute. */
extern char *task__result_data;
extern size_t task__result_len;

/* ------------------------------------------------------------------------ */
/* Failing                                                                  */
/* ------------------------------------------------------------------------ */

/*
 * Fails the task: prints the message to stderr (a newline is added unless the
 * format ends with one), flushes stdout and stderr, and exits with `code`.
 * The worker marks the attempt failed and keeps the stderr line in the task's
 * log, so say what was wrong and what a valid payload looks like.
 *
 * `code` must be non-zero: exit(0) during execute would still be a failure
 * ("exited before returning a result"), but with a misleading code, so 0 is
 * turned into 1.
 */
__attribute__((format(printf, 2, 3), noreturn)) static inline void task_fail(int code,
                                                                             const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    size_t n = strlen(fmt);
    if (n == 0 || fmt[n - 1] != '\n') fputc('\n', stderr);
    fflush(stdout);
    fflush(stderr);
    exit(code == 0 ? 1 : code);
}

/* malloc that fails the task instead of returning NULL. */
static inline void *task_malloc(size_t len) {
    void *p = malloc(len == 0 ? 1 : len);
    if (p == NULL) task_fail(1, "task: out of memory allocating %zu bytes", len);
    return p;
}

/* ------------------------------------------------------------------------ */
/* Returning a result                                                       */
/* ------------------------------------------------------------------------ */

/*
 * Sets the task's result to a copy of `len` bytes at `data` (UTF-8, JSON
 * recommended). It does not end the handler: return from it afterwards.
 * Calling it again replaces the result; not calling it gives an empty result.
 */
static inline void task_return(const char *data, size_t len) {
    char *copy = NULL;
    if (len > 0) {
        copy = (char *)task_malloc(len);
        memcpy(copy, data, len);
    }
    free(task__result_data);
    task__result_data = copy;
    task__result_len = len;
}

/* Sets the result to a NUL-terminated string (without the NUL). */
static inline void task_return_str(const char *s) { task_return(s, strlen(s)); }

/* Sets the result to printf-style formatted text. */
__attribute__((format(printf, 1, 2))) static inline void task_return_fmt(const char *fmt, ...) {
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) task_fail(1, "task: task_return_fmt: bad format \"%s\"", fmt);
    char *buf = (char *)task_malloc((size_t)n + 1);
    vsnprintf(buf, (size_t)n + 1, fmt, again);
    va_end(again);
    free(task__result_data);
    task__result_data = buf; /* already a private copy: no need for task_return */
    task__result_len = (size_t)n;
}

/* ------------------------------------------------------------------------ */
/* Minimal JSON: read fields of the top-level payload object, escape output  */
/* ------------------------------------------------------------------------ */

/* What the task_json_get_* functions report. */
enum {
    TASK_JSON_OK = 0,
    TASK_JSON_MISSING = -1, /* no such field (an empty or `null` payload has no fields) */
    TASK_JSON_TYPE = -2,    /* the field is there but has another type */
    TASK_JSON_RANGE = -3,   /* an integer that does not fit in int64_t */
    TASK_JSON_SYNTAX = -4,  /* the payload is not a JSON object */
};

/* Nesting deeper than this is reported as a syntax error (bounds the C stack). */
#define TASK_JSON_MAX_DEPTH 64

static inline const char *task__json_ws(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}

static inline int task__hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads 4 hex digits at p (caller checked that 4 bytes remain); -1 if not hex. */
static inline long task__hex4(const char *p) {
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int d = task__hex(p[i]);
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

/* p is at the opening quote; returns the byte after the closing quote, or NULL. */
static inline const char *task__json_skip_string(const char *p, const char *end) {
    for (p++; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"') return p + 1;
        if (c < 0x20) return NULL; /* raw control characters must be escaped */
        if (c != '\\') continue;
        if (++p >= end) return NULL;
        switch (*p) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                break;
            case 'u':
                if (end - p < 5 || task__hex4(p + 1) < 0) return NULL;
                p += 4;
                break;
            default:
                return NULL;
        }
    }
    return NULL;
}

static inline const char *task__json_skip_digits(const char *p, const char *end) {
    const char *start = p;
    while (p < end && *p >= '0' && *p <= '9') p++;
    return p == start ? NULL : p;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? ; returns the byte after it or NULL. */
static inline const char *task__json_skip_number(const char *p, const char *end) {
    if (p < end && *p == '-') p++;
    if (p < end && *p == '0') {
        p++;
    } else if ((p = task__json_skip_digits(p, end)) == NULL) {
        return NULL;
    }
    if (p < end && *p == '.' && (p = task__json_skip_digits(p + 1, end)) == NULL) return NULL;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-')) p++;
        if ((p = task__json_skip_digits(p, end)) == NULL) return NULL;
    }
    return p;
}

static inline const char *task__json_skip_literal(const char *p, const char *end, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(end - p) < n || memcmp(p, word, n) != 0) return NULL;
    return p + n;
}

static inline const char *task__json_skip_value(const char *p, const char *end, int depth);

/* p is at '{' or '['; returns the byte after the matching close, or NULL. */
static inline const char *task__json_skip_container(const char *p, const char *end, int depth) {
    char close = *p == '{' ? '}' : ']';
    int object = close == '}';
    if (depth >= TASK_JSON_MAX_DEPTH) return NULL;
    p = task__json_ws(p + 1, end);
    if (p < end && *p == close) return p + 1;
    for (;;) {
        if (object) {
            if (p >= end || *p != '"' || (p = task__json_skip_string(p, end)) == NULL) return NULL;
            p = task__json_ws(p, end);
            if (p >= end || *p != ':') return NULL;
            p = task__json_ws(p + 1, end);
        }
        if ((p = task__json_skip_value(p, end, depth + 1)) == NULL) return NULL;
        p = task__json_ws(p, end);
        if (p >= end) return NULL;
        if (*p == close) return p + 1;
        if (*p != ',') return NULL;
        p = task__json_ws(p + 1, end);
    }
}

/* Returns the byte after the JSON value starting at p, or NULL if it is not one. */
static inline const char *task__json_skip_value(const char *p, const char *end, int depth) {
    if (p >= end) return NULL;
    switch (*p) {
        case '"': return task__json_skip_string(p, end);
        case '{': case '[': return task__json_skip_container(p, end, depth);
        case 't': return task__json_skip_literal(p, end, "true");
        case 'f': return task__json_skip_literal(p, end, "false");
        case 'n': return task__json_skip_literal(p, end, "null");
        default: return task__json_skip_number(p, end);
    }
}

/* Appends code point cp as UTF-8 at out; returns the byte after it. */
static inline char *task__utf8_put(char *out, unsigned long cp) {
    if (cp < 0x80) {
        *out++ = (char)cp;
    } else if (cp < 0x800) {
        *out++ = (char)(0xC0 | (cp >> 6));
        *out++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *out++ = (char)(0xE0 | (cp >> 12));
        *out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *out++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *out++ = (char)(0xF0 | (cp >> 18));
        *out++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *out++ = (char)(0x80 | (cp & 0x3F));
    }
    return out;
}

/*
 * Decodes the body of a string that task__json_skip_string accepted (between,
 * not including, the quotes) into out, which must hold (end - p) bytes: the
 * decoded text is never longer than its escaped form. Surrogate pairs become
 * one 4-byte character; a lone surrogate becomes U+FFFD. Returns the length.
 */
static inline size_t task__json_unescape(const char *p, const char *end, char *out) {
    char *o = out;
    while (p < end) {
        if (*p != '\\') {
            *o++ = *p++;
            continue;
        }
        p++;
        char c = *p++;
        switch (c) {
            case 'b': *o++ = '\b'; break;
            case 'f': *o++ = '\f'; break;
            case 'n': *o++ = '\n'; break;
            case 'r': *o++ = '\r'; break;
            case 't': *o++ = '\t'; break;
            case 'u': {
                unsigned long cp = (unsigned long)task__hex4(p);
                p += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
                    long lo = task__hex4(p + 2);
                    if (lo >= 0xDC00 && lo <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
                        p += 6;
                    }
                }
                if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
                o = task__utf8_put(o, cp);
                break;
            }
            default: *o++ = c; break; /* '"', '\\' and '/' stand for themselves */
        }
    }
    return (size_t)(o - out);
}

/* Does the raw (still escaped) key body [p, end) decode to `key`? */
static inline int task__json_key_equals(const char *p, const char *end, const char *key) {
    size_t raw = (size_t)(end - p), want = strlen(key);
    if (memchr(p, '\\', raw) == NULL) return raw == want && memcmp(p, key, raw) == 0;
    char *decoded = (char *)task_malloc(raw);
    size_t n = task__json_unescape(p, end, decoded);
    int equal = n == want && memcmp(decoded, key, n) == 0;
    free(decoded);
    return equal;
}

/*
 * Finds `key` in the top-level object of json[0, len) and sets [*value,
 * *value_end) to its raw value. Checks the whole payload, so a syntax error
 * anywhere is reported even when the key comes first. The first of duplicate
 * keys wins.
 */
static inline int task_json_find(const char *json, size_t len, const char *key,
                                 const char **value, const char **value_end) {
    const char *end = json + len;
    const char *p = task__json_ws(json, end);
    const char *found = NULL, *found_end = NULL;
    if (p == end) return TASK_JSON_MISSING;
    if (*p == 'n') {
        p = task__json_skip_literal(p, end, "null");
    } else if (*p != '{') {
        return TASK_JSON_SYNTAX;
    } else {
        p = task__json_ws(p + 1, end);
        if (p < end && *p == '}') {
            p++;
        } else {
            for (;;) {
                if (p >= end || *p != '"') return TASK_JSON_SYNTAX;
                const char *key_end = task__json_skip_string(p, end);
                if (key_end == NULL) return TASK_JSON_SYNTAX;
                int match = found == NULL && task__json_key_equals(p + 1, key_end - 1, key);
                p = task__json_ws(key_end, end);
                if (p >= end || *p != ':') return TASK_JSON_SYNTAX;
                p = task__json_ws(p + 1, end);
                const char *v = p;
                if ((p = task__json_skip_value(p, end, 1)) == NULL) return TASK_JSON_SYNTAX;
                if (match) {
                    found = v;
                    found_end = p;
                }
                p = task__json_ws(p, end);
                if (p < end && *p == ',') {
                    p = task__json_ws(p + 1, end);
                    continue;
                }
                if (p < end && *p == '}') {
                    p++;
                    break;
                }
                return TASK_JSON_SYNTAX;
            }
        }
    }
    if (p == NULL || task__json_ws(p, end) != end) return TASK_JSON_SYNTAX;
    if (found == NULL) return TASK_JSON_MISSING;
    *value = found;
    *value_end = found_end;
    return TASK_JSON_OK;
}

/*
 * Reads the string field `key` of the payload object. On TASK_JSON_OK, *out is
 * a fresh NUL-terminated copy with escapes decoded (it may contain NUL bytes
 * if the JSON had \u0000, so prefer *out_len), and *out_len its length if
 * out_len is not NULL. A JSON `null` value counts as TASK_JSON_TYPE.
 */
static inline int task_json_get_string(const char *json, size_t len, const char *key, char **out,
                                       size_t *out_len) {
    const char *v, *v_end;
    int rc = task_json_find(json, len, key, &v, &v_end);
    if (rc != TASK_JSON_OK) return rc;
    if (*v != '"') return TASK_JSON_TYPE;
    char *s = (char *)task_malloc((size_t)(v_end - v));
    size_t n = task__json_unescape(v + 1, v_end - 1, s);
    s[n] = '\0';
    *out = s;
    if (out_len != NULL) *out_len = n;
    return TASK_JSON_OK;
}

/*
 * Reads the integer field `key` of the payload object. Numbers with a fraction
 * or an exponent (2.0, 1e3) are TASK_JSON_TYPE; ones beyond int64_t are
 * TASK_JSON_RANGE.
 */
static inline int task_json_get_int(const char *json, size_t len, const char *key, int64_t *out) {
    const char *v, *v_end;
    int rc = task_json_find(json, len, key, &v, &v_end);
    if (rc != TASK_JSON_OK) return rc;
    const char *p = v;
    int negative = *p == '-';
    if (negative) p++;
    if (p == v_end || *p < '0' || *p > '9') return TASK_JSON_TYPE;
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t n = 0;
    for (; p < v_end; p++) {
        if (*p < '0' || *p > '9') return TASK_JSON_TYPE; /* '.', 'e' or 'E' */
        unsigned d = (unsigned)(*p - '0');
        if (n > (limit - d) / 10) return TASK_JSON_RANGE;
        n = n * 10 + d;
    }
    *out = negative ? (int64_t)(0 - n) : (int64_t)n;
    return TASK_JSON_OK;
}

/*
 * Length of the valid UTF-8 sequence at p (1-4), or 0 if the bytes there are
 * not one (bad lead or continuation byte, overlong form, surrogate, > U+10FFFF).
 */
static inline size_t task__utf8_valid(const unsigned char *p, const unsigned char *end) {
    unsigned char c = p[0];
    size_t n;
    unsigned long cp;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return 0;
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
    return n;
}

/*
 * Escapes s[0, len) for use between the quotes of a JSON string: `"` and `\`
 * are backslashed, control characters become \n, \t, ... or \u00XX, and bytes
 * that are not valid UTF-8 become U+FFFD, so the output is always valid JSON
 * text. Returns a fresh NUL-terminated string; its length via out_len if not
 * NULL.
 */
static inline char *task_json_escape_n(const char *s, size_t len, size_t *out_len) {
    static const char hex[] = "0123456789abcdef";
    if (len > (SIZE_MAX - 1) / 6) task_fail(1, "task: task_json_escape: %zu bytes is too long", len);
    char *out = (char *)task_malloc(len * 6 + 1); /* worst case: every byte is \u00XX */
    char *o = out;
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
            p++;
        } else if (c < 0x20) {
            *o++ = '\\';
            switch (c) {
                case '\b': *o++ = 'b'; break;
                case '\f': *o++ = 'f'; break;
                case '\n': *o++ = 'n'; break;
                case '\r': *o++ = 'r'; break;
                case '\t': *o++ = 't'; break;
                default:
                    *o++ = 'u';
                    *o++ = '0';
                    *o++ = '0';
                    *o++ = hex[c >> 4];
                    *o++ = hex[c & 0xF];
            }
            p++;
        } else {
            size_t n = task__utf8_valid(p, end);
            if (n == 0) {
                o = task__utf8_put(o, 0xFFFD);
                p++;
            } else {
                memcpy(o, p, n);
                o += n;
                p += n;
            }
        }
    }
    *o = '\0';
    if (out_len != NULL) *out_len = (size_t)(o - out);
    return out;
}

/* task_json_escape_n for callers that do not need the length. */
static inline char *task_json_escape(const char *s, size_t len) {
    return task_json_escape_n(s, len, NULL);
}

/* ------------------------------------------------------------------------ */
/* The exports                                                              */
/* ------------------------------------------------------------------------ */

/* Body of the exported `alloc`: `len` writable bytes, even when len == 0. */
static inline void *task__alloc(size_t len) { return task_malloc(len); }

/* Body of the exported `execute`: run the handler, flush, pack the result. */
static inline uint64_t task__execute(void (*handler)(const char *, size_t), const char *payload,
                                     size_t len) {
    task__result_data = NULL;
    task__result_len = 0;
    handler(payload, len);
    /* stdout is fully buffered when it is not a terminal: flush it now, or the
     * lines are lost when the worker discards the instance. */
    fflush(stdout);
    fflush(stderr);
    return ((uint64_t)(uintptr_t)task__result_data << 32) | (uint64_t)task__result_len;
}

/*
 * Defines the module's exports around `handler`, a
 * `void handler(const char *payload, size_t len)`. Use it once per module, at
 * file scope, followed by a semicolon: `TASK_MAIN(handle);`.
 */
#define TASK_MAIN(handler)                                                             \
    char *task__result_data;                                                           \
    size_t task__result_len;                                                           \
    void *task__export_alloc(size_t len);                                              \
    uint64_t task__export_execute(const char *payload, size_t len);                    \
    __attribute__((export_name("alloc"))) void *task__export_alloc(size_t len) {       \
        return task__alloc(len);                                                       \
    }                                                                                  \
    __attribute__((export_name("execute"))) uint64_t task__export_execute(             \
        const char *payload, size_t len) {                                             \
        return task__execute((handler), payload, len);                                 \
    }                                                                                  \
    extern int task__main_defined_once

#endif /* TASK_H */
