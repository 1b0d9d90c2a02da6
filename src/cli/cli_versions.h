/* cli_versions.h: library versions as a JSON object, for the audit log. */
#ifndef TRAWL_CLI_VERSIONS_H
#define TRAWL_CLI_VERSIONS_H

#include <string.h>

#include "util/strbuf.h"

/* A malloc'd JSON object {"sqlite":"3.40.1",...}; NULL on out of memory. */
char *cli_library_versions(void);

#endif
