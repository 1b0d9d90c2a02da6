/* ev_io.c: small helpers the evidence backends share: opening a file or
 * block device read-only with messages that name it, pread that retries and
 * names the failed range, and libyal error backtraces as one line. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evidence/ev_backend.h"

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
    /* O_NONBLOCK so that a FIFO given as an image is refused below instead
     * of blocking the open until a writer comes; cleared again after. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
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
    int flags = fcntl(fd, F_GETFL);
    if (flags != -1)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
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
