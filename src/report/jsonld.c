/* jsonld.c: the CASE/UCO JSON-LD export (see report.h).
 *
 * Node ids are in the case's own namespace (kb: = urn:trawl:CASE-NAME:) and
 * come from the case's row ids, or for identifiers from the SHA-256 of
 * "type\nvalue", so they are stable across runs.  Every element is written
 * in a fixed order; the document holds no time but those of the case. */
#include <string.h>

#include "report/report.h"
#include "util/digest.h"
#include "util/escape.h"
#include "util/strbuf.h"

typedef struct out {
    strbuf sb;
    FILE *f;
    int first; /* no element of @graph written yet */
    int failed;
} out;

static void flush(out *o, int force)
{
    if (!force && o->sb.len < (1u << 20))
        return;
    if (o->sb.len && fwrite(o->sb.buf, 1, o->sb.len, o->f) != o->sb.len)
        o->failed = 1;
    sb_reset(&o->sb);
}

static void begin(out *o)
{
    flush(o, 0);
    sb_adds(&o->sb, o->first ? "\n    {" : ",\n    {");
    o->first = 0;
}

static void str(out *o, const char *s, size_t len)
{
    sb_addc(&o->sb, '"');
    esc_json(&o->sb, s, len);
    sb_addc(&o->sb, '"');
}

static void strz(out *o, const char *s)
{
    str(o, s, strlen(s));
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

static int is_null(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL;
}

/* "kb:identifier-HASH" + suffix, quoted. */
static void ident_id(out *o, const char *type, const char *value, size_t len, const char *suffix)
{
    strbuf k = STRBUF_INIT;
    sb_adds(&k, type);
    sb_addc(&k, '\n');
    sb_add(&k, value, len);
    char hex[65];
    digest_sha256_hex(k.buf ? k.buf : "", k.len, hex);
    sb_free(&k);
    sb_addf(&o->sb, "\"kb:identifier-%.32s%s\"", hex, suffix);
}

/* "observable:hash": [...] for the non-NULL of md5, sha1, sha256. */
static void hashes(out *o, const char *owner, const char *const names[], sqlite3_stmt *st,
                   int firstcol, int n)
{
    sb_adds(&o->sb, "\"observable:hash\":[");
    int any = 0;
    for (int i = 0; i < n; i++) {
        if (is_null(st, firstcol + i))
            continue;
        sb_addf(&o->sb,
                "%s{\"@id\":\"kb:%s-%s\",\"@type\":\"types:Hash\",\"types:hashMethod\":"
                "{\"@type\":\"vocabulary:HashNameVocab\",\"@value\":\"%s\"},"
                "\"types:hashValue\":{\"@type\":\"xsd:hexBinary\",\"@value\":",
                any ? "," : "", owner, names[i], names[i]);
        str(o, col(st, firstcol + i), (size_t)sqlite3_column_bytes(st, firstcol + i));
        sb_adds(&o->sb, "}}");
        any = 1;
    }
    sb_addc(&o->sb, ']');
}

static void relationship(out *o, const char *id, const char *source, const char *target)
{
    begin(o);
    sb_addf(&o->sb,
            "\"@id\":\"%s\",\"@type\":\"observable:ObservableRelationship\","
            "\"core:source\":{\"@id\":\"%s\"},\"core:target\":{\"@id\":\"%s\"},"
            "\"core:kindOfRelationship\":\"Contained_Within\",\"core:isDirectional\":true}",
            id, source, target);
}

static const char *const hash_names[] = {"MD5", "SHA1", "SHA256"};

static int run(case_db *c, out *o, const char *sql, int (*row)(out *, sqlite3_stmt *),
               trawl_err *err)
{
    sqlite3_stmt *st;
    if (case_prepare(c, sql, &st, err))
        return err->code;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW && !o->failed)
        row(o, st);
    sqlite3_finalize(st);
    if (o->failed)
        return trawl_fail(err, TRAWL_EIO, "writing the export failed");
    if (s != SQLITE_DONE && s != SQLITE_ROW)
        return trawl_fail(err, TRAWL_ECASE, "%s/case.db: export: %s", case_dir(c),
                          sqlite3_errmsg(case_sqlite(c)));
    return 0;
}

