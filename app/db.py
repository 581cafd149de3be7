"""The read-only database connection, verified at start-up, and the dependencies that hand it out."""

import datetime as dt
import functools
import gc
import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path
from urllib.parse import unquote

from app import queries
from app.checks import RULES_DIGEST, DataCheckError, check
from app.config import ROOT, Settings


def sqlite_path(database_url: str) -> Path:
    """The file behind a `sqlite:///...` URL; any other URL is refused with the reason.

    Read as SQLAlchemy's make_url reads it (tests/test_startup.py compares the two) without importing
    SQLAlchemy into the server, which does not otherwise import it."""
    scheme, slashes, rest = database_url.partition(":///")
    database = unquote(rest.partition("?")[0])
    if not slashes or scheme.partition("+")[0] != "sqlite" or not database or database == ":memory:":
        raise ValueError(f"DATABASE_URL must name a SQLite file (sqlite:///path), got {database_url!r}")
    return Path(database).resolve()


def checked_marker(path: Path) -> Path:
    """Where a build records that the file at `path` passed the data checks (app.build_db)."""
    return path.with_name(path.name + ".checked")


@functools.cache
def migrations_digest() -> str:
    """A digest of the migration scripts in migrations/versions/ (their names and contents)."""
    scripts = sorted((ROOT / "migrations" / "versions").glob("*.py"))
    return hashlib.sha256(b"".join(p.name.encode() + b"\0" + p.read_bytes() + b"\0" for p in scripts)).hexdigest()[:16]


def checked_record(digest: str) -> str:
    """What that record holds: the file's SHA-256, the digest of the rules it passed and of the
    migrations it was built with (so a file it names is at these migrations' head)."""
    return f"{digest} {RULES_DIGEST} {migrations_digest()}\n"


def file_sha256(path: Path) -> str:
    """The file's SHA-256 (hex): the dataset's identity, behind its ETags, and what the record names."""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def record_checked(path: Path) -> None:
    """Record beside the file at `path` that it was built with these migrations and passed these rules."""
    checked_marker(path).write_text(checked_record(file_sha256(path)), "utf-8")


def read_only_connection(image: bytes) -> sqlite3.Connection:
    """A connection that cannot write, to an in-memory copy of a database file's bytes (`image`): what
    it serves is what was verified, whatever happens to the file on disk afterwards, and `query_only`
    refuses every write.

    One per worker process: every route is `async` and runs on the worker's event loop, so requests
    never use it from two threads at once, and sqlite3 keeps each statement it runs prepared."""
    connection = sqlite3.connect(":memory:", check_same_thread=False, cached_statements=256)
    connection.deserialize(image)
    connection.execute("PRAGMA query_only = ON")
    return connection


# Collect young objects less often: a request allocates ~100 and almost never a cycle, and each
# collection pauses every request in flight (the defaults made p99 under load tens of milliseconds).
COLLECTOR_THRESHOLDS = (100_000, 50, 100)


def settle_long_lived() -> None:
    """At start-up, take what lives as long as the process (the record) out of the cyclic collector's
    scans: garbage is collected first so none is frozen, and frozen objects are still freed by
    reference counting. The app unfreezes them at shutdown."""
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    gc.collect()
    gc.freeze()


class UnusableDatabaseError(Exception):
    """The database cannot be served; the message is one line naming the file and the fix."""


@dataclass(frozen=True)
class Dataset:
    """The open, verified database and what HTTP caching needs to know about it. `image` is the file's
    bytes as read and verified: the ones `digest` names, the connection serves (from memory) and
    `/data/returns.db` sends, whatever later happens to the file on disk."""

    db: sqlite3.Connection
    image: bytes
    digest: str
    migration: str
    as_of: dt.date
    # Facts every list response repeats.
    years_with_event_records: tuple[int, ...]
    publishers: dict[str, dict[str, str]]
    first_record: dt.date

    @functools.cached_property
    def modified_at(self) -> dt.datetime:
        """Last-Modified: midnight UTC of the as-of date."""
        return dt.datetime(self.as_of.year, self.as_of.month, self.as_of.day, tzinfo=dt.UTC)

    @functools.cached_property
    def last_modified(self) -> str:
        return formatdate(self.modified_at.timestamp(), usegmt=True)

    def close(self) -> None:
        self.db.close()


def migration_head() -> str:
    """The newest Alembic revision in migrations/ (Alembic is imported only here: a file its build
    recorded needs neither it nor its memory in the server)."""
    from alembic.config import Config  # noqa: PLC0415
    from alembic.script import ScriptDirectory  # noqa: PLC0415

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

    try:
        image = path.read_bytes()
    except FileNotFoundError:
        raise unusable("no such file") from None
    except OSError as error:
        raise unusable(f"unreadable ({error.strerror})") from None
    db, digest, migration = _verified(image, path, unusable)
    (first, as_of), years = queries.span(db), tuple(queries.years_with_event_records(db))
    publishers = queries.publishers(db)
    return Dataset(db, image, digest, migration, as_of, years, publishers, first)


def _verified(
    image: bytes, path: Path, unusable: Callable[[str], UnusableDatabaseError]
) -> tuple[sqlite3.Connection, str, str]:
    """A read-only connection to the database in `image` (the bytes of the file at `path`), once it is
    proven ours, at these migrations' head and consistent, with its digest and migration; else the
    reason as an UnusableDatabaseError."""
    if not image.startswith(b"SQLite format 3\x00"):
        raise unusable("not a SQLite database" if image else "empty file")
    digest = hashlib.sha256(image).hexdigest()
    try:
        db = read_only_connection(image)
    except sqlite3.DatabaseError as error:
        raise unusable(f"unreadable ({error})") from None
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            raise unusable("no migration record (alembic_version), so not this service's schema")
        migration = db.execute("SELECT max(version_num) FROM alembic_version").fetchone()[0]
        # The migration check and the data checks are skipped only for the very bytes a build made with
        # these migrations and checked against these rules (any edit, copy without the record, new
        # migration or new rule: both run).
        marker = checked_marker(path)
        if not (marker.is_file() and marker.read_text("utf-8") == checked_record(digest)):
            damage = db.execute("PRAGMA quick_check").fetchone()[0]
            if damage != "ok":
                raise unusable(f"damaged (SQLite's quick_check: {damage})")
            head = migration_head()
            if migration != head:
                raise unusable(f"at migration {migration}, but the code needs {head}")
            try:
                check(db)
            except DataCheckError as error:
                raise unusable(str(error)) from None
    except sqlite3.DatabaseError as error:
        db.close()
        raise unusable(f"unreadable ({error})") from None
    except UnusableDatabaseError:
        db.close()
        raise
    return db, digest, migration
