/* cli.c: messages and option helpers shared by the commands. */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "util/escape.h"
#include "util/strbuf.h"

int cli_report(const char *cmd, const trawl_err *err)
{
    strbuf sb = STRBUF_INIT;
    esc_term(&sb, err->msg, strlen(err->msg));
    fprintf(stderr, "trawl: %s: %s\n", cmd, sb_cstr(&sb));
    sb_free(&sb);
    switch (err->code) {
    case TRAWL_OK:
        return EXIT_DONE;
    case TRAWL_EUSAGE:
        return EXIT_USAGE;
    case TRAWL_EINTEGRITY:
        return EXIT_INTEGRITY;
    default:
        return EXIT_ERROR;
    }
}

void cli_wait_notice(const char *cmd, const char *dir)
{
    if (!case_writer_busy(dir))
        return;
    strbuf sb = STRBUF_INIT;
    esc_term(&sb, dir, strlen(dir));
    fprintf(stderr,
            "trawl: %s: %s: another trawl command is writing this case; waiting for it to "
            "finish\n",
            cmd, sb_cstr(&sb));
    sb_free(&sb);
}

/* fmt formatted (at most 1 KiB) and escaped for the terminal, into sb. */
static void vescaped(strbuf *sb, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    esc_term(sb, msg, strlen(msg));
}

void cli_warn(const char *cmd, const char *fmt, ...)
{
    strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    vescaped(&sb, fmt, ap);
    va_end(ap);
    fprintf(stderr, "trawl: %s: warning: %s\n", cmd, sb_cstr(&sb));
    sb_free(&sb);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    vescaped(&sb, fmt, ap);
    va_end(ap);
    fprintf(stderr, "trawl %s: %s\nsee 'trawl %s --help'\n", cmd, sb_cstr(&sb), cmd);
    sb_free(&sb);
    return EXIT_USAGE;
}

int cli_parse_int(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}
