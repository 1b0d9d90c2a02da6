/* cli.h: the command-line front end.  main.c dispatches from one table of
 * commands (as git.c does); each command lives in cmd_NAME.c, parses its own
 * options with getopt_long, prints --help from the same option table it
 * parses, and returns an exit code.  Only the CLI prints (progress aside). */
#ifndef TRAWL_CLI_CLI_H
#define TRAWL_CLI_CLI_H

#include <stdio.h>

#include "util/err.h"

/* Exit codes, documented in the README and in `trawl --help`. */
#define EXIT_DONE 0      /* done (warnings allowed) */
#define EXIT_ERROR 1     /* error; or for find, nothing found */
#define EXIT_USAGE 2     /* bad command line */
#define EXIT_INTEGRITY 3 /* finished, but a hash did not match or ranges were unreadable */

/* What every command gets besides its arguments. */
typedef struct cli_env {
    int argc; /* the whole command line, for the audit log */
    char **argv;
    const char *login; /* the login name, the default examiner */
    int progress;      /* stderr is a terminal: show progress */
} cli_env;

typedef int (*cli_fn)(int argc, char **argv, const cli_env *env);

/* One entry of the command table. */
typedef struct cli_command {
    const char *name;
    cli_fn fn;
    const char *summary;
} cli_command;

/* Print "trawl: CMD: message" for err on stderr, escaped for the terminal;
 * return the exit code that goes with err->code. */
int cli_report(const char *cmd, const trawl_err *err);

/* Before opening case folder dir for writing: when another trawl command
 * is writing it, say on stderr that this one waits for it to finish. */
void cli_wait_notice(const char *cmd, const char *dir);

/* Print a warning line "trawl: CMD: warning: ..." on stderr. */
void cli_warn(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Usage error: print "trawl CMD: message" and "see 'trawl CMD --help'";
 * returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parse a positive integer option value in [min, max]; 0 on success. */
int cli_parse_int(const char *s, long min, long max, long *out);

/* Declarative options (as git's parse-options): one table drives both the
 * parser and the --help text, so they cannot drift apart.  key is the short
 * option letter, or a value >= 256 for long-only options; a NULL name ends
 * the table.  --help (-h) is added by the parser. */
typedef struct cli_opt {
    const char *name; /* long name without "--" */
    int key;
    const char *arg; /* argument name for help ("N", "FILE"), NULL for a flag */
    const char *help;
} cli_opt;

typedef struct cli_parser {
    const char *cmd;      /* "scan" */
    const char *synopsis; /* "trawl scan -o CASE [OPTIONS] IMAGE..." */
    const char *about;    /* a paragraph for --help */
    const cli_opt *opts;
    int argc;
    char **argv;
    int done; /* set after --help was printed */
} cli_parser;

/* Next option: returns its key with *val set to its argument (or NULL), -1
 * when the options end (positional arguments start at cli_optind()), 'h'
 * after printing --help to stdout, or '?' after printing a usage error. */
int cli_next(cli_parser *p, const char **val);

/* Index of the first positional argument after cli_next returned -1. */
int cli_optind(void);

/* Print the --help text of p to out. */
void cli_help(const cli_parser *p, FILE *out);

/* The commands (cmd_*.c). */
int cmd_scan(int argc, char **argv, const cli_env *env);
int cmd_verify(int argc, char **argv, const cli_env *env);
int cmd_info(int argc, char **argv, const cli_env *env);
int cmd_files(int argc, char **argv, const cli_env *env);
int cmd_find(int argc, char **argv, const cli_env *env);
int cmd_hashset(int argc, char **argv, const cli_env *env);
int cmd_link(int argc, char **argv, const cli_env *env);
int cmd_links(int argc, char **argv, const cli_env *env);
int cmd_accounts(int argc, char **argv, const cli_env *env);
int cmd_export(int argc, char **argv, const cli_env *env);
int cmd_report(int argc, char **argv, const cli_env *env);

#endif
