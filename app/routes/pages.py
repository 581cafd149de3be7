"""`/`: the page for browsers (HTML, English or Ukrainian), or a JSON index of the API for everyone else."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app import page
from app.config import ROOT
from app.formats import html_document, json_document, negotiate, text_document
from app.openapi import DATA_RESPONSES
from app.params import MAX_LIMIT, Languaged, PageQuery, asked
from app.problems import bad_parameter
from app.record import EventFilter, RecordDep
from app.schemas import ExchangeRow, UnitRow, UnitsMeta

router = APIRouter(tags=["service"])
# The reporter's guide in each language, as docs/ keeps it (Markdown, served as plain text to read).
GUIDES = {lang: (ROOT / "docs" / name).read_bytes() for lang, name in (("en", "guide.md"), ("uk", "guide.uk.md"))}

ENDPOINTS = {
    "/stats/yearly": "People returned per year, 2022 onwards (also .csv, .svg)",
    "/stats/yearly/{year}": "One year's figure",
    "/stats/summary": "Since 24 Feb 2022: the headline total, every other body's latest, what the records add up to",
    "/stats/totals": "Every official since-2022 total side by side; filters publisher, date_from, date_to "
    "(also .csv, .svg)",
    "/stats/reconciliation": "Every documented gap between the event records and the official figures (also .csv)",
    "/exchanges": "Return events in date order; filters year, date_from, date_to, mediator, kind, agreement, "
    "evidence (also .csv, .svg)",
    "/exchanges/{exchange_id}": "One event, e.g. /exchanges/2024-12-30",
    "/exchanges/{exchange_id}/units": "An event's breakdown by service, rank or sex (also .csv, .svg)",
    "/sources": "Every source and what it supports",
    "/stats/monthly": "Month by month: events, people on record, undisclosed events (also .csv, .svg)",
    "/feed.atom": "Atom feed of the newest events and published totals, each with a quote-ready sentence",
    "/exchanges/units": "Every event's breakdown, one column per category, for stacked charts (also .csv)",
    "/datapackage.json": "The Frictionless Data Package: Table Schemas and this server's CSV URLs",
    "/data/{resource}": "One resource of the package in its data file's columns, e.g. /data/events.csv",
    "/data/returns.db": "The SQLite database itself, for Datasette or sqlite3",
    "/guide": "A reporter's guide: which figure to publish and how to cite it (?lang=uk in Ukrainian)",
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
async def index(request: Request, record: RecordDep, query: Annotated[PageQuery, Query()]) -> Response:
    """Browsers (`Accept: text/html`) get the page: charts, tables and sources, in English or
    Ukrainian, with a timeline per year chosen by plain links (`/?year=2025`). Everyone else gets a
    JSON index of the endpoints."""
    if negotiate(request, None, ("json", "html")) == "json":
        body: dict[str, Any] = {
            "name": "Returns from Russian captivity to Ukraine",
            "description": "Sourced figures of people Ukraine brought back from Russian captivity, "
            "exchange by exchange.",
            "endpoints": ENDPOINTS,
            "formats": "JSON by default; CSV with a .csv suffix, ?format=csv or Accept: text/csv",
        }
        return json_document(body)
    chosen, year = query.language(request), query.year
    years = record.dataset.years_with_event_records
    if year is not None and year not in years:
        raise bad_parameter("year", f"{year} has no event records", ", ".join(map(str, years)))
    event_year = year or (years[-1] if years else None)
    events: list[ExchangeRow] = []
    if event_year is not None:
        events = record.events_page(EventFilter(year=event_year), MAX_LIMIT, 0, chosen)[1]
    units: list[UnitRow] = []
    units_meta: UnitsMeta | None = None
    for event in reversed(events):  # the breakdown of the year's latest event that has one
        rows, meta = record.breakdown(event, "service", chosen)
        if rows and event.returned_to_ukraine is not None:
            units, units_meta = rows, meta
            break
    summary = record.summary_on(None, chosen)
    assert summary is not None  # the data checks require a Coordination Headquarters total
    facts = page.PageFacts(
        summary=summary,
        yearly=record.yearly_rows(None, chosen),
        event_years=years,
        event_year=event_year,
        events=events,
        units=units,
        units_meta=units_meta,
        totals=record.totals_in(chosen),
        reconciliation=record.reconciliation_in(chosen),
        sources=record.sources,
        record_ends=summary.last_recorded_event_date,
    )
    html = page.render(lang=chosen, base=asked(request).base_url, facts=facts)
    return html_document(html, {"Vary": "Accept-Language"})


@router.get(
    "/guide",
    summary="A reporter's guide",
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}, 400: DATA_RESPONSES[400]},
)
async def guide(request: Request, query: Annotated[Languaged, Query()]) -> Response:
    """The reporter's guide in English or Ukrainian (`?lang=uk` or Accept-Language): the caveats first,
    which figure to publish, evidence, basis and kind in plain words, and how to cite. Markdown, as
    plain text."""
    chosen = query.language(request)
    headers = {"Vary": "Accept-Language", "Content-Language": chosen}
    return text_document(GUIDES[chosen], headers)
