"""Read functions, SQL-first: one per question the API answers."""

import datetime as dt
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from app import vocabulary
from app.checks import GAPS, NOTES
from app.schemas import ReconciliationRow, SourceRow, label

# The source URLs of one figure, oldest source first, as a JSON array.
_URLS = """(SELECT json_group_array(url) FROM (
              SELECT s.url FROM {link} l JOIN source s ON s.id = l.source_id
              WHERE {match} ORDER BY l.position))"""


def _urls(link: str, match: str) -> str:
    """The SQL of one figure's source URLs (link table, match condition) as a JSON array."""
    return _URLS.format(link=link, match=match)


def _rows(db: sqlite3.Connection, sql: str) -> list[dict[str, Any]]:
    """A query's rows as dicts by column name, with the JSON arrays of URLs and ids decoded."""
    cursor = db.execute(sql)
    names = [column[0] for column in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor]
    for row in rows:
        for key in ("source_urls", "supports_years", "supports_exchanges", "supports_totals"):
            if key in row:
                row[key] = json.loads(row[key])
    return rows


def span(db: sqlite3.Connection) -> tuple[dt.date, dt.date]:
    """The dates of the earliest and the latest event or published total: where the record starts, and
    the dataset's as-of date."""
    sql = """SELECT min(day), max(day) FROM (SELECT date AS day FROM return_event
                                             UNION ALL SELECT as_of FROM published_total)"""
    first, latest = db.execute(sql).fetchone()
    return dt.date.fromisoformat(first), dt.date.fromisoformat(latest)


def publishers(db: sqlite3.Connection) -> dict[str, dict[str, str]]:
    """Every publisher code with its English and Ukrainian label."""
    rows = db.execute("SELECT code, label_en, label_uk FROM publisher ORDER BY code")
    return {code: {"label": en, "label_uk": uk} for code, en, uk in rows}


_YEAR_OF = "CAST(substr({column}, 1, 4) AS INTEGER)"


@dataclass(frozen=True)
class OfficialYear:
    """A year's official total as the data hold it, with its sources and its publisher's labels."""

    year: int
    returned_to_ukraine: int | None
    exchanges: int | None
    basis: str
    derivation: str
    publisher: str | None
    publisher_label: str | None
    publisher_label_uk: str | None
    reported_on: str | None
    source_urls: list[str]


def official_years(db: sqlite3.Connection) -> list[OfficialYear]:
    """Every year's official total, in year order."""
    sql = f"""
        SELECT y.year, y.returned_to_ukraine, y.exchanges, y.basis, y.derivation, y.publisher,
               b.label_en AS publisher_label, b.label_uk AS publisher_label_uk, y.reported_on,
               {_urls("yearly_total_source", "l.year = y.year")} AS source_urls
        FROM yearly_total y LEFT JOIN publisher b ON b.code = y.publisher ORDER BY y.year"""
    return [OfficialYear(**row) for row in _rows(db, sql)]


def note_translations(db: sqlite3.Connection) -> dict[str, str]:
    """Every note's Ukrainian version, by the English note (the data checks keep it to one)."""
    sql = f"SELECT en, uk FROM ({NOTES}) WHERE en IS NOT NULL AND en <> '' AND uk IS NOT NULL AND uk <> ''"
    return dict(db.execute(sql).fetchall())


def remainder_notes(db: sqlite3.Connection) -> dict[int, str]:
    """The documented note on each year whose total the event records do not reach."""
    sql = "SELECT CAST(subject AS INTEGER), note FROM reconciliation WHERE kind = 'year_total'"
    return dict(db.execute(sql).fetchall())


def years_with_event_records(db: sqlite3.Connection) -> list[int]:
    """The years that have event records."""
    sql = "SELECT DISTINCT CAST(substr(date, 1, 4) AS INTEGER) FROM return_event ORDER BY 1"
    return [year for (year,) in db.execute(sql)]


