"""Read functions, SQL-first: one per question the API answers."""

import datetime as dt
import json
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from app.schemas import Dimension, ExchangeRow, SourceRow, Summary, UnitRow, UnitsMeta, YearlyRow

# The source URLs of one figure, oldest source first, as a JSON array.
_URLS = """(SELECT json_group_array(url) FROM (
              SELECT s.url FROM {link} l JOIN source s ON s.id = l.source_id
              WHERE {match} ORDER BY l.position))"""


def _urls(link: str, match: str) -> str:
    return _URLS.format(link=link, match=match)


def _rows(session: Session, sql: str, **params: Any) -> list[dict[str, Any]]:
    result = session.execute(text(sql), params)
    rows = [dict(row) for row in result.mappings()]
    for row in rows:
        for key in ("source_urls", "supports_years", "supports_exchanges"):
            if key in row:
                row[key] = json.loads(row[key])
    return rows


def as_of(session: Session) -> dt.date:
    """The dataset's as-of date: the date of its latest cumulative total."""
    value = session.execute(text("SELECT max(as_of) FROM cumulative_total")).scalar_one()
    return dt.date.fromisoformat(value)


def yearly_totals(session: Session, year_from: int | None, year_to: int | None) -> list[YearlyRow]:
    """Yearly figures in a year range, with change, cumulative total and event-record count."""
    sql = f"""
        WITH years AS (
            SELECT y.year, y.returned_to_ukraine, y.exchanges, y.basis, y.derivation,
                   y.returned_to_ukraine - p.returned_to_ukraine AS change_from_previous_year,
                   sum(y.returned_to_ukraine) OVER (ORDER BY y.year) AS cumulative_returned_to_ukraine,
                   (SELECT count(*) FROM return_event e
                    WHERE e.date >= printf('%04d-01-01', y.year)
                      AND e.date < printf('%04d-01-01', y.year + 1)) AS recorded_events,
                   {_urls("yearly_total_source", "l.year = y.year")} AS source_urls
            FROM yearly_total y LEFT JOIN yearly_total p ON p.year = y.year - 1
        )
        SELECT * FROM years
        WHERE (:year_from IS NULL OR year >= :year_from) AND (:year_to IS NULL OR year <= :year_to)
        ORDER BY year"""
    rows = _rows(session, sql, year_from=year_from, year_to=year_to)
    return [YearlyRow(**row) for row in rows]


def years_with_event_records(session: Session) -> list[int]:
    """The years that have event records (2024 only, in the real data)."""
    sql = "SELECT DISTINCT CAST(substr(date, 1, 4) AS INTEGER) FROM return_event ORDER BY 1"
    return list(session.execute(text(sql)).scalars())


_EVENT_FILTER = """
    (:date_from IS NULL OR e.date >= :date_from) AND (:date_to IS NULL OR e.date <= :date_to)
    AND (:mediator IS NULL OR lower(e.mediator) = lower(:mediator))"""


def _event_filter_params(
    year: int | None, date_from: dt.date | None, date_to: dt.date | None, mediator: str | None
) -> dict[str, Any]:
    # A year is a date range, so it uses the same index as date_from/date_to.
    lower = max(filter(None, [date_from, dt.date(year, 1, 1) if year else None]), default=None)
    upper = min(filter(None, [date_to, dt.date(year, 12, 31) if year else None]), default=None)
    return {
        "date_from": lower.isoformat() if lower else None,
        "date_to": upper.isoformat() if upper else None,
        "mediator": mediator,
    }


_EVENT_COLUMNS = f"""
    e.id, e.date, e.exchange_ordinal, e.exchange_stage, e.returned_to_ukraine,
    e.returned_to_russia, e.returned_to_russia_note, e.mediator, e.running_total_after, e.note,
    {_urls("return_event_source", "l.event_id = e.id")} AS source_urls"""


