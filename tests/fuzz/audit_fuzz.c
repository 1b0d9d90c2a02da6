/* audit_fuzz.c: the audit log's writer and readers (src/case/audit.c).
 * The first byte picks the mode:
 *   even: the rest is NUL-separated strings that become one "scan" entry
 *         (examiner, device, detail, two argv words, up to three inputs
 *         with their hashes); after case_audit appends it, the chain must
 *         check, and case_audit_inputs must give back exactly the inputs
 *         written (whatever bytes the strings hold: escaping round-trips);
 *   odd:  the rest is appended to the log as raw bytes (a torn line, a
 *         forgery, garbage), then the readers (check, recover, inputs) run
 *         on it; they may refuse it, never crash.
 * A fresh case is made every 64 inputs and after each odd one. */
#include <stdint.h>
#include <string.h>

#include "case/audit.h"
#include "fuzz_util.h"

static case_db *cdb;
static unsigned long uses, serial;

typedef struct got_inputs {
    char *path[64];
    char *hash[64];
    size_t n; /* inputs seen in total; the last ones kept */
} got_inputs;

static int on_input(void *ctx, const char *path, const char *sha256)
{
    got_inputs *g = ctx;
    size_t i = g->n++ % 64;
    free(g->path[i]);
    free(g->hash[i]);
    g->path[i] = strdup(path);
    g->hash[i] = sha256 ? strdup(sha256) : NULL;
    return 0;
}

static void got_free(got_inputs *g)
{
    for (size_t i = 0; i < 64; i++)
        free(g->path[i]), free(g->hash[i]);
}

static void fresh_case(void)
{
    trawl_err err;
    char dir[600], cmd[700];
    if (cdb) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", case_dir(cdb));
        case_close(cdb);
        if (system(cmd) != 0)
            abort();
    }
    snprintf(dir, sizeof dir, "%s/case%lu", fuzz_tmpdir(), serial++);
    if (case_open(dir, 1, &cdb, &err) != 0) {
        fprintf(stderr, "audit_fuzz: %s\n", err.msg);
        abort();
    }
    uses = 0;
}

/* The next NUL-terminated string of data (the rest when there is no NUL). */
static char *next_str(const uint8_t **p, const uint8_t *end)
{
    const uint8_t *s = *p;
    const uint8_t *z = memchr(s, 0, (size_t)(end - s));
    size_t n = z ? (size_t)(z - s) : (size_t)(end - s);
    char *out = malloc(n + 1);
    if (!out)
        abort();
    memcpy(out, s, n);
    out[n] = 0;
    *p = z ? z + 1 : end;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!cdb || uses++ >= 64)
        fresh_case();
    if (size < 1)
        return 0;
    unsigned mode = data[0];
    const uint8_t *p = data + 1, *end = data + size;
    trawl_err err;
    size_t lines;
    got_inputs g = {{0}, {0}, 0};
    if (mode & 1) {
        char path[700];
        snprintf(path, sizeof path, "%s/audit.log", case_dir(cdb));
        FILE *fp = fopen(path, "ab");
        if (!fp || (size > 1 && fwrite(p, 1, size - 1, fp) != size - 1) || fclose(fp) != 0)
            abort();
        case_audit_check(cdb, &lines, &err);
        case_audit_recover(cdb, &err);
        case_audit_check(cdb, &lines, &err);
        case_audit_inputs(cdb, "scan", on_input, &g, &err);
        got_free(&g);
        fresh_case();
        return 0;
    }
    char *s[11];
    for (int i = 0; i < 11; i++)
        s[i] = next_str(&p, end);
    char *argv[2] = {s[3], s[4]};
    case_audit_input in[3];
    size_t nin = 0;
    for (int i = 0; i < 3; i++) {
        if (!s[5 + 2 * i][0] && i > 0)
            break;
        in[nin].path = s[5 + 2 * i];
        in[nin].sha256 = s[6 + 2 * i][0] ? s[6 + 2 * i] : NULL;
        nin++;
    }
    case_audit_entry e = {
        .action = "scan",
        .examiner = s[0],
        .argc = 2,
        .argv = argv,
        .device = s[1][0] ? s[1] : NULL,
        .inputs = in,
        .ninputs = nin,
        .outcome = "ok",
        .detail = s[2][0] ? s[2] : NULL,
    };
    if (case_audit(cdb, &e, &err) != 0) {
        fprintf(stderr, "audit_fuzz: %s\n", err.msg);
        abort();
    }
    if (case_audit_check(cdb, &lines, &err) != 0) {
        fprintf(stderr, "audit_fuzz: the chain does not check after an append: %s\n", err.msg);
        abort();
    }
    if (case_audit_inputs(cdb, "scan", on_input, &g, &err) != 0 || g.n < nin)
        abort();
    for (size_t i = 0; i < nin; i++) {
        size_t k = (g.n - nin + i) % 64;
        const char *h = in[i].sha256;
        if (strcmp(g.path[k], in[i].path) != 0 || (!h) != (!g.hash[k]) ||
            (h && strcmp(h, g.hash[k]) != 0)) {
            fprintf(stderr, "audit_fuzz: input %zu did not round-trip\n", i);
            abort();
        }
    }
    got_free(&g);
    for (int i = 0; i < 11; i++)
        free(s[i]);
    return 0;
}
