#!/usr/bin/env bash
# foundation_integrity.sh: issue 2 (b): one byte flipped inside an E01
# chunk is a loud integrity failure: `trawl scan` warns, records the device
# with state 'integrity' and verification 'mismatch', exits 3; `trawl
# verify` exits 3.  Also: evidence changed after the scan (a raw image, one
# segment of an E01 set, a missing split segment) makes `trawl verify` fail.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sqlite3 ewfverify python3

note "the fixture's flipped E01 really is damaged"
if ewfverify -q "$FIX/integrity/flipped.E01" >/dev/null 2>&1; then
    fail "fixture: ewfverify accepts integrity/flipped.E01"
fi
ok

newcase
expect_exit 0 "$TRAWL" scan -o "$CASE" "$FIX/fat.img"
note "scan the flipped E01"
expect_exit 3 "$TRAWL" scan -o "$CASE" "$FIX/integrity/flipped.E01"
# Loud: a warning naming the file and saying MISMATCH, and the final error.
contains "$ERR" "flipped.E01" "scan stderr names the image"
contains "$(printf '%s' "$ERR" | tr a-z A-Z)" "MISMATCH" "scan stderr says MISMATCH"
row=$(sqlq "$CASE" "SELECT d.state, i.verification, i.md5 = i.stored_md5, i.stored_md5
                    FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = 'flipped'")
eq "$row" "integrity|mismatch|0|$(manifest integrity/flipped.E01 md5)" \
    "flipped: state|verification|md5 = stored|stored md5 (= md5sum of the original fat.img)"
eq "$(sqlq "$CASE" "SELECT i.unreadable FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = 'flipped'")" \
    "[[0,32768]]" "flipped: the damaged chunk (the first 32 KiB) recorded as unreadable"
eq "$(sqlq "$CASE" "SELECT state FROM devices WHERE name = 'fat'")" ok "fat stays ok"

note "scan an E01 with a flipped bit in a compressed chunk"
if ewfverify -q "$FIX/integrity/flippedz.E01" >/dev/null 2>&1; then
    fail "fixture: ewfverify accepts integrity/flippedz.E01"
fi
expect_exit 3 "$TRAWL" scan -o "$CASE" "$FIX/integrity/flippedz.E01"
contains "$(printf '%s' "$ERR" | tr a-z A-Z)" "MISMATCH" "flippedz: scan stderr says MISMATCH"
eq "$(sqlq "$CASE" "SELECT d.state, i.verification, i.stored_md5, i.stored_sha1, i.unreadable
                    FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = 'flippedz'")" \
    "integrity|mismatch|$(manifest integrity/flippedz.E01 md5)|$(manifest integrity/flippedz.E01 sha1)|[[0,32768]]" \
    "flippedz: state|verification|stored md5|stored sha1|unreadable"
line=$(grep '"device":"flipped"' "$CASE/audit.log" | grep '"action":"scan"' | tail -n 1)
[ -n "$line" ] || fail "audit: no scan line for device flipped"
eq "$(json_get "$line" 'j["outcome"]')" integrity "audit: the scan's outcome records the integrity failure"
contains "$(json_get "$line" 'j.get("detail") or ""')" "$(manifest integrity/flipped.E01 md5)" \
    "audit: the detail gives the stored MD5 that did not match"

note "trawl verify on a case holding the flipped E01"
expect_exit 3 "$TRAWL" verify "$CASE"
contains "$OUT" "flipped.E01" "verify names the image"
contains "$(printf '%s' "$OUT" | grep flipped.E01)" "MISMATCH" "verify's line for flipped.E01"
contains "$(printf '%s' "$OUT" | grep fat.img)" "OK" "verify's line for fat.img"
eq "$(json_get "$(audit_last "$CASE")" 'j["action"] + " " + j["outcome"]')" "verify integrity" \
    "audit: verify records its failure"

note "evidence altered after the scan"
tmpdir
ev=$REPLY
cp "$FIX/fat.img" "$ev/stick.img"
cp "$FIX"/e01/tablet.E0? "$ev/"
mkdir "$ev/split"
cp "$FIX"/split/usb03.raw.00? "$ev/split/"
newcase
expect_exit 0 "$TRAWL" scan -o "$CASE" "$ev/stick.img" "$ev/tablet.E01" "$ev/split/usb03.raw.001"
expect_exit 0 "$TRAWL" verify "$CASE"

# 1. one byte of a raw image
cp "$ev/stick.img" "$ev/stick.orig"
printf '\x42' | dd of="$ev/stick.img" bs=1 seek=600000 conv=notrunc status=none
cmp -s "$ev/stick.img" "$ev/stick.orig" && fail "test setup: the byte flip changed nothing"
expect_exit 3 "$TRAWL" verify "$CASE"
contains "$(printf '%s' "$OUT" | grep stick.img)" "MISMATCH" "verify: changed raw image"
mv "$ev/stick.orig" "$ev/stick.img"
expect_exit 0 "$TRAWL" verify "$CASE"

# 2. bytes appended to the last segment of the E01 set (the media reads the
#    same; the segment file's SHA-256 does not)
last=$(ls "$ev"/tablet.E0? | tail -n 1)
cp "$last" "$ev/last.orig"
printf 'tampered' >>"$last"
expect_exit 3 "$TRAWL" verify "$CASE"
contains "$OUT" "$(basename "$last")" "verify names the changed segment"
mv "$ev/last.orig" "$last"
expect_exit 0 "$TRAWL" verify "$CASE"

# 3. a split segment removed
mv "$ev/split/usb03.raw.002" "$ev/split/usb03.raw.002.away"
expect_exit 3 "$TRAWL" verify "$CASE"
contains "$OUT" "usb03.raw.002" "verify names the missing segment"
mv "$ev/split/usb03.raw.002.away" "$ev/split/usb03.raw.002"
expect_exit 0 "$TRAWL" verify "$CASE"

done_ok
