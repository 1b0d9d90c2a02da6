/* scan_device.c: one device through the pipeline (see scan_device.h). */
#define _XOPEN_SOURCE 700
#include "cli/scan_device.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "case/audit.h"
#include "case/export.h"
#include "case/case_int.h"
#include "cli/cli_audit.h"
#include "cli/progress.h"
#include "evidence/ev.h"
#include "evidence/ev_hash.h"
#include "util/escape.h"
#include "util/strbuf.h"

#include "cli/scan_fs.h"

static void utc_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static void rmtree(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Is one of the job's images in the case already?  Sets *dev to the owning
 * device's name (malloc'd) when so. */
static int image_known(case_db *c, const char *path, char **dev, trawl_err *err)
{
    sqlite3_stmt *st;
    *dev = NULL;
    if (case_prepare(c,
                     "SELECT d.name FROM images i JOIN devices d ON d.id=i.device_id "
                     "WHERE i.path=?",
                     &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        *dev = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return 0;
}

static void json_ranges(strbuf *sb, const ev_range *r, size_t n)
{
    sb_addc(sb, '[');
    for (size_t i = 0; i < n; i++)
        sb_addf(sb, "%s[%llu,%llu]", i ? "," : "", (unsigned long long)r[i].start,
                (unsigned long long)r[i].length);
    sb_addc(sb, ']');
}

static void json_meta(strbuf *sb, const ev_info *info)
{
    sb_addc(sb, '{');
    for (size_t i = 0; i < info->nmeta; i++) {
        sb_adds(sb, i ? ",\"" : "\"");
        esc_json(sb, info->meta[i].key, strlen(info->meta[i].key));
        sb_adds(sb, "\":\"");
        esc_json(sb, info->meta[i].value, strlen(info->meta[i].value));
        sb_addc(sb, '"');
    }
    sb_addc(sb, '}');
}

/* The scan sink: every hit straight into case.db (inside the device's
 * transaction). */
typedef struct hit_sink {
    case_db *c;
    int64_t device_id;
    uint64_t hits;
} hit_sink;

static int store_hit(void *ctx, const scan_hit *hit, trawl_err *err)
{
    hit_sink *s = ctx;
    s->hits++;
    return case_hit_insert(s->c, s->device_id, hit, 0, NULL, err);
}

typedef struct feed_ctx {
    scan_run *run;
} feed_ctx;

static int feed(void *ctx, uint64_t offset, const uint8_t *data, size_t len, trawl_err *err)
{
    feed_ctx *f = ctx;
    return scan_run_feed(f->run, offset, data, len, err);
}

static int bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

/* Hash and scan one image of the device; store its images and segments
 * rows.  *integrity is set on a mismatch or unreadable ranges. */
static int do_image(case_db *c, const cli_env *env, const scan_job *job, int64_t device_id, int seq,
                    const char *path, ev_image *img, uint64_t base, cli_progress *prog,
                    hit_sink *sink, int *integrity, strbuf *mismatch, trawl_err *err)
{
    const ev_info *info = ev_describe(img);
    /* Segment files first: their hashes go into the audit line. */
    ev_digests *seg = calloc(info->nsegments ? info->nsegments : 1, sizeof *seg);
    if (!seg)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < info->nsegments && !rc; i++)
        rc = ev_hash_file(info->segments[i], &seg[i], err);

    scan_run *run = NULL;
    if (!rc)
        rc = scan_run_start(job->eng, img, base, store_hit, sink, &run, err);
    ev_digests d;
    ev_range *bad = NULL;
    size_t nbad = 0;
    if (!rc) {
        feed_ctx fc = {run};
        rc = ev_hash_media(img, feed, &fc, cli_progress_update, prog, &d, &bad, &nbad, err);
        if (rc) {
            scan_run_abort(run);
        } else {
            rc = scan_run_finish(run, err);
        }
    }
    prog->base += info->media_size;

    const char *verification = "computed";
    strbuf detail = STRBUF_INIT;
    if (!rc) {
        int mismatch = 0;
        if (info->stored_md5 && strcmp(info->stored_md5, d.md5) != 0)
            mismatch = 1, sb_addf(&detail, "MD5 %s != stored %s; ", d.md5, info->stored_md5);
        if (info->stored_sha1 && strcmp(info->stored_sha1, d.sha1) != 0)
            mismatch = 1, sb_addf(&detail, "SHA-1 %s != stored %s; ", d.sha1, info->stored_sha1);
        if (info->stored_sha256 && strcmp(info->stored_sha256, d.sha256) != 0)
            mismatch = 1,
            sb_addf(&detail, "SHA-256 %s != stored %s; ", d.sha256, info->stored_sha256);
        if (mismatch)
            verification = "mismatch";
        else if (info->stored_md5 || info->stored_sha1 || info->stored_sha256)
            verification = "match";
        if (mismatch || nbad)
            *integrity = 1;
        if (mismatch)
            cli_warn("scan", "%s: HASH MISMATCH: %s", path, sb_cstr(&detail));
        if (nbad)
            cli_warn("scan", "%s: %zu unreadable range(s), zero-filled and recorded", path, nbad);
    }

    sqlite3_stmt *st = NULL;
    if (!rc)
        rc = case_prepare(
            c,
            "INSERT INTO images(device_id, seq, path, format, media_size, base, md5, "
            "sha1, sha256, stored_md5, stored_sha1, stored_sha256, verification, "
            "acquisition, acq_errors, unreadable) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            &st, err);
    if (!rc) {
        strbuf acq = STRBUF_INIT, aerr = STRBUF_INIT, unr = STRBUF_INIT;
        json_meta(&acq, info);
        json_ranges(&aerr, info->errors, info->nerrors);
        json_ranges(&unr, bad, nbad);
        sqlite3_bind_int64(st, 1, device_id);
        sqlite3_bind_int(st, 2, seq);
        sqlite3_bind_text(st, 3, path, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, info->format, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)info->media_size);
        sqlite3_bind_int64(st, 6, (sqlite3_int64)base);
        sqlite3_bind_text(st, 7, d.md5, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, d.sha1, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, d.sha256, -1, SQLITE_STATIC);
        bind_opt_text(st, 10, info->stored_md5);
        bind_opt_text(st, 11, info->stored_sha1);
        bind_opt_text(st, 12, info->stored_sha256);
        sqlite3_bind_text(st, 13, verification, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 14, sb_cstr(&acq), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 15, sb_cstr(&aerr), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 16, sb_cstr(&unr), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = trawl_fail(err, TRAWL_ECASE, "%s: storing image %s: %s", case_dir(c), path,
                            sqlite3_errmsg(case_sqlite(c)));
        sb_free(&acq), sb_free(&aerr), sb_free(&unr);
    }
    sqlite3_finalize(st);
    st = NULL;
    int64_t image_id = sqlite3_last_insert_rowid(case_sqlite(c));
    if (!rc)
        rc = case_prepare(c,
                          "INSERT INTO segments(image_id, seq, path, size, md5, sha1, sha256) "
                          "VALUES(?,?,?,?,?,?,?)",
                          &st, err);
    for (size_t i = 0; !rc && i < info->nsegments; i++) {
        struct stat sst;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, image_id);
        sqlite3_bind_int(st, 2, (int)i);
        sqlite3_bind_text(st, 3, info->segments[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4,
                           stat(info->segments[i], &sst) == 0 ? (sqlite3_int64)sst.st_size : -1);
        sqlite3_bind_text(st, 5, seg[i].md5, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, seg[i].sha1, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, seg[i].sha256, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = trawl_fail(err, TRAWL_ECASE, "%s: storing segment: %s", case_dir(c),
                            sqlite3_errmsg(case_sqlite(c)));
    }
    sqlite3_finalize(st);
    (void)env;
    if (!rc && detail.len) /* the mismatch text, for the audit line */
        sb_add(mismatch, detail.buf, detail.len);
    sb_free(&detail);
    free(bad);
    free(seg);
    return rc;
}

static int insert_device(case_db *c, const scan_job *job, uint64_t size, int64_t *id,
                         trawl_err *err)
{
    char now[32];
    utc_now(now);
    sqlite3_stmt *st;
    if (case_prepare(c,
                     "INSERT INTO devices(name, exhibit, custodian, examiner, size, state, "
                     "scan_started, tool_version, options) VALUES(?,?,?,?,?, 'ok', ?, ?, ?)",
                     &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, job->name, -1, SQLITE_STATIC);
    bind_opt_text(st, 2, job->exhibit);
    bind_opt_text(st, 3, job->custodian);
    bind_opt_text(st, 4, job->examiner);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)size);
    sqlite3_bind_text(st, 6, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, TRAWL_VERSION, -1, SQLITE_STATIC);
    bind_opt_text(st, 8, job->options_json);
    int rc = 0;
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = trawl_fail(err, TRAWL_ECASE, "%s: storing device %s: %s", case_dir(c), job->name,
                        sqlite3_errmsg(case_sqlite(c)));
    sqlite3_finalize(st);
    *id = sqlite3_last_insert_rowid(case_sqlite(c));
    return rc;
}

static int finish_device(case_db *c, int64_t id, int integrity, trawl_err *err)
{
    char now[32];
    utc_now(now);
    sqlite3_stmt *st;
    if (case_prepare(c, "UPDATE devices SET scan_finished=?, state=? WHERE id=?", &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, integrity ? "integrity" : "ok", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, id);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0
                                             : trawl_fail(err, TRAWL_ECASE, "%s: %s", case_dir(c),
                                                          sqlite3_errmsg(case_sqlite(c)));
    sqlite3_finalize(st);
    return rc;
}

/* Audit inputs: every segment of every image of the device with its
 * SHA-256, as stored in this transaction.  Strings are malloc'd into *sb. */
static int collect_inputs(case_db *c, int64_t device_id, case_audit_input **out, size_t *nout,
                          char ***strs, trawl_err *err)
{
    sqlite3_stmt *st;
    *out = NULL, *nout = 0, *strs = NULL;
    if (case_prepare(c,
                     "SELECT s.path, s.sha256 FROM segments s JOIN images i ON i.id=s.image_id "
                     "WHERE i.device_id=? ORDER BY i.seq, s.seq",
                     &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, device_id);
    size_t cap = 0;
    int rc = 0;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        if (*nout == cap) {
            cap = cap ? 2 * cap : 8;
            case_audit_input *in = realloc(*out, cap * sizeof *in);
            char **s = realloc(*strs, 2 * cap * sizeof *s);
            if (in)
                *out = in;
            if (s)
                *strs = s;
            if (!in || !s) {
                rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
                break;
            }
        }
        char *p = strdup((const char *)sqlite3_column_text(st, 0));
        char *h = strdup((const char *)sqlite3_column_text(st, 1));
        (*strs)[2 * *nout] = p;
        (*strs)[2 * *nout + 1] = h;
        (*out)[(*nout)++] = (case_audit_input){p, h};
        if (!p || !h)
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    sqlite3_finalize(st);
    return rc;
}

static void free_inputs(case_audit_input *in, size_t n, char **strs)
{
    for (size_t i = 0; strs && i < 2 * n; i++)
        free(strs[i]);
    free(strs);
    free(in);
}

void scan_device_reconcile(case_db *c)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/devices", case_dir(c));
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        const char *suffix = ".partial";
        size_t sl = strlen(suffix);
        if (e->d_name[0] != '.' || n <= sl + 1 || strcmp(e->d_name + n - sl, suffix) != 0)
            continue;
        char name[256], from[4600], to[4600];
        snprintf(name, sizeof name, "%.*s", (int)(n - sl - 1), e->d_name + 1);
        snprintf(from, sizeof from, "%s/%s", dir, e->d_name);
        snprintf(to, sizeof to, "%s/%s", dir, name);
        int found = 0;
        int64_t id;
        trawl_err err = {0};
        /* Committed but not yet moved: finish the move; otherwise it is the
         * leftover of a scan that never committed. */
        if (case_device_id(c, name, &id, &found, &err) == 0 && found && access(to, F_OK) != 0)
            rename(from, to);
        else
            rmtree(from);
    }
    closedir(d);
}

int scan_device(case_db *c, const cli_env *env, const scan_job *job, trawl_err *err)
{
    /* 1. The same image twice in one device is a mistake, not two images. */
    for (size_t i = 0; i < job->npaths; i++)
        for (size_t k = i + 1; k < job->npaths; k++)
            if (strcmp(job->paths[i], job->paths[k]) == 0) {
                trawl_fail(err, TRAWL_EUSAGE, "%s: given twice for device '%s'", job->paths[i],
                           job->name);
                goto refused;
            }
    /* Already there? */
    int found = 0;
    int64_t existing;
    if (case_device_id(c, job->name, &existing, &found, err))
        return DEVICE_REFUSED;
    size_t known = 0;
    char *owner = NULL;
    for (size_t i = 0; i < job->npaths; i++) {
        char *dev;
        if (image_known(c, job->paths[i], &dev, err)) {
            free(owner);
            return DEVICE_REFUSED;
        }
        if (dev) {
            known++;
            free(owner);
            owner = dev;
        }
    }
    if (known == job->npaths) {
        trawl_fail(err, TRAWL_EEXISTS, "%s: already in the case as device '%s'; nothing to do",
                   job->paths[0], owner);
        free(owner);
        return DEVICE_NOOP;
    }
    if (known) {
        trawl_fail(err, TRAWL_EEXISTS,
                   "some images of device '%s' are already in the case (as '%s')", job->name,
                   owner);
        free(owner);
        goto refused;
    }
    free(owner);
    if (found) {
        trawl_fail(err, TRAWL_EEXISTS,
                   "device '%s' is already in the case with other images; name this one with "
                   "--device NAME",
                   job->name);
        goto refused;
    }

    /* 2. Open every image before touching the case. */
    ev_image **imgs = calloc(job->npaths, sizeof *imgs);
    if (!imgs) {
        trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        goto refused;
    }
    uint64_t total = 0;
    int rc = 0;
    for (size_t i = 0; i < job->npaths && !rc; i++) {
        rc = ev_open(job->paths[i], &imgs[i], err);
        if (!rc)
            total += ev_size(imgs[i]);
    }
    char *devdir = NULL, *partial = NULL;
    int64_t device_id = 0;
    int integrity = 0;
    strbuf mismatch = STRBUF_INIT;
    if (rc)
        goto fail;

    /* 3. One transaction for the whole device. */
    if ((rc = case_begin(c, err)))
        goto fail;
    if ((rc = insert_device(c, job, total, &device_id, err)))
        goto fail;
    cli_progress prog;
    cli_progress_start(&prog, env->progress, job->name, total);
    hit_sink sink = {c, device_id, 0};
    uint64_t base = 0;
    for (size_t i = 0; i < job->npaths && !rc; i++) {
        rc = do_image(c, env, job, device_id, (int)i, job->paths[i], imgs[i], base, &prog, &sink,
                      &integrity, &mismatch, err);
        base += ev_size(imgs[i]);
    }
    double secs = cli_progress_end(&prog);
    if (rc)
        goto fail;

    /* 4. File systems: list, hash, attribute. */
    if (!job->no_fs) {
        int nofs = 0;
        rc = scan_fs_device(c, job, device_id, imgs, job->npaths, &nofs, err);
        if (rc)
            goto fail;
        if (nofs)
            cli_warn("scan", "%s: no partition table or file system found; scanned as raw bytes",
                     job->name);
    }

    /* 5. Feature files, written aside and moved into place before commit. */
    {
        strbuf p = STRBUF_INIT;
        sb_addf(&p, "%s/devices", case_dir(c));
        mkdir(sb_cstr(&p), 0777);
        sb_addf(&p, "/.%s.partial", job->name);
        partial = sb_detach(&p);
        sb_addf(&p, "%s/devices/%s", case_dir(c), job->name);
        devdir = sb_detach(&p);
    }
    if (!partial || !devdir) {
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        goto fail;
    }
    rmtree(partial);
    if (mkdir(partial, 0777) != 0) {
        rc = trawl_fail(err, TRAWL_EIO, "%s: %s", partial, strerror(errno));
        goto fail;
    }
    if ((rc = case_export_features(c, device_id, job->name, partial, err)))
        goto fail;
    if (!job->no_fs && (rc = scan_fs_export(c, device_id, partial, err)))
        goto fail;
    if ((rc = finish_device(c, device_id, integrity, err)))
        goto fail;
    /* A folder of that name with no device in case.db is what a scan killed
     * after its rename and before its commit left behind: ours, stale. */
    rmtree(devdir);
    {
        case_audit_input *in;
        size_t nin;
        char **strs;
        if ((rc = collect_inputs(c, device_id, &in, &nin, &strs, err))) {
            free_inputs(in, nin, strs);
            goto fail;
        }
        char detail[512];
        snprintf(detail, sizeof detail, "%llu bytes, %llu hits, %.1f s%s%s",
                 (unsigned long long)total, (unsigned long long)sink.hits, secs,
                 integrity ? "; INTEGRITY: " : "", integrity ? sb_cstr(&mismatch) : "");
        rc = cli_audit(c, env, job->examiner, "scan", job->name, in, nin,
                       integrity ? "integrity" : "ok", detail, err);
        free_inputs(in, nin, strs);
    }
    if (!rc)
        rc = case_commit(c, err);
    if (rc)
        goto fail;
    /* Committed: the feature folder goes into place right away (a kill in
     * between is repaired by scan_device_reconcile on the next scan). */
    if (rename(partial, devdir) != 0)
        cli_warn("scan", "%s: %s (run trawl scan again to put it in place)", devdir,
                 strerror(errno));
    for (size_t i = 0; i < job->npaths; i++)
        ev_close(imgs[i]);
    free(imgs);
    free(partial);
    free(devdir);
    sb_free(&mismatch);
    if (integrity) {
        trawl_fail(err, TRAWL_EINTEGRITY, "device '%s' added, but %s", job->name,
                   "its integrity check failed (see the warnings above)");
        return DEVICE_INTEGRITY;
    }
    return DEVICE_ADDED;

fail:
    case_rollback(c);
    if (partial)
        rmtree(partial);
    for (size_t i = 0; i < job->npaths; i++)
        ev_close(imgs[i]);
    free(imgs);
    free(partial);
    free(devdir);
    sb_free(&mismatch);
refused : {
    trawl_err aerr;
    cli_audit(c, env, job->examiner, "scan", job->name, NULL, 0, "refused", err->msg, &aerr);
}
    return DEVICE_REFUSED;
}
