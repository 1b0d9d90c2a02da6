/* q_devices.c: see q_devices.h. */
#include "case/q_devices.h"

#include "case/case_int.h"

int case_device_images(case_db *c, case_device_image *row, case_rows **out, trawl_err *err)
{
    return case_query_vals(
        c,
        "SELECT d.name, d.size, d.state, d.exhibit, d.custodian, d.examiner, "
        "i.path, i.format, i.media_size, i.md5, i.sha1, i.sha256, i.verification, "
        "i.acquisition, (SELECT count(*) FROM identifiers x WHERE x.device_id=d.id), "
        "d.scan_finished FROM devices d JOIN images i ON i.device_id=d.id "
        "ORDER BY d.name, i.seq",
        CASE_VALS(row), "devices", out, err);
}

int case_images_to_verify(case_db *c, case_image_hashes *row, case_rows **out, trawl_err *err)
{
    return case_query_vals(c,
                           "SELECT i.id, d.name, i.path, i.md5, i.sha1, i.sha256, i.stored_md5, "
                           "i.stored_sha1 FROM images i JOIN devices d ON d.id=i.device_id "
                           "ORDER BY d.name, i.seq",
                           CASE_VALS(row), "images", out, err);
}

int case_image_segments(case_db *c, int64_t image_id, case_segment *row, case_rows **out,
                        trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, "SELECT path, sha256 FROM segments WHERE image_id=? ORDER BY seq", &st,
                     err))
        return err->code;
    sqlite3_bind_int64(st, 1, image_id);
    return case_rows_start_vals(c, st, CASE_VALS(row), "segments", out, err);
}

int case_devices_by_id(case_db *c, case_device_ref *row, case_rows **out, trawl_err *err)
{
    return case_query_vals(c, "SELECT id, name FROM devices ORDER BY id", CASE_VALS(row), "devices",
                           out, err);
}

int case_devices_by_name(case_db *c, case_device_ref *row, case_rows **out, trawl_err *err)
{
    return case_query_vals(c, "SELECT id, name FROM devices ORDER BY name", CASE_VALS(row),
                           "devices", out, err);
}

int case_hashsets(case_db *c, case_hashset_row *row, case_rows **out, trawl_err *err)
{
    return case_query_vals(c,
                           "SELECT name, kind, count, imported, source FROM hashsets ORDER BY name",
                           CASE_VALS(row), "hashsets", out, err);
}

const char *case_engine_name(void)
{
    return "sqlite";
}

const char *case_engine_version(void)
{
    return sqlite3_libversion();
}
