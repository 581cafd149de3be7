"""A rebuilt database reaches readers: the running server switches to the file `make db` moved into
place, without dropping a request, and /health shows the new digest."""

import json
import shutil
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from app.build_db import build
from app.db import sqlite_path
from tests.conftest import fixture_seed, replace_once, running_server


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_rebuilt_database_is_served_without_dropping_a_request(database_url: str, tmp_path: Path) -> None:
    served = tmp_path / "returns.db"
    shutil.copy(sqlite_path(database_url), served)
    shutil.copy(sqlite_path(database_url).with_name("returns.db.checked"), tmp_path / "returns.db.checked")
    url = f"sqlite:///{served}"
    with running_server(url, RELOAD_SECONDS="0.2") as base:
        before = json.loads(_get(f"{base}/health")[1])["dataset_digest"]
        assert json.loads(_get(f"{base}/stats/yearly/2022")[1])["data"]["exchanges"] is None
        answers: list[int] = []
        stop = threading.Event()

        def read() -> None:
            while not stop.is_set():
                answers.append(_get(f"{base}/stats/yearly/2022")[0])

        reader = threading.Thread(target=read)
        reader.start()
        try:
            build(url, replace_once("(2022, 1596, NULL,", "(2022, 1596, 40,")(fixture_seed()))
            deadline = time.monotonic() + 20
            while json.loads(_get(f"{base}/health")[1])["dataset_digest"] == before:
                assert time.monotonic() < deadline, "the server did not switch to the rebuilt file"
                time.sleep(0.1)
        finally:
            stop.set()
            reader.join()
        after = json.loads(_get(f"{base}/stats/yearly/2022")[1])
    assert after["data"]["exchanges"] == 40
    assert len(answers) > 10 and set(answers) == {200}


def _rebuild_state(base: str) -> str | None:
    state: str | None = json.loads(_get(f"{base}/health")[1])["rebuild"]
    return state


def test_a_broken_replacement_is_refused_and_the_served_file_kept(database_url: str, tmp_path: Path) -> None:
    served, log = tmp_path / "returns.db", tmp_path / "server.log"
    shutil.copy(sqlite_path(database_url), served)
    with log.open("w") as output, running_server(f"sqlite:///{served}", output, RELOAD_SECONDS="0.2") as base:
        before = json.loads(_get(f"{base}/health")[1])
        assert before["rebuild"] is None
        broken = tmp_path / "broken.db"
        broken.write_bytes(b"not a database")
        broken.replace(served)
        deadline = time.monotonic() + 20
        while _rebuild_state(base) is None:  # the follower looked, and refused
            assert time.monotonic() < deadline, "the server did not look at the replaced file"
            time.sleep(0.1)
        health = json.loads(_get(f"{base}/health")[1])
        reason = f"database {served}: not a SQLite database; fix: rebuild it with `make db`"
        assert health["rebuild"] == f"rejected: {reason}"
        assert health["dataset_digest"] == before["dataset_digest"]
        assert "not switching to the rebuilt database" in log.read_text()
        assert _get(f"{base}/stats/yearly/2024")[0] == 200
        # The follower is still following: a good file put in place afterwards is served.
        build(f"sqlite:///{served}", replace_once("(2022, 1596, NULL,", "(2022, 1596, 40,")(fixture_seed()))
        while json.loads(_get(f"{base}/stats/yearly/2022")[1])["data"]["exchanges"] != 40:
            assert time.monotonic() < deadline, "the server did not switch to the good file after the broken one"
            time.sleep(0.1)
        assert _rebuild_state(base) is None


DAMAGE_SHOWS_IN = ["/exchanges?year=2024", "/exchanges/units", "/data/events.csv", "/exchanges?limit=1000"]


def test_a_file_damaged_in_place_changes_nothing_served(database_url: str, tmp_path: Path) -> None:
    served = tmp_path / "returns.db"
    shutil.copy(sqlite_path(database_url), served)
    shutil.copy(sqlite_path(database_url).with_name("returns.db.checked"), tmp_path / "returns.db.checked")
    verified = served.read_bytes()
    with running_server(f"sqlite:///{served}", RELOAD_SECONDS="0.2") as base:
        before = {path: _get(f"{base}{path}") for path in DAMAGE_SHOWS_IN}
        with served.open("r+b") as file:  # the same inode, as `cp corrupt.db var/returns.db` writes it
            file.seek(len(verified) // 3)
            file.write(b"\xff" * (len(verified) // 3))
        deadline = time.monotonic() + 20
        while _rebuild_state(base) is None:
            assert time.monotonic() < deadline, "the server did not look at the damaged file"
            time.sleep(0.1)
        assert str(_rebuild_state(base)).startswith(f"rejected: database {served}: ")
        assert {path: _get(f"{base}{path}") for path in DAMAGE_SHOWS_IN} == before
        assert all(status == 200 for status, _ in before.values())
        assert _get(f"{base}/data/returns.db") == (200, verified)
