/* html.h: the examiner's report, one self-contained HTML file (styles,
 * script and pictures inline; a Content-Security-Policy that forbids every
 * network source) for a prosecutor, a judge or a defence expert to open
 * offline.  Deterministic: the same case gives the same bytes (no time but
 * the case's own).  Every string from the case is escaped for where it goes
 * (HTML text and attributes, or JSON that cannot close its <script>). */
#ifndef TRAWL_REPORT_HTML_H
#define TRAWL_REPORT_HTML_H

#include <stdint.h>
#include <stdio.h>

#include "report/watch.h"
#include "util/err.h"

typedef struct case_db case_db;

typedef struct report_html_opts {
    const char *title;         /* the case's name (the folder's base name) */
    int top;                   /* top values per device and type (index, per-device) */
    const report_watch *watch; /* a run watch list, or NULL */
    const char *watch_name;    /* its file's base name */
    int audit_ok;              /* the audit chain checked now: 1 intact, 0 broken */
    size_t audit_lines;        /* lines in audit.log */
    const char *audit_msg;     /* why it is broken, or NULL */
    const char *version;       /* trawl's version (TRAWL_VERSION) */
} report_html_opts;

/* Write the report of c to out.  Reads the case only. */
int report_html(case_db *c, const report_html_opts *o, FILE *out, trawl_err *err);

/* Lay out n nodes for drawing (Fruchterman-Reingold with gravity, a fixed
 * seed, float-free of any clock): edges ea[k]-eb[k] with weight w[k] > 0
 * pull, every pair pushes.  Writes x[i], y[i] in [0,1]; deterministic. */
void report_layout(size_t n, const uint32_t *ea, const uint32_t *eb, const double *w, size_t ne,
                   double *x, double *y);

#endif
