"""`as_of`: the fixture record as it stood on a given day, computed here from its files for comparison."""

import csv
import datetime as dt

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURE


def _read(name: str) -> list[dict[str, str]]:
    with (FIXTURE / name).open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


DAYS = ["2022-06-30", "2023-12-31", "2024-12-31", "2025-06-01", "2026-03-06"]


@pytest.mark.parametrize("day", DAYS)
def test_exchanges_as_of_a_day_are_the_events_dated_by_then(client: TestClient, day: str) -> None:
    body = client.get("/exchanges", params={"as_of": day, "limit": 1000}).json()
    expected = [row["id"] for row in _read("events.csv") if row["date"] <= day]
    assert [row["id"] for row in body["data"]] == expected
    assert body["meta"]["as_of"] == day


@pytest.mark.parametrize("day", DAYS)
def test_totals_as_of_a_day_are_those_published_by_then(client: TestClient, day: str) -> None:
    rows = client.get("/stats/totals", params={"as_of": day}).json()["data"]
    expected = sorted((row["as_of"], row["publisher"]) for row in _read("published_totals.csv") if row["as_of"] <= day)
    assert [(row["as_of"], row["publisher"]) for row in rows] == expected


@pytest.mark.parametrize("day", DAYS)
def test_summary_as_of_a_day_heads_with_the_latest_hq_total_by_then(client: TestClient, day: str) -> None:
    totals = [row for row in _read("published_totals.csv") if row["as_of"] <= day]
    hq = [row for row in totals if row["publisher"] == "coordination_hq"]
    headline = max(hq or totals, key=lambda row: row["as_of"])
    events = [row for row in _read("events.csv") if row["date"] <= day]
    on_record = sum(int(row["returned_to_ukraine"] or 0) for row in events if row["kind"] != "release")
    data = client.get("/stats/summary", params={"as_of": day}).json()["data"]
    assert (data["as_of"], data["returned_to_ukraine"], data["publisher"]) == (
        headline["as_of"],
        int(headline["returned_to_ukraine"]),
        headline["publisher"],
    )
    assert (data["recorded_events"], data["on_record_returned_to_ukraine"]) == (len(events), on_record)
    assert data["last_recorded_event_id"] == events[-1]["id"]


def test_as_of_2025_06_01_gives_5757_and_as_of_2024_12_31_gives_3956(client: TestClient) -> None:
    june = client.get("/stats/summary", params={"as_of": "2025-06-01"}).json()["data"]
    assert (june["returned_to_ukraine"], june["as_of"], june["publisher"]) == (5757, "2025-05-25", "coordination_hq")
    year_end = client.get("/stats/summary", params={"as_of": "2024-12-31"}).json()
    assert (year_end["data"]["returned_to_ukraine"], year_end["data"]["exchanges"]) == (3956, 59)
    assert year_end["meta"]["as_of"] == "2024-12-31"


def test_yearly_as_of_a_day_shows_the_year_in_progress_as_on_record_so_far(client: TestClient) -> None:
    rows = {r["year"]: r for r in client.get("/stats/yearly", params={"as_of": "2025-06-01"}).json()["data"]}
    assert sorted(rows) == [2022, 2023, 2024, 2025]
    assert rows[2024]["returned_to_ukraine"] == 1358  # the year had ended
    so_far = rows[2025]
    assert (so_far["returned_to_ukraine"], so_far["basis"], so_far["on_record_returned_to_ukraine"]) == (
        None,
        "no_official_total",
        25 + 150 + 175 + 246 + 205 + 390 + 307 + 303,
    )
    assert so_far["on_record_released_outside_exchanges"] == 53
    assert "published by 1 June 2025." in so_far["derivation"]
    assert so_far["sentence"].startswith("No official total for 2025 has been published")


def test_monthly_as_of_a_day_stops_that_day(client: TestClient) -> None:
    rows = client.get("/stats/monthly", params={"as_of": "2025-05-24"}).json()["data"]
    assert rows[-1]["month"] == "2025-05" and rows[-1]["event_ids"] == ["2025-05-06", "2025-05-23", "2025-05-24"]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2022-02-28", "2022-02-28 is outside the record"),
        ("2026-05-16", "2026-05-16 is outside the record"),
        ("2025-02-30", "'2025-02-30' is not a calendar date"),
        ("yesterday", "String should match pattern"),
    ],
)
def test_bad_as_of_values_are_400s_that_say_the_range(client: TestClient, value: str, problem: str) -> None:
    for path in ("/stats/summary", "/stats/yearly", "/stats/monthly", "/stats/totals", "/exchanges"):
        response = client.get(path, params={"as_of": value})
        assert response.status_code == 400, path
        error = response.json()["errors"][0]
        assert error["name"] == "as_of" and problem in error["problem"]
        if "outside" in problem:
            assert error["allowed"] == "a date from 2022-03-01 (the first record) to 2026-05-15 (the latest)"


def test_summary_before_any_published_total_is_a_404_that_says_when_the_first_came(client: TestClient) -> None:
    response = client.get("/stats/summary", params={"as_of": "2022-04-01"})
    assert response.status_code == 404
    assert "the first is from 2022-04-21" in response.json()["detail"]


def _known(values: list[int | None]) -> int | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(dt.date(2022, 4, 21), dt.date(2026, 5, 15)))
def test_any_day_sums_what_the_events_dated_by_then_hold(client: TestClient, day: dt.date) -> None:
    events = [row for row in _read("events.csv") if row["date"] <= day.isoformat()]
    figure = {row["id"]: int(row["returned_to_ukraine"]) if row["returned_to_ukraine"] else None for row in events}
    years = {r["year"]: r for r in client.get("/stats/yearly", params={"as_of": day}).json()["data"]}
    assert {int(event["date"][:4]) for event in events} <= years.keys()  # no year with events left out
    for year, row in years.items():
        held = [event for event in events if event["date"].startswith(str(year))]
        assert row["recorded_events"] == len(held)
        assert row["events_undisclosed"] == sum(figure[event["id"]] is None for event in held)
        exchanged = [figure[event["id"]] for event in held if event["kind"] != "release"]
        released = [figure[event["id"]] for event in held if event["kind"] == "release"]
        assert row["on_record_returned_to_ukraine"] == _known(exchanged)
        assert row["on_record_released_outside_exchanges"] == _known(released)
    summary = client.get("/stats/summary", params={"as_of": day}).json()["data"]
    largest = max((e for e in events if figure[e["id"]] is not None), key=lambda e: figure[e["id"]] or 0)
    assert summary["largest_recorded_event_id"] == largest["id"]  # the first of equals
    ordinals = [int(e["exchange_ordinal"]) for e in events if e["exchange_ordinal"] and e["date"] <= summary["as_of"]]
    assert summary["exchanges"] == max(ordinals, default=None)
    months = client.get("/stats/monthly", params={"as_of": day}).json()["data"]
    assert [event_id for month in months for event_id in month["event_ids"]] == [event["id"] for event in events]
