#!/usr/bin/env bash
# foundation_badinput.sh: issue 2 (e), bad input.  Each bad image gets a
# one-line error on stderr naming the file, exit 1, no change to the case's
# devices, images, segments, identifiers or feature files, and one 'refused'
# line in the audit log: a missing file, an unreadable file, an empty file,
# a split set with a gap, a truncated E01, a corrupt E01, an Ex01.  A CASE
# folder that is not a case, and a case.db from a newer schema, are refused
# and left exactly as they were.  One bad image among good ones: the good
# ones go in, the exit code is 1.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sqlite3 python3

tmpdir
scratch=$REPLY
newcase
expect_exit 0 "$TRAWL" scan -o "$CASE" "$FIX/fat.img"
eq "$(sqlq "$CASE" 'SELECT count(*) FROM devices')" 1 "one device to start with"
[ -d "$CASE/devices/fat" ] || fail "CASE/devices/fat missing after the first scan"
ok

# refused WHAT NEEDLE IMAGE...: scanning IMAGE... into CASE is refused.
# NEEDLE must occur in the error line (the file's name, or the missing
# segment's).
refused()
{
    local what=$1 needle=$2
    shift 2
    local state lines
    state=$(case_state "$CASE")
    lines=$(audit_lines "$CASE")
    expect_exit 1 "$TRAWL" scan -o "$CASE" "$@"
    one_line "$ERR" "$what: stderr"
    contains "$ERR" "$needle" "$what: the error names the file"
    eq "$(case_state "$CASE")" "$state" "$what: case devices/images/segments/identifiers/feature files unchanged"
    eq "$(audit_lines "$CASE")" $((lines + 1)) "$what: one audit line added"
    local last
    last=$(audit_last "$CASE")
    eq "$(json_get "$last" 'j["action"] + "/" + j["outcome"]')" "scan/refused" "$what: the audit line"
    contains "$(json_get "$last" 'j["argv"]')" "$(basename "$1")" "$what: the audit line's argv"
    eq "$(ls -A "$CASE/devices" | grep -c 'partial' || true)" 0 "$what: no .partial folder left behind"
    note "refused: $what: $ERR"
}

refused "missing file" "no-such-image.raw" "$scratch/no-such-image.raw"
mkdir "$scratch/adir.img"
refused "a directory" "adir.img" "$scratch/adir.img"
if [ "$(id -u)" -ne 0 ]; then
    cp "$FIX/fat.img" "$scratch/locked.img"
    chmod 000 "$scratch/locked.img"
    refused "unreadable file" "locked.img" "$scratch/locked.img"
elif command -v setpriv >/dev/null && id nobody >/dev/null 2>&1 &&
    setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$TRAWL" --version >/dev/null 2>&1 &&
    setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups test -r "$FIX/fat.img"; then
    # As root, chmod 000 stops nothing: run trawl as nobody, on its own case.
    note "unreadable file: as root, running trawl as nobody"
    nob=$scratch/nobody
    chmod 711 "$scratch" # mktemp made it 700
    mkdir -m 777 "$nob"
    cp "$FIX/fat.img" "$nob/good.img"
    cp "$FIX/fat.img" "$nob/locked.img"
    chmod 644 "$nob/good.img"
    chmod 000 "$nob/locked.img"
    asnobody=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
    expect_exit 0 "${asnobody[@]}" "$TRAWL" scan -o "$nob/case" "$nob/good.img"
    st=$(case_state "$nob/case")
    n=$(audit_lines "$nob/case")
    expect_exit 1 "${asnobody[@]}" "$TRAWL" scan -o "$nob/case" "$nob/locked.img"
    one_line "$ERR" "unreadable file: stderr"
    contains "$ERR" "locked.img" "unreadable file: the error names the file"
    eq "$(case_state "$nob/case")" "$st" "unreadable file: case unchanged"
    eq "$(audit_lines "$nob/case")" $((n + 1)) "unreadable file: one audit line added"
    eq "$(json_get "$(audit_last "$nob/case")" 'j["outcome"]')" refused "unreadable file: the audit line"
else
    note "running as root, and nobody cannot run trawl here: the directory case stands in for an unreadable file"
