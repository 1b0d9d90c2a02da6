/* fs.h: the file-system stage.  Sits after evidence (ev_read) and scan
 * (scan_buffer) and before case: it reads an image through The Sleuth Kit
 * (libtsk), finds its volumes and file systems, lists every file (allocated,
 * deleted, orphan; NTFS alternate data streams as files of their own), hashes
 * each file's content, types it by content (libmagic), runs YARA rules over
 * it, and scans the logical content of the files whose bytes the raw scan
 * cannot see whole (fragmented, NTFS-resident, NTFS-compressed, sparse).
 *
 * Results go to a caller's fs_sink as they are found, so the stage holds no
 * database; the walk also builds an fs_map, an interval index from device
 * offsets to files and areas, that attributes the raw scan's hits afterwards
 * (one binary search per hit).
 *
 * Offsets: "device offset" is the offset in the device the caller scans,
 * that is the image offset plus the image's base. */
#ifndef TRAWL_FS_FS_H
#define TRAWL_FS_FS_H

#include <stddef.h>
#include <stdint.h>

#include "evidence/ev.h"
#include "scan/scan.h"
#include "util/err.h"

/* --- Options ------------------------------------------------------------- */

typedef struct fs_options {
    const char *tz;   /* zone FAT local times were written in: a zone name under
                         /usr/share/zoneinfo ("Europe/Berlin"); NULL = UTC */
    int hash;         /* 1: MD5, SHA-1, SHA-256 of every readable file */
    int magic;        /* 1: MIME type by content (libmagic) */
    int logical;      /* 1: scan the logical content of non-contiguous files */
    int yara_unalloc; /* 1: also run YARA rules over unallocated space */
} fs_options;

/* Defaults: tz NULL, hash, magic and logical on, yara_unalloc on. */
void fs_options_default(fs_options *opt);

/* --- YARA rules ---------------------------------------------------------- */

typedef struct fs_rules fs_rules;

/* Compile the YARA rules in path: one file, or every *.yar / *.yara file of a
 * folder (sorted by name).  A rule that does not compile fails the whole set
 * with TRAWL_EFORMAT and a message "FILE:LINE: error".  *out is set only on
 * success.  The rules are read-only afterwards. */
int fs_rules_compile(const char *path, fs_rules **out, trawl_err *err);

/* Free compiled rules; NULL is a no-op. */
void fs_rules_free(fs_rules *rules);

/* --- What the walk reports ----------------------------------------------- */

/* One volume: a partition, or the whole image when it has no partition table. */
typedef struct fs_volume {
    uint64_t offset, length; /* device bytes */
    const char *description; /* partition description ("NTFS / exFAT (0x07)"), or "" */
    const char *fs_type;     /* "ntfs", "fat32", "ext4", ... or NULL when none was read */
    const char *status;      /* "ok", or why the file system could not be read */
} fs_volume;

/* Run flags. */
#define FS_RUN_SPARSE 0x1u     /* no bytes on the device: reads as zeros */
#define FS_RUN_RESIDENT 0x2u   /* NTFS data inside the MFT record */
#define FS_RUN_COMPRESSED 0x4u /* part of an NTFS-compressed attribute */

/* One byte run of a file: file bytes [file_offset, file_offset+length) are
 * stored at device bytes [dev_offset, dev_offset+length) (for a compressed
 * attribute: the compressed bytes of that stretch). */
typedef struct fs_run {
    uint64_t file_offset, dev_offset, length;
    unsigned flags; /* FS_RUN_* */
} fs_run;

/* File flags. */
#define FS_FILE_LOGICAL 0x1u    /* content scanned logically (raw hits inside are dropped) */
#define FS_FILE_FRAGMENTED 0x2u /* data in two or more runs */
#define FS_FILE_RESIDENT 0x4u
#define FS_FILE_COMPRESSED 0x8u
#define FS_FILE_SPARSE 0x10u
#define FS_FILE_UNREADABLE 0x20u /* content could not be read (hashes NULL) */

/* One file record: a name entry and one data attribute of it.  All
 * pointers are borrowed until the sink callback returns. */
typedef struct fs_file {
    int64_t volume_key;    /* the key the sink gave the volume */
    const char *path;      /* "/dir/name", with ":stream" for an NTFS ADS; UTF-8 from TSK */
    const char *name;      /* last element of path */
    uint64_t inode;        /* inode / MFT entry / FAT directory-entry address */
    const char *attr;      /* NTFS stream name, or NULL for the default data */
    const char *meta_type; /* "reg", "dir", "lnk", "virt", "fifo", ... or NULL (no metadata) */
    uint64_t size;         /* logical size in bytes */
    int alloc;             /* 1 allocated, 0 deleted */
    int orphan;            /* 1 when found only through unallocated metadata */
    const char *mtime, *atime, *ctime, *crtime; /* "2024-01-31T12:00:00Z", or NULL */
    const char *md5, *sha1, *sha256;            /* lower-case hex, or NULL when not read */
    const char *mime;                           /* MIME type by content, or NULL */
    int ext_mismatch;   /* 1 when the name's extension disagrees with mime */
    int64_t data_start; /* device offset where the data begins, or -1 */
    const fs_run *runs; /* in file order */
    size_t nruns;
    unsigned flags; /* FS_FILE_* */
} fs_file;

