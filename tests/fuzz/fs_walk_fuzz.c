/* fs_walk_fuzz.c: the file-system stage (fs_walk) on an arbitrary image in
 * memory: partition tables, TSK's file systems as trawl walks them, the
 * NTFS $MFT run and resident-data code of src/fs/walk.c, logical scanning
 * of file content, and the interval index (fs_map) then asked about every
 * offset of the image.  libtsk itself runs here too: a crash inside it is
 * a finding for issue 11's crash containment, not a trawl bug. */
#include <stdint.h>
#include <string.h>

#include "evidence/ev.h"
#include "fs/fs.h"
#include "fuzz_util.h"
#include "scan/scan.h"

static scan_engine *eng;

static int on_volume(void *ctx, const fs_volume *v, int64_t *key, trawl_err *err)
{
    static int64_t n;
    *key = ++n;
    return 0;
}

static int on_file(void *ctx, const fs_file *f, int64_t *key, trawl_err *err)
{
    static int64_t n;
    *key = ++n;
    fuzz_touch(f->runs, f->nruns * sizeof *f->runs);
    return 0;
}

static int on_hit(void *ctx, int64_t file_key, const scan_hit *hit, trawl_err *err)
{
    if (strlen(hit->feature) != hit->feature_len)
        abort();
    return 0;
}

static int on_problem(void *ctx, const char *message, trawl_err *err)
{
    fuzz_touch(message, strlen(message));
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    trawl_err err;
    if (!eng) {
        scan_options o;
        scan_options_default(&o);
        o.threads = 1;
        o.max_depth = 1;
        if (scan_engine_new(&o, &eng, &err) != 0)
            abort();
    }
    ev_image *img;
    if (ev_open_mem(data, size, &img, &err) != 0)
        return 0;
    uint64_t media = size;
    fs_sink sink = {&media, on_volume, on_file, on_hit, NULL, on_problem};
    fs_options opt;
    fs_options_default(&opt);
    opt.magic = 0; /* libmagic is slow per file and not trawl's parser */
    fs_map *map = NULL;
    if (fs_walk(img, 0, eng, &opt, NULL, &sink, &map, &err) == 0 && map) {
        for (uint64_t off = 0; off <= media; off += 509) {
            int64_t key;
            const char *area;
            int covered;
            fs_map_lookup(map, off, &key, &area, &covered);
        }
        fs_map_free(map);
    }
    ev_close(img);
    return 0;
}
