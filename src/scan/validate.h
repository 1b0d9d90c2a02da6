/* validate.h: the checksums, tables and parsers behind the identifier types
 * (src/scan/types/).  Each function is small, pure and thread-safe, so that
 * it can be tested alone against published vectors (tests/unit/
 * test_scan_validate.c) and shared by the types and by `trawl find`.
 *
 * Conventions: inputs are byte strings with a length (not NUL-terminated);
 * predicates return 1 (valid) or 0; out-parameters are written only on
 * success.  Nothing here allocates. */
#ifndef TRAWL_SCAN_VALIDATE_H
#define TRAWL_SCAN_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

/* --- Character classes (ASCII only; bytes >= 0x80 are in none) ---------- */
static inline int val_is_digit(int c)
{
    return c >= '0' && c <= '9';
}
static inline int val_is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline int val_is_alnum(int c)
{
    return val_is_digit(c) || val_is_alpha(c);
}
static inline int val_is_hex(int c)
{
    return val_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static inline int val_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}
static inline int val_upper(int c)
{
    return (c >= 'a' && c <= 'z') ? c - 32 : c;
}

/* The window an extractor may look at around an anchor ending at `at`:
 * [*lo, *hi) = [max(0, at - SCAN_LOOKAROUND), min(len, at + SCAN_LOOKAROUND)). */
void val_window(size_t len, size_t at, size_t *lo, size_t *hi);

/* --- Checksums ----------------------------------------------------------- */

/* Luhn (mod 10) over n ASCII digits; 0 if any byte is not a digit. */
int val_luhn(const char *digits, size_t n);

/* The IBAN length of a country (ISO 3166 alpha-2, upper case), or 0 when
 * the country has no IBAN.  Covers every country in the SWIFT IBAN registry. */
int val_iban_length(const char *cc);

/* A compact IBAN (upper case, no spaces): known country, its exact length,
 * check digits 02..98, BBAN alphanumeric, and mod-97 == 1. */
int val_iban(const char *iban, size_t n);

/* Base58Check (Bitcoin alphabet): decode s[0..n) into out (at most cap
 * bytes), verify the 4-byte double-SHA-256 checksum and store the payload
 * (version byte included, checksum excluded) length in *out_len. */
int val_base58check(const char *s, size_t n, uint8_t *out, size_t cap, size_t *out_len);

/* Bech32 encodings (BIP-173 and BIP-350). */
enum { VAL_BECH32 = 1, VAL_BECH32M = 2 };

/* Decode a bech32/bech32m string (not mixed case, at most 90 chars):
 * the human-readable part is copied lower-case to hrp (cap hrp_cap,
 * NUL-terminated), the 5-bit data (checksum excluded) to data (cap
 * data_cap).  Returns VAL_BECH32, VAL_BECH32M, or 0 if invalid. */
int val_bech32_decode(const char *s, size_t n, char *hrp, size_t hrp_cap, uint8_t *data,
                      size_t data_cap, size_t *data_len);

/* A segwit address for the human-readable part hrp ("bc", "tb"): valid
 * bech32 for version 0 (program 20 or 32 bytes), bech32m for versions
 * 1..16 (program 2..40 bytes).  Version and program are returned when the
 * pointers are not NULL (prog needs 40 bytes). */
int val_segwit(const char *hrp, const char *s, size_t n, int *version, uint8_t *prog,
               size_t *prog_len);

/* Keccak-256 (the original Keccak padding 0x01, as Ethereum uses; not
 * FIPS-202 SHA3-256). */
void val_keccak256(const void *data, size_t n, uint8_t out[32]);

/* An Ethereum address body: 40 hex digits (no "0x").  All lower or all
 * upper case is accepted as is; mixed case must satisfy EIP-55. */
int val_eip55(const char *hex40);

/* --- Network ------------------------------------------------------------- */

/* Dotted-quad IPv4 in strict form: four decimal parts 0..255 without
 * leading zeros.  The address is stored in out (network order). */
int val_ipv4(const char *s, size_t n, uint8_t out[4]);

/* Parse an IPv6 address (inet_pton rules) and write its RFC 5952 text form
 * (NUL-terminated) to out, which needs 46 bytes. */
int val_ipv6(const char *s, size_t n, char out[46]);

/* Top-level domains.  VAL_TLD_ANY: a real TLD (every ccTLD and the common
 * generic ones); VAL_TLD_COMMON: the subset safe enough to report a bare
 * host name on its own (no file-extension look-alikes such as .py, .sh, .md,
 * .rs, .pl).  s is case-insensitive. */
enum { VAL_TLD_ANY = 1, VAL_TLD_COMMON = 2 };
int val_tld(const char *s, size_t n, int which);

/* A host name: labels of [A-Za-z0-9-] (1..63, no leading or trailing '-'),
 * at least two of them, at most 253 bytes, the last alphabetic (2..24) and a
 * real TLD per `which`. */
int val_hostname(const char *s, size_t n, int which);

/* --- Telephone ----------------------------------------------------------- */

/* The length (1..3) of the ITU-T E.164 country calling code that starts the
 * digit string d[0..n), or 0 when none does.  Codes are prefix-free. */
int val_calling_code(const char *d, size_t n);

/* Plausible national significant number lengths for a calling code
 * (digits, e.g. "355"): sets *min and *max. */
void val_national_lengths(const char *cc, size_t cc_len, int *min, int *max);

#endif
