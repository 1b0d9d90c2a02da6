#!/usr/bin/env bash
# contain_tsk.sh: real libtsk failures found by the fs_walk fuzz harness
# (tests/fuzz/known), as images trawl scans.
#   fs_walk-timeout-tsk-ext2-runs: libtsk spends minutes building an ext2
#     file's runs; with --fs-timeout 3 the walk is killed, the device stored
#     with its raw hits (a value appended to the image), exit 3, and the next
#     device is scanned normally (see contain.bash).
#   fs_walk-oom-*: libtsk callocs 1.9 and 4 GB from sizes in the superblock;
#     under --fs-memory 256 the scan still ends and stores the device with
#     its raw hits.
source "$TRAWL_SRC/tests/e2e/lib.sh"
source "$TRAWL_SRC/tests/e2e/contain.bash"
need_cmd sqlite3
K=$TRAWL_SRC/tests/fuzz/known
tmpdir
W=$REPLY

note "the libtsk hang, killed after 3 s"
cp "$K/fs_walk-timeout-tsk-ext2-runs" "$W/tskhang.img"
printf 'contain.tsk.hang@trawl-test.org\n' >>"$W/tskhang.img"
contain_scan "$W/tskhang.img" contain.tsk.hang@trawl-test.org "timed out after 3 s" --fs-timeout 3

note "the libtsk runaway allocations, under --fs-memory 256"
for f in "$K"/fs_walk-oom-*; do
    d=oom${f##*oom-}
    d=${d:0:10}
    cp "$f" "$W/$d.img"
    printf 'contain.tsk.oom@trawl-test.org\n' >>"$W/$d.img"
    newcase
    run "$TRAWL" scan -o "$CASE" --no-link --fs-memory 256 --fs-timeout 60 "$W/$d.img"
    rc=$RC
    echo "    $d: exit $rc; $(sqlq "$CASE" "SELECT group_concat(message, ' / ') FROM problems")"
    contains "$ERR" "device '$d' added" "$d is added"
    failed=$(sqlq "$CASE" "SELECT count(*) FROM problems WHERE stage = 'fs'
        AND message LIKE 'file-system stage failed: %'")
    # libtsk sees its calloc fail and goes on (exit 0, its volume listed), or
    # the allocator gives up in the child (the sanitizers' does): exit 3.
    case $rc in
    0) eq "$failed|$(sqlq "$CASE" "SELECT count(*) > 0 FROM volumes")" "0|1" "$d: walked" ;;
    3) eq "$failed|$(sqlq "$CASE" "SELECT count(*) FROM volumes")" "1|0" "$d: contained" ;;
    *) fail "$d: exit $rc: $ERR" ;;
    esac
    expect_exit 0 "$TRAWL" find "$CASE" contain.tsk.oom@trawl-test.org
done
done_ok
