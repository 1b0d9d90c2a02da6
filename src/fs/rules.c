/* rules.c: YARA rules for the file-system stage (libyara).  Rules are
 * compiled once, before any scanning, so that a broken rule stops the run
 * with its file and line; then each file's content is handed to libyara as
 * a series of blocks read on demand (a file is never held whole). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yara.h>

#include "fs/fs_int.h"
#include "util/limits.h"
#include "util/strbuf.h"

struct fs_rules {
    YR_RULES *rules;
};

typedef struct compile_ctx {
    char first[512]; /* first error, "FILE:LINE: message" */
    int errors;
} compile_ctx;

static void on_compile(int level, const char *file, int line, const YR_RULE *rule, const char *msg,
                       void *ud)
{
    compile_ctx *cc = ud;
    (void)rule;
    if (level != YARA_ERROR_LEVEL_ERROR)
        return;
    if (cc->errors++ == 0)
        snprintf(cc->first, sizeof cc->first, "%s:%d: %s", file ? file : "?", line, msg);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_rule_ext(const char *n)
{
    size_t l = strlen(n);
    return (l > 4 && !strcmp(n + l - 4, ".yar")) || (l > 5 && !strcmp(n + l - 5, ".yara"));
}

/* The rule files of path, sorted (one when path is a file). */
static int list_files(const char *path, char ***out, size_t *n, trawl_err *err)
{
    struct stat st;
    *out = NULL;
    *n = 0;
    if (stat(path, &st) != 0)
        return trawl_fail(err, TRAWL_EIO, "%s: cannot read YARA rules: %m", path);
    if (!S_ISDIR(st.st_mode)) {
        char **v = malloc(sizeof *v);
        if (!v || !(v[0] = strdup(path))) {
            free(v);
            return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        }
        *out = v;
        *n = 1;
        return 0;
    }
    DIR *d = opendir(path);
    if (!d)
        return trawl_fail(err, TRAWL_EIO, "%s: cannot open rule folder: %m", path);
    char **v = NULL;
    size_t cnt = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        if (!has_rule_ext(e->d_name))
            continue;
        if (cnt >= FS_YARA_MAX_FILES) {
            rc = trawl_fail(err, TRAWL_ELIMIT, "%s: more than %d rule files", path,
                            FS_YARA_MAX_FILES);
            break;
        }
        char **nv = realloc(v, (cnt + 1) * sizeof *v);
        strbuf sb = STRBUF_INIT;
        sb_addf(&sb, "%s/%s", path, e->d_name);
        if (!nv || sb.oom) {
            free(nv ? nv : v);
            v = NULL;
            sb_free(&sb);
            cnt = 0;
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
            break;
        }
        v = nv;
        v[cnt++] = sb_detach(&sb);
    }
    closedir(d);
    if (rc) {
        for (size_t i = 0; i < cnt; i++)
            free(v[i]);
        free(v);
        return rc;
    }
    if (cnt == 0) {
        free(v);
        return trawl_fail(err, TRAWL_EUSAGE, "%s: no *.yar or *.yara files in the folder", path);
    }
    qsort(v, cnt, sizeof *v, cmp_str);
    *out = v;
    *n = cnt;
    return 0;
}

int fs_rules_compile(const char *path, fs_rules **out, trawl_err *err)
{
    char **files;
    size_t nfiles;
    int rc = list_files(path, &files, &nfiles, err);
    if (rc)
        return rc;
    if (yr_initialize() != ERROR_SUCCESS) {
        rc = trawl_fail(err, TRAWL_ENOMEM, "libyara: cannot initialize");
        goto out_files;
    }
    YR_COMPILER *comp = NULL;
    compile_ctx cc = {{0}, 0};
    if (yr_compiler_create(&comp) != ERROR_SUCCESS) {
        rc = trawl_fail(err, TRAWL_ENOMEM, "libyara: cannot create a compiler");
        goto out_fin;
    }
    yr_compiler_set_callback(comp, on_compile, &cc);
    for (size_t i = 0; i < nfiles && !rc; i++) {
        FILE *f = fopen(files[i], "r");
        if (!f) {
            rc = trawl_fail(err, TRAWL_EIO, "%s: cannot open: %m", files[i]);
            break;
        }
        int nerr = yr_compiler_add_file(comp, f, NULL, files[i]);
        fclose(f);
        if (nerr > 0) /* libyara cannot go on after an error */
            rc = trawl_fail(err, TRAWL_EFORMAT, "YARA rule does not compile: %s%s", cc.first,
                            nerr > 1 ? " (and more errors)" : "");
    }
    YR_RULES *rules = NULL;
    if (!rc && yr_compiler_get_rules(comp, &rules) != ERROR_SUCCESS)
        rc = trawl_fail(err, TRAWL_ENOMEM, "libyara: cannot build the rules");
    yr_compiler_destroy(comp);
    if (!rc) {
        fs_rules *r = malloc(sizeof *r);
        if (!r) {
            yr_rules_destroy(rules);
            rc = trawl_fail(err, TRAWL_ENOMEM, "out of memory");
        } else {
            r->rules = rules;
            *out = r;
            goto out_files; /* keep libyara initialized until fs_rules_free */
        }
    }
out_fin:
    yr_finalize();
out_files:
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    return rc;
}

