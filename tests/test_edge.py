"""The edge: a real nginx (deploy/nginx.conf.template) in front of the real app, caching by the app's
own headers: hits, 304s, CORS, one variant per negotiation, one origin request per burst, stale
answers while the app is down, and a rebuilt database reaching readers once max-age has passed. Its
key: the app's answer to every common Accept, no header variant or doubled header reaching another
reader, a few origin requests for many spellings; its refusals (a Host not served, limits, nginx's
own errors) as problem documents with CORS; `make edge` restarting a hung app; no process left."""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.build_db import build
from app.config import Settings
from app.db import sqlite_path
from bench.run import free_port
from deploy.edge import EdgeError, Limits, host_names, nginx_path, running_app, running_nginx, stop
from tests.conftest import fixture_seed, replace_once

# Headers only the edge adds (Server, X-Cache-Status), or that describe its own connection or clock.
EDGE_ONLY = {"date", "age", "server", "connection", "keep-alive", "x-cache-status"}


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def cache(self) -> str:
        return self.headers.get("x-cache-status", "")

    def seen_by_reader(self) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body, without what only says which server answered or when."""
        return self.status, {n: v for n, v in self.headers.items() if n not in EDGE_ONLY}, self.body


def ask(base: str, path: str, headers: dict[str, str] | None = None) -> Answer:
    """One GET, sending exactly `headers` (no Accept-Encoding unless given), body left as sent."""
    host, _, port = base.removeprefix("http://").partition(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest("GET", path, skip_host="Host" in (headers or {}), skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        names = [name.lower() for name in response.headers]
        assert len(names) == len(set(names)), f"a header is repeated: {response.headers}"
        return Answer(response.status, {n.lower(): v for n, v in response.headers.items()}, response.read())
    finally:
        connection.close()


def raw(base: str, lines: list[str]) -> Answer:
    """One request sent as exactly these lines (the request line, then header lines, each given as
    many times as listed: http.client and httpx would merge or refuse a repeated header)."""
    host, _, port = base.removeprefix("http://").partition(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall("\r\n".join([*lines, "Connection: close", "", ""]).encode("latin-1"))
        response = http.client.HTTPResponse(connection)
        response.begin()
        return Answer(response.status, {n.lower(): v for n, v in response.getheaders()}, response.read())


@dataclass(frozen=True)
class Edge:
    url: str
    origin: str
    state: Path

    def from_origin(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        """The app's own answer to a request as the edge forwards it (the Host the reader used)."""
        return ask(self.origin, path, {**(headers or {}), "Host": self.url.removeprefix("http://")})

    def origin_requests(self, path: str) -> list[str]:
        """The edge's log of requests for `path` that reached the app: '<time> <cache status> <app status>'."""
        log = self.state / "origin.log"
        lines = log.read_text("utf-8").splitlines() if log.exists() else []
        return [line.rsplit(" ", 1)[0] for line in lines if line.endswith(f' "{path}"')]

    @property
    def host(self) -> str:
        """The Host readers name the edge by."""
        return self.url.removeprefix("http://")


