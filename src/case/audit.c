/* audit.c: the hash-chained audit log (see audit.h). */
#include "case/audit.h"
#include "case/case_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/digest.h"
#include "util/escape.h"
#include "util/strbuf.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
/* Every line ends with this, then 64 hex digits and "\"}". */
#define PREV_KEY ",\"prev\":\""

static int meta_get(case_db *c, const char *key, char *out, size_t outlen, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, "SELECT value FROM meta WHERE key=?", &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = 0, s = sqlite3_step(st);
    const char *v = s == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    if (v)
        snprintf(out, outlen, "%s", v);
    else if (s == SQLITE_DONE ||
             (s == SQLITE_ROW && sqlite3_errcode(case_sqlite(c)) != SQLITE_NOMEM))
        rc = trawl_fail(err, TRAWL_ECASE, "%s/case.db: meta has no %s", case_dir(c), key);
    else /* out of memory is not a missing key (case_db_fail tells them apart) */
        rc = case_db_fail(c, err, "reading meta");
    sqlite3_finalize(st);
    return rc;
}

static int meta_set(case_db *c, const char *key, const char *value, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE
                 ? 0
                 : trawl_fail(err, TRAWL_ECASE, "%s/case.db: %s", case_dir(c),
                              sqlite3_errmsg(case_sqlite(c)));
    sqlite3_finalize(st);
    return rc;
}

static void json_str(strbuf *sb, const char *key, const char *value)
{
    sb_addf(sb, "\"%s\":", key);
    if (!value) {
        sb_adds(sb, "null");
        return;
    }
    sb_addc(sb, '"');
    esc_json(sb, value, strlen(value));
    sb_addc(sb, '"');
}

static void utc_now(char out[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char base[24];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 32, "%.20s.%03dZ", base, (int)(ts.tv_nsec / 1000000) % 1000);
}

static void files_array(strbuf *sb, const char *key, const case_audit_input *v, size_t n)
{
    sb_addf(sb, "\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_addc(sb, ',');
        sb_addc(sb, '{');
        json_str(sb, "path", v[i].path);
        sb_addc(sb, ',');
        json_str(sb, "sha256", v[i].sha256);
        sb_addc(sb, '}');
    }
    sb_adds(sb, "],");
}

static void build_line(strbuf *sb, const case_audit_entry *e, const char *prev)
{
    char now[32];
    utc_now(now);
    sb_addc(sb, '{');
    json_str(sb, "time", now);
    sb_addc(sb, ',');
    json_str(sb, "tool", "trawl");
    sb_addc(sb, ',');
    json_str(sb, "version", TRAWL_VERSION);
    sb_adds(sb, ",\"libraries\":");
    sb_adds(sb, e->libraries ? e->libraries : "{}");
    sb_adds(sb, ",\"argv\":[");
    for (int i = 0; i < e->argc; i++) {
        if (i)
            sb_addc(sb, ',');
        sb_addc(sb, '"');
        esc_json(sb, e->argv[i], strlen(e->argv[i]));
        sb_addc(sb, '"');
    }
    sb_adds(sb, "],");
    json_str(sb, "examiner", e->examiner);
    sb_addc(sb, ',');
    json_str(sb, "action", e->action);
    sb_addc(sb, ',');
    json_str(sb, "device", e->device);
    sb_addc(sb, ',');
    files_array(sb, "inputs", e->inputs, e->ninputs);
    /* Only lines that wrote files carry "outputs" (older lines have none). */
    if (e->noutputs)
        files_array(sb, "outputs", e->outputs, e->noutputs);
    json_str(sb, "outcome", e->outcome);
    sb_addc(sb, ',');
    json_str(sb, "detail", e->detail);
    sb_adds(sb, PREV_KEY);
    sb_adds(sb, prev);
    sb_adds(sb, "\"}");
}

/* CASE/audit.pending holds the hash of the line being appended until its
 * transaction is known to have committed (see case_audit_recover): it is
 * what tells a line torn from its commit by a kill apart from a line
 * appended by someone else. */
static void pending_path(case_db *c, char *out, size_t n)
{
    snprintf(out, n, "%s/audit.pending", case_dir(c));
}

/* Written aside and renamed into place: a write that fails (a full disk)
 * leaves the pending hash that was there, which may be the only record that
 * the log's last line never committed (the next writer recovers it). */
