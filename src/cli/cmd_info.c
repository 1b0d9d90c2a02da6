/* cmd_info.c: `trawl info CASE [--json]`: the case's devices, their images,
 * sizes, hashes and verification state. */
#include <string.h>

#include "case/case.h"
#include "case/q_devices.h"
#include "cli/cli.h"
#include "cli/cli_problems.h"
#include "cli/cli_row.h"
#include "util/escape.h"
#include "util/strbuf.h"

static const cli_opt info_opts[] = {
    {"json", 'J', NULL, "print JSON instead of text"},
    {NULL, 0, NULL, NULL},
};

static void term(const char *s)
{
    strbuf sb = STRBUF_INIT;
    cli_term(&sb, s);
    fputs(sb_cstr(&sb), stdout);
    sb_free(&sb);
}

int cmd_info(int argc, char **argv, const cli_env *env)
{
    (void)env;
    cli_parser p = {
        .cmd = "info",
        .synopsis = "trawl info [--json] CASE",
        .about = "List the devices of a case: name, size, state, the problems met while\n"
                 "scanning it (a file-system walk that failed or was cut short...: the first\n"
                 "ones and their count), and for each image its path, format, MD5, SHA-1,\n"
                 "SHA-256 and verification result ('match' with the hashes an E01 stores,\n"
                 "'mismatch', or 'computed' where the image stores none).",
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
    if (case_open(argv[first], CASE_READ, &c, &err))
        return cli_report("info", &err);
    case_device_image r;
    case_rows *rows;
    if (case_device_images(c, &r, &rows, &err)) {
        case_close(c);
        return cli_report("info", &err);
    }
    strbuf sb = STRBUF_INIT;
    if (json)
        sb_adds(&sb, "{\"devices\":[");
    char last[512] = "";
    int ndev = 0, row;
    while (case_rows_next(rows, &row, &err) == 0 && row) {
        const char *name = r.name.s;
        int newdev = strcmp(name, last) != 0;
        snprintf(last, sizeof last, "%s", name);
        if (json) {
            if (newdev) {
                if (ndev)
                    sb_adds(&sb, "]},");
                sb_addc(&sb, '{');
                cli_json_col(&sb, "name", &r.name);
                sb_addc(&sb, ','), cli_json_col(&sb, "size", &r.size);
                sb_addc(&sb, ','), cli_json_col(&sb, "state", &r.state);
                sb_addc(&sb, ','), cli_json_col(&sb, "exhibit", &r.exhibit);
                sb_addc(&sb, ','), cli_json_col(&sb, "custodian", &r.custodian);
                sb_addc(&sb, ','), cli_json_col(&sb, "examiner", &r.examiner);
                sb_addc(&sb, ','), cli_json_col(&sb, "identifiers", &r.identifiers);
                sb_addc(&sb, ','), cli_json_col(&sb, "scan_finished", &r.scan_finished);
                if (cli_problems_json(c, name, &sb, &err))
                    break;
                sb_adds(&sb, ",\"images\":[");
            } else {
                sb_addc(&sb, ',');
            }
            sb_addc(&sb, '{');
            cli_json_col(&sb, "path", &r.path);
            sb_addc(&sb, ','), cli_json_col(&sb, "format", &r.format);
            sb_addc(&sb, ','), cli_json_col(&sb, "media_size", &r.media_size);
            sb_addc(&sb, ','), cli_json_col(&sb, "md5", &r.md5);
            sb_addc(&sb, ','), cli_json_col(&sb, "sha1", &r.sha1);
            sb_addc(&sb, ','), cli_json_col(&sb, "sha256", &r.sha256);
            sb_addc(&sb, ','), cli_json_col(&sb, "verification", &r.verification);
            sb_adds(&sb, ",\"acquisition\":");
            sb_adds(&sb, r.acquisition.type == CASE_NULL ? "null" : r.acquisition.s);
            sb_addc(&sb, '}');
        } else {
            if (newdev) {
                printf("%sdevice ", ndev ? "\n" : "");
                term(name);
                printf("  %lld bytes  %s  %lld identifiers", (long long)r.size.i, r.state.s,
                       (long long)r.identifiers.i);
                if (*r.exhibit.s) {
                    printf("  exhibit ");
                    term(r.exhibit.s);
                }
                if (*r.custodian.s) {
                    printf("  custodian ");
                    term(r.custodian.s);
                }
                printf("\n");
                if (cli_problems_print(c, name, stdout, "  problem  ", NULL, &err))
                    break;
            }
            printf("  image  ");
            term(r.path.s);
            printf("\n    format %s  size %lld  verification %s\n    md5    %s\n    sha1   %s\n"
                   "    sha256 %s\n",
                   r.format.s, (long long)r.media_size.i, r.verification.s, r.md5.s, r.sha1.s,
                   r.sha256.s);
        }
        if (newdev)
            ndev++;
    }
    case_rows_close(rows);
    if (err.code) {
        sb_free(&sb);
        case_close(c);
        return cli_report("info", &err);
    }
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
