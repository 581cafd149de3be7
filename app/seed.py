"""Generate seed.sql from data/: validate the data package, render SQL, prove it builds, then write.

    python -m app.seed [--data data] [--output seed.sql]     # what `make seed` runs

Three steps, each stopping the run with one line per problem and exit status 1, leaving seed.sql
untouched:

1. the `frictionless` library validates data/datapackage.json (types, required cells, enums,
   patterns, minimums, primary and foreign keys), naming file, row and column;
2. the rows are rendered as data-only SQL (deterministic: the same data give the same bytes);
3. that SQL is built into a scratch database the one real way (`app.build_db.build`: migrations,
   seed, data checks), so every cross-row invariant is checked, naming the event or year and rule.

Only then is seed.sql replaced.
"""

import argparse
import csv
import datetime as dt
import os
import re
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from frictionless import Error, Package, errors

from app.build_db import build
from app.checks import DataCheckError
from app.config import ROOT

DATA = ROOT / "data"
SEED = ROOT / "seed.sql"
URL_SEPARATOR = " | "
LABELS = ["code", "label_en", "label_uk"]
# A /YYYY/MM/DD/ path segment dates most news URLs; sources.csv gives the rest where a byline does.
_DATE_PATH = re.compile(r"/(\d{4})/(\d{2})/(\d{2})(?:/|$)")


