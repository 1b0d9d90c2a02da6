/* scan_type.h: the plug-in shape of an identifier type.
 *
 * Each type (src/scan/types/TYPE.c) exports one scan_type: its name, the
 * patterns that find candidates (compiled by the engine into one Hyperscan,
 * or PCRE2, database with every other type's), and an extractor that turns a
 * candidate into validated, normalized features.  The registry in
 * types/registry.c lists them all, as git's command table does: adding a
 * type means adding one file and one line.
 *
 * Patterns are anchors, not whole identifiers: the matcher reports where a
 * pattern match ends, and the extractor looks around that point (at most
 * SCAN_LOOKAROUND bytes either way) to find the identifier's bounds.  That
 * keeps the patterns cheap for Hyperscan (no start-of-match tracking) and
 * makes every hit independent of where a page starts, which is what makes the
 * output the same for any thread count.  The same hit may be reached from
 * several anchors; the engine keeps one per (type, start, feature). */
#ifndef TRAWL_SCAN_SCAN_TYPE_H
#define TRAWL_SCAN_SCAN_TYPE_H

#include <stddef.h>
#include <stdint.h>

/* Where extractors put what they find.  The engine and the tests each
 * provide one. */
typedef struct scan_out scan_out;
struct scan_out {
    /* Report a feature of type `type` whose bytes are buf[start..end); the
     * feature is the normalized value (need not be NUL-terminated).  Returns
     * 0, or a TRAWL_E* code (util/err.h: TRAWL_ENOMEM when the feature could
     * not be kept) that the extractor returns at once, so that a lost
     * feature stops the scan with an error instead of going missing. */
    int (*add)(scan_out *self, const char *type, size_t start, size_t end, const char *feature,
               size_t feature_len);
};

/* Settings extractors may read; the same for the whole scan. */
typedef struct scan_type_ctx {
    const char *country;      /* ISO 3166 alpha-2 for national phone numbers, or NULL */
    const char *calling_code; /* its calling code without '+', e.g. "355", or NULL */
} scan_type_ctx;

/* One anchor pattern.  The regex must compile under both Hyperscan and PCRE2
 * (no back-references, no look-behind); flags are SCAN_PAT_*. */
#define SCAN_PAT_CASELESS 0x1u
#define SCAN_PAT_DOTALL 0x2u
/* A fixed-width sequence of byte classes ("[0-9A-Z]{2}[0-9]{2}"), matched
 * outside Hyperscan by a SIMD pass with the same ends (scan/matcher_native.h):
 * for classes that would otherwise cost Hyperscan a state per byte. */
#define SCAN_PAT_NATIVE 0x4u
typedef struct scan_pattern {
    const char *regex;
    unsigned flags;
} scan_pattern;

typedef struct scan_type {
    const char *name; /* feature file name, e.g. "email" */
    const scan_pattern *patterns;
    size_t npatterns;
    /* A match of patterns[pat] ended at buf[at - 1] (at is one past it).
     * Look at buf[max(0, at - SCAN_LOOKAROUND) .. min(len, at + SCAN_LOOKAROUND)),
     * never further, and call out->add for each valid identifier (possibly
     * of other types too: an e-mail address also yields its domain).
     * Returns 0, or the first non-zero code out->add returned. */
    int (*extract)(const uint8_t *buf, size_t len, size_t at, unsigned pat,
                   const scan_type_ctx *ctx, scan_out *out);
} scan_type;

/* The registry: every type, in output order; NULL-terminated. */
extern const scan_type *const scan_type_registry[];

/* Normalize a value typed by a user (trawl find) as the extraction would:
 * call out->add for every feature found in the whole of value[0..len).
 * Returns 0, TRAWL_ENOMEM, or the first non-zero code out->add returned;
 * on an error the features reported so far are not all of them. */
int scan_type_normalize(const char *value, size_t len, const scan_type_ctx *ctx, scan_out *out);

#endif
