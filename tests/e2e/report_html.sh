# report_html.sh: `trawl report` on a generated case of four devices (three
# ext4 images sharing a wallet, an IBAN, an e-mail address and an X account,
# and the E01 fixture), with a hostile file name, a hostile context and a
# hostile custodian planted.  The report is opened in headless chromium
# (through the DevTools protocol, tests/e2e/report_cdp.py, and with
# --dump-dom): it loads with no console error and no network request, the
# graph has one node per device and one edge per link, the index's search
# box finds a planted value, no planted script runs; the PDF printed by
# chromium has every section heading.  Also: same case -> same bytes, the
# case is not changed by the report, `trawl find --list`, `trawl help`.
# Screenshots land in $TRAWL_BUILD/report-shots for a person to look at.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd chromium pdftotext mkfs.ext4
$PY -c 'import websocket' 2>/dev/null || {
  [ -n "${CI:-}" ] && fail "python3-websocket is needed"
  skip "python3-websocket missing"
}

tmpdir
W=$REPLY
mkdir -p "$W/alpha" "$W/beta" "$W/gamma"
EVIL_NAME="\"><img src=x onerror=document.body.setAttribute('data-pwned',1)>.txt"
EVIL_CTX="</script><script>document.body.setAttribute('data-pwned',2)</script>"
EVIL_CUST="<script>document.body.setAttribute('data-pwned',4)</script>"
printf 'contact mule.runner@proton-mail.al wallet 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2\n' \
  >"$W/alpha/$EVIL_NAME"
printf '%s mule.runner@proton-mail.al\n<b>x</b>"'"'"'<i>https://x.com/farm_handle_7\n' "$EVIL_CTX" \
  >"$W/alpha/notes.txt"
printf 'pay 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 to mule.runner@proton-mail.al\nhttps://x.com/farm_handle_7\nIBAN AL47 2121 1009 0000 0002 3569 8741\n' \
  >"$W/beta/todo.txt"
printf 'IBAN AL47 2121 1009 0000 0002 3569 8741\nhttps://x.com/farm_handle_7 https://x.com/other_handle_9\n' \
  >"$W/gamma/list.txt"
# A file of interest: an executable named as a picture (extension mismatch).
cp /bin/true "$W/beta/holiday.jpg"
for d in alpha beta gamma; do
  truncate -s 4M "$W/$d.img"
  mkfs.ext4 -q -F -b 1024 -d "$W/$d" "$W/$d.img" || fail "mkfs.ext4 $d"
done

newcase
note "scan three ext4 images and the E01 fixture"
expect_exit 0 "$TRAWL" scan -o "$CASE" --custodian "$EVIL_CUST" --exhibit 'EX-<1>' \
  "$W/alpha.img" "$W/beta.img" "$W/gamma.img" "$FIX/e01/laptop.E01"
ndev=$(sqlq "$CASE" "SELECT count(*) FROM devices")
nlinks=$(sqlq "$CASE" "SELECT count(*) FROM links")
eq "$ndev" 4 "devices"
[ "$nlinks" -ge 2 ] || fail "want at least 2 links, got $nlinks"
ok

note "trawl report: written beside the case, path printed, the case only read"
note "(but for one audit line recording the report's path and SHA-256)"
before=$(case_state "$CASE")
lines_before=$(audit_lines "$CASE")
cp -a "$CASE" "$W/snapshot"
expect_exit 0 "$TRAWL" report "$CASE"
eq "$OUT" "$CASE-report.html" "printed path"
[ -s "$CASE-report.html" ] || fail "no report written"
ok
eq "$(case_state "$CASE")" "$before" "case state after report"
eq "$(audit_lines "$CASE")" "$((lines_before + 1))" "audit.log lines after report"
last=$(tail -n 1 "$CASE/audit.log")
eq "$(json_get "$last" "j['action']")" report "the report's audit line"
contains "$last" "\"outputs\":[{\"path\":\"$(realpath "$CASE-report.html")\",\"sha256\":\"$(sha256sum <"$CASE-report.html" | cut -d' ' -f1)\"}]" "the report's path and SHA-256 recorded"
[ ! -e "$CASE/report.html" ] || fail "the report went into the case folder"
ok

note "same case, same bytes (the case as it was before the first report)"
R=$W/report.html
mv "$CASE" "$W/reported"
cp -a "$W/snapshot" "$CASE"
expect_exit 0 "$TRAWL" report -o "$R" "$CASE"
cmp -s "$R" "$CASE-report.html" || fail "two reports of the same case differ"
rm -rf "$CASE"
mv "$W/reported" "$CASE"
ok

