"""The model of the data: every row a route serves, built once per language when the file is opened.

SQL (app.queries) reads the database once: every event, its breakdowns, the official yearly totals,
the stated "since 2022" totals, the gaps, the sources and the data package's files. Every figure built
from them (a year's row, the summary, a month, what the records held when a total was stated) is
defined once, here, in Python over the events. The rows as the record stands are made when the file
is opened, with their sentences and notes in each language; a request filters and serialises them,
and an `as_of` day's figures are made per request by the same functions. The record is sized for a
few thousand events, where a pass over all of them is cheaper than any index. It is frozen, and so
are its rows: a sentence, and the notes in the asked language, are filled in on a copy.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel

from app import queries, vocabulary
from app.db import Dataset
from app.i18n import LANGUAGES, words
from app.problems import bad_parameter
from app.queries import BreakdownRow, OfficialYear
from app.schemas import (
    Dimension,
    ExchangeRow,
    MonthlyRow,
    OtherTotal,
    PublishedTotalRow,
    ReconciliationRow,
    SourceRow,
    Summary,
    UnitRow,
    UnitsMeta,
    WideUnitRow,
    YearlyRow,
)
from app.sentences import sentence

__all__ = ["EventFilter", "Record", "RecordDep", "WideUnits", "get_record", "load_record"]

HEADLINE_PUBLISHER = "coordination_hq"
RowT = TypeVar("RowT", bound=BaseModel)
KeyT = TypeVar("KeyT", bound=Hashable)
INVASION = dt.date(2022, 2, 24)


@dataclass(frozen=True)
class EventFilter:
    """Which events a list asks for; None leaves a filter off."""

    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    mediator: str | None = None
    kind: str | None = None
    agreement: str | None = None
    evidence: str | None = None
    as_of: dt.date | None = None

    def bounds(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last day of the events the filter lets through (either open): a year is a
        date range, and as_of is a last day."""
        year = self.year
        lower = max(filter(None, [self.date_from, dt.date(year, 1, 1) if year else None]), default=None)
        upper = min(filter(None, [self.date_to, dt.date(year, 12, 31) if year else None, self.as_of]), default=None)
        return lower, upper

    def facts(self) -> dict[str, str]:
        """The filters other than dates, by field, casefolded: a mediator is matched in any case (the
        other fields are codes, in lower case)."""
        asked = {"mediator": self.mediator, "kind": self.kind, "agreement": self.agreement, "evidence": self.evidence}
        return {name: value.casefold() for name, value in asked.items() if value is not None}


@dataclass(frozen=True)
class Sums:
    """What a run of events holds: the sums are None where no figure of theirs is known."""

    events: int
    undisclosed: int
    on_record: int | None  # exchanges and local swaps
    released: int | None  # releases outside any exchange
    largest: ExchangeRow | None  # the event with the largest figure (the first of equals)
    highest_ordinal: int  # the highest exchange number among them (0: none)
    first: ExchangeRow | None
    last: ExchangeRow | None

    @classmethod
    def of(cls, events: Sequence[ExchangeRow]) -> Sums:
        """The one definition of "on record": exchanges and local swaps with a figure; releases outside
        exchanges apart; an undisclosed figure adds nothing, and is counted as undisclosed."""
        undisclosed, on_record, released, largest = 0, None, None, None
        for event in events:
            figure = event.returned_to_ukraine
            if figure is None:
                undisclosed += 1
                continue
            if event.kind == "release":
                released = (released or 0) + figure
            else:
                on_record = (on_record or 0) + figure
            if largest is None or figure > (largest.returned_to_ukraine or 0):
                largest = event
        highest = max((event.exchange_ordinal or 0 for event in events), default=0)
        first, last = (events[0], events[-1]) if events else (None, None)
        return cls(len(events), undisclosed, on_record, released, largest, highest, first, last)

    def __add__(self, later: Sums) -> Sums:
        """What this run and the `later` run after it hold together (as `of` both would say)."""
        mine, theirs = self.largest, later.largest
        bigger = theirs is not None and (
            mine is None or (theirs.returned_to_ukraine or 0) > (mine.returned_to_ukraine or 0)
        )
        return Sums(
            self.events + later.events,
            self.undisclosed + later.undisclosed,
            _plus(self.on_record, later.on_record),
            _plus(self.released, later.released),
            theirs if bigger else mine,
            max(self.highest_ordinal, later.highest_ordinal),
            self.first or later.first,
            later.last or self.last,
        )


NONE_HELD = Sums.of(())