/* devices: id, name, exhibit, custodian */
static int device_row(out *o, sqlite3_stmt *st)
{
    begin(o);
    sb_addf(&o->sb, "\"@id\":\"kb:device-%lld\",\"@type\":\"observable:Device\",\"core:name\":",
            (long long)sqlite3_column_int64(st, 0));
    str(o, col(st, 1), (size_t)sqlite3_column_bytes(st, 1));
    if (!is_null(st, 2) || !is_null(st, 3)) {
        strbuf d = STRBUF_INIT;
        sb_addf(&d, "exhibit %s; custodian %s", is_null(st, 2) ? "-" : col(st, 2),
                is_null(st, 3) ? "-" : col(st, 3));
        sb_adds(&o->sb, ",\"core:description\":");
        str(o, d.buf ? d.buf : "", d.len);
        sb_free(&d);
    }
    sb_addc(&o->sb, '}');
    return 0;
}

/* images: id, device_id, path, format, media_size, md5, sha1, sha256, verification */
static int image_row(out *o, sqlite3_stmt *st)
{
    long long id = sqlite3_column_int64(st, 0);
    char owner[48];
    snprintf(owner, sizeof owner, "image-%lld", id);
    begin(o);
    sb_addf(&o->sb,
            "\"@id\":\"kb:image-%lld\",\"@type\":\"observable:Image\",\"core:hasFacet\":["
            "{\"@id\":\"kb:image-%lld-file\",\"@type\":\"observable:FileFacet\","
            "\"observable:filePath\":",
            id, id);
    str(o, col(st, 2), (size_t)sqlite3_column_bytes(st, 2));
    sb_addf(&o->sb,
            ",\"observable:sizeInBytes\":%lld},{\"@id\":\"kb:image-%lld-content\","
            "\"@type\":\"observable:ContentDataFacet\",\"observable:sizeInBytes\":%lld,",
            (long long)sqlite3_column_int64(st, 4), id, (long long)sqlite3_column_int64(st, 4));
    hashes(o, owner, hash_names, st, 5, 3);
    sb_adds(&o->sb, "}],\"core:description\":");
    strbuf d = STRBUF_INIT;
    sb_addf(&d, "format %s; verification %s", col(st, 3), col(st, 8));
    str(o, d.buf ? d.buf : "", d.len);
    sb_free(&d);
    sb_addc(&o->sb, '}');
    char rid[64], src[48], dst[48];
    snprintf(rid, sizeof rid, "kb:relationship-image-%lld", id);
    snprintf(src, sizeof src, "kb:image-%lld", id);
    snprintf(dst, sizeof dst, "kb:device-%lld", (long long)sqlite3_column_int64(st, 1));
    relationship(o, rid, src, dst);
    return 0;
}

/* devices: id, scan_started, scan_finished, examiner, tool_version, image ids */
static int action_row(out *o, sqlite3_stmt *st)
{
    long long id = sqlite3_column_int64(st, 0);
    begin(o);
    sb_addf(&o->sb,
            "\"@id\":\"kb:action-scan-%lld\",\"@type\":\"case-investigation:InvestigativeAction\","
            "\"core:name\":\"scan\",\"action:instrument\":{\"@id\":\"kb:tool-trawl\"}",
            id);
    if (!is_null(st, 1)) {
        sb_adds(&o->sb, ",\"action:startTime\":{\"@type\":\"xsd:dateTime\",\"@value\":");
        strz(o, col(st, 1));
        sb_addc(&o->sb, '}');
    }
    if (!is_null(st, 2)) {
        sb_adds(&o->sb, ",\"action:endTime\":{\"@type\":\"xsd:dateTime\",\"@value\":");
        strz(o, col(st, 2));
        sb_addc(&o->sb, '}');
    }
    if (!is_null(st, 3)) {
        char hex[65];
        digest_sha256_hex(col(st, 3), (size_t)sqlite3_column_bytes(st, 3), hex);
        sb_addf(&o->sb, ",\"action:performer\":{\"@id\":\"kb:examiner-%.16s\"}", hex);
    }
    sb_adds(&o->sb, ",\"action:object\":[");
    const char *ids = col(st, 5);
    int first = 1;
    while (*ids) {
        const char *e = strchr(ids, ',');
        size_t len = e ? (size_t)(e - ids) : strlen(ids);
        sb_addf(&o->sb, "%s{\"@id\":\"kb:image-%.*s\"}", first ? "" : ",", (int)len, ids);
        first = 0;
        ids += len + (e ? 1 : 0);
    }
    sb_addf(&o->sb, "],\"action:result\":[{\"@id\":\"kb:device-%lld\"}]}", id);
    return 0;
}

