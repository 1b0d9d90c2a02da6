/* graphml.c: the GraphML export (see report.h).  Node ids: "d" + devices.id
 * and "f" + link_features.id; elements in name / (type, value) order. */
#include <string.h>

#include "report/report.h"
#include "util/escape.h"
#include "util/strbuf.h"

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

static void xml(strbuf *sb, sqlite3_stmt *st, int i)
{
    esc_xml(sb, col(st, i), (size_t)sqlite3_column_bytes(st, i));
}

static int flush(strbuf *sb, FILE *out, int force)
{
    if (!force && sb->len < (1u << 20))
        return 0;
    if (sb->len && fwrite(sb->buf, 1, sb->len, out) != sb->len)
        return -1;
    sb_reset(sb);
    return 0;
}

int report_graphml(case_db *c, FILE *out, trawl_err *err)
{
    strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
                 "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
                 "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
                 "  <key id=\"type\" for=\"node\" attr.name=\"type\" attr.type=\"string\"/>\n"
                 "  <key id=\"devices\" for=\"node\" attr.name=\"devices\" attr.type=\"int\"/>\n"
                 "  <key id=\"ekind\" for=\"edge\" attr.name=\"kind\" attr.type=\"string\"/>\n"
                 "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
                 "  <key id=\"shared\" for=\"edge\" attr.name=\"shared\" attr.type=\"int\"/>\n"
                 "  <graph id=\"trawl\" edgedefault=\"undirected\">\n");
    static const char *const queries[] = {
        "SELECT id, name FROM devices ORDER BY name",
        "SELECT id, type, value, dc FROM link_features WHERE NOT stopped ORDER BY type, value",
        ("SELECT d.id, o.feature_id, o.count FROM link_occurrences o "
         "JOIN link_features f ON f.id = o.feature_id JOIN devices d ON d.name = o.device "
         "WHERE NOT f.stopped ORDER BY f.type, f.value, d.name"),
        ("SELECT a.id, b.id, l.score, l.shared FROM links l JOIN devices a ON a.name = l.device_a "
         "JOIN devices b ON b.name = l.device_b ORDER BY l.score DESC, l.device_a, l.device_b"),
    };
    int rc = 0;
    for (int q = 0; !rc && q < 4; q++) {
        sqlite3_stmt *st;
        if (case_prepare(c, queries[q], &st, err)) {
            rc = err->code;
            break;
        }
        int s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            long long a = sqlite3_column_int64(st, 0);
            switch (q) {
            case 0:
                sb_addf(&sb,
                        "    <node id=\"d%lld\"><data key=\"kind\">device</data>"
                        "<data key=\"label\">",
                        a);
                xml(&sb, st, 1);
                sb_adds(&sb, "</data></node>\n");
                break;
            case 1:
                sb_addf(&sb,
                        "    <node id=\"f%lld\"><data key=\"kind\">identifier</data>"
                        "<data key=\"type\">",
                        a);
                xml(&sb, st, 1);
                sb_adds(&sb, "</data><data key=\"label\">");
                xml(&sb, st, 2);
                sb_addf(&sb, "</data><data key=\"devices\">%lld</data></node>\n",
                        (long long)sqlite3_column_int64(st, 3));
                break;
            case 2:
                sb_addf(&sb,
                        "    <edge source=\"d%lld\" target=\"f%lld\"><data key=\"ekind\">"
                        "occurrence</data><data key=\"weight\">%lld</data></edge>\n",
                        a, (long long)sqlite3_column_int64(st, 1),
                        (long long)sqlite3_column_int64(st, 2));
                break;
            case 3:
                sb_addf(&sb,
                        "    <edge source=\"d%lld\" target=\"d%lld\"><data key=\"ekind\">link"
                        "</data><data key=\"weight\">%.6f</data><data key=\"shared\">%lld</data>"
                        "</edge>\n",
                        a, (long long)sqlite3_column_int64(st, 1), sqlite3_column_double(st, 2),
                        (long long)sqlite3_column_int64(st, 3));
                break;
            }
            if (flush(&sb, out, 0)) {
                s = SQLITE_DONE;
                rc = trawl_fail(err, TRAWL_EIO, "writing the export failed");
                break;
            }
        }
        if (!rc && s != SQLITE_DONE)
            rc = trawl_fail(err, TRAWL_ECASE, "%s/case.db: export: %s", case_dir(c),
                            sqlite3_errmsg(case_sqlite(c)));
        sqlite3_finalize(st);
    }
    sb_adds(&sb, "  </graph>\n</graphml>\n");
    if (!rc && sb.oom)
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    if (!rc && (flush(&sb, out, 1) || ferror(out)))
        rc = trawl_fail(err, TRAWL_EIO, "writing the export failed");
    sb_free(&sb);
    (void)col;
    return rc;
}
