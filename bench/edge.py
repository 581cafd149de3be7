"""Benchmark the edge: nginx (deploy/nginx.conf.template) in front of the app (python -m bench.edge;
`make bench` runs it after bench.run).

For each of bench.run's endpoints, three servers answer the same bytes, each pinned to CPU 0 while wrk
runs on CPU 1: the limit (a bare ASGI callable, bench/limit_app.py), the project from its response
cache, and one nginx worker answering from its cache (the project behind it). Rounds alternate
limit, cached, edge, edge, cached, limit; the ratios are medians of each round's ratio. The nginx
worker's CPU time during its runs gives its share of the core.

Then the origin's load: 32 connections for 30 s cycling over the endpoints through a cold edge, once
with the app's max-age (300 s) and once with max-age 5 s, counting the requests that reached the app;
and header variants: 1,000 distinct values of each of Accept-Encoding, Accept-Language and Accept on
one URL through a cold edge, counting the same.
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import ENDPOINTS, UVICORN_OPTIONS, Run, bench_env, free_port, mean, recorded, settle, start, wrk
from deploy.edge import Limits, running_nginx

TICKS = os.sysconf("SC_CLK_TCK")
# wrk is one address: the edge's per-address limits stay in the config (what they cost is measured)
# but are set past anything it sends.
BENCH_LIMITS = Limits(rate=10_000_000, burst=10_000_000, connections=65535)


def workers(state: Path) -> list[int]:
    """The nginx worker processes (the master's children but its cache manager and loader)."""
    master = (state / "nginx.pid").read_text().strip()
    listed = subprocess.run(["pgrep", "-P", master], capture_output=True, text=True, check=True).stdout
    return [int(pid) for pid in listed.split() if b"worker process" in Path(f"/proc/{pid}/cmdline").read_bytes()]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime: fields 14 and 15 of stat


def origin_requests(state: Path) -> int:
    """Requests the edge has sent to the app so far."""
    log = state / "origin.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def project(database: Path, port: int, max_age: int) -> subprocess.Popen[bytes]:
    """The project, one worker, its response cache on, pinned to CPU 0."""
    env = {**bench_env(database), "PORT": str(port), "CACHE_MAX_AGE": str(max_age)}
    process, _ = start([sys.executable, "-m", "app.serve"], env, port, "/health")
    return process


def throughput(database: Path, endpoints: list[str], args: argparse.Namespace) -> list[str]:
    """Edge, project and limit, req/s per endpoint; the markdown rows and summary."""
    app_port, limit_port, edge_port = free_port(), free_port(), free_port()
    app = project(database, app_port, 300)
    processes = [app]
    work = Path(tempfile.mkdtemp(prefix="bench-edge-"))
    rows: list[str] = []
    shares: list[float] = []
    try:
        with running_nginx(edge_port, f"127.0.0.1:{app_port}", workers="1", limits=BENCH_LIMITS) as (state, _):
            (worker,) = workers(state)
            os.sched_setaffinity(worker, {0})
            edge, cached = f"http://127.0.0.1:{edge_port}", f"http://127.0.0.1:{app_port}"
            answers = {path: recorded(cached + path) for path in endpoints}
            (work / "limit.json").write_text(json.dumps(answers))
            limit_env = {**os.environ, "PORT": str(limit_port), "LIMIT_RESPONSES": str(work / "limit.json")}
            limit_app = [sys.executable, "-c", UVICORN_OPTIONS.format("bench.limit_app:app")]
            limit, _ = start(limit_app, limit_env, limit_port, endpoints[0])
            processes.append(limit)
            for path in endpoints:
                targets = {
                    "limit": f"http://127.0.0.1:{limit_port}{path}",
                    "cached": cached + path,
                    "edge": edge + path,
                }
                for url in targets.values():
                    wrk(url, 1, args.connections)  # warm-up: the edge's miss and the project's render
                runs: dict[str, list[Run]] = {name: [] for name in targets}
                for _ in range(args.rounds):
                    for name in ("limit", "cached", "edge", "edge", "cached", "limit"):
                        before, began = cpu_seconds(worker), time.monotonic()
                        runs[name].append(wrk(targets[name], args.seconds, args.connections))
                        if name == "edge":
                            shares.append((cpu_seconds(worker) - before) / (time.monotonic() - began))
                        settle(cached)

                def ratio(a: str, b: str, runs: dict[str, list[Run]] = runs) -> float:
                    return statistics.median(
                        x.requests_per_s / y.requests_per_s for x, y in zip(runs[a], runs[b], strict=True)
                    )

                r = {name: mean(each) for name, each in runs.items()}
                rows.append(
                    f"| `{path}` | {len(answers[path][2])} | {r['limit'].requests_per_s:,.0f} "
                    f"| {r['cached'].requests_per_s:,.0f} | {r['edge'].requests_per_s:,.0f} "
                    f"| **{ratio('edge', 'limit'):.2f}x** | {ratio('edge', 'cached'):.2f}x "
                    f"| {r['edge'].p99_ms:.2f} | {sum(run.bad for run in r.values())} |"
                )
                print(rows[-1], flush=True)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
    return [
        "| endpoint | bytes | limit | cached | edge | **edge/limit** | edge/cached | edge p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"The nginx worker's CPU share during its runs: median {statistics.median(shares):.0%} "
        f"(min {min(shares):.0%}, max {max(shares):.0%}) of one core.",
    ]


def origin_load(database: Path, endpoints: list[str], max_age: int, seconds: int) -> str:
    """32 connections for `seconds` over the endpoints through a cold edge: requests that reached the app."""
    app_port, edge_port = free_port(), free_port()
    app = project(database, app_port, max_age)
    try:
        with running_nginx(edge_port, f"127.0.0.1:{app_port}", workers="1", limits=BENCH_LIMITS) as (state, _):
            urls = state / "urls.txt"
            urls.write_text("\n".join(endpoints) + "\n")
            run = wrk(f"http://127.0.0.1:{edge_port}/", seconds, 32, urls)
            time.sleep(1)  # a background update started in the last second
            reached = origin_requests(state)
    finally:
        app.terminate()
        app.wait(timeout=10)
    bound = len(endpoints) * (1 + seconds // max_age)
    return (
        f"- max-age {max_age} s: {run.requests_per_s * seconds:,.0f} requests in {seconds} s "
        f"({run.requests_per_s:,.0f} req/s, p99 {run.p99_ms:.2f} ms, {run.bad} errors); **{reached} reached "
        f"the app** ({len(endpoints)} URLs; at most one per URL per max-age would be {bound})."
    )


def variant_values(count: int) -> dict[str, list[str]]:
    """`count` distinct values of each negotiated header, as a client busting the cache would send."""
    return {
        "Accept-Encoding": [f"gzip;q=0.{i}, br;q=0.{i}, x-{i}" for i in range(count)],
        "Accept-Language": [f"uk-X{i}, en;q=0.{i}" for i in range(count)],
        "Accept": [f"application/json, application/x-{i}" for i in range(count)],
    }


def header_variants(database: Path, path: str, count: int) -> list[str]:
    """`count` distinct values of each negotiated header on one URL through a cold edge: how many
    requests reached the app."""
    app_port, edge_port = free_port(), free_port()
    app = project(database, app_port, 300)
    lines = []
    try:
        with running_nginx(edge_port, f"127.0.0.1:{app_port}", workers="1", limits=BENCH_LIMITS) as (state, _):
            connection = http.client.HTTPConnection("127.0.0.1", edge_port, timeout=10)
            for header, values in variant_values(count).items():
                before = origin_requests(state)
                for value in values:
                    connection.request("GET", path, headers={header: value})
                    connection.getresponse().read()
                lines.append(
                    f"- {count:,} distinct `{header}` values: **{origin_requests(state) - before} reached the app**"
                )
            connection.close()
    finally:
        app.terminate()
        app.wait(timeout=10)
    return lines


def main() -> int:
    """Print the edge's section of docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=Path("var/returns.db"))
    parser.add_argument("--seconds", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--load-seconds", type=int, default=30)
    parser.add_argument("--variants", type=int, default=1000, help="distinct values of each header on one URL")
    parser.add_argument("--only", nargs="*", help="benchmark only these endpoints (a quick check)")
    args = parser.parse_args()
    endpoints = args.only or ENDPOINTS
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True, check=False).stderr.strip()
    lines = [
        f"### The edge ({nginx}, one worker)",
        "",
        f"wrk -t1 -c{args.connections}, {args.rounds} rounds of {args.seconds} s per server, alternating "
        "limit, cached, edge, edge, cached, limit; ratios are the medians of the rounds' ratios.",
        "",
        *throughput(args.database, endpoints, args),
        "",
        f"Requests that reached the app, {args.load_seconds} s of 32 connections cycling over the "
        f"{len(endpoints)} URLs through a cold edge:",
        "",
        origin_load(args.database, endpoints, 300, args.load_seconds),
        origin_load(args.database, endpoints, 5, args.load_seconds),
        "",
        f"Header variants on one URL (`{endpoints[0]}`) through a cold edge, one request per value "
        "(the app's answer differs by coding, language and format: at most 3 of each could reach it):",
        "",
        *header_variants(args.database, endpoints[0], args.variants),
    ]
    report = "\n".join(lines)
    print(f"\n{report}")
    out = Path("var/bench-edge.md")
    out.write_text(report + "\n")
    print(f"(written to {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
