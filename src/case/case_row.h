/* case_row.h: reading rows out of the case without knowing its engine.
 *
 * A query function of src/case (q_*.h) starts a query, binds a row struct
 * of its own (fields named for what they hold, each a case_val) and hands
 * back a case_rows; case_rows_next fills that struct with the next row.
 * Values are borrowed until the next call to case_rows_next or
 * case_rows_close. */
#ifndef TRAWL_CASE_ROW_H
#define TRAWL_CASE_ROW_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* The kinds of value a column holds. */
enum { CASE_NULL = 0, CASE_INT, CASE_REAL, CASE_TEXT };

/* One column of a row, typed: a number is read from i (and d), text from
 * s and len; the other fields are 0 and "" (a number is never turned into
 * text here, nor text into a number). */
typedef struct case_val {
    int type;      /* CASE_NULL, CASE_INT, CASE_REAL or CASE_TEXT */
    int64_t i;     /* an integer (a real truncated as SQLite does) */
    double d;      /* a real (an integer converted) */
    const char *s; /* text, NUL-terminated; "" for NULL and numbers */
    size_t len;    /* bytes of s (it may hold NUL bytes) */
} case_val;

/* A query being read. */
typedef struct case_rows case_rows;

/* Fill the bound row struct with the next row: *row is 1 when it did, 0
 * after the last row.  An error of the engine names the case. */
int case_rows_next(case_rows *r, int *row, trawl_err *err);

/* Finish the query; NULL is a no-op. */
void case_rows_close(case_rows *r);

#endif
