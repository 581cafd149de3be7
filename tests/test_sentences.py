"""Quote-ready sentences: exact text per basis and kind, in English and Ukrainian."""

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from app import sentences
from app.schemas import ExchangeRow

CASES = [
    pytest.param(
        "/stats/yearly/2024",
        "Ukraine brought back 1,358 people from Russian captivity in 2024, according to the Coordination "
        "Headquarters for the Treatment of Prisoners of War (reported on 1 January 2025).",
        "У 2024 році Україна повернула з російського полону 1\u00a0358 людей (дані: Координаційний штаб з питань "
        "поводження з військовополоненими, повідомлено 1 січня 2025 року).",
        id="reported",
    ),
    pytest.param(
        "/stats/yearly/2023",
        "Ukraine brought back 1,002 people from Russian captivity in 2023, a figure derived from official totals "
        "(no source states it directly).",
        "У 2023 році Україна повернула з російського полону 1\u00a0002 людини; це число обчислено з офіційних "
        "підсумків, жодне джерело не наводить його прямо.",
        id="derived",
    ),
    pytest.param(
        "/stats/yearly/2026",
        "No official total for 2026 has been published; the exchange records for the year hold 659 people brought "
        "back from Russian captivity, and 1 event whose figure was not disclosed.",
        "Офіційного підсумку за 2026 рік немає; записи про обміни за рік містять 659 людей, повернутих з "
        "російського полону, а ще 1 подія з нерозкритим числом.",
        id="no official total",
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
        "23 травня 2025 року Україна повернула з російського полону 390 людей під час етапу 1 з 3 65-го обміну "
        "(офіційні дані України).",
        id="stage",
    ),
    pytest.param(
        "/exchanges/2025-06-09",
        "The number of people Ukraine brought back from Russian captivity in stage 1 of 9 of the Istanbul-2 "
        "exchanges of 9 June 2025 was not disclosed.",
        "Скільки людей Україна повернула з російського полону 9 червня 2025 року під час етапу 1 з 9 обміну за "
        "домовленостями Стамбул-2, не оприлюднено.",
        id="undisclosed stage of an agreement",
    ),
    pytest.param(
        "/exchanges/2025-03-19-2",
        "22 people were freed from Russian captivity outside an exchange on 19 March 2025, Ukraine's official "
        "figure; they are not in the exchange totals.",
        "19 березня 2025 року з російського полону поза обміном звільнено 22 людини (офіційні дані України); їх "
        "не враховано в підсумках обмінів.",
        id="release",
    ),
    pytest.param(
        "/exchanges/2022-03-01",
        "Ukraine brought back 5 people in a local prisoner swap on 1 March 2022, Ukraine's official figure.",
        "1 березня 2022 року Україна повернула 5 людей у місцевому обміні полоненими (офіційні дані України).",
        id="local swap",
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


def test_figures_are_never_rounded_and_nouns_agree() -> None:
    assert [sentences.people(n, "en") for n in (1, 2, 2310)] == ["1 person", "2 people", "2,310 people"]
    assert [sentences.people(n, "uk") for n in (1, 3, 11, 21, 22, 1002, 6922)] == [
        "1 людина",
        "3 людини",
        "11 людей",
        "21 людина",
        "22 людини",
        "1\u00a0002 людини",
        "6\u00a0922 людини",
    ]


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
            "Ukraine brought back 205 people from Russian captivity in the 69th exchange of 2 October 2025, the "
            "figure served here; sources give different figures (see the note).",
            "2 жовтня 2025 року Україна повернула з російського полону 205 людей під час 69-го обміну (число, "
            "подане тут; джерела наводять різні числа (див. примітку)).",
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
    assert sentence.endswith("the figure served here; sources give different figures (see the note).")
