/* gen.c: synthetic case for bench/link.  Creates CASE with NDEV devices of
 * PER distinct identifiers each, inserted straight into case.db:
 *   ~88% unique to the device (mail, urls, domains, addresses, phones ...)
 *   ~10% drawn from a shared pool of 4 million features with Zipf-like
 *        popularity (most on 2-10 devices, a few on dozens)
 *   300 noise features (well-known domains, mail, urls) on ~95% of devices
 *   1000 features shared by each planted group of 10 devices
 * usage: gen CASE NDEV PER [SEED [FIRST]]
 * FIRST > 1 appends devices FIRST..FIRST+NDEV-1 to an existing case (for
 * timing an incremental `trawl link`).
 * It writes schema version 3 as trawl's store does: the dictionary of
 * distinct values (ident_values) and one row per hit (occurrences, path NULL
 * as the path is pos in decimal).  A fresh case is filled without the
 * secondary indexes, each value's id chosen here (the first time it is
 * drawn), and the indexes are built once at the end; appended devices go
 * through the `identifiers` view, whose trigger looks each value up. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "case/case_int.h"

static uint64_t rng_state;
static uint64_t rnd(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static const char *types[] = {"email", "url", "domain", "ipv4", "phone",  "account",
                              "btc",   "eth", "iban",   "ccn",  "keyword"};
static const int cum[] = {37, 62, 77, 82, 92, 93, 95, 97, 98, 99, 100};

static const char *pick_type(uint64_t r)
{
    int x = (int)(r % 100);
    for (int i = 0;; i++)
        if (x < cum[i])
            return types[i];
}

static void value_of(char *buf, size_t n, const char *type, const char *tag, uint64_t k)
{
    if (!strcmp(type, "email"))
        snprintf(buf, n, "%s%llx@mail%llu.example", tag, (unsigned long long)k,
                 (unsigned long long)(k % 97));
    else if (!strcmp(type, "url"))
        snprintf(buf, n, "https://site%llu.example/%s%llx", (unsigned long long)(k % 1000), tag,
                 (unsigned long long)k);
    else if (!strcmp(type, "domain"))
        snprintf(buf, n, "%s%llx.example", tag, (unsigned long long)k);
    else if (!strcmp(type, "ipv4"))
        snprintf(buf, n, "10.%s.%llu.%llu", tag, (unsigned long long)((k >> 8) & 0xffffff),
                 (unsigned long long)(k & 255));
    else if (!strcmp(type, "phone"))
        snprintf(buf, n, "+4479%s%011llu", tag, (unsigned long long)k);
    else if (!strcmp(type, "account"))
        snprintf(buf, n, "%s:%s%llx", (k & 1) ? "facebook" : "x", tag, (unsigned long long)k);
    else
        snprintf(buf, n, "%s-%s%016llx", type, tag, (unsigned long long)k);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: gen CASE NDEV PER [SEED [FIRST]]\n");
        return 2;
    }
    int ndev = atoi(argv[2]);
    long per = atol(argv[3]);
    rng_state = argc > 4 ? strtoull(argv[4], NULL, 10) : 1;
    int first = argc > 5 ? atoi(argv[5]) : 1;
    if (first < 1)
        first = 1;
    const int fresh = first == 1;
    case_db *c;
    trawl_err err = {0};
    if (case_open(argv[1], CASE_CREATE, &c, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    sqlite3 *db = case_sqlite(c);
    sqlite3_exec(db, "PRAGMA cache_size=-1000000; PRAGMA foreign_keys=OFF; PRAGMA threads=2", NULL,
                 NULL, NULL);
    if (fresh && sqlite3_exec(db,
                              "DROP INDEX ident_values_value; DROP INDEX occurrences_value;"
                              "DROP INDEX occurrences_device;",
                              NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "drop index: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    sqlite3_stmt *val = NULL, *occ = NULL, *ins = NULL, *dev;
    if (fresh) {
        sqlite3_prepare_v2(db, "INSERT INTO ident_values(id, type, value) VALUES(?,?,?)", -1, &val,
                           NULL);
        sqlite3_prepare_v2(db, "INSERT INTO occurrences(device_id, value_id, pos) VALUES(?,?,?)",
                           -1, &occ, NULL);
    } else {
        sqlite3_prepare_v2(
            db, "INSERT INTO identifiers(device_id, type, value, pos, path) VALUES(?,?,?,?,?)", -1,
            &ins, NULL);
    }
    sqlite3_prepare_v2(db,
                       "INSERT INTO devices(id, name, size, state, scan_finished) "
                       "VALUES(?, ?, 0, 'ok', '2026-01-01T00:00:00Z')",
                       -1, &dev, NULL);
    enum { POOL = 4000000, NOISE = 300, GROUP = 1000 };
    /* Value ids of a fresh case, 0 until first drawn. */
    const int ngroups = (first + ndev - 1 + 9) / 10;
    int64_t *noise_id = calloc(NOISE, sizeof *noise_id);
    int64_t *group_id = calloc((size_t)ngroups * GROUP, sizeof *group_id);
    int64_t *pool_id = calloc(POOL, sizeof *pool_id);
    if (!noise_id || !group_id || !pool_id) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    int64_t next_id = 1;
    char value[160], tag[32], path[32];
    for (int d = first; d < first + ndev; d++) {
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        snprintf(value, sizeof value, "dev%03d", d);
        sqlite3_reset(dev);
        sqlite3_bind_int(dev, 1, d);
        sqlite3_bind_text(dev, 2, value, -1, SQLITE_TRANSIENT);
        sqlite3_step(dev);
        long n = 0;
        uint64_t pos = 0;
        /* One hit of value (type TYPE); SLOT: its id in a fresh case (0: new). */
#define EMIT(TYPE, SLOT)                                                                           \
    do {                                                                                           \
        pos += 1 + rnd() % 4096;                                                                   \
        if (fresh) {                                                                               \
            if (!(SLOT)) {                                                                         \
                (SLOT) = next_id++;                                                                \
                sqlite3_reset(val);                                                                \
                sqlite3_bind_int64(val, 1, (SLOT));                                                \
                sqlite3_bind_text(val, 2, TYPE, -1, SQLITE_STATIC);                                \
                sqlite3_bind_text(val, 3, value, -1, SQLITE_STATIC);                               \
                if (sqlite3_step(val) != SQLITE_DONE) {                                            \
                    fprintf(stderr, "insert value: %s\n", sqlite3_errmsg(db));                     \
                    return 1;                                                                      \
                }                                                                                  \
            }                                                                                      \
            sqlite3_reset(occ);                                                                    \
            sqlite3_bind_int(occ, 1, d);                                                           \
            sqlite3_bind_int64(occ, 2, (SLOT));                                                    \
            sqlite3_bind_int64(occ, 3, (sqlite3_int64)pos);                                        \
            if (sqlite3_step(occ) != SQLITE_DONE) {                                                \
                fprintf(stderr, "insert occurrence: %s\n", sqlite3_errmsg(db));                    \
                return 1;                                                                          \
            }                                                                                      \
        } else {                                                                                   \
            snprintf(path, sizeof path, "%llu", (unsigned long long)pos);                          \
            sqlite3_reset(ins);                                                                    \
            sqlite3_bind_int(ins, 1, d);                                                           \
            sqlite3_bind_text(ins, 2, TYPE, -1, SQLITE_STATIC);                                    \
            sqlite3_bind_text(ins, 3, value, -1, SQLITE_STATIC);                                   \
            sqlite3_bind_int64(ins, 4, (sqlite3_int64)pos);                                        \
            sqlite3_bind_text(ins, 5, path, -1, SQLITE_STATIC);                                    \
            if (sqlite3_step(ins) != SQLITE_DONE) {                                                \
                fprintf(stderr, "insert: %s\n", sqlite3_errmsg(db));                               \
                return 1;                                                                          \
            }                                                                                      \
        }                                                                                          \
        n++;                                                                                       \
    } while (0)
        /* noise on ~95% of devices */
        for (long k = 0; k < NOISE; k++) {
            if (rnd() % 100 >= 95)
                continue;
            const char *t = types[k % 3];
            value_of(value, sizeof value, t, "common", (uint64_t)k);
            EMIT(t, noise_id[k]);
        }
        /* planted group of 10 consecutive devices */
        int g = (d - 1) / 10;
        for (long k = 0; k < GROUP; k++) {
            uint64_t key = (uint64_t)g * 1000003 + (uint64_t)k;
            const char *t = types[5 + k % 5]; /* account, btc, eth, iban, ccn */
            snprintf(tag, sizeof tag, "g%d", g);
            value_of(value, sizeof value, t, tag, key);
            EMIT(t, group_id[(size_t)g * GROUP + (size_t)k]);
        }
        /* shared pool, Zipf-like: index = pool * u^3 favours low indexes */
        long shared = per / 10;
        for (long k = 0; k < shared; k++) {
            double u = (double)(rnd() >> 11) / 9007199254740992.0;
            uint64_t key = (uint64_t)(POOL * u * u * u);
            const char *t = pick_type(key * 2654435761u);
            value_of(value, sizeof value, t, "p", key);
            EMIT(t, pool_id[key]);
        }
        /* the rest unique to the device */
        snprintf(tag, sizeof tag, "d%d-", d);
        for (long k = 0; n < per; k++) {
            const char *t = pick_type(rnd());
            value_of(value, sizeof value, t, tag, (uint64_t)k);
            int64_t id = 0;
            EMIT(t, id);
        }
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        fprintf(stderr, "\rgen: device %d/%d", d, first + ndev - 1);
    }
    fprintf(stderr, "\ngen: indexing\n");
    sqlite3_finalize(val);
    sqlite3_finalize(occ);
    sqlite3_finalize(ins);
    sqlite3_finalize(dev);
    free(noise_id), free(group_id), free(pool_id);
    /* The indexes of schema.c's case_schema_hits, as a fresh case has them. */
    if (fresh && sqlite3_exec(db,
                              "CREATE UNIQUE INDEX ident_values_value ON ident_values(value, type);"
                              "CREATE INDEX occurrences_device ON occurrences(device_id);"
                              "CREATE INDEX occurrences_value ON occurrences(value_id);",
                              NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "index: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    case_close(c);
    return 0;
}
