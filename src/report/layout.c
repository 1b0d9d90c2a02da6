/* layout.c: the link graph's force-directed layout (see html.h).
 * Fruchterman and Reingold (1991): every pair of nodes repels with k^2/d,
 * every edge attracts with d^2/k times its weight, and a cooling
 * temperature caps each step; a weak pull to the centre keeps unlinked
 * devices on the page.  Start positions come from a fixed splitmix64 seed,
 * so the picture is the same for the same case. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/html.h"
#include "util/limits.h"

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void report_layout(size_t n, const uint32_t *ea, const uint32_t *eb, const double *w, size_t ne,
                   double *x, double *y)
{
    if (n == 0)
        return;
    if (n == 1) {
        x[0] = y[0] = 0.5;
        return;
    }
    uint64_t seed = 0x7472617766ULL; /* "trawl" */
    for (size_t i = 0; i < n; i++) {
        double a = 2 * M_PI * (double)i / (double)n;
        double j = (double)(splitmix(&seed) >> 11) / 9007199254740992.0;
        x[i] = 0.5 + (0.35 + 0.1 * j) * cos(a);
        y[i] = 0.5 + (0.35 + 0.1 * j) * sin(a);
    }
    double *dx = calloc(n, sizeof *dx), *dy = calloc(n, sizeof *dy);
    if (!dx || !dy) {
        free(dx), free(dy);
        return; /* the circle is a fair picture too */
    }
    double wmax = 0;
    for (size_t k = 0; k < ne; k++)
        if (w[k] > wmax)
            wmax = w[k];
    double k2 = 1.0 / (double)n, k = sqrt(k2);
    double work = (double)n * (double)n + (double)ne;
    int iters = (int)fmin(400.0, fmax(30.0, REPORT_LAYOUT_WORK / work));
    double t = 0.1;
    for (int it = 0; it < iters; it++) {
        memset(dx, 0, n * sizeof *dx);
        memset(dy, 0, n * sizeof *dy);
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++) {
                double ux = x[i] - x[j], uy = y[i] - y[j];
                double d2 = ux * ux + uy * uy;
                if (d2 < 1e-9) {
                    ux = 1e-4 * (double)((i + j) % 7 + 1), uy = 1e-4;
                    d2 = ux * ux + uy * uy;
                }
                double f = k2 / d2; /* (k^2/d) / d: along the unit vector */
                dx[i] += ux * f, dy[i] += uy * f;
                dx[j] -= ux * f, dy[j] -= uy * f;
            }
        for (size_t e = 0; e < ne; e++) {
            size_t a = ea[e], b = eb[e];
            double ux = x[a] - x[b], uy = y[a] - y[b];
            double d = sqrt(ux * ux + uy * uy);
            /* Linear in the score, with a floor: strong links (a group)
             * pull their devices together, the many weak ones (shared
             * noise) barely move anything. */
            double wt = wmax > 0 ? 0.03 + 0.97 * w[e] / wmax : 1.0;
            double f = d * wt / k; /* (d^2/k) / d */
            dx[a] -= ux * f, dy[a] -= uy * f;
            dx[b] += ux * f, dy[b] += uy * f;
        }
        for (size_t i = 0; i < n; i++) {
            dx[i] -= (x[i] - 0.5) * 2.0 * k; /* gravity */
            dy[i] -= (y[i] - 0.5) * 2.0 * k;
            double d = sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
            if (d > 0) {
                double s = fmin(d, t) / d;
                x[i] += dx[i] * s, y[i] += dy[i] * s;
            }
        }
        t = fmax(0.002, t * 0.97);
    }
    /* Fit into [0,1] x [0,1] with one scale for both axes, centred: a
     * small graph stays compact instead of being pushed into the corners. */
    double x0 = x[0], x1 = x[0], y0 = y[0], y1 = y[0];
    for (size_t i = 1; i < n; i++) {
        x0 = fmin(x0, x[i]), x1 = fmax(x1, x[i]);
        y0 = fmin(y0, y[i]), y1 = fmax(y1, y[i]);
    }
    double span = fmax(x1 - x0, y1 - y0);
    /* fewer than ~12 nodes do not need the whole box */
    double fill = n >= 12 ? 1.0 : 0.45 + 0.05 * (double)n;
    double s = span > 1e-9 ? fill / span : 0;
    for (size_t i = 0; i < n; i++) {
        x[i] = 0.5 + (x[i] - (x0 + x1) / 2) * s;
        y[i] = 0.5 + (y[i] - (y0 + y1) / 2) * s;
    }
    free(dx), free(dy);
}
