"""The fixture record is the researched originals: served, it gives exactly the facts of ../shared/data
(skipped where that folder is absent). So the exact values the tests of the software assert are the
seeded facts. The notes are not compared: they are our words, and have been edited since (ordinals by
rule, clearer sentences)."""

import csv
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import vocabulary

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
pytestmark = pytest.mark.skipif(not (SHARED / "events.csv").exists(), reason="../shared/data is not beside the repo")


def _rows(name: str) -> list[dict[str, str]]:
    with (SHARED / name).open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


# Free text in our words, edited since the handover: not facts to compare.
NOTES = {"note", "breakdown_note", "returned_to_russia_note", "scope_note", "derivation"}


def _facts(row: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in row.items() if k not in NOTES}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " | ".join(map(str, value))
    return str(value)


def test_every_event_is_served_as_sourced(client: TestClient) -> None:
    served = {row["id"]: row for row in client.get("/exchanges", params={"limit": 1000}).json()["data"]}
    shared = _rows("events.csv")
    assert {row["id"] for row in shared} == set(served)  # the fixture is the snapshot: no event more or less
    for row in shared:
        assert {k: _cell(served[row["id"]][k]) for k in _facts(row)} == _facts(row)


def test_every_breakdown_row_is_served_as_sourced(client: TestClient) -> None:
    served = set()
    for event in _rows("events.csv"):
        for dimension in vocabulary.codes("breakdown", "dimension"):
            body = client.get(f"/exchanges/{event['id']}/units", params={"dimension": dimension}).json()
            served |= {
                (event["id"], dimension, r["unit"], str(r["people"]), _cell(r["part_of"]), _cell(r["note"]))
                for r in body["data"]
            }
    shared = {
        (r["event_id"], r["dimension"], r["category"], r["people"], r["part_of"], r["note"])
        for r in _rows("breakdown.csv")
    }
    assert shared <= served


def test_every_yearly_figure_is_served_as_sourced(client: TestClient) -> None:
    served = {str(row["year"]): row for row in client.get("/stats/yearly").json()["data"]}
    shared = _rows("yearly.csv")
    for row in shared:
        assert {k: _cell(served[row["year"]][k]) for k in _facts(row)} == _facts(row)
    # Every other served year is one without an official total, never an invented one.
    for year in set(served) - {row["year"] for row in shared}:
        assert (served[year]["returned_to_ukraine"], served[year]["basis"]) == (None, "no_official_total")


def test_every_published_total_is_served_as_sourced(client: TestClient) -> None:
    served = {(row["as_of"], row["publisher"]): row for row in client.get("/stats/totals").json()["data"]}
    shared = _rows("published_totals.csv")
    assert {(row["as_of"], row["publisher"]) for row in shared} <= set(served)
    for row in shared:
        assert {k: _cell(served[row["as_of"], row["publisher"]][k]) for k in _facts(row)} == _facts(row)