static int write_pending(case_db *c, const char *hash, trawl_err *err)
{
    char path[4096], tmp[4112];
    pending_path(c, path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return trawl_fail(err, TRAWL_ECASE, "%s: %s", tmp, strerror(errno));
    int ok = write(fd, hash, 64) == 64 && fsync(fd) == 0;
    close(fd);
    ok = ok && rename(tmp, path) == 0;
    if (!ok)
        unlink(tmp);
    return ok ? 0 : trawl_fail(err, TRAWL_EIO, "%s: write failed", path);
}

/* The pending hash, or "" when there is none. */
static void read_pending(case_db *c, char out[65])
{
    char path[4096];
    pending_path(c, path, sizeof path);
    out[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    size_t n = fread(out, 1, 64, f);
    out[n == 64 ? 64 : 0] = '\0';
    fclose(f);
}

static void drop_pending(case_db *c)
{
    char path[4096];
    pending_path(c, path, sizeof path);
    unlink(path);
}

void case_audit_committed(case_db *c)
{
    char pending[65], head[80];
    read_pending(c, pending);
    trawl_err ignored = {0};
    if (pending[0] && meta_get(c, "audit_last", head, sizeof head, &ignored) == 0 &&
        strcmp(pending, head) == 0)
        drop_pending(c);
}

static int append_line(case_db *c, const char *line, size_t len, trawl_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/audit.log", case_dir(c));
    int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0)
        return trawl_fail(err, TRAWL_ECASE, "%s: %s", path, strerror(errno));
    strbuf sb = STRBUF_INIT;
    sb_add(&sb, line, len);
    sb_addc(&sb, '\n');
    int rc = 0;
    if (sb.oom)
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    /* Where the line starts: a write that fails part-way (a full disk) is
     * cut back to here, so the log never ends in half a line. */
    off_t start = lseek(fd, 0, SEEK_END);
    size_t done = 0;
    while (!rc && done < sb.len) {
        ssize_t n = write(fd, sb.buf + done, sb.len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            rc = trawl_fail(err, TRAWL_EIO, "%s: write: %s", path, strerror(errno));
        else
            done += (size_t)n;
    }
    if (!rc && fsync(fd) != 0)
        rc = trawl_fail(err, TRAWL_EIO, "%s: fsync: %s", path, strerror(errno));
    if (rc && done > 0 && start >= 0 && ftruncate(fd, start) == 0)
        (void)fsync(fd);
    close(fd);
    sb_free(&sb);
    return rc;
}

static int recover_locked(case_db *c, trawl_err *err);

int case_audit(case_db *c, const case_audit_entry *e, trawl_err *err)
{
    /* Inside the caller's transaction, the line goes in with its results;
     * if SQLite dropped that transaction, the line must not commit alone. */
    if (case_tx_lost(c, err))
        return err->code;
    int own = !case_in_tx(c);
    if (own && case_begin(c, err))
        return err->code;
    /* A line appended inside a transaction that then failed to commit (a
     * full disk at the commit) is the state a kill leaves: say so in the
     * log before appending after it, or the chain would break there.  Done
     * holding the write lock, so that another writer's line (appended just
     * before its commit, under the same lock) is never taken for one. */
    if (own && recover_locked(c, err)) {
        case_rollback(c);
        return err->code;
    }
    char prev[80], count[32];
    int rc = meta_get(c, "audit_last", prev, sizeof prev, err);
    if (!rc)
        rc = meta_get(c, "audit_lines", count, sizeof count, err);
    strbuf line = STRBUF_INIT;
    if (!rc) {
        build_line(&line, e, prev);
        if (line.oom)
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    char head[65];
    if (!rc) {
        digest_sha256_hex(line.buf, line.len, head);
        snprintf(count, sizeof count, "%lld", atoll(count) + 1);
        rc = meta_set(c, "audit_last", head, err);
    }
    if (!rc)
        rc = meta_set(c, "audit_lines", count, err);
    if (!rc)
        rc = write_pending(c, head, err);
    if (!rc)
        rc = append_line(c, line.buf, line.len, err);
    sb_free(&line);
    if (own) {
        if (!rc)
            rc = case_commit(c, err);
        if (rc)
            case_rollback(c);
    }
    return rc;
}

/* The log ends in half a line (a crash or power loss in the middle of an
 * append).  When the whole lines before it are exactly the ones case.db
 * counts and chains to, that half line is an action that never committed:
 * cut it off and say so, with the bytes' SHA-256, in a recover line.
 * Anything else is left for verify to report. */
static int cut_torn_tail(case_db *c, const char *path, long off, size_t whole_lines,
                         const char *prev, const char *head, const char *count,
                         const char *torn_hash, trawl_err *err)
{
    if (whole_lines != (size_t)atoll(count) || strcmp(prev, head) != 0)
        return 0;
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return trawl_fail(err, TRAWL_ECASE, "%s: %s", path, strerror(errno));
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) != 0 || ftruncate(fd, off) != 0 || fsync(fd) != 0)
        rc = trawl_fail(err, TRAWL_EIO, "%s: cannot cut off the half line: %s", path,
                        strerror(errno));
    close(fd);
    if (rc)
        return rc;
    drop_pending(c);
    char detail[256];
    snprintf(detail, sizeof detail,
             "the log ended in a line cut short (%lld bytes, SHA-256 %s): the action it began "
             "was interrupted before its results were committed and did not take effect; "
             "those bytes were removed",
             (long long)st.st_size - off, torn_hash);
    case_audit_entry e = {
        .action = "recover", .examiner = NULL, .outcome = "error", .detail = detail};
    return case_audit(c, &e, err);
}

/* case_audit_recover's work, inside the caller's write transaction. */
static int recover_locked(case_db *c, trawl_err *err)
{
    char head[80], count[32], path[4096];
    if (meta_get(c, "audit_last", head, sizeof head, err) ||
        meta_get(c, "audit_lines", count, sizeof count, err))
        return err->code;
    snprintf(path, sizeof path, "%s/audit.log", case_dir(c));
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0; /* verify reports a missing log */
    char prev[65] = ZERO_HASH, last[65] = ZERO_HASH;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    ssize_t len;
    int whole = 1;
    strbuf tail = STRBUF_INIT; /* the last line, without its newline */
    long tail_off = 0, at = 0;
    while ((len = getline(&buf, &cap, f)) > 0) {
        tail_off = at;
        at += (long)len;
        whole = buf[len - 1] == '\n';
        size_t l = (size_t)len - (whole ? 1 : 0);
        memcpy(prev, last, sizeof prev);
        digest_sha256_hex(buf, l, last);
        sb_reset(&tail);
        sb_add(&tail, buf, l);
        n++;
    }
    free(buf);
    fclose(f);
    /* The last line must end with its newline and chain to the head. */
    size_t klen = strlen(PREV_KEY);
    size_t l = tail.len;
    int chained = n > 0 && whole && !tail.oom && l >= klen + 66 &&
                  memcmp(tail.buf + l - 66 - klen, PREV_KEY, klen) == 0 &&
                  memcmp(tail.buf + l - 66, head, 64) == 0;
    sb_free(&tail);
    if (n > 0 && !whole)
        return cut_torn_tail(c, path, tail_off, n - 1, prev, head, count, last, err);
    char pending[65];
    read_pending(c, pending);
    if (pending[0] && strcmp(pending, head) == 0) {
        drop_pending(c); /* that action committed */
        return 0;
    }
    if (!chained || n != (size_t)atoll(count) + 1 || strcmp(prev, head) != 0 ||
        strcmp(pending, last) != 0)
        return 0;
    char lines[32];
    snprintf(lines, sizeof lines, "%zu", n);
    int rc = meta_set(c, "audit_last", last, err);
    if (!rc)
        rc = meta_set(c, "audit_lines", lines, err);
    if (!rc) {
        case_audit_entry e = {
            .action = "recover",
            .examiner = NULL,
            .outcome = "error",
            .detail = "the action on the line above was interrupted before its results were "
                      "committed; it did not take effect",
        };
        rc = case_audit(c, &e, err);
    }
    return rc;
}

int case_audit_recover(case_db *c, trawl_err *err)
{
    if (case_begin(c, err))
        return err->code;
    int rc = recover_locked(c, err);
    if (!rc)
        rc = case_commit(c, err);
    if (rc)
        case_rollback(c);
    return rc;
}

int case_audit_check(case_db *c, size_t *lines, trawl_err *err)
{
    char head[80], count[32], path[4096];
    *lines = 0;
    if (meta_get(c, "audit_last", head, sizeof head, err) ||
        meta_get(c, "audit_lines", count, sizeof count, err))
        return err->code;
    snprintf(path, sizeof path, "%s/audit.log", case_dir(c));
    FILE *f = fopen(path, "rb");
    if (!f)
        return trawl_fail(err, TRAWL_EINTEGRITY, "%s: %s", path, strerror(errno));
    char prev[65] = ZERO_HASH;
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    size_t lineno = 0;
    int rc = 0;
    while ((n = getline(&buf, &cap, f)) > 0) {
        lineno++;
        if (buf[n - 1] != '\n') {
            rc = trawl_fail(err, TRAWL_EINTEGRITY, "%s: line %zu is cut short (no newline)", path,
                            lineno);
            break;
        }
        size_t len = (size_t)n - 1;
        size_t klen = strlen(PREV_KEY);
        /* The line must end with ,"prev":"<64 hex>"} and that hash must be
         * the previous line's. */
        if (len < klen + 66 || memcmp(buf + len - 66 - klen, PREV_KEY, klen) != 0 ||
            memcmp(buf + len - 2, "\"}", 2) != 0) {
            rc = trawl_fail(err, TRAWL_EINTEGRITY, "%s: line %zu is not an audit record", path,
                            lineno);
            break;
        }
        if (memcmp(buf + len - 66, prev, 64) != 0) {
            rc = trawl_fail(err, TRAWL_EINTEGRITY,
                            "%s: chain broken at line %zu (prev does not match line %zu)", path,
                            lineno, lineno - 1);
            break;
        }
        digest_sha256_hex(buf, len, prev);
    }
    free(buf);
    if (!rc && ferror(f))
        rc = trawl_fail(err, TRAWL_EIO, "%s: read error", path);
    fclose(f);
    if (!rc && (size_t)atoll(count) != lineno)
        rc = trawl_fail(err, TRAWL_EINTEGRITY,
                        "%s: has %zu lines but case.db recorded %s (lines removed or added)", path,
                        lineno, count);
    if (!rc && strcmp(prev, head) != 0)
        rc = trawl_fail(err, TRAWL_EINTEGRITY,
                        "%s: last line does not match the head recorded in case.db", path);
    if (!rc)
        *lines = lineno;
    return rc;
}

/* The value of "key":"..." in line (top level of our own flat records), or
 * -1 when absent. */
static int json_field(const char *line, const char *key, strbuf *out)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    const char *p = strstr(line, pat);
    if (!p)
        return -1;
    p += strlen(pat);
    return case_json_string(&p, out);
}

