/* ev_child.c: the image readers in a child process (issue 11, item 2).
 *
 * libewf and the other libyal libraries parse container structures the
 * suspect controls; a crash, a hang or a runaway allocation in them must not
 * take trawl down.  ev_open_isolated forks a child that opens the image with
 * the ordinary in-process backends and serves reads; the parent's ev_image is
 * a proxy backend (ev_backend_child) whose reads go to it.
 *
 * The bytes travel through shared memory (an anonymous MAP_SHARED mapping
 * made before the fork, so the child inherits it): EV_CHILD_SLOTS slots of
 * EV_IO_CHUNK bytes after a header page.  A socket carries the small
 * requests ("offset, length") and replies ("slot, skip" or an error), so a
 * read costs one copy out of the slot.  When the requests run in order (the
 * hashing pass) the child reads ahead into the free slots while the parent
 * scans, so the child's read overlaps the parent's work.  The child writes
 * the range it is reading into the mapping's header before each read, so
 * that when it dies the parent knows which bytes killed it.
 *
 * Limits: the child's address space is capped (RLIMIT_AS, as the
 * file-system stage's child), and a request (or the open) that takes longer
 * than the timeout gets the child killed.  When the child dies, the range it
 * was reading is recorded as a failure (with the reason), reads that touch it
 * fail with TRAWL_EIO from then on (ev_hash_media zero-fills and records
 * them), and the next read starts a fresh child; after EV_CHILD_MAX_FAILURES
 * failures the rest of the media is given up.  The parent never trusts the
 * child's replies: slot numbers and lengths are checked, and the info it
 * sends at open goes through the same ev_image_* helpers as any backend's.
 *
 * Reads are serialized by one mutex (ev_read may be called from several
 * threads).  A restart may fork from any thread that reads; the child only
 * opens the image and reads it, as the file-system stage's child does. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "evidence/ev_backend.h"
#include "util/child.h"
#include "util/limits.h"

#define SLOT ((size_t)EV_IO_CHUNK)
#define HEAD 4096u /* the mapping's header page */

enum { CHILD_OK = 0, CHILD_IO = 3, CHILD_NOMEM = 4, CHILD_LIMIT_MISSED = 5 };

/* Tags of the records the child sends after opening the image. */
enum {
    T_END = 'E',
    T_FAIL = '!',
    T_FORMAT = 'F',
    T_SIZE = 'Z',
    T_SEGMENT = 'S',
    T_META = 'M', /* key NUL value */
    T_HASH = 'H', /* alg NUL hex */
    T_ERROR = 'R' /* start, length (2 x 8 bytes) */
};

typedef struct req {
    uint64_t off;
    uint32_t len;
    uint32_t pad;
} req;

typedef struct rep {
    int32_t rc; /* 0, or a TRAWL_E* code with msglen bytes of message after */
    uint32_t slot, skip, msglen;
} rep;

/* The header page: the range the child is reading now (len 0: none). */
typedef struct shm_head {
    uint64_t cur_off, cur_len;
} shm_head;

typedef struct child_state {
    pthread_mutex_t mu;
    char *path;
    ev_limits lim;
    uint64_t media;
    uint8_t *shm;
    size_t shm_size;
    pid_t pid; /* 0: no child running */
    int fd;    /* the parent's end of the socket */
    ev_failure *fails;
    size_t nfails, fcap;
    int gave_up;
} child_state;

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- I/O on the socket -------------------------------------------------- */

