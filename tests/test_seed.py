"""The seed and the editor's tools, on the fixture record: bad rows never land and are named in plain
words, and `make` stops on them or on a hand-edited seed.sql with nothing changed (an edit that works,
through make, is tests/test_editing.py's).

data/ itself (valid, seed.sql current) is tested in tests/test_record.py, for any valid record."""

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from frictionless import Package

from app.build_db import stamped
from app.config import ROOT
from app.seed import main, render, validate_package, with_glossary
from tests.conftest import fixture_package, fixture_seed
from tests.repository import VENV, copied, make


def test_frictionless_finds_the_fixture_a_valid_data_package(tmp_path: Path) -> None:
    data = fixture_package(tmp_path / "data")
    report = Package(str(data / "datapackage.json"), basepath=str(data)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.name for task in report.tasks] == [
        "events",
        "breakdown",
        "yearly",
        "published_totals",
        "reconciliation",
        "categories",
        "publishers",
        "sources",
    ]
    assert [task.stats["rows"] for task in report.tasks] == [83, 305, 4, 44, 12, 19, 8, 1]
    assert validate_package(data) == ([], {})


def test_rendering_is_deterministic_to_the_byte(tmp_path: Path) -> None:
    assert render(fixture_package(tmp_path / "data")).encode() == fixture_seed().encode()


CsvEdit = Callable[[str], str]


def _replace(old: str, new: str) -> CsvEdit:
    def edit(text: str) -> str:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        return text.replace(old, new)

    return edit


def _append(row: str) -> CsvEdit:
    return lambda text: text + row + "\n"


def _set_cell(row_id: str, column: str, value: str) -> CsvEdit:
    def edit(text: str) -> str:
        rows = list(csv.DictReader(io.StringIO(text)))
        for row in rows:
            if row["id"] == row_id:
                row[column] = value
        out = io.StringIO()
        writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()

    return edit


BAD_ROWS = [
    pytest.param(
        "breakdown.csv",
        _replace("2022-03-01,service,territorial_defence,5,,", "2022-03-01,service,territorial_defence,-5,,"),
        "breakdown.csv row 2: column people: -5 is below the minimum, 0",
        id="negative count",
    ),
    pytest.param(
        "events.csv",
        _replace("2024-12-30,2024-12-30,59,", "2024-12-30,2024-12-32,59,"),
        "events.csv row 58: column date: 2024-12-32 is not a date (December 2024 has 31 days)",
        id="impossible date",
    ),
    pytest.param(
        "breakdown.csv",
        _replace("2024-12-30,service,navy,24,,", "2024-12-30,service,marines,24,,"),
        "breakdown.csv row 257: column category: 'marines' is not in data/categories.csv; add it there first",
        id="unknown category",
    ),
    pytest.param(
        "events.csv",
        _replace("2022-04-15,2022-04-15,,,local_swap,", "2022-04-15,2022-04-15,,,swap,"),
        "events.csv row 8: column kind: 'swap' is not allowed; allowed: exchange, local_swap, release",
        id="unknown kind",
    ),
    pytest.param(
        "events.csv",
        _replace("2024-01-31,2024-01-31,50,", "2024-01-03,2024-01-31,50,"),
        "events.csv row 48: id 2024-01-03 is used twice (rows 47 and 48): a second event on one day takes the id "
        "2024-01-03-2",
        id="duplicate id",
    ),
    pytest.param(
        "breakdown.csv",
        _append("2099-01-01,service,civilians,3,,"),
        "breakdown.csv row 307: column event_id: '2099-01-01' is not in data/events.csv; add it there first",
        id="breakdown of an unknown event",
    ),
    pytest.param(
        "breakdown.csv",
        _replace("2024-12-30,service,territorial_defence,17,", "2024-12-30,service,territorial_defence,88,"),
        "breakdown.csv row 254 (event 2024-12-30), column people: service row territorial_defence (88) exceeds "
        "its parent armed_forces (87)",
        id="part larger than its parent",
    ),
    pytest.param(
        "events.csv",
        _set_cell("2024-05-31", "source_urls", "www.example.org/no-scheme"),
        "events.csv row 50: column source_urls: 'www.example.org/no-scheme' does not fit: The sources of the "
        "figure: one or more http(s) URLs separated by ' | ', the first one first.",
        id="source without https://",
    ),
    pytest.param(
        "events.csv",
        _set_cell("2024-05-31", "source_urls", ""),
        "events.csv row 50: column source_urls is required and is empty: The sources of the figure: one or more "
        "http(s) URLs separated by ' | ', the first one first.",
        id="missing source",
    ),
]


def _data_copy(tmp_path: Path, name: str, edit: CsvEdit) -> Path:
    data = fixture_package(tmp_path / "data")
    path = data / name
    path.write_text(edit(path.read_text("utf-8")), "utf-8")
    return data


