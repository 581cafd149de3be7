"""Ukrainian throughout: with `lang=uk` the page, charts, JSON and CSV carry Ukrainian labels and the
Ukrainian notes written beside the English ones; a note without one is served in English, marked as English."""

import csv
import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.checks import DataCheckError
from app.config import Settings
from app.main import create_app
from app.seed import translation_warnings
from tests.conftest import FIXTURE, BuildEdited, fixture_package, fixture_seed, replace_once

HTML = {"Accept": "text/html"}
YEARS = (2022, 2023, 2024, 2025, 2026)
# Words of the interface that must not reach a Ukrainian reader untranslated.
INTERFACE_WORDS = re.compile(
    r"\b(exchange|release|derived|reported|confirmed|undisclosed|stage|local[ _]swap|official|"
    r"single_source|istanbul-[12]|coordination_hq|unnamed)\b",
    re.IGNORECASE,
)
CYRILLIC = re.compile("[\u0400-\u04ff]")


def _rows(name: str) -> list[dict[str, str]]:
    with (FIXTURE / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def english_notes() -> set[str]:
    """Every English note the data holds."""
    notes = {r[c] for r in _rows("events.csv") for c in ("note", "breakdown_note", "returned_to_russia_note")}
    notes |= {r["note"] for r in _rows("breakdown.csv")} | {r["note"] for r in _rows("reconciliation.csv")}
    notes |= {r["derivation"] for r in _rows("yearly.csv")} | {r["scope_note"] for r in _rows("published_totals.csv")}
    return notes - {""}


def readable_text(page: str) -> str:
    """What a reader reads on the page, less the passages marked English, the sources' host names,
    URLs and paths, and the code shown for embedding."""
    body = page.split("<body>", 1)[1]
    body = re.sub(r'<span lang="en">.*?</span> <small>\(англійською\)</small>', " ", body, flags=re.S)
    body = re.sub(r'<a [^>]*lang="en"[^>]*>.*?</a>', " ", body, flags=re.S)
    body = re.sub(r'<ol class="sources">.*?</ol>', " ", body, flags=re.S)
    body = re.sub(r"<(pre|code)[^>]*>.*?</\1>", " ", body, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return re.sub(r"https?://\S+|/[\w./?=&;-]+|\b\w+\.(csv|db|json|atom)\b", " ", text)


@pytest.mark.parametrize("year", YEARS)
def test_the_ukrainian_page_reads_as_ukrainian_at_every_year(client: TestClient, year: int) -> None:
    page = client.get(f"/?lang=uk&year={year}", headers=HTML).text
    text = readable_text(page)
    assert INTERFACE_WORDS.findall(text) == []
    assert [note for note in english_notes() if note in page] == []
    assert 'lang="en"' not in page.replace('hreflang="en" lang="en">In English</a>', "")  # every note translated
    assert "місцевий обмін" in page or year != 2022  # kinds in words: the local swaps of 2022
    assert "обмін, «Стамбул-2»" in page or year != 2025  # and the agreements


@pytest.mark.parametrize("year", YEARS)
def test_the_english_page_has_cyrillic_only_in_its_link_to_ukrainian(client: TestClient, year: int) -> None:
    page = client.get(f"/?lang=en&year={year}", headers=HTML).text
    outside = page.replace('<a href="/?lang=uk" hreflang="uk" lang="uk">Українською</a>', "")
    assert CYRILLIC.findall(outside) == []


def test_json_with_lang_uk_carries_ukrainian_labels_and_notes(client: TestClient) -> None:
    event = client.get("/exchanges/2025-06-09?lang=uk").json()["data"]
    data = next(r for r in _rows("events.csv") if r["id"] == "2025-06-09")
    assert (event["kind"], event["kind_label_uk"]) == ("exchange", "обмін")
    assert (event["agreement"], event["agreement_label_uk"]) == ("istanbul-2", "Стамбул-2")
    assert (event["evidence"], event["evidence_label_uk"]) == ("undisclosed", "не оприлюднено")
    assert event["note"] == data["note_uk"] and event["note"].startswith("Етап «Стамбул-2»")
    assert event["breakdown_note"] == data["breakdown_note_uk"]
    assert event["returned_to_russia_note"] == data["returned_to_russia_note_uk"]
    assert event["notes_in_english"] == []
    english = client.get("/exchanges/2025-06-09").json()["data"]
    assert english["note"] == data["note"] and english["kind_label_uk"] == "обмін"  # the labels in both languages
    yearly = {r["year"]: r for r in client.get("/stats/yearly?lang=uk").json()["data"]}
    assert yearly[2023]["derivation"].startswith("Жодне джерело не наводить 1\u00a0002 прямо.")
    assert yearly[2023]["basis_label_uk"] == "обчислено"
    assert yearly[2026]["derivation"].startswith("Офіційного підсумку за 2026 рік не оприлюднено.")
    assert yearly[2026]["basis_label_uk"] == "офіційного підсумку немає"
    assert yearly[2022]["remainder_note"].startswith("За рік повідомлено про 1\u00a0596 людей, а в 32 подіях у записах")
    summary = client.get("/stats/summary?lang=uk").json()["data"]
    assert summary["note"].startswith("Координаційний штаб, 4-та річниця")
    assert summary["other_publishers_latest"][0]["scope_note"].startswith("Омбудсман: станом на 6 березня 2026")
    totals = client.get("/stats/totals?lang=uk").json()["data"]
    assert totals[0]["scope_note"].startswith("Інша основа: zmina") and totals[0]["evidence_label_uk"] == "одне джерело"
    units = client.get("/exchanges/2025-03-19-2/units?lang=uk").json()["data"]
    assert [u["note"] for u in units] == ["тяжкопоранені", "тяжкопоранені"]


def test_csv_with_lang_uk_carries_ukrainian_labels_and_notes(client: TestClient) -> None:
    response = client.get("/stats/reconciliation.csv?lang=uk")
    assert response.headers["vary"] == "Accept, Accept-Encoding, Accept-Language"
    rows = list(csv.DictReader(response.text.splitlines()))
    gap = next(r for r in rows if r["subject"] == "70")
    assert gap["note"].startswith("70-го обміну не знайдено") and gap["notes_in_english"] == ""
    events = list(csv.DictReader(client.get("/exchanges.csv?year=2022&lang=uk").text.splitlines()))
    assert {(r["kind"], r["kind_label_uk"]) for r in events} == {
        ("exchange", "обмін"),
        ("local_swap", "місцевий обмін"),
    }
    assert events[0]["note"].startswith("Місцевий обмін, організований владою Сумської області")
    header = events[0].keys()
    assert list(header)[list(header).index("kind") + 1] == "kind_label_uk"  # beside its code


def test_accept_language_uk_gives_the_ukrainian_notes(client: TestClient) -> None:
    by_header = client.get("/stats/reconciliation", headers={"Accept-Language": "uk"}).json()
    assert by_header == client.get("/stats/reconciliation?lang=uk").json()
    assert by_header != client.get("/stats/reconciliation").json()


def test_a_note_without_its_ukrainian_version_is_served_in_english_marked(build_edited: BuildEdited) -> None:
    event = next(r for r in _rows("events.csv") if r["id"] == "2026-03-05")
    total = next(r for r in _rows("published_totals.csv") if r["as_of"] == "2026-03-11")

    def untranslated(seed: str) -> str:
        for ukrainian in (event["note_uk"], total["scope_note_uk"]):
            seed = replace_once("'" + ukrainian.replace("'", "''") + "'", "NULL")(seed)
        return seed

    with TestClient(create_app(Settings(database_url=build_edited(untranslated)))) as client:
        row = client.get("/exchanges/2026-03-05?lang=uk").json()["data"]
        page = client.get("/?lang=uk&year=2026", headers=HTML).text
        totals = list(csv.DictReader(client.get("/stats/totals.csv?lang=uk").text.splitlines()))
    assert row["note"] == event["note"] and row["notes_in_english"] == ["note"]
    assert row["breakdown_note"] == event["breakdown_note_uk"]  # its other notes stay Ukrainian
    marked = f'<span lang="en">{html.escape(total["scope_note"])}</span> <small>(англійською)</small>'
    assert marked in page
    stated = next(r for r in totals if r["as_of"] == "2026-03-11")
    assert (stated["scope_note"], stated["notes_in_english"]) == (total["scope_note"], "scope_note")


def test_one_english_note_reads_the_same_in_ukrainian_everywhere(build_edited: BuildEdited) -> None:
    with pytest.raises(DataCheckError, match="the same English note has 2 Ukrainian versions"):
        build_edited(lambda seed: seed.replace("'повідомлено окремо від Збройних Сил України'", "'окремо'", 1))


def _rewrite(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_the_seed_warns_of_a_note_without_its_ukrainian_version(tmp_path: Path) -> None:
    data = fixture_package(tmp_path / "data")
    before = translation_warnings(data)
    rows = _rows("yearly.csv")
    rows[1]["derivation_uk"] = ""
    _rewrite(data / "yearly.csv", rows)
    assert [line for line in translation_warnings(data) if line not in before] == [
        f"{data / 'yearly.csv'} row 3 (2023), column derivation_uk: empty beside derivation; the English is served"
    ]


def test_the_seed_warns_where_the_english_changed_and_its_ukrainian_did_not(tmp_path: Path) -> None:
    data = fixture_package(tmp_path / "data")
    previous = fixture_seed()
    rows = _rows("events.csv")
    number = next(i for i, row in enumerate(rows) if row["id"] == "2026-03-05")
    rows[number]["note"] = rows[number]["note"].replace("(6 Mar)", "(7 Mar)")
    assert rows[number]["note"] != _rows("events.csv")[number]["note"]
    _rewrite(data / "events.csv", rows)
    warnings = [line for line in translation_warnings(data, previous) if "2026-03-05" in line]
    assert warnings == [
        f"{data / 'events.csv'} row {number + 2} (2026-03-05), column note_uk: note changed and this did not; "
        "write it anew",
        f"{data / 'events.csv'} row {number + 2} (2026-03-05), column note_uk: the numbers differ: 7 only in note; "
        "6 only here",
    ]
    rows[number]["note_uk"] = rows[number]["note_uk"].replace("(6 березня)", "(7 березня)")
    _rewrite(data / "events.csv", rows)
    assert [line for line in translation_warnings(data, previous) if "2026-03-05" in line] == []


def test_the_seed_warns_of_forms_the_terminology_rules_out_and_of_typography(tmp_path: Path) -> None:
    data = fixture_package(tmp_path / "data")
    rows = _rows("breakdown.csv")
    number = next(i for i, row in enumerate(rows) if row["note_uk"])
    rows[number]["note_uk"] = "тяжко поранені, п'ятеро з 1 358; поле exchange_stage порожнє"
    _rewrite(data / "breakdown.csv", rows)
    where = f"{data / 'breakdown.csv'} row {number + 2} ("
    assert [line.split(", column note_uk: ")[1] for line in translation_warnings(data) if line.startswith(where)] == [
        "the numbers differ: 1358 only here",
        "write «тяжкопоранені», not «тяжко поранені»",
        "write the apostrophe as ’ (п’ять), not '",
        "separate thousands with a non-breaking space (1\u00a0358), not an ordinary one",
        "say what exchange_stage means instead of naming the column",
    ]


@pytest.mark.parametrize("year", YEARS)
def test_the_ukrainian_page_writes_dates_out_in_its_prose(client: TestClient, year: int) -> None:
    """Prose (everything but the tables, whose date columns are identifiers, paths and code) has no ISO date."""
    page = client.get(f"/?lang=uk&year={year}", headers=HTML).text
    prose = re.sub(r"<table>.*?</table>|<(pre|code)[^>]*>.*?</\1>|<svg.*?</svg>", " ", page, flags=re.S)
    prose = re.sub(r"<[^>]+>|/[\w./?=&;-]+", " ", prose)
    assert re.findall(r"\d{4}-\d{2}-\d{2}", html.unescape(prose)) == []
    assert re.search(r"станом на \d{1,2} [а-яі]+ \d{4} року", prose)
