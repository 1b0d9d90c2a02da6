#!/usr/bin/env bash
# foundation_names.sh: issue 2, device names.  NAME defaults to the file
# name without its extensions (usb03.raw.001 -> usb03, laptop.E01 ->
# laptop), other characters than letters, digits, '.', '_' and '-' become
# '_'; `--device NAME` groups several images into one device (one run of
# bytes: image k starts where image k-1 ends); a bad --device is a usage
# error.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sqlite3

names()
{
    sqlq "$CASE" "SELECT group_concat(name, ' ') FROM (SELECT name FROM devices ORDER BY name)"
}

note "derived names"
newcase
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-fs "$FIX/split/usb03.raw.001" "$FIX/e01/laptop.E01" \
    "$FIX/splitaa/usb04.aa" "$FIX/noparts.raw"
eq "$(names)" "laptop noparts usb03 usb04" "usb03.raw.001 -> usb03, laptop.E01 -> laptop, usb04.aa -> usb04, noparts.raw -> noparts"

tmpdir
d=$REPLY
cp "$FIX/fat.img" "$d/my disk (1)+x.dd"
cp "$FIX/ntfs.img" "$d/Suspect#7;rm -rf.img"
cp "$FIX/ext4.img" "$d/cam.v2_final-copy.bin"
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-fs "$d/my disk (1)+x.dd" "$d/Suspect#7;rm -rf.img" \
    "$d/cam.v2_final-copy.bin"
eq "$(names)" "Suspect_7_rm_-rf cam.v2_final-copy laptop my_disk__1__x noparts usb03 usb04" \
    "odd characters become '_', '.', '_' and '-' stay"
for n in "my_disk__1__x" "Suspect_7_rm_-rf" "cam.v2_final-copy"; do
    [ -d "$CASE/devices/$n" ] || fail "CASE/devices/$n missing"
    ok
done
eq "$(sqlq "$CASE" "SELECT path FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = 'my_disk__1__x'")" \
    "$d/my disk (1)+x.dd" "the image path is kept as it is"

note "a file name with a newline and terminal escapes"
evil=$d/$'ev\nil\e[31m\e]0;pwn\a.img'
cp "$FIX/fat.img" "$evil"
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-fs "$evil"
lacks "$ERR" $'\e' "stderr carries no raw ESC"
eq "$(names)" "Suspect_7_rm_-rf cam.v2_final-copy ev_il__31m__0_pwn_ laptop my_disk__1__x noparts usb03 usb04" \
    "the odd name's device"
eq "$(sqlq "$CASE" "SELECT path = '$(printf '%s' "$evil" | sed "s/'/''/g")' FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = 'ev_il__31m__0_pwn_'")" \
    1 "the exact path is stored"
expect_exit 0 "$TRAWL" info "$CASE"
lacks "$OUT" $'\e' "info prints no raw ESC"
lacks "$OUT" $'\a' "info prints no raw BEL"
"$PY" - "$CASE/audit.log" "$evil" <<'EOF2' || fail "audit.log with the odd name"
import json, sys
lines = open(sys.argv[1], 'rb').read().splitlines()
recs = [json.loads(l) for l in lines]
assert any(sys.argv[2] in r['argv'] for r in recs), 'the exact file name is in an audit argv'
EOF2
ok
expect_exit 0 "$TRAWL" verify "$CASE"
lacks "$OUT" $'\e' "verify prints no raw ESC"

note "relative image paths are recorded absolute; an empty existing folder becomes a case"
tmpdir
mkdir "$REPLY/case"
CASE=$REPLY/case
(cd "$FIX/split" && "$TRAWL" scan -o "$CASE" --no-fs usb03.raw.001 ../ntfs.img) >/dev/null 2>&1 ||
    fail "scan with relative paths into an empty folder"
