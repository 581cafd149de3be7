"""Query parameters shared by routes: the unknown-parameter guard, dates and paging."""

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from fastapi.routing import APIRoute

from app.problems import bad_parameter

MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Rows per page, 1 to {MAX_LIMIT}.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip before the page.")]


def IsoDate(description: str) -> Any:  # noqa: N802 - used like the Query() it returns
    """A date query parameter: exactly YYYY-MM-DD (pydantic alone would also take `0` as 1970-01-01)."""
    return Query(description=description, pattern=r"^\d{4}-\d{2}-\d{2}$", json_schema_extra={"format": "date"})


def iso_date(name: str, value: str | None) -> dt.date | None:
    """The date a YYYY-MM-DD parameter names, or a 400 for an impossible one such as 2024-02-30."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise bad_parameter(name, f"'{value}' is not a calendar date", "an ISO date, YYYY-MM-DD") from None


async def record_as_of(
    request: Request,
    as_of: Annotated[
        str | None,
        IsoDate(
            "The record as it stood on this day (YYYY-MM-DD): events dated on or before it, totals published "
            "on or before it, the year's own official total only once the year has ended."
        ),
    ] = None,
) -> dt.date | None:
    """The `as_of` day asked for, or a 400 that says the range the record covers."""
    day = iso_date("as_of", as_of)
    if day is None:
        return None
    dataset = request.app.state.dataset
    if not dataset.first_record <= day <= dataset.as_of:
        span = f"a date from {dataset.first_record} (the first record) to {dataset.as_of} (the latest)"
        raise bad_parameter("as_of", f"{day} is outside the record", span)
    return day


AsOf = Annotated[dt.date | None, Depends(record_as_of)]


def date_range(date_from: str | None, date_to: str | None) -> tuple[dt.date | None, dt.date | None]:
    """The dates of a `date_from`/`date_to` pair, or a 400 for an impossible or reversed one."""
    first, last = iso_date("date_from", date_from), iso_date("date_to", date_to)
    if first and last and first > last:
        raise bad_parameter("date_to", f"{last} is before date_from {first}", "a date >= date_from")
    return first, last


def _query_names(dependant: Any) -> set[str]:
    """The query parameters a route's dependency tree takes (FastAPI's `route.dependant`)."""
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def reject_unknown_parameters(request: Request) -> None:
    """400 for a query parameter the route does not take, or one given twice.

    A typo such as `?yaer=2024` must not silently answer with every year.
    """
    if not request.scope["query_string"]:
        return
    route = request.scope.get("route")
    accepted = _query_names(route.dependant) if isinstance(route, APIRoute) else set()
    seen: set[str] = set()
    for name, _ in request.query_params.multi_items():
        if name not in accepted:
            raise bad_parameter(name, "unknown parameter", ", ".join(sorted(accepted)) or "no query parameters")
        if name in seen:
            raise bad_parameter(name, "given more than once", "a single value")
        seen.add(name)


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
