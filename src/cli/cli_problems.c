/* cli_problems.c: see cli_problems.h. */
#include "cli/cli_problems.h"

#include "case/q_problems.h"
#include "cli/cli_row.h"
#include "util/limits.h"

int cli_problems_print(case_db *c, const char *device, FILE *out, const char *prefix, int64_t *n,
                       trawl_err *err)
{
    int64_t total = 0;
    if (case_device_problem_count(c, device, &total, err))
        return err->code;
    if (n)
        *n = total;
    if (!total)
        return 0;
    case_problem p;
    case_rows *rows;
    if (case_device_problems(c, device, CLI_PROBLEMS_SHOWN, &p, &rows, err))
        return err->code;
    strbuf sb = STRBUF_INIT;
    int row, shown = 0;
    while (case_rows_next(rows, &row, err) == 0 && row) {
        sb_reset(&sb);
        sb_adds(&sb, prefix);
        cli_term(&sb, p.stage.s);
        sb_adds(&sb, ": ");
        cli_term(&sb, p.message.s);
        fprintf(out, "%s\n", sb_cstr(&sb));
        shown++;
    }
    case_rows_close(rows);
    sb_free(&sb);
    if (err->code)
        return err->code;
    if (total > shown)
        fprintf(out,
                "%s%lld more not shown (%lld in all; the HTML report of trawl report lists "
                "every one)\n",
                prefix, (long long)(total - shown), (long long)total);
    return 0;
}

int cli_problems_json(case_db *c, const char *device, strbuf *sb, trawl_err *err)
{
    int64_t total = 0;
    if (case_device_problem_count(c, device, &total, err))
        return err->code;
    sb_addf(sb, ",\"problem_count\":%lld,\"problems\":[", (long long)total);
    case_problem p;
    case_rows *rows;
    if (total && case_device_problems(c, device, CLI_PROBLEMS_SHOWN, &p, &rows, err))
        return err->code;
    int row, shown = 0;
    while (total && case_rows_next(rows, &row, err) == 0 && row) {
        sb_adds(sb, shown++ ? ",{" : "{");
        cli_json_col(sb, "stage", &p.stage);
        sb_addc(sb, ',');
        cli_json_col(sb, "message", &p.message);
        sb_addc(sb, '}');
    }
    if (total)
        case_rows_close(rows);
    sb_addc(sb, ']');
    return err->code;
}
