"""Response shapes: the public contract. Fields are added, never renamed or removed."""

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, model_validator
from pydantic_core import CoreSchema, core_schema

from app import vocabulary
from app.i18n import N_, words

# Codes the API computes beside the data package's own (app.vocabulary), with their English words
# (the catalog has the rest).
COMPUTED_CODES: dict[str, dict[str, str]] = {"basis": {"no_official_total": N_("no official total")}}
NOTES_IN_ENGLISH = (
    "The note fields of this row served in English because no Ukrainian version is written yet; empty "
    "unless Ukrainian was asked."
)


def label(field: str, code: str, lang: str) -> str:
    """The word for one code of a field (`kind`, `agreement`, ...) in `lang`: the data package's,
    or the catalog's for a code the API computes."""
    known = vocabulary.words().get(field, {}).get(code)
    return known[lang] if known else words(lang).gettext(COMPUTED_CODES[field][code])


@dataclass(frozen=True)
class OneOf:
    """A string that is one of `values`: validated and stated in the OpenAPI schema as pydantic does a
    Literal, from values known only once data/datapackage.json is read."""

    values: tuple[str, ...]

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.literal_schema(list(self.values))


def code_of(resource: str, field: str, *computed: str) -> OneOf:
    """A code of one of the data package's code lists (and any the API computes beside them), so that
    a new code is added in data/datapackage.json alone."""
    return OneOf((*vocabulary.codes(resource, field), *computed))


Basis = Annotated[str, code_of("yearly", "basis")]
YearBasis = Annotated[str, code_of("yearly", "basis", *COMPUTED_CODES["basis"])]
Dimension = Annotated[str, code_of("breakdown", "dimension")]
Kind = Annotated[str, code_of("events", "kind")]
Agreement = Annotated[str, code_of("events", "agreement")]
Evidence = Annotated[str, code_of("events", "evidence")]
StatedEvidence = Annotated[str, code_of("published_totals", "evidence")]
GapKind = Annotated[str, code_of("reconciliation", "kind")]
Resource = Annotated[str, OneOf(tuple(vocabulary.TABLES))]
# Publishers are data (data/publishers.csv), not code: any code there is valid.
PublisherCode = Annotated[
    str, Field(description="The body's code (data/publishers.csv), e.g. `coordination_hq`, `ombudsman`.")
]


class Frozen(BaseModel):
    """A response shape whose values never change once made (a row shared by requests is copied
    to fill in its sentence). Each `<code>_label_uk` field is filled in from the code beside it."""

    model_config = ConfigDict(frozen=True)
    _coded: ClassVar[tuple[str, ...]] = ()  # the fields whose code has a `_label_uk` beside it

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        named = (name.removesuffix("_label_uk") for name in cls.model_fields if name.endswith("_label_uk"))
        cls._coded = tuple(name for name in named if name in vocabulary.words() or name in COMPUTED_CODES)

    @model_validator(mode="before")
    @classmethod
    def _labels_uk(cls, data: Any) -> Any:
        """Row data with a `<field>_label_uk` beside each coded field (None beside None)."""
        if not cls._coded or not isinstance(data, dict):
            return data
        coded = [(name, data.get(name)) for name in cls._coded]
        labels = {f"{name}_label_uk": None if code is None else label(name, code, "uk") for name, code in coded}
        return {**labels, **data}


def label_uk(example: str | None = None) -> Any:
    """A `<code>_label_uk` field: the code beside it in Ukrainian words (label above), filled in."""
    return Field(default=None, description="The code beside it, in Ukrainian.", examples=[example] if example else None)


def notes_in_english() -> Any:
    """The `notes_in_english` field of a row with notes."""
    return Field(default_factory=list, description=NOTES_IN_ENGLISH, examples=[[]])


def quote_ready(example: str) -> Any:
    """The `sentence` field of a row: filled in the asked language when the row is rendered."""
    return Field(
        description="One attributed sentence with the exact figure, ready to quote, in the asked language "
        "(`?lang=uk` or Accept-Language).",
        examples=[example],
    )


