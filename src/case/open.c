/* open.c: opening, creating and migrating the case folder (see case.h):
 * the writer lock, read-only modes, schema migration, and on a writer's
 * open the repair of what a killed writer left (reconcile.c, audit.c). */
#include "case/case.h"
#include "case/case_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case/audit.h"
#include "case/schema.h"
#include "util/fpath.h"
#include "util/strbuf.h"

/* Collation "fpath": forensic paths in their natural order, numbers
 * compared as numbers (util/fpath.h: the order the feature files follow). */
static int fpath_collate(void *arg, int la, const void *a, int lb, const void *b)
{
    (void)arg;
    return fpath_cmp(a, (size_t)la, b, (size_t)lb);
}

/* Read the schema version; 0 when the table is missing (a new database). */
static int schema_version(case_db *c, int *version, trawl_err *err)
{
    sqlite3_stmt *st;
    *version = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT version FROM schema_version", -1, &st, NULL) != SQLITE_OK)
        return 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return case_db_fail(c, err, "reading schema_version");
    return 0;
}

/* Migration 1: the schema of the first release; 2: identifiers as a
 * dictionary plus occurrences; 3: the time of each hit; 4: problems.id and
 * the timed-hit index (schema.c).  Later releases add theirs and
 * bump CASE_SCHEMA_VERSION. */
static int migrate(case_db *c, int from, trawl_err *err)
{
    if (case_begin(c, err))
        return err->code;
    int rc = 0;
    if (from < 1) {
        rc = case_exec(c,
                       "CREATE TABLE schema_version(version INTEGER NOT NULL);"
                       "INSERT INTO schema_version VALUES(0);",
                       err);
        if (!rc)
            rc = case_exec(c, case_schema_core, err);
        if (!rc)
            rc = case_exec(c, case_schema_fs, err);
        if (!rc)
            rc = case_exec(c, case_schema_link, err);
        if (!rc)
            rc = case_exec(c,
                           "INSERT INTO meta VALUES('audit_last', "
                           "'0000000000000000000000000000000000000000000000000000000000000000');"
                           "INSERT INTO meta VALUES('audit_lines', '0');",
                           err);
    }
    if (!rc && from < 2)
        rc = case_exec(c, case_schema_hits, err);
    if (!rc && from < 3)
        rc = case_exec(c, case_schema_times, err);
    if (!rc && from < 4)
        rc = case_exec(c, case_schema_v4, err);
    if (!rc) {
        char sql[96];
        snprintf(sql, sizeof sql, "UPDATE schema_version SET version=%d", CASE_SCHEMA_VERSION);
        rc = case_exec(c, sql, err);
    }
    if (!rc)
        rc = case_commit(c, err);
    if (rc)
        case_rollback(c);
    return rc;
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A folder with nothing in it but "." and "..". */
static int dir_is_empty(const char *p)
{
    DIR *d = opendir(p);
    if (!d)
        return 0;
    struct dirent *e;
    int empty = 1;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            empty = 0;
            break;
        }
    closedir(d);
    return empty;
}

/* What a case creation killed before case.db was made leaves: the folder
 * with nothing but an empty audit.log (written first, see case_open). */
static int dir_is_creation_leftover(const char *p)
{
    DIR *d = opendir(p);
    if (!d)
        return 0;
    struct dirent *e;
    int ok = 1;
    while ((e = readdir(d)) != NULL && ok) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char q[4096];
        struct stat st;
        ok = !strcmp(e->d_name, "audit.log") &&
             snprintf(q, sizeof q, "%s/%s", p, e->d_name) < (int)sizeof q && stat(q, &st) == 0 &&
             S_ISREG(st.st_mode) && st.st_size == 0;
    }
    closedir(d);
    return ok;
}

static int file_is_empty(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0;
}

/* The writer lock: an exclusive flock() on the case folder itself (no file
 * of its own; SQLite's fcntl() locks on case.db are separate), held from
 * case_open to case_close by every command that writes the case.  Writers
 * therefore run one after the other, whole: a second `trawl scan` waits for
 * the first to finish, however long that takes, instead of failing after a
 * busy timeout (a device is one transaction that may last hours), and
 * never sees another scan's unfinished feature folder.  Readers take no
 * lock.  The kernel drops it when a process dies. */
