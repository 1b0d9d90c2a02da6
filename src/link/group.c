/* group.c: groups of devices from the pair scores.
 *
 * Two methods, both deterministic (devices are visited in name order):
 *  - components: devices joined by links scoring at least a threshold;
 *    simple, and what an examiner can check by hand;
 *  - Louvain (Blondel et al., 2008): greedy modularity on the graph weighted
 *    by the scores, then the same on the graph of communities, until
 *    nothing moves.  It splits what one strong bridge would merge, which
 *    matters in large cases. */
#include <stdlib.h>
#include <string.h>

#include "link/link_int.h"

static size_t find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Number groups of two or more by their first member; singletons get 0. */
static size_t number_groups(size_t n, const size_t *root, int *out)
{
    size_t *size = calloc(n ? n : 1, sizeof *size);
    int *num = calloc(n ? n : 1, sizeof *num);
    if (!size || !num) {
        free(size);
        free(num);
        return (size_t)-1;
    }
    for (size_t i = 0; i < n; i++)
        size[root[i]]++;
    int next = 0;
    for (size_t i = 0; i < n; i++) {
        size_t g = root[i];
        if (size[g] < 2) {
            out[i] = 0;
            continue;
        }
        if (!num[g])
            num[g] = ++next;
        out[i] = num[g];
    }
    free(size);
    free(num);
    return (size_t)next;
}

size_t link_components(const link_result *r, double threshold, int *comp)
{
    size_t n = r->ndev;
    size_t *parent = malloc((n ? n : 1) * sizeof *parent);
    size_t *root = malloc((n ? n : 1) * sizeof *root);
    if (!parent || !root) {
        free(parent);
        free(root);
        return (size_t)-1;
    }
    for (size_t i = 0; i < n; i++)
        parent[i] = i;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            const link_pair *p = &r->pairs[link_pair_index(n, i, j)];
            if (p->shared && p->score >= threshold) {
                size_t a = find(parent, i), b = find(parent, j);
                if (a != b)
                    parent[a > b ? a : b] = a < b ? a : b;
            }
        }
    for (size_t i = 0; i < n; i++)
        root[i] = find(parent, i);
    size_t groups = number_groups(n, root, comp);
    free(parent);
    free(root);
    return groups;
}

/* One level of Louvain on the dense k x k weight matrix a (symmetric,
 * a[i][i] the node's internal weight counted twice).  comm gets the
 * community of each node, renumbered 0.. in order of first node; returns
 * how many there are, or 0 when no node moved. */
static size_t louvain_level(size_t k, const double *a, size_t *comm)
{
    double *deg = calloc(k, sizeof *deg), *tot = calloc(k, sizeof *tot),
           *kin = calloc(k, sizeof *kin);
    size_t *seen = malloc(k * sizeof *seen);
    size_t moved_any = 0, count = 0;
    if (!deg || !tot || !kin || !seen)
        goto out;
    double m2 = 0;
    for (size_t i = 0; i < k; i++) {
        for (size_t j = 0; j < k; j++)
            deg[i] += a[i * k + j];
        m2 += deg[i];
        comm[i] = i;
        tot[i] = deg[i];
    }
    if (m2 <= 0)
        goto out;
    for (int pass = 0; pass < 1000; pass++) {
        int moved = 0;
        for (size_t i = 0; i < k; i++) {
            size_t ci = comm[i];
            tot[ci] -= deg[i];
            size_t nseen = 0;
            for (size_t j = 0; j < k; j++) {
                if (j == i || a[i * k + j] <= 0)
                    continue;
                size_t cj = comm[j];
                if (kin[cj] == 0)
                    seen[nseen++] = cj;
                kin[cj] += a[i * k + j];
            }
            /* Staying put is the baseline; move only for a strict gain. */
            size_t best = ci;
            double best_gain = kin[ci] - tot[ci] * deg[i] / m2;
            for (size_t s = 0; s < nseen; s++) {
                size_t cc = seen[s];
                double gain = kin[cc] - tot[cc] * deg[i] / m2;
                if (gain > best_gain + 1e-12) {
                    best = cc;
                    best_gain = gain;
                }
            }
            for (size_t s = 0; s < nseen; s++)
                kin[seen[s]] = 0;
            kin[ci] = 0;
            tot[best] += deg[i];
            if (best != ci) {
                comm[i] = best;
                moved = 1;
                moved_any = 1;
            }
        }
        if (!moved)
            break;
    }
    if (!moved_any)
        goto out;
    /* Renumber in order of first node. */
    for (size_t i = 0; i < k; i++)
        seen[i] = (size_t)-1;
    for (size_t i = 0; i < k; i++) {
        if (seen[comm[i]] == (size_t)-1)
            seen[comm[i]] = count++;
        comm[i] = seen[comm[i]];
    }
out:
    free(deg);
    free(tot);
    free(kin);
    free(seen);
    return count;
}

size_t link_louvain(const link_result *r, int *out)
{
    size_t n = r->ndev;
    size_t k = n;
    double *a = calloc(n ? n * n : 1, sizeof *a);
    size_t *node = malloc((n ? n : 1) * sizeof *node); /* device -> current node */
    size_t *comm = malloc((n ? n : 1) * sizeof *comm);
    size_t groups = (size_t)-1;
    if (!a || !node || !comm)
        goto out;
    for (size_t i = 0; i < n; i++) {
        node[i] = i;
        for (size_t j = i + 1; j < n; j++) {
            const link_pair *p = &r->pairs[link_pair_index(n, i, j)];
            if (p->shared)
                a[i * n + j] = a[j * n + i] = p->score;
        }
    }
    for (;;) {
        size_t nk = louvain_level(k, a, comm);
        if (nk == 0 || nk == k)
            break;
        double *b = calloc(nk * nk, sizeof *b);
        if (!b)
            goto out;
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                b[comm[i] * nk + comm[j]] += a[i * k + j];
        for (size_t d = 0; d < n; d++)
            node[d] = comm[node[d]];
        free(a);
        a = b;
        k = nk;
    }
    groups = number_groups(n, node, out);
out:
    free(a);
    free(node);
    free(comm);
    return groups;
}
