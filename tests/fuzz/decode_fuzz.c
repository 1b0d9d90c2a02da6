/* decode_fuzz.c: each container decoder alone (gzip, zlib, raw deflate,
 * bzip2, xz, base64, quoted-printable, percent-encoding) on arbitrary bytes.
 * The first byte picks the decoder, the output limit and, for the stream
 * decoders, where the bytes in memory end and the media reader takes over
 * (a stream that runs past its page).  The output must stay within the
 * limit and the input taken within the input; the decoder state is reused
 * across inputs as a worker reuses it.  Recursion (containers inside
 * containers) is scan_fuzz's. */
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "scan/decode.h"

static dec_state *st;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!st && dec_state_new(&st) != 0)
        abort();
    if (size < 2)
        return 0;
    unsigned kind = data[0] & 7;
    size_t limit = (size_t)64 << (data[0] >> 4); /* 64 B .. 2 MiB */
    int split = data[0] & 8;
    size_t memlen = split ? (size - 1) * data[1] / 256 : size - 1;
    data++, size--;
    fuzz_media m = {data, size};
    uint8_t rbuf[4096];
    dec_src src = {.mem = data, .memlen = memlen};
    if (split) {
        src.read = fuzz_media_read;
        src.read_ctx = &m;
        src.next = memlen;
        src.rbuf = rbuf;
        src.rcap = sizeof rbuf;
        src.max_extra = 1u << 20;
    }
    dec_buf out = {0};
    dec_marks marks = {0};
    size_t used = 0;
    int qp_like = 0, status = DEC_END;
    switch (kind) {
    case 0:
        status = dec_inflate(st, &src, 31, &out, limit);
        break;
    case 1:
        status = dec_inflate(st, &src, 15, &out, limit);
        break;
    case 2:
        status = dec_inflate(st, &src, -15, &out, limit);
        break;
    case 3:
        status = dec_bzip2(&src, &out, limit);
        break;
    case 4:
        status = dec_xz(&src, &out, limit);
        break;
    case 5:
        status = dec_base64(&src, &out, limit, &used);
        if (status >= 0 && used > size)
            abort();
        break;
    case 6:
        status = dec_qp(data, size, &out, limit, &marks, &used, &qp_like);
        if (status >= 0 && used > size)
            abort();
        break;
    case 7:
        status = dec_pct(data, size, &out, limit, &marks);
        break;
    }
    if (status >= 0 && out.len > limit)
        abort();
    fuzz_touch(out.p, out.len);
    for (size_t i = 0; i < marks.n; i++)
        if (marks.v[i] > out.len)
            abort();
    free(marks.v);
    dec_buf_free(&out);
    return 0;
}
