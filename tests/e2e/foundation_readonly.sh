#!/usr/bin/env bash
# foundation_readonly.sh: issue 2 (d): no code path writes to evidence.
# `trawl scan` and `trawl verify` run under strace; no evidence file may be
# opened with O_WRONLY, O_RDWR, O_CREAT, O_TRUNC or O_APPEND, nor created,
# truncated, renamed, removed, re-permissioned or re-timed.  Every evidence
# file must show up opened read-only (so the trace really saw the reads),
# and the files' bytes and mtimes are unchanged afterwards.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd strace sqlite3
if ! strace -f -qq -o /dev/null true 2>/dev/null; then
    [ -n "${CI:-}" ] && fail "strace cannot trace here (ptrace not permitted?)"
    skip "strace cannot trace here (ptrace not permitted?)"
fi

tmpdir
work=$REPLY
ev=$work/evidence
mkdir -p "$ev/split" "$ev/splitaa" "$ev/e01"
cp "$FIX/mbr.img" "$FIX/noparts.raw" "$ev/"
cp "$FIX"/split/usb03.raw.00? "$ev/split/"
cp "$FIX"/splitaa/usb04.a? "$ev/splitaa/"
cp "$FIX"/e01/laptop.E01 "$FIX"/e01/tablet.E0? "$ev/e01/"
mkdir "$ev/bad"
cp "$FIX"/bad/truncated.E01 "$FIX"/bad/corrupt.E01 "$FIX"/bad/evidence.Ex01 "$FIX"/bad/gap.00? \
    "$FIX"/integrity/flipped.E01 "$ev/bad/"
chmod -R a-w "$ev" # as root this does not stop writes: the trace is the check
find "$ev" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum >"$work/before.sha256"
find "$ev" -type f -printf '%p %T@ %m\n' | LC_ALL=C sort >"$work/before.stat"

newcase
images=("$ev/mbr.img" "$ev/noparts.raw" "$ev/split/usb03.raw.001" "$ev/splitaa/usb04.aa"
    "$ev/e01/laptop.E01" "$ev/e01/tablet.E01")

# check_trace LOG WHAT FILE...: no syscall in LOG touched an evidence path
# for writing, and each FILE was opened read-only.
check_trace()
{
    local log=$1 what=$2 bad f
    shift 2
    # Any syscall naming an evidence path that creates, changes or removes.
    bad=$(grep -F "$ev/" "$log" | grep -E \
        'O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND|(^|[ )])(creat|truncate|rename|renameat2?|unlink|unlinkat|rmdir|mkdir|mkdirat|chmod|fchmodat|chown|fchownat|lchown|utimensat|utimes|utime|link|linkat|symlink|symlinkat|setxattr|lsetxattr|removexattr|lremovexattr)\(' ||
        true)
    [ -z "$bad" ] || fail "$what: evidence touched for writing:"$'\n'"$bad"
    ok
    for f in "$@"; do
        grep -F "\"$f\"" "$log" | grep -E '(^|[ )])open(at|at2)?\(' | grep -q 'O_RDONLY' ||
            fail "$what: no read-only open of $f in the trace (is the trace complete?)"
        ok
    done
}
# LeakSanitizer cannot run under ptrace: no leak check in the traced runs
# (the other tests run the same code with it).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
mapfile -d '' good < <(find "$ev" -type f -not -path "$ev/bad/*" -print0)

# LeakSanitizer cannot run under ptrace: in a sanitizer build, trace without it.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
note "trawl scan under strace"
# strace exits with the traced program's code.
expect_exit 0 strace -f -qq -e trace=%file -o "$work/scan.trace" "$TRAWL" scan -o "$CASE" "${images[@]}"
grep -q 'openat(' "$work/scan.trace" || fail "the scan trace shows no openat at all"
check_trace "$work/scan.trace" "scan" "${good[@]}"
eq "$(sqlq "$CASE" 'SELECT count(*) FROM devices')" 6 "devices added under strace"

note "refused and damaged images under strace"
expect_exit 1 strace -f -qq -e trace=%file -o "$work/bad.trace" "$TRAWL" scan -o "$work/badcase" \
    "$ev/bad/truncated.E01" "$ev/bad/corrupt.E01" "$ev/bad/evidence.Ex01" "$ev/bad/gap.001" "$ev/bad/flipped.E01"

check_trace "$work/bad.trace" "bad images" "$ev/bad/truncated.E01" "$ev/bad/corrupt.E01" \
    "$ev/bad/evidence.Ex01" "$ev/bad/gap.001" "$ev/bad/flipped.E01"
eq "$(sqlq "$work/badcase" 'SELECT name FROM devices')" flipped "flipped.E01 added (with its integrity failure), the rest refused"

note "trawl verify under strace"
expect_exit 0 strace -f -qq -e trace=%file -o "$work/verify.trace" "$TRAWL" verify "$CASE"
check_trace "$work/verify.trace" "verify" "${good[@]}"

note "evidence bytes, mtimes and modes unchanged"
find "$ev" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum >"$work/after.sha256"
find "$ev" -type f -printf '%p %T@ %m\n' | LC_ALL=C sort >"$work/after.stat"
cmp -s "$work/before.sha256" "$work/after.sha256" ||
    fail "evidence bytes changed: $(diff "$work/before.sha256" "$work/after.sha256")"
ok
cmp -s "$work/before.stat" "$work/after.stat" ||
    fail "evidence mtimes/modes changed: $(diff "$work/before.stat" "$work/after.stat")"
ok
# Nothing new appeared next to the evidence (no lock files, no caches).
eq "$(find "$ev" -newer "$work/before.stat" | wc -l)" 0 "files created or changed under the evidence folder"

done_ok
