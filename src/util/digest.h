/* digest.h: one-shot hashes of in-memory bytes (OpenSSL libcrypto), as
 * lower-case hex.  Streaming hashes of evidence live in evidence/ev_hash.h. */
#ifndef TRAWL_UTIL_DIGEST_H
#define TRAWL_UTIL_DIGEST_H

#include <stddef.h>

/* SHA-256 of data[0..len) as 64 hex digits plus NUL in out. */
void digest_sha256_hex(const void *data, size_t len, char out[65]);

/* Lower-case hex of bin[0..len) into out (2*len+1 bytes). */
void digest_hex(const unsigned char *bin, size_t len, char *out);

#endif
