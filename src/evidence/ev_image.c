/* ev_image.c: the ev_image record that every backend fills (segments,
 * acquisition metadata, stored hashes, acquisition error ranges) and the
 * calls that go through it: ev_describe, ev_size, ev_read and ev_close.
 * ev_read checks and clamps every read against the media size, so that a
 * backend only ever sees ranges that exist. */
#include "evidence/ev.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/ev_backend.h"
#include "util/limits.h"

struct ev_image {
    const ev_backend *be;
    void *state; /* the backend's; NULL until ev_image_set_media */
    ev_info info;
    char **segs;
    size_t nsegs, segcap;
    ev_meta *meta;
    size_t nmeta, metacap;
    ev_range *errs;
    size_t nerrs, errcap;
    char *md5, *sha1, *sha256;
};

/* --- The ev_image record ------------------------------------------------ */

int ev_image_new(const ev_backend *be, ev_image **out, trawl_err *err)
{
    ev_image *img = calloc(1, sizeof *img);
    if (!img)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory opening evidence");
    img->be = be;
    img->info.format = be->format;
    *out = img;
    return 0;
}

void ev_image_set_media(ev_image *img, void *state, uint64_t media_size)
{
    img->state = state;
    img->info.media_size = media_size;
}

void ev_image_set_format(ev_image *img, const char *format)
{
    img->info.format = format;
}

void *ev_image_state_of(const ev_image *img, const ev_backend *be)
{
    return img && img->be == be ? img->state : NULL;
}

/* Grow *arr (of *cap elements of size elem) so that one more fits. */
static int grow(void **arr, size_t *cap, size_t n, size_t elem, trawl_err *err)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *p = reallocarray(*arr, ncap, elem);
    if (!p)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory describing evidence");
    *arr = p;
    *cap = ncap;
    return 0;
}

int ev_image_add_segment(ev_image *img, const char *path, trawl_err *err)
{
    if (img->nsegs >= EV_MAX_SEGMENTS)
        return trawl_fail(err, TRAWL_ELIMIT, "%s: more than %d segment files", path,
                          EV_MAX_SEGMENTS);
    if (grow((void **)&img->segs, &img->segcap, img->nsegs, sizeof *img->segs, err))
        return err ? err->code : TRAWL_ENOMEM;
    char *copy = strdup(path);
    if (!copy)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory describing evidence");
    img->segs[img->nsegs++] = copy;
    return 0;
}

int ev_image_add_meta(ev_image *img, const char *key, const char *value, trawl_err *err)
{
    if (grow((void **)&img->meta, &img->metacap, img->nmeta, sizeof *img->meta, err))
        return err ? err->code : TRAWL_ENOMEM;
    char *k = strdup(key), *v = strdup(value);
    if (!k || !v) {
        free(k);
        free(v);
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory describing evidence");
    }
    img->meta[img->nmeta++] = (ev_meta){k, v};
    return 0;
}

int ev_image_add_error(ev_image *img, uint64_t start, uint64_t length, trawl_err *err)
{
    if (grow((void **)&img->errs, &img->errcap, img->nerrs, sizeof *img->errs, err))
        return err ? err->code : TRAWL_ENOMEM;
    img->errs[img->nerrs++] = (ev_range){start, length};
    return 0;
}

int ev_image_set_stored_hash(ev_image *img, const char *alg, const char *hex, trawl_err *err)
{
    char **slot;
    size_t want;
    if (!strcmp(alg, "md5"))
        slot = &img->md5, want = 32;
    else if (!strcmp(alg, "sha1"))
        slot = &img->sha1, want = 40;
    else
        slot = &img->sha256, want = 64;
    size_t n = strlen(hex);
    int ok = n == want;
    for (size_t i = 0; ok && i < n; i++)
        ok = isxdigit((unsigned char)hex[i]) != 0;
    if (!ok) {
        char key[32];
        snprintf(key, sizeof key, "stored_%s_unparsed", alg);
        return ev_image_add_meta(img, key, hex, err);
    }
    char *copy = malloc(n + 1);
    if (!copy)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory describing evidence");
    for (size_t i = 0; i <= n; i++)
        copy[i] = (char)tolower((unsigned char)hex[i]);
    free(*slot);
    *slot = copy;
    return 0;
}

int ev_image_done(ev_image *img, trawl_err *err)
{
    /* Error ranges come from the container: keep only what lies on the media. */
    size_t k = 0;
    uint64_t size = img->info.media_size;
    for (size_t i = 0; i < img->nerrs; i++) {
        ev_range r = img->errs[i];
        if (r.start >= size || r.length == 0)
            continue;
        if (r.length > size - r.start)
            r.length = size - r.start;
        img->errs[k++] = r;
    }
    img->nerrs = k;
    img->info.nsegments = img->nsegs;
    img->info.segments = (const char *const *)img->segs;
    img->info.nmeta = img->nmeta;
    img->info.meta = img->meta;
    img->info.stored_md5 = img->md5;
    img->info.stored_sha1 = img->sha1;
    img->info.stored_sha256 = img->sha256;
    img->info.nerrors = img->nerrs;
    img->info.errors = img->errs;
    (void)err;
    return 0;
}

void ev_close(ev_image *img)
{
    if (!img)
        return;
    if (img->state)
        img->be->close(img->state);
    for (size_t i = 0; i < img->nsegs; i++)
        free(img->segs[i]);
    free(img->segs);
    for (size_t i = 0; i < img->nmeta; i++) {
        free((char *)img->meta[i].key);
        free((char *)img->meta[i].value);
    }
    free(img->meta);
    free(img->errs);
    free(img->md5);
    free(img->sha1);
    free(img->sha256);
    free(img);
}

const ev_info *ev_describe(const ev_image *img)
{
    return &img->info;
}

uint64_t ev_size(const ev_image *img)
{
    return img->info.media_size;
}

int ev_read(ev_image *img, uint64_t offset, void *buf, size_t len, size_t *got, trawl_err *err)
{
    if (!img || !got || (!buf && len))
        return trawl_fail(err, TRAWL_EUSAGE, "ev_read: no image or buffer");
    uint64_t size = img->info.media_size;
    if (offset >= size || len == 0) {
        *got = 0;
        return 0;
    }
    size_t n = len;
    if ((uint64_t)n > size - offset)
        n = (size_t)(size - offset);
    int rc = img->be->read(img->state, offset, buf, n, err);
    if (rc)
        return rc;
    *got = n;
    return 0;
}