# The fields that hold our free-text notes. With `lang=uk` each is served in its Ukrainian version
# (data/, the `*_uk` columns); one with none yet stays English and is named in `notes_in_english`.
NOTE_FIELDS = ("derivation", "remainder_note", "note", "scope_note", "breakdown_note", "returned_to_russia_note")
NESTED_ROWS = ("other_publishers_latest",)  # the fields that hold rows within a row
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def in_language(rows: Iterable[RowT], lang: str, notes: Mapping[str, str], *, quote: bool) -> list[RowT]:
    """Copies of the rows in `lang`: with `quote`, each with its quote-ready sentence (the record
    leaves it empty); with `lang=uk`, each note in its Ukrainian version from `notes` (English note ->
    Ukrainian), and one with none (and no Ukrainian of its own) left English and named in the row's
    `notes_in_english`. Rows nested in a row are done the same way."""
    done = []
    for row in rows:
        update: dict[str, object] = {"sentence": sentence(row, lang)} if quote else {}
        fields = type(row).model_fields
        if lang != "en":
            english = []
            for name in filter(fields.__contains__, NOTE_FIELDS):
                value = getattr(row, name)
                if not value:
                    continue
                if value in notes:
                    update[name] = notes[value]
                elif not _CYRILLIC.search(value):  # the code writes its own notes in the asked language
                    english.append(name)
            for name in filter(fields.__contains__, NESTED_ROWS):
                update[name] = in_language(getattr(row, name), lang, notes, quote=False)
            if english:  # none is the rows' own default
                update["notes_in_english"] = english
        done.append(row.model_copy(update=update) if update else row)
    return done


@dataclass(frozen=True)
class WideUnits:
    """One dimension's wide breakdown: its columns with their labels, and a row per event."""

    columns: list[str]
    labels: dict[str, dict[str, str]]
    rows: list[WideUnitRow]


@dataclass(frozen=True)
class InLanguage:
    """The record's rows that carry a quote-ready sentence or notes, in one language."""

    yearly: tuple[YearlyRow, ...]
    totals: tuple[PublishedTotalRow, ...]
    summary: Summary
    reconciliation: tuple[ReconciliationRow, ...]
    events: tuple[ExchangeRow, ...]  # as Record.events


