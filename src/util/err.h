/* err.h: trawl's one error type.
 *
 * Every function that can fail returns an int: 0 on success, otherwise one
 * of the TRAWL_E* codes, and fills the caller's trawl_err with a one-line
 * message that names the file, the structure and the offset where it can.
 * The message travels up to the CLI, which is the only place that prints it.
 * "Not found" is never an error: it is an out-parameter. */
#ifndef TRAWL_UTIL_ERR_H
#define TRAWL_UTIL_ERR_H

#include <stddef.h>

enum {
    TRAWL_OK = 0,
    TRAWL_EIO = 1,          /* a read or write failed */
    TRAWL_EFORMAT = 2,      /* input is not what it claims to be, or is damaged */
    TRAWL_ENOMEM = 3,       /* allocation failed */
    TRAWL_EUSAGE = 4,       /* the caller asked for something impossible */
    TRAWL_ECASE = 5,        /* the case folder is missing, foreign or too new */
    TRAWL_EINTEGRITY = 6,   /* a hash or the audit chain does not match */
    TRAWL_ELIMIT = 7,       /* a limit from limits.h was reached */
    TRAWL_EUNSUPPORTED = 8, /* a format trawl knows but cannot read */
    TRAWL_EEXISTS = 9,      /* the thing is already there */
};

#define TRAWL_ERR_MSG 512

typedef struct trawl_err {
    int code;
    char msg[TRAWL_ERR_MSG];
} trawl_err;

/* Record code and a printf-style message in err (which may be NULL) and
 * return code, so that callers can write `return trawl_fail(err, ...)`. */
int trawl_fail(trawl_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix err's message with "prefix: " (for adding the file name on the
 * way up); returns err->code. */
int trawl_wrap(trawl_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Clear err to success. */
void trawl_err_clear(trawl_err *err);

#endif
