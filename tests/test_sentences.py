"""Quote-ready sentences: exact text per basis and kind, in English and Ukrainian."""

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from app import sentences
from app.schemas import ExchangeRow, PublishedTotalRow, YearlyRow

# Hand-checked: every year, and eleven events of every kind and every evidence, in both languages.
CASES = [
    pytest.param(
        "/stats/yearly/2022",
        "Ukraine brought back 1,596 people from Russian captivity in 2022, according to the Ministry for "
        "Reintegration of the Temporarily Occupied Territories (reported on 2 January 2023).",
        "У 2022 році Україна повернула з російського полону 1\u00a0596 людей (дані: Міністерство з питань "
        "реінтеграції тимчасово окупованих територій України, повідомлено 2 січня 2023 року).",
        id="2022, reported",
    ),
    pytest.param(
        "/stats/yearly/2023",
        "Ukraine brought back 1,002 people from Russian captivity in 2023, a figure derived from official totals "
        "(no source states it directly).",
        "У 2023 році Україна повернула з російського полону 1\u00a0002 людини; це число обчислено з офіційних "
        "підсумків, жодне джерело не наводить його прямо.",
        id="2023, derived",
    ),
    pytest.param(
        "/stats/yearly/2024",
        "Ukraine brought back 1,358 people from Russian captivity in 2024, according to the Coordination "
        "Headquarters for the Treatment of Prisoners of War (reported on 1 January 2025).",
        "У 2024 році Україна повернула з російського полону 1\u00a0358 людей (дані: Координаційний штаб з питань "
        "поводження з військовополоненими, повідомлено 1 січня 2025 року).",
        id="2024, reported",
    ),
    pytest.param(
        "/stats/yearly/2025",
        "Ukraine brought back 2,310 people from Russian captivity in 2025, according to the Coordination "
        "Headquarters for the Treatment of Prisoners of War.",
        "У 2025 році Україна повернула з російського полону 2\u00a0310 людей (дані: Координаційний штаб з питань "
        "поводження з військовополоненими).",
        id="2025, reported without a date",
    ),
    pytest.param(
        "/stats/yearly/2026",
        "No official total for 2026 has been published; the exchange records for the year hold 659 people brought "
        "back from Russian captivity, and 1 event whose figure was not disclosed.",
        "Офіційного підсумку за 2026 рік немає; у записах про обміни за цей рік — 659 людей, повернутих з "
        "російського полону, а також 1 подія, число якої не оприлюднено.",
        id="2026, no official total",
    ),
    pytest.param(
        "/exchanges/2022-03-16",
        "Ukraine brought back 1 person from Russian captivity in the exchange of 16 March 2022, Ukraine's official "
        "figure.",
        "16 березня 2022 року Україна повернула з російського полону 1 людину під час обміну (офіційні дані України).",
        id="one person",
    ),
    pytest.param(
        "/exchanges/2022-05-06",
        "Ukraine brought back 41 people from Russian captivity in the exchange of 6 May 2022, Ukraine's official "
        "figure.",
        "6 травня 2022 року Україна повернула з російського полону 41 людину під час обміну (офіційні дані України).",
        id="41",
    ),
    pytest.param(
        "/exchanges/2023-02-16",
        "Ukraine brought back 101 people from Russian captivity in the exchange of 16 February 2023, Ukraine's "
        "official figure.",
        "16 лютого 2023 року Україна повернула з російського полону 101 людину під час обміну (офіційні дані України).",
        id="101",
    ),
    pytest.param(
        "/exchanges/2026-03-06",
        "Ukraine brought back 302 people from Russian captivity in the 73rd exchange of 6 March 2026, Ukraine's "
        "official figure.",
        "6 березня 2026 року Україна повернула з російського полону 302 людини під час 73-го обміну (офіційні "
        "дані України).",
        id="302, the 73rd",
    ),
    pytest.param(
        "/exchanges/2025-08-24",
        "The number of people Ukraine brought back from Russian captivity in the 68th exchange of 24 August 2025 "
        "was not disclosed.",
        "Скільки людей Україна повернула з російського полону 24 серпня 2025 року під час 68-го обміну, не "
        "оприлюднено.",
        id="undisclosed event",
    ),
    pytest.param(
        "/exchanges/2025-05-23",
        "Ukraine brought back 390 people from Russian captivity in the first of 3 stages of the 65th exchange of "
        "23 May 2025, Ukraine's official figure.",
        "23 травня 2025 року Україна повернула з російського полону 390 людей під час 1-го з 3 етапів 65-го "
        "обміну (офіційні дані України).",
        id="stage",
    ),
    pytest.param(
        "/exchanges/2025-06-09",
        "The number of people Ukraine brought back from Russian captivity in stage 1 of 9 of the Istanbul-2 "
        "exchanges of 9 June 2025 was not disclosed.",
        "Скільки людей Україна повернула з російського полону 9 червня 2025 року під час 1-го з 9 етапів обміну "
        "«Стамбул-2», не оприлюднено.",
        id="undisclosed stage of an agreement",
    ),
    pytest.param(
        "/exchanges/2025-03-19-2",
        "22 people were freed from Russian captivity outside an exchange on 19 March 2025, Ukraine's official "
        "figure; the release is not in the exchange totals.",
        "19 березня 2025 року з російського полону поза обміном звільнено 22 людини (офіційні дані України); "
        "цього звільнення немає в підсумках обмінів.",
        id="release",
    ),
    pytest.param(
        "/exchanges/2025-04-19-2",
        "31 people were freed from Russian captivity outside an exchange on 19 April 2025, Ukraine's official "
        "figure; the release is not in the exchange totals.",
        "19 квітня 2025 року з російського полону поза обміном звільнено 31 людину (офіційні дані України); "
        "цього звільнення немає в підсумках обмінів.",
        id="release of 31",
    ),
    pytest.param(
        "/exchanges/2022-03-01",
        "Ukraine brought back 5 people in a local prisoner swap on 1 March 2022, Ukraine's official figure.",
        "1 березня 2022 року Україна повернула 5 людей під час місцевого обміну полоненими (офіційні дані України).",
        id="local swap",
    ),
    pytest.param(
        "/exchanges/2023-07-06",
        "Ukraine brought back 45 people from Russian captivity in the 47th exchange of 6 July 2023, though "
        "sources give different figures.",
        "6 липня 2023 року Україна повернула з російського полону 45 людей під час 47-го обміну (джерела "
        "наводять різні числа).",
        id="conflict",
    ),
    pytest.param(
        "/exchanges/2024-12-30",
        "Ukraine brought back 189 people from Russian captivity in the 59th exchange of 30 December 2024, "
        "Ukraine's official figure.",
        "30 грудня 2024 року Україна повернула з російського полону 189 людей під час 59-го обміну (офіційні дані "
        "України).",
        id="exchange",
    ),
    pytest.param(
        "/stats/summary",
        "The Coordination Headquarters for the Treatment of Prisoners of War said on 11 March 2026 that 8,050 "
        "people had been brought back from Russian captivity since February 2022.",
        "Координаційний штаб з питань поводження з військовополоненими: станом на 11 березня 2026 року з "
        "російського полону від лютого 2022 року повернуто 8\u00a0050 людей.",
        id="headline total",
    ),
]