/* Call fn for each {"path":..,"sha256":..} of the array key of line; fn's
 * non-zero return stops the walk and is returned.  WALK_OOM when a value
 * could not be read for want of memory (the walk is then incomplete). */
#define WALK_OOM (-2)
typedef int (*file_fn)(void *ctx, const char *path, const char *sha256);

static int walk_files(const char *line, const char *key, file_fn fn, void *ctx)
{
    char pat[32];
    snprintf(pat, sizeof pat, "\"%s\":[", key);
    const char *p = strstr(line, pat);
    if (!p)
        return 0;
    p += strlen(pat);
    strbuf path = STRBUF_INIT, hash = STRBUF_INIT;
    int rc = 0;
    while (!rc && strncmp(p, "{\"path\":\"", 9) == 0) {
        p += 9;
        sb_reset(&path);
        sb_reset(&hash);
        if (case_json_string(&p, &path) != 0)
            break;
        int has_hash = 0;
        if (strncmp(p, ",\"sha256\":\"", 11) == 0) {
            p += 11;
            if (case_json_string(&p, &hash) != 0)
                break;
            has_hash = 1;
        } else if (strncmp(p, ",\"sha256\":null", 14) == 0) {
            p += 14;
        } else {
            break;
        }
        if (*p != '}')
            break;
        p++;
        rc = fn(ctx, sb_cstr(&path), has_hash ? sb_cstr(&hash) : NULL);
        if (*p == ',')
            p++;
    }
    if (!rc && (path.oom || hash.oom))
        rc = WALK_OOM;
    sb_free(&path);
    sb_free(&hash);
    return rc;
}

