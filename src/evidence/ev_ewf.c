/* ev_ewf.c: EnCase (EWF1: E01, E02, ...) images through libewf.  All
 * segment files are found with libewf_glob and opened read-only.  The
 * acquisition record (header values such as case_number, the stored MD5 and
 * SHA-1, the ranges the acquisition could not read) goes into ev_info.
 *
 * A chunk whose checksum does not match is not silently handed on: libewf
 * records it as a checksum error, and a read that touches such a chunk fails
 * with TRAWL_EIO naming the range, so that the hashing pass zero-fills and
 * reports it.  The libewf handle keeps a file offset and a chunk cache, so
 * reads go through one mutex. */
#include <libewf.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence/ev_backend.h"
#include "util/digest.h"
#include "util/limits.h"

#define EWF_MAX_VALUE 65536 /* a header or hash value, bytes */

typedef struct ewf_state {
    libewf_handle_t *h;
    pthread_mutex_t lock;
    uint32_t bytes_per_sector;
    char *path;
} ewf_state;

/* Fill err from a libewf error (freed here), as one line after what. */
static int ewf_fail(trawl_err *err, int code, libewf_error_t **e, const char *path,
                    const char *what)
{
    char bt[2048] = "", line[400] = "";
    if (e && *e) {
        libewf_error_backtrace_sprint(*e, bt, sizeof bt);
        libewf_error_free(e);
        ev_one_line(line, sizeof line, bt);
    }
    return trawl_fail(err, code, "%s: %s%s%s", path, what, line[0] ? ": libewf: " : "", line);
}

static void ewf_close(void *state)
{
    ewf_state *st = state;
    if (st->h) {
        libewf_handle_close(st->h, NULL);
        libewf_handle_free(&st->h, NULL);
    }
    pthread_mutex_destroy(&st->lock);
    free(st->path);
    free(st);
}

/* Copy the header values (case_number, examiner_name, ...) into metadata. */
static int ewf_meta(ev_image *img, ewf_state *st, trawl_err *err)
{
    uint32_t n = 0;
    if (libewf_handle_get_number_of_header_values(st->h, &n, NULL) != 1)
        return 0; /* no header section values: nothing to record */
    char *val = malloc(EWF_MAX_VALUE);
    if (!val)
        return trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", st->path);
    int rc = 0;
    for (uint32_t i = 0; i < n && !rc; i++) {
        uint8_t id[128];
        size_t idsize = 0;
        if (libewf_handle_get_header_value_identifier_size(st->h, i, &idsize, NULL) != 1 ||
            idsize < 2 || idsize > sizeof id ||
            libewf_handle_get_header_value_identifier(st->h, i, id, idsize, NULL) != 1)
            continue;
        id[idsize - 1] = '\0';
        size_t len = strlen((char *)id);
        size_t vsize = 0;
        if (libewf_handle_get_utf8_header_value_size(st->h, id, len, &vsize, NULL) != 1 ||
            vsize < 2 || vsize > EWF_MAX_VALUE ||
            libewf_handle_get_utf8_header_value(st->h, id, len, (uint8_t *)val, vsize, NULL) != 1)
            continue;
        val[vsize - 1] = '\0';
        if (val[0])
            rc = ev_image_add_meta(img, (char *)id, val, err);
    }
    free(val);
    return rc;
}

/* The binary digest from the hash/digest section, for when libewf offers
 * no text value; 1 if found. */
static int ewf_binary_hash(ewf_state *st, int sha1, char *hex)
{
    uint8_t bin[20];
    size_t n = sha1 ? 20 : 16;
    int r = sha1 ? libewf_handle_get_sha1_hash(st->h, bin, n, NULL)
                 : libewf_handle_get_md5_hash(st->h, bin, n, NULL);
    if (r != 1)
        return 0;
    digest_hex(bin, n, hex);
    return 1;
}

static int ewf_hashes(ev_image *img, ewf_state *st, trawl_err *err)
{
    static const struct {
        const char *id, *alg;
    } algs[] = {{"MD5", "md5"}, {"SHA1", "sha1"}, {"SHA256", "sha256"}};
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++) {
        char val[160];
        int found = libewf_handle_get_utf8_hash_value(st->h, (const uint8_t *)algs[i].id,
                                                      strlen(algs[i].id), (uint8_t *)val,
                                                      sizeof val, NULL) == 1;
        val[sizeof val - 1] = '\0';
        if (!found || !val[0])
            found = i < 2 && ewf_binary_hash(st, i == 1, val);
        if (!found)
            continue;
        int rc = ev_image_set_stored_hash(img, algs[i].alg, val, err);
        if (rc)
            return rc;
    }
    return 0;
}

static int ewf_errors(ev_image *img, ewf_state *st, trawl_err *err)
{
    uint32_t n = 0;
    if (libewf_handle_get_number_of_acquiry_errors(st->h, &n, NULL) != 1)
        return 0;
    uint64_t bps = st->bytes_per_sector;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t first = 0, count = 0;
        if (libewf_handle_get_acquiry_error(st->h, i, &first, &count, NULL) != 1)
            continue;
        if (first > UINT64_MAX / bps || count > UINT64_MAX / bps)
            continue; /* nonsense from the container; ev_image_done drops off-media ranges */
        int rc = ev_image_add_error(img, first * bps, count * bps, err);
        if (rc)
            return rc;
    }
    return 0;
}

