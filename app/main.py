"""The FastAPI app: lifespan, middleware, routers; nothing else."""

import asyncio
import contextlib
import gc
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from app import openapi, problems
from app.config import Settings, get_settings
from app.db import Dataset, checked_marker, open_dataset, settle_long_lived, sqlite_path
from app.headers import Address
from app.http import HttpLayer, cache_control
from app.record import Record, load_record
from app.routes import docs, exchanges, feed, package, pages, service, sources, stats

DESCRIPTION = """\
Sourced figures of the people Ukraine has brought back from Russian captivity since the
full-scale invasion (24 Feb 2022): every return event on record since 1 Mar 2022 (`meta.as_of`
says where the records end) with its breakdown, the yearly totals, every official "since 2022"
total side by side, the documented gaps between them, and the source URLs behind each figure.
Unknown figures are null, never zero. Read-only. Every data endpoint also answers CSV (a `.csv` suffix, `?format=csv` or
`Accept: text/csv`); errors are RFC 9457 `application/problem+json`.
"""


log = logging.getLogger("uvicorn.error")


def _file_identity(path: Path) -> tuple[tuple[int, int, int] | None, ...]:
    """What changes when `make db` moves a new file into place and records its build beside it: the
    inode, mtime and size of the file and of that record."""
    identity: list[tuple[int, int, int] | None] = []
    for each in (path, checked_marker(path)):
        try:
            stat = os.stat(each)
        except FileNotFoundError:
            identity.append(None)
        else:
            identity.append((stat.st_ino, stat.st_mtime_ns, stat.st_size))
    return tuple(identity)


async def follow_database_file(app: FastAPI, settings: Settings) -> None:
    """Serve a rebuilt database once `make db` has replaced the file: open and verify it beside the
    one being served, then switch every later request to it. A file that fails verification is
    logged and reported by /health (`rebuild`) and the served one kept; requests in flight finish on
    the record they started with. The record is served from memory, so a file damaged in place
    changes nothing that is served."""
    path = sqlite_path(settings.database_url)
    seen = _file_identity(path)
    while True:
        await asyncio.sleep(settings.reload_seconds)
        now = _file_identity(path)
        if now[0] is None or now == seen:
            continue
        # A build moves the file into place, then writes its record: open it once both have settled, or
        # a file read between the two would be checked in full (and the build's tools loaded here).
        await asyncio.sleep(settings.reload_seconds)
        if _file_identity(path) != now:
            continue
        seen = now
        dataset = None
        try:
            dataset = await asyncio.to_thread(open_dataset, settings)
            record = await asyncio.to_thread(load_record, dataset)
        except Exception as error:  # noqa: BLE001 - no bad file (e.g. replaced again meanwhile) may end the follower
            if dataset is not None:
                dataset.close()
            log.warning("not switching to the rebuilt database: %s", error)
            app.state.rebuild = f"rejected: {error}"
            continue
        served: Record = app.state.record
        app.state.record = record  # one step: no request sees a mix of two files
        app.state.rebuild = None
        # The file it replaces is closed once requests still reading it have long finished.
        asyncio.get_running_loop().call_later(max(settings.reload_seconds, 1) * 30, served.dataset.close)
        log.info("serving the rebuilt database %s (digest %s)", path, dataset.digest[:12])


def create_app(settings: Settings | None = None, dataset: Dataset | None = None) -> FastAPI:
    """Build the app for `settings` (default: from the environment).

    The database is opened and verified at start-up, unless the caller already did (`dataset`).
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.record, app.state.rebuild = load_record(dataset or open_dataset(settings)), None
        settle_long_lived()
        follower = asyncio.create_task(follow_database_file(app, settings)) if settings.reload_seconds > 0 else None
        yield
        if follower is not None:
            follower.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await follower
        current().close()
        gc.unfreeze()

    app = FastAPI(
        title="Returns from Russian captivity to Ukraine",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        # This service exports no OpenTelemetry data; with it off, FastAPI does not look for a
        # configured provider on every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    problems.install(app)
    openapi.install(app)
    for module in (pages, service, stats, exchanges, sources, feed, package, docs):
        app.include_router(module.router)

    def current() -> Dataset:
        """The dataset being served: the one the record was read from, switched with it."""
        record: Record = app.state.record
        return record.dataset

    app.add_middleware(
        HttpLayer,
        current=current,
        cache_control=cache_control(settings),
        max_bytes=settings.response_cache_bytes,
        address=Address.of(settings.public_url, settings.allowed_hosts),
    )
    return app


app = create_app()
