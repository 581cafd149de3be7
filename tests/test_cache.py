"""The response cache keeps its hot entries through a flood of one-off URLs."""

import asyncio
import gc
import hashlib
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.cache import SegmentedCache
from app.config import Settings
from app.db import open_dataset
from app.http import TAG_KEPT_FROM, HttpLayer
from app.main import create_app


@dataclass
class Blob:
    size: int


def test_a_flood_of_one_off_entries_never_evicts_an_entry_asked_for_twice() -> None:
    cache: SegmentedCache[Blob] = SegmentedCache(max_bytes=10_000)
    for key in ("hot-1", "hot-2"):
        cache.put(key, Blob(500))
        assert cache.get(key) is not None  # the second request promotes it
    for number in range(100_000):
        cache.put(("one-off", number), Blob(100))
    assert cache.get("hot-1") is not None and cache.get("hot-2") is not None
    assert cache.probation_bytes <= 2_000 and cache.protected_bytes == 1_000


def test_protected_overflow_demotes_the_least_recently_used_to_probation() -> None:
    cache: SegmentedCache[Blob] = SegmentedCache(max_bytes=1_000, probation_share=0.5)
    for key in ("a", "b", "c"):
        cache.put(key, Blob(200))
        cache.get(key)
    assert list(cache.protected) == ["b", "c"] and list(cache.probation) == ["a"]
    assert cache.get("a") is not None  # a second chance from probation
    assert list(cache.protected) == ["c", "a"]


def test_an_entry_larger_than_probation_is_not_kept() -> None:
    cache: SegmentedCache[Blob] = SegmentedCache(max_bytes=1_000)
    cache.put("huge", Blob(201))
    assert "huge" not in cache and len(cache) == 0


def test_with_a_doorkeeper_an_entry_is_kept_from_its_second_put() -> None:
    cache: SegmentedCache[Blob] = SegmentedCache(max_bytes=10_000, doorkeeper=3)
    cache.put("a", Blob(100))
    assert "a" not in cache and cache.probation_bytes == 0  # a one-off costs no body
    cache.put("a", Blob(100))
    assert "a" in cache
    for key in ("b", "c", "d"):  # three more keys: the doorkeeper forgets "b" and "c" with "a"
        cache.put(key, Blob(100))
    cache.put("b", Blob(100))
    assert "b" not in cache and "d" not in cache


def _layer(client: TestClient) -> HttpLayer:
    stack = client.app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(stack, HttpLayer):
        stack = stack.app
    return stack


def test_unique_urls_do_not_flush_the_hot_responses(database_url: str) -> None:
    settings = Settings(database_url=database_url, response_cache_bytes=256 * 1024)
    with TestClient(create_app(settings)) as client:
        for _ in range(3):  # kept from its second rendering, protected from its third request
            assert client.get("/stats/yearly").status_code == 200
        layer = _layer(client)
        hot = next(key for key in layer.cache.protected if isinstance(key, tuple) and key[0] == "/stats/yearly")
        for offset in range(1_500):  # far more one-off bytes than the whole cache holds
            assert client.get("/exchanges", params={"limit": 7, "offset": offset}).status_code == 200
        assert hot in layer.cache.protected
        assert layer.cache.probation_bytes == 0  # each one-off answer was freed once sent


