#!/usr/bin/env bash
# foundation_cli.sh: issue 2, the command line.  `trawl --version`, `trawl
# --help` and `--help` on each command exit 0 and print usage (with the exit
# codes); an unknown option or command, a missing -o, a missing image, a bad
# -j, extra arguments exit 2 (usage) and change nothing.
source "$TRAWL_SRC/tests/e2e/lib.sh"

expect_exit 0 "$TRAWL" --version
one_line "$OUT" "--version"
[[ $OUT =~ ^trawl\ [0-9]+\.[0-9]+ ]] || fail "--version prints 'trawl X.Y...': $OUT"
ok

expect_exit 0 "$TRAWL" --help
contains "$OUT" "usage: trawl" "trawl --help"
for c in scan verify info; do
    contains "$OUT" "$c" "trawl --help lists $c"
done
contains "$OUT" "Exit codes" "trawl --help documents the exit codes"
contains "$OUT" "3" "trawl --help documents exit code 3"

for c in scan verify info; do
    expect_exit 0 "$TRAWL" "$c" --help
    contains "$OUT" "usage: trawl $c" "trawl $c --help"
    contains "$OUT" "Exit codes" "trawl $c --help documents the exit codes"
    expect_exit 0 "$TRAWL" "$c" -h
done
expect_exit 0 "$TRAWL" scan --help
for o in -o --device --exhibit --custodian --examiner -j --no-fs; do
    contains "$OUT" "$o" "trawl scan --help lists $o"
done

newcase
mkdir -p "$CASE"
usage()
{
    expect_exit 2 "$@"
    [ -n "$ERR" ] || fail "usage error without a message: $*"
    ok
    [ -z "$(ls -A "$CASE")" ] || fail "a usage error wrote into the case folder: $*"
    ok
}
usage "$TRAWL"
usage "$TRAWL" no-such-command
usage "$TRAWL" --no-such-option
usage "$TRAWL" scan --bogus -o "$CASE" "$FIX/fat.img"
usage "$TRAWL" scan -o "$CASE" --bogus "$FIX/fat.img"
usage "$TRAWL" scan "$FIX/fat.img"
usage "$TRAWL" scan -o "$CASE"
usage "$TRAWL" scan -o
usage "$TRAWL" scan -o "$CASE" -j 0 "$FIX/fat.img"
usage "$TRAWL" scan -o "$CASE" -j x "$FIX/fat.img"
usage "$TRAWL" scan -o "$CASE" -j -3 "$FIX/fat.img"
usage "$TRAWL" verify
usage "$TRAWL" verify "$CASE" "$CASE"
usage "$TRAWL" verify --bogus "$CASE"
usage "$TRAWL" info
usage "$TRAWL" info --bogus "$CASE"
contains "$ERR" "--bogus" "the usage error names the unknown option"

note "-j N gives the same case as -j 1"
newcase
a=$CASE
newcase
b=$CASE
expect_exit 0 "$TRAWL" scan -o "$a" -j 1 "$FIX/mbr.img"
expect_exit 0 "$TRAWL" scan -o "$b" -j 2 "$FIX/mbr.img"
q='SELECT type, value, pos, path FROM identifiers ORDER BY pos, type, value'
eq "$(sqlq "$a" "$q" | sha256sum)" "$(sqlq "$b" "$q" | sha256sum)" "identifiers with -j 1 and -j 2"
eq "$(sqlq "$a" 'SELECT sha256 FROM images')" "$(manifest mbr.img sha256)" "-j 1 hash"
eq "$(sqlq "$b" 'SELECT sha256 FROM images')" "$(manifest mbr.img sha256)" "-j 2 hash"

note "no progress line when stderr is not a terminal"
lacks "$ERR" "MB/s" "quiet stderr when not a terminal"

if command -v script >/dev/null; then
    note "a progress line when stderr is a terminal"
    newcase
    start=$(date +%s%N)
    script -qec "$(printf '%q ' "$TRAWL" scan -o "$CASE" --no-fs "$FIX/multiple.img")" /dev/null >"$REPLY/tty.out" </dev/null ||
        fail "scan under script(1) failed: $(cat "$REPLY/tty.out")"
    ms=$((($(date +%s%N) - start) / 1000000))
    tty_out=$(cat "$REPLY/tty.out")
    contains "$tty_out" "device 'multiple' added" "the scan under a terminal"
    # The line is drawn every half second: only a scan that ran long enough must show one.
    if [ "$ms" -ge 1500 ]; then
        contains "$tty_out" "MB/s" "progress line: rate"
        contains "$tty_out" "ETA" "progress line: ETA"
        contains "$tty_out" "/262 MB" "progress line: bytes done of the total"
        contains "$tty_out" $'\r\e[K' "the progress line is cleared at the end"
    else
        note "the scan took ${ms} ms: too quick for a progress line to be due"
    fi
fi

done_ok
