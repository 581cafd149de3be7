"""Quote-ready sentences: one attributed sentence per figure, exact, in English or Ukrainian.

A newsroom writes the figure with its grouping (2,310 / 2 310), names who said it and when, says
"derived" where no source states it, and says "not disclosed" instead of inventing a number.
Ukrainian sentences attribute with a colon ("Омбудсман: ...") so that no verb has to agree with
the body's grammatical gender.
"""

import datetime as dt
from collections.abc import Sequence
from typing import TypeVar, cast
from urllib.parse import urlsplit

from app.i18n import number
from app.schemas import ExchangeRow, PublishedTotalRow, Summary, YearlyRow

MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
# Ukrainian dates take the genitive month: 6 березня 2026 року.
MONTHS_UK = [
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
]
STAGES_EN = dict(
    enumerate(["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"], start=1)
)


def long_date(day: dt.date, lang: str) -> str:
    """6 March 2026 / 6 березня 2026 року."""
    if lang == "uk":
        return f"{day.day} {MONTHS_UK[day.month - 1]} {day.year} року"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def counted_uk(count: int, one: str, few: str, many: str) -> str:
    """A Ukrainian count with the noun form the number takes: 1 людина, 3 людини, 5 людей."""
    if count % 10 == 1 and count % 100 != 11:
        return f"{number(count, 'uk')} {one}"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return f"{number(count, 'uk')} {few}"
    return f"{number(count, 'uk')} {many}"


def people(count: int, lang: str) -> str:
    """The figure with its noun: 1 person, 2,310 people / 1 людина, 3 людини, 2 310 людей."""
    if lang == "uk":
        return counted_uk(count, "людина", "людини", "людей")
    return f"{number(count, lang)} {'person' if count == 1 else 'people'}"


def nth(value: int, lang: str) -> str:
    """59th / 59-го (the genitive, as in "під час 59-го обміну")."""
    if lang == "uk":
        return f"{value}-го"
    suffix = "th" if value % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


def yearly(row: YearlyRow, lang: str) -> str:
    """One year's figure: reported (who said it, when), derived (say so), or none (what is on record)."""
    if row.returned_to_ukraine is None:
        return _no_official_total(row, lang)
    figure = people(row.returned_to_ukraine, lang)
    if row.basis == "derived":
        if lang == "uk":
            return (
                f"У {row.year} році Україна повернула з російського полону {figure}; це число обчислено з "
                "офіційних підсумків, жодне джерело не наводить його прямо."
            )
        return (
            f"Ukraine brought back {figure} from Russian captivity in {row.year}, a figure derived from official "
            "totals (no source states it directly)."
        )
    if lang == "uk":
        when = f", повідомлено {long_date(row.reported_on, lang)}" if row.reported_on else ""
        who = row.publisher_label_uk or "офіційні джерела"
        return f"У {row.year} році Україна повернула з російського полону {figure} (дані: {who}{when})."
    when = f" (reported on {long_date(row.reported_on, lang)})" if row.reported_on else ""
    who = row.publisher_label or "official sources"
    return f"Ukraine brought back {figure} from Russian captivity in {row.year}, according to the {who}{when}."


def _no_official_total(row: YearlyRow, lang: str) -> str:
    on_record = people(row.on_record_returned_to_ukraine or 0, lang)
    unknown = row.events_undisclosed
    if lang == "uk":
        rest = f", а ще {counted_uk(unknown, 'подія', 'події', 'подій')} з нерозкритим числом" if unknown else ""
        return (
            f"Офіційного підсумку за {row.year} рік немає; записи про обміни за рік містять {on_record}, "
            f"повернутих з російського полону{rest}."
        )
    rest = f", and {unknown} event{'s' if unknown > 1 else ''} whose figure was not disclosed" if unknown else ""
    return (
        f"No official total for {row.year} has been published; the exchange records for the year hold "
        f"{on_record} brought back from Russian captivity{rest}."
    )


