"""Quote-ready sentences: one attributed sentence per figure, exact, in English or Ukrainian.

A newsroom writes the figure with its grouping (2,310 / 2 310), names who said it and when, says
"derived" where no source states it, and says "not disclosed" instead of inventing a number. Every
phrase with a count is one whole phrase per plural form in the catalog (1 людину, 2 людини, 5
людей: the case its verb governs). Ukrainian sentences attribute with a colon ("Омбудсман: ...") so
that no verb has to agree with the body's grammatical gender.
"""

from urllib.parse import urlsplit

from pydantic import BaseModel

from app.i18n import Words, words
from app.schemas import ExchangeRow, PublishedTotalRow, Summary, YearlyRow, label


def site(url: str) -> str:
    """The site a source URL is on, as a reader names it: no www., no port, no trailing dot."""
    return (urlsplit(url).hostname or "").removeprefix("www.").rstrip(".")


def nth(value: int) -> str:
    """An English ordinal by rule: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 111th."""
    suffix = "th" if value % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


# A stage's ordinal in English prose, first to ninth (then 10th, 11th, ...); Ukrainian writes digits.
STAGES_EN = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")


def yearly(row: YearlyRow, lang: str) -> str:
    """One year's figure: reported (who said it, when), derived (say so), or none (what is on record)."""
    w = words(lang)
    if row.returned_to_ukraine is None:
        return _no_official_total(row, w)
    count = row.returned_to_ukraine
    if row.basis == "derived":
        return w.ngettext(
            "Ukraine brought back {count} person from Russian captivity in {year}, a figure derived from "
            "official totals (no source states it directly).",
            "Ukraine brought back {count} people from Russian captivity in {year}, a figure derived from "
            "official totals (no source states it directly).",
            count,
        ).format(year=row.year)
    when = w.gettext(" (reported on {date})").format(date=w.date(row.reported_on)) if row.reported_on else ""
    who = (row.publisher_label_uk if lang == "uk" else row.publisher_label) or w.gettext("official sources")
    return w.ngettext(
        "Ukraine brought back {count} person from Russian captivity in {year}, according to the {who}{when}.",
        "Ukraine brought back {count} people from Russian captivity in {year}, according to the {who}{when}.",
        count,
    ).format(year=row.year, who=who, when=when)


def _no_official_total(row: YearlyRow, w: Words) -> str:
    """A year without an official total: what its exchange records hold, or that none gives a figure."""
    if row.on_record_returned_to_ukraine is None:  # no figure to sum: an unknown, never "0 people"
        return w.gettext(
            "No official total for {year} has been published, and no exchange record for the year gives a figure."
        ).format(year=row.year)
    held = w.ngettext(
        "No official total for {year} has been published; the exchange records for the year hold {count} "
        "person brought back from Russian captivity",
        "No official total for {year} has been published; the exchange records for the year hold {count} "
        "people brought back from Russian captivity",
        row.on_record_returned_to_ukraine,
    ).format(year=row.year)
    unknown = row.events_undisclosed
    if unknown:
        held += w.ngettext(
            ", and {count} event whose figure was not disclosed",
            ", and {count} events whose figure was not disclosed",
            unknown,
        )
    return f"{held}."


def _which(event: ExchangeRow, w: Words) -> str:
    """`the 59th exchange`, `the first of 3 stages of the 65th exchange`, `stage 4 of 9 of the
    Istanbul-2 exchanges`; in Ukrainian the phrase in the case its sentence governs."""
    stage, ordinal, stages = event.exchange_stage, event.exchange_ordinal, event.exchange_stages
    if stage is not None and ordinal is not None:
        phrase = w.gettext("the {stage} of {stages} stages of the {ordinal} exchange")
    elif stage is not None:
        phrase = w.gettext("stage {stage_number} of {stages} of the {agreement} exchanges")
    elif ordinal is not None:
        phrase = w.gettext("the {ordinal} exchange")
    else:
        phrase = w.gettext("the exchange")
    return phrase.format(
        stage=STAGES_EN[stage - 1] if stage and stage <= len(STAGES_EN) else nth(stage or 0),
        stage_number=stage,
        stages=stages,
        ordinal=nth(ordinal or 0),
        ordinal_number=ordinal,
        agreement=label("agreement", event.agreement, w.lang) if event.agreement else "",
    )


def _whose(event: ExchangeRow, w: Words) -> str:
    """Whose figure it is, by its evidence: Ukraine's official one, a single source's, or one that
    sources give differently."""
    if event.evidence == "single_source":
        source = site(event.source_urls[0]) if event.source_urls else ""
        return w.gettext("according to a single source ({source})").format(source=source)
    if event.evidence == "conflict":
        return w.gettext("though sources give different figures")
    return w.gettext("Ukraine's official figure")


def exchange(event: ExchangeRow, lang: str) -> str:
    """One event: an exchange or a stage of one, a local swap, a release, or an undisclosed figure."""
    w = words(lang)
    day, which = w.date(event.date), _which(event, w)
    count = event.returned_to_ukraine
    if count is None:
        return w.gettext(
            "The number of people Ukraine brought back from Russian captivity in {which} of {day} was not disclosed."
        ).format(which=which, day=day)
    if event.kind == "release":
        phrase = w.ngettext(
            "{count} person was freed from Russian captivity outside an exchange on {day}, {whose}; the "
            "release is not in the exchange totals.",
            "{count} people were freed from Russian captivity outside an exchange on {day}, {whose}; the "
            "release is not in the exchange totals.",
            count,
        )
    elif event.kind == "local_swap":
        phrase = w.ngettext(
            "Ukraine brought back {count} person in a local prisoner swap on {day}, {whose}.",
            "Ukraine brought back {count} people in a local prisoner swap on {day}, {whose}.",
            count,
        )
    else:
        phrase = w.ngettext(
            "Ukraine brought back {count} person from Russian captivity in {which} of {day}, {whose}.",
            "Ukraine brought back {count} people from Russian captivity in {which} of {day}, {whose}.",
            count,
        )
    return phrase.format(day=day, which=which, whose=_whose(event, w))


def total(row: PublishedTotalRow | Summary, lang: str) -> str:
    """A body's "since 2022" total: who said it, when, and the figure ("more than" where they said so)."""
    w = words(lang)
    if lang == "uk":
        who = row.publisher_label_uk[0].upper() + row.publisher_label_uk[1:]
    elif row.publisher == "unnamed":
        who = "An official source (body not named)"
    else:
        who = f"The {row.publisher_label}"
    if row.returned_is_lower_bound:
        phrase = w.ngettext(
            "{who} said on {day} that more than {count} person had been brought back from Russian captivity "
            "since February 2022.",
            "{who} said on {day} that more than {count} people had been brought back from Russian captivity "
            "since February 2022.",
            row.returned_to_ukraine,
        )
    else:
        phrase = w.ngettext(
            "{who} said on {day} that {count} person had been brought back from Russian captivity since February 2022.",
            "{who} said on {day} that {count} people had been brought back from Russian captivity since February 2022.",
            row.returned_to_ukraine,
        )
    return phrase.format(who=who, day=w.date(row.as_of))


def sentence(row: BaseModel, lang: str) -> str:
    """The row's quote-ready sentence in `lang`."""
    if isinstance(row, YearlyRow):
        return yearly(row, lang)
    if isinstance(row, ExchangeRow):
        return exchange(row, lang)
    if isinstance(row, PublishedTotalRow | Summary):
        return total(row, lang)
    raise TypeError(f"{type(row).__name__} has no sentence")
