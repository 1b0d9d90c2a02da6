#!/usr/bin/env bash
# contain_crash.sh: a file-system stage that crashes (SIGSEGV, injected with
# the TRAWL_TEST_FS_FAULT hook at the start of its walk) does not take the
# scan down: the device is stored with its raw hits, unattributed, the crash
# is recorded (problems row, audit line), exit 3, and the next device of the
# same command is scanned normally (see contain.bash).  Likewise a stage that
# allocates until its --fs-memory limit refuses (the hook's memory:DEVICE):
# the limit holds, and the reason says so (under the sanitizers, whose
# allocator dies instead of returning NULL: the child's exit status).
source "$TRAWL_SRC/tests/e2e/lib.sh"
source "$TRAWL_SRC/tests/e2e/contain.bash"
need_cmd sqlite3
P=$TRAWL_FIXTURES/scan
[ -f "$P/planted.fat" ] || fail "scan fixture missing in $P"

note "planted.fat with a crashing file-system stage, then fat.img"
export TRAWL_TEST_FS_FAULT=crash:planted
contain_scan "$P/planted.fat" alice.planted@trawl-test.org "killed by SIGSEGV"

note "planted.fat with a stage that allocates until --fs-memory 64 refuses"
export TRAWL_TEST_FS_FAULT=memory:planted
if grep -q '^TRAWL_SANITIZE:BOOL=ON' "${TRAWL_BUILD:-/nonexistent}/CMakeCache.txt" 2>/dev/null; then
    why="exited with status 1"
else
    why="memory limit (64 MiB) reached: test hook: an allocation was refused"
fi
contain_scan "$P/planted.fat" alice.planted@trawl-test.org "$why" --fs-memory 64

note "the hook names one device: without it the same image is walked"
unset TRAWL_TEST_FS_FAULT
newcase
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-link "$P/planted.fat"
[ "$(sqlq "$CASE" "SELECT count(*) FROM files")" -gt 0 ] || fail "planted.fat: no file listed"
ok
eq "$(sqlq "$CASE" "SELECT count(*) FROM problems WHERE message LIKE 'file-system stage failed%'")" \
    0 "no failure without the hook"
done_ok
