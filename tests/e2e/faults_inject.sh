#!/usr/bin/env bash
# faults_inject.sh: issue 11 (4), fault injection into the libraries.  The
# real trawl binary runs with tests/faults/failshim.c preloaded, which fails
# the Nth allocation of the whole process (trawl, SQLite and every library:
# libtsk, libmagic, PCRE2 or Hyperscan, libc's own) or the Nth file write
# (write, pwrite, fwrite, fsync, rename, ftruncate), over a scan of fat.img
# and an export; and the case on a full disk (a small tmpfs, or a file-size
# limit when not root), which makes writes stop part-way (an audit line cut
# in the middle, say).  trawl's own allocations and writes are swept more
# closely, in every build, by faults_table.sh through the in-process fault
# table; this test keeps the libraries' and the full disk's, in the builds
# without sanitizers (the shim replaces malloc, which they own).  N is
# spread over the counts of a normal run (TRAWL_FAULT_STRIDE=37 tries every
# 37th); the allocation order varies a little from run to run (the scan is
# multi-threaded), so a point is an approximate place.  The checks after
# each run are tests/faults/check.sh's.
source "$TRAWL_SRC/tests/e2e/lib.sh"
source "$TRAWL_SRC/tests/faults/check.sh"
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

DISK_RUN=()
faulted()
{
    local kind=$1 n=$2
    shift 2
    if [ "$kind" = disk ]; then
        run "${DISK_RUN[@]}" "$@"
        return
    fi
    local var=TRAWL_FAIL_ALLOC
    [ "$kind" = write ] && var=TRAWL_FAIL_WRITE
    # SUDO_USER spares glibc's getpwuid, which crashes (nss_database.c)
    # when one of its first allocations fails: not trawl's to fix.
    # libphonenumber's singleton set-up crashes when an allocation inside
    # it fails (its metadata destroyed twice), and so does OpenSSL 3's lazy
    # initialisation (a NULL lock used later): spared.
    run env "$var=$n" SUDO_USER=examiner TRAWL_FAIL_SPARE=libphonenumber,libcrypto \
        LD_PRELOAD="$SHIM" "$@"
}

note "allocation N fails, a fresh case"
sweep "allocations" alloc "" "" $(points "$ALLOCS" 40 37)

note "write N fails, a case with a device in it"
sweep "writes" write "" "$W/base" $(points "$WRITES" 20 1)

note "export -o (the export and its audit line) under allocation and write faults"
rm -f "$W/count"
# On a copy: the export's audit line must not go into the base case.
cp -a "$W/base" "$W/c0"
expect_exit 0 env TRAWL_FAIL_COUNT="$W/count" LD_PRELOAD="$SHIM" "$TRAWL" export --format jsonld -o "$W/x.json" "$W/c0"
rm -rf "$W/c0"
read -r _ XALLOCS _ XWRITES <"$W/count"
npts=0
for spec in $(points "$XALLOCS" 30 23 | sed 's/^/alloc:/') $(points "$XWRITES" 10 1 | sed 's/^/write:/'); do
    check_export "${spec%%:*}" "${spec#*:}" "$W/base"
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
        check_scan disk "${k}k" "$W/mnt/c"
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
        check_scan disk "ulimit-f-$k" "$W/c"
        npts=$((npts + 1))
    done
    DISK_RUN=()
    note "  $npts file-size limits (not root: no tmpfs)"
    failed_some "file-size limit"
fi

report_problems
done_ok
