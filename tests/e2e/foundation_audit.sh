#!/usr/bin/env bash
# foundation_audit.sh: issue 2 (c), the audit log.  Every line is a JSON
# object with time (UTC), tool, version, libraries, argv, examiner, action,
# inputs [{path, sha256}], outcome and prev = SHA-256 (hex) of the previous
# line's bytes without the newline (64 zeros on the first line).  Refused
# actions are logged too.  `trawl verify` passes on the untouched log and
# fails (exit 3) after each kind of tampering: a line edited, a line
# deleted, the log truncated (a whole line, or mid-line), a forged line
# appended (even one whose prev is right), two lines swapped.
source "$TRAWL_SRC/tests/e2e/lib.sh"
need_cmd sqlite3 python3

newcase
tmpdir
ev=$REPLY
expect_exit 0 "$TRAWL" scan -o "$CASE" --examiner "Insp. Ada" "$FIX/fat.img"
expect_exit 0 "$TRAWL" scan -o "$CASE" "$FIX/e01/tablet.E01"
expect_exit 1 "$TRAWL" scan -o "$CASE" "$ev/no-such-image.raw"
expect_exit 0 "$TRAWL" verify "$CASE"
n=$(audit_lines "$CASE")
[ "$n" -ge 4 ] || fail "audit.log has $n lines, want at least 4 (2 scans, 1 refusal, 1 verify)"
ok

note "every line: JSON, the fields, and the chain"
# A failure here is reported at the end, so the tampering checks still run.
"$PY" - "$CASE/audit.log" "$(realpath "$FIX/fat.img")" "$(realpath "$FIX/e01/tablet.E01")" \
    "$ev/no-such-image.raw" "$LOGIN_NAME" <<'EOF' || T_DEFERRED+=("audit.log structure")
import hashlib, json, re, sys, glob, os
log, fat, tablet, missing, login = sys.argv[1:]
raw = open(log, 'rb').read()
assert raw.endswith(b'\n'), 'audit.log does not end with a newline'
lines = raw[:-1].split(b'\n')
prev = '0' * 64
recs = []
for k, b in enumerate(lines, 1):
    try:
        j = json.loads(b)
    except Exception as e:
        sys.exit(f'line {k} is not JSON: {e}: {b[:200]!r}')
    for f in ('time', 'tool', 'version', 'libraries', 'argv', 'examiner', 'action', 'inputs', 'outcome', 'prev'):
        if f not in j:
            sys.exit(f'line {k} has no field {f}: {b[:300]!r}')
    if j['prev'] != prev:
        sys.exit(f'line {k}: prev {j["prev"]} != sha256 of line {k-1} {prev}')
    if not re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z', j['time']):
        sys.exit(f'line {k}: time {j["time"]!r} is not UTC ISO 8601')
    if j['tool'] != 'trawl':
        sys.exit(f'line {k}: tool {j["tool"]!r}')
    if not isinstance(j['libraries'], dict) or not j['libraries']:
        sys.exit(f'line {k}: libraries is not a non-empty object: {j["libraries"]!r}')
    if not isinstance(j['argv'], list) or not j['argv']:
        sys.exit(f'line {k}: argv is not a non-empty list')
    if not isinstance(j['inputs'], list):
        sys.exit(f'line {k}: inputs is not a list')
    prev = hashlib.sha256(b).hexdigest()
    recs.append(j)

def sha(p):
    return hashlib.sha256(open(p, 'rb').read()).hexdigest()

errors = []
def check(cond, msg):
    if not cond:
        errors.append(msg)

def find(action, outcome, arg):
    for j in recs:
        if j['action'] == action and j['outcome'] == outcome and any(arg in a for a in j['argv']):
            return j
    sys.exit(f'no {action}/{outcome} line whose argv mentions {arg}: {[(r["action"], r["outcome"]) for r in recs]}')

j = find('scan', 'ok', 'fat.img')
check(j['examiner'] == 'Insp. Ada', f'examiner from --examiner: {j["examiner"]!r}')
check(j['argv'][1:3] == ['scan', '-o'], f'argv is the command line: {j["argv"]!r}')
check(j['inputs'] == [{'path': fat, 'sha256': sha(fat)}], f'fat scan inputs (path and sha256): {j["inputs"]!r}')
j = find('scan', 'ok', 'tablet.E01')
check(j['examiner'] == login, f'examiner defaults to the login name {login!r}: {j["examiner"]!r}')
segs = sorted(glob.glob(os.path.join(os.path.dirname(tablet), 'tablet.E0?')))
want = [{'path': p, 'sha256': sha(p)} for p in segs]
check(j['inputs'] == want, f'tablet scan inputs (every segment with its sha256): {j["inputs"]!r} want {want!r}')
j = find('scan', 'refused', 'no-such-image.raw')
check('no-such-image.raw' in (j.get('detail') or ''), f'the refusal says why: {j!r}')
check(recs[-1]['action'] == 'verify' and recs[-1]['outcome'] == 'ok', f'last line: {recs[-1]!r}')
for j in recs:
    libs = j['libraries']
    for lib in ('sqlite', 'openssl', 'libewf'):
        check(any(lib in k.lower() for k in libs), f'libraries names no {lib}: {libs!r}')
    check(all(isinstance(v, str) and v for v in libs.values()), f'library versions: {libs!r}')
    check(bool(j['version']), f'empty tool version: {j!r}')
