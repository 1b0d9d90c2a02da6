/* schema.c: the core tables every stage builds on. */
#include "case/schema.h"

const char case_schema_core[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
    /* A device is what the examiner names: one or more images scanned as one
     * run of bytes (image k starts at the device offset images.base). */
    "CREATE TABLE devices(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE,\n"
    "  exhibit TEXT, custodian TEXT, examiner TEXT,\n"
    "  size INTEGER NOT NULL,\n"
    "  state TEXT NOT NULL,            -- 'ok' or 'integrity' (mismatch, unreadable ranges)\n"
    "  scan_started TEXT, scan_finished TEXT,\n"
    "  tool_version TEXT, options TEXT -- JSON of the scan options\n"
    ");\n"
    "CREATE TABLE images(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  device_id INTEGER NOT NULL REFERENCES devices(id),\n"
    "  seq INTEGER NOT NULL,\n"
    "  path TEXT NOT NULL UNIQUE,      -- absolute path of the first segment\n"
    "  format TEXT NOT NULL,\n"
    "  media_size INTEGER NOT NULL,\n"
    "  base INTEGER NOT NULL,          -- device offset of the image's first byte\n"
    "  md5 TEXT, sha1 TEXT, sha256 TEXT,\n"
    "  stored_md5 TEXT, stored_sha1 TEXT, stored_sha256 TEXT,\n"
    "  verification TEXT NOT NULL,     -- 'match', 'mismatch' or 'computed'\n"
    "  acquisition TEXT,               -- JSON object: E01 header values\n"
    "  acq_errors TEXT,                -- JSON [[start,length],...] from the container\n"
    "  unreadable TEXT,                -- JSON [[start,length],...] trawl could not read\n"
    "  last_verified TEXT, last_verify_result TEXT\n"
    ");\n"
    "CREATE TABLE segments(\n"
    "  image_id INTEGER NOT NULL REFERENCES images(id),\n"
    "  seq INTEGER NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL,\n"
    "  md5 TEXT, sha1 TEXT, sha256 TEXT,\n"
    "  PRIMARY KEY(image_id, seq)\n"
    ");\n"
    /* One row per hit, as in the feature files.  pos is the device offset of
     * the hit or of its outermost container; path is the forensic path (the
     * feature file's first column).  file_id/area come from attribution. */
    "CREATE TABLE identifiers(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  device_id INTEGER NOT NULL REFERENCES devices(id),\n"
    "  type TEXT NOT NULL, value TEXT NOT NULL,\n"
    "  pos INTEGER NOT NULL, path TEXT NOT NULL,\n"
    "  context BLOB,\n"
    "  flags INTEGER NOT NULL DEFAULT 0,\n"
    "  file_id INTEGER, area TEXT\n"
    ");\n"
    "CREATE INDEX identifiers_value ON identifiers(value, type);\n"
    "CREATE INDEX identifiers_device ON identifiers(device_id, type, pos);\n"
    /* Problems met along the way that did not stop the device. */
    "CREATE TABLE problems(\n"
    "  device_id INTEGER REFERENCES devices(id), stage TEXT NOT NULL, message TEXT NOT NULL\n"
    ");\n";

/* Migration 2: identifiers as a dictionary of distinct (type, value) plus
 * compact occurrence rows (see store_hits.h); the view `identifiers` keeps
 * version 1's columns and meaning for every reader.  occurrences.path is
 * NULL when the forensic path is just pos in decimal; area is a code. */
const char case_schema_hits[] =
    "CREATE TABLE ident_values(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  type TEXT NOT NULL, value TEXT NOT NULL\n"
    ");\n"
    "CREATE UNIQUE INDEX ident_values_value ON ident_values(value, type);\n"
    "CREATE TABLE occurrences(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  device_id INTEGER NOT NULL REFERENCES devices(id),\n"
    "  value_id INTEGER NOT NULL REFERENCES ident_values(id),\n"
    "  pos INTEGER NOT NULL,\n"
    "  path TEXT,                      -- NULL: the path is pos in decimal\n"
    "  context BLOB,\n"
    "  flags INTEGER NOT NULL DEFAULT 0,\n"
    "  file_id INTEGER,\n"
    "  area INTEGER                    -- 1 unallocated, 2 slack, 3 fs-metadata, 4 unpartitioned\n"
    ");\n"
    "INSERT INTO ident_values(type, value) SELECT DISTINCT type, value FROM identifiers;\n"
    "INSERT INTO occurrences(id, device_id, value_id, pos, path, context, flags, file_id, area)\n"
    "  SELECT i.id, i.device_id, v.id, i.pos,\n"
    "         CASE WHEN i.path = CAST(i.pos AS TEXT) THEN NULL ELSE i.path END,\n"
    "         i.context, i.flags, i.file_id,\n"
    "         CASE i.area WHEN 'unallocated' THEN 1 WHEN 'slack' THEN 2\n"
    "                     WHEN 'fs-metadata' THEN 3 WHEN 'unpartitioned' THEN 4 END\n"
    "  FROM identifiers i JOIN ident_values v ON v.value = i.value AND v.type = i.type\n"
    "  ORDER BY i.id;\n"
    "DROP TABLE identifiers;\n"
    /* Device: appended in order, so nearly free; value: `trawl find`. */
    "CREATE INDEX occurrences_device ON occurrences(device_id);\n"
    "CREATE INDEX occurrences_value ON occurrences(value_id);\n"
    "CREATE VIEW identifiers(id, device_id, type, value, pos, path, context, flags, file_id,\n"
    "                        area) AS\n"
    "  SELECT o.id, o.device_id, v.type, v.value, o.pos, coalesce(o.path, CAST(o.pos AS TEXT)),\n"
    "         o.context, o.flags, o.file_id,\n"
    "         CASE o.area WHEN 1 THEN 'unallocated' WHEN 2 THEN 'slack'\n"
    "                     WHEN 3 THEN 'fs-metadata' WHEN 4 THEN 'unpartitioned' END\n"
    "  FROM occurrences o JOIN ident_values v ON v.id = o.value_id;\n"
    /* Writers of version 1's table (tools, tests, generators) keep working;
     * trawl itself stores through store_hits.c. */
    "CREATE TRIGGER identifiers_insert INSTEAD OF INSERT ON identifiers BEGIN\n"
    "  INSERT OR IGNORE INTO ident_values(type, value) VALUES(NEW.type, NEW.value);\n"
    "  INSERT INTO occurrences(id, device_id, value_id, pos, path, context, flags, file_id, area)\n"
    "  VALUES(NEW.id, NEW.device_id,\n"
    "         (SELECT id FROM ident_values WHERE value = NEW.value AND type = NEW.type),\n"
    "         NEW.pos, CASE WHEN NEW.path = CAST(NEW.pos AS TEXT) THEN NULL ELSE NEW.path END,\n"
    "         NEW.context, coalesce(NEW.flags, 0), NEW.file_id,\n"
    "         CASE NEW.area WHEN 'unallocated' THEN 1 WHEN 'slack' THEN 2\n"
    "                       WHEN 'fs-metadata' THEN 3 WHEN 'unpartitioned' THEN 4 END);\n"
    "END;\n";

/* Migration 3: the time of each hit (issue 9, "When"): occurrences.time is
 * the Unix seconds UTC of the record the hit was read from (a column rule's
 * visit, creation or message time), NULL when it has none.  The view keeps
 * every column of version 2 and adds `time` last; its insert trigger takes
 * it too. */
const char case_schema_times[] =
    "ALTER TABLE occurrences ADD COLUMN time INTEGER;\n"
    "DROP TRIGGER identifiers_insert;\n"
    "DROP VIEW identifiers;\n"
    "CREATE VIEW identifiers(id, device_id, type, value, pos, path, context, flags, file_id,\n"
    "                        area, time) AS\n"
    "  SELECT o.id, o.device_id, v.type, v.value, o.pos, coalesce(o.path, CAST(o.pos AS TEXT)),\n"
    "         o.context, o.flags, o.file_id,\n"
    "         CASE o.area WHEN 1 THEN 'unallocated' WHEN 2 THEN 'slack'\n"
    "                     WHEN 3 THEN 'fs-metadata' WHEN 4 THEN 'unpartitioned' END,\n"
    "         o.time\n"
    "  FROM occurrences o JOIN ident_values v ON v.id = o.value_id;\n"
    "CREATE TRIGGER identifiers_insert INSTEAD OF INSERT ON identifiers BEGIN\n"
    "  INSERT OR IGNORE INTO ident_values(type, value) VALUES(NEW.type, NEW.value);\n"
    "  INSERT INTO occurrences(id, device_id, value_id, pos, path, context, flags, file_id, area,\n"
    "                          time)\n"
    "  VALUES(NEW.id, NEW.device_id,\n"
    "         (SELECT id FROM ident_values WHERE value = NEW.value AND type = NEW.type),\n"
    "         NEW.pos, CASE WHEN NEW.path = CAST(NEW.pos AS TEXT) THEN NULL ELSE NEW.path END,\n"
    "         NEW.context, coalesce(NEW.flags, 0), NEW.file_id,\n"
    "         CASE NEW.area WHEN 'unallocated' THEN 1 WHEN 'slack' THEN 2\n"
    "                       WHEN 'fs-metadata' THEN 3 WHEN 'unpartitioned' THEN 4 END,\n"
    "         NEW.time);\n"
    "END;\n";

/* Migration 4: what another store engine (PostgreSQL) needs and readers of
 * a large case want.  problems gets a key of its own (readers ordered its
 * rows by SQLite's rowid, which other engines lack); the rows keep their
 * order.  occurrences_timed, a partial index over the few hits that carry a
 * time, lets `trawl accounts` find first and last seen without a pass over
 * every occurrence (150 M on a 150-device case). */
const char case_schema_v4[] =
    "CREATE TABLE problems_v4(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  device_id INTEGER REFERENCES devices(id), stage TEXT NOT NULL, message TEXT NOT NULL\n"
    ");\n"
    "INSERT INTO problems_v4(id, device_id, stage, message)\n"
    "  SELECT rowid, device_id, stage, message FROM problems ORDER BY rowid;\n"
    "DROP TABLE problems;\n"
    "ALTER TABLE problems_v4 RENAME TO problems;\n"
    "CREATE INDEX occurrences_timed ON occurrences(value_id, device_id, time)\n"
    "  WHERE time IS NOT NULL;\n";
