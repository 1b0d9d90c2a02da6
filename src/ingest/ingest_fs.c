/* ingest_fs.c: the file-system part of a device's pipeline (see
 * ingest_int.h). */
#include <stdio.h>

#include "case/case_fs.h"
#include "fs/fs.h"
#include "ingest/ingest_int.h"

int ingest_fs(case_db *c, const ingest_options *opt, int64_t device_id, ev_image **imgs,
              size_t nimgs, int *nofs, trawl_err *err)
{
    fs_options fo;
    fs_options_default(&fo);
    fo.tz = opt->tz;
    fs_sink sink;
    int rc = case_fs_sink(c, device_id, &sink);
    if (rc)
        return trawl_fail(err, rc, "out of memory");
    uint64_t base = 0;
    for (size_t i = 0; !rc && i < nimgs; i++) {
        fs_map *map = NULL;
        rc = fs_walk(imgs[i], base, opt->eng, &fo, opt->rules, &sink, &map, err);
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
        rc = case_fs_count(c, device_id, &n, err);
    *nofs = n == 0;
    return rc;
}

int ingest_fs_export(case_db *c, int64_t device_id, const char *dir, trawl_err *err)
{
    char path[4200];
    if (snprintf(path, sizeof path, "%s/files.dfxml", dir) >= (int)sizeof path)
        return trawl_fail(err, TRAWL_EUSAGE, "%s: path too long", dir);
    return case_write_dfxml(c, device_id, path, err);
}
