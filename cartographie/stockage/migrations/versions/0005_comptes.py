"""Editors are people: personal accounts, each with its role (éditeur, administrateur).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the accounts' table."""
    op.create_table(
        "comptes",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("identifiant", sa.String(254), nullable=False),
        sa.Column("nom", sa.String(120), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("methode", sa.String(20), nullable=False),
        sa.Column("empreinte", sa.String(300), nullable=False, server_default=""),
        sa.Column("actif", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modifie_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("derniere_connexion", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_comptes"),
        sa.UniqueConstraint("identifiant", name="uq_comptes_identifiant"),
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_table("comptes")
