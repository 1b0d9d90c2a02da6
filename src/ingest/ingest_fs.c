/* ingest_fs.c: the file-system part of a device's pipeline (see
 * ingest_int.h).  It runs before the raw scan, so that the scan's hits can
 * be attributed as they stream. */
#include <stdio.h>
#include <stdlib.h>

#include "case/case_fs.h"
#include "fs/fs.h"
#include "ingest/ingest_int.h"

/* The case's sink for everything but hits, which go to the device's
 * ingest_hits. */
typedef struct walk_sink {
    fs_sink store;
    ingest_hits *hits;
} walk_sink;

static int on_volume(void *ctx, const fs_volume *v, int64_t *key, trawl_err *err)
{
    walk_sink *w = ctx;
    return w->store.volume(w->store.ctx, v, key, err);
}

static int on_file(void *ctx, const fs_file *f, int64_t *key, trawl_err *err)
{
    walk_sink *w = ctx;
    return w->store.file(w->store.ctx, f, key, err);
}

static int on_hit(void *ctx, int64_t file_key, const scan_hit *hit, trawl_err *err)
{
    walk_sink *w = ctx;
    return ingest_hits_logical(w->hits, file_key, hit, err);
}

static int on_yara(void *ctx, const fs_yara_hit *y, trawl_err *err)
{
    walk_sink *w = ctx;
    return w->store.yara(w->store.ctx, y, err);
}

static int on_problem(void *ctx, const char *msg, trawl_err *err)
{
    walk_sink *w = ctx;
    return w->store.problem(w->store.ctx, msg, err);
}

void ingest_fs_free_maps(fs_map **maps, size_t n)
{
    for (size_t i = 0; maps && i < n; i++)
        fs_map_free(maps[i]);
    free(maps);
}

int ingest_fs(case_db *c, const ingest_options *opt, int64_t device_id, ev_image **imgs,
              size_t nimgs, const char *dir, ingest_hits *hits, fs_map ***maps_out, int *nofs,
              char *failure, size_t fsize, trawl_err *err)
{
    fs_options fo;
    fs_options_default(&fo);
    fo.tz = opt->tz;
    walk_sink w = {.hits = hits};
    fs_map **maps = calloc(nimgs ? nimgs : 1, sizeof *maps);
    if (!maps || case_fs_sink(c, device_id, &w.store)) {
        free(maps);
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    fs_sink sink = {&w, on_volume, on_file, on_hit, on_yara, on_problem};
    int rc = ingest_fs_child(opt, &fo, imgs, nimgs, dir, &sink, maps, failure, fsize, err);
    if (!rc && failure[0]) {
        /* Nothing of the child's is kept: no file, no map, no logical hit. */
        ingest_fs_free_maps(maps, nimgs);
        maps = NULL;
        char msg[512];
        snprintf(msg, sizeof msg,
                 "file-system stage failed: %s; nothing it found is kept, the raw scan's hits "
                 "are not attributed to files",
                 failure);
        rc = w.store.problem(w.store.ctx, msg, err);
    }
    case_fs_sink_free(&w.store);
    int64_t n = 0;
    if (!rc && maps)
        rc = case_fs_count(c, device_id, &n, err);
    if (rc) {
        ingest_fs_free_maps(maps, nimgs);
        return rc;
    }
    *nofs = maps && n == 0;
    *maps_out = maps;
    return 0;
}

int ingest_fs_finish(case_db *c, int64_t device_id, const char *dir, trawl_err *err)
{
    int rc = case_mark_known(c, device_id, err);
    if (rc)
        return rc;
    char path[4200];
    if (snprintf(path, sizeof path, "%s/files.dfxml", dir) >= (int)sizeof path)
        return trawl_fail(err, TRAWL_EUSAGE, "%s: path too long", dir);
    return case_write_dfxml(c, device_id, path, err);
}
