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
import calendar
import csv
import datetime as dt
import functools
import hashlib
import json
import os
import re
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel.dates import format_date

from app import vocabulary
from app.build_db import SeedEditedError, build, stamped, unstamped
from app.checks import DataCheckError, Violation
from app.config import ROOT
from app.sentences import site

DATA = ROOT / "data"
SEED = ROOT / "seed.sql"
URL_SEPARATOR = " | "
# A /YYYY/MM/DD/ path segment dates most news URLs; sources.csv gives the rest where a byline does.
_DATE_PATH = re.compile(r"/(\d{4})/(\d{2})/(\d{2})(?:/|$)")


class DataError(Exception):
    """data/ cannot become seed.sql; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


_CONSTRAINT = re.compile(r'constraint "(\w+)" is "(.*)"')
_FIRST_ROW = re.compile(r"row at position (\d+)")
_FOREIGN = re.compile(r'lookup table "(\w+)"')


def _not_a_date(value: str) -> str:
    """Why `value` is not a YYYY-MM-DD date, in words."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match is None:
        return f"{value} is not a date: write it as YYYY-MM-DD, e.g. 2026-06-30"
    year, month, _ = map(int, match.groups())
    if not 1 <= month <= 12:
        return f"{value} is not a date (there is no month {month})"
    days = calendar.monthrange(year, month)[1]
    return f"{value} is not a date ({format_date(dt.date(year, month, 1), 'MMMM y', locale='en')} has {days} days)"


def _duplicate(error: Any, resource: dict[str, Any]) -> str:
    key = resource["schema"]["primaryKey"]
    cells = dict(zip([f["name"] for f in resource["schema"]["fields"]], error.cells, strict=False))
    shown = ", ".join(cells.get(name, "") for name in key)
    first = _FIRST_ROW.search(error.note)
    rows = f"rows {first.group(1)} and {error.row_number}" if first else f"row {error.row_number}"
    fix = f": a second event on one day takes the id {shown}-2" if key == ["id"] else ""
    return f"{' and '.join(key)} {shown} is used twice ({rows}){fix}"


def _unknown_reference(error: Any) -> str:
    table = _FOREIGN.search(error.note)
    where = f"data/{table.group(1)}.csv" if table else "the file it refers to"
    values = re.search(r'values "([^"]*)"', error.note)
    shown = values.group(1) if values else ""
    return f"column {', '.join(error.field_names)}: {shown!r} is not in {where}; add it there first"


def _wrong_type(column: str, value: str, kind: str) -> str:
    if kind == "date":
        return f"column {column}: {_not_a_date(value)}"
    wanted = {"integer": "a whole number (leave the cell empty if it is unknown)", "boolean": "true or false"}
    return f"column {column}: {value!r} is not {wanted.get(kind, f'a {kind}')}"


def _not_allowed(column: str, value: str, note: str, description: str) -> str:
    constraint = _CONSTRAINT.search(note)
    name, limit = constraint.groups() if constraint else ("", "")
    if name == "required":
        return f"column {column} is required and is empty: {description}"
    if name == "enum":
        allowed = ", ".join(re.findall(r"'([^']*)'", limit))
        return f"column {column}: {value!r} is not allowed; allowed: {allowed}"
    if name in ("minimum", "maximum"):
        return (
            f"column {column}: {value} is {'below the minimum' if name == 'minimum' else 'above the maximum'}, {limit}"
        )
    return f"column {column}: {value[:80]!r} does not fit: {description}"


def _problem(error: Any, field: dict[str, Any] | None, resource: dict[str, Any] | None) -> str:
    """One frictionless row error as an editor reads it: the column, the bad value, what is allowed."""
    from frictionless import errors  # noqa: PLC0415 - only a changed data/ needs it (make run does not)

    value, column = str(getattr(error, "cell", "") or ""), getattr(error, "field_name", "")
    if isinstance(error, errors.PrimaryKeyError) and resource is not None:
        return _duplicate(error, resource)
    if isinstance(error, errors.ForeignKeyError):
        return _unknown_reference(error)
    if isinstance(error, errors.TypeError):
        return _wrong_type(column, value, (field or {}).get("type", ""))
    if isinstance(error, errors.ConstraintError):
        return _not_allowed(column, value, error.note, (field or {}).get("description", ""))
    if isinstance(error, errors.MissingCellError | errors.ExtraCellError):
        return f"the row has {'fewer' if isinstance(error, errors.MissingCellError) else 'more'} cells than the header"
    return f"{error.type}: {error.note}"


