# link_groups.sh: cross-device link analysis on ten generated images in two
# planted groups plus unrelated devices (tests/fixtures/link.fixture):
# every truly linked pair scores above every other pair, the noise present
# everywhere creates no link, the groups come out as planted, the "one
# device, many accounts" flag fires on the devices holding the account sets,
# the queries find the planted values, and the exports load in networkx and
# rdflib with the expected counts, byte-identical across runs.
source "$TRAWL_SRC/tests/e2e/lib.sh"
L=$TRAWL_FIXTURES/link
[ -f "$L/expected/pairs" ] || fail "link fixture missing in $L"
# Debian's python3 has rdflib and networkx; another python3 first in PATH may not.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
$PY -c 'import rdflib, networkx' 2>/dev/null || {
  [ -n "${CI:-}" ] && fail "python3-rdflib and python3-networkx are needed"
  skip "python3-rdflib or python3-networkx missing"
}

newcase
note "scan 10 images"
expect_exit 0 "$TRAWL" scan -o "$CASE" "$L"/a1.img "$L"/a2.img "$L"/a3.img "$L"/a4.img \
  "$L"/b1.img "$L"/b2.img "$L"/b3.img "$L"/u1.img "$L"/u2.img "$L"/u3.img

note "trawl link (incremental: nothing to re-index after the scan's own run)"
expect_exit 0 "$TRAWL" link "$CASE"
contains "$OUT" "10 devices" "link summary"
expect_exit 0 "$TRAWL" link --rebuild "$CASE"
contains "$OUT" "(10 indexed)" "rebuild summary"

note "links.csv, groups, accounts.csv"
$PY - "$CASE" "$L/expected" <<'PY' || fail "link results differ from the planted groups"
import csv, sqlite3, sys
case, exp = sys.argv[1], sys.argv[2]
def die(msg):
    print("link_groups:", msg, file=sys.stderr); sys.exit(1)
rows = list(csv.reader(open(case + "/links.csv", newline="")))
if rows[0] != ["device_a", "device_b", "score", "shared", "top"]:
    die("links.csv header %r" % rows[0])
links = {(r[0], r[1]): (float(r[2]), int(r[3]), r[4]) for r in rows[1:]}
for a, b in links:
    if not a < b: die("pair not ordered: %s %s" % (a, b))
# sorted by score desc, then names
keys = [(-float(r[2]), r[0], r[1]) for r in rows[1:]]
if keys != sorted(keys): die("links.csv is not sorted")
planted = {tuple(l.split()) for l in open(exp + "/pairs")}
devices = sorted({d for l in open(exp + "/groups") for d in l.split()} | {"u1", "u2", "u3"})
lo = min(links[p][0] if p in links else 0.0 for p in planted)
for i, a in enumerate(devices):
    for b in devices[i + 1:]:
        if (a, b) in planted: continue
        s = links.get((a, b), (0.0,))[0]
        if s >= lo: die("unlinked pair %s-%s scores %f >= weakest planted %f" % (a, b, s, lo))
        if (a, b) in links: die("noise linked %s-%s: %r" % (a, b, links[(a, b)]))
for p in planted:
    if p not in links: die("planted pair %s-%s missing" % p)
    top = links[p][2]
    if "gmail.com" in top or "google.com" in top: die("noise in top of %s-%s: %s" % (p + (top,)))
db = sqlite3.connect(case + "/case.db")
want = sorted(sorted(l.split()) for l in open(exp + "/groups"))
for method in ("components", "louvain"):
    got = {}
    for g, d in db.execute("SELECT group_id, device FROM groups WHERE method=?", (method,)):
        got.setdefault(g, []).append(d)
    if sorted(sorted(v) for v in got.values()) != want:
        die("%s groups %r, want %r" % (method, got, want))
stopped = {v for (v,) in db.execute("SELECT value FROM link_features WHERE stopped")}
for v in ("no-reply@gmail.com", "gmail.com"):
    if v not in stopped: die("%s not on the stop list: %r" % (v, sorted(stopped)[:20]))
acc = list(csv.reader(open(case + "/accounts.csv", newline="")))
if acc[0] != ["service", "account", "devices", "flags"]: die("accounts.csv header %r" % acc[0])
if acc[1:] != sorted(acc[1:], key=lambda r: (r[0].encode(), r[1].encode())): die("accounts.csv order")
planted_accounts = [l.split("\t")[1].strip() for l in open(exp + "/values") if l.startswith("account\t")]
byacc = {(r[0], r[1]): r for r in acc[1:]}
for a in planted_accounts:
    svc, ident = a.split(":", 1)
    r = byacc.get((svc, ident))
    if not r: die("account %s missing from accounts.csv" % a)
    if "many-accounts-device" not in r[3].split(";"): die("account %s not flagged: %r" % (a, r))
for r in acc[1:]:
    if "many-accounts-device" in r[3] and "%s:%s" % (r[0], r[1]) not in planted_accounts:
        die("unplanted account flagged: %r" % r)
many = sorted(tuple(l.split()) for l in open(exp + "/many"))
got = sorted(db.execute("SELECT service, device FROM account_devices WHERE flagged"))
if got != many: die("flagged devices %r, want %r" % (got, many))
print("links %d, planted pairs %d, weakest planted %.6f" % (len(links), len(planted), lo))
PY
ok

