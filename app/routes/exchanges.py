"""Return events (exchanges and their stages) and their breakdowns."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from app import charts
from app.formats import CHART_FORMATS, csv_table, data_route, representation, respond, table_response
from app.openapi import CHART_RESPONSES, DATA_RESPONSES
from app.params import ExchangesQuery, OneRowQuery, UnitsQuery, WideUnitsQuery, paging_headers
from app.problems import ProblemError
from app.record import EventFilter, RecordDep
from app.schemas import (
    ExchangeList,
    ExchangeOne,
    ExchangeRow,
    PageMeta,
    SourcedMeta,
    UnitList,
    WideUnitList,
    WideUnitsMeta,
)

router = APIRouter(prefix="/exchanges", tags=["exchanges"], responses=DATA_RESPONSES)
ExchangeId = Annotated[
    str,
    Path(
        pattern=r"^\d{4}-\d{2}-\d{2}(-\d{1,4})?$",
        max_length=15,
        description="The event's ISO date, e.g. `2024-12-30` (a `-2` suffix if a date holds two events).",
        examples=["2024-12-30"],
    ),
]


def _event_or_404(record: RecordDep, exchange_id: str, lang: str) -> ExchangeRow:
    row = record.event(exchange_id, lang)
    if row is None:
        raise ProblemError(404, f"No exchange with id '{exchange_id}'. Ids are event dates; GET /exchanges lists them.")
    return row


async def exchange_or_404(record: RecordDep, exchange_id: ExchangeId) -> ExchangeRow:
    """The event named in the path, or a 404 that says which ids exist."""
    return _event_or_404(record, exchange_id, "en")


Exchange = Annotated[ExchangeRow, Depends(exchange_or_404)]


@data_route(router, "", CHART_FORMATS, response_model=ExchangeList, summary="Return events", responses=CHART_RESPONSES)
async def exchanges(request: Request, record: RecordDep, query: Annotated[ExchangesQuery, Query()]) -> Response:
    """Every recorded event in date order, filtered and paged (`Link`, `X-Total-Count`).

    An exchange that came in stages has one event per stage with the same `exchange_ordinal`; count
    exchanges as distinct ordinals, never as rows. `returned_to_ukraine` is null where the figure was
    never disclosed. Every row carries a quote-ready `sentence` (`?lang=uk` for Ukrainian);
    `as_of=YYYY-MM-DD` keeps the events dated by then. Also at `/exchanges.csv`, and drawn as a
    timeline at `/exchanges.svg?year=2025`.
    """
    rep, day = representation(request, query, CHART_FORMATS), record.day(query.as_of)
    year, limit, offset = query.year, query.limit, query.offset
    filters = EventFilter(
        year, query.date_from, query.date_to, query.mediator, query.kind, query.agreement, query.evidence, day
    )
    total, rows = record.events_page(filters, limit, offset, rep.lang)
    meta = PageMeta(
        as_of=day or record.dataset.as_of,
        total=total,
        limit=limit,
        offset=offset,
        years_with_event_records=list(record.dataset.years_with_event_records),
    )
    headers = paging_headers(request, total, limit, offset)
    name = "exchanges" + (f"-{year}" if year else "")
    years = sorted({str(rows[0].date.year), str(rows[-1].date.year)}) if rows else []
    period = str(year) if year else "–".join(years)
    envelope = ExchangeList(data=rows, meta=meta)
    return respond(rep, envelope, name, headers, chart=lambda lang: charts.timeline_chart(rows, period, lang))


@data_route(router, "/units", response_model=WideUnitList, summary="Every event's breakdown, one column per category")
async def wide_units(request: Request, record: RecordDep, query: Annotated[WideUnitsQuery, Query()]) -> Response:
    """One row per event and one column per category of the dimension: the table Datawrapper and
    Flourish take as it is for a stacked bar chart of every exchange. Top-level categories come in
    `data/categories.csv` order, then `X_within_Y` columns for rows counted inside another (17
    territorial defence inside 87 Armed Forces): stack the top-level columns and `unattributed` to
    reach `total`, never the `_within_` ones. Empty where the breakdown does not give a category.
    Also at `/exchanges/units.csv`."""
    rep, year, dimension = representation(request, query), query.year, query.dimension
    wide = record.wide_units(dimension, *EventFilter(year, query.date_from, query.date_to).bounds())
    meta = WideUnitsMeta(as_of=record.dataset.as_of, dimension=dimension, columns=wide.columns, labels=wide.labels)
    name = f"exchanges-units-{dimension}" + (f"-{year}" if year else "")
    if rep.format != "csv":
        return respond(rep, WideUnitList(data=wide.rows, meta=meta), name)
    header = ["id", "date", "exchange_ordinal", "kind", "kind_label_uk", *wide.columns]
    header += ["total", "accounted_for", "unattributed"]
    cells = (
        [r.id, r.date.isoformat(), r.exchange_ordinal, r.kind, r.kind_label_uk, *r.columns(wide.columns)]
        for r in wide.rows
    )
    return table_response(rep, name, csv_table(header, cells))


@data_route(router, "/{exchange_id}", response_model=ExchangeOne, summary="One return event")
async def one_exchange(
    request: Request, record: RecordDep, exchange_id: ExchangeId, query: Annotated[OneRowQuery, Query()]
) -> Response:
    """One event with both sides' counts, notes on disputed figures, its sources and a quote-ready
    sentence (`?lang=uk` for Ukrainian). Also at `/exchanges/{exchange_id}.csv`."""
    rep = representation(request, query)
    exchange = _event_or_404(record, exchange_id, rep.lang)
    meta = SourcedMeta(as_of=record.dataset.as_of, source_urls=exchange.source_urls)
    return respond(rep, ExchangeOne(data=exchange, meta=meta), f"exchange-{exchange.id}")


@data_route(
    router,
    "/{exchange_id}/units",
    CHART_FORMATS,
    response_model=UnitList,
    summary="An event's breakdown",
    responses=CHART_RESPONSES,
)
async def units(
    request: Request, record: RecordDep, exchange: Exchange, query: Annotated[UnitsQuery, Query()]
) -> Response:
    """How an event's people divide by service, rank or sex, and how many the published
    breakdown leaves unattributed. `part_of` rows are inside their parent: never add them to it.
    Also at `/exchanges/{exchange_id}/units.csv`, and drawn as a chart at `.../units.svg`."""
    rep, dimension = representation(request, query, CHART_FORMATS), query.dimension
    rows, meta = record.breakdown(exchange, dimension, rep.lang)
    return respond(
        rep,
        UnitList(data=rows, meta=meta),
        f"exchange-{exchange.id}-{dimension}",
        chart=lambda lang: charts.units_chart(rows, meta, lang),
    )
