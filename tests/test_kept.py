"""Bodies joined from kept row bytes are byte for byte what serializing the whole envelope gives."""

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app import charts, kept, sentences
from app.db import Dataset
from app.formats import Representation, csv_lines, respond
from app.record import record
from app.schemas import (
    Meta,
    MonthlyList,
    PublishedTotalRow,
    ReconciliationList,
    SourcedMeta,
    SourceList,
    SummaryOne,
    TotalList,
    TotalsMeta,
    YearlyList,
)

Case = tuple[Callable[[Dataset], kept.Kept[Any]], Callable[[Dataset, list[Any]], BaseModel]]
CASES: dict[str, Case] = {
    "yearly": (kept.yearly, lambda d, rows: YearlyList(data=rows, meta=Meta(as_of=d.as_of))),
    "totals": (
        kept.totals,
        lambda d, rows: TotalList(data=rows, meta=TotalsMeta(as_of=d.as_of, publishers=d.publishers)),
    ),
    "summary": (
        kept.summary,
        lambda d, rows: SummaryOne(data=rows[0], meta=SourcedMeta(as_of=d.as_of, source_urls=rows[0].source_urls)),
    ),
    "monthly": (kept.monthly, lambda d, rows: MonthlyList(data=rows, meta=Meta(as_of=d.as_of))),
    "reconciliation": (kept.reconciliation, lambda d, rows: ReconciliationList(data=rows, meta=Meta(as_of=d.as_of))),
    "sources": (kept.sources, lambda d, rows: SourceList(data=rows, meta=Meta(as_of=d.as_of))),
}


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("lang", ["en", "uk"])
@pytest.mark.parametrize("name", CASES)
def test_kept_bytes_equal_the_serialized_envelope(client: TestClient, name: str, lang: str, fmt: str) -> None:
    dataset: Dataset = client.app.state.dataset  # type: ignore[attr-defined]
    kept_list, envelope = CASES[name]
    rep = Representation(fmt, download=False, bom=False, lang=lang)
    rows, rows_as = kept_list(dataset).pick(lambda row: row is not kept_list(dataset).rows[-1] or name == "summary")
    joined = respond(rep, envelope(dataset, rows), name, rows_as=rows_as).body
    if rows and "sentence" in type(rows[0]).model_fields:
        sentences.quoted(rows, lang)
    serialized = respond(rep, envelope(dataset, rows), name).body
    assert joined == serialized
    assert len(rows) >= 1


def _published(row: PublishedTotalRow, day: dt.date, publisher: str | None) -> bool:
    return row.as_of <= day and publisher in (None, row.publisher)


def test_charts_and_bytes_kept_per_subset_are_those_of_that_subset(client: TestClient) -> None:
    """Subsets are kept by their rows' identity: after far more subsets than are kept (evictions) and
    rows made and dropped between them (ids reused), each answer is still its own subset's."""
    dataset: Dataset = client.app.state.dataset  # type: ignore[attr-defined]
    totals, months = kept.totals(dataset), kept.monthly(dataset)
    days = [
        dataset.first_record + dt.timedelta(days=n) for n in range(0, (dataset.as_of - dataset.first_record).days, 3)
    ]
    for rounds in range(2):  # the second round meets evicted and still-kept subsets alike
        for day in days:
            for publisher in (None, *dataset.publishers):
                rows, _ = totals.pick(functools.partial(_published, day=day, publisher=publisher))
                assert totals.chart(rows, charts.totals_chart)("en") == charts.totals_chart(rows, "en"), day
            cut = record(dataset).monthly(day, None if rounds else dataset.as_of)
            assert months.chart(cut, charts.monthly_chart)("uk") == charts.monthly_chart(cut, "uk"), day
            made = [row.model_copy() for row in cut]  # rows made for one request, then dropped
            assert months.chart(made, charts.monthly_chart)("uk") == charts.monthly_chart(made, "uk"), day
            assert months.mixed(made, keep_made=True)("csv", "en") == csv_lines(made), day
            assert months.mixed(made)("json", "uk") == [r.model_dump_json().encode() for r in made], day
    assert len(days) * len(dataset.publishers) > 256  # more subsets than are kept
