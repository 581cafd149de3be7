"""Representations: JSON or CSV chosen by suffix, `?format=` or `Accept`, and their bytes."""

import csv
import functools
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, get_args

from fastapi import Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from app.i18n import LangParam, language
from app.params import given
from app.problems import bad_parameter

MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "svg": "image/svg+xml",
    "html": "text/html; charset=utf-8",
}
DATA_FORMATS = ("json", "csv")
CHART_FORMATS = ("json", "csv", "svg")
LIST_SEPARATOR = " | "
# Every CSV points at the package that describes its columns (relative, so one cached copy fits every host).
DESCRIBED_BY = '</datapackage.json>; rel="describedby"'


@dataclass(frozen=True)
class Representation:
    """What the client asked for: a format, and how CSV should be delivered."""

    format: str
    download: bool
    bom: bool
    lang: str = "en"


def _accepted(accept: str, offered: tuple[str, ...]) -> str | None:
    """The offered format the Accept header prefers (ties go to the first offered), or None."""
    ranges: list[tuple[str, float]] = []
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media.lower(), quality))
    best: tuple[float, str] | None = None
    for fmt in offered:
        full = MEDIA_TYPES[fmt].split(";")[0]
        kind = full.split("/")[0]
        scores = [
            (3 if media == full else 2 if media == f"{kind}/*" else 1, quality)
            for media, quality in ranges
            if media in (full, f"{kind}/*", "*/*")
        ]
        if fmt == "json":  # a client that takes problem+json also takes our JSON
            scores += [(3, q) for media, q in ranges if media == "application/problem+json"]
        if not scores:
            continue
        quality = max(scores)[1]
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, fmt)
    return best[1] if best else None


def negotiate(request: Request, offered: tuple[str, ...] = DATA_FORMATS) -> str:
    """Choose the format: a `.csv` suffix first, then `?format=`, then the Accept header."""
    suffix = request.scope.get("state", {}).get("suffix_format")
    asked = given(request.query_params, "format")
    if suffix and asked and asked != suffix:
        raise bad_parameter("format", f"'{asked}' contradicts the path's .{suffix} suffix", suffix)
    chosen = suffix or asked
    if chosen is not None:
        if chosen not in offered:
            raise bad_parameter("format", f"'{chosen[:20]}' is not offered here", ", ".join(offered), status=406)
        return chosen
    accept = (given(request.headers, "accept") or "").strip()
    if not accept:
        return offered[0]
    chosen = _accepted(accept, offered)
    if chosen is None:
        allowed = ", ".join(MEDIA_TYPES[f].split(";")[0] for f in offered)
        raise bad_parameter("Accept", f"none of '{accept[:200]}' is offered here", allowed, "header", 406)
    return chosen


def _format_param(offered: tuple[str, ...]) -> Any:
    # Documented as an enum; checked by negotiate(), so an unknown value answers 406, not 400.
    return Query(
        description=f"One of {', '.join(offered)} (default json); the same as a suffix such as `.csv` "
        "or an Accept header such as `text/csv`.",
        max_length=10,
        json_schema_extra={"enum": list(offered)},
    )


FormatParam = Annotated[str | None, _format_param(DATA_FORMATS)]
ChartFormatParam = Annotated[str | None, _format_param(CHART_FORMATS)]
Download = Annotated[bool, Query(description="`1`: send as an attachment with a file name, for saving.")]
Bom = Annotated[bool, Query(description="`1`: start CSV with a UTF-8 byte-order mark, for Excel.")]


async def representation(
    request: Request,
    format: FormatParam = None,
    download: Download = False,
    bom: Bom = False,
) -> Representation:
    """The representation dependency that every data route takes."""
    del format  # read by negotiate(), which also honours the suffix and Accept
    return Representation(negotiate(request), download, bom)


async def chart_representation(
    request: Request,
    format: ChartFormatParam = None,
    download: Download = False,
    bom: Bom = False,
    lang: LangParam = None,
) -> Representation:
    """The representation of a route that also draws an SVG chart (`.svg`, `Accept: image/svg+xml`)."""
    del format, lang  # read by negotiate() and language()
    return Representation(negotiate(request, CHART_FORMATS), download, bom, language(request))


async def sentence_representation(
    request: Request,
    format: FormatParam = None,
    download: Download = False,
    bom: Bom = False,
    lang: LangParam = None,
) -> Representation:
    """The representation of a route whose rows carry a quote-ready `sentence` in the asked language."""
    del format, lang  # read by negotiate() and language()
    return Representation(negotiate(request), download, bom, language(request))


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


