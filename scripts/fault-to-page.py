#!/usr/bin/env python3
"""Fault onset to page, per fault type, measured on the running local stack (`./telemetry up --webhook URL`).

Injects faults one after another through the collector's /faults API, on targets the simulator picks (busy chips,
training chips, nodes, racks, links: `random-...` selectors, each resolved on a machine no other active fault
touches), and measures for each, from the fault's onset (the timestamp of its first affected sample, as the
collector reports it):
  - api:     when the alerting service's GET /api/alerts first lists a firing alert of the fault's type naming the
             target (polled every 100 ms);
  - webhook: when a firing notification of that type naming the target reaches this script's webhook receiver
             (Alertmanager's webhook JSON, as the alerting service sends it).
A fault type that must not page (sensor_glitch) passes when nothing pages for its target within --quiet seconds.

Prints one line per fault, then per type n, p50/p95/max of both, and missed faults; then, over the whole run:
  - unexpected pages: firing notifications that match no injected fault (the Watchdog heartbeat aside);
  - duplicate pages: a second firing notification for the same alert while it was already firing.
Exits 1 if a fault was missed, a glitch paged, or any page was unexpected or duplicate.

Only the standard library; talks to 127.0.0.1 only. Stack URLs and the token files (alerting's, the collector's)
come from `./telemetry status --json`. Method and reference figures: docs/PERFORMANCE.md, "Page latency".
"""
import argparse
import http.server
import json
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

# Per fault type: the target selector, how long the fault lasts, and whether it must page.
CATALOGUE = {
    "chip_down": ("random-busy-chip", "15s", True),
    "node_down": ("random-busy-node", "15s", True),
    "overheat": ("random-busy-chip", "60s", True),
    "rack_cooling": ("random-busy-rack", "90s", True),
    "power_throttle": ("random-busy-chip", "60s", True),
    "straggler": ("random-training-chip", "60s", True),
    "link_degraded": ("random-link", "30s", True),
    "link_flap": ("random-link", "45s", True),
    # A frozen sensor on a steady chip is told after 120 s of one reading (docs/SIMULATOR.md): it must last longer.
    "stuck_sensor": ("random-busy-chip", "180s", True),
    "sensor_glitch": ("random-busy-chip", "1s", False),
}
ENTITY_LABELS = ("entity", "chip", "node", "rack", "link")

notifications = []  # (receipt epoch ms, alert dict) of every firing alert in every notification
lock = threading.Lock()


class Webhook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        now = time.time() * 1000
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        with lock:
            for alert in body.get("alerts", []):
                notifications.append((now, alert))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def names(alert, target):
    """Whether the alert's labels name the target (as its entity or one of its hierarchy labels)."""
    labels = alert.get("labels", {})
    return any(labels.get(k) == target for k in ENTITY_LABELS)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def request(url, token, data=None):
    headers = {"Authorization": "Bearer " + token}
    if data is not None:
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, method="POST" if data is not None else "GET", headers=headers,
                                 data=None if data is None else json.dumps(data).encode())
    return json.loads(urllib.request.urlopen(req, timeout=5).read())


