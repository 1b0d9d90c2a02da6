# times_find.sh: the time of each hit and its marks, from scan to output.
#  Device "laptop" holds the corpus's Chrome History, a copy of it with one
#  urls row deleted (secure_delete off), and a cookies database with a
#  facebook c_user cookie under two hosts, created at T1 and T2; device
#  "phone" holds the same account's cookie created at T3.
#  - `trawl find --json` on every URL of the History: the occurrence in the
#    live History carries urls.last_visit_time in UTC exactly as sqlite3
#    computes it (WebKit microseconds since 1601), and no live occurrence
#    there carries another time; the text output shows the same time.
#  - the deleted row's URL is found in the copy marked "deleted record"
#    (json deleted: true) with its own time; in the live file it is not.
#  - `trawl accounts --json`: first seen T1, last seen T3; per device laptop
#    T1..T2, phone T3..T3; the text output shows them; accounts.csv keeps its
#    header; the report's accounts section shows first and last seen.
#  - case.db: occurrences.time holds the Unix seconds, the view `time`.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sqlite3 mkfs.vfat mcopy mmd
need_corpus
H=$TRAWL_CORPUS/artifacts/chrome/History
[ -f "$H" ] || fail "$H missing from the corpus"
tmpdir
W=$REPLY

# WebKit microseconds -> ISO 8601 UTC, by sqlite3
iso()
{
    sqlite3 :memory: "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', $1 / 1000000 - 11644473600, 'unixepoch')"
}

T1=13345678901000000 T2=13350000000000000 T3=13360000000000000
cookies()
{
    local db=$1
    shift
    local sql="pragma secure_delete=off;
CREATE TABLE cookies(creation_utc INTEGER NOT NULL, host_key TEXT NOT NULL, name TEXT NOT NULL,
 value TEXT NOT NULL, path TEXT NOT NULL, expires_utc INTEGER NOT NULL, is_secure INTEGER NOT NULL,
 is_httponly INTEGER NOT NULL, last_access_utc INTEGER NOT NULL);
INSERT INTO cookies VALUES(13345699999000000, '.example.org', 'session', 'abcdef', '/', 0, 1, 1, 0);"
    local host t
    for t in "$@"; do
        host=${t%%=*}
        sql="$sql INSERT INTO cookies VALUES(${t#*=}, '$host', 'c_user', '100044455566601', '/', 0, 1, 1, ${t#*=});"
    done
    sqlite3 "$db" "$sql" >/dev/null
}
cookies "$W/Cookies-laptop" ".facebook.com=$T1" "www.facebook.com=$T2"
cookies "$W/Cookies-phone" "m.facebook.com=$T3"

# the copy with urls row 4 deleted
cp "$H" "$W/History-old"
chmod u+w "$W/History-old"
gone_url=$(sqlite3 "$H" "SELECT url FROM urls WHERE id = 4")
gone_time=$(iso "$(sqlite3 "$H" "SELECT last_visit_time FROM urls WHERE id = 4")")
sqlite3 "$W/History-old" "pragma secure_delete=off; DELETE FROM urls WHERE id = 4" >/dev/null
[ -z "$(sqlite3 "$W/History-old" "SELECT url FROM urls WHERE id = 4")" ] || fail "row 4 not deleted"

mkfs.vfat -C -F 16 -n LAPTOP "$W/laptop.img" 16384 >/dev/null
mmd -i "$W/laptop.img" ::/Default ::/Old
mcopy -i "$W/laptop.img" "$H" ::/Default/History
mcopy -i "$W/laptop.img" "$W/Cookies-laptop" ::/Default/Cookies
mcopy -i "$W/laptop.img" "$W/History-old" ::/Old/History
mkfs.vfat -C -F 16 -n PHONE "$W/phone.img" 16384 >/dev/null
mcopy -i "$W/phone.img" "$W/Cookies-phone" ::/Cookies

CASE=$W/case
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-link "$W/laptop.img"
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-link "$W/phone.img"
expect_exit 0 "$TRAWL" link "$CASE"

note "History: every URL's time"
sqlite3 -separator $'\t' "$H" \
    "SELECT url, last_visit_time FROM urls WHERE url NOT IN (SELECT url FROM downloads) ORDER BY id" \
    >"$W/urls.tsv"
