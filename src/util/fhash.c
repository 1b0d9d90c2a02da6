/* fhash.c: see fhash.h. */
#include "util/fhash.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/digest.h"
#include "util/strbuf.h"

int fhash_file(const char *path, char out[65], trawl_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return trawl_fail(err, TRAWL_EIO, "%s: %s", path, strerror(errno));
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char *buf = malloc(1 << 16);
    int rc = 0;
    if (!ctx || !buf || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
        rc = trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", path);
    for (;;) {
        if (rc)
            break;
        ssize_t n = read(fd, buf, 1 << 16);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = trawl_fail(err, TRAWL_EIO, "%s: read: %s", path, strerror(errno));
        if (n <= 0)
            break;
        EVP_DigestUpdate(ctx, buf, (size_t)n);
    }
    if (!rc) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        EVP_DigestFinal_ex(ctx, md, &len);
        digest_hex(md, len, out);
    }
    EVP_MD_CTX_free(ctx);
    free(buf);
    close(fd);
    return rc;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const fhash_entry *)a)->path, ((const fhash_entry *)b)->path);
}

void fhash_list_free(fhash_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].path);
    free(v);
}

int fhash_dir(const char *dir, const char *prefix, fhash_entry **out, size_t *nout, trawl_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return trawl_fail(err, TRAWL_EIO, "%s: %s", dir, strerror(errno));
    fhash_entry *v = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    strbuf full = STRBUF_INIT, rel = STRBUF_INIT;
    while (!rc && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        sb_reset(&full);
        sb_addf(&full, "%s/%s", dir, e->d_name);
        struct stat st;
        if (full.oom) {
            rc = trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", dir);
            break;
        }
        if (lstat(full.buf, &st) != 0) {
            rc = trawl_fail(err, TRAWL_EIO, "%s: %s", full.buf, strerror(errno));
            break;
        }
        if (!S_ISREG(st.st_mode))
            continue;
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 16;
            fhash_entry *nv = realloc(v, nc * sizeof *nv);
            if (!nv) {
                rc = trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", dir);
                break;
            }
            v = nv, cap = nc;
        }
        sb_reset(&rel);
        sb_addf(&rel, "%s/%s", prefix, e->d_name);
        char *p = rel.oom ? NULL : strdup(rel.buf);
        if (!p) {
            rc = trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", dir);
            break;
        }
        v[n].path = p;
        if ((rc = fhash_file(full.buf, v[n].sha256, err)) != 0) {
            free(p);
            break;
        }
        n++;
    }
    closedir(d);
    sb_free(&full);
    sb_free(&rel);
    if (rc) {
        fhash_list_free(v, n);
        return rc;
    }
    if (n)
        qsort(v, n, sizeof *v, by_path);
    *out = v;
    *nout = n;
    return 0;
}
