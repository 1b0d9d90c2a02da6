#!/usr/bin/env python3
"""sqlite_truth.py: recall and stray values of trawl's SQLite record decoding.

usage: sqlite_truth.py FEATURE_DIR DB...

The truth comes from SQLite itself: every e-mail address and URL that lies
inside one TEXT field of a table of the given databases (read with Python's
sqlite3 module).  It prints, per type, how many of those values trawl's
feature files hold exactly (recall), and how many values trawl reported that
lie inside no field of any of the databases (strays: values glued across two
fields, or made of bytes that are no field at all).
"""
import os
import re
import sqlite3
import sys

EMAIL = re.compile(rb"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
URL = re.compile(rb"https?://[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+")


def fields(db):
    con = sqlite3.connect("file:" + db + "?mode=ro&immutable=1", uri=True)
    con.text_factory = lambda b: (b,)  # TEXT; BLOBs come as bytes
    tables = [r[0][0] for r in con.execute("select name from sqlite_master where type='table'")]
    for t in tables:
        try:
            rows = con.execute('select * from "%s"' % t.decode().replace('"', '""'))
            for row in rows:
                for v in row:
                    if isinstance(v, tuple):
                        yield True, v[0]
                    elif isinstance(v, bytes):
                        yield False, v
        except sqlite3.DatabaseError:
            continue


def features(d, name):
    out = []
    p = os.path.join(d, name + ".txt")
    if not os.path.exists(p):
        return out
    with open(p, "rb") as f:
        for line in f:
            if line.startswith(b"#"):
                continue
            parts = line.rstrip(b"\n").split(b"\t")
            if len(parts) >= 2:
                out.append((parts[0], parts[1]))
    return out


def unescape(v):
    # feature files escape non-printables as \xHH and backslash as \x5C
    return re.sub(rb"\\x([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), v)


def main():
    fdir, dbs = sys.argv[1], sys.argv[2:]
    allf = []
    truth = {"email": set(), "url": set()}
    for db in dbs:
        for text, v in fields(db):
            allf.append(v.lower())
            if not text:
                continue  # serialized objects: values glued to their framing
            # a value glued to more letters or digits (serialized objects
            # that an application keeps in one field) is no clean value
            for m in EMAIL.finditer(v):
                if re.search(rb"@example\.(com|org|net)$", m.group(0), re.I):
                    continue  # documentation addresses: trawl's stop list drops them
                if m.end() == len(v) or not v[m.end():m.end() + 1].isalnum():
                    truth["email"].add(m.group(0).lower())
            for m in URL.finditer(v):
                u = m.group(0).rstrip(b".,;:)'")
                e = m.start() + len(u)
                if e == len(v) or not v[e:e + 1].isalnum():
                    truth["url"].add(u)
    blob = b"\x00".join(allf)
    rc = 0
    for t in ("email", "url"):
        feats = features(fdir, t)
        got = set(unescape(x) for _, x in feats)
        gotl = set(x.lower() for x in got)
        # a value decoded from a field (percent-encoding, base64...) is not
        # expected to lie in it as written
        plain = set(unescape(x) for p, x in feats if re.fullmatch(rb"\d+(-SQLITE-\d+)?", p))
        tv = truth[t]
        found = sum(1 for v in tv if (v.lower() if t == "email" else v) in (gotl if t == "email" else got))
        stray = sorted(x for x in plain if x.lower() not in blob)
        pct = 100.0 * found / len(tv) if tv else 100.0
        print("%s: %d of %d field values reported (%.1f%%), %d reported values in no field"
              % (t, found, len(tv), pct, len(stray)))
        for s in stray[:10]:
            print("  stray:", s.decode("utf-8", "replace"))
        if os.environ.get("VERBOSE"):
            for v in sorted(tv):
                if (v.lower() if t == "email" else v) not in (gotl if t == "email" else got):
                    print("  missed:", v.decode("utf-8", "replace"))
    return rc


if __name__ == "__main__":
    sys.exit(main())
