"""Load for scripts/bench-reliability.sh: concurrent HTTP clients on loopback, each on its own
keep-alive connection, for a bounded time. Standard library only.

  bench_load.py writes BASE TOKEN CONCURRENCY SECONDS TARGETS   # each client updates its own value
  bench_load.py static BASE CONCURRENCY SECONDS                  # GET /healthz
  bench_load.py probe BASE SECONDS INTERVAL_MS [STOP_FILE]       # /healthz latency, one at a time,
                                                                 # until SECONDS pass or STOP_FILE exists

Prints one JSON object: requests, per second, p50/p99/max in ms, statuses.
"""

import http.client
import os
import json
import sys
import threading
import time
from urllib.parse import urlparse


def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1))))]


def connect(base):
    url = urlparse(base)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=60)


def run(workers, seconds):
    results, statuses, lock = [], {}, threading.Lock()
    deadline = time.monotonic() + seconds

    def loop(body):
        times, seen = [], {}
        body(deadline, times, seen)
        with lock:
            results.extend(times)
            for k, v in seen.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=loop, args=(w,)) for w in workers]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {
        "requests": len(results),
        "per_second": len(results) / elapsed,
        "p50_ms": percentile(results, 50) * 1000,
        "p99_ms": percentile(results, 99) * 1000,
        "max_ms": max(results, default=0) * 1000,
        "statuses": statuses,
    }


def writer(base, token, target, org_unit, period):
    def body(deadline, times, seen):
        conn = connect(base)
        revision = None
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        while time.monotonic() < deadline:
            payload = {"target_id": target, "org_unit": org_unit, "period": period, "value": len(times) + 1,
                       "comment": "bench", "revision": revision}
            started = time.monotonic()
            conn.request("POST", "/api/observations", json.dumps(payload), headers)
            response = conn.getresponse()
            data = response.read()
            times.append(time.monotonic() - started)
            seen[response.status] = seen.get(response.status, 0) + 1
            if response.status in (200, 201):
                revision = json.loads(data)["revision"]
            elif response.status == 409:
                revision = json.loads(data).get("current_revision")
        conn.close()
    return body


def static(base):
    def body(deadline, times, seen):
        conn = connect(base)
        while time.monotonic() < deadline:
            started = time.monotonic()
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            response.read()
            times.append(time.monotonic() - started)
            seen[response.status] = seen.get(response.status, 0) + 1
        conn.close()
    return body


def main():
    mode = sys.argv[1]
    if mode == "writes":
        base, token, concurrency, seconds, targets = sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
        # One value per client: (target, unit, period) triples from the TARGETS file.
        triples = [line.split("\t") for line in open(targets, encoding="utf-8").read().splitlines() if line]
        workers = [writer(base, token, *triples[i % len(triples)]) for i in range(concurrency)]
        print(json.dumps(run(workers, seconds)))
    elif mode == "static":
        base, concurrency, seconds = sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
        print(json.dumps(run([static(base) for _ in range(concurrency)], seconds)))
    elif mode == "probe":
        base, seconds, interval = sys.argv[2], float(sys.argv[3]), float(sys.argv[4]) / 1000
        stop = sys.argv[5] if len(sys.argv) > 5 else None
        times, seen = [], {}
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not (stop and os.path.exists(stop)):
            conn = connect(base)
            started = time.monotonic()
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            response.read()
            times.append(time.monotonic() - started)
            seen[response.status] = seen.get(response.status, 0) + 1
            conn.close()
            time.sleep(interval)
        print(json.dumps({"requests": len(times), "p50_ms": percentile(times, 50) * 1000,
                          "p99_ms": percentile(times, 99) * 1000, "max_ms": max(times, default=0) * 1000,
                          "statuses": seen}))


if __name__ == "__main__":
    main()
