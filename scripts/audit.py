"""make audit: known vulnerabilities in the pinned versions of the given lock files, from PyPI.

    python3 scripts/audit.py requirements.lock [more.lock ...]

PyPI publishes the advisories (from the Python advisory database, via OSV) that affect a release in
its JSON API: /pypi/NAME/VERSION/json lists those of that release, /pypi/NAME/json those of the
newest release only. A pin is checked against the first of the two that answers for it; a pin that
neither covers (an index that serves only the project document, and a release that is no longer the
newest) is named as unchecked, never passed off as clean.

Exit status: 0 every pin checked and none affected; 1 a pin is affected (listed); 2 none affected but
some pin could not be checked (listed).
"""

import json
import re
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

INDEX = "https://pypi.org/pypi"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


@dataclass(frozen=True)
class Finding:
    """What the index says of one pinned release: its advisories, or why it could not say."""

    name: str
    version: str
    advisories: tuple[str, ...] = ()
    unchecked: str = ""


def pins(lock: Path) -> set[tuple[str, str]]:
    """The (name, version) pairs a lock file pins."""
    return {(name.lower(), version) for name, version in PIN.findall(lock.read_text())}


def fetch(url: str) -> Any:
    """The JSON document at url, or None when the index has none (404)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise


def describe(advisory: Any) -> str:
    """One advisory as a line: its id, aliases and the versions that fix it."""
    aliases = ", ".join(str(alias) for alias in advisory.get("aliases") or [])
    fixed = ", ".join(str(version) for version in advisory.get("fixed_in") or [])
    return f"{advisory['id']} ({aliases or 'no alias'}; fixed in {fixed or 'no release yet'})"


def check(name: str, version: str) -> Finding:
    """Ask the index about one pinned release."""
    try:
        document = fetch(f"{INDEX}/{name}/{version}/json")
        if document is None:
            project = fetch(f"{INDEX}/{name}/json")
            if project is None:
                return Finding(name, version, unchecked="the index does not know this project")
            latest = str(project["info"]["version"])
            if latest != version:
                return Finding(
                    name, version, unchecked=f"the index lists advisories for the newest release ({latest}) only"
                )
            document = project
    except (OSError, ValueError) as error:
        return Finding(name, version, unchecked=f"the index could not be read ({error})")
    advisories = [a for a in document.get("vulnerabilities") or [] if not a.get("withdrawn")]
    return Finding(name, version, advisories=tuple(describe(a) for a in advisories))


def main(locks: list[str]) -> int:
    """Check every pin of the lock files; print one line per finding and a summary per lock."""
    pinned = {lock: pins(Path(lock)) for lock in locks}
    every = sorted(set().union(*pinned.values()))
    with ThreadPoolExecutor(max_workers=8) as pool:
        findings = dict(zip(every, pool.map(lambda pin: check(*pin), every), strict=True))
    for lock, lock_pins in pinned.items():
        affected = [findings[pin] for pin in sorted(lock_pins) if findings[pin].advisories]
        unchecked = [findings[pin] for pin in sorted(lock_pins) if findings[pin].unchecked]
        for finding in affected:
            print(f"audit: {lock}: VULNERABLE {finding.name}=={finding.version}: {'; '.join(finding.advisories)}")
        for finding in unchecked:
            print(f"audit: {lock}: UNCHECKED {finding.name}=={finding.version}: {finding.unchecked}")
        checked = len(lock_pins) - len(unchecked)
        print(f"audit: {lock}: {checked} of {len(lock_pins)} pins checked, {len(affected)} with known vulnerabilities")
    if any(finding.advisories for finding in findings.values()):
        return 1
    if any(finding.unchecked for finding in findings.values()):
        print("audit: not every pin was checked (above); `make lock UPGRADE=1` moves pins to the newest releases that")
        print("audit: pyproject.toml's ranges and the dependencies' own ranges allow")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["requirements.lock"]))