class YearlyRow(Frozen):
    """People returned to Ukraine in one calendar year, and what the event records hold for it."""

    year: int = Field(examples=[2025])
    returned_to_ukraine: int | None = Field(
        description="The official yearly total; null for a year without one (see basis).", examples=[2310]
    )
    exchanges: int | None = Field(
        description="Distinct exchanges held that year; null where no source gives it on one basis.",
        examples=[11],
    )
    basis: YearBasis = Field(
        description=vocabulary.description("yearly", "basis") + " Or `no_official_total`: no total published yet."
    )
    basis_label_uk: str | None = label_uk("повідомлено")
    derivation: str = Field(description="Who reported the figure, or how it was derived, or that none exists.")
    change_from_previous_year: int | None = Field(
        description="This year's figure minus the previous year's; null where either is missing.",
        examples=[952],
    )
    cumulative_returned_to_ukraine: int | None = Field(
        description="Official totals from 24 Feb 2022 to the end of this year; null once a year has none.",
        examples=[6266],
    )
    recorded_events: int = Field(
        description="Event records (GET /exchanges?year=) for the year, of every kind.", examples=[23]
    )
    source_urls: list[str] = Field(description="Sources of the official total; events carry their own.")
    events_undisclosed: int = Field(
        description="Event records whose figure was never disclosed (null, never counted as zero).", examples=[10]
    )
    on_record_returned_to_ukraine: int | None = Field(
        description="What the exchanges and local swaps on record add up to (undisclosed figures left out).",
        examples=[2090],
    )
    on_record_released_outside_exchanges: int | None = Field(
        description="People on record as freed outside any exchange; null where no such release is on record.",
        examples=[53],
    )
    unaccounted_remainder: int | None = Field(
        description="The official total minus on_record_returned_to_ukraine; null where either is missing.",
        examples=[220],
    )
    remainder_note: str | None = Field(description="Where the documented remainder lies, in our words.")
    notes_in_english: list[str] = notes_in_english()
    publisher: PublisherCode | None = Field(description="Who reported the official total; null if derived or none.")
    publisher_label: str | None = Field(examples=["Coordination Headquarters for the Treatment of Prisoners of War"])
    publisher_label_uk: str | None
    reported_on: dt.date | None = Field(
        description="The date of the first source that reports the total, where it gives one.",
        examples=["2025-01-01"],
    )
    sentence: str = quote_ready(
        "Ukraine brought back 1,358 people from Russian captivity in 2024, according to the "
        "Coordination Headquarters for the Treatment of Prisoners of War (reported on 1 January 2025)."
    )


class ExchangeRow(Frozen):
    """One return of people to Ukraine: an exchange, a stage of one, a local swap or a release."""

    id: str = Field(
        description="The event's ISO date (a suffix only if a date holds two events).",
        examples=["2024-12-30"],
    )
    date: dt.date
    exchange_ordinal: int | None = Field(
        description="The Coordination Headquarters' running number of the exchange since 2022, only where a "
        "source states it.",
        examples=[59],
    )
    exchange_stage: int | None = Field(
        description="Stage number where an exchange or agreement came in stages; null otherwise."
    )
    returned_to_ukraine: int | None = Field(
        description="Ukraine's official figure; null where it was never disclosed (see evidence).", examples=[189]
    )
    returned_to_russia: int | None = Field(
        description="People handed to Russia (returned_to_russia_note says whose figure); null where unreported.",
        examples=[150],
    )
    returned_to_russia_note: str | None
    mediator: str | None = Field(examples=["UAE"])
    running_total_after: int | None = Field(
        description="The Coordination Headquarters' numbered-exchange total since 2022 right after this event, "
        "where one was stated.",
        examples=[3956],
    )
    note: str | None = Field(description="Disputed or unusual figures, in our words.")
    source_urls: list[str]
    kind: Kind = Field(description=vocabulary.description("events", "kind"))
    kind_label_uk: str | None = label_uk("обмін")
    agreement: Agreement | None = Field(description="The Istanbul agreement an event belongs to, if any.")
    agreement_label_uk: str | None = label_uk("Стамбул-1")
    evidence: Evidence = Field(description=vocabulary.description("events", "evidence"))
    evidence_label_uk: str | None = label_uk("підтверджено")
    breakdown_note: str | None = Field(description="What the published breakdown covers, in our words.")
    exchange_stages: int | None = Field(
        description="How many stages on record the event's exchange (or unnumbered agreement) came in; null "
        "for an event that is not a stage.",
        examples=[3],
    )
    notes_in_english: list[str] = notes_in_english()
    sentence: str = quote_ready(
        "Ukraine brought back 189 people from Russian captivity in the 59th exchange of 30 December "
        "2024, Ukraine's official figure."
    )