@pytest.mark.parametrize(("path", "english", "ukrainian"), CASES)
def test_sentence_in_both_languages(client: TestClient, path: str, english: str, ukrainian: str) -> None:
    assert client.get(path).json()["data"]["sentence"] == english
    assert client.get(path, params={"lang": "uk"}).json()["data"]["sentence"] == ukrainian
    by_header = client.get(path, headers={"Accept-Language": "uk-UA,uk;q=0.9"})
    assert by_header.json()["data"]["sentence"] == ukrainian
    assert "Accept-Language" in by_header.headers["vary"]


def test_a_lower_bound_total_says_more_than(client: TestClient) -> None:
    rows = {r["id"]: r for r in client.get("/stats/totals").json()["data"]}
    assert rows["2025-10-02-president"]["sentence"] == (
        "The President of Ukraine said on 2 October 2025 that more than 7,000 people had been brought back from "
        "Russian captivity since February 2022."
    )
    uk = {r["id"]: r for r in client.get("/stats/totals", params={"lang": "uk"}).json()["data"]}
    assert uk["2022-05-02-unnamed"]["sentence"] == (
        "Офіційні дані, орган не названо: станом на 2 травня 2022 року з російського полону від лютого 2022 року "
        "повернуто 320 людей."
    )


# Each count of the list, with the form of "people" that the sentence's verb governs in
# Ukrainian (CLDR one, few, many: 1 людину, 2 людини, 5 людей) and the number as each language writes it.
COUNTS = {
    0: ("0 people", "0 людей"),
    1: ("1 person", "1 людину"),
    2: ("2 people", "2 людини"),
    4: ("4 people", "4 людини"),
    5: ("5 people", "5 людей"),
    11: ("11 people", "11 людей"),
    12: ("12 people", "12 людей"),
    14: ("14 people", "14 людей"),
    21: ("21 people", "21 людину"),
    22: ("22 people", "22 людини"),
    25: ("25 people", "25 людей"),
    101: ("101 people", "101 людину"),
    111: ("111 people", "111 людей"),
    1358: ("1,358 people", "1\u00a0358 людей"),
}


