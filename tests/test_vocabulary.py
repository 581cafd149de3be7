"""One vocabulary: data/datapackage.json states each code list and each table's columns once, and
what the code and the database hold is derived from it or held equal to it here, naming any difference."""

import re
import sqlite3

from fastapi.testclient import TestClient
from sqlmodel import SQLModel

import app.models  # noqa: F401 - registers the table models
from app import vocabulary
from app.db import sqlite_path
from app.schemas import label

CHECK = re.compile(r"CHECK \((?:\w+ IS NULL OR )?(\w+) IN \(([^)]*)\)\)")


def coded_fields() -> list[tuple[str, str]]:
    """Every (resource, field) whose values come from a code list."""
    return [
        (entry["name"], field["name"])
        for entry in vocabulary.descriptor()["resources"]
        for field in entry["schema"]["fields"]
        if "categories" in field
    ]


def test_every_code_has_its_words_in_english_and_ukrainian() -> None:
    missing = [
        f"{resource}.{field} {code}"
        for resource, field in coded_fields()
        for code in vocabulary.codes(resource, field)
        if not all(label(field, code, lang) for lang in ("en", "uk"))
    ]
    assert missing == []


def test_the_databases_check_constraints_allow_exactly_the_package_codes(database_url: str) -> None:
    with sqlite3.connect(sqlite_path(database_url)) as db:
        tables = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall())
    checked = {
        (table, column): tuple(re.findall(r"'([^']*)'", allowed))
        for table, sql in tables.items()
        for column, allowed in CHECK.findall(sql)
    }
    expected = {
        (vocabulary.TABLES[resource], field): vocabulary.codes(resource, field) for resource, field in coded_fields()
    }
    differences = {
        key: f"the database allows {checked.get(key)}, data/datapackage.json {expected.get(key)}"
        for key in checked.keys() | expected.keys()
        if checked.get(key) != expected.get(key)
    }
    assert differences == {}, "write a migration that changes the CHECK constraint"


def test_each_table_has_its_data_files_columns_in_the_models_and_the_database(database_url: str) -> None:
    with sqlite3.connect(sqlite_path(database_url)) as db:
        for resource, table in vocabulary.TABLES.items():
            if resource == "sources":  # the seed works out a source's id and host from its URL
                continue
            wanted = {column for column in vocabulary.columns(resource) if column != "source_urls"}
            in_database = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            in_models = set(SQLModel.metadata.tables[table].columns.keys())
            assert (in_database ^ wanted, in_models ^ wanted) == (set(), set()), table


def test_the_api_states_the_package_codes_as_its_enums(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    parameters = {
        parameter["name"]: parameter["schema"]
        for operation in schema["paths"]["/exchanges"].values()
        for parameter in operation["parameters"]
    }
    assert parameters["kind"]["anyOf"][0]["enum"] == list(vocabulary.codes("events", "kind"))
    assert parameters["evidence"]["anyOf"][0]["enum"] == list(vocabulary.codes("events", "evidence"))
    rows = schema["components"]["schemas"]
    assert rows["UnitsMeta"]["properties"]["dimension"]["enum"] == list(vocabulary.codes("breakdown", "dimension"))
    assert rows["ReconciliationRow"]["properties"]["kind"]["enum"] == list(vocabulary.codes("reconciliation", "kind"))
