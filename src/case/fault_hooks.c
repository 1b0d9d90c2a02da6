/* fault_hooks.c: see case_fault.h.  SQLite's own fault-injection seams are
 * used as they are meant to be: sqlite3_config(SQLITE_CONFIG_MALLOC) for
 * memory, and the unix VFS's xSetSystemCall (its aSyscall[] table) for
 * writes.  The functions given are trawl's malloc, write... as this binary
 * is linked: the linker's --wrap makes them the fault table's wrappers
 * (util/fault.c), so no state is kept here.  SQLite calls fsync and
 * fdatasync directly, outside its table: those are not counted. */
#include "case/case_fault.h"

#include <malloc.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static void *mem_malloc(int n)
{
    return malloc((size_t)n);
}

static void mem_free(void *p)
{
    free(p);
}

static void *mem_realloc(void *p, int n)
{
    return realloc(p, (size_t)n);
}

static int mem_size(void *p)
{
    return (int)malloc_usable_size(p);
}

static int mem_roundup(int n)
{
    return (n + 7) & ~7;
}

static int mem_init(void *ctx)
{
    (void)ctx;
    return SQLITE_OK;
}

static void mem_shutdown(void *ctx)
{
    (void)ctx;
}

int case_fault_hooks(trawl_err *err)
{
    static const sqlite3_mem_methods mem = {mem_malloc,  mem_free, mem_realloc,  mem_size,
                                            mem_roundup, mem_init, mem_shutdown, NULL};
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mem) != SQLITE_OK)
        return trawl_fail(err, TRAWL_EUSAGE, "fault table: SQLite is already initialised");
    sqlite3_vfs *vfs = sqlite3_vfs_find("unix");
    if (!vfs || vfs->iVersion < 3 || !vfs->xSetSystemCall)
        return trawl_fail(err, TRAWL_EUSAGE, "fault table: no unix VFS system-call table");
    static const struct {
        const char *name;
        sqlite3_syscall_ptr fn;
    } calls[] = {
        {"write", (sqlite3_syscall_ptr)write},
        {"pwrite", (sqlite3_syscall_ptr)pwrite},
        {"pwrite64", (sqlite3_syscall_ptr)pwrite64},
        {"ftruncate", (sqlite3_syscall_ptr)ftruncate},
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
        /* A name this SQLite was built without (pwrite64) is no error. */
        (void)vfs->xSetSystemCall(vfs, calls[i].name, calls[i].fn);
    return 0;
}
