"""What the service answers, recorded: status, headers and body for every URL and header variant.

The recording (tests/__snapshots__/test_reference/) is the service's behaviour frozen, in two files:
- `….json`: every answer's status, headers and body (its length and digest);
- `….bodies.json`: each distinct body once, under the first answer that gave it, as a reader reads
  it: JSON as sent, CSV and plain text line by line, the words and figures of HTML, SVG and Atom (their
  markup is in the digest), of the SQLite file only the digest.
A change to any answer, one header or one byte of one body, shows as a diff of these files, to be
reviewed and rewritten on purpose with `make reference`.
"""

import asyncio
import hashlib
import json
import sqlite3
from html.parser import HTMLParser

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from app import vocabulary
from app.config import Settings
from app.db import sqlite_path
from app.main import create_app

LISTS = ["/stats/yearly", "/stats/monthly", "/stats/totals", "/exchanges"]
ONE_ROW = ["/stats/summary", "/stats/reconciliation", "/sources", "/exchanges/units"]
AS_OF = ["2022-03-01", "2023-01-15", "2024-12-31", "2025-06-01", "2026-05-15", "2021-01-01", "2026-12-31"]
VARIANTS = ["", "?lang=uk", "?format=csv", "?download=1&bom=1", "?format=svg", "?format=xml"]
HEADERS: list[dict[str, str]] = [
    {},
    {"Accept": "text/csv"},
    {"Accept": "text/html", "Accept-Language": "uk"},
    {"Accept": "image/svg+xml"},
    {"Accept": "image/png"},
    {"Accept-Encoding": "gzip"},
    {"Accept-Encoding": "br"},
]
ERRORS = [
    "/stats/yearly?year_from=2025&year_to=2023",
    "/stats/yearly?as_of=2024-02-30",
    "/stats/yearly?as_of=0",
    "/stats/yearly?yaer=2024",
    "/stats/yearly?year_from=2024&year_from=2025",
    "/stats/yearly?year_from=",
    "/stats/yearly/abc",
    "/stats/yearly/0",
    "/stats/summary.csv?format=json",
    "/stats/totals?publisher=nobody",
    "/stats/monthly?date_from=2025-02-01&date_to=2025-01-01",
    "/exchanges?kind=swap",
    "/exchanges?limit=0",
    "/exchanges?limit=1001",
    "/exchanges?offset=-1",
    "/exchanges/2099-01-01",
    "/exchanges/not-an-id/units",
    "/exchanges/2024-12-30/units?dimension=shoe_size",
    "/data/nothing.csv",
    "/feed.atom?entries=0",
    "/?year=2019",
    "/no/such/path",
    "/stats/yearly%2Fx",
    "/stats/yearly?" + "&".join(f"p{i}=1" for i in range(20)),
    "/stats/yearly?q=" + "x" * 3000,
]


def urls(db: sqlite3.Connection) -> list[str]:
    """Every URL the recording asks for: every route and format, every year and event, a sample of the rest."""
    years = [year for (year,) in db.execute("SELECT DISTINCT substr(date, 1, 4) FROM return_event ORDER BY 1")]
    events = [event_id for (event_id,) in db.execute("SELECT id FROM return_event ORDER BY date, id")]
    publishers = [code for (code,) in db.execute("SELECT code FROM publisher ORDER BY code")]
    resources = ["events", "breakdown", "yearly", "published_totals", "reconciliation", "categories"]
    found = ["/", "/health", "/docs", "/openapi.json", "/datapackage.json", "/data/returns.db"]
    found += [f"/data/{name}.csv" for name in [*resources, "publishers", "sources"]]
    found += ["/feed.atom", "/feed.atom?lang=uk&entries=3", "/?lang=uk", "/guide", "/guide?lang=uk"]
    found += [f"/?year={year}" for year in years] + [f"/?year={year}&lang=uk" for year in years]
    for path in LISTS + ONE_ROW:
        found += [path + variant for variant in VARIANTS]
        found += [f"{path}.csv", f"{path}.svg", f"{path}.csv?lang=uk", f"{path}.svg?lang=uk"]
    for path in ["/stats/yearly", "/stats/monthly", "/stats/summary", "/stats/totals", "/exchanges"]:
        found += [f"{path}?as_of={day}" for day in AS_OF] + [f"{path}.csv?as_of={day}" for day in AS_OF[:5]]
    found += [f"/stats/yearly/{year}" for year in [2019, *map(int, years)]]
    found += [f"/stats/yearly/{year}.csv?lang=uk" for year in years]
    found += [f"/stats/yearly?year_from={a}&year_to={b}" for a, b in [(2023, 2024), (2025, 2025), (2022, 2030)]]
    found += [f"/stats/monthly?year={year}" for year in years]
    found += ["/stats/monthly?date_from=2024-06-10&date_to=2025-05-20", "/stats/monthly.svg?as_of=2025-06-01&lang=uk"]
    found += [f"/stats/totals?publisher={code}" for code in publishers]
    found += ["/stats/totals?date_from=2024-01-01&date_to=2025-06-30", "/stats/totals.svg?date_from=2024-01-01"]
    for query in [
        "year=2025&limit=5&offset=3",
        "limit=10&offset=80",
        "date_from=2024-06-01&date_to=2024-12-31",
        "kind=release",
        "kind=local_swap",
        "agreement=istanbul-1",
        "evidence=undisclosed",
        "mediator=uae",
        "year=2024&format=svg&lang=uk",
        "as_of=2025-06-01&year=2025",
    ]:
        found += [f"/exchanges?{query}", f"/exchanges.csv?{query}"]
    found += [f"/exchanges.svg?year={year}" for year in years]
    found += [f"/exchanges/units?dimension={d}" for d in vocabulary.codes("breakdown", "dimension")]
    found += [f"/exchanges/units.csv?year={year}" for year in years]
    for event_id in events:
        found += [f"/exchanges/{event_id}", f"/exchanges/{event_id}.csv?lang=uk", f"/exchanges/{event_id}?lang=uk"]
        found += [f"/exchanges/{event_id}/units{suffix}" for suffix in ["", ".csv?dimension=rank", ".svg?lang=uk"]]
        found += [f"/exchanges/{event_id}/units?dimension=sex"]
    return found + ERRORS


