/* ingest_child.c: the file-system stage in a child process (issue 11, item
 * 2).  libtsk, libmagic and libyara parse hostile evidence; a crash, a hang
 * or a runaway allocation in them must not take the scan down.  So fs_walk
 * runs in a forked child with a memory limit (RLIMIT_AS) and a wall-clock
 * limit the parent enforces (SIGKILL on expiry).  The child serializes the
 * sink callbacks and the maps into a pipe; the parent spools the stream to
 * an unlinked file, and only once the child has exited 0 does it check the
 * whole stream (a first pass: framing, bounds, key references, map order)
 * and replay it into the real sink (a second pass).  A child that fails
 * leaves nothing behind: its results are dropped as a whole, so the case
 * does not depend on where it died.  The stream's format and its checks are
 * src/fs/fs_wire.c's. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fs/fs_wire.h"
#include "ingest/ingest_int.h"
#include "util/child.h"
#include "util/limits.h"

enum {
    CHILD_OK = 0,
    CHILD_WALK_ERROR = 2,
    CHILD_PIPE = 3,
    CHILD_NOMEM = 4,
    CHILD_LIMIT_MISSED = 5,
    CHILD_REOPEN = 6
};

static _Noreturn void child_main(int fd, pid_t parent, const ingest_options *opt,
                                 const fs_options *fo, ev_image **imgs, size_t nimgs, unsigned mib)
{
    /* Die with the parent (a killed scan must not leave a walk behind). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(CHILD_PIPE);
    child_limit_memory(mib);
    if (opt->fs_fault == INGEST_FS_FAULT_CRASH) {
        signal(SIGSEGV, SIG_DFL);
        raise(SIGSEGV);
    }
    while (opt->fs_fault == INGEST_FS_FAULT_HANG)
        pause();

    fs_wire *w = fs_wire_new(fd);
    if (!w)
        _exit(CHILD_NOMEM);
    if (opt->fs_fault == INGEST_FS_FAULT_MEMORY) {
        /* 16 MiB blocks, touched, until the limit refuses one; a limit
         * that did not hold is an exit the tests tell apart. */
        for (unsigned i = 0; i < mib / 8 + 4; i++) {
            char *p = malloc(16u << 20);
            if (!p) {
                fs_wire_end(w, TRAWL_ENOMEM, "test hook: an allocation was refused");
                _exit(CHILD_WALK_ERROR);
            }
            memset(p, 1, 16u << 20);
        }
        _exit(CHILD_LIMIT_MISSED);
    }
    fs_sink sink = fs_wire_sink(w);
    trawl_err err = {0};
    uint64_t base = 0;
    int rc = 0;
    for (size_t i = 0; !rc && i < nimgs; i++) {
        /* The parent's images read through their own reader children
         * (ev_open_isolated); this child is as contained as they are, so it
         * opens the image again in process rather than send every small
         * read of libtsk's across. */
        ev_image *img = NULL;
        if (ev_open(opt->paths[i], &img, &err) != 0 || ev_size(img) != ev_size(imgs[i]))
            _exit(CHILD_REOPEN);
        fs_map *m = NULL;
        rc = fs_walk(img, base, opt->eng, fo, opt->rules, &sink, &m, &err);
        if (!rc)
            rc = fs_wire_map(w, (uint32_t)i, m, &err);
        fs_map_free(m);
        ev_close(img);
        base += ev_size(imgs[i]);
    }
    if (fs_wire_end(w, rc, err.msg))
        _exit(rc == TRAWL_ENOMEM ? CHILD_NOMEM : CHILD_PIPE);
    /* _exit: the parent's atexit handlers and stdio buffers are not ours. */
    _exit(rc ? CHILD_WALK_ERROR : CHILD_OK);
}

