/* link.c: link_run, the link stage from end to end (see link.h):
 * devices -> index (index.c) -> merge and scores (score.c) -> groups
 * (group.c) -> tables and links.csv (output.c) -> accounts (accounts.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/link_store.h"
#include "link/link_int.h"

void link_options_default(link_options *o)
{
    *o = (link_options){
        .stop_share = 2.0 / 3.0,
        .stop_min_devices = 6,
        .group_threshold = 1.0,
        .many_accounts = 5,
        .multi_device = 3,
    };
}

static void free_devices(link_dev *d, size_t n)
{
    for (size_t i = 0; d && i < n; i++) {
        free(d[i].name);
        free(d[i].stamp);
    }
    free(d);
}

/* Every device, sorted by name (bytewise): the stage's device order. */
static int load_devices(case_db *c, link_dev **out, size_t *nout, trawl_err *err)
{
    case_link_device row;
    case_rows *rows;
    if (case_devices_for_link(c, &row, &rows, err))
        return err->code;
    link_dev *v = NULL;
    size_t n = 0, cap = 0;
    int rc = 0, more;
    while (!(rc = case_rows_next(rows, &more, err)) && more) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            link_dev *nv = realloc(v, cap * sizeof *v);
            if (!nv) {
                rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
                break;
            }
            v = nv;
        }
        const char *name = row.name.s;
        const char *stamp = row.scan_finished.type == CASE_NULL ? NULL : row.scan_finished.s;
        link_dev *d = &v[n++];
        d->id = row.id.i;
        d->name = strdup(name ? name : "");
        d->stamp = stamp ? strdup(stamp) : NULL;
        if (!d->name || (stamp && !d->stamp)) {
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
            break;
        }
    }
    case_rows_close(rows);
    if (rc) {
        free_devices(v, n);
        return rc;
    }
    *out = v;
    *nout = n;
    return 0;
}

int link_run(case_db *c, const link_options *opt, trawl_err *err)
{
    if (opt->stop_share <= 0 || opt->stop_share > 1 || opt->stop_min_devices < 2 ||
        opt->many_accounts < 1 || opt->multi_device < 1)
        return trawl_fail(err, TRAWL_EUSAGE, "link options out of range");
    link_dev *devs = NULL;
    size_t n = 0, rebuilt = 0, accounts = 0;
    link_result r = {0};
    int *comp = NULL, *comm = NULL;
    size_t ncomp = 0, ncomm = 0;
    int rc = load_devices(c, &devs, &n, err);
    if (!rc)
        rc = link_index_update(c, devs, n, opt, &rebuilt, err);
    if (!rc) {
        if (opt->progress)
            fprintf(stderr, "link: scoring %zu devices\n", n);
        rc = link_score(c, devs, n, opt, &r, err);
    }
    if (!rc) {
        comp = calloc(n ? n : 1, sizeof *comp);
        comm = calloc(n ? n : 1, sizeof *comm);
        if (!comp || !comm)
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    if (!rc) {
        ncomp = link_components(&r, opt->group_threshold, comp);
        ncomm = link_louvain(&r, comm);
        if (ncomp == (size_t)-1 || ncomm == (size_t)-1)
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory grouping %zu devices", n);
    }
    if (!rc)
        rc = case_begin(c, err);
    if (!rc) {
        if (opt->progress)
            fprintf(stderr, "link: writing links and groups\n");
        rc = link_write(c, devs, n, &r, comp, comm, opt, err);
        if (!rc && opt->progress)
            fprintf(stderr, "link: accounts\n");
        if (!rc)
            rc = link_accounts(c, devs, n, opt, &accounts, err);
        if (!rc)
            rc = case_commit(c, err);
        if (rc)
            case_rollback(c);
    }
    if (!rc && opt->summary) {
        link_summary *s = opt->summary;
        memset(s, 0, sizeof *s);
        s->devices = n;
        s->indexed = rebuilt;
        s->features = r.distinct;
        s->shared = r.nfeats;
        s->stopped = r.stopped;
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                s->links += r.pairs[link_pair_index(n, i, j)].shared != 0;
        s->groups = ncomp;
        s->communities = ncomm;
        s->accounts = accounts;
    }
    link_result_free(&r);
    free(comp);
    free(comm);
    free_devices(devs, n);
    return rc;
}
