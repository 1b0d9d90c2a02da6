/* registry.c: every identifier type, in output order (see scan_type.h),
 * and scan_type_normalize for `trawl find`.
 * Adding a type means adding its file and one line here. */
#include "scan/scan_type.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

extern const scan_type scan_type_email, scan_type_url, scan_type_domain, scan_type_ipv4,
    scan_type_ipv6, scan_type_phone, scan_type_ccn, scan_type_iban, scan_type_btc, scan_type_eth,
    scan_type_account;

const scan_type *const scan_type_registry[] = {
    &scan_type_email, &scan_type_url,   &scan_type_domain,  &scan_type_ipv4,
    &scan_type_ipv6,  &scan_type_phone, &scan_type_ccn,     &scan_type_iban,
    &scan_type_btc,   &scan_type_eth,   &scan_type_account, NULL,
};

/* scan_type_normalize collects features here to drop the duplicates that
 * several anchor positions produce, as the engine does per (type, start,
 * feature). */
typedef struct norm_hit {
    const char *type;
    size_t start, end, len;
    char *feature;
} norm_hit;

typedef struct norm_out {
    scan_out base;
    norm_hit *hits;
    size_t n, cap;
} norm_out;

static int norm_add(scan_out *self, const char *type, size_t start, size_t end, const char *feature,
                    size_t feature_len)
{
    norm_out *no = (norm_out *)self;
    for (size_t i = 0; i < no->n; i++) {
        norm_hit *h = &no->hits[i];
        if (h->start == start && h->len == feature_len && strcmp(h->type, type) == 0 &&
            memcmp(h->feature, feature, feature_len) == 0)
            return 0;
    }
    if (no->n == no->cap) {
        size_t cap = no->cap ? no->cap * 2 : 16;
        norm_hit *nh = realloc(no->hits, cap * sizeof *nh);
        if (!nh)
            return TRAWL_ENOMEM;
        no->hits = nh;
        no->cap = cap;
    }
    char *f = malloc(feature_len + 1);
    if (!f)
        return TRAWL_ENOMEM;
    memcpy(f, feature, feature_len);
    f[feature_len] = '\0';
    no->hits[no->n++] = (norm_hit){type, start, end, feature_len, f};
    return 0;
}

/* Every extractor validates its candidate by itself and derives the bounds
 * from the bytes around the anchor, never from the anchor's exact end; so
 * calling each one at every position of the short value, with each of its
 * pattern numbers, finds exactly what the anchors would, without a
 * matcher. */
static int normalize_buf(const uint8_t *buf, size_t len, const scan_type_ctx *ctx, norm_out *no)
{
    for (const scan_type *const *t = scan_type_registry; *t; t++)
        for (size_t at = 1; at <= len; at++)
            for (unsigned p = 0; p < (*t)->npatterns; p++) {
                int rc = (*t)->extract(buf, len, at, p, ctx, &no->base);
                if (rc)
                    return rc;
            }
    return 0;
}

int scan_type_normalize(const char *value, size_t len, const scan_type_ctx *ctx, scan_out *out)
{
    norm_out no = {{norm_add}, NULL, 0, 0};
    int rc = normalize_buf((const uint8_t *)value, len, ctx, &no);
    /* People type IBANs in lower case ("al47 2121 ..."); the types only take
     * them in upper case, as they are printed.  So when the value as typed
     * yields nothing, try it upper-cased. */
    if (rc == 0 && no.n == 0 && len > 0) {
        uint8_t *up = malloc(len);
        if (!up) {
            rc = TRAWL_ENOMEM;
        } else {
            for (size_t i = 0; i < len; i++)
                up[i] = (uint8_t)((value[i] >= 'a' && value[i] <= 'z') ? value[i] - 32 : value[i]);
            rc = normalize_buf(up, len, ctx, &no);
            free(up);
        }
    }
    for (size_t i = 0; i < no.n; i++) {
        norm_hit *h = &no.hits[i];
        if (rc == 0)
            rc = out->add(out, h->type, h->start, h->end, h->feature, h->len);
        free(h->feature);
    }
    free(no.hits);
    return rc;
}