ok
eq "$(sqlq "$CASE" "SELECT group_concat(path, ' ') FROM (SELECT path FROM images ORDER BY path)")" \
    "$(realpath "$FIX/ntfs.img") $(realpath "$FIX/split/usb03.raw.001")" "images.path is absolute"
eq "$(sqlq "$CASE" "SELECT group_concat(path, ' ') FROM (SELECT path FROM segments WHERE path NOT LIKE '/%')")" \
    "" "segments.path is absolute"
# and a relative CASE path
(cd "$REPLY" && "$TRAWL" scan -o case --no-fs "$FIX/ext4.img") >/dev/null 2>&1 || fail "scan -o with a relative case path"
eq "$(names)" "ext4 ntfs usb03" "the relative case path is the same case"

note "--device groups images into one device"
newcase
expect_exit 0 "$TRAWL" scan -o "$CASE" --device phone-2 "$FIX/mbr.img" "$FIX/gpt.img" "$FIX/e01/laptop.E01"
eq "$(names)" "phone-2" "one device"
mbr=$(manifest mbr.img size) gpt=$(manifest gpt.img size)
eq "$(sqlq "$CASE" "SELECT size FROM devices WHERE name = 'phone-2'")" $((mbr + gpt + mbr)) "device size = sum of the images"
eq "$(sqlq "$CASE" "SELECT i.seq || ' ' || i.base || ' ' || i.format || ' ' || i.sha256 FROM images i
                    JOIN devices d ON d.id = i.device_id WHERE d.name = 'phone-2' ORDER BY i.seq")" \
    "0 0 raw $(manifest mbr.img sha256)
1 $mbr raw $(manifest gpt.img sha256)
2 $((mbr + gpt)) ewf $(manifest e01/laptop.E01 sha256)" "images in order, with their device offsets"
eq "$(ls "$CASE/devices")" "phone-2" "one feature folder"
# The same images again under the same --device: a no-op.
expect_exit 0 "$TRAWL" scan -o "$CASE" --device phone-2 "$FIX/mbr.img" "$FIX/gpt.img" "$FIX/e01/laptop.E01"
contains "$ERR" "already" "regrouping the same images is a no-op that says so"
eq "$(sqlq "$CASE" 'SELECT count(*) FROM images')" 3 "no images added by the no-op"
# Part of the group again, with a new image: refused (an image belongs to one device).
expect_exit 1 "$TRAWL" scan -o "$CASE" --device phone-3 "$FIX/mbr.img" "$FIX/ext4.img"
eq "$(names)" "phone-2" "a group reusing an image is refused"
# A name already used, with other images: refused, pointing at --device.
expect_exit 1 "$TRAWL" scan -o "$CASE" --device phone-2 "$FIX/ext4.img"
contains "$ERR" "--device" "the clash suggests --device"
eq "$(sqlq "$CASE" 'SELECT count(*) FROM images')" 3 "nothing added by the clash"

# The same image twice in one group: refused cleanly (not a crash).
st=$(case_state "$CASE")
run "$TRAWL" scan -o "$CASE" --device twice "$FIX/ntfs.img" "$FIX/ntfs.img"
defer eq "$RC" 1 "--device twice with the same image twice: exit (stderr: $ERR)"
defer one_line "$ERR" "--device twice: a one-line error"
defer eq "$(case_state "$CASE")" "$st" "--device twice: case unchanged"
# The same image twice without --device: the second is a no-op.
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-fs "$FIX/ntfs.img" "$FIX/ntfs.img"
eq "$(sqlq "$CASE" "SELECT count(*) FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = 'ntfs'")" \
    1 "the same image twice on one command line goes in once"
contains "$ERR" "already" "the second copy is a no-op that says so"

note "bad --device values are usage errors"
for bad in "" "a/b" "../x" "." ".." "sp ace" "ä"; do
    expect_exit 2 "$TRAWL" scan -o "$CASE" --device "$bad" "$FIX/ext4.img"
done
eq "$(names)" "ntfs phone-2" "usage errors add nothing"

done_ok