fi
refused "empty file" "empty.raw" "$FIX/bad/empty.raw"
# Not a regular file: a FIFO must be refused at once, not waited on; /dev/null.
mkfifo "$scratch/pipe.img"
st=$(case_state "$CASE")
run timeout 10 "$TRAWL" scan -o "$CASE" "$scratch/pipe.img"
defer eq "$RC" 1 "a FIFO as the image: exit (124 = hung until timeout; stderr: $ERR)"
defer contains "$ERR" "pipe.img" "a FIFO: the error names it"
defer eq "$(case_state "$CASE")" "$st" "a FIFO: case unchanged"
refused "/dev/null" "/dev/null" /dev/null
refused "split set with a gap" "gap.002" "$FIX/bad/gap.001"
refused "truncated E01" "truncated.E01" "$FIX/bad/truncated.E01"
# EnCase sets with a segment missing: in the middle, and at the end.
mkdir "$scratch/e01gap" "$scratch/e01end"
cp "$FIX"/e01/tablet.E0? "$scratch/e01gap/"
cp "$FIX"/e01/tablet.E0? "$scratch/e01end/"
rm "$scratch/e01gap/tablet.E02"
last_seg=$(ls "$scratch/e01end"/tablet.E0? | tail -n 1)
rm "$last_seg"
refused "E01 set without .E02" "tablet.E01" "$scratch/e01gap/tablet.E01"
defer contains "$ERR" "E02" "E01 set without .E02: the error names the missing segment"
mkdir "$scratch/e01cut"
cp "$FIX"/e01/tablet.E0? "$scratch/e01cut/"
mid_seg=$scratch/e01cut/tablet.E02
head -c $(($(stat -c %s "$mid_seg") / 2)) "$FIX/e01/tablet.E02" >"$mid_seg"
refused "E01 set with .E02 cut in half" "tablet.E0" "$scratch/e01cut/tablet.E01"
defer contains "$ERR" "tablet.E02" "E01 set with .E02 cut in half: the error names the damaged segment"
# A stray .E05 from another acquisition next to a complete set: refused, or
# ignored with the right hashes; never a wrong hash recorded.
mkdir "$scratch/e01stray"
cp "$FIX"/e01/tablet.E0? "$scratch/e01stray/"
cp "$FIX/e01/laptop.E01" "$scratch/e01stray/tablet.E05"
tmpdir
run "$TRAWL" scan -o "$REPLY/case" --no-fs "$scratch/e01stray/tablet.E01"
if [ "$RC" = 0 ]; then
    eq "$(sqlq "$REPLY/case" 'SELECT sha256 || verification FROM images')" "$(manifest e01/tablet.E01 sha256)match" \
        "a stray .E05 accepted: the set's hashes are still right"
else
    eq "$RC" 1 "a stray .E05: refused"
    one_line "$ERR" "a stray .E05: stderr"
fi
refused "E01 set without its last segment" "tablet.E01" "$scratch/e01end/tablet.E01"
defer contains "$ERR" "$(basename "$last_seg")" "E01 set without its last segment: names it"
refused "corrupt E01" "corrupt.E01" "$FIX/bad/corrupt.E01"
refused "Ex01 (EWF2)" "evidence.Ex01" "$FIX/bad/evidence.Ex01"
contains "$ERR" "Ex01" "the Ex01 refusal says what it is"
# The same bytes under a name that does not say E01: detection is by signature.
cp "$FIX/bad/evidence.Ex01" "$scratch/renamed.bin"
refused "Ex01 named .bin" "renamed.bin" "$scratch/renamed.bin"
cp "$FIX/bad/corrupt.E01" "$scratch/corrupt-as.raw"
refused "corrupt E01 named .raw" "corrupt-as.raw" "$scratch/corrupt-as.raw"

note "a later segment given instead of the first"
refused "split .002 given" "usb03.raw.001" "$FIX/split/usb03.raw.002"
# An EnCase set opened from .E02: either refused pointing at .E01, or
# recorded as the set it is (images.path is the first segment), so that
# the same evidence cannot go into the case twice.
tmpdir
lc=$REPLY/case
run "$TRAWL" scan -o "$lc" --no-fs "$FIX/e01/tablet.E02"
if [ "$RC" = 0 ]; then
    defer eq "$(sqlq "$lc" 'SELECT path FROM images')" "$(realpath "$FIX/e01/tablet.E01")" \
        "tablet.E02 accepted: images.path must be the first segment"
    run "$TRAWL" scan -o "$lc" --no-fs "$FIX/e01/tablet.E01"
    defer eq "$RC" 0 "tablet.E01 after tablet.E02: exit (stderr: $ERR)"
    defer lacks "$ERR" "--device" "tablet.E01 after tablet.E02: the same evidence, a no-op, not a name clash"
    defer eq "$(sqlq "$lc" 'SELECT count(*) FROM images')" 1 "tablet.E01 after tablet.E02: one image"
else
    eq "$RC" 1 "tablet.E02 refused: exit"
    one_line "$ERR" "tablet.E02 refused: stderr"
    contains "$ERR" "tablet.E01" "tablet.E02 refused: points at the first segment"
fi

