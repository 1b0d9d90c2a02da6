/* sqlite_record_fuzz.c: libFuzzer entry for the SQLite record decoder
 * (src/scan/sqlite_rec.c) and the engine around it (field scanning, column
 * rules, deleted-record recovery).  Seeds in sqlite_record_corpus/: hostile
 * pages (cell pointers out of range, a varint that never ends, a serial type
 * claiming a terabyte, a page that is its own parent, an overflow chain that
 * loops) and small real databases. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "scan/scan.h"
#include "scan/sqlite_rec.h"

static int count_value(void *ctx, const sq_record *r)
{
    size_t *sum = ctx;
    for (size_t i = 0; i < r->ncols; i++)
        if (r->col[i].p)
            for (size_t j = 0; j < r->col[i].n; j++)
                *sum += r->col[i].p[j];
    return 0;
}

static int sink(void *ctx, const scan_hit *h, trawl_err *err)
{
    (void)err;
    *(size_t *)ctx += h->feature_len;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The engine is built once: compiling the patterns costs far more than
     * one input.  It is read-only once built. */
    static scan_engine *eng;
    if (!eng) {
        scan_options opt;
        scan_options_default(&opt);
        opt.threads = 1;
        trawl_err err = {0};
        if (scan_engine_new(&opt, &eng, &err))
            abort();
    }
    sq_doc *d;
    if (sq_doc_new(&d))
        return 0;
    size_t sum = 0;
    if (sq_find(d, data, size, 0) == 0)
        sq_records(d, 0, size, count_value, &sum);
    sq_doc_free(d);
    trawl_err err = {0};
    scan_buffer(eng, data, size, sink, &sum, &err);
    return sum == (size_t)-1;
}
