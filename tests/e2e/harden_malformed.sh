#!/usr/bin/env bash
# harden_malformed.sh: malformed evidence (issue 11, item 3) from
# tests/fixtures/hostile.fixture.  Each image is added, never refused; what
# could not be read is recorded as a problem row naming the partition or
# volume and the reason; the raw bytes are still scanned (every planted
# address of OUTDIR/expected is found on its device); nothing is read past
# the media; the whole scan stays under 1 GiB RSS (nothing allocates by a
# size read from the evidence).
#   E01 with a bad chunk in the middle: that range is zero-filled and
#     recorded as unreadable, the rest is scanned, exit 3 (integrity)
#   partition running past the end: clipped, walked, problem recorded
#   partition starting past the end (TSK refuses the table): problem recorded
#   the same partition twice, and one inside it: walked once, problems recorded
#   FAT directory cycle, a file claiming 4 GiB, a looping cluster chain: the
#     walk ends, the other files are listed
#   ext4 zero-length and 8 MiB sparse files: listed, hashed right; a sparse
#     file larger than its volume: listed, not read, problem recorded
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sqlite3
if [ ! -x /usr/bin/time ]; then
    [ -n "${CI:-}" ] && fail "/usr/bin/time (GNU time) is not installed (CI must have it)"
    skip "/usr/bin/time (GNU time) is not installed"
fi
H=$TRAWL_FIXTURES/hostile
[ -f "$H/.done" ] || fail "hostile fixture not built ($H)"
newcase
tmpdir
W=$REPLY
imgs=(parts/pastend.img parts/startpast.img parts/overlap.img fat/cycle.img fat/huge.img
      fat/loop.img ext/sparse.img)

note "scan the malformed images (one device each)"
expect_exit 0 /usr/bin/time -v -o "$W/time" "$TRAWL" scan -o "$CASE" --no-link -j 2 "${imgs[@]/#/$H/}"
rss=$(sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$W/time")
echo "    peak RSS $((rss / 1024)) MiB"
[ "$rss" -lt $((1024 * 1024)) ] || fail "peak RSS $rss KiB is over 1 GiB"
ok
for i in "${imgs[@]}"; do
    d=$(basename "$i" .img)
    contains "$ERR" "device '$d' added" "$d added"
done

note "the E01 with a bad chunk in its middle"
expect_exit 3 "$TRAWL" scan -o "$CASE" --no-link "$H/e01/flipmid.E01"
contains "$ERR" "flipmid.E01: 1 unreadable range(s)" "flipmid: the unreadable range is reported"
eq "$(sqlq "$CASE" "SELECT d.state, i.unreadable FROM images i JOIN devices d ON d.id = i.device_id
    WHERE d.name = 'flipmid'")" "integrity|[[65536,32768]]" "flipmid: state and the bad chunk's range"
expect_exit 1 "$TRAWL" find "$CASE" leo.chunk2@trawl-test.org

note "every planted address is found on its device"
while IFS=$'\t' read -r img addr; do
    case $img in bombs/*) continue ;; esac
    d=$(basename "$img"); d=${d%%.*}
    expect_exit 0 "$TRAWL" find "$CASE" "$addr"
    n=$(printf '%s\n' "$OUT" | awk -F'\t' -v d="$d" '$1 == d' | wc -l)
    [ "$n" -ge 1 ] || fail "$d: $addr not found (find said: $OUT)"
    ok
done <"$H/expected"

problems() { sqlq "$CASE" "SELECT p.message FROM problems p JOIN devices d ON d.id = p.device_id
    WHERE d.name = '$1'"; }
files() { "$TRAWL" files "$CASE" "$1" | awk '{ print $NF }'; }

note "partition tables"
contains "$(problems pastend)" "partition at offset 1048576 (DOS FAT16 (0x06)) claims 8589934592 bytes, 8582594560 past the end of the media; read up to the end" "pastend: problem"
contains "$(files pastend)" "/PLAIN.TXT" "pastend: the clipped partition's FAT is walked"
contains "$(problems startpast)" "partition table: entry 2 starts at sector 1048576, past the end of the media (16384 sectors)" "startpast: problem"
contains "$(problems overlap)" "partition at offset 1048576 (DOS FAT16 (0x06)) repeats an earlier partition's range; walked once" "overlap: repeated partition"
contains "$(problems overlap)" "volume at offset 2097152" "overlap: the partition inside the FAT"
eq "$(files overlap | grep -c '^/PLAIN.TXT$')" 1 "overlap: the FAT's files listed once"

note "FAT: directory cycle, huge size, looping chain"
eq "$(files cycle | grep -c '^/A/B')" 2 "cycle: /A/B and /A/B/B (where the loop is cut), no more"
contains "$(files cycle)" "/PLAIN.TXT" "cycle: the rest of the file system is listed"
for d in cycle huge loop; do
    n=$("$TRAWL" files "$CASE" "$d" | wc -l)
    [ "$n" -lt 20 ] || fail "$d: $n files listed from a 4 MiB FAT with 7"
    ok
done
"$TRAWL" files --json "$CASE" huge | $PY -c '
import json, sys
for l in sys.stdin:
    f = json.loads(l)
    if (f["size"] or 0) > 4 << 20 and f["md5"]:
        sys.exit("huge: %s claims %d bytes and was hashed as such" % (f["path"], f["size"]))
' || fail "huge: a file was hashed past the media"
ok
loop=$("$TRAWL" files --json "$CASE" loop | grep '"path":"/LOOP.TXT"')
eq "$(json_get "$loop" 'j["size"]')" 2000 "loop: LOOP.TXT keeps its recorded size"

note "ext4: zero-length and sparse files"
sparse=$("$TRAWL" files --json "$CASE" sparse)
empty=$(printf '%s\n' "$sparse" | grep '"path":"/empty.txt"')
eq "$(json_get "$empty" 'j["size"], j["md5"]')" '[0, "d41d8cd98f00b204e9800998ecf8427e"]' "empty.txt"
holes=$(printf '%s\n' "$sparse" | grep '"path":"/holes.bin"')
want=$($PY -c '
import hashlib
h = hashlib.md5(bytes(8 * (1 << 20) - 40))
h.update(b"holes end: olga.holes@trawl-test.org\n")
print(h.hexdigest())')
eq "$(json_get "$holes" 'j["size"]')" 8388605 "holes.bin size"
eq "$(json_get "$holes" 'j["md5"]')" "$want" "holes.bin md5 (holes read as zeros)"
expect_exit 0 "$TRAWL" find "$CASE" olga.holes@trawl-test.org
contains "$OUT" "/holes.bin" "the hit at the sparse file's end is attributed to it"
# Larger than its volume: not read (a 20 KB file system may claim terabytes).
big=$(printf '%s\n' "$sparse" | grep '"path":"/sparse.bin"')
eq "$(json_get "$big" 'j["size"], j["md5"]')" '[104857599, null]' "sparse.bin: size kept, not hashed"
contains "$(problems sparse)" "/sparse.bin (inode 14): claims 104857599 bytes, more than its volume (16777216 bytes); content not read" "sparse.bin: problem"
expect_exit 0 "$TRAWL" find "$CASE" nina.sparse@trawl-test.org
contains "$OUT" "nina.sparse@trawl-test.org" "sparse.bin's bytes are still in the raw scan"
echo "harden_malformed: $T_CHECKS checks passed"
