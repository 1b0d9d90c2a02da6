#!/usr/bin/env bash
# faults_inject.sh: issue 11 (4), fault injection.  The real trawl binary
# runs with tests/faults/failshim.c preloaded, which fails the Nth
# allocation (every malloc/calloc/realloc of trawl, SQLite and the
# libraries) or the Nth file write (write, pwrite, fwrite, fsync, rename,
# ftruncate) of a scan of fat.img into a case; N sweeps the counts of a
# normal run (TRAWL_FAULT_STRIDE=37 sweeps every 37th; the default is
# bounded to about 100 allocation and 60 write points).  The allocation
# order varies a little from run to run (the scan is multi-threaded), so a
# point is an approximate place, not an exact call.  After each run:
#   - trawl exited 0, 1 or 3 (no signal, no sanitizer report), and when not
#     0 its last line on stderr is its one-line error ("trawl: ...");
#   - the case is consistent: `trawl verify` passes; the device is whole
#     (its row, its feature folder, and `trawl find` finds a value planted
#     in fat.img) or absent (no row, no folder): never "nothing found"
#     (exit 1) while the device is there;
#   - the same scan run again without faults adds the device, leaves no
#     .partial folder, and the case verifies.
# Skips in the ASan build (the shim replaces malloc, which ASan owns).
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sqlite3
SHIM=$TRAWL_BUILD/tests/libtrawl_failshim.so
if grep -q '^TRAWL_SANITIZE:BOOL=ON' "$TRAWL_BUILD/CMakeCache.txt" 2>/dev/null; then
    skip "the fault-injection shim replaces malloc, which AddressSanitizer owns"
fi
[ -f "$SHIM" ] || fail "no $SHIM (built by tests/CMakeLists.txt)"

tmpdir
W=$REPLY
IMG=$FIX/fat.img
VALUE=alice.fat@example.com
OPTS=--no-default-stop-list # the planted values are example.com ones

note "a normal run: the counts of allocations and writes"
rm -f "$W/count"
expect_exit 0 env TRAWL_FAIL_COUNT="$W/count" LD_PRELOAD="$SHIM" "$TRAWL" scan $OPTS -o "$W/ref" "$IMG"
read -r _ ALLOCS _ WRITES <"$W/count"
[ "$ALLOCS" -gt 1000 ] && [ "$WRITES" -gt 20 ] || fail "implausible counts: $(cat "$W/count")"
expect_exit 0 "$TRAWL" find "$W/ref" "$VALUE"
note "a scan of fat.img: $ALLOCS allocations, $WRITES writes"
# A case with a device already in it, for the runs that add a second one.
expect_exit 0 "$TRAWL" scan $OPTS -o "$W/base" "$FIX/ext4.img"

PROBLEMS=()
DISK_RUN=()
FAILED_RUNS=0
# failed_some WHAT: the injected faults made some runs fail (or the test
# tested nothing); resets the count.
failed_some()
{
    [ "$FAILED_RUNS" -gt 0 ] || problem "$1: no run failed: the faults did not reach trawl"
    note "  $FAILED_RUNS of them exited non-zero"
    FAILED_RUNS=0
}
problem() { PROBLEMS+=("$*"); echo "PROBLEM: $*" >&2; }

# check KIND N CASE: run the faulted scan into CASE and check the outcome.
# KIND alloc or write: the Nth fails; disk: CASE is on a full file system,
# given room (the hook ROOM) before the scan again.
check()
{
    local kind=$1 n=$2 c=$3 tag="$1 #$2"
    local var=TRAWL_FAIL_ALLOC
    [ "$kind" = write ] && var=TRAWL_FAIL_WRITE
    if [ "$kind" = disk ]; then
        run "${DISK_RUN[@]}" "$TRAWL" scan $OPTS -o "$c" "$IMG"
    else
        # SUDO_USER spares glibc's getpwuid, which crashes (nss_database.c)
        # when one of its first allocations fails: not trawl's to fix.
        # libphonenumber's singleton set-up crashes when an allocation
        # inside it fails (its metadata destroyed twice), and so does
        # OpenSSL 3's lazy initialisation (a NULL lock used later): spared.
        run env "$var=$n" SUDO_USER=examiner TRAWL_FAIL_SPARE=libphonenumber,libcrypto \
            LD_PRELOAD="$SHIM" "$TRAWL" scan $OPTS -o "$c" "$IMG"
    fi
    local rc=$RC err=$ERR
    [ "$rc" = 0 ] || FAILED_RUNS=$((FAILED_RUNS + 1))
    if [ "$rc" != 0 ] && [ "$rc" != 1 ] && [ "$rc" != 3 ]; then
        problem "$tag: exit $rc: $(printf '%s' "$err" | tail -n 3)"
        return
    fi
    case $err in *Sanitizer* | *Segmentation* | *Aborted* | *"double free"* | *corrupted*)
        problem "$tag: $(printf '%s' "$err" | tail -n 3)"
        return
        ;;
    esac
    if [ "$rc" != 0 ] && [[ "$(printf '%s\n' "$err" | tail -n 1)" != "trawl: "* ]]; then
        problem "$tag: exit $rc without a one-line error: $(printf '%s' "$err" | tail -n 3)"
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
        # the next scan; otherwise the folder is there now.
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
    [ "$kind" != disk ] || $ROOM
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

