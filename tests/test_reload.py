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


def test_a_broken_replacement_is_refused_and_the_served_file_kept(database_url: str, tmp_path: Path) -> None:
    served, log = tmp_path / "returns.db", tmp_path / "server.log"
    shutil.copy(sqlite_path(database_url), served)
    with log.open("w") as output, running_server(f"sqlite:///{served}", output, RELOAD_SECONDS="0.2") as base:
        before = _get(f"{base}/health")[1]
        broken = tmp_path / "broken.db"
        broken.write_bytes(b"not a database")
        broken.replace(served)
        deadline = time.monotonic() + 20
        while "not switching to the rebuilt database" not in log.read_text():  # the follower looked, and refused
            assert time.monotonic() < deadline, "the server did not look at the replaced file"
            time.sleep(0.1)
        assert "not a SQLite database" in log.read_text()
        assert _get(f"{base}/health")[1] == before
        assert _get(f"{base}/stats/yearly/2024")[0] == 200
        # The follower is still following: a good file put in place afterwards is served.
        build(f"sqlite:///{served}", replace_once("(2022, 1596, NULL,", "(2022, 1596, 40,")(fixture_seed()))
        while json.loads(_get(f"{base}/stats/yearly/2022")[1])["data"]["exchanges"] != 40:
            assert time.monotonic() < deadline, "the server did not switch to the good file after the broken one"
            time.sleep(0.1)
