/* cmd_report.c: `trawl report CASE [-o FILE.html] [--top N] [--list FILE]`:
 * the examiner's report, one self-contained HTML file (report/html.h).  The
 * case's results are only read: the audit chain is checked, and the report
 * goes beside the case folder, not into it; once written, the report's path
 * and SHA-256 are appended to the audit log (when the case is writable) so
 * that `trawl verify` can tell an edited report.  The file is written whole
 * or not at all (FILE.tmp, then renamed). */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/audit.h"
#include "case/case.h"
#include "cli/cli.h"
#include "cli/cli_audit.h"
#include "cli/cli_output.h"
#include "report/html.h"
#include "report/watch.h"
#include "util/limits.h"
#include "util/strbuf.h"

static const cli_opt report_opts[] = {
    {"output", 'o', "FILE",
     "write to FILE (default: CASE-report.html beside the case folder; '-' for standard output)"},
    {"top", 't', "N", "values per device and type in the index and device pages (default 10)"},
    {"list", 'l', "FILE", "add a watch-list section: every value of FILE (one a line) looked up"},
    {NULL, 0, NULL, NULL},
};

/* The case's name: the base name of its folder, without trailing slashes. */
static char *case_title(const char *dir)
{
    char *d = strdup(dir);
    if (!d)
        return NULL;
    size_t n = strlen(d);
    while (n > 1 && d[n - 1] == '/')
        d[--n] = 0;
    char *b = strdup(basename(d));
    free(d);
    return b;
}

/* Length of dir without trailing slashes (at least 1). */
static size_t dir_len(const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    return n;
}

/* The report's writer, for cli_write_output. */
typedef struct report_job {
    case_db *c;
    const report_html_opts *o;
} report_job;

static int write_report(void *ctx, FILE *f, trawl_err *err)
{
    report_job *j = ctx;
    return report_html(j->c, j->o, f, err);
}

int cmd_report(int argc, char **argv, const cli_env *env)
{
    cli_parser p = {
        .cmd = "report",
        .synopsis = "trawl report [-o FILE.html] [--top N] [--list FILE] CASE",
        .about = "Write the examiner's report: one self-contained HTML file (no network, no\n"
                 "external file; it opens offline in any current browser and prints to PDF)\n"
                 "with the case and its evidence hashes, the audit chain checked now, the\n"
                 "link graph, the strongest links explained, the accounts by device, each\n"
                 "device's identifiers and files of interest, a searchable identifier index,\n"
                 "an optional watch list, and the method.  The same case gives the same bytes.\n"
                 "The case is only read, except that the report's path and SHA-256 are\n"
                 "recorded in its audit log (for 'trawl verify').  Prints the report's path.",
        .opts = report_opts,
        .argc = argc,
        .argv = argv,
    };
    const char *output = NULL, *list = NULL, *v;
    long top = REPORT_DEFAULT_TOP;
    int ch;
    while ((ch = cli_next(&p, &v)) != -1) {
        if (ch == 'h')
            return EXIT_DONE;
        if (ch == '?')
            return EXIT_USAGE;
        if (ch == 'o')
            output = v;
        if (ch == 'l')
            list = v;
        if (ch == 't' && cli_parse_int(v, 0, REPORT_MAX_TOP, &top))
            return cli_usage_error("report", "--top takes a number from 0 to %d", REPORT_MAX_TOP);
    }
    int first = cli_optind();
    if (first + 1 != argc)
        return cli_usage_error("report", "give exactly one case folder");
    const char *dir = argv[first];
    trawl_err err = {0};
    report_watch *w = NULL;
    if (list && report_watch_load(list, &w, &err))
        return cli_report("report", &err);
    case_db *c;
    /* The report is recorded in the audit log (after it is written, so it
     * does not show its own line) when the case can take the line. */
    int to_file = !output || strcmp(output, "-") != 0;
    int record = to_file && case_can_write(dir);
    if (case_open(dir, record ? CASE_WRITE : CASE_READ, &c, &err)) {
        report_watch_free(w);
        return cli_report("report", &err);
    }
    char *title = case_title(dir);
    char *listname = list ? case_title(list) : NULL;
    strbuf out = STRBUF_INIT;
    if (output)
        sb_adds(&out, output);
    else
        sb_addf(&out, "%.*s-report.html", (int)dir_len(dir), dir);

    report_html_opts o = {
        .title = title ? title : dir,
        .top = (int)top,
        .watch = w,
        .watch_name = listname,
        .version = TRAWL_VERSION,
    };
    trawl_err aerr = {0};
    o.audit_ok = case_audit_check(c, &o.audit_lines, &aerr) == 0;
    if (!o.audit_ok)
        o.audit_msg = aerr.msg;
    int rc = 0;
    char sha[65] = "";
    if (w)
        rc = report_watch_run(c, w, &err);
    if (!rc)
        rc = out.oom ? trawl_fail(&err, TRAWL_ENOMEM, "out of memory")
                     : cli_write_output(out.buf, write_report, &(report_job){c, &o}, sha, &err);
    int code = EXIT_DONE;
    if (rc)
        code = cli_report("report", &err);
    else if (strcmp(out.buf, "-") != 0)
        printf("%s\n", out.buf);
    if (!rc && to_file && cli_audit_output(c, env, record, "report", out.buf, sha))
        code = EXIT_ERROR;
    if (!rc && !o.audit_ok) {
        cli_warn("report", "the audit chain is broken: %s", aerr.msg);
        code = EXIT_INTEGRITY;
    }
    sb_free(&out);
    free(title);
    free(listname);
    report_watch_free(w);
    case_close(c);
    return code;
}
