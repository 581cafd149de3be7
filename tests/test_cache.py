"""The response cache: byte-bounded, least recently used first out, and never stale for a new file."""

from fastapi.testclient import TestClient

from app.config import Settings
from app.db import open_dataset
from app.http import ENTRY_OVERHEAD, Entry, ResponseCache, Variant
from app.main import create_app
from app.record import load_record
from tests.conftest import BuildEdited, replace_once


def _entry(size: int) -> Entry:
    return Entry([], b"x" * (size - ENTRY_OVERHEAD), "tag", compressible=True)


def test_the_cache_never_holds_more_than_its_bound_and_drops_the_least_recently_used() -> None:
    cache = ResponseCache(max_bytes=10 * 8192)
    for number in range(10):
        cache.put(("url", number), _entry(8192))
    assert cache.get(("url", 0)) is not None  # now the most recently used
    cache.put(("url", 10), _entry(8192))
    assert cache.bytes <= cache.max_bytes
    assert cache.get(("url", 1)) is None  # the least recently used went first
    assert cache.get(("url", 0)) is not None and cache.get(("url", 10)) is not None


def test_an_entry_larger_than_a_fifth_of_the_cache_is_not_kept() -> None:
    cache = ResponseCache(max_bytes=10 * 8192)
    cache.put(("big",), _entry(3 * 8192))
    assert cache.get(("big",)) is None and cache.bytes == 0


def test_compressed_variants_count_against_the_bound_only_for_kept_entries() -> None:
    cache = ResponseCache(max_bytes=10 * 8192)
    kept, other = _entry(8192), _entry(8192)
    cache.put(("kept",), kept)
    for entry in (kept, other):
        entry.variants["gzip"] = Variant([], b"z" * 1000, "tag-gzip")
    cache.grew(("kept",), kept, 1000)
    cache.grew(("kept",), other, 1000)  # an entry rendered beside the kept one, never kept itself
    cache.grew(("gone",), other, 1000)
    assert cache.bytes == kept.size == 8192 + 1000


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