def inject(collector, token, fault_type, selector, duration):
    """Injects a fault; returns the collector's view of it once it started (target resolved, onset known)."""
    for _ in range(10):
        try:
            fault = request(collector + "/faults", token, {"type": fault_type, "target": selector,
                                                           "duration": duration})
        except urllib.error.HTTPError as e:
            if e.code == 409:  # no free target right now: the previous faults still hold their machines
                time.sleep(2)
                continue
            raise
        if fault.get("onsetMillis") is not None:
            return fault
        time.sleep(1)
    raise RuntimeError(f"could not start a {fault_type} fault on {selector}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--types", default=",".join(CATALOGUE), help="comma-separated fault types [all]")
    ap.add_argument("--faults", type=int, default=10, help="faults per type")
    ap.add_argument("--port", type=int, default=9999, help="webhook receiver port (pass it to up --webhook)")
    ap.add_argument("--timeout", type=float, default=45.0, help="seconds to wait for each page")
    ap.add_argument("--quiet", type=float, default=15.0, help="seconds a no-page fault must stay quiet")
    ap.add_argument("--pause", type=float, default=1.0, help="seconds between faults")
    ap.add_argument("--settle", type=float, default=20.0, help="seconds to watch for stray pages at the end")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON on the last line")
    args = ap.parse_args()
    types = [t.strip() for t in args.types.split(",") if t.strip()]
    unknown = [t for t in types if t not in CATALOGUE]
    if unknown:
        ap.error(f"unknown fault type(s) {unknown}; known: {', '.join(CATALOGUE)}")

    status = json.loads(subprocess.run(["./telemetry", "status", "--json"], capture_output=True, text=True).stdout)
    token = open(status["alertingTokenFile"]).read().strip()
    collector_token = open(status["collectorTokenFile"]).read().strip()
    collector = status["collectorMetricsUrl"].rsplit("/metrics", 1)[0]
    alerting = status["alertingUrl"]

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Webhook)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    injected = []  # (type, target, onset ms)
    results = {t: {"api": [], "webhook": [], "missed": []} for t in types}
    failed = False
    for fault_type in types:
        selector, duration, pages = CATALOGUE[fault_type]
        for i in range(args.faults):
            fault = inject(collector, collector_token, fault_type, selector, duration)
            target, onset = fault["target"], fault["onsetMillis"]
            injected.append((fault_type, target, onset))
            seen_api = seen_hook = None
            deadline = time.time() + (args.timeout if pages else args.quiet)
            while time.time() < deadline:
                if seen_api is None:
                    alerts = request(alerting + "/api/alerts", token)
                    if any(a.get("labels", {}).get("type") == fault_type and names(a, target) for a in alerts):
                        seen_api = time.time() * 1000
                with lock:
                    for at, alert in notifications:
                        if (seen_hook is None and alert.get("status") == "firing" and at >= onset
                                and alert.get("labels", {}).get("type") == fault_type and names(alert, target)):
                            seen_hook = at
                if pages and seen_api is not None and seen_hook is not None:
                    break
                time.sleep(0.1)
            line = f"{fault_type:15s} {i + 1:2d} {target:24s} onset {onset}"
            r = results[fault_type]
            if pages:
                if seen_api is not None:
                    r["api"].append((seen_api - onset) / 1000)
                    line += f"  api {r['api'][-1]:5.2f} s"
                if seen_hook is not None:
                    r["webhook"].append((seen_hook - onset) / 1000)
                    line += f"  webhook {r['webhook'][-1]:5.2f} s"
                if seen_api is None or seen_hook is None:
                    r["missed"].append(target)
                    line += "  MISSED"
            elif seen_api is not None or seen_hook is not None:
                r["missed"].append(target)
                line += "  PAGED (must not)"
            else:
                line += "  no page (right)"
            print(line, flush=True)
            time.sleep(args.pause)

    time.sleep(args.settle)
    with lock:
        firing = [(at, a) for at, a in notifications if a.get("status") == "firing"]
        resolved = [(at, a) for at, a in notifications if a.get("status") == "resolved"]
    unexpected, duplicates, last_firing = [], [], {}
    for at, alert in firing:
        labels = alert.get("labels", {})
        if labels.get("alertname") == "Watchdog":
            continue
        if not any(labels.get("type") == t and names(alert, target) for t, target, _ in injected):
            unexpected.append(f"{labels.get('alertname')} {labels.get('entity')}")
        key = alert.get("fingerprint") or json.dumps(labels, sort_keys=True)
        previous = last_firing.get(key)
        if previous is not None and not any(previous < r_at <= at and (r.get("fingerprint") or json.dumps(
                r.get("labels", {}), sort_keys=True)) == key for r_at, r in resolved):
            duplicates.append(f"{labels.get('alertname')} {labels.get('entity')}")
        last_firing[key] = at

    summary = {}
    print()
    for fault_type in types:
        r = results[fault_type]
        entry = {"faults": args.faults, "missed": len(r["missed"])}
        text = f"{fault_type:15s} n={args.faults:2d}"
        for name in ("api", "webhook"):
            values = r[name]
            if values:
                entry[name] = {"p50": round(statistics.median(values), 2), "p95": round(percentile(values, 95), 2),
                               "max": round(max(values), 2)}
                text += (f"  {name} p50 {entry[name]['p50']:5.2f} p95 {entry[name]['p95']:5.2f}"
                         f" max {entry[name]['max']:5.2f} s")
        text += f"  {'paged' if not CATALOGUE[fault_type][2] else 'missed'} {len(r['missed'])}"
        failed |= bool(r["missed"])
        summary[fault_type] = entry
        print(text)
    print(f"unexpected pages: {len(unexpected)} {unexpected[:10]}")
    print(f"duplicate pages: {len(duplicates)} {duplicates[:10]}")
    failed |= bool(unexpected) or bool(duplicates)
    if args.json:
        print(json.dumps({"types": summary, "unexpectedPages": len(unexpected), "duplicatePages": len(duplicates)}))
    server.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
