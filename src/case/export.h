/* export.h: writing a device's bulk_extractor feature files and histograms
 * from case.db (so that they reflect attribution and de-duplication), in a
 * stable order: by position, then forensic path, then value. */
#ifndef TRAWL_CASE_EXPORT_H
#define TRAWL_CASE_EXPORT_H

#include "case/case.h"

/* Write TYPE.txt and TYPE_histogram.txt for every identifier type into dir
 * for device_id; name is the device's name (for the header). */
int case_export_features(case_db *c, int64_t device_id, const char *name, const char *dir,
                         trawl_err *err);

#endif
