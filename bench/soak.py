"""Soak: 64 connections for 60 s over every read endpoint (python -m bench.soak; `make soak`).

Reports wrk's errors and non-2xx/3xx responses and the worker's memory before and after.
Passes (exit 0) only with zero errors and memory growth within 10%.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from bench.run import ROOT, free_port, rss_mb, start

PATHS = [
    "/stats/yearly",
    "/stats/yearly.csv",
    "/stats/yearly/2024",
    "/stats/summary",
    "/exchanges?year=2024",
    "/exchanges.csv?year=2024",
    "/exchanges?limit=5&offset=5",
    "/exchanges/2024-12-30",
    "/exchanges/2024-10-18",
    "/exchanges/2024-12-30/units",
    "/exchanges/2024-12-30/units?dimension=rank",
    "/exchanges/2024-08-24/units.csv",
    "/sources",
    "/health",
    "/",
]
# Each request takes the next path, so every connection cycles through all of them.
LUA = """
paths = {%s}
i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Accept-Encoding"] = (i %% 3 == 0) and "gzip" or "identity"})
end
"""


def main() -> int:
    """Run the soak; print its report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=ROOT / "var" / "returns.db")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=10, help="seconds of the same load before 'before'")
    args = parser.parse_args()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{args.database.resolve()}",
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        "ACCESS_LOG": "false",
    }
    server, _ = start([sys.executable, "-m", "app.serve"], env, port, "/health")
    try:
        base = f"http://127.0.0.1:{port}"
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(LUA % ", ".join(f'"{p}"' for p in PATHS))

        def load(seconds: int) -> str:
            command = [
                "taskset",
                "-c",
                "1",
                "wrk",
                "-t2",
                f"-c{args.connections}",
                f"-d{seconds}s",
                "--latency",
                "-s",
                script.name,
                base,
            ]
            return subprocess.run(command, capture_output=True, text=True, check=True).stdout

        # Warm up with the same load, so "before" is the steady state (every response and encoding
        # rendered, connection buffers and worker threads allocated) and growth after it means a leak.
        for path in PATHS:
            with urllib.request.urlopen(base + path) as response:
                response.read()
        load(args.warmup)
        before = rss_mb(server.pid)
        out = load(args.seconds)
        after = rss_mb(server.pid)
        Path(script.name).unlink()
    finally:
        server.terminate()
        server.wait(timeout=10)
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)  # type: ignore[union-attr]
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = sum(int(n) for n in socket.groups()) if socket else 0
    growth = (after - before) / before * 100
    print(
        f"soak: {args.connections} connections, {args.seconds} s after a {args.warmup} s warm-up, "
        f"{len(PATHS)} endpoints in rotation"
    )
    print(f"soak: {requests} requests, {rate:,.0f} req/s, p99 {p99}")
    print(f"soak: socket errors {errors}, non-2xx/3xx responses {bad}")
    print(f"soak: worker RSS {before:.1f} MB before, {after:.1f} MB after ({growth:+.1f}%)")
    passed = errors == 0 and bad == 0 and growth <= 10
    print("soak: PASS" if passed else "soak: FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