/* One YARA match. */
typedef struct fs_yara_hit {
    const char *rule;
    const char *tags; /* space-separated, or "" */
    int64_t file_key; /* the file it matched in, or 0 */
    const char *area; /* "unallocated" when matched there, else NULL */
    uint64_t pos;     /* device offset of the match (file data start for a
                         match in logical content that has no single offset) */
    const char *path; /* forensic path: "OFFSET" or "START-FILE-N" */
} fs_yara_hit;

/* Where results go.  Every callback may be NULL (ignored); a non-zero return
 * stops the walk with that code.  All are called from the walking thread. */
typedef struct fs_sink {
    void *ctx;
    /* A volume; set *key (non-zero) to name it in the files that follow. */
    int (*volume)(void *ctx, const fs_volume *v, int64_t *key, trawl_err *err);
    /* A file record; set *key (non-zero): the map and the hits carry it. */
    int (*file)(void *ctx, const fs_file *f, int64_t *key, trawl_err *err);
    /* A hit from a file's logical content.  hit->path is "DEVOFFSET" when the
     * hit lies inside one plain run of the file, otherwise
     * "START-FILE-N[-rest]" with hit->offset = START. */
    int (*hit)(void *ctx, int64_t file_key, const scan_hit *hit, trawl_err *err);
    int (*yara)(void *ctx, const fs_yara_hit *y, trawl_err *err);
    /* Something that did not stop the device: an unreadable file system, a
     * file whose content could not be read. */
    int (*problem)(void *ctx, const char *message, trawl_err *err);
} fs_sink;

/* --- The walk ------------------------------------------------------------ */

typedef struct fs_map fs_map;

/* Walk img (whose first byte is device offset base): volumes, file systems,
 * files, as described at the top.  eng may be NULL (no logical scanning),
 * rules may be NULL (no YARA).  A file system TSK cannot read (damaged,
 * unknown, btrfs, APFS) is reported to sink->problem and as a volume with
 * its status, and the walk goes on.  On success *map_out (when not NULL)
 * gets the interval index of this image (caller frees with fs_map_free).
 * Errors are only those that stop everything: out of memory, a sink error,
 * an unknown opt->tz.  FAT local times are converted with opt->tz's rules
 * (fs/tz.h), without touching the process's time zone: walks may run in
 * several threads at once. */
int fs_walk(ev_image *img, uint64_t base, scan_engine *eng, const fs_options *opt,
            const fs_rules *rules, const fs_sink *sink, fs_map **map_out, trawl_err *err);

/* --- Attribution --------------------------------------------------------- */

/* Areas fs_map_lookup reports. */
#define FS_AREA_UNALLOCATED "unallocated"
#define FS_AREA_SLACK "slack"
#define FS_AREA_METADATA "fs-metadata"
#define FS_AREA_UNPARTITIONED "unpartitioned"

/* What covers device_offset: *file_key is the file whose byte run (or slack)
 * covers it, or 0; *area one of the FS_AREA_* strings (static), or NULL
 * inside a file's data or where nothing is known (a file system TSK could
 * not read); *covered is 1 when the offset lies in content that was scanned
 * logically, so a raw hit there is a duplicate (or a value garbled by an
 * NTFS fixup) and is dropped.  Returns 1 when the offset is inside the
 * image, 0 when not (outputs then 0/NULL/0).  O(log n). */
int fs_map_lookup(const fs_map *m, uint64_t device_offset, int64_t *file_key, const char **area,
                  int *covered);

/* Number of intervals (for tests and statistics). */
size_t fs_map_size(const fs_map *m);

/* Free the map; NULL is a no-op. */
void fs_map_free(fs_map *m);

/* One segment of a map, to carry a map across a process boundary (the walk
 * runs in a child process, see src/ingest): [start, end) belongs to file
 * key (0: none) in area code area (an internal code below FS_MAP_AREAS),
 * covered as fs_map_lookup says. */
typedef struct fs_map_seg {
    uint64_t start, end;
    int64_t key;
    unsigned area, covered;
} fs_map_seg;

#define FS_MAP_AREAS 6

/* Segment i (< fs_map_size(m)) of m, in order of start. */
void fs_map_get(const fs_map *m, size_t i, fs_map_seg *out);

/* A map made of n segments (copied): sorted by start, not overlapping, each
 * non-empty, area < FS_MAP_AREAS, covered 0 or 1; anything else is
 * TRAWL_EFORMAT (the segments may come from a process that read hostile
 * evidence).  *out is set only on success. */
int fs_map_from_segs(const fs_map_seg *segs, size_t n, fs_map **out, trawl_err *err);

#endif