if errors:
    sys.exit('\n'.join(errors))
print(f'{len(recs)} lines ok')
EOF
ok

note "case.db: WAL, schema version, and the chain head"
eq "$(sqlite3 -batch -noheader "$CASE/case.db" 'PRAGMA journal_mode')" wal "case.db journal mode"
eq "$(sqlq "$CASE" 'SELECT count(*), typeof(version), version >= 1 FROM schema_version')" "1|integer|1" \
    "schema_version: one integer row"
eq "$(sqlq "$CASE" "SELECT value FROM meta WHERE key = 'audit_last'")" \
    "$(tail -n 1 "$CASE/audit.log" | tr -d '\n' | sha256sum | cut -d' ' -f1)" \
    "case.db keeps the SHA-256 of the last audit line"
eq "$(sqlq "$CASE" 'PRAGMA integrity_check')" ok "case.db integrity_check"

# tamper NAME PYTHON: on a fresh copy of the case, rewrite audit.log with the
# Python snippet (it gets `lines`, the list of lines as bytes without
# newlines, and sets `out`, the new file's bytes), then expect verify to
# fail with exit 3 and to say which line.
tamper()
{
    local name=$1 code=$2 copy
    tmpdir
    copy=$REPLY/case
    cp -a "$CASE" "$copy"
    "$PY" - "$copy/audit.log" <<EOF || fail "tamper $name: the snippet failed"
import hashlib, json, sys
p = sys.argv[1]
raw = open(p, 'rb').read()
lines = raw[:-1].split(b'\n')
out = None
$code
assert out is not None and out != raw, 'tampering changed nothing'
open(p, 'wb').write(out)
EOF
    expect_exit 3 "$TRAWL" verify "$copy"
    contains "$OUT$ERR" "audit.log" "verify after '$name' names the audit log"
    note "tamper '$name': verify exits 3"
}

tamper "edit a character in line 2" '
lines[1] = lines[1].replace(b"\"action\":\"scan\"", b"\"action\":\"scam\"", 1)
out = b"\n".join(lines) + b"\n"'
tamper "edit the examiner of the last line" '
j = json.loads(lines[-1]); j["examiner"] = "someone else"
lines[-1] = json.dumps(j, separators=(",", ":")).encode()
out = b"\n".join(lines) + b"\n"'
tamper "edit line 1 and re-chain every later line" '
j = json.loads(lines[0]); j["examiner"] = "Mallory"
lines[0] = json.dumps(j, separators=(",", ":")).encode()
for k in range(1, len(lines)):
    j = json.loads(lines[k]); j["prev"] = hashlib.sha256(lines[k-1]).hexdigest()
    lines[k] = json.dumps(j, separators=(",", ":")).encode()
out = b"\n".join(lines) + b"\n"'
tamper "delete line 2" '
del lines[1]
out = b"\n".join(lines) + b"\n"'
tamper "delete the first line" '
out = b"\n".join(lines[1:]) + b"\n"'
tamper "truncate: drop the last line" '
out = b"\n".join(lines[:-1]) + b"\n"'
tamper "truncate mid-line" '
out = raw[: len(raw) - 40]'
tamper "truncate to nothing" '
out = b""'
tamper "append a forged line with the right prev" '
j = json.loads(lines[-1]); j["action"] = "scan"; j["outcome"] = "ok"; j["prev"] = hashlib.sha256(lines[-1]).hexdigest()
out = raw + json.dumps(j, separators=(",", ":")).encode() + b"\n"'
tamper "append a blank line" '
out = raw + b"\n"'
tamper "swap lines 2 and 3" '
lines[1], lines[2] = lines[2], lines[1]
out = b"\n".join(lines) + b"\n"'

note "a missing audit.log"
tmpdir
cp -a "$CASE" "$REPLY/case"
rm "$REPLY/case/audit.log"
expect_exit 3 "$TRAWL" verify "$REPLY/case"
contains "$ERR$OUT" "audit.log" "verify names the missing audit.log"

note "evidence swapped and case.db's hashes edited to match: the audit log still knows"
# The audit line of the scan recorded the segment's SHA-256; case.db alone is
# not tamper-evident, so verify must hold the images to the audit log too.
tmpdir
sw=$REPLY
cp "$FIX/fat.img" "$sw/stick.img"
expect_exit 0 "$TRAWL" scan -o "$sw/case" --no-fs "$sw/stick.img"
printf 'X' | dd of="$sw/stick.img" bs=1 seek=700000 conv=notrunc status=none
IFS='|' read -r m s1 s256 <<<"$(hashes "$sw/stick.img")"
sqlite3 "$sw/case/case.db" "UPDATE images SET md5 = '$m', sha1 = '$s1', sha256 = '$s256';
                           UPDATE segments SET md5 = '$m', sha1 = '$s1', sha256 = '$s256'"
run "$TRAWL" verify "$sw/case"
defer eq "$RC" 3 "verify after the evidence was swapped and case.db edited to match (stdout: $OUT)"

note "the untouched case still verifies, and verify keeps the chain going"
before=$(audit_lines "$CASE")
expect_exit 0 "$TRAWL" verify "$CASE"
eq "$(audit_lines "$CASE")" $((before + 1)) "verify appends one line"
expect_exit 0 "$TRAWL" verify "$CASE"

done_ok
