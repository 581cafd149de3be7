"""The response cache keeps its hot entries through a flood of one-off URLs."""

import hashlib
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from app.cache import SegmentedCache
from app.config import Settings
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


def _layer(client: TestClient) -> HttpLayer:
    stack = client.app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(stack, HttpLayer):
        stack = stack.app
    return stack


def test_unique_urls_do_not_flush_the_hot_responses(database_url: str) -> None:
    settings = Settings(database_url=database_url, response_cache_bytes=256 * 1024)
    with TestClient(create_app(settings)) as client:
        for _ in range(2):
            assert client.get("/stats/yearly").status_code == 200
        layer = _layer(client)
        hot = next(key for key in layer.cache.protected if isinstance(key, tuple) and key[0] == "/stats/yearly")
        for offset in range(1_500):  # far more one-off bytes than the whole cache holds
            assert client.get("/exchanges", params={"limit": 7, "offset": offset}).status_code == 200
        assert hot in layer.cache.protected
        assert layer.cache.probation_bytes <= layer.cache.probation_bytes_max


def test_a_large_body_is_hashed_once_per_request_even_when_it_is_not_kept(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(database_url=database_url, response_cache_bytes=0)  # nothing kept: every request renders
    with TestClient(create_app(settings)) as client:
        first = client.get("/data/events.csv")
        small = client.get("/stats/summary")
        assert len(first.content) >= TAG_KEPT_FROM > len(small.content)
        layer = _layer(client)
        assert list(layer.tags.values()) == [first.headers["etag"].strip('"')]  # the small body's is not kept
        monkeypatch.setattr(hashlib, "sha256", None)  # any further hash would fail the request
        again = client.get("/data/events.csv")
        assert again.status_code == 200 and again.headers["etag"] == first.headers["etag"]
        assert again.content == first.content