class UnitRow(Frozen):
    """How many of an event's people fall in one category."""

    unit: str = Field(examples=["armed_forces"])
    label: str = Field(examples=["Armed Forces of Ukraine"])
    label_uk: str = Field(examples=["Збройні сили України"])
    people: int = Field(examples=[87])
    part_of: str | None = Field(description="The top-level row this row is a subset of; never add it to its parent.")
    note: str | None
    notes_in_english: list[str] = notes_in_english()


class OtherTotal(Frozen):
    """The latest total of one body other than the headline's."""

    publisher: PublisherCode
    publisher_label: str
    publisher_label_uk: str
    as_of: dt.date
    returned_to_ukraine: int
    returned_is_lower_bound: bool
    exchanges: int | None
    scope_note: str
    notes_in_english: list[str] = notes_in_english()


class Summary(Frozen):
    """Returns since the full-scale invasion began: the headline total, the others, and the records."""

    since: dt.date = Field(examples=["2022-02-24"])
    as_of: dt.date = Field(description="The date the headline figure was stated.", examples=["2026-03-11"])
    returned_to_ukraine: int = Field(
        description="The headline: the latest total of the Coordination Headquarters (before its first, the "
        "latest total of any body).",
        examples=[8050],
    )
    exchanges: int | None = Field(
        description="Exchanges held by as_of: the highest exchange ordinal on record by then; null before the "
        "first stated ordinal.",
        examples=[73],
    )
    basis: Basis
    basis_label_uk: str | None = label_uk("повідомлено")
    note: str = Field(description="What the headline figure counts (its scope), in our words.")
    first_recorded_event_id: str | None
    first_recorded_event_date: dt.date | None
    last_recorded_event_id: str | None
    last_recorded_event_date: dt.date | None
    largest_recorded_event_id: str | None
    largest_recorded_event_returned_to_ukraine: int | None
    source_urls: list[str]
    publisher: PublisherCode = Field(examples=["coordination_hq"])
    publisher_label: str = Field(examples=["Coordination Headquarters for the Treatment of Prisoners of War"])
    publisher_label_uk: str = Field(examples=["Координаційний штаб з питань поводження з військовополоненими"])
    returned_is_lower_bound: bool = Field(description="true where the body said 'more than' the figure.")
    exchanges_stated: int | None = Field(description="The exchange count stated with the headline.", examples=[70])
    exchanges_stated_is_lower_bound: bool
    evidence: Evidence
    evidence_label_uk: str | None = label_uk("підтверджено")
    other_publishers_latest: list[OtherTotal] = Field(
        description="The latest total of every other body: they count differently, none is 'the' total."
    )
    yearly_totals_add_up_to: int = Field(
        description="The official yearly totals added up (GET /stats/yearly).", examples=[6266]
    )
    yearly_totals_through: int | None = Field(
        description="The last year with an official total; null before the first one.", examples=[2025]
    )
    on_record_returned_to_ukraine: int = Field(
        description="What the exchanges and local swaps on record add up to (undisclosed figures left out).",
        examples=[6666],
    )
    on_record_released_outside_exchanges: int = Field(
        description="People on record as freed outside any exchange.", examples=[53]
    )
    recorded_events: int = Field(examples=[83])
    events_undisclosed: int = Field(examples=[11])
    notes_in_english: list[str] = notes_in_english()
    sentence: str = quote_ready(
        "The Coordination Headquarters for the Treatment of Prisoners of War said on 11 March 2026 "
        "that 8,050 people had been brought back from Russian captivity since February 2022."
    )


class PublishedTotalRow(Frozen):
    """One official "since 2022" total, as one body stated it on one date."""

    id: str = Field(description="as_of and publisher: stable.", examples=["2026-03-11-coordination_hq"])
    as_of: dt.date = Field(description="The date the body stated it.", examples=["2026-03-11"])
    publisher: PublisherCode = Field(examples=["coordination_hq"])
    publisher_label: str = Field(examples=["Coordination Headquarters for the Treatment of Prisoners of War"])
    publisher_label_uk: str = Field(examples=["Координаційний штаб з питань поводження з військовополоненими"])
    returned_to_ukraine: int = Field(examples=[8050])
    returned_is_lower_bound: bool = Field(description="true where the body said 'more than' the figure.")
    exchanges: int | None = Field(description="The exchange count stated with the total.", examples=[70])
    exchanges_is_lower_bound: bool = Field(description="true where the body said 'more than' the count.")
    scope_note: str = Field(description="What the total counts, in our words.")
    evidence: StatedEvidence = Field(examples=["single_source"])
    evidence_label_uk: str | None = label_uk("одне джерело")
    on_record_by_then: int = Field(
        description="What the exchanges and local swaps on record up to as_of add up to.", examples=[7325]
    )
    difference_from_record: int = Field(
        description="returned_to_ukraine minus on_record_by_then: bodies count differently.", examples=[725]
    )
    source_urls: list[str]
    notes_in_english: list[str] = notes_in_english()
    sentence: str = quote_ready(
        "The Ukrainian Parliament Commissioner for Human Rights said on 6 March 2026 that 6,922 people "
        "had been brought back from Russian captivity since February 2022."
    )


