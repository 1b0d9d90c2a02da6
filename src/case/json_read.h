/* json_read.h: reading back the JSON trawl itself writes with esc_json
 * (audit lines, link explanations, scan options, acquisition metadata).
 * Not a JSON parser for anyone's input: what esc_json cannot have written
 * is refused.  The store's engine has JSON functions of its own; trawl does
 * not depend on them, so that another engine reads a case the same. */
#ifndef TRAWL_CASE_JSON_READ_H
#define TRAWL_CASE_JSON_READ_H

#include <stddef.h>

#include "util/strbuf.h"

/* Read the JSON string starting at *p (just after its opening quote) into
 * sb, undoing the escapes esc_json writes (\" \\ \/ \n \t \r \u00XX, the
 * last one byte each); *p ends after the closing quote.  Returns 0 on
 * success, -1 on a malformed string. */
int case_json_string(const char **p, strbuf *sb);

/* 1 when s (len bytes) is one JSON value (object, array, string, number,
 * true, false, null) with only white space around it, nested at most
 * 64 deep; else 0. */
int case_json_valid(const char *s, size_t len);

/* The member key of the JSON object s (len bytes, case_json_valid) at its
 * top level, the first when the key repeats: *val and *vlen are its value's
 * JSON text (a string with its quotes).  Returns 0, or -1 when s holds no
 * such member or is not an object. */
int case_json_member(const char *s, size_t len, const char *key, const char **val, size_t *vlen);

#endif
