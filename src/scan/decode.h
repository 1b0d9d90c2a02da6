/* decode.h: the decoders the engine recurses into (gzip, zlib, ZIP
 * deflate, bzip2, xz, base64, quoted-printable, percent-encoding, the text
 * of PDF content streams).  Each
 * reads from a dec_src (the page in memory, then, for a stream that runs
 * past the page, the media through a reader) and writes into a dec_buf that
 * never grows past the caller's limit.  A damaged stream keeps what decoded
 * before the damage; a stream cut at a limit says so. */
#ifndef TRAWL_SCAN_DECODE_H
#define TRAWL_SCAN_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "scan/scan_internal.h"

typedef struct dec_src {
    const uint8_t *mem; /* bytes in memory, then the reader */
    size_t memlen, pos;
    scan_read_fn read; /* may be NULL */
    void *read_ctx;
    uint64_t next; /* media offset of the next read */
    uint8_t *rbuf;
    size_t rcap;
    size_t extra, max_extra; /* bytes read past mem, and their bound */
    size_t consumed;         /* bytes handed out so far */
} dec_src;

typedef struct dec_buf {
    uint8_t *p;
    size_t len, cap; /* cap: usable bytes (never past the caller's limit) */
    size_t map;      /* bytes mapped at p */
    /* Before the buffer grows past big_at bytes, big(big_ctx) is called once
     * (the run uses it to let only a few workers hold big buffers at a time);
     * NULL: no such hook. */
    size_t big_at;
    void (*big)(void *ctx);
    void *big_ctx;
} dec_buf;

/* Big buffers are mapped, not malloc'd, so that giving one back returns
 * its memory to the system at once (malloc keeps freed chunks of this size
 * in its arenas, and a run's peak memory would then grow with its threads).
 * bigbuf_grow moves *p to a mapping of at least ncap bytes, keeping the
 * contents; 0 on failure (then *p is unchanged). */
int bigbuf_grow(uint8_t **p, size_t *cap, size_t ncap);
void bigbuf_free(uint8_t **p, size_t *cap);
void dec_buf_free(dec_buf *b);

/* Positions in decoded output that an escape produced or where a soft line
 * break joined two lines (QP and PCT only). */
typedef struct dec_marks {
    size_t *v;
    size_t n, cap;
} dec_marks;

enum {
    DEC_END = 0,   /* the stream ended cleanly */
    DEC_DAMAGED,   /* it stopped at damage or at the end of the input */
    DEC_CUT,       /* it was cut at a size or ratio limit */
    DEC_NOMEM = -1 /* out of memory */
};

/* Per-worker decoder state (zlib stream kept between containers). */
typedef struct dec_state dec_state;
int dec_state_new(dec_state **out);
void dec_state_free(dec_state *st);

/* Next input chunk; 0 at the end. */
int dec_src_next(dec_src *s, const uint8_t **p, size_t *n);

/* window_bits as zlib's inflateInit2: 31 gzip, 15 zlib, -15 raw deflate. */
int dec_inflate(dec_state *st, dec_src *s, int window_bits, dec_buf *out, size_t limit);
int dec_bzip2(dec_src *s, dec_buf *out, size_t limit);
int dec_xz(dec_src *s, dec_buf *out, size_t limit);

/* base64 from the start of s to the end of its run (line breaks allowed, a
 * blank line or any other character ends it, '=' padding ends it).  out may
 * be NULL to only measure; *used is the input the run took. */
int dec_base64(dec_src *s, dec_buf *out, size_t limit, size_t *used);

/* Quoted-printable from in[0..n): lines joined by soft breaks, up to the
 * first line that ends without one; =XX escapes decoded unless they would
 * give a letter or digit (which no encoder escapes).  *used is the input
 * taken.  *qp_like says whether the run shows what only an encoder writes
 * (a soft break, =3D, =20, =09 or an 8-bit byte): "?id=26" in a URL does
 * not. */
int dec_qp(const uint8_t *in, size_t n, dec_buf *out, size_t limit, dec_marks *marks, size_t *used,
           int *qp_like);

/* Percent-encoding of in[0..n) (already bounded to one URL-like run). */
int dec_pct(const uint8_t *in, size_t n, dec_buf *out, size_t limit, dec_marks *marks);

/* The text of a PDF content stream in[0..n): the strings its text-showing
 * operators (Tj, TJ, ' and ") show, joined as a reader sees them: kerned
 * pieces of one TJ array and consecutive Tj on one line without a gap (a
 * TJ gap wider than 200 thousandths of an em as a space), a line break
 * where the text moves to a new line (T*, ', ", Td/TD with a vertical move,
 * Tm, BT/ET).  Each join is marked, so that only hits across one are taken
 * from here (a hit inside one string is found in the stream itself).
 * out->len is 0 when the stream shows no text. */
int dec_pdf_text(const uint8_t *in, size_t n, dec_buf *out, size_t limit, dec_marks *marks);

/* 1 if c may appear in a percent-encoded URL run. */
static inline int dec_url_char(uint8_t c)
{
    return c > 0x20 && c < 0x7f && c != '"' && c != '\'' && c != '<' && c != '>' && c != '\\' &&
           c != '^' && c != '`' && c != '{' && c != '|' && c != '}';
}

extern const signed char dec_b64_value[256]; /* -1 for non-alphabet */

#endif