/* --- The parent --------------------------------------------------------- */

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *sig_name(int sig)
{
    static const struct {
        int sig;
        const char *name;
    } names[] = {{SIGSEGV, "SIGSEGV"}, {SIGBUS, "SIGBUS"}, {SIGABRT, "SIGABRT"},
                 {SIGILL, "SIGILL"},   {SIGFPE, "SIGFPE"}, {SIGKILL, "SIGKILL"},
                 {SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"}, {SIGXCPU, "SIGXCPU"},
                 {SIGXFSZ, "SIGXFSZ"}, {SIGSYS, "SIGSYS"}, {SIGTRAP, "SIGTRAP"},
                 {SIGPIPE, "SIGPIPE"}, {SIGHUP, "SIGHUP"}, {SIGQUIT, "SIGQUIT"}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (names[i].sig == sig)
            return names[i].name;
    return NULL;
}

static void kill_child(pid_t pid, int *status)
{
    kill(pid, SIGKILL);
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
        ;
}

/* Copy the child's pipe to f until it closes, the deadline, or too much.
 * Returns 0 (child exited: *status), 1 timed out, 2 stream too long (the
 * child killed in both cases), -1 on a failure of the parent (err; child
 * killed). */
/* Tell the caller how far the walk is: the files the child has sent so
 * far (the child flushes its stream every MiB). */
typedef struct fs_ticker {
    const ingest_options *opt;
    fs_wire_counter count;
    uint64_t bytes, shown; /* the device's bytes; files last reported */
    double start;
} fs_ticker;

static void tick(fs_ticker *t, const uint8_t *b, size_t n)
{
    fs_wire_count(&t->count, b, n);
    if (!t->opt->cb.progress || t->count.files == t->shown)
        return;
    t->shown = t->count.files;
    ingest_progress p = {.device = t->opt->name,
                         .phase = "fs",
                         .total = t->bytes,
                         .files = t->count.files,
                         .seconds = mono_now() - t->start};
    t->opt->cb.progress(t->opt->cb.ctx, &p);
}

static int collect(pid_t pid, int fd, FILE *f, double deadline, fs_ticker *t, int *status,
                   trawl_err *err)
{
    uint8_t buf[1 << 16];
    uint64_t total = 0;
    int open_fd = 1;
    for (;;) {
        double left = deadline - mono_now();
        if (left <= 0) {
            kill_child(pid, status);
            return 1;
        }
        int ms = left > 0.1 ? 100 : (int)(left * 1000) + 1;
        if (open_fd) {
            struct pollfd pf = {fd, POLLIN, 0};
            int r = poll(&pf, 1, ms);
            if (r < 0 && errno != EINTR) {
                kill_child(pid, status);
                return trawl_fail(err, TRAWL_EIO, "file-system stage: poll: %s", strerror(errno)),
                       -1;
            }
            if (r > 0) {
                ssize_t n = read(fd, buf, sizeof buf);
                if (n < 0 && errno == EINTR)
                    continue;
                if (n <= 0) {
                    open_fd = 0;
                } else {
                    total += (uint64_t)n;
                    if (total > FS_CHILD_MAX_STREAM) {
                        kill_child(pid, status);
                        return 2;
                    }
                    tick(t, buf, (size_t)n);
                    if (fwrite(buf, 1, (size_t)n, f) != (size_t)n) {
                        kill_child(pid, status);
                        return trawl_fail(err, TRAWL_EIO, "file-system stream: write: %s",
                                          strerror(errno)),
                               -1;
                    }
                }
            }
        } else {
            pid_t w = waitpid(pid, status, WNOHANG);
            if (w == pid)
                return 0;
            if (w < 0 && errno != EINTR) {
                kill_child(pid, status);
                return trawl_fail(err, TRAWL_EIO, "file-system stage: wait: %s", strerror(errno)),
                       -1;
            }
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
}

unsigned ingest_fs_timeout(const ingest_options *opt, uint64_t bytes)
{
    if (opt->fs_timeout)
        return opt->fs_timeout;
    uint64_t t =
        FS_CHILD_TIMEOUT_BASE + FS_CHILD_TIMEOUT_PER_GIB * ((bytes + (1u << 30) - 1) >> 30);
    return t > FS_CHILD_MAX_TIMEOUT ? FS_CHILD_MAX_TIMEOUT : (unsigned)t;
}

int ingest_fs_child(const ingest_options *opt, const fs_options *fo, ev_image **imgs, size_t nimgs,
                    const char *dir, const fs_sink *sink, fs_map **maps, char *failure,
                    size_t fsize, trawl_err *err)
{
    failure[0] = 0;
    uint64_t bytes = 0;
    for (size_t i = 0; i < nimgs; i++)
        bytes += ev_size(imgs[i]);
    unsigned timeout = ingest_fs_timeout(opt, bytes);
    unsigned mib = opt->fs_memory_mib ? opt->fs_memory_mib : FS_CHILD_MEMORY_MIB;

    /* The spool: a file in the device's folder aside, unlinked at once. */
    char path[4200];
    if (snprintf(path, sizeof path, "%s/.fs-stream", dir) >= (int)sizeof path)
        return trawl_fail(err, TRAWL_EUSAGE, "%s: path too long", dir);
    int sfd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (sfd < 0)
        return trawl_fail(err, TRAWL_EIO, "%s: %s", path, strerror(errno));
    unlink(path);
    FILE *f = fdopen(sfd, "w+b");
    if (!f) {
        close(sfd);
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0) {
        fclose(f);
        return trawl_fail(err, TRAWL_EIO, "file-system stage: pipe: %s", strerror(errno));
    }
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(pfd[0]);
        close(pfd[1]);
        fclose(f);
        return trawl_fail(err, TRAWL_EIO, "file-system stage: fork: %s", strerror(errno));
    }
    if (pid == 0) {
        close(pfd[0]);
        child_main(pfd[1], parent, opt, fo, imgs, nimgs, mib);
    }
    close(pfd[1]);
    int status = 0;
    fs_ticker t = {.opt = opt, .bytes = bytes, .start = mono_now()};
    int c = collect(pid, pfd[0], f, t.start + timeout, &t, &status, err);
    close(pfd[0]);
    if (c < 0 || fflush(f) != 0) {
        fclose(f);
        return c < 0 ? err->code : trawl_fail(err, TRAWL_EIO, "file-system stream: write failed");
    }

    fs_wire_result res;
    int rc = 0;
    if (c == 1) {
        snprintf(failure, fsize, "timed out after %u s", timeout);
    } else if (c == 2) {
        snprintf(failure, fsize, "sent more than %llu bytes",
                 (unsigned long long)FS_CHILD_MAX_STREAM);
    } else if (WIFSIGNALED(status)) {
        const char *n = sig_name(WTERMSIG(status));
        if (n)
            snprintf(failure, fsize, "killed by %s", n);
        else
            snprintf(failure, fsize, "killed by signal %d", WTERMSIG(status));
    } else if (!WIFEXITED(status) ||
               (WEXITSTATUS(status) != CHILD_OK && WEXITSTATUS(status) != CHILD_WALK_ERROR)) {
        if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_NOMEM)
            snprintf(failure, fsize, "memory limit (%u MiB) reached", mib);
        else if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_REOPEN)
            snprintf(failure, fsize, "could not open the image again");
        else
            snprintf(failure, fsize, "exited with status %d",
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    } else if ((rc = fs_wire_read(f, nimgs, NULL, NULL, &res, err)) > 0) {
        /* the parent failed: err is set */
    } else if (rc == FS_WIRE_BAD || !res.done) {
        snprintf(failure, fsize, "sent a malformed stream: %s",
                 rc == FS_WIRE_BAD ? res.why : "no end (cut short)");
        rc = 0;
    } else if (res.walk_code == TRAWL_ENOMEM) {
        snprintf(failure, fsize, "memory limit (%u MiB) reached: %s", mib, res.walk_msg);
    } else if (res.walk_code) {
        /* fs_walk itself failed, as it would have in process (an unknown
         * --tz): the device fails as before. */
        rc = trawl_fail(err, res.walk_code, "%s", res.walk_msg);
    } else if (WEXITSTATUS(status) != CHILD_OK) {
        snprintf(failure, fsize, "exited with status %d", WEXITSTATUS(status));
    } else {
        /* Sound: replay it into the sink. */
        rc = fs_wire_read(f, nimgs, sink, maps, &res, err);
        if (rc == FS_WIRE_BAD) /* cannot be: the same bytes passed the check */
            rc = trawl_fail(err, TRAWL_EFORMAT, "file-system stream: %s", res.why);
    }
    fclose(f);
    return rc;
}
