/* ev.h: evidence readers, the first stage of trawl.
 *
 * An ev_image is one piece of evidence (a raw file, a split-raw set, an
 * EnCase E01 set, a VMDK, VHD or QCOW2 disk) seen as a flat run of media
 * bytes.  The format is detected from the file's signature, never from its
 * name; only split-raw segments are found by name.  Every backend opens its
 * files read-only: no code path in trawl writes to evidence.
 *
 * The backends sit behind one table of functions (ev_backend.h), the way
 * SQLite puts an OS behind sqlite3_io_methods; ev_mem gives tests and fuzzers
 * an in-memory image that drives the same code. */
#ifndef TRAWL_EVIDENCE_EV_H
#define TRAWL_EVIDENCE_EV_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef struct ev_image ev_image;

/* One name/value pair of acquisition metadata (E01 header values). */
typedef struct ev_meta {
    const char *key;   /* "case_number", "evidence_number", "examiner_name",
                          "description", "notes", "acquiry_date", "system_date",
                          "acquiry_software_version", "acquiry_operating_system",
                          ... (libewf's own names) */
    const char *value; /* UTF-8 as stored; escape before printing */
} ev_meta;

/* A range of media bytes the acquisition could not read, as the container
 * records it. */
typedef struct ev_range {
    uint64_t start, length;
} ev_range;

/* What an image is, for the case record.  Borrowed from the ev_image: valid
 * until ev_close. */
typedef struct ev_info {
    const char *format;  /* "raw", "split", "ewf", "vmdk", "vhd" (VHDX too, with meta
                            container=vhdx), "qcow2", "mem" */
    uint64_t media_size; /* bytes ev_read can return */
    size_t nsegments;    /* files that make up the image, in order */
    const char *const *segments;
    size_t nmeta;
    const ev_meta *meta;
    const char *stored_md5;  /* acquisition hashes the container holds (lower-case */
    const char *stored_sha1; /* hex), or NULL where it holds none */
    const char *stored_sha256;
    size_t nerrors; /* acquisition error ranges */
    const ev_range *errors;
} ev_info;

/* Open the evidence at path read-only, detecting its format; for split raw
 * give the first segment (.000, .001 or .aa) and the rest are found.  *out is
 * set only on success.  Refuses, with a message naming the file and the
 * reason: missing or unreadable files, empty files, a missing segment, a
 * truncated or corrupt container, EWF2 (Ex01). */
int ev_open(const char *path, ev_image **out, trawl_err *err);

/* Test hooks of the isolated reader (ev_limits.fault): when a read covers
 * fault_offset, its child process crashes (SIGSEGV), hangs, or allocates
 * until its memory limit refuses. */
enum { EV_FAULT_NONE = 0, EV_FAULT_CRASH, EV_FAULT_HANG, EV_FAULT_MEMORY };

/* Limits of an isolated reader (ev_open_isolated); zero fields take the
 * defaults of util/limits.h. */
typedef struct ev_limits {
    unsigned timeout;    /* seconds the open or one read may take (EV_CHILD_TIMEOUT) */
    unsigned memory_mib; /* MiB the reader may map beyond its start (EV_CHILD_MEMORY_MIB) */
    int fault;           /* EV_FAULT_*: tests only */
    uint64_t fault_offset;
} ev_limits;

/* ev_open, but the image is opened and read by a child process (ev_child.c)
 * under the limits lim (NULL: defaults), so that a crash, a hang or a
 * runaway allocation in a container library (libewf, libyal) cannot take
 * the caller down.  The same refusals as ev_open, plus TRAWL_EIO when the
 * reader dies or hangs while opening.  When it fails while reading, the
 * range it was reading becomes unreadable (ev_read fails with TRAWL_EIO on
 * it; see ev_failures) and the next read starts a fresh reader. */
int ev_open_isolated(const char *path, const ev_limits *lim, ev_image **out, trawl_err *err);

/* A failure of an isolated reader: the media range it was reading and why
 * it stopped ("killed by SIGSEGV", "timed out after 120 s", "memory limit
 * (4096 MiB) reached", ...). */
typedef struct ev_failure {
    uint64_t start, length;
    char why[160];
} ev_failure;

/* The failures of img's reader so far, in order (*out borrowed until the
 * next ev_read or ev_close); 0 for an image opened in process.  Not to be
 * called while another thread reads img. */
size_t ev_failures(const ev_image *img, const ev_failure **out);

/* 1 when every byte of [offset, offset+len) lies in a range a failed
 * reader left unreadable (so there is no use retrying it in pieces). */
int ev_unreadable(const ev_image *img, uint64_t offset, uint64_t len);

/* An image over a caller-owned buffer (tests, fuzzers); the buffer must
 * outlive the image. */
int ev_open_mem(const void *data, size_t len, ev_image **out, trawl_err *err);

/* Describe the image (borrowed, see ev_info). */
const ev_info *ev_describe(const ev_image *img);

/* Media size in bytes. */
uint64_t ev_size(const ev_image *img);

/* Read up to len bytes at offset into buf; *got is set to the bytes read
 * (short only at the end of the media).  Safe to call from several threads
 * at once.  A failed read returns TRAWL_EIO with the range in the message;
 * the caller records the range and goes on. */
int ev_read(ev_image *img, uint64_t offset, void *buf, size_t len, size_t *got, trawl_err *err);

/* Close the image and free it; ev_close(NULL) is a no-op. */
void ev_close(ev_image *img);

#endif
