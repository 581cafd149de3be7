"""One answer per request (issue 32): a header the answer depends on, given twice, is refused and never
changes what a later client gets; only the allowed hosts are answered; with PUBLIC_URL every absolute
URL names it. The doubled headers go over a real socket, as an attacker sends them (httpx would merge
them)."""

import json
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.headers import Address
from app.main import create_app
from app.probe import probe
from tests.conftest import running_server

Sent = list[tuple[str, str]]


def raw_get(base: str, target: str, headers: Sent, version: str = "HTTP/1.1") -> tuple[int, dict[str, str], bytes]:
    """One request written byte for byte (headers in order, repeats kept); status, headers, body."""
    address = urlsplit(base)
    lines = [f"GET {target} {version}", *(f"{name}: {value}" for name, value in headers), "Connection: close"]
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    answer = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        answer[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), answer, body


def host_of(base: str) -> str:
    return base.removeprefix("http://")


# Each case: a request that gives a header twice, and the ordinary request whose answer it must not
# change, with what that answer must hold.
DOUBLED = [
    ("Accept", [("Accept", "*/*"), ("Accept", "text/csv")], [("Accept", "text/csv")], "text/csv"),
    ("Accept", [("Accept", "text/csv"), ("Accept", "*/*")], [("Accept", "*/*")], "application/json"),
    ("Accept-Language", [("Accept-Language", "uk"), ("Accept-Language", "en")], [("Accept-Language", "en")], "en"),
    ("Accept-Language", [("Accept-Language", "en"), ("Accept-Language", "uk")], [("Accept-Language", "uk")], "uk"),
    ("Accept-Encoding", [("Accept-Encoding", "identity"), ("Accept-Encoding", "br")], [], "identity"),
]


@pytest.mark.parametrize(("name", "doubled", "ordinary", "expected"), DOUBLED)
def test_a_header_given_twice_is_refused_and_changes_no_later_answer(
    live_server: str, name: str, doubled: Sent, ordinary: Sent, expected: str
) -> None:
    host = [("Host", host_of(live_server))]
    for path in ("/stats/summary?as_of=2025-02-03", "/stats/yearly.csv", "/"):
        status, headers, body = raw_get(live_server, path, host + doubled)
        assert status == 400 and headers["content-type"] == "application/problem+json"
        assert headers["access-control-allow-origin"] == "*"
        assert json.loads(body)["errors"] == [
            {"name": name.lower(), "in": "header", "problem": "given more than once", "allowed": "a single value"}
        ]
    status, headers, body = raw_get(live_server, "/stats/summary?as_of=2025-02-03", host + ordinary)
    assert status == 200
    if name == "Accept":
        assert headers["content-type"].startswith(expected)
    elif name == "Accept-Language":
        cyrillic = any("\u0400" <= letter <= "\u04ff" for letter in json.loads(body)["data"]["sentence"])
        assert cyrillic == (expected == "uk")
    else:
        assert "content-encoding" not in headers


def test_a_doubled_host_is_refused(live_server: str) -> None:
    status, _, body = raw_get(live_server, "/datapackage.json", [("Host", "evil.example"), ("Host", "127.0.0.1")])
    assert status == 400 and json.loads(body)["errors"][0]["name"] == "host"
    status, _, body = raw_get(live_server, "/datapackage.json", [("Host", host_of(live_server))])
    assert json.loads(body)["resources"][0]["path"] == f"{live_server}/data/events.csv"


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        ([("Host", "evil.example")], "'evil.example' is not a host this service answers for"),
        ([("Host", "127.0.0.1.evil.example:80")], "'127.0.0.1.evil.example:80' is not a host this service answers for"),
        ([], "missing"),
    ],
)
def test_a_host_not_allowed_is_refused_naming_the_allowed_ones(live_server: str, headers: Sent, problem: str) -> None:
    status, answer, body = raw_get(live_server, "/datapackage.json", headers, "HTTP/1.0")
    assert status == 400 and answer["access-control-allow-origin"] == "*"
    assert json.loads(body)["errors"] == [
        {"name": "Host", "in": "header", "problem": problem, "allowed": "127.0.0.1, [::1], localhost, testserver"}
    ]


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1:@evil.example", "localhost:x@evil.example/", "[::1]:@evil", "localhost:8765/x/..", '127.0.0.1:1"><b>'],
)
def test_a_host_value_that_is_not_a_host_name_is_refused(live_server: str, host: str) -> None:
    """An allowed name followed by more than a port would stand in every absolute URL the service writes."""
    status, _, body = raw_get(live_server, "/datapackage.json", [("Host", host)])
    assert status == 400
    assert json.loads(body)["errors"] == [
        {
            "name": "Host",
            "in": "header",
            "problem": f"'{host}' is not a host name",
            "allowed": "a host name and an optional port",
        }
    ]


def test_allowed_hosts_are_names_a_port_in_them_is_ignored() -> None:
    address = Address.of("https://Returns.example.org:8443/api/", "Example.org:8080, localhost ,*")
    assert address.allowed_hosts == {"example.org", "localhost", "*", "returns.example.org"}
    assert address.own_host("127.0.0.1:8000") == "returns.example.org:8443"


def test_a_query_parameter_given_twice_is_refused_however_it_is_encoded(client: TestClient) -> None:
    for query in ("year=2024&year=2025", "year=2024&%79ear=2025", "mediator=a+b&mediator=c"):
        answer = client.get(f"/exchanges?{query}")
        assert answer.status_code == 400, query
        assert answer.json()["errors"][0]["problem"] == "given more than once"


@pytest.fixture(scope="module")
def public(database_url: str) -> Iterator[TestClient]:
    """The app with a configured public address, asked under another allowed Host."""
    settings = Settings(database_url=database_url, public_url="https://returns.example.org/", allowed_hosts="internal")
    with TestClient(create_app(settings), base_url="http://internal") as client:
        yield client


def test_every_absolute_url_names_the_public_address(public: TestClient) -> None:
    package = public.get("/datapackage.json").json()
    assert package["homepage"] == "https://returns.example.org/"
    assert {r["path"].rpartition("/data/")[0] for r in package["resources"]} == {"https://returns.example.org"}
    feed = public.get("/feed.atom").text
    assert 'href="https://returns.example.org/feed.atom?lang=en"' in feed and "internal" not in feed
    page = public.get("/", headers={"Accept": "text/html"}).text
    assert "https://returns.example.org/stats/yearly.svg" in page and "http://internal" not in page
    redirect = public.get("/stats/yearly/", follow_redirects=False)
    assert redirect.headers["location"] == "https://returns.example.org/stats/yearly"


def test_the_public_address_host_is_answered_and_others_are_not(public: TestClient) -> None:
    assert public.get("/health", headers={"Host": "returns.example.org"}).status_code == 200
    refused = public.get("/health", headers={"Host": "testserver"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["allowed"] == "internal, returns.example.org"


def test_the_health_probe_asks_with_a_host_the_server_answers_for(database_url: str) -> None:
    """The image's HEALTHCHECK (python -m app.probe) works however ALLOWED_HOSTS is set."""
    with running_server(database_url, ALLOWED_HOSTS="returns.example.org") as base:
        port = int(base.rpartition(":")[2])
        served = Settings(host="0.0.0.0", port=port, allowed_hosts="returns.example.org")
        assert probe(served) is None
        assert raw_get(base, "/health", [("Host", host_of(base))])[0] == 400  # its own address is refused
        problem = probe(served.model_copy(update={"allowed_hosts": "elsewhere.example"}))
        assert problem is not None and "(Host: elsewhere.example): HTTP Error 400" in problem
