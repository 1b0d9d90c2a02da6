/* cmd_verify.c: `trawl verify CASE`: check the audit chain, re-hash every
 * segment file and every image's media, and compare with what the case
 * recorded at scan time; re-hash every output the audit log recorded (each
 * device's feature files, each export still at its path).  Exit 0 only if
 * all of it holds. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "case/audit.h"
#include "case/q_devices.h"
#include "case/case.h"
#include "cli/cli.h"
#include "cli/cli_audit.h"
#include "cli/progress.h"
#include "evidence/ev.h"
#include "evidence/ev_hash.h"
#include "util/escape.h"
#include "util/fhash.h"
#include "util/strbuf.h"

static const cli_opt verify_opts[] = {
    {"examiner", 256, "WHO", "who runs the check (default: the login name)"},
    {NULL, 0, NULL, NULL},
};

static void say(const char *status, const char *what, const char *detail)
{
    strbuf sb = STRBUF_INIT;
    esc_term(&sb, what, strlen(what));
    printf("%-9s %s", status, sb_cstr(&sb));
    if (detail) {
        sb_reset(&sb);
        esc_term(&sb, detail, strlen(detail));
        printf(": %s", sb_cstr(&sb));
    }
    printf("\n");
    sb_free(&sb);
}

/* The segment hashes the audit log's scan lines recorded, read once: a
 * path may appear on several lines, and the last one counts. */
typedef struct audit_record {
    char *path;
    char sha256[65];
} audit_record;

typedef struct audit_records {
    audit_record *v;
    size_t n, cap;
    int oom;
} audit_records;

static int audit_input(void *ctx, const char *path, const char *sha256)
{
    audit_records *r = ctx;
    if (!sha256)
        return 0;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        audit_record *v = realloc(r->v, cap * sizeof *v);
        if (!v) {
            r->oom = 1;
            return 1;
        }
        r->v = v, r->cap = cap;
    }
    audit_record *a = &r->v[r->n];
    if (!(a->path = strdup(path))) {
        r->oom = 1;
        return 1;
    }
    snprintf(a->sha256, sizeof a->sha256, "%s", sha256);
    r->n++;
    return 0;
}

/* The last recorded SHA-256 of path, or NULL. */
static const char *audit_recorded(const audit_records *r, const char *path)
{
    for (size_t i = r->n; i-- > 0;)
        if (strcmp(r->v[i].path, path) == 0)
            return r->v[i].sha256;
    return NULL;
}

static void audit_records_free(audit_records *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].path);
    free(r->v);
}

/* The outputs the audit log recorded: each device's feature files (the
 * last scan of the device counts) and each export (the last write of a
 * path counts). */
typedef struct out_record {
    char *device; /* NULL for an export */
    char *path;   /* relative to the case for a device, absolute for exports */
    char sha256[65];
    int dead; /* replaced by a later line */
    int bad;  /* failed the check */
} out_record;

typedef struct out_records {
    out_record *v;
    size_t n, cap;
    int oom;
} out_records;

static int output_seen(void *ctx, const char *action, const char *device, const char *path,
                       const char *sha256, int first)
{
    out_records *r = ctx;
    if (!sha256)
        return 0;
    int scan = !strcmp(action, "scan") && device;
    for (size_t i = 0; i < r->n; i++) {
        out_record *o = &r->v[i];
        if (scan && first && o->device && !strcmp(o->device, device))
            o->dead = 1; /* a later scan of the device replaces its files */
        if (!scan && !o->device && !strcmp(o->path, path))
            o->dead = 1;
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        out_record *v = realloc(r->v, cap * sizeof *v);
        if (!v) {
            r->oom = 1;
            return 1;
        }
        r->v = v, r->cap = cap;
    }
    out_record *o = &r->v[r->n];
    *o = (out_record){0};
    o->path = strdup(path);
    o->device = scan ? strdup(device) : NULL;
    if (!o->path || (scan && !o->device)) {
        free(o->path);
        free(o->device);
        r->oom = 1;
        return 1;
    }
    snprintf(o->sha256, sizeof o->sha256, "%s", sha256);
    r->n++;
    return 0;
}