note "trawl links / accounts / find"
expect_exit 0 "$TRAWL" links "$CASE" a1
contains "$OUT" "a1 -- a2" "links of a1"
# Each link explained, one contributor a line, as its explain column holds it.
got=$(grep '^    ' <<<"$OUT")
[ "$(wc -l <<<"$got")" -ge 3 ] || fail "links of a1: too few contributor lines: $got"
eq "$got" "$(sqlq "$CASE" "SELECT printf('    %s:%s  weight %g / %d devices = %.6f',
    json_extract(e.value, '\$.type'), json_extract(e.value, '\$.value'),
    json_extract(e.value, '\$.weight'), json_extract(e.value, '\$.devices'),
    json_extract(e.value, '\$.contribution')) FROM links l, json_each(l.explain) e
    WHERE 'a1' IN (l.device_a, l.device_b) ORDER BY l.score DESC, l.device_a, l.device_b, e.key")" \
    "links of a1: the contributors"
expect_exit 0 "$TRAWL" links --json --limit 1 "$CASE"
eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "links --limit 1"
expect_exit 0 "$TRAWL" accounts --service x "$CASE"
contains "$OUT" "news_patriot_05" "accounts --service x"
lacks "$OUT" "facebook" "accounts --service x"
expect_exit 0 "$TRAWL" find "$CASE" OPS.LEAD@trollfarm-ops.net
eq "$(printf '%s\n' "$OUT" | cut -f1 | sort -u | tr '\n' ' ')" "a1 a2 a3 a4 " "find e-mail devices"
expect_exit 0 "$TRAWL" find --json "$CASE" "@news_patriot_03"
eq "$(printf '%s\n' "$OUT" | $PY -c 'import json,sys; print(" ".join(sorted({json.loads(l)["device"] for l in sys.stdin})))')" \
  "b1 b2" "find bare handle"
expect_exit 1 "$TRAWL" find "$CASE" nobody@nowhere-at-all.net

note "exports"
tmpdir
X=$REPLY
for f in graphml jsonld csv; do
  expect_exit 0 "$TRAWL" export --format $f -o "$X/case.$f" "$CASE"
  expect_exit 0 "$TRAWL" export --format $f -o "$X/again.$f" "$CASE"
  cmp -s "$X/case.$f" "$X/again.$f" || fail "export $f is not deterministic"
  ok
done
$PY - "$CASE" "$X" <<'PY' || fail "exports do not load with the expected counts"
import csv, sqlite3, sys
import networkx as nx, rdflib
case, x = sys.argv[1], sys.argv[2]
def die(msg):
    print("link_groups:", msg, file=sys.stderr); sys.exit(1)
db = sqlite3.connect(case + "/case.db")
q = lambda s: db.execute(s).fetchone()[0]
g = nx.read_graphml(x + "/case.graphml")
nodes = q("SELECT count(*) FROM devices") + q("SELECT count(*) FROM link_features WHERE NOT stopped")
edges = q("SELECT count(*) FROM links") + q(
    "SELECT count(*) FROM link_occurrences o JOIN link_features f ON f.id=o.feature_id WHERE NOT f.stopped")
if (g.number_of_nodes(), g.number_of_edges()) != (nodes, edges):
    die("graphml has %d nodes %d edges, want %d %d" % (g.number_of_nodes(), g.number_of_edges(), nodes, edges))
kinds = sorted({d["kind"] for _, d in g.nodes(data=True)})
if kinds != ["device", "identifier"]: die("graphml node kinds %r" % kinds)
r = rdflib.Graph()
r.parse(x + "/case.jsonld", format="json-ld")
O = rdflib.Namespace("https://ontology.unifiedcyberontology.org/uco/observable/")
C = rdflib.Namespace("https://ontology.unifiedcyberontology.org/uco/core/")
I = rdflib.Namespace("https://ontology.caseontology.org/case/investigation/")
def count(t): return len(set(r.subjects(rdflib.RDF.type, t)))
checks = [
    (count(I.Investigation), 1),
    (count(O.Device), q("SELECT count(*) FROM devices")),
    (count(O.Image), q("SELECT count(*) FROM images")),
    (count(I.InvestigativeAction), q("SELECT count(*) FROM devices")),
    (count(O.EmailAddress), q("SELECT count(DISTINCT value) FROM identifiers WHERE type='email'")),
    (count(O.PhoneAccount), q("SELECT count(DISTINCT value) FROM identifiers WHERE type='phone'")),
    (count(O.ApplicationAccount), q("SELECT count(DISTINCT value) FROM identifiers WHERE type='account'")),
    (len(set(r.subjects(C.kindOfRelationship, rdflib.Literal("Contained_Within")))),
     q("SELECT count(*) FROM identifiers") + q("SELECT count(*) FROM images")
     + q("SELECT count(DISTINCT file_id) FROM identifiers WHERE file_id IS NOT NULL")),
]
for got, want in checks:
    if got != want: die("jsonld counts %r" % [(a, b) for a, b in checks])
rows = list(csv.reader(open(x + "/case.csv", newline="")))
if rows[0] != ["device", "type", "value", "offset", "path", "file", "area", "context"]: die("csv header")
if len(rows) - 1 != q("SELECT count(*) FROM identifiers"): die("csv rows %d" % (len(rows) - 1))
print("graphml %d nodes %d edges; jsonld %d triples" % (nodes, edges, len(r)))
PY
ok
done_ok
