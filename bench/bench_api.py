"""API benchmark: readiness, POST /v1/score throughput and p99, a batch of 1,000 ads, memory.

Starts `lurewatch serve` on a fresh SQLite database with a platform key, drives it from another
process over loopback with `wrk` (8 connections, 2 threads; installed from Debian when missing
and we are root) or, without wrk, a Python asyncio load generator in a subprocess, and prints
the figures next to the targets:

    .venv/bin/python bench/bench_api.py [--seconds 15] [--connections 8] [--cache]

Every request sends a different ad, and the server's answer cache is off unless --cache is
given, so the figures are for real scoring work. The server's CPU time per request and the
machine's load average are printed too: on a machine shared with other work, wall-clock figures
fall while the CPU cost per request stays put.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {"rps": 500.0, "p99_ms": 50.0, "batch_s": 1.5, "ready_s": 3.0, "rss_mb": 300.0}
ROLES = ["Customer service", "Typist", "Data entry clerk", "Warehouse packer", "Nurse",
         "Cook", "Game promoter", "Sales assistant", "Driver", "Translator"]
PLACES = ["Bangkok", "Phnom Penh", "Leeds", "Hanoi", "Myawaddy", "Dubai", "Manila", "Nairobi",
          "Sihanoukville", "Kuala Lumpur"]
EXTRAS = ["free flight and visa", "no experience needed", "interview by Telegram @hr_{n}",
          "licensed agency, licence no. {n}", "pay $2,{n} per month", "apply on our website",
          "fees paid by employer", "tourist visa first", "8 hours a day, weekends off",
          "contact WhatsApp +66 8{n}"]


def make_ad(n: int, rng: random.Random, size: int = 600) -> dict:
    """A distinct, ordinary-looking ad of about `size` characters."""
    role, place = rng.choice(ROLES), rng.choice(PLACES)
    parts = [f"{role} wanted in {place}."]
    while sum(len(p) + 1 for p in parts) < size:
        parts.append(rng.choice(EXTRAS).format(n=rng.randint(100, 999)) + ".")
        parts.append(f"Shift {n % 7 + 1}, team {n}, start date in {rng.randint(1, 9)} weeks.")
    return {"id": f"bench-{n}", "title": f"{role} – {place}", "text": " ".join(parts)}


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn workers), in MB."""
    total = 0
    pids = [pid]
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
        pids += [int(p) for p in children.stdout.split()]
    except FileNotFoundError:
        pass
    for each in pids:
        try:
            status = Path(f"/proc/{each}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        if match:
            total += int(match.group(1))
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its children (the helper)."""
    pids = [pid]
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    pids += [int(p) for p in children.stdout.split()]
    ticks = 0
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def ensure_wrk() -> str | None:
    found = shutil.which("wrk")
    if found or os.geteuid() != 0:
        return found
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], capture_output=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("wrk")


WRK_SCRIPT = """
local bodies = {}
local i = 0
for line in io.lines("%(path)s") do bodies[#bodies + 1] = line end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %(key)s"
request = function()
  i = i + 1
  return wrk.format(nil, "/v1/score", nil, bodies[(i %% #bodies) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %%d, \\"seconds\\": %%f, \\"p50_us\\": %%d, "
    .. "\\"p99_us\\": %%d, \\"max_us\\": %%d, \\"non2xx\\": %%d, \\"errors\\": %%d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    latency.max, summary.errors.status, summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""

PY_LOADGEN = r"""
import asyncio, json, sys, time
import httpx
base, key, path, seconds, connections = sys.argv[1:6]
bodies = open(path).read().splitlines()
latencies, statuses = [], {}
async def worker(client, offset, stop):
    i = offset
    while time.monotonic() < stop:
        start = time.perf_counter()
        r = await client.post("/v1/score", content=bodies[i % len(bodies)],
                              headers={"Authorization": f"Bearer {key}",
                                       "Content-Type": "application/json"})
        latencies.append(time.perf_counter() - start)
        statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
        i += int(connections)
async def main():
    limits = httpx.Limits(max_connections=int(connections))
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        began = time.monotonic()
        stop = began + float(seconds)
        await asyncio.gather(*(worker(client, n, stop) for n in range(int(connections))))
        took = time.monotonic() - began
    latencies.sort()
    print("JSON " + json.dumps({"requests": len(latencies), "seconds": took,
        "p50_us": int(latencies[len(latencies) // 2] * 1e6),
        "p99_us": int(latencies[int(len(latencies) * 0.99)] * 1e6),
        "max_us": int(latencies[-1] * 1e6),
        "non2xx": sum(v for k, v in statuses.items() if k >= 300), "errors": 0,
        "statuses": statuses}))
asyncio.run(main())
"""


def run_load(base: str, key: str, bodies_path: Path, seconds: int, connections: int,
             folder: Path) -> tuple[str, dict]:
    wrk = ensure_wrk()
    if wrk:
        script = folder / "score.lua"
        script.write_text(WRK_SCRIPT % {"path": bodies_path, "key": key})
        done = subprocess.run([wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
                               "-s", str(script), base], capture_output=True, text=True)
        tool = "wrk"
        output = done.stdout
    else:
        done = subprocess.run([sys.executable, "-c", PY_LOADGEN, base, key, str(bodies_path),
                               str(seconds), str(connections)], capture_output=True, text=True)
        tool = "python-asyncio-httpx"
        output = done.stdout
    line = next((ln for ln in output.splitlines() if ln.startswith("JSON ")), None)
    if line is None:
        raise RuntimeError(f"load generator failed: {done.stderr or output}")
    return tool, json.loads(line[5:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--cache", action="store_true", help="keep the answer cache on")
    args = parser.parse_args()

    from tests.api_fixtures import make_key
    from tests.helpers import free_port

    folder = Path(tempfile.mkdtemp(prefix="lurewatch-bench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    key = make_key(url, "platform", "bench")
    rng = random.Random(5)
    bodies = folder / "ads.jsonl"
    bodies.write_text("\n".join(json.dumps(make_ad(n, rng)) for n in range(20_000)) + "\n")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "LUREWATCH_DATABASE_URL": url,
           "LUREWATCH_SCORE_CACHE_SIZE": "4096" if args.cache else "0"}
    started = time.monotonic()
    server = subprocess.Popen([sys.executable, "-m", "lurewatch", "serve", "--port", str(port)],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() - started > 60:
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        ready = time.monotonic() - started
        rss_idle = rss_mb(server.pid)
        helper_wait = time.monotonic()
        while time.monotonic() - helper_wait < 30:  # the scoring helper starts after `ready`
            if httpx.get(f"{base}/healthz", timeout=2).json().get("scoring_helper"):
                break
            time.sleep(0.1)
        helper_ready = time.monotonic() - started

        auth = {"Authorization": f"Bearer {key}"}
        for n in range(50):  # warm up
            httpx.post(f"{base}/v1/score", json=make_ad(10**6 + n, rng), headers=auth)
        cpu_before = cpu_seconds(server.pid)
        tool, load = run_load(base, key, bodies, args.seconds, args.connections, folder)
        cpu_load = cpu_seconds(server.pid) - cpu_before
        rss_after_load = rss_mb(server.pid)
        load_average = os.getloadavg()[0]

        batch = {"items": [make_ad(2 * 10**6 + n, rng, 900) for n in range(1000)]}
        payload = json.dumps(batch).encode()
        timings = []
        for _ in range(3):
            began = time.perf_counter()
            answer = httpx.post(f"{base}/v1/score/batch", content=payload, timeout=120,
                                headers={**auth, "Content-Type": "application/json"})
            timings.append(time.perf_counter() - began)
            if answer.status_code != 200:
                raise RuntimeError(f"batch answered {answer.status_code}: {answer.text[:200]}")
        rss_peak = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)

    figures = {
        "load_generator": f"{tool}, {args.connections} connections, {args.seconds} s, "
                          "separate process, loopback",
        "answer_cache": "on" if args.cache else "off",
        "cores": os.cpu_count(),
        "requests": load["requests"],
        "rps": round(load["requests"] / load["seconds"], 1),
        "p50_ms": round(load["p50_us"] / 1000, 1),
        "p99_ms": round(load["p99_us"] / 1000, 1),
        "max_ms": round(load["max_us"] / 1000, 1),
        "non_2xx": load["non2xx"],
        "server_cpu_ms_per_request": round(1000 * cpu_load / max(1, load["requests"]), 2),
        "load_average_1min": round(load_average, 1),
        "socket_errors": load["errors"],
        "batch_1000_s": round(statistics.median(timings), 2),
        "batch_body_mb": round(len(payload) / 1e6, 2),
        "ready_s": round(ready, 2),
        "scoring_helper_ready_s": round(helper_ready, 2),
        "rss_idle_mb": round(rss_idle),
        "rss_after_load_mb": round(rss_after_load),
        "rss_peak_mb": round(rss_peak),
    }
    verdicts = {
        "rps": figures["rps"] >= TARGETS["rps"],
        "p99_ms": figures["p99_ms"] <= TARGETS["p99_ms"],
        "no_429": figures["non_2xx"] == 0,
        "batch_s": figures["batch_1000_s"] <= TARGETS["batch_s"],
        "ready_s": figures["ready_s"] <= TARGETS["ready_s"],
        "rss_mb": figures["rss_peak_mb"] <= TARGETS["rss_mb"],
    }
    for name, value in figures.items():
        print(f"{name:>18}: {value}")
    print("targets: " + ", ".join(f"{k} {'met' if ok else 'MISSED'}" for k, ok in verdicts.items()))
    print(json.dumps({"figures": figures, "targets_met": verdicts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
