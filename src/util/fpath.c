/* fpath.c: see fpath.h. */
#include "util/fpath.h"

#include <string.h>

int fpath_cmp(const char *pa, size_t la, const char *pb, size_t lb)
{
    const unsigned char *a = (const unsigned char *)pa, *b = (const unsigned char *)pb;
    size_t i = 0, j = 0;
    while (i < la && j < lb) {
        if (a[i] >= '0' && a[i] <= '9' && b[j] >= '0' && b[j] <= '9') {
            size_t si = i, sj = j;
            while (si < la && a[si] == '0')
                si++;
            while (sj < lb && b[sj] == '0')
                sj++;
            size_t ei = si, ej = sj;
            while (ei < la && a[ei] >= '0' && a[ei] <= '9')
                ei++;
            while (ej < lb && b[ej] >= '0' && b[ej] <= '9')
                ej++;
            if (ei - si != ej - sj)
                return (ei - si) < (ej - sj) ? -1 : 1;
            int c = memcmp(a + si, b + sj, ei - si);
            if (c)
                return c;
            i = ei, j = ej;
        } else {
            if (a[i] != b[j])
                return a[i] < b[j] ? -1 : 1;
            i++, j++;
        }
    }
    if (i < la || j < lb)
        return i < la ? 1 : -1;
    /* Same numbers, different zero padding: fall back to the bytes. */
    int c = memcmp(a, b, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}
