# lib.sh: helpers for the end-to-end tests (tests/e2e/*.sh).
#
# A test starts with
#     source "$TRAWL_SRC/tests/e2e/lib.sh"
# and gets strict mode, the checks below, and $FIX (the base fixture folder,
# built by tests/fixtures/make-images).  CTest sets TRAWL (the binary),
# TRAWL_SRC, TRAWL_FIXTURES, TRAWL_CORPUS and TRAWL_BUILD.  Exit 77 skips.
# Run one test by hand with
#     TRAWL=build/trawl TRAWL_SRC=$PWD TRAWL_FIXTURES=build/fixtures \
#     TRAWL_CORPUS=$PWD/../shared/corpus bash tests/e2e/NAME.sh
set -euo pipefail
export LC_ALL=C TZ=UTC

: "${TRAWL:?TRAWL (the trawl binary) is not set}"
: "${TRAWL_SRC:?TRAWL_SRC is not set}"
: "${TRAWL_FIXTURES:?TRAWL_FIXTURES is not set}"
TRAWL_CORPUS=${TRAWL_CORPUS:-$TRAWL_SRC/../shared/corpus}
FIX=$TRAWL_FIXTURES/base
# The system Python (a pyenv shim in PATH can cost a second a call).
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi
# Who trawl records as the examiner when --examiner is not given: the user
# behind sudo, else the effective user.
LOGIN_NAME=${SUDO_USER:-$(id -un)}
T_NAME=$(basename "${BASH_SOURCE[1]:-$0}" .sh)
T_CHECKS=0

# fail MSG...: print the failure (with the test's name) and exit 1.
fail()
{
    echo "FAIL [$T_NAME]: $*" >&2
    exit 1
}

# note MSG...: a progress line, so a failure's log shows how far it got.
note()
{
    echo "-- $*" >&2
}

# ok: count a passed check (the summary prints the total).
ok()
{
    T_CHECKS=$((T_CHECKS + 1))
}

# skip MSG: skip the whole test (exit 77).
skip()
{
    echo "SKIP [$T_NAME]: $*" >&2
    exit 77
}

# need_cmd X...: skip when a command is not installed (fail under CI).
need_cmd()
{
    local c
    for c in "$@"; do
        if ! command -v "$c" >/dev/null 2>&1; then
            [ -n "${CI:-}" ] && fail "command '$c' is not installed (CI must have it)"
            skip "command '$c' is not installed"
        fi
    done
}

# need_corpus: skip when the shared corpus is absent; fail when CI is set
# (CI always has it).
need_corpus()
{
    if [ ! -d "$TRAWL_CORPUS/formats" ]; then
        [ -n "${CI:-}" ] && fail "corpus not found at $TRAWL_CORPUS (CI must have it)"
        skip "corpus not found at $TRAWL_CORPUS"
    fi
}

# need_fixtures: fail when the base fixture was not built.
need_fixtures()
{
    [ -f "$FIX/.done" ] && [ -f "$FIX/manifest" ] ||
        fail "fixtures missing in $FIX: run tests/fixtures/make-images $TRAWL_FIXTURES"
}

[ -x "$TRAWL" ] || fail "TRAWL=$TRAWL is not an executable"
need_fixtures

T_TMPS=()
_cleanup()
{
    local d
    for d in "${T_TMPS[@]+"${T_TMPS[@]}"}"; do
        chmod -R u+rwx "$d" 2>/dev/null || true
        rm -rf "$d"
    done
}
trap _cleanup EXIT

# tmpdir: a fresh temporary folder, removed when the test exits.
# Use as: tmpdir; d=$REPLY   (a subshell would lose the cleanup entry).
tmpdir()
{
    REPLY=$(mktemp -d "${TMPDIR:-/tmp}/trawl-$T_NAME.XXXXXX")
    T_TMPS+=("$REPLY")
}

# newcase: set CASE to a path where no case exists yet (inside a fresh
# temporary folder, removed at exit); trawl creates it.
newcase()
{
    tmpdir
    CASE=$REPLY/case
}

# run CMD...: run it, keeping stdout in $OUT, stderr in $ERR and the exit
# code in $RC; never fails by itself.
run()
{
    local o e
    o=$(mktemp) e=$(mktemp)
    set +e
    "$@" >"$o" 2>"$e"
    RC=$?
    set -e
    OUT=$(cat "$o") ERR=$(cat "$e")
    rm -f "$o" "$e"
}

# expect_exit CODE CMD...: run CMD (as run does) and fail unless it exits
# with CODE; prints its output on failure.
expect_exit()
{
    local want=$1
    shift
    run "$@"
    if [ "$RC" != "$want" ]; then
        echo "---- stdout:" >&2
        printf '%s\n' "$OUT" | sed -n 1,40p >&2
        echo "---- stderr:" >&2
        printf '%s\n' "$ERR" | sed -n 1,40p >&2
        fail "expected exit $want, got $RC from: $*"
    fi
    ok
}

