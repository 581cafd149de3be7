"""whole record: events of every kind with undisclosed figures, published totals, reconciliation

The since-invasion total of one body (cumulative_total) gives way to every body's published totals
side by side; return events gain kind, agreement, evidence and breakdown_note, and their ordinal,
figure and running total become optional (unknown stays NULL).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The database is always built anew from seed.sql, so the old tables are replaced, not copied.
    op.drop_index("ix_cumulative_total_source_source_id", table_name="cumulative_total_source")
    op.drop_table("cumulative_total_source")
    op.drop_table("cumulative_total")
    op.drop_index("ix_return_event_date_id", table_name="return_event")
    op.drop_index("ix_return_event_exchange_ordinal", table_name="return_event")
    op.drop_table("return_event")
    op.create_table(
        "return_event",
        sa.Column("id", AutoString(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("exchange_ordinal", sa.Integer(), nullable=True),
        sa.Column("exchange_stage", sa.Integer(), nullable=True),
        sa.Column("kind", AutoString(), nullable=False),
        sa.Column("agreement", AutoString(), nullable=True),
        sa.Column("returned_to_ukraine", sa.Integer(), nullable=True),
        sa.Column("evidence", AutoString(), nullable=False),
        sa.Column("returned_to_russia", sa.Integer(), nullable=True),
        sa.Column("returned_to_russia_note", AutoString(), nullable=True),
        sa.Column("mediator", AutoString(), nullable=True),
        sa.Column("running_total_after", sa.Integer(), nullable=True),
        sa.Column("note", AutoString(), nullable=True),
        sa.Column("breakdown_note", AutoString(), nullable=True),
        sa.CheckConstraint(
            "exchange_ordinal IS NULL OR exchange_ordinal > 0", name=op.f("ck_return_event_ordinal_positive")
        ),
        sa.CheckConstraint(
            "exchange_stage IS NULL OR exchange_stage >= 1", name=op.f("ck_return_event_stage_positive")
        ),
        sa.CheckConstraint("kind IN ('exchange', 'local_swap', 'release')", name=op.f("ck_return_event_kind_known")),
        sa.CheckConstraint(
            "agreement IS NULL OR agreement IN ('istanbul-1', 'istanbul-2')",
            name=op.f("ck_return_event_agreement_known"),
        ),
        sa.CheckConstraint(
            "evidence IN ('confirmed', 'single_source', 'conflict', 'undisclosed')",
            name=op.f("ck_return_event_evidence_known"),
        ),
        sa.CheckConstraint(
            "returned_to_ukraine IS NULL OR returned_to_ukraine > 0", name=op.f("ck_return_event_returned_positive")
        ),
        sa.CheckConstraint(
            "returned_to_russia IS NULL OR returned_to_russia >= 0",
            name=op.f("ck_return_event_handed_over_not_negative"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_event")),
    )
    with op.batch_alter_table("return_event", schema=None) as batch_op:
        batch_op.create_index("ix_return_event_date_id", ["date", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_return_event_exchange_ordinal"), ["exchange_ordinal"], unique=False)

    op.create_table(
        "publisher",
        sa.Column("code", AutoString(), nullable=False),
        sa.Column("label_en", AutoString(), nullable=False),
        sa.Column("label_uk", AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_publisher")),
    )
    op.create_table(
        "published_total",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("publisher", AutoString(), nullable=False),
        sa.Column("returned_to_ukraine", sa.Integer(), nullable=False),
        sa.Column("exchanges", sa.Integer(), nullable=True),
        sa.Column("scope_note", AutoString(), nullable=False),
        sa.Column("evidence", AutoString(), nullable=False),
        sa.Column("returned_is_lower_bound", sa.Boolean(), nullable=False),
        sa.Column("exchanges_is_lower_bound", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "evidence IN ('confirmed', 'single_source', 'conflict')", name=op.f("ck_published_total_evidence_known")
        ),
        sa.CheckConstraint(
            "exchanges IS NULL OR exchanges >= 0", name=op.f("ck_published_total_exchanges_not_negative")
        ),
        sa.CheckConstraint("returned_to_ukraine >= 0", name=op.f("ck_published_total_returned_not_negative")),
        sa.ForeignKeyConstraint(["publisher"], ["publisher.code"], name=op.f("fk_published_total_publisher_publisher")),
        sa.PrimaryKeyConstraint("as_of", "publisher", name=op.f("pk_published_total")),
    )
    op.create_table(
        "published_total_source",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("publisher", AutoString(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("position >= 1", name=op.f("ck_published_total_source_position_positive")),
        sa.ForeignKeyConstraint(
            ["as_of", "publisher"],
            ["published_total.as_of", "published_total.publisher"],
            name=op.f("fk_published_total_source_as_of_publisher_published_total"),
        ),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"], name=op.f("fk_published_total_source_source_id_source")),
        sa.PrimaryKeyConstraint("as_of", "publisher", "source_id", name=op.f("pk_published_total_source")),
    )
    with op.batch_alter_table("published_total_source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_published_total_source_source_id"), ["source_id"], unique=False)

    op.create_table(
        "reconciliation",
        sa.Column("kind", AutoString(), nullable=False),
        sa.Column("subject", AutoString(), nullable=False),
        sa.Column("unaccounted", sa.Integer(), nullable=True),
        sa.Column("note", AutoString(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('year_total', 'running_total', 'exchange_ordinal')", name=op.f("ck_reconciliation_kind_known")
        ),
        sa.CheckConstraint("length(note) > 0", name=op.f("ck_reconciliation_note_stated")),
        sa.PrimaryKeyConstraint("kind", "subject", name=op.f("pk_reconciliation")),
    )


def downgrade() -> None:
    op.drop_table("reconciliation")
    with op.batch_alter_table("published_total_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_published_total_source_source_id"))
    op.drop_table("published_total_source")
    op.drop_table("published_total")
    op.drop_table("publisher")
    op.drop_index("ix_return_event_date_id", table_name="return_event")
    op.drop_index("ix_return_event_exchange_ordinal", table_name="return_event")
    op.drop_table("return_event")
    # The 0001 shapes, as they were.
    op.create_table(
        "return_event",
        sa.Column("id", AutoString(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("exchange_ordinal", sa.Integer(), nullable=False),
        sa.Column("exchange_stage", sa.Integer(), nullable=True),
        sa.Column("returned_to_ukraine", sa.Integer(), nullable=False),
        sa.Column("returned_to_russia", sa.Integer(), nullable=True),
        sa.Column("returned_to_russia_note", AutoString(), nullable=True),
        sa.Column("mediator", AutoString(), nullable=True),
        sa.Column("running_total_after", sa.Integer(), nullable=False),
        sa.Column("note", AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_event")),
    )
    op.create_index("ix_return_event_date_id", "return_event", ["date", "id"], unique=False)
    op.create_index("ix_return_event_exchange_ordinal", "return_event", ["exchange_ordinal"], unique=False)
    op.create_table(
        "cumulative_total",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("returned_to_ukraine", sa.Integer(), nullable=False),
        sa.Column("exchanges", sa.Integer(), nullable=False),
        sa.Column("note", AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("as_of", name=op.f("pk_cumulative_total")),
    )
    op.create_table(
        "cumulative_total_source",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["as_of"], ["cumulative_total.as_of"]),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"]),
        sa.PrimaryKeyConstraint("as_of", "source_id", name=op.f("pk_cumulative_total_source")),
    )
    op.create_index("ix_cumulative_total_source_source_id", "cumulative_total_source", ["source_id"], unique=False)
