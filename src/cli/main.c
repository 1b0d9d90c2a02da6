/* main.c: trawl's entry point.  Dispatches from one table of commands, as
 * git.c does, then flushes stdout and fails on a write error, so that a
 * report cut short by a full disk does not exit 0. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case/case_fault.h"
#include "cli/cli.h"
#include "util/fault.h"

static const cli_command commands[] = {
    {"scan", cmd_scan, "add disk images to a case: verify, hash, extract, attribute, link"},
    {"verify", cmd_verify, "re-hash every image of a case and check the audit chain"},
    {"info", cmd_info, "list a case's devices, sizes, hashes and verification state"},
    {"files", cmd_files, "list a device's files (path, size, state, hashes, type)"},
    {"find", cmd_find, "find every occurrence of a value across the case"},
    {"hashset", cmd_hashset, "import known or notable file hash sets (NSRL, hashdeep, md5sum)"},
    {"link", cmd_link, "rebuild the cross-device links, groups and accounts view"},
    {"links", cmd_links, "show the strongest links between devices, explained"},
    {"accounts", cmd_accounts, "show social-media accounts by service and device"},
    {"export", cmd_export, "export the case as GraphML, CASE/UCO JSON-LD or CSV"},
    {"report", cmd_report, "write the examiner's report: one self-contained HTML file"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: trawl COMMAND [OPTIONS] [ARGS]\n"
                 "       trawl --version | --help\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'trawl help COMMAND' (or 'trawl COMMAND --help') tells more of each;\n"
                 "'man trawl' has it all.\n\n"
                 "Exit codes: 0 done (warnings allowed), 1 error (find: nothing found),\n"
                 "            2 usage, 3 finished with an integrity problem (a hash\n"
                 "            mismatch, unreadable ranges, a changed segment, a broken\n"
                 "            audit chain).\n");
}

/* Tests only: arm the fault table from TRAWL_FAULT (util/fault.h) before
 * anything allocates, SQLite included. */
static int arm_faults(void)
{
    trawl_err err = {0};
    int on;
    if (fault_arm(getenv("TRAWL_FAULT"), &on, &err) || (on && case_fault_hooks(&err))) {
        fprintf(stderr, "trawl: %s\n", err.msg);
        return -1;
    }
    if (on)
        fault_start();
    return 0;
}

/* Tests only: append "allocs N writes M" to the file TRAWL_FAULT_COUNT
 * names, the calls the fault table counted (the forked file-system stage's
 * own are not in them). */
static void count_faults(void)
{
    const char *path = getenv("TRAWL_FAULT_COUNT");
    if (!path || !fault_armed())
        return;
    unsigned long n[FAULT_KINDS];
    fault_counts(n);
    FILE *f = fopen(path, "a");
    if (f) {
        fprintf(f, "allocs %lu writes %lu\n", n[FAULT_ALLOC], n[FAULT_WRITE]);
        fclose(f);
    }
}

static const char *login_name(void)
{
    const char *u = getenv("SUDO_USER");
    if (u && *u)
        return u;
    struct passwd *pw = getpwuid(geteuid());
    if (pw && pw->pw_name)
        return pw->pw_name;
    u = getenv("USER");
    return u && *u ? u : "unknown";
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    /* `trawl help COMMAND` is `trawl COMMAND --help`. */
    char *help_argv[3];
    if (!strcmp(argv[1], "help") && argc == 3) {
        help_argv[0] = argv[0], help_argv[1] = argv[2], help_argv[2] = "--help";
        argv = help_argv, argc = 3;
    } else if (!strcmp(argv[1], "help") && argc > 3) {
        fprintf(stderr, "usage: trawl help [COMMAND]\n");
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return fflush(stdout) ? EXIT_ERROR : EXIT_DONE;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("trawl %s\n", TRAWL_VERSION);
        return fflush(stdout) ? EXIT_ERROR : EXIT_DONE;
    }
    if (arm_faults())
        return EXIT_USAGE;
    cli_env env = {
        .argc = argc,
        .argv = argv,
        .login = login_name(),
        .progress = isatty(STDERR_FILENO),
    };
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) != 0)
            continue;
        int rc = commands[i].fn(argc - 1, argv + 1, &env);
        count_faults();
        /* A report cut short must not exit 0. */
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "trawl: %s: writing output failed: %s\n", argv[1], strerror(errno));
            return EXIT_ERROR;
        }
        return rc;
    }
    fprintf(stderr, "trawl: '%s' is not a trawl command; see 'trawl --help'\n", argv[1]);
    return EXIT_USAGE;
}