def _which(event: ExchangeRow, lang: str) -> str:
    """`the 59th exchange`, `the first of 3 stages of the 65th exchange`, `stage 4 of the istanbul-2
    exchanges`; in Ukrainian the matching genitive phrase."""
    stage, ordinal, stages = event.exchange_stage, event.exchange_ordinal, event.exchange_stages
    if stage is not None and ordinal is not None:
        if lang == "uk":
            return f"етапу {stage} з {stages} {nth(ordinal, lang)} обміну"
        return f"the {STAGES_EN.get(stage, nth(stage, lang))} of {stages} stages of the {nth(ordinal, lang)} exchange"
    if stage is not None:
        agreement = (event.agreement or "").replace("istanbul", "Стамбул" if lang == "uk" else "Istanbul")
        if lang == "uk":
            return f"етапу {stage} з {stages} обміну за домовленостями {agreement}"
        return f"stage {stage} of {stages} of the {agreement} exchanges"
    if lang == "uk":
        return f"{nth(ordinal, lang)} обміну" if ordinal else "обміну"
    return f"the {nth(ordinal, lang)} exchange" if ordinal else "the exchange"


# An event's sentence: what happened, then whose figure it is, by the figure's evidence.
EVENT_SENTENCES = {
    "en": {
        "undisclosed": "The number of people Ukraine brought back from Russian captivity in {which} of {day} "
        "was not disclosed.",
        "release": "{figure} {verb} freed from Russian captivity outside an exchange on {day}, {whose}; they are "
        "not in the exchange totals.",
        "local_swap": "Ukraine brought back {figure} in a local prisoner swap on {day}, {whose}.",
        "exchange": "Ukraine brought back {figure} from Russian captivity in {which} of {day}, {whose}.",
    },
    "uk": {
        "undisclosed": "Скільки людей Україна повернула з російського полону {day} під час {which}, не оприлюднено.",
        "release": "{day} з російського полону поза обміном звільнено {figure} ({whose}); їх не враховано в "
        "підсумках обмінів.",
        "local_swap": "{day} Україна повернула {figure} у місцевому обміні полоненими ({whose}).",
        "exchange": "{day} Україна повернула з російського полону {figure} під час {which} ({whose}).",
    },
}
WHOSE = {
    "en": {
        "confirmed": "Ukraine's official figure",
        "single_source": "according to a single source ({source})",
        "conflict": "the figure served here; sources give different figures (see the note)",
    },
    "uk": {
        "confirmed": "офіційні дані України",
        "single_source": "за даними одного джерела: {source}",
        "conflict": "число, подане тут; джерела наводять різні числа (див. примітку)",
    },
}


def exchange(event: ExchangeRow, lang: str) -> str:
    """One event: an exchange or a stage of one, a local swap, a release, or an undisclosed figure;
    a confirmed figure reads as Ukraine's official one, a single source's is attributed to it, and a
    figure on which sources differ says so."""
    count = event.returned_to_ukraine
    template = "undisclosed" if count is None else event.kind
    source = urlsplit(event.source_urls[0]).netloc.removeprefix("www.") if event.source_urls else ""
    return EVENT_SENTENCES[lang][template].format(
        day=long_date(event.date, lang),
        which=_which(event, lang),
        figure=people(count, lang) if count is not None else "",
        verb="was" if count == 1 else "were",
        whose=WHOSE[lang].get(event.evidence, WHOSE[lang]["confirmed"]).format(source=source),
    )


def total(row: PublishedTotalRow | Summary, lang: str) -> str:
    """A body's "since 2022" total: who said it, when, and the figure ("more than" where they said so)."""
    figure = people(row.returned_to_ukraine, lang)
    if lang == "uk":
        bound = "понад " if row.returned_is_lower_bound else ""
        who = row.publisher_label_uk[0].upper() + row.publisher_label_uk[1:]
        return (
            f"{who}: станом на {long_date(row.as_of, lang)} з російського полону від лютого "
            f"2022 року повернуто {bound}{figure}."
        )
    bound = "more than " if row.returned_is_lower_bound else ""
    who = {"unnamed": "An official source (body not named)"}.get(row.publisher, f"The {row.publisher_label}")
    return (
        f"{who} said on {long_date(row.as_of, lang)} that {bound}{figure} had been brought back from Russian "
        "captivity since February 2022."
    )


Quotable = YearlyRow | ExchangeRow | PublishedTotalRow | Summary
RowT = TypeVar("RowT", bound=Quotable)


def quoted(rows: Sequence[RowT], lang: str) -> list[RowT]:
    """Copies of the rows, each with its `sentence` in `lang` (the record leaves it empty)."""
    return [cast(RowT, row.model_copy(update={"sentence": sentence(row, lang)})) for row in rows]


def sentence(row: Quotable, lang: str) -> str:
    """The row's quote-ready sentence in `lang`."""
    if isinstance(row, YearlyRow):
        return yearly(row, lang)
    if isinstance(row, ExchangeRow):
        return exchange(row, lang)
    return total(row, lang)
