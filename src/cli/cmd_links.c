/* cmd_links.c: `trawl links CASE [DEVICE] [--json]`: the strongest links of
 * the case (or of one device), each explained by its top contributors:
 * type, value, weight, the devices holding it and what it adds. */
#include <string.h>

#include "case/case.h"
#include "cli/cli.h"
#include "cli/cli_row.h"
#include "util/escape.h"
#include "util/strbuf.h"

enum { OPT_LIMIT = 256 };

static const cli_opt links_opts[] = {
    {"json", 'J', NULL, "print one JSON object per link"},
    {"limit", OPT_LIMIT, "N", "show the N strongest links only (default: all)"},
    {NULL, 0, NULL, NULL},
};

int cmd_links(int argc, char **argv, const cli_env *env)
{
    (void)env;
    cli_parser p = {
        .cmd = "links",
        .synopsis = "trawl links [--json] [--limit N] CASE [DEVICE]",
        .about = "Show the links 'trawl link' found, strongest first (ties by device names),\n"
                 "each with its score, the number of shared identifiers and files, and the\n"
                 "identifiers that contribute most: weight / devices holding it.  With DEVICE,\n"
                 "only that device's links.",
        .opts = links_opts,
        .argc = argc,
        .argv = argv,
    };
    int json = 0, ch;
    long limit = -1;
    const char *v;
    while ((ch = cli_next(&p, &v)) != -1) {
        if (ch == 'h')
            return EXIT_DONE;
        if (ch == '?')
            return EXIT_USAGE;
        if (ch == 'J')
            json = 1;
        if (ch == OPT_LIMIT && cli_parse_int(v, 1, 1L << 40, &limit))
            return cli_usage_error("links", "--limit wants a positive number");
    }
    int first = cli_optind();
    if (first + 1 != argc && first + 2 != argc)
        return cli_usage_error("links", "give a case folder and at most one device");
    const char *device = first + 2 == argc ? argv[first + 1] : NULL;
    trawl_err err = {0};
    case_db *c;
    if (case_open(argv[first], CASE_READ, &c, &err))
        return cli_report("links", &err);
    int rc = EXIT_DONE;
    if (device) {
        int64_t id;
        int found = 0;
        if (case_device_id(c, device, &id, &found, &err)) {
            rc = cli_report("links", &err);
        } else if (!found) {
            trawl_fail(&err, TRAWL_EUSAGE, "%s: no device named '%s'", argv[first], device);
            rc = cli_report("links", &err);
        }
    }
    sqlite3_stmt *st = NULL;
    if (rc == EXIT_DONE &&
        case_prepare(c,
                     "SELECT device_a, device_b, score, shared, top, explain FROM links "
                     "WHERE ?1 IS NULL OR device_a = ?1 OR device_b = ?1 "
                     "ORDER BY score DESC, device_a, device_b LIMIT ?2",
                     &st, &err))
        rc = cli_report("links", &err);
    if (rc == EXIT_DONE) {
        if (device)
            sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, limit);
        strbuf sb = STRBUF_INIT;
        int s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            sb_reset(&sb);
            if (json) {
                sb_adds(&sb, "{\"device_a\":\"");
                esc_json(&sb, cli_col(st, 0), (size_t)sqlite3_column_bytes(st, 0));
                sb_adds(&sb, "\",\"device_b\":\"");
                esc_json(&sb, cli_col(st, 1), (size_t)sqlite3_column_bytes(st, 1));
                /* explain was built with esc_json by the link stage. */
                sb_addf(&sb, "\",\"score\":%.6f,\"shared\":%lld,\"top\":%s}\n",
                        sqlite3_column_double(st, 2), (long long)sqlite3_column_int64(st, 3),
                        cli_col(st, 5));
            } else {
                cli_term(&sb, cli_col(st, 0));
                sb_adds(&sb, " -- ");
                cli_term(&sb, cli_col(st, 1));
                sb_addf(&sb, "  score %.6f  shared %lld\n", sqlite3_column_double(st, 2),
                        (long long)sqlite3_column_int64(st, 3));
                /* The explanation, one contributor a line, from the top column
                 * (type:value) and the weights in explain. */
                sqlite3_stmt *ex;
                if (case_prepare(c,
                                 "SELECT json_extract(e.value,'$.type'), "
                                 "json_extract(e.value,'$.value'), "
                                 "json_extract(e.value,'$.weight'), "
                                 "json_extract(e.value,'$.devices'), "
                                 "json_extract(e.value,'$.contribution') "
                                 "FROM json_each(?) e ORDER BY e.key",
                                 &ex, &err) == 0) {
                    sqlite3_bind_text(ex, 1, cli_col(st, 5), -1, SQLITE_STATIC);
                    while (sqlite3_step(ex) == SQLITE_ROW) {
                        sb_adds(&sb, "    ");
                        cli_term(&sb, cli_col(ex, 0));
                        sb_addc(&sb, ':');
                        cli_term(&sb, cli_col(ex, 1));
                        sb_addf(&sb, "  weight %g / %lld devices = %.6f\n",
                                sqlite3_column_double(ex, 2),
                                (long long)sqlite3_column_int64(ex, 3),
                                sqlite3_column_double(ex, 4));
                    }
                    sqlite3_finalize(ex);
                }
            }
            fputs(sb_cstr(&sb), stdout);
        }
        sb_free(&sb);
        if (s != SQLITE_DONE) {
            trawl_fail(&err, TRAWL_ECASE, "%s/case.db: links: %s", argv[first],
                       sqlite3_errmsg(case_sqlite(c)));
            rc = cli_report("links", &err);
        }
    }
    sqlite3_finalize(st);
    case_close(c);
    return rc;
}