@pytest.mark.parametrize(("count", "forms"), COUNTS.items())
def test_every_count_sentence_takes_the_form_its_number_needs(count: int, forms: tuple[str, str]) -> None:
    english, ukrainian = forms
    event = _event("confirmed").model_copy(update={"returned_to_ukraine": count})
    assert english in sentences.exchange(event, "en") and ukrainian in sentences.exchange(event, "uk")
    swap = event.model_copy(update={"kind": "local_swap"})
    assert english in sentences.exchange(swap, "en")
    assert f"повернула {ukrainian} під час місцевого обміну" in sentences.exchange(swap, "uk")
    release = event.model_copy(update={"kind": "release"})
    verb = "was" if count == 1 else "were"
    assert sentences.exchange(release, "en").startswith(f"{english} {verb} freed")
    assert f"звільнено {ukrainian} (" in sentences.exchange(release, "uk")
    year = _year(count)
    assert english in sentences.yearly(year, "en") and f"повернула з російського полону {ukrainian} (" in (
        sentences.yearly(year, "uk")
    )
    derived = year.model_copy(update={"basis": "derived"})
    assert f"полону {ukrainian}; це число" in sentences.yearly(derived, "uk")
    total = _total(count)
    assert f"that {english} had been" in sentences.total(total, "en")
    assert sentences.total(total, "uk").endswith(f"повернуто {ukrainian}.")


@pytest.mark.parametrize(
    ("count", "held", "events"),
    [
        (0, "0 людей, повернутих", "0 подій, числа яких"),
        (1, "1 людина, повернута", "1 подія, число якої"),
        (2, "2 людини, повернуті", "2 події, числа яких"),
        (5, "5 людей, повернутих", "5 подій, числа яких"),
        (21, "21 людина, повернута", "21 подія, число якої"),
        (111, "111 людей, повернутих", "111 подій, числа яких"),
    ],
)
def test_a_year_without_a_total_counts_its_people_and_events_in_the_forms_their_numbers_need(
    count: int, held: str, events: str
) -> None:
    year = _year(None).model_copy(update={"on_record_returned_to_ukraine": count, "events_undisclosed": count or 1})
    ukrainian = sentences.yearly(year, "uk")
    assert f"за цей рік — {held} з російського полону" in ukrainian
    assert (f"а також {events} не оприлюднено." in ukrainian) == bool(count)
    english = sentences.yearly(year, "en")
    assert f"hold {count} {'person' if count == 1 else 'people'} brought back" in english


def test_a_year_whose_records_give_no_figure_says_so_and_never_zero() -> None:
    year = _year(None).model_copy(update={"on_record_returned_to_ukraine": None, "events_undisclosed": 2})
    assert (sentences.yearly(year, "en"), sentences.yearly(year, "uk")) == (
        f"No official total for {year.year} has been published, and no exchange record for the year gives a figure.",
        f"Офіційного підсумку за {year.year} рік немає, і жоден запис про обмін за цей рік не наводить числа.",
    )


def test_english_ordinals_follow_the_rule() -> None:
    assert [sentences.nth(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 51, 52, 53, 101, 111, 112)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "51st", "52nd", "53rd",
        "101st", "111th", "112th",
    ]  # fmt: skip


