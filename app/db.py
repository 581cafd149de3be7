"""Read-only engine and the session dependency."""

import datetime as dt
import hashlib
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from alembic.config import Config
from alembic.script import ScriptDirectory
from fastapi import Depends, Request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from app import queries
from app.checks import DataCheckError, check
from app.config import ROOT, Settings


def sqlite_path(database_url: str) -> Path:
    """The file behind a `sqlite:///...` URL; any other URL is refused with the reason."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise ValueError(f"DATABASE_URL must name a SQLite file (sqlite:///path), got {database_url!r}")
    return Path(url.database).resolve()


def read_only_engine(database_url: str) -> Engine:
    """An engine that cannot write: the file is opened `mode=ro&immutable=1`, with `query_only`."""
    path = sqlite_path(database_url)
    uri = f"file:{quote(str(path))}?mode=ro&immutable=1"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool, pool_size=4)

    @event.listens_for(engine, "connect")
    def _query_only(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute("PRAGMA query_only = ON")

    return engine


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request on the app's read-only engine."""
    with Session(request.app.state.dataset.engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


class UnusableDatabaseError(Exception):
    """The database cannot be served; the message is one line naming the file and the fix."""


@dataclass(frozen=True)
class Dataset:
    """The open, verified database and what HTTP caching needs to know about it."""

    engine: Engine
    path: Path
    digest: str
    migration: str
    as_of: dt.date
    cache_control: str
    # Facts every list response repeats, read once: the data never change while served.
    years_with_event_records: tuple[int, ...]
    publishers: dict[str, dict[str, str]]
    first_record: dt.date

    @property
    def modified_at(self) -> dt.datetime:
        """Last-Modified: midnight UTC of the as-of date."""
        return dt.datetime(self.as_of.year, self.as_of.month, self.as_of.day, tzinfo=dt.UTC)

    @property
    def last_modified(self) -> str:
        return formatdate(self.modified_at.timestamp(), usegmt=True)


def migration_head() -> str:
    """The newest Alembic revision in migrations/."""
    config = Config(str(ROOT / "alembic.ini"))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def open_dataset(settings: Settings) -> Dataset:
    """Open the database read-only after proving it is ours, current and consistent.

    Raises UnusableDatabaseError with one line that names the file and the fix, so the server stops at
    start-up instead of serving wrong answers.
    """
    path = sqlite_path(settings.database_url)

    def unusable(problem: str) -> UnusableDatabaseError:
        return UnusableDatabaseError(f"database {path}: {problem}; fix: rebuild it with `make db`")

    if not path.is_file():
        raise unusable("no such file")
    with path.open("rb") as file:
        if file.read(16) != b"SQLite format 3\x00":
            raise unusable("empty file" if path.stat().st_size == 0 else "not a SQLite database")
    with path.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
    engine = read_only_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables:
                raise unusable("no migration record (alembic_version), so not this service's schema")
            migration = raw.execute("SELECT max(version_num) FROM alembic_version").fetchone()[0]
            head = migration_head()
            if migration != head:
                raise unusable(f"at migration {migration}, but the code needs {head}")
            try:
                check(raw)
            except DataCheckError as error:
                raise unusable(str(error)) from None
    except sqlite3.DatabaseError as error:
        engine.dispose()
        raise unusable(f"unreadable ({error})") from None
    except UnusableDatabaseError:
        engine.dispose()
        raise
    cache_control = (
        f"public, max-age={settings.cache_max_age}, stale-while-revalidate={settings.cache_stale_while_revalidate}"
    )
    with Session(engine) as session:
        as_of, years = queries.as_of(session), tuple(queries.years_with_event_records(session))
        publishers, first = queries.publishers(session), queries.first_record(session)
    return Dataset(engine, path, digest, migration, as_of, cache_control, years, publishers, first)


async def get_dataset(request: Request) -> Dataset:
    """The dataset the app serves (opened and verified at start-up)."""
    dataset: Dataset = request.app.state.dataset
    return dataset


DatasetDep = Annotated[Dataset, Depends(get_dataset)]
