/* scan_driver.c: the driver behind bench/scan.  Opens one image, feeds it
 * through a scan run (scan_run_start + scan_run_feed in 4 MiB reads, as the
 * CLI does) and prints bytes, seconds, MB/s, hits per type and peak RSS.
 * With --out FILE it also writes every hit (path, type, feature, flags) so
 * that runs with different -j can be compared byte for byte; --context adds
 * the hit's context (non-printable bytes as \xNN) as a fifth column, and
 * --country CC sets the country for national phone numbers.
 *
 *   scan_driver IMAGE [-j N] [--max-depth D] [--country CC] [--out FILE [--context]]
 *
 * Built by bench/scan with one cc command against the build tree's static
 * libraries.  Timing lives here, never in tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "evidence/ev.h"
#include "scan/scan.h"

typedef struct counts {
    const char *type[64];
    unsigned long long n[64];
    size_t ntypes;
    unsigned long long total;
    FILE *out;
    int context;
} counts;

static int sink(void *ctx, const scan_hit *h, trawl_err *err)
{
    (void)err;
    counts *c = ctx;
    size_t i = 0;
    while (i < c->ntypes && strcmp(c->type[i], h->type))
        i++;
    if (i == c->ntypes && c->ntypes < 64)
        c->type[c->ntypes++] = h->type;
    if (i < 64)
        c->n[i]++;
    c->total++;
    if (!c->out)
        return 0;
    fprintf(c->out, "%s\t%s\t%.*s\t%u", h->path, h->type, (int)h->feature_len, h->feature,
            h->flags);
    if (c->context) {
        fputc('\t', c->out);
        for (size_t k = 0; k < h->context_len; k++) {
            int b = h->context[k];
            if (b >= 0x20 && b < 0x7f && b != '\\')
                fputc(b, c->out);
            else
                fprintf(c->out, "\\x%02x", (unsigned)b);
        }
    }
    fputc('\n', c->out);
    return 0;
}

int main(int argc, char **argv)
{
    scan_options o;
    scan_options_default(&o);
    const char *path = NULL, *outp = NULL;
    int context = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-j") && i + 1 < argc)
            o.threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--max-depth") && i + 1 < argc)
            o.max_depth = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            outp = argv[++i];
        else if (!strcmp(argv[i], "--country") && i + 1 < argc)
            o.country = argv[++i];
        else if (!strcmp(argv[i], "--context"))
            context = 1;
        else
            path = argv[i];
    }
    if (!path) {
        fprintf(stderr,
                "usage: scan_driver IMAGE [-j N] [--max-depth D] [--country CC] [--out FILE "
                "[--context]]\n");
        return 2;
    }
    trawl_err err = {0, ""};
    ev_image *img;
    scan_engine *eng;
    if (ev_open(path, &img, &err) || scan_engine_new(&o, &eng, &err)) {
        fprintf(stderr, "scan_driver: %s\n", err.msg);
        return 1;
    }
    counts c = {0};
    c.context = context;
    if (outp && !(c.out = fopen(outp, "w"))) {
        perror(outp);
        return 1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    scan_run *run;
    if (scan_run_start(eng, img, 0, sink, &c, &run, &err)) {
        fprintf(stderr, "scan_driver: %s\n", err.msg);
        return 1;
    }
    size_t cap = 4u << 20;
    uint8_t *buf = malloc(cap);
    uint64_t off = 0, size = ev_size(img);
    int rc = 0;
    while (off < size && !rc) {
        size_t got = 0;
        size_t want = size - off < cap ? (size_t)(size - off) : cap;
        if ((rc = ev_read(img, off, buf, want, &got, &err)) || got == 0)
            break;
        rc = scan_run_feed(run, off, buf, got, &err);
        off += got;
    }
    if (rc)
        scan_run_abort(run);
    else
        rc = scan_run_finish(run, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc) {
        fprintf(stderr, "scan_driver: %s\n", err.msg);
        return 1;
    }
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    /* CPU seconds too: on a shared machine the wall clock says little. */
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    printf("bytes %llu\nseconds %.3f\nMB/s %.1f\ncpu_seconds %.3f\nMB/cpu-s %.1f\nhits "
           "%llu\npeak_rss_mib %.1f\n",
           (unsigned long long)off, s, (double)off / 1e6 / s, cpu, (double)off / 1e6 / cpu, c.total,
           ru.ru_maxrss / 1024.0);
    for (size_t i = 0; i < c.ntypes; i++)
        printf("  %-10s %llu\n", c.type[i], c.n[i]);
    if (c.out)
        fclose(c.out);
    free(buf);
    scan_engine_free(eng);
    ev_close(img);
    return 0;
}
