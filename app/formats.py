"""The renderer: the representation a request asks for (format and language), chosen by
`representation` in each route, and the bytes of it: JSON by pydantic, CSV by the csv module, SVG
by app.charts.

A data route is registered at its path and at `path.csv` (and `path.svg` where it draws a chart):
the suffix is a route of its own, so the router, not the HTTP layer, maps it to a format.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, get_args

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.responses import Response

from app.headers import MEDIA
from app.params import Languaged, Table, asked
from app.problems import bad_parameter

MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "svg": "image/svg+xml",
    "html": "text/html; charset=utf-8",
    "text": "text/plain; charset=utf-8",
}
DATA_FORMATS = ("json", "csv")
CHART_FORMATS = ("json", "csv", "svg")
SUFFIXES = ("csv", "svg")
LIST_SEPARATOR = " | "
# Every CSV points at the package that describes its columns (relative, so one cached copy fits every host).
DESCRIBED_BY = '</datapackage.json>; rel="describedby"'

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def data_route(
    router: APIRouter, path: str, formats: tuple[str, ...] = DATA_FORMATS, **options: Any
) -> Callable[[Endpoint], Endpoint]:
    """Register a GET route at `path` and at `path.csv` and `path.svg` (the suffixed paths first, so
    that `/exchanges/2024-12-30.csv` is not read as an id). A suffix the route does not offer is
    routed too, to answer 406 with what is offered, and left out of the OpenAPI schema."""

    def register(endpoint: Endpoint) -> Endpoint:
        for suffix in SUFFIXES:
            shown = options.get("include_in_schema", True) and suffix in formats
            router.add_api_route(
                f"{path}.{suffix}", endpoint, methods=["GET"], **{**options, "include_in_schema": shown}
            )
        router.add_api_route(path, endpoint, methods=["GET"], **options)
        return endpoint

    return register


def path_suffix(request: Request) -> str | None:
    """The format a suffixed route stands for (`/stats/yearly.csv`: csv), else None."""
    route = request.scope.get("route")
    last = getattr(route, "path", "").rpartition("/")[2]
    return last.rpartition(".")[2] if "." in last else None


@dataclass(frozen=True)
class Representation:
    """What the client asked for: a format, how CSV should be delivered, and the language."""

    format: str
    download: bool
    bom: bool
    lang: str = "en"


def negotiate(request: Request, asked_format: str | None, offered: tuple[str, ...] = DATA_FORMATS) -> str:
    """Choose the format: the path's suffix first, then `?format=`, then the Accept header (as parsed
    once, app.headers: the offered format it ranks highest; ties go to the first offered)."""
    suffix = path_suffix(request)
    if suffix and asked_format is not None and asked_format != suffix:
        if asked_format in offered:
            raise bad_parameter("format", f"'{asked_format}' contradicts the path's .{suffix} suffix", suffix)
        raise bad_parameter("format", f"'{asked_format[:20]}' is not offered here", suffix, status=406)
    chosen = suffix or asked_format
    if chosen is not None:
        if chosen not in offered:
            raise bad_parameter("format", f"'{chosen[:20]}' is not offered here", ", ".join(offered), status=406)
        return chosen
    parsed = asked(request)
    quality, best = max((parsed.quality(fmt), -i) for i, fmt in enumerate(offered))
    if quality <= 0:
        allowed = ", ".join(MEDIA[f] for f in offered)
        raise bad_parameter("Accept", f"none of '{parsed.accept[:200]}' is offered here", allowed, "header", 406)
    return offered[-best]


def representation(request: Request, query: Table, offered: tuple[str, ...] = DATA_FORMATS) -> Representation:
    """The one validated representation of a data route's answer: its format (suffix, `?format=`,
    Accept), how CSV is delivered, and the language (`?lang=`, Accept-Language) where it has one."""
    lang = query.language(request) if isinstance(query, Languaged) else "en"
    return Representation(negotiate(request, query.format, offered), query.download, query.bom, lang)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):  # objects in a list (other bodies' totals) as compact JSON, one per item
        return LIST_SEPARATOR.join(
            json.dumps(item, ensure_ascii=False, separators=(",", ":")) if isinstance(item, dict) else str(item)
            for item in value
        )
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def json_document(content: Any, headers: dict[str, str] | None = None) -> Response:
    """A JSON document that is not an envelope of response models (the data package, the API index,
    the health check): compact UTF-8, as the envelopes are written."""
    body = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
    return Response(body, media_type=MEDIA_TYPES["json"], headers=headers)


def html_document(html: str, headers: dict[str, str] | None = None) -> Response:
    """A page for browsers."""
    return Response(html.encode(), media_type=MEDIA_TYPES["html"], headers=headers)


def text_document(text: bytes, headers: dict[str, str] | None = None) -> Response:
    """Plain UTF-8 text (the reporter's guide, Markdown read as it is)."""
    return Response(text, media_type=MEDIA_TYPES["text"], headers=headers)


def csv_table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """RFC 4180 CSV (CRLF line ends, UTF-8): a header row, then one line per row; null is empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode()


def _columns(envelope: BaseModel) -> list[str]:
    """The field names of the rows an envelope's `data` holds."""
    annotation = type(envelope).model_fields["data"].annotation
    model = get_args(annotation)[0] if get_args(annotation) else annotation
    assert isinstance(model, type) and issubclass(model, BaseModel)
    return list(model.model_fields)


def table_response(rep: Representation, filename: str, table: bytes, headers: dict[str, str] | None = None) -> Response:
    """A CSV table as every CSV is delivered: BOM and download on request, described by the package
    (beside the route's own `headers`, such as its paging links)."""
    headers = dict(headers or {})
    headers["Link"] = ", ".join(filter(None, [headers.get("Link"), DESCRIBED_BY]))
    if rep.download:
        headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    body = "\ufeff".encode() + table if rep.bom else table
    return Response(body, media_type=MEDIA_TYPES["csv"], headers=headers)


def respond(
    rep: Representation,
    envelope: BaseModel,
    filename: str,
    headers: dict[str, str] | None = None,
    chart: Callable[[str], str] | None = None,
) -> Response:
    """Render an envelope `{data, meta}` as the representation asked for (`chart` draws the SVG);
    rows with a `sentence` or notes come from the record in the asked language."""
    headers = dict(headers or {})
    columns = _columns(envelope)
    data = envelope.data  # type: ignore[attr-defined]
    rows = data if isinstance(data, list) else [data]
    # The body depends on the language (a chart, a sentence, notes): caches must key on it.
    if rep.format == "svg" or "sentence" in columns or "notes_in_english" in columns:
        headers["Vary"] = "Accept-Language"
    if rep.format == "svg" and chart is not None:
        body = chart(rep.lang).encode()
    elif rep.format == "csv":
        cells = ([row[c] for c in columns] for row in (r.model_dump(mode="json") for r in rows))
        return table_response(rep, filename, csv_table(columns, cells), headers)
    else:
        body = envelope.model_dump_json().encode()
    if rep.download:
        headers["Content-Disposition"] = f'attachment; filename="{filename}.{rep.format}"'
    return Response(body, media_type=MEDIA_TYPES[rep.format], headers=headers)
