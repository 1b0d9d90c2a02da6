/* output.c: what the link stage leaves in the case: the links, groups,
 * group_bindings, link_features and link_occurrences tables and
 * CASE/links.csv.  Every value shown is read back from the identifiers or
 * files table through link_resolve, which re-hashes it against the index.
 * The values needed are first collected and read in row order (a names
 * table), since reading them in hash order would seek all over case.db. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case/link_store.h"
#include "link/link_int.h"
#include "util/escape.h"
#include "util/strbuf.h"
#include "util/limits.h"

int link_write_file(const char *path, const char *data, size_t len, trawl_err *err)
{
    strbuf tmp = STRBUF_INIT;
    sb_addf(&tmp, "%s.tmp", path);
    if (tmp.oom)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    FILE *f = fopen(tmp.buf, "wb");
    int ok = f != NULL;
    if (ok) {
        ok = (len == 0 || fwrite(data, 1, len, f) == len);
        ok = (fflush(f) == 0) && ok;
        ok = (fsync(fileno(f)) == 0) && ok;
        ok = (fclose(f) == 0) && ok;
    }
    if (ok && rename(tmp.buf, path) != 0)
        ok = 0;
    int rc = ok ? 0 : trawl_fail(err, TRAWL_EIO, "%s: %s", path, strerror(errno));
    if (!ok && f)
        unlink(tmp.buf);
    sb_free(&tmp);
    return rc;
}

/* The names table: features whose values are needed, read in one pass in
 * row order, then looked up by hash. */
typedef struct name_ent {
    uint64_t h1, h2;
    int64_t ref;
    uint8_t type;
    char *tname, *value;
} name_ent;

typedef struct link_names {
    name_ent *v;
    size_t n, cap;
    int oom;
} link_names;

static void names_want(link_names *nm, uint8_t type, int64_t ref, uint64_t h1, uint64_t h2)
{
    if (nm->n == nm->cap) {
        size_t cap = nm->cap ? nm->cap * 2 : 4096;
        name_ent *v = realloc(nm->v, cap * sizeof *v);
        if (!v) {
            nm->oom = 1;
            return;
        }
        nm->v = v, nm->cap = cap;
    }
    nm->v[nm->n++] = (name_ent){h1, h2, ref, type, NULL, NULL};
}

static int ent_hash_cmp(const void *pa, const void *pb)
{
    const name_ent *a = pa, *b = pb;
    if (a->h1 != b->h1)
        return a->h1 < b->h1 ? -1 : 1;
    return (a->h2 > b->h2) - (a->h2 < b->h2);
}

static int ent_row_cmp(const void *pa, const void *pb)
{
    const name_ent *a = pa, *b = pb;
    int fa = a->type == LT_FILE, fb = b->type == LT_FILE;
    if (fa != fb)
        return fa - fb;
    return (a->ref > b->ref) - (a->ref < b->ref);
}

static int names_resolve(case_db *c, link_names *nm, trawl_err *err)
{
    if (nm->oom)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    if (nm->n == 0)
        return 0;
    qsort(nm->v, nm->n, sizeof *nm->v, ent_hash_cmp);
    size_t w = 0;
    for (size_t i = 1; i < nm->n; i++)
        if (ent_hash_cmp(&nm->v[i], &nm->v[w]) != 0)
            nm->v[++w] = nm->v[i];
    nm->n = w + 1;
    qsort(nm->v, nm->n, sizeof *nm->v, ent_row_cmp);
    for (size_t i = 0; i < nm->n; i++) {
        name_ent *e = &nm->v[i];
        if (link_resolve(c, e->type, e->ref, e->h1, e->h2, &e->tname, &e->value, err))
            return err->code;
    }
    qsort(nm->v, nm->n, sizeof *nm->v, ent_hash_cmp);
    return 0;
}

static void names_free(link_names *nm)
{
    for (size_t i = 0; i < nm->n; i++) {
        free(nm->v[i].tname);
        free(nm->v[i].value);
    }
    free(nm->v);
}

