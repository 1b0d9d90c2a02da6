# fs_planted.sh: the file-system stage on images built by fs.fixture.  Each
# planted e-mail address is found once with its exact value and attributed
# to the right file or area, with the right kind of forensic path: a plain
# offset whose raw bytes hold the value, START-FILE-N for content the raw
# bytes do not hold whole (fragmented, resident across a fixup, compressed),
# a container path for the zip.  Values a fixup garbles never appear garbled.
# Plus: YARA hits, extension mismatch, MBR partition offsets, DFXML.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sqlite3 xmllint
F=$TRAWL_FIXTURES/fs
[ -f "$F/expected" ] || fail "fs fixture missing in $F"

newcase
imgs=("$F/fat.img" "$F/ext4.img" "$F/disk.img")
[ -f "$F/ntfs.img" ] && imgs+=("$F/ntfs.img") || note "ntfs.img not built (no FUSE): NTFS checks skipped"
for img in "${imgs[@]}"; do
    expect_exit 0 "$TRAWL" scan -o "$CASE" --no-link --rules "$F/rules/good.yar" "$img"
done

check()
{ # DEVICE IMAGE VALUE WHERE FORM
    local dev=$1 img=$2 value=$3 where=$4 form=$5
    local rows
    rows=$(sqlq "$CASE" "SELECT i.path, i.pos, coalesce(f.path,''), coalesce(i.area,''),
        coalesce(f.data_start,-1) FROM identifiers i JOIN devices d ON d.id = i.device_id
        LEFT JOIN files f ON f.id = i.file_id WHERE d.name = '$dev' AND i.type = 'email'
        AND i.value = '$value'")
    eq "$(printf '%s\n' "$rows" | grep -c .)" 1 "$dev: rows for $value"
    IFS='|' read -r path pos fpath area start <<<"$rows"
    case $where in
    file:*) eq "$fpath" "${where#file:}" "$dev: file of $value" ;;
    area:*) eq "$area" "${where#area:}" "$dev: area of $value"
            eq "$fpath" "" "$dev: no file for $value" ;;
    esac
    case $form in
    offset)
        [[ $path =~ ^[0-9]+$ ]] || fail "$dev: $value has path '$path', want a plain offset"
        eq "$(dd if="$img" bs=1 skip="$path" count=${#value} status=none)" "$value" \
            "$dev: raw bytes at $path"
        ;;
    START-FILE-N)
        [[ $path =~ ^([0-9]+)-FILE-([0-9]+)$ ]] || fail "$dev: $value has path '$path', want START-FILE-N"
        eq "${BASH_REMATCH[1]}" "$start" "$dev: START of $value is the file's data start"
        eq "$pos" "$start" "$dev: pos of $value"
        ;;
    container)
        [[ $path =~ ^[0-9]+-ZIP-[0-9]+$ ]] || fail "$dev: $value has path '$path', want OFFSET-ZIP-N"
        ;;
    esac
    ok
}

while IFS=$'\t' read -r img value where form; do
    [ -f "$F/$img" ] || continue
    dev=${img%.img}
    check "$dev" "$F/$img" "$value" "$where" "$form"
    # the same file system inside the MBR disk, 1 MiB further on
    if [ "$img" = fat.img ]; then
        check disk "$F/disk.img" "$value" "$where" "$form"
    fi
done <"$F/expected"

# The FRAG value's N is exactly where it sits in frag.txt (6144 - 20).
eq "$(sqlq "$CASE" "SELECT path FROM identifiers WHERE value='frank.fragment@trawl-test.org'
    AND device_id=(SELECT id FROM devices WHERE name='fat')")" "88064-FILE-6124" "fat: frag path"
# The partition's offset shows in the volume and in every offset.
eq "$(sqlq "$CASE" "SELECT offset, fs_type, status FROM volumes v JOIN devices d ON d.id=v.device_id
    WHERE d.name='disk'")" "1048576|fat16|ok" "disk: volume"

if [ -f "$F/ntfs.img" ]; then
    # No garbled or partial copy of the resident value (cut by the fixup at byte 510).
    eq "$(sqlq "$CASE" "SELECT count(*) FROM identifiers i JOIN devices d ON d.id=i.device_id
        WHERE d.name='ntfs' AND i.value LIKE '%resident%' AND i.value <> 'carol.resident.mailbox.address@trawl-test.org'")" \
        0 "ntfs: garbled copies of the resident value"
    # The ADS is a file of its own.
    run "$TRAWL" files --json --path '/host.txt*' "$CASE" ntfs
    eq "$(printf '%s\n' "$OUT" | grep -c '"attr":"secret"')" 1 "ntfs: host.txt:secret listed"
fi

# YARA: the marker rule matched holiday.jpg at the marker's offset, and the
# copy in unallocated space.
eq "$(sqlq "$CASE" "SELECT y.rule, y.tags, coalesce(f.path, y.area), y.path FROM yara_hits y
    LEFT JOIN files f ON f.id=y.file_id JOIN devices d ON d.id=y.device_id WHERE d.name='fat'
    ORDER BY y.pos")" \
    "trawl_marker|test planted|/holiday.jpg|$((102400 + 480))
trawl_marker|test planted|unallocated|$(((24 << 20) + 8192))" "fat: YARA hits"
eq "$(sqlq "$CASE" "SELECT y.pos FROM yara_hits y JOIN devices d ON d.id=y.device_id
    WHERE d.name='disk' AND y.area='unallocated'")" "$(((24 << 20) + 8192 + (1 << 20)))" "disk: YARA hit in unallocated"
# A .jpg that is an executable is flagged; the others are not.
run "$TRAWL" files --type 'application/*' "$CASE" fat
contains "$OUT" "/holiday.jpg  ext-mismatch" "files: ext-mismatch mark"
eq "$(sqlq "$CASE" "SELECT count(*) FROM files WHERE ext_mismatch=1")" 2 "ext_mismatch (fat and disk)"
# The identifiers of one file.
run "$TRAWL" files --identifiers --path /frag.txt "$CASE" fat
contains "$OUT" $'\n        email\tfrank.fragment@trawl-test.org\t88064-FILE-6124' "files --identifiers"
# Deleted listing.
run "$TRAWL" files --deleted "$CASE" fat
contains "$OUT" "/_eleted.txt" "files --deleted"
lacks "$OUT" "/live.txt" "files --deleted lists live files"
run "$TRAWL" files --deleted "$CASE" ext4
contains "$OUT" "/gone.txt" "ext4 deleted file"

# DFXML: well-formed, one fileobject per file row, hashes as in case.db.
X=$CASE/devices/fat/files.dfxml
xmllint --noout "$X" || fail "files.dfxml is not well-formed"
ok
eq "$(grep -c '<fileobject>' "$X")" "$(sqlq "$CASE" "SELECT count(*) FROM files f JOIN devices d ON d.id=f.device_id WHERE d.name='fat'")" "dfxml fileobjects"
contains "$(cat "$X")" "<hashdigest type=\"md5\">$(sqlq "$CASE" "SELECT md5 FROM files WHERE path='/live.txt' AND device_id=(SELECT id FROM devices WHERE name='fat')")</hashdigest>" "dfxml md5 of live.txt"
contains "$(cat "$X")" '<byte_run file_offset="6144" img_offset="96256" len="3010"/>' "dfxml second run of frag.txt"
echo "fs_planted: $T_CHECKS checks passed"
