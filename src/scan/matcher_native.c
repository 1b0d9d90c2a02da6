/* matcher_native.c: see matcher_native.h. */
#include "scan/matcher_native.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define NATIVE_AVX2 1
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Parse "[...]" at *p into c; returns 1 and advances *p, or 0. */
static int parse_class(const char **p, native_class *c)
{
    const char *s = *p;
    if (*s++ != '[')
        return 0;
    memset(c, 0, sizeof *c);
    if (*s == '^' || *s == ']')
        return 0;
    while (*s && *s != ']') {
        if (*s == '\\' || c->nranges == NATIVE_MAX_RANGES)
            return 0;
        uint8_t a = (uint8_t)*s++, b = a;
        if (*s == '-' && s[1] && s[1] != ']') {
            if (s[1] == '\\')
                return 0;
            b = (uint8_t)s[1];
            s += 2;
        }
        if (b < a)
            return 0;
        c->lo[c->nranges] = a, c->hi[c->nranges] = b, c->nranges++;
    }
    if (*s != ']' || c->nranges == 0)
        return 0;
    *p = s + 1;
    return 1;
}

static int same_class(const native_class *a, const native_class *b)
{
    return a->nranges == b->nranges && memcmp(a->lo, b->lo, sizeof a->lo) == 0 &&
           memcmp(a->hi, b->hi, sizeof a->hi) == 0;
}

/* Is every byte of class a in class b? */
static int subclass(const native_class *a, const native_class *b)
{
    for (int x = 0; x < 256; x++) {
        int in_a = 0, in_b = 0;
        for (int r = 0; r < a->nranges; r++)
            in_a |= x >= a->lo[r] && x <= a->hi[r];
        for (int r = 0; r < b->nranges; r++)
            in_b |= x >= b->lo[r] && x <= b->hi[r];
        if (in_a && !in_b)
            return 0;
    }
    return 1;
}

/* "(?:^|[^B])[F][R]{a,b}(?:[^B]|$)" */
static int parse_word(const char *regex, unsigned id, native_pat *out)
{
    native_pat np;
    memset(&np, 0, sizeof np);
    np.id[0] = id, np.nids = 1, np.kind = NATIVE_WORD, np.ncls = 3;
    const char *p = regex;
    if (strncmp(p, "(?:^|[^", 7) != 0)
        return 0;
    p += 6; /* at "^B]": parse "[B]" from the '[' before it */
    const char *b0 = p;
    char bound[64];
    const char *close = strchr(b0, ']');
    if (!close || close - b0 >= (long)sizeof bound)
        return 0;
    bound[0] = '[';
    memcpy(bound + 1, b0 + 1, (size_t)(close - b0)); /* "B]" */
    bound[close - b0 + 1] = 0;
    const char *q = bound;
    if (!parse_class(&q, &np.cls[0]) || *q)
        return 0;
    p = close + 1;
    if (*p++ != ')' || !parse_class(&p, &np.cls[1]) || !parse_class(&p, &np.cls[2]) || *p++ != '{')
        return 0;
    int a = 0, b = 0;
    while (*p >= '0' && *p <= '9' && a < 1000)
        a = a * 10 + (*p++ - '0');
    if (*p++ != ',')
        return 0;
    while (*p >= '0' && *p <= '9' && b < 1000)
        b = b * 10 + (*p++ - '0');
    if (*p++ != '}' || a < 1 || b < a || 1 + b > NATIVE_MAX_LEN)
        return 0;
    /* the same bound after the word */
    size_t bl = (size_t)(close - b0) + 1; /* "^B]" */
    if (strncmp(p, "(?:[", 4) != 0 || strncmp(p + 4, b0, bl) != 0 || strcmp(p + 4 + bl, "|$)") != 0)
        return 0;
    if (!subclass(&np.cls[1], &np.cls[0]) || !subclass(&np.cls[2], &np.cls[0]))
        return 0;
    np.wmin = 1 + a, np.wmax = 1 + b, np.len = np.wmin;
    *out = np;
    return 1;
}

int native_parse(const char *regex, unsigned id, native_pat *out)
{
    if (regex[0] == '(')
        return parse_word(regex, id, out);
    native_pat np;
    memset(&np, 0, sizeof np);
    np.id[0] = id;
    np.nids = 1;
    np.kind = NATIVE_SEQ;
    const char *p = regex;
    while (*p) {
        native_class c;
        if (!parse_class(&p, &c))
            return 0;
        int reps = 1;
        if (*p == '{') {
            reps = 0;
            p++;
            while (*p >= '0' && *p <= '9' && reps <= NATIVE_MAX_LEN)
                reps = reps * 10 + (*p++ - '0');
            if (*p++ != '}' || reps < 1)
                return 0;
        }
        int k = 0;
        while (k < np.ncls && !same_class(&np.cls[k], &c))
            k++;
        if (k == np.ncls) {
            if (np.ncls == NATIVE_MAX_CLASSES)
                return 0;
            np.cls[np.ncls++] = c;
        }
        if (np.len + reps > NATIVE_MAX_LEN)
            return 0;
        for (int r = 0; r < reps; r++)
            np.at[np.len++] = (uint8_t)k;
    }
    if (np.len < 2)
        return 0;
    *out = np;
    return 1;
}

