"""The FastAPI app: lifespan, middleware, routers; nothing else."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from app import openapi, problems
from app.config import Settings, get_settings
from app.db import Dataset, open_dataset, settle_long_lived
from app.http import HttpLayer
from app.params import reject_unknown_parameters
from app.record import load_record
from app.routes import docs, exchanges, feed, package, pages, service, sources, stats

DESCRIPTION = """\
Sourced figures of the people Ukraine has brought back from Russian captivity since the
full-scale invasion (24 Feb 2022): every return event on record since 1 Mar 2022 (`meta.as_of`
says where the records end) with its breakdown, the yearly totals, every official "since 2022"
total side by side, the documented gaps between them, and the source URLs behind each figure.
Unknown figures are null, never zero. Read-only. Every data endpoint also answers CSV (a `.csv` suffix, `?format=csv` or
`Accept: text/csv`); errors are RFC 9457 `application/problem+json`.
"""


def create_app(settings: Settings | None = None, dataset: Dataset | None = None) -> FastAPI:
    """Build the app for `settings` (default: from the environment).

    The database is opened and verified at start-up, unless the caller already did (`dataset`).
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.dataset = dataset or open_dataset(settings)
        app.state.record = load_record(app.state.dataset)
        settle_long_lived()
        yield
        app.state.dataset.db.close()
        gc.unfreeze()

    app = FastAPI(
        title="Returns from Russian captivity to Ukraine",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(reject_unknown_parameters)],
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
    app.add_middleware(HttpLayer, max_bytes=settings.response_cache_bytes)
    return app


app = create_app()