@pytest.mark.parametrize(("name", "edit", "problem"), BAD_ROWS)
def test_a_bad_row_stops_the_seed_naming_where_and_leaves_seed_sql_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, edit: CsvEdit, problem: str
) -> None:
    data = _data_copy(tmp_path, name, edit)
    output = tmp_path / "seed.sql"
    output.write_text(stamped(fixture_seed()), "utf-8")
    before = (output.read_bytes(), output.stat().st_mtime_ns)
    assert main(["--data", str(data), "--output", str(output)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert any(problem in line for line in lines), lines
    assert lines[-1].endswith("left as it was")
    assert all(line.startswith("seed: ") for line in lines)  # one line per problem, nothing else
    assert (output.read_bytes(), output.stat().st_mtime_ns) == before


pytestmark_make = pytest.mark.skipif(not (VENV / "bin" / "python").exists(), reason="needs the project's .venv")


# An editor's mistakes, each in its own row, as `make` shows them (paths as the editor types them).
EDITOR_MISTAKES: list[tuple[str, CsvEdit, str]] = [
    (
        "events.csv",
        _replace("2024-10-18,2024-10-18,", "2024-10-18,2024-06-31,"),
        "data/events.csv row 57: column date: 2024-06-31 is not a date (June 2024 has 30 days)",
    ),
    (
        "breakdown.csv",
        _replace("2024-12-30,service,territorial_defence,17,", "2024-12-30,service,territorial_defence,88,"),
        "data/breakdown.csv row 254 (event 2024-12-30), column people: service row territorial_defence (88) "
        "exceeds its parent armed_forces (87)",
    ),
    (
        "events.csv",
        lambda text: text.replace(",local_swap,", ",swap,", 1),
        "data/events.csv row 2: column kind: 'swap' is not allowed; allowed: exchange, local_swap, release",
    ),
    (
        "events.csv",
        _set_cell("2024-05-31", "source_urls", ""),
        "data/events.csv row 50: column source_urls is required and is empty",
    ),
    (
        "events.csv",
        _set_cell("2024-06-28", "source_urls", "www.example.org/no-scheme"),
        "data/events.csv row 52: column source_urls: 'www.example.org/no-scheme' does not fit",
    ),
    (
        "events.csv",
        lambda text: text + text.splitlines()[-1] + "\n",  # the last event again
        "data/events.csv row 85: id 2026-05-15 is used twice (rows 84 and 85): a second event on one day takes "
        "the id 2026-05-15-2",
    ),
]


@pytestmark_make
def test_make_seed_db_refuses_mistakes_naming_each_and_keeps_seed_sql_and_the_database(
    fixture_repository: Path, tmp_path: Path
) -> None:
    repository = copied(fixture_repository, tmp_path / "repo")
    database = repository / "var" / "returns.db"
    before = (database.read_bytes(), (repository / "seed.sql").read_bytes())
    for name, edit, _ in EDITOR_MISTAKES:
        path = repository / "data" / name
        path.write_text(edit(path.read_text("utf-8")), "utf-8")
    result = make(repository, "seed", "db")
    assert result.returncode == 2  # make's own status when a step fails (the step exits 1)
    assert [problem for _, _, problem in EDITOR_MISTAKES if problem not in result.stderr] == [], result.stderr
    assert (database.read_bytes(), (repository / "seed.sql").read_bytes()) == before


def _source_ids(sql: str) -> dict[str, int]:
    """Each source URL's id in a rendered seed (the rows of its `INSERT INTO source`)."""
    block = sql.split("INSERT INTO source ", 1)[1].split(";\n", 1)[0]
    return {url: int(number) for number, url in re.findall(r"^  \((\d+), '([^']+)'", block, re.MULTILINE)}


def test_adding_a_url_to_an_early_event_changes_no_other_source_id(tmp_path: Path) -> None:
    before = _source_ids(fixture_seed())

    def add_url(text: str) -> str:
        rows = list(csv.DictReader(io.StringIO(text)))
        rows[0]["source_urls"] = "https://example.org/an-earlier-report | " + rows[0]["source_urls"]
        out = io.StringIO()
        writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()

    after = _source_ids(render(_data_copy(tmp_path, "events.csv", add_url)))
    assert len(after) == len(before) + 1
    assert {url: after[url] for url in before} == before


@pytestmark_make
def test_a_hand_edited_seed_is_refused_in_one_line_and_nothing_changes(
    fixture_repository: Path, tmp_path: Path
) -> None:
    repository = copied(fixture_repository, tmp_path / "repo")
    database, seed = repository / "var" / "returns.db", repository / "seed.sql"
    seed.write_text(seed.read_text("utf-8").replace("'UAE', 3405,", "'UAE', 3406,", 1), "utf-8")
    before = (database.read_bytes(), seed.read_bytes())
    result = make(repository, "db")
    assert result.returncode != 0
    refusal = [line for line in result.stderr.splitlines() if line.startswith("seed: ")]
    assert len(refusal) == 1, result.stderr
    assert "seed.sql: edited by hand since `make seed` wrote it; edit data/ instead and run `make seed`" in refusal[0]
    assert "3406" in refusal[0] and "3405" in refusal[0]  # what it holds, and what data/ gives
    assert (database.read_bytes(), seed.read_bytes()) == before


def test_every_column_is_described_and_the_editors_glossary_is_current() -> None:
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text("utf-8"))
    undescribed = [
        f"{resource['name']}.{field['name']}"
        for resource in descriptor["resources"]
        for field in resource["schema"]["fields"]
        if not field.get("description")
    ]
    assert undescribed == []
    guide = (ROOT / "docs" / "editing.md").read_text("utf-8")
    assert with_glossary(guide, descriptor) == guide, "docs/editing.md's glossary is stale: run `make glossary`"


def test_row_problems_and_cross_row_problems_come_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _data_copy(tmp_path, "events.csv", _replace("2024-10-18,2024-10-18,", "2024-10-18,2024-06-31,"))
    breakdown = data / "breakdown.csv"
    part = _replace("2024-12-30,service,territorial_defence,17,", "2024-12-30,service,territorial_defence,88,")
    breakdown.write_text(part(breakdown.read_text("utf-8")), "utf-8")
    assert main(["--data", str(data), "--output", str(tmp_path / "seed.sql")]) == 1
    err = capsys.readouterr().err
    assert "column date: 2024-06-31 is not a date (June 2024 has 30 days)" in err
    assert "breakdown.csv row 254 (event 2024-12-30), column people: service row territorial_defence (88)" in err
    assert "the rules across rows were checked without the rows above" in err


CROSS_ROW = [
    pytest.param(
        "breakdown.csv",
        _replace("2024-12-30,service,navy,24,", "2024-12-30,service,navy,124,"),
        "breakdown.csv rows 253 and 255–258 (event 2024-12-30), column people: top-level service rows add up to "
        "289, more than the 189 people returned",
        id="parts over the total",
    ),
    pytest.param(
        "reconciliation.csv",
        _replace("year_total,2022,33,", "year_total,2022,32,"),
        "reconciliation.csv row 2 (year 2022), column unaccounted: stated 1596, the records add up to 1563, a gap "
        "of 33 where data/reconciliation.csv documents 32",
        id="a documented gap of the wrong size",
    ),
    pytest.param(
        "yearly.csv",
        _replace("2024,1358,11,", "2024,1359,11,"),
        "yearly.csv row 4 (year 2024), column returned_to_ukraine: stated 1359, the records add up to 1358, a gap "
        "of 1 that data/reconciliation.csv does not document",
        id="an undocumented gap",
    ),
    pytest.param(
        "events.csv",
        _replace("2024-06-28,2024-06-28,53,2,", "2024-06-28,2024-06-28,53,3,"),
        "events.csv row 52 (event 2024-06-28), column exchange_stage: is event 2 of 2 of exchange 53, so its "
        "exchange_stage must be 2",
        id="stages out of order",
    ),
]


@pytest.mark.parametrize(("name", "edit", "problem"), CROSS_ROW)
def test_a_rule_across_rows_names_the_file_rows_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, edit: CsvEdit, problem: str
) -> None:
    data = _data_copy(tmp_path, name, edit)
    assert main(["--data", str(data), "--output", str(tmp_path / "seed.sql")]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert [line for line in lines if problem in line] == [f"seed: {data / name} {problem.partition(' ')[2]}"]


def test_an_impossible_date_gets_a_line_for_each_cell_it_was_typed_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _data_copy(tmp_path, "events.csv", _replace("2024-12-30,2024-12-30,", "2024-12-32,2024-12-32,"))
    breakdown = data / "breakdown.csv"
    breakdown.write_text(breakdown.read_text("utf-8").replace("2024-12-30,", "2024-12-32,"), "utf-8")
    assert main(["--data", str(data), "--output", str(tmp_path / "seed.sql")]) == 1
    wrong = [line for line in capsys.readouterr().err.splitlines() if "2024-12-32 is not a date" in line]
    cells = [
        line.split(": column ")[0].rpartition("/")[2] + " " + line.split(": column ")[1].split(":")[0] for line in wrong
    ]
    assert cells == [
        "events.csv row 58 date",
        *(f"breakdown.csv row {row} event_id" for row in range(253, 262)),
        "events.csv row 58 id",
    ]