note "a VMDK descriptor naming extents outside its folder"
# Evidence is hostile: a descriptor must not make trawl read other files.
mkdir "$scratch/vm"
head -c 4096 "$FIX/noparts.raw" >"$scratch/secret.raw"
vmdk_desc()
{
    printf '# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType="monolithicFlat"\n\n'
    printf '# Extent description\nRW 8 FLAT "%s" 0\n\n# The Disk Data Base\n#DDB\n\nddb.virtualHWVersion = "4"\n' "$1"
}
head -c 4096 "$FIX/noparts.raw" >"$scratch/vm/inside.raw"
vmdk_desc inside.raw >"$scratch/vm/good.vmdk"
vmdk_desc ../secret.raw >"$scratch/vm/up.vmdk"
vmdk_desc "$scratch/secret.raw" >"$scratch/vm/abs.vmdk"
tmpdir
vc=$REPLY/case
expect_exit 0 "$TRAWL" scan -o "$vc" --no-fs "$scratch/vm/good.vmdk"
eq "$(sqlq "$vc" "SELECT format || ' ' || media_size || ' ' || sha256 FROM images")" \
    "vmdk 4096 $(sha256sum <"$scratch/vm/inside.raw" | cut -d' ' -f1)" "a flat VMDK with its extent beside it"
eq "$(sqlq "$vc" "SELECT group_concat(path, ' ') FROM (SELECT path FROM segments ORDER BY seq)")" "$scratch/vm/good.vmdk $scratch/vm/inside.raw" \
    "the flat VMDK's segments: descriptor and extent"
for v in up abs; do
    run "$TRAWL" scan -o "$vc" --no-fs "$scratch/vm/$v.vmdk"
    if [ "$RC" = 0 ]; then
        eq "$(sqlq "$vc" "SELECT count(*) FROM segments WHERE path NOT LIKE '$scratch/vm/%'")" 0 \
            "$v.vmdk: accepted, but only files in its own folder read"
    else
        eq "$RC" 1 "$v.vmdk: refused"
        one_line "$ERR" "$v.vmdk: stderr"
        # The extent's name intact in the message (a mangled one, e.g. "se.",
        # means the path was cut in memory: libvmdk's libcpath_path_join
        # resolving to libewf's copy overflowed a buffer under ASan here).
        defer contains "$ERR" "secret.raw" "$v.vmdk: the refusal names the extent"
    fi
done

note "same derived NAME from another file: refused, suggesting --device"
mkdir "$scratch/other"
cp "$FIX/ext4.img" "$scratch/other/fat.img"
refused "name clash" "--device" "$scratch/other/fat.img"
contains "$ERR" "fat" "the clash message names the device"
expect_exit 0 "$TRAWL" scan -o "$CASE" --device fat2 "$scratch/other/fat.img"
eq "$(sqlq "$CASE" "SELECT i.sha256 FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = 'fat2'")" \
    "$(manifest ext4.img sha256)" "--device fat2 holds the other file"

note "one bad image among good ones"
state_lines=$(audit_lines "$CASE")
expect_exit 1 "$TRAWL" scan -o "$CASE" "$FIX/ntfs.img" "$FIX/bad/empty.raw" "$FIX/ext4.img"
contains "$ERR" "empty.raw" "stderr names the bad image"
eq "$(sqlq "$CASE" "SELECT group_concat(name, ' ') FROM (SELECT name FROM devices ORDER BY name)")" \
    "ext4 fat fat2 ntfs" "the good images went in, the bad one did not"
eq "$(sqlq "$CASE" "SELECT count(*) FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = 'empty'")" \
    0 "no half-added device for the bad image"
[ ! -e "$CASE/devices/empty" ] || fail "CASE/devices/empty exists"
ok
[ -d "$CASE/devices/ntfs" ] && [ -d "$CASE/devices/ext4" ] || fail "feature folders of the good images missing"
ok
"$PY" - "$CASE/audit.log" "$state_lines" <<'EOF' || fail "audit lines of the mixed scan"
import json, sys
lines = open(sys.argv[1], 'rb').read().splitlines()[int(sys.argv[2]):]
got = [(json.loads(l)['device'] if 'device' in json.loads(l) else None, json.loads(l)['outcome']) for l in lines]
outcomes = [o for _, o in got]
assert outcomes.count('ok') >= 2 and outcomes.count('refused') == 1, got
EOF
ok

note "scanning the same image again is a no-op that says so"
state=$(case_state "$CASE")
expect_exit 0 "$TRAWL" scan -o "$CASE" "$FIX/fat.img"
contains "$ERR" "already" "the no-op says so"
eq "$(case_state "$CASE")" "$state" "the no-op leaves the case unchanged"
# via a different spelling of the same path
expect_exit 0 "$TRAWL" scan -o "$CASE" "$FIX/./split/../fat.img"
eq "$(case_state "$CASE")" "$state" "the same file by another path spelling is a no-op too"

