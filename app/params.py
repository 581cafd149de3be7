"""Every route's query parameters as one pydantic model, validated once by FastAPI
(`Annotated[Model, Query()]`): a parameter the model does not name is refused with the names it does,
a date is a calendar date, a range runs forwards. What depends on the served record (an `as_of` day
inside it) is checked by the record."""

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self
from urllib.parse import urlencode

from fastapi import Request
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from app import i18n, vocabulary
from app.headers import Asked
from app.schemas import Agreement, Dimension, Evidence, Kind

MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def asked(request: Request) -> Asked:
    """The one parse of the request (app.headers), made by the HTTP layer before routing."""
    parsed = request.state.asked
    assert isinstance(parsed, Asked), "the app runs behind app.http.HttpLayer, which parses each request"
    return parsed


def _day(value: Any) -> Any:
    """A YYYY-MM-DD parameter as the date it names; pydantic alone would also take `0` as 1970-01-01."""
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value)
    if not re.match(DATE_PATTERN, text):
        raise PydanticCustomError(
            "string_pattern_mismatch", "String should match pattern '{pattern}'", {"pattern": DATE_PATTERN}
        )
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PydanticCustomError(
            "calendar_date", "'{value}' is not a calendar date", {"value": text, "allowed": "an ISO date, YYYY-MM-DD"}
        ) from None


# An optional date parameter: exactly YYYY-MM-DD, and a day the calendar has.
Day = Annotated[dt.date | None, BeforeValidator(_day), Field(json_schema_extra={"pattern": DATE_PATTERN})]


def _out_of_order(name: str, later: object, other: str, earlier: object, what: str) -> PydanticCustomError:
    return PydanticCustomError(
        "out_of_order",
        "{later} is before {other} {earlier}",
        {"name": name, "later": str(later), "other": other, "earlier": str(earlier), "allowed": f"a {what} >= {other}"},
    )