/* libewf opens a set whose last segment lacks the end marker; refuse it,
 * naming the segment that should follow (E01..E99 are the common case). */
static int ewf_incomplete(trawl_err *err, const char *path, const char *last)
{
    size_t n = strlen(last);
    char next[EV_MAX_PATH];
    if (n >= 2 && n < sizeof next && last[n - 1] >= '0' && last[n - 1] <= '9' &&
        last[n - 2] >= '0' && last[n - 2] <= '9' && strncmp(last + n - 2, "99", 2) != 0) {
        memcpy(next, last, n + 1);
        int v = (next[n - 2] - '0') * 10 + (next[n - 1] - '0') + 1;
        next[n - 2] = (char)('0' + v / 10);
        next[n - 1] = (char)('0' + v % 10);
        return trawl_fail(err, TRAWL_EFORMAT,
                          "%s: EnCase set is incomplete: no end marker after %s (segment %s "
                          "is missing, or a segment is truncated)",
                          path, last, next);
    }
    return trawl_fail(err, TRAWL_EFORMAT,
                      "%s: EnCase set is incomplete: no end marker after %s (the next "
                      "segment is missing, or a segment is truncated)",
                      path, last);
}

/* Walk the section chain of one EWF1 segment file (13-byte file header, then
 * 76-byte section descriptors: type[16], next offset, size, ...), to name
 * the segment that is cut short.  Returns 1 and the offset of the broken
 * section when the chain runs past the end of the file before a "next" or
 * "done" section, 0 when the chain is whole or the file cannot be read. */
static int ewf_segment_truncated(const char *path, uint64_t *at, uint64_t *fsize)
{
    int fd;
    uint64_t size;
    if (ev_open_fd(path, &fd, &size, NULL) != 0)
        return 0;
    *fsize = size;
    uint64_t off = 13;
    int truncated = 0;
    for (int i = 0; i < 1000000; i++) {
        uint8_t d[76];
        if (off > size || size - off < sizeof d ||
            ev_pread_all(fd, path, off, d, sizeof d, NULL) != 0) {
            truncated = 1;
            break;
        }
        if (!memcmp(d, "next", 5) || !memcmp(d, "done", 5))
            break;
        uint64_t next = 0;
        for (int k = 7; k >= 0; k--)
            next = next << 8 | d[16 + k];
        if (next <= off || next > size) {
            truncated = 1;
            break;
        }
        off = next;
    }
    close(fd);
    *at = off;
    return truncated;
}

/* The segment number in the EWF1 file header (bytes 9-10, little-endian):
 * 1 for the first file of a set; 0 when unreadable (libewf then decides). */
static unsigned ewf_segment_number(const char *path)
{
    int fd;
    uint64_t size;
    uint8_t hdr[13];
    if (ev_open_fd(path, &fd, &size, NULL) != 0)
        return 0;
    int ok = size >= sizeof hdr && ev_pread_all(fd, path, 0, hdr, sizeof hdr, NULL) == 0;
    close(fd);
    return ok ? (unsigned)hdr[9] | (unsigned)hdr[10] << 8 : 0;
}

/* A later segment given first is refused, as for split raw, so that one
 * set always enters a case under the name of its first file. */
static int ewf_not_first(trawl_err *err, const char *path, unsigned segment, char **names,
                         int nnames)
{
    if (nnames > 0 && strcmp(names[0], path) != 0 && ewf_segment_number(names[0]) == 1)
        return trawl_fail(err, TRAWL_EUSAGE, "%s: is segment %u of an EnCase set; open %s instead",
                          path, segment, names[0]);
    return trawl_fail(err, TRAWL_EFORMAT,
                      "%s: is segment %u of an EnCase set whose first segment is missing", path,
                      segment);
}

