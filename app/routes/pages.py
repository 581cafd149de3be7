"""`/`: the page for browsers (HTML, English or Ukrainian), or a JSON index of the API for everyone else."""

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from app import page, queries
from app.db import DatasetDep, SessionDep
from app.formats import negotiate
from app.i18n import LangParam, language
from app.openapi import DATA_RESPONSES
from app.schemas import ExchangeRow, UnitRow, UnitsMeta

router = APIRouter(tags=["service"])

ENDPOINTS = {
    "/stats/yearly": "People returned per year, 2022 onwards (also .csv, .svg)",
    "/stats/yearly/{year}": "One year's figure",
    "/stats/summary": "Since 24 Feb 2022: people returned, exchanges held",
    "/exchanges": "Return events in date order; filters year, date_from, date_to, mediator (also .csv, .svg)",
    "/exchanges/{exchange_id}": "One event, e.g. /exchanges/2024-12-30",
    "/exchanges/{exchange_id}/units": "An event's breakdown by service, rank or sex (also .csv, .svg)",
    "/sources": "Every source and what it supports",
    "/health": "200 when the database is open, current and consistent",
    "/docs": "Interactive documentation (OpenAPI at /openapi.json)",
}


@router.get(
    "/",
    summary="The page, or the API index",
    responses={
        200: {"content": {"text/html": {"schema": {"type": "string"}}}},
        400: DATA_RESPONSES[400],
        406: DATA_RESPONSES[406],
    },
)
def index(
    request: Request,
    session: SessionDep,
    dataset: DatasetDep,
    lang: LangParam = None,
) -> Response:
    """Browsers (`Accept: text/html`) get the page: charts, tables and sources, in English or
    Ukrainian. Everyone else gets a JSON index of the endpoints."""
    del lang  # read by language()
    if negotiate(request, ("json", "html")) == "json":
        body: dict[str, Any] = {
            "name": "Returns from Russian captivity to Ukraine",
            "description": "Sourced figures of people Ukraine brought back from Russian captivity, "
            "exchange by exchange.",
            "endpoints": ENDPOINTS,
            "formats": "JSON by default; CSV with a .csv suffix, ?format=csv or Accept: text/csv",
        }
        return JSONResponse(body)
    years = dataset.years_with_event_records
    event_year = years[-1] if years else None
    events: list[ExchangeRow] = []
    if event_year is not None:
        _, events = queries.exchanges(
            session, year=event_year, date_from=None, date_to=None, mediator=None, limit=1000, offset=0
        )
    units: list[UnitRow] = []
    units_meta: UnitsMeta | None = None
    if events:  # the breakdown of the latest exchange
        units, units_meta = queries.breakdown(session, events[-1], "service", dataset.as_of)
    html = page.render(
        lang=language(request),
        base=str(request.base_url).rstrip("/"),
        summary=queries.summary(session),
        yearly=queries.yearly_totals(session, None, None),
        events=events,
        event_year=event_year,
        units=units,
        units_meta=units_meta,
        sources=queries.sources(session),
    )
    return HTMLResponse(html, headers={"Vary": "Accept-Language"})
