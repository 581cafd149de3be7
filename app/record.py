"""The model of the data: what every route reads, built once per database file.

Each figure is defined once, in SQL (app.queries). The record holds the answers that depend on the
file alone (the yearly rows, the published totals, the summary, the months, the gaps, the sources),
read when the file is opened; the answers that depend on a request (a day for `as_of`, a page of
events, a breakdown) are the same queries with the request's bounds. The record is frozen, and so are
its rows: a route that adds something to a row (its sentence) makes a copy.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Annotated, Any

from fastapi import Depends, Request

from app import queries
from app.db import Dataset
from app.queries import EventFilter
from app.schemas import (
    Dimension,
    ExchangeRow,
    MonthlyRow,
    PublishedTotalRow,
    ReconciliationRow,
    SourceRow,
    Summary,
    UnitRow,
    UnitsMeta,
    WideUnitRow,
    YearlyRow,
)

# EventFilter is how a route asks the record for events; routes read nothing but the record.
__all__ = ["EventFilter", "Record", "RecordDep", "WideUnits", "get_record", "load_record"]


@dataclass(frozen=True)
class WideUnits:
    """One dimension's wide breakdown: its columns with their labels, and a row per event."""

    columns: list[str]
    labels: dict[str, dict[str, str]]
    rows: list[WideUnitRow]


@dataclass(frozen=True)
class Record:
    """The dataset's figures (see the module's docstring)."""

    dataset: Dataset
    yearly: tuple[YearlyRow, ...]
    totals: tuple[PublishedTotalRow, ...]
    summary: Summary
    monthly: tuple[MonthlyRow, ...]
    reconciliation: tuple[ReconciliationRow, ...]
    sources: tuple[SourceRow, ...]
    # The dates of the events of each exchange (or agreement) that came in stages, for `exchange_stages`.
    stage_dates: Mapping[int | str, tuple[str, ...]]
    # The wide breakdown's columns of each dimension, with their labels.
    wide_columns: Mapping[str, tuple[list[str], dict[str, dict[str, str]]]]

    def yearly_on(self, day: dt.date | None) -> tuple[YearlyRow, ...]:
        """Every year's row, as the record stood on `day` (None: as it stands)."""
        return self.yearly if day is None else tuple(queries.yearly_totals(self.dataset.db, None, None, day))

    def summary_on(self, day: dt.date | None) -> Summary | None:
        """The summary as the record stood on `day` (None: as it stands), or None before any total."""
        return self.summary if day is None else queries.summary(self.dataset.db, day)

    def months(self, first: dt.date | None, last: dt.date | None) -> tuple[MonthlyRow, ...]:
        """Each month with events from `first` to `last` (either open)."""
        if first is None and last is None:
            return self.monthly
        return tuple(queries.monthly(self.dataset.db, EventFilter(date_from=first, date_to=last)))

    def events(self, filters: EventFilter, limit: int, offset: int) -> tuple[int, list[ExchangeRow]]:
        """How many events the filters let through, and one page of them in date order."""
        total, ids = queries.exchange_ids(self.dataset.db, filters, limit=limit, offset=offset)
        return total, self.events_by_id(ids, filters.as_of)

    def events_by_id(self, ids: list[str], as_of: dt.date | None = None) -> list[ExchangeRow]:
        """The events of `ids` that exist, in that order (as of a day: the stages held by then)."""
        found = queries.exchange_rows(self.dataset.db, ids, self.stage_dates, as_of)
        return [found[event_id] for event_id in ids if event_id in found]

    def event(self, event_id: str) -> ExchangeRow | None:
        """One event, or None."""
        rows = self.events_by_id([event_id])
        return rows[0] if rows else None

    def newest_events(self, count: int) -> list[ExchangeRow]:
        """The `count` newest events, newest first."""
        return self.events_by_id(queries.newest_event_ids(self.dataset.db, count))

    def breakdown(self, event: ExchangeRow, dimension: Dimension) -> tuple[list[UnitRow], UnitsMeta]:
        """An event's breakdown in one dimension, and how many of its people it accounts for."""
        return queries.breakdown(self.dataset.db, event, dimension, self.dataset.as_of)

    def wide_units(self, dimension: Dimension, first: dt.date | None, last: dt.date | None) -> WideUnits:
        """Every event's breakdown from `first` to `last` (either open), one column per category."""
        columns, labels = self.wide_columns.get(dimension, ([], {}))
        filters = EventFilter(date_from=first, date_to=last)
        return WideUnits(columns, labels, queries.wide_unit_rows(self.dataset.db, filters, dimension, columns))

    def package_rows(self, resource: str, columns: list[str]) -> list[tuple[Any, ...]]:
        """The rows of one data package resource, in the given columns."""
        return queries.package_rows(self.dataset.db, resource, columns)


def load_record(dataset: Dataset) -> Record:
    """Read the record of an open, verified dataset."""
    db = dataset.db
    summary = queries.summary(db)
    assert summary is not None  # the data checks require a Coordination Headquarters total
    stage_dates = {key: tuple(dates) for key, dates in queries.exchange_stage_dates(db).items()}
    wide = queries.wide_columns(db)
    return Record(
        dataset=dataset,
        yearly=tuple(queries.yearly_totals(db, None, None)),
        totals=tuple(queries.totals(db)),
        summary=summary,
        monthly=tuple(queries.monthly(db, EventFilter())),
        reconciliation=tuple(queries.reconciliation(db)),
        sources=tuple(queries.sources(db)),
        stage_dates=MappingProxyType(stage_dates),
        wide_columns=MappingProxyType(
            {dimension: (columns, queries.column_labels(db, columns)) for dimension, columns in wide.items()}
        ),
    )


async def get_record(request: Request) -> Record:
    """The record the app serves (read at start-up)."""
    record: Record = request.app.state.record
    return record


RecordDep = Annotated[Record, Depends(get_record)]
