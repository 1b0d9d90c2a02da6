/* cmd_info.c: `trawl info CASE [--json]`: the case's devices, their images,
 * sizes, hashes and verification state. */
#include <string.h>

#include "case/case.h"
#include "cli/cli.h"
#include "util/escape.h"
#include "util/strbuf.h"

static const cli_opt info_opts[] = {
    {"json", 'J', NULL, "print JSON instead of text"},
    {NULL, 0, NULL, NULL},
};

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

static void term(const char *s)
{
    strbuf sb = STRBUF_INIT;
    esc_term(&sb, s, strlen(s));
    fputs(sb_cstr(&sb), stdout);
    sb_free(&sb);
}

static void jstr(strbuf *sb, const char *key, sqlite3_stmt *st, int i, int comma)
{
    sb_addf(sb, "%s\"%s\":", comma ? "," : "", key);
    if (sqlite3_column_type(st, i) == SQLITE_NULL) {
        sb_adds(sb, "null");
    } else if (sqlite3_column_type(st, i) == SQLITE_INTEGER) {
        sb_addf(sb, "%lld", (long long)sqlite3_column_int64(st, i));
    } else {
        sb_addc(sb, '"');
        esc_json(sb, col(st, i), (size_t)sqlite3_column_bytes(st, i));
        sb_addc(sb, '"');
    }
}

int cmd_info(int argc, char **argv, const cli_env *env)
{
    (void)env;
    cli_parser p = {
        .cmd = "info",
        .synopsis = "trawl info [--json] CASE",
        .about = "List the devices of a case: name, size, state, and for each image its path,\n"
                 "format, MD5, SHA-1, SHA-256 and verification result ('match' with the hashes\n"
                 "an E01 stores, 'mismatch', or 'computed' where the image stores none).",
        .opts = info_opts,
        .argc = argc,
        .argv = argv,
    };
    int json = 0, ch;
    const char *v;
    while ((ch = cli_next(&p, &v)) != -1) {
        if (ch == 'h')
            return EXIT_DONE;
        if (ch == '?')
            return EXIT_USAGE;
        if (ch == 'J')
            json = 1;
    }
    int first = cli_optind();
    if (first + 1 != argc)
        return cli_usage_error("info", "give exactly one case folder");
    trawl_err err = {0};
    case_db *c;
    if (case_open(argv[first], 0, &c, &err))
        return cli_report("info", &err);
    sqlite3_stmt *st;
    if (case_prepare(c,
                     "SELECT d.name, d.size, d.state, d.exhibit, d.custodian, d.examiner, "
                     "i.path, i.format, i.media_size, i.md5, i.sha1, i.sha256, i.verification, "
                     "i.acquisition, (SELECT count(*) FROM identifiers x WHERE x.device_id=d.id), "
                     "d.scan_finished FROM devices d JOIN images i ON i.device_id=d.id "
                     "ORDER BY d.name, i.seq",
                     &st, &err)) {
        case_close(c);
        return cli_report("info", &err);
    }
    strbuf sb = STRBUF_INIT;
    if (json)
        sb_adds(&sb, "{\"devices\":[");
    char last[512] = "";
    int ndev = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = col(st, 0);
        int newdev = strcmp(name, last) != 0;
        snprintf(last, sizeof last, "%s", name);
        if (json) {
            if (newdev) {
                if (ndev)
                    sb_adds(&sb, "]},");
                sb_addc(&sb, '{');
                jstr(&sb, "name", st, 0, 0);
                jstr(&sb, "size", st, 1, 1);
                jstr(&sb, "state", st, 2, 1);
                jstr(&sb, "exhibit", st, 3, 1);
                jstr(&sb, "custodian", st, 4, 1);
                jstr(&sb, "examiner", st, 5, 1);
                jstr(&sb, "identifiers", st, 14, 1);
                jstr(&sb, "scan_finished", st, 15, 1);
                sb_adds(&sb, ",\"images\":[");
            } else {
                sb_addc(&sb, ',');
            }
            sb_addc(&sb, '{');
            jstr(&sb, "path", st, 6, 0);
            jstr(&sb, "format", st, 7, 1);
            jstr(&sb, "media_size", st, 8, 1);
            jstr(&sb, "md5", st, 9, 1);
            jstr(&sb, "sha1", st, 10, 1);
            jstr(&sb, "sha256", st, 11, 1);
            jstr(&sb, "verification", st, 12, 1);
            sb_adds(&sb, ",\"acquisition\":");
            sb_adds(&sb, sqlite3_column_type(st, 13) == SQLITE_NULL ? "null" : col(st, 13));
            sb_addc(&sb, '}');
        } else {
            if (newdev) {
                printf("%sdevice ", ndev ? "\n" : "");
                term(name);
                printf("  %lld bytes  %s  %lld identifiers", (long long)sqlite3_column_int64(st, 1),
                       col(st, 2), (long long)sqlite3_column_int64(st, 14));
                if (*col(st, 3)) {
                    printf("  exhibit ");
                    term(col(st, 3));
                }
                if (*col(st, 4)) {
                    printf("  custodian ");
                    term(col(st, 4));
                }
                printf("\n");
            }
            printf("  image  ");
            term(col(st, 6));
            printf("\n    format %s  size %lld  verification %s\n    md5    %s\n    sha1   %s\n"
                   "    sha256 %s\n",
                   col(st, 7), (long long)sqlite3_column_int64(st, 8), col(st, 12), col(st, 9),
                   col(st, 10), col(st, 11));
        }
        if (newdev)
            ndev++;
    }
    sqlite3_finalize(st);
    if (json) {
        sb_adds(&sb, ndev ? "]}]}" : "]}");
        puts(sb_cstr(&sb));
    } else if (!ndev) {
        printf("no devices\n");
    }
    sb_free(&sb);
    case_close(c);
    return EXIT_DONE;
}
