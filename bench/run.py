"""Benchmark every read endpoint against the floor (python -m bench.run; `make bench` runs it).

Both servers run with the same uvicorn flags (app.serve.uvicorn_options), one worker, access log off,
each pinned to CPU 0 while wrk runs on CPU 1. For each endpoint wrk drives the floor and the project
in alternation (A/B, several rounds) and the table gives requests/s, p50/p99 latency and the ratio.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

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
    "/datapackage.json",
    "/data/events.csv",
    "/exchanges/units.csv?year=2025",
    "/exchanges?year=2025",
    "/exchanges/2024-12-30",
    "/exchanges/2024-12-30/units",
]
DEEP_PAGE = "/exchanges?limit=100&offset=99000"
# A whole-file export of 100,000 events is 18.7 MB rendered per request (1.1 s, too large for the
# cache): under wrk's 32 connections it queues for minutes and spoils every row after it, so the
# synthetic run leaves it out; the real-data run measures it.
EXPORTS = {"/data/events.csv"}
REVALIDATE = "/stats/yearly (If-None-Match → 304)"


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


def wrk(url: str, seconds: int, connections: int, header: str | None = None) -> Run:
    """One wrk run on CPU 1."""
    command = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if header:
        command[5:5] = ["-H", header]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
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


def start(command: list[str], env: dict[str, str], port: int) -> tuple[subprocess.Popen[bytes], float]:
    """Start a server pinned to CPU 0; return it and the seconds until /health (or /b0) answered."""
    began = time.monotonic()
    process = subprocess.Popen(["taskset", "-c", "0", *command], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    probe = "/health" if "app.serve" in command else "/b0"
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=1):
                return process, time.monotonic() - began
        except OSError:
            if process.poll() is not None or time.monotonic() - began > 30:
                raise SystemExit(f"bench: {' '.join(command)} did not start") from None
            time.sleep(0.02)


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def fetch(url: str) -> tuple[bytes, str]:
    """Body and ETag of one GET."""
    with urllib.request.urlopen(url) as response:
        return response.read(), response.headers["ETag"]


def bench(database: Path, label: str, endpoints: list[str], args: argparse.Namespace) -> str:
    """Benchmark one database; return its markdown table."""
    seconds, rounds, connections = args.seconds, args.rounds, args.connections
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database.resolve()}",
        "WEB_CONCURRENCY": "1",
        "ACCESS_LOG": "false",
        "HOST": "127.0.0.1",
        "RESPONSE_CACHE_BYTES": str(args.response_cache_bytes),
    }
    project_port = free_port()
    project, startup = start([sys.executable, "-m", "app.serve"], {**env, "PORT": str(project_port)}, project_port)
    rss_start = rss_mb(project.pid)
    base = f"http://127.0.0.1:{project_port}"
    sizes = {path: len(fetch(base + path)[0]) for path in endpoints}
    etag = fetch(base + "/stats/yearly")[1]
    floor_port = free_port()
    floor_env = {**env, "PORT": str(floor_port), "FLOOR_SIZES": ",".join(str(s) for s in {0, *sizes.values()})}
    floor_command = [
        sys.executable,
        "-c",
        "import uvicorn, app.serve as s, app.config as c; "
        "uvicorn.run('bench.floor_app:app', **s.uvicorn_options(c.get_settings()))",
    ]
    floor, _ = start(floor_command, floor_env, floor_port)
    floor_base = f"http://127.0.0.1:{floor_port}"
    cases: list[tuple[str, str, str, str | None]] = [
        (path, base + path, f"{floor_base}/b{sizes[path]}", None) for path in endpoints
    ]
    cases.append((REVALIDATE, base + "/stats/yearly", f"{floor_base}/b0", f"If-None-Match: {etag}"))
    lines = [
        f"### {label}",
        "",
        f"Start-up to a healthy /health: {startup:.2f} s. Worker RSS after start-up: {rss_start:.0f} MB.",
        "",
        "| endpoint | bytes | floor req/s | project req/s | ratio | p50 ms (floor / project) "
        "| p99 ms (floor / project) | non-2xx/3xx or errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    try:
        for name, url, floor_url, header in cases:
            wrk(url, 1, connections, header)  # warm both (the project's cache fills on first request)
            wrk(floor_url, 1, connections)
            floors, projects = [], []
            for _ in range(rounds):
                floors.append(wrk(floor_url, seconds, connections))
                projects.append(wrk(url, seconds, connections, header))
            f_rps = sum(r.requests_per_s for r in floors) / rounds
            p_rps = sum(r.requests_per_s for r in projects) / rounds
            f50, p50 = (sum(r.p50_ms for r in runs) / rounds for runs in (floors, projects))
            f99, p99 = (sum(r.p99_ms for r in runs) / rounds for runs in (floors, projects))
            bad = sum(r.bad for r in projects)
            size = 0 if header else sizes[name]
            lines.append(
                f"| `{name}` | {size} | {f_rps:,.0f} | {p_rps:,.0f} | **{p_rps / f_rps:.2f}x** "
                f"| {f50:.2f} / {p50:.2f} | {f99:.2f} / {p99:.2f} | {bad} |"
            )
            print(lines[-1], flush=True)
        lines += ["", f"Worker RSS after the run: {rss_mb(project.pid):.0f} MB.", ""]
    finally:
        for process in (project, floor):
            process.terminate()
            process.wait(timeout=10)
    return "\n".join(lines)


def main() -> int:
    """Benchmark the real database and a synthetic 100,000-event one; print markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=ROOT / "var" / "returns.db")
    parser.add_argument("--synthetic", type=Path, default=ROOT / "var" / "synth-100k.db")
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--response-cache-bytes",
        type=int,
        default=32 * 1024 * 1024,
        help="the project's response cache; 0 measures it without (every request queries SQLite)",
    )
    args = parser.parse_args()
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
        f"wrk -t1 -c{args.connections}, {args.rounds} alternating rounds of {args.seconds} s per side; "
        f"response cache {args.response_cache_bytes} bytes.\n"
    )
    print(header)
    tables = [header]
    tables.append(bench(args.database, "Real data (83 events, 44 published totals)", ENDPOINTS, args))
    synthetic = [path for path in ENDPOINTS if path not in EXPORTS]
    tables.append(bench(args.synthetic, "Synthetic, 100,000 events", [*synthetic, DEEP_PAGE], args))
    report = "\n".join(tables)
    out = ROOT / "var" / "bench.md"
    out.write_text(report)
    print(f"\n{report}\n(written to {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
