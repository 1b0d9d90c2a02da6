#!/usr/bin/env bash
# foundation_hashes.sh: issue 2, "How it is checked" (a): the MD5, SHA-1 and
# SHA-256 trawl records for each image equal md5sum/sha1sum/sha256sum over
# the raw media, for raw, split raw (.001 and .aa namings) and E01 (one and
# several segments); for E01 they also equal the MD5/SHA-1 ewfinfo reads
# from the image (verification 'match'); the E01 acquisition metadata is
# recorded; every segment file's SHA-256 is recorded.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sqlite3 ewfinfo ewfverify python3

newcase
note "scan raw, split and E01 images into $CASE"
# One image a device; the names are the file names without extensions.
expect_exit 0 "$TRAWL" scan -o "$CASE" --examiner tester \
    "$FIX/fat.img" "$FIX/ntfs.img" "$FIX/ext4.img" "$FIX/mbr.img" "$FIX/gpt.img" \
    "$FIX/split/usb03.raw.001" "$FIX/splitaa/usb04.aa" \
    "$FIX/e01/laptop.E01" "$FIX/e01/tablet.E01"

eq "$(sqlq "$CASE" 'SELECT count(*) FROM devices')" 9 "device count"
eq "$(sqlq "$CASE" "SELECT group_concat(name, ' ') FROM (SELECT name FROM devices ORDER BY name)")" \
    "ext4 fat gpt laptop mbr ntfs tablet usb03 usb04" "device names"

# check_image DEVICE KEY FORMAT VERIFICATION [SEGMENT_FILE...]
check_image()
{
    local dev=$1 key=$2 format=$3 verification=$4
    shift 4
    local row want_path
    want_path=$(realpath "$FIX/$key")
    row=$(sqlq "$CASE" "SELECT i.path, i.format, i.media_size, i.md5, i.sha1, i.sha256, i.verification
                        FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = '$dev'")
    [ -n "$row" ] || fail "$dev: no images row"
    [ "$(printf '%s\n' "$row" | wc -l)" -eq 1 ] || fail "$dev: more than one image: $row"
    IFS='|' read -r path fmt size md5 sha1 sha256 ver <<<"$row"
    eq "$path" "$want_path" "$dev: images.path (absolute path of the first segment)"
    eq "$fmt" "$format" "$dev: images.format"
    eq "$size" "$(manifest "$key" size)" "$dev: images.media_size"
    eq "$md5" "$(manifest "$key" md5)" "$dev: MD5 vs md5sum of the raw media"
    eq "$sha1" "$(manifest "$key" sha1)" "$dev: SHA-1 vs sha1sum of the raw media"
    eq "$sha256" "$(manifest "$key" sha256)" "$dev: SHA-256 vs sha256sum of the raw media"
    eq "$ver" "$verification" "$dev: images.verification"
    eq "$(sqlq "$CASE" "SELECT size FROM devices WHERE name = '$dev'")" "$size" "$dev: devices.size"
    eq "$(sqlq "$CASE" "SELECT state FROM devices WHERE name = '$dev'")" ok "$dev: devices.state"
    # Segment files: each one's path, size and SHA-256, in order.
    local want_segs="" seg i=0
    for seg in "$@"; do
        want_segs+="$i|$(realpath "$seg")|$(stat -c %s "$seg")|$(sha256sum "$seg" | cut -d' ' -f1)"$'\n'
        i=$((i + 1))
    done
    eq "$(sqlq "$CASE" "SELECT s.seq, s.path, s.size, s.sha256 FROM segments s
                         JOIN images i ON i.id = s.image_id JOIN devices d ON d.id = i.device_id
                         WHERE d.name = '$dev' ORDER BY s.seq")" "${want_segs%$'\n'}" \
        "$dev: segments (seq|path|size|sha256sum of each segment file)"
}

note "raw images"
for n in fat ntfs ext4 mbr gpt; do
    check_image "$n" "$n.img" raw computed "$FIX/$n.img"
done

note "split raw, .001 naming and .aa naming"
check_image usb03 split/usb03.raw.001 split computed \
    "$FIX"/split/usb03.raw.001 "$FIX"/split/usb03.raw.002 "$FIX"/split/usb03.raw.003 "$FIX"/split/usb03.raw.004
check_image usb04 splitaa/usb04.aa split computed \
    "$FIX"/splitaa/usb04.aa "$FIX"/splitaa/usb04.ab "$FIX"/splitaa/usb04.ac

note "E01, one segment and several"
check_image laptop e01/laptop.E01 ewf match "$FIX/e01/laptop.E01"
tablet_segs=("$FIX"/e01/tablet.E0?)
[ ${#tablet_segs[@]} -ge 3 ] || fail "fixture: tablet.E01 should have several segments"
check_image tablet e01/tablet.E01 ewf match "${tablet_segs[@]}"

# The hashes the E01 stores, as libewf's own tools read them.
for dev in laptop tablet; do
    info=$(ewfinfo "$FIX/e01/$dev.E01")
    stored_md5=$(printf '%s\n' "$info" | awk '$1 == "MD5:" { print $2 }')
    [ -n "$stored_md5" ] || fail "ewfinfo shows no MD5 for $dev.E01"
    eq "$(sqlq "$CASE" "SELECT i.stored_md5 FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = '$dev'")" \
        "$stored_md5" "$dev: images.stored_md5 vs ewfinfo"
    eq "$(sqlq "$CASE" "SELECT i.md5 FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = '$dev'")" \
        "$stored_md5" "$dev: computed MD5 vs the MD5 stored in the E01"
    verify_md5=$(ewfverify -q "$FIX/e01/$dev.E01" 2>&1 | awk '/^MD5 hash calculated over data:/ { print $NF }')
    eq "$verify_md5" "$stored_md5" "$dev: ewfverify's computed MD5"
done
# laptop.E01 was acquired with -d sha1: that is stored too.
stored_sha1=$(ewfinfo "$FIX/e01/laptop.E01" | awk '$1 == "SHA1:" { print $2 }')
[ -n "$stored_sha1" ] || fail "ewfinfo shows no SHA1 for laptop.E01"
eq "$(sqlq "$CASE" "SELECT i.stored_sha1 FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = 'laptop'")" \
    "$stored_sha1" "laptop: images.stored_sha1 vs ewfinfo"
eq "$(sqlq "$CASE" "SELECT i.stored_sha1 IS NULL FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = 'tablet'")" \
    1 "tablet: no SHA-1 stored, so stored_sha1 is NULL"
# Raw and split images store no hashes.
eq "$(sqlq "$CASE" "SELECT count(*) FROM images WHERE format IN ('raw','split')
                    AND (stored_md5 IS NOT NULL OR stored_sha1 IS NOT NULL OR stored_sha256 IS NOT NULL)")" \
    0 "raw/split images have no stored hashes"

note "E01 acquisition metadata"
for dev in laptop tablet; do
    acq=$(sqlq "$CASE" "SELECT i.acquisition FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = '$dev'")
    [ -n "$acq" ] || fail "$dev: images.acquisition is empty"
    while IFS='=' read -r key value; do
        case $key in
        case_number) k=case_number ;;
        evidence_number) k=evidence_number ;;
        examiner) k=examiner_name ;;
        description) k=description ;;
        notes) k=notes ;;
        *) continue ;;
        esac
        eq "$(json_get "$acq" "j.get('$k', '<missing>')")" "$value" "$dev: acquisition.$k"
    done <"$FIX/e01.meta"
    # The acquisition date is recorded too (ewfacquire set it to the build time).
    date_v=$(json_get "$acq" "j.get('acquiry_date', '')")
    [ -n "$date_v" ] || fail "$dev: acquisition has no acquiry_date: $acq"
    ok
