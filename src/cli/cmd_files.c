/* cmd_files.c: `trawl files CASE DEVICE`: the files the file-system stage
 * listed for a device (allocated, deleted, orphan), with size, times,
 * hashes, MIME type, hash-set marks and the number of identifiers found in
 * each; filtered by deletion, MIME type and path. */
#include <fnmatch.h>
#include <string.h>

#include "case/case.h"
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

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : NULL;
}

static void jfield(strbuf *sb, const char *key, sqlite3_stmt *st, int i)
{
    sb_addc(sb, ',');
    cli_json_col(sb, key, st, i);
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
    sqlite3_stmt *st, *hs = NULL;
    if (ids && case_prepare(c,
                            "SELECT type, value, path FROM identifiers WHERE file_id = ?"
                            " ORDER BY pos, path, type, value",
                            &hs, &err)) {
        case_close(c);
        return cli_report("files", &err);
    }
    if (case_prepare(c,
                     "SELECT f.id, f.path, f.inode, f.size, f.alloc, f.orphan, f.mtime, f.atime,"
                     " f.ctime, f.crtime, f.md5, f.sha1, f.sha256, f.mime, f.ext_mismatch,"
                     " f.known, f.hashset, f.meta_type, f.attr, f.data_start,"
                     " (SELECT count(*) FROM identifiers i WHERE i.file_id = f.id), v.offset,"
                     " v.fs_type FROM files f LEFT JOIN volumes v ON v.id = f.volume_id"
                     " WHERE f.device_id = ? AND (?2 = 0 OR f.alloc = 0)"
                     " AND (?3 = 0 OR f.known IS NOT 'known')"
                     " ORDER BY f.path, f.inode, f.id",
                     &st, &err)) {
        case_close(c);
        return cli_report("files", &err);
    }
    sqlite3_bind_int64(st, 1, dev);
    sqlite3_bind_int(st, 2, deleted);
    sqlite3_bind_int(st, 3, no_known);
    strbuf sb = STRBUF_INIT;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *path = col(st, 1), *mime = col(st, 13);
        if (glob && fnmatch(glob, path ? path : "", 0) != 0)
            continue;
        if (type && fnmatch(type, mime ? mime : "", 0) != 0)
            continue;
        sb_reset(&sb);
        if (json) {
            static const char *const keys[] = {
                "id",     "path",       "inode",        "size",          "alloc",   "orphan",
                "mtime",  "atime",      "ctime",        "crtime",        "md5",     "sha1",
                "sha256", "mime",       "ext_mismatch", "known",         "hashset", "meta_type",
                "attr",   "data_start", "identifiers",  "volume_offset", "fs_type"};
            sb_adds(&sb, "{\"device\":\"");
            esc_json(&sb, argv[first + 1], strlen(argv[first + 1]));
            sb_addc(&sb, '"');
            for (int i = 0; i < 23; i++)
                jfield(&sb, keys[i], st, i);
            if (hs) {
                sqlite3_reset(hs);
                sqlite3_bind_int64(hs, 1, sqlite3_column_int64(st, 0));
                sb_adds(&sb, ",\"hits\":[");
                for (int n = 0; sqlite3_step(hs) == SQLITE_ROW; n++) {
                    sb_adds(&sb, n ? ",{" : "{");
                    static const char *const hk[] = {"type", "value", "path"};
                    for (int i = 0; i < 3; i++) {
                        sb_addf(&sb, "%s\"%s\":\"", i ? "," : "", hk[i]);
                        esc_json(&sb, col(hs, i) ? col(hs, i) : "",
                                 (size_t)sqlite3_column_bytes(hs, i));
                        sb_addc(&sb, '"');
                    }
                    sb_addc(&sb, '}');
                }
                sb_addc(&sb, ']');
            }
            sb_adds(&sb, "}\n");
        } else {
            const char *state = sqlite3_column_int(st, 5)   ? "orphan"
                                : sqlite3_column_int(st, 4) ? "live"
                                                            : "deleted";
            sb_addf(&sb, "%-7s %8lld %10lld %-20s %-32s %-24s %5lld ", state,
                    (long long)sqlite3_column_int64(st, 2), (long long)sqlite3_column_int64(st, 3),
                    col(st, 6) ? col(st, 6) : "-", col(st, 10) ? col(st, 10) : "-",
                    mime ? mime : "-", (long long)sqlite3_column_int64(st, 20));
            esc_term(&sb, path ? path : "", path ? strlen(path) : 0);
            if (col(st, 15)) {
                sb_addf(&sb, "  %s:", col(st, 15));
                esc_term(&sb, col(st, 16), strlen(col(st, 16) ? col(st, 16) : ""));
            }
            if (sqlite3_column_int(st, 14))
                sb_adds(&sb, "  ext-mismatch");
            sb_addc(&sb, '\n');
            if (hs) {
                sqlite3_reset(hs);
                sqlite3_bind_int64(hs, 1, sqlite3_column_int64(st, 0));
                while (sqlite3_step(hs) == SQLITE_ROW) {
                    sb_adds(&sb, "        ");
                    for (int i = 0; i < 3; i++) {
                        const char *v = col(hs, i);
                        if (i)
                            sb_addc(&sb, '\t');
                        esc_term(&sb, v ? v : "", (size_t)sqlite3_column_bytes(hs, i));
                    }
                    sb_addc(&sb, '\n');
                }
            }
        }
        if (sb.oom) {
            trawl_fail(&err, TRAWL_ENOMEM, "out of memory");
            break;
        }
        fwrite(sb.buf, 1, sb.len, stdout);
    }
    if (!err.code && step != SQLITE_DONE)
        trawl_fail(&err, TRAWL_ECASE, "%s/case.db: reading files: %s", argv[first],
                   sqlite3_errmsg(case_sqlite(c)));
    sqlite3_finalize(st);
    sqlite3_finalize(hs);
    sb_free(&sb);
    case_close(c);
    return err.code ? cli_report("files", &err) : EXIT_DONE;
}
