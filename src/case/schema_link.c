/* schema_link.c: tables of the link stage (src/link).  Device names, not
 * ids, in the result tables: they are what examiners query by. */
#include "case/schema.h"

const char case_schema_link[] =
    /* Which scan of each device its index file (CASE/index/ID.idx) holds. */
    "CREATE TABLE link_index(\n"
    "  device_id INTEGER PRIMARY KEY REFERENCES devices(id),\n"
    "  stamp TEXT,                     -- devices.scan_finished when built\n"
    "  entries INTEGER NOT NULL        -- distinct features in the file\n"
    ");\n"
    /* The distinct accounts of each indexed device, kept with the index so
     * the accounts view needs no pass over the identifiers. */
    "CREATE TABLE link_device_accounts(\n"
    "  device_id INTEGER NOT NULL REFERENCES devices(id), value TEXT NOT NULL,\n"
    "  PRIMARY KEY(device_id, value)\n"
    ") WITHOUT ROWID;\n"
    /* One row per linked pair, device_a < device_b; as links.csv, plus
     * explain: JSON [{type, value, weight, devices, contribution}, ...]. */
    "CREATE TABLE links(\n"
    "  device_a TEXT NOT NULL, device_b TEXT NOT NULL,\n"
    "  score REAL NOT NULL, shared INTEGER NOT NULL, top TEXT NOT NULL,\n"
    "  explain TEXT NOT NULL,\n"
    "  PRIMARY KEY(device_a, device_b)\n"
    ");\n"
    /* method: 'components' (links >= threshold) or 'louvain'. */
    "CREATE TABLE groups(\n"
    "  method TEXT NOT NULL, group_id INTEGER NOT NULL, device TEXT NOT NULL\n"
    ");\n"
    "CREATE TABLE group_bindings(\n"
    "  method TEXT NOT NULL, group_id INTEGER NOT NULL, rank INTEGER NOT NULL,\n"
    "  type TEXT NOT NULL, value TEXT NOT NULL,\n"
    "  members INTEGER NOT NULL,       -- group devices holding it\n"
    "  dc INTEGER NOT NULL, weight REAL NOT NULL\n"
    ");\n"
    /* Features on two or more devices (stopped = on the automatic stop
     * list), the strongest LINK_MAX_TABLE_FEATURES of each kind. */
    "CREATE TABLE link_features(\n"
    "  id INTEGER PRIMARY KEY, type TEXT NOT NULL, value TEXT NOT NULL,\n"
    "  dc INTEGER NOT NULL, weight REAL NOT NULL, stopped INTEGER NOT NULL\n"
    ");\n"
    "CREATE INDEX link_features_value ON link_features(value, type);\n"
    "CREATE TABLE link_occurrences(\n"
    "  feature_id INTEGER NOT NULL REFERENCES link_features(id),\n"
    "  device TEXT NOT NULL, count INTEGER NOT NULL,\n"
    "  PRIMARY KEY(feature_id, device)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE accounts(\n"
    "  service TEXT NOT NULL, account TEXT NOT NULL,\n"
    "  devices TEXT NOT NULL, ndevices INTEGER NOT NULL, flags TEXT NOT NULL\n"
    ");\n"
    "CREATE TABLE account_devices(\n"
    "  service TEXT NOT NULL, device TEXT NOT NULL,\n"
    "  accounts INTEGER NOT NULL, flagged INTEGER NOT NULL\n"
    ");\n";