def test_a_large_body_is_hashed_once_per_request_even_when_it_is_not_kept(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(database_url=database_url, response_cache_bytes=0)  # nothing kept: every request renders
    with TestClient(create_app(settings)) as client:
        first = client.get("/data/events.csv")
        small = client.get("/stats/summary")
        assert len(first.content) >= TAG_KEPT_FROM > len(small.content)
        layer = _layer(client)
        assert list(layer.tags.items.values()) == [first.headers["etag"].strip('"')]  # the small body's is not kept
        monkeypatch.setattr(hashlib, "sha256", None)  # any further hash would fail the request
        again = client.get("/data/events.csv")
        assert again.status_code == 200 and again.headers["etag"] == first.headers["etag"]
        assert again.content == first.content


URLS_OF_EVERY_KIND = [
    "/stats/yearly.csv?lang=uk",
    "/stats/yearly.svg?as_of=2025-03-01",
    "/stats/summary?as_of=2025-06-01",
    "/stats/monthly.svg?date_from=2024-02-10",
    "/stats/totals?publisher=ombudsman",
    "/feed.atom?lang=uk",
    "/datapackage.json",
    "/data/events.csv",
    "/exchanges.svg?year=2025",
    "/exchanges/units.csv?year=2024",
    "/exchanges/2024-12-30/units.svg",
    "/",
    "/stats/yearly?yaer=1",
    "/exchanges/2099-01-01",
]


def test_requests_leave_nothing_for_the_cyclic_collector(database_url: str) -> None:
    """Young collections run every 100,000 allocations (app.db.COLLECTOR_THRESHOLDS): a request that
    left a reference cycle would hold its memory that long (a feed closure held ~30 MB of RSS)."""
    settings = Settings(database_url=database_url, response_cache_bytes=0)
    app = create_app(settings)

    async def call(url: str) -> int:
        path, _, query = url.partition("?")
        scope = {"type": "http", "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
                 "query_string": query.encode(), "headers": [(b"host", b"test")], "http_version": "1.1",
                 "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}  # fmt: skip
        statuses: list[int] = []

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        await app(scope, receive, send)
        return statuses[0]

    async def run() -> list[int]:
        async with app.router.lifespan_context(app):
            for url in URLS_OF_EVERY_KIND:  # first requests make what is kept
                await call(url)
            gc.collect()
            return [gc.collect() for url in URLS_OF_EVERY_KIND if await call(url)]

    assert asyncio.run(run()) == [0] * len(URLS_OF_EVERY_KIND)


class Untouchable:
    """Stands in for the response cache: any use of it fails the request."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the cache was used ({name})")


def test_a_repeated_request_is_sent_the_messages_it_was_sent_before(database_url: str) -> None:
    settings = Settings(database_url=database_url, response_cache_bytes=256 * 1024)
    with TestClient(create_app(settings)) as client:
        layer = _layer(client)
        first = client.get("/stats/yearly")
        second = client.get("/stats/yearly")  # rendered again, and kept
        assert layer.answers == {}
        third = client.get("/stats/yearly")  # from the cache, whose entry is now protected
        assert len(layer.answers) == 1
        cache, layer.cache = layer.cache, Untouchable()  # type: ignore[assignment]
        fourth = client.get("/stats/yearly")
        layer.cache = cache
        for response in (second, third, fourth):
            assert response.content == first.content and response.headers == first.headers
        # Any header that differs is another request: its own coding, its own 304, its own HEAD.
        plain = client.get("/stats/yearly", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers and plain.content == first.content
        etag = first.headers["etag"]
        assert client.get("/stats/yearly", headers={"If-None-Match": etag}).status_code == 304
        assert client.get("/stats/yearly", headers={"If-None-Match": '"other"'}).status_code == 200
        assert client.head("/stats/yearly").content == b""
        for _ in range(3):
            assert client.get("/stats/yearly", headers={"If-None-Match": etag}).status_code == 304
            assert client.head("/stats/yearly").content == b""
        assert len(layer.answers) == 5
        # The same path, spelt with an encoded slash, is still refused.
        assert client.get("/stats%2Fyearly").status_code == 400


def test_answers_are_kept_only_for_entries_in_the_protected_segment(database_url: str) -> None:
    settings = Settings(database_url=database_url, response_cache_bytes=256 * 1024)
    with TestClient(create_app(settings)) as client:
        layer = _layer(client)
        for offset in range(100):  # one-off URLs: none of them is kept as an answer
            client.get("/exchanges", params={"limit": 3, "offset": offset})
        assert layer.answers == {}
        for year in range(2022, 2026):  # each asked for twice: far more than protected holds
            for limit in range(1, 60):
                for _ in range(3):
                    assert client.get("/exchanges", params={"year": year, "limit": limit}).status_code == 200
        assert layer.cache.protected_bytes <= layer.cache.protected_bytes_max
        kept = {id(v.start) for entry in layer.cache.protected.values() for v in entry.variants.values()}
        assert layer.answers and all(id(start) in kept for start, _ in layer.answers.values())


def test_a_new_dataset_forgets_the_answers(database_url: str) -> None:
    settings = Settings(database_url=database_url)
    with TestClient(create_app(settings)) as client:
        layer = _layer(client)
        for _ in range(3):
            client.get("/stats/summary")
        assert len(layer.answers) == 1
        old = client.app.state.dataset  # type: ignore[attr-defined]
        client.app.state.dataset = open_dataset(settings)  # type: ignore[attr-defined]
        try:
            assert client.get("/stats/summary").status_code == 200
            assert layer.answers == {}  # the old answer was not sent, and was forgotten
        finally:
            client.app.state.dataset.db.close()  # type: ignore[attr-defined]
            client.app.state.dataset = old  # type: ignore[attr-defined]


def test_a_response_kept_only_from_its_second_rendering_is_compressed_from_the_first(database_url: str) -> None:
    settings = Settings(database_url=database_url)
    with TestClient(create_app(settings)) as client:
        answers = [client.get("/stats/totals", headers={"Accept-Encoding": "gzip"}) for _ in range(3)]
        assert [a.headers.get("content-encoding") for a in answers] == ["gzip"] * 3
        assert answers[0].content == answers[2].content and answers[0].headers == answers[2].headers
