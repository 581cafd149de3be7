"""The model of the data: what every route reads, built once per database file.

SQL (app.queries) loads the base rows: every event's facts in date order, the official yearly
totals, the stated "since 2022" totals, the gaps and the sources. Every figure built from them (a
year's row, the summary, a month, what the records held when a total was stated) is defined once,
here, in Python over those rows, for the whole record or as it stood on a day: the answers that
depend on the file alone are computed when it is opened, the rest per request by the same functions.
Pages of events and breakdowns are read by SQL per request. The record is frozen, and so are its
rows: a sentence, and the notes in the asked language, are filled in on a copy.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from array import array
from collections.abc import Mapping, Sequence
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
from app.sentences import sentence

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


@dataclass(frozen=True)
class Running:
    """Running sums over the events in date order: entry i holds what the first i events add up to, so
    any run of them (a year, a month, the record up to a day) is two look-ups, however many events
    there are. The one definition of "on record": exchanges and local swaps with a figure; releases
    outside exchanges apart; an undisclosed figure adds nothing, and is counted as undisclosed."""

    undisclosed: array[int]
    on_record: array[int]
    on_record_known: array[int]  # how many figures on_record adds up (none: the sum is unknown)
    released: array[int]
    released_known: array[int]
    ordinal: array[int]  # the highest exchange ordinal so far (0: none yet)
    largest: array[int]  # the position of the largest figure so far, the first of equals (-1: none)

    @classmethod
    def of(cls, events: Sequence[EventFact]) -> Running:
        columns: list[array[int]] = [array("q", [0]) for _ in range(6)] + [array("q", [-1])]
        undisclosed, on_record, on_record_known, released, released_known, ordinal, largest = columns
        for position, event in enumerate(events):
            figure, best = event.returned_to_ukraine, largest[-1]
            is_release = event.kind == "release"
            undisclosed.append(undisclosed[-1] + (figure is None))
            on_record.append(on_record[-1] + (figure or 0) * (not is_release))
            on_record_known.append(on_record_known[-1] + (figure is not None and not is_release))
            released.append(released[-1] + (figure or 0) * is_release)
            released_known.append(released_known[-1] + (figure is not None and is_release))
            ordinal.append(max(ordinal[-1], event.exchange_ordinal or 0))
            bigger = figure is not None and (best < 0 or figure > (events[best].returned_to_ukraine or 0))
            largest.append(position if bigger else best)
        return cls(*columns)

    def sums(self, lo: int, hi: int) -> Sums:
        """What events[lo:hi] hold."""
        on_record, released = self.on_record[hi] - self.on_record[lo], self.released[hi] - self.released[lo]
        return Sums(
            hi - lo,
            self.undisclosed[hi] - self.undisclosed[lo],
            on_record if self.on_record_known[hi] > self.on_record_known[lo] else None,
            released if self.released_known[hi] > self.released_known[lo] else None,
        )


# The fields that hold our free-text notes. With `lang=uk` each is served in its Ukrainian version
# (data/, the `*_uk` columns); one with none yet stays English and is named in `notes_in_english`.
NOTE_FIELDS = ("derivation", "remainder_note", "note", "scope_note", "breakdown_note", "returned_to_russia_note")
NESTED_ROWS = ("other_publishers_latest",)  # the fields that hold rows within a row
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def in_language(rows: Sequence[RowT], lang: str, notes: Mapping[str, str], *, quote: bool) -> list[RowT]:
    """Copies of the rows in `lang`: with `quote`, each with its quote-ready sentence (the record
    leaves it empty); with `lang=uk`, each note in its Ukrainian version from `notes` (English note ->
    Ukrainian), and one with none (and no Ukrainian of its own) left English and named in the row's
    `notes_in_english`. Rows nested in a row are done the same way."""
    done = []
    for row in rows:
        update: dict[str, object] = {"sentence": sentence(row, lang)} if quote else {}
        if lang != "en":
            english = []
            for name in NOTE_FIELDS:
                value = getattr(row, name, None)
                if not value:
                    continue
                if value in notes:
                    update[name] = notes[value]
                elif not _CYRILLIC.search(value):  # the code writes its own notes in the asked language
                    english.append(name)
            for name in NESTED_ROWS:
                if nested := getattr(row, name, None):
                    update[name] = in_language(nested, lang, notes, quote=False)
            if "notes_in_english" in type(row).model_fields:
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
    running: Running
    where: Mapping[tuple[str, str], array[int]]  # the positions of the events with each filtered fact
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

    def run(self, first: dt.date | None, last: dt.date | None) -> range:
        """The positions of the events dated from `first` to `last` (either open)."""
        lo = bisect.bisect_left(self.dates, first.isoformat()) if first else 0
        return range(lo, max(lo, self.upto(last)))

    def _groups(self, run: range, width: int) -> dict[str, range]:
        """A run of positions cut into the groups of events whose dates share their first `width`
        characters (4: a year, 7: a month), in date order."""
        groups, lo = {}, run.start
        while lo < run.stop:
            prefix = self.dates[lo][:width]
            hi = bisect.bisect_right(self.dates, prefix, lo, run.stop, key=lambda date: date[:width])
            groups[prefix], lo = range(lo, hi), hi
        return groups

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

    def _in(self, rows: Sequence[RowT], lang: str, *, quote: bool = True) -> list[RowT]:
        """The rows with their sentences (with `quote`) and notes in `lang` (see in_language)."""
        return in_language(rows, lang, self.notes, quote=quote)

    def _yearly(self, day: dt.date | None, lang: str) -> list[YearlyRow]:
        """Every year with an official total or event records, as the record stood on `day` (None: as it
        stands): the events dated by then, and the totals of the years that had ended by then (a
        yearly total is never published before its year ends)."""
        official = {row.year: row for row in self.official if day is None or row.year < day.year}
        # A year in progress already lists the sources its total will have (as the API always has).
        sources = {row.year: row.source_urls for row in self.official}
        by_year = {int(year): run for year, run in self._groups(range(self.upto(day)), 4).items()}
        w = words(lang)
        by = w.gettext(" by {day}").format(day=w.date(day)) if day else ""
        rows: list[YearlyRow] = []
        complete, summed = True, None  # a running total stops at the first year without an official one
        for year in sorted(official.keys() | by_year.keys()):
            total, previous, held = official.get(year), official.get(year - 1), by_year.get(year)
            figures = self.running.sums(held.start, held.stop) if held else Sums(0, 0, None, None)
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
        running, held = self.running, self.upto(day)
        figures = running.sums(0, held)
        first, last = (self.events[0], self.events[held - 1]) if held else (None, None)
        largest = self.events[running.largest[held]] if running.largest[held] >= 0 else None
        return Summary(
            since=INVASION,
            as_of=head.as_of,
            returned_to_ukraine=head.returned_to_ukraine,
            exchanges=running.ordinal[self.upto(head.as_of)] or None,
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
        rows = []
        for month, run in self._groups(self.run(first, last), 7).items():
            held, figures = self.events[run.start : run.stop], self.running.sums(run.start, run.stop)
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
        matching = self._matching(filters)
        ids = [self.events[at].id for at in matching[offset : offset + limit]]
        return len(matching), self._events(ids, lang, filters.as_of)

    def _matching(self, filters: EventFilter) -> Sequence[int]:
        """The positions of the events the filters let through, in date order: a run of dates, cut to
        the events with every asked fact."""
        run = self.run(*filters.bounds())
        runs = []
        for fact in filters.facts():
            positions = self.where.get(fact, array("q"))
            runs.append(positions[bisect.bisect_left(positions, run.start) : bisect.bisect_left(positions, run.stop)])
        if not runs:
            return run
        fewest, *others = sorted(runs, key=len)
        if not others:
            return fewest
        kept = set(fewest).intersection(*others)
        return [at for at in fewest if at in kept]

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
        return self._in([found[event_id] for event_id in ids if event_id in found], lang)

    def breakdown(self, event: ExchangeRow, dimension: Dimension, lang: str) -> tuple[list[UnitRow], UnitsMeta]:
        """An event's breakdown in one dimension, its notes in `lang`, and how many of its people it
        accounts for."""
        rows, meta = queries.breakdown(self.dataset.db, event, dimension, self.dataset.as_of)
        return self._in(rows, lang, quote=False), meta

    def wide_units(self, dimension: Dimension, first: dt.date | None, last: dt.date | None) -> WideUnits:
        """Every event's breakdown from `first` to `last` (either open), one column per category."""
        columns, labels = self.wide_columns.get(dimension, ([], {}))
        return WideUnits(columns, labels, queries.wide_unit_rows(self.dataset.db, first, last, dimension, columns))

    def package_rows(self, resource: str, columns: list[str]) -> list[tuple[Any, ...]]:
        """The rows of one data package resource, in the given columns."""
        return queries.package_rows(self.dataset.db, resource, columns)