static void out_records_free(out_records *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].path), free(r->v[i].device);
    free(r->v);
}

/* Is name a live recorded file of device? */
static int out_recorded(const out_records *r, const char *device, const char *name)
{
    size_t dl = strlen(device);
    for (size_t i = 0; i < r->n; i++) {
        const out_record *o = &r->v[i];
        if (o->dead || !o->device || strcmp(o->device, device) != 0)
            continue;
        const char *p = o->path;
        if (!strncmp(p, "devices/", 8) && !strncmp(p + 8, device, dl) && p[8 + dl] == '/' &&
            !strcmp(p + 9 + dl, name))
            return 1;
    }
    return 0;
}

/* Re-hash every recorded output; returns the number of problems, or -1
 * when trawl ran out of memory (no finding is made of that). */
static int check_outputs(const char *dir, out_records *r)
{
    int bad = 0;
    strbuf full = STRBUF_INIT;
    for (size_t i = 0; i < r->n; i++) {
        out_record *o = &r->v[i];
        if (o->dead)
            continue;
        int before = bad;
        sb_reset(&full);
        if (o->device)
            sb_addf(&full, "%s/%s", dir, o->path);
        else
            sb_adds(&full, o->path);
        char got[65];
        trawl_err e = {0};
        if (full.oom) {
            sb_free(&full);
            return -1;
        }
        int missing = access(sb_cstr(&full), F_OK) != 0 && errno == ENOENT;
        if (missing && !o->device) {
            say("NOTFOUND", o->path, "export not at its recorded path (moved or removed)");
        } else if (missing) {
            say("MISSING", o->path, "feature file recorded by the scan");
            bad++;
        } else if (fhash_file(sb_cstr(&full), got, &e)) {
            if (e.code == TRAWL_ENOMEM || full.oom) {
                sb_free(&full);
                return -1; /* trawl's own want, not a finding */
            }
            say("ERROR", o->path, e.msg);
            bad++;
        } else if (strcmp(got, o->sha256) != 0) {
            char msg[200];
            snprintf(msg, sizeof msg, "SHA-256 %s, audit.log records %s", got, o->sha256);
            say("CHANGED", o->path, msg);
            bad++;
        } else if (!o->device) {
            say("OK", o->path, o->sha256);
        }
        o->bad = bad != before;
    }
    /* Then per device: the folder holds exactly the recorded files. */
    for (size_t i = 0; i < r->n; i++) {
        const out_record *o = &r->v[i];
        int first = 1, failed = 0;
        if (o->dead || !o->device)
            continue;
        for (size_t k = 0; k < r->n; k++)
            if (!r->v[k].dead && r->v[k].device && !strcmp(r->v[k].device, o->device)) {
                first &= k >= i;
                failed |= r->v[k].bad;
            }
        if (!first)
            continue;
        sb_reset(&full);
        sb_addf(&full, "%s/devices/%s", dir, o->device);
        DIR *d = opendir(sb_cstr(&full));
        if (!d && (errno == ENOMEM || full.oom)) {
            sb_free(&full);
            return -1;
        }
        size_t files = 0;
        int extra = 0;
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            if (e->d_type == DT_DIR)
                continue;
            files++;
            if (!out_recorded(r, o->device, e->d_name)) {
                char what[600];
                snprintf(what, sizeof what, "devices/%s/%s", o->device, e->d_name);
                say("EXTRA", what, "not written by the scan of the device");
                extra++;
            }
        }
        if (d)
            closedir(d);
        bad += extra;
        char what[400], msg[80];
        snprintf(what, sizeof what, "devices/%s", o->device);
        snprintf(msg, sizeof msg, "%zu feature file(s) checked against audit.log", files);
        if (d && !extra && !failed)
            say("OK", what, msg);
    }
    sb_free(&full);
    return bad;
}

/* v's text, or NULL for a NULL column. */
static const char *opt(const case_val *v)
{
    return v->type == CASE_NULL ? NULL : v->s;
}

/* Re-hash the segments of image_id; returns the number that failed. */
/* Checks of the segments of image_id: the number that failed, or -1 (err
 * set) when it could not check them for want of memory. */