# sqlq CASE SQL: run a query on CASE/case.db, one row a line, '|' between
# columns (read-only, so the test cannot change the case by querying it).
sqlq()
{
    [ -f "$1/case.db" ] || fail "sqlq: $1/case.db does not exist"
    sqlite3 -batch -noheader -readonly "$1/case.db" "$2"
}

# eq GOT WANT WHAT: fail unless GOT = WANT.
eq()
{
    [ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"
    ok
}

# contains HAYSTACK NEEDLE WHAT: fail unless NEEDLE occurs in HAYSTACK.
contains()
{
    case "$1" in
    *"$2"*) ok ;;
    *) fail "$3: '$2' not found in: ${1:0:2000}" ;;
    esac
}

# lacks HAYSTACK NEEDLE WHAT: fail if NEEDLE occurs in HAYSTACK.
lacks()
{
    case "$1" in
    *"$2"*) fail "$3: '$2' found in: ${1:0:2000}" ;;
    *) ok ;;
    esac
}

# manifest KEY FIELD: a value from the fixture manifest (fields: size md5
# sha1 sha256) for the image at KEY (its path relative to $FIX).
manifest()
{
    local col
    case $2 in
    size) col=2 ;; md5) col=3 ;; sha1) col=4 ;; sha256) col=5 ;;
    *) fail "manifest: no field $2" ;;
    esac
    local v
    v=$(awk -v k="$1" -v c="$col" '$1 == k { print $c }' "$FIX/manifest")
    [ -n "$v" ] || fail "manifest has no entry $1"
    printf '%s\n' "$v"
}

# hashes FILE...: "md5|sha1|sha256" of the concatenation of the files,
# computed by coreutils.
hashes()
{
    printf '%s|%s|%s\n' "$(cat "$@" | md5sum | cut -d' ' -f1)" \
        "$(cat "$@" | sha1sum | cut -d' ' -f1)" "$(cat "$@" | sha256sum | cut -d' ' -f1)"
}

# case_state CASE: a fingerprint of what a refused action must leave alone:
# the device, image, segment and identifier rows and every file under
# CASE/devices (names and contents).  audit.log is left out: refusals add a
# line there.
case_state()
{
    local c=$1
    {
        sqlite3 -batch -noheader -readonly "$c/case.db" \
            "SELECT 'devices', count(*) FROM devices; SELECT * FROM devices ORDER BY id;
             SELECT 'images', count(*) FROM images; SELECT * FROM images ORDER BY id;
             SELECT 'segments', count(*) FROM segments; SELECT * FROM segments ORDER BY image_id, seq;
             SELECT 'identifiers', count(*) FROM identifiers;
             SELECT 'problems', count(*) FROM problems;" 2>&1
        if [ -d "$c/devices" ]; then
            (cd "$c" && find devices -print0 | LC_ALL=C sort -z | xargs -0 -r sh -c '
                for f do if [ -f "$f" ]; then sha256sum "$f"; else echo "dir $f"; fi; done' sh)
        fi
    } | sha256sum | cut -d' ' -f1
}

# audit_lines CASE: the number of lines in CASE/audit.log.
audit_lines()
{
    wc -l <"$1/audit.log" | tr -d ' '
}

# audit_last CASE: the last line of CASE/audit.log.
audit_last()
{
    tail -n 1 "$1/audit.log"
}

# json_get JSON EXPR: evaluate a Python expression over the parsed JSON
# value `j` (e.g. json_get "$line" 'j["outcome"]'); prints the result (str
# as is, other values as JSON).
json_get()
{
    "$PY" -c '
import json, sys
j = json.loads(sys.argv[1])
v = eval(sys.argv[2], {"j": j})
print(v if isinstance(v, str) else json.dumps(v))' "$1" "$2" || fail "json_get: bad JSON or expression $2"
}

# one_line TEXT WHAT: fail unless TEXT is exactly one non-empty line.
one_line()
{
    local n
    n=$(printf '%s\n' "$1" | grep -c . || true)
    [ "$n" -eq 1 ] || fail "$2: want a one-line message, got $n lines: $1"
    ok
}

# defer CHECK ARGS...: run one check (eq, contains, ...) in a subshell; if
# it fails, its message is printed, the test goes on, and done_ok fails at
# the end.  For checks whose failure does not invalidate what follows.
T_DEFERRED=()
defer()
{
    if ("$@"); then
        ok
    else
        T_DEFERRED+=("$*")
    fi
}

# done_ok: the closing line of a test; fails if a deferred check failed.
done_ok()
{
    if [ ${#T_DEFERRED[@]} -ne 0 ]; then
        echo "FAIL [$T_NAME]: ${#T_DEFERRED[@]} deferred check(s) failed (messages above)" >&2
        exit 1
    fi
    echo "PASS [$T_NAME]: $T_CHECKS checks" >&2
    exit 0
}
