"""Yearly totals and the summary, against the seeded facts."""

from fastapi.testclient import TestClient

KI_2024 = "https://kyivindependent.com/ukraine-has-brought-back-1-358-people-from-russian-captivity-in-2024/"


def test_yearly_totals_are_the_sourced_figures(client: TestClient) -> None:
    rows = client.get("/stats/yearly").json()["data"]
    assert [
        (
            r["year"],
            r["returned_to_ukraine"],
            r["exchanges"],
            r["basis"],
            r["change_from_previous_year"],
            r["cumulative_returned_to_ukraine"],
            r["recorded_events"],
        )
        for r in rows
    ] == [
        (2022, 1596, None, "reported", None, 1596, 0),
        (2023, 1002, None, "derived", -594, 2598, 0),
        (2024, 1358, 11, "reported", 356, 3956, 12),
    ]


def test_yearly_totals_mark_2023_as_derived_and_say_how(client: TestClient) -> None:
    row = client.get("/stats/yearly/2023").json()["data"]
    assert row["basis"] == "derived"
    assert "1,358 - 356" in row["derivation"] and "2,598 - 1,596" in row["derivation"]
    assert len(row["source_urls"]) == 4


def test_every_yearly_row_carries_its_own_sources(client: TestClient) -> None:
    rows = client.get("/stats/yearly").json()["data"]
    assert [len(r["source_urls"]) for r in rows] == [3, 4, 3]
    assert rows[2]["source_urls"][0] == KI_2024


def test_yearly_meta_gives_the_as_of_date(client: TestClient) -> None:
    assert client.get("/stats/yearly").json()["meta"] == {"as_of": "2024-12-30"}


def test_year_range_filter_keeps_cumulative_since_2022(client: TestClient) -> None:
    rows = client.get("/stats/yearly", params={"year_from": 2023, "year_to": 2024}).json()["data"]
    assert [(r["year"], r["cumulative_returned_to_ukraine"]) for r in rows] == [(2023, 2598), (2024, 3956)]


def test_reversed_year_range_is_a_400_naming_the_parameter(client: TestClient) -> None:
    response = client.get("/stats/yearly", params={"year_from": 2024, "year_to": 2022})
    assert response.status_code == 400
    assert response.json()["errors"][0]["name"] == "year_to"


def test_one_year_has_its_sources_in_meta(client: TestClient) -> None:
    body = client.get("/stats/yearly/2024").json()
    assert body["data"]["returned_to_ukraine"] == 1358
    assert body["meta"]["source_urls"] == body["data"]["source_urls"]


def test_year_without_figures_is_a_404_naming_the_year(client: TestClient) -> None:
    response = client.get("/stats/yearly/2021")
    assert response.status_code == 404
    assert "2021" in response.json()["detail"]


def test_summary_counts_since_the_invasion(client: TestClient) -> None:
    body = client.get("/stats/summary").json()
    data = body["data"]
    assert {k: v for k, v in data.items() if k not in ("note", "source_urls")} == {
        "since": "2022-02-24",
        "as_of": "2024-12-30",
        "returned_to_ukraine": 3956,
        "exchanges": 59,
        "basis": "reported",
        "first_recorded_event_id": "2024-01-03",
        "first_recorded_event_date": "2024-01-03",
        "last_recorded_event_id": "2024-12-30",
        "last_recorded_event_date": "2024-12-30",
        "largest_recorded_event_id": "2024-01-03",
        "largest_recorded_event_returned_to_ukraine": 230,
    }
    assert data["source_urls"][0] == KI_2024
    assert body["meta"]["source_urls"] == data["source_urls"]
