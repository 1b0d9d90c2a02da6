/* cli_output.c: see cli_output.h. */
#include "cli/cli_output.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "util/fhash.h"
#include "util/strbuf.h"

int cli_write_output(const char *path, cli_write_fn write, void *ctx, char sha[65], trawl_err *err)
{
    if (!strcmp(path, "-"))
        return write(ctx, stdout, err);
    strbuf tmp = STRBUF_INIT;
    sb_addf(&tmp, "%s.tmp", path);
    FILE *f = tmp.oom ? NULL : fopen(tmp.buf, "wb");
    int rc;
    if (!f) {
        rc = trawl_fail(err, TRAWL_EIO, "%s: %s", tmp.oom ? path : tmp.buf, strerror(errno));
    } else {
        rc = write(ctx, f, err);
        if (fclose(f) != 0 && !rc)
            rc = trawl_fail(err, TRAWL_EIO, "%s: %s", tmp.buf, strerror(errno));
        if (!rc)
            rc = fhash_file(tmp.buf, sha, err);
        if (!rc && rename(tmp.buf, path) != 0)
            rc = trawl_fail(err, TRAWL_EIO, "%s: %s", path, strerror(errno));
        if (rc)
            unlink(tmp.buf);
    }
    sb_free(&tmp);
    return rc;
}
