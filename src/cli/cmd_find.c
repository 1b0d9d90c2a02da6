/* cmd_find.c: `trawl find CASE VALUE [--json]`: every occurrence of an
 * identifier in the case.  VALUE is normalized as the extraction does
 * (scan_type_normalize), so "Boss@Example.ORG" finds boss@example.org and
 * "+44 7700 900123" the phone number; the value as typed is tried too; a
 * bare account id or handle ("troll_one", "@troll_one") matches it under
 * every service (report_candidates, shared with the watch lists).  One
 * line per occurrence: device, type, value, forensic path (device offset
 * first), file path or area, context, the time of its record (ISO 8601 UTC)
 * and its marks (deleted record, at limit), "-" for none.  Exit 0 when
 * something was found, 1 when nothing was. */
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "case/q_find.h"
#include "cli/cli.h"
#include "cli/cli_row.h"
#include "cli/find_list.h"
#include "report/watch.h"
#include "scan/scan.h"
#include "util/escape.h"
#include "util/strbuf.h"

static const cli_opt find_opts[] = {
    {"json", 'J', NULL, "print one JSON object per occurrence"},
    {"list", 'l', "FILE", "look up every value of FILE (one a line) at once: a watch list"},
    {NULL, 0, NULL, NULL},
};

/* "deleted record", "at limit", both joined with ", ", or "-". */
static void add_marks(strbuf *sb, int64_t flags)
{
    if (flags & SCAN_HIT_DELETED)
        sb_adds(sb, "deleted record");
    if (flags & SCAN_HIT_AT_LIMIT)
        sb_adds(sb, flags & SCAN_HIT_DELETED ? ", at limit" : "at limit");
    if (!(flags & (SCAN_HIT_DELETED | SCAN_HIT_AT_LIMIT)))
        sb_addc(sb, '-');
}

static void jkey(strbuf *sb, const char *key, const case_val *v)
{
    sb_addf(sb, ",\"%s\":", key);
    if (v->type == CASE_NULL) {
        sb_adds(sb, "null");
        return;
    }
    sb_addc(sb, '"');
    esc_json(sb, v->s, v->len);
    sb_addc(sb, '"');
}

int cmd_find(int argc, char **argv, const cli_env *env)
{
    (void)env;
    cli_parser p = {
        .cmd = "find",
        .synopsis = "trawl find [--json] CASE VALUE\n       trawl find [--json] --list FILE CASE",
        .about = "Find every occurrence of an identifier.  VALUE is normalized as the scan\n"
                 "normalizes it (an e-mail address in any case, a phone number with spaces, a\n"
                 "URL), and a bare account id or handle matches it under any service.  Prints\n"
                 "device, type, value, forensic path (its first number is the device offset),\n"
                 "file path or area, context, the time of the record it was read from (ISO 8601\n"
                 "UTC) and its marks (deleted record, at limit), '-' for none.  Exit 0 when\n"
                 "found, 1 when not.\n"
                 "With --list, every value of FILE is looked up at once; per value, the devices\n"
                 "holding it (first place, number of hits), then the values found nowhere.",
        .opts = find_opts,
        .argc = argc,
        .argv = argv,
    };
    int json = 0, ch;
    const char *v, *list = NULL;
    while ((ch = cli_next(&p, &v)) != -1) {
        if (ch == 'h')
            return EXIT_DONE;
        if (ch == '?')
            return EXIT_USAGE;
        if (ch == 'J')
            json = 1;
        if (ch == 'l')
            list = v;
    }
    int first = cli_optind();
    if (list) {
        if (first + 1 != argc)
            return cli_usage_error("find", "with --list give one case folder and no value");
        return cli_find_list(argv[first], list, json);
    }
    if (first + 2 != argc)
        return cli_usage_error("find", "give a case folder and one value");
    const char *value = argv[first + 1];
    if (!*value)
        return cli_usage_error("find", "the value is empty");
    trawl_err err = {0};
    case_db *c;
    if (case_open(argv[first], CASE_READ, &c, &err))
        return cli_report("find", &err);

    report_cand *cand = NULL;
    size_t ncand = 0;
    char **vals = NULL;
    if (report_candidates(c, &argv[first + 1], 1, &cand, &ncand, &err) == 0 &&
        !(vals = malloc((ncand ? ncand : 1) * sizeof *vals)))
        trawl_fail(&err, TRAWL_ENOMEM, "out of memory");
    if (err.code) {
        /* an error here is no "nothing found": the candidates would be short */
        report_candidates_free(cand, ncand);
        case_close(c);
        return cli_report("find", &err);
    }
    for (size_t i = 0; i < ncand; i++)
        vals[i] = cand[i].value;

    case_occurrence r;
    case_rows *rows;
    int rc = EXIT_ERROR;
    size_t found = 0;
    err.code = 0;
    if (case_find_values(c, vals, ncand, &r, &rows, &err)) {
        rc = cli_report("find", &err);
    } else {
        strbuf sb = STRBUF_INIT;
        int row;
        while (case_rows_next(rows, &row, &err) == 0 && row) {
            found++;
            sb_reset(&sb);
            if (json) {
                sb_adds(&sb, "{\"device\":\"");
                esc_json(&sb, r.device.s, r.device.len);
                sb_addc(&sb, '"');
                jkey(&sb, "type", &r.type);
                jkey(&sb, "value", &r.value);
                sb_addf(&sb, ",\"offset\":%lld", (long long)r.pos.i);
                jkey(&sb, "path", &r.path);
                jkey(&sb, "file", &r.file);
                jkey(&sb, "area", &r.area);
                jkey(&sb, "context", &r.context);
                jkey(&sb, "time", &r.time);
                sb_addf(&sb, ",\"deleted\":%s,\"at_limit\":%s}\n",
                        r.flags.i & SCAN_HIT_DELETED ? "true" : "false",
                        r.flags.i & SCAN_HIT_AT_LIMIT ? "true" : "false");
            } else {
                /* The path starts with the offset; the area shows in the
                 * file column when there is no file. */
                const case_val *cols[] = {&r.device, &r.type, &r.value,
                                          &r.path,   &r.file, &r.context};
                for (int k = 0; k < 6; k++) {
                    if (k)
                        sb_addc(&sb, '\t');
                    if (cols[k] == &r.file && r.file.type == CASE_NULL) {
                        const char *area = *r.area.s ? r.area.s : "-";
                        esc_term(&sb, area, strlen(area));
                        continue;
                    }
                    esc_term(&sb, cols[k]->s, cols[k]->len);
                }
                /* then the record's time and the marks, "-" for none */
                sb_addc(&sb, '\t');
                sb_adds(&sb, r.time.type == CASE_NULL ? "-" : r.time.s);
                sb_addc(&sb, '\t');
                add_marks(&sb, r.flags.i);
                sb_addc(&sb, '\n');
            }
            fputs(sb_cstr(&sb), stdout);
        }
        sb_free(&sb);
        case_rows_close(rows);
        if (err.code)
            rc = cli_report("find", &err);
        else
            rc = found ? EXIT_DONE : EXIT_ERROR;
    }
    free(vals);
    report_candidates_free(cand, ncand);
    case_close(c);
    return rc;
}
