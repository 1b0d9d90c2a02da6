/* q_links.h: reading what `trawl link` stored: the scored links between
 * devices and the accounts view (links, accounts). */
#ifndef TRAWL_CASE_Q_LINKS_H
#define TRAWL_CASE_Q_LINKS_H

#include "case/case.h"
#include "case/case_row.h"

/* One link between two devices. */
typedef struct case_link {
    case_val device_a, device_b, score, shared;
    case_val top;     /* "type:value;..." of the top contributors */
    case_val explain; /* a JSON array of {type, value, weight, devices, contribution} */
} case_link;

/* Links by score (highest first), those of device only when it is not
 * NULL, at most limit, into *row. */
int case_links(case_db *c, const char *device, int64_t limit, case_link *row, case_rows **out,
               trawl_err *err);

/* One contributor of a link's explanation: type and value are text,
 * weight, devices and contribution numbers (CASE_NULL when missing). */
typedef struct case_link_contrib {
    case_val type, value, weight, devices, contribution;
} case_link_contrib;

/* Called for each contributor, strings borrowed for the call; a non-zero
 * return stops the walk and is returned. */
typedef int (*case_link_contrib_fn)(void *ctx, const case_link_contrib *x);

/* Call fn for the contributors of explain (a case_link's explain) in order.
 * The JSON is read here, in C, not by the engine's JSON functions, so that
 * every store answers the same.  TRAWL_ECASE when explain is malformed
 * (what fn was called for before stands). */
int case_link_contributors(const char *explain, case_link_contrib_fn fn, void *ctx, trawl_err *err);

/* A device flagged for holding many accounts of one service. */
typedef struct case_account_device {
    case_val device, service, accounts;
} case_account_device;

/* The flagged devices by service and device, of service only when it is
 * not NULL, into *row. */
int case_account_devices_flagged(case_db *c, const char *service, case_account_device *row,
                                 case_rows **out, trawl_err *err);

#endif
