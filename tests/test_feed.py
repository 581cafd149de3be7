"""`/feed.atom`: a real Atom 1.0 feed, read with a real feed parser."""

import feedparser
from fastapi.testclient import TestClient


def _parse(client: TestClient, **params: str) -> feedparser.FeedParserDict:
    response = client.get("/feed.atom", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/atom+xml"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_feed_parses_as_atom_and_its_newest_entry_is_the_latest_event(client: TestClient) -> None:
    parsed = _parse(client)
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Returns from Russian captivity to Ukraine: new records"
    newest = parsed.entries[0]
    assert newest.title == (
        "The number of people Ukraine brought back from Russian captivity in the exchange of 15 May 2026 was "
        "not disclosed."
    )
    assert newest.updated == "2026-05-15T00:00:00Z"
    links = {link.rel: link.href for link in newest.links}
    assert links == {
        "alternate": "http://testserver/exchanges/2026-05-15",
        "related": "http://testserver/?year=2026&lang=en",
    }
    assert len(parsed.entries) == 50


def test_entries_are_newest_first_and_hold_events_and_totals(client: TestClient) -> None:
    entries = _parse(client, entries="200").entries
    assert len(entries) == 127  # every event (83) and every published total (44)
    days = [entry.updated for entry in entries]
    assert days == sorted(days, reverse=True)
    titles = [entry.title for entry in entries]
    assert any(
        t.startswith("The Coordination Headquarters for the Treatment of Prisoners of War said on 11 March 2026")
        for t in titles
    )


def test_entry_ids_are_stable_and_do_not_depend_on_the_host(client: TestClient) -> None:
    first = [entry.id for entry in _parse(client).entries]
    other_host = client.get("/feed.atom", headers={"Host": "localhost:8000"})
    second = [entry.id for entry in feedparser.parse(other_host.content).entries]
    assert first == second and len(set(first)) == len(first)
    assert all(entry_id.startswith("urn:uuid:") for entry_id in first)


def test_feed_in_ukrainian(client: TestClient) -> None:
    parsed = _parse(client, lang="uk")
    assert parsed.feed.title == "Повернення з російського полону в Україну: нові записи"
    assert parsed.entries[0].title.startswith("Скільки людей Україна повернула")


def test_feed_is_cached_and_open_like_every_endpoint(client: TestClient) -> None:
    response = client.get("/feed.atom", headers={"Origin": "https://reader.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["cache-control"].startswith("public")
    again = client.get("/feed.atom", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    assert client.get("/feed.atom", params={"entries": "0"}).status_code == 400


def test_the_page_advertises_the_feed(client: TestClient) -> None:
    page = client.get("/", headers={"Accept": "text/html"}).text
    assert '<link rel="alternate" type="application/atom+xml" href="/feed.atom?lang=en"' in page
