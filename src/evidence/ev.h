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
