/* lists_fuzz.c: the examiner's list files: --keywords (literals and
 * /regex/flags lines), --stop-list (FEATURE[TAB CONTEXT] lines) and the YARA
 * rules path (a *.yar file compiled by fs_rules_compile).  The first byte
 * picks the file kind; the rest is the file.  A stop list that loads is
 * then asked about each of its own lines and about slices of the input. */
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "fs/fs.h"
#include "fuzz_util.h"
#include "scan/scan_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 8192)
        return 0;
    unsigned mode = data[0] % 3;
    data++, size--;
    trawl_err err;
    if (mode == 0) {
        const char *path = fuzz_write("keywords", data, size);
        keyword *kw = NULL;
        size_t n = 0;
        matcher *m = NULL;
        if (keywords_load(path, &kw, &n, &m, &err) == 0) {
            for (size_t i = 0; i < n; i++)
                if (strlen(kw[i].term) != kw[i].len)
                    abort();
            keywords_free(kw, n);
            matcher_free(m);
        }
    } else if (mode == 1) {
        const char *path = fuzz_write("stop", data, size);
        stop_list *s = NULL;
        if (stop_list_load(path, &s, &err) == 0) {
            const char *f = (const char *)data;
            for (size_t i = 0; i < size; i++) {
                size_t e = i;
                while (e < size && data[e] != '\n' && data[e] != '\t')
                    e++;
                stop_list_has(s, f + i, e - i, data, size);
                stop_list_has(s, f + i, e - i, NULL, 0);
                i = e;
            }
            stop_list_free(s);
        }
    } else {
        char dir[600];
        snprintf(dir, sizeof dir, "%s/rules", fuzz_tmpdir());
        mkdir(dir, 0700);
        char path[700];
        snprintf(path, sizeof path, "%s/rules.yar", dir);
        FILE *fp = fopen(path, "wb");
        if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0)
            abort();
        fs_rules *r = NULL;
        if (fs_rules_compile(dir, &r, &err) == 0)
            fs_rules_free(r);
    }
    return 0;
}