_EVENT_FIELDS = f"""
    e.id, e.date, e.exchange_ordinal, e.exchange_stage, e.returned_to_ukraine,
    e.returned_to_russia, e.returned_to_russia_note, e.mediator, e.running_total_after, e.note,
    {_urls("return_event_source", "l.event_id = e.id")} AS source_urls,
    e.kind, e.agreement, e.evidence, e.breakdown_note"""


def events(db: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every event's fields as an ExchangeRow holds them (but for what app.record adds), in (date, id) order."""
    return _rows(db, f"SELECT {_EVENT_FIELDS} FROM return_event e ORDER BY e.date, e.id")


def wide_columns(db: sqlite3.Connection) -> dict[str, list[str]]:
    """The wide breakdown's columns in each dimension: the top-level categories in category order,
    then `X_within_Y` for rows counted inside another (one pass over the breakdowns)."""
    sql = """
        SELECT b.dimension,
               CASE WHEN b.part_of IS NULL THEN b.category ELSE b.category || '_within_' || b.part_of END
        FROM (SELECT DISTINCT dimension, category, part_of FROM breakdown) b
        JOIN category c ON c.code = b.category LEFT JOIN category p ON p.code = b.part_of
        ORDER BY b.dimension, b.part_of IS NOT NULL, c.rowid, p.rowid"""
    columns: dict[str, list[str]] = {}
    for dimension, column in db.execute(sql):
        columns.setdefault(dimension, []).append(column)
    return columns


class BreakdownRow(NamedTuple):
    """One row of an event's breakdown in one dimension (`part_of`: the row it is counted inside)."""

    category: str
    people: int
    part_of: str | None
    note: str | None


def breakdowns(db: sqlite3.Connection) -> dict[tuple[str, str], list[BreakdownRow]]:
    """Every event's breakdown in each dimension, by (event id, dimension): each top-level row, then
    the rows inside it."""
    sql = """
        SELECT b.event_id, b.dimension, b.category, b.people, b.part_of, b.note
        FROM breakdown b
        LEFT JOIN breakdown p
          ON p.event_id = b.event_id AND p.dimension = b.dimension AND p.category = b.part_of
        ORDER BY b.event_id, b.dimension, coalesce(p.people, b.people) DESC, coalesce(b.part_of, b.category),
                 b.part_of IS NOT NULL, b.people DESC, b.category"""
    rows: dict[tuple[str, str], list[BreakdownRow]] = {}
    for event_id, dimension, *row in db.execute(sql):
        rows.setdefault((event_id, dimension), []).append(BreakdownRow(*row))
    return rows


def categories(db: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """Every category's English and Ukrainian label, by code."""
    return {code: (en, uk) for code, en, uk in db.execute("SELECT code, label_en, label_uk FROM category")}


_TOTAL_COLUMNS = """
    t.as_of || '-' || t.publisher AS id, t.as_of, t.publisher, p.label_en AS publisher_label,
    p.label_uk AS publisher_label_uk, t.returned_to_ukraine, t.returned_is_lower_bound, t.exchanges,
    t.exchanges_is_lower_bound, t.scope_note, t.evidence"""


def stated_totals(db: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every official "since 2022" total as stated, in (as_of, publisher) order: a PublishedTotalRow's
    fields but for what the event records held by then, which app.record adds."""
    sql = f"""
        SELECT {_TOTAL_COLUMNS},
               {_urls("published_total_source", "l.as_of = t.as_of AND l.publisher = t.publisher")} AS source_urls
        FROM published_total t JOIN publisher p ON p.code = t.publisher
        ORDER BY t.as_of, t.publisher"""
    return _rows(db, sql)


def reconciliation(db: sqlite3.Connection) -> list[ReconciliationRow]:
    """Every documented gap with the figures it lies between (the data checks prove each size)."""
    sql = f"""
        SELECT r.kind, r.subject,
               CASE r.kind WHEN 'exchange_ordinal'
                    THEN (SELECT {_YEAR_OF.format(column="min(e.date)")} FROM return_event e
                          WHERE e.exchange_ordinal > CAST(r.subject AS INTEGER))
                    ELSE {_YEAR_OF.format(column="r.subject")} END AS year,
               g.stated, g.on_record, r.unaccounted, r.note
        FROM reconciliation r JOIN ({GAPS}) g ON g.kind = r.kind AND g.subject = r.subject
        ORDER BY year, CASE r.kind WHEN 'year_total' THEN 0 WHEN 'running_total' THEN 1 ELSE 2 END, r.subject"""
    rows = _rows(db, sql)
    return [
        ReconciliationRow(**row, label=label("kind", row["kind"], "en"), label_uk=label("kind", row["kind"], "uk"))
        for row in rows
    ]


def sources(db: sqlite3.Connection) -> list[SourceRow]:
    """Every source with the yearly figures, events and totals it supports."""
    sql = """
        SELECT s.id, s.url, s.publisher, s.published_on, s.title,
               (SELECT json_group_array(year) FROM (
                   SELECT year FROM yearly_total_source WHERE source_id = s.id ORDER BY year)
               ) AS supports_years,
               (SELECT json_group_array(event_id) FROM (
                   SELECT event_id FROM return_event_source WHERE source_id = s.id ORDER BY event_id)
               ) AS supports_exchanges,
               EXISTS (SELECT 1 FROM published_total_source l
                       WHERE l.source_id = s.id AND l.publisher = 'coordination_hq'
                         AND l.as_of = (SELECT max(as_of) FROM published_total WHERE publisher = 'coordination_hq'))
                   AS supports_summary,
               (SELECT json_group_array(total) FROM (
                   SELECT as_of || '-' || publisher AS total FROM published_total_source
                   WHERE source_id = s.id ORDER BY as_of, publisher)
               ) AS supports_totals
        FROM source s ORDER BY s.url"""
    return [SourceRow(**row) for row in _rows(db, sql)]


# The URLs of one figure in its data file's layout: joined with " | ", the first one first.
_URL_LIST = """(SELECT group_concat(url, ' | ') FROM (
                  SELECT s.url FROM {link} l JOIN source s ON s.id = l.source_id WHERE {match} ORDER BY l.position))"""


def _package_sql(resource: str) -> str:
    """The rows of one resource of the data package, rendered from the database in its data file's
    layout (booleans as true/false, URLs joined) and its file's row order (rowid is insertion order)."""
    if resource == "sources":  # every source URL, with what the seed worked out for it
        return "SELECT * FROM source ORDER BY url"
    table = vocabulary.TABLES[resource]
    selected = []
    for field in vocabulary.fields(resource):
        name = field["name"]
        if name == "source_urls":
            link, key = vocabulary.SOURCE_LINKS[resource]
            match = " AND ".join(f"l.{column} = t.{own}" for column, own in key.items())
            selected.append(f"{_URL_LIST.format(link=link, match=match)} AS source_urls")
        elif field["type"] == "boolean":
            selected.append(f"CASE WHEN t.{name} THEN 'true' ELSE 'false' END AS {name}")
        else:
            selected.append(f"t.{name}")
    return f"SELECT {', '.join(selected)} FROM {table} t ORDER BY t.rowid"


def column_labels(labels: Mapping[str, tuple[str, str]], columns: list[str]) -> dict[str, dict[str, str]]:
    """English and Ukrainian labels of wide-table columns (`X_within_Y` names both categories)."""
    named: dict[str, dict[str, str]] = {}
    for column in columns:
        inner, _, outer = column.partition("_within_")
        en, uk = labels[inner]
        if outer:
            en, uk = f"{en}, within {labels[outer][0]}", f"{uk}, у складі: {labels[outer][1]}"
        named[column] = {"label": en, "label_uk": uk}
    return named


def package_rows(db: sqlite3.Connection, resource: str) -> list[tuple[Any, ...]]:
    """The rows of one data package resource, in its Table Schema's columns."""
    chosen = ", ".join(f'"{column}"' for column in vocabulary.columns(resource))
    return [tuple(row) for row in db.execute(f"SELECT {chosen} FROM ({_package_sql(resource)})")]
