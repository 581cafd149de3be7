"""A copy of this repository to run `make` in, as an editor or a newcomer would: its own data/,
seed.sql and var/, this checkout's virtual environment."""

import os
import shutil
import subprocess
from pathlib import Path

from app.config import ROOT

VENV = ROOT / ".venv"
# What the virtual environment's stamps are made from: dated in the copy before those stamps, so that
# make takes this checkout's environment as installed, in its sub-makes too (which `-o` does not
# reach), and never reinstalls it.
INSTALL_INPUTS = ["pyproject.toml", "requirements.lock", "requirements-edit.lock", "requirements-dev.lock"]


def repository_copy(target: Path, data: Path | None = None) -> Path:
    """The files of this checkout that git does not ignore, with their times (not its .venv or var/),
    copied to `target`; with `data`, that folder's CSV files in place of data/'s."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in files.splitlines():
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    for name in INSTALL_INPUTS:
        if (target / name).exists():
            os.utime(target / name, (0, 0))
    if data is not None:
        for csv_file in data.glob("*.csv"):
            shutil.copy2(csv_file, target / "data" / csv_file.name)
    return target


def copied(repository: Path, target: Path) -> Path:
    """A copy of a repository copy, with its files' times (so make sees what it saw)."""
    return Path(shutil.copytree(repository, target, symlinks=True))


def make(repository: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    """`make targets` in the copy, with this checkout's virtual environment taken as installed (-o)."""
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        ["make", "--no-print-directory", f"VENV={VENV}"]
        + [option for stamp in (".runtime", ".edit", "bin/.installed") for option in ("-o", f"{VENV}/{stamp}")]
        + list(targets),
        cwd=repository,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
