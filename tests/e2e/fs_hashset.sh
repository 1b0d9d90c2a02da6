# fs_hashset.sh: `trawl hashset import` reads md5sum/sha256sum lists,
# hashdeep files, the legacy NSRLFile.txt and NSRL RDS v3 (SQLite); a later
# scan marks files found in a 'known' set (leavable out of `trawl files`)
# and in a 'notable' set (which wins); refusals name the problem.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sqlite3
F=$TRAWL_FIXTURES/fs
newcase
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-link --device first "$F/fat.img"
h() { sqlq "$CASE" "SELECT $1 FROM files WHERE path='$2' AND device_id=(SELECT id FROM devices WHERE name='first')"; }
tmpdir
W=$REPLY
# md5sum list: live.txt plus noise; sha256sum list (notable): holiday.jpg
{ echo "$(h md5 /live.txt)  live.txt"; for i in $(seq 1 200); do printf '%032x  noise%d\n' "$i" "$i"; done; } >"$W/list.md5"
echo "$(h sha256 /holiday.jpg) *holiday.jpg" >"$W/bad.sha256"
# hashdeep: a.bin
{ echo '%%%% HASHDEEP-1.0'; echo '%%%% size,md5,sha256,filename'; echo '## Invoked from: /'
  echo "2048,$(h md5 /a.bin),$(h sha256 /a.bin),/a.bin"; } >"$W/set.hashdeep"
# legacy NSRLFile.txt: c.bin by SHA-1 (a comma inside a quoted name)
{ echo '"SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode","SpecialCode"'
  echo "\"$(h sha1 /c.bin | tr a-f A-F)\",\"$(h md5 /live.txt | tr a-f A-F)0\",\"00000000\",\"c, b.bin\",2048,1,\"358\",\"\""; } >"$W/NSRLFile.txt"
sed -i "s/\",\"\(........\)\",\"00000000\"/\",\"0\",\"00000000\"/" "$W/NSRLFile.txt"
python3 - "$W/NSRLFile.txt" <<'PY'
import sys  # make the MD5 column a real (unrelated) hash again
p = sys.argv[1]; lines = open(p).read().splitlines()
cols = lines[1].split('","'); cols[1] = "0" * 32; lines[1] = '","'.join(cols)
open(p, "w").write("\n".join(lines) + "\n")
PY
# RDS v3: frag.txt by SHA-256, through the FILE view
sqlite3 "$W/rds.db" "CREATE TABLE f(sha256 TEXT, sha1 TEXT, md5 TEXT, file_name TEXT, file_size INT, package_id INT);
  INSERT INTO f VALUES('$(h sha256 /frag.txt | tr a-f A-F)', NULL, NULL, 'frag.txt', 9154, 1);
  CREATE VIEW FILE AS SELECT sha256, sha1, md5, file_name, file_size, package_id FROM f;"

expect_exit 0 "$TRAWL" hashset import --kind known --name md5list "$CASE" "$W/list.md5"
contains "$OUT" "201 hashes" "md5 list count"
expect_exit 0 "$TRAWL" hashset import --kind notable --name bad "$CASE" "$W/bad.sha256"
expect_exit 0 "$TRAWL" hashset import --kind known --name hd "$CASE" "$W/set.hashdeep"
contains "$OUT" "2 hashes" "hashdeep count (md5 + sha256)"
expect_exit 0 "$TRAWL" hashset import --kind known --name nsrl-legacy "$CASE" "$W/NSRLFile.txt"
expect_exit 0 "$TRAWL" hashset import --kind known --name rds "$CASE" "$W/rds.db"
# the notable set also holds live.txt: notable wins over known
echo "$(h md5 /live.txt)  live.txt" >"$W/live.md5"
expect_exit 0 "$TRAWL" hashset import --kind notable --name watch "$CASE" "$W/live.md5"

# refusals
run "$TRAWL" hashset import --kind known --name md5list "$CASE" "$W/list.md5"
[ "$RC" -ne 0 ] && contains "$ERR" "exists already" "duplicate set name"
printf '%s\n' "$(h md5 /live.txt)  ok" "not-a-hash  x" >"$W/broken.md5"
run "$TRAWL" hashset import --kind known --name broken "$CASE" "$W/broken.md5"
[ "$RC" -ne 0 ] && contains "$ERR" "broken.md5:2:" "bad line named"
[ ! -e "$CASE/hashsets/broken.bin" ] || fail "a refused set left its file"
run "$TRAWL" hashset import --kind maybe --name x "$CASE" "$W/list.md5"
eq "$RC" 2 "bad --kind is a usage error"

# the device already in the case was marked by the imports
eq "$(sqlq "$CASE" "SELECT known||' '||hashset FROM files WHERE path='/live.txt'")" "notable watch" "first: live.txt marked at import"
# a new scan marks its files
cp "$F/fat.img" "$W/copy.img"
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-link --device second "$W/copy.img"
m() { sqlq "$CASE" "SELECT coalesce(known,'')||' '||coalesce(hashset,'') FROM files WHERE path='$1' AND device_id=(SELECT id FROM devices WHERE name='second')"; }
eq "$(m /live.txt)" "notable watch" "live.txt: notable wins"
eq "$(m /holiday.jpg)" "notable bad" "holiday.jpg"
eq "$(m /a.bin)" "known hd" "a.bin via hashdeep"
eq "$(m /c.bin)" "known nsrl-legacy" "c.bin via NSRLFile.txt"
eq "$(m /frag.txt)" "known rds" "frag.txt via RDS v3"
eq "$(m /archive.zip)" " " "archive.zip unmarked"
run "$TRAWL" files --no-known "$CASE" second
lacks "$OUT" "/a.bin" "--no-known hides known files"
contains "$OUT" "/live.txt  notable:watch" "--no-known keeps notable files"
run "$TRAWL" hashset list "$CASE"
contains "$OUT" "md5list	known	201" "hashset list"
# the audit log has each import with the input's SHA-256
contains "$(cat "$CASE/audit.log")" "$(sha256sum <"$W/list.md5" | cut -d' ' -f1)" "audit input hash"
eq "$(grep -c '"hashset-import"' "$CASE/audit.log")" 8 "audit lines (6 ok, 2 refused; usage errors are not audited)"
echo "fs_hashset: $T_CHECKS checks passed"
