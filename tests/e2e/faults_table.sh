#!/usr/bin/env bash
# faults_table.sh: issue 11 (4), fault injection through trawl's own fault
# table (src/util/fault.c), so it runs in every build, ASan+UBSan included.
# TRAWL_FAULT=alloc:N fails the Nth allocation of trawl and of SQLite,
# TRAWL_FAULT=write:N the Nth file write, flush, close, sync, truncate or
# rename (SQLite's writes included), write:N+ fills the disk there (the
# Nth write is short, every one after fails), over:
#   - a scan of fat.img into a fresh case (allocations) and into a case
#     holding a device (writes, a full disk: one where an audit line is
#     cut part-way, as a full disk in CI once left it);
#   - `trawl export -o` and `trawl verify` of that case.
# After each run (tests/faults/check.sh): exit 0, 1 or 3 with a one-line
# error, no sanitizer report; the device whole or absent, never "nothing
# found" while it is there; `trawl verify` passes, and after the scan
# again.  The points are spread over each command's counted calls; fewer
# in the sanitizer build, which is slower (TRAWL_FAULT_STRIDE=1 tries all).
source "$TRAWL_SRC/tests/e2e/lib.sh"
source "$TRAWL_SRC/tests/faults/check.sh"
need_cmd sqlite3

tmpdir
W=$REPLY
IMG=$FIX/fat.img
VALUE=alice.fat@example.com
OPTS=--no-default-stop-list # the planted values are example.com ones
# Points per sweep: about SCALE% of the Release build's.
SCALE=100
grep -q '^TRAWL_SANITIZE:BOOL=ON' "$TRAWL_BUILD/CMakeCache.txt" 2>/dev/null && SCALE=30

faulted()
{
    run env TRAWL_FAULT="$1:$2" "${@:3}"
}

# counts CMD...: run CMD with the table counting; sets ALLOCS and WRITES.
counts()
{
    rm -f "$W/count"
    expect_exit 0 env TRAWL_FAULT=count TRAWL_FAULT_COUNT="$W/count" "$@"
    read -r _ ALLOCS _ WRITES <"$W/count"
}

note "the counts of a normal scan, export and verify"
counts "$TRAWL" scan $OPTS -o "$W/ref" "$IMG"
SCAN_ALLOCS=$ALLOCS
[ "$ALLOCS" -gt 1000 ] && [ "$WRITES" -gt 20 ] || fail "implausible counts: $(cat "$W/count")"
expect_exit 0 "$TRAWL" find "$W/ref" "$VALUE"
# A case with a device in it (and an audit log to extend).
expect_exit 0 "$TRAWL" scan $OPTS -o "$W/base" "$FIX/ext4.img"
cp -a "$W/base" "$W/c"
counts "$TRAWL" scan $OPTS -o "$W/c" "$IMG"
SCAN_WRITES=$WRITES
note "a scan of fat.img: $SCAN_ALLOCS allocations (fresh case), $SCAN_WRITES writes (case with a device)"
rm -rf "$W/c" && cp -a "$W/base" "$W/c"
counts "$TRAWL" export --format jsonld -o "$W/x.json" "$W/c"
X_ALLOCS=$ALLOCS X_WRITES=$WRITES
rm -rf "$W/c" && cp -a "$W/base" "$W/c"
counts "$TRAWL" verify "$W/c"
V_ALLOCS=$ALLOCS V_WRITES=$WRITES
note "export: $X_ALLOCS allocations, $X_WRITES writes; verify: $V_ALLOCS, $V_WRITES"
[ "$X_WRITES" -gt 2 ] && [ "$V_WRITES" -gt 2 ] || fail "implausible export/verify write counts"

pts() { points "$1" $(($2 * SCALE / 100)) "$3"; }

note "allocation N fails, a scan into a fresh case"
sweep "scan allocations" alloc "" "" $(pts "$SCAN_ALLOCS" 45 7)

note "write N fails, a scan into a case with a device"
sweep "scan writes" write "" "$W/base" $(pts "$SCAN_WRITES" 30 1)

note "the disk fills at write N (write:N+: a short write, then every write fails)"
sweep "full disk" write "+" "$W/base" $(pts "$SCAN_WRITES" 12 1)
# And where it fills in an audit line's append (the line is written half,
# then cut back): found walking down from the last write.
note "the disk fills inside an audit line's append"
torn=
for ((n = SCAN_WRITES; n > 0 && SCAN_WRITES - n < 100; n--)); do
    rm -rf "$W/c"
    cp -a "$W/base" "$W/c"
    faulted write "$n+" "$TRAWL" scan $OPTS -o "$W/c" "$IMG"
    if [[ "$ERR" == *"audit.log: write: "* ]]; then
        torn=$n
        break
    fi
done
if [ -n "$torn" ]; then
    note "  at write $torn"
    sweep "full disk in an audit line" write "+" "$W/base" "$torn"
else
    problem "no full disk in the last 100 writes of the scan fell in an audit line"
fi

note "export -o and verify under allocation and write faults"
npts=0
for n in $(pts "$X_ALLOCS" 15 5); do check_export alloc "$n" "$W/base"; npts=$((npts + 1)); done
for n in $(pts "$X_WRITES" 12 1); do check_export write "$n" "$W/base"; npts=$((npts + 1)); done
note "  export: $npts points"
failed_some "export"
npts=0
for n in $(pts "$V_ALLOCS" 15 5); do check_verify alloc "$n" "$W/base"; npts=$((npts + 1)); done
for n in $(pts "$V_WRITES" 12 1); do check_verify write "$n" "$W/base"; npts=$((npts + 1)); done
note "  verify: $npts points"
failed_some "verify"

report_problems
done_ok