static int lock_writer(const char *dir, int *fd, trawl_err *err)
{
    *fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (*fd < 0)
        return trawl_fail(err, TRAWL_ECASE, "%s: cannot open: %s", dir, strerror(errno));
    int rc;
    while ((rc = flock(*fd, LOCK_EX)) != 0 && errno == EINTR)
        ;
    if (rc != 0) {
        rc = trawl_fail(err, TRAWL_ECASE, "%s: cannot lock for writing: %s", dir, strerror(errno));
        close(*fd);
        *fd = -1;
    }
    return rc;
}

int case_writer_busy(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    int busy = flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    close(fd); /* drops the lock if it was taken */
    return busy;
}

int case_can_write(const char *dir)
{
    char p[4096];
    if (access(dir, W_OK) != 0)
        return 0;
    snprintf(p, sizeof p, "%s/case.db", dir);
    if (access(p, W_OK) != 0)
        return 0;
    snprintf(p, sizeof p, "%s/audit.log", dir);
    return access(p, W_OK) == 0;
}

/* Open case.db for reading only, in one of three ways:
 *  - the folder cannot be written: immutable=1, no locks and no side files,
 *    right for write-protected media; it would ignore a write-ahead log, so
 *    a case left with a non-empty case.db-wal (a writer was killed, or the
 *    copy was taken mid-scan) is refused;
 *  - a case.db-wal is there (a writer may be running): mode=ro, reading
 *    what the writer has committed, leaving the side files as they are;
 *  - otherwise: a read-write handle that runs nothing but queries
 *    (PRAGMA query_only).  A mode=ro reader of a WAL database would create
 *    case.db-wal and case.db-shm and could not remove them; this one, when
 *    it closes last, removes what it created, so the folder ends as it was.
 *    (It never checkpoints a log it did not find empty: there was none.) */