@dataclass(frozen=True)
class Record:
    """The dataset's rows, ready to serve, and the figures that depend on the file alone (see the module)."""

    dataset: Dataset
    events: tuple[ExchangeRow, ...]  # in (date, id) order, in English: the `en` rows
    positions: Mapping[str, int]  # each event's place in `events`, by id
    # Each month's events (by "YYYY-MM", in date order), and what each month's and each year's hold.
    months_held: Mapping[str, tuple[ExchangeRow, ...]]
    month_sums: Mapping[str, Sums]
    year_sums: Mapping[int, Sums]
    # The dates of the events of each exchange (or agreement) that came in stages, for `exchange_stages`.
    stage_dates: Mapping[int | str | None, tuple[dt.date, ...]]
    official: tuple[OfficialYear, ...]
    remainder_notes: Mapping[int, str]
    notes: Mapping[str, str]  # each English note's Ukrainian version, where one is written
    totals: tuple[PublishedTotalRow, ...]  # in (as_of, publisher) order, without sentences
    reconciliation: tuple[ReconciliationRow, ...]
    sources: tuple[SourceRow, ...]
    # Each event's breakdown by (event id, dimension), and each category's English and Ukrainian label:
    # a breakdown's few rows are made when asked for (ready, all 2,000 events' would take 14 MB).
    breakdowns: Mapping[tuple[str, str], list[BreakdownRow]]
    categories: Mapping[str, tuple[str, str]]
    wide: Mapping[str, WideUnits]  # each dimension's wide breakdown
    package: Mapping[str, tuple[tuple[Any, ...], ...]]  # each package resource's rows, in its columns
    # The whole record's months, and the rows with a sentence or notes in each language.
    monthly: tuple[MonthlyRow, ...] = ()
    languages: Mapping[str, InLanguage] = dataclasses.field(default_factory=dict)

    def day(self, asked: dt.date | None) -> dt.date | None:
        """An `as_of` day inside the record (None: the record as it stands), or a 400 that says the range
        it covers."""
        if asked is None:
            return None
        first, latest = self.dataset.first_record, self.dataset.as_of
        if not first <= asked <= latest:
            span = f"a date from {first} (the first record) to {latest} (the latest)"
            raise bad_parameter("as_of", f"{asked} is outside the record", span)
        return asked

    def _dated(self, first: dt.date | None, last: dt.date | None) -> list[ExchangeRow]:
        """The events dated from `first` to `last` (either open), in date order."""
        lo, hi = first or dt.date.min, last or dt.date.max
        return [event for event in self.events if lo <= event.date <= hi]

    def _by_year(self, day: dt.date | None) -> dict[int, Sums]:
        """What the events dated by `day` (None: all of them) hold, by year: the years and months before
        its own as summed when the file was opened, its own month from the events dated by then."""
        held = {year: sums for year, sums in self.year_sums.items() if day is None or year < day.year}
        if day is not None:
            month, year = _month_of(day), f"{day:%Y}"
            earlier = [sums for key, sums in self.month_sums.items() if key.startswith(year) and key < month]
            own = [event for event in self.months_held.get(month, ()) if event.date <= day]
            if earlier or own:
                held[day.year] = sum(earlier, NONE_HELD) + Sums.of(own)
        return held

    def _held(self, day: dt.date | None) -> Sums:
        """What the events dated by `day` (None: all of them) hold together."""
        return sum(self._by_year(day).values(), NONE_HELD)

    def yearly_rows(self, day: dt.date | None, lang: str) -> list[YearlyRow]:
        """Every year's row with its sentence in `lang`, as the record stood on `day` (None: as it stands)."""
        if day is None:
            return list(self.languages[lang].yearly)
        return self._in(self._yearly(day, lang), lang)

    def summary_on(self, day: dt.date | None, lang: str) -> Summary | None:
        """The summary with its sentence in `lang` as the record stood on `day` (None: as it stands);
        None before any total was stated."""
        if day is None:
            return self.languages[lang].summary
        summary = self._summary(day)
        return self._in([summary], lang)[0] if summary else None

    def totals_in(self, lang: str) -> tuple[PublishedTotalRow, ...]:
        """Every stated total with its sentence in `lang`."""
        return self.languages[lang].totals

    def reconciliation_in(self, lang: str) -> tuple[ReconciliationRow, ...]:
        """Every documented gap, its note in `lang`."""
        return self.languages[lang].reconciliation

    def _in(self, rows: Iterable[RowT], lang: str, *, quote: bool = True) -> list[RowT]:
        """The rows with their sentences (with `quote`) and notes in `lang` (see in_language)."""
        return in_language(rows, lang, self.notes, quote=quote)

    def _yearly(self, day: dt.date | None, lang: str) -> list[YearlyRow]:
        """Every year with an official total or event records, as the record stood on `day` (None: as it
        stands): the events dated by then, and the totals of the years that had ended by then (a
        yearly total is never published before its year ends)."""
        official = {row.year: row for row in self.official if day is None or row.year < day.year}
        # A year in progress already lists the sources its total will have (as the API always has).
        sources = {row.year: row.source_urls for row in self.official}
        by_year = self._by_year(day)
        w = words(lang)
        by = w.gettext(" by {day}").format(day=w.date(day)) if day else ""
        rows: list[YearlyRow] = []
        complete, summed = True, None  # a running total stops at the first year without an official one
        for year in sorted(official.keys() | by_year.keys()):
            total, previous, held = official.get(year), official.get(year - 1), year in by_year
            figures = by_year.get(year, NONE_HELD)
            returned = total.returned_to_ukraine if total else None
            complete = complete and total is not None
            summed = summed if returned is None else (summed or 0) + returned
            rows.append(
                YearlyRow(
                    year=year,
                    returned_to_ukraine=returned,
                    exchanges=total.exchanges if total else None,
                    basis=total.basis if total else "no_official_total",
                    derivation=total.derivation
                    if total
                    else w.gettext(
                        "No official total for {year} has been published{by}. What the event records hold is "
                        "summed beside it, and is not a total."
                    ).format(year=year, by=by),
                    change_from_previous_year=_minus(returned, previous.returned_to_ukraine if previous else None),
                    cumulative_returned_to_ukraine=summed if complete else None,
                    recorded_events=figures.events,
                    source_urls=sources.get(year, []),
                    events_undisclosed=figures.undisclosed,
                    on_record_returned_to_ukraine=figures.on_record,
                    on_record_released_outside_exchanges=figures.released,
                    unaccounted_remainder=_minus(returned, figures.on_record or 0) if held else None,
                    remainder_note=self.remainder_notes.get(year),
                    publisher=total.publisher if total else None,
                    publisher_label=total.publisher_label if total else None,
                    publisher_label_uk=total.publisher_label_uk if total else None,
                    reported_on=total.reported_on if total else None,
                    sentence="",
                )
            )
        return rows

    def _summary(self, day: dt.date | None) -> Summary | None:
        """The headline since-invasion total as the record stood on `day` (None: as it stands): the
        Coordination Headquarters' latest, every other body's latest beside it, what the yearly totals
        and the event records add up to; None before any total was stated."""
        stated = [row for row in self.totals if day is None or row.as_of <= day]
        if not stated:
            return None
        ours = [row for row in stated if row.publisher == HEADLINE_PUBLISHER]
        head = max(ours or stated, key=lambda row: row.as_of)
        latest = {row.publisher: row for row in stated if row.publisher != head.publisher}  # date order: the last
        others = sorted(latest.values(), key=lambda row: (row.as_of, row.publisher), reverse=True)
        years = [row for row in self.official if day is None or row.year < day.year]
        figures = self._held(day)
        first, last, largest = figures.first, figures.last, figures.largest
        return Summary(
            since=INVASION,
            as_of=head.as_of,
            returned_to_ukraine=head.returned_to_ukraine,
            exchanges=self._held(head.as_of).highest_ordinal or None,
            basis="reported",
            note=head.scope_note,
            first_recorded_event_id=first.id if first else None,
            first_recorded_event_date=first.date if first else None,
            last_recorded_event_id=last.id if last else None,
            last_recorded_event_date=last.date if last else None,
            largest_recorded_event_id=largest.id if largest else None,
            largest_recorded_event_returned_to_ukraine=largest.returned_to_ukraine if largest else None,
            source_urls=head.source_urls,
            publisher=head.publisher,
            publisher_label=head.publisher_label,
            publisher_label_uk=head.publisher_label_uk,
            returned_is_lower_bound=head.returned_is_lower_bound,
            exchanges_stated=head.exchanges,
            exchanges_stated_is_lower_bound=head.exchanges_is_lower_bound,
            evidence=head.evidence,
            other_publishers_latest=[OtherTotal.model_validate(row, from_attributes=True) for row in others],
            yearly_totals_add_up_to=sum(row.returned_to_ukraine or 0 for row in years),
            yearly_totals_through=max((row.year for row in years), default=None),
            on_record_returned_to_ukraine=figures.on_record or 0,
            on_record_released_outside_exchanges=figures.released or 0,
            recorded_events=figures.events,
            events_undisclosed=figures.undisclosed,
            sentence="",
        )

    def months(self, first: dt.date | None, last: dt.date | None) -> tuple[MonthlyRow, ...]:
        """Each calendar month with events from `first` to `last` (either open): what its records
        hold, never a zero for an unknown sum; months without events have no row."""
        if first is None and last is None and self.monthly:
            return self.monthly
        by_month = _grouped(self._dated(first, last), lambda event: _month_of(event.date))
        return tuple(_month(month, held) for month, held in by_month.items())

    def events_page(self, filters: EventFilter, limit: int, offset: int, lang: str) -> tuple[int, list[ExchangeRow]]:
        """How many events the filters let through, and one page of them in date order, each with its
        sentence in `lang` (as of a day: a stage counts its exchange's stages held by then)."""
        matching = self._matching(filters)
        return len(matching), [self._as_of(at, filters.as_of, lang) for at in matching[offset : offset + limit]]

    def _matching(self, filters: EventFilter) -> list[int]:
        """The places in `events` of the events the filters let through, in date order."""
        lo, hi = filters.bounds()
        lo, hi = lo or dt.date.min, hi or dt.date.max
        chosen = [at for at, event in enumerate(self.events) if lo <= event.date <= hi]
        for name, value in filters.facts().items():
            chosen = [at for at in chosen if (held := getattr(self.events[at], name)) and held.casefold() == value]
        return chosen

    def _as_of(self, at: int, day: dt.date | None, lang: str) -> ExchangeRow:
        """The event at `at` in `lang`, as the record stood on `day` (None: as it stands)."""
        event = self.events[at]
        held = _staged(event, self.stage_dates, day)
        return self.languages[lang].events[at] if held is event else self._in([held], lang)[0]

    def event(self, event_id: str, lang: str) -> ExchangeRow | None:
        """One event with its sentence in `lang`, or None."""
        at = self.positions.get(event_id)
        return None if at is None else self.languages[lang].events[at]

    def newest_events(self, count: int, lang: str) -> list[ExchangeRow]:
        """The `count` newest events, newest first, each with its sentence in `lang`."""
        return list(reversed(self.languages[lang].events[-count:]))

    def breakdown(self, event: ExchangeRow, dimension: Dimension, lang: str) -> tuple[list[UnitRow], UnitsMeta]:
        """An event's breakdown in one dimension, its notes in `lang`, and how many of its people it
        accounts for."""
        held = self.breakdowns.get((event.id, dimension), [])
        accounted_for = _accounted_for(held)
        rows = [
            UnitRow(
                unit=row.category,
                label=self.categories[row.category][0],
                label_uk=self.categories[row.category][1],
                people=row.people,
                part_of=row.part_of,
                note=row.note,
            )
            for row in held
        ]
        meta = UnitsMeta(
            as_of=self.dataset.as_of,
            source_urls=event.source_urls,
            exchange_id=event.id,
            dimension=dimension,
            total=event.returned_to_ukraine,
            accounted_for=accounted_for,
            unattributed=_minus(event.returned_to_ukraine, accounted_for),
        )
        return self._in(rows, lang, quote=False), meta

    def wide_units(self, dimension: Dimension, first: dt.date | None, last: dt.date | None) -> WideUnits:
        """Every event's breakdown from `first` to `last` (either open), one column per category."""
        wide, lo, hi = self.wide[dimension], first or dt.date.min, last or dt.date.max
        return WideUnits(wide.columns, wide.labels, [row for row in wide.rows if lo <= row.date <= hi])