class DataError(Exception):
    """data/ cannot become seed.sql; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _place(error: Error) -> str:
    """`data/events.csv: row 7, column kind` for a row or cell error; the file alone otherwise."""
    if not isinstance(error, errors.RowError):
        return ""
    column = getattr(error, "field_name", None)
    if isinstance(error, errors.ForeignKeyError):
        column = ", ".join(error.field_names)
    elif isinstance(error, errors.PrimaryKeyError):
        column = "primary key"
    return f"row {error.row_number}" + (f", column {column}" if column else "")


def validate_package(data: Path) -> list[str]:
    """Every problem the frictionless library finds in data/datapackage.json and its CSV files."""
    report = Package(str(data / "datapackage.json"), basepath=str(data)).validate()
    problems = []
    for task in report.tasks:
        shown = _display(data / task.place)
        for error in task.errors:
            place = _place(error)
            problems.append(f"{shown}: {place + ': ' if place else ''}{error.type}: {error.note}")
    for error in report.errors:
        problems.append(f"{_display(data / 'datapackage.json')}: {error.type}: {error.note}")
    return problems


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read(data: Path, name: str) -> list[dict[str, str]]:
    with (data / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _sql(value: Any) -> str:
    """One SQL literal: NULL for an empty cell, a number as digits, text quoted."""
    if value is None or value == "":
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _integer(cell: str) -> int | None:
    return int(cell) if cell != "" else None


def _insert(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    values = [f"  ({', '.join(_sql(v) for v in row)})" for row in rows]
    if not values:
        return ""
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES\n" + ",\n".join(values) + ";\n"


def _published_on(url: str, bylines: dict[str, dict[str, str]]) -> str | None:
    if bylines.get(url, {}).get("published_on"):
        return bylines[url]["published_on"]
    match = _DATE_PATH.search(urlsplit(url).path)
    if match is None:
        return None
    try:
        return dt.date(*map(int, match.groups())).isoformat()
    except ValueError:
        return None


def render(data: Path = DATA) -> str:
    """The seed SQL for the data files, byte for byte the same for the same data."""
    events = _read(data, "events.csv")
    yearly = _read(data, "yearly.csv")
    totals = _read(data, "published_totals.csv")
    bylines = {row["url"]: row for row in _read(data, "sources.csv")}
    # Each URL is one source, numbered in order of first appearance: years, events, totals.
    figures = [
        *(("yearly_total_source", (int(r["year"]),), r["source_urls"]) for r in yearly),
        *(("return_event_source", (r["id"],), r["source_urls"]) for r in events),
        *(("published_total_source", (r["as_of"], r["publisher"]), r["source_urls"]) for r in totals),
    ]
    source_ids: dict[str, int] = {}
    links: dict[str, list[tuple[Any, ...]]] = {table: [] for table, _, _ in figures}
    for table, key, urls in figures:
        for position, url in enumerate(urls.split(URL_SEPARATOR), start=1):
            source_id = source_ids.setdefault(url, len(source_ids) + 1)
            links[table].append((*key, source_id, position))
    sources = [
        (
            source_id,
            url,
            urlsplit(url).netloc.removeprefix("www."),
            _published_on(url, bylines),
            bylines.get(url, {}).get("title") or None,
        )
        for url, source_id in source_ids.items()
    ]
    event_columns = [
        "id", "date", "exchange_ordinal", "exchange_stage", "kind", "agreement", "returned_to_ukraine",
        "evidence", "returned_to_russia", "returned_to_russia_note", "mediator", "running_total_after",
        "note", "breakdown_note",
    ]  # fmt: skip
    integers = {
        "exchange_ordinal",
        "exchange_stage",
        "returned_to_ukraine",
        "returned_to_russia",
        "running_total_after",
    }
    parts = [
        "-- Data only, generated from data/ by `make seed` (python -m app.seed): never edit by hand.\n"
        "-- The schema is owned by migrations/ (alembic upgrade head runs first).\n"
        "BEGIN;\n",
        _insert("source", ["id", "url", "publisher", "published_on", "title"], sources),
        _insert("category", LABELS, _labels(data, "categories.csv")),
        _insert("publisher", LABELS, _labels(data, "publishers.csv")),
        _insert(
            "yearly_total",
            ["year", "returned_to_ukraine", "exchanges", "basis", "derivation", "publisher", "reported_on"],
            (
                (
                    int(r["year"]),
                    int(r["returned_to_ukraine"]),
                    _integer(r["exchanges"]),
                    r["basis"],
                    r["derivation"],
                    r["publisher"],
                    r["reported_on"],
                )
                for r in yearly
            ),
        ),
        _insert("yearly_total_source", ["year", "source_id", "position"], links["yearly_total_source"]),
        _insert(
            "return_event",
            event_columns,
            ([_integer(r[c]) if c in integers else r[c] for c in event_columns] for r in events),
        ),
        _insert("return_event_source", ["event_id", "source_id", "position"], links["return_event_source"]),
        _insert(
            "breakdown",
            ["event_id", "dimension", "category", "people", "part_of", "note"],
            (
                (r["event_id"], r["dimension"], r["category"], int(r["people"]), r["part_of"], r["note"])
                for r in _read(data, "breakdown.csv")
            ),
        ),
        _insert(
            "published_total",
            [
                "as_of",
                "publisher",
                "returned_to_ukraine",
                "exchanges",
                "scope_note",
                "evidence",
                "returned_is_lower_bound",
                "exchanges_is_lower_bound",
            ],
            (
                (
                    r["as_of"],
                    r["publisher"],
                    int(r["returned_to_ukraine"]),
                    _integer(r["exchanges"]),
                    r["scope_note"],
                    r["evidence"],
                    r["returned_is_lower_bound"] == "true",
                    r["exchanges_is_lower_bound"] == "true",
                )
                for r in totals
            ),
        ),
        _insert(
            "published_total_source",
            ["as_of", "publisher", "source_id", "position"],
            links["published_total_source"],
        ),
        _insert(
            "reconciliation",
            ["kind", "subject", "unaccounted", "note"],
            (
                (r["kind"], r["subject"], _integer(r["unaccounted"]), r["note"])
                for r in _read(data, "reconciliation.csv")
            ),
        ),
        "COMMIT;\n",
    ]
    return "\n".join(part for part in parts if part)


def _labels(data: Path, name: str) -> list[tuple[str, str, str]]:
    return [(r["code"], r["label_en"], r["label_uk"]) for r in _read(data, name)]


def generate(data: Path = DATA) -> str:
    """Validate data/, render the SQL and prove it builds and passes every data check; return it."""
    problems = validate_package(data)
    if problems:
        raise DataError(problems)
    sql = render(data)
    with tempfile.TemporaryDirectory() as scratch:
        try:
            build(f"sqlite:///{Path(scratch) / 'check.db'}", sql)
        except DataCheckError as error:
            raise DataError([f"{_display(data)}: {violation}" for violation in error.violations]) from None
        except sqlite3.Error as error:
            raise DataError([f"{_display(data)}: the rendered seed does not load: {error}"]) from None
    return sql


def write(sql: str, output: Path) -> bool:
    """Replace `output` with `sql` atomically; False (file untouched) when it already holds it."""
    if output.is_file() and output.read_text("utf-8") == sql:
        output.touch()  # newer than data/, so make does not ask again
        return False
    partial = output.with_name(output.name + ".partial")
    partial.write_text(sql, "utf-8")
    os.replace(partial, output)
    return True


def main(argv: list[str] | None = None) -> int:
    """Command line: data/ to seed.sql, or one line per problem and exit status 1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the data package folder (default: data/)")
    parser.add_argument("--output", type=Path, default=SEED, help="where to write the SQL (default: seed.sql)")
    args = parser.parse_args(argv)
    try:
        sql = generate(args.data)
    except DataError as error:
        for problem in error.problems:
            print(f"seed: {problem}", file=sys.stderr)
        print(f"seed: {len(error.problems)} problem(s); {_display(args.output)} left as it was", file=sys.stderr)
        return 1
    changed = write(sql, args.output)
    state = "written" if changed else "unchanged"
    print(f"seed: {_display(args.output)} {state}: data package valid, data checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