def test_csv_carries_the_sentence_in_the_asked_language(client: TestClient) -> None:
    text = client.get("/stats/yearly.csv", params={"lang": "uk"}).text
    assert text.splitlines()[0].endswith(",sentence")
    assert "У 2024 році Україна повернула" in text


def _event(evidence: str) -> ExchangeRow:
    return ExchangeRow(
        id="2025-10-02",
        date=dt.date(2025, 10, 2),
        exchange_ordinal=69,
        exchange_stage=None,
        exchange_stages=None,
        returned_to_ukraine=205,
        returned_to_russia=185,
        returned_to_russia_note=None,
        mediator=None,
        running_total_after=None,
        note=None,
        source_urls=["https://www.example.org/a", "https://second.example/b"],
        kind="exchange",
        agreement=None,
        evidence=evidence,
        breakdown_note=None,
        sentence="",
    )


def _year(count: int | None) -> YearlyRow:
    return YearlyRow(
        year=2024,
        returned_to_ukraine=count,
        exchanges=None,
        basis="reported" if count is not None else "no_official_total",
        derivation="",
        change_from_previous_year=None,
        cumulative_returned_to_ukraine=None,
        recorded_events=0,
        source_urls=[],
        events_undisclosed=0,
        on_record_returned_to_ukraine=None,
        on_record_released_outside_exchanges=None,
        unaccounted_remainder=None,
        remainder_note=None,
        publisher="coordination_hq" if count is not None else None,
        publisher_label="Coordination Headquarters for the Treatment of Prisoners of War",
        publisher_label_uk="Координаційний штаб з питань поводження з військовополоненими",
        reported_on=None,
        sentence="",
    )


def _total(count: int) -> PublishedTotalRow:
    return PublishedTotalRow(
        id="2026-03-06-ombudsman",
        as_of=dt.date(2026, 3, 6),
        publisher="ombudsman",
        publisher_label="Ukrainian Parliament Commissioner for Human Rights",
        publisher_label_uk="Уповноважений Верховної Ради України з прав людини",
        returned_to_ukraine=count,
        returned_is_lower_bound=False,
        exchanges=None,
        exchanges_is_lower_bound=False,
        scope_note="",
        evidence="single_source",
        on_record_by_then=0,
        difference_from_record=0,
        source_urls=[],
        sentence="",
    )


@pytest.mark.parametrize(
    ("evidence", "english", "ukrainian"),
    [
        (
            "confirmed",
            "Ukraine brought back 205 people from Russian captivity in the 69th exchange of 2 October 2025, "
            "Ukraine's official figure.",
            "2 жовтня 2025 року Україна повернула з російського полону 205 людей під час 69-го обміну (офіційні "
            "дані України).",
        ),
        (
            "single_source",
            "Ukraine brought back 205 people from Russian captivity in the 69th exchange of 2 October 2025, "
            "according to a single source (example.org).",
            "2 жовтня 2025 року Україна повернула з російського полону 205 людей під час 69-го обміну (за даними "
            "одного джерела: example.org).",
        ),
        (
            "conflict",
            "Ukraine brought back 205 people from Russian captivity in the 69th exchange of 2 October 2025, though "
            "sources give different figures.",
            "2 жовтня 2025 року Україна повернула з російського полону 205 людей під час 69-го обміну (джерела "
            "наводять різні числа).",
        ),
    ],
)
def test_an_event_sentence_says_whose_figure_it_is(evidence: str, english: str, ukrainian: str) -> None:
    event = _event(evidence)
    assert (sentences.exchange(event, "en"), sentences.exchange(event, "uk")) == (english, ukrainian)


def test_an_undisclosed_figure_is_still_said_to_be_undisclosed() -> None:
    event = _event("undisclosed").model_copy(update={"returned_to_ukraine": None})
    assert sentences.exchange(event, "en") == (
        "The number of people Ukraine brought back from Russian captivity in the 69th exchange of 2 October 2025 "
        "was not disclosed."
    )


def test_a_served_conflicting_event_says_sources_differ(client: TestClient) -> None:
    sentence = client.get("/exchanges/2023-07-06").json()["data"]["sentence"]
    assert sentence.endswith(", though sources give different figures.")
