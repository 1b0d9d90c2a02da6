/* ingest_int.h: what the files of the ingest stage share. */
#ifndef TRAWL_INGEST_INGEST_INT_H
#define TRAWL_INGEST_INGEST_INT_H

#include "evidence/ev.h"
#include "ingest/ingest.h"

/* Printf-style warning to opt->cb.warning. */
void ingest_warn(const ingest_options *opt, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Run the fs stage over the device's images: store volumes, files and
 * logical hits, attribute the raw hits, mark known files.  *nofs is set
 * when no volume or file system was found at all. */
int ingest_fs(case_db *c, const ingest_options *opt, int64_t device_id, ev_image **imgs,
              size_t nimgs, int *nofs, trawl_err *err);

/* Write files.dfxml for the device into dir. */
int ingest_fs_export(case_db *c, int64_t device_id, const char *dir, trawl_err *err);

#endif
