# scan_planted.sh: every planted identifier is found with its exact
# normalized value (recall 100%), no checksum-invalid decoy is reported, and
# a value across a page boundary is found exactly once, whole.
source "$TRAWL_SRC/tests/e2e/lib.sh"
P=$TRAWL_FIXTURES/scan
[ -f "$P/expected" ] || fail "scan fixture missing in $P"

newcase
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-link "$P/planted.fat" "$P/boundary.raw"
D=$CASE/devices

# Recall: each expected (type, value) in its feature file, somewhere in planted or boundary.
while IFS=$'\t' read -r type value; do
  cut -f2 "$D"/planted/"$type".txt "$D"/boundary/"$type".txt 2>/dev/null | grep -qxF -- "$value" ||
    fail "planted $type '$value' not found"
  ok
done < "$P/expected"

# Precision: no decoy.
while IFS=$'\t' read -r type value; do
  if cut -f2 "$D"/planted/"$type".txt 2>/dev/null | grep -qxF -- "$value"; then
    fail "decoy $type '$value' was reported"
  fi
  ok
done < "$P/decoys"

# The boundary value: exactly one row, whole, at its true offset.
rows=$(grep -v '^#' "$D/boundary/email.txt")
eq "$(printf '%s\n' "$rows" | wc -l)" 1 "rows in boundary email.txt"
eq "$(printf '%s\n' "$rows" | cut -f1,2)" "$(( (16 << 20) - 11 ))	boundary.user@trawl-test.org" "boundary hit"

# Hits inside decoded data carry a forensic path through the container.
grep -P '^\d+-(GZIP|ZLIB)-\d+\tgzip\.user@trawl-test\.org\t' "$D/planted/email.txt" >/dev/null ||
  fail "gzip hit has no GZIP forensic path: $(grep gzip.user "$D/planted/email.txt" || true)"
ok
grep -P '^\d+-ZIP-\d+\tdocx\.user@trawl-test\.org\t' "$D/planted/email.txt" >/dev/null ||
  fail "docx hit has no ZIP forensic path: $(grep docx.user "$D/planted/email.txt" || true)"
ok
grep -P '^\d+-BASE64-\d+\tbase64\.user@trawl-test\.org\t' "$D/planted/email.txt" >/dev/null ||
  fail "base64 hit has no BASE64 forensic path: $(grep base64.user "$D/planted/email.txt" || true)"
ok

# Feature files are sorted by offset (first number of the path) and the
# histogram counts match the rows.
for f in "$D"/planted/*.txt; do
  case $f in *_histogram.txt) continue ;; esac
  { grep -v '^#' "$f" || true; } | cut -f1 | sed 's/-.*//' | sort -c -n || fail "$f is not sorted by offset"
done
ok
n=$(grep -v '^#' "$D/planted/email.txt" | cut -f2 | grep -cxF alice.planted@trawl-test.org)
grep -qxF "n=$n	alice.planted@trawl-test.org" "$D/planted/email_histogram.txt" ||
  fail "histogram count for alice.planted is not n=$n"
ok
echo "PASS [$T_NAME]: $T_CHECKS checks"
