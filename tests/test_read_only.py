"""No write path: the serving connection cannot write, and answers come from the database."""

import sqlite3

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.db import read_only_connection, sqlite_path
from app.main import create_app
from tests.conftest import BuildEdited, replace_once


def test_a_write_through_the_serving_connection_fails(database_url: str) -> None:
    connection = read_only_connection(sqlite_path(database_url).read_bytes())
    with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only|query_only"):
        connection.execute("UPDATE yearly_total SET returned_to_ukraine = 0")
        connection.commit()
    connection.close()


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", ["/stats/yearly", "/exchanges/2024-12-30", "/sources"])
def test_write_methods_answer_405(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"
    assert response.headers["content-type"] == "application/problem+json"


def test_figures_change_when_the_database_changes(build_edited: BuildEdited) -> None:
    """No answer lives in code: a database with other figures gives other answers."""
    edit = replace_once(
        "('2024-12-30', 'service', 'navy', 24, NULL, NULL, NULL)",
        "('2024-12-30', 'service', 'navy', 23, NULL, NULL, NULL)",
    )
    url = build_edited(edit)
    with TestClient(create_app(Settings(database_url=url))) as client:
        meta = client.get("/exchanges/2024-12-30/units").json()["meta"]
        navy = [r for r in client.get("/exchanges/2024-12-30/units").json()["data"] if r["unit"] == "navy"]
    assert (meta["accounted_for"], meta["unattributed"]) == (188, 1)
    assert navy[0]["people"] == 23


def test_an_unexpected_failure_is_a_500_problem_without_a_traceback(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_rows: object, _lang: str) -> str:
        raise RuntimeError("/secret/path/app.py exploded")

    with TestClient(create_app(Settings(database_url=database_url)), raise_server_exceptions=False) as client:
        monkeypatch.setattr("app.record.sentence", broken)
        response = client.get("/stats/summary?as_of=2025-06-01")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["access-control-allow-origin"] == "*"
    assert "secret" not in response.text and "Traceback" not in response.text