static int check_segments(case_db *c, int64_t image_id, const audit_records *rec, trawl_err *err)
{
    case_segment seg;
    case_rows *rows;
    int bad = 0, row;
    if (case_image_segments(c, image_id, &seg, &rows, err))
        return err->code == TRAWL_ENOMEM ? -1 : 1;
    while (case_rows_next(rows, &row, err) == 0 && row) {
        const char *path = seg.path.s;
        const char *want = seg.sha256.type == CASE_NULL ? NULL : seg.sha256.s;
        ev_digests d;
        trawl_err e = {0};
        if (ev_hash_file(path, &d, &e)) {
            if (e.code == TRAWL_ENOMEM) {
                *err = e;
                bad = -1;
                break;
            }
            say("MISSING", path, e.msg);
            bad++;
        } else if (!want || strcmp(want, d.sha256) != 0) {
            char msg[200];
            snprintf(msg, sizeof msg, "segment SHA-256 %s, recorded %s", d.sha256,
                     want ? want : "none");
            say("CHANGED", path, msg);
            bad++;
        } else {
            /* case.db agrees; so must the audit log, which an edit of
             * case.db alone cannot change. */
            const char *logged = audit_recorded(rec, path);
            if (!logged || strcmp(logged, d.sha256) != 0) {
                char msg[240];
                snprintf(msg, sizeof msg, "segment SHA-256 %s, but audit.log records %s", d.sha256,
                         logged ? logged : "no scan of it");
                say("CHANGED", path, msg);
                bad++;
            }
        }
    }
    case_rows_close(rows);
    return err->code == TRAWL_ENOMEM ? -1 : bad;
}

