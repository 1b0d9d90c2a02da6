/* ev_split.c: split raw images, one disk cut into files NAME.000, NAME.001,
 * ... (or NAME.001 onwards; 3 or more digits) or NAME.aa, NAME.ab, ... as
 * dd | split and FTK Imager write them.  The caller names the first
 * segment; the rest are found by name, in order, and a hole in the run
 * (.001 and .003 without .002) is refused rather than read as a shorter
 * disk.  Reads use pread on every segment, so they are thread-safe. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence/ev_backend.h"
#include "util/limits.h"

/* How a segment name is built: path[0..stem) then a suffix of width
 * characters, decimal digits or lower-case letters (base 26). */
typedef struct seg_name {
    size_t stem, width;
    int digits;
    uint64_t index; /* of the name that was parsed */
} seg_name;

static int parse_name(const char *path, seg_name *sn)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash) || dot == path || dot[-1] == '/')
        return 0;
    const char *s = dot + 1;
    size_t w = strlen(s);
    int digits = 1, letters = 1;
    for (size_t i = 0; i < w; i++) {
        digits &= s[i] >= '0' && s[i] <= '9';
        letters &= s[i] >= 'a' && s[i] <= 'z';
    }
    if (!((digits && w >= 3 && w <= 18) || (letters && w >= 2 && w <= 3)))
        return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < w; i++)
        v = digits ? v * 10 + (uint64_t)(s[i] - '0') : v * 26 + (uint64_t)(s[i] - 'a');
    *sn = (seg_name){(size_t)(s - path), w, digits, v};
    return 1;
}

/* Segment index as a file name; 0 when the index does not fit the width. */
static int make_name(const char *path, const seg_name *sn, uint64_t index, char *out, size_t size)
{
    if (sn->stem + sn->width + 1 > size)
        return 0;
    memcpy(out, path, sn->stem);
    uint64_t v = index, base = sn->digits ? 10 : 26;
    for (size_t i = sn->width; i-- > 0;) {
        out[sn->stem + i] = (char)(sn->digits ? '0' + v % base : 'a' + v % base);
        v /= base;
    }
    out[sn->stem + sn->width] = '\0';
    return v == 0;
}

static int exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* The highest index after `after` of a name like sn's in path's folder, or
 * `after` when there is none. */
static uint64_t last_in_dir(const char *path, const seg_name *sn, uint64_t after)
{
    const char *slash = strrchr(path, '/');
    char dir[EV_MAX_PATH];
    const char *base = path;
    if (slash) {
        size_t n = (size_t)(slash - path);
        if (n + 2 > sizeof dir)
            return after;
        memcpy(dir, path, n ? n : 1);
        dir[n ? n : 1] = '\0';
        base = slash + 1;
    } else {
        strcpy(dir, ".");
    }
    size_t stem = sn->stem - (size_t)(base - path);
    DIR *d = opendir(dir);
    if (!d)
        return after;
    uint64_t best = after;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        seg_name other;
        if (strncmp(de->d_name, base, stem) != 0 || !parse_name(de->d_name, &other))
            continue;
        if (other.stem == stem && other.width == sn->width && other.digits == sn->digits &&
            other.index > best)
            best = other.index;
    }
    closedir(d);
    return best;
}

/* The first segment is .000 or .001 (digits) or .aa (letters). */
static int is_first(const seg_name *sn)
{
    return sn->index == 0 || (sn->digits && sn->index == 1);
}

int ev_split_is_candidate(const char *path)
{
    seg_name sn;
    char other[EV_MAX_PATH];
    if (!parse_name(path, &sn))
        return 0;
    /* A later segment given by mistake: split_open refuses it by name. */
    if (!is_first(&sn) || sn.index == 1) {
        if (make_name(path, &sn, sn.index - 1, other, sizeof other) && exists(other))
            return 1;
        if (!is_first(&sn))
            return 0;
    }
    if (make_name(path, &sn, sn.index + 1, other, sizeof other) && exists(other))
        return 1;
    return last_in_dir(path, &sn, sn.index) > sn.index;
}

typedef struct split_state {
    size_t n;
    int *fds;
    uint64_t *start; /* n + 1 entries: start[i] is segment i's first media byte */
    char **paths;
} split_state;

static void split_close(void *state)
{
    split_state *st = state;
    for (size_t i = 0; i < st->n; i++) {
        close(st->fds[i]);
        free(st->paths[i]);
    }
    free(st->fds);
    free(st->start);
    free(st->paths);
    free(st);
}