int case_audit_inputs(case_db *c, const char *action, case_audit_input_fn fn, void *ctx,
                      trawl_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/audit.log", case_dir(c));
    FILE *f = fopen(path, "rb");
    if (!f)
        return trawl_fail(err, TRAWL_EINTEGRITY, "%s: %s", path, strerror(errno));
    char *buf = NULL;
    size_t cap = 0;
    int rc = 0;
    strbuf v = STRBUF_INIT;
    while (!rc && getline(&buf, &cap, f) > 0) {
        sb_reset(&v);
        if (json_field(buf, "action", &v) != 0 || strcmp(sb_cstr(&v), action) != 0)
            continue;
        sb_reset(&v);
        if (json_field(buf, "outcome", &v) != 0 ||
            (strcmp(sb_cstr(&v), "ok") != 0 && strcmp(sb_cstr(&v), "integrity") != 0))
            continue;
        rc = walk_files(buf, "inputs", fn, ctx);
    }
    /* A field that could not be read for want of memory skipped its line:
     * an error, not a log without that line. */
    if ((!rc && v.oom) || rc == WALK_OOM)
        rc = trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", path);
    sb_free(&v);
    free(buf);
    fclose(f);
    return rc;
}

typedef struct out_walk {
    case_audit_output_fn fn;
    void *ctx;
    const char *action, *device;
    int first;
} out_walk;

