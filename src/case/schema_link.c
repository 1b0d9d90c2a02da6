/* schema_link.c: tables of the link stage (src/link). */
#include "case/schema.h"

const char case_schema_link[] =
    "CREATE TABLE links(\n"
    "  device_a TEXT NOT NULL, device_b TEXT NOT NULL,\n"
    "  score REAL NOT NULL, shared INTEGER NOT NULL, top TEXT NOT NULL,\n"
    "  PRIMARY KEY(device_a, device_b)\n"
    ");\n"
    "CREATE TABLE groups(\n"
    "  method TEXT NOT NULL, group_id INTEGER NOT NULL, device TEXT NOT NULL\n"
    ");\n";
