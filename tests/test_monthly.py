"""Month by month: rows only for months with events, sums that never invent a zero."""

import csv
from collections import defaultdict

from fastapi.testclient import TestClient

from tests.conftest import FIXTURE


def test_months_add_up_to_the_yearly_on_record_figures_for_every_year(client: TestClient) -> None:
    months = client.get("/stats/monthly").json()["data"]
    years = {row["year"]: row for row in client.get("/stats/yearly").json()["data"]}
    added: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for month in months:
        sums = added[int(month["month"][:4])]
        sums["events"] += month["recorded_events"]
        sums["undisclosed"] += month["events_undisclosed"]
        sums["on_record"] += month["on_record_returned_to_ukraine"] or 0
        sums["released"] += month["on_record_released_outside_exchanges"] or 0
    assert sorted(added) == [2022, 2023, 2024, 2025, 2026]
    for year, sums in added.items():
        row = years[year]
        assert sums["events"] == row["recorded_events"]
        assert sums["undisclosed"] == row["events_undisclosed"]
        assert sums["on_record"] == row["on_record_returned_to_ukraine"]
        assert sums["released"] == (row["on_record_released_outside_exchanges"] or 0)


def test_may_2025_holds_the_64th_and_the_three_istanbul_1_stages(client: TestClient) -> None:
    rows = {r["month"]: r for r in client.get("/stats/monthly", params={"year": 2025}).json()["data"]}
    assert rows["2025-05"] == {
        "month": "2025-05",
        "recorded_events": 4,
        "on_record_returned_to_ukraine": 1205,
        "on_record_released_outside_exchanges": None,
        "events_undisclosed": 0,
        "exchanges": 2,
        "event_ids": ["2025-05-06", "2025-05-23", "2025-05-24", "2025-05-25"],
    }


def test_june_2025_holds_undisclosed_stages_and_no_invented_sum(client: TestClient) -> None:
    rows = {r["month"]: r for r in client.get("/stats/monthly", params={"year": 2025}).json()["data"]}
    june = rows["2025-06"]
    assert (june["recorded_events"], june["events_undisclosed"], june["on_record_returned_to_ukraine"]) == (7, 7, None)
    assert june["exchanges"] == 0  # the Istanbul-2 stages carry no ordinal
    assert "2025-06" in client.get("/stats/monthly.csv", params={"year": 2025}).text.split("\r\n")[6]
    assert ",2025-06," not in client.get("/stats/monthly.csv").text  # no stray zero sum anywhere


def test_months_without_events_have_no_row(client: TestClient) -> None:
    months = [r["month"] for r in client.get("/stats/monthly", params={"year": 2022}).json()["data"]]
    assert months == ["2022-03", "2022-04", "2022-05", "2022-06", "2022-09", "2022-10", "2022-11", "2022-12"]


def test_every_month_lists_exactly_its_events(client: TestClient) -> None:
    with (FIXTURE / "events.csv").open(encoding="utf-8") as file:
        expected: dict[str, list[str]] = defaultdict(list)
        for row in csv.DictReader(file):
            expected[row["date"][:7]].append(row["id"])
    served = {r["month"]: r["event_ids"] for r in client.get("/stats/monthly").json()["data"]}
    assert served == {month: sorted(ids) for month, ids in expected.items()}


def test_monthly_filters_and_their_errors(client: TestClient) -> None:
    rows = client.get("/stats/monthly", params={"date_from": "2026-03-01", "date_to": "2026-03-31"}).json()["data"]
    assert [(r["month"], r["on_record_returned_to_ukraine"], r["exchanges"]) for r in rows] == [("2026-03", 502, 2)]
    reversed_range = client.get("/stats/monthly", params={"date_from": "2026-03-31", "date_to": "2026-03-01"})
    assert reversed_range.status_code == 400 and reversed_range.json()["errors"][0]["name"] == "date_to"


def test_monthly_chart_draws_gaps_not_zeros_and_marks_undisclosed_months(client: TestClient) -> None:
    svg = client.get("/stats/monthly.svg", params={"year": 2025}).text
    assert "People returned per month, on record" in svg
    assert "2025-06: ? (+7 undisclosed)" in svg  # June: no sum, seven unknown figures
    assert "2025-07" in svg and "2025-09" not in svg.split("<desc")[1].split("</desc>")[0]  # no event in September
    assert svg.count('stroke-dasharray="5 3"') == 3  # June, July and August hold undisclosed figures
    assert "A month without a column had no event on record" in svg
