/* limits.h: every bound trawl enforces, in one place so that a reviewer
 * sees them all at once.  Evidence is hostile: each decoder and parser checks
 * its input against these before it trusts a length, a count or a depth.
 * Options that change a limit say so in --help; the rest are fixed. */
#ifndef TRAWL_UTIL_LIMITS_H
#define TRAWL_UTIL_LIMITS_H

/* --- Evidence ------------------------------------------------------------ */
#define EV_MAX_SEGMENTS 100000 /* split-raw or EWF segment files per image */
#define EV_MAX_PATH 4096       /* a path we build from a segment name */
#define EV_IO_CHUNK (4u << 20) /* one read from the image while hashing */

/* --- Image readers in a child process (ev_child.c) ----------------------- */
#define EV_CHILD_SLOTS 4           /* EV_IO_CHUNK slots shared with a reader child */
#define EV_CHILD_TIMEOUT 300       /* --read-timeout default: seconds of the open or one read */
#define EV_CHILD_MAX_TIMEOUT 86400 /* --read-timeout upper bound */
#define EV_CHILD_MEMORY_MIB 4096   /* --read-memory default: MiB a reader child may map */
#define EV_CHILD_MIN_MEMORY_MIB 64 /* --read-memory lower bound */
#define EV_CHILD_MAX_MEMORY_MIB 1048576 /* --read-memory upper bound (1 TiB) */
#define EV_CHILD_MAX_FAILURES 8         /* reader failures per image before the rest is given up */

/* --- Page scanner -------------------------------------------------------- */
#define SCAN_PAGE_SIZE (16u << 20) /* bytes a worker owns per page */
#define SCAN_MARGIN (64u << 10)    /* bytes read past (and before) each page */
#define SCAN_MAX_FEATURE 1024      /* longest identifier, in bytes */
#define SCAN_LOOKAROUND 2048       /* how far an extractor may look from its anchor */
#define SCAN_CONTEXT 16            /* bytes of context each side, as bulk_extractor */
#define SCAN_MAX_THREADS 64        /* -j upper bound */

/* --- Recursion into containers ------------------------------------------ */
#define SCAN_DEFAULT_DEPTH 5          /* --max-depth default */
#define SCAN_MAX_DEPTH 16             /* --max-depth upper bound */
#define SCAN_MAX_EXPANDED (64u << 20) /* bytes one decoded stream may yield */
#define SCAN_MAX_RATIO 1000           /* expanded/compressed before we call it a bomb */
#define SCAN_MIN_BASE64 64            /* shortest base64 run worth decoding */

/* --- File systems -------------------------------------------------------- */
#define FS_MAX_FILES 50000000        /* files listed per device */
#define FS_MAX_RUNS_PER_FILE 1000000 /* byte runs recorded per file */
#define FS_MAX_PATH_DEPTH 256        /* directory nesting we follow */
#define FS_YARA_BLOCK (16u << 20)    /* bytes per block handed to libyara */
#define FS_YARA_TIMEOUT 60           /* seconds per file */
#define FS_YARA_MAX_FILES 10000      /* rule files in one folder */
#define FS_READ_CHUNK (1u << 20)     /* bytes read from a file at a time */
#define FS_MAGIC_BYTES (64u << 10)   /* bytes libmagic looks at */
#define FS_TEXT_PROBE 4096           /* bytes looked at to call content text */
#define FS_TZ_MAX_FILE (256u << 10)  /* bytes of a TZif zone file we read */
#define FS_TZ_MAX_NAME 255           /* length of a --tz zone name */
/* The walk (libtsk, libmagic, libyara) runs in a child process (src/ingest/ingest_child.c). */
#define FS_CHILD_TIMEOUT_BASE 600         /* --fs-timeout default: this many seconds ... */
#define FS_CHILD_TIMEOUT_PER_GIB 30       /* ... plus this many per GiB of the device */
#define FS_CHILD_MAX_TIMEOUT 2592000      /* --fs-timeout upper bound (30 days) */
#define FS_CHILD_MEMORY_MIB 4096          /* --fs-memory default: MiB the child may map */
#define FS_CHILD_MIN_MEMORY_MIB 64        /* --fs-memory lower bound */
#define FS_CHILD_MAX_MEMORY_MIB 1048576   /* --fs-memory upper bound (1 TiB) */
#define FS_CHILD_MAX_MSG (64u << 20)      /* bytes of one message from the child */
#define FS_CHILD_MAX_STREAM (64ull << 30) /* bytes the child may send in all */
#define FS_CHILD_MAP_CHUNK 100000         /* map segments per message */

