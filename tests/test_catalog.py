"""The words of the service: one gettext catalog, current with the code, every phrase and every plural
form in Ukrainian, and nothing shown to a Ukrainian reader that the catalog does not translate."""

import gettext
import io
import re
import tokenize
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from app import i18n
from app.config import ROOT, Settings
from app.main import create_app

APP = ROOT / "app"
TEMPLATE = APP / "locale" / "messages.pot"
UKRAINIAN = APP / "locale" / "uk" / "LC_MESSAGES" / "messages.po"
NAME = re.compile(r"\{(\w+)")  # a name a phrase fills in with str.format


def _catalog(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def _ids(catalog: Catalog) -> set[object]:
    return {message.id for message in catalog if message.id}


def test_the_template_holds_every_phrase_the_code_writes() -> None:
    extracted = {message for _, _, message, _, _ in extract_from_dir(str(APP))}
    template = _ids(_catalog(TEMPLATE))
    assert extracted == template, "the catalog is stale: run `make messages`"


def test_every_phrase_and_every_plural_form_is_in_ukrainian() -> None:
    catalog = _catalog(UKRAINIAN)
    assert catalog.num_plurals == 3  # CLDR one, few, many
    assert _ids(catalog) == _ids(_catalog(TEMPLATE))
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(forms) and not message.fuzzy, message.id
        if message.pluralizable:
            assert len(forms) == 3 and all("{count}" in form for form in forms), message.id


# The names a Ukrainian phrase may use beyond its msgid's: ordinals written as "{ordinal_number}-й"
# (app.sentences passes both forms).
EXTRA_NAMES = {"ordinal": "ordinal_number", "stage": "stage_number"}


def test_every_ukrainian_phrase_fills_in_only_what_the_code_passes() -> None:
    """A name the code does not pass ({kount}) would fail every Ukrainian answer that uses the phrase."""
    wrong = {}
    for message in _catalog(UKRAINIAN):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        passed = {name for text in ids for name in NAME.findall(str(text))}
        passed |= {EXTRA_NAMES[name] for name in passed if name in EXTRA_NAMES}
        used = {name for text in forms for name in NAME.findall(str(text))}
        if used - passed:
            wrong[ids[0]] = sorted(used - passed)
    assert wrong == {}


def test_no_phrase_hides_from_the_extractor_inside_an_f_string() -> None:
    """gettext's tools read a call, never one inside an f-string (a phrase there is never translated)."""
    hidden = []
    for path in sorted(APP.rglob("*.py")):
        for token in tokenize.generate_tokens(io.StringIO(path.read_text("utf-8")).readline):
            fstring = token.type == tokenize.STRING and token.string.lstrip("rbRB").startswith(("f", "F"))
            if fstring and "gettext(" in token.string:
                hidden.append(f"{path.name}:{token.start[0]}")
    assert hidden == []


class Untranslated(gettext.NullTranslations):
    """A catalog's fallback that notes every phrase it is asked for: the catalog did not have it."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[str] = set()

    def gettext(self, message: str) -> str:
        self.asked.add(message)
        return message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        self.asked.add(msgid1)
        return msgid1 if n == 1 else msgid2


@pytest.fixture
def untranslated(monkeypatch: pytest.MonkeyPatch) -> Untranslated:
    recorder = Untranslated()
    catalog = i18n.words("uk").catalog
    monkeypatch.setattr(catalog, "_fallback", None)
    catalog.add_fallback(recorder)
    return recorder


# Each page and chart a Ukrainian reader asks for, with its parameters for one year.
PATHS: list[tuple[str, dict[str, str]]] = [
    ("/", {"year": "{year}"}),
    ("/stats/yearly.svg", {}),
    ("/stats/monthly.svg", {}),
    ("/stats/totals.svg", {}),
    ("/exchanges.svg", {"year": "{year}"}),
    ("/stats/yearly", {"as_of": "{year}-03-31"}),
    ("/exchanges", {"year": "{year}"}),
    ("/feed.atom", {}),
]


def test_the_ukrainian_service_asks_the_catalog_for_nothing_it_lacks(
    database_url: str, untranslated: Untranslated
) -> None:
    # A fresh app without a response cache, so that every answer is made while the catalog is watched.
    settings = Settings(database_url=database_url, response_cache_bytes=0)
    with TestClient(create_app(settings)) as client:
        for year in range(2022, 2027):
            for path, params in PATHS:
                asked = {"lang": "uk", **{name: value.format(year=year) for name, value in params.items()}}
                response = client.get(path, params=asked, headers={"Accept": "*/*"})
                assert response.status_code == 200, (path, asked)
        for event in client.get("/exchanges", params={"limit": 1000}).json()["data"]:
            response = client.get(f"/exchanges/{event['id']}/units.svg", params={"lang": "uk"})
            assert response.status_code in (200, 404), event["id"]  # 404: an event without a breakdown
    assert untranslated.asked == set()


def test_the_server_speaks_every_phrase_of_the_ukrainian_catalog_as_written() -> None:
    """The compiled catalog the server reads is the .po as it stands (a .mo left from an older .po fails)."""
    served = i18n.words("uk").catalog
    differ: dict[str, object] = {}
    for message in _catalog(UKRAINIAN):
        if not message.id:
            continue
        said: object
        if isinstance(message.id, tuple):
            singular, plural = message.id[:2]
            # Ukrainian's plural forms for 1 (one), 2 (few) and 5 (many).
            said = tuple(served.ngettext(str(singular), str(plural), count) for count in (1, 2, 5))
        else:
            said = served.gettext(str(message.id))
        if said != message.string:
            differ[str(message.id)] = said
    assert differ == {}, "run `make catalog`"
