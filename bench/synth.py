"""Write a valid synthetic database with N events, for load and scale tests only.

    python -m bench.synth --events 2000 --database var/synth-2k.db

It goes through the real build (migrations, then a generated data-only seed, then the data checks),
so the synthetic database obeys every rule the real one does. 2,000 events, twenty times the
real record, is the size the service is made for (issue 32). Figures are made up and every row says
so; it refuses to write over the real database.
"""

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

from app.build_db import build
from app.config import DEFAULT_DATABASE_URL
from app.db import sqlite_path

# Four events every three days: 2,000 events from March 2022 to April 2026, the real record's years (so
# the benchmark's URLs, such as /exchanges/2024-12-30 and as_of=2025-06-01, ask for events that exist).
DAYS_PER_EVENT = 0.75
SOURCES = 500
FIRST_DATE = dt.date(2022, 3, 1)
NOTE = "Synthetic figure for load testing; not a real event."


def _values(rows: list[str]) -> str:
    """SQL VALUES tuples, one a line."""
    return ",\n".join(rows)


def _yearly_totals(per_year: dict[int, int], ordinals_per_year: dict[int, set[int]]) -> list[str]:
    """Each year's total: the sum of its exchanges (releases apart), its exchanges its distinct ordinals."""
    sql: list[str] = []
    sql.append("INSERT INTO yearly_total (year, returned_to_ukraine, exchanges, basis, derivation) VALUES")
    sql.append(
        _values(
            [
                f"({year}, {total}, {len(ordinals_per_year[year])}, 'derived', "
                "'Synthetic: the sum of that year''s exchanges.')"
                for year, total in sorted(per_year.items())
            ]
        )
        + ";"
    )
    sql.append("INSERT INTO yearly_total_source (year, source_id, position) VALUES")
    sql.append(_values([f"({year}, 1, 1)" for year in sorted(per_year)]) + ";")
    return sql


def _published_totals(year_end_totals: dict[int, tuple[str, int, int]]) -> list[str]:
    """The Coordination Headquarters' total after the last disclosed exchange of each year."""
    sql: list[str] = []
    sql.append(
        "INSERT INTO publisher (code, label_en, label_uk) VALUES ('coordination_hq', "
        "'Coordination Headquarters for the Treatment of Prisoners of War', "
        "'Координаційний штаб з питань поводження з військовополоненими');"
    )
    sql.append(
        "INSERT INTO published_total (as_of, publisher, returned_to_ukraine, exchanges, scope_note, evidence, "
        "returned_is_lower_bound, exchanges_is_lower_bound) VALUES"
    )
    sql.append(
        _values(
            [
                f"('{day}', 'coordination_hq', {total}, {count}, '{NOTE}', 'confirmed', 0, 0)"
                for day, total, count in year_end_totals.values()
            ]
        )
        + ";"
    )
    sql.append("INSERT INTO published_total_source (as_of, publisher, source_id, position) VALUES")
    sql.append(_values([f"('{day}', 'coordination_hq', 1, 1)" for day, _, _ in year_end_totals.values()]) + ";")
    return sql


def _categories_and_sources() -> list[str]:
    """The categories the breakdowns use and the sources the events cite."""
    sql = ["INSERT INTO category (code, label_en, label_uk) VALUES"]
    sql.append(
        _values(
            [
                "('armed_forces', 'Armed Forces of Ukraine', 'Збройні сили України')",
                "('territorial_defence', 'Territorial Defence Forces', 'Сили територіальної оборони')",
                "('national_guard', 'National Guard', 'Національна гвардія України')",
                "('civilians', 'civilians', 'цивільні')",
                "('privates_and_sergeants', 'privates and sergeants', 'рядові та сержанти')",
                "('officers', 'officers', 'офіцери')",
            ]
        )
        + ";"
    )
    sql.append("INSERT INTO source (id, url, publisher, published_on, title) VALUES")
    sql.append(
        _values(
            [f"({i}, 'https://synthetic.invalid/{i}', 'synthetic.invalid', NULL, NULL)" for i in range(1, SOURCES + 1)]
        )
        + ";"
    )
    return sql