def nginx_or_skip() -> None:
    """Debian's nginx; `make test` installs it. Missing outside CI skips, missing in CI fails."""
    if nginx_path() is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed (make test installs Debian's nginx package)")
        pytest.skip("nginx is not installed; `make edge-server` installs it")


@pytest.fixture(scope="module")
def edge(database_url: str) -> Iterator[Edge]:
    """nginx in front of the app, with the app's own caching headers (max-age 300 s)."""
    nginx_or_skip()
    app_port, edge_port = free_port(), free_port()
    with (
        running_app(app_port, DATABASE_URL=database_url),
        running_nginx(edge_port, f"127.0.0.1:{app_port}", workers="2") as (state, _),
    ):
        yield Edge(f"http://127.0.0.1:{edge_port}", f"http://127.0.0.1:{app_port}", state)


def wait_for(condition: str, check: Callable[[], bool], seconds: float = 15) -> None:
    """Return once `check()` holds; fail the test naming `condition` if it does not within `seconds`."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"not within {seconds} s: {condition}"
        time.sleep(0.1)


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/stats/yearly", {}),
        ("/stats/yearly.csv", {"Accept-Encoding": "gzip"}),
        ("/exchanges/2024-12-30", {"Accept-Encoding": "br", "Origin": "https://newsroom.example"}),
        ("/?year=2025", {"Accept": "text/html", "Accept-Encoding": "gzip, deflate, br"}),
        ("/stats/totals.svg?lang=uk", {}),
    ],
)
def test_a_second_get_is_a_hit_with_the_origins_body_and_headers(
    edge: Edge, path: str, headers: dict[str, str]
) -> None:
    first, second = ask(edge.url, path, headers), ask(edge.url, path, headers)
    origin = edge.from_origin(path, headers)
    assert (first.cache, second.cache) == ("MISS", "HIT")
    assert first.seen_by_reader() == second.seen_by_reader() == origin.seen_by_reader()
    assert second.headers["server"] == "nginx"
    assert len(edge.origin_requests(path)) == 1


def test_if_none_match_gets_a_304_from_the_edge_with_cors(edge: Edge) -> None:
    path = "/stats/summary"
    tag = ask(edge.url, path)
    conditional = ask(edge.url, path, {"If-None-Match": tag.headers["etag"], "Origin": "https://newsroom.example"})
    assert conditional.status == 304
    assert conditional.body == b""
    assert conditional.cache == "HIT"
    for name in ("access-control-allow-origin", "access-control-expose-headers", "etag", "cache-control", "vary"):
        assert conditional.headers[name] == tag.headers[name], name
    assert conditional.headers["access-control-allow-origin"] == "*"
    assert "ETag" in conditional.headers["access-control-expose-headers"]
    hit = ask(edge.url, path, {"Origin": "https://newsroom.example"})
    assert hit.cache == "HIT"
    assert hit.headers["access-control-allow-origin"] == "*"
    assert len(edge.origin_requests(path)) == 1


def test_each_negotiated_variant_is_kept_apart(edge: Edge) -> None:
    variants = [
        ("/stats/yearly?as_of=2025-01-01", {}),
        ("/stats/yearly?as_of=2025-01-01", {"Accept-Encoding": "br"}),
        ("/stats/yearly?as_of=2025-01-01", {"Accept-Encoding": "gzip"}),
        ("/stats/yearly?as_of=2025-01-01&lang=uk", {}),
        ("/stats/yearly?as_of=2025-01-01", {"Accept-Language": "uk"}),
        ("/stats/yearly?as_of=2025-01-01", {"Accept": "text/csv"}),
    ]
    for round_number in range(2):  # each variant asked after every other one is cached
        for path, headers in variants:
            answer, origin = ask(edge.url, path, headers), edge.from_origin(path, headers)
            assert answer.seen_by_reader() == origin.seen_by_reader(), (path, headers)
            assert answer.cache == ("MISS" if round_number == 0 else "HIT"), (path, headers)
    plain, br, gzip, uk, accept_uk, csv = (ask(edge.url, path, headers) for path, headers in variants)
    assert "content-encoding" not in plain.headers
    assert (br.headers["content-encoding"], gzip.headers["content-encoding"]) == ("br", "gzip")
    assert len({plain.headers["etag"], br.headers["etag"], gzip.headers["etag"], uk.headers["etag"]}) == 4
    assert uk.body == accept_uk.body != plain.body
    assert csv.headers["content-type"].startswith("text/csv")
    assert json.loads(plain.body)["data"][0]["year"] == 2022


def test_fifty_concurrent_requests_for_a_cold_url_make_one_origin_request(edge: Edge) -> None:
    path = "/exchanges?year=2023&limit=7"
    start = threading.Barrier(50)

    def one(_: int) -> Answer:
        start.wait()
        return ask(edge.url, path)

    with ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(one, range(50)))
    assert {answer.status for answer in answers} == {200}
    assert len({answer.body for answer in answers}) == 1
    assert len(edge.origin_requests(path)) == 1


# Accept as sent by the clients the service is for: none (urllib, so pandas), curl/requests/fetch,
# browsers navigating and loading images, axios, jQuery, Java, and each of the app's types alone.
COMMON_ACCEPTS = [
    None,
    "*/*",
    "application/json",
    "text/csv",
    "image/svg+xml",
    "text/html",
    "application/problem+json",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
    "application/signed-exchange;v=b3;q=0.7",
    "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
    "image/avif,image/webp,*/*",
    "application/json, text/plain, */*",
    "application/json, text/javascript, */*; q=0.01",
    "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2",
    "text/csv, */*;q=0.5",
]


@pytest.mark.parametrize("path", ["/stats/yearly", "/stats/totals", "/?year=2024"])
def test_every_common_accept_gets_the_apps_answer_to_it(edge: Edge, path: str) -> None:
    for accept in COMMON_ACCEPTS:
        headers = {} if accept is None else {"Accept": accept}
        answer, origin = ask(edge.url, path, headers), edge.from_origin(path, headers)
        assert answer.seen_by_reader() == origin.seen_by_reader(), accept


# Many spellings of each negotiated header, each falling into one of few answers the app gives.
SPELLINGS = {
    "Accept-Encoding": [f"{coding};q=0.{i}, identity" for i in range(1, 10) for coding in ("br", "gzip", "x-none")],
    "Accept-Language": [f"{tag}-X{i}, de;q=0.{i}" for i in range(1, 14) for tag in ("uk", "en")],
    "Accept": [f"{kind}, application/x-{i}" for i in range(1, 14) for kind in ("text/csv", "application/json")],
}


@pytest.mark.parametrize("header", list(SPELLINGS))
def test_many_spellings_of_a_header_make_a_few_origin_requests(edge: Edge, header: str) -> None:
    path = f"/stats/yearly?as_of=2024-0{list(SPELLINGS).index(header) + 1}-01"
    for value in SPELLINGS[header]:
        answer, origin = ask(edge.url, path, {header: value}), edge.from_origin(path, {header: value})
        assert answer.seen_by_reader() == origin.seen_by_reader(), value
    assert len(edge.origin_requests(path)) <= 3  # one per coding, language or format asked


def is_problem(answer: Answer, status: int) -> bool:
    """Whether `answer` is a problem document of `status` that a browser on another origin may read."""
    return (
        answer.status == status
        and answer.headers["content-type"] == "application/problem+json"
        and answer.headers["access-control-allow-origin"] == "*"
        and answer.headers["x-content-type-options"] == "nosniff"
        and json.loads(answer.body)["status"] == status
    )


# A header given twice, each way round: (name, first value, second value, the path asked).
DOUBLED = [
    ("Accept", "*/*", "text/csv", "/stats/summary?as_of=2025-02-03"),
    ("Accept", "text/csv", "*/*", "/stats/summary?as_of=2025-02-04"),
    ("Accept-Language", "en", "uk", "/stats/summary?as_of=2025-02-05"),
    ("Accept-Language", "uk", "en", "/stats/summary?as_of=2025-02-06"),
    ("Accept-Encoding", "identity", "br", "/stats/yearly?as_of=2025-02-07"),
    ("Accept-Encoding", "br", "gzip", "/stats/yearly?as_of=2025-02-08"),
    ("Host", "", "evil.example", "/datapackage.json"),
    ("Host", "evil.example", "", "/?year=2025"),
]


@pytest.mark.parametrize(("name", "first", "second", "path"), DOUBLED)
def test_a_doubled_header_never_changes_what_a_later_reader_gets(
    edge: Edge, name: str, first: str, second: str, path: str
) -> None:
    values = [value or edge.host for value in (first, second)]
    lines = [f"GET {path} HTTP/1.1", *(f"{name}: {value}" for value in values)]
    if name != "Host":
        lines.append(f"Host: {edge.host}")
    doubled = raw(edge.url, lines)
    if name == "Host":
        assert is_problem(doubled, 400)  # nginx refuses a second Host itself
    else:  # the app is sent one value, nginx's reading (the first), and answers to that
        assert doubled.seen_by_reader() == edge.from_origin(path, {name: values[0]}).seen_by_reader()
    readers = [{name: value} for value in values if value != "evil.example"] if name != "Host" else [{}]
    for headers in readers:
        later, origin = ask(edge.url, path, headers), edge.from_origin(path, headers)
        assert later.seen_by_reader() == origin.seen_by_reader(), headers
        assert b"evil.example" not in later.body


@pytest.mark.parametrize(
    "lines",
    [
        ["GET /stats/summary?as_of=2025-03-01 HTTP/1.1", "Host: evil.example"],
        ["GET /stats/summary?as_of=2025-03-01 HTTP/1.1", "Host: evil.example:80"],
        ["GET /stats/summary?as_of=2025-03-01 HTTP/1.0"],
    ],
)
def test_a_host_not_served_or_none_is_refused_with_a_problem(edge: Edge, lines: list[str]) -> None:
    refused = raw(edge.url, [*lines, "Origin: https://newsroom.example"])
    assert is_problem(refused, 400)
    assert json.loads(refused.body)["errors"][0]["name"] == "Host"
    assert edge.origin_requests("/stats/summary?as_of=2025-03-01") == []


@pytest.mark.parametrize(
    ("lines", "status"),
    [
        (["GET /stats/yearly HTTP/1.1", "Host: {host}", "Host: {host}"], 400),
        (["GET /stats/yearly?" + "x" * 9000 + " HTTP/1.1", "Host: {host}"], 414),
        (["GET /stats/yearly HTTP/1.1", "Host: {host}", "X-Long: " + "x" * 9000], 431),
        (["GET /stats/yearly HTTP/1.1", "Host: {host}", "Content-Length: 2000000"], 413),
        (["TRACE /stats/yearly HTTP/1.1", "Host: {host}"], 405),
        (["GET /.edge/problem-400 HTTP/1.1", "Host: {host}"], 404),
        (["GET /stats/yearly HTTP/1.1", "Host: {host}", "Transfer-Encoding: gzip"], 501),
        (["GET /stats/yearly HTTP/2.0", "Host: {host}"], 505),
    ],
)
def test_nginx_refusals_are_problems_with_cors(edge: Edge, lines: list[str], status: int) -> None:
    assert is_problem(raw(edge.url, [line.format(host=edge.host) for line in lines]), status)


def test_a_client_past_the_limits_gets_a_429_problem() -> None:
    nginx_or_skip()
    edge_port = free_port()
    with running_nginx(edge_port, f"127.0.0.1:{free_port()}", workers="1", limits=Limits(1, 2, 10)):
        answers = [ask(f"http://127.0.0.1:{edge_port}", "/stats/yearly") for _ in range(10)]
    statuses = [answer.status for answer in answers]
    assert statuses[:3] == [503, 503, 503]  # one a second and a burst of two: passed on (to no app)
    refused = answers[statuses.index(429)]
    assert is_problem(refused, 429)
    assert refused.headers["retry-after"] == "1"


def test_the_edge_serves_the_host_names_of_the_settings() -> None:
    assert host_names("localhost, 127.0.0.1,[::1]", "") == ("127.0.0.1 [::1] localhost", "$host$edge_port")
    assert host_names("localhost", "https://Returns.example.org/") == (
        "localhost returns.example.org",
        "returns.example.org",
    )
    assert host_names("*", "") == ("~.", "$host$edge_port")
    with pytest.raises(EdgeError, match="not a host name"):
        host_names("example.org;", "")


def test_with_a_public_url_the_edge_serves_that_name_and_the_app_writes_it(database_url: str) -> None:
    nginx_or_skip()
    public_url, allowed = "https://returns.example.org", "returns.example.org"
    settings = Settings(public_url=public_url, allowed_hosts=allowed)
    app_port, edge_port = free_port(), free_port()
    with (
        running_app(app_port, DATABASE_URL=database_url, PUBLIC_URL=public_url, ALLOWED_HOSTS=allowed),
        running_nginx(edge_port, f"127.0.0.1:{app_port}", workers="1", settings=settings),
    ):
        base = f"http://127.0.0.1:{edge_port}"
        package = ask(base, "/datapackage.json", {"Host": "Returns.example.org:8080"})
        refused = ask(base, "/datapackage.json")  # Host: 127.0.0.1:<port>, no longer served
    assert package.status == 200
    paths = [resource["path"] for resource in json.loads(package.body)["resources"]]
    assert paths and all(path.startswith("https://returns.example.org/data/") for path in paths)
    assert is_problem(refused, 400)


@pytest.fixture
def short_lived(database_url: str, tmp_path: Path) -> Iterator[tuple[Edge, Path, int]]:
    """nginx in front of an app whose answers are fresh for 1 s, serving its own copy of the database;
    yields the edge, that file and the app's port (to stop and start the app in a test)."""
    nginx_or_skip()
    served = tmp_path / "returns.db"
    shutil.copy(sqlite_path(database_url), served)
    app_port, edge_port = free_port(), free_port()
    with running_nginx(edge_port, f"127.0.0.1:{app_port}", workers="1") as (state, _):
        yield Edge(f"http://127.0.0.1:{edge_port}", f"http://127.0.0.1:{app_port}", state), served, app_port


def short_app(served: Path, port: int) -> AbstractContextManager[subprocess.Popen[bytes]]:
    """The app on `served` at `port`, its answers fresh for 1 s, following a rebuilt file within 0.2 s."""
    return running_app(port, DATABASE_URL=f"sqlite:///{served}", CACHE_MAX_AGE="1", RELOAD_SECONDS="0.2")


# nginx counts time in whole seconds: an answer fresh for 1 s may be served as fresh for up to 2.
EXPIRED_SECONDS = 2.5


def test_while_the_app_is_down_cached_urls_answer_stale_and_others_503(
    short_lived: tuple[Edge, Path, int],
) -> None:
    edge, served, port = short_lived
    cached, uncached = "/stats/yearly", "/stats/totals"
    with short_app(served, port):
        before = ask(edge.url, cached)
    time.sleep(EXPIRED_SECONDS)
    stale = ask(edge.url, cached)
    assert (stale.status, stale.cache) == (200, "STALE")
    assert stale.seen_by_reader() == before.seen_by_reader()
    down = ask(edge.url, uncached, {"Origin": "https://newsroom.example"})
    assert down.status == 503
    assert down.headers["content-type"] == "application/problem+json"
    assert down.headers["access-control-allow-origin"] == "*"
    assert down.headers["cache-control"] == "no-store"
    assert down.headers["retry-after"] == "5"
    problem = json.loads(down.body)
    assert (problem["type"], problem["title"], problem["status"], problem["errors"]) == (
        "about:blank",
        "Service Unavailable",
        503,
        [],
    )
    assert "restarting or down" in problem["detail"]
    with short_app(served, port):
        restarted = time.time()
        assert ask(edge.url, uncached).status == 200
        ask(edge.url, cached)  # expired: answered stale once more while the edge asks the app again
        wait_for("a fresh hit after the app came back", lambda: ask(edge.url, cached).cache == "HIT")
        after = [line for line in edge.origin_requests(cached) if float(line.split()[0]) >= restarted]
        assert after and all(line.split()[2] in {"200", "304"} for line in after)


def test_a_rebuilt_database_reaches_readers_once_max_age_has_passed(short_lived: tuple[Edge, Path, int]) -> None:
    edge, served, port = short_lived
    path = "/stats/yearly/2022"
    with short_app(served, port):
        before = ask(edge.url, path)
        assert json.loads(before.body)["data"]["exchanges"] is None
        build(f"sqlite:///{served}", replace_once("(2022, 1596, NULL,", "(2022, 1596, 40,")(fixture_seed()))
        wait_for("the new ETag at the edge", lambda: ask(edge.url, path).headers["etag"] != before.headers["etag"])
        after, origin = ask(edge.url, path), edge.from_origin(path)
    assert after.seen_by_reader() == origin.seen_by_reader()
    assert json.loads(after.body)["data"]["exchanges"] == 40


def _children(pid: int) -> list[int]:
    """Every process below `pid` (Linux /proc), children first; a process or thread that ends while
    it is read counts as gone."""
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += [int(child), *_children(int(child))]
    except FileNotFoundError:
        pass
    return found


def _app_pid(edge: int) -> int | None:
    """The app process (python -m app.serve) that `make edge` runs, if one is running."""
    for pid in _children(edge):
        try:
            if b"app.serve" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        except FileNotFoundError:
            continue
    return None


def _group_gone(group: int) -> bool:
    """Whether no process is left in a process group (one that exited but is not yet reaped counts)."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return True
    return False


def _waited(condition: Callable[[], object], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.1)


def test_make_edge_outlives_its_app_and_stopping_it_stops_both(database_url: str) -> None:
    """The app killed under `make edge` (python -m deploy.edge): nginx keeps answering, stale where it
    holds a copy and 503 problem+json where it holds none; the app is started again; an app that
    hangs (SIGSTOP) is killed and started again too; SIGTERM stops both."""
    app_port, edge_port = free_port(), free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PORT": str(app_port),
        "EDGE_PORT": str(edge_port),
        "EDGE_HEALTH_SECONDS": "0.5",
    }
    edge = subprocess.Popen([sys.executable, "-m", "deploy.edge"], env=env, stdout=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{edge_port}"
    try:
        assert "Ctrl-C stops both" in (edge.stdout.readline() if edge.stdout else "")
        ask(base, "/stats/yearly")
        _waited(lambda: ask(base, "/stats/yearly").cache == "HIT")
        first = _app_pid(edge.pid)
        assert first is not None
        os.kill(first, signal.SIGKILL)
        _waited(lambda: _app_pid(edge.pid) != first)  # gone (restarted after its backoff)
        down = ask(base, "/stats/monthly")
        if down.status == 503:  # asked before the app was back
            assert down.headers["content-type"] == "application/problem+json"
            assert json.loads(down.body)["status"] == 503
        assert ask(base, "/stats/yearly").status == 200  # stale or a hit: the edge never refused
        _waited(lambda: _app_pid(edge.pid) not in (None, first) and ask(base, "/health").status == 200)
        assert ask(base, "/stats/monthly").status == 200
        second = _app_pid(edge.pid)
        assert second is not None
        os.kill(second, signal.SIGSTOP)  # hung: alive, but answers nothing
        _waited(lambda: _app_pid(edge.pid) not in (None, second) and ask(base, "/health").status == 200)
        assert not Path(f"/proc/{second}").exists()
        third = _app_pid(edge.pid)
        edge.send_signal(signal.SIGTERM)
        assert edge.wait(timeout=20) == 0
        assert third is not None and not Path(f"/proc/{third}").exists()
        with pytest.raises(OSError):
            ask(base, "/health")
    finally:
        stop(edge)  # SIGTERM first: `make edge` then stops nginx and the app
        if edge.stdout:
            edge.stdout.close()


def test_make_edge_stops_with_its_app_when_nginx_dies(database_url: str) -> None:
    """nginx killed under `make edge`: nothing answers readers any more, so it says so, stops the app
    and exits 1 (a supervisor then restarts the pair) instead of running an app nobody can reach."""
    app_port, edge_port = free_port(), free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PORT": str(app_port), "EDGE_PORT": str(edge_port)}
    edge = subprocess.Popen(
        [sys.executable, "-m", "deploy.edge"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert "Ctrl-C stops both" in (edge.stdout.readline() if edge.stdout else "")
        app = _app_pid(edge.pid)
        # Its own children only: a worker just forked still has its master's name.
        children = Path(f"/proc/{edge.pid}/task/{edge.pid}/children").read_text().split()
        masters = [int(pid) for pid in children if b"nginx: master" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert app is not None and len(masters) == 1
        os.kill(masters[0], signal.SIGKILL)
        assert edge.wait(timeout=30) == 1
        assert "nginx stopped" in (edge.stderr.read() if edge.stderr else "")
        assert not Path(f"/proc/{app}").exists()
        _waited(lambda: _group_gone(masters[0]))  # nor its workers and cache manager, orphaned by the kill
    finally:
        stop(edge)  # SIGTERM first: `make edge` then stops nginx and the app
        for stream in (edge.stdout, edge.stderr):
            if stream:
                stream.close()
