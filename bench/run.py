"""Benchmark every read endpoint five ways (python -m bench.run; `make bench` runs it).

For each endpoint, one uvicorn worker per server, all with the same flags (app.serve.uvicorn_options),
access log off, each pinned to CPU 0 while wrk runs on CPU 1:

- floor:    a FastAPI route returning a constant body of the endpoint's size (bench/floor_app.py);
- limit:    a bare ASGI callable sending the project's own status, headers and body (bench/limit_app.py);
- cached:   the project, answering from its response cache;
- uncached: the project with the response cache off (RESPONSE_CACHE_BYTES=0): every request queries SQLite;
- unique:   the project with its cache on, every request a URL never asked before (a wrk Lua script
            walks a list of valid, distinct query strings), where the endpoint has enough of them.

Then a flood: 32 connections sending unique URLs for 30 s while a second client (one connection)
asks /stats/yearly; its p99 is reported beside its idle p99. On both databases, each endpoint's
uncached latency is also measured with one connection (no queueing): the time one request takes.
"""

import argparse
import datetime as dt
import itertools
import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from app import vocabulary

ROOT = Path(__file__).resolve().parent.parent
ENDPOINTS = [
    "/stats/yearly",
    "/stats/yearly.csv",
    "/stats/summary",
    "/stats/totals",
    "/stats/totals.svg",
    "/stats/reconciliation",
    "/stats/monthly",
    "/stats/monthly.svg",
    "/stats/summary?as_of=2025-06-01",
    "/feed.atom",
    "/guide?lang=uk",
    "/datapackage.json",
    "/data/events.csv",
    "/exchanges/units.csv?year=2025",
    "/exchanges",
    "/exchanges?year=2025",
    "/exchanges/2024-12-30",
    "/exchanges/2024-12-30/units",
]
DEEP_PAGE = "/exchanges?limit=100&offset=1900"
# A bench app under the project's own uvicorn flags: python -c UVICORN_OPTIONS.format("module:app").
UVICORN_OPTIONS = (
    "import uvicorn, app.serve as s, app.config as c; uvicorn.run('{}', **s.uvicorn_options(c.get_settings()))"
)
UNIQUE_URLS = 40_000  # more than one run sends, so no unique-URL request is ever a repeat
MIN_UNIQUE_URLS = 2_000
LUA = """
local urls = {}
for line in io.lines(os.getenv("BENCH_URLS")) do urls[#urls + 1] = line end
local n = tonumber(os.getenv("BENCH_START") or "0")
request = function()
  n = n + 1
  return wrk.format("GET", urls[(n - 1) % #urls + 1])
end
"""


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Run:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    bad: int


