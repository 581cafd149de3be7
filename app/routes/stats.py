"""Yearly and monthly figures, the since-invasion summary, the published totals and the gaps."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from starlette.responses import Response

from app import charts
from app.formats import (
    CHART_FORMATS,
    Representation,
    chart_representation,
    data_route,
    representation,
    respond,
    sentence_representation,
)
from app.openapi import CHART_RESPONSES, DATA_RESPONSES
from app.params import AsOf, IsoDate, date_range
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
Rep = Annotated[Representation, Depends(representation)]
SentenceRep = Annotated[Representation, Depends(sentence_representation)]
ChartRep = Annotated[Representation, Depends(chart_representation)]
Year = Annotated[int | None, Query(ge=2022, le=9999, description="First year to include.")]
YearTo = Annotated[int | None, Query(ge=2022, le=9999, description="Last year to include.")]
DateFrom = Annotated[str | None, IsoDate("On or after this ISO date (YYYY-MM-DD).")]
DateTo = Annotated[str | None, IsoDate("On or before this ISO date (YYYY-MM-DD).")]


@data_route(
    router, "/yearly", CHART_FORMATS, response_model=YearlyList, summary="Yearly totals", responses=CHART_RESPONSES
)
async def yearly(
    record: RecordDep,
    rep: ChartRep,
    as_of: AsOf,
    year_from: Year = None,
    year_to: YearTo = None,
) -> Response:
    """People returned to Ukraine per calendar year (reported, derived, or no official total yet),
    with sources, a quote-ready sentence, and what the event records hold for each year: events,
    undisclosed events, the sum on record and the unaccounted remainder against the official total.
    `as_of=YYYY-MM-DD` answers as the record stood that day (the year in progress "on record so far").

    Also at `/stats/yearly.csv`, and drawn as a chart at `/stats/yearly.svg` (`?lang=uk` for Ukrainian).
    `exchanges` is null where no source gives the year's count on one basis.
    """
    if year_from is not None and year_to is not None and year_from > year_to:
        raise bad_parameter("year_to", f"{year_to} is before year_from {year_from}", "a year >= year_from")
    rows = [r for r in record.yearly_rows(as_of, rep.lang) if (year_from or r.year) <= r.year <= (year_to or r.year)]
    envelope = YearlyList(data=rows, meta=Meta(as_of=as_of or record.dataset.as_of))
    return respond(rep, envelope, "yearly", chart=lambda lang: charts.yearly_chart(rows, lang))


@data_route(router, "/yearly/{year}", response_model=YearlyOne, summary="One year's total")
async def one_year(record: RecordDep, rep: SentenceRep, year: Annotated[int, Path(ge=1, le=9999)]) -> Response:
    """One year's figure with its quote-ready sentence: 404 for a year without figures.
    Also at `/stats/yearly/{year}.csv`."""
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
async def monthly(
    record: RecordDep,
    rep: ChartRep,
    as_of: AsOf,
    year: Annotated[int | None, Query(ge=1, le=9999, description="Months of this calendar year.")] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> Response:
    """One row per calendar month that has events on record: events, people on record (exchanges and
    local swaps), people freed outside exchanges, undisclosed events, exchanges (distinct ordinals)
    and the month's event ids. A month's sum is null, never 0, where all its figures are undisclosed;
    months without events have no row. Also at `/stats/monthly.csv`, and drawn as a column chart at
    `/stats/monthly.svg` (months without events as gaps, months holding undisclosed figures marked)."""
    first, last = date_range(date_from, date_to)
    rows = list(record.months(*EventFilter(year=year, date_from=first, date_to=last, as_of=as_of).bounds()))
    name = "monthly" + (f"-{year}" if year else "")
    envelope = MonthlyList(data=rows, meta=Meta(as_of=as_of or record.dataset.as_of))
    return respond(rep, envelope, name, chart=lambda lang: charts.monthly_chart(rows, lang))


@data_route(router, "/summary", response_model=SummaryOne, summary="Since the full-scale invasion")
async def summary(record: RecordDep, rep: SentenceRep, as_of: AsOf) -> Response:
    """The headline since-invasion total (the Coordination Headquarters' latest, with its date and
    scope) with a quote-ready sentence, the latest total of every other body beside it, and what the
    yearly totals and the event records add up to; `as_of=YYYY-MM-DD` for the record as it stood that
    day. Also at `/stats/summary.csv`."""
    row = record.summary_on(as_of, rep.lang)
    if row is None:
        first = record.totals[0].as_of
        raise ProblemError(404, f"No official total had been published by {as_of}; the first is from {first}.")
    meta = SourcedMeta(as_of=as_of or record.dataset.as_of, source_urls=row.source_urls)
    return respond(rep, SummaryOne(data=row, meta=meta), "summary")


@data_route(
    router,
    "/totals",
    CHART_FORMATS,
    response_model=TotalList,
    summary="Official totals side by side",
    responses=CHART_RESPONSES,
)
async def totals(
    record: RecordDep,
    rep: ChartRep,
    as_of: AsOf,
    publisher: Annotated[
        str | None,
        Query(max_length=40, description="Only this body's totals: a code from `meta.publishers`, e.g. `ombudsman`."),
    ] = None,
    date_from: Annotated[str | None, IsoDate("Totals stated on or after this ISO date (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, IsoDate("Totals stated on or before this ISO date (YYYY-MM-DD).")] = None,
) -> Response:
    """Every official "since 2022" total found, in date order: who stated it, when, what it counts,
    what the event records held by then, and a quote-ready sentence. The bodies count differently;
    none is "the" total. `as_of=YYYY-MM-DD` keeps the totals published by that day.

    Also at `/stats/totals.csv`, and drawn as a step chart, one line per body, at `/stats/totals.svg`."""
    publishers = record.dataset.publishers
    if publisher is not None and publisher not in publishers:
        raise bad_parameter("publisher", f"'{publisher}' is not a publisher", ", ".join(publishers))
    first, last = date_range(date_from, date_to)
    if as_of is not None:
        last = min(last or as_of, as_of)
    rows = [
        r
        for r in record.totals_in(rep.lang)
        if (publisher is None or r.publisher == publisher)
        and (first is None or r.as_of >= first)
        and (last is None or r.as_of <= last)
    ]
    meta = TotalsMeta(as_of=as_of or record.dataset.as_of, publishers=publishers)
    name = "totals" + (f"-{publisher}" if publisher else "")
    envelope = TotalList(data=rows, meta=meta)
    return respond(rep, envelope, name, chart=lambda lang: charts.totals_chart(rows, lang))


@data_route(router, "/reconciliation", response_model=ReconciliationList, summary="Where the records and totals differ")
async def reconciliation(record: RecordDep, rep: SentenceRep) -> Response:
    """Every documented gap between the event records and an official figure, with its size: yearly
    remainders, breaks in the running total, exchange numbers no event carries. The build fails on
    any gap not listed here. Also at `/stats/reconciliation.csv`."""
    envelope = ReconciliationList(data=list(record.reconciliation_in(rep.lang)), meta=Meta(as_of=record.dataset.as_of))
    return respond(rep, envelope, "reconciliation")