def _plus(value: int | None, other: int | None) -> int | None:
    """The sum of two sums, either unknown (None) where no figure of its own is known."""
    return other if value is None else value if other is None else value + other


def _minus(value: int | None, other: int | None) -> int | None:
    """The difference, or None where either figure is unknown."""
    return None if value is None or other is None else value - other


def _grouped(events: Iterable[ExchangeRow], key: Callable[[ExchangeRow], KeyT]) -> dict[KeyT, list[ExchangeRow]]:
    """The events grouped by `key`, each group and the groups in date order."""
    groups: dict[KeyT, list[ExchangeRow]] = {}
    for event in events:
        groups.setdefault(key(event), []).append(event)
    return groups


def _month_of(day: dt.date) -> str:
    """The month a day falls in, as the record keys months: YYYY-MM."""
    return f"{day:%Y-%m}"


def _month(month: str, held: Sequence[ExchangeRow]) -> MonthlyRow:
    """What one month's events hold."""
    figures = Sums.of(held)
    return MonthlyRow(
        month=month,
        recorded_events=figures.events,
        on_record_returned_to_ukraine=figures.on_record,
        on_record_released_outside_exchanges=figures.released,
        events_undisclosed=figures.undisclosed,
        exchanges=len({event.exchange_ordinal for event in held if event.exchange_ordinal is not None}),
        event_ids=[event.id for event in held],
    )


