/* strbuf.h: a growable byte string, for building output lines, paths and
 * JSON.  Allocation failure is sticky: sb->oom is set and later appends do
 * nothing, so callers check once at the end. */
#ifndef TRAWL_UTIL_STRBUF_H
#define TRAWL_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct strbuf {
    char *buf; /* NUL-terminated when len > 0 or after sb_cstr */
    size_t len, cap;
    int oom;
} strbuf;

#define STRBUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0, 0                                                                              \
    }

/* Append bytes, a C string, one byte, or printf output. */
void sb_add(strbuf *sb, const void *data, size_t len);
void sb_adds(strbuf *sb, const char *s);
void sb_addc(strbuf *sb, char c);
void sb_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The contents as a C string ("" when empty); borrowed. */
const char *sb_cstr(strbuf *sb);

/* Empty the buffer, keeping its memory; free it. */
void sb_reset(strbuf *sb);
void sb_free(strbuf *sb);

/* Hand the buffer to the caller (malloc'd, NUL-terminated; NULL on oom). */
char *sb_detach(strbuf *sb);

#endif