/* examiner names */
static int examiner_row(out *o, sqlite3_stmt *st)
{
    char hex[65];
    digest_sha256_hex(col(st, 0), (size_t)sqlite3_column_bytes(st, 0), hex);
    begin(o);
    sb_addf(&o->sb,
            "\"@id\":\"kb:examiner-%.16s\",\"@type\":\"identity:Identity\",\"core:name\":", hex);
    str(o, col(st, 0), (size_t)sqlite3_column_bytes(st, 0));
    sb_addc(&o->sb, '}');
    return 0;
}

/* distinct identifiers: type, value */
static int identifier_row(out *o, sqlite3_stmt *st)
{
    const char *type = col(st, 0), *value = col(st, 1);
    size_t vlen = (size_t)sqlite3_column_bytes(st, 1);
    const char *cls = "ObservableObject", *facet = NULL, *prop = NULL, *extra = NULL;
    if (!strcmp(type, "email"))
        cls = "EmailAddress", facet = "EmailAddressFacet", prop = "addressValue";
    else if (!strcmp(type, "url"))
        cls = "URL", facet = "URLFacet", prop = "fullValue";
    else if (!strcmp(type, "domain"))
        cls = "DomainName", facet = "DomainNameFacet", prop = "value";
    else if (!strcmp(type, "ipv4"))
        cls = "IPv4Address", facet = "IPv4AddressFacet", prop = "addressValue";
    else if (!strcmp(type, "ipv6"))
        cls = "IPv6Address", facet = "IPv6AddressFacet", prop = "addressValue";
    else if (!strcmp(type, "phone"))
        cls = "PhoneAccount", facet = "PhoneAccountFacet", prop = "phoneNumber";
    else if (!strcmp(type, "account"))
        cls = "ApplicationAccount", facet = "AccountFacet", prop = "accountIdentifier";
    else if (!strcmp(type, "iban"))
        cls = "FinancialAccount", facet = "AccountFacet", prop = "accountIdentifier",
        extra = "IBAN";
    else if (!strcmp(type, "ccn"))
        cls = "FinancialAccount", facet = "AccountFacet", prop = "accountIdentifier",
        extra = "payment card";
    else if (!strcmp(type, "btc") || !strcmp(type, "eth"))
        cls = "DigitalAddress", facet = "DigitalAddressFacet", prop = "addressValue";
    begin(o);
    sb_adds(&o->sb, "\"@id\":");
    ident_id(o, type, value, vlen, "");
    sb_addf(&o->sb, ",\"@type\":\"observable:%s\",\"core:tag\":[", cls);
    strz(o, type);
    sb_addc(&o->sb, ']');
    if (!facet) {
        sb_adds(&o->sb, ",\"core:name\":");
        str(o, value, vlen);
        sb_addc(&o->sb, '}');
        return 0;
    }
    /* An account's identifier is the part after "service:"; the service
     * goes into an ApplicationAccountFacet's description. */
    const char *shown = value;
    size_t slen = vlen;
    const char *colon = !strcmp(type, "account") ? memchr(value, ':', vlen) : NULL;
    if (colon) {
        shown = colon + 1;
        slen = vlen - (size_t)(colon + 1 - value);
    }
    sb_adds(&o->sb, ",\"core:name\":");
    str(o, value, vlen);
    sb_adds(&o->sb, ",\"core:hasFacet\":[{\"@id\":");
    ident_id(o, type, value, vlen, "-facet");
    sb_addf(&o->sb, ",\"@type\":\"observable:%s\",\"observable:%s\":", facet, prop);
    str(o, shown, slen);
    if (colon) {
        /* UCO's accountIssuer is an identity object; the service is text. */
        sb_adds(&o->sb, "},{\"@id\":");
        ident_id(o, type, value, vlen, "-application");
        sb_adds(&o->sb, ",\"@type\":\"observable:ApplicationAccountFacet\",\"core:description\":");
        str(o, value, (size_t)(colon - value));
    }
    sb_addc(&o->sb, '}');
    if (extra) {
        sb_adds(&o->sb, ",{\"@id\":");
        ident_id(o, type, value, vlen, "-financial");
        sb_addf(&o->sb,
                ",\"@type\":\"observable:FinancialAccountFacet\","
                "\"observable:accountType\":\"%s\"}",
                extra);
    }
    sb_adds(&o->sb, "]}");
    return 0;
}