def _stage_key(event: ExchangeRow) -> int | str | None:
    """What ties the stages of one exchange: its ordinal, else its agreement."""
    return event.exchange_ordinal if event.exchange_ordinal is not None else event.agreement


def _staged(
    event: ExchangeRow, stage_dates: Mapping[int | str | None, tuple[dt.date, ...]], day: dt.date | None
) -> ExchangeRow:
    """The event as the record stood on `day` (None: as it stands): a stage counts the stages of its
    exchange held by then (`exchange_stages`); the event itself where that is unchanged."""
    if event.exchange_stage is None:
        return event
    dates = stage_dates[_stage_key(event)]
    held = len(dates) if day is None else sum(date <= day for date in dates)
    return event if held == event.exchange_stages else event.model_copy(update={"exchange_stages": held})


def _accounted_for(breakdown: Iterable[BreakdownRow]) -> int:
    """How many of an event's people its breakdown accounts for: `part_of` rows are inside the others."""
    return sum(row.people for row in breakdown if row.part_of is None)


def _wide(
    events: Sequence[ExchangeRow],
    breakdowns: Mapping[tuple[str, str], list[BreakdownRow]],
    dimension: str,
    labels: dict[str, dict[str, str]],
) -> WideUnits:
    """One dimension's breakdown of every event as a row with a cell per column (`labels`' keys)."""
    columns: list[str] = list(labels)
    rows = []
    for event in events:
        held = breakdowns.get((event.id, dimension), [])
        cells = {
            row.category if row.part_of is None else f"{row.category}_within_{row.part_of}": row.people for row in held
        }
        accounted_for = _accounted_for(held)
        rows.append(
            WideUnitRow(
                id=event.id,
                date=event.date,
                exchange_ordinal=event.exchange_ordinal,
                kind=event.kind,
                people={**dict.fromkeys(columns), **cells},
                total=event.returned_to_ukraine,
                accounted_for=accounted_for,
                unattributed=_minus(event.returned_to_ukraine, accounted_for),
            )
        )
    return WideUnits(columns, labels, rows)


