# report_assets.sh: src/report/html_assets.c is what scripts/report-assets
# makes of src/report/report.css and report.js (edit those, not the C file).
source "$TRAWL_SRC/tests/e2e/lib.sh"
tmpdir
"$TRAWL_SRC/scripts/report-assets" "$REPLY/html_assets.c"
cmp -s "$REPLY/html_assets.c" "$TRAWL_SRC/src/report/html_assets.c" ||
  fail "src/report/html_assets.c is stale: run scripts/report-assets"
ok
done_ok
