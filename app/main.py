"""The FastAPI app: lifespan, middleware, routers; nothing else."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from app import openapi, problems
from app.config import Settings, get_settings
from app.db import open_dataset
from app.http import HttpLayer
from app.params import reject_unknown_parameters
from app.routes import exchanges, service, sources, stats

DESCRIPTION = """\
Sourced figures of the people Ukraine has brought back from Russian captivity since the
full-scale invasion (24 Feb 2022): yearly totals, every 2024 exchange with its breakdown, and the
source URLs behind each figure. Read-only. Every data endpoint also answers CSV (a `.csv` suffix,
`?format=csv` or `Accept: text/csv`); errors are RFC 9457 `application/problem+json`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for `settings` (default: from the environment); the database opens at start-up."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.dataset = open_dataset(settings)
        yield
        app.state.dataset.engine.dispose()

    app = FastAPI(
        title="Returns from Russian captivity to Ukraine",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(reject_unknown_parameters)],
    )
    problems.install(app)
    openapi.install(app)
    for module in (service, stats, exchanges, sources):
        app.include_router(module.router)
    app.add_middleware(HttpLayer)
    return app


app = create_app()