/* files holding identifiers: id, device_id, path, size, md5, sha1, sha256 */
static int file_row(out *o, sqlite3_stmt *st)
{
    long long id = sqlite3_column_int64(st, 0);
    char owner[48];
    snprintf(owner, sizeof owner, "file-%lld", id);
    begin(o);
    sb_addf(&o->sb,
            "\"@id\":\"kb:file-%lld\",\"@type\":\"observable:File\",\"core:hasFacet\":["
            "{\"@id\":\"kb:file-%lld-file\",\"@type\":\"observable:FileFacet\","
            "\"observable:filePath\":",
            id, id);
    str(o, col(st, 2), (size_t)sqlite3_column_bytes(st, 2));
    if (!is_null(st, 3))
        sb_addf(&o->sb, ",\"observable:sizeInBytes\":%lld", (long long)sqlite3_column_int64(st, 3));
    sb_addf(&o->sb,
            "},{\"@id\":\"kb:file-%lld-content\",\"@type\":\"observable:ContentDataFacet\",", id);
    hashes(o, owner, hash_names, st, 4, 3);
    sb_adds(&o->sb, "}]}");
    char rid[64], src[48], dst[48];
    snprintf(rid, sizeof rid, "kb:relationship-file-%lld", id);
    snprintf(src, sizeof src, "kb:file-%lld", id);
    snprintf(dst, sizeof dst, "kb:device-%lld", (long long)sqlite3_column_int64(st, 1));
    relationship(o, rid, src, dst);
    return 0;
}

/* occurrences: id, type, value, pos, path, file_id, device_id, area */
static int occurrence_row(out *o, sqlite3_stmt *st)
{
    long long id = sqlite3_column_int64(st, 0);
    begin(o);
    sb_addf(&o->sb,
            "\"@id\":\"kb:occurrence-%lld\",\"@type\":\"observable:ObservableRelationship\","
            "\"core:source\":{\"@id\":",
            id);
    ident_id(o, col(st, 1), col(st, 2), (size_t)sqlite3_column_bytes(st, 2), "");
    if (!is_null(st, 5))
        sb_addf(&o->sb, "},\"core:target\":{\"@id\":\"kb:file-%lld\"}",
                (long long)sqlite3_column_int64(st, 5));
    else
        sb_addf(&o->sb, "},\"core:target\":{\"@id\":\"kb:device-%lld\"}",
                (long long)sqlite3_column_int64(st, 6));
    sb_addf(&o->sb,
            ",\"core:kindOfRelationship\":\"Contained_Within\",\"core:isDirectional\":true,"
            "\"core:hasFacet\":[{\"@id\":\"kb:occurrence-%lld-range\",\"@type\":"
            "\"observable:DataRangeFacet\",\"observable:rangeOffset\":%lld}],"
            "\"core:description\":",
            id, (long long)sqlite3_column_int64(st, 3));
    strbuf d = STRBUF_INIT;
    sb_adds(&d, "forensic path ");
    sb_add(&d, col(st, 4), (size_t)sqlite3_column_bytes(st, 4));
    if (!is_null(st, 7)) {
        sb_adds(&d, "; area ");
        sb_adds(&d, col(st, 7));
    }
    str(o, d.buf ? d.buf : "", d.len);
    sb_free(&d);
    sb_addc(&o->sb, '}');
    return 0;
}

