"""The record as it stood on a day, and month by month over a date range, from running sums kept in memory.

The SQL in app/queries.py defines every figure; it aggregates every event up to the day on each
request (tens of milliseconds at 100,000 events). Here the events are read once, in date order, with
running sums beside them, so a day or a date range is two binary searches. Years before the day's
year and months wholly inside a range are the dataset's own rows (app.kept); only the year or months
a day or range cuts are computed. tests/test_record.py proves the answers equal the SQL's, row for
row, for every day the record covers.
"""

import bisect
import datetime as dt
import functools
from array import array
from dataclasses import dataclass

from app import kept
from app.cache import Recent
from app.db import Dataset
from app.schemas import MonthlyRow, OtherTotal, PublishedTotalRow, Summary, YearlyRow

HEADLINE_PUBLISHER = "coordination_hq"
NONE = -1  # null in the integer arrays


def _value(number: int) -> int | None:
    return None if number == NONE else number


@dataclass(frozen=True)
class Sums:
    """What the records hold over a run of events: the sums are None where no figure is known."""

    events: int
    undisclosed: int
    on_record: int | None
    released: int | None


class Record:
    """Every event in (date, id) order with running sums, read once per dataset."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self._others: dict[str, OtherTotal] = {}
        self.summaries: Recent[kept.Kept[Summary]] = Recent(256)
        self._months: Recent[MonthlyRow] = Recent(1024)
        self._yearly: Recent[list[YearlyRow]] = Recent(256)
        # kept.totals is in (as_of, publisher) order: the totals published by a day are a prefix of it.
        self.total_dates = [row.as_of.isoformat() for row in kept.totals(dataset).rows]
        # Each event's date, one shared string per distinct day, and what its id adds to the date
        # ("" or "-2": the schema makes every id start with its date): 12 MB fewer at 100,000 events.
        self.dates: list[str] = []
        self.suffixes: list[str] = []
        days: dict[str, str] = {}
        suffixes: dict[str, str] = {}
        # Per event, and running totals before index i at [i] (a run [lo, hi) is [hi] - [lo]), as
        # machine integers: NONE stands for null (figures and ordinals are positive).
        self.returned, self.ordinals = array("q"), array("q")
        self.undisclosed, self.on_record, self.on_record_known, self.released, self.released_known = (
            array("q", [0]) for _ in range(5)
        )
        self.max_ordinal, self.largest = array("q", [NONE]), array("q", [NONE])
        sql = "SELECT id, date, kind, returned_to_ukraine, exchange_ordinal FROM return_event ORDER BY date, id"
        for index, (event_id, day, kind, figure, ordinal) in enumerate(dataset.db.execute(sql)):
            release = kind == "release"
            self.dates.append(days.setdefault(day, day))
            suffix = event_id[len(day) :]
            self.suffixes.append(suffixes.setdefault(suffix, suffix))
            self.returned.append(NONE if figure is None else figure)
            self.ordinals.append(NONE if ordinal is None else ordinal)
            self.undisclosed.append(self.undisclosed[-1] + (figure is None))
            self.on_record.append(self.on_record[-1] + (figure or 0) * (not release))
            self.on_record_known.append(self.on_record_known[-1] + (figure is not None and not release))
            self.released.append(self.released[-1] + (figure or 0) * release)
            self.released_known.append(self.released_known[-1] + (figure is not None and release))
            self.max_ordinal.append(max(self.max_ordinal[-1], NONE if ordinal is None else ordinal))
            best = self.largest[-1]
            better = figure is not None and (best == NONE or figure > self.returned[best])
            self.largest.append(index if better else best)

    def id(self, index: int) -> str:
        """The id of the event at `index`."""
        return self.dates[index] + self.suffixes[index]

    def ids(self, lo: int, hi: int) -> list[str]:
        """The ids of events [lo, hi)."""
        return [day + suffix for day, suffix in zip(self.dates[lo:hi], self.suffixes[lo:hi], strict=True)]

    def upto(self, day: dt.date | str) -> int:
        """How many events are dated on or before `day`."""
        return bisect.bisect_right(self.dates, day if isinstance(day, str) else day.isoformat())

    def since(self, day: dt.date) -> int:
        """How many events are dated before `day`."""
        return bisect.bisect_left(self.dates, day.isoformat())

    def span(self, first: dt.date | None, last: dt.date | None) -> tuple[int, int]:
        """The events [lo, hi) dated from `first` to `last` (either open; empty if last < first)."""
        lo = self.since(first) if first else 0
        hi = self.upto(last) if last else len(self.dates)
        return lo, max(lo, hi)

    def page(self, first: dt.date | None, last: dt.date | None, limit: int, offset: int) -> tuple[int, list[str]]:
        """How many events are dated from `first` to `last` (either open), and one page of their ids."""
        lo, hi = self.span(first, last)
        start = min(hi, lo + offset)
        return hi - lo, self.ids(start, min(hi, start + limit))

    def sums(self, lo: int, hi: int) -> Sums:
        """What events [lo, hi) hold."""
        on_known = self.on_record_known[hi] - self.on_record_known[lo]
        released_known = self.released_known[hi] - self.released_known[lo]
        return Sums(
            hi - lo,
            self.undisclosed[hi] - self.undisclosed[lo],
            self.on_record[hi] - self.on_record[lo] if on_known else None,
            self.released[hi] - self.released[lo] if released_known else None,
        )

    def yearly(self, day: dt.date) -> list[YearlyRow]:
        """Every year's row as the record stood on `day` (queries.yearly_totals with as_of): the same
        row objects for the same day (the most recent 256 days), so their bytes and charts are made
        once for every year range, language and format asked of that day."""
        return self._yearly.get(day, functools.partial(self._yearly_rows, day))

    def _yearly_rows(self, day: dt.date) -> list[YearlyRow]:
        rows: list[YearlyRow] = []
        for row in kept.yearly(self.dataset).rows:
            if row.year < day.year and row.basis == "no_official_total":
                rows.append(row.model_copy(update={"derivation": _no_total(row.year, day)}))
            elif row.year < day.year:
                rows.append(row)
            elif row.year == day.year:
                lo, hi = self.since(dt.date(day.year, 1, 1)), self.upto(day)
                if hi > lo:  # the year's own total is not published before it ends: records only
                    rows.append(_year_so_far(row, day, self.sums(lo, hi)))
        return rows

    def summary_kept(self, day: dt.date) -> "kept.Kept[Summary]":
        """The summary as of `day` with its bytes (empty before any total), kept per state of the record.

        The summary holds no field with the day itself: days with the same totals published, the same
        events recorded and the same year (whose ended years' totals count) give the same row, so each
        such state's row and bytes are made once (the most recent 256 states: ~10 kB each with their
        bytes, and a client walking days revisits the states near the last one)."""
        published = bisect.bisect_right(self.total_dates, day.isoformat())
        state = (published, self.upto(day), day.year)
        return self.summaries.get(state, lambda: kept.Kept([row for row in [self.summary(day)] if row]))

    def summary(self, day: dt.date) -> Summary | None:
        """The summary as the record stood on `day` (queries.summary with as_of), or None before any total."""
        totals = [row for row in kept.totals(self.dataset).rows if row.as_of <= day]
        if not totals:
            return None
        ours = [row for row in totals if row.publisher == HEADLINE_PUBLISHER]
        head = max(ours or totals, key=lambda row: row.as_of)
        latest: dict[str, PublishedTotalRow] = {}
        for row in totals:  # date order: the last one seen per body is its latest
            if row.publisher != head.publisher:
                latest[row.publisher] = row
        others = sorted(latest.values(), key=lambda row: (row.as_of, row.publisher), reverse=True)
        official = [
            r for r in kept.yearly(self.dataset).rows if r.year < day.year and r.returned_to_ukraine is not None
        ]
        hi = self.upto(day)
        sums = self.sums(0, hi)
        largest = _value(self.largest[hi])
        top = self.max_ordinal[self.upto(head.as_of)]
        return Summary(
            since=dt.date(2022, 2, 24),
            as_of=head.as_of,
            returned_to_ukraine=head.returned_to_ukraine,
            exchanges=_value(top),
            basis="reported",
            note=head.scope_note,
            first_recorded_event_id=self.id(0) if hi else None,
            first_recorded_event_date=self.dates[0] if hi else None,
            last_recorded_event_id=self.id(hi - 1) if hi else None,
            last_recorded_event_date=self.dates[hi - 1] if hi else None,
            largest_recorded_event_id=self.id(largest) if largest is not None else None,
            largest_recorded_event_returned_to_ukraine=_value(self.returned[largest]) if largest is not None else None,
            source_urls=head.source_urls,
            publisher=head.publisher,
            publisher_label=head.publisher_label,
            publisher_label_uk=head.publisher_label_uk,
            returned_is_lower_bound=head.returned_is_lower_bound,
            exchanges_stated=head.exchanges,
            exchanges_stated_is_lower_bound=head.exchanges_is_lower_bound,
            evidence=head.evidence,
            other_publishers_latest=[self._other(row) for row in others],
            yearly_totals_add_up_to=sum(r.returned_to_ukraine or 0 for r in official),
            yearly_totals_through=max((r.year for r in official), default=None),
            on_record_returned_to_ukraine=sums.on_record or 0,
            on_record_released_outside_exchanges=sums.released or 0,
            recorded_events=sums.events,
            events_undisclosed=sums.undisclosed,
            sentence="",
        )

    def _other(self, row: PublishedTotalRow) -> OtherTotal:
        """A published total as another body's latest beside the headline (made once per total)."""
        other = self._others.get(row.id)
        if other is None:
            # OtherTotal's fields are the published total's own, under the same names
            other = self._others[row.id] = OtherTotal.model_validate(row, from_attributes=True)
        return other

    def monthly(self, first: dt.date | None, last: dt.date | None) -> list[MonthlyRow]:
        """Each month with events between `first` and `last` (either open): the dataset's own row
        (app.kept) for a whole month, one computed here for a month the range cuts."""
        lo, hi = self.span(first, last)
        whole = self._whole_months
        rows: list[MonthlyRow] = []
        start = lo
        while start < hi:
            month = self.dates[start][:7]
            end = min(hi, bisect.bisect_left(self.dates, month + "-99", start))  # past the month's last day
            own = whole[month]
            rows.append(own if own.recorded_events == end - start else self._cut_month(month, start, end))
            start = end
        return rows

    @functools.cached_property
    def _whole_months(self) -> dict[str, MonthlyRow]:
        """The dataset's own row of each month (app.kept), by month: made once, not per request."""
        return {row.month: row for row in kept.monthly(self.dataset).rows}

    def _cut_month(self, month: str, lo: int, hi: int) -> MonthlyRow:
        """A month the range cuts, as events [lo, hi): the same row object for the same run (the most
        recent 1,024), so its bytes and the charts it is drawn in are made once."""
        return self._months.get((lo, hi), functools.partial(self._month, month, lo, hi))

    def _month(self, month: str, lo: int, hi: int) -> MonthlyRow:
        sums = self.sums(lo, hi)
        ordinals = {ordinal for ordinal in self.ordinals[lo:hi] if ordinal != NONE}
        return MonthlyRow(
            month=month,
            recorded_events=sums.events,
            on_record_returned_to_ukraine=sums.on_record,
            on_record_released_outside_exchanges=sums.released,
            events_undisclosed=sums.undisclosed,
            exchanges=len(ordinals),
            event_ids=self.ids(lo, hi),
        )


def _no_total(year: int, day: dt.date) -> str:
    return (
        f"No official total for {year} has been published by {day.isoformat()}. "
        "The event records are summed in on_record_returned_to_ukraine; they are not a total."
    )


def _year_so_far(row: YearlyRow, day: dt.date, sums: Sums) -> YearlyRow:
    """The year in progress on `day`: its records so far, no official figure; sources and note as kept."""
    return YearlyRow(
        year=row.year,
        returned_to_ukraine=None,
        exchanges=None,
        basis="no_official_total",
        derivation=_no_total(row.year, day),
        change_from_previous_year=None,
        cumulative_returned_to_ukraine=None,
        recorded_events=sums.events,
        source_urls=row.source_urls,
        events_undisclosed=sums.undisclosed,
        on_record_returned_to_ukraine=sums.on_record,
        on_record_released_outside_exchanges=sums.released,
        unaccounted_remainder=None,
        remainder_note=row.remainder_note,
        publisher=None,
        publisher_label=None,
        publisher_label_uk=None,
        reported_on=None,
        sentence="",
    )


def record(dataset: Dataset) -> Record:
    """The dataset's record in memory (read on first use)."""
    return dataset.once("record", lambda: Record(dataset))
