/* scan_fs.c: see scan_fs.h. */
#include "cli/scan_fs.h"

#include <stdio.h>

#include "case/case_fs.h"
#include "case/case_int.h"
#include "fs/fs.h"

static int count_filesystems(case_db *c, int64_t device_id, int64_t *n, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, "SELECT count(*) FROM volumes WHERE device_id=? AND fs_type IS NOT NULL",
                     &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, device_id);
    *n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return 0;
}

int scan_fs_device(case_db *c, const scan_job *job, int64_t device_id, ev_image **imgs,
                   size_t nimgs, int *nofs, trawl_err *err)
{
    fs_options opt;
    fs_options_default(&opt);
    opt.tz = job->tz;
    fs_sink sink;
    int rc = case_fs_sink(c, device_id, &sink);
    uint64_t base = 0;
    for (size_t i = 0; !rc && i < nimgs; i++) {
        fs_map *map = NULL;
        rc = fs_walk(imgs[i], base, job->eng, &opt, job->rules, &sink, &map, err);
        if (!rc)
            rc = case_attribute(c, device_id, map, err);
        fs_map_free(map);
        base += ev_size(imgs[i]);
    }
    case_fs_sink_free(&sink);
    if (!rc)
        rc = case_mark_known(c, device_id, err);
    int64_t n = 0;
    if (!rc)
        rc = count_filesystems(c, device_id, &n, err);
    *nofs = n == 0;
    return rc;
}

int scan_fs_export(case_db *c, int64_t device_id, const char *dir, trawl_err *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/files.dfxml", dir);
    return case_write_dfxml(c, device_id, path, err);
}