def _ms(text: str) -> float:
    """wrk's latency ('812.00us', '1.95ms', '1.02s', '1.10m') in milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"wrk printed a latency this script cannot read: {text!r}")
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[match.group(2)]


def wrk(url: str, seconds: int, connections: int, urls: Path | None = None, start: int = 0) -> Run:
    """One wrk run on CPU 1; with `urls`, each request takes the next line of that file as its path,
    from line `start` on."""
    command = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    env = dict(os.environ)
    if urls is not None:
        script = urls.with_suffix(".lua")
        script.write_text(LUA)
        command += ["-s", str(script)]
        env["BENCH_URLS"] = str(urls)
        env["BENCH_START"] = str(start)
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True, env=env).stdout
    if "Requests/sec" not in out:
        raise SystemExit(f"bench: wrk gave no result for {url}:\n{out}")
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    bad += sum(int(n) for n in errors.groups()) if errors else 0
    return Run(
        float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        _ms(re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1)),  # type: ignore[union-attr]
        _ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)),  # type: ignore[union-attr]
        bad,
    )


def start(command: list[str], env: dict[str, str], port: int, probe: str) -> tuple[subprocess.Popen[bytes], float]:
    """Start a server pinned to CPU 0; return it and the seconds until `probe` answered 200."""
    began = time.monotonic()
    process = subprocess.Popen(["taskset", "-c", "0", *command], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=1):
                return process, time.monotonic() - began
        except OSError:
            if process.poll() is not None or time.monotonic() - began > 60:
                raise SystemExit(f"bench: {' '.join(command)} did not start") from None
            time.sleep(0.02)


def settle(base: str) -> None:
    """Wait until a project server has worked through requests still queued from the last run
    (wrk stops sending, the server does not stop answering), so the next run has the CPU to itself."""
    began = time.monotonic()
    while time.monotonic() - began < 120:
        started = time.monotonic()
        with urllib.request.urlopen(f"{base}/health", timeout=120):
            pass
        if time.monotonic() - started < 0.02:
            return
        time.sleep(0.2)


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def recorded(url: str) -> tuple[int, list[tuple[str, str]], str]:
    """Status, headers (hop-by-hop ones left to the server) and body (latin-1) of one GET."""
    request = urllib.request.Request(url, headers={"Connection": "keep-alive"})
    with urllib.request.urlopen(request) as response:
        headers = [(n.lower(), v) for n, v in response.headers.items()]
        kept = [(n, v) for n, v in headers if n not in ("connection", "date", "server")]
        return response.status, kept, response.read().decode("latin-1")


def unique_urls(path: str, database: Path) -> list[str]:
    """Valid, distinct URLs that give the same kind of answer as `path` (empty where too few exist)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        first, last = (
            dt.date.fromisoformat(d) for d in db.execute("SELECT min(date), max(date) FROM return_event").fetchone()
        )
        first_total = dt.date.fromisoformat(db.execute("SELECT min(as_of) FROM published_total").fetchone()[0])
        years = [year for (year,) in db.execute("SELECT DISTINCT substr(date, 1, 4) FROM return_event ORDER BY 1")]
        publishers = [code for (code,) in db.execute("SELECT code FROM publisher ORDER BY code")]
        events = db.execute("SELECT count(*) FROM return_event").fetchone()[0]
    days = [(first + dt.timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
    # Before the first published total a summary is a 404: the summary's days start at that total.
    totalled = [day for day in days if day >= first_total.isoformat()]
    year_days = [day for day in days if day.startswith(years[-2])]  # a year's table, cut at each of its days
    base, _, _ = path.partition("?")
    spaces: dict[str, list[list[str]]] = {
        "/stats/yearly": [days, ["", *(f"&year_from={y}" for y in years)], ["", "&lang=uk"]],
        "/stats/summary": [totalled, ["", "&lang=uk"], ["", "&format=csv"]],
        "/stats/totals": [days, ["", *(f"&publisher={p}" for p in publishers)], ["", "&lang=uk"]],
        "/stats/monthly": [days, ["", *(f"&year={y}" for y in years)], ["", "&lang=uk"]],
        "/exchanges/units": [year_days, list(vocabulary.codes("breakdown", "dimension")), ["", "&bom=1"]],
    }
    if base.removesuffix(".csv").removesuffix(".svg") in spaces:
        space = spaces[base.removesuffix(".csv").removesuffix(".svg")]
        if base.startswith("/exchanges/units"):
            combos = [
                f"{base}?year={years[-2]}&date_from={day}&dimension={dimension}{bom}"
                for day, dimension, bom in itertools.product(*space)
            ]
        else:
            combos = [f"{base}?as_of={day}{a}{b}" for day, a, b in itertools.product(*space)]
    elif base == "/exchanges":
        combos = [f"/exchanges?limit={limit}&offset={offset}" for offset in range(events) for limit in range(1, 101)]
    else:
        return []
    step = max(1, len(combos) // UNIQUE_URLS)  # spread over the whole space, not its first corner
    chosen = combos[::step][:UNIQUE_URLS]
    # Fewer URLs than the cache's probation segment holds would be answered from it on their second round.
    return chosen if len(chosen) >= MIN_UNIQUE_URLS else []


@dataclass
class Servers:
    cached: str
    uncached: str
    floor: str
    limit: str


def mean(runs: list[Run]) -> Run:
    """The mean of several runs (errors summed)."""
    n = len(runs)
    return Run(
        sum(r.requests_per_s for r in runs) / n,
        sum(r.p50_ms for r in runs) / n,
        sum(r.p99_ms for r in runs) / n,
        sum(r.bad for r in runs),
    )


def compare(
    servers: Servers, path: str, size: int, urls: Path | None, args: argparse.Namespace
) -> dict[str, list[Run]]:
    """floor, limit, cached, uncached (and unique) for one endpoint: each server's run in every round
    (limit and cached four times), the rounds alternating after a warm-up (each unique-URL round starts
    where no other round goes)."""
    targets = {
        "floor": f"{servers.floor}/b{size}",
        "limit": servers.limit + path,
        "cached": servers.cached + path,
        "uncached": servers.uncached + path,
    }
    for url in targets.values():
        wrk(url, 1, args.connections)
    if urls is not None:  # what the unique URLs need built once per dataset (the running sums), built here
        warm = urls.with_suffix(".warm")
        warm.write_text("\n".join(urls.read_text().splitlines()[-50:]) + "\n")  # never reached by a run
        wrk(servers.cached + "/", 1, args.connections, warm)
    settle(servers.uncached)
    settle(servers.cached)
    runs: dict[str, list[Run]] = {name: [] for name in targets}
    if urls is not None:
        runs["unique"] = []
    share = len(urls.read_text().splitlines()) // args.rounds if urls is not None else 0
    # Each round: the floor, the limit and the cached project in A-B-B-A order (two pairs, each side by
    # side, so a drift within the round favours neither), uncached, then A-B-B-A again. One pair's
    # ratio moves 0.74x-1.46x on this VM (40 pairs of a fresh server, median 0.99x): the median of
    # twenty pairs, not ten, is what can tell a ratio of ~0.95x from the 0.85x target.
    order = ["floor", "limit", "cached", "cached", "limit", "uncached", "limit", "cached", "cached", "limit"]
    for round_number in range(args.rounds):
        for name in order:
            runs[name].append(wrk(targets[name], args.seconds, args.connections))
            settle(servers.uncached)
        if urls is not None:
            start = round_number * share
            runs["unique"].append(wrk(servers.cached + "/", args.seconds, args.connections, urls, start))
            settle(servers.cached)
    return runs


def paired(runs: dict[str, list[Run]], name: str, base: str) -> float:
    """The median over rounds of `name`'s req/s over `base`'s in the same round: runs seconds apart
    share this VM's noise (a neighbour slows both), so each round's ratio is measured in like conditions."""
    return statistics.median(a.requests_per_s / b.requests_per_s for a, b in zip(runs[name], runs[base], strict=True))


def flood(servers: Servers, urls: Path, seconds: int) -> tuple[Run, Run, Run]:
    """A second client's /stats/yearly idle and during a unique-URL flood, and the flood itself."""
    victim = servers.cached + "/stats/yearly"
    wrk(victim, 1, 1)
    idle = wrk(victim, 10, 1)
    flooding = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, bench.run as b, pathlib; r = b.wrk(sys.argv[1], int(sys.argv[2]), 32, "
            "pathlib.Path(sys.argv[3])); print(r.requests_per_s, r.p50_ms, r.p99_ms, r.bad)",
            servers.cached + "/",
            str(seconds),
            str(urls),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)
    during = wrk(victim, seconds - 6, 1)
    out, _ = flooding.communicate()
    rps, p50, p99, bad = out.split()
    return idle, during, Run(float(rps), float(p50), float(p99), int(bad))


def endpoint_rows(
    servers: Servers,
    endpoints: list[str],
    answers: dict[str, tuple[int, list[tuple[str, str]], str]],
    database: Path,
    work: Path,
    args: argparse.Namespace,
) -> tuple[list[str], int]:
    """One table row per endpoint, and the errors seen."""
    lines: list[str] = []
    bad = 0
    for path in endpoints:
        urls = unique_urls(path, database)
        url_file = None
        if urls:
            url_file = work / f"urls-{len(lines)}.txt"
            url_file.write_text("\n".join(urls) + "\n")
        rounds = compare(servers, path, len(answers[path][2]), url_file, args)
        r = {name: mean(each) for name, each in rounds.items()}
        unique = r.get("unique")
        bad += sum(run.bad for run in r.values())
        u_rps = f"{unique.requests_per_s:,.0f}" if unique else "–"
        u_ratio = f"**{paired(rounds, 'unique', 'floor'):.2f}x**" if unique else "–"
        u_own = f"{paired(rounds, 'unique', 'uncached'):.2f}x" if unique else "–"
        u_p99 = f"{unique.p99_ms:.1f}" if unique else "–"
        lines.append(
            f"| `{path}` | {len(answers[path][2])} | {r['floor'].requests_per_s:,.0f} "
            f"| {r['limit'].requests_per_s:,.0f} | {r['cached'].requests_per_s:,.0f} "
            f"| **{paired(rounds, 'cached', 'limit'):.2f}x** "
            f"| {r['uncached'].requests_per_s:,.0f} "
            f"| **{paired(rounds, 'uncached', 'floor'):.2f}x** | {u_rps} | {u_ratio} | {u_own} "
            f"| {r['cached'].p99_ms:.1f} / {r['uncached'].p99_ms:.1f} / {u_p99} "
            f"| {sum(run.bad for run in r.values())} |"
        )
        print(lines[-1], flush=True)
    return lines, bad


def bench_env(database: Path) -> dict[str, str]:
    """The environment every benchmarked server runs with: the database, one worker, no access log."""
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database.resolve()}",
        "WEB_CONCURRENCY": "1",
        "ACCESS_LOG": "false",
        "HOST": "127.0.0.1",
    }


def flood_lines(servers: Servers, database: Path, work: Path, args: argparse.Namespace) -> list[str]:
    """The unique-URL flood beside one client asking `/stats/yearly`; its markdown lines."""
    flood_urls = work / "flood.txt"
    mixed = [*unique_urls("/stats/yearly", database), *unique_urls("/exchanges", database)]
    flood_urls.write_text("\n".join(mixed[::2] + mixed[1::2]) + "\n")
    idle, during, flooded = flood(servers, flood_urls, args.flood_seconds)
    settle(servers.cached)
    after = wrk(servers.cached + "/stats/yearly", args.seconds, args.connections)
    return [
        "",
        f"Unique-URL flood: {args.flood_seconds} s of 32 connections, each request a new URL "
        f"({flooded.requests_per_s:,.0f} req/s, p99 {flooded.p99_ms:.1f} ms, {flooded.bad} errors). A second "
        f"client on one connection asking `/stats/yearly`: p99 **{idle.p99_ms:.2f} ms idle, "
        f"{during.p99_ms:.2f} ms during the flood** (p50 {idle.p50_ms:.2f} / {during.p50_ms:.2f} ms, "
        f"{during.requests_per_s:,.0f} req/s). Right after it, `/stats/yearly` at -c{args.connections}: "
        f"{after.requests_per_s:,.0f} req/s, still answered from memory.",
    ]


def bench(database: Path, label: str, endpoints: list[str], args: argparse.Namespace) -> str:
    """Benchmark one database; return its markdown section."""
    env = bench_env(database)
    serve = [sys.executable, "-m", "app.serve"]
    ports = [free_port() for _ in range(4)]
    cache = str(args.response_cache_bytes)
    project, startup = start(serve, {**env, "PORT": str(ports[0]), "RESPONSE_CACHE_BYTES": cache}, ports[0], "/health")
    rss_start = rss_mb(project.pid)
    uncached, _ = start(serve, {**env, "PORT": str(ports[1]), "RESPONSE_CACHE_BYTES": "0"}, ports[1], "/health")
    servers = Servers(*(f"http://127.0.0.1:{port}" for port in ports))
    processes = [project, uncached]
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        answers = {path: recorded(servers.cached + path) for path in endpoints}
        (work / "limit.json").write_text(json.dumps(answers))
        sizes = ",".join(str(s) for s in {0, *(len(body) for _, _, body in answers.values())})
        floor, _ = start(
            [sys.executable, "-c", UVICORN_OPTIONS.format("bench.floor_app:app")],
            {**env, "PORT": str(ports[2]), "FLOOR_SIZES": sizes},
            ports[2],
            "/b0",
        )
        processes.append(floor)
        limit, _ = start(
            [sys.executable, "-c", UVICORN_OPTIONS.format("bench.limit_app:app")],
            {**env, "PORT": str(ports[3]), "LIMIT_RESPONSES": str(work / "limit.json")},
            ports[3],
            endpoints[0],
        )
        processes.append(limit)
        lines = [
            f"### {label}",
            "",
            f"Start-up to a healthy /health: {startup:.2f} s. Worker RSS after start-up: {rss_start:.0f} MB.",
            "",
            f"req/s (wrk -c{args.connections}, mean of the rounds); ratios: cached ÷ limit, uncached ÷ floor, "
            "unique ÷ floor, each the median of the rounds' ratios (targets: cached 0.80; uncached and "
            "unique 0.30, 0.40 as a stretch); unique/uncached: a never-asked URL (an `as_of` day, a page) "
            "beside the same path without it.",
            "",
            "| endpoint | bytes | floor | limit | cached | **cached/limit** | uncached | **uncached/floor** "
            "| unique | **unique/floor** | unique/uncached | p99 ms cached / uncached / unique | errors |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        rows, bad = endpoint_rows(servers, endpoints, answers, database, work, args)
        lines += rows
        lines += flood_lines(servers, database, work, args)
        if args.latency:
            worst = ("", 0.0)
            for path in endpoints:
                settle(servers.uncached)
                run = wrk(servers.uncached + path, args.seconds, 1)
                bad += run.bad
                worst = max(worst, (path, run.p99_ms), key=lambda item: item[1])
                print(f"uncached, one connection: {path} p99 {run.p99_ms:.2f} ms", flush=True)
            lines += [
                "",
                f"Uncached, one connection (the time one request takes, no queueing): slowest p99 is "
                f"`{worst[0]}` at **{worst[1]:.2f} ms**.",
            ]
        lines += [
            "",
            f"Worker RSS after the run: {rss_mb(project.pid):.0f} MB with the response cache filled by the "
            f"unique-URL runs and the flood, {rss_mb(uncached.pid):.0f} MB for the worker without a cache "
            f"(the same endpoints, no unique URLs). Errors or non-2xx/3xx: {bad}.",
            "",
        ]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
    return "\n".join(lines)


def main() -> int:
    """Benchmark the real database and a synthetic 2,000-event one; print markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=ROOT / "var" / "returns.db")
    parser.add_argument("--synthetic", type=Path, default=ROOT / "var" / "synth-2k.db")
    parser.add_argument("--seconds", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--flood-seconds", type=int, default=30)
    parser.add_argument("--only", nargs="*", help="benchmark only these endpoints (a quick check)")
    parser.add_argument("--response-cache-bytes", type=int, default=32 * 1024 * 1024)
    args = parser.parse_args()
    if args.flood_seconds < 8:  # the second client starts 3 s in and stops 3 s before the flood ends
        parser.error("--flood-seconds: at least 8")
    machine = subprocess.run(["uname", "-srm"], capture_output=True, text=True, check=True).stdout.strip()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    header = (
        f"Machine: {cpu}, {os.cpu_count()} cores, {machine}, Python {sys.version.split()[0]}. "
        f"wrk -t1 -c{args.connections}, {args.rounds} alternating rounds of {args.seconds} s per server "
        f"(limit and cached four times, A-B-B-A twice) after a 1 s warm-up; "
        f"response cache {args.response_cache_bytes} bytes.\n"
    )
    print(header)
    tables = [header]
    real = args.only or ENDPOINTS
    args.latency = True  # p99 at one connection: the time one request takes (issue 19)
    with sqlite3.connect(f"file:{args.database}?mode=ro", uri=True) as db:
        events, totals = (
            db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("return_event", "published_total")
        )
    tables.append(bench(args.database, f"Real data ({events:,} events, {totals:,} published totals)", real, args))
    synthetic = args.only or [*ENDPOINTS, DEEP_PAGE]
    tables.append(bench(args.synthetic, "Synthetic, 2,000 events", synthetic, args))
    report = "\n".join(tables)
    out = ROOT / "var" / "bench.md"
    out.write_text(report)
    print(f"\n{report}\n(written to {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
