/* q_devices.c: see q_devices.h. */
#include "case/q_devices.h"

#include "case/case_int.h"

static void fill_device_image(sqlite3_stmt *st, void *p)
{
    case_device_image *r = p;
    r->name = case_col(st, 0);
    r->size = case_col(st, 1);
    r->state = case_col(st, 2);
    r->exhibit = case_col(st, 3);
    r->custodian = case_col(st, 4);
    r->examiner = case_col(st, 5);
    r->path = case_col(st, 6);
    r->format = case_col(st, 7);
    r->media_size = case_col(st, 8);
    r->md5 = case_col(st, 9);
    r->sha1 = case_col(st, 10);
    r->sha256 = case_col(st, 11);
    r->verification = case_col(st, 12);
    r->acquisition = case_col(st, 13);
    r->identifiers = case_col(st, 14);
    r->scan_finished = case_col(st, 15);
}

int case_device_images(case_db *c, case_device_image *row, case_rows **out, trawl_err *err)
{
    return case_query(c,
                      "SELECT d.name, d.size, d.state, d.exhibit, d.custodian, d.examiner, "
                      "i.path, i.format, i.media_size, i.md5, i.sha1, i.sha256, i.verification, "
                      "i.acquisition, (SELECT count(*) FROM identifiers x WHERE x.device_id=d.id), "
                      "d.scan_finished FROM devices d JOIN images i ON i.device_id=d.id "
                      "ORDER BY d.name, i.seq",
                      fill_device_image, row, "devices", out, err);
}

static void fill_image_hashes(sqlite3_stmt *st, void *p)
{
    case_image_hashes *r = p;
    r->image_id = case_col(st, 0);
    r->device = case_col(st, 1);
    r->path = case_col(st, 2);
    r->md5 = case_col(st, 3);
    r->sha1 = case_col(st, 4);
    r->sha256 = case_col(st, 5);
    r->stored_md5 = case_col(st, 6);
    r->stored_sha1 = case_col(st, 7);
}

int case_images_to_verify(case_db *c, case_image_hashes *row, case_rows **out, trawl_err *err)
{
    return case_query(c,
                      "SELECT i.id, d.name, i.path, i.md5, i.sha1, i.sha256, i.stored_md5, "
                      "i.stored_sha1 FROM images i JOIN devices d ON d.id=i.device_id "
                      "ORDER BY d.name, i.seq",
                      fill_image_hashes, row, "images", out, err);
}

static void fill_segment(sqlite3_stmt *st, void *p)
{
    case_segment *r = p;
    r->path = case_col(st, 0);
    r->sha256 = case_col(st, 1);
}

int case_image_segments(case_db *c, int64_t image_id, case_segment *row, case_rows **out,
                        trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, "SELECT path, sha256 FROM segments WHERE image_id=? ORDER BY seq", &st,
                     err))
        return err->code;
    sqlite3_bind_int64(st, 1, image_id);
    return case_rows_start(c, st, fill_segment, row, "segments", out, err);
}

static void fill_device_ref(sqlite3_stmt *st, void *p)
{
    case_device_ref *r = p;
    r->id = case_col(st, 0);
    r->name = case_col(st, 1);
}

int case_devices_by_id(case_db *c, case_device_ref *row, case_rows **out, trawl_err *err)
{
    return case_query(c, "SELECT id, name FROM devices ORDER BY id", fill_device_ref, row,
                      "devices", out, err);
}

int case_devices_by_name(case_db *c, case_device_ref *row, case_rows **out, trawl_err *err)
{
    return case_query(c, "SELECT id, name FROM devices ORDER BY name", fill_device_ref, row,
                      "devices", out, err);
}

static void fill_hashset(sqlite3_stmt *st, void *p)
{
    case_hashset_row *r = p;
    r->name = case_col(st, 0);
    r->kind = case_col(st, 1);
    r->count = case_col(st, 2);
    r->imported = case_col(st, 3);
    r->source = case_col(st, 4);
}

int case_hashsets(case_db *c, case_hashset_row *row, case_rows **out, trawl_err *err)
{
    return case_query(c, "SELECT name, kind, count, imported, source FROM hashsets ORDER BY name",
                      fill_hashset, row, "hashsets", out, err);
}

const char *case_engine_name(void)
{
    return "sqlite";
}

const char *case_engine_version(void)
{
    return sqlite3_libversion();
}
