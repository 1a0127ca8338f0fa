"""Officer app weight and cold start: bytes of JavaScript and CSS the officer screens ship (gzipped, as
served), and the time to an interactive task list on a cold load over a throttled slow 3G link.

Run: .venv/bin/python bench/bench_pwa.py [--runs N]
A real server (wsgi.py, embedded SpatiaLite with the demo data and one dispatched task) and Debian's
Chromium; each run is a fresh browser context (empty cache, no service worker) of an officer whose
session is still open (the app reopened on the phone). Baseline in the same run: the same load
unthrottled, and the floor a slow 3G link imposes on the bytes and round trips alone.
BENCH_TIMELINE=1 prints each load's resource timings (start, first byte, end in ms).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
# Chrome DevTools' "Slow 3G" preset: 400 kbit/s × 0.8 down and up, 400 ms × 5 round trip.
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 500 * 1000 / 8 * 0.8,
           "uploadThroughput": 500 * 1000 / 8 * 0.8}
TIMELINE = """JSON.stringify([performance.getEntriesByType('navigation')[0],
  ...performance.getEntriesByType('resource')].map((e) => [e.name.replace(location.origin, ''),
  Math.round(e.startTime), Math.round(e.responseStart), Math.round(e.responseEnd)]))"""
BUDGET_BYTES = 250 * 1024
BUDGET_S = 5.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(instance: Path) -> tuple[subprocess.Popen[bytes], str]:
    env = {**os.environ, "ZHICHAO_DEMO": "1", "ZHICHAO_INSTANCE": str(instance), "FLASK_APP": "backend:create_app"}
    flask = str(ROOT / ".venv" / "bin" / "flask")
    for command in (["db", "upgrade"], ["demo", "seed"]):
        subprocess.run([flask, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    env.update(PORT=str(port), ZHICHAO_NOTIFIER="1")
    env.pop("FLASK_APP")
    process = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            requests.get(f"{url}/healthz", timeout=1)
            return process, url
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def dispatch_one(url: str) -> dict[str, str]:
    site = requests.post(f"{url}/api/v1/weighings", headers={"X-Api-Key": "demo-site-DEMO-S1"}, timeout=10, json={
        "record_id": f"BENCH-{time.time_ns()}", "plate": "晋C76276", "plate_color": 2, "axles": 2,
        "gross_kg": 26_000, "weighed_at": "2026-11-22T08:00:00+08:00"}).json()
    login = requests.post(f"{url}/api/v1/auth/login", json={"username": "commander", "password": "demo"}, timeout=10)
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    requests.post(f"{url}/api/v1/tasks", json={"warning_id": site["warning_id"]}, headers=headers, timeout=10)
    return requests.post(f"{url}/api/v1/auth/login", json={"username": "officer1", "password": "demo"},
                         timeout=10).json()


def shipped(url: str) -> dict[str, int]:
    """Every script and stylesheet of the officer screens, gzipped as the server sends them."""
    html = requests.get(f"{url}/app/", timeout=10).text
    paths = set(re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css))"', html)) | {"/vendor/socket.io/socket.io.min.js"}
    sw = requests.get(f"{url}/app/sw.js", timeout=10).text
    paths |= {p for p in re.findall(r'"(/[^"]+\.(?:js|css))"', sw)} | {"/app/sw.js"}
    sizes = {}
    for path in sorted(paths):
        r = requests.get(f"{url}{path}", headers={"Accept-Encoding": "gzip"}, timeout=10, stream=True)
        raw = r.raw.read()
        sizes[path] = len(raw) if r.headers.get("Content-Encoding") == "gzip" else len(gzip.compress(raw))
    return sizes


def cold_load(browser, url: str, session: dict, throttle: dict | None) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="zh-CN")
    context.add_init_script(f"""
      sessionStorage.setItem("token", {session['access_token']!r});
      sessionStorage.setItem("refresh", {session['refresh_token']!r});
      sessionStorage.setItem("user", {json.dumps(json.dumps(session['user']))});""")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if throttle:
        cdp.send("Network.emulateNetworkConditions", throttle)
    received = []
    page.on("response", lambda r: received.append(r.url))
    page.goto(f"{url}/app/", wait_until="commit", timeout=120_000)
    page.wait_for_function("document.querySelector('#tasks li button.accept') !== null", timeout=120_000)
    interactive = page.evaluate("performance.now()") / 1000
    if os.environ.get("BENCH_TIMELINE"):
        print(page.evaluate(TIMELINE))
    context.close()
    return {"interactive_s": interactive, "requests": len(received)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhichao-bench-pwa-") as instance:
        process, url = serve(Path(instance))
        try:
            session = dispatch_one(url)
            sizes = shipped(url)
            page_bytes = len(gzip.compress(requests.get(f"{url}/app/", timeout=10).content))
            total = sum(sizes.values())
            print("Officer app, JavaScript and CSS as served (gzip):")
            for path, size in sorted(sizes.items(), key=lambda item: -item[1]):
                print(f"  {size / 1024:7.1f} KB  {path}")
            print(f"  {total / 1024:7.1f} KB  total (budget {BUDGET_BYTES / 1024:.0f} KB)")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                fast = [cold_load(browser, url, session, None) for _ in range(args.runs)]
                slow = [cold_load(browser, url, session, SLOW_3G) for _ in range(args.runs)]
                browser.close()
        finally:
            process.terminate()
            process.wait(10)
    # Before the list: the page, then (in parallel) the stylesheet, the bundle and the task list.
    first_paint_bytes = sum(size for path, size in sizes.items() if path in ("/app/dist/app.js", "/app/app.css"))
    first_paint_bytes += page_bytes
    floor = 2 * SLOW_3G["latency"] / 1000 + first_paint_bytes / SLOW_3G["downloadThroughput"]
    fast_s = statistics.median(r["interactive_s"] for r in fast)
    slow_s = statistics.median(r["interactive_s"] for r in slow)
    print(f"Cold load to an interactive task list, median of {args.runs} (requests: {slow[0]['requests']}):")
    print(f"  unthrottled          {fast_s:6.2f} s")
    runs = ", ".join(f"{r['interactive_s']:.2f}" for r in slow)
    print(f"  slow 3G (DevTools)   {slow_s:6.2f} s   (budget {BUDGET_S:.0f} s; runs {runs})")
    kb = first_paint_bytes / 1024
    print(f"  floor on that link   {floor:6.2f} s   (2 round trips + {kb:.0f} KB before the list)")
    ok = total <= BUDGET_BYTES and slow_s <= BUDGET_S
    print("within budget" if ok else "OVER BUDGET")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
