/* case_tmp.h: temporary case folders for the case unit tests: made under
 * /tmp and removed, with everything in them, when a test is done. */
#ifndef TRAWL_TESTS_CASE_TMP_H
#define TRAWL_TESTS_CASE_TMP_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A path "/tmp/trawl-TAG-XXXXXX/case" whose parent exists (freed by rmcase). */
static inline char *tmpcase_tagged(const char *tag)
{
    char tmpl[64];
    snprintf(tmpl, sizeof tmpl, "/tmp/trawl-%s-XXXXXX", tag);
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    char *p = malloc(strlen(d) + 6);
    sprintf(p, "%s/case", d);
    return p;
}

static inline int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* Remove a folder and everything in it; it must be gone. */
static inline void rmtree(const char *dir)
{
    (void)nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    assert_int_not_equal(access(dir, F_OK), 0);
}

/* Remove the temporary folder holding a case from tmpcase_tagged, and free
 * its path. */
static inline void rmcase(char *dir)
{
    char *slash = strrchr(dir, '/');
    *slash = 0;
    rmtree(dir);
    free(dir);
}

#endif