done
# No acquisition errors in these E01s, none unreadable anywhere.
eq "$(sqlq "$CASE" "SELECT group_concat(DISTINCT acq_errors) FROM images")" "[]" "acq_errors of every image"
eq "$(sqlq "$CASE" "SELECT group_concat(DISTINCT unreadable) FROM images")" "[]" "unreadable ranges of every image"
# A raw image has no acquisition metadata: an empty object (or NULL).
acq=$(sqlq "$CASE" "SELECT coalesce(i.acquisition, '{}') FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = 'fat'")
eq "$(json_get "$acq" 'len(j)')" 0 "fat: no acquisition metadata"

note "sizes that are not a multiple of a sector or of the read size"
tmpdir
for n in 1 511 513 1234567; do
    head -c "$n" "$FIX/gpt.img" >"$REPLY/odd$n.raw"
done
split -b 333333 -d -a 3 --numeric-suffixes=0 "$REPLY/odd1234567.raw" "$REPLY/oddsplit.raw."
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-fs "$REPLY"/odd{1,511,513,1234567}.raw "$REPLY/oddsplit.raw.000"
for n in 1 511 513 1234567; do
    eq "$(sqlq "$CASE" "SELECT media_size || '|' || md5 || '|' || sha1 || '|' || sha256 FROM images WHERE path = '$REPLY/odd$n.raw'")" \
        "$n|$(hashes "$REPLY/odd$n.raw")" "odd$n.raw: size|md5|sha1|sha256"
done
eq "$(sqlq "$CASE" "SELECT format || '|' || media_size || '|' || md5 || '|' || sha1 || '|' || sha256 FROM images WHERE path = '$REPLY/oddsplit.raw.000'")" \
    "split|1234567|$(hashes "$REPLY/odd1234567.raw")" "oddsplit.raw.000 (4 segments of 333333 bytes, from .000)"
eq "$(sqlq "$CASE" "SELECT count(*) FROM segments s JOIN images i ON i.id = s.image_id WHERE i.path = '$REPLY/oddsplit.raw.000'")" \
    4 "oddsplit: 4 segments"

note "an EnCase set with lower-case names (tablet.e01, .e02, ...)"
mkdir "$REPLY/lower"
for f in "$FIX"/e01/tablet.E0?; do
    b=$(basename "$f")
    cp "$f" "$REPLY/lower/${b,,}"
done
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-fs --device lower "$REPLY/lower/tablet.e01"
eq "$(sqlq "$CASE" "SELECT format || '|' || md5 || '|' || sha1 || '|' || sha256 || '|' || verification FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = 'lower'")" \
    "ewf|$(manifest e01/tablet.E01 md5)|$(manifest e01/tablet.E01 sha1)|$(manifest e01/tablet.E01 sha256)|match" "lower-case EnCase set"
eq "$(sqlq "$CASE" "SELECT count(*) FROM segments s JOIN images i ON i.id = s.image_id JOIN devices d ON d.id = i.device_id WHERE d.name = 'lower'")" \
    "${#tablet_segs[@]}" "lower-case EnCase set: every segment"

note "trawl verify on the untouched case"
expect_exit 0 "$TRAWL" verify "$CASE"
eq "$(printf '%s\n' "$OUT" | grep '^OK ' | grep -vc '^OK  *devices/')" 16 "verify: one OK line per image plus the audit log"
eq "$(printf '%s\n' "$OUT" | grep -c '^OK  *devices/')" 15 "verify: one OK line per device's feature files"
lacks "$OUT" MISMATCH "verify output"

done_ok
