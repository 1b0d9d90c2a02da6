/* cmd_scan.c: `trawl scan -o CASE [OPTIONS] IMAGE...`, which adds each image
 * to the case as a device (or all of them as one, with --device) and runs
 * the whole pipeline on it.  Each device is its own transaction: a bad image
 * is refused and the others still go in. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "case/case.h"
#include "case/link_stamp.h"
#include "cli/cli.h"
#include "cli/cli_audit.h"
#include "cli/cli_problems.h"
#include "cli/cli_row.h"
#include "cli/cli_versions.h"
#include "cli/names.h"
#include "cli/progress.h"
#include "evidence/ev.h"
#include "fs/fs.h"
#include "ingest/ingest.h"
#include "util/escape.h"
#include "util/limits.h"
#include "util/strbuf.h"

enum {
    OPT_DEVICE = 256,
    OPT_EXHIBIT,
    OPT_CUSTODIAN,
    OPT_EXAMINER,
    OPT_MAX_DEPTH,
    OPT_COUNTRY,
    OPT_STOP_LIST,
    OPT_NO_DEFAULT_STOP,
    OPT_KEYWORDS,
    OPT_COLUMNS,
    OPT_RULES,
    OPT_TZ,
    OPT_NO_FS,
    OPT_NO_LINK,
    OPT_FS_TIMEOUT,
    OPT_FS_MEMORY,
    OPT_READ_TIMEOUT,
    OPT_READ_MEMORY,
};

static const cli_opt scan_opts[] = {
    {"output", 'o', "CASE", "the case folder (created when missing)"},
    {"device", OPT_DEVICE, "NAME", "name the device; with several images, they form one device"},
    {"exhibit", OPT_EXHIBIT, "ID", "exhibit number, recorded with the device"},
    {"custodian", OPT_CUSTODIAN, "WHO", "custodian, recorded with the device"},
    {"examiner", OPT_EXAMINER, "WHO", "who runs the scan (default: the login name)"},
    {"jobs", 'j', "N", "worker threads (default: all cores)"},
    {"max-depth", OPT_MAX_DEPTH, "N",
     "recursion depth into compressed/encoded data (default 5, 0 = none)"},
    {"country", OPT_COUNTRY, "CC",
     "ISO 3166 country whose calling code national phone numbers get"},
    {"stop-list", OPT_STOP_LIST, "FILE", "suppress these features (feature [TAB context] a line)"},
    {"no-default-stop-list", OPT_NO_DEFAULT_STOP, NULL, "keep well-known example values too"},
    {"keywords", OPT_KEYWORDS, "FILE", "search terms, a literal or /regex/flags a line"},
    {"columns", OPT_COLUMNS, "FILE",
     "SQLite column rules added to the built-in ones (TABLE TAB COLUMN TAB WHAT [TAB WHEN])"},
    {"rules", OPT_RULES, "PATH", "YARA rules (a file or a folder) to run over every file"},
    {"tz", OPT_TZ, "ZONE", "time zone the device kept FAT times in (default UTC)"},
    {"no-fs", OPT_NO_FS, NULL, "skip the file-system stage (raw bytes only)"},
    {"fs-timeout", OPT_FS_TIMEOUT, "SECONDS",
     "stop a device's file-system stage after this long (default 600 + 30 per GiB)"},
    {"fs-memory", OPT_FS_MEMORY, "MIB", "memory the file-system stage may use (default 4096)"},
    {"read-timeout", OPT_READ_TIMEOUT, "SECONDS",
     "stop an image's reader when opening or one read takes this long (default 300)"},
    {"read-memory", OPT_READ_MEMORY, "MIB", "memory an image's reader may use (default 4096)"},
    {"no-link", OPT_NO_LINK, NULL, "do not rebuild the cross-device links afterwards"},
    {NULL, 0, NULL, NULL},
};

/* The test hook of the crash-containment tests: TRAWL_TEST_FS_FAULT=crash:NAME,
 * hang:NAME or memory:NAME makes device NAME's file-system child crash
 * (SIGSEGV), hang, or allocate until its memory limit refuses, at the start
 * of its walk. */
