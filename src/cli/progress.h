/* progress.h: the progress line on stderr (bytes done, MB/s, ETA, and for
 * a scan the identifiers found so far), shown only when stderr is a
 * terminal. */
#ifndef TRAWL_CLI_PROGRESS_H
#define TRAWL_CLI_PROGRESS_H

#include <stdint.h>

typedef struct cli_progress {
    int enabled;
    const char *label; /* device name */
    double start;      /* monotonic seconds */
    double last;       /* last redraw */
    uint64_t base;     /* bytes done before this image (multi-image devices) */
    uint64_t total;    /* bytes in the whole device */
    int counting;      /* 1: show identifiers */
    uint64_t identifiers;
} cli_progress;

/* Start a progress line for label over total bytes. */
void cli_progress_start(cli_progress *p, int enabled, const char *label, uint64_t total);

/* ev_progress_fn-compatible update: done counts from the current image. */
void cli_progress_update(void *ctx, uint64_t done, uint64_t total);

/* Redraw (at most twice a second) with done bytes of the whole device and
 * the identifiers found so far (shown from now on). */
void cli_progress_show(cli_progress *p, uint64_t done, uint64_t identifiers);

/* Redraw (at most twice a second) while a file-system walk runs, which
 * has no total to give an ETA: the files listed so far and the time. */
void cli_progress_files(cli_progress *p, uint64_t files);

/* Clear the line; returns elapsed seconds. */
double cli_progress_end(cli_progress *p);

/* Monotonic seconds. */
double cli_now(void);

#endif