note "a broken audit chain: exit 3, and the report says so"
tmpdir
cp -r "$CASE" "$REPLY/bad"
sed -i '1s/"action":"scan"/"action":"sca7"/' "$REPLY/bad/audit.log"
expect_exit 3 "$TRAWL" report -o "$REPLY/bad.html" "$REPLY/bad"
contains "$(cat "$REPLY/bad.html")" '<span class="v bad">BROKEN</span>' "broken chain in the report"
contains "$(cat "$R" 2>/dev/null || cat "$CASE-report.html")" '<span class="v ok">intact</span>' "intact chain in the report"

note "escaping in the file itself"
html=$(cat "$R")
contains "$html" "Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-" "CSP: one script, by hash"
lacks "$html" "<img src=x" "raw hostile file name"
lacks "$html" "$EVIL_CTX" "raw hostile context"
lacks "$html" "$EVIL_CUST" "raw hostile custodian"
lacks "$html" "<b>x</b>" "raw markup from the evidence"
contains "$html" "&quot;&gt;&lt;img src=x onerror=document.body.setAttribute(&apos;data-pwned&apos;,1)&gt;.txt" \
  "escaped hostile file name"
contains "$html" "&lt;script&gt;document.body.setAttribute(&apos;data-pwned&apos;,4)&lt;/script&gt;" \
  "escaped hostile custodian"
contains "$html" '<tr><td>extension does not match content</td><td class="path">/holiday.jpg</td>' \
  "files of interest: extension mismatch"
# Exactly the page's two script elements (graph data and code), nothing else.
eq "$(grep -o '<script' "$R" | wc -l)" 2 "<script elements"
eq "$(grep -ciE '(src|href)="(https?:)?//' "$R" || true)" 0 "network references"

note "headless chromium through the DevTools protocol"
shots=${TRAWL_BUILD:-$W}/report-shots
res=$($PY "$TRAWL_SRC/tests/e2e/report_cdp.py" "$R" --search mule.runner@proton-mail.al \
  --shots "$shots") || fail "report_cdp.py failed"
note "$res"
eq "$(json_get "$res" 'j["errors"]')" "[]" "console errors"
eq "$(json_get "$res" 'j["requests"]')" "[]" "network requests"
eq "$(json_get "$res" 'j["nodes"]')" "$ndev" "graph nodes"
eq "$(json_get "$res" 'j["edges"]')" "$nlinks" "graph edges"
eq "$(json_get "$res" 'j["pwned"]')" "false" "planted script ran"
eq "$(json_get "$res" 'j["search_hit"]')" "true" "search finds the planted e-mail address"
eq "$(json_get "$res" 'j["headings"]')" \
  '["Case", "Link graph", "Strongest links", "Accounts", "Per device", "Identifier index", "Method"]' \
  "section headings"
contains "$(json_get "$res" 'j["click_link"]')" "score" "details panel of a link"
[ -s "$shots/graph.png" ] && [ -s "$shots/overview.png" ] && [ -s "$shots/device.png" ] ||
  fail "screenshots missing in $shots"
ok

CHROME=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync)
note "--dump-dom with a search in the URL fragment"
tmpdir
dom=$("${CHROME[@]}" --user-data-dir="$REPLY" --virtual-time-budget=3000 --dump-dom \
  "file://$R#q=1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2" 2>/dev/null)
contains "$dom" 'data-ready="1"' "script ran to its end"
# The planted strings are in the page as text; as an attribute they would mean they ran.
if printf '%s' "$dom" | grep -qE '<[a-zA-Z][^<>]*[[:space:]]data-pwned='; then
  fail "a planted script ran: data-pwned attribute in the DOM"
fi
ok
shown=$(printf '%s' "$dom" | sed -n 's/.*id="ix" data-shown="\([0-9]*\)".*/\1/p' | head -n 1)
[ -n "$shown" ] && [ "$shown" -ge 1 ] || fail "fragment search shows no row (data-shown='$shown')"
ok

note "print to PDF"
tmpdir
P=$W/report.pdf
"${CHROME[@]}" --user-data-dir="$REPLY" --no-pdf-header-footer --print-to-pdf="$P" "file://$R" \
  >/dev/null 2>&1 || fail "chromium --print-to-pdf failed"
cp "$P" "$shots/report.pdf"
txt=$(pdftotext -layout "$P" -)
for h in "1. Case" "2. Link graph" "3. Strongest links" "4. Accounts" "5. Per device" \
  "6. Identifier index" "7. Method"; do
  contains "$txt" "$h" "PDF heading"
done
contains "$txt" "mule.runner@proton-mail.al" "PDF holds the values"

