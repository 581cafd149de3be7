"""Data checks: rules every database must pass before it is built, served or called healthy."""

import hashlib
import json
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    """One broken rule: which rule, about what (an event id or a year), and why; and where it lies
    when one table's rows hold it: the table, those rows' keys, and the column at fault."""

    rule: str
    subject: str
    detail: str
    table: str | None = None
    keys: tuple[tuple[str, ...], ...] = ()
    column: str | None = None

    def __str__(self) -> str:
        return f"{self.subject}: {self.detail} (rule {self.rule})"


class DataCheckError(Exception):
    """A database breaks at least one data check."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        shown = "; ".join(str(v) for v in violations[:5])
        more = f"; and {len(violations) - 5} more" if len(violations) > 5 else ""
        super().__init__(f"data checks failed: {shown}{more}")


# Every gap between the event records and an official figure, computed (zero where they agree):
# - year_total: a yearly total against the year's exchanges and local swaps with figures
#   (releases outside exchanges are apart: the yearly totals count exchanges);
# - running_total: a stated running total against the previous one plus the events in between
#   (exchanges and local swaps with figures; the first starts from 0);
# - exchange_ordinal: a number missing between the lowest and highest stated ordinal.
# Undisclosed figures add nothing: they are unknown, not zero. The data checks hold every non-zero
# gap to a documented row of the reconciliation table, and every documented row to a real gap.
GAPS = """
    WITH RECURSIVE ordered AS (
        SELECT id, running_total_after, row_number() OVER calendar AS n,
               sum(CASE WHEN kind <> 'release' THEN coalesce(returned_to_ukraine, 0) ELSE 0 END)
                   OVER calendar AS on_record_so_far
        FROM return_event
        WINDOW calendar AS (ORDER BY date, id ROWS UNBOUNDED PRECEDING)
    ),
    stated AS (
        SELECT id, running_total_after, on_record_so_far,
               lag(on_record_so_far) OVER (ORDER BY n) AS previous_so_far,
               lag(running_total_after) OVER (ORDER BY n) AS previous_total
        FROM ordered WHERE running_total_after IS NOT NULL
    ),
    ordinals AS (SELECT DISTINCT exchange_ordinal AS k FROM return_event WHERE exchange_ordinal IS NOT NULL),
    numbers(k, next) AS (  -- each ordinal missing between two stated ones
        SELECT k + 1, next FROM (SELECT k, lead(k) OVER (ORDER BY k) AS next FROM ordinals) WHERE next > k + 1
        UNION ALL
        SELECT k + 1, next FROM numbers WHERE k + 1 < next
    ),
    gaps AS (
        SELECT 'year_total' AS kind, CAST(y.year AS TEXT) AS subject, y.returned_to_ukraine AS stated,
               (SELECT sum(e.returned_to_ukraine) FROM return_event e
                WHERE e.kind <> 'release' AND e.date >= printf('%04d-01-01', y.year)
                  AND e.date < printf('%04d-01-01', y.year + 1)) AS on_record
        FROM yearly_total y
        WHERE EXISTS (SELECT 1 FROM return_event e WHERE e.date >= printf('%04d-01-01', y.year)
                      AND e.date < printf('%04d-01-01', y.year + 1))
        UNION ALL
        SELECT 'running_total', s.id, s.running_total_after,
               coalesce(s.previous_total, 0) + s.on_record_so_far - coalesce(s.previous_so_far, 0)
        FROM stated s
        UNION ALL
        SELECT 'exchange_ordinal', CAST(k AS TEXT), NULL, NULL FROM numbers
    )
    SELECT kind, subject, stated, on_record,
           CASE WHEN stated IS NULL THEN NULL ELSE stated - coalesce(on_record, 0) END AS unaccounted,
           CASE kind WHEN 'year_total' THEN 'year ' WHEN 'running_total' THEN 'event ' ELSE 'exchange ' END
               || subject AS label
    FROM gaps"""

# Every free-text note beside its Ukrainian version (NULL where none is written yet), and where it is:
# a place to name, the table, the row's key (a JSON array) and the note's column.
NOTES = """
    SELECT returned_to_russia_note AS en, returned_to_russia_note_uk AS uk, 'event ' || id AS place,
           'return_event' AS tbl, json_array(id) AS key, 'returned_to_russia_note' AS col FROM return_event
    UNION ALL SELECT note, note_uk, 'event ' || id, 'return_event', json_array(id), 'note' FROM return_event
    UNION ALL SELECT breakdown_note, breakdown_note_uk, 'event ' || id, 'return_event', json_array(id),
                     'breakdown_note' FROM return_event
    UNION ALL SELECT note, note_uk, 'breakdown of ' || event_id || ', ' || dimension || ' ' || category,
                     'breakdown', json_array(event_id, dimension, category), 'note' FROM breakdown
    UNION ALL SELECT derivation, derivation_uk, 'year ' || year, 'yearly_total', json_array(year), 'derivation'
              FROM yearly_total
    UNION ALL SELECT scope_note, scope_note_uk, 'total of ' || publisher || ' as of ' || as_of, 'published_total',
                     json_array(as_of, publisher), 'scope_note' FROM published_total
    UNION ALL SELECT note, note_uk, 'gap ' || kind || ' ' || subject, 'reconciliation', json_array(kind, subject),
                     'note' FROM reconciliation"""

# Each rule is a query that returns, for every row that breaks it: (subject, detail, table, keys,
# column): what it is about and why, then where it lies, when one table's rows hold it (keys: a JSON
# array of the rows' keys; NULL where no row can be named, such as a number missing between two).
_EVENT = "'return_event', json_array(json_array(id))"
RULES: dict[str, str] = {
    # An id is the event's date, with a -n suffix for a second event on one date.
    "id_is_date": f"""
        SELECT 'event ' || id, 'id does not start with its date ' || date, {_EVENT}, 'id' FROM return_event
        WHERE substr(id, 1, 10) <> date""",
    # Unknown stays unknown: an undisclosed event has no figure, and every other event has one.
    "undisclosed_has_no_figure": f"""
        SELECT 'event ' || id,
               CASE WHEN returned_to_ukraine IS NULL THEN 'no returned_to_ukraine, but evidence is ' || evidence
                    ELSE 'evidence is undisclosed, but returned_to_ukraine is ' || returned_to_ukraine END,
               {_EVENT}, 'evidence'
        FROM return_event
        WHERE (evidence = 'undisclosed') <> (returned_to_ukraine IS NULL)""",
    # People freed outside an exchange are outside the HQ's numbering and running totals.
    "release_outside_numbering": f"""
        SELECT 'event ' || id, 'a release outside exchanges carries an exchange ordinal, stage or running total',
               {_EVENT}, 'kind'
        FROM return_event
        WHERE kind = 'release'
          AND (exchange_ordinal IS NOT NULL OR exchange_stage IS NOT NULL OR running_total_after IS NOT NULL)""",
    # Top-level rows of one event and dimension never overlap, so they cannot exceed the event.
    "breakdown_within_total": """
        SELECT 'event ' || e.id,
               'top-level ' || b.dimension || ' rows add up to ' || sum(b.people)
               || ', more than the ' || e.returned_to_ukraine || ' people returned',
               'breakdown', json_group_array(json_array(b.event_id, b.dimension, b.category)), 'people'
        FROM breakdown b JOIN return_event e ON e.id = b.event_id
        WHERE b.part_of IS NULL AND e.returned_to_ukraine IS NOT NULL
        GROUP BY e.id, b.dimension
        HAVING sum(b.people) > e.returned_to_ukraine""",
    # A part_of row is a subset of its parent (territorial defence inside the Armed Forces).
    "part_within_parent": """
        SELECT 'event ' || c.event_id,
               c.dimension || ' row ' || c.category || ' (' || c.people || ') exceeds its parent '
               || p.category || ' (' || p.people || ')',
               'breakdown', json_array(json_array(c.event_id, c.dimension, c.category)), 'people'
        FROM breakdown c JOIN breakdown p
          ON p.event_id = c.event_id AND p.dimension = c.dimension AND p.category = c.part_of
        WHERE c.people > p.people""",
    # Only one level of nesting: a parent is itself top-level.
    "parent_is_top_level": """
        SELECT 'event ' || c.event_id,
               c.dimension || ' row ' || c.category || ' is part of ' || p.category
               || ', which is itself part of another row',
               'breakdown', json_array(json_array(c.event_id, c.dimension, c.category)), 'part_of'
        FROM breakdown c JOIN breakdown p
          ON p.event_id = c.event_id AND p.dimension = c.dimension AND p.category = c.part_of
        WHERE p.part_of IS NOT NULL""",
    "part_of_another_row": """
        SELECT 'event ' || event_id, dimension || ' row ' || category || ' is part of itself',
               'breakdown', json_array(json_array(event_id, dimension, category)), 'part_of'
        FROM breakdown WHERE part_of = category""",
    # Where the records and an official figure disagree, the gap is documented with its size: a gap
    # documented with another size lies in data/reconciliation.csv, an undocumented one at its figure.
    "gap_documented": f"""
        SELECT g.label,
               CASE WHEN g.kind = 'exchange_ordinal' THEN 'no event carries this exchange ordinal'
                    ELSE 'stated ' || g.stated || ', the records add up to ' || coalesce(g.on_record, 0) END
               || CASE WHEN r.kind IS NULL THEN ', a gap of ' || coalesce(g.unaccounted, 'one ordinal')
                       || ' that data/reconciliation.csv does not document'
                       ELSE ', a gap of ' || g.unaccounted || ' where data/reconciliation.csv documents '
                       || r.unaccounted END,
               CASE WHEN r.kind IS NOT NULL THEN 'reconciliation'
                    WHEN g.kind = 'year_total' THEN 'yearly_total' ELSE 'return_event' END,
               CASE WHEN r.kind IS NOT NULL THEN json_array(json_array(r.kind, r.subject))
                    WHEN g.kind = 'year_total' THEN json_array(json_array(CAST(g.subject AS INTEGER)))
                    WHEN g.kind = 'running_total' THEN json_array(json_array(g.subject)) END,
               CASE WHEN r.kind IS NOT NULL THEN 'unaccounted'
                    WHEN g.kind = 'year_total' THEN 'returned_to_ukraine'
                    WHEN g.kind = 'running_total' THEN 'running_total_after' ELSE 'exchange_ordinal' END
        FROM ({GAPS}) g
        LEFT JOIN reconciliation r ON r.kind = g.kind AND r.subject = g.subject
        WHERE (g.unaccounted IS NULL OR g.unaccounted <> 0)
          AND (r.kind IS NULL OR r.unaccounted IS NOT g.unaccounted)""",
    # A documented gap that the data no longer show is stale documentation.
    "documented_gap_found": f"""
        SELECT r.kind || ' ' || r.subject,
               'data/reconciliation.csv documents a gap of ' || coalesce(r.unaccounted, 'one ordinal')
               || ' that the records do not show',
               'reconciliation', json_array(json_array(r.kind, r.subject)), 'unaccounted'
        FROM reconciliation r
        WHERE NOT EXISTS (
            SELECT 1 FROM ({GAPS}) g
            WHERE g.kind = r.kind AND g.subject = r.subject AND (g.unaccounted IS NULL OR g.unaccounted <> 0))""",
    # Ordinals follow the calendar: a later event never carries a lower number.
    "ordinals_in_date_order": f"""
        SELECT 'event ' || id, 'exchange ordinal ' || exchange_ordinal || ' follows ordinal ' || earlier,
               {_EVENT}, 'exchange_ordinal'
        FROM (SELECT id, exchange_ordinal,
                     max(exchange_ordinal) OVER (ORDER BY date, id
                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS earlier
              FROM return_event WHERE exchange_ordinal IS NOT NULL)
        WHERE exchange_ordinal < earlier""",
    # Events of one exchange (one ordinal) or one agreement without ordinals are its stages 1..n.
    "stages_numbered": f"""
        SELECT 'event ' || id,
               'is event ' || position || ' of ' || events || ' of ' || grouping
               || ', so its exchange_stage must be ' || position,
               {_EVENT}, 'exchange_stage'
        FROM (SELECT id, exchange_stage,
                     coalesce('exchange ' || exchange_ordinal, 'agreement ' || agreement) AS grouping,
                     row_number() OVER (PARTITION BY coalesce(exchange_ordinal, agreement) ORDER BY date, id)
                         AS position,
                     count(*) OVER (PARTITION BY coalesce(exchange_ordinal, agreement)) AS events
              FROM return_event WHERE coalesce(exchange_ordinal, agreement) IS NOT NULL)
        WHERE events > 1 AND exchange_stage IS NOT position""",
    # Where every exchange of a year is numbered, its exchange count is its distinct ordinals.
    "year_exchanges_are_ordinals": """
        SELECT 'year ' || y.year,
               'events hold ' || count(DISTINCT e.exchange_ordinal)
               || ' distinct exchange ordinals, the yearly figure says ' || y.exchanges,
               'yearly_total', json_array(json_array(y.year)), 'exchanges'
        FROM yearly_total y JOIN return_event e
          ON e.date >= printf('%04d-01-01', y.year) AND e.date < printf('%04d-01-01', y.year + 1)
        WHERE y.exchanges IS NOT NULL AND e.kind = 'exchange'
        GROUP BY y.year
        HAVING count(e.exchange_ordinal) = count(*) AND count(DISTINCT e.exchange_ordinal) <> y.exchanges""",
    # A reported total names who reported it; a derived one is nobody's statement.
    "reported_total_has_publisher": """
        SELECT 'year ' || year,
               CASE WHEN basis = 'reported' THEN 'reported, but no publisher is named'
                    ELSE 'derived, but a publisher is named' END,
               'yearly_total', json_array(json_array(year)), 'publisher'
        FROM yearly_total WHERE (basis = 'reported') <> (publisher IS NOT NULL)""",
    "every_figure_sourced": f"""
        SELECT 'event ' || id, 'no source', {_EVENT}, 'source_urls' FROM return_event
        WHERE id NOT IN (SELECT event_id FROM return_event_source)
        UNION ALL
        SELECT 'year ' || year, 'no source', 'yearly_total', json_array(json_array(year)), 'source_urls'
        FROM yearly_total WHERE year NOT IN (SELECT year FROM yearly_total_source)
        UNION ALL
        SELECT 'total of ' || t.publisher || ' as of ' || t.as_of, 'no source', 'published_total',
               json_array(json_array(t.as_of, t.publisher)), 'source_urls'
        FROM published_total t
        WHERE NOT EXISTS (SELECT 1 FROM published_total_source l
                          WHERE l.as_of = t.as_of AND l.publisher = t.publisher)""",
    # A Ukrainian note is the English one in Ukrainian: it has one, and one English note reads the same
    # in Ukrainian wherever it stands (the service looks a note's Ukrainian version up by its English).
    "ukrainian_note_beside_english": f"""
        SELECT place, 'a Ukrainian note without the English note it translates', tbl, json_array(json(key)),
               col || '_uk'
        FROM ({NOTES})
        WHERE uk IS NOT NULL AND uk <> '' AND (en IS NULL OR en = '')
        UNION ALL
        SELECT min(place), 'the same English note has ' || count(DISTINCT uk) || ' Ukrainian versions: '
               || group_concat(DISTINCT place), NULL, NULL, NULL
        FROM ({NOTES}) WHERE uk IS NOT NULL AND uk <> '' GROUP BY en HAVING count(DISTINCT uk) > 1""",
    "has_figures": """
        SELECT 'database', 'holds no Coordination Headquarters total', NULL, NULL, NULL
        WHERE NOT EXISTS (SELECT 1 FROM published_total WHERE publisher = 'coordination_hq')
        UNION ALL
        SELECT 'database', 'holds no yearly totals', NULL, NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM yearly_total)
        UNION ALL
        SELECT 'database', 'holds no events', NULL, NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM return_event)""",
}


# Names this set of rules: a record that a file passed the checks holds it, so new rules run again.
RULES_DIGEST = hashlib.sha256(repr(sorted(RULES.items())).encode()).hexdigest()[:16]


def violations(connection: sqlite3.Connection) -> list[Violation]:
    """Every rule broken by the database behind `connection`, foreign keys included."""
    found = [
        Violation(rule, subject, detail, table, tuple(tuple(map(str, key)) for key in json.loads(keys or "[]")), column)
        for rule, sql in RULES.items()
        for subject, detail, table, keys, column in connection.execute(sql).fetchall()
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
