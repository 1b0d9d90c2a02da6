/* ev_hash.h: one pass over an image's media that hashes it (MD5, SHA-1 and
 * SHA-256 at once, with OpenSSL's libcrypto) and hands every chunk, in
 * order, to a consumer such as the page scanner, so that verification and
 * extraction share one read of the disk.  The hashes run on their own
 * threads, overlapping the read, so the pass is no slower than the slowest
 * single hash. */
#ifndef TRAWL_EVIDENCE_EV_HASH_H
#define TRAWL_EVIDENCE_EV_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "evidence/ev.h"
#include "util/err.h"

typedef struct ev_digests {
    char md5[33]; /* lower-case hex, NUL-terminated */
    char sha1[41];
    char sha256[65];
} ev_digests;

/* Consumer of the media stream: called in offset order from the calling
 * thread with chunks that are borrowed until it returns.  A non-zero return
 * stops the pass with that code. */
typedef int (*ev_chunk_fn)(void *ctx, uint64_t offset, const uint8_t *data, size_t len,
                           trawl_err *err);

/* Progress: called now and then with the bytes done so far. */
typedef void (*ev_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/* Read the whole media of img once, in order.  Ranges that cannot be read
 * are zero-filled (and hashed as zeros, as ewfacquire and dc3dd do), the
 * pass goes on, and the ranges are returned in *bad (malloc'd, caller frees;
 * *nbad may be 0).  fn and progress may be NULL. */
int ev_hash_media(ev_image *img, ev_chunk_fn fn, void *fn_ctx, ev_progress_fn progress,
                  void *progress_ctx, ev_digests *out, ev_range **bad, size_t *nbad,
                  trawl_err *err);

/* Hash one ordinary file (a segment file of an image) the same way. */
int ev_hash_file(const char *path, ev_digests *out, trawl_err *err);

#endif