def _minus(value: int | None, other: int | None) -> int | None:
    return None if value is None or other is None else value - other


def _stated_totals(
    stated: Sequence[dict[str, Any]], dates: Sequence[str], running: Running
) -> tuple[PublishedTotalRow, ...]:
    """Each stated total beside what the exchanges and local swaps on record held by its date."""
    rows = []
    for total in stated:
        held = running.sums(0, bisect.bisect_right(dates, total["as_of"])).on_record or 0
        rows.append(
            PublishedTotalRow(
                **total,
                on_record_by_then=held,
                difference_from_record=total["returned_to_ukraine"] - held,
                sentence="",
            )
        )
    return tuple(rows)


def _where(events: Sequence[EventFact]) -> dict[tuple[str, str], array[int]]:
    """The positions of the events with each value of each filtered fact (EventFilter.facts)."""
    where: dict[tuple[str, str], array[int]] = {}
    for position, event in enumerate(events):
        for fact in EventFilter(
            mediator=event.mediator, kind=event.kind, agreement=event.agreement, evidence=event.evidence
        ).facts():
            where.setdefault(fact, array("q")).append(position)
    return where


def load_record(dataset: Dataset) -> Record:
    """Read the record of an open, verified dataset, and work out its figures as it stands."""
    db = dataset.db
    events = tuple(queries.event_facts(db))
    dates, running = tuple(event.date for event in events), Running.of(events)
    stage_dates = {key: tuple(dates) for key, dates in queries.exchange_stage_dates(db).items()}
    wide = queries.wide_columns(db)
    base = Record(
        dataset=dataset,
        events=events,
        dates=dates,
        running=running,
        where=MappingProxyType(_where(events)),
        official=tuple(queries.official_years(db)),
        remainder_notes=MappingProxyType(queries.remainder_notes(db)),
        notes=MappingProxyType(queries.note_translations(db)),
        totals=_stated_totals(queries.stated_totals(db), dates, running),
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
            yearly=tuple(base._in(base._yearly(None, lang), lang)),
            totals=tuple(base._in(base.totals, lang)),
            summary=base._in([summary], lang)[0],
            reconciliation=tuple(base._in(base.reconciliation, lang, quote=False)),
        )
        for lang in LANGUAGES
    }
    return dataclasses.replace(base, monthly=base.months(None, None), languages=MappingProxyType(languages))


async def get_record(request: Request) -> Record:
    """The record the app serves (read at start-up)."""
    record: Record = request.app.state.record
    return record


RecordDep = Annotated[Record, Depends(get_record)]
