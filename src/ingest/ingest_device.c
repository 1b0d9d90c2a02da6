/* ingest_device.c: one device through the pipeline (see ingest.h). */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "case/audit.h"
#include "case/store_device.h"
#include "case/store_problem.h"
#include "evidence/ev.h"
#include "evidence/ev_hash.h"
#include "ingest/ingest_int.h"
#include "util/escape.h"
#include "util/fhash.h"
#include "util/strbuf.h"

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ingest_warn(const ingest_options *opt, const char *fmt, ...)
{
    if (!opt->cb.warning)
        return;
    char msg[TRAWL_ERR_MSG * 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    opt->cb.warning(opt->cb.ctx, opt->name, msg);
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

/* The state of one device's read: where its hits go (ingest_hits.c) and
 * the progress report. */
typedef struct dev_run {
    case_db *c;
    const ingest_options *opt;
    int64_t device_id;
    uint64_t hits; /* stored, when the device is done */
    ingest_hits *sink;
    scan_run *scan;
    uint64_t base, total; /* bytes before the current image; in the device */
    double start, last;   /* monotonic seconds */
} dev_run;

static void report(dev_run *r, const char *phase, uint64_t done)
{
    if (!r->opt->cb.progress)
        return;
    double now = mono_now();
    uint64_t ids = r->sink ? ingest_hits_count(r->sink) : 0;
    ingest_progress p = {r->opt->name, phase, done, r->total, ids, 0, now - r->start};
    r->last = now;
    r->opt->cb.progress(r->opt->cb.ctx, &p);
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    dev_run *r = ctx;
    (void)total;
    if (r->opt->cb.progress && mono_now() - r->last >= 0.1)
        report(r, "read", r->base + done);
}

static int feed(void *ctx, uint64_t offset, const uint8_t *data, size_t len, trawl_err *err)
{
    dev_run *r = ctx;
    return scan_run_feed(r->scan, offset, data, len, err);
}

/* Compare the computed digests with those the container stores; the
 * mismatches are written to detail. */
static const char *verify(const ev_info *info, const ev_digests *d, strbuf *detail)
{
    int mismatch = 0;
    if (info->stored_md5 && strcmp(info->stored_md5, d->md5) != 0)
        mismatch = 1, sb_addf(detail, "MD5 %s != stored %s; ", d->md5, info->stored_md5);
    if (info->stored_sha1 && strcmp(info->stored_sha1, d->sha1) != 0)
        mismatch = 1, sb_addf(detail, "SHA-1 %s != stored %s; ", d->sha1, info->stored_sha1);
    if (info->stored_sha256 && strcmp(info->stored_sha256, d->sha256) != 0)
        mismatch = 1, sb_addf(detail, "SHA-256 %s != stored %s; ", d->sha256, info->stored_sha256);
    if (mismatch)
        return "mismatch";
    if (info->stored_md5 || info->stored_sha1 || info->stored_sha256)
        return "match";
    return "computed";
}

/* Record the failures of img's reader child (ev_child.c): a warning, a
 * problems row (stage 'read') each, and the text for the audit line. */
static int reader_failures(dev_run *r, const char *path, const ev_image *img, int *integrity,
                           strbuf *detail, trawl_err *err)
{
    const ev_failure *f;
    size_t n = ev_failures(img, &f);
    for (size_t i = 0; i < n; i++) {
        char msg[512];
        snprintf(msg, sizeof msg,
                 "image reader failed: %s at bytes %llu-%llu of %s; those bytes are recorded as "
                 "unreadable, the rest was read by a new reader",
                 f[i].why, (unsigned long long)f[i].start,
                 (unsigned long long)(f[i].start + f[i].length - 1), path);
        ingest_warn(r->opt,
                    "%s: image reader failed: %s at bytes %llu-%llu (zero-filled, recorded)", path,
                    f[i].why, (unsigned long long)f[i].start,
                    (unsigned long long)(f[i].start + f[i].length - 1));
        int rc = case_problem_add(r->c, r->device_id, "read", msg, err);
        if (rc)
            return rc;
        sb_addf(detail, "IMAGE READER FAILED: %s at bytes %llu-%llu; ", f[i].why,
                (unsigned long long)f[i].start, (unsigned long long)(f[i].start + f[i].length - 1));
        *integrity = 1;
    }
    return 0;
}

/* Hash and scan one image of the device; store its images and segments
 * rows.  *integrity is set on a mismatch or unreadable ranges. */
static int do_image(dev_run *r, int seq, const char *path, ev_image *img, int *integrity,
                    strbuf *mismatch, trawl_err *err)
{
    const ev_info *info = ev_describe(img);
    /* The segment files' hashes go into the audit line.  A raw image's one
     * segment is its media, byte for byte: its hashes are the media's, from
     * the same read (hashing the file first was a second full read and
     * three more hashes of every byte, before the scan could start).  Other
     * containers' files are hashed on their own. */
    ev_digests *seg = calloc(info->nsegments ? info->nsegments : 1, sizeof *seg);
    if (!seg)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    int same_bytes = info->nsegments == 1 && strcmp(info->format, "raw") == 0;
    int rc = 0;
    for (size_t i = 0; i < info->nsegments && !rc && !same_bytes; i++)
        rc = ev_hash_file(info->segments[i], &seg[i], err);

    if (!rc)
        rc = scan_run_start(r->opt->eng, img, r->base, ingest_hits_raw, r->sink, &r->scan, err);
    ev_digests d;
    ev_range *bad = NULL;
    size_t nbad = 0;
    if (!rc) {
        rc = ev_hash_media(img, feed, r, on_progress, r, &d, &bad, &nbad, err);
        if (rc)
            scan_run_abort(r->scan);
        else
            rc = scan_run_finish(r->scan, err);
        r->scan = NULL;
    }

    if (!rc && same_bytes) {
        /* Only when the read was whole and the file still has that size;
         * otherwise the file itself. */
        struct stat fst;
        if (nbad == 0 && stat(info->segments[0], &fst) == 0 &&
            (uint64_t)fst.st_size == info->media_size)
            seg[0] = d;
        else
            rc = ev_hash_file(info->segments[0], &seg[0], err);
    }

    strbuf detail = STRBUF_INIT;
    const char *verification = "computed";
    if (!rc)
        rc = reader_failures(r, path, img, integrity, &detail, err);
    if (!rc) {
        verification = verify(info, &d, &detail);
        int bad_hash = strcmp(verification, "mismatch") == 0;
        if (bad_hash || nbad)
            *integrity = 1;
        if (bad_hash)
            ingest_warn(r->opt, "%s: HASH MISMATCH: %s", path, sb_cstr(&detail));
        if (nbad)
            ingest_warn(r->opt, "%s: %zu unreadable range(s), zero-filled and recorded", path,
                        nbad);
    }

    int64_t image_id = 0;
    if (!rc) {
        strbuf acq = STRBUF_INIT, aerr = STRBUF_INIT, unr = STRBUF_INIT;
        json_meta(&acq, info);
        json_ranges(&aerr, info->errors, info->nerrors);
        json_ranges(&unr, bad, nbad);
        case_image_rec im = {
            .seq = seq,
            .path = path,
            .format = info->format,
            .media_size = info->media_size,
            .base = r->base,
            .md5 = d.md5,
            .sha1 = d.sha1,
            .sha256 = d.sha256,
            .stored_md5 = info->stored_md5,
            .stored_sha1 = info->stored_sha1,
            .stored_sha256 = info->stored_sha256,
            .verification = verification,
            .acquisition = sb_cstr(&acq),
            .acq_errors = sb_cstr(&aerr),
            .unreadable = sb_cstr(&unr),
        };
        rc = case_image_add(r->c, r->device_id, &im, &image_id, err);
        sb_free(&acq), sb_free(&aerr), sb_free(&unr);
    }
    for (size_t i = 0; !rc && i < info->nsegments; i++) {
        struct stat sst;
        case_segment_rec s = {
            .seq = (int)i,
            .path = info->segments[i],
            .size = stat(info->segments[i], &sst) == 0 ? (int64_t)sst.st_size : -1,
            .md5 = seg[i].md5,
            .sha1 = seg[i].sha1,
            .sha256 = seg[i].sha256,
        };
        rc = case_segment_add(r->c, image_id, &s, err);
    }
    if (!rc && detail.len) /* the mismatch text, for the audit line */
        sb_add(mismatch, detail.buf, detail.len);
    sb_free(&detail);
    free(bad);
    free(seg);
    return rc;
}

static int audit_line(case_db *c, const ingest_options *opt, const case_audit_input *in, size_t nin,
                      const case_audit_input *out, size_t nout, const char *outcome,
                      const char *detail, trawl_err *err)
{
    case_audit_entry e = {
        .outputs = out,
        .noutputs = nout,
        .action = "scan",
        .examiner = opt->audit.examiner,
        .argc = opt->audit.argc,
        .argv = opt->audit.argv,
        .libraries = opt->audit.libraries,
        .device = opt->name,
        .inputs = in,
        .ninputs = nin,
        .outcome = outcome,
        .detail = detail,
    };
    return case_audit(c, &e, err);
}

/* Is every image, some, or none in the case already?  Returns 0 to go on,
 * else the outcome with err set. */
static int check_new(case_db *c, const ingest_options *opt, ingest_outcome *out, trawl_err *err)
{
    /* The same image twice in one device is a mistake, not two images. */
    for (size_t i = 0; i < opt->npaths; i++)
        for (size_t k = i + 1; k < opt->npaths; k++)
            if (strcmp(opt->paths[i], opt->paths[k]) == 0) {
                trawl_fail(err, TRAWL_EUSAGE, "%s: given twice for device '%s'", opt->paths[i],
                           opt->name);
                *out = INGEST_REFUSED;
                return 1;
            }
    int found = 0;
    int64_t existing;
    *out = INGEST_REFUSED;
    if (case_device_id(c, opt->name, &existing, &found, err))
        return 1;
    size_t known = 0;
    char *owner = NULL;
    for (size_t i = 0; i < opt->npaths; i++) {
        char *dev;
        if (case_image_owner(c, opt->paths[i], &dev, err)) {
            free(owner);
            return 1;
        }
        if (dev) {
            known++;
            free(owner);
            owner = dev;
        }
    }
    int stop = 1;
    if (opt->npaths && known == opt->npaths) {
        trawl_fail(err, TRAWL_EEXISTS, "%s: already in the case as device '%s'; nothing to do",
                   opt->paths[0], owner);
        *out = INGEST_NOOP;
    } else if (known) {
        trawl_fail(err, TRAWL_EEXISTS,
                   "some images of device '%s' are already in the case (as '%s')", opt->name,
                   owner);
    } else if (found) {
        trawl_fail(err, TRAWL_EEXISTS,
                   "device '%s' is already in the case with other images; name this one with "
                   "--device NAME",
                   opt->name);
    } else if (!opt->npaths) {
        trawl_fail(err, TRAWL_EUSAGE, "device '%s' has no image", opt->name);
    } else {
        stop = 0;
    }
    free(owner);
    return stop;
}

static ingest_outcome finish(const ingest_options *opt, ingest_outcome o, const dev_run *r,
                             double secs, ingest_result *res, const trawl_err *err)
{
    ingest_result out = {o, 0, 0, 0, secs};
    if (r && (o == INGEST_ADDED || o == INGEST_INTEGRITY)) {
        out.device_id = r->device_id;
        out.bytes = r->total;
        out.identifiers = r->hits;
    }
    if (res)
        *res = out;
    if (opt->cb.done)
        opt->cb.done(opt->cb.ctx, opt->name, &out, o == INGEST_ADDED ? NULL : err);
    return o;
}

ingest_outcome ingest_device(case_db *c, const ingest_options *opt, ingest_result *res,
                             trawl_err *err)
{
    ingest_outcome early;
    if (check_new(c, opt, &early, err)) {
        if (early == INGEST_NOOP)
            return finish(opt, early, NULL, 0, res, err);
        goto refused;
    }

    /* Open every image before touching the case. */
    ev_image **imgs = calloc(opt->npaths, sizeof *imgs);
    if (!imgs) {
        trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        goto refused;
    }
    dev_run r = {.c = c, .opt = opt};
    int rc = 0;
    for (size_t i = 0; i < opt->npaths && !rc; i++) {
        ev_limits lim = {opt->read_timeout, opt->read_memory_mib, opt->read_fault,
                         opt->read_fault_offset};
        rc = ev_open_isolated(opt->paths[i], &lim, &imgs[i], err);
        if (!rc)
            r.total += ev_size(imgs[i]);
    }
    char *devdir = NULL, *partial = NULL;
    fs_map **maps = NULL;
    int integrity = 0, committing = 0;
    char fs_failed[256] = "";
    double secs = 0, t0 = 0;
    strbuf mismatch = STRBUF_INIT;
    if (rc)
        goto fail;

    /* One transaction for the whole device. */
    if ((rc = case_device_begin(c, err)))
        goto fail;
    case_device_rec dr = {opt->name,           opt->exhibit, opt->custodian,
                          opt->audit.examiner, r.total,      opt->options_json};
    if ((rc = case_device_add(c, &dr, &r.device_id, err)))
        goto fail;
    r.start = mono_now();

    /* The feature files are written as the hits stream, into a folder aside
     * that is moved into place after the commit. */
    {
        strbuf p = STRBUF_INIT;
        sb_addf(&p, "%s/devices", case_dir(c));
        mkdir(sb_cstr(&p), 0777);
        sb_addf(&p, "/.%s.partial", opt->name);
        partial = sb_detach(&p);
        sb_addf(&p, "%s/devices/%s", case_dir(c), opt->name);
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
    if ((rc = ingest_hits_open(c, r.device_id, partial, opt->name, &r.sink, err)))
        goto fail;

    /* File systems first: their map attributes the raw hits as they come. */
    if (!opt->no_fs) {
        int nofs = 0;
        report(&r, "fs", 0);
        rc = ingest_fs(c, opt, r.device_id, imgs, opt->npaths, partial, r.sink, &maps, &nofs,
                       fs_failed, sizeof fs_failed, err);
        if (rc)
            goto fail;
        if (maps)
            ingest_hits_set_maps(r.sink, maps, opt->npaths);
        if (fs_failed[0])
            ingest_warn(opt,
                        "%s: file-system stage failed: %s; raw bytes scanned, hits not "
                        "attributed to files",
                        opt->name, fs_failed);
        if (nofs)
            ingest_warn(opt, "%s: no partition table or file system found; scanned as raw bytes",
                        opt->name);
    }
    if ((rc = ingest_hits_ready(r.sink, err)))
        goto fail;

    /* Hash and scan every byte. */
    t0 = mono_now();
    report(&r, "read", 0);
    for (size_t i = 0; i < opt->npaths && !rc; i++) {
        rc = do_image(&r, (int)i, opt->paths[i], imgs[i], &integrity, &mismatch, err);
        r.base += ev_size(imgs[i]);
    }
    secs = mono_now() - t0;
    if (!rc)
        rc = ingest_hits_finish(r.sink, err);
    if (rc)
        goto fail;
    r.hits = ingest_hits_count(r.sink);
    ingest_hits_free(r.sink);
    r.sink = NULL;
    ingest_fs_free_maps(maps, opt->npaths);
    maps = NULL;
    if (!opt->no_fs && (rc = ingest_fs_finish(c, r.device_id, partial, err)))
        goto fail;
    if ((rc = case_device_finish(c, r.device_id, integrity, err)))
        goto fail;
    /* A folder of that name with no device in case.db is what a scan killed
     * after its rename and before its commit left behind: ours, stale. */
    rmtree(devdir);
    {
        case_audit_input *in = NULL;
        size_t nin = 0;
        if ((rc = case_device_audit_inputs(c, r.device_id, &in, &nin, err)))
            goto fail;
        char detail[1024];
        snprintf(detail, sizeof detail, "%llu bytes, %llu hits, %.1f s%s%s%s%s%s",
                 (unsigned long long)r.total, (unsigned long long)r.hits, secs,
                 integrity ? "; INTEGRITY: " : "", integrity ? sb_cstr(&mismatch) : "",
                 fs_failed[0] ? "; FS STAGE FAILED: " : "", fs_failed,
                 fs_failed[0] ? " (hits not attributed to files)" : "");
        /* The feature files as written, closed and whole: their SHA-256
         * goes into the audit chain for `trawl verify`. */
        fhash_entry *files = NULL;
        size_t nfiles = 0;
        case_audit_input *out = NULL;
        strbuf rel = STRBUF_INIT;
        sb_addf(&rel, "devices/%s", opt->name);
        rc = rel.oom ? trawl_fail(err, TRAWL_ENOMEM, "out of memory")
                     : fhash_dir(partial, rel.buf, &files, &nfiles, err);
        if (!rc && nfiles && !(out = calloc(nfiles, sizeof *out)))
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        for (size_t i = 0; !rc && i < nfiles; i++)
            out[i] = (case_audit_input){files[i].path, files[i].sha256};
        if (!rc)
            rc = audit_line(c, opt, in, nin, out, nfiles,
                            integrity || fs_failed[0] ? "integrity" : "ok", detail, err);
        free(out);
        fhash_list_free(files, nfiles);
        sb_free(&rel);
        free(in);
    }
    /* A COMMIT reported as failed may still have taken effect (an error
     * after the WAL frames were written): its feature folder is then left
     * as it is, for case_reconcile_devices to keep or drop by case.db. */
    if (!rc) {
        committing = 1;
        rc = case_commit(c, err);
    }
    if (rc)
        goto fail;
    case_device_end(c);
    /* Committed: the feature folder goes into place right away (a kill in
     * between is repaired by case_reconcile_devices when the case is next
     * opened for writing). */
    if (rename(partial, devdir) != 0)
        ingest_warn(opt, "%s: %s (run trawl scan again to put it in place)", devdir,
                    strerror(errno));
    for (size_t i = 0; i < opt->npaths; i++)
        ev_close(imgs[i]);
    free(imgs);
    free(partial);
    free(devdir);
    sb_free(&mismatch);
    if (integrity || fs_failed[0]) {
        trawl_fail(err, TRAWL_EINTEGRITY, "device '%s' added, but %s", opt->name,
                   integrity ? "its integrity check failed (see the warnings above)"
                             : "its file-system stage failed (see the warnings above)");
        return finish(opt, INGEST_INTEGRITY, &r, secs, res, err);
    }
    return finish(opt, INGEST_ADDED, &r, secs, res, err);

fail:
    ingest_hits_free(r.sink);
    ingest_fs_free_maps(maps, opt->npaths);
    case_device_end(c);
    if (partial && committing) {
        /* Keep the folder only where the device did get in (or case.db
         * cannot say): case_reconcile_devices moves it into place. */
        int found = 1;
        int64_t id;
        trawl_err qerr = {0};
        if (case_device_id(c, opt->name, &id, &found, &qerr) == 0 && !found)
            committing = 0;
    }
    if (partial && !committing)
        rmtree(partial);
    for (size_t i = 0; i < opt->npaths; i++)
        ev_close(imgs[i]);
    free(imgs);
    free(partial);
    free(devdir);
    sb_free(&mismatch);
refused : {
    /* The refusal is audited outside any transaction; if that line cannot
     * be written either, the caller must hear of it. */
    trawl_err aerr = {0};
    if (audit_line(c, opt, NULL, 0, NULL, 0, "refused", err->msg, &aerr)) {
        size_t len = strnlen(err->msg, sizeof err->msg);
        snprintf(err->msg + len, sizeof err->msg - len, " (and the audit line failed: %s)",
                 aerr.msg);
    }
}
    return finish(opt, INGEST_REFUSED, NULL, 0, res, err);
}
