"""The FastAPI app: lifespan, middleware, routers; nothing else."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from app import openapi, problems
from app.config import Settings, get_settings
from app.db import Dataset, open_dataset, settle_long_lived
from app.http import HttpLayer
from app.params import reject_unknown_parameters
from app.routes import docs, exchanges, feed, package, pages, service, sources, stats

DESCRIPTION = """\
Sourced figures of the people Ukraine has brought back from Russian captivity since the
full-scale invasion (24 Feb 2022): every return event on record since 1 Mar 2022 (`meta.as_of`
says where the records end) with its breakdown, the yearly totals, every official "since 2022"
total side by side, the documented gaps between them, and the source URLs behind each figure.
Unknown figures are null, never zero. Read-only. Every data endpoint also answers CSV (a `.csv` suffix, `?format=csv` or
`Accept: text/csv`); errors are RFC 9457 `application/problem+json`.
"""


class Api(FastAPI):
    """FastAPI with the HTTP layer outermost: a cached answer never enters Starlette's middleware."""

    response_cache_bytes = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Straight to the HTTP layer: FastAPI's own __call__ asks per request whether OpenTelemetry
        # tracing is configured, which this service never does (it sets no root_path either).
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        scope["app"] = self
        if self.middleware_stack is None:
            self.middleware_stack = self.build_middleware_stack()
        await self.middleware_stack(scope, receive, send)

    def build_middleware_stack(self) -> ASGIApp:
        return HttpLayer(super().build_middleware_stack(), max_bytes=self.response_cache_bytes)


def create_app(settings: Settings | None = None, dataset: Dataset | None = None) -> FastAPI:
    """Build the app for `settings` (default: from the environment).

    The database is opened and verified at start-up, unless the caller already did (`dataset`).
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.dataset = dataset or open_dataset(settings)
        settle_long_lived()
        yield
        app.state.dataset.db.close()
        gc.unfreeze()

    app = Api(
        title="Returns from Russian captivity to Ukraine",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(reject_unknown_parameters)],
        docs_url=None,
        redoc_url=None,
    )
    problems.install(app)
    openapi.install(app)
    for module in (pages, service, stats, exchanges, sources, feed, package, docs):
        app.include_router(module.router)
    app.response_cache_bytes = settings.response_cache_bytes
    return app


app = create_app()
