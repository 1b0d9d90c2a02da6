/* link_int.h: what the link stage's files share (not a public header). */
#ifndef TRAWL_LINK_LINK_INT_H
#define TRAWL_LINK_LINK_INT_H

#include <stddef.h>
#include <stdint.h>

#include "link/link.h"
#include "util/limits.h"

/* Bounds of the link stage (to move to util/limits.h). */
#ifndef LINK_MAX_TABLE_FEATURES
#endif

/* Feature type codes.  The hash covers the type name, so two types the
 * stage does not know (LT_OTHER) never merge. */
enum {
    LT_EMAIL,
    LT_URL,
    LT_DOMAIN,
    LT_IPV4,
    LT_IPV6,
    LT_PHONE,
    LT_CCN,
    LT_IBAN,
    LT_BTC,
    LT_ETH,
    LT_ACCOUNT,
    LT_KEYWORD,
    LT_FILE,
    LT_OTHER,
    LT_NTYPES
};

/* One distinct feature of one device, as stored in CASE/index/ID.idx
 * (host byte order; the header's magic says which). */
typedef struct link_entry {
    uint64_t h1, h2; /* 128-bit hash of "type\0value" */
    int64_t ref;     /* identifiers.id of its first occurrence, or files.id (LT_FILE) */
    uint32_t count;  /* occurrences on the device (saturating) */
    uint8_t type;    /* LT_* */
    uint8_t pad[3];
} link_entry;

/* A device of the case; the array is sorted by name and an index into it
 * is how the stage names a device. */
typedef struct link_dev {
    int64_t id;
    char *name;
    char *stamp; /* devices.scan_finished, or NULL */
} link_dev;

/* hash.c: MurmurHash3 x64 128 of "type\0value". */
void link_hash(const char *type, const void *value, size_t len, uint64_t *h1, uint64_t *h2);
int link_type_code(const char *type);
double link_type_code_weight(int code);

/* index.c: bring CASE/index up to date for devs[0..n). */
int link_index_update(case_db *c, const link_dev *devs, size_t n, const link_options *opt,
                      size_t *rebuilt, trawl_err *err);
/* Path of a device's index file (malloc'd). */
char *link_index_path(case_db *c, int64_t device_id);

/* A reader over one index file, for the merge. */
typedef struct link_reader link_reader;
int link_reader_open(case_db *c, int64_t device_id, link_reader **out, trawl_err *err);
/* Next entry in *e; *done set at the end. */
int link_reader_next(link_reader *r, link_entry *e, int *done, trawl_err *err);
void link_reader_close(link_reader *r);

/* One strong contributor to a pair. */
typedef struct link_top {
    double c; /* weight / DC */
    uint64_t h1, h2;
    int64_t ref;
    uint32_t dc;
    uint8_t type;
} link_top;

typedef struct link_pair {
    double score;
    uint32_t shared;
    uint32_t ntop;
    link_top top[LINK_TOP];
} link_pair;

/* A feature on two or more devices. */
typedef struct link_feat {
    uint64_t h1, h2;
    int64_t ref;
    uint32_t dc;
    uint8_t type;
    uint8_t stopped;
    size_t occ; /* its dc occurrences start at occ in link_result.occ_dev/occ_count */
} link_feat;

typedef struct link_result {
    size_t ndev;
    link_pair *pairs; /* upper triangle: link_pair_at(r, i, j) with i < j */
    link_feat *feats; /* in hash order */
    size_t nfeats, capfeats;
    uint32_t *occ_dev, *occ_count;
    size_t nocc, capocc;
    uint64_t distinct; /* all distinct features */
    uint64_t stopped;
} link_result;

static inline size_t link_pair_index(size_t n, size_t i, size_t j)
{
    /* row i of the strict upper triangle starts after sum_{k<i} (n-1-k) */
    return i * (2 * n - i - 1) / 2 + (j - i - 1);
}

/* score.c: merge the indexes of devs[0..n) and score every pair. */
int link_score(case_db *c, const link_dev *devs, size_t n, const link_options *opt, link_result *r,
               trawl_err *err);
void link_result_free(link_result *r);
/* Order of contributors: stronger first, then by hash. */
int link_top_cmp(const link_top *a, const link_top *b);

/* Resolve a feature to its type name and value (malloc'd into *type and
 * *value); checks that the row still hashes to h1/h2. */
int link_resolve(case_db *c, uint8_t type, int64_t ref, uint64_t h1, uint64_t h2, char **tname,
                 char **value, trawl_err *err);

/* group.c: communities.  comp[i] / comm[i] get a group number per device
 * (0 = in no group of two or more); numbers start at 1 in order of each
 * group's first device. */
size_t link_components(const link_result *r, double threshold, int *comp);
size_t link_louvain(const link_result *r, int *comm);

/* accounts.c: accounts view into CASE/accounts.csv. */
int link_accounts(case_db *c, const link_dev *devs, size_t n, const link_options *opt, size_t *rows,
                  trawl_err *err);

/* output.c: tables and links.csv. */
int link_write(case_db *c, const link_dev *devs, size_t n, const link_result *r, const int *comp,
               const int *comm, const link_options *opt, trawl_err *err);

/* Write data to path atomically (path.tmp, fsync, rename). */
int link_write_file(const char *path, const char *data, size_t len, trawl_err *err);

#endif
