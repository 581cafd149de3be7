"""yearly total publisher: who reported a yearly total, and when, for attributed sentences

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("yearly_total", schema=None) as batch_op:
        batch_op.add_column(sa.Column("publisher", AutoString(), nullable=True))
        batch_op.add_column(sa.Column("reported_on", sa.Date(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_yearly_total_publisher_publisher"), "publisher", ["publisher"], ["code"]
        )


def downgrade() -> None:
    with op.batch_alter_table("yearly_total", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_yearly_total_publisher_publisher"), type_="foreignkey")
        batch_op.drop_column("reported_on")
        batch_op.drop_column("publisher")
