"""The editor's path, end to end, on a copy of this repository whose data/ holds the fixture record:
the four edits docs/editing.md describes, then `make test-record` (which runs `make seed db` and then
the data tests, which must pass untouched), then the service on the database it built.

The edits are worked out from the files as they stand, as they would be for any record: the next
exchange after the latest event, a new published total after the latest one.
"""

import csv
import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.repository import VENV, copied, make

pytestmark = pytest.mark.skipif(not (VENV / "bin" / "python").exists(), reason="needs the project's .venv")


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        return list(reader.fieldnames or []), list(reader)


def write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    """Rewrite a data file as a spreadsheet saves it: every row, LF line ends, minimal quoting."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def append(path: Path, row: dict[str, str]) -> None:
    header, rows = read(path)
    write(path, header, [*rows, {name: row.get(name, "") for name in header}])


def next_exchange(data: Path) -> dict[str, str]:
    """A made-up exchange after the latest event, in a year without an official total yet (whose
    events a total would have to account for), numbered one past the highest ordinal."""
    _, events = read(data / "events.csv")
    _, yearly = read(data / "yearly.csv")
    latest = max(dt.date.fromisoformat(row["date"]) for row in events)
    first_open_year = max(int(row["year"]) for row in yearly) + 1
    day = max(latest + dt.timedelta(days=36), dt.date(first_open_year, 1, 20)).isoformat()
    ordinal = max(int(row["exchange_ordinal"]) for row in events if row["exchange_ordinal"]) + 1
    return {
        "id": day,
        "date": day,
        "exchange_ordinal": str(ordinal),
        "kind": "exchange",
        "returned_to_ukraine": "120",
        "evidence": "single_source",
        "note": "A made-up exchange added by the editor's test.",
        "note_uk": "Вигаданий обмін, доданий тестом редактора.",
        "breakdown_note": "The breakdown leaves 30 people unplaced.",
        "breakdown_note_uk": "Розподіл не враховує 30 людей.",
        "source_urls": f"https://example.org/made-up-exchange-{day}",
    }


def edit_as_an_editor(data: Path) -> list[str]:
    """The four edits of the editor's guide; returns the keys of the rows they wrote."""
    event = next_exchange(data)
    append(data / "events.csv", event)
    for category, people in (("armed_forces", "70"), ("national_guard", "20")):
        append(
            data / "breakdown.csv",
            {"event_id": event["id"], "dimension": "service", "category": category, "people": people},
        )
    # Reword a note in both languages, and add a source URL to the earliest event.
    header, events = read(data / "events.csv")
    noted = next(row for row in events if row["note"] and row["note_uk"] and row["id"] != event["id"])
    noted["note"] += " Reworded by the editor's test."
    noted["note_uk"] += " Змінено тестом редактора."
    events[0]["source_urls"] += " | https://example.org/an-earlier-report"
    write(data / "events.csv", header, events)
    # A new published total, after the latest one.
    _, totals = read(data / "published_totals.csv")
    latest = max(totals, key=lambda row: row["as_of"])
    append(
        data / "published_totals.csv",
        {
            **latest,
            "as_of": event["date"],
            "returned_to_ukraine": str(int(latest["returned_to_ukraine"]) + 120),
            "scope_note": "A made-up total added by the editor's test.",
            "scope_note_uk": "Вигаданий підсумок, доданий тестом редактора.",
            "evidence": "single_source",
            "source_urls": f"https://example.org/made-up-total-{event['date']}",
        },
    )
    return [event["id"], noted["id"], events[0]["id"], f"{event['date']}, {latest['publisher']}"]


def test_an_editors_change_builds_serves_and_passes_the_data_tests_untouched(
    fixture_repository: Path, tmp_path: Path
) -> None:
    repository = copied(fixture_repository, tmp_path / "repo")
    written = edit_as_an_editor(repository / "data")
    result = make(repository, "test-record")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "seed.sql written" in result.stdout
    # Every note written in both languages, each pair changed together: no warning names the rows.
    assert [line for line in result.stderr.splitlines() if any(f"({key})" in line for key in written)] == []
    assert " passed" in result.stdout  # the copy's data tests, on its own data/ and seed.sql
    assert f"'{written[0]}'" in (repository / "seed.sql").read_text("utf-8")
    url = f"sqlite:///{repository / 'var' / 'returns.db'}"
    with TestClient(create_app(Settings(database_url=url))) as client:
        events = client.get("/exchanges", params={"year": 2026}).json()
        assert (events["meta"]["total"], events["data"][-1]["id"], events["meta"]["as_of"]) == (
            5,
            written[0],
            written[0],
        )
        year = client.get("/stats/yearly/2026").json()["data"]
        assert (year["recorded_events"], year["on_record_returned_to_ukraine"], year["basis"]) == (
            5,
            779,
            "no_official_total",
        )
        summary = client.get("/stats/summary").json()["data"]
        assert (summary["recorded_events"], summary["on_record_returned_to_ukraine"]) == (84, 6786)
        assert summary["last_recorded_event_id"] == written[0]
        units = client.get(f"/exchanges/{written[0]}/units").json()["meta"]
        assert (units["accounted_for"], units["unattributed"]) == (90, 30)
        event = client.get(f"/exchanges/{written[0]}?lang=uk").json()["data"]
        assert (event["note"], event["notes_in_english"]) == ("Вигаданий обмін, доданий тестом редактора.", [])
        noted = client.get(f"/exchanges/{written[1]}?lang=uk").json()["data"]
        assert noted["note"].endswith(" Змінено тестом редактора.")
        earliest = client.get(f"/exchanges/{written[2]}").json()["data"]
        assert earliest["source_urls"][-1] == "https://example.org/an-earlier-report"
        totals = client.get("/stats/totals", params={"date_from": written[0]}).json()["data"]
        assert [total["scope_note"] for total in totals] == ["A made-up total added by the editor's test."]
