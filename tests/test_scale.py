"""Scale: a valid 2,000-event synthetic database (the size the record is made for), served exactly; the
response cache stays correct."""

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.checks import violations
from app.config import DEFAULT_DATABASE_URL, Settings
from app.db import sqlite_path
from app.main import create_app
from bench.synth import main as synth_main


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2,000-event synthetic database, built once for the module."""
    path = tmp_path_factory.mktemp("synth") / "synth.db"
    assert synth_main(["--events", "2000", "--database", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def synthetic_client(synthetic: Path) -> Iterator[TestClient]:
    """The app serving the synthetic database."""
    with TestClient(create_app(Settings(database_url=f"sqlite:///{synthetic}"))) as client:
        yield client


def test_synthetic_database_passes_the_data_checks(synthetic: Path) -> None:
    with sqlite3.connect(synthetic) as connection:
        assert connection.execute("SELECT count(*) FROM return_event").fetchone()[0] == 2000
        assert violations(connection) == []


def test_yearly_totals_at_2k_equal_a_direct_sql_aggregation(synthetic: Path, synthetic_client: TestClient) -> None:
    with sqlite3.connect(synthetic) as connection:
        expected = connection.execute(
            """SELECT CAST(substr(date, 1, 4) AS INTEGER) AS year,
                      sum(CASE WHEN kind <> 'release' THEN returned_to_ukraine END),
                      count(DISTINCT exchange_ordinal), count(*)
               FROM return_event GROUP BY year ORDER BY year"""
        ).fetchall()
    rows = synthetic_client.get("/stats/yearly").json()["data"]
    assert [(r["year"], r["returned_to_ukraine"], r["exchanges"], r["recorded_events"]) for r in rows] == expected
    running = 0
    for row in rows:
        running += row["returned_to_ukraine"]
        assert row["cumulative_returned_to_ukraine"] == running


def test_deep_page_at_2k_is_the_right_slice(synthetic: Path, synthetic_client: TestClient) -> None:
    with sqlite3.connect(synthetic) as connection:
        expected = [
            r[0] for r in connection.execute("SELECT id FROM return_event ORDER BY date, id LIMIT 100 OFFSET 1900")
        ]
    response = synthetic_client.get("/exchanges", params={"limit": 100, "offset": 1900})
    assert [r["id"] for r in response.json()["data"]] == expected
    assert response.headers["x-total-count"] == "2000"


def test_a_summary_as_of_a_day_at_2k_equals_a_direct_sql_aggregation(
    synthetic: Path, synthetic_client: TestClient
) -> None:
    with sqlite3.connect(synthetic) as connection:
        expected = connection.execute(
            """SELECT sum(CASE WHEN kind <> 'release' THEN returned_to_ukraine END),
                      sum(CASE WHEN kind = 'release' THEN returned_to_ukraine END),
                      count(*), count(*) - count(returned_to_ukraine)
               FROM return_event WHERE date <= '2023-06-30'"""
        ).fetchone()
    data = synthetic_client.get("/stats/summary", params={"as_of": "2023-06-30"}).json()["data"]
    held = ("on_record_returned_to_ukraine", "on_record_released_outside_exchanges", "recorded_events")
    assert (*(data[name] for name in held), data["events_undisclosed"]) == expected


def test_filtered_events_at_2k_are_the_ones_sql_selects(synthetic: Path, synthetic_client: TestClient) -> None:
    with sqlite3.connect(synthetic) as connection:
        expected = [
            r[0]
            for r in connection.execute(
                "SELECT id FROM return_event WHERE kind = 'release' AND date LIKE '2023%' ORDER BY date, id"
            )
        ]
    response = synthetic_client.get("/exchanges", params={"kind": "release", "year": 2023, "limit": 1000})
    assert [r["id"] for r in response.json()["data"]] == expected
    assert response.headers["x-total-count"] == str(len(expected)) != "0"


def test_synth_refuses_to_overwrite_the_real_database() -> None:
    assert synth_main(["--events", "10", "--database", str(sqlite_path(DEFAULT_DATABASE_URL))]) == 2


def test_a_tiny_response_cache_still_answers_every_request_exactly(database_url: str) -> None:
    settings = Settings(database_url=database_url, response_cache_bytes=4096)
    with TestClient(create_app(settings)) as client:
        for _ in range(3):
            for year, total in ((2022, 1596), (2023, 1002), (2024, 1358)):
                assert client.get(f"/stats/yearly/{year}").json()["data"]["returned_to_ukraine"] == total
            assert client.get("/stats/yearly.csv").text.startswith("year,")
            assert client.get("/stats/yearly").json()["data"][0]["year"] == 2022


def test_the_cache_never_serves_one_representation_for_another(client: TestClient) -> None:
    for _ in range(2):
        assert client.get("/stats/summary", headers={"Accept": "text/csv"}).text.startswith("since,")
        assert client.get("/stats/summary").json()["data"]["returned_to_ukraine"] == 8050