static int push(split_state *st, size_t *cap, int fd, uint64_t size, const char *name,
                trawl_err *err)
{
    if (st->n + 1 >= *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        int *fds = reallocarray(st->fds, ncap, sizeof *fds);
        if (fds)
            st->fds = fds;
        uint64_t *start = reallocarray(st->start, ncap + 1, sizeof *start);
        if (start)
            st->start = start;
        char **paths = reallocarray(st->paths, ncap, sizeof *paths);
        if (paths)
            st->paths = paths;
        if (!fds || !start || !paths)
            return trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", name);
        *cap = ncap;
    }
    char *copy = strdup(name);
    if (!copy)
        return trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", name);
    uint64_t at = st->n ? st->start[st->n] : 0;
    if (size > UINT64_MAX - at)
        return free(copy), trawl_fail(err, TRAWL_EFORMAT, "%s: segments too large", name);
    if (st->n == 0)
        st->start[0] = 0;
    st->fds[st->n] = fd;
    st->paths[st->n] = copy;
    st->start[st->n + 1] = at + size;
    st->n++;
    return 0;
}

static int split_open(ev_image *img, const char *path, trawl_err *err)
{
    seg_name sn;
    char name[EV_MAX_PATH];
    if (!parse_name(path, &sn))
        return trawl_fail(err, TRAWL_EUSAGE, "%s: not a split-raw segment name", path);
    int first = sn.index == 0 || (sn.digits && sn.index == 1 &&
                                  !(make_name(path, &sn, 0, name, sizeof name) && exists(name)));
    if (!first) {
        uint64_t want = sn.digits && make_name(path, &sn, 0, name, sizeof name) && exists(name)
                            ? 0
                            : (sn.digits ? 1 : 0);
        make_name(path, &sn, want, name, sizeof name);
        return trawl_fail(err, TRAWL_EUSAGE,
                          "%s: is not the first segment of a split image; open %s instead", path,
                          name);
    }
    split_state *st = calloc(1, sizeof *st);
    if (!st)
        return trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", path);
    size_t cap = 0;
    int rc = 0;
    uint64_t idx = sn.index;
    for (;; idx++) {
        if (st->n >= EV_MAX_SEGMENTS) {
            rc = trawl_fail(err, TRAWL_ELIMIT, "%s: more than %d segments", path, EV_MAX_SEGMENTS);
            break;
        }
        if (!make_name(path, &sn, idx, name, sizeof name) || !exists(name))
            break;
        int fd;
        uint64_t size;
        rc = ev_open_fd(name, &fd, &size, err);
        if (rc)
            break;
        if (size == 0) {
            close(fd);
            rc = trawl_fail(err, TRAWL_EFORMAT, "%s: empty file (0 bytes) in a split image", name);
            break;
        }
        rc = push(st, &cap, fd, size, name, err);
        if (rc) {
            close(fd);
            break;
        }
    }
    /* idx is now the first index that has no file; a later one means a hole. */
    if (!rc && st->n > 0 && last_in_dir(path, &sn, idx) > idx) {
        make_name(path, &sn, idx, name, sizeof name);
        rc = trawl_fail(err, TRAWL_EFORMAT,
                        "%s: split image is missing segment %s (later segments exist)", path, name);
    }
    if (!rc && st->n == 0)
        rc = trawl_fail(err, TRAWL_EIO, "%s: no such file", path);
    if (rc) {
        split_close(st);
        return rc;
    }
    ev_image_set_media(img, st, st->start[st->n]);
    for (size_t i = 0; i < st->n; i++) {
        rc = ev_image_add_segment(img, st->paths[i], err);
        if (rc)
            return rc;
    }
    return 0;
}

static int split_read(void *state, uint64_t off, void *buf, size_t len, trawl_err *err)
{
    split_state *st = state;
    /* Binary search for the last segment starting at or before off. */
    size_t lo = 0, hi = st->n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (st->start[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    uint8_t *p = buf;
    for (size_t i = lo; len > 0 && i < st->n; i++) {
        uint64_t in = off - st->start[i], avail = st->start[i + 1] - off;
        size_t n = avail < len ? (size_t)avail : len;
        int rc = ev_pread_all(st->fds[i], st->paths[i], in, p, n, err);
        if (rc)
            return rc;
        p += n;
        off += n;
        len -= n;
    }
    if (len > 0)
        return trawl_fail(err, TRAWL_EIO, "%s: read past the last segment", st->paths[0]);
    return 0;
}

const ev_backend ev_backend_split = {"split", split_open, split_read, split_close};