note "a raw file with no partition table and no file system: scanned, with a warning"
# (the planted address is under example.com, which the default stop list drops)
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-default-stop-list "$FIX/noparts.raw"
contains "$ERR" "warning" "a warning on stderr"
contains "$ERR" "noparts" "the warning names the device"
eq "$(sqlq "$CASE" "SELECT d.state, i.format, i.sha256 FROM images i JOIN devices d ON d.id = i.device_id WHERE d.name = 'noparts'")" \
    "ok|raw|$(manifest noparts.raw sha256)" "noparts: state|format|sha256"
# Its bytes were scanned: the planted address is found.
eq "$(sqlq "$CASE" "SELECT count(*) FROM identifiers x JOIN devices d ON d.id = x.device_id
                    WHERE d.name = 'noparts' AND x.value = 'dora.raw@example.com'")" 1 \
    "noparts: the planted e-mail address found once"

note "a CASE folder that is not a case"
notcase=$scratch/notcase
mkdir "$notcase"
echo "someone's notes" >"$notcase/notes.txt"
before=$(cd "$notcase" && find . -printf '%p %s %T@\n' | LC_ALL=C sort)
expect_exit 1 "$TRAWL" scan -o "$notcase" "$FIX/fat.img"
one_line "$ERR" "not a case: stderr"
contains "$ERR" "$notcase" "not a case: the error names the folder"
eq "$(cd "$notcase" && find . -printf '%p %s %T@\n' | LC_ALL=C sort)" "$before" "not a case: folder untouched"
for cmd in verify info; do
    expect_exit 1 "$TRAWL" $cmd "$notcase"
    one_line "$ERR" "$cmd on a non-case: stderr"
done
# a file where the case folder should be
echo data >"$scratch/afile"
expect_exit 1 "$TRAWL" scan -o "$scratch/afile" "$FIX/fat.img"
eq "$(cat "$scratch/afile")" data "a file given as CASE is untouched"
# a folder holding a case.db that is not SQLite
mkdir "$scratch/fakecase"
echo "not sqlite" >"$scratch/fakecase/case.db"
: >"$scratch/fakecase/audit.log"
expect_exit 1 "$TRAWL" scan -o "$scratch/fakecase" "$FIX/fat.img"
eq "$(cat "$scratch/fakecase/case.db")" "not sqlite" "a fake case.db is untouched"
eq "$(stat -c %s "$scratch/fakecase/audit.log")" 0 "a fake case's audit.log is untouched"

# a folder holding another program's SQLite database as case.db: refused,
# and the database is not touched (not even switched to WAL)
mkdir "$scratch/foreign"
sqlite3 "$scratch/foreign/case.db" 'CREATE TABLE t(x); INSERT INTO t VALUES(1);'
: >"$scratch/foreign/audit.log"
foreign_sum=$(sha256sum <"$scratch/foreign/case.db")
expect_exit 1 "$TRAWL" scan -o "$scratch/foreign" "$FIX/fat.img"
one_line "$ERR" "foreign case.db: stderr"
defer eq "$(sha256sum <"$scratch/foreign/case.db")" "$foreign_sum" "a foreign SQLite case.db is byte-for-byte untouched"
defer eq "$(ls -A "$scratch/foreign" | tr '\n' ' ')" "audit.log case.db " "no -wal/-shm files left next to a foreign case.db"

note "a case.db written by a newer schema"
newer=$scratch/newer
cp -a "$CASE" "$newer"
sqlite3 "$newer/case.db" 'UPDATE schema_version SET version = 999'
db_before=$(sqlite3 -batch "$newer/case.db" .dump | sha256sum)
log_before=$(sha256sum <"$newer/audit.log")
for args in "scan -o $newer $FIX/ntfs.img" "verify $newer" "info $newer"; do
    # shellcheck disable=SC2086
    expect_exit 1 "$TRAWL" $args
    one_line "$ERR" "newer schema ($args): stderr"
    contains "$ERR" "$newer" "newer schema ($args): names the case"
    contains "$ERR" "schema" "newer schema ($args): says why"
done
eq "$(sqlite3 -batch "$newer/case.db" .dump | sha256sum)" "$db_before" "newer schema: case.db unchanged"
eq "$(sha256sum <"$newer/audit.log")" "$log_before" "newer schema: audit.log unchanged"

note "the case still verifies after all that"
expect_exit 0 "$TRAWL" verify "$CASE"

done_ok
