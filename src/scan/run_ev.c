/* run_ev.c: scan_run_start over an ev_image.  Kept apart from run.c so that
 * code that drives runs through scan_run_start_ex (the unit tests) does not
 * pull in the evidence readers. */
#include "scan/scan_internal.h"

#include "util/limits.h"

static int read_image(void *ctx, uint64_t offset, void *buf, size_t len, size_t *got)
{
    trawl_err err;
    trawl_err_clear(&err);
    return ev_read(ctx, offset, buf, len, got, &err);
}

int scan_run_start(scan_engine *eng, ev_image *img, uint64_t base, scan_sink_fn sink,
                   void *sink_ctx, scan_run **out, trawl_err *err)
{
    return scan_run_start_ex(eng, img ? read_image : NULL, img, base, SCAN_PAGE_SIZE, SCAN_MARGIN,
                             sink, sink_ctx, out, err);
}
