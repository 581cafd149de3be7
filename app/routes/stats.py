"""Yearly totals and the since-invasion summary."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from starlette.responses import Response

from app import charts, queries
from app.db import DatasetDep, SessionDep
from app.formats import Representation, chart_representation, representation, respond
from app.openapi import CHART_RESPONSES, DATA_RESPONSES
from app.problems import ProblemError, bad_parameter
from app.schemas import Meta, SourcedMeta, SummaryOne, YearlyList, YearlyOne

router = APIRouter(prefix="/stats", tags=["stats"], responses=DATA_RESPONSES)
Rep = Annotated[Representation, Depends(representation)]
ChartRep = Annotated[Representation, Depends(chart_representation)]
Year = Annotated[int | None, Query(ge=2022, le=9999, description="First year to include.")]
YearTo = Annotated[int | None, Query(ge=2022, le=9999, description="Last year to include.")]


@router.get("/yearly", response_model=YearlyList, summary="Yearly totals", responses=CHART_RESPONSES)
def yearly(
    session: SessionDep, dataset: DatasetDep, rep: ChartRep, year_from: Year = None, year_to: YearTo = None
) -> Response:
    """People returned to Ukraine per calendar year, reported or derived, with sources.

    Also at `/stats/yearly.csv`, and drawn as a chart at `/stats/yearly.svg` (`?lang=uk` for Ukrainian).
    `exchanges` is null where no source gives the year's count.
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
def summary(session: SessionDep, rep: Rep) -> Response:
    """People returned and exchanges held since 24 Feb 2022, with the first, last and largest
    recorded events. Also at `/stats/summary.csv`."""
    row = queries.summary(session)
    meta = SourcedMeta(as_of=row.as_of, source_urls=row.source_urls)
    return respond(rep, SummaryOne(data=row, meta=meta), "summary")
