# check.sh: the checks of the fault-injection tests (tests/e2e/faults_*.sh),
# sourced after tests/e2e/lib.sh.  The test defines
#     faulted KIND N CMD...   run CMD (as lib.sh's run does) with the Nth
#                             call of KIND (alloc, write, disk...) failing
# and sets W (a temporary folder), IMG (the image scanned), VALUE (a value
# planted in it) and OPTS (scan options).  Problems are gathered in
# PROBLEMS and reported together by report_problems.

PROBLEMS=()
FAILED_RUNS=0
ROOM=:
problem() { PROBLEMS+=("$*"); echo "PROBLEM: $*" >&2; }

# failed_some WHAT: the injected faults made some runs fail (or the test
# tested nothing); resets the count.
failed_some()
{
    [ "$FAILED_RUNS" -gt 0 ] || problem "$1: no run failed: the faults did not reach trawl"
    note "  $FAILED_RUNS of them exited non-zero"
    FAILED_RUNS=0
}

# points TOTAL TARGET MIN: the Ns to try: the first five, then every
# STRIDE-th (TRAWL_FAULT_STRIDE, or the stride from MIN up that gives about
# TARGET points) up to TOTAL.
points()
{
    local total=$1 target=$2 stride=${TRAWL_FAULT_STRIDE:-}
    if [ -z "$stride" ]; then
        stride=$(((total + target - 1) / target))
        [ "$stride" -ge "$3" ] || stride=$3
    fi
    seq 1 5
    seq 6 "$stride" "$total"
}

# sweep LABEL KIND SUFFIX FROM N...: check_scan KIND N$SUFFIX at each N, into
# a fresh case (FROM empty) or a copy of the case FROM; then says how many
# points and whether any run failed (failed_some LABEL).
sweep()
{
    local label=$1 kind=$2 suffix=$3 from=$4 n npts=0
    shift 4
    for n in "$@"; do
        rm -rf "$W/c"
        [ -z "$from" ] || cp -a "$from" "$W/c"
        check_scan "$kind" "$n$suffix" "$W/c"
        npts=$((npts + 1))
    done
    note "  $npts points"
    failed_some "$label"
}

# outcome TAG: the run just made ($RC, $ERR) ended cleanly: exit 0, 1 or 3,
# no signal or sanitizer report, and when not 0 a one-line error last.
# Returns 1 (after noting the problem) when it did not.
outcome()
{
    local tag=$1
    [ "$RC" = 0 ] || FAILED_RUNS=$((FAILED_RUNS + 1))
    if [ "$RC" != 0 ] && [ "$RC" != 1 ] && [ "$RC" != 3 ]; then
        problem "$tag: exit $RC: $(printf '%s' "$ERR" | tail -n 3)"
        return 1
    fi
    case $ERR in *Sanitizer* | *runtime\ error* | *Segmentation* | *Aborted* | *"double free"* | *corrupted*)
        problem "$tag: $(printf '%s' "$ERR" | tail -n 3)"
        return 1
        ;;
    esac
    if [ "$RC" != 0 ] && [[ "$(printf '%s\n' "$ERR" | tail -n 1)" != "trawl: "* ]]; then
        problem "$tag: exit $RC without a one-line error: $(printf '%s' "$ERR" | tail -n 3)"
    fi
    return 0
}

