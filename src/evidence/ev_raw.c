/* ev_raw.c: the raw backend: one file (or block device) whose bytes are the
 * media, read with pread so that any number of threads can read at once. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence/ev_backend.h"

typedef struct raw_state {
    int fd;
    char *path; /* for messages */
} raw_state;

static int raw_open(ev_image *img, const char *path, trawl_err *err)
{
    int fd;
    uint64_t size;
    int rc = ev_open_fd(path, &fd, &size, err);
    if (rc)
        return rc;
    raw_state *st = calloc(1, sizeof *st);
    char *copy = strdup(path);
    if (!st || !copy) {
        free(st);
        free(copy);
        close(fd);
        return trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", path);
    }
    st->fd = fd;
    st->path = copy;
    ev_image_set_media(img, st, size);
    return ev_image_add_segment(img, path, err);
}

static int raw_read(void *state, uint64_t off, void *buf, size_t len, trawl_err *err)
{
    raw_state *st = state;
    return ev_pread_all(st->fd, st->path, off, buf, len, err);
}

static void raw_close(void *state)
{
    raw_state *st = state;
    close(st->fd);
    free(st->path);
    free(st);
}

const ev_backend ev_backend_raw = {"raw", raw_open, raw_read, raw_close};
