/* cmd_link.c: `trawl link CASE`: bring the link index up to date and
 * recompute the links, groups and accounts view (link_run), audited. */
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "cli/cli.h"
#include "cli/cli_audit.h"
#include "link/link.h"
#include "util/strbuf.h"

enum { OPT_REBUILD = 256, OPT_STOP_SHARE, OPT_STOP_MIN, OPT_THRESHOLD, OPT_MANY, OPT_MULTI };

static const cli_opt link_opts[] = {
    {"rebuild", OPT_REBUILD, NULL, "re-read every device, not just those scanned since"},
    {"stop-share", OPT_STOP_SHARE, "X",
     "stop-list features on more than this share of devices (default 0.666667)"},
    {"stop-min", OPT_STOP_MIN, "N", "apply the stop list from N devices on (default 6)"},
    {"threshold", OPT_THRESHOLD, "X", "links scoring at least X join groups (default 1.0)"},
    {"many-accounts", OPT_MANY, "N",
     "flag devices holding >= N accounts of one service (default 5)"},
    {"multi-device", OPT_MULTI, "N", "flag accounts seen on >= N devices (default 3)"},
    {NULL, 0, NULL, NULL},
};

static int parse_double(const char *s, double min, double max, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= min && v <= max))
        return -1;
    *out = v;
    return 0;
}

int cmd_link(int argc, char **argv, const cli_env *env)
{
    cli_parser p = {
        .cmd = "link",
        .synopsis = "trawl link [OPTIONS] CASE",
        .about = "Correlate the devices of a case.  Indexes every device scanned since the last\n"
                 "run (each feature: a normalized identifier, or the SHA-256 of a non-empty file\n"
                 "not in a known-good set), scores every device pair as\n"
                 "  score(a,b) = sum over shared features f of weight(type f) / DC(f)\n"
                 "(DC(f): devices holding f; features on more than the stop share of the\n"
                 "devices count for nothing), groups the devices (connected components of\n"
                 "links >= threshold, and Louvain communities), flags accounts, and writes\n"
                 "CASE/links.csv and CASE/accounts.csv.  Weights: btc, eth, iban 10; ccn,\n"
                 "account, file 8; email, phone 4; url, ipv4, ipv6 1; domain 0.5; keyword 0.",
        .opts = link_opts,
        .argc = argc,
        .argv = argv,
    };
    link_options o;
    link_summary s;
    link_options_default(&o);
    o.summary = &s;
    o.progress = env->progress;
    int ch;
    const char *v;
    long n;
    while ((ch = cli_next(&p, &v)) != -1) {
        switch (ch) {
        case 'h':
            return EXIT_DONE;
        case '?':
            return EXIT_USAGE;
        case OPT_REBUILD:
            o.rebuild = 1;
            break;
        case OPT_STOP_SHARE:
            if (parse_double(v, 0.01, 1.0, &o.stop_share))
                return cli_usage_error("link", "--stop-share wants a number in (0, 1]");
            break;
        case OPT_STOP_MIN:
            if (cli_parse_int(v, 2, 1000000, &n))
                return cli_usage_error("link", "--stop-min wants a number >= 2");
            o.stop_min_devices = (int)n;
            break;
        case OPT_THRESHOLD:
            if (parse_double(v, 0, 1e12, &o.group_threshold))
                return cli_usage_error("link", "--threshold wants a number >= 0");
            break;
        case OPT_MANY:
            if (cli_parse_int(v, 1, 1000000, &n))
                return cli_usage_error("link", "--many-accounts wants a number >= 1");
            o.many_accounts = (int)n;
            break;
        case OPT_MULTI:
            if (cli_parse_int(v, 1, 1000000, &n))
                return cli_usage_error("link", "--multi-device wants a number >= 1");
            o.multi_device = (int)n;
            break;
        }
    }
    int first = cli_optind();
    if (first + 1 != argc)
        return cli_usage_error("link", "give exactly one case folder");
    trawl_err err = {0};
    case_db *c;
    cli_wait_notice("link", argv[first]);
    if (case_open(argv[first], CASE_WRITE, &c, &err))
        return cli_report("link", &err);
    int rc = link_run(c, &o, &err);
    strbuf detail = STRBUF_INIT;
    if (!rc)
        sb_addf(&detail,
                "%zu devices (%zu indexed), %llu features, %llu shared, %llu stopped, %zu links, "
                "%zu groups, %zu communities, %zu accounts",
                s.devices, s.indexed, (unsigned long long)s.features, (unsigned long long)s.shared,
                (unsigned long long)s.stopped, s.links, s.groups, s.communities, s.accounts);
    else
        sb_adds(&detail, err.msg);
    trawl_err aerr = {0};
    int arc = cli_audit(c, env, NULL, "link", NULL, NULL, 0, rc ? "error" : "ok", sb_cstr(&detail),
                        &aerr);
    int exit_code = EXIT_DONE;
    if (rc)
        exit_code = cli_report("link", &err);
    else
        printf("%s\n", sb_cstr(&detail));
    if (arc)
        exit_code = cli_report("link", &aerr);
    sb_free(&detail);
    case_close(c);
    return exit_code;
}