int native_merge(native_pat *pats, size_t n, const native_pat *q)
{
    for (size_t k = 0; k < n; k++) {
        native_pat *p = &pats[k];
        if (p->kind != NATIVE_SEQ || q->kind != NATIVE_SEQ || p->len != q->len ||
            p->ncls != q->ncls || p->nids == NATIVE_MAX_IDS ||
            memcmp(p->at, q->at, sizeof p->at) != 0)
            continue;
        int same = 1;
        for (int c = 0; c < p->ncls && same; c++)
            same = same_class(&p->cls[c], &q->cls[c]);
        if (same) {
            p->id[p->nids++] = q->id[0];
            return 1;
        }
    }
    return 0;
}

static int in_class(const native_class *c, uint8_t b)
{
    for (int r = 0; r < c->nranges; r++)
        if (b >= c->lo[r] && b <= c->hi[r])
            return 1;
    return 0;
}

/* The union of a sequence's classes, as ranges (duplicates dropped). */
typedef struct union_class {
    uint8_t lo[NATIVE_MAX_CLASSES * NATIVE_MAX_RANGES], hi[NATIVE_MAX_CLASSES * NATIVE_MAX_RANGES];
    int n;
} union_class;

static void make_union(const native_pat *np, union_class *u)
{
    u->n = 0;
    for (int c = 0; c < (np->kind == NATIVE_WORD ? 1 : np->ncls); c++)
        for (int r = 0; r < np->cls[c].nranges; r++) {
            int k = 0;
            while (k < u->n && !(u->lo[k] == np->cls[c].lo[r] && u->hi[k] == np->cls[c].hi[r]))
                k++;
            if (k == u->n)
                u->lo[u->n] = np->cls[c].lo[r], u->hi[u->n] = np->cls[c].hi[r], u->n++;
        }
}

/* One bit per byte of block[0..64): is it in the union? */
static uint64_t union_mask(const union_class *u, const uint8_t *block)
{
#ifdef __SSE2__
    uint64_t m = 0;
    for (int q = 0; q < 4; q++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(block + 16 * q)), any = _mm_setzero_si128();
        for (int r = 0; r < u->n; r++) {
            /* x - lo <= hi - lo, unsigned: min(t, span) == t */
            __m128i t = _mm_sub_epi8(x, _mm_set1_epi8((char)u->lo[r]));
            __m128i span = _mm_set1_epi8((char)(u->hi[r] - u->lo[r]));
            any = _mm_or_si128(any, _mm_cmpeq_epi8(_mm_min_epu8(t, span), t));
        }
        m |= (uint64_t)(uint16_t)_mm_movemask_epi8(any) << (16 * q);
    }
    return m;
#else
    uint64_t m = 0;
    for (int i = 0; i < 64; i++)
        for (int r = 0; r < u->n; r++)
            if (block[i] >= u->lo[r] && block[i] <= u->hi[r]) {
                m |= 1ull << i;
                break;
            }
    return m;
#endif
}

#ifdef NATIVE_AVX2
/* The same with AVX2, where the CPU has it (checked once per scan). */
__attribute__((target("avx2"))) static uint64_t union_mask_avx2(const union_class *u,
                                                                const uint8_t *block)
{
    uint64_t m = 0;
    for (int q = 0; q < 2; q++) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(block + 32 * q)),
                any = _mm256_setzero_si256();
        for (int r = 0; r < u->n; r++) {
            __m256i t = _mm256_sub_epi8(x, _mm256_set1_epi8((char)u->lo[r]));
            __m256i span = _mm256_set1_epi8((char)(u->hi[r] - u->lo[r]));
            any = _mm256_or_si256(any, _mm256_cmpeq_epi8(_mm256_min_epu8(t, span), t));
        }
        m |= (uint64_t)(uint32_t)_mm256_movemask_epi8(any) << (32 * q);
    }
    return m;
}
#endif

/* x shifted towards higher byte positions by s (0..63), the bytes coming
 * in from the previous block's value px. */
static inline uint64_t shl(uint64_t x, uint64_t px, unsigned s)
{
    return s == 0 ? x : (x << s) | (px >> (64 - s));
}

/* NATIVE_WORD: `ends` has a bit for each byte of block p that ends a run of
 * at least wmin bound bytes; report each whole word there that is a match. */
