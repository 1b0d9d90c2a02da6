/* cmd_export.c: `trawl export CASE --format graphml|jsonld|csv [-o FILE]`:
 * a case for other tools (report/report.h).  With -o the file is written
 * whole or not at all (FILE.tmp, then renamed). */
#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "cli/cli.h"
#include "cli/cli_audit.h"
#include "cli/cli_output.h"
#include "report/report.h"

static const cli_opt export_opts[] = {
    {"format", 'f', "FMT", "graphml, jsonld (CASE/UCO) or csv"},
    {"output", 'o', "FILE", "write to FILE (default: standard output)"},
    {NULL, 0, NULL, NULL},
};

/* An export's writer, for cli_write_output. */
typedef struct export_job {
    int (*fn)(case_db *, FILE *, trawl_err *);
    case_db *c;
} export_job;

static int write_export(void *ctx, FILE *f, trawl_err *err)
{
    export_job *j = ctx;
    return j->fn(j->c, f, err);
}

int cmd_export(int argc, char **argv, const cli_env *env)
{
    cli_parser p = {
        .cmd = "export",
        .synopsis = "trawl export --format graphml|jsonld|csv [-o FILE] CASE",
        .about = "Export a case, deterministically (the same case gives the same bytes):\n"
                 "  graphml  devices and shared identifiers as nodes, occurrence and link edges\n"
                 "           with weights (Gephi, Cytoscape, networkx); run 'trawl link' first\n"
                 "  jsonld   CASE/UCO: investigation, devices, images and hashes, actions,\n"
                 "           identifiers, files and Contained_Within relationships with offsets\n"
                 "  csv      every occurrence, formula-like cells neutralized for spreadsheets",
        .opts = export_opts,
        .argc = argc,
        .argv = argv,
    };
    const char *format = NULL, *output = NULL, *v;
    int ch;
    while ((ch = cli_next(&p, &v)) != -1) {
        if (ch == 'h')
            return EXIT_DONE;
        if (ch == '?')
            return EXIT_USAGE;
        if (ch == 'f')
            format = v;
        if (ch == 'o')
            output = v;
    }
    int first = cli_optind();
    if (first + 1 != argc)
        return cli_usage_error("export", "give exactly one case folder");
    int (*fn)(case_db *, FILE *, trawl_err *) = NULL;
    if (!format)
        return cli_usage_error("export", "--format is required");
    if (!strcmp(format, "graphml"))
        fn = report_graphml;
    else if (!strcmp(format, "jsonld"))
        fn = report_jsonld;
    else if (!strcmp(format, "csv"))
        fn = report_csv;
    else
        return cli_usage_error("export", "unknown format '%s' (graphml, jsonld, csv)", format);
    trawl_err err = {0};
    case_db *c;
    /* A file written is recorded in the audit log when the case can take
     * the line (a write-protected case is still exported). */
    int to_file = output && strcmp(output, "-") != 0;
    int record = to_file && case_can_write(argv[first]);
    if (case_open(argv[first], record ? CASE_WRITE : CASE_READ, &c, &err))
        return cli_report("export", &err);
    char sha[65] = "";
    int rc = cli_write_output(output ? output : "-", write_export, &(export_job){fn, c}, sha, &err);
    int code = rc ? cli_report("export", &err) : EXIT_DONE;
    if (!rc && to_file && cli_audit_output(c, env, record, "export", output, sha))
        code = EXIT_ERROR;
    case_close(c);
    return code;
}
