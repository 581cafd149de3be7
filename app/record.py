"""The model of the data: what every route reads, built once per database file.

SQL (app.queries) loads the base rows: every event's facts in date order, the official yearly
totals, the stated "since 2022" totals, the gaps and the sources. Every figure built from them (a
year's row, the summary, a month, what the records held when a total was stated) is defined once,
here, in Python over those rows, for the whole record or as it stood on a day: the answers that
depend on the file alone are computed when it is opened, the rest per request by the same functions.
Pages of events and breakdowns are read by SQL per request. The record is frozen, and so are its
rows: a sentence, and the notes in the asked language, are filled in on a copy.
"""

import bisect
import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel

from app import queries
from app.db import Dataset
from app.i18n import LANGUAGES, words
from app.problems import bad_parameter
from app.queries import EventFact, EventFilter, OfficialYear
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
from app.sentences import quoted

# EventFilter is how a route asks the record for events; routes read nothing but the record.
__all__ = ["EventFilter", "Record", "RecordDep", "WideUnits", "get_record", "load_record"]

HEADLINE_PUBLISHER = "coordination_hq"
RowT = TypeVar("RowT", bound=BaseModel)
INVASION = dt.date(2022, 2, 24)


@dataclass(frozen=True)
class Sums:
    """What a run of events holds: the sums are None where no figure of theirs is known."""

    events: int
    undisclosed: int
    on_record: int | None  # exchanges and local swaps
    released: int | None  # releases outside any exchange


def sums(events: Iterable[EventFact]) -> Sums:
    """What the events hold: the one definition of "on record"."""
    count = undisclosed = 0
    on_record: int | None = None
    released: int | None = None
    for event in events:
        count += 1
        figure = event.returned_to_ukraine
        if figure is None:
            undisclosed += 1
        elif event.kind == "release":
            released = (released or 0) + figure
        else:
            on_record = (on_record or 0) + figure
    return Sums(count, undisclosed, on_record, released)


# The fields that hold our free-text notes. With `lang=uk` each is served in its Ukrainian version
# (data/, the `*_uk` columns); one with none yet stays English and is named in `notes_in_english`.
NOTE_FIELDS = ("derivation", "remainder_note", "note", "scope_note", "breakdown_note", "returned_to_russia_note")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def in_language(rows: Sequence[RowT], lang: str, notes: Mapping[str, str]) -> list[RowT]:
    """Copies of the rows with their notes in `lang`: `notes` maps each English note to its
    Ukrainian version; a note with none (and no Ukrainian of its own) stays English, named in the
    row's `notes_in_english`. Rows nested in a row (a list of them) are done the same way."""
    if lang == "en":
        return list(rows)
    done = []
    for row in rows:
        update: dict[str, object] = {}
        english = []
        for name, value in row:
            if name in NOTE_FIELDS and isinstance(value, str) and value:
                if value in notes:
                    update[name] = notes[value]
                elif not _CYRILLIC.search(value):  # the code writes its own notes in the asked language
                    english.append(name)
            elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
                update[name] = in_language(value, lang, notes)
        if "notes_in_english" in type(row).model_fields:
            update["notes_in_english"] = english
        done.append(row.model_copy(update=update))
    return done


@dataclass(frozen=True)
class WideUnits:
    """One dimension's wide breakdown: its columns with their labels, and a row per event."""

    columns: list[str]
    labels: dict[str, dict[str, str]]
    rows: list[WideUnitRow]


@dataclass(frozen=True)
class InLanguage:
    """The whole record's rows that carry a quote-ready sentence or notes, in one language."""

    yearly: tuple[YearlyRow, ...]
    totals: tuple[PublishedTotalRow, ...]
    summary: Summary
    reconciliation: tuple[ReconciliationRow, ...]


