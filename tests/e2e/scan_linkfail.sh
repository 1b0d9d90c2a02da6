# scan_linkfail.sh: a scan whose link step fails after its device was
# stored keeps the device, says that it is stored and that the case's links
# are out of date (and how to rebuild them), and exits 1; the next scan,
# adding nothing, rebuilds them.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sqlite3
F=$TRAWL_FIXTURES/fs
newcase
expect_exit 0 "$TRAWL" scan -o "$CASE" --no-link "$F/fat.img"
[ ! -e "$CASE/audit.pending" ] || fail "audit.pending left after a scan that committed"
ok
# links.csv cannot be replaced while a folder (not empty) stands in its place.
mkdir -p "$CASE/links.csv/in-the-way"
expect_exit 1 "$TRAWL" scan -o "$CASE" "$F/disk.img"
contains "$ERR" "trawl: scan: device 'disk' added to $CASE" "the device is said to be added"
contains "$ERR" "trawl: scan: the cross-device links were not rebuilt: $CASE/links.csv" \
    "the link failure, naming the file"
contains "$ERR" "trawl: scan: the 1 device(s) added above are stored in $CASE; the case's links are out of date: run 'trawl link $CASE' (or scan again) to rebuild them" \
    "what is stored and how to mend"
eq "$(sqlq "$CASE" "SELECT group_concat(name, ',') FROM (SELECT name FROM devices ORDER BY name)")" \
    "disk,fat" "both devices stored"
contains "$(tail -n 1 "$CASE/audit.log")" '"action":"link"' "the failed link run is audited"
contains "$(tail -n 1 "$CASE/audit.log")" '"outcome":"error"' "as an error"
expect_exit 0 "$TRAWL" verify "$CASE"
# Out of the way: scanning again adds nothing but rebuilds the links.
rm -r "$CASE/links.csv"
expect_exit 0 "$TRAWL" scan -o "$CASE" "$F/disk.img"
[ -f "$CASE/links.csv" ] || fail "links.csv not rebuilt"
ok
contains "$(tail -n 1 "$CASE/audit.log")" '"outcome":"ok"' "the link run that mended it"
echo "scan_linkfail: $T_CHECKS checks passed"