class MonthlyRow(Frozen):
    """One calendar month that has events on record."""

    month: str = Field(description="YYYY-MM.", examples=["2025-05"])
    recorded_events: int = Field(description="Event records of every kind in the month.", examples=[5])
    on_record_returned_to_ukraine: int | None = Field(
        description="What the month's exchanges and local swaps with figures add up to; null where every "
        "figure of the month is undisclosed (never 0).",
        examples=[1205],
    )
    on_record_released_outside_exchanges: int | None = Field(
        description="People freed outside any exchange in the month; null where none is on record.", examples=[31]
    )
    events_undisclosed: int = Field(description="Events of the month whose figure was not disclosed.", examples=[0])
    exchanges: int = Field(
        description="Distinct exchange ordinals in the month (unnumbered events are not counted).", examples=[2]
    )
    event_ids: list[str] = Field(examples=[["2025-05-06", "2025-05-23", "2025-05-24", "2025-05-25"]])


class ReconciliationRow(Frozen):
    """A documented gap between the event records and an official figure, with its size."""

    kind: GapKind = Field(description=vocabulary.description("reconciliation", "kind"))
    label: str = Field(examples=["yearly total against the events on record"])
    label_uk: str = Field(examples=["річний підсумок проти подій у записах"])
    subject: str = Field(description="The year, event id or exchange ordinal.", examples=["2025"])
    year: int = Field(examples=[2025])
    stated: int | None = Field(description="The official figure.", examples=[2310])
    on_record: int | None = Field(description="What the event records give for it.", examples=[2090])
    unaccounted: int | None = Field(description="stated minus on_record; null for a missing ordinal.", examples=[220])
    note: str = Field(description="Where the gap lies, in our words.")
    notes_in_english: list[str] = notes_in_english()


class SourceRow(Frozen):
    """A published document and the figures it supports."""

    id: int
    url: str
    publisher: str = Field(description="The publishing site's host name.")
    published_on: dt.date | None = Field(
        description="From the byline or the URL's date path; null where neither gives it."
    )
    title: str | None
    supports_years: list[int] = Field(description="Yearly figures (GET /stats/yearly/{year}) it supports.")
    supports_exchanges: list[str] = Field(description="Events (GET /exchanges/{id}) it supports.")
    supports_summary: bool = Field(description="Whether it supports the headline since-invasion total.")
    supports_totals: list[str] = Field(description="Published totals (GET /stats/totals, by id) it supports.")


class Meta(Frozen):
    """What every response says about the dataset."""

    as_of: dt.date = Field(
        description="The day the answer stands as of: the date of the dataset's latest figure, or the `as_of` "
        "asked for.",
        examples=["2026-05-15"],
    )


class PageMeta(Meta):
    """Meta of a paged list."""

    total: int = Field(description="Rows matching the filters, all pages together.")
    limit: int
    offset: int
    years_with_event_records: list[int] = Field(
        description="Event records exist for these years only; other years have yearly totals alone."
    )


class SourcedMeta(Meta):
    """Meta of a response whose rows share their sources."""

    source_urls: list[str]


class UnitsMeta(SourcedMeta):
    """Meta of a breakdown: how much of the event it accounts for."""

    exchange_id: str
    dimension: Dimension
    dimension_label_uk: str | None = label_uk("служба або статус")
    total: int | None = Field(description="People returned in the event; null where undisclosed.", examples=[189])
    accounted_for: int = Field(description="Sum of the top-level rows.", examples=[189])
    unattributed: int | None = Field(
        description="People the published breakdown does not place (total - accounted_for); null where the "
        "total is undisclosed.",
        examples=[0],
    )


