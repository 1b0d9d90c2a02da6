/* run.c: scanning one device on worker threads (scan_run_*), and one buffer
 * on the calling thread (scan_buffer).
 *
 * The fed stream is cut into pages of page_size bytes; page k's buffer holds
 * media [k*page - margin, (k+1)*page + margin) so that extractors and
 * decoders see past both edges, but only hits that start inside
 * [k*page, (k+1)*page) are kept: a hit across a boundary is found once,
 * whole.  Pages are scanned by the workers in any order and delivered to the
 * sink strictly in page order on the feeding thread; at most
 * min(threads + 2, SCAN_MAX_INFLIGHT) pages are held at once, so memory does
 * not grow with the image.  Nothing a hit looks like depends on the thread
 * count: -j 1 and -j 8 give byte-identical output. */
#include "scan/scan_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/limits.h"

enum { JOB_PENDING, JOB_TAKEN, JOB_DONE };

typedef struct page_job {
    uint8_t *buf;
    size_t len, cap;
    uint64_t start; /* media offset of buf[0] */
    size_t lo, hi;  /* the page's own bytes in buf */
    hit_list hits;
    int state, rc;
    trawl_err err;
    struct page_job *next_free;
} page_job;

struct scan_run {
    scan_engine *eng;
    scan_read_fn read;
    void *read_ctx;
    uint64_t base;
    scan_sink_fn sink;
    void *sink_ctx;
    size_t page, margin;

    int nthreads;
    pthread_t *threads;
    scan_worker **workers;
    scan_gate *gate;
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_done;
    int shutdown;

    page_job **ring; /* jobs in page order */
    size_t max_inflight, head, count;
    page_job *free_jobs;

    page_job *cur;      /* the page being filled */
    uint64_t cur_index; /* its page number */
    uint64_t next_off;  /* next media offset expected by feed */
    int failed;         /* a page or the sink failed: the run is over */
    trawl_err fail_err;
};

typedef struct worker_arg {
    scan_run *run;
    scan_worker *w;
} worker_arg;

static void job_free(page_job *j)
{
    if (!j)
        return;
    free(j->buf);
    hit_list_free(&j->hits);
    free(j);
}

static page_job *job_get(scan_run *run)
{
    page_job *j = run->free_jobs;
    if (j) {
        run->free_jobs = j->next_free;
    } else {
        j = calloc(1, sizeof *j);
        if (!j)
            return NULL;
        j->cap = run->page + 2 * run->margin;
        j->buf = malloc(j->cap);
        if (!j->buf) {
            free(j);
            return NULL;
        }
    }
    j->len = 0;
    j->state = JOB_PENDING;
    j->rc = 0;
    hit_list_reset(&j->hits);
    return j;
}

static void job_put(scan_run *run, page_job *j)
{
    j->next_free = run->free_jobs;
    run->free_jobs = j;
}

static void scan_job(scan_run *run, scan_worker *w, page_job *j)
{
    trawl_err_clear(&j->err);
    j->rc = scan_worker_page(w, j->buf, j->len, j->lo, j->hi, run->base + j->start, run->read,
                             run->read_ctx, j->start + j->len, &j->hits, &j->err);
}

static void *worker_main(void *arg)
{
    worker_arg *a = arg;
    scan_run *run = a->run;
    pthread_mutex_lock(&run->mu);
    for (;;) {
        /* Shut down only happens once every page was delivered (finish) or
         * when the run is abandoned (abort, an error): then pending pages
         * are not worth scanning. */
        if (run->shutdown)
            break;
        page_job *j = NULL;
        for (size_t i = 0; i < run->count; i++) {
            page_job *c = run->ring[(run->head + i) % run->max_inflight];
            if (c->state == JOB_PENDING) {
                j = c;
                break;
            }
        }
        if (!j) {
            pthread_cond_wait(&run->cv_work, &run->mu);
            continue;
        }
        j->state = JOB_TAKEN;
        pthread_mutex_unlock(&run->mu);
        scan_job(run, a->w, j);
        pthread_mutex_lock(&run->mu);
        j->state = JOB_DONE;
        pthread_cond_broadcast(&run->cv_done);
    }
    pthread_mutex_unlock(&run->mu);
    free(a);
    return NULL;
}

