#!/usr/bin/env bash
# lint_case_door.sh: issue 8 (2): one door to the case store.  No C source
# or header under src/ or bench/ outside src/case may use SQLite: include
# sqlite3.h (or case/case_int.h, the case store's SQLite side), call a
# sqlite3_* function, hold a sqlite3 handle or use a SQLITE_* constant; nor
# may a header of src/case other than case_int.h (others include them).
# Comments are ignored (SQLite is cited as a model in places); the checker
# is first shown a file that breaks the rule, so that it cannot pass by
# seeing nothing.
source "$TRAWL_SRC/tests/e2e/lib.sh"

# Files allowed to use SQLite outside src/case, each with its reason.
exceptions=(
    # Generates a synthetic case of 150 million identifier rows straight
    # into SQLite (drops and rebuilds the indexes around the inserts); no
    # case function stores rows at that rate yet.
    bench/link/gen.c
)

# check FILE...: print "FILE:LINE: TEXT" for each use of SQLite outside
# comments; exit 1 when there is one.
check()
{
    $PY - "$@" <<'PY'
import re, sys
use = re.compile(r'sqlite3\.h|case/case_int\.h|\bsqlite3_\w+|\bsqlite3\s*\*|\bSQLITE_[A-Z0-9_]+')
bad = 0
for path in sys.argv[1:]:
    src = open(path, encoding="utf-8", errors="replace").read()
    # Blank out comments, keeping line numbers and string literals.
    def blank(m):
        s = m.group(0)
        return s if s[0] in "\"'" else re.sub(r"[^\n]", " ", s)
    code = re.sub(r'"(\\.|[^"\\\n])*"|\'(\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', blank, src,
                  flags=re.S)
    for n, line in enumerate(code.split("\n"), 1):
        m = use.search(line)
        if m:
            print("%s:%d: %s" % (path, n, src.split("\n")[n - 1].strip()))
            bad = 1
sys.exit(bad)
PY
}

tmpdir
work=$REPLY
note "the checker sees a use of SQLite, and not one in a comment or a string"
cat >"$work/bad.c" <<'C'
/* sqlite3_io_methods is the model here; "sqlite3_open" in a string is text. */
#include <sqlite3.h>
static const char *mime = "application/vnd.sqlite3";
int f(void) { return sqlite3_libversion_number() > 0 && SQLITE_OK == 0; }
C
run check "$work/bad.c"
eq "$RC" 1 "checker exit on a file using SQLite"
eq "$(printf '%s\n' "$OUT" | cut -d: -f2 | tr '\n' ' ')" "2 4 " "lines flagged"
printf '/* sqlite3_open */\nstatic const char *s = "x.sqlite3";\n' >"$work/good.c"
expect_exit 0 check "$work/good.c"

note "no use of SQLite in src/ or bench/ outside src/case"
cd "$TRAWL_SRC"
mapfile -t files < <(find src bench -type f \( -name '*.c' -o -name '*.h' \) -not -path 'src/case/*' |
    LC_ALL=C sort)
[ "${#files[@]}" -gt 50 ] || fail "only ${#files[@]} sources found under src/ and bench/"
ok
keep=()
for f in "${files[@]}"; do
    skip_it=0
    for e in "${exceptions[@]}"; do
        [ "$f" = "$e" ] && skip_it=1
    done
    [ "$skip_it" = 1 ] || keep+=("$f")
done
run check "${keep[@]}"
[ "$RC" = 0 ] || fail "SQLite used outside src/case (add a function to src/case named for what it does):"$'\n'"$OUT"
ok
for e in "${exceptions[@]}"; do
    [ -f "$e" ] || note "exception $e no longer exists: drop it from the list"
done

note "the headers of src/case that other stages include do not bring SQLite with them"
mapfile -t headers < <(find src/case -name '*.h' -not -name case_int.h | LC_ALL=C sort)
[ "${#headers[@]}" -gt 3 ] || fail "only ${#headers[@]} headers found in src/case"
run check "${headers[@]}"
[ "$RC" = 0 ] || fail "a public header of src/case uses SQLite:"$'\n'"$OUT"
ok

done_ok