/* Write all of buf; 0, or -1 when the other side is gone. */
static int put_all(int fd, const void *buf, size_t n)
{
    const uint8_t *p = buf;
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Read n bytes by the deadline (0: none).  0 done, 1 the other side closed
 * or failed, 2 timed out. */
static int get_all(int fd, void *buf, size_t n, double deadline)
{
    uint8_t *p = buf;
    while (n) {
        if (deadline > 0) {
            double left = deadline - mono_now();
            if (left <= 0)
                return 2;
            struct pollfd pf = {fd, POLLIN, 0};
            int r = poll(&pf, 1, left > 1 ? 1000 : (int)(left * 1000) + 1);
            if (r < 0 && errno != EINTR)
                return 1;
            if (r <= 0)
                continue;
        }
        ssize_t g = recv(fd, p, n, 0);
        if (g < 0 && errno == EINTR)
            continue;
        if (g <= 0)
            return 1;
        p += g;
        n -= (size_t)g;
    }
    return 0;
}

/* --- The child ---------------------------------------------------------- */

typedef struct slot_use {
    uint64_t off;
    size_t len;
    int valid;
    uint64_t used; /* tick of its last use */
} slot_use;

typedef struct child_run {
    const child_state *s;
    ev_image *img;
    int fd;
    shm_head *head;
    uint8_t *data;
    slot_use slots[EV_CHILD_SLOTS];
    uint64_t media; /* the image's own (the parent's copy was unknown at the fork) */
    uint64_t tick;
    int lent;          /* slot the parent is copying from, or -1 */
    uint64_t stream;   /* end of the last in-order request */
    uint64_t next;     /* next offset to read ahead */
    size_t stream_len; /* the in-order requests' length */
} child_run;

static int send_rec(int fd, int tag, const void *a, size_t alen, const void *b, size_t blen)
{
    uint8_t t = (uint8_t)tag;
    uint32_t len = (uint32_t)(alen + blen);
    if (put_all(fd, &t, 1) || put_all(fd, &len, 4) || (alen && put_all(fd, a, alen)) ||
        (blen && put_all(fd, b, blen)))
        return -1;
    return 0;
}

static int send_info(int fd, const ev_info *info)
{
    int rc = send_rec(fd, T_FORMAT, info->format, strlen(info->format), NULL, 0);
    rc |= send_rec(fd, T_SIZE, &info->media_size, 8, NULL, 0);
    for (size_t i = 0; !rc && i < info->nsegments; i++)
        rc = send_rec(fd, T_SEGMENT, info->segments[i], strlen(info->segments[i]), NULL, 0);
    for (size_t i = 0; !rc && i < info->nmeta; i++)
        rc = send_rec(fd, T_META, info->meta[i].key, strlen(info->meta[i].key) + 1,
                      info->meta[i].value, strlen(info->meta[i].value));
    const char *alg[3] = {"md5", "sha1", "sha256"};
    const char *hex[3] = {info->stored_md5, info->stored_sha1, info->stored_sha256};
    for (int i = 0; !rc && i < 3; i++)
        if (hex[i])
            rc = send_rec(fd, T_HASH, alg[i], strlen(alg[i]) + 1, hex[i], strlen(hex[i]));
    for (size_t i = 0; !rc && i < info->nerrors; i++)
        rc = send_rec(fd, T_ERROR, &info->errors[i].start, 8, &info->errors[i].length, 8);
    if (!rc)
        rc = send_rec(fd, T_END, NULL, 0, NULL, 0);
    return rc;
}

/* The test hook: fail as asked when a read covers the chosen offset. */
static void test_fault(const child_run *c, uint64_t off, size_t len)
{
    const ev_limits *l = &c->s->lim;
    if (l->fault == EV_FAULT_NONE || l->fault_offset < off || l->fault_offset - off >= len)
        return;
    if (l->fault == EV_FAULT_CRASH) {
        signal(SIGSEGV, SIG_DFL);
        raise(SIGSEGV);
    }
    while (l->fault == EV_FAULT_HANG)
        pause();
    /* EV_FAULT_MEMORY: 16 MiB blocks, touched, until the limit refuses one;
     * a limit that did not hold is an exit the tests tell apart. */
    unsigned mib = l->memory_mib ? l->memory_mib : EV_CHILD_MEMORY_MIB;
    for (unsigned i = 0; i < mib / 8 + 4; i++) {
        char *p = malloc(16u << 20);
        if (!p)
            _exit(CHILD_NOMEM);
        memset(p, 1, 16u << 20);
    }
    _exit(CHILD_LIMIT_MISSED);
}

/* Read [off, off+len) into slot k, announcing the range first. */
static int fill(child_run *c, int k, uint64_t off, size_t len, trawl_err *err)
{
    c->slots[k].valid = 0;
    __atomic_store_n(&c->head->cur_off, off, __ATOMIC_SEQ_CST);
    __atomic_store_n(&c->head->cur_len, (uint64_t)len, __ATOMIC_SEQ_CST);
    test_fault(c, off, len);
    size_t got = 0;
    int rc = ev_read(c->img, off, c->data + (size_t)k * SLOT, len, &got, err);
    if (!rc && got != len)
        rc = trawl_fail(err, TRAWL_EIO, "%s: short read at byte %llu", c->s->path,
                        (unsigned long long)(off + got));
    __atomic_store_n(&c->head->cur_len, 0, __ATOMIC_SEQ_CST);
    if (rc)
        return rc;
    c->slots[k] = (slot_use){off, len, 1, ++c->tick};
    return 0;
}

static int poisoned(const child_state *s, uint64_t off, uint64_t len)
{
    for (size_t i = 0; i < s->nfails; i++)
        if (off < s->fails[i].start + s->fails[i].length && s->fails[i].start < off + len)
            return 1;
    return 0;
}

/* A slot to read into: never the lent one; an empty one, else one behind the
 * stream (or, for a request, the least recently used).  -1: none. */
static int victim(const child_run *c, int for_request)
{
    int best = -1;
    for (int k = 0; k < EV_CHILD_SLOTS; k++) {
        const slot_use *u = &c->slots[k];
        if (k == c->lent)
            continue;
        if (!u->valid)
            return k;
        if (!for_request && u->off + u->len > c->stream)
            continue; /* read ahead and not yet asked for */
        if (best < 0 || u->used < c->slots[best].used)
            best = k;
    }
    return best;
}

/* Read the next chunk of the stream ahead, when there is room; 0 when there
 * is nothing to do. */
static int read_ahead(child_run *c)
{
    if (!c->stream_len || c->next >= c->media)
        return 0;
    uint64_t left = c->media - c->next;
    size_t len = left < c->stream_len ? (size_t)left : c->stream_len;
    if (poisoned(c->s, c->next, len))
        return 0;
    int k = victim(c, 0);
    if (k < 0)
        return 0;
    trawl_err e;
    fill(c, k, c->next, len, &e); /* a failure is met again when asked for */
    c->next += len;
    return 1;
}

static void serve(child_run *c, const req *q)
{
    rep r = {0, 0, 0, 0};
    trawl_err e = {0};
    c->lent = -1;
    if (q->len == 0 || q->len > SLOT || q->off >= c->media || c->media - q->off < q->len)
        _exit(CHILD_IO);       /* the parent never asks this */
    if (q->off == c->stream) { /* in order: read ahead from here */
        c->stream = q->off + q->len;
        c->stream_len = q->len;
        if (c->next < c->stream)
            c->next = c->stream;
    }
    int k = -1;
    for (int i = 0; i < EV_CHILD_SLOTS && k < 0; i++) {
        const slot_use *u = &c->slots[i];
        if (u->valid && u->off <= q->off && q->off + q->len <= u->off + u->len)
            k = i;
    }
    if (k < 0) {
        k = victim(c, 1);
        r.rc = fill(c, k, q->off, q->len, &e);
    }
    if (r.rc == 0) {
        c->slots[k].used = ++c->tick;
        r.slot = (uint32_t)k;
        r.skip = (uint32_t)(q->off - c->slots[k].off);
        c->lent = k;
    } else {
        r.msglen = (uint32_t)strnlen(e.msg, sizeof e.msg);
    }
    if (put_all(c->fd, &r, sizeof r) || (r.msglen && put_all(c->fd, e.msg, r.msglen)))
        _exit(CHILD_IO);
}

static _Noreturn void child_main(const child_state *s, int fd, pid_t parent, int describe,
                                 int from_main)
{
    /* Die with the parent.  PR_SET_PDEATHSIG follows the thread that forked,
     * so only a child forked by the main thread asks for it; one restarted
     * from another thread notices when it is idle (getppid below). */
    if (from_main)
        prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(CHILD_OK);
    child_limit_memory(s->lim.memory_mib ? s->lim.memory_mib : EV_CHILD_MEMORY_MIB);
    child_run c = {.s = s, .fd = fd, .lent = -1};
    c.head = (shm_head *)s->shm;
    c.data = s->shm + HEAD;
    trawl_err e = {0};
    int rc = ev_open(s->path, &c.img, &e);
    if (rc) {
        int32_t code = rc;
        send_rec(fd, T_FAIL, &code, 4, e.msg, strnlen(e.msg, sizeof e.msg));
        _exit(CHILD_OK);
    }
    c.media = ev_size(c.img);
    if (describe ? send_info(fd, ev_describe(c.img))
                 : send_rec(fd, T_SIZE, &ev_describe(c.img)->media_size, 8, NULL, 0) ||
                       send_rec(fd, T_END, NULL, 0, NULL, 0))
        _exit(CHILD_IO);
    for (;;) {
        struct pollfd pf = {fd, POLLIN, 0};
        int r = poll(&pf, 1, 0);
        if (r == 0 && read_ahead(&c))
            continue;
        if (r == 0)
            r = poll(&pf, 1, 1000);
        if (r < 0 && errno != EINTR)
            _exit(CHILD_IO);
        if (r <= 0) {
            if (getppid() != parent) /* orphaned: the scan is gone */
                _exit(CHILD_OK);
            continue;
        }
        req q;
        if (get_all(fd, &q, sizeof q, 0))
            _exit(CHILD_OK); /* the parent closed the image */
        serve(&c, &q);
    }
}

/* --- The parent --------------------------------------------------------- */

static const char *sig_name(int sig)
{
    switch (sig) {
    case SIGSEGV:
        return "SIGSEGV";
    case SIGBUS:
        return "SIGBUS";
    case SIGABRT:
        return "SIGABRT";
    case SIGILL:
        return "SIGILL";
    case SIGFPE:
        return "SIGFPE";
    case SIGKILL:
        return "SIGKILL";
    case SIGTERM:
        return "SIGTERM";
    case SIGSYS:
        return "SIGSYS";
    case SIGXCPU:
        return "SIGXCPU";
    default:
        return NULL;
    }
}

static unsigned timeout_of(const child_state *s)
{
    return s->lim.timeout ? s->lim.timeout : EV_CHILD_TIMEOUT;
}

/* Kill and reap the child; why gets the reason it died (timed_out: the
 * parent killed it for taking too long). */
static void reap(child_state *s, int timed_out, char *why, size_t size)
{
    int status = 0;
    kill(s->pid, SIGKILL);
    while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
        ;
    close(s->fd);
    s->fd = -1;
    s->pid = 0;
    if (!why)
        return;
    unsigned mib = s->lim.memory_mib ? s->lim.memory_mib : EV_CHILD_MEMORY_MIB;
    if (timed_out)
        snprintf(why, size, "timed out after %u s", timeout_of(s));
    else if (WIFSIGNALED(status) && sig_name(WTERMSIG(status)))
        snprintf(why, size, "killed by %s", sig_name(WTERMSIG(status)));
    else if (WIFSIGNALED(status))
        snprintf(why, size, "killed by signal %d", WTERMSIG(status));
    else if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_NOMEM)
        snprintf(why, size, "memory limit (%u MiB) reached", mib);
    else
        snprintf(why, size, "exited with status %d", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* Take one record of the open reply: *tag, and its body (malloc'd, NUL
 * added) in *body.  0 done, else the get_all code, 3 (too long) or 4 (out
 * of memory here). */
static int get_rec(child_state *s, double deadline, int *tag, char **body, uint32_t *len)
{
    uint8_t t;
    int g = get_all(s->fd, &t, 1, deadline);
    if (!g)
        g = get_all(s->fd, len, 4, deadline);
    if (g)
        return g;
    if (*len > EV_MAX_PATH + TRAWL_ERR_MSG + (1u << 20))
        return 3;
    char *b = malloc(*len + 1);
    if (!b)
        return 4; /* the parent's want, not the child's fault */
    if ((g = get_all(s->fd, b, *len, deadline))) {
        free(b);
        return g;
    }
    b[*len] = 0;
    *tag = t;
    *body = b;
    return 0;
}

static const char *static_format(const char *name)
{
    const ev_backend *all[] = {&ev_backend_raw,  &ev_backend_split, &ev_backend_ewf,
                               &ev_backend_vmdk, &ev_backend_vhdi,  &ev_backend_qcow};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (strcmp(all[i]->format, name) == 0)
            return all[i]->format;
    return NULL;
}

/* Apply one record of the open reply to img (NULL: a restart, which only
 * checks the size). */
static int apply(child_state *s, ev_image *img, int tag, const char *b, uint32_t len,
                 trawl_err *err)
{
    const char *b2 = memchr(b, 0, len) ? b + strlen(b) + 1 : NULL;
    uint64_t v[2];
    switch (tag) {
    case T_SIZE:
        if (len != 8)
            break;
        memcpy(v, b, 8);
        if (!img && v[0] != s->media)
            return trawl_fail(err, TRAWL_EIO, "%s: the image changed size while open", s->path);
        s->media = v[0];
        return 0;
    case T_FORMAT:
        if (!img)
            return 0;
        if (!static_format(b))
            break;
        ev_image_set_format(img, static_format(b));
        return 0;
    case T_SEGMENT:
        return img ? ev_image_add_segment(img, b, err) : 0;
    case T_META:
        if (!b2)
            break;
        return img ? ev_image_add_meta(img, b, b2, err) : 0;
    case T_HASH:
        if (!b2 || (strcmp(b, "md5") && strcmp(b, "sha1") && strcmp(b, "sha256")))
            break;
        return img ? ev_image_set_stored_hash(img, b, b2, err) : 0;
    case T_ERROR:
        if (len != 16)
            break;
        memcpy(v, b, 16);
        return img ? ev_image_add_error(img, v[0], v[1], err) : 0;
    default:
        break;
    }
    return trawl_fail(err, TRAWL_EIO, "%s: the image reader sent a malformed reply", s->path);
}

/* Start a child and take its open reply into img (NULL: a restart after a
 * failure).  A child that fails to open gives its error; one that dies or
 * hangs gives TRAWL_EIO with the reason. */
static int spawn(child_state *s, ev_image *img, trawl_err *err)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return trawl_fail(err, TRAWL_EIO, "%s: image reader: socketpair: %s", s->path,
                          strerror(errno));
    pid_t parent = getpid();
    int from_main = gettid() == parent;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return trawl_fail(err, TRAWL_EIO, "%s: image reader: fork: %s", s->path, strerror(errno));
    }
    if (pid == 0) {
        close(sv[0]);
        child_main(s, sv[1], parent, img != NULL, from_main);
    }
    close(sv[1]);
    s->pid = pid;
    s->fd = sv[0];
    double deadline = mono_now() + timeout_of(s);
    int rc = 0;
    for (int done = 0; !done && !rc;) {
        int tag = 0;
        char *b = NULL;
        uint32_t len = 0;
        int g = get_rec(s, deadline, &tag, &b, &len);
        if (g) {
            char why[128];
            reap(s, g == 2, why, sizeof why);
            if (g == 4)
                return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
            return trawl_fail(err, TRAWL_EIO, "%s: the image reader %s while opening it", s->path,
                              g == 3 ? "sent a malformed reply" : why);
        }
        if (tag == T_END) {
            done = 1;
        } else if (tag == T_FAIL) {
            int32_t code = TRAWL_EIO;
            if (len >= 4)
                memcpy(&code, b, 4);
            if (code <= 0 || code > TRAWL_EEXISTS)
                code = TRAWL_EIO;
            rc = trawl_fail(err, code, "%s", len >= 4 ? b + 4 : "");
        } else {
            rc = apply(s, img, tag, b, len, err);
        }
        free(b);
    }
    if (rc)
        reap(s, 0, NULL, 0);
    return rc;
}

