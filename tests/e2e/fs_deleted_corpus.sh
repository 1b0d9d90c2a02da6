# fs_deleted_corpus.sh: Brian Carrier's deleted-file test images (DFTT #6
# FAT, #7 NTFS).  Every deleted file their index.html lists is listed by
# trawl as deleted with the published size; on NTFS every MD5 equals the
# published one (resident, fragmented, ADS, deleted directories, reallocated
# parent).  On FAT the published MD5 is matched for the contiguous files; a
# deleted fragmented FAT file cannot be rebuilt from the FAT (its chain is
# gone; TSK, like every FAT undeleter, reads the clusters that follow the
# first), so there trawl's MD5 must equal `icat`'s, not the published one.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_corpus
need_cmd python3 icat
C=$TRAWL_CORPUS/deleted
newcase
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-link "$C/6-undel-fat/6-undel-fat/6-fat-undel.dd" \
    "$C/7-undel-ntfs/7-undel-ntfs/7-ntfs-undel.dd"
tmpdir
W=$REPLY
"$TRAWL" files --deleted --json "$CASE" 6-fat-undel >"$W/fat.json"
"$TRAWL" files --deleted --json "$CASE" 7-ntfs-undel >"$W/ntfs.json"
python3 - "$C" "$W" "$C/6-undel-fat/6-undel-fat/6-fat-undel.dd" <<'PY' || fail "deleted files differ from the published answers"
import hashlib, json, re, subprocess, sys
C, W, fatimg = sys.argv[1:4]
def published(path):
    text = re.sub(r"<[^>]*>", " ", open(path, encoding="latin-1").read())
    rows = []
    for m in re.finditer(r"^\s*\d+\s+(?:[0-9-]+\s+)?(\\\S+)\s+(\d+)\s+([0-9a-f]{32})\s", text, re.M):
        rows.append((m.group(1).split("\\")[-1], int(m.group(2)), m.group(3)))
    return rows
bad = 0
for kind, html in (("ntfs", "7-undel-ntfs/7-undel-ntfs/index.html"),
                   ("fat", "6-undel-fat/6-undel-fat/index.html")):
    mine = [json.loads(l) for l in open(f"{W}/{kind}.json")]
    pub = published(f"{C}/{html}")
    assert len(pub) >= 6, pub
    for name, size, md5 in pub:
        # FAT overwrites a deleted entry's first byte (TSK shows '_'); entries
        # inside a deleted folder keep theirs
        want = {name, "_" + name[1:]} if kind == "fat" else {name}
        cand = [r for r in mine if r["path"].rsplit("/", 1)[-1] in want and r["size"] == size]
        if not cand:
            print(kind, name, size, "not listed as deleted with that size"); bad += 1; continue
        r = cand[-1]
        if r["md5"] == md5:
            print(kind, name, "md5 matches the published one", file=sys.stderr)
            continue
        if kind == "fat" and name.startswith("frag"):
            out = subprocess.run(["icat", fatimg, str(r["inode"])], capture_output=True).stdout
            if hashlib.md5(out).hexdigest() == r["md5"]:
                print(kind, name, "fragmented deleted FAT file: md5 equals icat's", file=sys.stderr)
                continue
        print(kind, name, "md5", r["md5"], "published", md5); bad += 1
sys.exit(1 if bad else 0)
PY
ok
# The resident deleted file res1.dat: its content (in the MFT record) is hashed.
eq "$(sqlq "$CASE" "SELECT md5 FROM files WHERE path='/res1.dat'")" 9036637712b491904cd0bfbdbe648453 "res1.dat"
# sing2.dat, whose parent's MFT entry was reallocated, is an orphan.
eq "$(sqlq "$CASE" "SELECT orphan, alloc FROM files WHERE path='/\$OrphanFiles/sing2.dat'")" "1|0" "sing2.dat orphan"
echo "fs_deleted_corpus: $T_CHECKS checks passed"
