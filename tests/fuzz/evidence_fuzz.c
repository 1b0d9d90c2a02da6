/* evidence_fuzz.c: evidence-format detection and the readers behind it, and
 * split-segment naming.  The first byte picks the mode:
 *   0: the rest is an image file: ev_open detects its format by signature
 *      (EWF, VMDK, VHD/VHDX, QCOW, raw) and the media is read at its start,
 *      around its middle and at its end;
 *   1: the rest is lines: the first names the file to open, the others the
 *      files to create next to it (each holding its own name), so that
 *      split-raw discovery (.000/.001/.aa, holes, later segments given
 *      first) runs on arbitrary names;
 *   2: the in-memory image (ev_open_mem) read at offsets from the input.
 * Reads must never return more than asked nor past the media size. */
#include <dirent.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "evidence/ev.h"
#include "evidence/ev_backend.h"
#include "fuzz_util.h"

static void read_at(ev_image *img, uint64_t off, size_t len)
{
    static uint8_t buf[65536];
    size_t got = 0;
    trawl_err err;
    if (len > sizeof buf)
        len = sizeof buf;
    if (ev_read(img, off, buf, len, &got, &err) == 0) {
        uint64_t size = ev_size(img);
        if (got > len || (got > 0 && (off >= size || got > size - off)))
            abort();
        fuzz_touch(buf, got);
    }
}

static void read_all(ev_image *img)
{
    const ev_info *in = ev_describe(img);
    if (!in || in->media_size != ev_size(img))
        abort();
    for (size_t i = 0; i < in->nsegments; i++)
        fuzz_touch(in->segments[i], strlen(in->segments[i]));
    for (size_t i = 0; i < in->nmeta; i++)
        fuzz_touch(in->meta[i].value, strlen(in->meta[i].value));
    uint64_t size = ev_size(img);
    read_at(img, 0, 65536);
    read_at(img, size / 2, 4096);
    read_at(img, size > 100 ? size - 100 : 0, 4096);
    read_at(img, size, 16);
}

static void clean(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    char p[1024];
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
            unlink(p);
        }
    }
    closedir(d);
}

/* Mode 1: names, one per line ('/' and NUL become '_'). */
static void split_names(const uint8_t *data, size_t size)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/split", fuzz_tmpdir());
    mkdir(dir, 0700);
    clean(dir);
    char first[300] = "";
    size_t nfiles = 0;
    for (size_t i = 0; i < size && nfiles < 40;) {
        size_t e = i;
        while (e < size && data[e] != '\n')
            e++;
        char name[256];
        size_t n = e - i < sizeof name - 1 ? e - i : sizeof name - 1;
        for (size_t k = 0; k < n; k++)
            name[k] = data[i + k] == '/' || data[i + k] == 0 ? '_' : (char)data[i + k];
        name[n] = 0;
        i = e + 1;
        if (!n || !strcmp(name, ".") || !strcmp(name, ".."))
            continue;
        if (!first[0]) {
            snprintf(first, sizeof first, "%s", name);
            continue;
        }
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", dir, name);
        FILE *fp = fopen(p, "wb");
        if (fp) {
            fputs(name, fp);
            fclose(fp);
        }
        nfiles++;
    }
    if (!first[0])
        return;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, first);
    ev_split_is_candidate(path);
    ev_image *img;
    trawl_err err;
    if (ev_open(path, &img, &err) == 0) {
        read_all(img);
        ev_close(img);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned mode = data[0] % 3;
    data++, size--;
    ev_image *img;
    trawl_err err;
    if (mode == 0) {
        const char *path = fuzz_write("image", data, size);
        if (ev_open(path, &img, &err) == 0) {
            read_all(img);
            ev_close(img);
        }
    } else if (mode == 1) {
        split_names(data, size);
    } else if (ev_open_mem(data, size, &img, &err) == 0) {
        read_all(img);
        for (size_t i = 0; i + 8 <= size && i < 64; i += 8) {
            uint64_t off = 0;
            memcpy(&off, data + i, 8);
            read_at(img, off % (size + 8), (size_t)(off >> 48));
        }
        ev_close(img);
    }
    return 0;
}
