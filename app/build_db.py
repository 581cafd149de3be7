"""Build the database: `alembic upgrade head` on a new file, then seed.sql, then the data checks.

Beside the file it writes `<name>.checked`: the file's SHA-256, the rules' digest and the
migrations' digest, so that the server can skip the checks and the migration look-up for exactly
these bytes, rules and migrations (app.db.open_dataset).

The one way to build it, used by the Makefile, the tests and the Dockerfile:

    python -m app.build_db [--seed seed.sql]      # builds the file named by DATABASE_URL
    python -m app.build_db --repair               # only if it is missing or not the file its build checked
"""

import argparse
import hashlib
import os
import sqlite3
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from app.checks import DataCheckError, check
from app.config import ROOT, get_settings
from app.db import checked_marker, checked_record, file_sha256, record_checked, sqlite_path

SEED = ROOT / "seed.sql"
# seed.sql's first line: the SHA-256 of the rest, as `make seed` wrote it. A file whose rest no longer
# matches was edited by hand, and is refused: the facts are edited in data/.
STAMP = "-- seed.sql, sha256 {digest}: generated from data/ by `make seed`; edit data/, never this file.\n"


class SeedEditedError(Exception):
    """seed.sql differs from what `make seed` wrote; the message is one line naming the fix."""


def stamped(sql: str) -> str:
    """The SQL as seed.sql holds it: after a first line recording its digest."""
    return STAMP.format(digest=hashlib.sha256(sql.encode()).hexdigest()) + sql


def unstamped(text: str) -> str:
    """The SQL of a seed.sql that `make seed` wrote, or SeedEditedError if it was changed since."""
    first, _, sql = text.partition("\n")
    if first + "\n" != STAMP.format(digest=hashlib.sha256(sql.encode()).hexdigest()):
        raise SeedEditedError("edited by hand since `make seed` wrote it; edit data/ instead and run `make seed`")
    return sql


def alembic_config(database_url: str) -> Config:
    """The project's Alembic configuration, pointed at `database_url`."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def build(database_url: str, seed_sql: str | None = None) -> Path:
    """Create the database at `database_url` from the migrations and the seed; return its path.

    The file is built beside its target and moved into place only once every check passes, so a
    failed build never leaves a half-built database where the server would find it.
    """
    target = sqlite_path(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(target.name + ".building")
    building.unlink(missing_ok=True)
    try:
        command.upgrade(alembic_config(f"sqlite:///{building}"), "head")
        connection = sqlite3.connect(building, isolation_level=None)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            connection.executescript(unstamped(SEED.read_text("utf-8")) if seed_sql is None else seed_sql)
            check(connection)
            connection.execute("ANALYZE")
            connection.execute("VACUUM")
        finally:
            connection.close()
    except BaseException:
        building.unlink(missing_ok=True)
        raise
    checked_marker(target).unlink(missing_ok=True)
    os.replace(building, target)
    record_checked(target)
    return target


def sound(path: Path) -> bool:
    """Whether the file at `path` is the very one its build checked (its record names its bytes)."""
    marker = checked_marker(path)
    return path.is_file() and marker.is_file() and marker.read_text("utf-8") == checked_record(file_sha256(path))


def main(argv: list[str] | None = None) -> int:
    """Command line: build DATABASE_URL's file from the migrations and a seed file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path, default=SEED, help="data-only SQL (default: seed.sql)")
    parser.add_argument(
        "--repair",
        action="store_true",
        help="build only a file that is missing or not the one its build checked (damaged, overwritten)",
    )
    args = parser.parse_args(argv)
    database_url = get_settings().database_url
    if args.repair and sound(sqlite_path(database_url)):
        return 0
    try:
        text = args.seed.read_text("utf-8")
        path = build(database_url, unstamped(text) if text.startswith("-- seed.sql, sha256 ") else text)
    except (SeedEditedError, sqlite3.Error) as error:
        print(f"build_db: {args.seed}: {error}", file=sys.stderr)
        return 1
    except DataCheckError as error:
        print(f"build_db: {database_url}: {error}", file=sys.stderr)
        return 1
    print(f"build_db: built {path} from the migrations and {args.seed.name}; data checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