static int fs_fault(const char *device)
{
    const char *e = getenv("TRAWL_TEST_FS_FAULT");
    if (!e)
        return INGEST_FS_FAULT_NONE;
    const char *colon = strchr(e, ':');
    if (!colon || strcmp(colon + 1, device) != 0)
        return INGEST_FS_FAULT_NONE;
    size_t n = (size_t)(colon - e);
    if (n == 5 && strncmp(e, "crash", 5) == 0)
        return INGEST_FS_FAULT_CRASH;
    if (n == 4 && strncmp(e, "hang", 4) == 0)
        return INGEST_FS_FAULT_HANG;
    if (n == 6 && strncmp(e, "memory", 6) == 0)
        return INGEST_FS_FAULT_MEMORY;
    return INGEST_FS_FAULT_NONE;
}

/* The test hook of the image readers' containment:
 * TRAWL_TEST_READ_FAULT=crash:NAME:OFFSET, hang:NAME:OFFSET or
 * memory:NAME:OFFSET makes device NAME's image reader child crash (SIGSEGV),
 * hang, or allocate until its memory limit refuses, when it reads the byte at
 * media offset OFFSET. */
static int read_fault(const char *device, uint64_t *offset)
{
    const char *e = getenv("TRAWL_TEST_READ_FAULT");
    if (!e)
        return EV_FAULT_NONE;
    const char *c1 = strchr(e, ':');
    const char *c2 = c1 ? strrchr(c1 + 1, ':') : NULL;
    if (!c2 || (size_t)(c2 - c1 - 1) != strlen(device) || strncmp(c1 + 1, device, strlen(device)))
        return EV_FAULT_NONE;
    char *end;
    unsigned long long off = strtoull(c2 + 1, &end, 10);
    if (end == c2 + 1 || *end)
        return EV_FAULT_NONE;
    *offset = off;
    size_t n = (size_t)(c1 - e);
    if (n == 5 && strncmp(e, "crash", 5) == 0)
        return EV_FAULT_CRASH;
    if (n == 4 && strncmp(e, "hang", 4) == 0)
        return EV_FAULT_HANG;
    if (n == 6 && strncmp(e, "memory", 6) == 0)
        return EV_FAULT_MEMORY;
    return EV_FAULT_NONE;
}

static void json_opt(strbuf *sb, const char *key, const char *v)
{
    if (!v)
        return;
    sb_addf(sb, ",\"%s\":\"", key);
    esc_json(sb, v, strlen(v));
    sb_addc(sb, '"');
}

/* Create the folders above the case folder dir that are missing (as
 * mkdir -p; the case folder itself is case_open's to create). */
static int make_parents(const char *dir, trawl_err *err)
{
    char p[PATH_MAX];
    if (snprintf(p, sizeof p, "%s", dir) >= (int)sizeof p)
        return trawl_fail(err, TRAWL_EUSAGE, "%s: case path too long", dir);
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = 0;
    char *last = strrchr(p, '/');
    if (!last || last == p)
        return 0;
    *last = 0;
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == 0) {
            char c = *s;
            *s = 0;
            struct stat st;
            if (stat(p, &st) != 0 && mkdir(p, 0777) != 0 && errno != EEXIST)
                return trawl_fail(err, TRAWL_ECASE, "%s: cannot create folder: %s", p,
                                  strerror(errno));
            *s = c;
            if (!c)
                break;
        }
    }
    return 0;
}

/* The terminal side of the ingest callbacks. */
typedef struct scan_term {
    const cli_env *env;
    cli_progress prog;
    int drawing; /* prog started for the current device: 1 reading, 2 walking */
} scan_term;

static void on_progress(void *ctx, const ingest_progress *p)
{
    scan_term *t = ctx;
    if (strcmp(p->phase, "fs") == 0 && p->files > 0) {
        if (t->drawing != 2) {
            if (t->drawing)
                cli_progress_end(&t->prog);
            cli_progress_start(&t->prog, t->env->progress, p->device, p->total);
            t->drawing = 2;
        }
        cli_progress_files(&t->prog, p->files);
        return;
    }
    if (strcmp(p->phase, "read") != 0) {
        if (t->drawing)
            cli_progress_end(&t->prog);
        t->drawing = 0;
        return;
    }
    if (t->drawing == 2) {
        cli_progress_end(&t->prog);
        t->drawing = 0;
    }
    if (!t->drawing) {
        cli_progress_start(&t->prog, t->env->progress, p->device, p->total);
        t->drawing = 1;
    }
    cli_progress_show(&t->prog, p->done, p->identifiers);
}