note "allocation N fails, a fresh case"
npts=0
for n in $(points "$ALLOCS" 100 37); do
    rm -rf "$W/c"
    check alloc "$n" "$W/c"
    npts=$((npts + 1))
done
note "  $npts points"
failed_some "allocations"

note "write N fails, a case with a device in it"
npts=0
for n in $(points "$WRITES" 60 1); do
    rm -rf "$W/c"
    cp -a "$W/base" "$W/c"
    check write "$n" "$W/c"
    npts=$((npts + 1))
done
note "  $npts points"
failed_some "writes"

note "export -o (the export and its audit line) under allocation and write faults"
rm -f "$W/count"
# On a copy: the export's audit line must not go into the base case.
cp -a "$W/base" "$W/c0"
expect_exit 0 env TRAWL_FAIL_COUNT="$W/count" LD_PRELOAD="$SHIM" "$TRAWL" export --format jsonld -o "$W/x.json" "$W/c0"
rm -rf "$W/c0"
read -r _ XALLOCS _ XWRITES <"$W/count"
npts=0
for spec in $(points "$XALLOCS" 150 23 | sed 's/^/alloc:/') $(points "$XWRITES" 40 1 | sed 's/^/write:/'); do
    kind=${spec%%:*} n=${spec#*:}
    var=TRAWL_FAIL_ALLOC
    [ "$kind" = write ] && var=TRAWL_FAIL_WRITE
    rm -rf "$W/c" "$W/x.json"
    cp -a "$W/base" "$W/c"
    run env "$var=$n" SUDO_USER=examiner TRAWL_FAIL_SPARE=libphonenumber,libcrypto \
        LD_PRELOAD="$SHIM" "$TRAWL" export --format jsonld -o "$W/x.json" "$W/c"
    rc=$RC err=$ERR
    [ "$rc" = 0 ] || FAILED_RUNS=$((FAILED_RUNS + 1))
    if [ "$rc" -ge 128 ] || [[ "$err" == *Sanitizer* ]]; then
        problem "export $kind #$n: exit $rc: $(printf '%s' "$err" | tail -n 2)"
    elif [ "$rc" != 0 ] && [[ "$(printf '%s\n' "$err" | tail -n 1)" != "trawl: "* ]]; then
        problem "export $kind #$n: exit $rc without a one-line error: $err"
    fi
    run "$TRAWL" verify "$W/c"
    [ "$RC" = 0 ] || problem "export $kind #$n: verify exits $RC: $(printf '%s' "$OUT$ERR" | grep -v '^OK')"
    npts=$((npts + 1))
done
note "  $npts points"
failed_some "export"

note "a full disk: the case on a small tmpfs, a fresh case and one with a device"
if [ "$(id -u)" = 0 ] && mkdir "$W/mnt" && mount -t tmpfs -o size=64k tmpfs "$W/mnt" 2>/dev/null; then
    T_CLEANUP_MNT=$W/mnt
    trap 'umount "$T_CLEANUP_MNT" 2>/dev/null; _cleanup' EXIT
    ROOM="mount -o remount,size=64m $W/mnt"
    base_k=$(du -sk "$W/base" | cut -f1)
    npts=0
    for k in 8 24 48 96 160 240 $((base_k + 8)) $((base_k + 40)) $((base_k + 80)) \
        $((base_k + 120)) $((base_k + 160)) $((base_k + 240)); do
        rm -rf "$W/mnt/c"
        mount -o remount,size=64m "$W/mnt"
        [ "$k" -gt "$base_k" ] && cp -a "$W/base" "$W/mnt/c"
        mount -o remount,size=${k}k "$W/mnt" || { problem "cannot shrink the tmpfs to ${k}k"; continue; }
        check disk "${k}k" "$W/mnt/c"
        npts=$((npts + 1))
    done
    rm -rf "$W/mnt/c"
    umount "$W/mnt"
    trap _cleanup EXIT
    note "  $npts sizes"
    failed_some "full disk"
else
    # Not root: a file-size limit instead (SIGXFSZ ignored, so a write past
    # it fails with EFBIG).
    ROOM=:
    npts=0
    for k in 8 32 64 128 256; do
        rm -rf "$W/c"
        DISK_RUN=(bash -c "trap '' XFSZ; ulimit -f $k; exec \"\$@\"" sh)
        check disk "ulimit-f-$k" "$W/c"
        npts=$((npts + 1))
    done
    DISK_RUN=()
    note "  $npts file-size limits (not root: no tmpfs)"
    failed_some "file-size limit"
fi

if [ ${#PROBLEMS[@]} -ne 0 ]; then
    printf '%s\n' "${PROBLEMS[@]}" | head -n 40 >&2
    fail "${#PROBLEMS[@]} problem(s) under fault injection"
fi
ok
done_ok
