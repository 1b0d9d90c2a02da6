/* fault.h: the fault table, for tests only (issue 11, fault injection).
 *
 * Every allocation and every file write of trawl's own code goes through
 * one place: the link step wraps them (-Wl,--wrap=malloc,... on every
 * executable that links trawl_util, see CMakeLists.txt), and fault.c's
 * __wrap_ functions count each call of a kind and, when a test armed the
 * table, make the Nth of that kind fail as the system would (NULL and
 * ENOMEM; -1 or EOF and ENOSPC).  SQLite's allocations and the unix VFS's
 * write, pwrite and ftruncate are routed through the same wrappers by
 * case_fault_hooks (case/case.h), so one count covers trawl and its store.
 * This is SQLite's aSyscall[] idea made link-time: no call site changes,
 * and it works in every build, AddressSanitizer's included (the wrappers
 * call the real functions, which the sanitizer still owns).
 *
 * Disarmed (the default, and always outside tests) a wrapper costs one
 * load of a flag that never changes and a not-taken branch.
 *
 * The table is the one piece of mutable global state in trawl: the target
 * and mode are written once by fault_arm before any thread starts; the
 * counters are atomic.  A forked child (the file-system stage) inherits it
 * and counts on from the parent's counts, so both may reach the Nth call. */
#ifndef TRAWL_UTIL_FAULT_H
#define TRAWL_UTIL_FAULT_H

#include "util/err.h"

typedef enum fault_kind {
    FAULT_ALLOC, /* malloc, calloc, realloc, strdup, strndup, posix_memalign, aligned_alloc */
    FAULT_WRITE, /* write, pwrite, fwrite, fputs, fprintf, fflush, fclose, fsync, fdatasync,
                    ftruncate, rename (standard output and error are not counted) */
    FAULT_KINDS
} fault_kind;

/* Read spec, the value of the TRAWL_FAULT environment variable:
 * "alloc:N" or "write:N" (the Nth call of that kind fails), optionally
 * followed by "+" (every call from the Nth on fails: for writes, a full
 * disk, whose Nth write(2) or pwrite(2) writes half its bytes; ftruncate still
 * works there), or "count" (nothing
 * fails; the calls are only counted).  *on is set to 1 when spec asks for
 * the table (not NULL nor ""), which then starts counting at fault_start.
 * Call once, before any thread starts.  TRAWL_EUSAGE on a spec it cannot
 * read. */
int fault_arm(const char *spec, int *on, trawl_err *err);

/* Start counting (and failing) as fault_arm set up; the calls made before
 * (the hooks' own set-up) are not counted. */
void fault_start(void);

/* Is the table armed (counting)? */
int fault_armed(void);

/* fault_hit's answer for the first failing call of a "+" run. */
#define FAULT_FILLS 2

/* Count one call of kind; 0 if it goes through, 1 if it must fail,
 * FAULT_FILLS if it is the first to fail of a "+" run (a write may then do
 * part of its work).  For callers that do their own system calls outside
 * the wrapped set. */
int fault_hit(fault_kind kind);

/* The calls of each kind counted so far. */
void fault_counts(unsigned long out[FAULT_KINDS]);

#endif
