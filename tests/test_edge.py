"""The edge: a real nginx (deploy/nginx.conf.template) in front of the real app, caching by the app's
own headers: hits, 304s, CORS, one variant per negotiation, one origin request per burst, stale
answers while the app is down, and a rebuilt database reaching readers once max-age has passed."""

import http.client
import json
import os
import shutil
import signal
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
from app.db import sqlite_path
from bench.run import free_port
from deploy.edge import nginx_path, running_app, running_nginx
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


def _waited(condition: Callable[[], object], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.1)


def test_make_edge_outlives_its_app_and_stopping_it_stops_both(database_url: str) -> None:
    """The app killed under `make edge` (python -m deploy.edge): nginx keeps answering, stale where it
    holds a copy and 503 problem+json where it holds none; the app is started again; SIGTERM stops both."""
    app_port, edge_port = free_port(), free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PORT": str(app_port), "EDGE_PORT": str(edge_port)}
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
        edge.send_signal(signal.SIGTERM)
        assert edge.wait(timeout=20) == 0
        assert second is not None and not Path(f"/proc/{second}").exists()
        with pytest.raises(OSError):
            ask(base, "/health")
    finally:
        if edge.poll() is None:
            edge.kill()
            edge.wait()
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
        masters = [pid for pid in _children(edge.pid) if b"nginx: master" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert app is not None and len(masters) == 1
        os.kill(masters[0], signal.SIGKILL)
        assert edge.wait(timeout=30) == 1
        assert "nginx stopped" in (edge.stderr.read() if edge.stderr else "")
        assert not Path(f"/proc/{app}").exists()
    finally:
        if edge.poll() is None:
            edge.kill()
            edge.wait()
        for stream in (edge.stdout, edge.stderr):
            if stream:
                stream.close()
