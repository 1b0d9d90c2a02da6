/* matcher_native.h: anchors that are a fixed-width sequence of byte classes
 * ("[0-9A-Z]{2}[0-9]{2}[0-9A-Z]{9}", the digit-run anchor of ccn and iban),
 * matched without a regex engine: a SIMD pass (SSE2) marks, 64 bytes at a
 * time, the bytes in the union of the sequence's classes, finds the ends of
 * runs of that many such bytes by doubling (runs of 2, 4, 8... carried from
 * one block to the next), and checks each end byte by byte against the
 * sequence.  Text without such runs costs a few instructions per 64 bytes;
 * Hyperscan, for the same pattern, keeps a state per byte.
 *
 * The ends reported are exactly Hyperscan's for the same regex (every end
 * of a window whose bytes fall in their classes), in increasing order per
 * pattern.  Internal to the scan stage: matcher_hs.c runs the patterns
 * flagged MATCHER_NATIVE through it. */
#ifndef TRAWL_SCAN_MATCHER_NATIVE_H
#define TRAWL_SCAN_MATCHER_NATIVE_H

#include <stddef.h>
#include <stdint.h>

#include "scan/matcher.h"

#define NATIVE_MAX_LEN 48    /* positions in a sequence */
#define NATIVE_MAX_CLASSES 4 /* distinct classes in a sequence */
#define NATIVE_MAX_RANGES 8  /* byte ranges in a class */

typedef struct native_class {
    uint8_t lo[NATIVE_MAX_RANGES], hi[NATIVE_MAX_RANGES]; /* inclusive ranges */
    int nranges;
} native_class;

#define NATIVE_MAX_IDS 4 /* patterns with the same sequence share one scan */

enum native_kind {
    NATIVE_SEQ,  /* a sequence of classes: every end of a window of len bytes */
    NATIVE_WORD, /* "(?:^|[^B])[F][R]{a,b}(?:[^B]|$)": a whole word of B bytes, of
                    wmin..wmax bytes, the first in F and the rest in R (F, R within B);
                    cls[0] = B, cls[1] = F, cls[2] = R, len = wmin */
};

typedef struct native_pat {
    unsigned id[NATIVE_MAX_IDS]; /* reported for each match, in this order */
    int nids;
    int kind;                             /* enum native_kind */
    int wmin, wmax;                       /* NATIVE_WORD: word lengths */
    int len;                              /* positions */
    native_class cls[NATIVE_MAX_CLASSES]; /* distinct classes */
    int ncls;
    uint8_t at[NATIVE_MAX_LEN]; /* class of each position */
} native_pat;

/* Parse regex as a sequence of "[ranges]" and "[ranges]{n}" items (ranges as
 * "a-z" or single characters, no escapes, no negation), case-sensitive; or
 * as a bounded word, "(?:^|[^B])[F][R]{a,b}(?:[^B]|$)" (the base58 word of
 * btc), whose ends are Hyperscan's: after the byte that follows the word,
 * at the end of the data for a word that ends it, and also before a final
 * newline that follows the word ('$' matches there too).
 * Returns 1 with *out filled, or 0 if the regex is not of that form or
 * exceeds the limits above (the caller then leaves it to the regex engine). */
int native_parse(const char *regex, unsigned id, native_pat *out);

/* If q has the sequence of one of pats[0..n) with room for another id, add
 * q's id to it and return 1; else 0. */
int native_merge(native_pat *pats, size_t n, const native_pat *q);

/* Report every match end of the n patterns in buf[0..len) to fn, pattern by
 * pattern, ends increasing (each end to every id of the pattern).  Returns 1
 * if fn asked to stop, else 0. */
int native_scan(const native_pat *pats, size_t n, const uint8_t *buf, size_t len, matcher_fn fn,
                void *ctx);

#endif
