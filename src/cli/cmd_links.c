/* cmd_links.c: `trawl links CASE [DEVICE] [--json]`: the strongest links of
 * the case (or of one device), each explained by its top contributors:
 * type, value, weight, the devices holding it and what it adds. */
#include <string.h>

#include "case/case.h"
#include "case/q_links.h"
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

/* One line of a link's explanation. */
static int contrib_line(void *ctx, const case_link_contrib *x)
{
    strbuf *sb = ctx;
    sb_adds(sb, "    ");
    cli_term(sb, x->type.s);
    sb_addc(sb, ':');
    cli_term(sb, x->value.s);
    sb_addf(sb, "  weight %g / %lld devices = %.6f\n", x->weight.d, (long long)x->devices.i,
            x->contribution.d);
    return 0;
}

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
    case_link r;
    case_rows *rows = NULL;
    if (rc == EXIT_DONE && case_links(c, device, limit, &r, &rows, &err))
        rc = cli_report("links", &err);
    if (rc == EXIT_DONE) {
        strbuf sb = STRBUF_INIT;
        int row, bad = EXIT_DONE;
        while (case_rows_next(rows, &row, &err) == 0 && row) {
            sb_reset(&sb);
            if (json) {
                sb_adds(&sb, "{\"device_a\":\"");
                esc_json(&sb, r.device_a.s, r.device_a.len);
                sb_adds(&sb, "\",\"device_b\":\"");
                esc_json(&sb, r.device_b.s, r.device_b.len);
                /* explain was built with esc_json by the link stage. */
                sb_addf(&sb, "\",\"score\":%.6f,\"shared\":%lld,\"top\":%s}\n", r.score.d,
                        (long long)r.shared.i, r.explain.s);
            } else {
                cli_term(&sb, r.device_a.s);
                sb_adds(&sb, " -- ");
                cli_term(&sb, r.device_b.s);
                sb_addf(&sb, "  score %.6f  shared %lld\n", r.score.d, (long long)r.shared.i);
                /* The explanation, one contributor a line. */
                trawl_err xerr = {0};
                if (case_link_contributors(r.explain.s, contrib_line, &sb, &xerr))
                    bad = cli_report("links", &xerr);
            }
            fputs(sb_cstr(&sb), stdout);
        }
        sb_free(&sb);
        if (err.code)
            rc = cli_report("links", &err);
        else
            rc = bad;
    }
    case_rows_close(rows);
    case_close(c);
    return rc;
}
