/* names.h: device names.  A device's NAME defaults to the image file name
 * without its extensions (usb03.raw.001 -> usb03, laptop.E01 -> laptop),
 * with characters other than letters, digits, '.', '_' and '-' replaced by
 * '_'. */
#ifndef TRAWL_CLI_NAMES_H
#define TRAWL_CLI_NAMES_H

#include <stddef.h>

/* Derive the default device name of path into out (size outlen). */
void cli_device_name(const char *path, char *out, size_t outlen);

/* 1 when name is a valid device name as given with --device. */
int cli_device_name_ok(const char *name);

#endif