def csv_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], bom: bool = False) -> bytes:
    """RFC 4180 CSV (CRLF line ends, UTF-8): a header row, then one line per row; null is empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode()


def csv_rows(rows: Iterable[Sequence[Any]]) -> list[bytes]:
    """Each row's CSV line, exactly as csv_table writes it below the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    lines = []
    for row in rows:
        buffer.seek(0)
        buffer.truncate(0)
        writer.writerow([_cell(value) for value in row])
        lines.append(buffer.getvalue().encode())
    return lines


def csv_lines(rows: Sequence[BaseModel]) -> list[bytes]:
    """Each row's CSV line, exactly as csv_bytes writes it below the header."""
    return csv_rows(_cells(rows, list(type(rows[0]).model_fields))) if rows else []


# Where the request's scheme and host go in a body made ahead of the request (the feed, the data
# package): no URL, title or id contains it, and it is replaced before the body is sent.
HOST_MARK = "\x1fhost\x1f"

# The bytes of a response's rows in a format ("json" or "csv") and a language, made ahead of the request.
RowBytes = Callable[[str, str], list[bytes]]


def _cells(rows: Iterable[BaseModel], columns: list[str]) -> Iterable[list[Any]]:
    """Each row's values in `columns`, as its JSON gives them."""
    return ([fields[column] for column in columns] for fields in (row.model_dump(mode="json") for row in rows))


def csv_bytes(rows: list[BaseModel], columns: list[str]) -> bytes:
    """RFC 4180 CSV: a header row equal to the JSON field names, then one line per row."""
    return csv_table(columns, _cells(rows, columns))


@functools.cache
def _csv_header(columns: tuple[str, ...]) -> bytes:
    return csv_table(columns, [])


@functools.cache
def _columns(envelope: type[BaseModel]) -> list[str]:
    """The field names of the rows an envelope type's `data` holds (worked out once per type)."""
    annotation = envelope.model_fields["data"].annotation
    model = get_args(annotation)[0] if get_args(annotation) else annotation
    assert isinstance(model, type) and issubclass(model, BaseModel)
    return list(model.model_fields)


def _csv_rows(envelope: BaseModel) -> tuple[list[BaseModel], list[str]]:
    """The rows of an envelope's `data` (a list or one object) and its columns, in field order."""
    data = envelope.data  # type: ignore[attr-defined]
    return (data if isinstance(data, list) else [data]), _columns(type(envelope))


def table_response(rep: Representation, filename: str, table: bytes) -> Response:
    """A CSV table written by csv_table whose columns a route chose itself (the wide breakdown, a
    package resource), delivered as every other CSV is: BOM and download on request, described by
    the package."""
    headers = {"Link": DESCRIBED_BY}
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
    rows_as: RowBytes | None = None,
) -> Response:
    """Render an envelope `{data, meta}` as the representation asked for (`chart` draws the SVG).

    `rows_as` gives the data rows' bytes made ahead (app.kept): the body is then joined from them,
    byte for byte what serializing the envelope would give."""
    headers = dict(headers or {})
    rows, columns = _csv_rows(envelope)
    if rep.format == "svg" or "sentence" in columns:  # the body depends on the language: caches must key on it
        headers["Vary"] = "Accept-Language"
    if rep.format == "svg" and chart is not None:
        body = chart(rep.lang).encode()
    elif rep.format == "csv":
        if rows_as is None:
            body = csv_bytes(rows, columns)
        else:
            body = b"".join([_csv_header(tuple(columns)), *rows_as("csv", rep.lang)])
        if rep.bom:
            body = "\ufeff".encode() + body
        headers["Link"] = ", ".join(filter(None, [headers.get("Link"), DESCRIBED_BY]))
    elif rows_as is None:
        body = envelope.model_dump_json().encode()
    else:
        data = rows_as("json", rep.lang)
        meta = envelope.meta.model_dump_json().encode()  # type: ignore[attr-defined]
        if isinstance(envelope.data, list):  # type: ignore[attr-defined]
            # One join, so one copy of a large body: the opening goes on the first row, the end on the last.
            parts = list(data)
            if parts:
                parts[0] = b'{"data":[' + parts[0]
                parts[-1] = parts[-1] + b'],"meta":' + meta + b"}"
            body = b",".join(parts) if parts else b'{"data":[],"meta":' + meta + b"}"
        else:
            body = b"".join([b'{"data":', data[0], b',"meta":', meta, b"}"])
    if rep.download:
        headers["Content-Disposition"] = f'attachment; filename="{filename}.{rep.format}"'
    return Response(body, media_type=MEDIA_TYPES[rep.format], headers=headers)
