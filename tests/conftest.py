"""The two records the tests run on, each built the real way (migrations, seed, data checks), and
clients on them.

- The **fixture record** (`tests/fixture/`): a frozen copy of data/ as it stood on 15 May 2026. The
  tests of the software run on it and assert exact values there: `database_url`, `client`.
- The **record** (`data/`, through seed.sql): what the service publishes. Only the data tests
  (`tests/test_record.py`) read it, and they assert what holds for any valid record: `record_url`.

An editor's change to data/ therefore moves no software test; a change to the software moves no data test.
"""

import functools
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pytest
from fastapi.testclient import TestClient

from app.build_db import build, stamped
from app.config import ROOT, Settings
from app.main import create_app
from app.seed import render
from bench.run import free_port
from deploy.edge import running_app
from tests.repository import repository_copy

# The tests reach the app as TestClient's "testserver" and, through servers they start, as 127.0.0.1.
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1,[::1]")
FIXTURE = Path(__file__).resolve().parent / "fixture"
SeedEditor = Callable[[str], str]
BuildEdited = Callable[[SeedEditor], str]


@functools.cache
def fixture_seed() -> str:
    """The fixture record as seed SQL, rendered by the same code as seed.sql."""
    return render(FIXTURE)


def fixture_package(target: Path) -> Path:
    """A data package folder at `target`: the fixture's CSV files beside data/datapackage.json (the
    schema is the project's; the rows are the fixture's). For tests that edit rows and run the seed."""
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns("*.md"))
    shutil.copy2(ROOT / "data" / "datapackage.json", target / "datapackage.json")
    return target


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The fixture record, built the real way: alembic upgrade head, then its seed, then the checks."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fixture') / 'returns.db'}"
    build(url, fixture_seed())
    return url


@pytest.fixture(scope="session")
def fixture_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of this repository whose data/ holds the fixture record, with the seed.sql and database
    `make seed db` makes from it (made here in-process: the tests run make on their own edits). A test
    that changes it works on its own copy (tests.repository.copied)."""
    repository = repository_copy(tmp_path_factory.mktemp("fixture-repo") / "repo", FIXTURE)
    (repository / "seed.sql").write_text(stamped(fixture_seed()), "utf-8")
    build(f"sqlite:///{repository / 'var' / 'returns.db'}", fixture_seed())
    return repository


@pytest.fixture(scope="session")
def client(database_url: str) -> Iterator[TestClient]:
    """A client of the app serving the fixture record (lifespan run, so start-up checks run)."""
    with TestClient(create_app(Settings(database_url=database_url))) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def record_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The record of data/, built as `make db` builds it: from seed.sql."""
    url = f"sqlite:///{tmp_path_factory.mktemp('record') / 'returns.db'}"
    build(url)
    return url


@pytest.fixture
def build_edited(tmp_path: Path) -> BuildEdited:
    """Build a database from the fixture's seed changed by `edit`; return its URL."""

    def _build(edit: SeedEditor) -> str:
        url = f"sqlite:///{tmp_path / 'edited.db'}"
        build(url, edit(fixture_seed()))
        return url

    return _build


def replace_once(old: str, new: str) -> SeedEditor:
    """A seed edit that replaces exactly one occurrence (and fails the test if there is none)."""

    def edit(seed: str) -> str:
        assert seed.count(old) == 1, f"{old!r} occurs {seed.count(old)} times in the fixture's seed"
        return seed.replace(old, new)

    return edit


@contextmanager
def running_server(database_url: str, log: IO[Any] | None = None, **env: str) -> Iterator[str]:
    """The real server process (python -m app.serve) on a free port; yields its base URL. Its log
    goes to `log` where given."""
    port = free_port()
    with running_app(port, log=log, DATABASE_URL=database_url, **env):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def live_server(database_url: str) -> Iterator[str]:
    """The real server on the fixture record, for tests that need a socket (browsers, limits)."""
    with running_server(database_url) as base:
        yield base
