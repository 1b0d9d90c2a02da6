/* progress.c: see progress.h. */
#include "cli/progress.h"

#include <stdio.h>
#include <time.h>

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_start(cli_progress *p, int enabled, const char *label, uint64_t total)
{
    p->enabled = enabled;
    p->label = label;
    p->start = p->last = cli_now();
    p->base = 0;
    p->total = total;
    p->counting = 0;
    p->identifiers = 0;
}

/* Whether a redraw is due (at most twice a second); *now gets the time. */
static int due(cli_progress *p, double *now)
{
    if (!p->enabled)
        return 0;
    *now = cli_now();
    if (*now - p->last < 0.5)
        return 0;
    p->last = *now;
    return 1;
}

static void draw(cli_progress *p, uint64_t done)
{
    double now;
    if (!due(p, &now))
        return;
    double el = now - p->start;
    double bytes = (double)(p->base + done);
    double rate = el > 0 ? bytes / el : 0;
    double left = rate > 0 ? ((double)p->total - bytes) / rate : 0;
    if (left < 0)
        left = 0;
    char ids[48] = "";
    if (p->counting)
        snprintf(ids, sizeof ids, "  %llu identifiers", (unsigned long long)p->identifiers);
    fprintf(stderr, "\r%s: %.0f/%.0f MB  %.1f MB/s  ETA %d:%02d%s   ", p->label, bytes / 1e6,
            (double)p->total / 1e6, rate / 1e6, (int)(left / 60), (int)left % 60, ids);
    fflush(stderr);
}

void cli_progress_update(void *ctx, uint64_t done, uint64_t total)
{
    (void)total;
    draw(ctx, done);
}

void cli_progress_show(cli_progress *p, uint64_t done, uint64_t identifiers)
{
    p->counting = 1;
    p->identifiers = identifiers;
    p->base = 0;
    draw(p, done);
}

void cli_progress_files(cli_progress *p, uint64_t files)
{
    double now;
    if (!due(p, &now))
        return;
    int el = (int)(now - p->start);
    fprintf(stderr, "\r%s: file systems: %llu files listed  %d:%02d   ", p->label,
            (unsigned long long)files, el / 60, el % 60);
    fflush(stderr);
}

double cli_progress_end(cli_progress *p)
{
    if (p->enabled) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
    }
    return cli_now() - p->start;
}
