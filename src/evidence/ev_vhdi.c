/* ev_vhdi.c: Microsoft virtual disks through libvhdi: VHD (fixed, with its
 * footer at the end, or dynamic, with a copy of it at the start) and VHDX.
 * Differencing disks that need a parent are refused.  One mutex around the
 * libvhdi file. */
#include <libvhdi.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/ev_backend.h"

typedef struct vhdi_state {
    libvhdi_file_t *f;
    pthread_mutex_t lock;
    char *path;
} vhdi_state;

static int vhdi_fail(trawl_err *err, int code, libvhdi_error_t **e, const char *path,
                     const char *what)
{
    char bt[2048] = "", line[400] = "";
    if (e && *e) {
        libvhdi_error_backtrace_sprint(*e, bt, sizeof bt);
        libvhdi_error_free(e);
        ev_one_line(line, sizeof line, bt);
    }
    return trawl_fail(err, code, "%s: %s%s%s", path, what, line[0] ? ": libvhdi: " : "", line);
}

static void vhdi_close(void *state)
{
    vhdi_state *st = state;
    if (st->f) {
        libvhdi_file_close(st->f, NULL);
        libvhdi_file_free(&st->f, NULL);
    }
    pthread_mutex_destroy(&st->lock);
    free(st->path);
    free(st);
}

static int vhdi_open(ev_image *img, const char *path, trawl_err *err)
{
    libvhdi_error_t *e = NULL;
    vhdi_state *st = calloc(1, sizeof *st);
    char *copy = strdup(path);
    if (!st || !copy) {
        free(st);
        free(copy);
        return trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", path);
    }
    st->path = copy;
    pthread_mutex_init(&st->lock, NULL);
    int rc = 0, ftype = 0;
    uint32_t dtype = 0;
    size64_t media = 0;
    if (libvhdi_file_initialize(&st->f, &e) != 1)
        rc = vhdi_fail(err, TRAWL_ENOMEM, &e, path, "cannot set up libvhdi");
    else if (libvhdi_file_open(st->f, path, LIBVHDI_OPEN_READ, &e) != 1) {
        libvhdi_file_free(&st->f, NULL);
        rc = vhdi_fail(err, TRAWL_EFORMAT, &e, path, "truncated or corrupt VHD");
    } else if (libvhdi_file_get_disk_type(st->f, &dtype, &e) != 1)
        rc = vhdi_fail(err, TRAWL_EFORMAT, &e, path, "no disk type");
    else if (dtype == LIBVHDI_DISK_TYPE_DIFFERENTIAL)
        rc = trawl_fail(err, TRAWL_EUNSUPPORTED,
                        "%s: differencing VHD needs its parent; open a merged disk", path);
    else if (libvhdi_file_get_media_size(st->f, &media, &e) != 1)
        rc = vhdi_fail(err, TRAWL_EFORMAT, &e, path, "no media size");
    if (rc) {
        vhdi_close(st);
        return rc;
    }
    if (libvhdi_file_get_file_type(st->f, &ftype, NULL) == 1 && ftype == LIBVHDI_FILE_TYPE_VHDX) {
        rc = ev_image_add_meta(img, "container", "vhdx", err);
        if (rc) {
            vhdi_close(st);
            return rc;
        }
    }
    ev_image_set_media(img, st, media);
    return ev_image_add_segment(img, path, err);
}

static int vhdi_read(void *state, uint64_t off, void *buf, size_t len, trawl_err *err)
{
    vhdi_state *st = state;
    libvhdi_error_t *e = NULL;
    size_t done = 0;
    pthread_mutex_lock(&st->lock);
    while (done < len) {
        ssize_t n = libvhdi_file_read_buffer_at_offset(st->f, (uint8_t *)buf + done, len - done,
                                                       (off64_t)(off + done), &e);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    pthread_mutex_unlock(&st->lock);
    if (done == len)
        return 0;
    char what[128];
    snprintf(what, sizeof what, "read error at bytes %llu-%llu", (unsigned long long)(off + done),
             (unsigned long long)(off + len - 1));
    return vhdi_fail(err, TRAWL_EIO, &e, st->path, what);
}

const ev_backend ev_backend_vhdi = {"vhd", vhdi_open, vhdi_read, vhdi_close};
