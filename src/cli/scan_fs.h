/* scan_fs.h: the file-system part of `trawl scan` for one device: walk
 * the images' volumes and file systems (src/fs), store files and logical
 * hits, attribute every hit to a file or an area, mark known files; and
 * write files.dfxml. */
#ifndef TRAWL_CLI_SCAN_FS_H
#define TRAWL_CLI_SCAN_FS_H

#include "case/case.h"
#include "cli/scan_device.h"
#include "evidence/ev.h"

/* Run the fs stage over the device's images; *nofs is set when no volume
 * or file system was found at all. */
int scan_fs_device(case_db *c, const scan_job *job, int64_t device_id, ev_image **imgs,
                   size_t nimgs, int *nofs, trawl_err *err);

/* Write files.dfxml for the device into dir. */
int scan_fs_export(case_db *c, int64_t device_id, const char *dir, trawl_err *err);

#endif