def exchanges(
    session: Session,
    *,
    year: int | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    mediator: str | None,
    limit: int,
    offset: int,
) -> tuple[int, list[ExchangeRow]]:
    """One page of events in date order, and how many events match the filters in all."""
    params = _event_filter_params(year, date_from, date_to, mediator)
    total = session.execute(text(f"SELECT count(*) FROM return_event e WHERE {_EVENT_FILTER}"), params).scalar_one()
    sql = f"""SELECT {_EVENT_COLUMNS} FROM return_event e WHERE {_EVENT_FILTER}
              ORDER BY e.date, e.id LIMIT :limit OFFSET :offset"""
    rows = _rows(session, sql, **params, limit=limit, offset=offset)
    return total, [ExchangeRow(**row) for row in rows]


def exchange(session: Session, exchange_id: str) -> ExchangeRow | None:
    """One event by id, or None."""
    rows = _rows(session, f"SELECT {_EVENT_COLUMNS} FROM return_event e WHERE e.id = :id", id=exchange_id)
    return ExchangeRow(**rows[0]) if rows else None


def units(session: Session, exchange_id: str, dimension: str) -> list[UnitRow]:
    """An event's breakdown in one dimension: each top-level row, then the rows inside it."""
    sql = """
        SELECT b.category AS unit, c.label_en AS label, c.label_uk, b.people, b.part_of, b.note
        FROM breakdown b
        JOIN category c ON c.code = b.category
        LEFT JOIN breakdown p
          ON p.event_id = b.event_id AND p.dimension = b.dimension AND p.category = b.part_of
        WHERE b.event_id = :id AND b.dimension = :dimension
        ORDER BY coalesce(p.people, b.people) DESC, coalesce(b.part_of, b.category),
                 b.part_of IS NOT NULL, b.people DESC, b.category"""
    return [UnitRow(**row) for row in _rows(session, sql, id=exchange_id, dimension=dimension)]


def breakdown(
    session: Session, exchange: ExchangeRow, dimension: Dimension, as_of: dt.date
) -> tuple[list[UnitRow], UnitsMeta]:
    """An event's rows in one dimension, and how many of its people they account for."""
    rows = units(session, exchange.id, dimension)
    accounted_for = sum(row.people for row in rows if row.part_of is None)  # part_of rows are inside these
    meta = UnitsMeta(
        as_of=as_of,
        source_urls=exchange.source_urls,
        exchange_id=exchange.id,
        dimension=dimension,
        total=exchange.returned_to_ukraine,
        accounted_for=accounted_for,
        unattributed=exchange.returned_to_ukraine - accounted_for,
    )
    return rows, meta


def summary(session: Session) -> Summary:
    """The latest since-invasion total with the first, last and largest recorded events."""
    sql = f"""
        SELECT c.since, c.as_of, c.returned_to_ukraine, c.exchanges, 'reported' AS basis, c.note,
               first.id AS first_recorded_event_id, first.date AS first_recorded_event_date,
               last.id AS last_recorded_event_id, last.date AS last_recorded_event_date,
               largest.id AS largest_recorded_event_id,
               largest.returned_to_ukraine AS largest_recorded_event_returned_to_ukraine,
               {_urls("cumulative_total_source", "l.as_of = c.as_of")} AS source_urls
        FROM cumulative_total c
        LEFT JOIN (SELECT id, date FROM return_event ORDER BY date, id LIMIT 1) first
        LEFT JOIN (SELECT id, date FROM return_event ORDER BY date DESC, id DESC LIMIT 1) last
        LEFT JOIN (SELECT id, returned_to_ukraine FROM return_event
                   ORDER BY returned_to_ukraine DESC, date, id LIMIT 1) largest
        ORDER BY c.as_of DESC LIMIT 1"""
    return Summary(**_rows(session, sql)[0])


def sources(session: Session) -> list[SourceRow]:
    """Every source with the yearly figures, events and totals it supports."""
    sql = """
        SELECT s.id, s.url, s.publisher, s.published_on, s.title,
               (SELECT json_group_array(year) FROM (
                   SELECT year FROM yearly_total_source WHERE source_id = s.id ORDER BY year)
               ) AS supports_years,
               (SELECT json_group_array(event_id) FROM (
                   SELECT event_id FROM return_event_source WHERE source_id = s.id ORDER BY event_id)
               ) AS supports_exchanges,
               EXISTS (SELECT 1 FROM cumulative_total_source WHERE source_id = s.id) AS supports_summary
        FROM source s ORDER BY s.id"""
    return [SourceRow(**row) for row in _rows(session, sql)]
