/* reconcile.c: see case_reconcile_devices in case.h.  A device's feature
 * folder is written as devices/.NAME.partial and renamed into place right
 * after the device's transaction commits; a kill, or a commit whose outcome
 * was reported as an error, can leave it in between.  case.db decides. */
#define _XOPEN_SOURCE 700
#include "case/case.h"

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

void case_reconcile_devices(case_db *c)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/devices", case_dir(c));
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        const char *suffix = ".partial";
        size_t sl = strlen(suffix);
        if (e->d_name[0] != '.' || n <= sl + 1 || strcmp(e->d_name + n - sl, suffix) != 0)
            continue;
        char name[256], from[4600], to[4600];
        snprintf(name, sizeof name, "%.*s", (int)(n - sl - 1), e->d_name + 1);
        snprintf(from, sizeof from, "%s/%s", dir, e->d_name);
        snprintf(to, sizeof to, "%s/%s", dir, name);
        int found = 0;
        int64_t id;
        trawl_err err = {0};
        /* Committed but not yet moved: finish the move; otherwise it is the
         * leftover of a scan that never committed. */
        if (case_device_id(c, name, &id, &found, &err) == 0 && found && access(to, F_OK) != 0)
            rename(from, to);
        else if (err.code == 0)
            nftw(from, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    closedir(d);
}
