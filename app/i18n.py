"""The page's and charts' words in English and Ukrainian, the labels of every code, the notes in the
asked language, and how a request picks its language."""

import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Literal, TypeVar

from fastapi import Query, Request
from pydantic import BaseModel

from app import vocabulary
from app.problems import bad_parameter

LANGUAGES = ("en", "uk")
# The `lang` query parameter of the page and of every chart; language() reads it.
LangParam = Annotated[
    Literal["en", "uk"] | None,
    Query(description="Language of the page, chart or sentences: `en` or `uk` (default: Accept-Language, else en)."),
]

# Codes the API computes beside the data package's own (app.vocabulary), with their words.
COMPUTED_CODES: dict[str, dict[str, dict[str, str]]] = {
    "basis": {"no_official_total": {"en": "no official total", "uk": "офіційного підсумку немає"}},
}


def label(field: str, code: str, lang: str) -> str:
    """The word for one code of a field (`kind`, `agreement`, ...) in `lang`."""
    known = vocabulary.words().get(field, {}).get(code) or COMPUTED_CODES[field][code]
    return known[lang]


def with_labels_uk(data: object, fields: Sequence[str]) -> object:
    """Row data with a `<field>_label_uk` beside each of `fields` that holds a code (None beside None)."""
    if not isinstance(data, dict):
        return data
    return {
        **{
            f"{name}_label_uk": label(name, data[name], "uk") if data.get(name) is not None else None for name in fields
        },
        **data,
    }


# The fields that hold our free-text notes. With `lang=uk` each is served in its Ukrainian version
# (data/, the `*_uk` columns); one with none yet stays English and is named in `notes_in_english`.
NOTE_FIELDS = ("derivation", "remainder_note", "note", "scope_note", "breakdown_note", "returned_to_russia_note")
NOTES_IN_ENGLISH = (
    "The note fields of this row served in English because no Ukrainian version is written yet; empty "
    "unless Ukrainian was asked."
)
_CYRILLIC = re.compile("[\u0400-\u04ff]")
ModelT = TypeVar("ModelT", bound=BaseModel)


def in_language(rows: Sequence[ModelT], lang: str, notes: Mapping[str, str]) -> list[ModelT]:
    """Copies of the rows with their notes in `lang`: `notes` maps each English note to its
    Ukrainian version; a note with none (and no Ukrainian of its own) stays English, named in the
    row's `notes_in_english`. Rows nested in a row (a list of them) are done the same way."""
    if lang == "en":
        return list(rows)
    done = []
    for row in rows:
        update: dict[str, object] = {}
        english = []
        for name, value in row:
            if name in NOTE_FIELDS and isinstance(value, str) and value:
                if value in notes:
                    update[name] = notes[value]
                elif not _CYRILLIC.search(value):  # the code writes its own notes in the asked language
                    english.append(name)
            elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
                update[name] = in_language(value, lang, notes)
        if "notes_in_english" in type(row).model_fields:
            update["notes_in_english"] = english
        done.append(row.model_copy(update=update))
    return done


TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Returns from Russian captivity to Ukraine",
        "lede": "People Ukraine has brought back from Russian captivity since the full-scale invasion, "
        "as reported by the Coordination Headquarters for the Treatment of Prisoners of War.",
        "since": "Returned since 24 February 2022",
        "as_of": "as of",
        "exchanges_held": "exchanges held",
        "yearly": "People returned per year",
        "yearly_desc": "Bar chart of people returned to Ukraine from Russian captivity per calendar year.",
        "year": "Year",
        "people": "People returned",
        "exchanges": "Exchanges",
        "unknown": "unknown",
        "derived": "derived",
        "reported": "reported",
        "derived_note": "Derived figure: no source states it directly.",
        "timeline": "Returns in {year}, exchange by exchange",
        "timeline_desc": "Timeline of {events} return events in {year} drawn as {bars} bars: one per exchange "
        "(split by stage where it came in stages), per local swap and per release outside exchanges.",
        "date": "Date",
        "exchange": "Exchange",
        "stage": "stage",
        "stages_note": "The {ordinal}th exchange came in {stages} stages, drawn as one bar.",
        "units": "Who came back on {date}",
        "units_desc": "Bar chart of the {total} people returned on {date} by service; rows inside another "
        "are drawn inside it; people the published breakdown does not place are shown as unattributed.",
        "unit": "Service or status",
        "inside": "of them",
        "unattributed": "not attributed in the published breakdown",
        "source_line": "Source: Coordination Headquarters for the Treatment of Prisoners of War, via {publishers}",
        "sources": "Sources",
        "cite": "How to cite",
        "data": "Data and API",
        "embed": "Embed this chart",
        "not_covered": "People freed outside exchanges are on record only where a source itemises them (2025); "
        "repatriated bodies are not counted.",
        "switch": "Українською",
        "months": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
        "skip": "Figures in tables follow each chart.",
        "on_record": "on record",
        "no_official_total": "no official total",
        "remainder": "not on record",
        "undisclosed": "undisclosed",
        "band_note": "Light band: what the event records add up to; the rest of the bar is not on record.",
        "no_total_note": "Dashed: no official total for the year; the bar is what the records hold so far.",
        "agreement_note": "The {agreement} stages ({stages}) are drawn as one bar.",
        "local_swap_note": "Hatched: local swaps arranged by a region or a military command.",
        "release_note": "Grey: people freed outside an exchange (not in the exchange totals).",
        "undisclosed_note": "Dashed box with ?: a figure that was never disclosed (unknown, not zero).",
        "totals": "Official totals since 2022, by body",
        "totals_desc": "Step chart of every official total of people returned since February 2022, one line "
        "per body; the bodies count differently.",
        "totals_note": "The bodies count differently (exchanges only, or every return); none is the total.",
        "totals_source_line": "Sources: the bodies named in the legend, via {publishers}",
        "headline": "according to the {publisher}, stated on {date}",
        "others": "Other bodies' latest totals",
        "more_than": "more than",
        "years": "Years",
        "reconciliation": "Where the records and the official figures differ",
        "gap": "Gap",
        "stated": "Stated",
        "note": "Note",
        "kind": "Kind",
        "publisher": "Body",
        "record_ends": "The event records end on {date}; returns after it may be missing.",
        "monthly": "People returned per month, on record",
        "monthly_desc": "Column chart of the people on record as returned to Ukraine per month (exchanges and "
        "local swaps with figures); months without events are gaps, not zeros.",
        "monthly_gap_note": "A month without a column had no event on record: a gap, not a zero.",
        "monthly_source": "Source: the event records of this service (exchanges and local swaps with figures),\n"
        "each sourced per event; see /exchanges",
        "feed_title": "Returns from Russian captivity to Ukraine: new records",
        "no_total": "No official total for {year} has been published{by}. The event records are summed in "
        "on_record_returned_to_ukraine; they are not a total.",
        "no_total_by": " by {day}",
        "in_english": "in English",
        "cite_bodies": "Coordination Headquarters for the Treatment of Prisoners of War, other official bodies and "
        "the sources listed per figure",
        "copy": "Quote",
    },
    "uk": {
        "title": "Повернення з російського полону в Україну",
        "lede": "Люди, яких Україна повернула з російського полону від початку повномасштабного вторгнення, "
        "за даними Координаційного штабу з питань поводження з військовополоненими.",
        "since": "Повернуто від 24 лютого 2022 року",
        "as_of": "станом на",
        "exchanges_held": "обмінів",
        "yearly": "Повернуто людей за рік",
        "yearly_desc": "Стовпчикова діаграма кількості людей, повернутих в Україну з російського полону, за роками.",
        "year": "Рік",
        "people": "Повернуто людей",
        "exchanges": "Обміни",
        "unknown": "невідомо",
        "derived": "обчислено",
        "reported": "повідомлено",
        "derived_note": "Обчислений показник: жодне джерело не наводить його прямо.",
        "timeline": "Повернення у {year} році, обмін за обміном",
        "timeline_desc": "Часова шкала {events} повернень у {year} році у {bars} стовпчиках: по одному на обмін "
        "(поділений на етапи, якщо обмін відбувався етапами), на місцевий обмін і на звільнення поза обміном.",
        "date": "Дата",
        "exchange": "Обмін",
        "stage": "етап",
        "stages_note": "{ordinal}-й обмін відбувся у {stages} етапи й показаний одним стовпчиком.",
        "units": "Хто повернувся {date}",
        "units_desc": "Стовпчикова діаграма {total} людей, повернутих {date}, за видами служби; складники "
        "показано всередині цілого; людей, яких опублікований розподіл не враховує, показано окремо.",
        "unit": "Служба або статус",
        "inside": "з них",
        "unattributed": "не враховані в опублікованому розподілі",
        "source_line": "Джерело: Координаційний штаб з питань поводження з військовополоненими, через {publishers}",
        "sources": "Джерела",
        "cite": "Як цитувати",
        "data": "Дані та API",
        "embed": "Вбудувати діаграму",
        "not_covered": "Людей, звільнених поза обмінами, враховано лише там, де джерело їх називає (2025); "
        "репатрійовані тіла не враховано.",
        "switch": "In English",
        "months": "січ лют бер кві тра чер лип сер вер жов лис гру",
        "skip": "Цифри в таблицях подано після кожної діаграми.",
        "on_record": "у записах",
        "no_official_total": "офіційного підсумку немає",
        "remainder": "поза записами",
        "undisclosed": "не розкрито",
        "band_note": "Світла смуга: сума подій у записах; решта стовпчика в записах відсутня.",
        "no_total_note": "Пунктир: офіційного річного підсумку немає; стовпчик показує, що є в записах.",
        "agreement_note": "Етапи {agreement} ({stages}) показано одним стовпчиком.",
        "local_swap_note": "Штрихування: місцеві обміни, організовані областю або військовим командуванням.",
        "release_note": "Сірим: люди, звільнені поза обміном (не входять до підсумків обмінів).",
        "undisclosed_note": "Пунктирна рамка з ?: число не оприлюднено (невідомо, а не нуль).",
        "totals": "Офіційні підсумки від 2022 року за органами",
        "totals_desc": "Ступінчаста діаграма всіх офіційних підсумків повернутих від лютого 2022 року, "
        "лінія на кожен орган; органи рахують по-різному.",
        "totals_note": "Органи рахують по-різному (лише обміни або всі повернення); жоден не є «єдиним».",
        "totals_source_line": "Джерела: органи, названі в легенді, через {publishers}",
        "headline": "за даними: {publisher}, станом на {date}",
        "others": "Останні підсумки інших органів",
        "more_than": "понад",
        "years": "Роки",
        "reconciliation": "Де записи й офіційні дані розходяться",
        "gap": "Розрив",
        "stated": "Заявлено",
        "note": "Примітка",
        "kind": "Вид",
        "publisher": "Орган",
        "record_ends": "Записи про події закінчуються {date}; пізніші повернення можуть бути відсутні.",
        "monthly": "Повернуто людей за місяць, за записами",
        "monthly_desc": "Стовпчикова діаграма людей, повернутих в Україну за місяць, за записами (обміни й "
        "місцеві обміни з оприлюдненим числом); місяці без подій — пропуски, а не нулі.",
        "monthly_gap_note": "Місяць без стовпчика не має подій у записах: це пропуск, а не нуль.",
        "monthly_source": "Джерело: записи про події цього сервісу (обміни й місцеві обміни з числом),\n"
        "кожна з власними джерелами; див. /exchanges",
        "feed_title": "Повернення з російського полону в Україну: нові записи",
        "no_total": "Офіційного підсумку за {year} рік{by} не оприлюднено. Події у записах підсумовано в "
        "on_record_returned_to_ukraine; це не підсумок.",
        "no_total_by": " станом на {day}",
        "in_english": "англійською",
        "cite_bodies": "Координаційний штаб з питань поводження з військовополоненими, інші офіційні органи та "
        "джерела, наведені для кожного числа",
        "copy": "Цитата",
    },
}


def number(value: int, lang: str) -> str:
    """Digits grouped as each language prints them: 3,956 / 3 956."""
    return f"{value:,}".replace(",", "\u00a0" if lang == "uk" else ",")


def language(request: Request) -> str:
    """`?lang=` (en or uk) first, then the Accept-Language header, then English."""
    asked = request.query_params.get("lang")
    if asked is not None:
        if asked not in LANGUAGES:
            raise bad_parameter("lang", f"'{asked[:20]}' is not offered", ", ".join(LANGUAGES))
        return asked
    best, best_quality = "en", 0.0
    for part in (request.headers.get("accept-language") or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        try:
            quality = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            quality = 0.0
        if primary in LANGUAGES and quality > best_quality:
            best, best_quality = primary, quality
    return best