static void on_warning(void *ctx, const char *device, const char *msg)
{
    scan_term *t = ctx;
    if (t->drawing)
        cli_progress_end(&t->prog);
    t->drawing = 0;
    cli_warn("scan", "%s", msg);
}

static void on_done(void *ctx, const char *device, const ingest_result *r, const trawl_err *err)
{
    scan_term *t = ctx;
    if (t->drawing)
        cli_progress_end(&t->prog);
    t->drawing = 0;
}

/* The problems a stored device met (a walk cut short, a volume that could
 * not be opened...), as the case recorded them: the examiner sees them now,
 * not only in trawl info and the report. */
static void show_problems(case_db *cs, const char *device)
{
    strbuf prefix = STRBUF_INIT;
    sb_adds(&prefix, "trawl: scan: warning: ");
    cli_term(&prefix, device);
    sb_adds(&prefix, ": problem: ");
    trawl_err err = {0};
    if (!prefix.oom && cli_problems_print(cs, device, stderr, sb_cstr(&prefix), NULL, &err))
        cli_report("scan", &err);
    sb_free(&prefix);
}

int cmd_scan(int argc, char **argv, const cli_env *env)
{
    cli_parser p = {
        .cmd = "scan",
        .synopsis = "trawl scan -o CASE [--device NAME] [-j N] [--examiner WHO] [OPTIONS] IMAGE...",
        .about = "Add disk images to a case.  Each image is opened read-only (raw, split raw from\n"
                 "its first segment, E01, VMDK, VHD, QCOW2: detected by signature), hashed\n"
                 "(MD5, SHA-1, SHA-256, compared with the hashes an E01 stores), scanned for\n"
                 "identifiers in every byte, and its file systems listed and hashed; every hit\n"
                 "is attributed to a file or an area.  Results go to CASE/case.db and\n"
                 "CASE/devices/NAME/; the action to CASE/audit.log.  Each image is one device\n"
                 "named after its file (usb03.raw.001 -> usb03) unless --device names it.",
        .opts = scan_opts,
        .argc = argc,
        .argv = argv,
    };
    scan_options so;
    scan_options_default(&so);
    const char *out = NULL, *device = NULL, *exhibit = NULL, *custodian = NULL, *examiner = NULL;
    const char *rules = NULL, *tz = NULL;
    int no_fs = 0, no_link = 0;
    unsigned fs_timeout = 0, fs_memory = 0, read_timeout = 0, read_memory = 0;
    const char *v;
    int c;
    long n;
    while ((c = cli_next(&p, &v)) != -1) {
        switch (c) {
        case 'h':
            return EXIT_DONE;
        case '?':
            return EXIT_USAGE;
        case 'o':
            out = v;
            break;
        case OPT_DEVICE:
            if (!cli_device_name_ok(v))
                return cli_usage_error("scan",
                                       "bad device name '%s' (letters, digits, '.', '_', '-')", v);
            device = v;
            break;
        case OPT_EXHIBIT:
            exhibit = v;
            break;
        case OPT_CUSTODIAN:
            custodian = v;
            break;
        case OPT_EXAMINER:
            examiner = v;
            break;
        case 'j':
            if (cli_parse_int(v, 1, SCAN_MAX_THREADS, &n))
                return cli_usage_error("scan", "-j takes a number from 1 to %d", SCAN_MAX_THREADS);
            so.threads = (int)n;
            break;
        case OPT_MAX_DEPTH:
            if (cli_parse_int(v, 0, SCAN_MAX_DEPTH, &n))
                return cli_usage_error("scan", "--max-depth takes a number from 0 to %d",
                                       SCAN_MAX_DEPTH);
            so.max_depth = (int)n;
            break;
        case OPT_COUNTRY:
            so.country = v;
            break;
        case OPT_STOP_LIST:
            so.stop_list = v;
            break;
        case OPT_NO_DEFAULT_STOP:
            so.no_default_stop_list = 1;
            break;
        case OPT_KEYWORDS:
            so.keywords = v;
            break;
        case OPT_COLUMNS:
            so.columns = v;
            break;
        case OPT_RULES:
            rules = v;
            break;
        case OPT_TZ:
            tz = v;
            break;
        case OPT_NO_FS:
            no_fs = 1;
            break;
        case OPT_NO_LINK:
            no_link = 1;
            break;
        case OPT_FS_TIMEOUT:
            if (cli_parse_int(v, 1, FS_CHILD_MAX_TIMEOUT, &n))
                return cli_usage_error("scan",
                                       "--fs-timeout takes a number of seconds from 1 to %d",
                                       FS_CHILD_MAX_TIMEOUT);
            fs_timeout = (unsigned)n;
            break;
        case OPT_FS_MEMORY:
            if (cli_parse_int(v, FS_CHILD_MIN_MEMORY_MIB, FS_CHILD_MAX_MEMORY_MIB, &n))
                return cli_usage_error("scan", "--fs-memory takes a number of MiB from %d to %d",
                                       FS_CHILD_MIN_MEMORY_MIB, FS_CHILD_MAX_MEMORY_MIB);
            fs_memory = (unsigned)n;
            break;
        case OPT_READ_TIMEOUT:
            if (cli_parse_int(v, 1, EV_CHILD_MAX_TIMEOUT, &n))
                return cli_usage_error("scan",
                                       "--read-timeout takes a number of seconds from 1 to %d",
                                       EV_CHILD_MAX_TIMEOUT);
            read_timeout = (unsigned)n;
            break;
        case OPT_READ_MEMORY:
            if (cli_parse_int(v, EV_CHILD_MIN_MEMORY_MIB, EV_CHILD_MAX_MEMORY_MIB, &n))
                return cli_usage_error("scan", "--read-memory takes a number of MiB from %d to %d",
                                       EV_CHILD_MIN_MEMORY_MIB, EV_CHILD_MAX_MEMORY_MIB);
            read_memory = (unsigned)n;
            break;
        default:
            return EXIT_USAGE;
        }
    }
    int first = cli_optind();
    if (!out)
        return cli_usage_error("scan", "the case folder is missing: -o CASE");
    if (first >= argc)
        return cli_usage_error("scan", "no image given");
    if (!examiner)
        examiner = env->login;

    trawl_err err = {0};
    case_db *cs = NULL;
    cli_wait_notice("scan", out);
    if (make_parents(out, &err) || case_open(out, 1, &cs, &err))
        return cli_report("scan", &err);

    scan_engine *eng = NULL;
    fs_rules *yrules = NULL;
    if (scan_engine_new(&so, &eng, &err) || (rules && fs_rules_compile(rules, &yrules, &err))) {
        int rc = cli_report("scan", &err);
        trawl_err aerr = {0};
        if (cli_audit(cs, env, examiner, "scan", device, NULL, 0, "refused", err.msg, &aerr))
            cli_report("scan", &aerr);
        scan_engine_free(eng);
        case_close(cs);
        return rc;
    }
    char *libs = cli_library_versions();
    scan_term term = {.env = env};

    strbuf opts = STRBUF_INIT;
    sb_addf(&opts, "{\"max_depth\":%d,\"default_stop_list\":%s", so.max_depth,
            so.no_default_stop_list ? "false" : "true");
    json_opt(&opts, "country", so.country);
    json_opt(&opts, "stop_list", so.stop_list);
    json_opt(&opts, "keywords", so.keywords);
    json_opt(&opts, "columns", so.columns);
    json_opt(&opts, "rules", rules);
    json_opt(&opts, "tz", tz);
    sb_adds(&opts, no_fs ? ",\"fs\":false}" : ",\"fs\":true}");

    /* Absolute paths: the case records where the evidence was. */
    int nimg = argc - first;
    char **paths = calloc((size_t)nimg, sizeof *paths);
    int exit_code = EXIT_DONE, added = 0;
    for (int i = 0; paths && i < nimg; i++) {
        char *rp = realpath(argv[first + i], NULL);
        paths[i] = rp ? rp : strdup(argv[first + i]);
    }
    int ngroups = device ? 1 : nimg;
    for (int g = 0; paths && g < ngroups; g++) {
        char name[256];
        if (device)
            snprintf(name, sizeof name, "%s", device);
        else
            cli_device_name(argv[first + g], name, sizeof name);
        ingest_options job = {
            .name = name,
            .paths = (const char *const *)(device ? paths : &paths[g]),
            .npaths = device ? (size_t)nimg : 1,
            .exhibit = exhibit,
            .custodian = custodian,
            .eng = eng,
            .options_json = sb_cstr(&opts),
            .no_fs = no_fs,
            .tz = tz,
            .rules = yrules,
            .fs_timeout = fs_timeout,
            .fs_memory_mib = fs_memory,
            .fs_fault = fs_fault(name),
            .read_timeout = read_timeout,
            .read_memory_mib = read_memory,
            .audit = {examiner, env->argc, env->argv, libs},
            .cb = {&term, on_progress, on_warning, on_done},
        };
        job.read_fault = read_fault(name, &job.read_fault_offset);
        trawl_err derr = {0};
        switch (ingest_device(cs, &job, NULL, &derr)) {
        case INGEST_ADDED:
            added++;
            show_problems(cs, name);
            fprintf(stderr, "trawl: scan: device '%s' added to %s\n", name, out);
            break;
        case INGEST_INTEGRITY:
            added++;
            show_problems(cs, name);
            cli_report("scan", &derr);
            if (exit_code == EXIT_DONE)
                exit_code = EXIT_INTEGRITY;
            break;
        case INGEST_NOOP: {
            strbuf sb = STRBUF_INIT;
            esc_term(&sb, derr.msg, strlen(derr.msg));
            fprintf(stderr, "trawl: scan: %s\n", sb_cstr(&sb));
            sb_free(&sb);
            break;
        }
        default:
            cli_report("scan", &derr);
            exit_code = EXIT_ERROR;
            break;
        }
    }
    if (!paths)
        exit_code = cli_report("scan", &(trawl_err){TRAWL_ENOMEM, "out of memory"});
    /* Also when nothing was added but the links predate the devices: a
     * scan killed between a device's commit and the link run, run again. */
    int links_current = 1;
    if (!added && !no_link) {
        trawl_err serr = {0};
        if (case_links_current(cs, &links_current, &serr))
            links_current = 0;
    }
    if ((added || !links_current) && !no_link) {
        trawl_err lerr = {0};
        ingest_audit la = {examiner, env->argc, env->argv, libs};
        if (ingest_link(cs, &la, env->progress, &lerr) || case_links_stamp(cs, &lerr)) {
            /* The devices are stored (each said so above) and stay; only
             * the links are stale: exit 1, saying which and how to mend. */
            strbuf sb = STRBUF_INIT;
            esc_term(&sb, lerr.msg, strlen(lerr.msg));
            fprintf(stderr, "trawl: scan: the cross-device links were not rebuilt: %s\n",
                    sb_cstr(&sb));
            sb_reset(&sb);
            esc_term(&sb, out, strlen(out));
            if (added)
                fprintf(stderr, "trawl: scan: the %d device(s) added above are stored in %s; ",
                        added, sb_cstr(&sb));
            else
                fprintf(stderr, "trawl: scan: %s: ", sb_cstr(&sb));
            fprintf(stderr,
                    "the case's links are out of date: run 'trawl link %s' (or scan again) to "
                    "rebuild them\n",
                    sb_cstr(&sb));
            sb_free(&sb);
            if (exit_code == EXIT_DONE)
                exit_code = EXIT_ERROR;
        }
    }
    for (int i = 0; paths && i < nimg; i++)
        free(paths[i]);
    free(paths);
    sb_free(&opts);
    free(libs);
    fs_rules_free(yrules);
    scan_engine_free(eng);
    case_close(cs);
    return exit_code;
}
