/* q_files.h: reading a device's files and the identifiers attributed to
 * each (trawl files). */
#ifndef TRAWL_CASE_Q_FILES_H
#define TRAWL_CASE_Q_FILES_H

#include "case/case.h"
#include "case/case_row.h"

/* One file the file-system stage listed, with its volume. */
typedef struct case_file {
    case_val id, path, inode, size;
    case_val alloc, orphan; /* 1/0: allocated; found only as an orphan */
    case_val mtime, atime, ctime, crtime;
    case_val md5, sha1, sha256, mime;
    case_val ext_mismatch; /* 1 when the extension disagrees with the content */
    case_val known;        /* "known", "notable" or NULL */
    case_val hashset;      /* the set that marked it */
    case_val meta_type, attr, data_start;
    case_val identifiers;   /* how many identifiers were attributed to it */
    case_val volume_offset; /* its volume's byte offset, and file system */
    case_val fs_type;
} case_file;

/* Which files case_device_files lists. */
typedef struct case_file_filter {
    int deleted_only; /* only files not allocated */
    int no_known;     /* leave out files marked "known" */
} case_file_filter;

/* The files of device_id by path, inode, id, into *row. */
int case_device_files(case_db *c, int64_t device_id, const case_file_filter *filter, case_file *row,
                      case_rows **out, trawl_err *err);

/* One identifier attributed to a file. */
typedef struct case_file_hit {
    case_val type, value, path;
} case_file_hit;

/* The identifiers attributed to file_id by offset, path, type, value,
 * into *row. */
int case_file_hits(case_db *c, int64_t file_id, case_file_hit *row, case_rows **out,
                   trawl_err *err);

#endif
