"""Data checks: rules every database must pass before it is built, served or called healthy."""

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    """One broken rule: which rule, about what (an event id or a year), and why."""

    rule: str
    subject: str
    detail: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.detail} (rule {self.rule})"


class DataCheckError(Exception):
    """A database breaks at least one data check."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        shown = "; ".join(str(v) for v in violations[:5])
        more = f"; and {len(violations) - 5} more" if len(violations) > 5 else ""
        super().__init__(f"data checks failed: {shown}{more}")


# Each rule is a query that returns (subject, detail) for every row that breaks it.
RULES: dict[str, str] = {
    # Top-level rows of one event and dimension never overlap, so they cannot exceed the event.
    "breakdown_within_total": """
        SELECT 'event ' || e.id,
               'top-level ' || b.dimension || ' rows add up to ' || sum(b.people)
               || ', more than the ' || e.returned_to_ukraine || ' people returned'
        FROM breakdown b JOIN return_event e ON e.id = b.event_id
        WHERE b.part_of IS NULL
        GROUP BY e.id, b.dimension
        HAVING sum(b.people) > e.returned_to_ukraine""",
    # A part_of row is a subset of its parent (territorial defence inside the Armed Forces).
    "part_within_parent": """
        SELECT 'event ' || c.event_id,
               c.dimension || ' row ' || c.category || ' (' || c.people || ') exceeds its parent '
               || p.category || ' (' || p.people || ')'
        FROM breakdown c JOIN breakdown p
          ON p.event_id = c.event_id AND p.dimension = c.dimension AND p.category = c.part_of
        WHERE c.people > p.people""",
    # Only one level of nesting: a parent is itself top-level.
    "parent_is_top_level": """
        SELECT 'event ' || c.event_id,
               c.dimension || ' row ' || c.category || ' is part of ' || p.category
               || ', which is itself part of another row'
        FROM breakdown c JOIN breakdown p
          ON p.event_id = c.event_id AND p.dimension = c.dimension AND p.category = c.part_of
        WHERE p.part_of IS NOT NULL""",
    # Each official running total equals the previous one plus this event; the first one starts
    # from the yearly totals of the years before it.
    "running_totals_chain": """
        WITH chain AS (
            SELECT id, returned_to_ukraine, running_total_after,
                   coalesce(
                       lag(running_total_after) OVER (ORDER BY date, id),
                       (SELECT coalesce(sum(y.returned_to_ukraine), 0) FROM yearly_total y
                        WHERE y.year < CAST(strftime('%Y', e.date) AS INTEGER))
                   ) AS previous
            FROM return_event e
        )
        SELECT 'event ' || id,
               'running_total_after ' || running_total_after || ' is not the previous total '
               || previous || ' plus ' || returned_to_ukraine
        FROM chain WHERE running_total_after <> previous + returned_to_ukraine""",
    # A year with event records must have a yearly figure they add up to.
    "year_events_add_up": """
        SELECT 'year ' || ev.year,
               'events add up to ' || ev.returned || ', the yearly figure is '
               || coalesce(y.returned_to_ukraine, 'missing')
        FROM (SELECT CAST(strftime('%Y', date) AS INTEGER) AS year,
                     sum(returned_to_ukraine) AS returned
              FROM return_event GROUP BY 1) ev
        LEFT JOIN yearly_total y ON y.year = ev.year
        WHERE y.year IS NULL OR y.returned_to_ukraine <> ev.returned""",
    # An exchange count is the number of distinct ordinals, never the number of events.
    "year_exchanges_are_ordinals": """
        SELECT 'year ' || y.year,
               'events hold ' || count(DISTINCT e.exchange_ordinal)
               || ' distinct exchange ordinals, the yearly figure says ' || y.exchanges
        FROM yearly_total y JOIN return_event e
          ON CAST(strftime('%Y', e.date) AS INTEGER) = y.year
        WHERE y.exchanges IS NOT NULL
        GROUP BY y.year
        HAVING count(DISTINCT e.exchange_ordinal) <> y.exchanges""",
    # Events that share an ordinal are its numbered stages.
    "stages_numbered": """
        SELECT 'event ' || e.id,
               'exchange ' || e.exchange_ordinal || ' has ' || n.events
               || ' events, so each needs its own stage number'
        FROM return_event e JOIN (
            SELECT exchange_ordinal, count(*) AS events, count(DISTINCT exchange_stage) AS stages
            FROM return_event GROUP BY exchange_ordinal) n
          ON n.exchange_ordinal = e.exchange_ordinal
        WHERE n.events > 1 AND (e.exchange_stage IS NULL OR n.stages <> n.events)""",
    "cumulative_adds_up": """
        SELECT 'total as of ' || c.as_of,
               c.returned_to_ukraine || ' returned is not the sum of the yearly figures, '
               || (SELECT sum(y.returned_to_ukraine) FROM yearly_total y
                   WHERE y.year <= CAST(strftime('%Y', c.as_of) AS INTEGER))
        FROM cumulative_total c
        WHERE c.returned_to_ukraine <> (
            SELECT coalesce(sum(y.returned_to_ukraine), 0) FROM yearly_total y
            WHERE y.year <= CAST(strftime('%Y', c.as_of) AS INTEGER))""",
    "cumulative_exchanges_are_highest_ordinal": """
        SELECT 'total as of ' || c.as_of,
               c.exchanges || ' exchanges, but the highest ordinal by then is '
               || (SELECT max(e.exchange_ordinal) FROM return_event e WHERE e.date <= c.as_of)
        FROM cumulative_total c
        WHERE EXISTS (SELECT 1 FROM return_event e WHERE e.date <= c.as_of)
          AND c.exchanges <> (SELECT max(e.exchange_ordinal) FROM return_event e
                              WHERE e.date <= c.as_of)""",
    "every_figure_sourced": """
        SELECT 'event ' || id, 'no source' FROM return_event
        WHERE id NOT IN (SELECT event_id FROM return_event_source)
        UNION ALL
        SELECT 'year ' || year, 'no source' FROM yearly_total
        WHERE year NOT IN (SELECT year FROM yearly_total_source)
        UNION ALL
        SELECT 'total as of ' || as_of, 'no source' FROM cumulative_total
        WHERE as_of NOT IN (SELECT as_of FROM cumulative_total_source)""",
    "has_figures": """
        SELECT 'database', 'holds no cumulative total' WHERE NOT EXISTS (SELECT 1 FROM cumulative_total)
        UNION ALL
        SELECT 'database', 'holds no yearly totals' WHERE NOT EXISTS (SELECT 1 FROM yearly_total)""",
}


def violations(connection: sqlite3.Connection) -> list[Violation]:
    """Every rule broken by the database behind `connection`, foreign keys included."""
    found = [
        Violation(rule, subject, detail)
        for rule, sql in RULES.items()
        for subject, detail in connection.execute(sql).fetchall()
    ]
    found += [
        Violation("foreign_keys", f"table {table}", f"row {rowid} points to a missing {parent} row")
        for table, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check").fetchall()
    ]
    return found


def check(connection: sqlite3.Connection) -> None:
    """Raise DataCheckError naming every broken rule; return quietly when all hold."""
    found = violations(connection)
    if found:
        raise DataCheckError(found)
