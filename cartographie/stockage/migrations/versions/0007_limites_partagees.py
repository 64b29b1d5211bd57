"""Limits shared by every process: indexes for the room's keyword limits, a table for the sign-in budgets.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """The keywords' indexes and the budgets' table."""
    op.create_index("ix_mots_cles_participant", "mots_cles", ["session", "participant"])
    op.create_index("ix_mots_cles_reseau", "mots_cles", ["session", "reseau", "cree_le"])
    op.create_table(
        "budgets",
        sa.Column("cle", sa.String(40), nullable=False),
        sa.Column("jetons", sa.Float, nullable=False),
        sa.Column("a", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("cle", name="pk_budgets"),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("budgets")
    op.drop_index("ix_mots_cles_reseau", "mots_cles")
    op.drop_index("ix_mots_cles_participant", "mots_cles")
