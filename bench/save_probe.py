"""Saves and pages measured while the load with writes runs (issue 18: "saves p99 under the
load").

wrk reports one latency for all its requests; this probe records, on one connection of its
own, a milestone save and then a page read (the dashboard or a need's page, as the load
reads them) every INTERVAL seconds for SECONDS seconds, each timed from the request written
to the answer read, and prints the p50, p99 and maximum of each. Its saves are ones more among
the load's.

    python3 bench/save_probe.py HOST:PORT COOKIE SECONDS [INTERVAL]
"""

import http.client
import random
import sys
import time

addr, cookie, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
interval = float(sys.argv[4]) if len(sys.argv) > 4 else 0.05
host, port = addr.rsplit(":", 1)
headers = {
    "Content-Type": "application/x-www-form-urlencoded",
    "Accept": "application/json",
    "Origin": f"http://{addr}",
    "Cookie": cookie,
}
connection = http.client.HTTPConnection(host, int(port), timeout=10)
pages = ["/strategies/1"] + [f"/needs/{need}" for need in range(1, 31)]
took = {"saves": [], "pages": []}
failed = 0


def timed(kind, method, path, body=None, headers={}):
    global failed
    start = time.perf_counter()
    connection.request(method, path, body, headers)
    response = connection.getresponse()
    response.read()
    took[kind].append((time.perf_counter() - start) * 1000)
    failed += response.status >= 400


end = time.monotonic() + seconds
while time.monotonic() < end:
    body = (f"subgoal_id={random.randint(1, 150)}&title=Messprobe+{len(took['saves'])}"
            "&due=2030-01-31&status=planned&weight=1&note=")
    timed("saves", "POST", "/api/milestones/record", body, headers)
    timed("pages", "GET", random.choice(pages))
    time.sleep(interval)
for kind, times in took.items():
    times.sort()
    at = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print(f"{kind} under the load (probe, 1 connection): {len(times)}, p50 {at(0.5):.2f} ms, "
          f"p99 {at(0.99):.2f} ms, max {times[-1]:.2f} ms")
print(f"probe's answers >= 400: {failed}")
