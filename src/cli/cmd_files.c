/* cmd_files.c: `trawl files CASE DEVICE`: the files the file-system stage
 * listed for a device (allocated, deleted, orphan), with size, times,
 * hashes, MIME type, hash-set marks and the number of identifiers found in
 * each; filtered by deletion, MIME type and path. */
#include <fnmatch.h>
#include <string.h>

#include "case/case.h"
#include "case/q_files.h"
#include "cli/cli.h"
#include "cli/cli_row.h"
#include "util/escape.h"
#include "util/strbuf.h"

enum { OPT_DELETED = 256, OPT_TYPE, OPT_PATH, OPT_JSON, OPT_NO_KNOWN, OPT_IDS };

static const cli_opt files_opts[] = {
    {"deleted", OPT_DELETED, NULL, "only deleted files (orphans included)"},
    {"type", OPT_TYPE, "MIME", "only files whose MIME type matches (a glob: 'image/*')"},
    {"path", OPT_PATH, "GLOB", "only files whose path matches GLOB ('*' also crosses '/')"},
    {"no-known", OPT_NO_KNOWN, NULL, "leave out files found in a 'known' hash set"},
    {"identifiers", OPT_IDS, NULL, "under each file, the identifiers attributed to it"},
    {"json", OPT_JSON, NULL, "print one JSON object per line instead of text"},
    {NULL, 0, NULL, NULL},
};

/* v's text, or NULL for a NULL column. */
static const char *col(const case_val *v)
{
    return v->type == CASE_NULL ? NULL : v->s;
}

/* Append the identifiers attributed to file_id: a JSON array member
 * ("hits") or indented lines. */
static int add_hits(case_db *c, int64_t file_id, int json, strbuf *sb, trawl_err *err)
{
    case_file_hit h;
    case_rows *rows;
    int row;
    if (case_file_hits(c, file_id, &h, &rows, err))
        return err->code;
    const case_val *cols[] = {&h.type, &h.value, &h.path};
    if (json)
        sb_adds(sb, ",\"hits\":[");
    for (int n = 0; case_rows_next(rows, &row, err) == 0 && row; n++) {
        if (json) {
            static const char *const hk[] = {"type", "value", "path"};
            sb_adds(sb, n ? ",{" : "{");
            for (int i = 0; i < 3; i++) {
                sb_addf(sb, "%s\"%s\":\"", i ? "," : "", hk[i]);
                esc_json(sb, cols[i]->s, cols[i]->len);
                sb_addc(sb, '"');
            }
            sb_addc(sb, '}');
        } else {
            sb_adds(sb, "        ");
            for (int i = 0; i < 3; i++) {
                if (i)
                    sb_addc(sb, '\t');
                esc_term(sb, cols[i]->s, cols[i]->len);
            }
            sb_addc(sb, '\n');
        }
    }
    if (json)
        sb_addc(sb, ']');
    case_rows_close(rows);
    return err->code;
}

