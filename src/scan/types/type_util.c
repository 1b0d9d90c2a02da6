/* type_util.c: see type_util.h. */
#include "scan/types/type_util.h"

#include <string.h>

#include "scan/validate.h"
#include "util/limits.h"

int tu_is_host(int c)
{
    return val_is_alnum(c) || c == '-' || c == '.';
}

int tu_add_lower(scan_out *out, const char *type, const uint8_t *buf, size_t s, size_t e)
{
    char f[SCAN_MAX_FEATURE];
    size_t n = e - s;
    if (e < s || n > sizeof f)
        return 0;
    for (size_t i = 0; i < n; i++)
        f[i] = (char)val_lower(buf[s + i]);
    return out->add(out, type, s, e, f, n);
}

int tu_add_domain(scan_out *out, const uint8_t *buf, size_t s, size_t e, int which)
{
    if (e <= s || e - s > 253 || !val_hostname((const char *)buf + s, e - s, which))
        return 0;
    return tu_add_lower(out, "domain", buf, s, e);
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

int tu_hex_word(const uint8_t *buf, size_t a, size_t b, size_t min)
{
    int digit = 0, letter = 0;
    for (size_t i = a; i < b; i++) {
        if (!val_is_hex(buf[i]))
            return 0;
        if (val_is_digit(buf[i]))
            digit = 1;
        else
            letter = 1;
    }
    return b - a >= min && digit && letter;
}

int tu_hex_neighbour(const uint8_t *buf, size_t lo, size_t hi, size_t s, size_t e, size_t min,
                     int both)
{
    size_t p = s, q = e, k = 0;
    while (p > lo && k < 3 && (buf[p - 1] == ' ' || buf[p - 1] == ':'))
        p--, k++;
    size_t w = p;
    while (w > lo && p - w < 64 && val_is_alnum(buf[w - 1]))
        w--;
    int left =
        p > w && p < s && tu_hex_word(buf, w, p, min) && (w == lo || !val_is_alnum(buf[w - 1]));
    if (left && !both)
        return 1;
    for (k = 0; q < hi && k < 3 && (buf[q] == ' ' || buf[q] == ':'); k++)
        q++;
    w = q;
    while (w < hi && w - q < 64 && val_is_alnum(buf[w]))
        w++;
    int right = q > e && w > q && tu_hex_word(buf, q, w, min) && (w == hi || !val_is_alnum(buf[w]));
    return both ? left && right : right;
}

int tu_word_before(const uint8_t *buf, size_t lo, size_t start, size_t gap,
                   const char *const *words, int suffix)
{
    size_t p = start, k = 0;
    while (p > lo && k < gap &&
           (buf[p - 1] == ' ' || buf[p - 1] == '\t' || buf[p - 1] == ':' || buf[p - 1] == '.' ||
            buf[p - 1] == '#' || buf[p - 1] == '=' || buf[p - 1] == '"' || buf[p - 1] == '\''))
        p--, k++;
    if (k == 0)
        return 0;
    size_t w = p;
    while (w > lo && p - w < 32 && (val_is_alpha(buf[w - 1]) || (suffix && buf[w - 1] == '_')))
        w--;
    if (w == p || (w > lo && val_is_alnum(buf[w - 1])))
        return 0;
    for (const char *const *l = words; *l; l++) {
        size_t n = strlen(*l);
        if (n == p - w && tu_has_ci(buf, w, p, *l))
            return 1;
        /* "session_id", "reqNonce", "userID" */
        if (suffix && n < p - w && tu_has_ci(buf, p - n, p, *l) &&
            (buf[p - n - 1] == '_' ||
             (val_is_alpha(buf[p - n]) && buf[p - n] < 'a' && buf[p - n - 1] >= 'a')))
            return 1;
    }
    return 0;
}
