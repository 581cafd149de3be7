"""The real database, built once per session from the migrations and seed.sql, and clients on it."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.build_db import SEED, build
from app.config import Settings
from app.main import create_app
from bench.run import free_port
from deploy.edge import running_app

SeedEditor = Callable[[str], str]
BuildEdited = Callable[[SeedEditor], str]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database built the real way: alembic upgrade head, then seed.sql, then the checks."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'returns.db'}"
    build(url)
    return url


@pytest.fixture(scope="session")
def client(database_url: str) -> Iterator[TestClient]:
    """A client of the app serving the real database (lifespan run, so start-up checks run)."""
    with TestClient(create_app(Settings(database_url=database_url))) as test_client:
        yield test_client


@pytest.fixture
def build_edited(tmp_path: Path) -> BuildEdited:
    """Build a database from seed.sql changed by `edit`; return its URL."""

    def _build(edit: SeedEditor) -> str:
        url = f"sqlite:///{tmp_path / 'edited.db'}"
        build(url, edit(SEED.read_text("utf-8")))
        return url

    return _build


def replace_once(old: str, new: str) -> SeedEditor:
    """A seed edit that replaces exactly one occurrence (and fails the test if there is none)."""

    def edit(seed: str) -> str:
        assert seed.count(old) == 1, f"{old!r} occurs {seed.count(old)} times in seed.sql"
        return seed.replace(old, new)

    return edit


@contextmanager
def running_server(database_url: str, **env: str) -> Iterator[str]:
    """The real server process (python -m app.serve) on a free port; yields its base URL."""
    port = free_port()
    with running_app(port, DATABASE_URL=database_url, **env):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def live_server(database_url: str) -> Iterator[str]:
    """The real server on the real database, for tests that need a socket (browsers, limits)."""
    with running_server(database_url) as base:
        yield base
