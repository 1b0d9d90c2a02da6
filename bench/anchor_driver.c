/* anchor_driver.c: the driver behind bench/anchors.  Compiles the anchor
 * patterns of every identifier type into one matcher, as the engine does
 * (without the container signatures), and times matcher_scan over an image
 * in 16 MiB buffers with a callback that only counts: the cost of finding
 * the anchors, without extracting anything.
 *
 *   anchor_driver IMAGE [--no-native] [--skip N,N...] [--list]
 *
 * --no-native gives SCAN_PAT_NATIVE patterns to the regex engine as well;
 * --skip leaves out patterns by their number (in registry order, as --list
 * prints them with their match counts). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#include "scan/matcher.h"
#include "scan/scan_type.h"

#define MAXPAT 256

static unsigned long long counts[MAXPAT];

static int count(void *ctx, unsigned id, size_t from, size_t to)
{
    (void)ctx, (void)from, (void)to;
    if (id < MAXPAT)
        counts[id]++;
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    int native = 1, list = 0;
    char skip[MAXPAT] = {0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--no-native"))
            native = 0;
        else if (!strcmp(argv[i], "--list"))
            list = 1;
        else if (!strcmp(argv[i], "--skip") && i + 1 < argc) {
            for (char *t = strtok(argv[++i], ","); t; t = strtok(NULL, ","))
                if (atoi(t) >= 0 && atoi(t) < MAXPAT)
                    skip[atoi(t)] = 1;
        } else {
            path = argv[i];
        }
    }
    int fd = path ? open(path, O_RDONLY) : -1;
    struct stat st;
    if (fd < 0 || fstat(fd, &st) || st.st_size == 0) {
        fprintf(stderr, "usage: anchor_driver IMAGE [--no-native] [--skip N,N...] [--list]\n");
        return 2;
    }
    const uint8_t *buf = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (buf == MAP_FAILED) {
        perror(path);
        return 1;
    }
    matcher_pat pats[MAXPAT];
    const scan_pattern *all[MAXPAT];
    const char *names[MAXPAT];
    size_t n = 0, m = 0;
    for (size_t t = 0; scan_type_registry[t]; t++)
        for (size_t p = 0; p < scan_type_registry[t]->npatterns && n < MAXPAT; p++, n++) {
            const scan_pattern *sp = &scan_type_registry[t]->patterns[p];
            all[n] = sp, names[n] = scan_type_registry[t]->name;
            if (skip[n])
                continue;
            unsigned fl = ((sp->flags & SCAN_PAT_CASELESS) ? MATCHER_CASELESS : 0) |
                          ((sp->flags & SCAN_PAT_DOTALL) ? MATCHER_DOTALL : 0) |
                          ((native && (sp->flags & SCAN_PAT_NATIVE)) ? MATCHER_NATIVE : 0);
            pats[m++] = (matcher_pat){sp->regex, fl, (unsigned)n};
        }
    matcher *mt;
    matcher_scratch *s;
    size_t bad;
    trawl_err err = {0, ""};
    if (matcher_new(pats, m, 0, &mt, &bad, &err) || matcher_scratch_new(mt, &s, &err)) {
        fprintf(stderr, "anchor_driver: %s\n", err.msg);
        return 1;
    }
    struct timespec a, b;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    for (size_t off = 0; off < (size_t)st.st_size; off += 16u << 20) {
        size_t l = (size_t)st.st_size - off;
        if (l > 16u << 20)
            l = 16u << 20;
        if (matcher_scan(mt, s, buf + off, l, count, NULL, &err)) {
            fprintf(stderr, "anchor_driver: %s\n", err.msg);
            return 1;
        }
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    double sec = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    printf("cpu_seconds %.3f\nMB/cpu-s %.1f\n", sec, (double)st.st_size / 1e6 / sec);
    for (size_t i = 0; list && i < n; i++)
        printf("  %2zu %-8s %12llu  %s%s\n", i, names[i], counts[i], all[i]->regex,
               skip[i] ? "  (left out)" : "");
    matcher_scratch_free(s);
    matcher_free(mt);
    return 0;
}
