/* ev.c: the front of the evidence stage.  ev_open looks at a file's
 * signature (never its extension) and hands it to one backend from
 * ev_backend.h; ev_read checks and clamps every read against the media size
 * so that backends only ever see ranges that exist.  This file also owns
 * the ev_image record that backends fill through the ev_image_* helpers:
 * segments, metadata, stored hashes and acquisition error ranges. */
#include "evidence/ev.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* --- Shared helpers ----------------------------------------------------- */

/* libyal backtraces run from the root cause outwards; the first lines say
 * what was wrong, the rest which calls passed it up. */
#define EV_YAL_LINES 2

void ev_one_line(char *dst, size_t size, const char *text)
{
    size_t j = 0;
    int lines = 1;
    if (size == 0)
        return;
    for (const char *p = text; *p && j + 3 < size; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\n' || c == '\r') {
            while (p[1] == '\n' || p[1] == '\r')
                p++;
            if (++lines > EV_YAL_LINES)
                break;
            if (j > 0 && p[1]) {
                dst[j++] = ';';
                dst[j++] = ' ';
            }
        } else if (c == '\t') {
            dst[j++] = ' ';
        } else {
            dst[j++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
        }
    }
    dst[j] = '\0';
}

int ev_open_fd(const char *path, int *fd_out, uint64_t *size, trawl_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT)
            return trawl_fail(err, TRAWL_EIO, "%s: no such file", path);
        if (e == EACCES || e == EPERM)
            return trawl_fail(err, TRAWL_EIO, "%s: permission denied (cannot read)", path);
        return trawl_fail(err, TRAWL_EIO, "%s: cannot open: %s", path, strerror(e));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return trawl_fail(err, TRAWL_EIO, "%s: cannot stat: %s", path, strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return trawl_fail(err, TRAWL_EUSAGE, "%s: is a directory, not an image", path);
    }
    if (S_ISBLK(st.st_mode)) {
        uint64_t bytes = 0;
        if (ioctl(fd, BLKGETSIZE64, &bytes) != 0) {
            int e = errno;
            close(fd);
            return trawl_fail(err, TRAWL_EIO, "%s: cannot get device size: %s", path, strerror(e));
        }
        *size = bytes;
    } else if (S_ISREG(st.st_mode)) {
        *size = (uint64_t)st.st_size;
    } else {
        close(fd);
        return trawl_fail(err, TRAWL_EUSAGE, "%s: not a regular file or block device", path);
    }
    *fd_out = fd;
    return 0;
}

