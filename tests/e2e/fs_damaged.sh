# fs_damaged.sh: a damaged or unknown file system does not stop the device:
# the scan finishes (exit 0), the volume is recorded with why it could not be
# read, a problem row says so, and the raw scan's hits stay, unattributed.
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
for dev in wiped noisy; do
    contains "$(sqlq "$CASE" "SELECT status FROM volumes v JOIN devices d ON d.id=v.device_id
        WHERE d.name='$dev'")" "no file system TSK can read" "$dev: volume status"
    contains "$(sqlq "$CASE" "SELECT stage||': '||message FROM problems p JOIN devices d
        ON d.id=p.device_id WHERE d.name='$dev'")" "fs: volume at offset" "$dev: problem recorded"
    eq "$(sqlq "$CASE" "SELECT count(*) FROM files f JOIN devices d ON d.id=f.device_id WHERE d.name='$dev'")" 0 "$dev: no files"
    eq "$(sqlq "$CASE" "SELECT count(*), sum(file_id IS NULL AND area IS NULL) FROM identifiers i
        JOIN devices d ON d.id=i.device_id WHERE d.name='$dev' AND i.value='alice.live@trawl-test.org'")" \
        "1|1" "$dev: raw hit kept, unattributed"
done
echo "fs_damaged: $T_CHECKS checks passed"
