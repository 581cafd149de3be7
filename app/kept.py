"""Rows that depend on the dataset alone, kept with each row's JSON and CSV bytes per language.

A list such as the yearly figures or the published totals cannot change while a dataset is served,
so its rows, their quote-ready sentences and their serialized bytes are made once; a request picks
its rows (a year range, one publisher) and joins their bytes, with no per-row pydantic round trip.
"""

import bisect
import datetime as dt
import functools
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

from pydantic import BaseModel

from app import queries, sentences
from app.cache import Recent
from app.db import Dataset
from app.formats import RowBytes, csv_lines, csv_rows
from app.schemas import (
    ExchangeRow,
    MonthlyRow,
    PublishedTotalRow,
    ReconciliationRow,
    SourceRow,
    Summary,
    UnitRow,
    UnitsMeta,
    YearlyRow,
)

if TYPE_CHECKING:
    from app.record import Record

RowT = TypeVar("RowT", bound=BaseModel)


class Kept(Generic[RowT]):
    """A dataset's rows of one kind, and their bytes in each format and language (made on first use)."""

    def __init__(self, rows: list[RowT]) -> None:
        self.rows = rows
        self._bytes: dict[tuple[str, str], list[bytes]] = {}
        self._index = {id(row): index for index, row in enumerate(rows)}
        # Charts of the whole list by language, and of subsets by language and the ids of their rows
        # (each entry holds its rows, so those ids cannot be another row's while it is kept).
        self._whole: dict[str, str] = {}

    @functools.cached_property
    def _charts(self) -> Recent[tuple[list[RowT], str]]:
        return Recent(256)

    @functools.cached_property
    def _others(self) -> Recent["Kept[RowT]"]:
        return Recent(256)

    def pick(self, keep: Callable[[RowT], bool]) -> tuple[list[RowT], RowBytes]:
        """The rows `keep` accepts, and a function giving their bytes in a format and language."""
        chosen = [index for index, row in enumerate(self.rows) if keep(row)]
        return [self.rows[index] for index in chosen], self._bytes_of(chosen)

    def all(self) -> tuple[list[RowT], RowBytes]:
        """Every row, and a function giving their bytes in a format and language."""
        return self.rows, self._bytes_of(range(len(self.rows)))

    def chart(self, rows: list[RowT], draw: Callable[[list[RowT], str], str]) -> Callable[[str], str]:
        """`draw` of `rows` in a language, drawn once for the same rows (these very objects: the kept
        ones, or ones a route keeps itself) and language; each kept list has one chart. The most recent
        256 are kept: a client walking days meets the same subsets again (the totals published by then)."""

        def drawn(lang: str) -> str:
            if len(rows) == len(self.rows) and all(row is own for row, own in zip(rows, self.rows, strict=True)):
                if lang not in self._whole:  # the whole list's chart is kept for good
                    self._whole[lang] = draw(rows, lang)
                return self._whole[lang]
            return self._charts.get((lang, *map(id, rows)), lambda: (rows, draw(rows, lang)))[1]

        return drawn

    def mixed(self, rows: list[RowT], keep_made: bool = False) -> RowBytes:
        """Bytes for rows of which some are kept ones (these very objects) and some made elsewhere.
        With `keep_made` (a route that keeps the rows it makes), the bytes of those are kept too, by
        object (the most recent 256; each entry holds its row, so the id cannot be another row's)."""
        made_rows = [row for row in rows if id(row) not in self._index]
        made_bytes: RowBytes
        if keep_made:
            made_kept = [self._others.get(id(row), functools.partial(Kept, [row])) for row in made_rows]

            def made_bytes(fmt: str, lang: str) -> list[bytes]:
                return [one.encoded(fmt, lang)[0] for one in made_kept]

        else:
            made_bytes = Kept(made_rows).encoded

        def rendered(fmt: str, lang: str) -> list[bytes]:
            every, made, index = self.encoded(fmt, lang), iter(made_bytes(fmt, lang)), self._index
            return [every[index[id(row)]] if id(row) in index else next(made) for row in rows]

        return rendered

    def encoded(self, fmt: str, lang: str) -> list[bytes]:
        """Every row's bytes in a format ("json" or "csv") and a language."""
        every = self._bytes.get((fmt, lang))
        if every is None:
            every = self._bytes[(fmt, lang)] = self._render(fmt, lang)
        return every

    def _bytes_of(self, chosen: Sequence[int]) -> RowBytes:
        def rendered(fmt: str, lang: str) -> list[bytes]:
            every = self.encoded(fmt, lang)
            return [every[index] for index in chosen]

        return rendered

    def _render(self, fmt: str, lang: str) -> list[bytes]:
        if self.rows and "sentence" in type(self.rows[0]).model_fields:
            sentences.quoted(self.rows, lang)  # type: ignore[type-var]
        if fmt == "json":
            return [row.model_dump_json().encode() for row in self.rows]
        return csv_lines(self.rows)


class _Event:
    """One event's row and its bytes per (format, language), made on first use."""

    __slots__ = ("encoded", "row")

    def __init__(self, row: ExchangeRow) -> None:
        self.row = row
        self.encoded: dict[tuple[str, str], bytes] = {}


