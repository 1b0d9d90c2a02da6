/* cmd_hashset.c: `trawl hashset import|list CASE ...`: known-file and
 * notable-file hash sets.  Import reads NSRL RDS v3 (SQLite), the legacy
 * NSRLFile.txt, hashdeep files and md5sum/sha1sum/sha256sum lists into a
 * sorted binary table in CASE/hashsets (case/hashset.c); the next scans
 * mark files found in it.  Each import is audited with the input's SHA-256. */
#include <string.h>

#include "case/case_fs.h"
#include "case/q_devices.h"
#include "cli/cli.h"
#include "cli/cli_audit.h"
#include "evidence/ev_hash.h"
#include "util/escape.h"
#include "util/strbuf.h"

enum { OPT_KIND = 256, OPT_NAME };

static const cli_opt import_opts[] = {
    {"kind", OPT_KIND, "KIND", "'known' (known-good, can be left out) or 'notable' (alerts)"},
    {"name", OPT_NAME, "NAME", "the set's name (letters, digits, '.', '-', '_')"},
    {NULL, 0, NULL, NULL},
};

static const cli_opt list_opts[] = {
    {NULL, 0, NULL, NULL},
};

static int hashset_list(int argc, char **argv)
{
    cli_parser p = {
        .cmd = "hashset list",
        .synopsis = "trawl hashset list CASE",
        .about = "List the hash sets of a case: name, kind, hashes, import time, source.",
        .opts = list_opts,
        .argc = argc,
        .argv = argv,
    };
    int ch;
    const char *v;
    while ((ch = cli_next(&p, &v)) != -1)
        return ch == 'h' ? EXIT_DONE : EXIT_USAGE;
    int first = cli_optind();
    if (first + 1 != argc)
        return cli_usage_error("hashset list", "give one case folder");
    trawl_err err = {0};
    case_db *c;
    case_hashset_row r;
    case_rows *rows;
    if (case_open(argv[first], CASE_READ, &c, &err))
        return cli_report("hashset", &err);
    if (case_hashsets(c, &r, &rows, &err)) {
        case_close(c);
        return cli_report("hashset", &err);
    }
    strbuf sb = STRBUF_INIT;
    int row;
    while (case_rows_next(rows, &row, &err) == 0 && row) {
        sb_reset(&sb);
        esc_term(&sb, r.name.s, strlen(r.name.s));
        sb_addc(&sb, '\t');
        esc_term(&sb, r.kind.s, strlen(r.kind.s));
        sb_addf(&sb, "\t%lld\t", (long long)r.count.i);
        esc_term(&sb, r.imported.s, strlen(r.imported.s));
        sb_addc(&sb, '\t');
        esc_term(&sb, r.source.s, strlen(r.source.s));
        sb_addc(&sb, '\n');
        fwrite(sb.buf, 1, sb.len, stdout);
    }
    sb_free(&sb);
    case_rows_close(rows);
    case_close(c);
    return err.code ? cli_report("hashset", &err) : EXIT_DONE;
}

static int mark_all(case_db *c, trawl_err *err)
{
    case_device_ref d;
    case_rows *rows = NULL;
    int rc = case_devices_by_id(c, &d, &rows, err), row;
    while (!rc && !(rc = case_rows_next(rows, &row, err)) && row)
        rc = case_mark_known(c, d.id.i, err);
    case_rows_close(rows);
    return rc;
}

static int hashset_import(int argc, char **argv, const cli_env *env)
{
    cli_parser p = {
        .cmd = "hashset import",
        .synopsis = "trawl hashset import --kind known|notable --name NAME CASE FILE",
        .about = "Import a hash set into the case.  FILE is an NSRL RDS v3 database (SQLite; its\n"
                 "FILE view gives sha256, sha1 and md5), a legacy NSRLFile.txt, a hashdeep file,\n"
                 "or an md5sum / sha1sum / sha256sum list (the format is found from the content).\n"
                 "The hashes are stored sorted in CASE/hashsets/NAME.bin; files whose MD5, SHA-1\n"
                 "or SHA-256 is in a set are marked 'known' or 'notable' (now for the devices in\n"
                 "the case, and by every later scan); a notable mark wins over a known one.",
        .opts = import_opts,
        .argc = argc,
        .argv = argv,
    };
    const char *kind = NULL, *name = NULL, *v;
    int ch;
    while ((ch = cli_next(&p, &v)) != -1) {
        switch (ch) {
        case 'h':
            return EXIT_DONE;
        case '?':
            return EXIT_USAGE;
        case OPT_KIND:
            kind = v;
            break;
        case OPT_NAME:
            name = v;
            break;
        }
    }
    int first = cli_optind();
    if (first + 2 != argc)
        return cli_usage_error("hashset import", "give a case folder and a hash list file");
    if (!kind || (strcmp(kind, "known") && strcmp(kind, "notable")))
        return cli_usage_error("hashset import", "--kind must be 'known' or 'notable'");
    if (!name)
        return cli_usage_error("hashset import", "--name NAME is required");
    const char *file = argv[first + 1];
    trawl_err err = {0}, aerr = {0};
    case_db *c;
    cli_wait_notice("hashset", argv[first]);
    if (case_open(argv[first], CASE_WRITE, &c, &err))
        return cli_report("hashset", &err);
    ev_digests d;
    case_audit_input in = {file, NULL};
    if (ev_hash_file(file, &d, &err) == 0)
        in.sha256 = d.sha256;
    uint64_t count = 0;
    int rc = err.code;
    if (!rc && !(rc = case_begin(c, &err))) {
        rc = case_hashset_import(c, name, kind, file, &count, &err);
        if (!rc) /* the devices already in the case are marked now, later ones by scan */
            rc = mark_all(c, &err);
        if (!rc) {
            char detail[160];
            snprintf(detail, sizeof detail, "%s set '%s': %llu hashes", kind, name,
                     (unsigned long long)count);
            rc = cli_audit(c, env, NULL, "hashset-import", NULL, &in, 1, "ok", detail, &err);
        }
        if (!rc)
            rc = case_commit(c, &err);
        else
            case_rollback(c);
    }
    if (rc) {
        cli_audit(c, env, NULL, "hashset-import", NULL, &in, 1,
                  rc == TRAWL_EFORMAT || rc == TRAWL_EEXISTS || rc == TRAWL_EUSAGE ? "refused"
                                                                                   : "error",
                  err.msg, &aerr);
        case_close(c);
        return cli_report("hashset", &err);
    }
    case_close(c);
    printf("imported %llu hashes into %s set '%s'\n", (unsigned long long)count, kind, name);
    return EXIT_DONE;
}

int cmd_hashset(int argc, char **argv, const cli_env *env)
{
    if (argc >= 2 && !strcmp(argv[1], "import"))
        return hashset_import(argc - 1, argv + 1, env);
    if (argc >= 2 && !strcmp(argv[1], "list"))
        return hashset_list(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: trawl hashset import --kind known|notable --name NAME CASE FILE\n"
               "       trawl hashset list CASE\n"
               "see 'trawl hashset import --help'\n");
        return EXIT_DONE;
    }
    return cli_usage_error("hashset", "say 'import' or 'list'");
}