/* As link_resolve (malloc'd copies), from the table when it is there. */
static int name_of(case_db *c, const link_names *nm, uint8_t type, int64_t ref, uint64_t h1,
                   uint64_t h2, char **tname, char **value, trawl_err *err)
{
    name_ent key = {h1, h2, ref, type, NULL, NULL};
    const name_ent *e = nm->n ? bsearch(&key, nm->v, nm->n, sizeof *nm->v, ent_hash_cmp) : NULL;
    if (!e || !e->tname)
        return link_resolve(c, type, ref, h1, h2, tname, value, err);
    *tname = strdup(e->tname);
    *value = strdup(e->value);
    if (!*tname || !*value) {
        free(*tname);
        free(*value);
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    return 0;
}

typedef struct linked {
    size_t i, j;
    const link_pair *p;
} linked;

/* Devices are sorted by name, so index order is name order. */
static int linked_cmp(const void *pa, const void *pb)
{
    const linked *a = pa, *b = pb;
    if (a->p->score != b->p->score)
        return a->p->score > b->p->score ? -1 : 1;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    return (a->j > b->j) - (a->j < b->j);
}

static int write_links(case_db *c, const link_names *nm, const link_dev *devs, const link_result *r,
                       trawl_err *err)
{
    size_t n = r->ndev, nl = 0;
    linked *v = malloc((n > 1 ? n * (n - 1) / 2 : 1) * sizeof *v);
    if (!v)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            const link_pair *p = &r->pairs[link_pair_index(n, i, j)];
            if (p->shared)
                v[nl++] = (linked){i, j, p};
        }
    qsort(v, nl, sizeof *v, linked_cmp);

    strbuf csv = STRBUF_INIT, top = STRBUF_INIT, ex = STRBUF_INIT;
    int rc = 0;
    sb_adds(&csv, "device_a,device_b,score,shared,top\n");
    for (size_t k = 0; !rc && k < nl; k++) {
        const link_pair *p = v[k].p;
        sb_reset(&top);
        sb_reset(&ex);
        sb_addc(&ex, '[');
        for (uint32_t t = 0; !rc && t < p->ntop; t++) {
            const link_top *tp = &p->top[t];
            char *tname = NULL, *value = NULL;
            rc = name_of(c, nm, tp->type, tp->ref, tp->h1, tp->h2, &tname, &value, err);
            if (rc)
                break;
            if (t) {
                sb_addc(&top, ';');
                sb_addc(&ex, ',');
            }
            sb_addf(&top, "%s:%s", tname, value);
            sb_adds(&ex, "{\"type\":\"");
            esc_json(&ex, tname, strlen(tname));
            sb_adds(&ex, "\",\"value\":\"");
            esc_json(&ex, value, strlen(value));
            sb_addf(&ex, "\",\"weight\":%.6f,\"devices\":%u,\"contribution\":%.6f}",
                    link_type_code_weight(tp->type), tp->dc, tp->c);
            free(tname);
            free(value);
        }
        sb_addc(&ex, ']');
        if (rc)
            break;
        const char *a = devs[v[k].i].name, *b = devs[v[k].j].name;
        esc_csv(&csv, a, strlen(a));
        sb_addc(&csv, ',');
        esc_csv(&csv, b, strlen(b));
        sb_addf(&csv, ",%.6f,%u,", p->score, p->shared);
        esc_csv(&csv, sb_cstr(&top), top.len);
        sb_addc(&csv, '\n');
        rc = case_link_put(c, a, b, p->score, p->shared, sb_cstr(&top), sb_cstr(&ex), err);
    }
    if (!rc && (csv.oom || top.oom || ex.oom))
        rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    if (!rc) {
        strbuf path = STRBUF_INIT;
        sb_addf(&path, "%s/links.csv", case_dir(c));
        rc = link_write_file(sb_cstr(&path), csv.buf ? csv.buf : "", csv.len, err);
        sb_free(&path);
    }
    sb_free(&csv);
    sb_free(&top);
    sb_free(&ex);
    free(v);
    return rc;
}

/* The features the tables keep: the strongest first, ties by hash. */
typedef struct ranked {
    double s;
    uint64_t h1, h2;
    size_t i;
} ranked;

static int ranked_cmp(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->s != b->s)
        return a->s > b->s ? -1 : 1;
    if (a->h1 != b->h1)
        return a->h1 < b->h1 ? -1 : 1;
    return (a->h2 > b->h2) - (a->h2 < b->h2);
}

/* The features the tables keep: shared ones and stop-listed ones, each
 * capped at LINK_MAX_TABLE_FEATURES, strongest first.  *out (malloc'd)
 * gets them in the order they are written. */
static int select_features(const link_result *r, ranked **out, size_t *nout, trawl_err *err)
{
    ranked *idx = malloc((r->nfeats ? r->nfeats : 1) * sizeof *idx);
    if (!idx)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->nfeats; i++) {
        const link_feat *f = &r->feats[i];
        idx[i] = (ranked){link_type_code_weight(f->type) / f->dc, f->h1, f->h2, i};
    }
    if (r->nfeats > LINK_MAX_TABLE_FEATURES)
        qsort(idx, r->nfeats, sizeof *idx, ranked_cmp);
    size_t kept = 0, kept_stop = 0, w = 0;
    for (size_t k = 0; k < r->nfeats; k++) {
        size_t *cnt = r->feats[idx[k].i].stopped ? &kept_stop : &kept;
        if (*cnt >= LINK_MAX_TABLE_FEATURES)
            continue;
        (*cnt)++;
        idx[w++] = idx[k];
    }
    *out = idx;
    *nout = w;
    return 0;
}

static int write_features(case_db *c, const link_names *nm, const link_dev *devs,
                          const link_result *r, const ranked *idx, size_t nidx, trawl_err *err)
{
    int rc = 0;
    for (size_t k = 0; !rc && k < nidx; k++) {
        const link_feat *f = &r->feats[idx[k].i];
        char *tname = NULL, *value = NULL;
        rc = name_of(c, nm, f->type, f->ref, f->h1, f->h2, &tname, &value, err);
        if (rc)
            break;
        int64_t id = 0;
        rc = case_link_feature_put(c, tname, value, f->dc, link_type_code_weight(f->type),
                                   f->stopped, &id, err);
        free(tname);
        free(value);
        for (uint32_t o = 0; !rc && o < f->dc; o++)
            rc = case_link_occurrence_put(c, id, devs[r->occ_dev[f->occ + o]].name,
                                          r->occ_count[f->occ + o], err);
    }
    return rc;
}

