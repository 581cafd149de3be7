"""Bodies joined from kept row bytes are byte for byte what serializing the whole envelope gives."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app import kept, sentences
from app.db import Dataset
from app.formats import Representation, respond
from app.schemas import (
    Meta,
    MonthlyList,
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
