/* sqlite_rules.h: what the columns of well-known applications' SQLite
 * tables hold (data/sqlite-columns.tsv, built in, plus --columns FILE).
 * The record decoder (sqlite_rec.h) names each record's table and columns
 * from the database's own schema; these rules turn a bare value in a named
 * column into an identifier (a phone number, a service account) and name the
 * column that dates the record. */
#ifndef TRAWL_SCAN_SQLITE_RULES_H
#define TRAWL_SCAN_SQLITE_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "scan/sqlite_rec.h"
#include "util/err.h"

enum { SQR_PHONE, SQR_ACCOUNT, SQR_TIME, SQR_COLUMNS };
enum { SQR_WEBKIT, SQR_PRTIME, SQR_MAC, SQR_UNIX };

typedef struct sq_cond {
    char col[SCAN_SQLITE_MAX_NAME];
    char val[128];
    int suffix; /* COL~SUFFIX */
} sq_cond;

typedef struct sq_rule {
    char table[SCAN_SQLITE_MAX_NAME], column[SCAN_SQLITE_MAX_NAME]; /* lower case */
    int what;                                                       /* SQR_PHONE... */
    char service[32];                                               /* SQR_ACCOUNT */
    int epoch;                                                      /* SQR_TIME */
    sq_cond cond[4];
    size_t ncond;
    sq_table schema; /* SQR_COLUMNS: the table's columns in order (a known schema) */
} sq_rule;

typedef struct sq_rules {
    sq_rule *v;
    size_t n;
    const sq_table *by_ncols[SCAN_SQLITE_MAX_COLS + 1]; /* sq_rules_schema's answers */
} sq_rules;

/* The built-in rules, then those of path (NULL: none).  Errors name the
 * file and line. */
int sq_rules_load(const char *path, sq_rules **out, trawl_err *err);
void sq_rules_free(sq_rules *r);

/* The known schema (a "columns:" rule) of a record of ncols columns whose
 * database schema was not found: the only one with that many columns, or
 * NULL. */
const sq_table *sq_rules_schema(const sq_rules *rs, size_t ncols);

/* Index in t's columns of the column named name, or -1. */
int sq_column(const sq_table *t, const char *name);

/* 1 if rule applies to record r of table t (its WHEN conditions hold). */
int sq_rule_when(const sq_rule *rule, const sq_table *t, const sq_record *r);

/* A time rule's value in Unix seconds; 0 when v is no plausible time. */
int sq_time(int epoch, const sq_value *v, int64_t *out);

#endif