def validate_package(data: Path) -> tuple[list[str], dict[str, set[int]]]:
    """Every problem the frictionless library finds in data/datapackage.json and its CSV files, one
    line each (file, row as a spreadsheet numbers it, column, value, what is allowed), and the rows
    with a problem in each file."""
    from frictionless import Package, errors  # noqa: PLC0415 - only a changed data/ needs it

    descriptor = vocabulary.for_validators(json.loads((data / "datapackage.json").read_text("utf-8")))
    resources = {resource["path"]: resource for resource in descriptor["resources"]}
    report = Package(descriptor, basepath=str(data)).validate()
    problems: list[str] = []
    bad_rows: dict[str, set[int]] = {}
    for task in report.tasks:
        shown = _display(data / task.place)
        resource = resources.get(task.place)
        fields = {field["name"]: field for field in (resource or {}).get("schema", {}).get("fields", [])}
        for error in task.errors:
            if isinstance(error, errors.RowError):
                bad_rows.setdefault(task.place, set()).add(error.row_number)
                field = fields.get(getattr(error, "field_name", ""))
                problems.append(f"{shown} row {error.row_number}: {_problem(error, field, resource)}")
            else:
                problems.append(f"{shown}: {error.type}: {error.note}")
    for error in report.errors:
        problems.append(f"{_display(data / 'datapackage.json')}: {error.type}: {error.note}")
    for place, number, column, value in _impossible_date_ids(data, descriptor):
        bad_rows.setdefault(place, set()).add(number)
        problems.append(f"{_display(data / place)} row {number}: column {column}: {_not_a_date(value[:10])}")
    return problems, bad_rows


_DATE_ID = "\\d{4}-\\d{2}-\\d{2}"


def _impossible_date_ids(data: Path, descriptor: dict[str, Any]) -> list[tuple[str, int, str, str]]:
    """Every id cell that starts with a date no calendar has (2024-06-31): an event's id and each
    reference to it, which their patterns or foreign keys alone let through. (file, row, column, value)"""
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    dated = {
        (name, field["name"])
        for name, resource in resources.items()
        for field in resource["schema"]["fields"]
        if field.get("constraints", {}).get("pattern", "").startswith(_DATE_ID)
    }
    dated |= {
        (name, own)
        for name, resource in resources.items()
        for key in resource["schema"].get("foreignKeys", [])
        for own, other in zip(key["fields"], key["reference"]["fields"], strict=True)
        if (key["reference"]["resource"], other) in dated
    }
    found = []
    for name, column in sorted(dated):
        for number, row in enumerate(_read(data, resources[name]["path"]), start=2):
            value = row.get(column) or ""
            if re.fullmatch(_DATE_ID, value[:10]):
                try:
                    dt.date.fromisoformat(value[:10])
                except ValueError:
                    found.append((resources[name]["path"], number, column, value))
    return found


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read(data: Path, name: str, skip: Mapping[str, set[int]] | None = None) -> list[dict[str, str]]:
    """A data file's rows, leaving out those `skip` names by row number (the header is row 1)."""
    left_out = (skip or {}).get(name, set())
    with (data / name).open(encoding="utf-8", newline="") as file:
        return [row for number, row in enumerate(csv.DictReader(file), start=2) if number not in left_out]


