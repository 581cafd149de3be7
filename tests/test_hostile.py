"""Hostile input, over a real socket: each request gets the status it must, never a 5xx or a leak."""

import http.client
import json
from urllib.parse import urlsplit

import pytest

from app.config import Settings
from app.main import create_app

LONG_ID = "2" * 5000
# (method, raw target, headers, expected status)
CASES: list[tuple[str, str, dict[str, str], int]] = [
    # path traversal and encoded separators
    ("GET", "/exchanges/../../etc/passwd", {}, 404),
    ("GET", "/exchanges/..%2F..%2Fetc%2Fpasswd", {}, 400),
    ("GET", "/exchanges/2024-12-30%2Funits", {}, 400),
    ("GET", "/exchanges/2024-12-30/units/..", {}, 404),
    ("GET", "/%2e%2e/%2e%2e/etc/passwd", {}, 404),
    ("GET", "/static/../app/main.py", {}, 404),
    ("GET", "/exchanges/%5C..%5Cwin.ini", {}, 400),
    # SQL fragments and quotes in every parameter
    ("GET", "/exchanges/2024-12-30'%20OR%20'1'='1", {}, 400),
    ("GET", "/exchanges?mediator=UAE'%20OR%201=1--", {}, 200),
    ("GET", "/exchanges?mediator=%22%3B%20DROP%20TABLE%20return_event%3B--", {}, 200),
    ("GET", "/exchanges?year=2024%20OR%201=1", {}, 400),
    ("GET", "/exchanges?date_from=2024-01-01'--", {}, 400),
    ("GET", "/exchanges?limit=1;DELETE%20FROM%20source", {}, 400),
    ("GET", "/exchanges/2024-12-30/units?dimension=service'--", {}, 400),
    ("GET", "/stats/yearly?year_from=2022)%20UNION%20SELECT%201--", {}, 400),
    ("GET", "/stats/yearly/2024;select", {}, 400),
    ("GET", "/stats/yearly?format=csv'", {}, 406),
    # NUL bytes, non-ASCII and emoji
    ("GET", "/exchanges/2024-12-30%00", {}, 400),
    ("GET", "/exchanges?mediator=UAE%00", {}, 200),
    ("GET", "/exchanges?mediator=%D0%9E%D0%90%D0%95", {}, 200),
    ("GET", "/exchanges?mediator=%F0%9F%87%BA%F0%9F%87%A6", {}, 200),
    ("GET", "/exchanges/%F0%9F%92%A3", {}, 400),
    ("GET", "/stats/yearly?%F0%9F%92%A3=1", {}, 400),
    ("GET", "/exchanges?mediator=%FF%FE", {}, 200),
    # 5,000-character ids and values
    ("GET", f"/exchanges/{LONG_ID}", {}, 414),  # over the 2,048-byte URL cap
    ("GET", f"/exchanges/{LONG_ID[:1000]}", {}, 400),
    ("GET", f"/exchanges/{LONG_ID[:1000]}/units", {}, 400),
    ("GET", f"/exchanges?mediator={'a' * 1500}", {}, 400),
    ("GET", f"/exchanges/{'9' * 3000}/units", {}, 414),
    # huge, negative and non-numeric numbers
    ("GET", "/exchanges?limit=99999999999999999999999999", {}, 400),
    ("GET", "/exchanges?offset=99999999999999999999999999", {}, 400),
    ("GET", "/exchanges?limit=-1", {}, 400),
    ("GET", "/exchanges?offset=-5", {}, 400),
    ("GET", "/exchanges?limit=ten", {}, 400),
    ("GET", "/exchanges?limit=1e3", {}, 400),
    ("GET", "/exchanges?limit=1001", {}, 400),
    ("GET", "/exchanges?year=-2024", {}, 400),
    ("GET", "/stats/yearly/99999999999999999999", {}, 400),
    ("GET", "/stats/yearly/-1", {}, 400),
    ("GET", "/stats/yearly/NaN", {}, 400),
    ("GET", "/stats/yearly?year_from=Infinity", {}, 400),
    # impossible dates and reversed ranges
    ("GET", "/exchanges?date_from=2024-02-30", {}, 400),
    ("GET", "/exchanges?date_to=2024-13-01", {}, 400),
    ("GET", "/exchanges?kind=exchange'--", {}, 400),
    ("GET", "/exchanges?evidence=", {}, 400),
    ("GET", "/stats/totals?publisher=%27%20OR%201=1--", {}, 400),
    ("GET", "/stats/totals?date_from=2026-02-30", {}, 400),
    ("GET", "/stats/totals?date_from=2026-01-01&date_to=2025-01-01", {}, 400),
    ("GET", "/stats/reconciliation?year=2022", {}, 400),
    ("GET", "/?year=1900", {"Accept": "text/html"}, 400),
    ("GET", "/stats/monthly?as_of=1999-01-01", {}, 400),
    ("GET", "/stats/yearly?as_of=2022-13-01", {}, 400),
    ("GET", "/feed.atom?entries=100000", {}, 400),
    ("GET", "/feed.atom?lang=de", {}, 400),
    ("GET", "/data/..%2F..%2Fetc%2Fpasswd", {}, 400),
    ("GET", "/data/secrets.csv", {}, 400),
    ("GET", "/exchanges/units?dimension=shoe_size", {}, 400),
    ("GET", "/docs/assets/..%2Fcore.py", {}, 400),
    ("GET", "/docs/assets/core.py", {}, 400),
    ("GET", "/exchanges?date_from=30/12/2024", {}, 400),
    ("GET", "/exchanges/2024-02-30", {}, 404),
    ("GET", "/exchanges?date_from=2024-12-31&date_to=2024-01-01", {}, 400),
    ("GET", "/stats/yearly?year_from=2024&year_to=2022", {}, 400),
    # repeated and unknown parameters, too many parameters
    ("GET", "/exchanges?year=2024&year=2024", {}, 400),
    ("GET", "/exchanges?limit=1&limit=2", {}, 400),
    ("GET", "/stats/yearly?yaer=2024", {}, 400),
    ("GET", "/stats/summary?debug=1", {}, 400),
    ("GET", "/health?verbose=true", {}, 400),
    ("GET", "/exchanges?" + "&".join(f"p{i}=1" for i in range(40)), {}, 400),
    # unsupported formats and Accept values
    ("GET", "/stats/yearly?format=xml", {}, 406),
    ("GET", "/stats/yearly?format=", {}, 406),
    ("GET", "/stats/yearly.xml", {}, 404),
    ("GET", "/stats/yearly", {"Accept": "image/png"}, 406),
    ("GET", "/stats/yearly", {"Accept": "text/csv;q=0, application/json;q=0"}, 406),
    ("GET", "/stats/yearly", {"Accept": ";;;,,,q=abc"}, 406),
    ("GET", "/stats/yearly", {"Accept": "*/*"}, 200),
    # oversized headers
    ("GET", "/stats/yearly", {"If-None-Match": '"' + "a" * 6000 + '"'}, 431),
    ("GET", "/stats/yearly", {"If-None-Match": ", ".join(['"x"'] * 200)}, 200),
    ("GET", "/stats/yearly", {"If-Modified-Since": "not a date"}, 200),
    ("GET", "/stats/yearly", {"Accept-Encoding": "gzip;q=abc, br;q=-1"}, 200),
    ("GET", "/stats/yearly", {"X-Filler": "y" * 7000}, 431),
    # a URL that is too long
    ("GET", "/exchanges?mediator=" + "b" * 3000, {}, 414),
]
# One URL for each path the service documents, and the two it serves beside them: a route added later
# is tried too.
EXAMPLE = {"year": "2024", "exchange_id": "2024-12-30", "resource": "events"}
ROUTES = [path.format(**EXAMPLE) for path in create_app(Settings()).openapi()["paths"]] + ["/openapi.json", "/docs"]
CASES += [(method, route, {}, 405) for route in ROUTES for method in ("POST", "PUT", "PATCH", "DELETE", "TRACE")]
CASES += [("OPTIONS", route, {}, 204) for route in ROUTES]


def _request(base: str, method: str, target: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    netloc = urlsplit(base).netloc
    connection = http.client.HTTPConnection(netloc, timeout=10)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("method", "target", "headers", "status"), CASES, ids=[f"{c[0]} {c[1][:60]} {list(c[2])}" for c in CASES]
)
def test_hostile_request_gets_its_status_and_never_leaks(
    live_server: str, method: str, target: str, headers: dict[str, str], status: int
) -> None:
    got, response_headers, body = _request(live_server, method, target, headers)
    assert got == status, body[:300]
    assert got < 500
    text = body.decode("utf-8", "replace")
    for leak in ("Traceback", 'File "', "/work/", "site-packages", "sqlite3.", "sqlalchemy"):
        assert leak not in text
    if got >= 400:
        assert response_headers["content-type"] == "application/problem+json"
        problem = json.loads(body)
        assert problem["status"] == got and problem["detail"]
    assert response_headers["access-control-allow-origin"] == "*"
    assert "server" not in response_headers
