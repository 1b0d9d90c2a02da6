/* decode.c: see decode.h.  The compressed formats go through their
 * libraries (zlib, libbz2, liblzma); the text encodings are small state
 * machines. */
#include "scan/decode.h"

#include <bzlib.h>
#include <ctype.h>
#include <limits.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <zlib.h>

#include "util/limits.h"

struct dec_state {
    z_stream z;
    int z_ready;
};

int dec_state_new(dec_state **out)
{
    dec_state *st = calloc(1, sizeof *st);
    if (!st)
        return -1;
    *out = st;
    return 0;
}

void dec_state_free(dec_state *st)
{
    if (!st)
        return;
    if (st->z_ready)
        inflateEnd(&st->z);
    free(st);
}

int dec_src_next(dec_src *s, const uint8_t **p, size_t *n)
{
    if (s->pos < s->memlen) {
        *p = s->mem + s->pos;
        *n = s->memlen - s->pos;
        s->pos = s->memlen;
        s->consumed += *n;
        return 1;
    }
    if (!s->read || !s->rbuf || s->extra >= s->max_extra)
        return 0;
    size_t want = s->rcap;
    if (want > s->max_extra - s->extra)
        want = s->max_extra - s->extra;
    size_t got = 0;
    if (s->read(s->read_ctx, s->next, s->rbuf, want, &got) != 0 || got == 0) {
        s->read = NULL; /* a failed read ends the stream where it is */
        return 0;
    }
    s->next += got;
    s->extra += got;
    s->consumed += got;
    *p = s->rbuf;
    *n = got;
    return 1;
}

