/* ev_mem.c: an image over a caller's buffer, so that unit tests and fuzzers
 * drive the same ev_image paths as real evidence without touching disk. */
#include <stdlib.h>
#include <string.h>

#include "evidence/ev_backend.h"

typedef struct mem_state {
    const uint8_t *data;
    size_t len;
} mem_state;

static int mem_read(void *state, uint64_t off, void *buf, size_t len, trawl_err *err)
{
    const mem_state *st = state;
    /* ev_read has clamped the range to the media. */
    memcpy(buf, st->data + off, len);
    return 0;
}

static void mem_close(void *state)
{
    free(state);
}

/* No open: ev_open never picks this backend; ev_open_mem builds it. */
static const ev_backend ev_backend_mem = {"mem", NULL, mem_read, mem_close};

int ev_open_mem(const void *data, size_t len, ev_image **out, trawl_err *err)
{
    if (!out || (!data && len))
        return trawl_fail(err, TRAWL_EUSAGE, "ev_open_mem: no buffer");
    ev_image *img = NULL;
    int rc = ev_image_new(&ev_backend_mem, &img, err);
    if (rc)
        return rc;
    mem_state *st = malloc(sizeof *st);
    if (!st) {
        ev_close(img);
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory opening a memory image");
    }
    st->data = data;
    st->len = len;
    ev_image_set_media(img, st, len);
    rc = ev_image_done(img, err);
    if (rc) {
        ev_close(img);
        return rc;
    }
    *out = img;
    return 0;
}
