/* ingest_int.h: what the files of the ingest stage share. */
#ifndef TRAWL_INGEST_INGEST_INT_H
#define TRAWL_INGEST_INGEST_INT_H

#include "evidence/ev.h"
#include "fs/fs.h"
#include "ingest/ingest.h"

/* Printf-style warning to opt->cb.warning. */
void ingest_warn(const ingest_options *opt, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* --- A device's hits (ingest_hits.c) ------------------------------------ */

typedef struct ingest_hits ingest_hits;

/* Open the feature files and histograms of every type in dir (name goes in
 * their headers) and start storing device_id's hits. */
int ingest_hits_open(case_db *c, int64_t device_id, const char *dir, const char *name,
                     ingest_hits **out, trawl_err *err);

/* The file-system maps (borrowed) that attribute the raw hits. */
void ingest_hits_set_maps(ingest_hits *h, fs_map *const *maps, size_t n);

/* A hit from a file's logical content (file_id: its files.id): kept until
 * its place in the stream. */
int ingest_hits_logical(ingest_hits *h, int64_t file_id, const scan_hit *hit, trawl_err *err);

/* After the walk, before the raw hits: sort the logical hits. */
int ingest_hits_ready(ingest_hits *h, trawl_err *err);

/* The raw scan's sink (ctx: the ingest_hits): attribute, merge, write,
 * count and store the hit; drop it when a logical scan covered it. */
int ingest_hits_raw(void *ctx, const scan_hit *hit, trawl_err *err);

/* Hits stored so far. */
uint64_t ingest_hits_count(const ingest_hits *h);

/* Write the logical hits that are left, the histograms, and close the
 * feature files (a failed write fails here). */
int ingest_hits_finish(ingest_hits *h, trawl_err *err);

/* Free; NULL is a no-op. */
void ingest_hits_free(ingest_hits *h);

/* --- The file-system stage (ingest_fs.c) -------------------------------- */

/* Walk the device's images (volumes, files, YARA) in a child process (see
 * ingest_child.c) and store what the walk finds; logical hits go to hits.
 * *maps gets one map per image (free with ingest_fs_free_maps), *nofs is
 * set when no file system was found.  dir: the device's folder aside, for
 * the child's spooled stream.  When the child fails (a signal, a time or
 * memory limit, a malformed stream), nothing it reported is kept: *maps is
 * NULL (no hit is attributed), failure gets the reason (else ""), a
 * problems row (stage 'fs') records it, and the return is 0. */
int ingest_fs(case_db *c, const ingest_options *opt, int64_t device_id, ev_image **imgs,
              size_t nimgs, const char *dir, ingest_hits *hits, fs_map ***maps, int *nofs,
              char *failure, size_t fsize, trawl_err *err);

/* --- The child process (ingest_child.c) --------------------------------- */

/* Seconds the file-system stage of a device of that many bytes may take. */
unsigned ingest_fs_timeout(const ingest_options *opt, uint64_t bytes);

/* Run fs_walk over imgs in a child process and, once it has exited cleanly
 * and its whole stream checked out, replay what it reported into sink;
 * maps (nimgs entries, NULL on entry) get the rebuilt maps.  Returns 0 with
 * failure "" when it worked, 0 with failure set (why the child failed;
 * nothing was replayed) when the child failed, else an error of the parent
 * (spool, memory, the sink) or one fs_walk returned other than out of
 * memory (an unknown --tz): the device then fails, as it would in process. */
int ingest_fs_child(const ingest_options *opt, const fs_options *fo, ev_image **imgs, size_t nimgs,
                    const char *dir, const fs_sink *sink, fs_map **maps, char *failure,
                    size_t fsize, trawl_err *err);

/* Free the maps ingest_fs made; NULL is a no-op. */
void ingest_fs_free_maps(fs_map **maps, size_t n);

/* After the raw hits: mark known files, write files.dfxml into dir. */
int ingest_fs_finish(case_db *c, int64_t device_id, const char *dir, trawl_err *err);

#endif
