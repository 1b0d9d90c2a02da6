/* hashset_fuzz.c: the hash-set readers of src/case/hashset.c.  The first
 * byte picks the mode:
 *   even: the rest is a hash list to import (md5sum / sha1sum / sha256sum
 *         lines, hashdeep, NSRL CSV, or an NSRL RDS SQLite file), with at
 *         most 1..8 hashes of a type sorted in memory at a time so that the
 *         spill-and-merge path runs; every hash of the input that looks like
 *         one is then looked up in the set built;
 *   odd:  the rest is a set file CASE/hashsets/NAME.bin as trawl writes it,
 *         opened and searched (its header may lie about its counts, its
 *         arrays may be unsorted). */
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "case/case.h"
#include "case/case_fs.h"
#include "fuzz_util.h"

static case_db *cdb;
static unsigned long serial;

static void look_ups(case_hashset *h, const uint8_t *data, size_t size)
{
    static const char *fixed[] = {
        "d41d8cd98f00b204e9800998ecf8427e",
        "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "ffffffffffffffffffffffffffffffff",
        "00000000000000000000000000000000",
        "",
        "zz",
    };
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        case_hashset_has(h, fixed[i]);
    char hex[65];
    size_t n = 0;
    for (size_t i = 0; i < size && i < 4096; i++) {
        int c = data[i];
        int ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (ok && n < 64) {
            hex[n++] = (char)c;
        } else {
            hex[n] = 0;
            if (n == 32 || n == 40 || n == 64)
                case_hashset_has(h, hex);
            n = 0;
        }
    }
    uint64_t a, b, c;
    case_hashset_counts(h, &a, &b, &c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    trawl_err err;
    if (!cdb) {
        char dir[600];
        snprintf(dir, sizeof dir, "%s/case", fuzz_tmpdir());
        if (case_open(dir, 1, &cdb, &err) != 0) {
            fprintf(stderr, "hashset_fuzz: %s\n", err.msg);
            abort();
        }
    }
    if (size < 1)
        return 0;
    unsigned mode = data[0];
    data++, size--;
    case_hashset *h;
    char name[64], path[1024];
    if (mode & 1) {
        snprintf(path, sizeof path, "%s/hashsets", case_dir(cdb));
        mkdir(path, 0700);
        snprintf(path, sizeof path, "%s/hashsets/raw.bin", case_dir(cdb));
        FILE *fp = fopen(path, "wb");
        if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0)
            abort();
        if (case_hashset_open(cdb, "raw", &h, &err) == 0) {
            look_ups(h, data, size);
            case_hashset_close(h);
        }
        return 0;
    }
    const char *file = fuzz_write("list", data, size);
    snprintf(name, sizeof name, "s%lu", serial++);
    uint64_t count = 0;
    if (case_hashset_import_chunked(cdb, name, "known", file, 1 + (mode >> 1) % 8, &count, &err) ==
        0) {
        if (case_hashset_open(cdb, name, &h, &err) != 0)
            abort(); /* a set just written must open */
        uint64_t a, b, c;
        case_hashset_counts(h, &a, &b, &c);
        if (a + b + c != count)
            abort();
        look_ups(h, data, size);
        case_hashset_close(h);
        snprintf(path, sizeof path, "%s/hashsets/%s.bin", case_dir(cdb), name);
        unlink(path);
    }
    return 0;
}