int report_jsonld(case_db *c, FILE *f, trawl_err *err)
{
    out o = {.sb = STRBUF_INIT, .f = f, .first = 1};
    const char *dir = case_dir(c);
    const char *base = strrchr(dir, '/');
    base = base && base[1] ? base + 1 : dir;
    sb_adds(&o.sb, "{\n  \"@context\": {\n    \"kb\": \"urn:trawl:");
    /* The case name as an IRI segment: keep [A-Za-z0-9._-], else '_'. */
    for (const char *p = base; *p; p++) {
        char ch = *p;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '.' || ch == '_' || ch == '-';
        sb_addc(&o.sb, ok ? ch : '_');
    }
    sb_adds(
        &o.sb,
        ":\",\n"
        "    \"case-investigation\": \"https://ontology.caseontology.org/case/investigation/\",\n"
        "    \"action\": \"https://ontology.unifiedcyberontology.org/uco/action/\",\n"
        "    \"core\": \"https://ontology.unifiedcyberontology.org/uco/core/\",\n"
        "    \"identity\": \"https://ontology.unifiedcyberontology.org/uco/identity/\",\n"
        "    \"observable\": \"https://ontology.unifiedcyberontology.org/uco/observable/\",\n"
        "    \"tool\": \"https://ontology.unifiedcyberontology.org/uco/tool/\",\n"
        "    \"types\": \"https://ontology.unifiedcyberontology.org/uco/types/\",\n"
        "    \"vocabulary\": \"https://ontology.unifiedcyberontology.org/uco/vocabulary/\",\n"
        "    \"xsd\": \"http://www.w3.org/2001/XMLSchema#\"\n"
        "  },\n  \"@graph\": [");
    begin(&o);
    sb_adds(&o.sb, "\"@id\":\"kb:investigation\",\"@type\":\"case-investigation:Investigation\","
                   "\"core:name\":");
    strz(&o, base);
    sb_adds(&o.sb, ",\"case-investigation:focus\":[\"cross-device link analysis\"]}");
    begin(&o);
    sb_adds(&o.sb, "\"@id\":\"kb:tool-trawl\",\"@type\":\"tool:Tool\",\"core:name\":\"trawl\","
                   "\"tool:version\":\"" TRAWL_VERSION "\"}");
    int rc = run(c, &o,
                 "SELECT DISTINCT examiner FROM devices WHERE examiner IS NOT NULL "
                 "ORDER BY examiner",
                 examiner_row, err);
    if (!rc)
        rc = run(c, &o, "SELECT id, name, exhibit, custodian FROM devices ORDER BY name",
                 device_row, err);
    if (!rc)
        rc = run(c, &o,
                 "SELECT id, device_id, path, format, media_size, md5, sha1, sha256, "
                 "verification FROM images ORDER BY device_id, seq, id",
                 image_row, err);
    if (!rc)
        rc = run(c, &o,
                 "SELECT d.id, d.scan_started, d.scan_finished, d.examiner, d.tool_version, "
                 "(SELECT group_concat(id) FROM (SELECT id FROM images WHERE device_id = d.id "
                 "ORDER BY seq, id)) FROM devices d ORDER BY d.name",
                 action_row, err);
    if (!rc)
        rc = run(c, &o, "SELECT DISTINCT type, value FROM identifiers ORDER BY type, value",
                 identifier_row, err);
    if (!rc)
        rc = run(c, &o,
                 "SELECT id, device_id, path, size, md5, sha1, sha256 FROM files WHERE id IN "
                 "(SELECT file_id FROM identifiers WHERE file_id IS NOT NULL) ORDER BY id",
                 file_row, err);
    if (!rc)
        rc = run(c, &o,
                 "SELECT id, type, value, pos, path, file_id, device_id, area FROM identifiers "
                 "ORDER BY device_id, pos, id",
                 occurrence_row, err);
    sb_adds(&o.sb, "\n  ]\n}\n");
    if (!rc && o.sb.oom)
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    if (!rc) {
        flush(&o, 1);
        if (o.failed || ferror(f))
            rc = trawl_fail(err, TRAWL_EIO, "writing the export failed");
    }
    sb_free(&o.sb);
    return rc;
}
