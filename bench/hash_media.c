/* hash_media.c: the driver behind bench/hash.  Opens one image with ev_open
 * (with --isolated, ev_open_isolated: read by a child process), runs
 * ev_hash_media over it once (no consumer) and prints the three digests,
 * the format, the media size, the seconds and the MB/s.  Timing lives here,
 * never in tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evidence/ev.h"
#include "evidence/ev_hash.h"

int main(int argc, char **argv)
{
    int isolated = argc == 3 && strcmp(argv[1], "--isolated") == 0;
    if (argc != 2 + isolated) {
        fprintf(stderr, "usage: hash_media [--isolated] IMAGE\n");
        return 2;
    }
    trawl_err err = {0, ""};
    ev_image *img;
    const char *path = argv[1 + isolated];
    if (isolated ? ev_open_isolated(path, NULL, &img, &err) : ev_open(path, &img, &err)) {
        fprintf(stderr, "hash_media: %s\n", err.msg);
        return 1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ev_digests d;
    ev_range *bad = NULL;
    size_t nbad = 0;
    int rc = ev_hash_media(img, NULL, NULL, NULL, NULL, &d, &bad, &nbad, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc) {
        fprintf(stderr, "hash_media: %s\n", err.msg);
        ev_close(img);
        return 1;
    }
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    uint64_t size = ev_size(img);
    printf("format %s\nmedia %llu\nmd5 %s\nsha1 %s\nsha256 %s\nunreadable_ranges %zu\n",
           ev_describe(img)->format, (unsigned long long)size, d.md5, d.sha1, d.sha256, nbad);
    for (size_t i = 0; i < nbad && i < 10; i++)
        printf("unreadable %llu+%llu\n", (unsigned long long)bad[i].start,
               (unsigned long long)bad[i].length);
    printf("seconds %.3f\nMB/s %.0f\n", s, s > 0 ? (double)size / 1e6 / s : 0.0);
    free(bad);
    ev_close(img);
    return 0;
}
