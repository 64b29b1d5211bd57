"""Settings kept by the editors (for example whether the survey results show the demo answers).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the settings table."""
    op.create_table(
        "parametres",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cle", sa.String(60), nullable=False, unique=True),
        sa.Column("valeur", sa.JSON, nullable=False),
        sa.Column("modifie_le", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop the settings table."""
    op.drop_table("parametres")
