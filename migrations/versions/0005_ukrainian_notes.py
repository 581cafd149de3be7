"""ukrainian notes: an optional Ukrainian version beside every free-text note, served for lang=uk

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each table's English notes, in the order their Ukrainian columns are added.
NOTES = {
    "return_event": ["returned_to_russia_note", "note", "breakdown_note"],
    "breakdown": ["note"],
    "yearly_total": ["derivation"],
    "published_total": ["scope_note"],
    "reconciliation": ["note"],
}


def upgrade() -> None:
    for table, columns in NOTES.items():
        for column in columns:
            op.add_column(table, sa.Column(f"{column}_uk", sa.String(), nullable=True))


def downgrade() -> None:
    for table, columns in NOTES.items():
        with op.batch_alter_table(table) as batch_op:
            for column in reversed(columns):
                batch_op.drop_column(f"{column}_uk")
