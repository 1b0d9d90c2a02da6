/* type_util.c: see type_util.h. */
#include "scan/types/type_util.h"

#include "scan/validate.h"
#include "util/limits.h"

int tu_is_host(int c)
{
    return val_is_alnum(c) || c == '-' || c == '.';
}

void tu_add_lower(scan_out *out, const char *type, const uint8_t *buf, size_t s, size_t e)
{
    char f[SCAN_MAX_FEATURE];
    size_t n = e - s;
    if (e < s || n > sizeof f)
        return;
    for (size_t i = 0; i < n; i++)
        f[i] = (char)val_lower(buf[s + i]);
    out->add(out, type, s, e, f, n);
}

int tu_add_domain(scan_out *out, const uint8_t *buf, size_t s, size_t e, int which)
{
    if (e <= s || e - s > 253 || !val_hostname((const char *)buf + s, e - s, which))
        return 0;
    tu_add_lower(out, "domain", buf, s, e);
    return 1;
}

int tu_has_ci(const uint8_t *buf, size_t i, size_t hi, const char *lit)
{
    for (; *lit; lit++, i++)
        if (i >= hi || val_lower(buf[i]) != val_lower((unsigned char)*lit))
            return 0;
    return 1;
}

int tu_run(const uint8_t *buf, size_t at, size_t lo, size_t hi, int (*in)(int), size_t max,
           size_t *s, size_t *e)
{
    size_t a = at, b = at;
    while (a > lo && in(buf[a - 1]) && b - a < max)
        a--;
    while (b < hi && in(buf[b]) && b - a < max)
        b++;
    *s = a, *e = b;
    return b - a < max;
}
