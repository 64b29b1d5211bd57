"""Tables of the contribution store (SQLAlchemy Core), shared by the store and its migrations."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


#: Moderation states of a contribution.
ETATS = ("en_attente", "publiee", "rejetee")


experiences = sa.Table(
    "experiences",
    metadata,
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
    sa.Column("etat", sa.String(20), nullable=False, server_default="en_attente", index=True),
    sa.Column("motif_rejet", sa.Text, nullable=False, server_default=""),
    sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
    sa.Column("modifie_le", sa.DateTime(timezone=True), nullable=False),
)


acteurs = sa.Table(
    "acteurs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("nom", sa.String(200), nullable=False),
    sa.Column("type", sa.String(40), nullable=False),
    sa.UniqueConstraint("nom", "type", name="uq_acteurs_nom_type"),
)


roles = sa.Table(
    "roles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "experience_id", sa.Integer, sa.ForeignKey("experiences.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("acteur_id", sa.Integer, sa.ForeignKey("acteurs.id", ondelete="RESTRICT"), nullable=False, index=True),
    sa.Column("role", sa.String(200), nullable=False, server_default=""),
)


reponses = sa.Table(
    "reponses_enquete",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("edition", sa.String(60), nullable=False, index=True),
    sa.Column("origine", sa.String(20), nullable=False),
    sa.Column("reponses", sa.JSON, nullable=False),
    sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
    # Its free text (keyword, comment, « Autre » precisions): « en_attente » until an editor has seen it,
    # « publiee », or « masquee » (the whole answer left out of the results).
    sa.Column("etat_textes", sa.String(20), nullable=False, server_default="en_attente"),
)


mots_cles = sa.Table(
    "mots_cles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("session", sa.String(60), nullable=False, index=True),
    sa.Column("mot", sa.String(60), nullable=False),
    sa.Column("masque", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
    # Pseudonymous origin: hash of the participant's random token, keyed hash of the network address.
    sa.Column("participant", sa.String(32), nullable=False, server_default=""),
    sa.Column("reseau", sa.String(32), nullable=False, server_default=""),
    # The room's limits are counted from these rows (stockage/limites.py, revision 0007).
    sa.Index("ix_mots_cles_participant", "session", "participant"),
    sa.Index("ix_mots_cles_reseau", "session", "reseau", "cree_le"),
)


parametres = sa.Table(
    "parametres",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("cle", sa.String(60), nullable=False, unique=True),
    sa.Column("valeur", sa.JSON, nullable=False),
    sa.Column("modifie_le", sa.DateTime(timezone=True), nullable=False),
)


rencontres_proposees = sa.Table(
    "rencontres_proposees",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("evenement_id", sa.String(80), nullable=False, server_default=""),
    sa.Column("titre", sa.String(300), nullable=False),
    sa.Column("contenu", sa.Text, nullable=False),
    sa.Column("etat", sa.String(20), nullable=False, server_default="en_attente", index=True),
    sa.Column("motif_rejet", sa.Text, nullable=False, server_default=""),
    sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
    sa.Column("modifie_le", sa.DateTime(timezone=True), nullable=False),
)


journal = sa.Table(
    "journal",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("quand", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("qui", sa.String(80), nullable=False),
    # Who signed in (revision 0006): identifier and sign-in method; empty for the public and older entries.
    sa.Column("identifiant", sa.String(254), nullable=True),
    sa.Column("methode", sa.String(20), nullable=True),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("objet", sa.String(40), nullable=False),
    sa.Column("objet_id", sa.Integer, nullable=True),
    sa.Column("avant", sa.JSON, nullable=True),
    sa.Column("apres", sa.JSON, nullable=True),
)


#: Editors' personal accounts (local, with a scrypt hash; or known through an OpenID Connect provider, without).
#: Not in backups: accounts are managed by an administrator, never restored with the contributions.
comptes = sa.Table(
    "comptes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("identifiant", sa.String(254), nullable=False, unique=True),
    sa.Column("nom", sa.String(120), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("methode", sa.String(20), nullable=False),
    sa.Column("empreinte", sa.String(300), nullable=False, server_default=""),
    sa.Column("actif", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
    sa.Column("modifie_le", sa.DateTime(timezone=True), nullable=False),
    sa.Column("derniere_connexion", sa.DateTime(timezone=True), nullable=True),
)


#: Sign-in budgets shared by every process (stockage/limites.py): tokens left and when they were counted.
#: Keyed by a hash of the network address, or « tous ». Not in backups.
budgets = sa.Table(
    "budgets",
    metadata,
    sa.Column("cle", sa.String(40), primary_key=True),
    sa.Column("jetons", sa.Float, nullable=False),
    sa.Column("a", sa.Float, nullable=False),
)


#: Tables in dependency order (backups are written and restored in this order).
TABLES = (experiences, acteurs, roles, reponses, mots_cles, rencontres_proposees, journal, parametres)