@dataclass(frozen=True)
class Record:
    """The dataset's base rows and the figures that depend on the file alone (see the module)."""

    dataset: Dataset
    events: tuple[EventFact, ...]  # in (date, id) order
    dates: tuple[str, ...]  # each event's date, for bisecting a day
    official: tuple[OfficialYear, ...]
    remainder_notes: Mapping[int, str]
    notes: Mapping[str, str]  # each English note's Ukrainian version, where one is written
    totals: tuple[PublishedTotalRow, ...]  # in (as_of, publisher) order, without sentences
    reconciliation: tuple[ReconciliationRow, ...]
    sources: tuple[SourceRow, ...]
    # The dates of the events of each exchange (or agreement) that came in stages, for `exchange_stages`.
    stage_dates: Mapping[int | str, tuple[str, ...]]
    # The wide breakdown's columns of each dimension, with their labels.
    wide_columns: Mapping[str, tuple[list[str], dict[str, dict[str, str]]]]
    # The whole record's figures as it stands, made when the file is opened: its months, and the
    # rows with a sentence in each language.
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

    def upto(self, day: dt.date | None) -> int:
        """How many events are dated on or before `day` (None: all of them)."""
        return len(self.dates) if day is None else bisect.bisect_right(self.dates, day.isoformat())

    def yearly_rows(self, day: dt.date | None, lang: str) -> list[YearlyRow]:
        """Every year's row with its sentence in `lang`, as the record stood on `day` (None: as it stands)."""
        if day is None:
            return list(self.languages[lang].yearly)
        return self._in(quoted(self._yearly(day, lang), lang), lang)

    def summary_on(self, day: dt.date | None, lang: str) -> Summary | None:
        """The summary with its sentence in `lang` as the record stood on `day` (None: as it stands);
        None before any total was stated."""
        if day is None:
            return self.languages[lang].summary
        summary = self._summary(day)
        return self._in(quoted([summary], lang), lang)[0] if summary else None

    def totals_in(self, lang: str) -> tuple[PublishedTotalRow, ...]:
        """Every stated total with its sentence in `lang`."""
        return self.languages[lang].totals

    def reconciliation_in(self, lang: str) -> tuple[ReconciliationRow, ...]:
        """Every documented gap, its note in `lang`."""
        return self.languages[lang].reconciliation

    def _in(self, rows: Sequence[RowT], lang: str) -> list[RowT]:
        """The rows with their notes in `lang` (see in_language)."""
        return in_language(rows, lang, self.notes)

    def _yearly(self, day: dt.date | None, lang: str) -> list[YearlyRow]:
        """Every year with an official total or event records, as the record stood on `day` (None: as it
        stands): the events dated by then, and the totals of the years that had ended by then (a
        yearly total is never published before its year ends)."""
        official = {row.year: row for row in self.official if day is None or row.year < day.year}
        # A year in progress already lists the sources its total will have (as the API always has).
        sources = {row.year: row.source_urls for row in self.official}
        by_year: dict[int, list[EventFact]] = {}
        for event in self.events[: self.upto(day)]:
            by_year.setdefault(int(event.date[:4]), []).append(event)
        rows: list[YearlyRow] = []
        complete, summed = True, None  # a running total stops at the first year without an official one
        for year in sorted(official.keys() | by_year.keys()):
            total, previous, held = official.get(year), official.get(year - 1), by_year.get(year)
            figures = sums(held or [])
            returned = total.returned_to_ukraine if total else None
            complete = complete and total is not None
            summed = summed if returned is None else (summed or 0) + returned
            w = words(lang)
            by = w.gettext(" by {day}").format(day=w.date(day)) if day else ""
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
        held = self.events[: self.upto(day)]
        figures = sums(held)
        ordinals = [e.exchange_ordinal for e in held[: self.upto(head.as_of)] if e.exchange_ordinal is not None]
        known = [event for event in held if event.returned_to_ukraine is not None]
        largest = max(known, key=lambda event: event.returned_to_ukraine or 0, default=None)  # the first of equals
        return Summary(
            since=INVASION,
            as_of=head.as_of,
            returned_to_ukraine=head.returned_to_ukraine,
            exchanges=max(ordinals, default=None),
            basis="reported",
            note=head.scope_note,
            first_recorded_event_id=held[0].id if held else None,
            first_recorded_event_date=held[0].date if held else None,
            last_recorded_event_id=held[-1].id if held else None,
            last_recorded_event_date=held[-1].date if held else None,
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
        lo = bisect.bisect_left(self.dates, first.isoformat()) if first else 0
        by_month: dict[str, list[EventFact]] = {}
        for event in self.events[lo : max(lo, self.upto(last))]:
            by_month.setdefault(event.date[:7], []).append(event)
        rows = []
        for month, held in by_month.items():
            figures = sums(held)
            rows.append(
                MonthlyRow(
                    month=month,
                    recorded_events=figures.events,
                    on_record_returned_to_ukraine=figures.on_record,
                    on_record_released_outside_exchanges=figures.released,
                    events_undisclosed=figures.undisclosed,
                    exchanges=len({e.exchange_ordinal for e in held if e.exchange_ordinal is not None}),
                    event_ids=[event.id for event in held],
                )
            )
        return tuple(rows)

    def events_page(self, filters: EventFilter, limit: int, offset: int, lang: str) -> tuple[int, list[ExchangeRow]]:
        """How many events the filters let through, and one page of them in date order, each with its
        sentence in `lang`."""
        total, ids = queries.exchange_ids(self.dataset.db, filters, limit=limit, offset=offset)
        return total, self._events(ids, lang, filters.as_of)

    def event(self, event_id: str, lang: str) -> ExchangeRow | None:
        """One event with its sentence in `lang`, or None."""
        rows = self._events([event_id], lang)
        return rows[0] if rows else None

    def newest_events(self, count: int, lang: str) -> list[ExchangeRow]:
        """The `count` newest events, newest first, each with its sentence in `lang`."""
        return self._events([event.id for event in reversed(self.events[-count:])], lang)

    def _events(self, ids: list[str], lang: str, as_of: dt.date | None = None) -> list[ExchangeRow]:
        """The events of `ids` that exist, in that order (as of a day: the stages held by then)."""
        found = queries.exchange_rows(self.dataset.db, ids, self.stage_dates, as_of)
        return self._in(quoted([found[event_id] for event_id in ids if event_id in found], lang), lang)

    def breakdown(self, event: ExchangeRow, dimension: Dimension, lang: str) -> tuple[list[UnitRow], UnitsMeta]:
        """An event's breakdown in one dimension, its notes in `lang`, and how many of its people it
        accounts for."""
        rows, meta = queries.breakdown(self.dataset.db, event, dimension, self.dataset.as_of)
        return self._in(rows, lang), meta

    def wide_units(self, dimension: Dimension, first: dt.date | None, last: dt.date | None) -> WideUnits:
        """Every event's breakdown from `first` to `last` (either open), one column per category."""
        columns, labels = self.wide_columns.get(dimension, ([], {}))
        filters = EventFilter(date_from=first, date_to=last)
        return WideUnits(columns, labels, queries.wide_unit_rows(self.dataset.db, filters, dimension, columns))

    def package_rows(self, resource: str, columns: list[str]) -> list[tuple[Any, ...]]:
        """The rows of one data package resource, in the given columns."""
        return queries.package_rows(self.dataset.db, resource, columns)


def _minus(value: int | None, other: int | None) -> int | None:
    return None if value is None or other is None else value - other


def _stated_totals(stated: Sequence[dict[str, Any]], events: Sequence[EventFact]) -> tuple[PublishedTotalRow, ...]:
    """Each stated total beside what the exchanges and local swaps on record held by its date (the
    totals come in date order, so the events are summed once, a run between two dates at a time)."""
    dates = [event.date for event in events]
    rows, held, counted = [], 0, 0
    for total in stated:
        upto = bisect.bisect_right(dates, total["as_of"])
        held += sums(events[counted:upto]).on_record or 0
        counted = max(counted, upto)
        rows.append(
            PublishedTotalRow(
                **total,
                on_record_by_then=held,
                difference_from_record=total["returned_to_ukraine"] - held,
                sentence="",
            )
        )
    return tuple(rows)


def load_record(dataset: Dataset) -> Record:
    """Read the record of an open, verified dataset, and work out its figures as it stands."""
    db = dataset.db
    events = tuple(queries.event_facts(db))
    stage_dates = {key: tuple(dates) for key, dates in queries.exchange_stage_dates(db).items()}
    wide = queries.wide_columns(db)
    base = Record(
        dataset=dataset,
        events=events,
        dates=tuple(event.date for event in events),
        official=tuple(queries.official_years(db)),
        remainder_notes=MappingProxyType(queries.remainder_notes(db)),
        notes=MappingProxyType(queries.note_translations(db)),
        totals=_stated_totals(queries.stated_totals(db), events),
        reconciliation=tuple(queries.reconciliation(db)),
        sources=tuple(queries.sources(db)),
        stage_dates=MappingProxyType(stage_dates),
        wide_columns=MappingProxyType(
            {dimension: (columns, queries.column_labels(db, columns)) for dimension, columns in wide.items()}
        ),
    )
    summary = base._summary(None)
    assert summary is not None  # the data checks require a Coordination Headquarters total
    languages = {
        lang: InLanguage(
            yearly=tuple(base._in(quoted(base._yearly(None, lang), lang), lang)),
            totals=tuple(base._in(quoted(base.totals, lang), lang)),
            summary=base._in(quoted([summary], lang), lang)[0],
            reconciliation=tuple(base._in(base.reconciliation, lang)),
        )
        for lang in LANGUAGES
    }
    return dataclasses.replace(base, monthly=base.months(None, None), languages=MappingProxyType(languages))


async def get_record(request: Request) -> Record:
    """The record the app serves (read at start-up)."""
    record: Record = request.app.state.record
    return record


RecordDep = Annotated[Record, Depends(get_record)]
