/* find_list.c: `trawl find --list FILE CASE`: a watch list looked up at
 * once (report/watch.h does the normalizing and the query, so the report's
 * watch-list section shows the same table).  Prints, per listed value, one
 * line per device holding it:
 *   VALUE TAB DEVICE TAB TYPE:STORED-VALUE TAB HITS TAB PATH TAB FILE-OR-AREA
 * then "# found nowhere: N" and those values, one a line.  Every field is
 * escaped for the terminal.  Exit 0 when any value was found, 1 when none. */
#include <string.h>

#include "case/case.h"
#include "cli/cli.h"
#include "cli/find_list.h"
#include "report/watch.h"
#include "util/escape.h"
#include "util/strbuf.h"

static void field(strbuf *sb, const char *s)
{
    if (!s || !*s)
        s = "-";
    esc_term(sb, s, strlen(s));
}

static void jfield(strbuf *sb, const char *key, const char *s)
{
    sb_addf(sb, ",\"%s\":", key);
    if (!s) {
        sb_adds(sb, "null");
        return;
    }
    sb_addc(sb, '"');
    esc_json(sb, s, strlen(s));
    sb_addc(sb, '"');
}

int cli_find_list(const char *dir, const char *list, int json)
{
    trawl_err err = {0};
    report_watch *w = NULL;
    if (report_watch_load(list, &w, &err))
        return cli_report("find", &err);
    case_db *c;
    if (case_open(dir, CASE_READ, &c, &err)) {
        report_watch_free(w);
        return cli_report("find", &err);
    }
    int rc = report_watch_run(c, w, &err);
    case_close(c);
    if (rc) {
        report_watch_free(w);
        return cli_report("find", &err);
    }
    strbuf sb = STRBUF_INIT;
    size_t found = 0;
    for (size_t k = 0; k < w->nhits; k++) {
        const report_watch_hit *h = &w->hits[k];
        sb_reset(&sb);
        if (json) {
            sb_adds(&sb, "{\"listed\":\"");
            esc_json(&sb, w->values[h->entry], strlen(w->values[h->entry]));
            sb_addc(&sb, '"');
            jfield(&sb, "device", h->device);
            jfield(&sb, "type", h->type);
            jfield(&sb, "value", h->value);
            sb_addf(&sb, ",\"hits\":%llu", (unsigned long long)h->count);
            jfield(&sb, "path", h->path);
            jfield(&sb, "file", h->file);
            jfield(&sb, "area", h->area);
            sb_adds(&sb, "}\n");
        } else {
            field(&sb, w->values[h->entry]);
            sb_addc(&sb, '\t');
            field(&sb, h->device);
            sb_addc(&sb, '\t');
            field(&sb, h->type);
            sb_addc(&sb, ':');
            field(&sb, h->value);
            sb_addf(&sb, "\t%llu\t", (unsigned long long)h->count);
            field(&sb, h->path);
            sb_addc(&sb, '\t');
            field(&sb, h->file ? h->file : h->area);
            sb_addc(&sb, '\n');
        }
        fputs(sb_cstr(&sb), stdout);
    }
    for (size_t i = 0; i < w->n; i++)
        found += w->found[i] > 0;
    if (!json)
        printf("# found nowhere: %zu of %zu\n", w->n - found, w->n);
    for (size_t i = 0; i < w->n; i++) {
        if (w->found[i])
            continue;
        sb_reset(&sb);
        if (json) {
            sb_adds(&sb, "{\"listed\":\"");
            esc_json(&sb, w->values[i], strlen(w->values[i]));
            sb_adds(&sb, "\",\"device\":null}\n");
        } else {
            field(&sb, w->values[i]);
            sb_addc(&sb, '\n');
        }
        fputs(sb_cstr(&sb), stdout);
    }
    sb_free(&sb);
    report_watch_free(w);
    return found ? EXIT_DONE : EXIT_ERROR;
}
