#!/usr/bin/env bash
# case_readonly.sh: issue 8 (3): commands that only read never write.  A
# case is made from fixtures, copied, and the copy write-protected
# (`chmod -R a-w`, and the commands run as an unprivileged user, since root
# ignores the write bits).  info, find, files, links, accounts, export and
# verify all succeed on it, print what they print on the writable original,
# and leave every file of the copy byte-identical, with no file added;
# `trawl link` is refused in one line.  On the writable original the
# readers change nothing either: no audit line, no file left behind.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sha256sum
if [ "$(id -u)" = 0 ]; then
    need_cmd setpriv
    # as_reader CMD...: run CMD as nobody (root would ignore the write bits).
    as_reader() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
else
    as_reader() { "$@"; }
fi

tmpdir
work=$REPLY
L=$TRAWL_FIXTURES/link
# The copy keeps the folder's name (the JSON-LD export names the case by it).
mkdir "$work/bin" "$work/ev" "$work/w" "$work/r" "$work/x"
cp "$TRAWL" "$work/bin/trawl"
cp "$L"/a1.img "$L"/a2.img "$L"/b1.img "$L"/b2.img "$L"/u1.img "$FIX"/ntfs.img "$work/ev/"
chmod -R a+rX "$work"
T=$work/bin/trawl

note "make a case and link it"
expect_exit 0 "$T" scan -o "$work/w/case" "$work"/ev/*.img
expect_exit 0 "$T" link "$work/w/case"
value=$(awk -F'\t' '$1 == "email" { print $2; exit }' "$L/expected/values")
[ -n "$value" ] || fail "no planted e-mail address in $L/expected/values"

cp -a "$work/w/case" "$work/r/case"
chmod -R a+rX "$work/r/case"
chmod -R a-w "$work/r/case"
sums()
{
    (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    (cd "$1" && find . -printf '%y %p\n' | LC_ALL=C sort)
}
sums "$work/r/case" >"$work/before"
grep -q '\./case\.db$' "$work/before" || fail "the copy has no case.db"
ok

# The commands, one a line: NAME ARGS (CASE stands for the case folder).
cmds=(
    "info CASE"
    "info --json CASE"
    "find CASE $value"
    "find --json CASE $value"
    "files CASE ntfs"
    "files --json --identifiers CASE ntfs"
    "files --deleted CASE ntfs"
    "links CASE"
    "links --json CASE"
    "links CASE a1"
    "accounts CASE"
    "accounts --json CASE"
    "export --format csv CASE"
    "export --format graphml CASE"
    "export --format jsonld CASE"
)
sums "$work/w/case" >"$work/w.before"
i=0
for c in "${cmds[@]}"; do
    i=$((i + 1))
    read -ra w <<<"${c//CASE/$work/w/case}"
    expect_exit 0 "$T" "${w[@]}"
    printf '%s\n' "$OUT" >"$work/ref.$i"
    [ -n "$OUT" ] || fail "$c printed nothing on the writable case"
    ok
done
sums "$work/w/case" >"$work/w.after"
cmp -s "$work/w.before" "$work/w.after" ||
    fail "the readers changed the writable case: $(diff "$work/w.before" "$work/w.after" | head -10)"
ok

note "the same commands as an unprivileged user on the write-protected copy"
i=0
for c in "${cmds[@]}"; do
    i=$((i + 1))
    read -ra w <<<"${c//CASE/$work/r/case}"
    expect_exit 0 as_reader "$T" "${w[@]}"
    # Exports and links name no folder; info and files may: compare with the
    # case's path replaced.
    printf '%s\n' "$OUT" | sed "s#$work/r/#$work/w/#g" >"$work/got.$i"
    cmp -s "$work/ref.$i" "$work/got.$i" ||
        fail "'$c' on the read-only copy differs: $(diff "$work/ref.$i" "$work/got.$i" | head -5)"
    ok
done

note "verify on the write-protected copy: checks run, nothing recorded"
expect_exit 0 as_reader "$T" verify "$work/r/case"
contains "$OUT" "chain intact" "verify's audit check"
contains "$ERR" "not recorded" "verify says it did not record itself"

note "a command that writes is refused in one line, before touching anything"
expect_exit 1 as_reader "$T" link "$work/r/case"
contains "$ERR" "the case is read-only here" "link's refusal"
eq "$(printf '%s\n' "$ERR" | wc -l)" 1 "refusal lines"

note "every file of the copy unchanged, none added"
sums "$work/r/case" >"$work/after"
cmp -s "$work/before" "$work/after" ||
    fail "the read-only copy changed: $(diff "$work/before" "$work/after" | head -10)"
ok

note "a write-protected case with an unfinished write-ahead log is refused in one line"
cp -a "$work/w/case" "$work/x/case"
printf 'not really a log' >"$work/x/case/case.db-wal"
chmod -R a+rX "$work/x/case"
chmod -R a-w "$work/x/case"
expect_exit 1 as_reader "$T" info "$work/x/case"
contains "$ERR" "write-ahead log" "refusal names the write-ahead log"
eq "$(printf '%s\n' "$ERR" | wc -l)" 1 "refusal lines"

done_ok
