#!/usr/bin/env bash
# faults_outputs.sh: issue 11 (6), outputs in the audit chain.  A scan's
# audit line records the SHA-256 of every file it wrote in
# CASE/devices/NAME (feature files, histograms, files.dfxml) as "outputs";
# `trawl export -o` and `trawl report` record the file they wrote.
# `trawl verify` re-hashes them: a feature file edited by one byte, removed
# or added, or an export edited in place, is a failure (exit 3) naming the
# file; an export moved away is NOTFOUND, not a failure; the untouched case
# passes.  On a write-protected case the export is written and stderr says
# it is not recorded.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sha256sum python3

newcase
tmpdir
W=$REPLY
expect_exit 0 "$TRAWL" scan -o "$CASE" "$FIX/fat.img"

note "the scan line records exactly the files of devices/fat, with their SHA-256"
want=$(cd "$CASE" && find devices/fat -maxdepth 1 -type f | LC_ALL=C sort | xargs sha256sum | awk '{ print $2 " " $1 }')
got=$(tail -n 1 "$CASE/audit.log" | "$PY" -c '
import json, sys
j = json.loads(sys.stdin.read())
assert j["action"] == "scan", j["action"]
for o in j["outputs"]:
    print(o["path"], o["sha256"])')
eq "$got" "$want" "recorded outputs"
contains "$got" "devices/fat/email.txt " "a feature file recorded"
contains "$got" "devices/fat/email_histogram.txt " "a histogram recorded"
contains "$got" "devices/fat/files.dfxml " "the DFXML recorded"
expect_exit 0 "$TRAWL" verify "$CASE"
contains "$OUT" "devices/fat: $(echo "$want" | wc -l) feature file(s) checked" "verify checks them"
ok

note "one byte of a feature file edited: exit 3, the file named"
cp -a "$CASE" "$W/edit"
printf 'X' | dd of="$W/edit/devices/fat/email.txt" bs=1 seek=200 conv=notrunc status=none
expect_exit 3 "$TRAWL" verify "$W/edit"
contains "$OUT" "CHANGED   devices/fat/email.txt: SHA-256" "the edited file named"
lacks "$OUT" "OK        devices/fat:" "no OK for the edited device"
ok

note "a feature file removed, another added: both named"
cp -a "$CASE" "$W/rm"
rm "$W/rm/devices/fat/email_histogram.txt"
echo forged >"$W/rm/devices/fat/extra.txt"
expect_exit 3 "$TRAWL" verify "$W/rm"
contains "$OUT" "MISSING   devices/fat/email_histogram.txt" "the removed file named"
contains "$OUT" "EXTRA     devices/fat/extra.txt" "the added file named"
ok

note "exports: recorded, an edit named, a move not a failure"
expect_exit 0 "$TRAWL" export --format csv -o "$W/x.csv" "$CASE"
last=$(tail -n 1 "$CASE/audit.log")
eq "$(json_get "$last" "j['action']")" export "the export's audit line"
eq "$(json_get "$last" "j['outputs'][0]['path']")" "$(realpath "$W/x.csv")" "export path recorded"
eq "$(json_get "$last" "j['outputs'][0]['sha256']")" "$(sha256sum <"$W/x.csv" | cut -d' ' -f1)" "export SHA-256 recorded"
expect_exit 0 "$TRAWL" report -o "$W/r.html" "$CASE"
expect_exit 0 "$TRAWL" verify "$CASE"
contains "$OUT" "OK        $(realpath "$W/x.csv"): " "the export checked"
contains "$OUT" "OK        $(realpath "$W/r.html"): " "the report checked"
echo 'x,y' >>"$W/x.csv"
mv "$W/r.html" "$W/moved.html"
expect_exit 3 "$TRAWL" verify "$CASE"
contains "$OUT" "CHANGED   $(realpath "$W/x.csv"): SHA-256" "the edited export named"
contains "$OUT" "NOTFOUND  $W/r.html" "the moved report not found"
# The same path exported again: the new file is what counts.
expect_exit 0 "$TRAWL" export --format csv -o "$W/x.csv" "$CASE"
expect_exit 0 "$TRAWL" verify "$CASE"
contains "$OUT" "NOTFOUND  $W/r.html" "a moved export is not a failure"
ok

note "a write-protected case: exported, not recorded, said on stderr"
if [ "$(id -u)" = 0 ]; then
    need_cmd setpriv
    as_reader() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
else
    as_reader() { "$@"; }
fi
mkdir "$W/ro" "$W/out" "$W/bin"
cp "$TRAWL" "$W/bin/trawl"
cp -a "$CASE" "$W/ro/case"
chmod -R a+rX "$W"
chmod -R a-w "$W/ro/case"
chmod a+w "$W/out"
n=$(audit_lines "$W/ro/case")
expect_exit 0 as_reader "$W/bin/trawl" export --format csv -o "$W/out/x.csv" "$W/ro/case"
contains "$ERR" "not recorded" "stderr says the export is not recorded"
[ -s "$W/out/x.csv" ] || fail "no export written"
eq "$(audit_lines "$W/ro/case")" "$n" "no audit line on the read-only case"
chmod -R u+w "$W/ro/case"
ok

done_ok
