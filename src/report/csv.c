/* csv.c: the spreadsheet export (see report.h). */
#include <string.h>

#include "report/report.h"
#include "util/escape.h"
#include "util/strbuf.h"

int report_csv(case_db *c, FILE *out, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c,
                     "SELECT d.name, i.type, i.value, i.pos, i.path, f.path, i.area, i.context "
                     "FROM identifiers i JOIN devices d ON d.id = i.device_id "
                     "LEFT JOIN files f ON f.id = i.file_id "
                     "ORDER BY d.name, i.pos, i.path, i.type, i.value, i.id",
                     &st, err))
        return err->code;
    strbuf sb = STRBUF_INIT, tmp = STRBUF_INIT;
    sb_adds(&sb, "device,type,value,offset,path,file,area,context\n");
    int s, rc = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        for (int k = 0; k < 8; k++) {
            if (k)
                sb_addc(&sb, ',');
            const void *v = sqlite3_column_blob(st, k);
            size_t len = (size_t)sqlite3_column_bytes(st, k);
            if (k == 3) {
                sb_addf(&sb, "%lld", (long long)sqlite3_column_int64(st, 3));
            } else if (k == 7) {
                sb_reset(&tmp);
                esc_feature(&tmp, v, len);
                esc_csv(&sb, tmp.buf ? tmp.buf : "", tmp.len);
            } else if (v) {
                esc_csv(&sb, v, len);
            }
        }
        sb_addc(&sb, '\n');
        if (sb.len > (1u << 20)) {
            if (fwrite(sb.buf, 1, sb.len, out) != sb.len)
                break;
            sb_reset(&sb);
        }
    }
    if (s != SQLITE_DONE)
        rc = trawl_fail(err, TRAWL_ECASE, "%s/case.db: export: %s", case_dir(c),
                        sqlite3_errmsg(case_sqlite(c)));
    else if (sb.oom || tmp.oom)
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    else if (sb.len && fwrite(sb.buf, 1, sb.len, out) != sb.len)
        rc = trawl_fail(err, TRAWL_EIO, "writing the export failed");
    if (!rc && ferror(out))
        rc = trawl_fail(err, TRAWL_EIO, "writing the export failed");
    sqlite3_finalize(st);
    sb_free(&sb);
    sb_free(&tmp);
    return rc;
}
