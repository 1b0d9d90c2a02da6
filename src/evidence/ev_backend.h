/* ev_backend.h: the seam inside src/evidence between the front (ev.c:
 * detection; ev_image.c: the ev_image record and ev_read; ev_io.c: shared
 * helpers) and the backends (ev_raw.c, ev_split.c, ev_ewf.c, ev_vmdk.c,
 * ev_vhdi.c, ev_qcow.c, ev_mem.c, and ev_child.c: a proxy that reads
 * through one of the others in a child process).
 *
 * Each backend is one ev_backend: an open function that fills a fresh
 * ev_image through the ev_image_* helpers below, a read function and a
 * close function, as SQLite's sqlite3_io_methods puts an OS behind a table.
 * ev_read checks and clamps every read against the media size before it
 * reaches a backend, so a backend's read is always asked for bytes that
 * exist and must return all of them or fail with TRAWL_EIO.  Backends that
 * wrap a libyal handle (which keeps a file offset and caches) hold a mutex
 * around it; raw and split use pread and need none. */
#ifndef TRAWL_EVIDENCE_EV_BACKEND_H
#define TRAWL_EVIDENCE_EV_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "evidence/ev.h"
#include "util/err.h"

typedef struct ev_backend {
    const char *format; /* ev_info.format */
    /* Open path (already known to exist, be a regular non-empty file and
     * carry this backend's signature) into img: set the state and media
     * size with ev_image_set_media and describe it with the helpers.  On
     * failure the backend frees what it made; ev_open frees img. */
    int (*open)(ev_image *img, const char *path, trawl_err *err);
    /* Read exactly len bytes at off (off + len <= media size, len > 0). */
    int (*read)(void *state, uint64_t off, void *buf, size_t len, trawl_err *err);
    /* Free the state (never NULL here). */
    void (*close)(void *state);
} ev_backend;

extern const ev_backend ev_backend_raw;
extern const ev_backend ev_backend_split;
extern const ev_backend ev_backend_ewf;
extern const ev_backend ev_backend_vmdk;
extern const ev_backend ev_backend_vhdi;
extern const ev_backend ev_backend_qcow;

/* --- Filling an ev_image (ev_image.c) --------------------------------- */

/* A fresh, empty image for backend be (ev_open_mem uses this directly;
 * ev_open calls it before be->open).  ev_close frees it at any stage. */
int ev_image_new(const ev_backend *be, ev_image **out, trawl_err *err);

/* Finish an image once the backend has filled it: clamp the error ranges
 * to the media and publish ev_info. */
int ev_image_done(ev_image *img, trawl_err *err);

/* Hand the backend state and the media size to img; from here on ev_close
 * calls the backend's close on state. */
void ev_image_set_media(ev_image *img, void *state, uint64_t media_size);

/* Set the format ev_info reports (a static string: a backend's format);
 * the isolated reader's proxy reports its child's. */
void ev_image_set_format(ev_image *img, const char *format);

/* img's backend state when its backend is be, else NULL. */
void *ev_image_state_of(const ev_image *img, const ev_backend *be);

/* Append a segment path, a metadata pair, an acquisition error range
 * (bytes; clamped to the media size by ev_image_done).
 * Strings are copied. */
int ev_image_add_segment(ev_image *img, const char *path, trawl_err *err);
int ev_image_add_meta(ev_image *img, const char *key, const char *value, trawl_err *err);
int ev_image_add_error(ev_image *img, uint64_t start, uint64_t length, trawl_err *err);

/* Record a stored acquisition hash.  hex is checked: it must be exactly
 * 2*nbytes hex digits (either case; kept lower-case).  A malformed value
 * is kept as metadata "stored_<alg>_unparsed" instead, so that verification
 * cannot pass against it.  alg is "md5", "sha1" or "sha256". */
int ev_image_set_stored_hash(ev_image *img, const char *alg, const char *hex, trawl_err *err);

/* --- Small shared helpers (ev_io.c; ev_split.c and ev.c for the last two) */

/* Copy the first two lines of a libyal error backtrace (the root cause
 * and its caller) into dst as one line: newlines and tabs become "; " and
 * " ", other control bytes '?'. */
void ev_one_line(char *dst, size_t size, const char *text);

/* Open path read-only and check that it is a regular file or a block
 * device (a directory, FIFO or socket is refused without blocking); *size
 * gets its size.  Messages name the path. */
int ev_open_fd(const char *path, int *fd, uint64_t *size, trawl_err *err);

/* pread exactly len bytes at off, retrying on EINTR; TRAWL_EIO (naming
 * what, the range and errno or "unexpected end of file") otherwise. */
int ev_pread_all(int fd, const char *what, uint64_t off, void *buf, size_t len, trawl_err *err);

/* ev_split.c: whether path names the first split-raw segment (NAME.000 or
 * NAME.001 with 3+ digits, or NAME.aa/.aaa) and a later segment exists, or
 * names a later segment whose predecessor exists (which split_open then
 * refuses, naming the first). */
int ev_split_is_candidate(const char *path);

/* Open an ordinary file as a raw image without the empty-file refusal
 * (ev_hash_file hashes empty segment files too). */
int ev_open_raw_file(const char *path, ev_image **out, trawl_err *err);

#endif
