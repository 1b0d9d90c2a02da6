#!/usr/bin/env python3
"""sqlite_truth.py: recall and stray values of trawl's SQLite record decoding.

usage: sqlite_truth.py CASE_DB FEATURE_DIR DB...

The truth comes from SQLite itself: every e-mail address and URL that lies
inside one TEXT field of a table of the given databases (read with Python's
sqlite3 module).  It prints, per type, how many of those values trawl's
feature files hold exactly (recall), how many values trawl reported from
deleted records (flagged deleted in CASE_DB, and lying inside the free space
of a page: a freeblock, the gap between a page's cell pointers and its cells,
or a freelist page, read here from the file format with no help from trawl),
and how many values trawl reported that are neither (strays: values glued
across two fields, or made of bytes that are no field at all).
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


def free_space(path):
    """The bytes of each database's free space: each b-tree page's freeblocks
    and gap, and the freelist's pages (their old content)."""
    data = open(path, "rb").read()
    if len(data) < 100 or not data.startswith(b"SQLite format 3\0"):
        return []
    ps = int.from_bytes(data[16:18], "big")
    ps = 65536 if ps == 1 else ps
    usable = ps - data[20]
    npages = len(data) // ps
    out = []
    freelist = set()
    trunk, steps = int.from_bytes(data[32:36], "big"), 0
    while 0 < trunk <= npages and steps < npages:
        steps += 1
        t = data[(trunk - 1) * ps:trunk * ps]
        freelist.add(trunk)
        n = int.from_bytes(t[4:8], "big")
        for k in range(min(n, (usable - 8) // 4)):
            freelist.add(int.from_bytes(t[8 + 4 * k:12 + 4 * k], "big"))
        trunk = int.from_bytes(t[0:4], "big")
    for pg in range(1, npages + 1):
        page = data[(pg - 1) * ps:pg * ps]
        if pg in freelist:
            out.append(page)
            continue
        h = 100 if pg == 1 else 0
        t = page[h]
        if t not in (2, 5, 10, 13):
            continue
        hl = 12 if t in (2, 5) else 8
        n = int.from_bytes(page[h + 3:h + 5], "big")
        cs = int.from_bytes(page[h + 5:h + 7], "big") or 65536
        out.append(page[h + hl + 2 * n:cs])
        fb, steps = int.from_bytes(page[h + 1:h + 3], "big"), 0
        while fb and fb + 4 <= usable and steps < usable // 4:
            steps += 1
            size = int.from_bytes(page[fb + 2:fb + 4], "big")
            out.append(page[fb:fb + size])
            fb = int.from_bytes(page[fb:fb + 2], "big")
    return out


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
    case, fdir, dbs = sys.argv[1], sys.argv[2], sys.argv[3:]
    con = sqlite3.connect("file:" + case + "?mode=ro", uri=True)
    flagged = set(r[0].encode().lower() for r in con.execute(
        "SELECT DISTINCT value FROM identifiers WHERE flags & 4 AND type IN ('email', 'url')"))
    con.close()
    free = []
    for db in dbs:
        free.extend(f.lower() for f in free_space(db))
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
        outside = sorted(x for x in plain if x.lower() not in blob)
        deleted = [x for x in outside if x.lower() in flagged and any(x.lower() in f for f in free)]
        stray = [x for x in outside if x not in deleted]
        pct = 100.0 * found / len(tv) if tv else 100.0
        print("%s: %d of %d field values reported (%.1f%%), %d reported values in no field,"
              " %d from deleted records" % (t, found, len(tv), pct, len(stray), len(deleted)))
        for s in stray[:10]:
            print("  stray:", s.decode("utf-8", "replace"))
        for s in deleted[:10]:
            print("  deleted:", s.decode("utf-8", "replace"))
        if os.environ.get("VERBOSE"):
            for v in sorted(tv):
                if (v.lower() if t == "email" else v) not in (gotl if t == "email" else got):
                    print("  missed:", v.decode("utf-8", "replace"))
    return rc


if __name__ == "__main__":
    sys.exit(main())
