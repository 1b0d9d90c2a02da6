# fs_samples.sh: on Debian's forensics-samples images (NTFS, FAT32, ext4,
# exFAT, and a disk with several partitions), the file list trawl stores
# (paths, sizes, deleted flags) equals what `fls -r -p -l` prints for each
# volume, and every MD5 trawl computed equals `icat | md5sum`.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd fls icat python3
S=$TRAWL_FIXTURES/fs/samples
shopt -s nullglob
imgs=("$S"/fs.*)
if [ ${#imgs[@]} -eq 0 ]; then
    [ -n "${CI:-}" ] && fail "forensics-samples images missing in $S (CI must have them)"
    skip "forensics-samples packages not installed"
fi
newcase
tmpdir
W=$REPLY
for img in "${imgs[@]}"; do
    dev=$(basename "$img" | tr . -)
    expect_exit 0 "$TRAWL" scan -o "$CASE" --no-link --device "$dev" "$img"
    "$TRAWL" files --json "$CASE" "$dev" >"$W/$dev.json"
    nvol=0
    while IFS='|' read -r off; do
        sect=$((off / 512))
        fls -r -p -l -o "$sect" "$img" >"$W/$dev.$sect.fls"
        python3 - "$W/$dev.json" "$W/$dev.$sect.fls" "$off" "$img" "$sect" <<'PY' || fail "$dev: volume at $off differs from fls/icat"
import json, re, subprocess, sys
jpath, fpath, off, img, sect = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
mine = {}
for line in open(jpath):
    r = json.loads(line)
    if r["volume_offset"] != off:
        continue
    key = r["path"][1:]
    mine.setdefault(key, []).append(r)
theirs = {}
for line in open(fpath, encoding="utf-8", errors="surrogateescape"):
    cols = line.rstrip("\n").split("\t")
    head, name, size = cols[0], cols[1], int(cols[6])
    m = re.match(r"^\S+ (\* )?([0-9]+(?:-[0-9]+-[0-9]+)?)(?: ?\(realloc\))?:$", head)
    assert m, head
    theirs.setdefault(name, []).append((size, 0 if m.group(1) else 1, m.group(2)))
bad = 0
if sorted(mine) != sorted(theirs):
    print("paths differ: only trawl:", sorted(set(mine) - set(theirs))[:10],
          "only fls:", sorted(set(theirs) - set(mine))[:10])
    bad += 1
nmd5 = 0
for name in sorted(set(mine) & set(theirs)):
    a = sorted((r["size"], r["alloc"]) for r in mine[name])
    b = sorted((s, al) for s, al, _ in theirs[name])
    if a != b:
        print("size/alloc differ for", name, a, b); bad += 1
    for r, (s, al, addr) in zip(sorted(mine[name], key=lambda r: (r["size"], r["alloc"])), sorted(theirs[name])):
        if r["md5"] is None:
            if al == 1 and r["meta_type"] == "reg" and s > 0 and not name.startswith("$BadClus"):
                print("no md5 for allocated file", name); bad += 1
            continue
        out = subprocess.run(["icat", "-o", sect, img, addr], capture_output=True).stdout
        import hashlib
        if hashlib.md5(out).hexdigest() != r["md5"]:
            print("md5 differs for", name, r["md5"], hashlib.md5(out).hexdigest()); bad += 1
        nmd5 += 1
print("volume %d: %d names, %d md5s compared, %d differences" % (off, len(theirs), nmd5, bad), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
        ok
        nvol=$((nvol + 1))
    done < <(sqlq "$CASE" "SELECT v.offset FROM volumes v JOIN devices d ON d.id=v.device_id
                WHERE d.name='$dev' AND v.fs_type IS NOT NULL ORDER BY v.offset")
    [ "$nvol" -ge 1 ] || fail "$dev: no readable volume"
done
# fs.multiple holds a btrfs partition: recorded as unreadable, not fatal.
if [ -f "$S/fs.multiple" ]; then
    contains "$(sqlq "$CASE" "SELECT status FROM volumes v JOIN devices d ON d.id=v.device_id
        WHERE d.name='fs-multiple' AND fs_type IS NULL")" "btrfs: not readable by TSK 4.11" "btrfs status"
    contains "$(sqlq "$CASE" "SELECT message FROM problems p JOIN devices d ON d.id=p.device_id
        WHERE d.name='fs-multiple'")" "btrfs" "btrfs problem recorded"
fi
echo "fs_samples: $T_CHECKS checks passed"
