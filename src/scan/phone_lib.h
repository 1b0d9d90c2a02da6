/* phone_lib.h: the numbering plans of the world, from Google's libphonenumber
 * metadata (Debian's libphonenumber-dev), behind a C interface.  The only C++
 * in the tree is its implementation, phone_lib.cc; the phone type
 * (types/phone.c) asks it whether a candidate is a number that can exist. */
#ifndef TRAWL_SCAN_PHONE_LIB_H
#define TRAWL_SCAN_PHONE_LIB_H

#ifdef __cplusplus
extern "C" {
#endif

/* How well the E.164 number e164 ("+" and 2..16 digits, NUL-terminated)
 * fits the numbering plan of its calling code: SCAN_PHONE_VALID (a range the
 * plan assigns), SCAN_PHONE_POSSIBLE (a length the plan allows, in no
 * assigned range: e.g. the UK's drama numbers +44 7700 900xxx), or 0 (not a
 * number there).  Thread-safe; never prints. */
#define SCAN_PHONE_POSSIBLE 1
#define SCAN_PHONE_VALID 2
int scan_phone_check(const char *e164);

#ifdef __cplusplus
}
#endif

#endif
