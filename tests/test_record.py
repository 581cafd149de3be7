"""The record (data/) as the service publishes it: what holds for any valid record.

These are the data tests. They name no count, figure or date of today's record: every expectation is
worked out here from data/'s own files, so an editor's valid change lands without a test edit (the
tests of the software assert exact values on the fixture record, tests/fixture/). The database is
the one `make db` builds, from seed.sql.
"""

import csv
import datetime as dt
import io
import itertools
import json
from collections import defaultdict
from collections.abc import Iterator
from email.utils import formatdate
from typing import Any

import pytest
from fastapi.testclient import TestClient
from frictionless import Package

from app.build_db import stamped
from app.config import Settings
from app.main import create_app
from app.seed import DATA, SEED, render, validate_package

HTML = {"Accept": "text/html"}


def rows(name: str) -> list[dict[str, str]]:
    """A data file's rows, as the editor wrote them."""
    with (DATA / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def figure(cell: str) -> int | None:
    return int(cell) if cell else None


def events() -> list[dict[str, str]]:
    """Every event, in date order (then id, as the API orders them)."""
    return sorted(rows("events.csv"), key=lambda row: (row["date"], row["id"]))


def on_record(held: list[dict[str, str]]) -> int | None:
    """What exchanges and local swaps with a figure add up to; None where none has one."""
    known = [int(row["returned_to_ukraine"]) for row in held if row["kind"] != "release" and row["returned_to_ukraine"]]
    return sum(known) if known else None


def released(held: list[dict[str, str]]) -> int | None:
    known = [int(row["returned_to_ukraine"]) for row in held if row["kind"] == "release" and row["returned_to_ukraine"]]
    return sum(known) if known else None


def as_of() -> str:
    """The record's as-of date: its latest event or published total."""
    return max([row["date"] for row in rows("events.csv")] + [row["as_of"] for row in rows("published_totals.csv")])


@pytest.fixture(scope="module")
def served(record_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=record_url))) as client:
        yield client


