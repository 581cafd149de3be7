"""The editor's path, end to end, on a copy of this repository and its real data/: the edits
docs/editing.md describes, `make seed db`, and then the data tests, which must pass untouched.

The edits are worked out from data/ as it stands, so that they fit whatever record it holds: the next
exchange after the latest event, a new published total after the latest one.
"""

import csv
import datetime as dt
from pathlib import Path

import pytest

from tests.repository import VENV, make, repository_copy

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


def test_an_editors_change_builds_serves_and_passes_the_data_tests_untouched(tmp_path: Path) -> None:
    repository = repository_copy(tmp_path / "repo")
    written = edit_as_an_editor(repository / "data")
    result = make(repository, "seed", "db")
    assert result.returncode == 0, result.stderr
    assert "seed.sql written" in result.stdout
    # Every note written in both languages, each pair changed together: no warning names the rows.
    assert [line for line in result.stderr.splitlines() if any(f"({key})" in line for key in written)] == []
    # The data tests of the copy, on its own data/ and seed.sql, as `make test-record` runs them there.
    tests = make(repository, "test-record")
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout
    assert f"'{written[0]}'" in (repository / "seed.sql").read_text("utf-8")
