/* fs_wire.h: what fs_walk reports, as a byte stream, so that the walk can
 * run in another process (src/ingest/ingest_child.c runs it in a child with
 * time and memory limits).  The writer is an fs_sink that serializes every
 * callback (volumes, files with their runs, logical hits, YARA hits,
 * problems) and then the walk's maps; the reader checks a stream that came
 * from a process which read hostile evidence (every message length-prefixed
 * and bounds-checked, key references, map order) and replays it into a
 * real sink, rebuilding the maps. */
#ifndef TRAWL_FS_FS_WIRE_H
#define TRAWL_FS_FS_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fs/fs.h"
#include "util/err.h"

/* --- Writing ------------------------------------------------------------- */

typedef struct fs_wire fs_wire;

/* A writer to fd (buffered: flushed past 1 MiB and by fs_wire_end).  NULL
 * when out of memory. */
fs_wire *fs_wire_new(int fd);

/* The sink that serializes into w: give it to fs_walk.  Its callbacks fail
 * with TRAWL_ENOMEM, TRAWL_ELIMIT (a message over FS_CHILD_MAX_MSG) or
 * TRAWL_EIO (a failed write). */
fs_sink fs_wire_sink(fs_wire *w);

/* After fs_walk of image number img succeeded: send its map. */
int fs_wire_map(fs_wire *w, uint32_t img, const fs_map *m, trawl_err *err);

/* End the stream: with the walk's error when code is non-zero, else with
 * "every image done"; then flush.  A message cut short by an error is
 * dropped first.  Returns 0, or -1 when the end could not be written. */
int fs_wire_end(fs_wire *w, int code, const char *msg);

/* Free; NULL is a no-op. */
void fs_wire_free(fs_wire *w);

/* --- Reading ------------------------------------------------------------- */

/* Counts the files of a stream as its bytes go by, in pieces of any size
 * (for a progress display while the stage runs; the stream is checked
 * only when read).  Zero it to start. */
typedef struct fs_wire_counter {
    uint64_t files; /* file messages seen */
    uint64_t skip;  /* bytes of the current message still to pass */
    uint8_t hdr[5]; /* a message's length and type byte, as they come */
    unsigned have;  /* bytes of hdr seen */
} fs_wire_counter;

/* Count the file messages in the next n bytes of the stream. */
void fs_wire_count(fs_wire_counter *k, const uint8_t *b, size_t n);

/* What a read of a stream found. */
typedef struct fs_wire_result {
    int done;      /* the end was seen */
    int walk_code; /* the end carried the walk's error (TRAWL_E*), or 0 */
    char walk_msg[TRAWL_ERR_MSG];
    char why[160]; /* what is wrong with a bad stream */
} fs_wire_result;

/* Read the stream in f from its start (nimgs: images walked).  With sink
 * NULL, only check it; otherwise replay it into sink (the writer's keys
 * translated to the ones sink gives) and fill maps[0..nimgs) (NULL on
 * entry; the caller frees them, also after a failure).  Returns 0 when
 * every message was sound (res->done says whether the end was seen),
 * FS_WIRE_BAD for a bad stream (res->why), or an error code (TRAWL_E*) with
 * err set for a failure of the sink, of memory or of reading f. */
#define FS_WIRE_BAD (-1)
int fs_wire_read(FILE *f, size_t nimgs, const fs_sink *sink, fs_map **maps, fs_wire_result *res,
                 trawl_err *err);

#endif
