/* ev.c: the front of the evidence stage.  ev_open looks at a file's
 * signature (never its extension) and hands it to one backend from
 * ev_backend.h: EWF1, VMDK (sparse or text descriptor), VHD/VHDX (header
 * or fixed-disk footer), QCOW, then split raw by name, else raw.  EWF2
 * (Ex01) and EnCase logical evidence are refused by name. */
#include "evidence/ev.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "evidence/ev_backend.h"
#include "util/limits.h"

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
