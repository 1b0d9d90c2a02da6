/* sqlite_rules.c: see sqlite_rules.h. */
#include "scan/sqlite_rules.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char scan_sqlite_columns_builtin[];

static void index_schemas(sq_rules *rs);

void sq_rules_free(sq_rules *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].schema.cols);
    free(r->v);
    free(r);
}

static void lower_copy(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    for (size_t i = 0; i < n; i++)
        dst[i] = (char)tolower((unsigned char)s[i]);
    dst[n] = 0;
}

/* One line "TABLE\tCOLUMN\tWHAT[\tWHEN]" into r; 0, or -1 with why. */
static int parse_line(char *line, sq_rule *r, const char **why)
{
    char *f[4] = {0};
    size_t nf = 0;
    for (char *p = line; nf < 4;) {
        f[nf++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = 0;
        p = tab + 1;
    }
    if (nf < 3 || !*f[0] || !*f[1]) {
        *why = "expected TABLE, COLUMN and WHAT separated by tabs";
        return -1;
    }
    memset(r, 0, sizeof *r);
    lower_copy(r->table, sizeof r->table, f[0], strlen(f[0]));
    lower_copy(r->column, sizeof r->column, f[1], strlen(f[1]));
    const char *w = f[2];
    if (!strcmp(w, "phone")) {
        r->what = SQR_PHONE;
    } else if (!strncmp(w, "account:", 8) && w[8] && strlen(w + 8) < sizeof r->service) {
        r->what = SQR_ACCOUNT;
        lower_copy(r->service, sizeof r->service, w + 8, strlen(w + 8));
    } else if (!strncmp(w, "time:", 5)) {
        static const char *const epochs[] = {"webkit", "prtime", "mac", "unix"};
        r->what = SQR_TIME;
        r->epoch = -1;
        for (int i = 0; i < 4; i++)
            if (!strcmp(w + 5, epochs[i]))
                r->epoch = i;
        if (r->epoch < 0) {
            *why = "unknown epoch (webkit, prtime, mac or unix)";
            return -1;
        }
    } else if (!strncmp(w, "columns:", 8) && w[8]) {
        r->what = SQR_COLUMNS;
        snprintf(r->schema.name, sizeof r->schema.name, "%s", r->table);
        r->schema.ipk = -1;
        r->schema.cols = calloc(SCAN_SQLITE_MAX_COLS, sizeof *r->schema.cols);
        if (!r->schema.cols) {
            *why = "out of memory";
            return -1;
        }
        for (const char *c = w + 8; *c && r->schema.ncols < SCAN_SQLITE_MAX_COLS;) {
            const char *e = strchr(c, ',');
            size_t n = e ? (size_t)(e - c) : strlen(c);
            lower_copy(r->schema.cols[r->schema.ncols++], SCAN_SQLITE_MAX_NAME, c, n);
            c += n + (e != NULL);
        }
    } else {
        *why = "unknown WHAT (phone, account:SERVICE, time:EPOCH or columns:A,B,...)";
        return -1;
    }
    if (nf == 4 && *f[3] && strcmp(f[3], "-") != 0) {
        for (char *c = strtok(f[3], ","); c; c = strtok(NULL, ",")) {
            char *op = strpbrk(c, "=~");
            if (!op || op == c || r->ncond == 4 || strlen(op + 1) >= sizeof r->cond[0].val) {
                *why = "WHEN: expected COL=VALUE or COL~SUFFIX, at most 4, joined with ','";
                return -1;
            }
            sq_cond *k = &r->cond[r->ncond++];
            lower_copy(k->col, sizeof k->col, c, (size_t)(op - c));
            k->suffix = *op == '~';
            snprintf(k->val, sizeof k->val, "%s", op + 1);
        }
    }
    return 0;
}

static int load_text(sq_rules *rs, const char *text, size_t len, const char *name, trawl_err *err)
{
    size_t lineno = 0;
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        lineno++;
        size_t n = e - i;
        if (n && text[i + n - 1] == '\r')
            n--;
        if (n && text[i] != '#') {
            char line[1024];
            if (n >= sizeof line)
                return trawl_fail(err, TRAWL_EFORMAT, "%s:%zu: line too long", name, lineno);
            memcpy(line, text + i, n);
            line[n] = 0;
            if (rs->n >= SCAN_SQLITE_MAX_RULES)
                return trawl_fail(err, TRAWL_EFORMAT, "%s:%zu: more than %d rules", name, lineno,
                                  SCAN_SQLITE_MAX_RULES);
            sq_rule *nv = realloc(rs->v, (rs->n + 1) * sizeof *nv);
            if (!nv)
                return trawl_fail(err, TRAWL_ENOMEM, "out of memory for column rules");
            rs->v = nv;
            const char *why = NULL;
            if (parse_line(line, &rs->v[rs->n], &why)) {
                free(rs->v[rs->n].schema.cols);
                return trawl_fail(err, TRAWL_EFORMAT, "%s:%zu: %s", name, lineno, why);
            }
            rs->n++;
        }
        i = e + 1;
    }
    return 0;
}

