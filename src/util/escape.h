/* escape.h: every string from evidence is escaped when it leaves trawl.
 * One function per destination; each appends to a strbuf. */
#ifndef TRAWL_UTIL_ESCAPE_H
#define TRAWL_UTIL_ESCAPE_H

#include <stddef.h>

#include "util/strbuf.h"

/* JSON string body (no quotes): ", \ and control characters escaped;
 * invalid UTF-8 bytes become \u00XX of the byte (so it round-trips as Latin-1). */
void esc_json(strbuf *sb, const void *s, size_t len);

/* XML text or attribute value: & < > " ' escaped; control characters other
 * than tab/newline, and invalid UTF-8, become U+FFFD-free \xHH text. */
void esc_xml(strbuf *sb, const void *s, size_t len);

/* One CSV field (RFC 4180): quoted when it holds , " CR or LF, and a leading
 * = + - @ TAB or CR is neutralized with a ' so spreadsheets do not run it. */
void esc_csv(strbuf *sb, const void *s, size_t len);

/* bulk_extractor feature-file column: bytes outside printable ASCII that are
 * not valid UTF-8, tab, newline, backslash and DEL become \xHH; valid UTF-8
 * stays as it is. */
void esc_feature(strbuf *sb, const void *s, size_t len);

/* Terminal: control characters (C0, DEL, C1) and invalid UTF-8 become \xHH;
 * everything else, including < > ( ), prints as it is. */
void esc_term(strbuf *sb, const void *s, size_t len);

/* Length of the valid UTF-8 sequence at s[0..len), or 0 if invalid. */
size_t utf8_seq_len(const unsigned char *s, size_t len);

#endif
