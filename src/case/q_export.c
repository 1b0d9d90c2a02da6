/* q_export.c: see q_export.h. */
#include "case/q_export.h"

#include "case/case_int.h"

static void fill_examiners(sqlite3_stmt *st, void *p)
{
    case_examiner *r = p;
    r->name = case_col(st, 0);
}

int case_examiners(case_db *c, case_examiner *row, case_rows **out, trawl_err *err)
{
    return case_query(c,
                      "SELECT DISTINCT examiner FROM devices WHERE examiner IS NOT NULL "
                      "ORDER BY examiner",
                      fill_examiners, row, "export", out, err);
}

static void fill_devices_described(sqlite3_stmt *st, void *p)
{
    case_device_desc *r = p;
    r->id = case_col(st, 0);
    r->name = case_col(st, 1);
    r->exhibit = case_col(st, 2);
    r->custodian = case_col(st, 3);
}

int case_devices_described(case_db *c, case_device_desc *row, case_rows **out, trawl_err *err)
{
    return case_query(c, "SELECT id, name, exhibit, custodian FROM devices ORDER BY name",
                      fill_devices_described, row, "export", out, err);
}

static void fill_images(sqlite3_stmt *st, void *p)
{
    case_image *r = p;
    r->id = case_col(st, 0);
    r->device_id = case_col(st, 1);
    r->path = case_col(st, 2);
    r->format = case_col(st, 3);
    r->media_size = case_col(st, 4);
    r->md5 = case_col(st, 5);
    r->sha1 = case_col(st, 6);
    r->sha256 = case_col(st, 7);
    r->verification = case_col(st, 8);
}

int case_images(case_db *c, case_image *row, case_rows **out, trawl_err *err)
{
    return case_query(c,
                      "SELECT id, device_id, path, format, media_size, md5, sha1, sha256, "
                      "verification FROM images ORDER BY device_id, seq, id",
                      fill_images, row, "export", out, err);
}

static void fill_device_scans(sqlite3_stmt *st, void *p)
{
    case_device_scan *r = p;
    r->device_id = case_col(st, 0);
    r->started = case_col(st, 1);
    r->finished = case_col(st, 2);
    r->examiner = case_col(st, 3);
    r->tool_version = case_col(st, 4);
    r->image_ids = case_col(st, 5);
}

int case_device_scans(case_db *c, case_device_scan *row, case_rows **out, trawl_err *err)
{
    return case_query(c,
                      "SELECT d.id, d.scan_started, d.scan_finished, d.examiner, d.tool_version, "
                      "(SELECT group_concat(id) FROM (SELECT id FROM images WHERE device_id = d.id "
                      "ORDER BY seq, id)) FROM devices d ORDER BY d.name",
                      fill_device_scans, row, "export", out, err);
}

static void fill_distinct_identifiers(sqlite3_stmt *st, void *p)
{
    case_identifier *r = p;
    r->type = case_col(st, 0);
    r->value = case_col(st, 1);
}

int case_distinct_identifiers(case_db *c, case_identifier *row, case_rows **out, trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, "SELECT DISTINCT type, value FROM identifiers ORDER BY type, value", &st,
                     err))
        return err->code;
    return case_rows_start(c, st, fill_distinct_identifiers, row, "export", out, err);
}

static void fill_files_with_identifiers(sqlite3_stmt *st, void *p)
{
    case_file_desc *r = p;
    r->id = case_col(st, 0);
    r->device_id = case_col(st, 1);
    r->path = case_col(st, 2);
    r->size = case_col(st, 3);
    r->md5 = case_col(st, 4);
    r->sha1 = case_col(st, 5);
    r->sha256 = case_col(st, 6);
}

int case_files_with_identifiers(case_db *c, case_file_desc *row, case_rows **out, trawl_err *err)
{
    return case_query(c,
                      "SELECT id, device_id, path, size, md5, sha1, sha256 FROM files WHERE id IN "
                      "(SELECT file_id FROM identifiers WHERE file_id IS NOT NULL) ORDER BY id",
                      fill_files_with_identifiers, row, "export", out, err);
}

static void fill_occurrence_refs(sqlite3_stmt *st, void *p)
{
    case_occurrence_ref *r = p;
    r->id = case_col(st, 0);
    r->type = case_col(st, 1);
    r->value = case_col(st, 2);
    r->pos = case_col(st, 3);
    r->path = case_col(st, 4);
    r->file_id = case_col(st, 5);
    r->device_id = case_col(st, 6);
    r->area = case_col(st, 7);
}

int case_occurrence_refs(case_db *c, case_occurrence_ref *row, case_rows **out, trawl_err *err)
{
    return case_query(
        c,
        "SELECT id, type, value, pos, path, file_id, device_id, area FROM identifiers "
        "ORDER BY device_id, pos, id",
        fill_occurrence_refs, row, "export", out, err);
}

static void fill_shared_features(sqlite3_stmt *st, void *p)
{
    case_shared_feature *r = p;
    r->id = case_col(st, 0);
    r->type = case_col(st, 1);
    r->value = case_col(st, 2);
    r->devices = case_col(st, 3);
}

int case_shared_features(case_db *c, case_shared_feature *row, case_rows **out, trawl_err *err)
{
    return case_query(
        c, "SELECT id, type, value, dc FROM link_features WHERE NOT stopped ORDER BY type, value",
        fill_shared_features, row, "export", out, err);
}

static void fill_shared_feature_counts(sqlite3_stmt *st, void *p)
{
    case_feature_count *r = p;
    r->device_id = case_col(st, 0);
    r->feature_id = case_col(st, 1);
    r->count = case_col(st, 2);
}

int case_shared_feature_counts(case_db *c, case_feature_count *row, case_rows **out, trawl_err *err)
{
    return case_query(
        c,
        "SELECT d.id, o.feature_id, o.count FROM link_occurrences o "
        "JOIN link_features f ON f.id = o.feature_id JOIN devices d ON d.name = o.device "
        "WHERE NOT f.stopped ORDER BY f.type, f.value, d.name",
        fill_shared_feature_counts, row, "export", out, err);
}

static void fill_links_by_id(sqlite3_stmt *st, void *p)
{
    case_link_ids *r = p;
    r->device_a = case_col(st, 0);
    r->device_b = case_col(st, 1);
    r->score = case_col(st, 2);
    r->shared = case_col(st, 3);
}

int case_links_by_id(case_db *c, case_link_ids *row, case_rows **out, trawl_err *err)
{
    return case_query(
        c,
        "SELECT a.id, b.id, l.score, l.shared FROM links l JOIN devices a ON a.name = "
        "l.device_a "
        "JOIN devices b ON b.name = l.device_b ORDER BY l.score DESC, l.device_a, l.device_b",
        fill_links_by_id, row, "export", out, err);
}