class QueryModel(BaseModel):
    """A route's query parameters. One the model does not name is refused, naming those it does (a typo
    such as `?yaer=2024` must not silently answer with every year)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _only_known(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            names = {field.alias or name for name, field in cls.model_fields.items()}
            for name in data:
                if name not in names:
                    allowed = ", ".join(sorted(names)) or "no query parameters"
                    raise PydanticCustomError(
                        "unknown_parameter", "unknown parameter", {"name": name, "allowed": allowed}
                    )
        return data


class NoQuery(QueryModel):
    """A route that takes no query parameters."""


FORMAT_HELP = "the same as a suffix such as `.csv` or an Accept header such as `text/csv`."


def _format(*offered: str) -> Any:
    """The `format` parameter of a route that offers these formats, JSON first and by default."""
    listed = ", ".join(f"`{fmt}`" for fmt in offered[:-1]) + f" or `{offered[-1]}`"
    described = f"{listed} (default json); {FORMAT_HELP}"
    return Field(max_length=10, description=described, json_schema_extra={"enum": [*offered]})


Download = Annotated[bool, Field(description="`1`: send as an attachment with a file name, for saving.")]
Bom = Annotated[bool, Field(description="`1`: start CSV with a UTF-8 byte-order mark, for Excel.")]
Lang = Annotated[
    Literal["en", "uk"] | None,
    Field(description="Language of the page, chart or sentences: `en` or `uk` (default: Accept-Language, else en)."),
]


class Table(QueryModel):
    """A data route: JSON or CSV (an unknown format answers 406 with what is offered, not 400)."""

    format: Annotated[str | None, _format("json", "csv")] = None
    download: Download = False
    bom: Bom = False


class Chart(Table):
    """A data route that also draws its data as an SVG chart."""

    format: Annotated[str | None, _format("json", "csv", "svg")] = None


class Languaged(QueryModel):
    """An answer in the asked language: rows with a quote-ready sentence or notes, a page, the feed."""

    lang: Lang = None

    def language(self, request: Request) -> str:
        """The language asked for: `?lang=`, else the Accept-Language header, else English."""
        return i18n.language(self.lang, asked(request).language)


class Dated(QueryModel):
    """The record as it stood on a day."""

    as_of: Day = Field(
        None,
        description="The record as it stood on this day (YYYY-MM-DD): events dated on or before it, totals "
        "published on or before it, the year's own official total only once the year has ended.",
    )


class Span(QueryModel):
    """A range of dates, either end open; it runs forwards."""

    date_from: Day = Field(None, description="On or after this ISO date (YYYY-MM-DD).")
    date_to: Day = Field(None, description="On or before this ISO date (YYYY-MM-DD).")

    @model_validator(mode="after")
    def _forwards(self) -> Self:
        if self.date_from is not None and self.date_to is not None and self.date_to < self.date_from:
            raise _out_of_order("date_to", self.date_to, "date_from", self.date_from, "date")
        return self


Year = Annotated[int | None, Field(ge=1, le=9999, description="Only this calendar year.")]
DimensionParam = Annotated[Dimension, Field(description=vocabulary.description("breakdown", "dimension"))]


class YearlyQuery(Chart, Languaged, Dated):
    year_from: Annotated[int | None, Field(ge=2022, le=9999, description="First year to include.")] = None
    year_to: Annotated[int | None, Field(ge=2022, le=9999, description="Last year to include.")] = None

    @model_validator(mode="after")
    def _forwards(self) -> Self:
        if self.year_from is not None and self.year_to is not None and self.year_to < self.year_from:
            raise _out_of_order("year_to", self.year_to, "year_from", self.year_from, "year")
        return self


class OneRowQuery(Table, Languaged):
    """One row (or the whole of a short table) with its sentence or notes."""


class SummaryQuery(Table, Languaged, Dated):
    pass


class MonthlyQuery(Chart, Languaged, Dated, Span):
    year: Year = None


class TotalsQuery(Chart, Languaged, Dated, Span):
    publisher: Annotated[
        str | None, Field(max_length=40, description="Only this body's totals: a code from `meta.publishers`.")
    ] = None


class ExchangesQuery(Chart, Languaged, Dated, Span):
    year: Year = None
    mediator: Annotated[str | None, Field(max_length=100, description="Credited mediator, case-insensitive.")] = None
    kind: Kind | None = Field(None, description=vocabulary.description("events", "kind"))
    agreement: Agreement | None = Field(None, description=vocabulary.description("events", "agreement"))
    evidence: Evidence | None = Field(None, description=vocabulary.description("events", "evidence"))
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT, description=f"Rows per page, 1 to {MAX_LIMIT}.")] = 100
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET, description="Rows to skip before the page.")] = 0


class WideUnitsQuery(Table, Span):
    year: Year = None
    dimension: DimensionParam = "service"


class UnitsQuery(Chart, Languaged):
    dimension: DimensionParam = "service"


class PageQuery(Languaged):
    year: Annotated[
        int | None, Field(ge=1, le=9999, description="The page's timeline year (default: the latest with events).")
    ] = None


class FeedQuery(Languaged):
    entries: Annotated[int, Field(ge=1, le=200, description="How many entries, newest first (1 to 200).")] = 50


def paging_headers(request: Request, total: int, limit: int, offset: int) -> dict[str, str]:
    """`Link` (first, prev, next, last) and `X-Total-Count` for one page of a list.

    Links are relative so a response cached for one host name is right for every other.
    """
    path = request.url.path
    kept = urlencode([(k, v) for k, v in request.query_params.multi_items() if k not in ("limit", "offset")])
    start = f"<{path}?{kept}&" if kept else f"<{path}?"

    def link(page_offset: int, rel: str) -> str:
        return f'{start}limit={limit}&offset={page_offset}>; rel="{rel}"'

    last = max(0, (total - 1) // limit * limit)
    links = [link(0, "first")]
    if offset > 0:
        links.append(link(max(0, min(offset - limit, last)), "prev"))
    if offset + limit < total:
        links.append(link(offset + limit, "next"))
    links.append(link(last, "last"))
    return {"Link": ", ".join(links), "X-Total-Count": str(total)}
