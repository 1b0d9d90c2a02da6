/* registry.c: every identifier type, in output order (see scan_type.h).
 * Adding a type means adding its file and one line here. */
#include "scan/scan_type.h"

#include <stddef.h>

const scan_type *const scan_type_registry[] = {
    NULL,
};

void scan_type_normalize(const char *value, size_t len, const scan_type_ctx *ctx, scan_out *out)
{
    (void)value, (void)len, (void)ctx, (void)out;
}
