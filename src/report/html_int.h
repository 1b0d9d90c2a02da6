/* html_int.h: what the report's writers (html_*.c) share: the page being
 * written, the devices and links loaded once, and the escaping helpers.
 * Internal to src/report. */
#ifndef TRAWL_REPORT_HTML_INT_H
#define TRAWL_REPORT_HTML_INT_H

#include <stdint.h>
#include <stdio.h>

#include "case/q_report.h"
#include "report/html.h"
#include "util/strbuf.h"

typedef struct rep_count {
    char *type;
    int64_t n;
} rep_count;

typedef struct rep_del {
    int64_t file_id, n; /* a deleted file and the identifier hits in it */
} rep_del;

typedef struct rep_dev {
    char *name;
    int64_t id, size, total; /* total: identifier hits */
    int group;               /* 1-based group (louvain, else components); 0 none */
    rep_count *types;        /* hits by type, in type order */
    size_t ntypes;
    rep_count *areas; /* hits outside files, by area */
    size_t nareas;
    rep_del *del; /* deleted files holding identifiers, by file id */
    size_t ndel;
    double x, y; /* layout, in [0,1] */
} rep_dev;

typedef struct rep_link {
    uint32_t a, b; /* indexes into rep.dev */
    double score;
    int64_t shared;
} rep_link;

typedef struct rep {
    case_db *c;
    const report_html_opts *o;
    FILE *out;
    strbuf sb; /* the page, flushed to out section by section */
    rep_dev *dev;
    size_t ndev;
    rep_link *link;
    size_t nlink;
    int64_t nlink_total; /* rows of the links table */
    int ngroups;
} rep;

/* Append literal HTML; escaped text (HTML text or attribute value: & < > "
 * ' escaped, control bytes and invalid UTF-8 shown as \xHH); printf. */
void h_raw(rep *r, const char *s);
void h_txt(rep *r, const char *s, size_t len);
void h_str(rep *r, const char *s); /* h_txt of a C string; NULL prints nothing */
void h_cell(rep *r, const case_cell *x);
/* A context (bytes around a hit): as h_cell, runs of NUL bytes shortened
 * to one marker "\x00xN", and value (when not NULL) marked where it occurs. */
void h_ctx(rep *r, const case_cell *x, const char *value);
void h_f(rep *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A first occurrence, a row of case_q_locations (ctx an h_loc): the device
 * when with_device is set, then the forensic path, the file or the area,
 * and the context with value marked.  Returns 1: one row is enough. */
typedef struct h_loc {
    rep *r;
    const char *value;
    int with_device;
} h_loc;
int h_loc_cb(void *ctx, const case_cell *row, int ncol, trawl_err *err);
/* A JSON string (with quotes) safe inside <script>: also < > & and
 * U+2028/2029 escaped, so no value can close the element. */
void h_json(rep *r, const char *s, size_t len);
/* An integer with thousands separators ("1,234,567"). */
void h_num(rep *r, int64_t n);
/* Bytes as a human size ("1.5 MiB (1572864 bytes)"). */
void h_size(rep *r, int64_t n);
/* Write what is buffered to the file. */
int h_flush(rep *r, trawl_err *err);
/* The anchor id of an identifier in the index ("v-" + hex of type:value). */
void h_anchor(rep *r, const char *type, const char *value);
/* Index of device name in r->dev (binary search), or -1. */
long rep_dev_index(const rep *r, const char *name);
/* Duplicate a cell (NULL for SQL NULL), or "" on allocation failure. */
char *rep_dup(const case_cell *x);

/* The sections, in page order. */
int html_case(rep *r, trawl_err *err);
int html_graph(rep *r, trawl_err *err);
int html_links(rep *r, trawl_err *err);
int html_accounts(rep *r, trawl_err *err);
int html_devices(rep *r, trawl_err *err);
int html_index(rep *r, trawl_err *err);
int html_watch(rep *r, trawl_err *err);
int html_method(rep *r, trawl_err *err);

/* The page's style sheet and script (html_assets.c). */
extern const char html_css[];
extern const char html_js[];

#endif
