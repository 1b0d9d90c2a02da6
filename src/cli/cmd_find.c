/* cmd_find.c: `trawl find CASE VALUE [--json]`: every occurrence of an
 * identifier in the case.  VALUE is normalized as the extraction does
 * (scan_type_normalize), so "Boss@Example.ORG" finds boss@example.org and
 * "+44 7700 900123" the phone number; the value as typed is tried too; a
 * bare account id or handle ("troll_one", "@troll_one") matches it under
 * every service.  One line per occurrence: device, type, value, forensic
 * path (device offset first), file path or area, context.  Exit 0 when
 * something was found, 1 when nothing was. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "case/q_find.h"
#include "cli/cli.h"
#include "cli/cli_row.h"
#include "cli/find_list.h"
#include "scan/scan_type.h"
#include "util/escape.h"
#include "util/strbuf.h"
#include "util/limits.h"

static const cli_opt find_opts[] = {
    {"json", 'J', NULL, "print one JSON object per occurrence"},
    {"list", 'l', "FILE", "look up every value of FILE (one a line) at once: a watch list"},
    {NULL, 0, NULL, NULL},
};

/* Services tried for a bare handle besides those the case's accounts view
 * holds. */
static const char *const services[] = {"facebook", "x",        "twitter",  "instagram", "tiktok",
                                       "telegram", "youtube",  "linkedin", "vk",        "github",
                                       "reddit",   "snapchat", "discord",  "skype",     NULL};

typedef struct cand_out {
    scan_out base;
    char *v[CLI_FIND_MAX_CANDIDATES];
    size_t n;
    size_t span; /* widest feature span seen while normalizing */
} cand_out;

static int cand_add(cand_out *o, const char *s, size_t len)
{
    if (o->n >= CLI_FIND_MAX_CANDIDATES)
        return 0;
    for (size_t i = 0; i < o->n; i++)
        if (strlen(o->v[i]) == len && memcmp(o->v[i], s, len) == 0)
            return 0;
    char *d = strndup(s, len);
    if (!d)
        return TRAWL_ENOMEM;
    o->v[o->n++] = d;
    return 0;
}

/* Normalization reports every feature in VALUE (an e-mail address also
 * yields its domain); find keeps those spanning the most of VALUE, so that
 * looking for an address does not list every mention of its domain. */
static int on_feature(scan_out *self, const char *type, size_t start, size_t end,
                      const char *feature, size_t feature_len)
{
    (void)type;
    cand_out *o = (cand_out *)self;
    size_t span = end - start;
    if (span < o->span)
        return 0;
    if (span > o->span) {
        for (size_t i = 0; i < o->n; i++)
            free(o->v[i]);
        o->n = 0;
        o->span = span;
    }
    return cand_add(o, feature, feature_len);
}

static void jkey(strbuf *sb, const char *key, const case_val *v)
{
    sb_addf(sb, ",\"%s\":", key);
    if (v->type == CASE_NULL) {
        sb_adds(sb, "null");
        return;
    }
    sb_addc(sb, '"');
    esc_json(sb, v->s, v->len);
    sb_addc(sb, '"');
}

