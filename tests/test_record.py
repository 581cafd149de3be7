"""The in-memory record answers exactly as the SQL does, for every day the record covers."""

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from app import queries
from app.db import Dataset
from app.record import Record, record

QUOTE = {"sentence"}


@pytest.fixture(scope="module")
def dataset(client: TestClient) -> Dataset:
    served: Dataset = client.app.state.dataset  # type: ignore[attr-defined]
    return served


def _days(dataset: Dataset) -> list[dt.date]:
    span = (dataset.as_of - dataset.first_record).days
    return [dataset.first_record + dt.timedelta(days=n) for n in range(span + 1)]


def test_every_day_yearly_and_summary_equal_the_sql(dataset: Dataset) -> None:
    memory = record(dataset)
    days = _days(dataset)
    assert len(days) > 1500
    for day in days:
        sql_rows = queries.yearly_totals(dataset.db, None, None, day)
        # sentences are set when a row is rendered, in the asked language: compare everything else
        ours_rows = [r.model_dump(exclude=QUOTE) for r in memory.yearly(day)]
        assert ours_rows == [r.model_dump(exclude=QUOTE) for r in sql_rows], day
        sql_summary = queries.summary(dataset.db, day)
        ours = memory.summary(day)
        assert (ours and ours.model_dump(exclude=QUOTE)) == (sql_summary and sql_summary.model_dump(exclude=QUOTE)), day


@pytest.mark.parametrize("step", [1, 7, 31])
def test_month_by_month_over_date_ranges_equals_the_sql(dataset: Dataset, step: int) -> None:
    memory = record(dataset)
    days = _days(dataset)
    for first in [None, *days[::97]]:
        for last in [None, *days[:: step * 5]]:
            if first and last and first > last:
                continue
            rows = memory.monthly(first, last)
            sql_rows = queries.monthly(dataset.db, queries.EventFilter(date_from=first, date_to=last))
            assert [r.model_dump() for r in rows] == [r.model_dump() for r in sql_rows], (first, last)


def test_running_sums_are_kept_per_dataset(dataset: Dataset) -> None:
    assert record(dataset) is record(dataset)
    assert isinstance(record(dataset), Record)
    assert record(dataset).sums(0, len(record(dataset).dates)).events == 83


@pytest.mark.parametrize("limit", [1, 7, 100])
def test_pages_of_a_date_range_equal_the_sql(dataset: Dataset, limit: int) -> None:
    memory = record(dataset)
    days = _days(dataset)
    for first in [None, *days[::211]]:
        for last in [None, *days[::173]]:
            for offset in (0, 3, 50, 90):
                ours = memory.page(first, last, limit, offset)
                filters = queries.EventFilter(date_from=first, date_to=last)
                assert ours == queries.exchange_ids(dataset.db, filters, limit=limit, offset=offset), (first, last)


def test_a_summary_kept_per_state_of_the_record_is_that_days_summary(dataset: Dataset) -> None:
    memory = record(dataset)
    states = set()
    for day in _days(dataset):
        made = memory.summary_kept(day).rows
        sql_summary = queries.summary(dataset.db, day)
        ours = made[0].model_dump(exclude=QUOTE) if made else None
        assert ours == (sql_summary.model_dump(exclude=QUOTE) if sql_summary else None), day
        states.add(id(memory.summary_kept(day)))
    assert 50 < len(states) < 400  # far fewer states (97 on the real data) than the 1,537 days
