"""The language a request asks for, and how that language writes: phrases and plurals from the
gettext catalog (app/locale, English msgids, compiled by `make`), numbers and dates by Babel (CLDR).

Words live in the catalog, not here: code writes `words.gettext("...")` or `words.ngettext(...)`
in English, and `make catalog` extracts them for translators.
"""

import datetime as dt
import functools
import gettext
from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date
from babel.numbers import get_group_symbol

from app.headers import LANGUAGES
from app.problems import bad_parameter

LOCALES = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
__all__ = ["LANGUAGES", "N_", "CatalogMissingError", "Words", "language", "words"]


def N_(message: str) -> str:  # noqa: N802 - the name gettext's tools look for
    """Mark a phrase for the catalog where it is defined (a constant); it is translated where used."""
    return message


class CatalogMissingError(Exception):
    """A language's compiled catalog is missing; the message names the file and the fix."""


@dataclass(frozen=True)
class Words:
    """How one language writes: its catalog's phrases, and numbers and dates as CLDR has them."""

    lang: str
    catalog: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        """The phrase in this language (the English msgid where the catalog has none)."""
        return self.catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The whole phrase for `count` in this language's plural form of it (CLDR one, few, many),
        with `{count}` filled in as this language writes the number."""
        return self.catalog.ngettext(singular, plural, count).replace("{count}", self.number(count))

    def number(self, value: int) -> str:
        """Digits grouped as the language groups them (CLDR's symbol), with a space that never breaks:
        3,956 / 3 956."""
        return f"{value:,}".replace(",", _group_symbol(self.lang))

    def date(self, day: dt.date) -> str:
        """A date in prose: 11 March 2026 / 11 березня 2026 року."""
        # Translators: a CLDR date pattern for a date in prose; quote literal words ('року').
        return _dated(day, self.gettext("d MMMM y"), self.lang)

    def day_month(self, day: dt.date) -> str:
        """A day and month under a chart's bar, abbreviated as CLDR does: 3 Jan / 3 січ."""
        return _dated(day, "d MMM", self.lang)

    def month(self, number: int) -> str:
        """A month's short name on its own: Jan / січ."""
        return _dated(dt.date(2000, number, 1), "LLL", self.lang)


@functools.cache
def _group_symbol(lang: str) -> str:
    """The digit group separator of a language, as CLDR has it (uk: U+00A0, which never breaks)."""
    return get_group_symbol(lang)


# Every day the record names is formatted once per pattern and language: the days are few (the
# calendar since 2022) and Babel's pattern engine is the slowest step of a sentence.
@functools.lru_cache(maxsize=8192)
def _dated(day: dt.date, pattern: str, lang: str) -> str:
    return format_date(day, pattern, locale=lang)


@functools.cache
def words(lang: str) -> Words:
    """The words of one of LANGUAGES; English is the catalog's own msgids."""
    if lang == "en":
        return Words(lang, gettext.NullTranslations())
    compiled = LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not compiled.is_file():
        raise CatalogMissingError(f"{compiled}: no compiled catalog; fix: run `make catalog`")
    with compiled.open("rb") as file:
        return Words(lang, gettext.GNUTranslations(file))


def language(asked: str | None, from_header: str) -> str:
    """The language a request asks for: `?lang=` (en or uk) first, else the one its Accept-Language
    header chose (app.headers), which is English where it names none of ours."""
    if asked is None:
        return from_header
    if asked not in LANGUAGES:
        raise bad_parameter("lang", f"'{asked[:20]}' is not offered", ", ".join(LANGUAGES))
    return asked
