"""Yearly totals and the since-invasion summary."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from starlette.responses import Response

from app import charts, queries
from app.db import DatasetDep, SessionDep
from app.formats import Representation, chart_representation, representation, respond
from app.openapi import CHART_RESPONSES, DATA_RESPONSES
from app.params import IsoDate, date_range
from app.problems import ProblemError, bad_parameter
from app.schemas import (
    Meta,
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
ChartRep = Annotated[Representation, Depends(chart_representation)]
Year = Annotated[int | None, Query(ge=2022, le=9999, description="First year to include.")]
YearTo = Annotated[int | None, Query(ge=2022, le=9999, description="Last year to include.")]


@router.get("/yearly", response_model=YearlyList, summary="Yearly totals", responses=CHART_RESPONSES)
def yearly(
    session: SessionDep, dataset: DatasetDep, rep: ChartRep, year_from: Year = None, year_to: YearTo = None
) -> Response:
    """People returned to Ukraine per calendar year (reported, derived, or no official total yet),
    with sources, and what the event records hold for each year: events, undisclosed events, the sum
    on record and the unaccounted remainder against the official total.

    Also at `/stats/yearly.csv`, and drawn as a chart at `/stats/yearly.svg` (`?lang=uk` for Ukrainian).
    `exchanges` is null where no source gives the year's count on one basis.
    """
    if year_from is not None and year_to is not None and year_from > year_to:
        raise bad_parameter("year_to", f"{year_to} is before year_from {year_from}", "a year >= year_from")
    rows = queries.yearly_totals(session, year_from, year_to)
    envelope = YearlyList(data=rows, meta=Meta(as_of=dataset.as_of))
    return respond(rep, envelope, "yearly", chart=lambda lang: charts.yearly_chart(rows, lang))


@router.get("/yearly/{year}", response_model=YearlyOne, summary="One year's total")
def one_year(session: SessionDep, dataset: DatasetDep, rep: Rep, year: Annotated[int, Path(ge=1, le=9999)]) -> Response:
    """One year's figure: 404 for a year without figures. Also at `/stats/yearly/{year}.csv`."""
    rows = queries.yearly_totals(session, year, year)
    if not rows:
        years = [row.year for row in queries.yearly_totals(session, None, None)]
        raise ProblemError(404, f"No figures for year {year}; years with figures: {', '.join(map(str, years))}.")
    meta = SourcedMeta(as_of=dataset.as_of, source_urls=rows[0].source_urls)
    return respond(rep, YearlyOne(data=rows[0], meta=meta), f"yearly-{year}")


@router.get("/summary", response_model=SummaryOne, summary="Since the full-scale invasion")
def summary(session: SessionDep, dataset: DatasetDep, rep: Rep) -> Response:
    """The headline since-invasion total (the Coordination Headquarters' latest, with its date and
    scope), the latest total of every other body beside it, and what the yearly totals and the event
    records add up to. Also at `/stats/summary.csv`."""
    row = queries.summary(session)
    meta = SourcedMeta(as_of=dataset.as_of, source_urls=row.source_urls)
    return respond(rep, SummaryOne(data=row, meta=meta), "summary")


@router.get("/totals", response_model=TotalList, summary="Official totals side by side", responses=CHART_RESPONSES)
def totals(
    session: SessionDep,
    dataset: DatasetDep,
    rep: ChartRep,
    publisher: Annotated[
        str | None,
        Query(max_length=40, description="Only this body's totals: a code from `meta.publishers`, e.g. `ombudsman`."),
    ] = None,
    date_from: Annotated[str | None, IsoDate("Totals stated on or after this ISO date (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, IsoDate("Totals stated on or before this ISO date (YYYY-MM-DD).")] = None,
) -> Response:
    """Every official "since 2022" total found, in date order: who stated it, when, what it counts,
    and what the event records held by then. The bodies count differently; none is "the" total.

    Also at `/stats/totals.csv`, and drawn as a step chart, one line per body, at `/stats/totals.svg`."""
    if publisher is not None and publisher not in dataset.publishers:
        raise bad_parameter("publisher", f"'{publisher}' is not a publisher", ", ".join(dataset.publishers))
    first, last = date_range(date_from, date_to)
    rows = queries.totals(session, publisher, first, last)
    meta = TotalsMeta(as_of=dataset.as_of, publishers=dataset.publishers)
    name = "totals" + (f"-{publisher}" if publisher else "")
    return respond(rep, TotalList(data=rows, meta=meta), name, chart=lambda lang: charts.totals_chart(rows, lang))


@router.get("/reconciliation", response_model=ReconciliationList, summary="Where the records and totals differ")
def reconciliation(session: SessionDep, dataset: DatasetDep, rep: Rep) -> Response:
    """Every documented gap between the event records and an official figure, with its size: yearly
    remainders, breaks in the running total, exchange numbers no event carries. The build fails on
    any gap not listed here. Also at `/stats/reconciliation.csv`."""
    envelope = ReconciliationList(data=queries.reconciliation(session), meta=Meta(as_of=dataset.as_of))
    return respond(rep, envelope, "reconciliation")
