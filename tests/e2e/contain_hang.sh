#!/usr/bin/env bash
# contain_hang.sh: a file-system stage that hangs (injected with the
# TRAWL_TEST_FS_FAULT hook) is killed after --fs-timeout seconds; the device
# is stored with its raw hits, the timeout recorded, exit 3, and the next
# device is scanned normally (see contain.bash).  Also: bad --fs-timeout and
# --fs-memory values are usage errors.
source "$TRAWL_SRC/tests/e2e/lib.sh"
source "$TRAWL_SRC/tests/e2e/contain.bash"
need_cmd sqlite3
P=$TRAWL_FIXTURES/scan
[ -f "$P/planted.fat" ] || fail "scan fixture missing in $P"

note "planted.fat with a hanging file-system stage, --fs-timeout 2, then fat.img"
export TRAWL_TEST_FS_FAULT=hang:planted
contain_scan "$P/planted.fat" alice.planted@trawl-test.org "timed out after 2 s" --fs-timeout 2
[ "$(pgrep -f -c "$CASE" || true)" = 0 ] || fail "a process of the scan is left behind"
ok
unset TRAWL_TEST_FS_FAULT

note "option bounds"
newcase
expect_exit 2 "$TRAWL" scan -o "$CASE" --fs-timeout 0 "$P/planted.fat"
contains "$ERR" "--fs-timeout takes a number of seconds" "--fs-timeout 0"
expect_exit 2 "$TRAWL" scan -o "$CASE" --fs-memory 10 "$P/planted.fat"
contains "$ERR" "--fs-memory takes a number of MiB" "--fs-memory 10"
done_ok
