/* drive.c: run link_run on a case and print the summary (bench/link uses
 * it when the trawl binary has no `link` command yet). usage: drive CASE [--rebuild] */
#include <stdio.h>
#include <string.h>

#include "link/link.h"

int main(int argc, char **argv)
{
    case_db *c;
    trawl_err err = {0};
    if (argc < 2 || case_open(argv[1], 0, &c, &err)) {
        fprintf(stderr, "drive: %s\n", argc < 2 ? "usage: drive CASE [--rebuild]" : err.msg);
        return 1;
    }
    link_options o;
    link_summary s;
    link_options_default(&o);
    o.summary = &s;
    o.progress = 1;
    o.rebuild = argc > 2 && !strcmp(argv[2], "--rebuild");
    int rc = link_run(c, &o, &err);
    if (rc)
        fprintf(stderr, "drive: %s\n", err.msg);
    else
        printf("devices %zu indexed %zu features %llu shared %llu stopped %llu links %zu groups "
               "%zu communities %zu accounts %zu\n",
               s.devices, s.indexed, (unsigned long long)s.features,
               (unsigned long long)s.shared, (unsigned long long)s.stopped, s.links, s.groups,
               s.communities, s.accounts);
    case_close(c);
    return rc != 0;
}
