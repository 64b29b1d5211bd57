"""Initial schema: experiences, actors and roles, survey answers, keywords, meeting proposals, audit log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table of the first version of the store."""
    op.create_table(
        "experiences",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("titre", sa.String(200), nullable=False),
        sa.Column("resume", sa.Text, nullable=False),
        sa.Column("territoires", sa.JSON, nullable=False),
        sa.Column("themes", sa.JSON, nullable=False),
        sa.Column("methodes", sa.JSON, nullable=False),
        sa.Column("periode", sa.String(60), nullable=False, server_default=""),
        sa.Column("statut", sa.String(20), nullable=False),
        sa.Column("sources", sa.Text, nullable=False, server_default=""),
        sa.Column("elements", sa.JSON, nullable=False),
        sa.Column("hors_region", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("etat", sa.String(20), nullable=False, server_default="en_attente"),
        sa.Column("motif_rejet", sa.Text, nullable=False, server_default=""),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modifie_le", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_experiences_etat", "experiences", ["etat"])
    op.create_table(
        "acteurs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("nom", sa.String(200), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.UniqueConstraint("nom", "type", name="uq_acteurs_nom_type"),
    )
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("experience_id", sa.Integer, sa.ForeignKey("experiences.id", ondelete="CASCADE"), nullable=False),
        sa.Column("acteur_id", sa.Integer, sa.ForeignKey("acteurs.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("role", sa.String(200), nullable=False, server_default=""),
    )
    op.create_index("ix_roles_experience_id", "roles", ["experience_id"])
    op.create_index("ix_roles_acteur_id", "roles", ["acteur_id"])
    op.create_table(
        "reponses_enquete",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("edition", sa.String(60), nullable=False),
        sa.Column("origine", sa.String(20), nullable=False),
        sa.Column("reponses", sa.JSON, nullable=False),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reponses_enquete_edition", "reponses_enquete", ["edition"])
    op.create_table(
        "mots_cles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session", sa.String(60), nullable=False),
        sa.Column("mot", sa.String(60), nullable=False),
        sa.Column("masque", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_mots_cles_session", "mots_cles", ["session"])
    op.create_table(
        "rencontres_proposees",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("evenement_id", sa.String(80), nullable=False, server_default=""),
        sa.Column("titre", sa.String(300), nullable=False),
        sa.Column("contenu", sa.Text, nullable=False),
        sa.Column("etat", sa.String(20), nullable=False, server_default="en_attente"),
        sa.Column("motif_rejet", sa.Text, nullable=False, server_default=""),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modifie_le", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_rencontres_proposees_etat", "rencontres_proposees", ["etat"])
    op.create_table(
        "journal",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("quand", sa.DateTime(timezone=True), nullable=False),
        sa.Column("qui", sa.String(80), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("objet", sa.String(40), nullable=False),
        sa.Column("objet_id", sa.Integer, nullable=True),
        sa.Column("avant", sa.JSON, nullable=True),
        sa.Column("apres", sa.JSON, nullable=True),
    )
    op.create_index("ix_journal_quand", "journal", ["quand"])


def downgrade() -> None:
    """Drop every table."""
    for table in (
        "journal",
        "rencontres_proposees",
        "mots_cles",
        "reponses_enquete",
        "roles",
        "acteurs",
        "experiences",
    ):
        op.drop_table(table)
