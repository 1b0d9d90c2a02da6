#!/usr/bin/env bash
# harden_killrerun.sh: issue 11, item 5.  A multi-device scan (five images,
# so the link stage runs at its end) is killed with SIGKILL at 20 points
# drawn from a seeded generator over the length of an uninterrupted scan
# (TRAWL_KILL_SEED, default 11; the points are reproducible, what the scan
# was doing at each is as close as timing allows), then the same command is
# run again.  Each time the case must equal the uninterrupted scan's, as the
# CLI shows it: every feature file, histogram and DFXML of every device and
# the case's links.csv / accounts.csv byte for byte, `trawl info --json`
# (scan times left out), `trawl files --json` of each device (row ids left
# out), `trawl links --json` and `trawl accounts --json`; nothing
# duplicated, nothing missing; and `trawl verify` passes.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd python3
points=${TRAWL_KILL_POINTS:-20}
seed=${TRAWL_KILL_SEED:-11}
imgs=("$FIX/fat.img" "$FIX/mbr.img" "$TRAWL_FIXTURES/link/a1.img" "$TRAWL_FIXTURES/link/a2.img"
      "$TRAWL_FIXTURES/link/b1.img")
for i in "${imgs[@]}"; do [ -f "$i" ] || fail "fixture image missing: $i"; done
tmpdir
W=$REPLY

# snapshot CASE: the case as the CLI shows it, one line per item.
snapshot()
{
    local c=$1 d
    (
        cd "$c"
        find devices -type f | LC_ALL=C sort | xargs -r sha256sum
        sha256sum links.csv accounts.csv 2>&1 || true
        ls devices
    )
    "$TRAWL" info --json "$c" | $PY -c '
import json, sys
j = json.load(sys.stdin)
for d in j["devices"]:
    d.pop("scan_finished", None)
print(json.dumps(j, sort_keys=True))'
    for d in $(ls "$c/devices"); do
        "$TRAWL" files --json "$c" "$d" | $PY -c '
import json, sys
for l in sys.stdin:
    f = json.loads(l)
    f.pop("id", None)
    print(json.dumps(f, sort_keys=True))'
    done
    "$TRAWL" links --json "$c" || true
    "$TRAWL" accounts --json "$c" || true
}

note "the uninterrupted scan"
t0=$(date +%s.%N)
expect_exit 0 "$TRAWL" scan -o "$W/ref" "${imgs[@]}"
t1=$(date +%s.%N)
snapshot "$W/ref" >"$W/ref.snap"
[ "$(grep -c '  devices/' "$W/ref.snap")" -gt 50 ] || fail "reference snapshot too small: $(head "$W/ref.snap")"
ok
expect_exit 0 "$TRAWL" verify "$W/ref"
expect_exit 0 "$TRAWL" scan -o "$W/ref2" "${imgs[@]}"
snapshot "$W/ref2" >"$W/ref2.snap"
diff "$W/ref.snap" "$W/ref2.snap" >&2 || fail "two uninterrupted scans differ: the comparison cannot work"
ok

note "the two states kills were found to leave, made on purpose"
# Devices committed, links never built (killed before the link stage): the
# same command adds nothing and must still build the links.
expect_exit 0 "$TRAWL" scan -o "$W/nolink" --no-link "${imgs[@]}"
expect_exit 0 "$TRAWL" scan -o "$W/nolink" "${imgs[@]}"
snapshot "$W/nolink" >"$W/nolink.snap"
diff "$W/ref.snap" "$W/nolink.snap" >&2 || fail "a re-run after a scan that never linked: links missing"
ok
expect_exit 0 "$TRAWL" verify "$W/nolink"
# Killed while creating the case: an empty audit.log alone, or with an
# empty case.db; the same command creates the case.  A case.db whose log is
# gone is still refused.
mkdir "$W/new1" "$W/new2"
: >"$W/new1/audit.log"
: >"$W/new2/audit.log"
: >"$W/new2/case.db"
for c in new1 new2; do
    expect_exit 0 "$TRAWL" scan -o "$W/$c" "${imgs[@]}"
    snapshot "$W/$c" >"$W/$c.snap"
    diff "$W/ref.snap" "$W/$c.snap" >&2 || fail "$c: the case differs from the uninterrupted scan's"
    ok
    expect_exit 0 "$TRAWL" verify "$W/$c"
done
rm "$W/new1/audit.log"
expect_exit 3 "$TRAWL" scan -o "$W/new1" "${imgs[@]}"
contains "$ERR" "audit.log is missing" "a case.db without its audit.log is refused"

delays=$($PY -c "
import random, sys
r = random.Random($seed)
t = float('$t1') - float('$t0')
print(' '.join('%.3f' % r.uniform(0, t * 1.1) for _ in range($points)))")
note "kill points (s): $delays"
k=0
for delay in $delays; do
    k=$((k + 1))
    c=$W/case$k
    "$TRAWL" scan -o "$c" "${imgs[@]}" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    before=$( (ls "$c/devices" 2>/dev/null || true) | tr '\n' ' ')
    run "$TRAWL" scan -o "$c" "${imgs[@]}"
    [ "$RC" = 0 ] || fail "kill $k at ${delay}s: the re-run exited $RC: $ERR"
    snapshot "$c" >"$W/case$k.snap"
    if ! diff "$W/ref.snap" "$W/case$k.snap" >"$W/diff$k"; then
        head -20 "$W/diff$k" >&2
        fail "kill $k at ${delay}s (devices then: $before): the case differs from the uninterrupted scan's"
    fi
    ok
    expect_exit 0 "$TRAWL" verify "$c"
    note "kill $k at ${delay}s (devices present after the kill: ${before:-none}): equal, verify ok"
    rm -rf "$c"
done
echo "harden_killrerun: $T_CHECKS checks passed"