def _events(db: sqlite3.Connection) -> tuple[tuple[ExchangeRow, ...], dict[int | str | None, tuple[dt.date, ...]]]:
    """Every event in date order with its English sentence, each stage counting its exchange's
    stages, and the stages' dates."""
    unstaged = [ExchangeRow(**row, exchange_stages=None, sentence="") for row in queries.events(db)]
    staged = {_stage_key(event) for event in unstaged if event.exchange_stage is not None}
    stage_dates = _grouped((event for event in unstaged if _stage_key(event) in staged), _stage_key)
    dates = {key: tuple(event.date for event in held) for key, held in stage_dates.items()}
    return tuple(in_language((_staged(event, dates, None) for event in unstaged), "en", {}, quote=True)), dates


def _stated_totals(stated: Sequence[dict[str, Any]], events: Sequence[ExchangeRow]) -> tuple[PublishedTotalRow, ...]:
    """Each stated total beside what the exchanges and local swaps on record held by its date."""
    rows = []
    for total in stated:
        day = dt.date.fromisoformat(total["as_of"])
        held = Sums.of([event for event in events if event.date <= day]).on_record or 0
        rows.append(
            PublishedTotalRow(
                **total, on_record_by_then=held, difference_from_record=total["returned_to_ukraine"] - held, sentence=""
            )
        )
    return tuple(rows)


def load_record(dataset: Dataset) -> Record:
    """Read the record of an open, verified dataset, and make its rows as it stands in each language."""
    db = dataset.db
    events, stage_dates = _events(db)
    months = {month: tuple(held) for month, held in _grouped(events, lambda event: _month_of(event.date)).items()}
    month_sums = {month: Sums.of(held) for month, held in months.items()}
    year_sums: dict[int, Sums] = {}
    for month, sums in month_sums.items():  # a year holds what its months hold (Sums add up in date order)
        year_sums[int(month[:4])] = year_sums.get(int(month[:4]), NONE_HELD) + sums
    breakdowns, categories = queries.breakdowns(db), queries.categories(db)
    wide = queries.wide_columns(db)
    base = Record(
        dataset=dataset,
        events=events,
        positions=MappingProxyType({event.id: at for at, event in enumerate(events)}),
        months_held=MappingProxyType(months),
        month_sums=MappingProxyType(month_sums),
        year_sums=MappingProxyType(year_sums),
        stage_dates=MappingProxyType(stage_dates),
        official=tuple(queries.official_years(db)),
        remainder_notes=MappingProxyType(queries.remainder_notes(db)),
        notes=MappingProxyType(queries.note_translations(db)),
        totals=_stated_totals(queries.stated_totals(db), events),
        reconciliation=tuple(queries.reconciliation(db)),
        sources=tuple(queries.sources(db)),
        breakdowns=MappingProxyType(breakdowns),
        categories=MappingProxyType(categories),
        wide=MappingProxyType(
            {
                dimension: _wide(
                    events, breakdowns, dimension, queries.column_labels(categories, wide.get(dimension, []))
                )
                for dimension in vocabulary.codes("breakdown", "dimension")
            }
        ),
        package=MappingProxyType(
            {resource: tuple(queries.package_rows(db, resource)) for resource in vocabulary.TABLES}
        ),
    )
    summary = base._summary(None)
    assert summary is not None  # the data checks require a Coordination Headquarters total
    languages = {
        lang: InLanguage(
            yearly=tuple(base._in(base._yearly(None, lang), lang)),
            totals=tuple(base._in(base.totals, lang)),
            summary=base._in([summary], lang)[0],
            reconciliation=tuple(base._in(base.reconciliation, lang, quote=False)),
            events=events if lang == "en" else tuple(base._in(events, lang)),
        )
        for lang in LANGUAGES
    }
    monthly = tuple(_month(month, held) for month, held in months.items())
    return dataclasses.replace(base, monthly=monthly, languages=MappingProxyType(languages))


async def get_record(request: Request) -> Record:
    """The record the app serves (read at start-up)."""
    record: Record = request.app.state.record
    return record


RecordDep = Annotated[Record, Depends(get_record)]