int ev_pread_all(int fd, const char *what, uint64_t off, void *buf, size_t len, trawl_err *err)
{
    uint8_t *p = buf;
    size_t done = 0;
    while (done < len) {
        if (off + done > (uint64_t)INT64_MAX)
            return trawl_fail(err, TRAWL_EIO, "%s: offset %llu out of range", what,
                              (unsigned long long)(off + done));
        ssize_t n = pread(fd, p + done, len - done, (off_t)(off + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const char *why = n == 0 ? "unexpected end of file" : strerror(errno);
            return trawl_fail(err, TRAWL_EIO, "%s: read error at bytes %llu-%llu: %s", what,
                              (unsigned long long)(off + done), (unsigned long long)(off + len - 1),
                              why);
        }
        done += (size_t)n;
    }
    return 0;
}

/* --- Detection ---------------------------------------------------------- */

#define SIG_EWF1 "EVF\x09\x0d\x0a\xff\x00"
#define SIG_EWF2 "EVF2\x0d\x0a\x81\x00"
#define SIG_LVF1 "LVF\x09\x0d\x0a\xff\x00"
#define SIG_LEF2 "LEF2\x0d\x0a\x81\x00"
#define SIG_VMDK_DESC "# Disk DescriptorFile"

static int has(const uint8_t *buf, size_t n, size_t at, const char *sig, size_t len)
{
    return at <= n && len <= n - at && memcmp(buf + at, sig, len) == 0;
}

/* Read the first and last 512 bytes of path (either may be shorter). */
static int sniff(const char *path, uint8_t head[512], size_t *nhead, uint8_t tail[512],
                 size_t *ntail, uint64_t *size, trawl_err *err)
{
    int fd;
    int rc = ev_open_fd(path, &fd, size, err);
    if (rc)
        return rc;
    if (*size == 0) {
        close(fd);
        return trawl_fail(err, TRAWL_EFORMAT, "%s: empty file (0 bytes), not an image", path);
    }
    *nhead = *size < 512 ? (size_t)*size : 512;
    rc = ev_pread_all(fd, path, 0, head, *nhead, err);
    *ntail = 0;
    if (!rc && *size >= 1024) {
        *ntail = 512;
        rc = ev_pread_all(fd, path, *size - 512, tail, 512, err);
    }
    close(fd);
    return rc;
}

static int detect(const char *path, const ev_backend **be, trawl_err *err)
{
    uint8_t head[512], tail[512];
    size_t nh = 0, nt = 0;
    uint64_t size;
    int rc = sniff(path, head, &nh, tail, &nt, &size, err);
    if (rc)
        return rc;
    if (has(head, nh, 0, SIG_EWF2, 8))
        return trawl_fail(err, TRAWL_EUNSUPPORTED,
                          "%s: EnCase 7 Ex01 (EWF2) is not supported by this libewf; convert "
                          "it to E01 (EnCase 6) with FTK Imager or a newer ewfexport "
                          "(ewfexport -f encase6)",
                          path);
    if (has(head, nh, 0, SIG_LVF1, 8) || has(head, nh, 0, SIG_LEF2, 8))
        return trawl_fail(err, TRAWL_EUNSUPPORTED,
                          "%s: EnCase logical evidence (L01/Lx01) holds files, not a disk "
                          "image; trawl reads disk images only",
                          path);
    if (has(head, nh, 0, SIG_EWF1, 8)) {
        *be = &ev_backend_ewf;
        return 0;
    }
    if (has(head, nh, 0, "KDMV", 4) || has(head, nh, 0, "COWD", 4) ||
        has(head, nh, 0, SIG_VMDK_DESC, strlen(SIG_VMDK_DESC))) {
        *be = &ev_backend_vmdk;
        return 0;
    }
    /* Dynamic and differencing VHDs start with a copy of the footer; a fixed
     * VHD has it only in the last 512 bytes (511 in very old Virtual PC). */
    if (has(head, nh, 0, "conectix", 8) || has(head, nh, 0, "vhdxfile", 8) ||
        has(tail, nt, 0, "conectix", 8) || has(tail, nt, 1, "conectix", 8)) {
        *be = &ev_backend_vhdi;
        return 0;
    }
    if (has(head, nh, 0, "QFI\xfb", 4)) {
        *be = &ev_backend_qcow;
        return 0;
    }
    *be = ev_split_is_candidate(path) ? &ev_backend_split : &ev_backend_raw;
    return 0;
}

static int open_with(const ev_backend *be, const char *path, ev_image **out, trawl_err *err)
{
    ev_image *img = NULL;
    int rc = ev_image_new(be, &img, err);
    if (rc)
        return rc;
    rc = be->open(img, path, err);
    if (!rc)
        rc = ev_image_done(img, err);
    if (rc) {
        ev_close(img);
        return rc;
    }
    *out = img;
    return 0;
}

int ev_open(const char *path, ev_image **out, trawl_err *err)
{
    if (!path || !*path || !out)
        return trawl_fail(err, TRAWL_EUSAGE, "ev_open: no path");
    if (strlen(path) >= EV_MAX_PATH)
        return trawl_fail(err, TRAWL_ELIMIT, "%.64s...: path longer than %d bytes", path,
                          EV_MAX_PATH);
    const ev_backend *be;
    int rc = detect(path, &be, err);
    if (rc)
        return rc;
    return open_with(be, path, out, err);
}

int ev_open_raw_file(const char *path, ev_image **out, trawl_err *err)
{
    if (!path || !*path || !out)
        return trawl_fail(err, TRAWL_EUSAGE, "ev_open: no path");
    return open_with(&ev_backend_raw, path, out, err);
}
