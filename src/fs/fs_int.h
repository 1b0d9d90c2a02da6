/* fs_int.h: internals shared by the files of the file-system stage (not a
 * public header: other stages include fs/fs.h only). */
#ifndef TRAWL_FS_FS_INT_H
#define TRAWL_FS_FS_INT_H

#include <stdint.h>

#include "fs/fs.h"

/* Areas of map intervals (index into fs_area_names). */
enum {
    FS_AREA_NONE = 0,
    FS_AREA_UNALLOC,
    FS_AREA_SLACK_ID,
    FS_AREA_META,
    FS_AREA_UNPART,
    FS_AREA_UNKNOWN
};

/* Interval priorities: where intervals overlap, the lowest wins (a deleted
 * file's runs that were reallocated belong to the live file; a deleted file's
 * runs in unallocated space belong to the deleted file). */
enum {
    FS_PRIO_RESIDENT = 0,
    FS_PRIO_ALLOC = 1,
    FS_PRIO_SLACK = 2,
    FS_PRIO_DELETED = 3,
    FS_PRIO_UNALLOC = 4,
    FS_PRIO_VOLUME = 5,
    FS_PRIO_DEVICE = 6
};

typedef struct fs_mapb fs_mapb;

/* A builder collects overlapping intervals; finish paints them by priority
 * into the sorted, non-overlapping fs_map. */
fs_mapb *fs_mapb_new(void);
int fs_mapb_add(fs_mapb *b, uint64_t start, uint64_t len, int prio, int64_t key, int area,
                int covered, trawl_err *err);
int fs_mapb_finish(fs_mapb *b, fs_map **out, trawl_err *err);
void fs_mapb_free(fs_mapb *b);

/* rules.c: run compiled rules over a file's content read through read_fn
 * (blocks of at most FS_YARA_BLOCK bytes); matches go to fn. */
typedef int (*fs_yara_read_fn)(void *ctx, uint64_t off, uint8_t *buf, size_t len, size_t *got);
typedef int (*fs_yara_match_fn)(void *ctx, const char *rule, const char *tags, uint64_t off,
                                trawl_err *err);
int fs_rules_scan(const fs_rules *rules, uint64_t size, fs_yara_read_fn rd, void *rd_ctx,
                  fs_yara_match_fn fn, void *fn_ctx, trawl_err *err);

#endif