/* --- Hash sets (CASE/hashsets/NAME.bin) ---------------------------------- */
#define CASE_HS_MAX_LINE (1u << 20) /* longest line of a text hash list */
#define CASE_HS_CHUNK (1u << 24)    /* hashes of one type sorted in memory at a time */
#define CASE_HS_MAX_RUNS 4096       /* sorted runs per type (CASE_HS_CHUNK each: 68 billion) */
#define CASE_HS_MERGE_BUF 4096      /* entries buffered per run while merging */

/* --- Link stage ------------------------------------------------------------ */
#define LINK_BULK_BUDGET ((size_t)8 << 20) /* entries a scan thread buffers (256 MiB) */
#define LINK_BIND_TOP 10                   /* binding identifiers kept per group */
#define LINK_MAX_TABLE_FEATURES 100000     /* link_features rows kept per kind, strongest first */
#define CLI_FIND_MAX_CANDIDATES 256        /* normalized forms of one trawl find VALUE */
#define CLI_PROBLEMS_SHOWN 20              /* problems per device that scan and info print */

/* --- Keywords and stop lists --------------------------------------------- */
#define SCAN_MAX_KEYWORDS 100000
#define SCAN_MAX_STOPLIST 10000000

/* --- Scan engine internals --------------------------------------------- */
#define SCAN_UTF16_MIN 6             /* shortest UTF-16 run (chars) worth narrowing */
#define SCAN_MAX_INFLIGHT 16         /* pages held by a run at once (memory bound) */
#define SCAN_XZ_MEMLIMIT (96u << 20) /* liblzma memory limit per xz stream */
#define SCAN_MAX_TEXT_RUN (1u << 20) /* longest QP or percent-encoded run decoded */
#define SCAN_READ_CHUNK (1u << 20)   /* bytes read past a page per ev_read */
#define SCAN_BIG_DECODE (8u << 20)   /* decoded bytes a worker holds without a gate slot */
#define SCAN_BIG_DECODERS 4          /* workers of a run that may hold more at once */
#define SCAN_MAX_PAGE_EXPANDED                                                                     \
    (4ull << 30) /* decoded bytes per page before its containers stay shut */

/* --- Report (trawl report, find --list) ----------------------------------- */
#define REPORT_DEFAULT_TOP 10           /* --top default: index values per device and type */
#define REPORT_MAX_TOP 1000             /* --top upper bound */
#define REPORT_MAX_INDEX_SHARED 10000   /* identifiers on 2+ devices in the index */
#define REPORT_LINKS_SHOWN 40           /* strongest links explained */
#define REPORT_MAX_GRAPH_EDGES 2000     /* links drawn in the graph, strongest first */
#define REPORT_EXPLAIN_EDGES 1000       /* links whose contributors the graph can show */
#define REPORT_ACCOUNTS_PER_SERVICE 200 /* rows of one service's account matrix */
#define REPORT_FILES_PER_KIND 50        /* files of interest per device and kind */
#define REPORT_LAYOUT_WORK 200000000.0  /* pair visits the graph layout may spend */
#define REPORT_WATCH_MAX 100000         /* values in a watch list */

/* --- SQLite records (scan/sqlite_rec.c) ------------------------------------ */
#define SCAN_SQLITE_MIN_PAGE 512           /* smallest page size (and the alignment probed) */
#define SCAN_SQLITE_MAX_PAGE 65536         /* largest page size */
#define SCAN_SQLITE_MAX_COLS 128           /* columns decoded per record */
#define SCAN_SQLITE_MAX_PAYLOAD (4u << 20) /* payload bytes assembled per record */
#define SCAN_SQLITE_MAX_TREE 100000        /* pages visited per table walk from its root */
#define SCAN_SQLITE_MAX_WALKED 1000000     /* pages visited by all walks in one scanned buffer */
#define SCAN_SQLITE_MAX_FRAMES 1000000     /* WAL frames or journal records per file */
#define SCAN_SQLITE_MAX_TABLES 8192        /* schema tables kept per scanned buffer */
#define SCAN_SQLITE_MAX_SCHEMA_COLS 65536  /* their column names, all tables (64 bytes each) */
#define SCAN_SQLITE_MAX_NAME 64            /* bytes of a table or column name kept */
#define SCAN_SQLITE_MAX_RULES 4096         /* column rules (built-in plus --columns FILE) */
#define SCAN_SQLITE_RECOVER_SLACK 10       /* bytes into a freeblock a deleted header is sought */
#define SCAN_SQLITE_MIN_FIELD 4 /* shorter fields hold no identifier (t.co): not scanned */

#endif
