"""The fast lane answers exactly as FastAPI would, and answers every data route itself."""

import asyncio
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.config import Settings
from app.fastlane import Lane
from app.main import create_app

URLS = [
    "/",
    "/health",
    "/stats/yearly",
    "/stats/yearly.csv?bom=1&download=1",
    "/stats/yearly.svg?lang=uk",
    "/stats/yearly?as_of=2025-06-01&year_from=2023",
    "/stats/yearly?year_from=2025&year_to=2023",
    "/stats/yearly?as_of=2021-01-01",
    "/stats/yearly?as_of=2024-02-30",
    "/stats/yearly?yaer=2024",
    "/stats/yearly?year_from=2024&year_from=2025",
    "/stats/yearly?year_from=",
    "/stats/yearly/2024",
    "/stats/yearly/2019",
    "/stats/yearly/abc",
    "/stats/monthly?year=2025",
    "/stats/monthly.csv?as_of=2025-06-01",
    "/stats/summary?lang=uk",
    "/stats/summary?as_of=2022-03-01",
    "/stats/summary?format=xml",
    "/stats/totals?publisher=ombudsman",
    "/stats/totals?publisher=nobody",
    "/stats/totals.svg?date_from=2024-01-01",
    "/stats/reconciliation.csv",
    "/exchanges?year=2025&limit=5&offset=3",
    "/exchanges?kind=release",
    "/exchanges?kind=swap",
    "/exchanges?limit=0",
    "/exchanges.svg?year=2024",
    "/exchanges/units.csv?dimension=rank",
    "/exchanges/2024-12-30",
    "/exchanges/2024-12-30/units?dimension=sex",
    "/exchanges/2099-01-01",
    "/exchanges/not-an-id/units",
    "/sources",
    "/feed.atom?lang=uk&entries=3",
    "/datapackage.json",
    "/data/events.csv",
    "/data/nothing.csv",
    "/docs",
    "/no/such/path",
]
HEADERS = [{}, {"Accept": "text/csv"}, {"Accept": "text/html", "Accept-Language": "uk"}, {"Accept": "image/png"}]
NAMES = ["as_of", "year", "year_from", "year_to", "limit", "offset", "lang", "format", "kind", "dimension", "bom", "x"]
VALUES = ["", "0", "1", "2024", "2025-06-01", "uk", "csv", "svg", "exchange", "rank", "true", "-1", "%FF", "99999"]
PATHS = ["/stats/yearly", "/stats/monthly", "/stats/summary", "/stats/totals", "/exchanges", "/exchanges/units"]


@pytest.fixture(scope="module")
def clients(database_url: str) -> Iterator[tuple[TestClient, TestClient]]:
    """The app twice, with the response cache off: through the lane, and through FastAPI alone."""
    no_cache = Settings(database_url=database_url, response_cache_bytes=0)
    with TestClient(create_app(no_cache)) as lane, TestClient(create_app(no_cache)) as fastapi_only:
        yield lane, fastapi_only


def _same(clients: tuple[TestClient, TestClient], url: str, headers: dict[str, str]) -> None:
    lane, fastapi_only = clients
    with pytest.MonkeyPatch.context() as patch:

        async def refuse(*_: object) -> None:
            return None

        patch.setattr(Lane, "response", refuse)
        expected = fastapi_only.get(url, headers=headers)
    got = lane.get(url, headers=headers)
    assert (got.status_code, got.content) == (expected.status_code, expected.content), url
    assert sorted(got.headers.items()) == sorted(expected.headers.items()), url


@pytest.mark.parametrize("headers", HEADERS)
@pytest.mark.parametrize("url", URLS)
def test_the_lane_answers_byte_for_byte_as_fastapi(
    clients: tuple[TestClient, TestClient], url: str, headers: dict[str, str]
) -> None:
    _same(clients, url, headers)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(PATHS),
    suffix=st.sampled_from(["", ".csv", ".svg"]),
    query=st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(VALUES)), max_size=4),
)
def test_any_query_answers_as_fastapi_would(
    clients: tuple[TestClient, TestClient], path: str, suffix: str, query: list[tuple[str, str]]
) -> None:
    _same(clients, path + suffix + ("?" + "&".join(f"{k}={v}" for k, v in query) if query else ""), {})


def test_every_get_route_but_the_schema_is_compiled(database_url: str) -> None:
    """A FastAPI upgrade that the lane no longer understands fails here, not silently in speed."""
    lane = Lane(create_app(Settings(database_url=database_url)))
    left_to_fastapi = [pattern.pattern for pattern, compiled in lane.routes if compiled is None]
    assert left_to_fastapi == ["^/openapi\\.json$"]


def test_the_lane_itself_answers_a_data_request(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, response_cache_bytes=0))
    with TestClient(app):
        lane = Lane(app)
        scope = {
            "type": "http",
            "method": "GET",
            "scheme": "http",
            "path": "/stats/yearly",
            "raw_path": b"/stats/yearly",
            "query_string": b"as_of=2025-06-01",
            "root_path": "",
            "headers": [(b"host", b"testserver")],
            "server": ("testserver", 80),
            "client": ("127.0.0.1", 1),
            "app": app,
        }

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b"", "more_body": False}

        answered = asyncio.run(lane.response(scope, receive))
    assert answered is not None
    assert b'"as_of":"2025-06-01"' in answered[1].body