# check_scan KIND N CASE: the faulted scan of IMG into CASE, then:
#   - the case is consistent: `trawl verify` passes; the device is whole
#     (its row, its feature folder, and `trawl find` finds VALUE) or absent
#     (no row, no folder): never "nothing found" while the device is there;
#   - the same scan again without faults adds the device, leaves no
#     .partial folder, and the case verifies.
check_scan()
{
    local kind=$1 n=$2 c=$3 tag="scan $1 #$2"
    faulted "$kind" "$n" "$TRAWL" scan $OPTS -o "$c" "$IMG"
    local rc=$RC err=$ERR
    outcome "$tag" || return 0
    # An append that failed part-way is cut back to its line's start.
    if [ -s "$c/audit.log" ] && [ -n "$(tail -c 1 "$c/audit.log")" ]; then
        problem "$tag: audit.log ends in half a line"
    fi
    [ -f "$c/case.db" ] || return 0 # failed before the case existed
    local dev
    dev=$(sqlite3 -batch -noheader -readonly "$c/case.db" \
        "SELECT count(*) FROM devices WHERE name = 'fat'" 2>&1) || true
    if [ "$dev" = 1 ]; then
        # Exit 1 with the device stored: a later step failed (the link
        # index), and stderr says the device was added.
        [ "$rc" != 1 ] || [[ "$err" == *"device 'fat' added"* ]] ||
            problem "$tag: exit 1 but the device was stored: $err"
        run "$TRAWL" find "$c" "$VALUE"
        [ "$RC" = 0 ] || problem "$tag: device stored, but find of $VALUE exits $RC: $ERR"
        # A device committed but not yet moved into place is finished by
        # the next writer; otherwise the folder is there now.
        if [ ! -d "$c/devices/.fat.partial" ]; then
            [ -d "$c/devices/fat" ] || problem "$tag: device stored without its folder"
            run "$TRAWL" verify "$c"
            [ "$RC" = 0 ] || problem "$tag: verify exits $RC: $(printf '%s' "$OUT" | grep -v '^OK')"
        fi
    elif [ "$dev" = 0 ]; then
        [ "$rc" != 0 ] || problem "$tag: exit 0 but no device"
        [ ! -d "$c/devices/fat" ] || problem "$tag: no device row, but devices/fat is there"
        run "$TRAWL" verify "$c"
        [ "$RC" = 0 ] || problem "$tag: verify exits $RC: $(printf '%s' "$OUT$ERR" | grep -v '^OK')"
    else
        # case.db exists but cannot be read: only acceptable if it is the
        # leftover of a creation that never finished, taken up again below.
        :
    fi
    $ROOM
    run "$TRAWL" scan $OPTS -o "$c" "$IMG"
    [ "$RC" = 0 ] || [ "$dev" = 1 ] ||
        problem "$tag: the scan again exits $RC: $(printf '%s' "$ERR" | tail -n 2)"
    [ -z "$(find "$c/devices" -maxdepth 1 -name '*.partial' 2>/dev/null)" ] ||
        problem "$tag: a .partial folder is left after the next scan"
    run "$TRAWL" find "$c" "$VALUE"
    [ "$RC" = 0 ] || problem "$tag: after the scan again, find exits $RC"
    run "$TRAWL" verify "$c"
    [ "$RC" = 0 ] || problem "$tag: after the scan again, verify exits $RC: $(printf '%s' "$OUT$ERR" | grep -v '^OK')"
}

# check_export KIND N BASE: `trawl export -o` of a copy of BASE faulted: a
# clean outcome, and the case still verifies (the export's audit line whole
# or absent; an export recorded is checked at its path).
check_export()
{
    local kind=$1 n=$2 tag="export $1 #$2"
    rm -rf "$W/c" "$W/x.json"
    cp -a "$3" "$W/c"
    faulted "$kind" "$n" "$TRAWL" export --format jsonld -o "$W/x.json" "$W/c"
    outcome "$tag" || return 0
    run "$TRAWL" verify "$W/c"
    [ "$RC" = 0 ] || problem "$tag: verify exits $RC: $(printf '%s' "$OUT$ERR" | grep -v '^OK')"
}

# check_verify KIND N BASE: `trawl verify` of a copy of BASE faulted: a
# clean outcome; a failure is an error, never a lie about the case (no
# CHANGED, MISSING or EXTRA line: nothing was changed); then an unfaulted
# verify passes (its own audit line whole or absent).
check_verify()
{
    local kind=$1 n=$2 tag="verify $1 #$2"
    rm -rf "$W/c"
    cp -a "$3" "$W/c"
    faulted "$kind" "$n" "$TRAWL" verify "$W/c"
    outcome "$tag" || return 0
    if [ "$RC" != 0 ]; then
        local lies
        lies=$(printf '%s\n' "$OUT" | grep -E '^(CHANGED|MISSING|EXTRA|MISMATCH|BROKEN)' || true)
        [ -z "$lies" ] || problem "$tag: exit $RC and a false finding: $lies"
    fi
    run "$TRAWL" verify "$W/c"
    [ "$RC" = 0 ] || problem "$tag: verify again exits $RC: $(printf '%s' "$OUT$ERR" | grep -v '^OK')"
}

# report_problems: fail with every problem gathered.
report_problems()
{
    if [ ${#PROBLEMS[@]} -ne 0 ]; then
        printf '%s\n' "${PROBLEMS[@]}" | head -n 40 >&2
        fail "${#PROBLEMS[@]} problem(s) under fault injection"
    fi
    ok
}
