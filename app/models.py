"""Table models: exactly what Alembic tracks (migrations/ must match them, `alembic check` proves it).

The CHECK constraints on codes are written from the data package's code lists (app.vocabulary);
the migrations write them into the database, and tests/test_vocabulary.py holds the two equal."""

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Index, MetaData
from sqlmodel import Field, SQLModel

from app.vocabulary import codes, one_of

# Named constraints, so migrations and error messages refer to stable names.
SQLModel.metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class Source(SQLModel, table=True):
    """A published document that supports one or more figures."""

    id: int = Field(primary_key=True)
    url: str = Field(unique=True)
    publisher: str
    published_on: date | None = None
    title: str | None = None

    __table_args__ = (CheckConstraint("url LIKE 'http%://%'", name="url_is_http"),)


class Labelled(SQLModel):
    """A code with its English and Ukrainian labels."""

    code: str = Field(primary_key=True)
    label_en: str
    label_uk: str


class Category(Labelled, table=True):
    """A breakdown category (service branch, rank or sex)."""


class YearlyTotal(SQLModel, table=True):
    """People returned to Ukraine in one calendar year, reported or derived."""

    __tablename__ = "yearly_total"

    year: int = Field(primary_key=True)
    returned_to_ukraine: int
    exchanges: int | None = None
    basis: str
    derivation: str
    derivation_uk: str | None = None  # the note in Ukrainian (optional), as every *_uk below
    publisher: str | None = Field(default=None, foreign_key="publisher.code")
    reported_on: date | None = None

    __table_args__ = (
        CheckConstraint("year >= 2022", name="year_since_invasion"),
        CheckConstraint("returned_to_ukraine >= 0", name="returned_not_negative"),
        CheckConstraint("exchanges IS NULL OR exchanges >= 0", name="exchanges_not_negative"),
        CheckConstraint(one_of("basis", codes("yearly", "basis")), name="basis_known"),
        CheckConstraint("length(derivation) > 0", name="derivation_stated"),
    )


class YearlyTotalSource(SQLModel, table=True):
    """Which sources support a yearly total."""

    __tablename__ = "yearly_total_source"

    year: int = Field(foreign_key="yearly_total.year", primary_key=True)
    source_id: int = Field(foreign_key="source.id", primary_key=True, index=True)
    position: int = Field(description="The source's place in the figure's list, 1 first.")

    __table_args__ = (CheckConstraint("position >= 1", name="position_positive"),)


class Publisher(Labelled, table=True):
    """A body that publishes "since 2022" totals."""


class PublishedTotal(SQLModel, table=True):
    """People returned since 2022, as one body stated it on one date (bodies count differently)."""

    __tablename__ = "published_total"

    as_of: date = Field(primary_key=True)
    publisher: str = Field(foreign_key="publisher.code", primary_key=True)
    returned_to_ukraine: int
    exchanges: int | None = None
    scope_note: str
    scope_note_uk: str | None = None
    evidence: str
    returned_is_lower_bound: bool
    exchanges_is_lower_bound: bool

    __table_args__ = (
        CheckConstraint("returned_to_ukraine >= 0", name="returned_not_negative"),
        CheckConstraint("exchanges IS NULL OR exchanges >= 0", name="exchanges_not_negative"),
        CheckConstraint(one_of("evidence", codes("published_totals", "evidence")), name="evidence_known"),
    )


class PublishedTotalSource(SQLModel, table=True):
    """Which sources support a published total."""

    __tablename__ = "published_total_source"

    as_of: date = Field(primary_key=True)
    publisher: str = Field(primary_key=True)
    source_id: int = Field(foreign_key="source.id", primary_key=True, index=True)
    position: int = Field(description="The source's place in the figure's list, 1 first.")

    __table_args__ = (
        ForeignKeyConstraint(["as_of", "publisher"], ["published_total.as_of", "published_total.publisher"]),
        CheckConstraint("position >= 1", name="position_positive"),
    )


class Reconciliation(SQLModel, table=True):
    """A documented gap between the event records and an official figure (the data checks hold
    every computed gap to one of these, so a new, undocumented gap fails the build)."""

    kind: str = Field(primary_key=True)
    subject: str = Field(primary_key=True)
    unaccounted: int | None = None
    note: str
    note_uk: str | None = None

    __table_args__ = (
        CheckConstraint(one_of("kind", codes("reconciliation", "kind")), name="kind_known"),
        CheckConstraint("length(note) > 0", name="note_stated"),
    )


class ReturnEvent(SQLModel, table=True):
    """One return of people to Ukraine: an exchange, one stage of one, a local swap, or a release."""

    __tablename__ = "return_event"

    id: str = Field(primary_key=True)
    date: date
    exchange_ordinal: int | None = Field(default=None, index=True)
    exchange_stage: int | None = None
    kind: str
    agreement: str | None = None
    returned_to_ukraine: int | None = None
    evidence: str
    returned_to_russia: int | None = None
    returned_to_russia_note: str | None = None
    returned_to_russia_note_uk: str | None = None
    mediator: str | None = None
    running_total_after: int | None = None
    note: str | None = None
    note_uk: str | None = None
    breakdown_note: str | None = None
    breakdown_note_uk: str | None = None

    __table_args__ = (
        Index("ix_return_event_date_id", "date", "id"),
        CheckConstraint("exchange_ordinal IS NULL OR exchange_ordinal > 0", name="ordinal_positive"),
        CheckConstraint("exchange_stage IS NULL OR exchange_stage >= 1", name="stage_positive"),
        CheckConstraint(one_of("kind", codes("events", "kind")), name="kind_known"),
        CheckConstraint(
            "agreement IS NULL OR " + one_of("agreement", codes("events", "agreement")), name="agreement_known"
        ),
        CheckConstraint(one_of("evidence", codes("events", "evidence")), name="evidence_known"),
        CheckConstraint("returned_to_ukraine IS NULL OR returned_to_ukraine > 0", name="returned_positive"),
        CheckConstraint("returned_to_russia IS NULL OR returned_to_russia >= 0", name="handed_over_not_negative"),
    )


class ReturnEventSource(SQLModel, table=True):
    """Which sources support an event (and so its breakdown rows)."""

    __tablename__ = "return_event_source"

    event_id: str = Field(foreign_key="return_event.id", primary_key=True)
    source_id: int = Field(foreign_key="source.id", primary_key=True, index=True)
    position: int = Field(description="The source's place in the figure's list, 1 first.")

    __table_args__ = (CheckConstraint("position >= 1", name="position_positive"),)


class Breakdown(SQLModel, table=True):
    """How many of an event's people fall in one category of one dimension."""

    event_id: str = Field(foreign_key="return_event.id", primary_key=True)
    dimension: str = Field(primary_key=True)
    category: str = Field(foreign_key="category.code", primary_key=True)
    people: int
    part_of: str | None = None
    note: str | None = None
    note_uk: str | None = None

    __table_args__ = (
        # A part_of row is a subset of a row of the same event and dimension.
        ForeignKeyConstraint(
            ["event_id", "dimension", "part_of"],
            ["breakdown.event_id", "breakdown.dimension", "breakdown.category"],
        ),
        CheckConstraint(one_of("dimension", codes("breakdown", "dimension")), name="dimension_known"),
        CheckConstraint("people >= 0", name="people_not_negative"),
        CheckConstraint("part_of IS NULL OR part_of <> category", name="not_part_of_itself"),
    )
