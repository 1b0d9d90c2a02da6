# scan_determinism.sh: the same image gives byte-identical feature files,
# histograms and DFXML for -j 1, -j 2 and -j 8, and on a second run.
source "$TRAWL_SRC/tests/e2e/lib.sh"
P=$TRAWL_FIXTURES/scan
[ -f "$P/planted.fat" ] || fail "scan fixture missing in $P"

tmpdir
base=$REPLY
for j in 1 2 8 2; do
  c=$base/j$j.$RANDOM
  expect_exit 0 "$TRAWL" scan -o "$c" --no-link -j "$j" "$P/planted.fat" "$P/boundary.raw"
  (cd "$c/devices" && find . -type f | sort | xargs sha256sum) > "$c.sums"
  [ -s "$c.sums" ] || fail "no output files for -j $j"
  if [ -n "${first:-}" ]; then
    diff -u "$first" "$c.sums" >&2 || fail "-j $j output differs from the first run"
    ok
  else
    first=$c.sums
    grep -q 'email.txt' "$first" || fail "email.txt missing"
  fi
done
echo "PASS [$T_NAME]: $T_CHECKS checks"