static int add_failure(child_state *s, uint64_t start, uint64_t len, const char *why)
{
    if (s->nfails == s->fcap) {
        size_t ncap = s->fcap ? s->fcap * 2 : 4;
        ev_failure *p = reallocarray(s->fails, ncap, sizeof *p);
        if (!p)
            return TRAWL_ENOMEM;
        s->fails = p;
        s->fcap = ncap;
    }
    ev_failure *f = &s->fails[s->nfails++];
    f->start = start;
    f->length = len;
    size_t n = strnlen(why, sizeof f->why - 1);
    memcpy(f->why, why, n);
    f->why[n] = 0;
    return 0;
}

enum { F_DIED, F_TIMEOUT, F_MALFORMED };

/* The child died, hung or sent nonsense serving [off, off+len): record the range it was
 * reading (from the header; else the request's) and the reason. */
static int child_failed(child_state *s, int how, uint64_t off, size_t len)
{
    shm_head *h = (shm_head *)s->shm;
    uint64_t coff = __atomic_load_n(&h->cur_off, __ATOMIC_SEQ_CST);
    uint64_t clen = __atomic_load_n(&h->cur_len, __ATOMIC_SEQ_CST);
    char why[128];
    reap(s, how == F_TIMEOUT, why, sizeof why);
    if (how == F_MALFORMED)
        snprintf(why, sizeof why, "sent a malformed reply");
    h->cur_len = 0;
    if (clen == 0 || clen > SLOT || coff >= s->media || s->media - coff < clen)
        coff = off, clen = len;
    int rc = add_failure(s, coff, clen, why);
    if (!rc && s->nfails >= EV_CHILD_MAX_FAILURES) {
        char all[160];
        snprintf(all, sizeof all, "given up after %d failures of the image reader",
                 EV_CHILD_MAX_FAILURES);
        rc = add_failure(s, 0, s->media, all);
        s->gave_up = 1;
    }
    return rc;
}

