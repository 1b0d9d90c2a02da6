/* fs_stream_fuzz.c: the reader of the file-system stage's stream
 * (fs_wire_read, src/fs/fs_wire.c) on arbitrary bytes.  The stream comes
 * from a child process that parsed hostile evidence (src/ingest/
 * ingest_child.c), so the parent must take any bytes: every message is
 * checked first, and a stream that passed the check must replay into a
 * sink without a failure, with maps whose look-ups hold.  Seeds: streams of
 * real walks of the test fixtures (one image each). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fs/fs_wire.h"
#include "fuzz_util.h"

typedef struct counts {
    int64_t vol, file;
} counts;

static int on_volume(void *ctx, const fs_volume *v, int64_t *key, trawl_err *err)
{
    counts *c = ctx;
    fuzz_touch(v->description, strlen(v->description));
    *key = 1000 + ++c->vol;
    return 0;
}

static int on_file(void *ctx, const fs_file *f, int64_t *key, trawl_err *err)
{
    counts *c = ctx;
    if (f->volume_key != 0 && (f->volume_key <= 1000 || f->volume_key > 1000 + c->vol))
        abort();
    fuzz_touch(f->path, strlen(f->path));
    fuzz_touch(f->runs, f->nruns * sizeof *f->runs);
    *key = 2000000 + ++c->file;
    return 0;
}

static int on_hit(void *ctx, int64_t file_key, const scan_hit *hit, trawl_err *err)
{
    if (strlen(hit->feature) != hit->feature_len)
        abort();
    fuzz_touch(hit->context, hit->context_len);
    return 0;
}

static int on_yara(void *ctx, const fs_yara_hit *y, trawl_err *err)
{
    fuzz_touch(y->rule, strlen(y->rule));
    return 0;
}

static int on_problem(void *ctx, const char *message, trawl_err *err)
{
    fuzz_touch(message, strlen(message));
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    FILE *f = fmemopen((void *)data, size, "rb");
    if (!f)
        return 0;
    fs_wire_result res;
    trawl_err err = {0};
    if (fs_wire_read(f, 1, NULL, NULL, &res, &err) == 0 && res.done && !res.walk_code) {
        counts c = {0, 0};
        fs_sink sink = {&c, on_volume, on_file, on_hit, on_yara, on_problem};
        fs_map *maps[1] = {NULL};
        if (fs_wire_read(f, 1, &sink, maps, &res, &err) != 0 || !maps[0])
            abort(); /* a stream that passed the check must replay */
        size_t n = fs_map_size(maps[0]);
        for (size_t i = 0; i < n && i < 64; i++) {
            fs_map_seg s;
            fs_map_get(maps[0], i, &s);
            int64_t key;
            const char *area;
            int covered;
            if (!fs_map_lookup(maps[0], s.start, &key, &area, &covered) || key != s.key)
                abort();
            if (key != 0 && (key <= 2000000 || key > 2000000 + c.file))
                abort();
        }
        fs_map_free(maps[0]);
    }
    fclose(f);
    return 0;
}