static int ewf_open(ev_image *img, const char *path, trawl_err *err)
{
    libewf_error_t *e = NULL;
    char **names = NULL;
    int nnames = 0;
    char *single[1] = {(char *)path};
    int globbed = libewf_glob(path, strlen(path), LIBEWF_FORMAT_UNKNOWN, &names, &nnames, &e);
    if (globbed != 1 || nnames <= 0) {
        /* The signature says EWF but the name has no .E01-style extension
         * that libewf_glob understands: open this one file on its own. */
        libewf_error_free(&e);
        if (globbed == 1)
            libewf_glob_free(names, nnames, NULL);
        names = single;
        nnames = 1;
        globbed = 0;
    } else if (nnames > EV_MAX_SEGMENTS) {
        libewf_glob_free(names, nnames, NULL);
        return trawl_fail(err, TRAWL_ELIMIT, "%s: %d EnCase segment files", path, nnames);
    }
    unsigned segment = ewf_segment_number(path);
    if (segment > 1) {
        int rc = ewf_not_first(err, path, segment, names, nnames);
        if (globbed)
            libewf_glob_free(names, nnames, NULL);
        return rc;
    }
    ewf_state *st = calloc(1, sizeof *st);
    char *copy = strdup(path);
    if (!st || !copy) {
        free(st);
        free(copy);
        if (globbed)
            libewf_glob_free(names, nnames, NULL);
        return trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", path);
    }
    st->path = copy;
    pthread_mutex_init(&st->lock, NULL);
    int rc = 0;
    size64_t media = 0;
    if (libewf_handle_initialize(&st->h, &e) != 1)
        rc = ewf_fail(err, TRAWL_ENOMEM, &e, path, "cannot set up libewf");
    else if (libewf_handle_open(st->h, names, nnames, LIBEWF_OPEN_READ, &e) != 1) {
        libewf_handle_free(&st->h, NULL);
        rc = ewf_fail(err, TRAWL_EFORMAT, &e, path,
                      "truncated or corrupt EnCase image (or a segment file is missing)");
    } else if (libewf_handle_get_media_size(st->h, &media, &e) != 1)
        rc = ewf_fail(err, TRAWL_EFORMAT, &e, path, "no media size");
    else if (libewf_handle_get_bytes_per_sector(st->h, &st->bytes_per_sector, &e) != 1 ||
             st->bytes_per_sector == 0)
        rc = ewf_fail(err, TRAWL_EFORMAT, &e, path, "no bytes per sector");
    if (!rc && libewf_handle_segment_files_corrupted(st->h, NULL) == 1) {
        uint64_t at = 0, fsize = 0;
        int cut = -1;
        for (int i = 0; i < nnames && cut < 0; i++)
            if (ewf_segment_truncated(names[i], &at, &fsize))
                cut = i;
        if (cut >= 0)
            rc = trawl_fail(err, TRAWL_EFORMAT,
                            "%s: EnCase set is incomplete: segment %s is truncated (its section at "
                            "offset %llu runs "
                            "past its end at %llu bytes)",
                            path, names[cut], (unsigned long long)at, (unsigned long long)fsize);
        else
            rc = ewf_incomplete(err, path, names[nnames - 1]);
    }
    if (rc) {
        if (globbed)
            libewf_glob_free(names, nnames, NULL);
        ewf_close(st);
        return rc;
    }
    /* Dates as ISO 8601 rather than ctime() text: they go into court reports. */
    libewf_handle_set_header_values_date_format(st->h, LIBEWF_DATE_FORMAT_ISO8601, NULL);
    ev_image_set_media(img, st, media);
    for (int i = 0; i < nnames && !rc; i++)
        rc = ev_image_add_segment(img, names[i], err);
    if (globbed)
        libewf_glob_free(names, nnames, NULL);
    if (!rc)
        rc = ewf_meta(img, st, err);
    if (!rc)
        rc = ewf_hashes(img, st, err);
    if (!rc)
        rc = ewf_errors(img, st, err);
    return rc;
}

/* Whether [off, off+len) touches a chunk libewf has found corrupt; the
 * first such range goes into *bad.  Called with the lock held. */
static int ewf_corrupt(ewf_state *st, uint64_t off, size_t len, ev_range *bad)
{
    uint32_t n = 0;
    if (libewf_handle_get_number_of_checksum_errors(st->h, &n, NULL) != 1)
        return 0;
    uint64_t bps = st->bytes_per_sector;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t first = 0, count = 0;
        if (libewf_handle_get_checksum_error(st->h, i, &first, &count, NULL) != 1 ||
            first > UINT64_MAX / bps || count > UINT64_MAX / bps)
            continue;
        uint64_t s = first * bps, l = count * bps;
        if (s < off + len && off < s + l) {
            *bad = (ev_range){s, l};
            return 1;
        }
    }
    return 0;
}

static int ewf_read(void *state, uint64_t off, void *buf, size_t len, trawl_err *err)
{
    ewf_state *st = state;
    libewf_error_t *e = NULL;
    uint8_t *p = buf;
    size_t done = 0;
    ev_range bad;
    int corrupt = 0;
    pthread_mutex_lock(&st->lock);
    while (done < len) {
        ssize_t n =
            libewf_handle_read_random(st->h, p + done, len - done, (off64_t)(off + done), &e);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    if (done == len)
        corrupt = ewf_corrupt(st, off, len, &bad);
    pthread_mutex_unlock(&st->lock);
    if (done < len) {
        char what[128];
        snprintf(what, sizeof what, "read error at bytes %llu-%llu",
                 (unsigned long long)(off + done), (unsigned long long)(off + len - 1));
        return ewf_fail(err, TRAWL_EIO, &e, st->path, what);
    }
    if (corrupt)
        return trawl_fail(err, TRAWL_EIO,
                          "%s: checksum mismatch in the EnCase chunk at bytes %llu-%llu "
                          "(read of %llu-%llu)",
                          st->path, (unsigned long long)bad.start,
                          (unsigned long long)(bad.start + bad.length - 1), (unsigned long long)off,
                          (unsigned long long)(off + len - 1));
    return 0;
}

const ev_backend ev_backend_ewf = {"ewf", ewf_open, ewf_read, ewf_close};
