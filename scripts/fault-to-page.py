#!/usr/bin/env python3
"""Fault onset to page, measured on the running local stack (`./telemetry up --webhook http://127.0.0.1:PORT/`).

Injects faults one after another through the collector's /faults API, each on a chip of a different node, and for
each measures, from the fault's onset (as the collector reports it):
  - when the alerting service's GET /api/alerts first lists an alert for the chip (polled every 100 ms), and
  - when a firing notification for the chip reaches this script's webhook receiver (Alertmanager's webhook JSON).
Prints one line per fault and the p50/p95/max of both; exits 1 if any fault was not paged within --timeout.

Only standard library; talks to 127.0.0.1 only. Stack URLs and the token files (alerting's, the collector's) come
from `./telemetry status --json`.
"""
import argparse
import http.server
import json
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

received = {}  # chip -> first receipt time (epoch ms) of a firing notification naming it
lock = threading.Lock()


class Webhook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        now = time.time() * 1000
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        with lock:
            for alert in body.get("alerts", []):
                chip = alert.get("labels", {}).get("chip")
                if alert.get("status") == "firing" and chip and chip not in received:
                    received[chip] = now
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--faults", type=int, default=20)
    ap.add_argument("--type", default="chip_down")
    ap.add_argument("--duration", default="20s", help="each fault's duration")
    ap.add_argument("--port", type=int, default=9999, help="webhook receiver port (pass it to up --webhook)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for each page")
    ap.add_argument("--pause", type=float, default=2.0, help="seconds between faults")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--chips", type=int, default=10000, help="chips the stack simulates (as given to up)")
    args = ap.parse_args()

    status = json.loads(subprocess.run(["./telemetry", "status", "--json"], capture_output=True, text=True).stdout)
    token = open(status["alertingTokenFile"]).read().strip()
    collector_token = open(status["collectorTokenFile"]).read().strip()
    collector = status["collectorMetricsUrl"].rsplit("/metrics", 1)[0]
    alerting = status["alertingUrl"]

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Webhook)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    rng = random.Random(args.seed)
    nodes = rng.sample(range(args.chips // 8), args.faults)  # default topology: 8 chips a node, 10 a rack, 25 a pod
    api_lat, hook_lat, missed = [], [], []
    for i, node in enumerate(nodes):
        pod, rest = divmod(node, 250)
        rack, n = divmod(rest, 10)
        chip = f"p{pod:02d}-r{rack:02d}-n{n:02d}-c{rng.randrange(8):02d}"
        req = urllib.request.Request(collector + "/faults", method="POST",
                                     data=json.dumps({"type": args.type, "target": chip,
                                                      "duration": args.duration}).encode(),
                                     headers={"Content-Type": "application/json",
                                              "Authorization": "Bearer " + collector_token})
        fault = json.loads(urllib.request.urlopen(req, timeout=5).read())
        onset = fault["onsetMillis"]
        seen_api = None
        deadline = time.time() + args.timeout
        while time.time() < deadline:
            if seen_api is None:
                r = urllib.request.Request(alerting + "/api/alerts", headers={"Authorization": "Bearer " + token})
                alerts = json.loads(urllib.request.urlopen(r, timeout=5).read())
                if any(a.get("labels", {}).get("chip") == chip for a in alerts):
                    seen_api = time.time() * 1000
            with lock:
                hook = received.get(chip)
            if seen_api is not None and hook is not None:
                break
            time.sleep(0.1)
        line = f"{i + 1:2d} {args.type} {chip} onset {onset}"
        if seen_api is not None:
            api_lat.append((seen_api - onset) / 1000)
            line += f"  api {api_lat[-1]:.2f} s"
        if hook is not None:
            hook_lat.append((hook - onset) / 1000)
            line += f"  webhook {hook_lat[-1]:.2f} s"
        if seen_api is None or hook is None:
            missed.append(chip)
            line += "  MISSED"
        print(line, flush=True)
        time.sleep(args.pause)

    for name, values in (("GET /api/alerts", api_lat), ("webhook", hook_lat)):
        if values:
            print(f"{name}: n={len(values)} p50 {statistics.median(values):.2f} s  "
                  f"p95 {percentile(values, 95):.2f} s  max {max(values):.2f} s")
    print(f"missed: {len(missed)} {missed}")
    server.shutdown()
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
