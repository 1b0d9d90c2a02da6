/* scan_fuzz.c: the page scanner (scan_buffer) on arbitrary bytes, with every
 * identifier type, keywords (literal and regular expression), a national
 * phone country, the default stop list and container recursion at the
 * default depth (gzip, zlib, ZIP, bzip2, xz, base64, QP, percent inside one
 * another).  Every hit must be a NUL-terminated feature of the length it
 * claims, with readable context, starting inside the buffer. */
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "scan/scan.h"
#include "util/limits.h"

static scan_engine *eng;

typedef struct sink_ctx {
    size_t len;
} sink_ctx;

static int sink(void *ctx, const scan_hit *h, trawl_err *err)
{
    const sink_ctx *s = ctx;
    if (!h->type || !h->feature || !h->path || strlen(h->feature) != h->feature_len ||
        h->feature_len == 0 || h->offset >= s->len || strlen(h->path) == 0)
        abort();
    fuzz_touch(h->context, h->context_len);
    return 0;
}

static void init(void)
{
    static const char kw[] = "# keywords\nSecret Plan\n/acct-[0-9]{4}/\n/Cased/c\nbitcoin\n";
    const char *path = fuzz_write("keywords.txt", (const uint8_t *)kw, sizeof kw - 1);
    scan_options o;
    scan_options_default(&o);
    o.threads = 1;
    o.country = "DE";
    o.keywords = path;
    trawl_err err;
    if (scan_engine_new(&o, &eng, &err) != 0) {
        fprintf(stderr, "scan_fuzz: %s\n", err.msg);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!eng)
        init();
    sink_ctx s = {size};
    trawl_err err;
    scan_buffer(eng, data, size, sink, &s, &err);
    return 0;
}
