"""Newsroom-grade HTTP: CSV three ways, CORS, conditional caching, compression, HEAD, one error format."""

import csv
import gzip
import io
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

import brotli
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.seed import source_id
from tests.conftest import BuildEdited, replace_once

CSV_RESOURCES = [
    ("/stats/yearly", {}),
    ("/stats/yearly/2024", {}),
    ("/stats/summary", {}),
    ("/exchanges", {"year": "2024"}),
    ("/exchanges/2024-12-30", {}),
    ("/exchanges/2024-12-30/units", {}),
    ("/exchanges/2024-12-30/units", {"dimension": "rank"}),
    ("/sources", {}),
    ("/stats/yearly/2026", {}),
    ("/stats/totals", {}),
    ("/stats/totals", {"publisher": "ombudsman"}),
    ("/stats/reconciliation", {}),
    ("/exchanges", {"agreement": "istanbul-2"}),
    ("/exchanges/2025-08-24/units", {}),
]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):  # objects (other bodies' totals) as compact JSON
        return " | ".join(
            json.dumps(v, ensure_ascii=False, separators=(",", ":")) if isinstance(v, dict) else str(v) for v in value
        )
    return str(value)


@pytest.mark.parametrize(("path", "params"), CSV_RESOURCES)
def test_csv_three_ways_is_byte_identical_and_equals_the_json_rows(
    client: TestClient, path: str, params: dict[str, str]
) -> None:
    by_suffix = client.get(f"{path}.csv", params=params)
    by_format = client.get(path, params={**params, "format": "csv"})
    by_accept = client.get(path, params=params, headers={"Accept": "text/csv"})
    assert by_suffix.status_code == 200
    assert by_suffix.headers["content-type"] == "text/csv; charset=utf-8"
    assert by_suffix.content == by_format.content == by_accept.content
    assert "content-disposition" not in by_suffix.headers  # inline, so IMPORTDATA and browsers read it
    data = client.get(path, params=params).json()["data"]
    json_rows = data if isinstance(data, list) else [data]
    reader = csv.reader(io.StringIO(by_suffix.content.decode("utf-8"), newline=""))
    header, *rows = list(reader)
    assert header == list(json_rows[0]) if json_rows else header
    assert rows == [[_cell(row[column]) for column in header] for row in json_rows]
    assert by_suffix.content.count(b"\r\n") == len(rows) + 1  # RFC 4180 line endings


def test_csv_numbers_are_plain_and_dates_iso(client: TestClient) -> None:
    text = client.get("/exchanges.csv", params={"year": 2024, "limit": 1}).text
    assert text.splitlines()[1].startswith("2024-01-03,2024-01-03,49,,230,248,")


def test_download_sends_an_attachment_with_a_filename(client: TestClient) -> None:
    response = client.get("/exchanges.csv", params={"year": 2024, "download": 1})
    assert response.headers["content-disposition"] == 'attachment; filename="exchanges-2024.csv"'


def test_bom_starts_csv_with_a_utf8_byte_order_mark(client: TestClient) -> None:
    plain = client.get("/exchanges/2024-12-30/units.csv").content
    with_bom = client.get("/exchanges/2024-12-30/units.csv", params={"bom": 1}).content
    assert with_bom == b"\xef\xbb\xbf" + plain


