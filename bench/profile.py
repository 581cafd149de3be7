"""Profile one uncached request with pyinstrument (python -m bench.profile URL [N]).

The app runs in-process with its response cache off and is called N times (default 2,000) through
ASGI, without a server or a network: the tree shows where one request's time goes, per call.
PROFILE_ALL=1 shows the frames of FastAPI, Starlette and pydantic too (pyinstrument hides them).
"""

import asyncio
import os
import sys
from typing import Any

import pyinstrument

from app.config import get_settings
from app.db import open_dataset
from app.main import create_app


async def _profile(url: str, times: int) -> str:
    settings = get_settings().model_copy(update={"response_cache_bytes": 0})
    app = create_app(settings, open_dataset(settings))
    path, _, query = url.partition("?")
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async with app.router.lifespan_context(app):
        await app(dict(scope), receive, send)  # the first request pays for imports and kept answers
        profiler = pyinstrument.Profiler(interval=0.0001)
        profiler.start()
        for _ in range(times):
            await app(dict(scope), receive, send)
        profiler.stop()
    if set(statuses) != {200}:
        raise SystemExit(f"profile: {url} answered {sorted(set(statuses))}, not only 200")
    return profiler.output_text(unicode=True, color=False, show_all=bool(os.environ.get("PROFILE_ALL")))


def main() -> int:
    """Print the profile of N uncached requests for one URL."""
    url = sys.argv[1] if len(sys.argv) > 1 else "/stats/yearly?as_of=2025-06-01"
    times = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    os.environ.setdefault("ACCESS_LOG", "false")
    print(asyncio.run(_profile(url, times)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
