/* q_seen.h: when accounts were seen: the first and last time of their
 * occurrences (hits read from records with a time column: a cookie's
 * creation, a visit, a message date), per account and device. */
#ifndef TRAWL_CASE_Q_SEEN_H
#define TRAWL_CASE_Q_SEEN_H

#include "case/case.h"
#include "case/case_row.h"

/* One account of the accounts view and one device holding it with times. */
typedef struct case_account_seen {
    case_val service, account;
    case_val devices;     /* device names joined with ';' */
    case_val flags;       /* flags joined with ';' */
    case_val device;      /* a device where the account has times, or NULL: none has */
    case_val first, last; /* its first and last time there, ISO 8601 UTC, or NULL */
} case_account_seen;

/* The accounts of the accounts view (of service only when it is not NULL)
 * by service, account: one row per device where the account's occurrences
 * carry times, by device name, or one row with device NULL when none do;
 * into *row. */
int case_accounts_seen(case_db *c, const char *service, case_account_seen *row, case_rows **out,
                       trawl_err *err);

#endif