static int open_readonly(case_db *c, const char *dbpath, trawl_err *err)
{
    char walpath[4200];
    struct stat st;
    snprintf(walpath, sizeof walpath, "%s-wal", dbpath);
    int immutable = access(c->dir, W_OK) != 0;
    /* A rollback journal too means a writer's leftovers: never replay them. */
    char journal[4200];
    snprintf(journal, sizeof journal, "%s-journal", dbpath);
    int wal = stat(walpath, &st) == 0;
    int leftovers = wal || access(journal, F_OK) == 0;
    if (immutable && wal && st.st_size > 0)
        return trawl_fail(err, TRAWL_ECASE,
                          "%s: case.db has an unfinished write-ahead log and the folder is "
                          "read-only (run a writing command, such as 'trawl verify', on a "
                          "writable copy)",
                          c->dir);
    if (!immutable && !leftovers && access(dbpath, W_OK) == 0) {
        if (sqlite3_open_v2(dbpath, &c->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
            return trawl_fail(err, TRAWL_ECASE, "%s: cannot open: %s", dbpath,
                              c->db ? sqlite3_errmsg(c->db) : "out of memory");
        return case_exec(c, "PRAGMA query_only=1", err);
    }
    strbuf uri = STRBUF_INIT;
    sb_adds(&uri, "file:");
    /* A URI path escapes '%', '?' and '#'. */
    for (const char *p = dbpath; *p; p++)
        if (*p == '%' || *p == '?' || *p == '#')
            sb_addf(&uri, "%%%02X", (unsigned char)*p);
        else
            sb_addc(&uri, *p);
    sb_adds(&uri, immutable ? "?immutable=1" : "?mode=ro");
    if (uri.oom) {
        sb_free(&uri);
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    int rc = sqlite3_open_v2(sb_cstr(&uri), &c->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    sb_free(&uri);
    if (rc != SQLITE_OK)
        return trawl_fail(err, TRAWL_ECASE, "%s: cannot open: %s", dbpath,
                          c->db ? sqlite3_errmsg(c->db) : "out of memory");
    return 0;
}

int case_open(const char *dir, int mode, case_db **out, trawl_err *err)
{
    int create = mode == CASE_CREATE, readonly = mode == CASE_READ;
    char dbpath[4096], logpath[4096];
    if (snprintf(dbpath, sizeof dbpath, "%s/case.db", dir) >= (int)sizeof dbpath ||
        snprintf(logpath, sizeof logpath, "%s/audit.log", dir) >= (int)sizeof logpath)
        return trawl_fail(err, TRAWL_EUSAGE, "%s: case path too long", dir);

    int fresh = 0, lockfd = -1;
    if (!is_dir(dir)) {
        if (!create)
            return trawl_fail(err, TRAWL_ECASE, "%s: no such case folder", dir);
        /* (Another trawl may be creating it this instant: the lock below
         * then waits for it to finish.) */
        if (mkdir(dir, 0777) != 0 && (errno != EEXIST || !is_dir(dir)))
            return trawl_fail(err, TRAWL_ECASE, "%s: cannot create case folder: %s", dir,
                              strerror(errno));
    }
    /* A writer waits here for any other writer to finish (see lock_writer);
     * whether the case exists is looked at only once it holds the lock. */
    if (!readonly && access(dir, W_OK) == 0 && lock_writer(dir, &lockfd, err))
        return err->code;
    int rc = 0;
    if (access(dbpath, F_OK) != 0) {
        if (!create)
            rc = trawl_fail(err, TRAWL_ECASE, "%s: not a trawl case (no case.db)", dir);
        else if (!dir_is_empty(dir) && !dir_is_creation_leftover(dir))
            rc = trawl_fail(err, TRAWL_ECASE,
                            "%s: not a trawl case (folder exists, is not empty and has no "
                            "case.db)",
                            dir);
        fresh = 1;
    } else if (access(logpath, F_OK) != 0) {
        rc = trawl_fail(err, TRAWL_EINTEGRITY, "%s: audit.log is missing", dir);
    }
    /* SQLite would open a write-protected case.db read-only without a word,
     * and the command would fail half-way: say so first. */
    if (!rc && !readonly && !fresh && !case_can_write(dir))
        rc = trawl_fail(err, TRAWL_ECASE,
                        "%s: the case is read-only here (this command writes to it; info, find, "
                        "files, links, accounts and export only read)",
                        dir);
    if (rc) {
        if (lockfd >= 0)
            close(lockfd);
        return rc;
    }

    /* A new case's audit.log is made before its case.db, so that a kill
     * in between never leaves a case.db without its log (refused as
     * tampering); the empty log alone is taken up by the next create. */
    if (fresh) {
        FILE *f = fopen(logpath, "a");
        if (!f) {
            if (lockfd >= 0)
                close(lockfd);
            return trawl_fail(err, TRAWL_ECASE, "%s: cannot create: %s", logpath, strerror(errno));
        }
        fclose(f);
    }
    case_db *c = calloc(1, sizeof *c);
    if (!c || !(c->dir = strdup(dir))) {
        free(c);
        if (lockfd >= 0)
            close(lockfd);
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    c->lockfd = lockfd;
    c->readonly = readonly;
    if (readonly) {
        if (open_readonly(c, dbpath, err)) {
            case_close(c);
            return err->code;
        }
    } else {
        /* One thread at a time uses a connection (threads that read open
         * their own, case_open_reader): SQLite's per-call mutexes are pure
         * cost, about a tenth of storing a device's hits. */
        int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (fresh ? SQLITE_OPEN_CREATE : 0);
        if (sqlite3_open_v2(dbpath, &c->db, flags, NULL) != SQLITE_OK) {
            trawl_fail(err, TRAWL_ECASE, "%s: cannot open: %s", dbpath,
                       c->db ? sqlite3_errmsg(c->db) : "out of memory");
            case_close(c);
            return TRAWL_ECASE;
        }
    }
    /* Under WAL a reader waits only while a writer checkpoints or the log
     * is recovered: a moment.  trawl's writers do not meet here (they hold
     * the writer lock); the timeout is for other programs, e.g. sqlite3. */
    sqlite3_busy_timeout(c->db, 10000);
    sqlite3_create_collation(c->db, "fpath", SQLITE_UTF8, NULL, fpath_collate);
    /* Look before writing anything: a foreign database must stay byte for
     * byte as it was (even WAL mode changes its header). */
    int version = 0;
    rc = case_exec(c, "SELECT count(*) FROM sqlite_master", err);
    if (rc) {
        trawl_fail(err, TRAWL_ECASE, "%s: not a trawl case (case.db is not a SQLite database)",
                   dir);
        case_close(c);
        return TRAWL_ECASE;
    }
    rc = schema_version(c, &version, err);
    if (!rc && version > CASE_SCHEMA_VERSION)
        rc = trawl_fail(err, TRAWL_ECASE,
                        "%s: case.db has schema version %d; this trawl reads up to %d (upgrade "
                        "trawl)",
                        dir, version, CASE_SCHEMA_VERSION);
    if (!rc && version == 0 && !fresh) {
        /* A creation killed before its schema committed leaves an empty
         * database next to an empty log: finish creating it. */
        sqlite3_stmt *st = NULL;
        int empty = create && file_is_empty(logpath) &&
                    sqlite3_prepare_v2(c->db, "SELECT count(*) FROM sqlite_master", -1, &st,
                                       NULL) == SQLITE_OK &&
                    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) == 0;
        sqlite3_finalize(st);
        if (empty)
            fresh = 1;
        else
            rc = trawl_fail(err, TRAWL_ECASE,
                            "%s: not a trawl case (case.db has no schema_version)", dir);
    }
    /* A reader takes the case as it is: it never migrates, never recovers
     * the audit log, never changes the journal mode. */
    if (!rc && readonly && version < CASE_SCHEMA_VERSION)
        rc = trawl_fail(err, TRAWL_ECASE,
                        "%s: case.db has schema version %d and needs migrating (run a writing "
                        "command, such as 'trawl verify', first)",
                        dir, version);
    if (!rc && !readonly)
        rc = case_exec(c,
                       "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                       "PRAGMA foreign_keys=ON;",
                       err);
    if (!rc && !readonly && version < CASE_SCHEMA_VERSION)
        rc = migrate(c, version, err);
    /* Feature folders a killed scan, or a commit reported as failed, left
     * as devices/.NAME.partial: case.db says whether they belong in place
     * (first: on a full disk, dropping a stale one makes room for the
     * recover line). */
    if (!rc && !readonly && !fresh)
        case_reconcile_devices(c);
    if (!rc && !readonly && !fresh)
        rc = case_audit_recover(c, err);
    if (rc) {
        case_close(c);
        return rc;
    }
    *out = c;
    return 0;
}

int case_open_reader(case_db *c, int map, case_db **out, trawl_err *err)
{
    char dbpath[4096];
    if (snprintf(dbpath, sizeof dbpath, "%s/case.db", c->dir) >= (int)sizeof dbpath)
        return trawl_fail(err, TRAWL_EUSAGE, "%s: case path too long", c->dir);
    case_db *r = calloc(1, sizeof *r);
    if (!r || !(r->dir = strdup(c->dir))) {
        free(r);
        return trawl_fail(err, TRAWL_ENOMEM, "out of memory");
    }
    r->lockfd = -1;
    r->readonly = 1;
    if (sqlite3_open_v2(dbpath, &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        trawl_fail(err, TRAWL_ECASE, "%s/case.db: cannot open: %s", c->dir,
                   r->db ? sqlite3_errmsg(r->db) : "out of memory");
        case_close(r);
        return TRAWL_ECASE;
    }
    sqlite3_busy_timeout(r->db, 10000);
    sqlite3_create_collation(r->db, "fpath", SQLITE_UTF8, NULL, fpath_collate);
    sqlite3_exec(r->db, map ? "PRAGMA mmap_size=1099511627776" : "PRAGMA mmap_size=0", NULL, NULL,
                 NULL);
    *out = r;
    return 0;
}