class YearlyList(Frozen):
    data: list[YearlyRow]
    meta: Meta


class YearlyOne(Frozen):
    data: YearlyRow
    meta: SourcedMeta


class SummaryOne(Frozen):
    data: Summary
    meta: SourcedMeta


class ExchangeList(Frozen):
    data: list[ExchangeRow]
    meta: PageMeta


class ExchangeOne(Frozen):
    data: ExchangeRow
    meta: SourcedMeta


class UnitList(Frozen):
    data: list[UnitRow]
    meta: UnitsMeta


class TotalsMeta(Meta):
    """Meta of the published totals: the publishers and their labels."""

    publishers: dict[str, dict[str, str]] = Field(
        description="Every publisher code with its English and Ukrainian label."
    )


class TotalList(Frozen):
    data: list[PublishedTotalRow]
    meta: TotalsMeta


class WideUnitRow(Frozen):
    """One event's breakdown in one dimension, one column per category (for stacked charts)."""

    id: str = Field(examples=["2024-12-30"])
    date: dt.date
    exchange_ordinal: int | None = Field(examples=[59])
    kind: Kind
    kind_label_uk: str | None = label_uk("обмін")
    people: dict[str, int | None] = Field(
        description="People per column of `meta.columns`: a top-level category, or `X_within_Y` for a category "
        "counted inside another (never add it to Y); null where the published breakdown does not give it.",
        examples=[{"armed_forces": 87, "national_guard": 43, "territorial_defence_within_armed_forces": 17}],
    )
    total: int | None = Field(description="People returned in the event; null where undisclosed.", examples=[189])
    accounted_for: int = Field(description="The top-level columns added up.", examples=[189])
    unattributed: int | None = Field(description="total - accounted_for; null where the total is undisclosed.")

    def columns(self, categories: list[str]) -> list[int | None]:
        """The wide table's cells after the event's own: one per category, then total, accounted_for
        and unattributed."""
        return [*(self.people[c] for c in categories), self.total, self.accounted_for, self.unattributed]


class WideUnitsMeta(Meta):
    """Which columns the wide breakdown has, in their fixed order."""

    dimension: Dimension
    dimension_label_uk: str | None = label_uk("служба або статус")
    columns: list[str] = Field(
        description="The top-level categories of the dimension in data/categories.csv order, then the "
        "`X_within_Y` columns: stack the top-level ones and `unattributed` to reach `total`."
    )
    labels: dict[str, dict[str, str]] = Field(
        description="Each column's English and Ukrainian label.",
        examples=[
            {
                "territorial_defence_within_armed_forces": {
                    "label": "Territorial Defence Forces, within Armed Forces of Ukraine",
                    "label_uk": "Сили територіальної оборони, у складі: Збройні сили України",
                }
            }
        ],
    )


class WideUnitList(Frozen):
    data: list[WideUnitRow]
    meta: WideUnitsMeta


class ResourceRows(Frozen):
    """One resource of the data package as objects, keyed by its Table Schema's field names."""

    data: list[dict[str, str | int | None]] = Field(
        examples=[[{"code": "armed_forces", "label_en": "Armed Forces of Ukraine", "label_uk": "Збройні сили України"}]]
    )
    meta: Meta


class MonthlyList(Frozen):
    data: list[MonthlyRow]
    meta: Meta


class ReconciliationList(Frozen):
    data: list[ReconciliationRow]
    meta: Meta


class SourceList(Frozen):
    data: list[SourceRow]
    meta: Meta


class Health(Frozen):
    """Why the service considers itself fit to serve."""

    status: Literal["ok"]
    migration: str = Field(description="The database's Alembic revision, which is the head.")
    data_checks: Literal["passed"]
    as_of: dt.date
    dataset_digest: str = Field(description="SHA-256 of the database file; ETags derive from it.")
    rebuild: str | None = Field(
        description="null, or what became of the latest rebuilt file found: `rejected: <reason>` while the "
        "verified record goes on being served (the server never serves a file that fails verification)."
    )


class ProblemParameter(Frozen):
    """One bad parameter of a request."""

    name: str
    location: Literal["query", "path", "header"] = Field(alias="in")
    problem: str
    allowed: str | None = None


class Problem(Frozen):
    """An RFC 9457 problem document, used for every 4xx and 5xx response."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[ProblemParameter] = []
