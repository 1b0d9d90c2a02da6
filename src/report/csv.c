/* csv.c: the spreadsheet export (see report.h). */
#include <string.h>

#include "report/report.h"

#include "case/q_find.h"
#include "util/escape.h"
#include "util/strbuf.h"

int report_csv(case_db *c, FILE *out, trawl_err *err)
{
    case_occurrence r;
    case_rows *rows;
    if (case_all_occurrences(c, &r, &rows, err))
        return err->code;
    strbuf sb = STRBUF_INIT, tmp = STRBUF_INIT;
    sb_adds(&sb, "device,type,value,offset,path,file,area,context\n");
    const case_val *cols[] = {&r.device, &r.type, &r.value, &r.pos,
                              &r.path,   &r.file, &r.area,  &r.context};
    int more, rc;
    while (!(rc = case_rows_next(rows, &more, err)) && more) {
        for (int k = 0; k < 8; k++) {
            if (k)
                sb_addc(&sb, ',');
            const case_val *v = cols[k];
            if (v == &r.pos) {
                sb_addf(&sb, "%lld", (long long)v->i);
            } else if (v == &r.context) {
                sb_reset(&tmp);
                esc_feature(&tmp, v->s, v->len);
                esc_csv(&sb, tmp.buf ? tmp.buf : "", tmp.len);
            } else if (v->len) {
                esc_csv(&sb, v->s, v->len);
            }
        }
        sb_addc(&sb, '\n');
        if (sb.len > (1u << 20)) {
            if (fwrite(sb.buf, 1, sb.len, out) != sb.len)
                break;
            sb_reset(&sb);
        }
    }
    if (!rc && (sb.oom || tmp.oom))
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    else if (!rc && sb.len && fwrite(sb.buf, 1, sb.len, out) != sb.len)
        rc = trawl_fail(err, TRAWL_EIO, "writing the export failed");
    if (!rc && ferror(out))
        rc = trawl_fail(err, TRAWL_EIO, "writing the export failed");
    case_rows_close(rows);
    sb_free(&sb);
    sb_free(&tmp);
    return rc;
}
