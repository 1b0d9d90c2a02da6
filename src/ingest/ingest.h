/* ingest.h: the pipeline for one device, as a library.  ingest_device takes
 * a device's images from evidence to stored results: open them, hash and
 * scan them in one read, walk their file systems, attribute every hit to a
 * file or an area, store it all in the case, write the feature files, and
 * append the audit line, inside one transaction of the case (a device that
 * fails leaves the case as it was; the audit log records the refusal).
 *
 * It never prints and never exits: progress, warnings and the outcome go to
 * the caller's callbacks.  The CLI (cmd_scan.c) is one caller; a worker that
 * scans one device of a job array is meant to be another. */
#ifndef TRAWL_INGEST_INGEST_H
#define TRAWL_INGEST_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "case/case.h"
#include "fs/fs.h"
#include "scan/scan.h"
#include "util/err.h"

/* Outcome of one device. */
typedef enum ingest_outcome {
    INGEST_ADDED,     /* stored */
    INGEST_INTEGRITY, /* stored, but a hash did not match or ranges were unreadable */
    INGEST_NOOP,      /* every image is in the case already: nothing done */
    INGEST_REFUSED,   /* not stored (err says why; the audit log has a 'refused' line) */
} ingest_outcome;

/* Where a device's pipeline is, for a progress display. */
typedef struct ingest_progress {
    const char *device;   /* its name */
    const char *phase;    /* "read" (hash and scan) or "fs" (file-system walk) */
    uint64_t done, total; /* bytes read of the device's images */
    uint64_t identifiers; /* identifiers found so far */
    uint64_t files;       /* "fs": files listed so far */
    double seconds;       /* since the device started ("fs": since the walk started) */
} ingest_progress;

/* What happened, when the device is done. */
typedef struct ingest_result {
    ingest_outcome outcome;
    int64_t device_id;    /* 0 unless stored */
    uint64_t bytes;       /* bytes read */
    uint64_t identifiers; /* identifiers stored */
    double seconds;       /* hash and scan time */
} ingest_result;

/* Callbacks; each may be NULL.  Called from the thread that called
 * ingest_device.  Strings are borrowed for the call. */
typedef struct ingest_callbacks {
    void *ctx;
    /* Now and then while the device is read (at most every 100 ms), and
     * once at the start of each phase. */
    void (*progress)(void *ctx, const ingest_progress *p);
    /* Something the examiner should know that did not stop the device (a
     * hash mismatch, unreadable ranges, no file system found); msg names the
     * image or device and is not escaped. */
    void (*warning)(void *ctx, const char *device, const char *msg);
    /* The outcome, with err set for INTEGRITY, NOOP and REFUSED. */
    void (*done)(void *ctx, const char *device, const ingest_result *r, const trawl_err *err);
} ingest_callbacks;

/* Who runs it, for the audit lines. */
typedef struct ingest_audit {
    const char *examiner; /* who runs the scan */
    int argc;             /* the command line (or the job's description) */
    char *const *argv;
    const char *libraries; /* JSON object of library versions, or NULL */
} ingest_audit;

/* Test hooks: make the file-system stage's child process fail at the start
 * of its walk (ingest_options.fs_fault): crash (SIGSEGV), hang, or allocate
 * until its memory limit refuses (at most twice the limit). */
enum {
    INGEST_FS_FAULT_NONE = 0,
    INGEST_FS_FAULT_CRASH,
    INGEST_FS_FAULT_HANG,
    INGEST_FS_FAULT_MEMORY
};

/* One device to ingest.  Everything is borrowed for the call. */
typedef struct ingest_options {
    const char *name;         /* the device's name */
    const char *const *paths; /* its images (absolute paths), in order */
    size_t npaths;
    const char *exhibit, *custodian; /* recorded with the device, or NULL */
    scan_engine *eng;                /* the compiled extraction engine */
    const char *options_json;        /* the scan options, recorded with the device */
    int no_fs;                       /* 1: no file-system stage (raw bytes only) */
    const char *tz;                  /* zone FAT times were written in, or NULL (UTC) */
    const fs_rules *rules;           /* YARA rules for every file, or NULL */
    /* The file-system stage (libtsk, libmagic, libyara) runs in a child
     * process: killed after fs_timeout seconds (0: FS_CHILD_TIMEOUT_BASE plus
     * FS_CHILD_TIMEOUT_PER_GIB per GiB of the device), and allowed to map
     * fs_memory_mib MiB more than it started with (0: FS_CHILD_MEMORY_MIB).
     * When it fails, the device is stored with its raw scan unattributed
     * and the outcome is INGEST_INTEGRITY. */
    unsigned fs_timeout;
    unsigned fs_memory_mib;
    int fs_fault; /* INGEST_FS_FAULT_*: tests only */
    /* The images are opened and read by a child process each
     * (ev_open_isolated): read_timeout seconds for the open or one read (0:
     * EV_CHILD_TIMEOUT), read_memory_mib MiB beyond its start (0:
     * EV_CHILD_MEMORY_MIB).  When a reader dies, hangs or hits its limit,
     * the range it was reading is recorded as unreadable (zero-filled), a
     * problems row (stage 'read') and the audit line say why, the rest is
     * read by a fresh reader, and the outcome is INGEST_INTEGRITY. */
    unsigned read_timeout;
    unsigned read_memory_mib;
    int read_fault; /* EV_FAULT_* at media offset read_fault_offset: tests only */
    uint64_t read_fault_offset;
    ingest_audit audit;
    ingest_callbacks cb;
} ingest_options;

/* Run the pipeline for one device (see the top).  Returns the outcome (also
 * given to cb.done, with res filled when res is not NULL); err holds the
 * message for INTEGRITY, NOOP and REFUSED.  A refused device has its
 * 'refused' audit line; if even that line cannot be written, err says so
 * too. */
ingest_outcome ingest_device(case_db *c, const ingest_options *opt, ingest_result *res,
                             trawl_err *err);

/* Rebuild the case's cross-device links when it holds two or more devices,
 * with an audit line (action "link").  progress: link's own progress lines. */
int ingest_link(case_db *c, const ingest_audit *audit, int progress, trawl_err *err);

#endif
