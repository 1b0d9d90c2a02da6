/* jsonld.c: the CASE/UCO JSON-LD export (see report.h).
 *
 * Node ids are in the case's own namespace (kb: = urn:trawl:CASE-NAME:) and
 * come from the case's row ids, or for identifiers from the SHA-256 of
 * "type\nvalue", so they are stable across runs.  Every element is written
 * in a fixed order; the document holds no time but those of the case. */
#include <string.h>

#include "report/report.h"

#include "case/q_export.h"
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
static void hashes(out *o, const char *owner, const char *const names[], const case_val *const v[],
                   int n)
{
    sb_adds(&o->sb, "\"observable:hash\":[");
    int any = 0;
    for (int i = 0; i < n; i++) {
        if (v[i]->type == CASE_NULL)
            continue;
        sb_addf(&o->sb,
                "%s{\"@id\":\"kb:%s-%s\",\"@type\":\"types:Hash\",\"types:hashMethod\":"
                "{\"@type\":\"vocabulary:HashNameVocab\",\"@value\":\"%s\"},"
                "\"types:hashValue\":{\"@type\":\"xsd:hexBinary\",\"@value\":",
                any ? "," : "", owner, names[i], names[i]);
        str(o, v[i]->s, v[i]->len);
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

/* Write each row of rows with fn (row is the struct rows fills), then
 * close rows. */
static int drain(out *o, case_rows *rows, int (*fn)(out *, const void *), const void *row,
                 trawl_err *err)
{
    int rc, more;
    while (!(rc = case_rows_next(rows, &more, err)) && more && !o->failed)
        fn(o, row);
    case_rows_close(rows);
    if (o->failed)
        return trawl_fail(err, TRAWL_EIO, "writing the export failed");
    return rc;
}

/* devices: id, name, exhibit, custodian */
static int device_row(out *o, const void *p)
{
    const case_device_desc *r = p;
    begin(o);
    sb_addf(&o->sb, "\"@id\":\"kb:device-%lld\",\"@type\":\"observable:Device\",\"core:name\":",
            (long long)r->id.i);
    str(o, r->name.s, r->name.len);
    if (!(r->exhibit.type == CASE_NULL) || !(r->custodian.type == CASE_NULL)) {
        strbuf d = STRBUF_INIT;
        sb_addf(&d, "exhibit %s; custodian %s", (r->exhibit.type == CASE_NULL) ? "-" : r->exhibit.s,
                (r->custodian.type == CASE_NULL) ? "-" : r->custodian.s);
        sb_adds(&o->sb, ",\"core:description\":");
        str(o, d.buf ? d.buf : "", d.len);
        sb_free(&d);
    }
    sb_addc(&o->sb, '}');
    return 0;
}

/* images: id, device_id, path, format, media_size, md5, sha1, sha256, verification */
static int image_row(out *o, const void *p)
{
    const case_image *r = p;
    long long id = r->id.i;
    char owner[48];
    snprintf(owner, sizeof owner, "image-%lld", id);
    begin(o);
    sb_addf(&o->sb,
            "\"@id\":\"kb:image-%lld\",\"@type\":\"observable:Image\",\"core:hasFacet\":["
            "{\"@id\":\"kb:image-%lld-file\",\"@type\":\"observable:FileFacet\","
            "\"observable:filePath\":",
            id, id);
    str(o, r->path.s, r->path.len);
    sb_addf(&o->sb,
            ",\"observable:sizeInBytes\":%lld},{\"@id\":\"kb:image-%lld-content\","
            "\"@type\":\"observable:ContentDataFacet\",\"observable:sizeInBytes\":%lld,",
            (long long)r->media_size.i, id, (long long)r->media_size.i);
    hashes(o, owner, hash_names, (const case_val *const[]){&r->md5, &r->sha1, &r->sha256}, 3);
    sb_adds(&o->sb, "}],\"core:description\":");
    strbuf d = STRBUF_INIT;
    sb_addf(&d, "format %s; verification %s", r->format.s, r->verification.s);
    str(o, d.buf ? d.buf : "", d.len);
    sb_free(&d);
    sb_addc(&o->sb, '}');
    char rid[64], src[48], dst[48];
    snprintf(rid, sizeof rid, "kb:relationship-image-%lld", id);
    snprintf(src, sizeof src, "kb:image-%lld", id);
    snprintf(dst, sizeof dst, "kb:device-%lld", (long long)r->device_id.i);
    relationship(o, rid, src, dst);
    return 0;
}

/* devices: id, scan_started, scan_finished, examiner, tool_version, image ids */
static int action_row(out *o, const void *p)
{
    const case_device_scan *r = p;
    long long id = r->device_id.i;
    begin(o);
    sb_addf(&o->sb,
            "\"@id\":\"kb:action-scan-%lld\",\"@type\":\"case-investigation:InvestigativeAction\","
            "\"core:name\":\"scan\",\"action:instrument\":{\"@id\":\"kb:tool-trawl\"}",
            id);
    if (!(r->started.type == CASE_NULL)) {
        sb_adds(&o->sb, ",\"action:startTime\":{\"@type\":\"xsd:dateTime\",\"@value\":");
        strz(o, r->started.s);
        sb_addc(&o->sb, '}');
    }
    if (!(r->finished.type == CASE_NULL)) {
        sb_adds(&o->sb, ",\"action:endTime\":{\"@type\":\"xsd:dateTime\",\"@value\":");
        strz(o, r->finished.s);
        sb_addc(&o->sb, '}');
    }
    if (!(r->examiner.type == CASE_NULL)) {
        char hex[65];
        digest_sha256_hex(r->examiner.s, r->examiner.len, hex);
        sb_addf(&o->sb, ",\"action:performer\":{\"@id\":\"kb:examiner-%.16s\"}", hex);
    }
    sb_adds(&o->sb, ",\"action:object\":[");
    const char *ids = r->image_ids.s;
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
static int examiner_row(out *o, const void *p)
{
    const case_examiner *r = p;
    char hex[65];
    digest_sha256_hex(r->name.s, r->name.len, hex);
    begin(o);
    sb_addf(&o->sb,
            "\"@id\":\"kb:examiner-%.16s\",\"@type\":\"identity:Identity\",\"core:name\":", hex);
    str(o, r->name.s, r->name.len);
    sb_addc(&o->sb, '}');
    return 0;
}

/* distinct identifiers: type, value */
static int identifier_row(out *o, const void *p)
{
    const case_identifier *r = p;
    const char *type = r->type.s, *value = r->value.s;
    size_t vlen = r->value.len;
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
static int file_row(out *o, const void *p)
{
    const case_file_desc *r = p;
    long long id = r->id.i;
    char owner[48];
    snprintf(owner, sizeof owner, "file-%lld", id);
    begin(o);
    sb_addf(&o->sb,
            "\"@id\":\"kb:file-%lld\",\"@type\":\"observable:File\",\"core:hasFacet\":["
            "{\"@id\":\"kb:file-%lld-file\",\"@type\":\"observable:FileFacet\","
            "\"observable:filePath\":",
            id, id);
    str(o, r->path.s, r->path.len);
    if (!(r->size.type == CASE_NULL))
        sb_addf(&o->sb, ",\"observable:sizeInBytes\":%lld", (long long)r->size.i);
    sb_addf(&o->sb,
            "},{\"@id\":\"kb:file-%lld-content\",\"@type\":\"observable:ContentDataFacet\",", id);
    hashes(o, owner, hash_names, (const case_val *const[]){&r->md5, &r->sha1, &r->sha256}, 3);
    sb_adds(&o->sb, "}]}");
    char rid[64], src[48], dst[48];
    snprintf(rid, sizeof rid, "kb:relationship-file-%lld", id);
    snprintf(src, sizeof src, "kb:file-%lld", id);
    snprintf(dst, sizeof dst, "kb:device-%lld", (long long)r->device_id.i);
    relationship(o, rid, src, dst);
    return 0;
}

/* occurrences: id, type, value, pos, path, file_id, device_id, area */
static int occurrence_row(out *o, const void *p)
{
    const case_occurrence_ref *r = p;
    long long id = r->id.i;
    begin(o);
    sb_addf(&o->sb,
            "\"@id\":\"kb:occurrence-%lld\",\"@type\":\"observable:ObservableRelationship\","
            "\"core:source\":{\"@id\":",
            id);
    ident_id(o, r->type.s, r->value.s, r->value.len, "");
    if (!(r->file_id.type == CASE_NULL))
        sb_addf(&o->sb, "},\"core:target\":{\"@id\":\"kb:file-%lld\"}", (long long)r->file_id.i);
    else
        sb_addf(&o->sb, "},\"core:target\":{\"@id\":\"kb:device-%lld\"}",
                (long long)r->device_id.i);
    sb_addf(&o->sb,
            ",\"core:kindOfRelationship\":\"Contained_Within\",\"core:isDirectional\":true,"
            "\"core:hasFacet\":[{\"@id\":\"kb:occurrence-%lld-range\",\"@type\":"
            "\"observable:DataRangeFacet\",\"observable:rangeOffset\":%lld}],"
            "\"core:description\":",
            id, (long long)r->pos.i);
    strbuf d = STRBUF_INIT;
    sb_adds(&d, "forensic path ");
    sb_add(&d, r->path.s, r->path.len);
    if (!(r->area.type == CASE_NULL)) {
        sb_adds(&d, "; area ");
        sb_adds(&d, r->area.s);
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
    case_rows *rows;
    case_examiner ex;
    case_device_desc dev;
    case_image img;
    case_device_scan scan;
    case_identifier id;
    case_file_desc file;
    case_occurrence_ref occ;
    int rc = case_examiners(c, &ex, &rows, err);
    if (!rc)
        rc = drain(&o, rows, examiner_row, &ex, err);
    if (!rc && !(rc = case_devices_described(c, &dev, &rows, err)))
        rc = drain(&o, rows, device_row, &dev, err);
    if (!rc && !(rc = case_images(c, &img, &rows, err)))
        rc = drain(&o, rows, image_row, &img, err);
    if (!rc && !(rc = case_device_scans(c, &scan, &rows, err)))
        rc = drain(&o, rows, action_row, &scan, err);
    if (!rc && !(rc = case_distinct_identifiers(c, &id, &rows, err)))
        rc = drain(&o, rows, identifier_row, &id, err);
    if (!rc && !(rc = case_files_with_identifiers(c, &file, &rows, err)))
        rc = drain(&o, rows, file_row, &file, err);
    if (!rc && !(rc = case_occurrence_refs(c, &occ, &rows, err)))
        rc = drain(&o, rows, occurrence_row, &occ, err);
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
