/* q_files.c: see q_files.h. */
#include "case/q_files.h"

#include "case/case_int.h"

int case_device_files(case_db *c, int64_t device_id, const case_file_filter *filter, case_file *row,
                      case_rows **out, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c,
                     "SELECT f.id, f.path, f.inode, f.size, f.alloc, f.orphan, f.mtime, f.atime,"
                     " f.ctime, f.crtime, f.md5, f.sha1, f.sha256, f.mime, f.ext_mismatch,"
                     " f.known, f.hashset, f.meta_type, f.attr, f.data_start,"
                     " (SELECT count(*) FROM identifiers i WHERE i.file_id = f.id), v.offset,"
                     " v.fs_type FROM files f LEFT JOIN volumes v ON v.id = f.volume_id"
                     " WHERE f.device_id = ? AND (?2 = 0 OR f.alloc = 0)"
                     " AND (?3 = 0 OR f.known IS NOT 'known')"
                     " ORDER BY f.path, f.inode, f.id",
                     &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, device_id);
    sqlite3_bind_int(st, 2, filter->deleted_only);
    sqlite3_bind_int(st, 3, filter->no_known);
    return case_rows_start_vals(c, st, CASE_VALS(row), "reading files", out, err);
}

int case_file_hits(case_db *c, int64_t file_id, case_file_hit *row, case_rows **out, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c,
                     "SELECT type, value, path FROM identifiers WHERE file_id = ?"
                     " ORDER BY pos, path, type, value",
                     &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, file_id);
    return case_rows_start_vals(c, st, CASE_VALS(row), "reading identifiers", out, err);
}