def every(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every row of a paged list, page by page."""
    found: list[dict[str, Any]] = []
    while True:
        body = client.get(path, params={**params, "limit": 1000, "offset": len(found)}).json()
        found += body["data"]
        if len(found) >= body["meta"]["total"]:
            return found


def test_data_is_a_valid_data_package_and_each_file_has_its_schema_columns() -> None:
    report = Package(str(DATA / "datapackage.json"), basepath=str(DATA)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert validate_package(DATA) == ([], {})
    descriptor = json.loads((DATA / "datapackage.json").read_text("utf-8"))
    for resource in descriptor["resources"]:
        header = (DATA / resource["path"]).read_text("utf-8").splitlines()[0].split(",")
        assert header == [field["name"] for field in resource["schema"]["fields"]], resource["path"]


def test_seed_sql_is_generated_from_data_and_current() -> None:
    # Fails when data/ changed and `make seed` was not run (or seed.sql was edited by hand).
    assert stamped(render(DATA)) == SEED.read_text("utf-8"), "seed.sql is stale: run `make seed`"


@pytest.mark.parametrize(
    "name", ["events", "breakdown", "yearly", "published_totals", "reconciliation", "categories", "publishers"]
)
def test_each_served_resource_is_its_data_file(served: TestClient, name: str) -> None:
    text = served.get(f"/data/{name}.csv").text
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as file:
        assert list(csv.reader(io.StringIO(text))) == list(csv.reader(file))


def test_every_event_answers_in_every_format_language_and_dimension(served: TestClient) -> None:
    dimensions = sorted({row["dimension"] for row in rows("breakdown.csv")})
    for event in events():
        path = f"/exchanges/{event['id']}"
        for url in (path, f"{path}.csv", f"{path}?lang=uk", *(f"{path}/units?dimension={d}" for d in dimensions)):
            assert served.get(url).status_code == 200, url
        data = served.get(path).json()["data"]
        assert (data["date"], data["kind"], data["returned_to_ukraine"]) == (
            event["date"],
            event["kind"],
            figure(event["returned_to_ukraine"]),
        )
        assert data["source_urls"] == event["source_urls"].split(" | ")
        assert data["sentence"] and served.get(f"{path}?lang=uk").json()["data"]["sentence"] != data["sentence"]
        assert served.get(f"{path}/units.svg").status_code == 200


def test_every_year_answers_with_its_page_and_chart(served: TestClient) -> None:
    event_years = sorted({int(row["date"][:4]) for row in rows("events.csv")})
    years = sorted(set(event_years) | {int(row["year"]) for row in rows("yearly.csv")})
    for year in years:
        for url in (f"/stats/yearly/{year}", f"/stats/yearly/{year}.csv", f"/stats/yearly/{year}?lang=uk"):
            assert served.get(url).status_code == 200, url
    for year in event_years:
        for url in (f"/?year={year}", f"/?year={year}&lang=uk", f"/exchanges.svg?year={year}"):
            response = served.get(url, headers=HTML)
            assert response.status_code == 200, url
    for path in ("/stats/yearly.svg", "/stats/monthly.svg", "/stats/totals.svg", "/feed.atom", "/sources.csv"):
        assert served.get(path).status_code == 200, path


def test_each_year_sums_its_events_and_states_its_remainder(served: TestClient) -> None:
    official = {int(row["year"]): row for row in rows("yearly.csv")}
    by_year: dict[int, list[dict[str, str]]] = defaultdict(list)
    for event in events():
        by_year[int(event["date"][:4])].append(event)
    served_years = {row["year"]: row for row in served.get("/stats/yearly").json()["data"]}
    assert sorted(served_years) == sorted(official.keys() | by_year.keys())
    cumulative: int | None = 0
    for year, row in sorted(served_years.items()):
        held, total = by_year.get(year, []), official.get(year)
        stated = int(total["returned_to_ukraine"]) if total else None
        cumulative = None if cumulative is None or stated is None else cumulative + stated
        assert row["returned_to_ukraine"] == stated
        assert row["basis"] == (total["basis"] if total else "no_official_total")
        assert row["recorded_events"] == len(held)
        assert row["events_undisclosed"] == sum(1 for event in held if not event["returned_to_ukraine"])
        assert row["on_record_returned_to_ukraine"] == on_record(held)
        assert row["on_record_released_outside_exchanges"] == released(held)
        remainder = None if stated is None or not held else stated - (on_record(held) or 0)
        assert row["unaccounted_remainder"] == remainder
        assert row["cumulative_returned_to_ukraine"] == cumulative
        assert row["sentence"]


def test_every_month_lists_its_events_and_adds_them_up(served: TestClient) -> None:
    by_month: dict[str, list[dict[str, str]]] = defaultdict(list)
    for event in events():
        by_month[event["date"][:7]].append(event)
    months = {row["month"]: row for row in served.get("/stats/monthly").json()["data"]}
    assert sorted(months) == sorted(by_month)
    for month, held in by_month.items():
        row = months[month]
        assert row["event_ids"] == [event["id"] for event in held]
        assert row["on_record_returned_to_ukraine"] == on_record(held)
        assert row["exchanges"] == len({event["exchange_ordinal"] for event in held if event["exchange_ordinal"]})


def test_the_summary_heads_with_the_latest_headquarters_total_and_counts_every_event(served: TestClient) -> None:
    totals = rows("published_totals.csv")
    headquarters = [row for row in totals if row["publisher"] == "coordination_hq"]
    head = max(headquarters, key=lambda row: row["as_of"])
    held = events()
    data = served.get("/stats/summary").json()["data"]
    assert (data["as_of"], data["returned_to_ukraine"]) == (head["as_of"], int(head["returned_to_ukraine"]))
    assert data["recorded_events"] == len(held)
    assert data["events_undisclosed"] == sum(1 for event in held if not event["returned_to_ukraine"])
    assert data["on_record_returned_to_ukraine"] == (on_record(held) or 0)
    assert (data["first_recorded_event_id"], data["last_recorded_event_id"]) == (held[0]["id"], held[-1]["id"])
    ordinals = [int(e["exchange_ordinal"]) for e in held if e["exchange_ordinal"] and e["date"] <= head["as_of"]]
    assert data["exchanges"] == max(ordinals, default=None)
    yearly = rows("yearly.csv")
    assert data["yearly_totals_add_up_to"] == sum(int(row["returned_to_ukraine"]) for row in yearly)


def test_every_published_total_states_what_the_records_held_by_then(served: TestClient) -> None:
    totals = served.get("/stats/totals").json()["data"]
    assert sorted((row["as_of"], row["publisher"]) for row in rows("published_totals.csv")) == [
        (row["as_of"], row["publisher"]) for row in totals
    ]
    for row in totals:
        held = [event for event in events() if event["date"] <= row["as_of"]]
        assert row["on_record_by_then"] == (on_record(held) or 0)
        assert row["difference_from_record"] == row["returned_to_ukraine"] - row["on_record_by_then"]


def test_the_served_gaps_are_the_documented_ones(served: TestClient) -> None:
    documented = {(row["kind"], row["subject"]): figure(row["unaccounted"]) for row in rows("reconciliation.csv")}
    gaps = served.get("/stats/reconciliation").json()["data"]
    assert {(row["kind"], row["subject"]): row["unaccounted"] for row in gaps} == documented
    for row in gaps:
        if row["stated"] is not None:
            assert row["unaccounted"] == row["stated"] - (row["on_record"] or 0)


def test_every_breakdown_accounts_for_its_rows(served: TestClient) -> None:
    parts: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows("breakdown.csv"):
        if not row["part_of"]:
            parts[row["event_id"], row["dimension"]] += int(row["people"])
    figures = {event["id"]: figure(event["returned_to_ukraine"]) for event in events()}
    for (event_id, dimension), accounted in parts.items():
        meta = served.get(f"/exchanges/{event_id}/units", params={"dimension": dimension}).json()["meta"]
        total = figures[event_id]
        assert (meta["total"], meta["accounted_for"]) == (total, accounted)
        assert meta["unattributed"] == (None if total is None else total - accounted)


def test_the_latest_event_as_of_and_last_modified_follow_the_data(served: TestClient) -> None:
    latest, day = events()[-1], as_of()
    response = served.get("/exchanges", params={"offset": len(events()) - 1})
    assert response.json()["data"][-1]["id"] == latest["id"]
    assert response.json()["meta"]["as_of"] == day
    midnight = dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)
    assert response.headers["last-modified"] == formatdate(midnight.timestamp(), usegmt=True)
    assert served.get("/health").json()["as_of"] == day
    assert served.get("/datapackage.json").json()["version"] == day.replace("-", ".")
    assert f"<updated>{day}T00:00:00Z</updated>" in served.get("/feed.atom").text
    assert served.get("/stats/yearly").json()["meta"]["as_of"] == day


def test_as_of_each_year_end_keeps_the_events_and_totals_dated_by_then(served: TestClient) -> None:
    held = events()
    first = min(held[0]["date"], *(row["as_of"] for row in rows("published_totals.csv")))
    days = [f"{year}-12-31" for year in range(int(first[:4]), int(as_of()[:4]))] + [as_of()]
    for day in days:
        by_then = [event["id"] for event in held if event["date"] <= day]
        assert [row["id"] for row in every(served, "/exchanges", as_of=day)] == by_then, day
        stated = sorted((r["as_of"], r["publisher"]) for r in rows("published_totals.csv") if r["as_of"] <= day)
        assert [(r["as_of"], r["publisher"]) for r in served.get(f"/stats/totals?as_of={day}").json()["data"]] == stated
        yearly = {row["year"]: row for row in served.get(f"/stats/yearly?as_of={day}").json()["data"]}
        for year, group in itertools.groupby(held, key=lambda event: int(event["date"][:4])):
            dated = [event for event in group if event["date"] <= day]
            if dated:
                assert yearly[year]["recorded_events"] == len(dated), (day, year)
