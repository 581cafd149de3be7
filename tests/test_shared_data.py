"""The API serves exactly the facts of ../shared/data (skipped where that folder is absent)."""

import csv
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
pytestmark = pytest.mark.skipif(not (SHARED / "events.csv").exists(), reason="../shared/data is not beside the repo")


def _rows(name: str) -> list[dict[str, str]]:
    with (SHARED / name).open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " | ".join(map(str, value))
    return str(value)


def test_every_event_is_served_as_sourced(client: TestClient) -> None:
    served = {row["id"]: row for row in client.get("/exchanges").json()["data"]}
    shared = _rows("events.csv")
    assert sorted(served) == sorted(row["id"] for row in shared)
    for row in shared:
        assert {k: _cell(served[row["id"]][k]) for k in row} == row


def test_every_breakdown_row_is_served_as_sourced(client: TestClient) -> None:
    served = set()
    for event in _rows("events.csv"):
        for dimension in ("service", "rank", "sex"):
            body = client.get(f"/exchanges/{event['id']}/units", params={"dimension": dimension}).json()
            served |= {
                (event["id"], dimension, r["unit"], str(r["people"]), _cell(r["part_of"]), _cell(r["note"]))
                for r in body["data"]
            }
    shared = {
        (r["event_id"], r["dimension"], r["category"], r["people"], r["part_of"], r["note"])
        for r in _rows("breakdown.csv")
    }
    assert served == shared


def test_every_yearly_figure_is_served_as_sourced(client: TestClient) -> None:
    served = {str(row["year"]): row for row in client.get("/stats/yearly").json()["data"]}
    for row in _rows("yearly.csv"):
        got = served[row["year"]]
        assert (
            str(got["returned_to_ukraine"]),
            _cell(got["exchanges"]),
            got["basis"],
            _cell(got["source_urls"]),
        ) == (row["returned_to_ukraine"], row["exchanges"], row["basis"], row["source_urls"])
