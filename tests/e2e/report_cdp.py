#!/usr/bin/python3
"""report_cdp.py: open an HTML report in headless chromium through the
DevTools protocol and print what a test needs to check, as one JSON object:
console errors, network requests other than the page itself, graph node and
edge counts, whether a planted script ran (data-pwned), how many index rows
a search finds, and the time until the page's script is ready.  Optionally
saves screenshots (overview, graph, one device).

usage: report_cdp.py REPORT.html [--search VALUE] [--shots DIR]
Needs Debian's chromium and python3-websocket.  Runs chromium as root with
--no-sandbox, all background networking off, a throw-away profile."""
import base64, json, os, shutil, subprocess, sys, tempfile, time, urllib.request

import websocket

def main():
    args = sys.argv[1:]
    path = os.path.abspath(args[0])
    search = args[args.index("--search") + 1] if "--search" in args else None
    shots = args[args.index("--shots") + 1] if "--shots" in args else None
    prof = tempfile.mkdtemp(prefix="trawl-cdp-")
    proc = subprocess.Popen(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-extensions", "--disable-default-apps",
         "--remote-debugging-port=0", "--user-data-dir=" + prof, "--window-size=1280,900",
         "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = os.path.join(prof, "DevToolsActivePort")
        for _ in range(300):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.05)
        port = open(port_file).read().split()[0]
        targets = json.load(urllib.request.urlopen("http://127.0.0.1:%s/json/list" % port))
        page = [t for t in targets if t["type"] == "page"][0]
        ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        print(json.dumps(run(ws, path, search, shots)))
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(prof, ignore_errors=True)

class Session:
    def __init__(self, ws):
        self.ws, self.n, self.events = ws, 0, []
    def call(self, method, **params):
        self.n += 1
        me = self.n
        self.ws.send(json.dumps({"id": me, "method": method, "params": params}))
        while True:
            m = json.loads(self.ws.recv())
            if m.get("id") == me:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)
    def wait(self, method, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            for i, e in enumerate(self.events):
                if e.get("method") == method:
                    return self.events.pop(i)
            self.events.append(json.loads(self.ws.recv()))
        raise RuntimeError("timed out waiting for " + method)
    def js(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError("js: %s: %s" % (expr, r["exceptionDetails"]))
        return r["result"].get("value")

def run(ws, path, search, shots):
    s = Session(ws)
    for d in ("Page", "Runtime", "Log", "Network"):
        s.call(d + ".enable")
    url = "file://" + path
    t0 = time.time()
    s.call("Page.navigate", url=url)
    s.wait("Page.loadEventFired", 120)
    # Interactive: the page's script has run to its end.
    while not s.js("document.documentElement.getAttribute('data-ready') === '1'"):
        if time.time() - t0 > 60:
            break
        time.sleep(0.02)
    ready = time.time() - t0
    out = {"ready_s": round(ready, 3)}
    out["timing_ms"] = s.js(
        "(function(){var t=performance.timing,n=t.navigationStart;return {interactive:"
        "t.domInteractive-n,dcl:t.domContentLoadedEventEnd-n,load:t.loadEventEnd-n}})()")
    out["nodes"] = s.js("document.querySelectorAll('#g g.n').length")
    out["edges"] = s.js("document.querySelectorAll('#g line.e').length")
    out["index_rows"] = s.js("document.querySelectorAll('#ix tbody tr').length")
    out["headings"] = s.js("Array.from(document.querySelectorAll('h2')).map(h => h.textContent)")
    if search is not None:
        # Type into the search box as a user would, then count visible rows.
        s.js("document.getElementById('q').focus()")
        s.call("Input.insertText", text=search)
        time.sleep(0.5)
        out["search_shown"] = s.js(
            "Array.from(document.querySelectorAll('#ix tbody tr')).filter(r => !r.hidden).length")
        out["search_hit"] = s.js(
            "Array.from(document.querySelectorAll('#ix tbody tr')).filter(r => !r.hidden)"
            ".some(r => r.cells[0].textContent === %s)" % json.dumps(search))
        s.js("document.getElementById('q').value=''; "
             "document.getElementById('q').dispatchEvent(new Event('input'))")
        time.sleep(0.3)
    # Click the first device and the first link: the details panel fills.
    out["click_device"] = s.js(
        "(function(){var n=document.querySelector('#g g.n'); if(!n) return null;"
        "n.dispatchEvent(new MouseEvent('click',{bubbles:true}));"
        "return document.getElementById('detail').textContent;})()")
    out["click_link"] = s.js(
        "(function(){var e=document.querySelector('#g line.e'); if(!e) return null;"
        "e.dispatchEvent(new MouseEvent('click',{bubbles:true}));"
        "return document.getElementById('detail').textContent;})()")
    time.sleep(0.3)
    out["pwned"] = s.js(
        "document.body.hasAttribute('data-pwned') || document.documentElement.hasAttribute('data-pwned')")
    if shots:
        os.makedirs(shots, exist_ok=True)
        s.js("document.querySelector('.tools button').click()")
        # Screenshots beyond the viewport need everything painted.
        s.js("(function(){var st=document.createElement('style');"
             "st.textContent='*{content-visibility:visible!important}';"
             "document.head.appendChild(st)})()")
        def shot(name, sel):
            # Scroll it into view first: parts off screen are laid out
            # only when near the viewport (content-visibility: auto).
            r = s.js("(async function(){var e=document.querySelector(%s); if(!e) return null;"
                     "e.scrollIntoView(); for (var i=0;i<3;i++) await new Promise(function(f){"
                     "requestAnimationFrame(function(){f()})});"
                     "var b=e.getBoundingClientRect(); return [b.left+scrollX,b.top+scrollY,b.width,b.height]})()"
                     % json.dumps(sel))
            if not r:
                return
            clip = {"x": r[0], "y": r[1], "width": max(r[2], 1), "height": min(max(r[3], 1), 4000), "scale": 1}
            img = s.call("Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True)
            open(os.path.join(shots, name + ".png"), "wb").write(base64.b64decode(img["data"]))
        shot("overview", "body")
        shot("case", "#case")
        shot("graph", "#graph")
        shot("links", "#links")
        shot("accounts", "#accounts")
        shot("device", "#dev-1")
        shot("index", "#index")
        shot("method", "#method")
    # Drain what is left and sort the events.
    s.call("Runtime.evaluate", expression="1")
    errors, requests = [], []
    for e in s.events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            errors.append("console: " + " ".join(str(a.get("value", a.get("description"))) for a in p["args"]))
        elif m == "Runtime.exceptionThrown":
            errors.append("exception: " + json.dumps(p["exceptionDetails"])[:500])
        elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
            errors.append("log: " + p["entry"]["text"])
        elif m == "Network.requestWillBeSent":
            u = p["request"]["url"]
            if u != url:
                requests.append(u)
    out["errors"] = errors
    out["requests"] = requests
    return out

if __name__ == "__main__":
    main()
