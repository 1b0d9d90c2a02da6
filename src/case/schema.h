/* schema.h: the case database schema, one SQL script per stage, applied
 * in order as migration 1; later versions append migrations (a fresh case
 * runs them all); a case.db newer than this build is refused. */
#ifndef TRAWL_CASE_SCHEMA_H
#define TRAWL_CASE_SCHEMA_H

extern const char case_schema_core[];  /* schema.c: devices, images, identifiers */
extern const char case_schema_fs[];    /* schema_fs.c: volumes, files, runs, yara, hashsets */
extern const char case_schema_link[];  /* schema_link.c: link index, links, groups */
extern const char case_schema_hits[];  /* schema.c: migration 2, identifiers in bulk */
extern const char case_schema_times[]; /* schema.c: migration 3, the time of each hit */
extern const char case_schema_v4[];    /* schema.c: migration 4, problems.id, timed-hit index */

#endif
