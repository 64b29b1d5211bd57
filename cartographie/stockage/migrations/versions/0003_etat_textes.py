"""Survey answers' free text is published only once an editor has seen it: a moderation state per answer.

Answers stored before this revision wait for an editor too (their free text was public word for word).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the state of an answer's free text (en_attente, publiee, masquee)."""
    with op.batch_alter_table("reponses_enquete") as batch:
        batch.add_column(sa.Column("etat_textes", sa.String(20), nullable=False, server_default="en_attente"))


def downgrade() -> None:
    """Drop the state."""
    with op.batch_alter_table("reponses_enquete") as batch:
        batch.drop_column("etat_textes")
