/* child.c: see child.h. */
#include "util/child.h"

#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

void child_limit_memory(unsigned mib)
{
    struct rlimit core = {0, 0}; /* a crash of evidence's making leaves no core file */
    setrlimit(RLIMIT_CORE, &core);
    unsigned long long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%llu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    rlim_t lim = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + ((rlim_t)mib << 20);
    struct rlimit rl = {lim, lim};
    setrlimit(RLIMIT_AS, &rl);
}