void fs_rules_free(fs_rules *r)
{
    if (!r)
        return;
    yr_rules_destroy(r->rules);
    free(r);
    yr_finalize();
}

/* --- Scanning ------------------------------------------------------------ */

typedef struct blocks {
    YR_MEMORY_BLOCK blk;
    uint64_t size, next;
    uint8_t *buf;
    size_t cap;
    fs_yara_read_fn rd;
    void *rd_ctx;
    fs_yara_match_fn fn;
    void *fn_ctx;
    trawl_err *err;
    int rc;
} blocks;

static const uint8_t *blk_fetch(YR_MEMORY_BLOCK *self)
{
    blocks *b = self->context;
    size_t got = 0, want = self->size;
    while (got < want) {
        size_t n = 0;
        if (b->rd(b->rd_ctx, self->base + got, b->buf + got, want - got, &n) != 0 || n == 0)
            break;
        got += n;
    }
    if (got < want) /* unreadable tail: scan zeros rather than stop */
        memset(b->buf + got, 0, want - got);
    return b->buf;
}

static YR_MEMORY_BLOCK *blk_next(YR_MEMORY_BLOCK_ITERATOR *it)
{
    blocks *b = it->context;
    it->last_error = ERROR_SUCCESS;
    if (b->next >= b->size)
        return NULL;
    uint64_t left = b->size - b->next;
    b->blk.base = b->next;
    b->blk.size = left < b->cap ? (size_t)left : b->cap;
    b->next += b->blk.size;
    return &b->blk;
}

static YR_MEMORY_BLOCK *blk_first(YR_MEMORY_BLOCK_ITERATOR *it)
{
    blocks *b = it->context;
    b->next = 0;
    return blk_next(it);
}

static uint64_t blk_size(YR_MEMORY_BLOCK_ITERATOR *it)
{
    return ((blocks *)it->context)->size;
}

static int on_scan(YR_SCAN_CONTEXT *ctx, int message, void *data, void *ud)
{
    blocks *b = ud;
    if (message != CALLBACK_MSG_RULE_MATCHING)
        return CALLBACK_CONTINUE;
    YR_RULE *rule = data;
    const char *tag;
    strbuf tags = STRBUF_INIT;
    yr_rule_tags_foreach(rule, tag)
    {
        if (tags.len)
            sb_addc(&tags, ' ');
        sb_adds(&tags, tag);
    }
    uint64_t first = UINT64_MAX;
    YR_STRING *s;
    YR_MATCH *m;
    yr_rule_strings_foreach(rule, s)
    {
        yr_string_matches_foreach(ctx, s, m)
        {
            uint64_t at = (uint64_t)(m->base + m->offset);
            if (at < first)
                first = at;
        }
    }
    b->rc = tags.oom ? trawl_fail(b->err, TRAWL_ENOMEM, "out of memory")
                     : b->fn(b->fn_ctx, rule->identifier, sb_cstr(&tags),
                             first == UINT64_MAX ? 0 : first, b->err);
    sb_free(&tags);
    return b->rc ? CALLBACK_ABORT : CALLBACK_CONTINUE;
}

int fs_rules_scan(const fs_rules *rules, uint64_t size, fs_yara_read_fn rd, void *rd_ctx,
                  fs_yara_match_fn fn, void *fn_ctx, trawl_err *err)
{
    blocks b;
    memset(&b, 0, sizeof b);
    b.size = size;
    b.cap = size < FS_YARA_BLOCK ? (size_t)(size ? size : 1) : FS_YARA_BLOCK;
    b.buf = malloc(b.cap);
    if (!b.buf)
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory for a YARA block");
    b.blk.context = &b;
    b.blk.fetch_data = blk_fetch;
    b.rd = rd;
    b.rd_ctx = rd_ctx;
    b.fn = fn;
    b.fn_ctx = fn_ctx;
    b.err = err;
    YR_MEMORY_BLOCK_ITERATOR it = {&b, blk_first, blk_next, blk_size, ERROR_SUCCESS};
    int yr = yr_rules_scan_mem_blocks(rules->rules, &it, SCAN_FLAGS_REPORT_RULES_MATCHING, on_scan,
                                      &b, FS_YARA_TIMEOUT);
    free(b.buf);
    if (b.rc)
        return b.rc;
    if (yr != ERROR_SUCCESS && yr != ERROR_SCAN_TIMEOUT)
        return trawl_fail(err, TRAWL_EIO, "libyara: scan failed (error %d)", yr);
    return 0;
}
