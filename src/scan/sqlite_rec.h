/* sqlite_rec.h: SQLite records wherever their bytes are.
 *
 * sq_find looks at a buffer (a scan page, or decoded data) for SQLite b-tree
 * pages: databases that start with their header ("SQLite format 3"), -wal
 * files (frames after a 32-byte header), -journal files (page records after
 * a sector-sized header), and bare pages anywhere on a SCAN_SQLITE_MIN_PAGE
 * boundary (deleted databases in unallocated space, freelist leaves, pages
 * torn from their file), whose page size is then inferred from the cells.
 * Each page's header and cell pointers are checked against the page; each
 * cell's record (varint header, serial types) must account for its payload
 * exactly, or the page is not taken.  Overflow chains are followed where
 * the database's header places the pages inside the buffer.  Deleted rows
 * are recovered from freeblocks and from the unallocated gap of a page
 * (fields that decode cleanly only) and flagged.
 *
 * The schema (sqlite_master, itself records) names each table's columns;
 * pages are assigned to tables by walking each table's b-tree from its root
 * page, or, for pages no walk reached, by a column count that only one
 * known table has.
 *
 * Everything is bounded by SCAN_SQLITE_* in util/limits.h: page sizes,
 * columns, payload, overflow chains (by length and a visited count), tree
 * walks (visited bitmap: a page that is its own parent ends the walk). */
#ifndef TRAWL_SCAN_SQLITE_REC_H
#define TRAWL_SCAN_SQLITE_REC_H

#include <stddef.h>
#include <stdint.h>

#include "util/limits.h"

enum { SQ_NULL, SQ_INT, SQ_REAL, SQ_TEXT, SQ_BLOB };
enum { SQ_ENC_UNKNOWN = 0, SQ_ENC_UTF8 = 1, SQ_ENC_UTF16LE = 2, SQ_ENC_UTF16BE = 3 };

typedef struct sq_value {
    int kind;         /* SQ_* */
    int64_t i;        /* SQ_INT */
    double r;         /* SQ_REAL */
    const uint8_t *p; /* SQ_TEXT, SQ_BLOB: the bytes (in the buffer or a scratch copy) */
    size_t n;         /* their length (a field cut short by a missing page is shorter) */
    size_t at;        /* buffer offset of the field's first byte, or of its cell when the
                         field starts on an overflow page */
    int whole;        /* 1 if all of the field's bytes were found */
} sq_value;

typedef struct sq_record {
    size_t page;   /* buffer offset of the page */
    size_t cell;   /* buffer offset of the cell (or of the recovered header) */
    int deleted;   /* recovered from a freeblock or the unallocated gap */
    int nameless;  /* recovered with fewer columns than its table's: which ones is unknown */
    int enc;       /* SQ_ENC_* (UNKNOWN: guess per field) */
    int table;     /* index into the doc's tables, or -1 */
    int64_t rowid; /* table b-tree rows; 0 when unknown */
    size_t ncols;
    sq_value col[SCAN_SQLITE_MAX_COLS];
} sq_record;

/* A table of a schema found in the buffer. */
typedef struct sq_table {
    char name[SCAN_SQLITE_MAX_NAME];
    size_t ncols;
    char (*cols)[SCAN_SQLITE_MAX_NAME]; /* ncols names, lower case */
    int ipk;                            /* the INTEGER PRIMARY KEY column (stored as NULL), or -1 */
} sq_table;

typedef struct sq_doc sq_doc;

/* A doc is reusable scratch: sq_find resets it. */
int sq_doc_new(sq_doc **out);
void sq_doc_free(sq_doc *d);

/* Find the pages of buf[0..len) and every record's span.  align is the
 * buffer offset of the first byte on a SCAN_SQLITE_MIN_PAGE boundary of the
 * media.  Returns 0, or -1 when out of memory. */
int sq_find(sq_doc *d, const uint8_t *buf, size_t len, size_t align);

/* 1 if buf[lo..hi) touches a record (its cell header or any field) or the
 * free space of a page (freeblocks, the gap before the cells): a match
 * there belongs to the record's fields, or to no field known, not to the
 * raw bytes. */
int sq_in_record(const sq_doc *d, size_t lo, size_t hi);

/* Copy src[0..len) (the buffer sq_find looked at) to out with the bytes
 * of every record span and page free space zeroed. */
void sq_blank(const sq_doc *d, const uint8_t *src, uint8_t *out, size_t len);

/* 1 if the doc found any record. */
int sq_any(const sq_doc *d);

/* Call fn for each record of each page found whose first byte lies in
 * buf[lo..hi), in buffer order; stops at fn's first non-zero return (which
 * it returns).  The record and its values are valid only during the call. */
typedef int (*sq_record_fn)(void *ctx, const sq_record *r);
int sq_records(sq_doc *d, size_t lo, size_t hi, sq_record_fn fn, void *ctx);

/* The table of a record (r->table >= 0). */
const sq_table *sq_doc_table(const sq_doc *d, int table);

#endif