def _sql(value: Any) -> str:
    """One SQL literal: NULL for an empty cell, a number as digits, text quoted."""
    if value is None or value == "":
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _insert(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    values = [f"  ({', '.join(_sql(v) for v in row)})" for row in rows]
    if not values:
        return ""
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES\n" + ",\n".join(values) + ";\n"


def source_id(url: str) -> int:
    """A source's id: the first four bytes of its URL's SHA-256, so that it never changes meaning."""
    return int.from_bytes(hashlib.sha256(url.encode()).digest()[:4], "big")


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


def _typed(kind: str, cell: str) -> Any:
    """A cell as its column's SQL value: an integer as a number, a boolean as 1 or 0, text as it is."""
    if kind == "integer":
        return int(cell) if cell != "" else None
    if kind == "boolean":
        return cell == "true"
    return cell


def _values(name: str, row: Mapping[str, str]) -> dict[str, Any]:
    """One data file row as its table's values: every field but `source_urls`, in the file's order."""
    return {
        field["name"]: _typed(field["type"], row.get(field["name"], ""))
        for field in vocabulary.fields(name)
        if field["name"] != "source_urls"
    }


def _table(name: str, rows: Iterable[Mapping[str, str]]) -> str:
    """The INSERT of a data file's rows into its table (app.vocabulary.TABLES)."""
    columns = [column for column in vocabulary.columns(name) if column != "source_urls"]
    return _insert(vocabulary.TABLES[name], columns, (list(_values(name, row).values()) for row in rows))


def render(data: Path = DATA, skip: Mapping[str, set[int]] | None = None) -> str:
    """The seed SQL for the data files (less the rows `skip` names), byte for byte the same for the same data."""
    files = {name: _read(data, f"{name}.csv", skip) for name in vocabulary.TABLES}
    if skip:  # rows left out (they failed the package's own rules) take the rows that point at them along
        publisher_codes = {row["code"] for row in files["publishers"]} | {""}
        category_codes = {row["code"] for row in files["categories"]} | {""}
        event_ids = {row["id"] for row in files["events"]}
        for name in ("yearly", "published_totals"):
            files[name] = [row for row in files[name] if row["publisher"] in publisher_codes]
        files["breakdown"] = [
            row
            for row in files["breakdown"]
            if row["event_id"] in event_ids and {row["category"], row["part_of"]} <= category_codes
        ]
    bylines = {row["url"]: row for row in files["sources"]}
    # Each URL is one source; its id derives from the URL alone (source_id), so adding, removing or
    # reordering URLs never changes another source's id.
    source_ids: dict[str, int] = {}
    links: dict[str, list[tuple[Any, ...]]] = {}
    for name, (_, key) in vocabulary.SOURCE_LINKS.items():
        links[name] = []
        for row in files[name]:
            values = _values(name, row)
            for position, url in enumerate(row["source_urls"].split(URL_SEPARATOR), start=1):
                source_ids[url] = source_id(url)
                links[name].append((*(values[column] for column in key.values()), source_ids[url], position))
    clashes = len(source_ids) - len(set(source_ids.values()))
    if clashes:
        raise DataError([f"{_display(data)}: {clashes} source URL(s) share an id with another; change source_id()"])
    sources = [
        (number, url, site(url), _published_on(url, bylines), bylines.get(url, {}).get("title") or None)
        for url, number in sorted(source_ids.items(), key=lambda item: item[1])
    ]
    parts = [
        "-- Data only, generated from data/ by `make seed` (python -m app.seed): never edit by hand.\n"
        "-- The schema is owned by migrations/ (alembic upgrade head runs first).\n"
        "BEGIN;\n",
        _insert("source", ["id", "url", "publisher", "published_on", "title"], sources),
    ]
    # In the order the foreign keys need: what a row points at is loaded before it.
    for name in ("categories", "publishers", "yearly", "events", "breakdown", "published_totals", "reconciliation"):
        parts.append(_table(name, files[name]))
        if name in links:
            link, key = vocabulary.SOURCE_LINKS[name]
            parts.append(_insert(link, [*key, "source_id", "position"], links[name]))
    parts.append("COMMIT;\n")
    return "\n".join(part for part in parts if part)


def generate(data: Path = DATA) -> str:
    """Validate data/, render the SQL and prove it builds and passes every data check; return it.

    Every problem is reported in one run: the rows' own (frictionless), then the cross-row checks
    over the rows that passed them."""
    problems, bad_rows = validate_package(data)
    try:
        sql = render(data, bad_rows)
    except (ValueError, KeyError) as error:  # a row the package let through that still cannot be rendered
        raise DataError([*problems, f"{_display(data)}: cannot render: {error}"]) from None
    with tempfile.TemporaryDirectory() as scratch:
        try:
            build(f"sqlite:///{Path(scratch) / 'check.db'}", sql)
        except DataCheckError as error:
            if problems:  # what the rows left out held is missing from every sum below
                problems.append(f"{_display(data)}: the rules across rows were checked without the rows above")
            problems += [_located(data, violation) for violation in error.violations]
        except sqlite3.Error as error:
            problems.append(f"{_display(data)}: the rows that passed do not load together: {error}")
    if problems:
        raise DataError(problems)
    return sql


def _row_numbers(numbers: list[int]) -> str:
    """Rows as a spreadsheet shows them, runs joined: row 58, rows 307–309, rows 253 and 255–258."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    shown = [str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs]
    listed = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    return f"{'row' if len(numbers) == 1 else 'rows'} {listed}"


def _located(data: Path, violation: Violation) -> str:
    """A broken cross-row rule as the row-level problems read: the file, its rows as a spreadsheet
    numbers them, the column and what is wrong (the file alone where no row holds it, such as an
    exchange number missing between two)."""
    resource = next((name for name, table in vocabulary.TABLES.items() if table == violation.table), None)
    if resource is None:
        return f"{_display(data)}: {violation.subject}: {violation.detail}"
    key = vocabulary.resource(resource)["schema"]["primaryKey"]
    numbers = [
        number
        for number, row in enumerate(_read(data, f"{resource}.csv"), start=2)
        if tuple(row[column] for column in key) in violation.keys
    ]
    where = " ".join([_display(data / f"{resource}.csv"), *([_row_numbers(numbers)] if numbers else [])])
    return f"{where} ({violation.subject}), column {violation.column}: {violation.detail}"


# A number as each language groups it: 1,358 in English, 1 358 in Ukrainian (any space, breakable or not).
_NUMBERS = {"en": re.compile(r"\d{1,3}(?:,\d{3})+|\d+"), "uk": re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+")}


def _numbers(text: str, lang: str) -> set[str]:
    return {re.sub(r"\D", "", found) for found in _NUMBERS[lang].findall(text)}


def _previous_notes(previous_sql: str | None) -> dict[tuple[str, tuple[str, ...]], dict[str, Any]]:
    """Each row of the seed.sql being replaced, by (table, key): its values by column. The rows are
    loaded into an untyped scratch table per INSERT, so any earlier seed.sql of this renderer reads."""
    if not previous_sql:
        return {}
    db = sqlite3.connect(":memory:")
    try:
        for table, names in re.findall(r"^INSERT INTO (\w+) \(([^)]*)\) VALUES", previous_sql, re.MULTILINE):
            db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({names})")
        db.executescript(previous_sql)
        found: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
        for name, table in vocabulary.TABLES.items():
            key = vocabulary.resource(name)["schema"]["primaryKey"]
            cursor = db.execute(f"SELECT * FROM {table}")
            names = [column[0] for column in cursor.description]
            for values in cursor:
                row = dict(zip(names, values, strict=True))
                found[table, tuple(str(row[column]) for column in key)] = row
        return found
    except sqlite3.Error:  # a seed.sql of another schema: nothing to compare with
        return {}
    finally:
        db.close()


TERMS = ROOT / "docs" / "terminology.md"


@functools.cache
def ruled_out() -> dict[str, str]:
    """Each form docs/terminology.md rules out, with the form to write instead (its table's rows:
    English | Українською | not, the forms in `not` separated by `;`)."""
    forms: dict[str, str] = {}
    for line in TERMS.read_text("utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[2] and not set(cells[2]) <= {"-"} and cells[2] != "not":
            forms.update(dict.fromkeys((form.strip() for form in cells[2].split(";")), cells[1]))
    return forms


def _style(text: str, columns: set[str]) -> list[str]:
    """What a Ukrainian cell writes against docs/terminology.md and its typography."""
    problems = [f"write «{form}», not «{variant}»" for variant, form in ruled_out().items() if variant in text]
    if "'" in text:
        problems.append("write the apostrophe as ’ (п’ять), not '")
    if re.search(r"\d \d{3}(?!\d)", text):
        problems.append("separate thousands with a non-breaking space (1\u00a0358), not an ordinary one")
    named = sorted(column for column in columns if re.search(rf"\b{column}\b", text))
    if named:
        problems.append(f"say what {', '.join(named)} means instead of naming the column")
    return problems


def _pair(english: str, translated: str, before: Mapping[str, Any], note: str) -> list[str]:
    """How a Ukrainian note stands against its English one: empty, left behind, other numbers."""
    if not translated:
        return [f"empty beside {note}; the English is served"] if english else []
    problems = []
    if before and before.get(note) != english and before.get(f"{note}_uk") == translated:
        problems.append(f"{note} changed and this did not; write it anew")
    only_en = sorted(_numbers(english, "en") - _numbers(translated, "uk"), key=int)
    only_uk = sorted(_numbers(translated, "uk") - _numbers(english, "en"), key=int)
    if only_en or only_uk:
        differ = [f"{', '.join(only_en)} only in {note}"] * bool(only_en)
        differ += [f"{', '.join(only_uk)} only here"] * bool(only_uk)
        problems.append(f"the numbers differ: {'; '.join(differ)}")
    return problems


def translation_warnings(data: Path = DATA, previous_sql: str | None = None) -> list[str]:
    """One line per problem of a Ukrainian cell (warnings: the build goes on): a note empty beside its
    English one (the English is served, marked as English), left as it was where the English changed
    since `previous_sql` (the seed.sql being replaced), or holding other numbers than the English; and
    in any Ukrainian cell, a form docs/terminology.md rules out, a straight apostrophe, a breakable
    space in a number, a column's name."""
    previous = _previous_notes(previous_sql)
    descriptor = json.loads((data / "datapackage.json").read_text("utf-8"))
    columns = {
        field["name"] for r in descriptor["resources"] for field in r["schema"]["fields"] if "_" in field["name"]
    }
    found = []
    for resource in descriptor["resources"]:
        names = [field["name"] for field in resource["schema"]["fields"]]
        key = resource["schema"]["primaryKey"]
        table = vocabulary.TABLES.get(resource["name"], "")
        for number, row in enumerate(_read(data, Path(resource["path"]).name), start=2):
            values = tuple(row[k] for k in key)
            where = f"{_display(data / resource['path'])} row {number} ({', '.join(values)})"
            before = previous.get((table, values), {})
            for name in (name for name in names if name.endswith("_uk")):
                note = name.removesuffix("_uk")
                problems = _pair(row.get(note, ""), row[name], before, note) if note in names else []
                problems += _style(row[name], columns)
                found += [f"{where}, column {name}: {problem}" for problem in problems]
    return found


def write(sql: str, output: Path) -> bool:
    """Replace `output` with `sql`, stamped, atomically; False (file untouched) when it already holds it."""
    text = stamped(sql)
    if output.is_file() and output.read_text("utf-8") == text:
        return False
    partial = output.with_name(output.name + ".partial")
    partial.write_text(text, "utf-8")
    os.replace(partial, output)
    return True


def _current(output: Path, data: Path) -> bool:
    """Whether `output` already holds what data/ renders (then nothing needs validating again)."""
    try:
        return output.is_file() and output.read_text("utf-8") == stamped(render(data))
    except (ValueError, KeyError, OSError):  # data/ that does not render: validation names the problem
        return False


def hand_edit(output: Path, data: Path) -> str | None:
    """If `output` was changed since `make seed` wrote it, one line saying so and where it first
    differs from what data/ renders; None otherwise (or when there is no file yet)."""
    if not output.is_file():
        return None
    text = output.read_text("utf-8")
    try:
        unstamped(text)
    except SeedEditedError as error:
        try:
            rendered = render(data).splitlines()
        except (ValueError, KeyError, OSError):
            rendered = []
        lines = text.splitlines()[1:]
        pairs = enumerate(zip(lines, rendered, strict=False), start=2)
        number = next((n for n, (a, b) in pairs if a != b), min(len(lines), len(rendered)) + 2)
        found = lines[number - 2] if number - 2 < len(lines) else "(nothing)"
        wanted = rendered[number - 2] if number - 2 < len(rendered) else "(nothing)"
        at = next((i for i, (a, b) in enumerate(zip(found, wanted, strict=False)) if a != b), 0)
        found, wanted = found[max(0, at - 30) : at + 30], wanted[max(0, at - 30) : at + 30]
        return f"{_display(output)}: {error}: line {number} holds {found!r} where data/ gives {wanted!r}"
    return None


GLOSSARY_START = (
    "<!-- glossary: generated from data/datapackage.json by `make glossary`; edit the descriptions there -->"
)
GLOSSARY_END = "<!-- end of glossary -->"


def glossary(descriptor: dict[str, Any]) -> str:
    """Every column of every data file, as Markdown: its type, whether it is required, what is
    allowed, and its description (all from the data package)."""
    parts = []
    for resource in vocabulary.for_validators(descriptor)["resources"]:
        parts += [f"### `{resource['path']}`", "", resource.get("title", ""), ""]
        parts += ["| column | type | required | allowed | what it holds |", "|---|---|---|---|---|"]
        for field in resource["schema"]["fields"]:
            constraints = field.get("constraints", {})
            allowed = ", ".join(
                [f"`{value}`" for value in constraints.get("enum", [])]
                + [f"{name} {constraints[name]}" for name in ("minimum", "maximum") if name in constraints]
            )
            required = "yes" if constraints.get("required") else ""
            description = field.get("description", "").replace("|", "\\|")
            parts.append(f"| `{field['name']}` | {field['type']} | {required} | {allowed} | {description} |")
        parts.append("")
    return "\n".join(parts)


def with_glossary(guide: str, descriptor: dict[str, Any]) -> str:
    """The editor's guide with its glossary section made anew from the data package."""
    before, _, rest = guide.partition(GLOSSARY_START + "\n")
    _, _, after = rest.partition(GLOSSARY_END)
    return f"{before}{GLOSSARY_START}\n\n{glossary(descriptor)}\n{GLOSSARY_END}{after}"


def main(argv: list[str] | None = None) -> int:
    """Command line: data/ to seed.sql, or one line per problem and exit status 1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the data package folder (default: data/)")
    parser.add_argument("--output", type=Path, default=SEED, help="where to write the SQL (default: seed.sql)")
    parser.add_argument("--glossary", type=Path, help="rewrite this guide's glossary from the data package instead")
    args = parser.parse_args(argv)
    if args.glossary is not None:
        descriptor = json.loads((args.data / "datapackage.json").read_text("utf-8"))
        guide = args.glossary.read_text("utf-8")
        written = with_glossary(guide, descriptor)
        if written != guide:
            args.glossary.write_text(written, "utf-8")
            print(f"seed: {_display(args.glossary)}: glossary written from the data package")
        return 0
    edited = hand_edit(args.output, args.data)
    if edited is not None:
        print(f"seed: {edited}; {_display(args.output)} left as it was", file=sys.stderr)
        return 1
    if _current(args.output, args.data):
        print(f"seed: {_display(args.output)} unchanged: it is what data/ renders")
        _warn_untranslated(args.data)
        return 0
    previous = unstamped(args.output.read_text("utf-8")) if args.output.is_file() else None
    try:
        sql = generate(args.data)
    except DataError as error:
        for problem in error.problems:
            print(f"seed: {problem}", file=sys.stderr)
        print(f"seed: {len(error.problems)} problem(s); {_display(args.output)} left as it was", file=sys.stderr)
        return 1
    state = "written" if write(sql, args.output) else "unchanged"
    print(f"seed: {_display(args.output)} {state}: data package valid, data checks passed")
    _warn_untranslated(args.data, previous)
    return 0


def _warn_untranslated(data: Path, previous_sql: str | None = None) -> None:
    """Say which Ukrainian notes are out of step with their English ones (warnings: the build goes on)."""
    warnings = translation_warnings(data, previous_sql)
    for line in warnings:
        print(f"seed: warning: {line}", file=sys.stderr)
    if warnings:
        print(
            f"seed: warning: {len(warnings)} Ukrainian note(s) out of step with the English: write each in the "
            "*_uk column beside its note, from our English note",
            file=sys.stderr,
        )


if __name__ == "__main__":
    sys.exit(main())
