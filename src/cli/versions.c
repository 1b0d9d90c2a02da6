/* versions.c: the versions of the libraries trawl runs with, for the
 * audit log (a court may ask which build of which library read the
 * evidence). */
#include <bzlib.h>
#include <libewf.h>
#include <libqcow.h>
#include <libvhdi.h>
#include <libvmdk.h>
#include <lzma.h>
#include <magic.h>
#include <openssl/crypto.h>
#include <tsk/libtsk.h>
#include <yara.h>
#include <zlib.h>
#ifdef TRAWL_HYPERSCAN
#include <hs/hs.h>
#else
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif

#include "case/q_devices.h"
#include "cli/cli_versions.h"
#include "util/escape.h"

char *cli_library_versions(void)
{
    strbuf sb = STRBUF_INIT;
    char buf[64];
    struct {
        const char *name, *version;
    } libs[] = {
        {case_engine_name(), case_engine_version()},
        {"openssl", OpenSSL_version(OPENSSL_VERSION)},
        {"libewf", libewf_get_version()},
        {"libvmdk", libvmdk_get_version()},
        {"libvhdi", libvhdi_get_version()},
        {"libqcow", libqcow_get_version()},
        {"libtsk", tsk_version_get_str()},
        {"yara", YR_VERSION},
        {"zlib", zlibVersion()},
        {"liblzma", lzma_version_string()},
        {"libbz2", BZ2_bzlibVersion()},
        {"libmagic", buf},
#ifdef TRAWL_HYPERSCAN
        {"hyperscan", hs_version()},
#else
        {"pcre2", PCRE2_MAJOR == 10 ? "10" : "?"},
#endif
    };
    snprintf(buf, sizeof buf, "%d.%02d", magic_version() / 100, magic_version() % 100);
    sb_addc(&sb, '{');
    for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
        sb_addf(&sb, "%s\"%s\":\"", i ? "," : "", libs[i].name);
        esc_json(&sb, libs[i].version, strlen(libs[i].version));
        sb_addc(&sb, '"');
    }
    sb_addc(&sb, '}');
    return sb_detach(&sb);
}
