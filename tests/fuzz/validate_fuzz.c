/* validate_fuzz.c: every checksum, table and parser of src/scan/validate*.c
 * on arbitrary bytes (lengths from 0 up, not NUL-terminated), with output
 * buffers of exactly the documented size so that ASan sees any write past
 * them. */
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "scan/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t lo, hi;
    val_window(size, size / 2, &lo, &hi);
    if (lo > hi || hi > size)
        abort();
    val_luhn(s, size);
    val_iban(s, size);
    if (size >= 2) {
        char cc[3] = {s[0], s[1], 0};
        val_iban_length(cc);
    }
    uint8_t out[64];
    size_t out_len = 0;
    if (val_base58check(s, size, out, sizeof out, &out_len) && out_len > sizeof out)
        abort();
    val_base58check(s, size, out, 21, &out_len);
    char hrp[84];
    uint8_t d5[90];
    size_t d5_len = 0;
    if (val_bech32_decode(s, size, hrp, sizeof hrp, d5, sizeof d5, &d5_len) &&
        (d5_len > sizeof d5 || strlen(hrp) >= sizeof hrp))
        abort();
    val_bech32_decode(s, size, hrp, 3, d5, 8, &d5_len);
    int ver;
    uint8_t prog[40];
    size_t prog_len = 0;
    if (val_segwit("bc", s, size, &ver, prog, &prog_len) && prog_len > sizeof prog)
        abort();
    val_segwit("tb", s, size, NULL, NULL, NULL);
    uint8_t k[32];
    val_keccak256(data, size, k);
    if (size >= 40) {
        char hex40[40];
        memcpy(hex40, s, 40);
        val_eip55(hex40);
    }
    uint8_t ip4[4];
    val_ipv4(s, size, ip4);
    char ip6[46];
    if (val_ipv6(s, size, ip6) && strlen(ip6) >= sizeof ip6)
        abort();
    val_tld(s, size, VAL_TLD_ANY);
    val_tld(s, size, VAL_TLD_COMMON);
    val_hostname(s, size, VAL_TLD_ANY);
    val_hostname(s, size, VAL_TLD_COMMON);
    int cl = val_calling_code(s, size);
    if (cl < 0 || cl > 3 || (size_t)cl > size)
        abort();
    int mn = 0, mx = 0;
    val_national_lengths(s, cl ? (size_t)cl : (size < 3 ? size : 3), &mn, &mx);
    return 0;
}
