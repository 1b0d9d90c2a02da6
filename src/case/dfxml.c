/* dfxml.c: CASE/devices/NAME/files.dfxml, the device's file list in Digital
 * Forensics XML (as fiwalk writes it), for tools that read DFXML.  Elements
 * follow the DFXML schema's order; every string from evidence goes through
 * esc_xml; files come in a fixed order (path, inode, id) so two runs over
 * the same evidence give the same bytes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case_fs.h"
#include "case/case_int.h"
#include "util/escape.h"
#include "util/strbuf.h"

#ifndef TRAWL_VERSION
#define TRAWL_VERSION "0"
#endif

static void elem(strbuf *sb, const char *indent, const char *tag, const char *text)
{
    if (!text)
        return;
    sb_addf(sb, "%s<%s>", indent, tag);
    esc_xml(sb, text, strlen(text));
    sb_addf(sb, "</%s>\n", tag);
}

static int flush(strbuf *sb, FILE *fp)
{
    int bad = sb->oom || (sb->len && fwrite(sb->buf, 1, sb->len, fp) != sb->len);
    sb_reset(sb);
    return bad;
}

int case_write_dfxml(case_db *c, int64_t device_id, const char *path, trawl_err *err)
{
    strbuf tmp = STRBUF_INIT, sb = STRBUF_INIT;
    sb_addf(&tmp, "%s.tmp", path);
    if (tmp.oom)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    FILE *fp = fopen(sb_cstr(&tmp), "w");
    if (!fp) {
        int rc =
            trawl_fail(err, TRAWL_EIO, "%s: cannot create: %s", sb_cstr(&tmp), strerror(errno));
        sb_free(&tmp);
        return rc;
    }
    sqlite3_stmt *st = NULL, *runs = NULL;
    int rc = 0, bad = 0;
    sb_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<dfxml xmlns=\"http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML\""
                 " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
                 " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"1.0\">\n"
                 "  <metadata>\n    <dc:type>File System Walk</dc:type>\n  </metadata>\n"
                 "  <creator version=\"1.0\">\n    <program>trawl</program>\n"
                 "    <version>" TRAWL_VERSION "</version>\n  </creator>\n  <source>\n");
    if ((rc = case_prepare(c, "SELECT path FROM images WHERE device_id = ? ORDER BY seq", &st,
                           err)) != 0)
        goto out;
    sqlite3_bind_int64(st, 1, device_id);
    /* A step that fails (out of memory) ends a loop as the last row does:
     * tell them apart, or a short file would pass for the whole one (and
     * SQLite may have rolled the device's transaction back meanwhile). */
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        elem(&sb, "    ", "image_filename", (const char *)sqlite3_column_text(st, 0));
    if (s != SQLITE_DONE) {
        rc = case_db_fail(c, err, "reading images");
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    sb_adds(&sb, "  </source>\n");
    if ((rc = case_prepare(c,
                           "SELECT id, path, size, alloc, inode, mtime, atime, ctime, crtime,"
                           " md5, sha1, sha256, meta_type, mime FROM files WHERE device_id = ?"
                           " ORDER BY path, inode, id",
                           &st, err)) != 0 ||
        (rc = case_prepare(c,
                           "SELECT file_offset, img_offset, length, flags FROM runs WHERE"
                           " file_id = ? ORDER BY file_offset",
                           &runs, err)) != 0)
        goto out;
    sqlite3_bind_int64(st, 1, device_id);
    while (!bad && !rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        sb_adds(&sb, "  <fileobject>\n");
        elem(&sb, "    ", "filename", (const char *)sqlite3_column_text(st, 1));
        sb_addf(&sb, "    <filesize>%lld</filesize>\n", (long long)sqlite3_column_int64(st, 2));
        sb_adds(&sb, sqlite3_column_int(st, 3) ? "    <alloc>1</alloc>\n"
                                               : "    <unalloc>1</unalloc>\n");
        sb_addf(&sb, "    <inode>%lld</inode>\n", (long long)sqlite3_column_int64(st, 4));
        elem(&sb, "    ", "mtime", (const char *)sqlite3_column_text(st, 5));
        elem(&sb, "    ", "ctime", (const char *)sqlite3_column_text(st, 7));
        elem(&sb, "    ", "atime", (const char *)sqlite3_column_text(st, 6));
        elem(&sb, "    ", "crtime", (const char *)sqlite3_column_text(st, 8));
        sqlite3_reset(runs);
        sqlite3_bind_int64(runs, 1, sqlite3_column_int64(st, 0));
        int first = 1, r;
        while ((r = sqlite3_step(runs)) == SQLITE_ROW) {
            int flags = sqlite3_column_int(runs, 3);
            if (first)
                sb_adds(&sb, "    <byte_runs>\n");
            first = 0;
            sb_addf(&sb, "      <byte_run file_offset=\"%lld\"",
                    (long long)sqlite3_column_int64(runs, 0));
            if (flags & FS_RUN_SPARSE)
                sb_adds(&sb, " type=\"fill\" fill=\"0\"");
            else
                sb_addf(&sb, " img_offset=\"%lld\"", (long long)sqlite3_column_int64(runs, 1));
            sb_addf(&sb, " len=\"%lld\"%s/>\n", (long long)sqlite3_column_int64(runs, 2),
                    (flags & FS_RUN_RESIDENT) ? " type=\"resident\"" : "");
        }
        if (r != SQLITE_DONE) {
            rc = case_db_fail(c, err, "reading runs");
            break;
        }
        if (!first)
            sb_adds(&sb, "    </byte_runs>\n");
        static const char *const types[] = {"md5", "sha1", "sha256"};
        for (int i = 0; i < 3; i++) {
            const char *h = (const char *)sqlite3_column_text(st, 9 + i);
            if (h)
                sb_addf(&sb, "    <hashdigest type=\"%s\">%s</hashdigest>\n", types[i], h);
        }
        elem(&sb, "    ", "libmagic", (const char *)sqlite3_column_text(st, 13));
        sb_adds(&sb, "  </fileobject>\n");
        if (sb.len > (1u << 20))
            bad = flush(&sb, fp);
    }
    if (!rc && !bad && s != SQLITE_DONE)
        rc = case_db_fail(c, err, "reading files");
    if (rc)
        goto out;
    sb_adds(&sb, "</dfxml>\n");
    bad |= flush(&sb, fp);
out:
    sqlite3_finalize(st);
    sqlite3_finalize(runs);
    if (fclose(fp) != 0)
        bad = 1;
    if (!rc && (bad || rename(sb_cstr(&tmp), path) != 0))
        rc = trawl_fail(err, TRAWL_EIO, "%s: cannot write: %s", path, strerror(errno));
    if (rc)
        remove(sb_cstr(&tmp));
    sb_free(&tmp);
    sb_free(&sb);
    return rc;
}
