#!/usr/bin/env bash
# foundation_atomic.sh: issue 2, "each image is its own transaction ... no
# half-added device".  A scan killed (SIGKILL, SIGINT, SIGTERM) at various
# points leaves the case as it was or with the device whole, never half;
# `trawl verify` still passes (the audit chain agrees with case.db) and the
# same scan run again completes.  Two scans into one case at the same time
# both land, and the chain holds.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sqlite3 python3

# whole_or_absent CASE NAME: the device is absent, or present with its
# images row(s), a finished scan, and its feature folder; no .partial left
# that a later scan could not clear.
whole_or_absent()
{
    local c=$1 n=$2 dev
    dev=$(sqlq "$c" "SELECT count(*) FROM devices WHERE name = '$n'")
    if [ "$dev" = 0 ]; then
        eq "$(sqlq "$c" 'SELECT count(*) FROM images i LEFT JOIN devices d ON d.id = i.device_id WHERE d.id IS NULL')" \
            0 "$n: no orphan images rows"
        [ ! -d "$c/devices/$n" ] || fail "$n: feature folder exists but the device does not"
        ok
        echo absent
    else
        eq "$(sqlq "$c" "SELECT count(*) FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = '$n'")" \
            1 "$n: one images row"
        eq "$(sqlq "$c" "SELECT scan_finished IS NOT NULL FROM devices WHERE name = '$n'")" 1 "$n: scan finished"
        [ -d "$c/devices/$n" ] || fail "$n: device in case.db without its feature folder"
        ok
        echo whole
    fi
}

tmpdir
work=$REPLY
runs=(KILL:0.05 KILL:1.0 INT:0.5 TERM:1.5)
last_run=${runs[-1]}
for run in "${runs[@]}"; do
    sig=${run%%:*} delay=${run#*:}
    {
        c=$work/case-$sig-$delay
        expect_exit 0 "$TRAWL" scan -o "$c" "$FIX/fat.img"
        # (a background job of a script starts with SIGINT ignored: undo that)
        env --default-signal=INT "$TRAWL" scan -o "$c" "$FIX/multiple.img" >/dev/null 2>&1 &
        pid=$!
        sleep "$delay"
        kill -s "$sig" "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        state=$(whole_or_absent "$c" multiple)
        note "SIG$sig after ${delay}s: device $state"
        eq "$(sqlq "$c" "SELECT count(*) FROM devices WHERE name = 'fat'")" 1 "SIG$sig ${delay}s: the earlier device is intact"
        expect_exit 0 "$TRAWL" verify "$c"
        # Run it again (once, on the last case: it costs a full scan):
        # completes, or says the device is there already.
        if [ "$run" = "$last_run" ]; then
            expect_exit 0 "$TRAWL" scan -o "$c" "$FIX/multiple.img"
            eq "$(whole_or_absent "$c" multiple)" whole "SIG$sig ${delay}s: after the re-run"
            eq "$(sqlq "$c" "SELECT sha256 FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = 'multiple'")" \
                "$(manifest multiple.img sha256)" "SIG$sig ${delay}s: hash after the re-run"
            [ -z "$(ls -A "$c/devices" | grep partial || true)" ] || fail "SIG$sig ${delay}s: .partial folder left behind"
            ok
            expect_exit 0 "$TRAWL" verify "$c"
        fi
        rm -rf "$c"
    }
done

note "a second writer waits for the first, however long, and says so"
# Writers hold an exclusive flock() on the case folder from open to close:
# hold it here (as a running scan would) for as long as the check needs,
# so that nothing depends on the machine's speed or load.
c=$work/case-concurrent
expect_exit 0 "$TRAWL" scan -o "$c" "$FIX/fat.img"
python3 -c '
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
while os.path.exists(sys.argv[2]):  # removed to let go (or by the cleanup)
    time.sleep(0.1)' "$c" "$work/held" </dev/null >/dev/null 2>&1 &
holder=$!
for _ in $(seq 600); do [ -e "$work/held" ] && break; sleep 0.1; done
[ -e "$work/held" ] || fail "the lock holder did not start"
"$TRAWL" scan -o "$c" --no-fs "$FIX/multiple.img" >"$work/a.out" 2>&1 &
pa=$!
for _ in $(seq 1200); do grep -q 'waiting for it to finish' "$work/a.out" && break; sleep 0.1; done
eq "$(grep -c "^trawl: scan: $c: another trawl command is writing this case; waiting for it to finish\$" "$work/a.out")" \
    1 "the waiting scan says so, once ($(cat "$work/a.out"))"
# Long past any busy timeout under load, it is still waiting, and wrote nothing.
sleep 12
kill -0 "$pa" 2>/dev/null || fail "the second writer gave up while the first held the case"
eq "$(sqlq "$c" "SELECT count(*) FROM devices")" 1 "nothing written while waiting"
rm "$work/held"
wait "$holder"
ra=0
wait "$pa" || ra=$?
eq "$ra" 0 "the waiting scan finished once the case was free ($(cat "$work/a.out"))"
ok

note "two scans into one case at once: both land, one after the other"
"$TRAWL" scan -o "$c" "$FIX/mbr.img" "$FIX/gpt.img" >"$work/b.out" 2>&1 &
pb=$!
"$TRAWL" scan -o "$c" --no-fs "$FIX/ext4.img" >"$work/d.out" 2>&1 &
pd=$!
rb=0 rd=0
wait "$pb" || rb=$?
wait "$pd" || rd=$?
eq "$rb" 0 "concurrent scan B exit ($(cat "$work/b.out"))"
eq "$rd" 0 "concurrent scan D exit ($(cat "$work/d.out"))"
eq "$(sqlq "$c" "SELECT group_concat(name, ' ') FROM (SELECT name FROM devices ORDER BY name)")" \
    "ext4 fat gpt mbr multiple" "all devices of all scans"
for n in ext4 gpt mbr multiple; do
    [ -d "$c/devices/$n" ] || fail "$n: no feature folder"
done
[ -z "$(ls -A "$c/devices" | grep partial || true)" ] || fail ".partial folder left behind"
ok
expect_exit 0 "$TRAWL" verify "$c"

done_ok
