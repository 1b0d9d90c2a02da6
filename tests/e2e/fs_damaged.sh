# fs_damaged.sh: a damaged or unknown file system does not stop the device:
# the scan finishes (exit 0), the volume is recorded with why it could not be
# read, a problem row says so (and scan and info show it), and the raw
# scan's hits stay, unattributed.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sqlite3
F=$TRAWL_FIXTURES/fs
newcase
tmpdir
W=$REPLY
# FAT with its boot sector (and backup-less FAT16 has no other) wiped
cp "$F/fat.img" "$W/wiped.img"
dd if=/dev/zero of="$W/wiped.img" bs=512 count=1 conv=notrunc status=none
# the MBR disk whose partition holds noise instead of a file system
cp "$F/disk.img" "$W/noisy.img"
head -c 65536 /dev/urandom | dd of="$W/noisy.img" bs=1M seek=1 conv=notrunc status=none
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-link "$W/wiped.img" "$W/noisy.img"
SCAN_ERR=$ERR
for dev in wiped noisy; do
    contains "$(sqlq "$CASE" "SELECT status FROM volumes v JOIN devices d ON d.id=v.device_id
        WHERE d.name='$dev'")" "no file system TSK can read" "$dev: volume status"
    contains "$(sqlq "$CASE" "SELECT stage||': '||message FROM problems p JOIN devices d
        ON d.id=p.device_id WHERE d.name='$dev'")" "fs: volume at offset" "$dev: problem recorded"
    eq "$(sqlq "$CASE" "SELECT count(*) FROM files f JOIN devices d ON d.id=f.device_id WHERE d.name='$dev'")" 0 "$dev: no files"
    eq "$(sqlq "$CASE" "SELECT count(*), sum(file_id IS NULL AND area IS NULL) FROM identifiers i
        JOIN devices d ON d.id=i.device_id WHERE d.name='$dev' AND i.value='alice.live@trawl-test.org'")" \
        "1|1" "$dev: raw hit kept, unattributed"
    # The examiner sees it: on the scan's stderr and in trawl info.
    msg=$(sqlq "$CASE" "SELECT message FROM problems p JOIN devices d ON d.id=p.device_id
        WHERE d.name='$dev'")
    contains "$SCAN_ERR" "trawl: scan: warning: $dev: problem: fs: $msg" "$dev: scan shows it"
    expect_exit 0 "$TRAWL" info "$CASE"
    contains "$OUT" "  problem  fs: $msg" "$dev: info shows it"
done
# Both devices' problems, in order, before each "added" line.
eq "$(grep -c ': problem: fs: volume at offset' <<<"$SCAN_ERR")" 2 "scan: one line per problem"
expect_exit 0 "$TRAWL" info --json "$CASE"
contains "$OUT" '"problem_count":1,"problems":[{"stage":"fs","message":"volume at offset' \
    "info --json: problems"

# Many problems: the first 20 shown, one escaped line each, then the count.
chmod u+w "$CASE/case.db"
sqlite3 "$CASE/case.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<24)
    INSERT INTO problems(device_id, stage, message) SELECT d.id, 'fs', 'walk ' || i || char(10)
    || 'cut' || char(27) FROM n, devices d WHERE d.name='wiped'"
expect_exit 0 "$TRAWL" info "$CASE"
eq "$(grep -c '^  problem  ' <<<"$OUT")" 22 "info: 20 + 1 of wiped, 1 of noisy"
contains "$OUT" '  problem  fs: walk 19\x0Acut\x1B' "info: a message escaped on one line"
lacks "$OUT" 'walk 20\' "info: capped at 20"
contains "$OUT" '  problem  5 more not shown (25 in all;' "info: the count"
expect_exit 0 "$TRAWL" info --json "$CASE"
contains "$OUT" '"problem_count":25,' "info --json: the count"
eq "$(grep -o '"stage":"fs"' <<<"$OUT" | wc -l)" 21 "info --json: 20 of wiped, 1 of noisy"
echo "fs_damaged: $T_CHECKS checks passed"