static int out_file(void *ctx, const char *path, const char *sha256)
{
    out_walk *w = ctx;
    int rc = w->fn(w->ctx, w->action, w->device, path, sha256, w->first);
    w->first = 0;
    return rc;
}

/* Walk the outputs of one line, if its outcome says it took effect. */
static int line_outputs(const char *line, case_audit_output_fn fn, void *ctx)
{
    if (!strstr(line, "\"outputs\":["))
        return 0;
    strbuf action = STRBUF_INIT, device = STRBUF_INIT, v = STRBUF_INIT;
    int rc = 0;
    if (json_field(line, "outcome", &v) == 0 &&
        (strcmp(sb_cstr(&v), "ok") == 0 || strcmp(sb_cstr(&v), "integrity") == 0) &&
        json_field(line, "action", &action) == 0) {
        int has_dev = json_field(line, "device", &device) == 0;
        out_walk w = {fn, ctx, sb_cstr(&action), has_dev ? sb_cstr(&device) : NULL, 1};
        rc = walk_files(line, "outputs", out_file, &w);
    }
    if (!rc && (action.oom || device.oom || v.oom))
        rc = WALK_OOM;
    sb_free(&action);
    sb_free(&device);
    sb_free(&v);
    return rc;
}

int case_audit_outputs(case_db *c, case_audit_output_fn fn, void *ctx, trawl_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/audit.log", case_dir(c));
    FILE *f = fopen(path, "rb");
    if (!f)
        return trawl_fail(err, TRAWL_EINTEGRITY, "%s: %s", path, strerror(errno));
    char *buf = NULL;
    size_t cap = 0;
    int rc = 0;
    /* A line is walked once the next is read: a "recover" line after it
     * says that its action never took effect (case_audit_recover). */
    strbuf held = STRBUF_INIT, action = STRBUF_INIT;
    while (!rc && getline(&buf, &cap, f) > 0) {
        sb_reset(&action);
        int recover =
            json_field(buf, "action", &action) == 0 && !strcmp(sb_cstr(&action), "recover");
        if (held.len && !recover)
            rc = line_outputs(sb_cstr(&held), fn, ctx);
        sb_reset(&held);
        sb_adds(&held, buf);
    }
    if (!rc && held.len)
        rc = line_outputs(sb_cstr(&held), fn, ctx);
    if ((!rc && (held.oom || action.oom)) || rc == WALK_OOM)
        trawl_fail(err, TRAWL_ENOMEM, "%s: out of memory", path), rc = -1;
    else if (rc)
        trawl_fail(err, TRAWL_EINTEGRITY, "%s: output walk stopped", path);
    sb_free(&held);
    sb_free(&action);
    free(buf);
    fclose(f);
    return rc;
}