int bigbuf_grow(uint8_t **p, size_t *cap, size_t ncap)
{
    size_t page = 4096;
    ncap = (ncap + page - 1) & ~(page - 1);
    void *np;
    if (*p)
        np = mremap(*p, *cap, ncap, MREMAP_MAYMOVE);
    else
        np = mmap(NULL, ncap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (np == MAP_FAILED)
        return 0;
    *p = np;
    *cap = ncap;
    return 1;
}

void bigbuf_free(uint8_t **p, size_t *cap)
{
    if (*p)
        munmap(*p, *cap);
    *p = NULL;
    *cap = 0;
}

void dec_buf_free(dec_buf *b)
{
    bigbuf_free(&b->p, &b->map);
    b->len = b->cap = 0;
}

/* Make room for at least one more byte; 0 when the limit is reached. */
static int grow(dec_buf *b, size_t limit, int *nomem)
{
    if (b->len < b->cap)
        return 1;
    if (b->cap >= limit)
        return 0;
    size_t ncap = b->cap ? b->cap * 2 : (256u << 10);
    if (ncap > limit)
        ncap = limit;
    if (b->big && ncap > b->big_at) {
        b->big(b->big_ctx);
        b->big = NULL;
    }
    if (ncap > b->map && !bigbuf_grow(&b->p, &b->map, ncap)) {
        *nomem = 1;
        return 0;
    }
    b->cap = ncap;
    return 1;
}

/* A bomb: past 1 MiB, more than SCAN_MAX_RATIO bytes out per byte in. */
static int too_expanded(size_t out, size_t in)
{
    return out > (1u << 20) && out / SCAN_MAX_RATIO > in;
}

int dec_inflate(dec_state *st, dec_src *s, int window_bits, dec_buf *out, size_t limit)
{
    z_stream *z = &st->z;
    if (!st->z_ready) {
        memset(z, 0, sizeof *z);
        if (inflateInit2(z, window_bits) != Z_OK)
            return DEC_NOMEM;
        st->z_ready = 1;
    } else if (inflateReset2(z, window_bits) != Z_OK) {
        return DEC_DAMAGED;
    }
    z->avail_in = 0;
    int nomem = 0, status;
    size_t in_total = 0;
    for (;;) {
        if (z->avail_in == 0) {
            const uint8_t *p;
            size_t n;
            if (!dec_src_next(s, &p, &n)) {
                status = DEC_DAMAGED; /* truncated */
                break;
            }
            if (n > UINT_MAX)
                n = UINT_MAX;
            z->next_in = (Bytef *)p;
            z->avail_in = (uInt)n;
        }
        if (!grow(out, limit, &nomem)) {
            status = nomem ? DEC_NOMEM : DEC_CUT;
            break;
        }
        size_t room = out->cap - out->len;
        if (room > UINT_MAX)
            room = UINT_MAX;
        z->next_out = out->p + out->len;
        z->avail_out = (uInt)room;
        uInt before_in = z->avail_in;
        int r = inflate(z, Z_NO_FLUSH);
        out->len += room - z->avail_out;
        in_total += before_in - z->avail_in;
        if (r == Z_STREAM_END) {
            status = DEC_END;
            break;
        }
        if (r != Z_OK && r != Z_BUF_ERROR) {
            status = DEC_DAMAGED;
            break;
        }
        if (too_expanded(out->len, in_total)) {
            status = DEC_CUT;
            break;
        }
    }
    return status;
}

int dec_bzip2(dec_src *s, dec_buf *out, size_t limit)
{
    bz_stream bz;
    memset(&bz, 0, sizeof bz);
    if (BZ2_bzDecompressInit(&bz, 0, 0) != BZ_OK)
        return DEC_NOMEM;
    int nomem = 0, status;
    size_t in_total = 0;
    for (;;) {
        if (bz.avail_in == 0) {
            const uint8_t *p;
            size_t n;
            if (!dec_src_next(s, &p, &n)) {
                status = DEC_DAMAGED;
                break;
            }
            if (n > UINT_MAX)
                n = UINT_MAX;
            bz.next_in = (char *)p;
            bz.avail_in = (unsigned)n;
        }
        if (!grow(out, limit, &nomem)) {
            status = nomem ? DEC_NOMEM : DEC_CUT;
            break;
        }
        size_t room = out->cap - out->len;
        if (room > UINT_MAX)
            room = UINT_MAX;
        bz.next_out = (char *)out->p + out->len;
        bz.avail_out = (unsigned)room;
        unsigned before_in = bz.avail_in;
        int r = BZ2_bzDecompress(&bz);
        out->len += room - bz.avail_out;
        in_total += before_in - bz.avail_in;
        if (r == BZ_STREAM_END) {
            status = DEC_END;
            break;
        }
        if (r != BZ_OK) {
            status = DEC_DAMAGED;
            break;
        }
        if (too_expanded(out->len, in_total)) {
            status = DEC_CUT;
            break;
        }
    }
    BZ2_bzDecompressEnd(&bz);
    return status;
}

int dec_xz(dec_src *s, dec_buf *out, size_t limit)
{
    lzma_stream xz = LZMA_STREAM_INIT;
    if (lzma_stream_decoder(&xz, SCAN_XZ_MEMLIMIT, 0) != LZMA_OK)
        return DEC_NOMEM;
    int nomem = 0, status;
    for (;;) {
        if (xz.avail_in == 0) {
            const uint8_t *p;
            size_t n;
            if (!dec_src_next(s, &p, &n)) {
                status = DEC_DAMAGED;
                break;
            }
            xz.next_in = p;
            xz.avail_in = n;
        }
        if (!grow(out, limit, &nomem)) {
            status = nomem ? DEC_NOMEM : DEC_CUT;
            break;
        }
        size_t room = out->cap - out->len;
        xz.next_out = out->p + out->len;
        xz.avail_out = room;
        lzma_ret r = lzma_code(&xz, LZMA_RUN);
        out->len += room - xz.avail_out;
        if (r == LZMA_STREAM_END) {
            status = DEC_END;
            break;
        }
        if (r != LZMA_OK && r != LZMA_BUF_ERROR) {
            status = r == LZMA_MEM_ERROR ? DEC_NOMEM : DEC_DAMAGED;
            break;
        }
        if (too_expanded(out->len, (size_t)xz.total_in)) {
            status = DEC_CUT;
            break;
        }
    }
    lzma_end(&xz);
    return status;
}

/* clang-format off */
#define B64_ROW(a) a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a
const signed char dec_b64_value[256] = {
    B64_ROW(-1), B64_ROW(-1),
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1, -1, 63,             /* 0x20 */
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,             /* 0x30 */
    -1, 0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14,             /* 0x40 */
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, -1,             /* 0x50 */
    -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,             /* 0x60 */
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,             /* 0x70 */
    B64_ROW(-1), B64_ROW(-1), B64_ROW(-1), B64_ROW(-1),
    B64_ROW(-1), B64_ROW(-1), B64_ROW(-1), B64_ROW(-1),
};
/* clang-format on */

static int put(dec_buf *out, size_t limit, uint8_t c, int *nomem)
{
    if (!out)
        return 1;
    if (!grow(out, limit, nomem))
        return 0;
    out->p[out->len++] = c;
    return 1;
}

int dec_base64(dec_src *s, dec_buf *out, size_t limit, size_t *used)
{
    uint32_t acc = 0;
    int q = 0, nl = 0, nomem = 0, status = DEC_DAMAGED, done = 0;
    size_t taken = 0;
    const uint8_t *p;
    size_t n;
    while (!done && dec_src_next(s, &p, &n)) {
        size_t i = 0;
        for (; i < n; i++) {
            uint8_t c = p[i];
            int v = dec_b64_value[c];
            if (v >= 0) {
                nl = 0;
                acc = (acc << 6) | (uint32_t)v;
                if (++q == 4) {
                    if (!put(out, limit, (uint8_t)(acc >> 16), &nomem) ||
                        !put(out, limit, (uint8_t)(acc >> 8), &nomem) ||
                        !put(out, limit, (uint8_t)acc, &nomem)) {
                        status = nomem ? DEC_NOMEM : DEC_CUT;
                        done = 1;
                        break;
                    }
                    q = 0, acc = 0;
                }
            } else if (c == '\n') {
                if (++nl >= 2) {
                    done = 1;
                    break;
                }
            } else if (c == '\r') {
                continue;
            } else {
                if (c == '=') { /* padding: take it, and a second '=' */
                    i++;
                    if (i < n && p[i] == '=')
                        i++;
                    status = DEC_END;
                }
                done = 1;
                break;
            }
        }
        taken += i;
    }
    if (!done)
        status = DEC_END; /* the input ended: what we have is the run */
    if (status != DEC_CUT && status != DEC_NOMEM) {
        /* A partial quad: 2 chars give one byte, 3 give two. */
        if (q == 2)
            put(out, limit, (uint8_t)(acc >> 4), &nomem);
        else if (q == 3) {
            put(out, limit, (uint8_t)(acc >> 10), &nomem);
            put(out, limit, (uint8_t)(acc >> 2), &nomem);
        }
    }
    /* Trailing line breaks are not part of the run. */
    *used = taken;
    return nomem ? DEC_NOMEM : status;
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* QP escapes are upper-case hex (RFC 2045). */
static int qphex(uint8_t c)
{
    return (c >= 'a' && c <= 'f') ? -1 : hexval(c);
}

static int mark(dec_marks *m, size_t pos)
{
    if (m->n == m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 64;
        size_t *nv = realloc(m->v, nc * sizeof *nv);
        if (!nv)
            return 0;
        m->v = nv, m->cap = nc;
    }
    m->v[m->n++] = pos;
    return 1;
}

int dec_qp(const uint8_t *in, size_t n, dec_buf *out, size_t limit, dec_marks *marks, size_t *used,
           int *qp_like)
{
    int nomem = 0, like = 0;
    size_t i = 0;
    int status = DEC_END;
    while (i < n) {
        uint8_t c = in[i];
        if (c == '=') {
            if (i + 1 < n && in[i + 1] == '\n') { /* soft break */
                if (!mark(marks, out->len))
                    return DEC_NOMEM;
                like = 1;
                i += 2;
                continue;
            }
            if (i + 2 < n && in[i + 1] == '\r' && in[i + 2] == '\n') {
                if (!mark(marks, out->len))
                    return DEC_NOMEM;
                like = 1;
                i += 3;
                continue;
            }
            int h = i + 2 < n ? qphex(in[i + 1]) : -1, l = i + 2 < n ? qphex(in[i + 2]) : -1;
            /* An encoder never escapes a letter or digit: "id=54443" in a URL
             * is not quoted-printable, so such an =XX stays as it is. */
            if (h >= 0 && l >= 0 && !isalnum(h << 4 | l)) {
                if (!mark(marks, out->len))
                    return DEC_NOMEM;
                int v = h << 4 | l; /* what only an encoder writes: =3D =20 =09, 8-bit */
                like |= v == '=' || v == ' ' || v == '\t' || v >= 0x80;
                if (!put(out, limit, (uint8_t)(h << 4 | l), &nomem)) {
                    status = nomem ? DEC_NOMEM : DEC_CUT;
                    break;
                }
                i += 3;
                continue;
            }
        }
        if (c == '\n' || (c == '\r' && i + 1 < n && in[i + 1] == '\n'))
            break; /* a hard line end closes the region */
        if (!put(out, limit, c, &nomem)) {
            status = nomem ? DEC_NOMEM : DEC_CUT;
            break;
        }
        i++;
    }
    *used = i;
    *qp_like = like;
    return status;
}

int dec_pct(const uint8_t *in, size_t n, dec_buf *out, size_t limit, dec_marks *marks)
{
    int nomem = 0;
    for (size_t i = 0; i < n;) {
        int h = -1, l = -1;
        if (in[i] == '%' && i + 2 < n) {
            h = hexval(in[i + 1]);
            l = hexval(in[i + 2]);
        }
        if (h >= 0 && l >= 0) {
            if (!mark(marks, out->len))
                return DEC_NOMEM;
            if (!put(out, limit, (uint8_t)(h << 4 | l), &nomem))
                return nomem ? DEC_NOMEM : DEC_CUT;
            i += 3;
        } else {
            if (!put(out, limit, in[i], &nomem))
                return nomem ? DEC_NOMEM : DEC_CUT;
            i++;
        }
    }
    return DEC_END;
}

/* --- PDF text ------------------------------------------------------------- */

static int pdf_white(uint8_t c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0;
}

static int pdf_delim(uint8_t c)
{
    return pdf_white(c) || c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' ||
           c == '{' || c == '}' || c == '/' || c == '%';
}

/* Append one string operand to out; mark where a piece joins text before it
 * on the same line. */
static int pdf_piece(dec_buf *out, size_t limit, dec_marks *marks, const uint8_t *s, size_t n,
                     int *line_open, int *nomem)
{
    if (n == 0)
        return 1;
    if (*line_open && !mark(marks, out->len))
        return *nomem = 1, 0;
    for (size_t i = 0; i < n; i++)
        if (!put(out, limit, s[i], nomem))
            return 0;
    *line_open = 1;
    return 1;
}

int dec_pdf_text(const uint8_t *in, size_t n, dec_buf *out, size_t limit, dec_marks *marks)
{
    /* Operands since the last operator: the strings (a TJ array's too, with
     * a word gap where a kerning number is below -200), and the last two
     * numbers (Td's tx ty). */
    enum { MAXSTR = 4096 };
    uint8_t str[MAXSTR];
    size_t slen = 0;
    size_t starts[64]; /* where each string of the operands begins in str */
    size_t nstr = 0;
    double num[2] = {0, 0};
    int nomem = 0, line_open = 0, shown = 0;
    size_t i = 0;
    while (i < n) {
        uint8_t c = in[i];
        if (pdf_white(c)) {
            i++;
        } else if (c == '%') {
            while (i < n && in[i] != '\n' && in[i] != '\r')
                i++;
        } else if (c == '(') {
            int depth = 1;
            if (nstr < 64)
                starts[nstr++] = slen;
            for (i++; i < n && depth; i++) {
                uint8_t b = in[i];
                if (b == '\\' && i + 1 < n) {
                    uint8_t e = in[++i];
                    int v = e == 'n'   ? '\n'
                            : e == 'r' ? '\r'
                            : e == 't' ? '\t'
                            : e == 'b' ? '\b'
                            : e == 'f' ? '\f'
                                       : -1;
                    if (e >= '0' && e <= '7') {
                        v = e - '0';
                        for (int k = 0; k < 2 && i + 1 < n && in[i + 1] >= '0' && in[i + 1] <= '7';
                             k++)
                            v = v * 8 + (in[++i] - '0');
                        v &= 0xff;
                    } else if (e == '\n' || e == '\r') {
                        continue; /* a line continuation */
                    } else if (v < 0) {
                        v = e;
                    }
                    b = (uint8_t)v;
                } else if (b == '(') {
                    depth++;
                } else if (b == ')' && --depth == 0) {
                    continue;
                }
                if (slen < MAXSTR)
                    str[slen++] = b;
            }
        } else if (c == '<' && i + 1 < n && in[i + 1] != '<') {
            if (nstr < 64)
                starts[nstr++] = slen;
            int hi = -1;
            for (i++; i < n && in[i] != '>'; i++) {
                int v = hexval(in[i]);
                if (v < 0)
                    continue;
                if (hi < 0) {
                    hi = v;
                } else {
                    if (slen < MAXSTR)
                        str[slen++] = (uint8_t)(hi << 4 | v);
                    hi = -1;
                }
            }
            i++;
        } else if (c == '[' || c == ']' || c == '<' || c == '>' || c == '{' || c == '}') {
            i++;
        } else if (c == '/') {
            for (i++; i < n && !pdf_delim(in[i]); i++)
                ;
        } else if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') {
            size_t s = i;
            for (i++; i < n && !pdf_delim(in[i]); i++)
                ;
            char tmp[32];
            size_t k = i - s < sizeof tmp - 1 ? i - s : sizeof tmp - 1;
            memcpy(tmp, in + s, k);
            tmp[k] = 0;
            double v = strtod(tmp, NULL);
            num[0] = num[1];
            num[1] = v;
            /* A wide gap inside a TJ array is a space between words. */
            if (v < -200 && nstr > 0 && slen < MAXSTR) {
                if (nstr < 64)
                    starts[nstr++] = slen;
                str[slen++] = ' ';
            }
        } else {
            size_t s = i;
            for (; i < n && !pdf_delim(in[i]); i++)
                ;
            if (i == s) {
                i++;
                continue;
            }
            size_t ol = i - s;
            const uint8_t *op = in + s;
            int newline = 0, show = 0;
            if ((ol == 2 && !memcmp(op, "Tj", 2)) || (ol == 2 && !memcmp(op, "TJ", 2))) {
                show = 1;
            } else if ((ol == 1 && (op[0] == '\'' || op[0] == '"'))) {
                newline = show = 1;
            } else if ((ol == 2 && (!memcmp(op, "Td", 2) || !memcmp(op, "TD", 2)))) {
                newline = num[1] != 0;
            } else if ((ol == 2 && (!memcmp(op, "T*", 2) || !memcmp(op, "ET", 2) ||
                                    !memcmp(op, "BT", 2) || !memcmp(op, "Tm", 2)))) {
                newline = 1;
            }
            if (newline && line_open) {
                if (!put(out, limit, '\n', &nomem))
                    break;
                line_open = 0;
            }
            if (show) {
                shown = 1;
                /* '"' takes its string last, after two numbers; Tj and '
                 * their only string; TJ every string of its array. */
                size_t from = 0;
                for (size_t k = 0; k < nstr; k++) {
                    size_t e = k + 1 < nstr ? starts[k + 1] : slen;
                    if (!pdf_piece(out, limit, marks, str + starts[k], e - starts[k], &line_open,
                                   &nomem))
                        break;
                    from = e;
                }
                (void)from;
                if (nomem || out->len >= limit)
                    break;
            }
            slen = 0;
            nstr = 0;
        }
    }
    if (nomem)
        return DEC_NOMEM;
    if (!shown)
        out->len = 0;
    return out->len >= limit ? DEC_CUT : DEC_END;
}
