/* scan_device.h: one device through the pipeline, inside one transaction
 * of the case: open its images, hash and scan them in one read, walk the
 * file systems, attribute the hits, write the feature files, audit, commit.
 * A device that fails leaves the case exactly as it was (the audit log
 * records the refusal). */
#ifndef TRAWL_CLI_SCAN_DEVICE_H
#define TRAWL_CLI_SCAN_DEVICE_H

#include <stddef.h>

#include "case/case.h"
#include "cli/cli.h"
#include "scan/scan.h"

typedef struct scan_job {
    const char *name; /* device name */
    char **paths;     /* its images, in order */
    size_t npaths;
    const char *exhibit, *custodian, *examiner;
    scan_engine *eng;
    const char *options_json; /* the scan options, recorded with the device */
    int no_fs;
    const char *tz;
    const void *rules; /* compiled YARA rules (fs_rules), or NULL */
} scan_job;

/* Outcome of one device. */
enum { DEVICE_ADDED, DEVICE_INTEGRITY, DEVICE_NOOP, DEVICE_REFUSED };

/* Put the case's device folders in order after a scan that was killed:
 * a committed device whose folder is still devices/.NAME.partial gets it
 * moved into place; a .partial of a device that never committed is removed. */
void scan_device_reconcile(case_db *c);

/* Run job; returns DEVICE_*; err holds the message for REFUSED (and a
 * warning for INTEGRITY). */
int scan_device(case_db *c, const cli_env *env, const scan_job *job, trawl_err *err);

#endif
