/* find_list.h: `trawl find --list FILE CASE` (find_list.c). */
#ifndef TRAWL_CLI_FIND_LIST_H
#define TRAWL_CLI_FIND_LIST_H

/* Look up every value of the list file in the case and print the table;
 * returns the exit code (0 some found, 1 none found or an error). */
int cli_find_list(const char *dir, const char *list, int json);

#endif