typedef struct binding {
    double s;
    size_t feat;
    uint32_t members;
} binding;

static int binding_better(const binding *a, const binding *b, const link_feat *feats)
{
    if (a->s != b->s)
        return a->s > b->s;
    const link_feat *x = &feats[a->feat], *y = &feats[b->feat];
    if (x->h1 != y->h1)
        return x->h1 < y->h1;
    return x->h2 < y->h2;
}

/* Groups and what binds each: the features held by two or more members,
 * strongest first by weight * members / DC. */
static int write_groups(case_db *c, const link_names *nm, const link_dev *devs,
                        const link_result *r, const char *method, const int *grp, trawl_err *err)
{
    size_t n = r->ndev, ng = 0;
    for (size_t i = 0; i < n; i++)
        if ((size_t)grp[i] > ng)
            ng = (size_t)grp[i];
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++)
        if (grp[i])
            rc = case_group_put(c, method, grp[i], devs[i].name, err);
    if (rc || ng == 0)
        return rc;

    binding *top = calloc(ng * LINK_BIND_TOP, sizeof *top);
    uint32_t *ntop = calloc(ng, sizeof *ntop), *members = calloc(ng + 1, sizeof *members);
    if (!top || !ntop || !members) {
        free(top), free(ntop), free(members);
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < r->nfeats; k++) {
        const link_feat *f = &r->feats[k];
        if (f->stopped)
            continue;
        for (uint32_t o = 0; o < f->dc; o++)
            members[grp[r->occ_dev[f->occ + o]]]++;
        for (uint32_t o = 0; o < f->dc; o++) {
            int g = grp[r->occ_dev[f->occ + o]];
            if (!g || members[g] < 2) {
                members[g] = 0;
                continue;
            }
            binding b = {link_type_code_weight(f->type) * members[g] / f->dc, k, members[g]};
            members[g] = 0; /* counted once per group */
            binding *t = &top[(size_t)(g - 1) * LINK_BIND_TOP];
            uint32_t *nt = &ntop[g - 1];
            size_t pos;
            if (*nt < LINK_BIND_TOP)
                pos = (*nt)++;
            else if (binding_better(&b, &t[LINK_BIND_TOP - 1], r->feats))
                pos = LINK_BIND_TOP - 1;
            else
                continue;
            while (pos > 0 && binding_better(&b, &t[pos - 1], r->feats)) {
                t[pos] = t[pos - 1];
                pos--;
            }
            t[pos] = b;
        }
        members[0] = 0;
    }
    for (size_t g = 0; !rc && g < ng; g++)
        for (uint32_t t = 0; !rc && t < ntop[g]; t++) {
            const binding *b = &top[g * LINK_BIND_TOP + t];
            const link_feat *f = &r->feats[b->feat];
            char *tname = NULL, *value = NULL;
            rc = name_of(c, nm, f->type, f->ref, f->h1, f->h2, &tname, &value, err);
            if (rc)
                break;
            rc =
                case_group_binding_put(c, method, (int64_t)g + 1, (int)t + 1, tname, value,
                                       (int)b->members, f->dc, link_type_code_weight(f->type), err);
            free(tname);
            free(value);
        }
    free(top);
    free(ntop);
    free(members);
    return rc;
}

int link_write(case_db *c, const link_dev *devs, size_t n, const link_result *r, const int *comp,
               const int *comm, const link_options *opt, trawl_err *err)
{
    (void)opt;
    link_names nm = {0};
    ranked *keep = NULL;
    size_t nkeep = 0;
    int rc = select_features(r, &keep, &nkeep, err);
    if (!rc) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++) {
                const link_pair *p = &r->pairs[link_pair_index(n, i, j)];
                for (uint32_t t = 0; t < p->ntop; t++)
                    names_want(&nm, p->top[t].type, p->top[t].ref, p->top[t].h1, p->top[t].h2);
            }
        for (size_t k = 0; k < nkeep; k++) {
            const link_feat *f = &r->feats[keep[k].i];
            names_want(&nm, f->type, f->ref, f->h1, f->h2);
        }
        rc = names_resolve(c, &nm, err);
    }
    if (!rc)
        rc = case_link_results_clear(c, err);
    if (!rc)
        rc = write_links(c, &nm, devs, r, err);
    if (!rc)
        rc = write_features(c, &nm, devs, r, keep, nkeep, err);
    if (!rc)
        rc = write_groups(c, &nm, devs, r, "components", comp, err);
    if (!rc)
        rc = write_groups(c, &nm, devs, r, "louvain", comm, err);
    names_free(&nm);
    free(keep);
    return rc;
}
