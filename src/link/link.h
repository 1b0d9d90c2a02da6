/* link.h: the link stage.  Correlates devices across a case: which devices
 * share which identifiers (accounts, e-mail addresses, phone numbers,
 * wallets, IBANs, card numbers, ...) and which files, and how strongly.
 *
 * The score of a device pair (a, b), in the spirit of Garfinkel's
 * cross-drive analysis (S2 score, Digital Investigation 3, 2006):
 *
 *     score(a, b) = sum over features f held by both a and b,
 *                   f not on the stop list, of  weight(type(f)) / DC(f)
 *
 * where a feature is a normalized (type, value) from the identifiers table,
 * or the SHA-256 of a non-empty file that is not in a known-good hash set,
 * and DC(f) is the number of devices of the case holding f.  Once the case
 * holds at least stop_min_devices devices, features held by more than
 * stop_share of them are on the automatic stop list (noise such as
 * well-known addresses and domains present everywhere) and count for
 * nothing.  The weights are in link_type_weight().
 *
 * link_run keeps a per-device index (CASE/index/ID.idx: every distinct
 * feature of the device as a 128-bit hash, the row that holds it and its
 * count, sorted by hash), built once per scan of the device, so adding a
 * device reads only that device's identifiers; the scores are recomputed
 * from the indexes by one merge. */
#ifndef TRAWL_LINK_LINK_H
#define TRAWL_LINK_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "case/case.h"
#include "util/err.h"

#define LINK_TOP 5 /* contributors kept per link (links.csv `top`) */

/* What a run did, for the caller's message and the audit log. */
typedef struct link_summary {
    size_t devices;     /* devices in the case */
    size_t indexed;     /* device indexes (re)built by this run */
    uint64_t features;  /* distinct features across the case */
    uint64_t shared;    /* features on two or more devices, stop list included */
    uint64_t stopped;   /* features on the automatic stop list */
    size_t links;       /* linked pairs (rows of links.csv) */
    size_t groups;      /* connected components above group_threshold */
    size_t communities; /* Louvain communities of two or more devices */
    size_t accounts;    /* rows of accounts.csv */
} link_summary;

typedef struct link_options {
    double stop_share;      /* stop features on more than this share of devices (2/3) */
    int stop_min_devices;   /* ... once the case holds this many devices (6) */
    double group_threshold; /* links at or above this score join components (1.0) */
    int many_accounts;      /* flag a device holding >= this many accounts of a service (5) */
    int multi_device;       /* flag an account seen on >= this many devices (3) */
    int rebuild;            /* 1: rebuild every device index, not just new ones */
    int threads;            /* devices indexed at once; 0 = all cores */
    int progress;           /* 1: progress lines on stderr */
    link_summary *summary;  /* filled when not NULL */
} link_options;

/* The defaults above. */
void link_options_default(link_options *o);

/* Bring the index up to date (devices scanned since the last run, and
 * devices whose scan_finished changed), score every device pair, build the
 * groups and the accounts view, and replace the links, groups,
 * group_bindings, link_features, link_occurrences and link_stoplist tables
 * and CASE/links.csv and CASE/accounts.csv.  Deterministic: the same case
 * gives the same bytes.  Runs its own transactions; call outside one. */
int link_run(case_db *c, const link_options *opt, trawl_err *err);

/* The weight of an identifier type ("file" for a shared file); 1.0 for a
 * type the link stage does not know. */
double link_type_weight(const char *type);

#endif
