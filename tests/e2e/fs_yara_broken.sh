# fs_yara_broken.sh: a YARA rule that does not compile stops `trawl scan`
# before any scanning, naming the rule file and its line; nothing is added.
source "$TRAWL_SRC/tests/e2e/lib.sh"
F=$TRAWL_FIXTURES/fs
[ -f "$F/rules/broken.yar" ] || fail "fs fixture missing in $F"
newcase
run "$TRAWL" scan -o "$CASE" --no-link --rules "$F/rules/broken.yar" "$F/fat.img"
[ "$RC" -ne 0 ] || fail "scan with a broken rule exited 0"
ok
contains "$ERR" "broken.yar:4:" "error names the file and line"
if [ -f "$CASE/case.db" ]; then
    eq "$(sqlq "$CASE" "SELECT count(*) FROM devices")" 0 "devices added despite the broken rule"
fi
# A folder of rules: the broken file is found in it too.
tmpdir
cp "$F/rules/good.yar" "$F/rules/broken.yar" "$REPLY/"
run "$TRAWL" scan -o "$CASE" --no-link --rules "$REPLY" "$F/fat.img"
[ "$RC" -ne 0 ] || fail "scan with a broken rule folder exited 0"
contains "$ERR" "broken.yar:4:" "folder: error names the file and line"
echo "fs_yara_broken: $T_CHECKS checks passed"
