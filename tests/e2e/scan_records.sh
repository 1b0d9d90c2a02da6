# scan_records.sh: SQLite records decoded wherever their bytes are.
#  1. The records fixture (tests/fixtures/records.fixture: deleted rows, a
#     WAL, UTF-16, overflow pages, page sizes 512 and 65536, Chrome and
#     Firefox cookies, deleted cookie rows, cookie leaves carved without
#     their schema) as raw bytes, on FAT, and deleted from FAT: every
#     planted value is found exactly, rows deleted without VACUUM carry the
#     deleted flag (4) (deleted c_user rows give their facebook: accounts,
#     with the record's time), and values glued across two fields are gone.
#  2. The corpus's application databases on FAT, on NTFS and deleted from
#     FAT: recall of the e-mail addresses and URLs that sqlite3 shows inside
#     one TEXT field (sqlite_truth.py) at least 98%, and no value in no field
#     (a value outside the live fields must be a deleted record's, flagged,
#     from a page's free space)
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sqlite3 mkfs.vfat mcopy mdel
R=$TRAWL_FIXTURES/records
[ -f "$R/records.raw" ] || fail "records fixture missing in $R"

tmpdir
base=$REPLY
for img in records.raw records.fat records-deleted.fat; do
    note "fixture $img"
    c=$base/$img
    expect_exit 0 "$TRAWL" scan -o "$c" --no-link "$R/$img"
    dev=$(ls -d "$c"/devices/*)
    while IFS=$'\t' read -r t v; do
        grep -qF -- "	$v	" "$dev/$t.txt" || fail "$img: $t $v not found"
        ok
    done <"$R/expected"
    # the field is the context: nothing glued to the next column
    lacks "$(cat "$dev/email.txt")" "records-test.orghttps" "$img: e-mail glued to the next field"
    lacks "$(cat "$dev/account.txt")" "facebook:100012345678902." "$img: account glued"
    while IFS=$'\t' read -r t v; do
        eq "$(sqlq "$c" "SELECT count(*) FROM identifiers WHERE type='$t' AND value='$v' AND flags & 4")" \
            1 "$img: $v flagged deleted"
    done <"$R/expected-deleted"
    # deleted cookie rows keep their record's time (Chrome's creation_utc is
    # the first column, whose serial type the freeblock's header overwrote),
    # and carved leaves without their schema too (the column order names it)
    for v in 100012345678910 100012345678911 100012345678920 100012345678921; do
        eq "$(sqlq "$c" "SELECT group_concat(DISTINCT time) FROM identifiers WHERE value='facebook:$v'")" \
            1655526400 "$img: deleted Chrome cookie's time"
    done
    for v in 100012345678912 100012345678913 100012345678922 100012345678923; do
        eq "$(sqlq "$c" "SELECT group_concat(DISTINCT time) FROM identifiers WHERE value='facebook:$v'")" \
            1700000000 "$img: deleted Firefox cookie's time"
    done
    # live rows are not flagged
    eq "$(sqlq "$c" "SELECT count(*) FROM identifiers WHERE value='person1@records-test.org' AND flags & 4")" \
        0 "$img: a live row flagged deleted"
    # the path names the field: OFFSET-SQLITE-N
    contains "$(grep -F 'overflow.tail@records-test.org' "$dev/email.txt")" "-SQLITE-" "$img: field path"
done

if [ ! -d "$TRAWL_CORPUS/formats" ] && [ -z "${CI:-}" ]; then
    note "corpus not found at $TRAWL_CORPUS: its databases are not measured"
    echo "PASS [$T_NAME]: $T_CHECKS checks"
    exit 0
fi
need_corpus
A=$TRAWL_CORPUS/artifacts
dbs=("$A/chrome/History" "$A/chrome/History-57.0.2987.133" "$A/chrome/History-58.0.3029.96"
    "$A/chrome/History-59.0.3071.86" "$A/chrome/Cookies-68.0.3440.106" "$A/chrome/Web Data"
    "$A/chrome/cookies.db" "$A/firefox/places.sqlite" "$A/firefox/downloads.sqlite"
    "$A/firefox/firefox_10_cookies.sqlite" "$A/firefox/firefox_2_cookies.sqlite"
    "$A/android/contacts2.db" "$A/android/mmssms.db" "$A/android/twitter.db"
    "$A/android/webview.db" "$A/sqlite/imessage_chat.db" "$A/sqlite/skype_main.db")
fat=$base/corpus.fat
mkfs.vfat -C -F 16 -s 8 -n CORPUS "$fat" 32768 >/dev/null
i=0
for f in "${dbs[@]}"; do
    i=$((i + 1))
    mcopy -i "$fat" "$f" "::/db$i.sqlite"
done
cp "$fat" "$base/corpus-deleted.fat"
for n in $(seq 1 $i); do mdel -i "$base/corpus-deleted.fat" "::/db$n.sqlite"; done
imgs=(corpus.fat corpus-deleted.fat)
if command -v mkntfs >/dev/null && command -v ntfscp >/dev/null; then
    ntfs=$base/corpus.ntfs
    truncate -s 64M "$ntfs"
    mkntfs -F -Q -q -c 4096 "$ntfs" >/dev/null 2>&1
    i=0
    for f in "${dbs[@]}"; do
        i=$((i + 1))
        ntfscp -q "$ntfs" "$f" "db$i.sqlite" >/dev/null 2>&1 || fail "ntfscp $f"
    done
    imgs+=(corpus.ntfs)
else
    [ -n "${CI:-}" ] && fail "mkntfs/ntfscp missing (CI must have them)"
fi
for img in "${imgs[@]}"; do
    note "corpus $img"
    c=$base/c-$img
    expect_exit 0 "$TRAWL" scan -o "$c" --no-link "$base/$img"
    dev=$(ls -d "$c"/devices/*)
    # Chrome's old History keeps downloads.start_time in Unix seconds
    eq "$(sqlq "$c" "SELECT group_concat(DISTINCT time) FROM identifiers WHERE
        value='http://fatloss4idiotsx.com/download/funcats/funcats_scr.exe' AND path NOT LIKE '%PCT%'")" \
        1306139730 "$img: History downloads.start_time (Unix seconds)"
    out=$("$PY" "$TRAWL_SRC/tests/e2e/sqlite_truth.py" "$c/case.db" "$dev" "${dbs[@]}")
    printf '%s\n' "$out" >&2
    while read -r t found of total pct rest; do
        [ "$of" = of ] || continue
        t=${t%:}
        [ $((found * 1000)) -ge $((total * 980)) ] || fail "$img: $t recall $found of $total"
        ok
        strays=$(printf '%s\n' "$rest" | sed -n 's/.*, \([0-9]*\) reported values in no field.*/\1/p')
        # a value outside every live field comes from a deleted record (and
        # is flagged so), never from remnants whose field boundaries are gone
        [ "$strays" = 0 ] || fail "$img: $t: $strays values in no field"
        ok
    done <<<"$out"
done
echo "PASS [$T_NAME]: $T_CHECKS checks"
