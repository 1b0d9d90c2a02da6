#!/usr/bin/env bash
# ingest_cli.sh: what `trawl scan` adds around the ingest library.
# `-o a/b/CASE` creates the missing parent folders (it used to fail with
# "cannot create case folder"); a file where a parent should be is an
# error that names it, and leaves nothing behind.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_fixtures
need_cmd sqlite3
F=$TRAWL_FIXTURES/fs

tmpdir
d=$REPLY
expect_exit 0 "$TRAWL" scan -o "$d/a/b/CASE" --no-link "$F/fat.img"
[ -f "$d/a/b/CASE/case.db" ] || fail "no case.db under the new parents"
eq "$(sqlq "$d/a/b/CASE" "SELECT name FROM devices")" fat "device in the new case"
[ -s "$d/a/b/CASE/devices/fat/email.txt" ] || fail "no feature file in the new case"
ok

: >"$d/file"
expect_exit 1 "$TRAWL" scan -o "$d/file/x/CASE" --no-link "$F/fat.img"
contains "$ERR" "$d/file" "the error names the parent that is a file"
[ ! -e "$d/file/x" ] || fail "something was created under a file"
ok
done_ok