int cmd_files(int argc, char **argv, const cli_env *env)
{
    (void)env;
    cli_parser p = {
        .cmd = "files",
        .synopsis = "trawl files [OPTIONS] CASE DEVICE",
        .about = "List the files of a scanned device, one per line, ordered by path:\n"
                 "  STATE INODE SIZE MTIME MD5 MIME HITS PATH [MARKS]\n"
                 "STATE is 'live', 'deleted' or 'orphan'; MTIME is UTC; HITS counts the\n"
                 "identifiers attributed to the file; MARKS are 'known:SET', 'notable:SET' and\n"
                 "'ext-mismatch' (the name's extension disagrees with the content).  An NTFS\n"
                 "alternate data stream is a file of its own, 'PATH:STREAM'.  With --json, each\n"
                 "line is a JSON object with every column of the files table.",
        .opts = files_opts,
        .argc = argc,
        .argv = argv,
    };
    int deleted = 0, json = 0, no_known = 0, ids = 0, ch;
    const char *type = NULL, *glob = NULL, *v;
    while ((ch = cli_next(&p, &v)) != -1) {
        switch (ch) {
        case 'h':
            return EXIT_DONE;
        case '?':
            return EXIT_USAGE;
        case OPT_DELETED:
            deleted = 1;
            break;
        case OPT_TYPE:
            type = v;
            break;
        case OPT_PATH:
            glob = v;
            break;
        case OPT_NO_KNOWN:
            no_known = 1;
            break;
        case OPT_JSON:
            json = 1;
            break;
        case OPT_IDS:
            ids = 1;
            break;
        }
    }
    int first = cli_optind();
    if (first + 2 != argc)
        return cli_usage_error("files", "give a case folder and a device name");
    trawl_err err = {0};
    case_db *c;
    if (case_open(argv[first], CASE_READ, &c, &err))
        return cli_report("files", &err);
    int64_t dev;
    int found;
    if (case_device_id(c, argv[first + 1], &dev, &found, &err)) {
        case_close(c);
        return cli_report("files", &err);
    }
    if (!found) {
        trawl_fail(&err, TRAWL_EUSAGE, "%s: no device named '%s'", argv[first], argv[first + 1]);
        case_close(c);
        return cli_report("files", &err);
    }
    case_file f;
    case_rows *rows;
    case_file_filter filter = {.deleted_only = deleted, .no_known = no_known};
    if (case_device_files(c, dev, &filter, &f, &rows, &err)) {
        case_close(c);
        return cli_report("files", &err);
    }
    strbuf sb = STRBUF_INIT;
    int row;
    while (case_rows_next(rows, &row, &err) == 0 && row) {
        const char *path = col(&f.path), *mime = col(&f.mime);
        if (glob && fnmatch(glob, path ? path : "", 0) != 0)
            continue;
        if (type && fnmatch(type, mime ? mime : "", 0) != 0)
            continue;
        sb_reset(&sb);
        if (json) {
            const struct {
                const char *key;
                const case_val *v;
            } cols[] = {
                {"id", &f.id},
                {"path", &f.path},
                {"inode", &f.inode},
                {"size", &f.size},
                {"alloc", &f.alloc},
                {"orphan", &f.orphan},
                {"mtime", &f.mtime},
                {"atime", &f.atime},
                {"ctime", &f.ctime},
                {"crtime", &f.crtime},
                {"md5", &f.md5},
                {"sha1", &f.sha1},
                {"sha256", &f.sha256},
                {"mime", &f.mime},
                {"ext_mismatch", &f.ext_mismatch},
                {"known", &f.known},
                {"hashset", &f.hashset},
                {"meta_type", &f.meta_type},
                {"attr", &f.attr},
                {"data_start", &f.data_start},
                {"identifiers", &f.identifiers},
                {"volume_offset", &f.volume_offset},
                {"fs_type", &f.fs_type},
            };
            sb_adds(&sb, "{\"device\":\"");
            esc_json(&sb, argv[first + 1], strlen(argv[first + 1]));
            sb_addc(&sb, '"');
            for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
                sb_addc(&sb, ',');
                cli_json_col(&sb, cols[i].key, cols[i].v);
            }
            if (ids && add_hits(c, f.id.i, 1, &sb, &err))
                break;
            sb_adds(&sb, "}\n");
        } else {
            const char *state = f.orphan.i ? "orphan" : f.alloc.i ? "live" : "deleted";
            sb_addf(&sb, "%-7s %8lld %10lld %-20s %-32s %-24s %5lld ", state, (long long)f.inode.i,
                    (long long)f.size.i, col(&f.mtime) ? f.mtime.s : "-",
                    col(&f.md5) ? f.md5.s : "-", mime ? mime : "-", (long long)f.identifiers.i);
            esc_term(&sb, path ? path : "", path ? strlen(path) : 0);
            if (col(&f.known)) {
                sb_addf(&sb, "  %s:", f.known.s);
                esc_term(&sb, f.hashset.s, strlen(f.hashset.s));
            }
            if (f.ext_mismatch.i)
                sb_adds(&sb, "  ext-mismatch");
            sb_addc(&sb, '\n');
            if (ids && add_hits(c, f.id.i, 0, &sb, &err))
                break;
        }
        if (sb.oom) {
            trawl_fail(&err, TRAWL_ENOMEM, "out of memory");
            break;
        }
        fwrite(sb.buf, 1, sb.len, stdout);
    }
    case_rows_close(rows);
    sb_free(&sb);
    case_close(c);
    return err.code ? cli_report("files", &err) : EXIT_DONE;
}
