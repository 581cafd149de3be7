"""Yearly and monthly figures, the since-invasion summary, the published totals and the gaps."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from app import charts
from app.formats import CHART_FORMATS, data_route, representation, respond
from app.openapi import CHART_RESPONSES, DATA_RESPONSES
from app.params import MonthlyQuery, OneRowQuery, SummaryQuery, TotalsQuery, YearlyQuery
from app.problems import ProblemError, bad_parameter
from app.record import EventFilter, RecordDep
from app.schemas import (
    Meta,
    MonthlyList,
    ReconciliationList,
    SourcedMeta,
    SummaryOne,
    TotalList,
    TotalsMeta,
    YearlyList,
    YearlyOne,
)

router = APIRouter(prefix="/stats", tags=["stats"], responses=DATA_RESPONSES)


@data_route(
    router, "/yearly", CHART_FORMATS, response_model=YearlyList, summary="Yearly totals", responses=CHART_RESPONSES
)
async def yearly(request: Request, record: RecordDep, query: Annotated[YearlyQuery, Query()]) -> Response:
    """People returned to Ukraine per calendar year (reported, derived, or no official total yet),
    with sources, a quote-ready sentence, and what the event records hold for each year: events,
    undisclosed events, the sum on record and the unaccounted remainder against the official total.
    `as_of=YYYY-MM-DD` answers as the record stood that day (the year in progress "on record so far").

    Also at `/stats/yearly.csv`, and drawn as a chart at `/stats/yearly.svg` (`?lang=uk` for Ukrainian).
    `exchanges` is null where no source gives the year's count on one basis.
    """
    rep, day = representation(request, query, CHART_FORMATS), record.day(query.as_of)
    first, last = query.year_from, query.year_to
    rows = [r for r in record.yearly_rows(day, rep.lang) if (first or r.year) <= r.year <= (last or r.year)]
    envelope = YearlyList(data=rows, meta=Meta(as_of=day or record.dataset.as_of))
    return respond(rep, envelope, "yearly", chart=lambda lang: charts.yearly_chart(rows, lang))


@data_route(router, "/yearly/{year}", response_model=YearlyOne, summary="One year's total")
async def one_year(
    request: Request,
    record: RecordDep,
    year: Annotated[int, Path(ge=1, le=9999)],
    query: Annotated[OneRowQuery, Query()],
) -> Response:
    """One year's figure with its quote-ready sentence: 404 for a year without figures.
    Also at `/stats/yearly/{year}.csv`."""
    rep = representation(request, query)
    every = record.yearly_rows(None, rep.lang)
    row = next((row for row in every if row.year == year), None)
    if row is None:
        years = ", ".join(str(row.year) for row in every)
        raise ProblemError(404, f"No figures for year {year}; years with figures: {years}.")
    meta = SourcedMeta(as_of=record.dataset.as_of, source_urls=row.source_urls)
    return respond(rep, YearlyOne(data=row, meta=meta), f"yearly-{year}")


@data_route(
    router, "/monthly", CHART_FORMATS, response_model=MonthlyList, summary="Month by month", responses=CHART_RESPONSES
)
async def monthly(request: Request, record: RecordDep, query: Annotated[MonthlyQuery, Query()]) -> Response:
    """One row per calendar month that has events on record: events, people on record (exchanges and
    local swaps), people freed outside exchanges, undisclosed events, exchanges (distinct ordinals)
    and the month's event ids. A month's sum is null, never 0, where all its figures are undisclosed;
    months without events have no row. Also at `/stats/monthly.csv`, and drawn as a column chart at
    `/stats/monthly.svg` (months without events as gaps, months holding undisclosed figures marked)."""
    rep, day, year = representation(request, query, CHART_FORMATS), record.day(query.as_of), query.year
    rows = list(record.months(*EventFilter(year, query.date_from, query.date_to, as_of=day).bounds()))
    name = "monthly" + (f"-{year}" if year else "")
    envelope = MonthlyList(data=rows, meta=Meta(as_of=day or record.dataset.as_of))
    return respond(rep, envelope, name, chart=lambda lang: charts.monthly_chart(rows, lang))


@data_route(router, "/summary", response_model=SummaryOne, summary="Since the full-scale invasion")
async def summary(request: Request, record: RecordDep, query: Annotated[SummaryQuery, Query()]) -> Response:
    """The headline since-invasion total (the Coordination Headquarters' latest, with its date and
    scope) with a quote-ready sentence, the latest total of every other body beside it, and what the
    yearly totals and the event records add up to; `as_of=YYYY-MM-DD` for the record as it stood that
    day. Also at `/stats/summary.csv`."""
    rep, day = representation(request, query), record.day(query.as_of)
    row = record.summary_on(day, rep.lang)
    if row is None:
        first = record.totals[0].as_of
        raise ProblemError(404, f"No official total had been published by {day}; the first is from {first}.")
    meta = SourcedMeta(as_of=day or record.dataset.as_of, source_urls=row.source_urls)
    return respond(rep, SummaryOne(data=row, meta=meta), "summary")


@data_route(
    router,
    "/totals",
    CHART_FORMATS,
    response_model=TotalList,
    summary="Official totals side by side",
    responses=CHART_RESPONSES,
)
async def totals(request: Request, record: RecordDep, query: Annotated[TotalsQuery, Query()]) -> Response:
    """Every official "since 2022" total found, in date order: who stated it, when, what it counts,
    what the event records held by then, and a quote-ready sentence. The bodies count differently;
    none is "the" total. `as_of=YYYY-MM-DD` keeps the totals published by that day.

    Also at `/stats/totals.csv`, and drawn as a step chart, one line per body, at `/stats/totals.svg`."""
    rep, day, publisher = representation(request, query, CHART_FORMATS), record.day(query.as_of), query.publisher
    publishers = record.dataset.publishers
    if publisher is not None and publisher not in publishers:
        raise bad_parameter("publisher", f"'{publisher}' is not a publisher", ", ".join(publishers))
    first, last = query.date_from, query.date_to
    if day is not None:
        last = min(last or day, day)
    rows = [
        r
        for r in record.totals_in(rep.lang)
        if (publisher is None or r.publisher == publisher)
        and (first is None or r.as_of >= first)
        and (last is None or r.as_of <= last)
    ]
    meta = TotalsMeta(as_of=day or record.dataset.as_of, publishers=publishers)
    name = "totals" + (f"-{publisher}" if publisher else "")
    envelope = TotalList(data=rows, meta=meta)
    return respond(rep, envelope, name, chart=lambda lang: charts.totals_chart(rows, lang))


@data_route(router, "/reconciliation", response_model=ReconciliationList, summary="Where the records and totals differ")
async def reconciliation(request: Request, record: RecordDep, query: Annotated[OneRowQuery, Query()]) -> Response:
    """Every documented gap between the event records and an official figure, with its size: yearly
    remainders, breaks in the running total, exchange numbers no event carries. The build fails on
    any gap not listed here. Also at `/stats/reconciliation.csv`."""
    rep = representation(request, query)
    envelope = ReconciliationList(data=list(record.reconciliation_in(rep.lang)), meta=Meta(as_of=record.dataset.as_of))
    return respond(rep, envelope, "reconciliation")