/* Deliver the oldest page if it is done (or, with wait, once it is). */
static int deliver_head(scan_run *run, int wait, trawl_err *err)
{
    pthread_mutex_lock(&run->mu);
    if (run->count == 0) {
        pthread_mutex_unlock(&run->mu);
        return 0;
    }
    page_job *j = run->ring[run->head];
    while (wait && j->state != JOB_DONE)
        pthread_cond_wait(&run->cv_done, &run->mu);
    if (j->state != JOB_DONE) {
        pthread_mutex_unlock(&run->mu);
        return 0;
    }
    run->head = (run->head + 1) % run->max_inflight;
    run->count--;
    pthread_mutex_unlock(&run->mu);
    int rc = 0;
    if (!run->failed) {
        if (j->rc) {
            run->failed = 1;
            run->fail_err = j->err;
            rc = j->rc;
        } else if ((rc = hit_list_deliver(&j->hits, run->sink, run->sink_ctx, &run->fail_err)) !=
                   0) {
            run->failed = 1;
        }
    }
    job_put(run, j);
    if (rc && err)
        *err = run->fail_err;
    return rc;
}

static int submit(scan_run *run, page_job *j, trawl_err *err)
{
    while (run->count >= run->max_inflight) {
        int rc = deliver_head(run, 1, err);
        if (rc) {
            job_free(j); /* not in the ring yet: nobody else frees it */
            return rc;
        }
    }
    pthread_mutex_lock(&run->mu);
    run->ring[(run->head + run->count) % run->max_inflight] = j;
    run->count++;
    pthread_cond_signal(&run->cv_work);
    pthread_mutex_unlock(&run->mu);
    /* Hand over whatever is already done, so the sink keeps pace. */
    int rc;
    do {
        size_t before = run->count;
        rc = deliver_head(run, 0, err);
        if (rc || run->count == before)
            break;
    } while (run->count);
    return rc;
}

static void stop_workers(scan_run *run)
{
    pthread_mutex_lock(&run->mu);
    run->shutdown = 1;
    pthread_cond_broadcast(&run->cv_work);
    pthread_mutex_unlock(&run->mu);
    for (int i = 0; i < run->nthreads; i++)
        pthread_join(run->threads[i], NULL);
    run->nthreads = 0;
}

static void run_free(scan_run *run)
{
    if (!run)
        return;
    stop_workers(run);
    if (run->workers)
        for (int i = 0; i < run->eng->threads; i++)
            scan_worker_free(run->workers[i]);
    free(run->workers);
    free(run->threads);
    scan_gate_free(run->gate);
    for (size_t i = 0; i < run->count; i++)
        job_free(run->ring[(run->head + i) % run->max_inflight]);
    free(run->ring);
    while (run->free_jobs) {
        page_job *j = run->free_jobs;
        run->free_jobs = j->next_free;
        job_free(j);
    }
    job_free(run->cur);
    pthread_mutex_destroy(&run->mu);
    pthread_cond_destroy(&run->cv_work);
    pthread_cond_destroy(&run->cv_done);
    free(run);
}

int scan_run_start_ex(scan_engine *eng, scan_read_fn read, void *read_ctx, uint64_t base,
                      size_t page_size, size_t margin, scan_sink_fn sink, void *sink_ctx,
                      scan_run **out, trawl_err *err)
{
    if (page_size == 0 || margin < SCAN_LOOKAROUND)
        return trawl_fail(err, TRAWL_EUSAGE, "scan: page %zu / margin %zu not usable", page_size,
                          margin);
    scan_run *run = calloc(1, sizeof *run);
    if (!run)
        return trawl_fail(err, TRAWL_ENOMEM, "scan: out of memory");
    run->eng = eng;
    run->read = read;
    run->read_ctx = read_ctx;
    run->base = base;
    run->sink = sink;
    run->sink_ctx = sink_ctx;
    run->page = page_size;
    run->margin = margin;
    pthread_mutex_init(&run->mu, NULL);
    pthread_cond_init(&run->cv_work, NULL);
    pthread_cond_init(&run->cv_done, NULL);
    int n = eng->threads;
    run->max_inflight = (size_t)n + 2;
    if (run->max_inflight > SCAN_MAX_INFLIGHT)
        run->max_inflight = SCAN_MAX_INFLIGHT;
    run->ring = calloc(run->max_inflight, sizeof *run->ring);
    run->threads = calloc((size_t)n, sizeof *run->threads);
    run->workers = calloc((size_t)n, sizeof *run->workers);
    if (!run->ring || !run->threads || !run->workers) {
        run_free(run);
        return trawl_fail(err, TRAWL_ENOMEM, "scan: out of memory");
    }
    if (scan_gate_new(&run->gate)) {
        run_free(run);
        return trawl_fail(err, TRAWL_ENOMEM, "scan: out of memory");
    }
    for (int i = 0; i < n; i++) {
        int rc = scan_worker_new(eng, &run->workers[i], err);
        if (rc) {
            run_free(run);
            return rc;
        }
        scan_worker_set_gate(run->workers[i], run->gate);
    }
    for (int i = 0; i < n; i++) {
        worker_arg *a = malloc(sizeof *a);
        if (a) {
            a->run = run;
            a->w = run->workers[i];
        }
        if (!a || pthread_create(&run->threads[i], NULL, worker_main, a) != 0) {
            free(a);
            run_free(run);
            return trawl_fail(err, TRAWL_ENOMEM, "scan: cannot start worker thread %d", i);
        }
        run->nthreads = i + 1;
    }
    *out = run;
    return 0;
}

