/* ev_qcow.c: QEMU copy-on-write disks (QCOW version 1, 2 and 3) through
 * libqcow.  Encrypted images and images with a backing file are refused:
 * without the key or the backing disk the bytes would be wrong.  One mutex
 * around the libqcow file. */
#include <libqcow.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/ev_backend.h"

typedef struct qcow_state {
    libqcow_file_t *f;
    pthread_mutex_t lock;
    char *path;
} qcow_state;

static int qcow_fail(trawl_err *err, int code, libqcow_error_t **e, const char *path,
                     const char *what)
{
    char bt[2048] = "", line[400] = "";
    if (e && *e) {
        libqcow_error_backtrace_sprint(*e, bt, sizeof bt);
        libqcow_error_free(e);
        ev_one_line(line, sizeof line, bt);
    }
    return trawl_fail(err, code, "%s: %s%s%s", path, what, line[0] ? ": libqcow: " : "", line);
}

static void qcow_close(void *state)
{
    qcow_state *st = state;
    if (st->f) {
        libqcow_file_close(st->f, NULL);
        libqcow_file_free(&st->f, NULL);
    }
    pthread_mutex_destroy(&st->lock);
    free(st->path);
    free(st);
}

static int qcow_open(ev_image *img, const char *path, trawl_err *err)
{
    libqcow_error_t *e = NULL;
    qcow_state *st = calloc(1, sizeof *st);
    char *copy = strdup(path);
    if (!st || !copy) {
        free(st);
        free(copy);
        return trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", path);
    }
    st->path = copy;
    pthread_mutex_init(&st->lock, NULL);
    int rc = 0;
    uint32_t enc = 0;
    size_t bsize = 0;
    size64_t media = 0;
    if (libqcow_file_initialize(&st->f, &e) != 1)
        rc = qcow_fail(err, TRAWL_ENOMEM, &e, path, "cannot set up libqcow");
    else if (libqcow_file_open(st->f, path, LIBQCOW_OPEN_READ, &e) != 1) {
        libqcow_file_free(&st->f, NULL);
        rc = qcow_fail(err, TRAWL_EFORMAT, &e, path, "truncated or corrupt QCOW image");
    } else if (libqcow_file_get_encryption_method(st->f, &enc, &e) != 1)
        rc = qcow_fail(err, TRAWL_EFORMAT, &e, path, "no encryption method");
    else if (enc != LIBQCOW_ENCRYPTION_METHOD_NONE)
        rc = trawl_fail(err, TRAWL_EUNSUPPORTED, "%s: encrypted QCOW image (method %u)", path,
                        (unsigned)enc);
    else if (libqcow_file_get_utf8_backing_filename_size(st->f, &bsize, NULL) == 1 && bsize > 1)
        rc = trawl_fail(err, TRAWL_EUNSUPPORTED,
                        "%s: QCOW image has a backing file; open a flattened copy "
                        "(qemu-img convert -O raw)",
                        path);
    else if (libqcow_file_get_media_size(st->f, &media, &e) != 1)
        rc = qcow_fail(err, TRAWL_EFORMAT, &e, path, "no media size");
    if (rc) {
        qcow_close(st);
        return rc;
    }
    ev_image_set_media(img, st, media);
    return ev_image_add_segment(img, path, err);
}

static int qcow_read(void *state, uint64_t off, void *buf, size_t len, trawl_err *err)
{
    qcow_state *st = state;
    libqcow_error_t *e = NULL;
    size_t done = 0;
    pthread_mutex_lock(&st->lock);
    while (done < len) {
        ssize_t n = libqcow_file_read_buffer_at_offset(st->f, (uint8_t *)buf + done, len - done,
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
    return qcow_fail(err, TRAWL_EIO, &e, st->path, what);
}

const ev_backend ev_backend_qcow = {"qcow2", qcow_open, qcow_read, qcow_close};
