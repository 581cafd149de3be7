"""The response cache: invisible to clients (the same answers kept, evicted or off), and never stale for a new
file."""

from fastapi.testclient import TestClient

from app.config import Settings
from app.db import open_dataset
from app.main import create_app
from app.record import load_record
from tests.conftest import BuildEdited, replace_once

URLS = ["/stats/yearly", "/stats/yearly.csv?lang=uk", "/exchanges?year=2024", "/stats/summary?as_of=2025-02-03", "/"]
HEADERS = [
    {},
    {"Accept": "text/csv", "Accept-Encoding": "gzip"},
    {"Accept": "text/html", "Accept-Language": "uk", "Accept-Encoding": "br"},
    {"Accept-Encoding": "br, gzip", "If-None-Match": '"nothing"'},
]


def _answers(database_url: str, cache_bytes: int) -> list[tuple[int, dict[str, str], bytes]]:
    """Every URL under every header set, asked twice in turn, from an app whose response cache holds
    `cache_bytes` (0: off)."""
    settings = Settings(database_url=database_url, response_cache_bytes=cache_bytes)
    with TestClient(create_app(settings)) as client:
        return [
            (answer.status_code, dict(answer.headers), answer.content)
            for _ in range(2)
            for url in URLS
            for headers in HEADERS
            for answer in [client.get(url, headers=headers)]
        ]


def test_the_response_cache_never_changes_an_answer(database_url: str) -> None:
    """Kept, dropped for room (a cache smaller than most answers) or never kept: the same bytes and headers."""
    without = _answers(database_url, 0)
    assert _answers(database_url, 32 * 1024 * 1024) == without
    assert _answers(database_url, 8192) == without
    assert sum(status == 200 for status, _, _ in without) > len(without) * 3 // 4


def test_a_rebuilt_database_is_answered_from_itself_not_from_what_was_kept(
    database_url: str, build_edited: BuildEdited
) -> None:
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        before = client.get("/stats/yearly/2022")
        assert before.json()["data"]["exchanges"] is None
        edited = build_edited(replace_once("(2022, 1596, NULL,", "(2022, 1596, 40,"))
        new = open_dataset(Settings(database_url=edited))
        old = client.app.state.record  # type: ignore[attr-defined]
        client.app.state.record = load_record(new)  # type: ignore[attr-defined]
        try:
            after = client.get("/stats/yearly/2022")
            assert after.json()["data"]["exchanges"] == 40
            assert after.headers["etag"] != before.headers["etag"]
            assert (
                client.get("/stats/yearly/2022", headers={"If-None-Match": before.headers["etag"]}).status_code == 200
            )
        finally:
            new.close()
            client.app.state.record = old  # type: ignore[attr-defined]


def test_a_kept_answer_is_the_same_bytes_and_headers_as_the_first(database_url: str) -> None:
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        answers = [client.get("/stats/totals", headers={"Accept-Encoding": "gzip"}) for _ in range(3)]
        assert [a.headers.get("content-encoding") for a in answers] == ["gzip"] * 3
        assert answers[0].content == answers[2].content and answers[0].headers == answers[2].headers
