/* matcher.h: the multi-pattern matcher behind the scan engine.
 *
 * One interface, two backends chosen at build time: Hyperscan
 * (matcher_hs.c, TRAWL_HYPERSCAN) and PCRE2 with JIT (matcher_pcre2.c,
 * TRAWL_PCRE2).  A matcher is compiled once and is read-only; each worker
 * thread owns one matcher_scratch.  The callback receives every match end
 * (and, for a matcher compiled with som, its start).  The backends may report
 * different sets of ends for the same pattern (Hyperscan reports every end,
 * PCRE2 the leftmost-first end of a match from each start), so callers must
 * not depend on which end fires: the extractor contract (scan_type.h) and the
 * engine's container and keyword rules are written to make that so. */
#ifndef TRAWL_SCAN_MATCHER_H
#define TRAWL_SCAN_MATCHER_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define MATCHER_CASELESS 0x1u
#define MATCHER_DOTALL 0x2u
#define MATCHER_NONOVERLAP 0x4u /* PCRE2: resume after a match's end, not its start + 1 */
/* A fixed-width sequence of byte classes ("[0-9A-Z]{2}[0-9]{2}"): the
 * Hyperscan backend matches it outside Hyperscan (matcher_native.h), with
 * the same ends; a regex of another form is compiled as usual. */
#define MATCHER_NATIVE 0x8u

typedef struct matcher_pat {
    const char *regex;
    unsigned flags; /* MATCHER_* */
    unsigned id;    /* reported to the callback */
} matcher_pat;

typedef struct matcher matcher;
typedef struct matcher_scratch matcher_scratch;

/* A match of pattern id ending at buf[to - 1]; from is its start when the
 * matcher was compiled with som, else 0.  Return non-zero to stop. */
typedef int (*matcher_fn)(void *ctx, unsigned id, size_t from, size_t to);

/* Compile n patterns (n may be 0).  som asks for match starts (leftmost).
 * On a bad pattern, *bad is set to its index and err names the reason. */
int matcher_new(const matcher_pat *pats, size_t n, int som, matcher **out, size_t *bad,
                trawl_err *err);
void matcher_free(matcher *m);

/* Per-thread working memory for m. */
int matcher_scratch_new(const matcher *m, matcher_scratch **out, trawl_err *err);
void matcher_scratch_free(matcher_scratch *s);

/* Report every match in buf[0..len).  Returns 0, or TRAWL_ENOMEM/TRAWL_EFORMAT
 * when the backend fails; a callback's stop is not an error. */
int matcher_scan(const matcher *m, matcher_scratch *s, const uint8_t *buf, size_t len,
                 matcher_fn fn, void *ctx, trawl_err *err);

/* The backend's name ("hyperscan" or "pcre2"). */
const char *matcher_backend(void);

#endif