[ "$(wc -l <"$W/urls.tsv")" -ge 50 ] || fail "too few urls in $H"
while IFS=$'\t' read -r url t; do
    want=$(iso "$t")
    "$TRAWL" find --json "$CASE" "$url" >"$W/find.json" || fail "find $url: nothing"
    "$PY" - "$W/find.json" "$url" "$want" <<'PY' || fail "find $url: the time is not $want"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
url, want = sys.argv[2], sys.argv[3]
live = [r for r in rows if r["file"] == "/Default/History"]
ok = any(r["time"] == want and not r["deleted"] for r in live)
wrong = [r for r in live if r["time"] is not None and not r["deleted"] and r["time"] != want]
for r in wrong:
    print("wrong time:", r, file=sys.stderr)
sys.exit(0 if ok and not wrong else 1)
PY
    ok
done <"$W/urls.tsv"

note "text output"
first_url=$(head -1 "$W/urls.tsv" | cut -f1)
first_time=$(iso "$(head -1 "$W/urls.tsv" | cut -f2)")
run "$TRAWL" find "$CASE" "$first_url"
contains "$OUT" "	/Default/History	" "find text: the file column"
printf '%s\n' "$OUT" | grep -F "	/Default/History	" | grep -qF "	$first_time	-" ||
    fail "find text: no line of /Default/History ending with '$first_time	-'"
ok

note "a deleted row"
"$TRAWL" find --json "$CASE" "$gone_url" >"$W/gone.json" || fail "find $gone_url: nothing"
"$PY" - "$W/gone.json" "$gone_url" "$gone_time" <<'PY' || fail "deleted row: not marked as such"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
url, want = sys.argv[2], sys.argv[3]
old = [r for r in rows if r["file"] == "/Old/History"]
live = [r for r in rows if r["file"] == "/Default/History"]
assert any(r["deleted"] and r["time"] == want for r in old), old
assert live and not any(r["deleted"] for r in live), live
assert all(r["at_limit"] is False for r in rows)
PY
ok
run "$TRAWL" find "$CASE" "$gone_url"
printf '%s\n' "$OUT" | grep -F "	/Old/History	" | grep -qF "	$gone_time	deleted record" ||
    fail "find text: the deleted row is not marked 'deleted record'"
ok
printf '%s\n' "$OUT" | grep -F "	/Default/History	" | grep -q "	deleted record$" &&
    fail "find text: the live row is marked deleted"
ok

note "accounts: first and last seen"
I1=$(iso $T1) I2=$(iso $T2) I3=$(iso $T3)
expect_exit 0 "$TRAWL" accounts --json "$CASE"
printf '%s\n' "$OUT" >"$W/accounts.json"
"$PY" - "$W/accounts.json" "$I1" "$I2" "$I3" <<'PY' || fail "accounts --json: first/last seen wrong"
import json, sys
i1, i2, i3 = sys.argv[2:5]
rows = [json.loads(l) for l in open(sys.argv[1])]
a = [r for r in rows if r["service"] == "facebook" and r["account"] == "100044455566601"]
assert len(a) == 1, rows
a = a[0]
assert a["devices"] == ["laptop", "phone"], a
assert (a["first_seen"], a["last_seen"]) == (i1, i3), a
assert a["seen"] == [
    {"device": "laptop", "first_seen": i1, "last_seen": i2},
    {"device": "phone", "first_seen": i3, "last_seen": i3},
], a
PY
ok
run "$TRAWL" accounts "$CASE"
contains "$OUT" "facebook 100044455566601  laptop;phone  seen laptop $I1 to $I2; phone $I3 to $I3" \
    "accounts text: seen"
eq "$(head -1 "$CASE/accounts.csv")" "service,account,devices,flags" "accounts.csv header"

note "case.db"
eq "$(sqlq "$CASE" "SELECT time FROM identifiers WHERE value = 'facebook:100044455566601' ORDER BY time")" \
    "$((T1 / 1000000 - 11644473600))
$((T2 / 1000000 - 11644473600))
$((T3 / 1000000 - 11644473600))" "identifiers.time in Unix seconds"

note "report: first and last seen"
expect_exit 0 "$TRAWL" report "$CASE"
html=$(cat "$CASE-report.html")
contains "$html" "<th>First seen</th><th>Last seen</th>" "report: seen columns"
contains "$html" "<td class=\"time\">$I1</td><td class=\"time\">$I3</td>" "report: seen times"
echo "PASS [$T_NAME]: $T_CHECKS checks"
