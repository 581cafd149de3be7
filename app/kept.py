"""Rows that depend on the dataset alone, kept with each row's JSON and CSV bytes per language.

A list such as the yearly figures or the published totals cannot change while a dataset is served,
so its rows, their quote-ready sentences and their serialized bytes are made once; a request picks
its rows (a year range, one publisher) and joins their bytes, with no per-row pydantic round trip.
"""

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from pydantic import BaseModel

from app import queries, sentences
from app.db import Dataset
from app.formats import RowBytes, csv_lines
from app.schemas import MonthlyRow, PublishedTotalRow, ReconciliationRow, SourceRow, Summary, YearlyRow

RowT = TypeVar("RowT", bound=BaseModel)


class Kept(Generic[RowT]):
    """A dataset's rows of one kind, and their bytes in each format and language (made on first use)."""

    def __init__(self, rows: list[RowT]) -> None:
        self.rows = rows
        self._bytes: dict[tuple[str, str], list[bytes]] = {}

    def pick(self, keep: Callable[[RowT], bool]) -> tuple[list[RowT], RowBytes]:
        """The rows `keep` accepts, and a function giving their bytes in a format and language."""
        chosen = [index for index, row in enumerate(self.rows) if keep(row)]
        return [self.rows[index] for index in chosen], self._bytes_of(chosen)

    def all(self) -> tuple[list[RowT], RowBytes]:
        """Every row, and a function giving their bytes in a format and language."""
        return self.rows, self._bytes_of(range(len(self.rows)))

    def _bytes_of(self, chosen: Sequence[int]) -> RowBytes:
        def rendered(fmt: str, lang: str) -> list[bytes]:
            every = self._bytes.get((fmt, lang))
            if every is None:
                every = self._bytes[(fmt, lang)] = self._render(fmt, lang)
            return [every[index] for index in chosen]

        return rendered

    def _render(self, fmt: str, lang: str) -> list[bytes]:
        if self.rows and "sentence" in type(self.rows[0]).model_fields:
            sentences.quoted(self.rows, lang)  # type: ignore[type-var]
        if fmt == "json":
            return [row.model_dump_json().encode() for row in self.rows]
        return csv_lines(self.rows)


# The kept lists, one per kind, shared by the routes, the page and the feed.


def yearly(dataset: Dataset) -> Kept[YearlyRow]:
    """Every year's row (no year range, no as_of)."""
    return dataset.once("yearly", lambda: Kept(queries.yearly_totals(dataset.db, None, None)))


def totals(dataset: Dataset) -> Kept[PublishedTotalRow]:
    """Every published total; each row stands alone, so any filter of them is a pick."""
    return dataset.once("totals", lambda: Kept(queries.totals(dataset.db, None, None, None)))


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