def synthetic_seed(events: int, seed: int = 20241230) -> str:
    """Data-only SQL for `events` plausible events that pass every data check."""
    rng = random.Random(seed)
    sql = ["BEGIN;", *_categories_and_sources()]
    event_rows, link_rows, breakdown_rows = [], [], []
    per_year: dict[int, int] = {}
    ordinals_per_year: dict[int, set[int]] = {}
    year_end_totals: dict[int, tuple[str, int, int]] = {}
    running = 0
    ordinal = 0
    stage = number = 0
    day: dt.date | None = None
    for index in range(events):
        day, previous = FIRST_DATE + dt.timedelta(days=int(index * DAYS_PER_EVENT)), day
        number = number + 1 if day == previous else 0  # the events before it on its date
        event_id = day.isoformat() + (f"-{number + 1}" if number else "")
        returned: int | None = rng.randint(10, 300)
        kind, evidence, handed = "exchange", "confirmed", str(returned) if index % 7 else "NULL"
        if stage != 1 and index % 30 == 29:  # a release outside any exchange: no ordinal, no running total
            kind, sql_ordinal, sql_stage, sql_running = "release", "NULL", "NULL", "NULL"
        else:
            # Every 25th exchange comes in two stages, like the 53rd.
            if stage == 1:
                stage = 2
            else:
                ordinal += 1
                stage = 1 if ordinal % 25 == 0 and index + 1 < events else 0
            if stage == 0 and index % 40 == 17:  # a figure never disclosed: unknown, adds nothing
                returned, evidence = None, "undisclosed"
            ordinals_per_year.setdefault(day.year, set()).add(ordinal)
            running += returned or 0
            per_year[day.year] = per_year.get(day.year, 0) + (returned or 0)
            sql_ordinal, sql_stage = str(ordinal), str(stage) if stage else "NULL"
            sql_running = "NULL" if returned is None else str(running)
            if returned is not None:
                year_end_totals[day.year] = (day.isoformat(), running, ordinal)
        sql_returned = "NULL" if returned is None else str(returned)
        event_rows.append(
            f"('{event_id}', '{day}', {sql_ordinal}, {sql_stage}, '{kind}', NULL, {sql_returned}, '{evidence}', "
            f"{handed}, NULL, 'UAE', {sql_running}, '{NOTE}', NULL)"
        )
        for position, source in enumerate({rng.randint(1, SOURCES) for _ in range(2)}, 1):
            link_rows.append(f"('{event_id}', {source}, {position})")
        if returned is None:
            continue
        armed = returned // 2
        guard = returned // 4
        breakdown_rows += [
            f"('{event_id}', 'service', 'armed_forces', {armed}, NULL, NULL)",
            f"('{event_id}', 'service', 'territorial_defence', {armed // 3}, 'armed_forces', NULL)",
            f"('{event_id}', 'service', 'national_guard', {guard}, NULL, NULL)",
            f"('{event_id}', 'rank', 'officers', {returned // 10}, NULL, NULL)",
            f"('{event_id}', 'rank', 'privates_and_sergeants', {returned - returned // 10}, NULL, NULL)",
        ]
    # Events must reference the category rows above and their sources; stage 1 never ends the data.
    for table, columns, rows in (
        (
            "return_event",
            "id, date, exchange_ordinal, exchange_stage, kind, agreement, returned_to_ukraine, evidence, "
            "returned_to_russia, returned_to_russia_note, mediator, running_total_after, note, breakdown_note",
            event_rows,
        ),
        ("return_event_source", "event_id, source_id, position", link_rows),
        ("breakdown", "event_id, dimension, category, people, part_of, note", breakdown_rows),
    ):
        for start in range(0, len(rows), 5000):
            sql.append(f"INSERT INTO {table} ({columns}) VALUES\n{_values(rows[start : start + 5000])};")
    sql += _yearly_totals(per_year, ordinals_per_year)
    sql += _published_totals(year_end_totals)
    sql.append("COMMIT;")
    return "\n".join(sql) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line: build a synthetic database of --events events at --database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument("--database", type=Path, required=True, help="file to write (never the real one)")
    args = parser.parse_args(argv)
    target = args.database.resolve()
    if target == sqlite_path(DEFAULT_DATABASE_URL):
        print(f"synth: refusing to overwrite the real database {target}", file=sys.stderr)
        return 2
    path = build(f"sqlite:///{target}", synthetic_seed(args.events))
    print(f"synth: built {path} with {args.events} synthetic events; data checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
