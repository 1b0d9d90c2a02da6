/* options.c: the declarative option parser (see cli_opt in cli.h), a thin
 * layer over getopt_long that also writes --help from the same table. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define MAX_OPTS 64

void cli_help(const cli_parser *p, FILE *out)
{
    fprintf(out, "usage: %s\n\n%s\n\nOptions:\n", p->synopsis, p->about);
    for (const cli_opt *o = p->opts; o->name; o++) {
        char left[64];
        if (o->key > 0 && o->key < 256)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->key, o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        fprintf(out, "  %-26s %s\n", left, o->help);
    }
    fprintf(out, "  %-26s %s\n", "-h, --help", "show this help");
    fprintf(out, "\nExit codes: 0 done, 1 error, 2 usage, 3 integrity problem.\n");
}

int cli_optind(void)
{
    return optind;
}

int cli_next(cli_parser *p, const char **val)
{
    struct option lo[MAX_OPTS + 2];
    char shorts[3 * MAX_OPTS + 4];
    size_t n = 0, s = 0;
    /* Options may follow the positional arguments (getopt permutes them). */
    shorts[s++] = ':'; /* report a missing argument as ':' */
    for (const cli_opt *o = p->opts; o->name && n < MAX_OPTS; o++, n++) {
        lo[n] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL, o->key};
        if (o->key > 0 && o->key < 256) {
            shorts[s++] = (char)o->key;
            if (o->arg)
                shorts[s++] = ':';
        }
    }
    lo[n++] = (struct option){"help", no_argument, NULL, 'h'};
    lo[n] = (struct option){NULL, 0, NULL, 0};
    shorts[s++] = 'h';
    shorts[s] = '\0';
    if (p->done)
        return -1;
    opterr = 0;
    int c = getopt_long(p->argc, p->argv, shorts, lo, NULL);
    *val = optarg;
    if (c == 'h') {
        cli_help(p, stdout);
        p->done = 1;
        return 'h';
    }
    if (c == '?' || c == ':') {
        const char *bad = p->argv[optind - 1];
        if (c == ':')
            cli_usage_error(p->cmd, "option '%s' needs a value", bad);
        else
            cli_usage_error(p->cmd, "unknown option '%s'", bad);
        p->done = 1;
        return '?';
    }
    return c;
}
