# fs_tz.sh: FAT keeps local times; `trawl scan --tz ZONE` reads them as that
# zone's local time and stores UTC.  The same image scanned with and without
# --tz Europe/Berlin gives times that differ by Berlin's UTC offset at that
# moment (checked with Python's zoneinfo), and istat (UTC) agrees with the
# scan without --tz.  ext4 times (UTC on disk) do not move.  The zone of
# the process running trawl (TZ) changes nothing: the walk converts with
# the device's zone rules and never reads or sets TZ for it.  An unknown
# zone is refused.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd python3 istat sqlite3
F=$TRAWL_FIXTURES/fs
newcase
tmpdir
cp "$F/fat.img" "$REPLY/berlin.img"
cp "$F/ext4.img" "$REPLY/ext4berlin.img"
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-link "$F/fat.img" "$F/ext4.img"
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-link --tz Europe/Berlin "$REPLY/berlin.img" "$REPLY/ext4berlin.img"
t() { sqlq "$CASE" "SELECT mtime FROM files f JOIN devices d ON d.id=f.device_id WHERE d.name='$1' AND f.path='/live.txt'"; }
utc=$(t fat) berlin=$(t berlin)
[ -n "$utc" ] && [ -n "$berlin" ] || fail "no mtime for live.txt"
eq "$(istat "$F/fat.img" "$(sqlq "$CASE" "SELECT inode FROM files WHERE path='/live.txt' LIMIT 1")" |
    sed -n 's/^Written:\t\(.*\) (UTC)$/\1/p' | tr ' ' T)Z" "$utc" "mtime without --tz equals istat's"
python3 - "$utc" "$berlin" <<'PY' || fail "--tz Europe/Berlin did not shift by Berlin's offset ($utc -> $berlin)"
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
utc = datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ")
berlin = datetime.strptime(sys.argv[2], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
# the FAT fields hold `utc` as wall-clock time; in Berlin that wall clock is
want = utc.replace(tzinfo=ZoneInfo("Europe/Berlin")).astimezone(timezone.utc)
sys.exit(0 if want == berlin else 1)
PY
ok
eq "$(t ext4berlin)" "$(t ext4)" "ext4 times do not depend on --tz"
cp "$F/fat.img" "$REPLY/ny.img"
cp "$F/fat.img" "$REPLY/nyberlin.img"
TZ=America/New_York expect_exit 0 "$TRAWL" scan -o "$CASE" --no-link "$REPLY/ny.img"
TZ=Asia/Kolkata expect_exit 0 "$TRAWL" scan -o "$CASE" --no-link --tz Europe/Berlin "$REPLY/nyberlin.img"
eq "$(t ny)" "$utc" "the process's TZ does not change times without --tz"
eq "$(t nyberlin)" "$berlin" "the process's TZ does not change times with --tz"
cp "$F/fat.img" "$REPLY/nowhere.img"
expect_exit 1 "$TRAWL" scan -o "$CASE" --no-link --tz Nowhere/Atlantis "$REPLY/nowhere.img"
contains "$ERR" "unknown time zone 'Nowhere/Atlantis'" "an unknown zone is refused"
echo "fs_tz: $T_CHECKS checks passed"