def test_suffix_and_a_contradicting_format_is_a_400(client: TestClient) -> None:
    response = client.get("/stats/yearly.csv", params={"format": "json"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["name"] == "format"


@pytest.mark.parametrize(
    "path", ["/stats/yearly", "/stats/yearly.csv", "/stats/yearly/1990", "/exchanges?limit=0", "/nowhere"]
)
def test_every_response_allows_any_origin(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Origin": "https://newsroom.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    exposed = {h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")}
    assert {"etag", "last-modified", "link", "x-total-count"} <= exposed
    assert "access-control-allow-credentials" not in response.headers


@pytest.mark.parametrize("path", ["/stats/yearly", "/stats/yearly.csv", "/exchanges/1999-01-01"])
def test_preflight_allows_get_and_head(client: TestClient, path: str) -> None:
    response = client.options(
        path,
        headers={
            "Origin": "https://newsroom.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-allow-methods"] == "GET, HEAD, OPTIONS"
    assert response.headers["access-control-allow-headers"] == "if-none-match"


def test_revalidation_with_the_etag_answers_304_without_a_body(client: TestClient) -> None:
    first = client.get("/stats/yearly")
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    second = client.get("/stats/yearly", headers={"If-None-Match": etag})
    assert second.status_code == 304
    assert second.content == b""
    assert second.headers["etag"] == etag
    assert second.headers["access-control-allow-origin"] == "*"
    assert client.get("/stats/yearly", headers={"If-None-Match": '"other"'}).status_code == 200


def test_if_modified_since_the_as_of_date_answers_304(client: TestClient) -> None:
    first = client.get("/stats/summary")
    assert first.headers["last-modified"] == "Fri, 15 May 2026 00:00:00 GMT"
    later = client.get("/stats/summary", headers={"If-Modified-Since": "Sat, 16 May 2026 00:00:00 GMT"})
    assert later.status_code == 304
    earlier = client.get("/stats/summary", headers={"If-Modified-Since": "Thu, 14 May 2026 00:00:00 GMT"})
    assert earlier.status_code == 200


def test_json_and_csv_of_one_resource_have_different_etags(client: TestClient) -> None:
    assert client.get("/stats/yearly").headers["etag"] != client.get("/stats/yearly.csv").headers["etag"]


def test_caching_headers(client: TestClient) -> None:
    headers = client.get("/sources").headers
    assert headers["cache-control"] == "public, max-age=300, stale-while-revalidate=86400"
    assert headers["vary"] == "Accept, Accept-Encoding"
    # A body with a sentence or notes in it differs by language, so shared caches must key on it.
    assert client.get("/exchanges/2024-12-30").headers["vary"] == "Accept, Accept-Encoding, Accept-Language"
    assert client.get("/exchanges/2024-12-30/units").headers["vary"] == "Accept, Accept-Encoding, Accept-Language"
    assert headers["x-content-type-options"] == "nosniff"


def test_etag_changes_when_the_database_changes(client: TestClient, build_edited: BuildEdited) -> None:
    before = client.get("/stats/yearly").headers["etag"]
    url = build_edited(replace_once("(2022, 1596, NULL,", "(2022, 1596, 40,"))
    with TestClient(create_app(Settings(database_url=url))) as other:
        after = other.get("/stats/yearly")
        assert after.json()["data"][0]["exchanges"] == 40
        assert after.headers["etag"] != before
        assert other.get("/stats/yearly", headers={"If-None-Match": before}).status_code == 200


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_large_bodies_are_compressed_when_accepted(client: TestClient, coding: str) -> None:
    response = client.get("/sources", headers={"Accept-Encoding": coding})
    assert response.headers["content-encoding"] == coding
    assert response.headers["etag"].endswith(f'-{coding}"')
    first = response.json()["data"][0]  # the client decoded it
    assert first["id"] == source_id(first["url"])


@pytest.mark.parametrize(("coding", "decompress"), [("gzip", gzip.decompress), ("br", brotli.decompress)])
def test_a_compressed_body_decodes_to_the_identity_body(
    client: TestClient, coding: str, decompress: Callable[[bytes], bytes]
) -> None:
    identity = client.get("/sources", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in identity.headers
    assert int(identity.headers["content-length"]) == len(identity.content)
    with client.stream("GET", "/sources", headers={"Accept-Encoding": coding}) as response:
        sent = b"".join(response.iter_raw())  # the bytes on the wire, not decoded by the client
        assert response.headers["content-encoding"] == coding
        assert int(response.headers["content-length"]) == len(sent) < len(identity.content)
    assert decompress(sent) == identity.content


def test_small_bodies_are_not_compressed(client: TestClient) -> None:
    response = client.get("/exchanges/2024-12-30/units.csv", headers={"Accept-Encoding": "gzip"})
    assert len(response.content) < 1024
    assert "content-encoding" not in response.headers


@pytest.mark.parametrize("path", ["/stats/yearly", "/exchanges.csv?year=2024", "/exchanges/2024-12-30/units"])
def test_head_gives_the_get_headers_and_no_body(client: TestClient, path: str) -> None:
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == 200
    assert head.content == b""
    for name in ("etag", "content-type", "content-length", "cache-control", "last-modified"):
        assert head.headers[name] == get.headers[name]


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail", "errors"} <= set(body)
    assert body["status"] == status
    return body


def test_unknown_parameter_is_a_400_naming_it(client: TestClient) -> None:
    body = _problem(client.get("/stats/yearly", params={"yaer": 2024}), 400)
    assert body["errors"] == [
        {
            "name": "yaer",
            "in": "query",
            "problem": "unknown parameter",
            "allowed": "as_of, bom, download, format, lang, year_from, year_to",
        }
    ]


def test_repeated_parameter_is_a_400_naming_it(client: TestClient) -> None:
    body = _problem(client.get("/exchanges?year=2024&year=2023"), 400)
    assert body["errors"][0]["name"] == "year"


def test_invalid_value_is_a_400_naming_the_parameter(client: TestClient) -> None:
    body = _problem(client.get("/exchanges", params={"limit": 5000}), 400)
    assert body["errors"][0]["name"] == "limit" and "1000" in body["errors"][0]["problem"]


def test_unknown_resource_is_a_404_problem(client: TestClient) -> None:
    _problem(client.get("/exchanges/2024-12-31"), 404)
    _problem(client.get("/nowhere"), 404)


def test_write_method_is_a_405_problem_with_allow(client: TestClient) -> None:
    response = client.post("/stats/yearly")
    _problem(response, 405)
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"


def test_unsupported_format_is_a_406_problem(client: TestClient) -> None:
    body = _problem(client.get("/stats/summary", params={"format": "xml"}), 406)
    assert body["errors"][0]["name"] == "format" and body["errors"][0]["allowed"] == "json, csv"
    body = _problem(client.get("/stats/summary.svg"), 406)  # only three routes draw charts
    assert body["errors"][0]["allowed"] == "json, csv"
    body = _problem(client.get("/stats/yearly", headers={"Accept": "application/xml"}), 406)
    assert body["errors"][0]["name"] == "Accept"


def test_accept_quality_values_are_honoured(client: TestClient) -> None:
    response = client.get("/stats/yearly", headers={"Accept": "application/json;q=0.5, text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get("/stats/yearly", headers={"Accept": browser}).headers["content-type"] == "application/json"


def test_paged_list_has_link_and_total_count(client: TestClient) -> None:
    response = client.get("/exchanges", params={"year": 2024, "limit": 5, "offset": 5})
    assert response.headers["x-total-count"] == "12"
    assert response.headers["link"] == ", ".join(
        [
            '</exchanges?year=2024&limit=5&offset=0>; rel="first"',
            '</exchanges?year=2024&limit=5&offset=0>; rel="prev"',
            '</exchanges?year=2024&limit=5&offset=10>; rel="next"',
            '</exchanges?year=2024&limit=5&offset=10>; rel="last"',
        ]
    )


@pytest.mark.parametrize(
    "query",
    [
        "year=2024&limit=2",
        "limit=2&mediator=UAE&kind=exchange",
        "mediator=U%41E&limit=2",  # escaped: re-encoded as the parsed value
        "mediator=United+Arab+Emirates&limit=2",
        "mediator=a%26b&limit=2&offset=1",
        "limit=2&mediator=",
        "mediator=%D0%9E%D0%90%D0%95&limit=2",
    ],
)
def test_paging_links_keep_the_other_parameters_as_urlencode_writes_them(client: TestClient, query: str) -> None:
    response = client.get(f"/exchanges?{query}")
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k not in ("limit", "offset")]
    kept = urlencode(pairs)
    first = response.headers["link"].split(", ")[0]
    assert first == f'</exchanges?{kept + "&" if kept else ""}limit=2&offset=0>; rel="first"', first


def test_csv_paging_links_keep_the_suffix(client: TestClient) -> None:
    link = client.get("/exchanges.csv", params={"limit": 10}).headers["link"]
    assert '</exchanges.csv?limit=10&offset=10>; rel="next"' in link


def test_paging_is_deterministic_and_complete(client: TestClient) -> None:
    ids = []
    for offset in range(0, 83, 10):
        ids += [r["id"] for r in client.get("/exchanges", params={"limit": 10, "offset": offset}).json()["data"]]
    assert ids == [r["id"] for r in client.get("/exchanges", params={"limit": 1000}).json()["data"]]
    assert len(set(ids)) == 83


def test_openapi_documents_json_and_csv_for_data_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/stats/yearly", "/stats/summary", "/exchanges", "/exchanges/{exchange_id}/units", "/sources"):
        operation = spec["paths"][path]["get"]
        assert operation["description"]
        assert {"application/json", "text/csv"} <= set(operation["responses"]["200"]["content"])
        assert "422" not in operation["responses"]
        assert "application/problem+json" in operation["responses"]["400"]["content"]