note "find --list and report --list"
printf '%s\n' 'MULE.RUNNER@proton-mail.al' 'farm_handle_7' '# a comment' '' \
  'AL47 2121 1009 0000 0002 3569 8741' 'nobody.here@proton-mail.al' >"$W/list.txt"
expect_exit 0 "$TRAWL" find --list "$W/list.txt" "$CASE"
contains "$OUT" "$(printf 'MULE.RUNNER@proton-mail.al\talpha\temail:mule.runner@proton-mail.al\t')" \
  "list: e-mail on alpha"
contains "$OUT" "$(printf 'farm_handle_7\tgamma\taccount:x:farm_handle_7\t1\t')" "list: handle on gamma"
contains "$OUT" "$(printf 'AL47 2121 1009 0000 0002 3569 8741\tbeta\tiban:AL47212110090000000235698741\t1\t')" \
  "list: IBAN on beta"
contains "$OUT" "$(printf '# found nowhere: 1 of 4\nnobody.here@proton-mail.al')" "list: found nowhere"
printf 'nobody.here@proton-mail.al\n' >"$W/none.txt"
expect_exit 1 "$TRAWL" find --list "$W/none.txt" "$CASE"
expect_exit 0 "$TRAWL" report --list "$W/list.txt" -o "$W/watch.html" "$CASE"
w=$(cat "$W/watch.html")
contains "$w" '<section id="watch">' "watch-list section"
contains "$w" "<li class=\"val\">nobody.here@proton-mail.al</li>" "watch list: found nowhere"
contains "$w" "account: x:farm_handle_7" "watch list: handle found"

note "deleted files holding identifiers and areas, against the database (fs fixture)"
FS=$TRAWL_FIXTURES/fs
if [ -f "$FS/disk.img" ] && [ -f "$FS/fat.img" ]; then
  newcase
  expect_exit 0 "$TRAWL" scan -o "$CASE" "$FS/disk.img" "$FS/fat.img"
  expect_exit 0 "$TRAWL" report -o "$W/fs.html" "$CASE"
  got=$(grep -o '<article class="device" id="dev-[0-9]*"><h3>[a-z]*\|<tr><td>deleted, holds identifiers</td><td class="path">[^<]*</td><td>[0-9,]*\|<tr><td>unallocated</td><td class="num">[0-9,]*' "$W/fs.html" |
    sed -e 's/.*<h3>/device /' -e 's|<tr><td>deleted, holds identifiers</td><td class="path">\([^<]*\)</td><td>|deleted \1 |' \
      -e 's|<tr><td>unallocated</td><td class="num">|unallocated |')
  want=$(sqlq "$CASE" "SELECT 'device ' || name FROM devices ORDER BY name" | while read -r _ d; do
    echo "device $d"
    sqlq "$CASE" "SELECT 'deleted ' || f.path || ' ' || count(*) FROM identifiers i JOIN files f ON f.id = i.file_id
                  JOIN devices d ON d.id = f.device_id WHERE f.alloc = 0 AND d.name = '$d' GROUP BY f.id ORDER BY f.path"
    sqlq "$CASE" "SELECT 'unallocated ' || count(*) FROM identifiers i JOIN devices d ON d.id = i.device_id
                  WHERE i.area = 'unallocated' AND d.name = '$d' HAVING count(*) > 0"
  done)
  [ -n "$(printf '%s\n' "$want" | grep deleted)" ] || fail "the fs fixture has no deleted file holding identifiers"
  eq "$got" "$want" "deleted files and areas in the report"
fi

note "help"
expect_exit 0 "$TRAWL" help report
h1=$OUT
expect_exit 0 "$TRAWL" report --help
eq "$h1" "$OUT" "trawl help report = trawl report --help"
expect_exit 2 "$TRAWL" report
expect_exit 2 "$TRAWL" report --top x "$CASE"

note "the man page: installed by cmake --install, and names every command"
expect_exit 0 "$TRAWL" --help
cmds=$(printf '%s\n' "$OUT" | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }')
[ -n "$cmds" ] || fail "no commands in trawl --help"
for c in $cmds; do
  grep -q "^\.B trawl $c\b" "$TRAWL_SRC/docs/trawl.1" || fail "docs/trawl.1 does not document 'trawl $c'"
  ok
done
if [ -n "${TRAWL_BUILD:-}" ] && [ -f "$TRAWL_BUILD/cmake_install.cmake" ]; then
  tmpdir
  cmake --install "$TRAWL_BUILD" --prefix "$REPLY" >/dev/null || fail "cmake --install"
  [ -x "$REPLY/bin/trawl" ] && [ -s "$REPLY/share/man/man1/trawl.1" ] || fail "install: binary or man page missing"
  ok
fi
done_ok