class EventRows:
    """Events by id, each kept with its bytes per format and language (the last 1,024 read).

    A page of /exchanges is a few ids read from the date index; each event's row, sentence and bytes
    are made once, so a page is joined from them rather than rendered. As of a date, an exchange that
    came in stages counts only the stages held by then, and such a row is made afresh."""

    def __init__(self, dataset: Dataset, keep: int = 1024) -> None:
        self.db = dataset.db
        self.keep = keep
        self.stage_dates = queries.exchange_stage_dates(self.db)
        self.kept: OrderedDict[str, _Event] = OrderedDict()

    def rows(self, ids: list[str], as_of: dt.date | None = None) -> tuple[list[ExchangeRow], RowBytes]:
        """The events of `ids` that exist, in that order, and a function giving their bytes."""
        kept = self.kept
        missing = [event_id for event_id in ids if event_id not in kept]
        if missing:
            for event_id, row in queries.exchange_rows(self.db, missing, self.stage_dates).items():
                kept[event_id] = _Event(row)
        each = [one for event_id in ids if (one := kept.get(event_id)) is not None]
        if as_of is not None:  # as of a date, a staged exchange counts the stages held by then
            each = [self._as_of(one, as_of) if one.row.exchange_stages is not None else one for one in each]
        while len(kept) > self.keep:  # first in, first out: a page re-read costs one query
            kept.popitem(last=False)

        def rendered(fmt: str, lang: str) -> list[bytes]:
            key = (fmt, lang)
            fresh = [one for one in each if key not in one.encoded]
            if fresh:  # rendered together: one pass of sentences and serialization for the page's new rows
                for one, made in zip(fresh, Kept([one.row for one in fresh]).encoded(fmt, lang), strict=True):
                    one.encoded[key] = made
            return [one.encoded[key] for one in each]

        return [one.row for one in each], rendered

    def _as_of(self, one: _Event, as_of: dt.date) -> _Event:
        row = one.row
        key = row.exchange_ordinal if row.exchange_ordinal is not None else row.agreement
        assert key is not None  # a staged event belongs to a numbered exchange or an agreement
        stages = bisect.bisect_right(self.stage_dates[key], as_of.isoformat())
        return one if stages == row.exchange_stages else _Event(row.model_copy(update={"exchange_stages": stages}))


COUNTS = ("total", "accounted_for", "unattributed")  # the wide table's last columns (WideUnitRow.counts)


class WideUnits:
    """One dimension's wide breakdown: its columns and labels, and each event's row as CSV or JSON
    bytes, made one calendar year at a time on first use (the most recent 16 years and formats:
    at 100,000 events the whole table is 17 MB as CSV and 27 MB as JSON, a year under 1 MB)."""

    def __init__(self, dataset: Dataset, dimension: str) -> None:
        self.db = dataset.db
        self.dimension = dimension
        self.columns = queries.wide_columns(self.db, dimension)
        self.labels = queries.column_labels(self.db, self.columns)
        self.header = ["id", "date", "exchange_ordinal", "kind", *self.columns, *COUNTS]
        self._years: Recent[list[bytes]] = Recent(16)

    def lines(self, fmt: str, events: "Record", lo: int, hi: int) -> list[bytes]:
        """The rows of the record's events [lo, hi) in a format: "csv" (a line of the table) or
        "json" (an object), in the record's (date, id) order."""
        made: list[bytes] = []
        if lo >= hi:
            return made
        for year in range(int(events.dates[lo][:4]), int(events.dates[hi - 1][:4]) + 1):
            start = events.since(dt.date(year, 1, 1))
            year_lines = self._years.get((fmt, year), functools.partial(self._year, fmt, year))
            made += year_lines[max(lo - start, 0) : hi - start]
        return made

    def _year(self, fmt: str, year: int) -> list[bytes]:
        rows = queries.wide_unit_rows(self.db, queries.EventFilter(year), self.dimension, self.columns)
        if fmt == "json":
            return [row.model_dump_json().encode() for row in rows]
        return csv_rows(
            [r.id, r.date.isoformat(), r.exchange_ordinal, r.kind, *(r.people[c] for c in self.columns), *r.counts()]
            for r in rows
        )


def wide_units(dataset: Dataset, dimension: str) -> WideUnits:
    """The dataset's wide breakdown in one dimension."""
    return dataset.once(f"wide-{dimension}", lambda: WideUnits(dataset, dimension))


def breakdowns(dataset: Dataset) -> Recent[tuple[Kept[UnitRow], UnitsMeta]]:
    """Events' breakdowns by (event id, dimension), each with its bytes (the most recent 1,024)."""
    return dataset.once("breakdowns", lambda: Recent(1024))


def events(dataset: Dataset) -> EventRows:
    """The dataset's kept events."""
    return dataset.once("events", lambda: EventRows(dataset))


# The kept lists, one per kind, shared by the routes, the page and the feed.


def yearly(dataset: Dataset) -> Kept[YearlyRow]:
    """Every year's row (no year range, no as_of)."""
    return dataset.once("yearly", lambda: Kept(queries.yearly_totals(dataset.db, None, None)))


def totals(dataset: Dataset) -> Kept[PublishedTotalRow]:
    """Every published total; each row stands alone, so any filter of them is a pick."""
    return dataset.once("totals", lambda: Kept(queries.totals(dataset.db)))


def summary(dataset: Dataset) -> Kept[Summary]:
    """The summary as the record stands (one row)."""
    return dataset.once("summary", lambda: Kept([row for row in [queries.summary(dataset.db)] if row is not None]))


def monthly(dataset: Dataset) -> Kept[MonthlyRow]:
    """Every month with events (no filter, no as_of)."""
    return dataset.once("monthly", lambda: Kept(queries.monthly(dataset.db, queries.EventFilter())))


def reconciliation(dataset: Dataset) -> Kept[ReconciliationRow]:
    """Every documented gap."""
    return dataset.once("reconciliation", lambda: Kept(queries.reconciliation(dataset.db)))


def sources(dataset: Dataset) -> Kept[SourceRow]:
    """Every source."""
    return dataset.once("sources", lambda: Kept(queries.sources(dataset.db)))
