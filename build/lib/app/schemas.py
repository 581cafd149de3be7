"""Response shapes: the public contract. Fields are added, never renamed or removed."""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

Basis = Literal["reported", "derived"]
Dimension = Literal["service", "rank", "sex"]


class YearlyRow(BaseModel):
    """People returned to Ukraine in one calendar year."""

    year: int = Field(examples=[2024])
    returned_to_ukraine: int = Field(examples=[1358])
    exchanges: int | None = Field(
        description="Distinct exchanges held that year; null where no source gives it.",
        examples=[11],
    )
    basis: Basis = Field(description="`reported` by an official source, or `derived` from others.")
    derivation: str = Field(description="Who reported the figure, or how it was derived.")
    change_from_previous_year: int | None = Field(
        description="This year's figure minus the previous year's; null for the first year.",
        examples=[356],
    )
    cumulative_returned_to_ukraine: int = Field(
        description="People returned from 24 Feb 2022 to the end of this year.", examples=[3956]
    )
    recorded_events: int = Field(
        description="How many event records (GET /exchanges) this year has; 0 where none exist.",
        examples=[12],
    )
    source_urls: list[str]


class ExchangeRow(BaseModel):
    """One return of people to Ukraine: an exchange, or one stage of an exchange."""

    id: str = Field(
        description="The event's ISO date (a suffix only if a date holds two events).",
        examples=["2024-12-30"],
    )
    date: dt.date
    exchange_ordinal: int = Field(
        description="The Coordination Headquarters' running number of the exchange since 2022.",
        examples=[59],
    )
    exchange_stage: int | None = Field(description="Stage number where an exchange came in stages; null otherwise.")
    returned_to_ukraine: int = Field(examples=[189])
    returned_to_russia: int | None = Field(
        description="People handed to Russia, as Russia's Ministry of Defence reported; null where unreported.",
        examples=[150],
    )
    returned_to_russia_note: str | None
    mediator: str | None = Field(examples=["UAE"])
    running_total_after: int = Field(
        description="Official total returned since 24 Feb 2022, right after this event.",
        examples=[3956],
    )
    note: str | None = Field(description="Disputed or unusual figures, in our words.")
    source_urls: list[str]


class UnitRow(BaseModel):
    """How many of an event's people fall in one category."""

    unit: str = Field(examples=["armed_forces"])
    label: str = Field(examples=["Armed Forces of Ukraine"])
    label_uk: str = Field(examples=["Збройні сили України"])
    people: int = Field(examples=[87])
    part_of: str | None = Field(description="The top-level row this row is a subset of; never add it to its parent.")
    note: str | None


class Summary(BaseModel):
    """Returns since the full-scale invasion began."""

    since: dt.date = Field(examples=["2022-02-24"])
    as_of: dt.date = Field(examples=["2024-12-30"])
    returned_to_ukraine: int = Field(examples=[3956])
    exchanges: int = Field(description="Exchanges held: the highest exchange ordinal.", examples=[59])
    basis: Basis
    note: str
    first_recorded_event_id: str | None
    first_recorded_event_date: dt.date | None
    last_recorded_event_id: str | None
    last_recorded_event_date: dt.date | None
    largest_recorded_event_id: str | None
    largest_recorded_event_returned_to_ukraine: int | None
    source_urls: list[str]


class SourceRow(BaseModel):
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
    supports_summary: bool = Field(description="Whether it supports the since-invasion total.")


class Meta(BaseModel):
    """What every response says about the dataset."""

    as_of: dt.date = Field(description="Date of the latest figure in the dataset.", examples=["2024-12-30"])


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
    total: int = Field(description="People returned in the event.", examples=[189])
    accounted_for: int = Field(description="Sum of the top-level rows.", examples=[189])
    unattributed: int = Field(
        description="People the published breakdown does not place (total - accounted_for).",
        examples=[0],
    )


class YearlyList(BaseModel):
    data: list[YearlyRow]
    meta: Meta


class YearlyOne(BaseModel):
    data: YearlyRow
    meta: SourcedMeta


class SummaryOne(BaseModel):
    data: Summary
    meta: SourcedMeta


class ExchangeList(BaseModel):
    data: list[ExchangeRow]
    meta: PageMeta


class ExchangeOne(BaseModel):
    data: ExchangeRow
    meta: SourcedMeta


class UnitList(BaseModel):
    data: list[UnitRow]
    meta: UnitsMeta


class SourceList(BaseModel):
    data: list[SourceRow]
    meta: Meta


class Health(BaseModel):
    """Why the service considers itself fit to serve."""

    status: Literal["ok"]
    migration: str = Field(description="The database's Alembic revision, which is the head.")
    data_checks: Literal["passed"]
    as_of: dt.date
    dataset_digest: str = Field(description="SHA-256 of the database file; ETags derive from it.")


class ProblemParameter(BaseModel):
    """One bad parameter of a request."""

    name: str
    location: Literal["query", "path", "header"] = Field(alias="in")
    problem: str
    allowed: str | None = None


class Problem(BaseModel):
    """An RFC 9457 problem document, used for every 4xx and 5xx response."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[ProblemParameter] = []
