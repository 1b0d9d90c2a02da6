/* q_export.c: see q_export.h. */
#include "case/q_export.h"

#include "case/case_int.h"

int case_examiners(case_db *c, case_examiner *row, case_rows **out, trawl_err *err)
{
    return case_query_vals(c,
                           "SELECT DISTINCT examiner FROM devices WHERE examiner IS NOT NULL "
                           "ORDER BY examiner",
                           CASE_VALS(row), "export", out, err);
}

int case_devices_described(case_db *c, case_device_desc *row, case_rows **out, trawl_err *err)
{
    return case_query_vals(c, "SELECT id, name, exhibit, custodian FROM devices ORDER BY name",
                           CASE_VALS(row), "export", out, err);
}

int case_images(case_db *c, case_image *row, case_rows **out, trawl_err *err)
{
    return case_query_vals(c,
                           "SELECT id, device_id, path, format, media_size, md5, sha1, sha256, "
                           "verification FROM images ORDER BY device_id, seq, id",
                           CASE_VALS(row), "export", out, err);
}

int case_device_scans(case_db *c, case_device_scan *row, case_rows **out, trawl_err *err)
{
    return case_query_vals(
        c,
        "SELECT d.id, d.scan_started, d.scan_finished, d.examiner, d.tool_version, "
        "(SELECT group_concat(id) FROM (SELECT id FROM images WHERE device_id = d.id "
        "ORDER BY seq, id)) FROM devices d ORDER BY d.name",
        CASE_VALS(row), "export", out, err);
}

int case_distinct_identifiers(case_db *c, case_identifier *row, case_rows **out, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, "SELECT DISTINCT type, value FROM identifiers ORDER BY type, value", &st,
                     err))
        return err->code;
    return case_rows_start_vals(c, st, CASE_VALS(row), "export", out, err);
}

int case_files_with_identifiers(case_db *c, case_file_desc *row, case_rows **out, trawl_err *err)
{
    return case_query_vals(
        c,
        "SELECT id, device_id, path, size, md5, sha1, sha256 FROM files WHERE id IN "
        "(SELECT file_id FROM identifiers WHERE file_id IS NOT NULL) ORDER BY id",
        CASE_VALS(row), "export", out, err);
}

int case_occurrence_refs(case_db *c, case_occurrence_ref *row, case_rows **out, trawl_err *err)
{
    return case_query_vals(
        c,
        "SELECT id, type, value, pos, path, file_id, device_id, area FROM identifiers "
        "ORDER BY device_id, pos, id",
        CASE_VALS(row), "export", out, err);
}

int case_shared_features(case_db *c, case_shared_feature *row, case_rows **out, trawl_err *err)
{
    return case_query_vals(
        c, "SELECT id, type, value, dc FROM link_features WHERE NOT stopped ORDER BY type, value",
        CASE_VALS(row), "export", out, err);
}

int case_shared_feature_counts(case_db *c, case_feature_count *row, case_rows **out, trawl_err *err)
{
    return case_query_vals(
        c,
        "SELECT d.id, o.feature_id, o.count FROM link_occurrences o "
        "JOIN link_features f ON f.id = o.feature_id JOIN devices d ON d.name = o.device "
        "WHERE NOT f.stopped ORDER BY f.type, f.value, d.name",
        CASE_VALS(row), "export", out, err);
}

int case_links_by_id(case_db *c, case_link_ids *row, case_rows **out, trawl_err *err)
{
    return case_query_vals(
        c,
        "SELECT a.id, b.id, l.score, l.shared FROM links l JOIN devices a ON a.name = "
        "l.device_a "
        "JOIN devices b ON b.name = l.device_b ORDER BY l.score DESC, l.device_a, l.device_b",
        CASE_VALS(row), "export", out, err);
}
