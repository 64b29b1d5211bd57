"""Live keywords keep whom they came from, pseudonymously: an editor can hide every word of one participant or network.

``participant`` is the hash of the browser's random token and the session (as the limits keep it);
``reseau`` a keyed hash of the network address and the session (the key is a random setting of the
database: the address cannot be read back from it by trying every address).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the pseudonymous origin of a keyword."""
    with op.batch_alter_table("mots_cles") as batch:
        batch.add_column(sa.Column("participant", sa.String(32), nullable=False, server_default=""))
        batch.add_column(sa.Column("reseau", sa.String(32), nullable=False, server_default=""))


def downgrade() -> None:
    """Drop it."""
    with op.batch_alter_table("mots_cles") as batch:
        batch.drop_column("reseau")
        batch.drop_column("participant")