/* Media offset where page k's buffer starts. */
static uint64_t page_buf_start(const scan_run *run, uint64_t k)
{
    uint64_t s = k * run->page;
    return s > run->margin ? s - run->margin : 0;
}

int scan_run_feed(scan_run *run, uint64_t offset, const uint8_t *data, size_t len, trawl_err *err)
{
    if (run->failed) {
        if (err)
            *err = run->fail_err;
        return run->fail_err.code ? run->fail_err.code : TRAWL_EUSAGE;
    }
    if (offset != run->next_off)
        return trawl_fail(err, TRAWL_EUSAGE, "scan: fed offset %llu, expected %llu",
                          (unsigned long long)offset, (unsigned long long)run->next_off);
    while (len > 0) {
        page_job *j = run->cur;
        if (!j) {
            if (!(j = job_get(run)))
                return trawl_fail(err, TRAWL_ENOMEM, "scan: out of memory");
            j->start = page_buf_start(run, run->cur_index);
            run->cur = j;
        }
        uint64_t k = run->cur_index;
        uint64_t end = (k + 1) * run->page + run->margin;
        uint64_t have = j->start + j->len;
        size_t take = end - have < len ? (size_t)(end - have) : len;
        memcpy(j->buf + j->len, data, take);
        j->len += take;
        data += take;
        len -= take;
        run->next_off += take;
        if (j->start + j->len < end)
            continue;
        /* Page k is whole: start page k + 1 with the bytes they share. */
        page_job *nj = job_get(run);
        if (!nj)
            return trawl_fail(err, TRAWL_ENOMEM, "scan: out of memory");
        nj->start = page_buf_start(run, k + 1);
        nj->len = (size_t)(end - nj->start);
        memcpy(nj->buf, j->buf + (nj->start - j->start), nj->len);
        j->lo = (size_t)(k * run->page - j->start);
        j->hi = (size_t)((k + 1) * run->page - j->start);
        run->cur = nj;
        run->cur_index = k + 1;
        int rc = submit(run, j, err);
        if (rc)
            return rc;
    }
    return 0;
}

int scan_run_finish(scan_run *run, trawl_err *err)
{
    if (!run)
        return 0;
    int rc = 0;
    if (run->failed) {
        if (err)
            *err = run->fail_err;
        rc = run->fail_err.code ? run->fail_err.code : TRAWL_EUSAGE;
    }
    page_job *j = run->cur;
    uint64_t own = run->cur_index * run->page;
    if (!rc && j && j->start + j->len > own) {
        j->lo = (size_t)(own - j->start);
        j->hi = j->len;
        run->cur = NULL;
        rc = submit(run, j, err);
    }
    while (!rc && run->count)
        rc = deliver_head(run, 1, err);
    run_free(run);
    return rc;
}

void scan_run_abort(scan_run *run)
{
    run_free(run);
}

int scan_buffer(scan_engine *eng, const uint8_t *data, size_t len, scan_sink_fn sink,
                void *sink_ctx, trawl_err *err)
{
    scan_worker *w = NULL;
    pthread_mutex_lock(&eng->pool_mu);
    if (eng->npool)
        w = eng->pool[--eng->npool];
    pthread_mutex_unlock(&eng->pool_mu);
    int rc = w ? 0 : scan_worker_new(eng, &w, err);
    if (rc)
        return rc;
    hit_list hits = {0};
    rc = scan_worker_page(w, data, len, 0, len, 0, NULL, NULL, 0, &hits, err);
    if (!rc)
        rc = hit_list_deliver(&hits, sink, sink_ctx, err);
    hit_list_free(&hits);
    pthread_mutex_lock(&eng->pool_mu);
    if (eng->npool < SCAN_MAX_THREADS) {
        eng->pool[eng->npool++] = w;
        w = NULL;
    }
    pthread_mutex_unlock(&eng->pool_mu);
    scan_worker_free(w);
    return rc;
}
