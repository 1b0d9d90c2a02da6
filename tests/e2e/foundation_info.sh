#!/usr/bin/env bash
# foundation_info.sh: issue 2 (f) and (g).  `trawl info CASE` lists each
# device with its size, state, and for each image the hashes and the
# verification state (text and --json); `--exhibit`, `--custodian` and
# `--examiner` are recorded in the devices table and in the audit line.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sqlite3 python3

newcase
expect_exit 0 "$TRAWL" scan -o "$CASE" --exhibit "EX-7/2026" --custodian "Mrs. K. O'Hara" \
    --examiner "DC Lee" "$FIX/e01/laptop.E01"
expect_exit 0 "$TRAWL" scan -o "$CASE" "$FIX/split/usb03.raw.001"

note "devices table: exhibit, custodian, examiner"
eq "$(sqlq "$CASE" "SELECT exhibit, custodian, examiner FROM devices WHERE name = 'laptop'")" \
    "EX-7/2026|Mrs. K. O'Hara|DC Lee" "laptop: exhibit|custodian|examiner"
eq "$(sqlq "$CASE" "SELECT exhibit IS NULL, custodian IS NULL, examiner FROM devices WHERE name = 'usb03'")" \
    "1|1|$LOGIN_NAME" "usb03: no exhibit, no custodian, the login name as examiner"
eq "$(sqlq "$CASE" "SELECT scan_started <= scan_finished AND scan_finished LIKE '____-__-__T__:__:__%Z' FROM devices WHERE name = 'laptop'")" \
    1 "laptop: scan times recorded, in UTC"

note "audit line of the scan"
line=$(grep '"laptop"' "$CASE/audit.log" | grep '"scan"' | tail -n 1)
[ -n "$line" ] || fail "no audit line for the laptop scan"
eq "$(json_get "$line" 'j["examiner"]')" "DC Lee" "audit: examiner"
eq "$(json_get "$line" 'j["outcome"]')" "ok" "audit: outcome"
argv=$(json_get "$line" '"\n".join(j["argv"])')
contains "$argv" "EX-7/2026" "audit argv: the exhibit"
contains "$argv" "Mrs. K. O'Hara" "audit argv: the custodian"
contains "$argv" "--exhibit" "audit argv: the option"

note "trawl info (text)"
expect_exit 0 "$TRAWL" info "$CASE"
for dev in laptop usb03; do
    contains "$OUT" "$dev" "info lists $dev"
done
for key in e01/laptop.E01 split/usb03.raw.001; do
    for f in md5 sha1 sha256; do
        contains "$OUT" "$(manifest "$key" "$f")" "info shows the $f of $key"
    done
    contains "$OUT" "$(manifest "$key" size)" "info shows the size of $key"
done
contains "$OUT" "match" "info shows laptop's verification"
contains "$OUT" "computed" "info shows usb03's verification"
contains "$OUT" "EX-7/2026" "info shows the exhibit"
contains "$OUT" "Mrs. K. O'Hara" "info shows the custodian"
# The verification word is on laptop's part of the listing, not usb03's.
laptop_part=$(printf '%s\n' "$OUT" | awk '/^device /{on = ($2 == "laptop")} on')
contains "$laptop_part" "verification match" "laptop: verification match"
usb_part=$(printf '%s\n' "$OUT" | awk '/^device /{on = ($2 == "usb03")} on')
contains "$usb_part" "verification computed" "usb03: verification computed"

note "trawl info --json"
expect_exit 0 "$TRAWL" info --json "$CASE"
"$PY" - "$OUT" "$(realpath "$FIX/e01/laptop.E01")" "$(manifest e01/laptop.E01 sha256)" \
    "$(manifest e01/laptop.E01 size)" "$(realpath "$FIX/split/usb03.raw.001")" \
    "$(manifest split/usb03.raw.001 md5)" <<'EOF' || fail "info --json"
import json, sys
out, lpath, lsha, lsize, upath, umd5 = sys.argv[1:]
j = json.loads(out)
devs = {d['name']: d for d in j['devices']}
assert sorted(devs) == ['laptop', 'usb03'], sorted(devs)
l = devs['laptop']
assert l['size'] == int(lsize), l
assert l['state'] == 'ok', l
assert (l['exhibit'], l['custodian'], l['examiner']) == ('EX-7/2026', "Mrs. K. O'Hara", 'DC Lee'), l
[img] = l['images']
assert img['path'] == lpath and img['format'] == 'ewf' and img['sha256'] == lsha, img
assert img['verification'] == 'match', img
assert img['acquisition']['case_number'] == 'CASE-2026-017', img['acquisition']
[img] = devs['usb03']['images']
assert img['path'] == upath and img['md5'] == umd5 and img['verification'] == 'computed', img
EOF
ok

note "info on a case with an integrity failure shows it"
expect_exit 3 "$TRAWL" scan -o "$CASE" "$FIX/integrity/flipped.E01"
expect_exit 0 "$TRAWL" info "$CASE"
flipped_part=$(printf '%s\n' "$OUT" | awk '/^device /{on = ($2 == "flipped")} on')
contains "$flipped_part" "integrity" "info: flipped's state"
contains "$flipped_part" "verification mismatch" "info: flipped's verification"

note "odd characters in --examiner, --exhibit, --custodian survive exactly and print escaped"
newcase
ex=$'O"Neil\\\n\t\x01' exh=$'E\e[1m"1' cus='ü 中文'
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-fs --examiner "$ex" --exhibit "$exh" --custodian "$cus" "$FIX/noparts.raw"
eq "$(sqlq "$CASE" "SELECT hex(examiner) || ' ' || hex(exhibit) || ' ' || hex(custodian) FROM devices")" \
    "$(printf '%s' "$ex" | od -An -tx1 | tr -d ' \n' | tr a-f A-F) $(printf '%s' "$exh" | od -An -tx1 | tr -d ' \n' | tr a-f A-F) $(printf '%s' "$cus" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" \
    "devices: examiner, exhibit, custodian byte for byte"
"$PY" - "$CASE/audit.log" "$ex" <<'EOF2' || fail "audit examiner round trip"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], 'rb')]
assert any(r['action'] == 'scan' and r['examiner'] == sys.argv[2] for r in recs), [r['examiner'] for r in recs]
EOF2
ok
expect_exit 0 "$TRAWL" info "$CASE"
lacks "$OUT" $'\e' "info text: no raw ESC"
lacks "$OUT" $'\x01' "info text: no raw control characters"
contains "$OUT" "$cus" "info text: UTF-8 printed as is"
expect_exit 0 "$TRAWL" info --json "$CASE"
"$PY" - "$OUT" "$ex" "$exh" "$cus" <<'EOF2' || fail "info --json round trip"
import json, sys
d = json.loads(sys.argv[1])['devices'][0]
assert (d['examiner'], d['exhibit'], d['custodian']) == tuple(sys.argv[2:5]), d
EOF2
ok

note "info on an empty case"
newcase
mkdir "$CASE"
# an empty folder becomes a case only through scan; info refuses it
expect_exit 1 "$TRAWL" info "$CASE"

done_ok