static int check_words(const native_pat *np, const uint8_t *buf, size_t len, size_t p,
                       uint64_t ends, matcher_fn fn, void *ctx)
{
    const native_class *B = &np->cls[0], *F = &np->cls[1], *R = &np->cls[2];
    while (ends) {
        size_t e = p + (size_t)__builtin_ctzll(ends); /* the word's last byte, if it ends here */
        ends &= ends - 1;
        if (e + 1 < len && in_class(B, buf[e + 1]))
            continue; /* the word goes on */
        size_t s = e + 1, max = (size_t)np->wmax;
        while (s > 0 && e + 1 - s <= max && in_class(B, buf[s - 1]))
            s--;
        size_t wl = e + 1 - s;
        if (wl > max || wl < (size_t)np->wmin || !in_class(F, buf[s]))
            continue;
        int ok = 1;
        for (size_t k = s + 1; k <= e && ok; k++)
            ok = in_class(R, buf[k]);
        if (!ok)
            continue;
        /* the ends Hyperscan reports: after the byte that follows, or the
         * end of the data; '$' also before a final newline */
        size_t at[2] = {e + 1 == len ? len : e + 2, 0};
        int nat = 1;
        if (e + 2 == len && buf[e + 1] == '\n')
            at[nat++] = e + 1;
        for (int k = 0; k < nat; k++)
            for (int d = 0; d < np->nids; d++)
                if (fn(ctx, np->id[d], 0, at[k]))
                    return 1;
    }
    return 0;
}

#define NATIVE_LEVELS 6 /* runs of 1, 2, 4, 8, 16, 32 */

/* Every end of a match of np in buf[0..len): a first pass finds the ends of
 * runs of L bytes of the union of the classes (runs of 2^k bytes built by
 * doubling, carried from block to block, so a block costs the same whether
 * or not a run crosses into it); each such end is then checked byte by byte
 * against the classes of the sequence. */
static int scan_one(const native_pat *np, const uint8_t *buf, size_t len, matcher_fn fn, void *ctx)
{
    unsigned L = (unsigned)np->len;
    union_class u;
    make_union(np, &u);
    uint64_t prev[NATIVE_LEVELS] = {0}, cur[NATIVE_LEVELS];
    uint8_t tail[64];
#ifdef NATIVE_AVX2
    int avx2 = __builtin_cpu_supports("avx2");
#endif
    for (size_t p = 0; p < len; p += 64) {
        const uint8_t *block = buf + p;
        uint64_t valid = ~0ull;
        if (len - p < 64) {
            size_t rem = len - p;
            memcpy(tail, buf + p, rem);
            memset(tail + rem, 0, 64 - rem);
            block = tail;
            valid = (1ull << rem) - 1;
        }
#ifdef NATIVE_AVX2
        cur[0] = (avx2 ? union_mask_avx2(&u, block) : union_mask(&u, block)) & valid;
#else
        cur[0] = union_mask(&u, block) & valid;
#endif
        if (cur[0] == 0) { /* no run ends here; none carries over */
            memset(prev, 0, sizeof prev);
            continue;
        }
        /* cur[k]: bit i set when the 2^k bytes ending at p + i are in the union */
        for (unsigned k = 1, w = 1; k < NATIVE_LEVELS; k++, w *= 2)
            cur[k] = cur[k - 1] & shl(cur[k - 1], prev[k - 1], w);
        /* runs of L: the binary decomposition of L, from the top */
        uint64_t ends = ~0ull;
        unsigned off = 0;
        for (int k = NATIVE_LEVELS - 1; k >= 0; k--)
            if (L & (1u << k)) {
                ends &= shl(cur[k], prev[k], off);
                off += 1u << k;
            }
        memcpy(prev, cur, sizeof prev);
        if (np->kind == NATIVE_WORD) {
            /* only where the word ends: the next byte is no bound byte (the
             * last bit of the block is checked against the next block) */
            ends &= ~(cur[0] >> 1) | (1ull << 63);
            if (check_words(np, buf, len, p, ends, fn, ctx))
                return 1;
            continue;
        }
        while (ends) {
            size_t i = (size_t)__builtin_ctzll(ends), e = p + i + 1;
            ends &= ends - 1;
            if (e < L)
                continue;
            int ok = 1;
            for (unsigned j = 0; j < L && ok; j++)
                ok = in_class(&np->cls[np->at[j]], buf[e - L + j]);
            for (int d = 0; ok && d < np->nids; d++)
                if (fn(ctx, np->id[d], 0, e))
                    return 1;
        }
    }
    return 0;
}

int native_scan(const native_pat *pats, size_t n, const uint8_t *buf, size_t len, matcher_fn fn,
                void *ctx)
{
    for (size_t k = 0; k < n; k++)
        if (scan_one(&pats[k], buf, len, fn, ctx))
            return 1;
    return 0;
}