int sq_rules_load(const char *path, sq_rules **out, trawl_err *err)
{
    sq_rules *rs = calloc(1, sizeof *rs);
    if (!rs)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory for column rules");
    int rc = load_text(rs, scan_sqlite_columns_builtin, strlen(scan_sqlite_columns_builtin),
                       "sqlite-columns.tsv (built in)", err);
    if (!rc && path) {
        FILE *f = fopen(path, "rb");
        if (!f) {
            rc = trawl_fail(err, TRAWL_EIO, "--columns %s: %s", path, strerror(errno));
        } else {
            char *buf = NULL;
            size_t len = 0, cap = 0, got;
            char chunk[8192];
            while (!rc && (got = fread(chunk, 1, sizeof chunk, f)) > 0) {
                if (len + got > (size_t)SCAN_SQLITE_MAX_RULES * 1024) {
                    rc = trawl_fail(err, TRAWL_EFORMAT, "--columns %s: file too big", path);
                    break;
                }
                if (len + got > cap) {
                    cap = (len + got) * 2;
                    char *nb = realloc(buf, cap);
                    if (!nb) {
                        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory for column rules");
                        break;
                    }
                    buf = nb;
                }
                memcpy(buf + len, chunk, got);
                len += got;
            }
            if (!rc && ferror(f))
                rc = trawl_fail(err, TRAWL_EIO, "--columns %s: read error", path);
            fclose(f);
            if (!rc)
                rc = load_text(rs, buf ? buf : "", len, path, err);
            free(buf);
        }
    }
    if (rc) {
        sq_rules_free(rs);
        return rc;
    }
    index_schemas(rs);
    *out = rs;
    return 0;
}

/* The only "columns:" schema of each width (NULL: none, or two tables). */
static void index_schemas(sq_rules *rs)
{
    for (size_t n = 0; n <= SCAN_SQLITE_MAX_COLS; n++) {
        const sq_table *found = NULL;
        for (size_t i = 0; i < rs->n; i++) {
            const sq_rule *r = &rs->v[i];
            if (r->what != SQR_COLUMNS || r->schema.ncols != n)
                continue;
            if (found && strcmp(found->name, r->schema.name) != 0) {
                found = NULL;
                break;
            }
            found = &r->schema;
        }
        rs->by_ncols[n] = found;
    }
}

const sq_table *sq_rules_schema(const sq_rules *rs, size_t ncols)
{
    return ncols <= SCAN_SQLITE_MAX_COLS ? rs->by_ncols[ncols] : NULL;
}

int sq_column(const sq_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (!strcmp(t->cols[i], name))
            return (int)i;
    return -1;
}

int sq_rule_when(const sq_rule *rule, const sq_table *t, const sq_record *r)
{
    for (size_t i = 0; i < rule->ncond; i++) {
        const sq_cond *k = &rule->cond[i];
        int c = sq_column(t, k->col);
        if (c < 0 || (size_t)c >= r->ncols)
            return 0;
        const sq_value *v = &r->col[c];
        char num[24];
        const uint8_t *p;
        size_t n;
        if (v->kind == SQ_INT) {
            n = (size_t)snprintf(num, sizeof num, "%lld", (long long)v->i);
            p = (const uint8_t *)num;
        } else if (v->kind == SQ_TEXT) {
            p = v->p, n = v->n;
        } else {
            return 0;
        }
        size_t vl = strlen(k->val);
        if (k->suffix ? n < vl || memcmp(p + n - vl, k->val, vl) != 0
                      : n != vl || memcmp(p, k->val, vl) != 0)
            return 0;
    }
    return 1;
}

int sq_time(int epoch, const sq_value *v, int64_t *out)
{
    int64_t x;
    if (v->kind == SQ_INT)
        x = v->i;
    else if (v->kind == SQ_REAL && v->r > -9e18 && v->r < 9e18)
        x = (int64_t)v->r;
    else
        return 0;
    if (x <= 0)
        return 0;
    int64_t t;
    switch (epoch) {
    case SQR_WEBKIT:
        /* Old Chrome (History before version 24 or so) kept
         * downloads.start_time in Unix seconds: as microseconds since 1601
         * it would fall in January 1601, so a value that small is seconds. */
        t = x < 100000000000ll ? x : x / 1000000 - 11644473600ll;
        break;
    case SQR_PRTIME:
        t = x / 1000000;
        break;
    case SQR_MAC: /* seconds since 2001, or nanoseconds (iOS 11 and later) */
        t = (x > 100000000000ll ? x / 1000000000 : x) + 978307200ll;
        break;
    default: /* seconds since 1970, or milliseconds */
        t = x > 100000000000ll ? x / 1000 : x;
        break;
    }
    if (t < 631152000ll || t > 4102444800ll) /* 1990 .. 2100 */
        return 0;
    *out = t;
    return 1;
}
