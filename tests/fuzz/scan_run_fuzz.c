/* scan_run_fuzz.c: the paged scan of a device (scan_run) on arbitrary
 * bytes: small pages (the first input byte picks the page size and the feed
 * chunk), so that page margins, hits across page edges and decoders that
 * read past their page through the media reader are all exercised. */
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "scan/scan_internal.h"

static scan_engine *eng;

static int sink(void *ctx, const scan_hit *h, trawl_err *err)
{
    const fuzz_media *m = ctx;
    if (!h->feature || strlen(h->feature) != h->feature_len || h->offset >= m->n)
        abort();
    fuzz_touch(h->context, h->context_len);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!eng) {
        scan_options o;
        scan_options_default(&o);
        o.threads = 1;
        trawl_err err;
        if (scan_engine_new(&o, &eng, &err) != 0)
            abort();
    }
    if (size < 1)
        return 0;
    size_t page = 256u << (data[0] & 7); /* 256 B .. 32 KiB */
    size_t chunk = 1 + (size_t)(data[0] >> 3) * 97;
    data++, size--;
    fuzz_media m = {data, size};
    trawl_err err;
    scan_run *run;
    if (scan_run_start_ex(eng, fuzz_media_read, &m, 0, page, SCAN_LOOKAROUND, sink, &m, &run, &err))
        abort();
    for (size_t off = 0; off < size;) {
        size_t k = size - off < chunk ? size - off : chunk;
        if (scan_run_feed(run, off, data + off, k, &err) != 0) {
            scan_run_abort(run);
            return 0;
        }
        off += k;
    }
    scan_run_finish(run, &err);
    return 0;
}
