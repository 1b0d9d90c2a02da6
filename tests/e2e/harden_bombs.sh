#!/usr/bin/env bash
# harden_bombs.sh: decompression bombs (issue 11) stay cheap and say where a
# limit stopped them.  Each bomb of tests/fixtures/hostile.fixture (a gzip of
# ~4 GiB of zeros inside a gzip; a 42.zip-style nest of 4 x 16 ZIPs around a
# ~4 GiB file; base64 inside base64 inside a gzip) is scanned alone: the scan
# exits 0 with a peak RSS under 1 GiB (/usr/bin/time -v; the time, under
# 2 minutes, is measured by bench/bombs, not here); the address
# at the start of the innermost stream is found, flagged at-limit
# (identifiers.flags & 2, SCAN_HIT_AT_LIMIT); the one past the limit is not
# (the stream was cut, not decoded to its end); and the raw bytes after the
# bomb are still scanned.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sqlite3
if [ ! -x /usr/bin/time ]; then
    [ -n "${CI:-}" ] && fail "/usr/bin/time (GNU time) is not installed (CI must have it)"
    skip "/usr/bin/time (GNU time) is not installed"
fi
H=$TRAWL_FIXTURES/hostile
[ -f "$H/.done" ] || fail "hostile fixture not built ($H)"
tmpdir
W=$REPLY

bomb() { # NAME INNER-ADDRESS PATH-PATTERN
    local name=$1 inner=$2 pattern=$3 case=$W/case-$1
    note "bomb $name"
    expect_exit 0 /usr/bin/time -v -o "$W/$name.time" "$TRAWL" scan -o "$case" --no-link -j 2 \
        "$H/bombs/$name.raw"
    local rss
    rss=$(sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$W/$name.time")
    echo "    $name: peak RSS $((rss / 1024)) MiB"
    [ "$rss" -lt $((1024 * 1024)) ] || fail "$name: peak RSS $rss KiB is over 1 GiB"
    ok
    expect_exit 0 "$TRAWL" find "$case" carol.after@trawl-test.org
    contains "$OUT" "carol.after@trawl-test.org" "$name: the raw bytes after the bomb are scanned"
    expect_exit 0 "$TRAWL" find "$case" "$inner"
    contains "$OUT" "$pattern" "$name: the innermost stream's address, with its forensic path"
    eq "$(sqlq "$case" "SELECT count(*) > 0, count(*) = sum(flags & 2 = 2) FROM identifiers
        WHERE value = '$inner'")" "1|1" "$name: every hit inside the cut stream is flagged at-limit"
    eq "$(sqlq "$case" "SELECT count(*) FROM identifiers WHERE flags & 2 = 2 AND path NOT LIKE '%-%'")" 0 \
        "$name: no raw-byte hit is flagged at-limit"
    [ "$(sqlq "$case" "SELECT state FROM devices")" = ok ] || fail "$name: device state is not ok"
    ok
}
bomb gzgz alice.bomb@trawl-test.org -GZIP-0-GZIP-
bomb zip42 alice.bomb@trawl-test.org -ZIP-0-ZIP-0-ZIP-0-ZIP-0-ZIP-
bomb b64gz dave.b64@trawl-test.org -GZIP-0-BASE64-0-BASE64-

note "the ends of the 4 GiB streams lie past the limit and are not reported as found"
expect_exit 1 "$TRAWL" find "$W/case-gzgz" bob.tail@trawl-test.org
expect_exit 1 "$TRAWL" find "$W/case-zip42" bob.tail@trawl-test.org
echo "harden_bombs: $T_CHECKS checks passed"
