/* ev_vmdk.c: VMware disks through libvmdk: a sparse extent (KDMV, COWD)
 * with its embedded descriptor, or a text descriptor ("# Disk
 * DescriptorFile") whose extent files sit next to it.  Differencing disks
 * that need a parent are refused.  One mutex around the libvmdk handle. */
#include <libvmdk.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/ev_backend.h"
#include "util/limits.h"

typedef struct vmdk_state {
    libvmdk_handle_t *h;
    pthread_mutex_t lock;
    char *path;
} vmdk_state;

static int vmdk_fail(trawl_err *err, int code, libvmdk_error_t **e, const char *path,
                     const char *what)
{
    char bt[2048] = "", line[400] = "";
    if (e && *e) {
        libvmdk_error_backtrace_sprint(*e, bt, sizeof bt);
        libvmdk_error_free(e);
        ev_one_line(line, sizeof line, bt);
    }
    return trawl_fail(err, code, "%s: %s%s%s", path, what, line[0] ? ": libvmdk: " : "", line);
}

static void vmdk_close(void *state)
{
    vmdk_state *st = state;
    if (st->h) {
        libvmdk_handle_close(st->h, NULL);
        libvmdk_handle_free(&st->h, NULL);
    }
    pthread_mutex_destroy(&st->lock);
    free(st->path);
    free(st);
}

/* List the extent files after the descriptor, as paths next to it. */
static int vmdk_segments(ev_image *img, vmdk_state *st, trawl_err *err)
{
    int rc = ev_image_add_segment(img, st->path, err);
    int n = 0;
    if (rc || libvmdk_handle_get_number_of_extents(st->h, &n, NULL) != 1)
        return rc;
    const char *slash = strrchr(st->path, '/');
    int dirlen = slash ? (int)(slash - st->path + 1) : 0;
    for (int i = 0; i < n && !rc; i++) {
        libvmdk_extent_descriptor_t *d = NULL;
        uint8_t name[EV_MAX_PATH];
        if (libvmdk_handle_get_extent_descriptor(st->h, i, &d, NULL) != 1)
            continue;
        int ok = libvmdk_extent_descriptor_get_utf8_filename(d, name, sizeof name, NULL) == 1;
        libvmdk_extent_descriptor_free(&d, NULL);
        if (!ok)
            continue;
        name[sizeof name - 1] = '\0';
        char full[EV_MAX_PATH];
        const char *base = strrchr((char *)name, '/');
        base = base ? base + 1 : (char *)name;
        if (snprintf(full, sizeof full, "%.*s%s", dirlen, st->path, base) >= (int)sizeof full)
            continue;
        if (strcmp(full, st->path) != 0)
            rc = ev_image_add_segment(img, full, err);
    }
    return rc;
}

/* A descriptor is evidence too: an extent name that leaves the
 * descriptor's folder ("../x", "/etc/x", "a/b") would make trawl read a file
 * the examiner never gave it, and libvmdk's own path joining overflows on
 * such names (ASan).  Refuse them before libvmdk opens anything. */
static int vmdk_check_extents(vmdk_state *st, trawl_err *err)
{
    int n = 0;
    if (libvmdk_handle_get_number_of_extents(st->h, &n, NULL) != 1)
        return 0;
    for (int i = 0; i < n; i++) {
        libvmdk_extent_descriptor_t *d = NULL;
        uint8_t name[EV_MAX_PATH];
        if (libvmdk_handle_get_extent_descriptor(st->h, i, &d, NULL) != 1)
            continue;
        int ok = libvmdk_extent_descriptor_get_utf8_filename(d, name, sizeof name, NULL) == 1;
        libvmdk_extent_descriptor_free(&d, NULL);
        if (!ok)
            continue;
        name[sizeof name - 1] = '\0';
        const char *s = (const char *)name;
        if (strchr(s, '/') || strchr(s, '\\') || !strcmp(s, "..") || !strcmp(s, "."))
            return trawl_fail(err, TRAWL_EFORMAT,
                              "%s: VMDK extent '%.200s' lies outside the descriptor's folder; "
                              "refused",
                              st->path, s);
    }
    return 0;
}

static int vmdk_open(ev_image *img, const char *path, trawl_err *err)
{
    libvmdk_error_t *e = NULL;
    vmdk_state *st = calloc(1, sizeof *st);
    char *copy = strdup(path);
    if (!st || !copy) {
        free(st);
        free(copy);
        return trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", path);
    }
    st->path = copy;
    pthread_mutex_init(&st->lock, NULL);
    int rc = 0;
    size64_t media = 0;
    size_t psize = 0;
    if (libvmdk_handle_initialize(&st->h, &e) != 1)
        rc = vmdk_fail(err, TRAWL_ENOMEM, &e, path, "cannot set up libvmdk");
    else if (libvmdk_handle_open(st->h, path, LIBVMDK_OPEN_READ, &e) != 1) {
        libvmdk_handle_free(&st->h, NULL);
        rc = vmdk_fail(err, TRAWL_EFORMAT, &e, path, "truncated or corrupt VMDK");
    } else if (libvmdk_handle_get_utf8_parent_filename_size(st->h, &psize, NULL) == 1 && psize > 1)
        rc = trawl_fail(err, TRAWL_EUNSUPPORTED,
                        "%s: VMDK differencing disk needs its parent; open the flattened disk",
                        path);
    else if ((rc = vmdk_check_extents(st, err)) != 0)
        ;
    else if (libvmdk_handle_open_extent_data_files(st->h, &e) != 1)
        rc = vmdk_fail(err, TRAWL_EFORMAT, &e, path, "cannot open the VMDK extent files");
    else if (libvmdk_handle_get_media_size(st->h, &media, &e) != 1)
        rc = vmdk_fail(err, TRAWL_EFORMAT, &e, path, "no media size");
    if (rc) {
        vmdk_close(st);
        return rc;
    }
    ev_image_set_media(img, st, media);
    return vmdk_segments(img, st, err);
}

static int vmdk_read(void *state, uint64_t off, void *buf, size_t len, trawl_err *err)
{
    vmdk_state *st = state;
    libvmdk_error_t *e = NULL;
    size_t done = 0;
    pthread_mutex_lock(&st->lock);
    while (done < len) {
        ssize_t n = libvmdk_handle_read_buffer_at_offset(st->h, (uint8_t *)buf + done, len - done,
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
    return vmdk_fail(err, TRAWL_EIO, &e, st->path, what);
}

const ev_backend ev_backend_vmdk = {"vmdk", vmdk_open, vmdk_read, vmdk_close};
