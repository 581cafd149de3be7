"""The record's vocabulary, stated once in data/datapackage.json: each data file's columns, and each
code list with the English and Ukrainian word for every code (a field's `categories`, as Table
Schema v2 writes them). Everything else is derived from it: the `enum` constraints that validators
read, the Python types and the OpenAPI enums of the API, the labels beside each code, the CHECK
constraints of the table models, and the seed's column lists.

A field whose `categories` are plain codes takes its words from the field of the same name that
gives them (published_totals' evidence from events'), so each word stands in one place.
"""

import copy
import functools
import json
from typing import Any

from app.config import ROOT

PACKAGE = ROOT / "data" / "datapackage.json"

# The table each data file's rows are loaded into (app.models), and for a file with `source_urls` the
# table that links each row to its sources, by the row's key columns there and in the file.
TABLES = {
    "events": "return_event",
    "breakdown": "breakdown",
    "yearly": "yearly_total",
    "published_totals": "published_total",
    "reconciliation": "reconciliation",
    "categories": "category",
    "publishers": "publisher",
    "sources": "source",
}
SOURCE_LINKS: dict[str, tuple[str, dict[str, str]]] = {
    "yearly": ("yearly_total_source", {"year": "year"}),
    "events": ("return_event_source", {"event_id": "id"}),
    "published_totals": ("published_total_source", {"as_of": "as_of", "publisher": "publisher"}),
}


@functools.cache
def descriptor() -> dict[str, Any]:
    """data/datapackage.json as the editors keep it."""
    loaded: dict[str, Any] = json.loads(PACKAGE.read_text("utf-8"))
    return loaded


def resource(name: str) -> dict[str, Any]:
    """One resource of the package by name."""
    for entry in descriptor()["resources"]:
        if entry["name"] == name:
            found: dict[str, Any] = entry
            return found
    raise KeyError(name)


def fields(name: str) -> list[dict[str, Any]]:
    """A resource's fields, in its file's column order."""
    found: list[dict[str, Any]] = resource(name)["schema"]["fields"]
    return found


def columns(name: str) -> list[str]:
    """A resource's column names, in its file's order."""
    return [field["name"] for field in fields(name)]


def _code(category: str | dict[str, str]) -> str:
    return category if isinstance(category, str) else category["value"]


def codes(name: str, field: str) -> tuple[str, ...]:
    """The codes a field allows, in the package's order."""
    for entry in fields(name):
        if entry["name"] == field:
            return tuple(_code(category) for category in entry["categories"])
    raise KeyError(f"{name}.{field}")


def description(name: str, field: str) -> str:
    """What a field holds, as the package describes it (each code of a code list explained)."""
    described: str = next(entry for entry in fields(name) if entry["name"] == field)["description"]
    return described


@functools.cache
def words() -> dict[str, dict[str, dict[str, str]]]:
    """Every code's words by field name: words()["kind"]["local_swap"] == {"en": ..., "uk": ...}."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    for entry in descriptor()["resources"]:
        for field in entry["schema"]["fields"]:
            for category in field.get("categories", []):
                if isinstance(category, dict):
                    labels = {"en": category["label"], "uk": category["label_uk"]}
                    found.setdefault(field["name"], {})[category["value"]] = labels
    return found


def for_validators(package: dict[str, Any]) -> dict[str, Any]:
    """A descriptor as validators read it (Table Schema v1, frictionless): each field's categories
    also stated as its `enum` constraint. The API serves data/'s this way."""
    package = copy.deepcopy(package)
    for entry in package["resources"]:
        for field in entry["schema"]["fields"]:
            if "categories" in field:
                field.setdefault("constraints", {})["enum"] = [_code(c) for c in field["categories"]]
    return package


def one_of(column: str, allowed: tuple[str, ...]) -> str:
    """The SQL condition that `column` holds one of `allowed` (a CHECK constraint's text)."""
    return f"{column} IN ({', '.join(repr(code) for code in allowed)})"
