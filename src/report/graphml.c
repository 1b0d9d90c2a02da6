/* graphml.c: the GraphML export (see report.h).  Node ids: "d" + devices.id
 * and "f" + link_features.id; elements in name / (type, value) order. */
#include <string.h>

#include "report/report.h"

#include "case/q_devices.h"
#include "case/q_export.h"
#include "util/escape.h"
#include "util/strbuf.h"

static void xml(strbuf *sb, const case_val *v)
{
    esc_xml(sb, v->s, v->len);
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
    case_device_ref dev;
    case_shared_feature feat;
    case_feature_count occ;
    case_link_ids link;
    int rc = 0;
    for (int q = 0; !rc && q < 4; q++) {
        case_rows *rows;
        rc = q == 0   ? case_devices_by_name(c, &dev, &rows, err)
             : q == 1 ? case_shared_features(c, &feat, &rows, err)
             : q == 2 ? case_shared_feature_counts(c, &occ, &rows, err)
                      : case_links_by_id(c, &link, &rows, err);
        if (rc)
            break;
        int more;
        while (!(rc = case_rows_next(rows, &more, err)) && more) {
            switch (q) {
            case 0:
                sb_addf(&sb,
                        "    <node id=\"d%lld\"><data key=\"kind\">device</data>"
                        "<data key=\"label\">",
                        (long long)dev.id.i);
                xml(&sb, &dev.name);
                sb_adds(&sb, "</data></node>\n");
                break;
            case 1:
                sb_addf(&sb,
                        "    <node id=\"f%lld\"><data key=\"kind\">identifier</data>"
                        "<data key=\"type\">",
                        (long long)feat.id.i);
                xml(&sb, &feat.type);
                sb_adds(&sb, "</data><data key=\"label\">");
                xml(&sb, &feat.value);
                sb_addf(&sb, "</data><data key=\"devices\">%lld</data></node>\n",
                        (long long)feat.devices.i);
                break;
            case 2:
                sb_addf(&sb,
                        "    <edge source=\"d%lld\" target=\"f%lld\"><data key=\"ekind\">"
                        "occurrence</data><data key=\"weight\">%lld</data></edge>\n",
                        (long long)occ.device_id.i, (long long)occ.feature_id.i,
                        (long long)occ.count.i);
                break;
            case 3:
                sb_addf(&sb,
                        "    <edge source=\"d%lld\" target=\"d%lld\"><data key=\"ekind\">link"
                        "</data><data key=\"weight\">%.6f</data><data key=\"shared\">%lld</data>"
                        "</edge>\n",
                        (long long)link.device_a.i, (long long)link.device_b.i, link.score.d,
                        (long long)link.shared.i);
                break;
            }
            if (flush(&sb, out, 0)) {
                rc = trawl_fail(err, TRAWL_EIO, "writing the export failed");
                break;
            }
        }
        case_rows_close(rows);
    }
    sb_adds(&sb, "  </graph>\n</graphml>\n");
    if (!rc && sb.oom)
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    if (!rc && (flush(&sb, out, 1) || ferror(out)))
        rc = trawl_fail(err, TRAWL_EIO, "writing the export failed");
    sb_free(&sb);
    return rc;
}