int cmd_verify(int argc, char **argv, const cli_env *env)
{
    cli_parser p = {
        .cmd = "verify",
        .synopsis = "trawl verify [--examiner WHO] CASE",
        .about = "Check a case: the audit log's hash chain against case.db, every segment file's\n"
                 "SHA-256, and every image's MD5, SHA-1 and SHA-256 re-computed from the media\n"
                 "(and the hashes an E01 stores), each device's feature files and every\n"
                 "export against the SHA-256 the audit log recorded when they were written\n"
                 "(an export no longer at its path is reported NOTFOUND, not a failure).\n"
                 "Prints one line per check; exit 0 only if all hold, 3 if any does not.",
        .opts = verify_opts,
        .argc = argc,
        .argv = argv,
    };
    const char *examiner = NULL, *v;
    int ch;
    while ((ch = cli_next(&p, &v)) != -1) {
        if (ch == 'h')
            return EXIT_DONE;
        if (ch == '?')
            return EXIT_USAGE;
        if (ch == 256)
            examiner = v;
    }
    int first = cli_optind();
    if (first + 1 != argc)
        return cli_usage_error("verify", "give exactly one case folder");
    trawl_err err = {0};
    case_db *c;
    /* On a write-protected case the checks still run; only the audit line
     * (and the audit log's recovery) cannot be done. */
    int record = case_can_write(argv[first]);
    if (case_open(argv[first], record ? CASE_WRITE : CASE_READ, &c, &err))
        return cli_report("verify", &err);

    /* Out of memory anywhere is an error (exit 1), never a finding: a check
     * that could not be made says nothing about the case. */
    int failures = 0;
    size_t lines = 0;
    audit_records rec = {0};
    out_records outs = {0};
    if (case_audit_check(c, &lines, &err) && err.code == TRAWL_ENOMEM)
        goto oom;
    if (err.code) {
        say("BROKEN", "audit.log", err.msg);
        failures++;
    } else {
        char msg[64];
        snprintf(msg, sizeof msg, "%zu lines, chain intact", lines);
        say("OK", "audit.log", msg);
    }
    /* A log that cannot be read leaves rec empty: every segment then fails. */
    trawl_err aerr0 = {0};
    case_audit_inputs(c, "scan", audit_input, &rec, &aerr0);
    if (rec.oom || aerr0.code == TRAWL_ENOMEM)
        goto oom;

    trawl_err oerr = {0};
    case_audit_outputs(c, output_seen, &outs, &oerr);
    if (outs.oom || oerr.code == TRAWL_ENOMEM)
        goto oom;
    int bad_outputs = check_outputs(argv[first], &outs);
    if (bad_outputs < 0)
        goto oom;
    failures += bad_outputs;
    out_records_free(&outs);
    outs = (out_records){0};

    case_image_hashes im;
    case_rows *rows;
    int row;
    if (case_images_to_verify(c, &im, &rows, &err)) {
        audit_records_free(&rec);
        case_close(c);
        return cli_report("verify", &err);
    }
    while (case_rows_next(rows, &row, &err) == 0 && row) {
        int64_t id = im.image_id.i;
        const char *dev = im.device.s;
        const char *path = im.path.s;
        const char *want[3] = {opt(&im.md5), opt(&im.sha1), opt(&im.sha256)};
        const char *stored_md5 = opt(&im.stored_md5);
        const char *stored_sha1 = opt(&im.stored_sha1);
        char what[4200];
        snprintf(what, sizeof what, "%s %s", dev, path);
        int bad = check_segments(c, id, &rec, &err);
        if (bad < 0)
            break;
        ev_image *img = NULL;
        trawl_err e = {0};
        if (ev_open_isolated(path, NULL, &img, &e)) {
            if (e.code == TRAWL_ENOMEM) {
                err = e;
                break;
            }
            say("MISSING", what, e.msg);
            failures++;
            continue;
        }
        cli_progress prog;
        cli_progress_start(&prog, env->progress, dev, ev_size(img));
        ev_digests d;
        ev_range *unread = NULL;
        size_t nunread = 0;
        int rc =
            ev_hash_media(img, NULL, NULL, cli_progress_update, &prog, &d, &unread, &nunread, &e);
        cli_progress_end(&prog);
        ev_close(img);
        free(unread);
        if (rc && e.code == TRAWL_ENOMEM) {
            err = e;
            break;
        }
        if (rc) {
            say("ERROR", what, e.msg);
            failures++;
            continue;
        }
        strbuf why = STRBUF_INIT;
        const char *got[3] = {d.md5, d.sha1, d.sha256};
        const char *names[3] = {"MD5", "SHA-1", "SHA-256"};
        for (int k = 0; k < 3; k++)
            if (!want[k] || strcmp(want[k], got[k]) != 0)
                sb_addf(&why, "%s %s, recorded %s; ", names[k], got[k], want[k] ? want[k] : "none");
        if (stored_md5 && strcmp(stored_md5, d.md5) != 0)
            sb_addf(&why, "MD5 %s, stored in the image %s; ", d.md5, stored_md5);
        if (stored_sha1 && strcmp(stored_sha1, d.sha1) != 0)
            sb_addf(&why, "SHA-1 %s, stored in the image %s; ", d.sha1, stored_sha1);
        if (nunread)
            sb_addf(&why, "%zu unreadable range(s); ", nunread);
        if (why.len || bad) {
            say("MISMATCH", what, why.len ? sb_cstr(&why) : "a segment file changed");
            failures++;
        } else {
            say("OK", what, d.sha256);
        }
        sb_free(&why);
    }
    case_rows_close(rows);
    if (err.code == TRAWL_ENOMEM)
        goto oom;
    if (err.code) {
        say("ERROR", "case.db", err.msg);
        failures++;
    }
    char detail[64];
    snprintf(detail, sizeof detail, "%d problem(s)", failures);
    trawl_err aerr = {0};
    if (!record)
        cli_warn("verify", "the case is read-only: this verification is not recorded in its "
                           "audit log");
    else if (cli_audit(c, env, examiner, "verify", NULL, NULL, 0, failures ? "integrity" : "ok",
                       detail, &aerr))
        cli_report("verify", &aerr);
    audit_records_free(&rec);
    case_close(c);
    return failures ? EXIT_INTEGRITY : EXIT_DONE;

oom:
    out_records_free(&outs);
    audit_records_free(&rec);
    case_close(c);
    return cli_report("verify", &(trawl_err){TRAWL_ENOMEM, "out of memory"});
}
