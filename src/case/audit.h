/* audit.h: the case's audit log.  Every action on a case, refused ones
 * included, appends one JSON line to CASE/audit.log.  Each line ends with
 * "prev", the SHA-256 of the previous line's bytes without its newline (64
 * zeros on the first line), and case.db keeps the hash of the last line and
 * the line count, so an edit, a removal or a truncation anywhere in the log
 * breaks the chain and `trawl verify` says where. */
#ifndef TRAWL_CASE_AUDIT_H
#define TRAWL_CASE_AUDIT_H

#include <stddef.h>

#include "case/case.h"

/* One input of an action: a path and, when known, its SHA-256. */
typedef struct case_audit_input {
    const char *path;
    const char *sha256; /* NULL when not hashed */
} case_audit_input;

typedef struct case_audit_entry {
    const char *action;   /* "create", "scan", "verify", "link", "hashset-import", ... */
    const char *examiner; /* who ran it */
    int argc;             /* the command line */
    char *const *argv;
    const char *libraries; /* JSON object of library versions, or NULL */
    const char *device;    /* the device concerned, or NULL */
    const case_audit_input *inputs;
    size_t ninputs;
    /* The files the action wrote and their SHA-256 as written: a scan's
     * feature files (paths relative to the case folder, "devices/NAME/..."),
     * an export's file (absolute path).  `trawl verify` re-hashes them. */
    const case_audit_input *outputs;
    size_t noutputs;
    const char *outcome; /* "ok", "refused", "error", "integrity" */
    const char *detail;  /* a message, or NULL */
} case_audit_entry;

/* Append e to the log and move the chain head in case.db.  Runs inside the
 * caller's transaction when there is one (so the line and the results land
 * together), otherwise in its own. */
int case_audit(case_db *c, const case_audit_entry *e, trawl_err *err);

/* Check the whole chain against case.db's head; *lines gets the count.
 * TRAWL_EINTEGRITY names the first bad line. */
int case_audit_check(case_db *c, size_t *lines, trawl_err *err);

/* Repair the one state a killed trawl can leave: its audit line was
 * appended (lines are written and synced before the results commit) but
 * its transaction never committed, so the log holds exactly one line more
 * than case.db's head, chained correctly to it.  The line is kept (the log
 * is append-only) and a "recover" line after it says that the action did
 * not take effect; the head moves past both.  Anything else is left for
 * `trawl verify` to report.  Called by case_open. */
int case_audit_recover(case_db *c, trawl_err *err);

/* Called for each input recorded by the audit lines of action (e.g. "scan")
 * whose outcome is "ok" or "integrity", in log order: path and sha256 (NULL
 * when the line recorded none).  A non-zero return stops the walk. */
typedef int (*case_audit_input_fn)(void *ctx, const char *path, const char *sha256);

/* Walk the inputs the audit log recorded, so that `trawl verify` can check
 * the evidence against the log as well as against case.db (an examiner who
 * edits both must also forge the chain). */
int case_audit_inputs(case_db *c, const char *action, case_audit_input_fn fn, void *ctx,
                      trawl_err *err);

/* Called for each output recorded by an audit line whose outcome is "ok" or
 * "integrity", in log order, with the line's action and device (NULL when
 * none).  A non-zero return stops the walk.  first_of_line is 1 for the
 * first output of each line (a line with no output calls nothing). */
typedef int (*case_audit_output_fn)(void *ctx, const char *action, const char *device,
                                    const char *path, const char *sha256, int first_of_line);

/* Walk the outputs the audit log recorded (see case_audit_entry.outputs). */
int case_audit_outputs(case_db *c, case_audit_output_fn fn, void *ctx, trawl_err *err);

#endif
