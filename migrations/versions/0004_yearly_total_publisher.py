"""yearly total publisher: who reported a yearly total, and when, for attributed sentences

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The table as Alembic's batch mode recreates it, written out: batch mode copies the reflected
# constraints in the iteration order of a set, so the CREATE TABLE text (and with it the database
# file's bytes, its digest and every ETag) changed from one build of the same seed to the next.
DEFINITION = [
    "year INTEGER NOT NULL",
    "returned_to_ukraine INTEGER NOT NULL",
    "exchanges INTEGER",
    "basis VARCHAR NOT NULL",
    "derivation VARCHAR NOT NULL",
    "publisher VARCHAR",
    "reported_on DATE",
    "CONSTRAINT pk_yearly_total PRIMARY KEY (year)",
    "CONSTRAINT ck_yearly_total_returned_not_negative CHECK (returned_to_ukraine >= 0)",
    "CONSTRAINT ck_yearly_total_exchanges_not_negative CHECK (exchanges IS NULL OR exchanges >= 0)",
    "CONSTRAINT ck_yearly_total_year_since_invasion CHECK (year >= 2022)",
    "CONSTRAINT ck_yearly_total_basis_known CHECK (basis IN ('reported', 'derived'))",
    "CONSTRAINT ck_yearly_total_derivation_stated CHECK (length(derivation) > 0)",
    "CONSTRAINT fk_yearly_total_publisher_publisher FOREIGN KEY(publisher) REFERENCES publisher (code)",
]
COPIED = "year, returned_to_ukraine, exchanges, basis, derivation"


def upgrade() -> None:
    op.execute("CREATE TABLE _alembic_tmp_yearly_total (\n\t" + ", \n\t".join(DEFINITION) + "\n)")
    op.execute(f"INSERT INTO _alembic_tmp_yearly_total ({COPIED}) SELECT {COPIED} FROM yearly_total")
    op.drop_table("yearly_total")
    op.rename_table("_alembic_tmp_yearly_total", "yearly_total")


def downgrade() -> None:
    with op.batch_alter_table("yearly_total", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_yearly_total_publisher_publisher"), type_="foreignkey")
        batch_op.drop_column("reported_on")
        batch_op.drop_column("publisher")