static int fail_range(const child_state *s, uint64_t off, size_t len, trawl_err *err)
{
    const char *why = "";
    for (size_t i = 0; i < s->nfails; i++)
        if (off < s->fails[i].start + s->fails[i].length && s->fails[i].start < off + len)
            why = s->fails[i].why;
    return trawl_fail(err, TRAWL_EIO, "%s: bytes %llu-%llu: unreadable: the image reader %s there",
                      s->path, (unsigned long long)off, (unsigned long long)(off + len - 1), why);
}

/* One request of at most SLOT bytes, with the lock held. */
static int read_piece(child_state *s, uint64_t off, uint8_t *buf, size_t len, trawl_err *err)
{
    for (;;) {
        if (poisoned(s, off, len))
            return fail_range(s, off, len, err);
        trawl_err e2 = {0, ""};
        if (!s->pid && spawn(s, NULL, &e2) != 0) {
            /* It cannot even reopen the image: give the rest up. */
            if (add_failure(s, 0, s->media, e2.msg))
                return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
            s->gave_up = 1;
            continue;
        }
        req q = {off, (uint32_t)len, 0};
        rep r;
        int g = put_all(s->fd, &q, sizeof q) ? 1 : 0;
        if (!g)
            g = get_all(s->fd, &r, sizeof r, mono_now() + timeout_of(s));
        if (!g && r.rc == 0 && r.slot < EV_CHILD_SLOTS && r.skip <= SLOT && len <= SLOT - r.skip) {
            memcpy(buf, s->shm + HEAD + (size_t)r.slot * SLOT + r.skip, len);
            return 0;
        }
        if (!g && r.rc != 0 && r.msglen < TRAWL_ERR_MSG) {
            char msg[TRAWL_ERR_MSG];
            if (!(g = get_all(s->fd, msg, r.msglen, mono_now() + timeout_of(s)))) {
                msg[r.msglen] = 0;
                return trawl_fail(err, TRAWL_EIO, "%s", msg);
            }
        }
        if (child_failed(s, g == 0 ? F_MALFORMED : g == 2 ? F_TIMEOUT : F_DIED, off, len))
            return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
}

static int child_read(void *state, uint64_t off, void *buf, size_t len, trawl_err *err)
{
    child_state *s = state;
    int rc = 0;
    pthread_mutex_lock(&s->mu);
    for (size_t at = 0; at < len && !rc; at += SLOT) {
        size_t n = len - at < SLOT ? len - at : SLOT;
        rc = read_piece(s, off + at, (uint8_t *)buf + at, n, err);
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static void child_close(void *state)
{
    child_state *s = state;
    if (s->pid)
        reap(s, 0, NULL, 0);
    if (s->shm)
        munmap(s->shm, s->shm_size);
    pthread_mutex_destroy(&s->mu);
    free(s->fails);
    free(s->path);
    free(s);
}

/* No open: ev_open never picks it; ev_open_isolated builds it. */
static const ev_backend ev_backend_child = {"child", NULL, child_read, child_close};

int ev_open_isolated(const char *path, const ev_limits *lim, ev_image **out, trawl_err *err)
{
    if (!path || !*path || !out)
        return trawl_fail(err, TRAWL_EUSAGE, "ev_open: no path");
    if (strlen(path) >= EV_MAX_PATH)
        return trawl_fail(err, TRAWL_ELIMIT, "%.64s...: path longer than %d bytes", path,
                          EV_MAX_PATH);
    child_state *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory opening evidence");
    }
    pthread_mutex_init(&s->mu, NULL);
    s->fd = -1;
    if (lim)
        s->lim = *lim;
    /* The slots live in anonymous shared memory that the child inherits. */
    s->shm_size = HEAD + EV_CHILD_SLOTS * SLOT;
    s->shm = mmap(NULL, s->shm_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s->shm == MAP_FAILED) {
        s->shm = NULL;
        child_close(s);
        return trawl_fail(err, TRAWL_ENOMEM, "%s: image reader: cannot map %zu bytes", path,
                          (size_t)(HEAD + EV_CHILD_SLOTS * SLOT));
    }
    ev_image *img = NULL;
    int rc = ev_image_new(&ev_backend_child, &img, err);
    if (rc) {
        child_close(s);
        return rc;
    }
    rc = spawn(s, img, err);
    if (!rc) {
        ev_image_set_media(img, s, s->media);
        rc = ev_image_done(img, err);
    } else {
        child_close(s);
    }
    if (rc) {
        ev_close(img);
        return rc;
    }
    *out = img;
    return 0;
}

size_t ev_failures(const ev_image *img, const ev_failure **out)
{
    child_state *s = ev_image_state_of(img, &ev_backend_child);
    *out = s ? s->fails : NULL;
    return s ? s->nfails : 0;
}

int ev_unreadable(const ev_image *img, uint64_t off, uint64_t len)
{
    child_state *s = ev_image_state_of(img, &ev_backend_child);
    if (!s)
        return 0;
    pthread_mutex_lock(&s->mu);
    int all = 0;
    for (size_t i = 0; i < s->nfails && !all; i++)
        all = s->fails[i].start <= off && off + len <= s->fails[i].start + s->fails[i].length;
    pthread_mutex_unlock(&s->mu);
    return all;
}
