/* drive.c: run link_run on a case and print the summary, as `trawl link`
 * does (bench/link uses it when the trawl binary has no `link` command).
 * usage: drive [--rebuild] CASE */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link/link.h"

int main(int argc, char **argv)
{
    case_db *c;
    trawl_err err = {0};
    int rebuild = argc > 2 && !strcmp(argv[1], "--rebuild");
    const char *dir = argv[argc - 1];
    if (argc < 2 || case_open(dir, 0, &c, &err)) {
        fprintf(stderr, "drive: %s\n", argc < 2 ? "usage: drive [--rebuild] CASE" : err.msg);
        return 1;
    }
    link_options o;
    link_summary s;
    link_options_default(&o);
    o.summary = &s;
    o.progress = 1;
    o.rebuild = rebuild;
    if (getenv("LINK_THREADS"))
        o.threads = atoi(getenv("LINK_THREADS"));
    int rc = link_run(c, &o, &err);
    if (rc)
        fprintf(stderr, "drive: %s\n", err.msg);
    else
        printf("devices %zu indexed %zu features %llu shared %llu stopped %llu links %zu groups "
               "%zu communities %zu accounts %zu\n",
               s.devices, s.indexed, (unsigned long long)s.features, (unsigned long long)s.shared,
               (unsigned long long)s.stopped, s.links, s.groups, s.communities, s.accounts);
    case_close(c);
    return rc != 0;
}
