"""Start-up faults: the real server process refuses a bad database fast, in one line, and never serves it."""

import hashlib
import shutil
import sqlite3
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import make_url

from app import db
from app.build_db import alembic_config, main, sound
from app.config import Settings
from app.db import checked_marker
from bench.run import free_port
from tests.conftest import running_server


def _bad_file(tmp: Path, _real: Path) -> Path:
    return tmp / "missing.db"


def _empty(tmp: Path, _real: Path) -> Path:
    (tmp / "empty.db").write_bytes(b"")
    return tmp / "empty.db"


def _not_sqlite(tmp: Path, _real: Path) -> Path:
    (tmp / "notes.db").write_text("year,returned\n2024,1358\n")
    return tmp / "notes.db"


def _foreign_sqlite(tmp: Path, _real: Path) -> Path:
    with sqlite3.connect(tmp / "foreign.db") as connection:
        connection.execute("CREATE TABLE t (x)")
    return tmp / "foreign.db"


def _behind_head(tmp: Path, _real: Path) -> Path:
    path = tmp / "old.db"
    command.upgrade(alembic_config(f"sqlite:///{path}"), "0002")  # the schema before the whole record
    return path


def _fails_checks(tmp: Path, real: Path) -> Path:
    path = tmp / "edited.db"
    shutil.copy(real, path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE return_event SET returned_to_ukraine = 96 WHERE id = '2024-10-18'")
    return path


def _edited_after_build(tmp: Path, real: Path) -> Path:
    """Edited in place after a build that recorded it as checked: the record no longer names these bytes."""
    path = _fails_checks(tmp, real)
    shutil.copy(checked_marker(real), checked_marker(path))
    return path


FAULTS: list[tuple[Callable[[Path, Path], Path], str]] = [
    (_bad_file, "no such file"),
    (_empty, "empty file"),
    (_not_sqlite, "not a SQLite database"),
    (_foreign_sqlite, "not this service's schema"),
    (_behind_head, f"at migration 0002, but the code needs {db.migration_head()}"),
    (_fails_checks, "event 2024-10-18"),
    (_edited_after_build, "event 2024-10-18"),
]


@pytest.mark.parametrize(("make", "reason"), FAULTS, ids=[f[0].__name__.strip("_") for f in FAULTS])
def test_server_refuses_a_bad_database_in_one_line(
    tmp_path: Path, database_url: str, make: Callable[[Path, Path], Path], reason: str
) -> None:
    path = make(tmp_path, Path(database_url.removeprefix("sqlite:///")))
    port = free_port()
    result = subprocess.run(
        [sys.executable, "-m", "app.serve"],
        env={"DATABASE_URL": f"sqlite:///{path}", "PORT": str(port), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,  # a guard for a hung test, not a speed target (make bench measures start-up)
        check=False,
    )
    assert result.returncode == 2  # it stopped by itself, at start-up, saying why
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and reason in lines[0] and "make db" in lines[0]
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)


def test_server_refuses_to_start_without_a_compiled_catalog(tmp_path: Path, database_url: str) -> None:
    # The catalogs looked for in an empty folder, as in a checkout where `make catalog` never ran.
    script = (
        "import sys; from pathlib import Path; import app.i18n; app.i18n.LOCALES = Path(sys.argv[1]); "
        "from app import serve; sys.exit(serve.main())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        env={"DATABASE_URL": database_url, "PORT": str(free_port()), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,  # a guard for a hung test, not a speed target
        check=False,
    )
    assert result.returncode == 2
    missing = tmp_path / "uk" / "LC_MESSAGES" / "messages.mo"
    assert result.stderr.strip() == f"serve: {missing}: no compiled catalog; fix: run `make catalog`"


def test_server_serves_a_database_the_os_makes_read_only(tmp_path: Path, database_url: str) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "returns.db"
    shutil.copy(database_url.removeprefix("sqlite:///"), path)
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        with running_server(f"sqlite:///{path}") as base, urllib.request.urlopen(f"{base}/stats/summary") as response:
            assert b'"returned_to_ukraine":8050' in response.read()
        assert sorted(p.name for p in folder.iterdir()) == ["returns.db"]  # no journal, no WAL
    finally:
        folder.chmod(0o755)


def test_the_checks_are_skipped_only_for_the_bytes_a_build_checked(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Path(database_url.removeprefix("sqlite:///"))
    assert checked_marker(real).read_text("utf-8").split()[0] == hashlib.sha256(real.read_bytes()).hexdigest()
    ran: list[str] = []
    monkeypatch.setattr(db, "check", lambda connection: ran.append("checks"))
    db.open_dataset(Settings(database_url=database_url)).close()
    assert ran == []  # the build checked these bytes against these rules
    copy = tmp_path / "copy.db"
    shutil.copy(real, copy)  # without its record
    db.open_dataset(Settings(database_url=f"sqlite:///{copy}")).close()
    assert ran == ["checks"]
    checked_marker(copy).write_text(checked_marker(real).read_text("utf-8").replace(" ", " 0"), "utf-8")
    db.open_dataset(Settings(database_url=f"sqlite:///{copy}")).close()
    assert ran == ["checks", "checks"]  # a record of other rules and migrations
    head = db.migration_head()
    monkeypatch.setattr(db, "migration_head", lambda: "9999")  # a migration added since the build
    monkeypatch.setattr(db, "migrations_digest", lambda: "another")
    with pytest.raises(db.UnusableDatabaseError, match=f"at migration {head}, but the code needs 9999"):
        db.open_dataset(Settings(database_url=database_url))


def test_make_db_rebuilds_a_file_damaged_in_place(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start-up line's advice works as written: `make db` (build_db --repair) builds DATABASE_URL's
    file again when it is not the one its build checked, and leaves it alone when it is."""
    real = Path(database_url.removeprefix("sqlite:///"))
    path = tmp_path / "returns.db"
    shutil.copy(real, path)
    shutil.copy(checked_marker(real), checked_marker(path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    assert sound(path)
    before = path.stat().st_mtime_ns
    assert main(["--repair"]) == 0 and path.stat().st_mtime_ns == before  # the very bytes its build checked
    with path.open("r+b") as file:
        file.seek(path.stat().st_size // 2)
        file.write(b"\xff" * 4096)
    assert not sound(path)
    with pytest.raises(db.UnusableDatabaseError, match="fix: rebuild it with `make db`"):
        db.open_dataset(Settings(database_url=f"sqlite:///{path}"))
    assert main(["--repair"]) == 0 and sound(path)
    db.open_dataset(Settings(database_url=f"sqlite:///{path}")).close()
    path.unlink()
    assert main(["--repair"]) == 0 and sound(path)  # a missing file is built, wherever DATABASE_URL points


def test_a_recorded_database_is_served_without_the_migration_tooling(database_url: str) -> None:
    """Alembic, SQLAlchemy and SQLModel build the file; a worker serving a file its build recorded loads
    none of them (30 MB of its memory), even after answering every kind of request."""
    paths = ["/stats/yearly", "/stats/summary?as_of=2025-06-01", "/stats/monthly.svg", "/exchanges", "/feed.atom"]
    paths += ["/exchanges/2024-12-30/units", "/exchanges/units.csv", "/datapackage.json", "/data/events.csv", "/"]
    script = f"""
import sys
from fastapi.testclient import TestClient
from app.config import Settings
from app.main import create_app
with TestClient(create_app(Settings(database_url={database_url!r}))) as client:
    assert all(client.get(path).status_code == 200 for path in {paths!r})
print(sorted({{name.split(".")[0] for name in sys.modules}} & {{"alembic", "sqlalchemy", "sqlmodel"}}))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"


@given(st.text(alphabet="/.:?=%+_-ab é", max_size=24))
def test_database_urls_are_read_as_sqlalchemy_reads_them(rest: str) -> None:
    for url in (f"sqlite:///{rest}", f"sqlite+pysqlite:///{rest}", f"sqlite:////tmp/{rest}"):
        try:
            path = db.sqlite_path(url)
        except ValueError:
            assert make_url(url).database in (None, "", ":memory:")
        else:
            assert path == Path(str(make_url(url).database)).resolve()