int cmd_find(int argc, char **argv, const cli_env *env)
{
    (void)env;
    cli_parser p = {
        .cmd = "find",
        .synopsis = "trawl find [--json] CASE VALUE\n       trawl find [--json] --list FILE CASE",
        .about = "Find every occurrence of an identifier.  VALUE is normalized as the scan\n"
                 "normalizes it (an e-mail address in any case, a phone number with spaces, a\n"
                 "URL), and a bare account id or handle matches it under any service.  Prints\n"
                 "device, type, value, forensic path (its first number is the device offset),\n"
                 "file path or area, and context.  Exit 0 when found, 1 when not.\n"
                 "With --list, every value of FILE is looked up at once; per value, the devices\n"
                 "holding it (first place, number of hits), then the values found nowhere.",
        .opts = find_opts,
        .argc = argc,
        .argv = argv,
    };
    int json = 0, ch;
    const char *v, *list = NULL;
    while ((ch = cli_next(&p, &v)) != -1) {
        if (ch == 'h')
            return EXIT_DONE;
        if (ch == '?')
            return EXIT_USAGE;
        if (ch == 'J')
            json = 1;
        if (ch == 'l')
            list = v;
    }
    int first = cli_optind();
    if (list) {
        if (first + 1 != argc)
            return cli_usage_error("find", "with --list give one case folder and no value");
        return cli_find_list(argv[first], list, json);
    }
    if (first + 2 != argc)
        return cli_usage_error("find", "give a case folder and one value");
    const char *value = argv[first + 1];
    if (!*value)
        return cli_usage_error("find", "the value is empty");
    trawl_err err = {0};
    case_db *c;
    if (case_open(argv[first], CASE_READ, &c, &err))
        return cli_report("find", &err);

    cand_out co = {.base = {.add = on_feature}};
    scan_type_ctx ctx = {0};
    /* an error here is no "nothing found": the candidates would be short */
    if (scan_type_normalize(value, strlen(value), &ctx, &co.base) ||
        cand_add(&co, value, strlen(value))) {
        for (size_t i = 0; i < co.n; i++)
            free(co.v[i]);
        case_close(c);
        trawl_fail(&err, TRAWL_ENOMEM, "out of memory while normalizing the value");
        return cli_report("find", &err);
    }
    /* A bare handle: no ':' and no '@' past the first byte. */
    const char *handle = value[0] == '@' ? value + 1 : value;
    if (*handle && !strchr(handle, ':') && !strchr(handle, '@') && !strchr(handle, '/')) {
        /* The case's own services (from the accounts view), then the list. */
        char *svc[CLI_FIND_MAX_CANDIDATES];
        size_t nsvc = 0;
        case_service sr;
        case_rows *rows;
        int row;
        if (case_account_services(c, &sr, &rows, &err) == 0) {
            while (nsvc < CLI_FIND_MAX_CANDIDATES / 4 && case_rows_next(rows, &row, &err) == 0 &&
                   row)
                if ((svc[nsvc] = strdup(sr.service.s)) != NULL)
                    nsvc++;
            case_rows_close(rows);
        }
        for (size_t i = 0; services[i] && nsvc < CLI_FIND_MAX_CANDIDATES / 2; i++)
            if ((svc[nsvc] = strdup(services[i])) != NULL)
                nsvc++;
        strbuf sb = STRBUF_INIT;
        for (int lower = 0; lower < 2; lower++)
            for (size_t i = 0; i < nsvc; i++) {
                sb_reset(&sb);
                sb_addf(&sb, "%s:", svc[i]);
                size_t at = sb.len;
                sb_adds(&sb, handle);
                if (lower)
                    for (size_t k = at; k < sb.len; k++)
                        sb.buf[k] = (char)tolower((unsigned char)sb.buf[k]);
                if (!sb.oom)
                    cand_add(&co, sb.buf, sb.len);
            }
        for (size_t i = 0; i < nsvc; i++)
            free(svc[i]);
        sb_free(&sb);
    }

    case_occurrence r;
    case_rows *rows;
    int rc = EXIT_ERROR;
    size_t found = 0;
    err.code = 0;
    if (case_find_values(c, co.v, co.n, &r, &rows, &err)) {
        rc = cli_report("find", &err);
    } else {
        strbuf sb = STRBUF_INIT;
        int row;
        while (case_rows_next(rows, &row, &err) == 0 && row) {
            found++;
            sb_reset(&sb);
            if (json) {
                sb_adds(&sb, "{\"device\":\"");
                esc_json(&sb, r.device.s, r.device.len);
                sb_addc(&sb, '"');
                jkey(&sb, "type", &r.type);
                jkey(&sb, "value", &r.value);
                sb_addf(&sb, ",\"offset\":%lld", (long long)r.pos.i);
                jkey(&sb, "path", &r.path);
                jkey(&sb, "file", &r.file);
                jkey(&sb, "area", &r.area);
                jkey(&sb, "context", &r.context);
                sb_adds(&sb, "}\n");
            } else {
                /* The path starts with the offset; the area shows in the
                 * file column when there is no file. */
                const case_val *cols[] = {&r.device, &r.type, &r.value,
                                          &r.path,   &r.file, &r.context};
                for (int k = 0; k < 6; k++) {
                    if (k)
                        sb_addc(&sb, '\t');
                    if (cols[k] == &r.file && r.file.type == CASE_NULL) {
                        const char *area = *r.area.s ? r.area.s : "-";
                        esc_term(&sb, area, strlen(area));
                        continue;
                    }
                    esc_term(&sb, cols[k]->s, cols[k]->len);
                }
                sb_addc(&sb, '\n');
            }
            fputs(sb_cstr(&sb), stdout);
        }
        sb_free(&sb);
        case_rows_close(rows);
        if (err.code)
            rc = cli_report("find", &err);
        else
            rc = found ? EXIT_DONE : EXIT_ERROR;
    }
    for (size_t i = 0; i < co.n; i++)
        free(co.v[i]);
    case_close(c);
    return rc;
}