Responses = dict[str, httpx.Response]


async def recording(client: httpx.AsyncClient, every: list[str]) -> Responses:
    """Every request of the recording, by its label: each URL with each header variant, then HEAD and
    conditional requests for a sample, then the methods the service refuses and CORS preflight."""
    answers: Responses = {}
    for url in every:
        for headers in HEADERS if "/exchanges/20" not in url else HEADERS[:2]:
            label = " ".join([url, *(f"[{name}: {value}]" for name, value in headers.items())])
            answers[f"GET {label}"] = await client.get(url, headers=headers)
    for url in every[::7]:  # a sample: HEAD, and conditional requests with the answer's own validators
        answers[f"HEAD {url}"] = await client.head(url)
        first = await client.get(url)
        if "etag" in first.headers:
            own = {"If-None-Match": first.headers["etag"]}
            answers[f"GET {url} [If-None-Match: own]"] = await client.get(url, headers=own)
            stale = {"If-None-Match": '"stale", W/' + first.headers["etag"]}
            answers[f"GET {url} [If-None-Match: weak]"] = await client.get(url, headers=stale)
        if "last-modified" in first.headers:
            since = {"If-Modified-Since": first.headers["last-modified"]}
            answers[f"GET {url} [If-Modified-Since: own]"] = await client.get(url, headers=since)
    for method in ["POST", "PUT", "DELETE", "PATCH"]:
        answers[f"{method} /stats/yearly"] = await client.request(method, "/stats/yearly")
    preflight = {"Origin": "https://newsroom.example", "Access-Control-Request-Method": "GET"}
    answers["OPTIONS /stats/yearly [preflight]"] = await client.options("/stats/yearly", headers=preflight)
    answers["OPTIONS /stats/yearly"] = await client.options("/stats/yearly")
    return answers


async def ask(app: FastAPI, every: list[str]) -> Responses:
    """The recording's requests, in one event loop (not one thread hop per request, as TestClient)."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        return await recording(client, every)


def digest(body: bytes) -> str:
    """A body's length and digest: what the answers name it by."""
    return f"{len(body)} {hashlib.sha256(body).hexdigest()[:16]}" if body else ""


def answer(response: httpx.Response) -> dict[str, object]:
    """An answer as recorded: status, headers and body digest. The body is as sent, but decoded from
    gzip or br (its encoded length is the content-length header)."""
    return {
        "status": response.status_code,
        "headers": [f"{name}: {value}" for name, value in response.headers.multi_items()],
        "body": digest(response.content),
    }


class Words(HTMLParser):
    """The text of an HTML, SVG or XML document, one piece per element, spaces collapsed; no scripts
    or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.pieces.append(" ".join(data.split()))


def readable(response: httpx.Response) -> object:
    """A body as a reviewer reads it: JSON as sent; CSV and plain text as lines; the words of HTML, SVG
    and Atom; None for a body that is not text (the SQLite file)."""
    media = response.headers.get("content-type", "").partition(";")[0]
    if media.endswith("json"):
        return json.loads(response.content)
    if media.startswith("text/") and media != "text/html":
        return response.text.splitlines()
    if media in ("text/html", "image/svg+xml", "application/atom+xml"):
        words = Words()
        words.feed(response.text)
        return words.pieces
    return None


def bodies(answers: Responses) -> dict[str, dict[str, object]]:
    """Each distinct body once, readable, under the label of the first answer that gave it."""
    found: dict[str, dict[str, object]] = {}
    seen: set[str] = set()
    for label, response in answers.items():
        body = digest(response.content)
        if body and body not in seen:
            seen.add(body)
            found[label] = {"body": body, "readable": readable(response)}
    return found


@pytest.fixture
def reference(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONSnapshotExtension)


def test_every_answer_is_the_recorded_one(database_url: str, reference: SnapshotAssertion) -> None:
    """Rewrite on purpose with `make reference`, and review the diff."""
    db = sqlite3.connect(f"file:{sqlite_path(database_url)}?mode=ro", uri=True)
    try:
        every = urls(db)
    finally:
        db.close()
    app = create_app(Settings(database_url=database_url))
    with TestClient(app):  # the lifespan, which opens the record
        answers = asyncio.run(ask(app, every))
    assert {label: answer(response) for label, response in answers.items()} == reference
    assert bodies(answers) == reference(name="bodies")
