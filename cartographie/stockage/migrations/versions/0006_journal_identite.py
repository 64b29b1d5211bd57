"""Editors are people: each audit entry keeps who signed in (identifier) and how (sign-in method).

Entries written before this revision keep only the name that was typed.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the identifier and the method to the audit log."""
    with op.batch_alter_table("journal") as batch:
        batch.add_column(sa.Column("identifiant", sa.String(254), nullable=True))
        batch.add_column(sa.Column("methode", sa.String(20), nullable=True))


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table("journal") as batch:
        batch.drop_column("methode")
        batch.drop_column("identifiant")
