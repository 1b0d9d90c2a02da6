/* tz.c: see tz.h.  The TZif layout (RFC 8536): a 44-byte header (magic
 * "TZif", version, six big-endian counts), a data block with 32-bit times,
 * and from version 2 on a second header and block with 64-bit times, which
 * we read when present.  Every count is checked against the bytes there. */
#include "fs/tz.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/limits.h"

struct fs_tz {
    size_t n;     /* transitions */
    int64_t *at;  /* UTC times, ascending */
    int32_t *off; /* offset from each transition on */
    int32_t off0; /* before the first (time type 0) */
};

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const uint8_t *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* Parse one header + block at p (len bytes left) with time size tsz;
 * *used gets the bytes of header and block. */
static int parse_block(const uint8_t *p, size_t len, int tsz, fs_tz *z, size_t *used,
                       const char *name, trawl_err *err)
{
    if (len < 44 || memcmp(p, "TZif", 4) != 0)
        return trawl_fail(err, TRAWL_EFORMAT, "time zone %s: not a TZif file", name);
    uint32_t isutcnt = be32(p + 20), isstdcnt = be32(p + 24), leapcnt = be32(p + 28),
             timecnt = be32(p + 32), typecnt = be32(p + 36), charcnt = be32(p + 40);
    uint64_t need = 44 + (uint64_t)timecnt * (uint64_t)(tsz + 1) + (uint64_t)typecnt * 6 + charcnt +
                    (uint64_t)leapcnt * (uint64_t)(tsz + 4) + isstdcnt + isutcnt;
    if (typecnt == 0 || typecnt > 256 || need > len)
        return trawl_fail(err, TRAWL_EFORMAT, "time zone %s: TZif counts past the file's end",
                          name);
    const uint8_t *times = p + 44, *idx = times + (size_t)timecnt * (size_t)tsz,
                  *types = idx + timecnt;
    free(z->at), free(z->off);
    z->at = malloc((timecnt ? timecnt : 1) * sizeof *z->at);
    z->off = malloc((timecnt ? timecnt : 1) * sizeof *z->off);
    if (!z->at || !z->off)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < timecnt; i++) {
        z->at[i] = tsz == 8 ? be64(times + 8 * (size_t)i) : (int32_t)be32(times + 4 * (size_t)i);
        if (idx[i] >= typecnt || (i && z->at[i] <= z->at[i - 1]))
            return trawl_fail(err, TRAWL_EFORMAT, "time zone %s: bad transition %u", name, i);
        z->off[i] = (int32_t)be32(types + 6 * (size_t)idx[i]);
    }
    z->n = timecnt;
    z->off0 = (int32_t)be32(types);
    for (uint32_t i = 0; i <= timecnt; i++) {
        int32_t o = i < timecnt ? z->off[i] : z->off0;
        if (o <= -26 * 3600 || o >= 26 * 3600)
            return trawl_fail(err, TRAWL_EFORMAT, "time zone %s: offset %d s", name, (int)o);
    }
    *used = (size_t)need;
    return 0;
}

void fs_tz_free(fs_tz *z)
{
    if (!z)
        return;
    free(z->at);
    free(z->off);
    free(z);
}

static int name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > FS_TZ_MAX_NAME || name[0] == '/' || strstr(name, ".."))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '_' || c == '-' || c == '+' || c == '.'))
            return 0;
    }
    return 1;
}

int fs_tz_open(const char *name, fs_tz **out, trawl_err *err)
{
    fs_tz *z = calloc(1, sizeof *z);
    if (!z)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    if (!name || !strcmp(name, "UTC") || !strcmp(name, "UTC0")) {
        *out = z;
        return 0;
    }
    if (!name_ok(name)) {
        fs_tz_free(z);
        return trawl_fail(err, TRAWL_EUSAGE,
                          "time zone '%.64s': give a zone name such as Europe/Berlin", name);
    }
    char path[FS_TZ_MAX_NAME + 32];
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        fs_tz_free(z);
        return trawl_fail(err, TRAWL_EUSAGE, "unknown time zone '%s' (%s: %s)", name, path,
                          strerror(e));
    }
    uint8_t *buf = malloc(FS_TZ_MAX_FILE);
    size_t len = buf ? fread(buf, 1, FS_TZ_MAX_FILE, f) : 0;
    int rc = 0;
    if (!buf)
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    else if (ferror(f))
        rc = trawl_fail(err, TRAWL_EIO, "%s: read error", path);
    else if (len == FS_TZ_MAX_FILE)
        rc = trawl_fail(err, TRAWL_ELIMIT, "%s: larger than %u bytes", path,
                        (unsigned)FS_TZ_MAX_FILE);
    fclose(f);
    size_t used = 0;
    if (!rc)
        rc = parse_block(buf, len, 4, z, &used, name, err);
    /* Version 2 and later repeat everything with 64-bit times: use those. */
    if (!rc && buf[4] >= '2')
        rc = parse_block(buf + used, len - used, 8, z, &used, name, err);
    free(buf);
    if (rc) {
        fs_tz_free(z);
        return rc;
    }
    *out = z;
    return 0;
}

int32_t fs_tz_offset(const fs_tz *z, int64_t t)
{
    if (z->n == 0 || t < z->at[0])
        return z->off0;
    size_t lo = 0, hi = z->n; /* last transition <= t is in [lo, hi) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->at[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return z->off[lo];
}

int64_t fs_tz_to_utc(const fs_tz *z, int64_t local)
{
    /* Guess with the offset at local read as UTC, then correct once: exact
     * wherever the wall-clock time occurs once. */
    int64_t u = local - fs_tz_offset(z, local);
    return local - fs_tz_offset(z, u);
}
