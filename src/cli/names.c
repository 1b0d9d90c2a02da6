/* names.c: see names.h. */
#include "cli/names.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Extensions that say what an image is, not which device it is. */
static const char *const image_exts[] = {
    "raw",   "dd",   "img",  "bin",  "iso", "dmg",   "vmdk",  "vhd",   "vhdx", "qcow", "qcow2",
    "aff",   "e01",  "ex01", "l01",  "s01", "split", "image", "disk",  "fat",  "vfat", "ntfs",
    "exfat", "ext2", "ext3", "ext4", "hfs", "apfs",  "xfs",   "btrfs", NULL,
};

/* A segment suffix: 3 or more digits, two lower-case letters (.aa), or
 * E/Ex/s followed by two digits / letters as EnCase numbers them. */
static int is_segment_ext(const char *e)
{
    size_t n = strlen(e);
    size_t digits = strspn(e, "0123456789");
    if (n >= 3 && digits == n)
        return 1;
    if (n == 2 && islower((unsigned char)e[0]) && islower((unsigned char)e[1]))
        return 1;
    if (n == 3 && (e[0] == 'E' || e[0] == 'e') && isalnum((unsigned char)e[1]) &&
        isalnum((unsigned char)e[2]) &&
        (isdigit((unsigned char)e[1]) || isupper((unsigned char)e[1])))
        return 1;
    return 0;
}

static int is_image_ext(const char *e)
{
    for (int i = 0; image_exts[i]; i++)
        if (!strcasecmp(e, image_exts[i]))
            return 1;
    return 0;
}

void cli_device_name(const char *path, char *out, size_t outlen)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char name[1024];
    snprintf(name, sizeof name, "%s", base);
    for (;;) {
        char *dot = strrchr(name, '.');
        if (!dot || dot == name)
            break;
        if (!is_segment_ext(dot + 1) && !is_image_ext(dot + 1))
            break;
        *dot = '\0';
    }
    size_t j = 0;
    for (size_t i = 0; name[i] && j + 1 < outlen; i++) {
        unsigned char ch = (unsigned char)name[i];
        out[j++] =
            (isalnum(ch) && ch < 0x80) || ch == '.' || ch == '_' || ch == '-' ? (char)ch : '_';
    }
    if (j == 0 && outlen > 1)
        out[j++] = '_';
    out[j] = '\0';
}

int cli_device_name_ok(const char *name)
{
    if (!*name || !strcmp(name, ".") || !strcmp(name, "..") || strlen(name) > 200)
        return 0;
    for (const char *p = name; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (!((isalnum(ch) && ch < 0x80) || ch == '.' || ch == '_' || ch == '-'))
            return 0;
    }
    return 1;
}
