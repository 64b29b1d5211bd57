"""The contribution store: SQLAlchemy over SQLite (default) or PostgreSQL, with versioned migrations.

Everything users contribute goes through here: cooperation experiences and their actors,
survey answers, live keywords, meeting corrections, and the audit log of every editor action.
Every write is one transaction; every input is validated first, with French messages; text is
stored as typed (it is escaped where it is rendered, never here).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.dialects import postgresql as postgresql_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from cartographie import config
from cartographie.domaine.comptes import Identity, action_of, may, refusal
from cartographie.domaine.contributions import (
    NotFound,
    ValidationError,
    rejection_reason,
    validate_experience,
    validate_keyword,
    validate_rencontre,
)
from cartographie.domaine.salle import NETWORK_KEY_SETTING
from cartographie.stockage import archive
from cartographie.stockage.schema import (
    TABLES,
    acteurs,
    experiences,
    journal,
    metadata,
    mots_cles,
    parametres,
    rencontres_proposees,
    reponses,
    roles,
)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_LOGGER = logging.getLogger(__name__)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def now() -> dt.datetime:
    """The store's clock (UTC), for the modules that write beside it (accounts)."""
    return _now()


def lock_key(*parts: str) -> int:
    """A PostgreSQL advisory lock's key (a signed 64-bit integer) for ``parts``."""
    import hashlib

    return int.from_bytes(hashlib.sha256("\x00".join(parts).encode()).digest()[:8], "big", signed=True)


def _json_ready(row: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in row.items()}


@dataclass
class Store:
    """Access to the contribution database. Thread-safe: each call uses its own connection and transaction."""

    url: str
    #: The networks' key once read (it never changes once written): one query less per keyword sent.
    _network_key: str = field(default="", init=False, repr=False)

    def __post_init__(self) -> None:
        if self.url.startswith("sqlite:///"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            self.engine = sa.create_engine(self.url, connect_args={"timeout": 30, "check_same_thread": False})

            @sa.event.listens_for(self.engine, "connect")
            def _sqlite_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - driver callback
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA busy_timeout=30000")  # concurrent writers queue instead of failing
                cursor.close()
        else:
            self.engine = sa.create_engine(self.url, pool_pre_ping=True, pool_size=10, max_overflow=10)

    # ------------------------------------------------------------------ schema

    def migrate(self) -> None:
        """Apply every pending migration (run at start; creates the database on first use)."""
        alembic_config = AlembicConfig()
        alembic_config.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self.engine.begin() as connection:
            alembic_config.attributes["connection"] = connection
            command.upgrade(alembic_config, "head")

    def revision(self) -> str | None:
        """The schema revision of the database (``None`` when not created yet)."""
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @staticmethod
    def known_revisions() -> set[str]:
        """Every schema revision the code knows (a backup of another one is refused)."""
        alembic_config = AlembicConfig()
        alembic_config.set_main_option("script_location", str(MIGRATIONS_DIR))
        return {script.revision for script in ScriptDirectory.from_config(alembic_config).walk_revisions()}

    @staticmethod
    def head_revision() -> str:
        """The latest revision the code knows."""
        alembic_config = AlembicConfig()
        alembic_config.set_main_option("script_location", str(MIGRATIONS_DIR))
        return ScriptDirectory.from_config(alembic_config).get_current_head()

    # ------------------------------------------------------------------ audit

    @staticmethod
    def _log(conn, qui: str | Identity, action: str, objet: str, objet_id: int | None, avant=None, apres=None) -> None:
        """One audit entry; refused (with the transaction it belongs to) when ``qui``'s role does not allow it.

        ``qui`` is a signed-in person (:class:`Identity`: name, identifier and sign-in method are
        written) or a word for the public and the server's own work (« public », « import »).
        """
        identifiant = methode = None
        if isinstance(qui, Identity):
            needed = action_of(action, objet)
            if needed is None or not may(qui, needed):  # fails closed: an unknown action needs a role nobody has
                raise ValidationError([refusal(qui, needed or "")])
            qui, identifiant, methode = qui.nom, qui.identifiant, qui.methode
        conn.execute(
            journal.insert().values(
                quand=_now(),
                qui=qui[:80],
                identifiant=identifiant,
                methode=methode,
                action=action,
                objet=objet,
                objet_id=objet_id,
                avant=_json_ready(avant) if isinstance(avant, dict) else avant,
                apres=_json_ready(apres) if isinstance(apres, dict) else apres,
            )
        )

    def log(
        self, conn, qui: str | Identity, action: str, objet: str, objet_id: int | None, avant=None, apres=None
    ) -> None:
        """Write one audit entry in the transaction ``conn`` (for the modules that write beside the store)."""
        self._log(conn, qui, action, objet, objet_id, avant, apres)

    def audit_log(self, limit: int = 200) -> list[dict]:
        """The latest audit entries, newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(journal).order_by(journal.c.id.desc()).limit(limit)).mappings().all()
        return [dict(r) for r in rows]

    # ------------------------------------------------------------------ experiences

    def _insert_roles(self, conn, experience_id: int, actors: list[dict]) -> None:
        """The actors of an experience and their roles (each actor created once, found by name and type)."""
        for actor in actors:
            conn.execute(
                roles.insert().values(
                    experience_id=experience_id,
                    acteur_id=self._actor_id(conn, actor["nom"], actor["type"]),
                    role=actor["role"],
                )
            )

    def _actor_id(self, conn, nom: str, kind: str) -> int:
        """The actor's id, created if needed: insert-or-nothing then read, safe when processes race.

        (A read then an insert lost proposals on PostgreSQL when two processes named the same new
        actor at once: the second insert broke the unique constraint.)
        """
        dialect = sqlite_dialect if self.engine.dialect.name == "sqlite" else postgresql_dialect
        conn.execute(
            dialect.insert(acteurs).values(nom=nom, type=kind).on_conflict_do_nothing(index_elements=["nom", "type"])
        )
        return conn.execute(sa.select(acteurs.c.id).where(acteurs.c.nom == nom, acteurs.c.type == kind)).scalar_one()

    def propose_experience(
        self,
        data: dict,
        *,
        qui: str = "public",
        known_territory: Callable[[str, str], bool] | None = None,
        etat: str = "en_attente",
    ) -> int:
        """Record an experience proposal (pending until an editor approves it); return its id."""
        clean, actors = validate_experience(data, known_territory)
        with self.engine.begin() as conn:
            now = _now()
            experience_id = conn.execute(
                experiences.insert().values(**clean, etat=etat, cree_le=now, modifie_le=now)
            ).inserted_primary_key[0]
            self._insert_roles(conn, experience_id, actors)
            self._log(conn, qui, "proposition", "experience", experience_id, apres={**clean, "acteurs": actors})
        return experience_id

    def _experience_rows(self, conn, where) -> list[dict]:
        rows = conn.execute(sa.select(experiences).where(where).order_by(experiences.c.id)).mappings().all()
        ids = [r["id"] for r in rows]
        links: dict[int, list[dict]] = {i: [] for i in ids}
        if ids:
            query = (
                sa.select(roles.c.experience_id, acteurs.c.nom, acteurs.c.type, roles.c.role)
                .join(acteurs, acteurs.c.id == roles.c.acteur_id)
                .where(roles.c.experience_id.in_(ids))
                .order_by(roles.c.id)
            )
            for link in conn.execute(query).mappings():
                links[link["experience_id"]].append({"nom": link["nom"], "type": link["type"], "role": link["role"]})
        return [{**dict(r), "acteurs": links[r["id"]]} for r in rows]

    def experiences(self, *, etats: Iterable[str] = ("publiee",)) -> list[dict]:
        """Experiences in the given moderation states (the public sees only ``publiee``)."""
        with self.engine.connect() as conn:
            return self._experience_rows(conn, experiences.c.etat.in_(tuple(etats)))

    def experience(self, experience_id: int) -> dict:
        """One experience with its actors."""
        with self.engine.connect() as conn:
            rows = self._experience_rows(conn, experiences.c.id == experience_id)
        if not rows:
            raise NotFound(f"Expérience n°{experience_id} introuvable.")
        return rows[0]

    def _set_state(
        self, table: sa.Table, objet: str, item_id: int, etat: str, qui: str | Identity, motif: str = ""
    ) -> None:
        with self.engine.begin() as conn:
            before = conn.execute(sa.select(table).where(table.c.id == item_id)).mappings().one_or_none()
            if before is None:
                raise NotFound(f"Élément n°{item_id} introuvable.")
            conn.execute(
                table.update().where(table.c.id == item_id).values(etat=etat, motif_rejet=motif, modifie_le=_now())
            )
            action = {"publiee": "approbation", "rejetee": "rejet"}[etat]
            self._log(
                conn,
                qui,
                action,
                objet,
                item_id,
                avant={"etat": before["etat"]},
                apres={"etat": etat, "motif_rejet": motif},
            )

    def approve_experience(self, experience_id: int, qui: str | Identity) -> None:
        """Publish a pending experience."""
        self._set_state(experiences, "experience", experience_id, "publiee", qui)

    def reject_experience(self, experience_id: int, qui: str | Identity, motif: str) -> None:
        """Reject an experience; the reason is required and logged."""
        self._set_state(experiences, "experience", experience_id, "rejetee", qui, rejection_reason(motif))

    def update_experience(
        self,
        experience_id: int,
        data: dict,
        qui: str | Identity,
        known_territory: Callable[[str, str], bool] | None = None,
    ) -> None:
        """Replace an experience's content and actors (editors only); logged with before and after."""
        clean, actors = validate_experience(data, known_territory)
        with self.engine.begin() as conn:
            before = self._experience_rows(conn, experiences.c.id == experience_id)
            if not before:
                raise NotFound(f"Expérience n°{experience_id} introuvable.")
            conn.execute(
                experiences.update().where(experiences.c.id == experience_id).values(**clean, modifie_le=_now())
            )
            conn.execute(roles.delete().where(roles.c.experience_id == experience_id))
            self._insert_roles(conn, experience_id, actors)
            self._log(
                conn,
                qui,
                "modification",
                "experience",
                experience_id,
                avant=before[0],
                apres={**clean, "acteurs": actors},
            )

    def delete_experience(self, experience_id: int, qui: str | Identity) -> None:
        """Delete an experience (its roles go with it); logged with its content."""
        with self.engine.begin() as conn:
            before = self._experience_rows(conn, experiences.c.id == experience_id)
            if not before:
                raise NotFound(f"Expérience n°{experience_id} introuvable.")
            conn.execute(roles.delete().where(roles.c.experience_id == experience_id))
            conn.execute(experiences.delete().where(experiences.c.id == experience_id))
            self._log(conn, qui, "suppression", "experience", experience_id, avant=before[0])

    # ------------------------------------------------------------------ meeting proposals

    def propose_rencontre(self, data: dict, *, qui: str = "public") -> int:
        """Record a meeting proposal or correction (pending)."""
        clean = validate_rencontre(data)
        with self.engine.begin() as conn:
            now = _now()
            item_id = conn.execute(
                rencontres_proposees.insert().values(**clean, cree_le=now, modifie_le=now)
            ).inserted_primary_key[0]
            self._log(conn, qui, "proposition", "rencontre", item_id, apres=clean)
        return item_id

    def rencontres_proposees(self, *, etats: Iterable[str] = ("publiee",)) -> list[dict]:
        """Meeting proposals in the given states."""
        with self.engine.connect() as conn:
            rows = (
                conn.execute(
                    sa.select(rencontres_proposees)
                    .where(rencontres_proposees.c.etat.in_(tuple(etats)))
                    .order_by(rencontres_proposees.c.id)
                )
                .mappings()
                .all()
            )
        return [dict(r) for r in rows]

    def approve_rencontre(self, item_id: int, qui: str | Identity) -> None:
        """Accept a meeting proposal."""
        self._set_state(rencontres_proposees, "rencontre", item_id, "publiee", qui)

    def reject_rencontre(self, item_id: int, qui: str | Identity, motif: str) -> None:
        """Reject a meeting proposal with a reason."""
        self._set_state(rencontres_proposees, "rencontre", item_id, "rejetee", qui, rejection_reason(motif))

    def delete_rencontre(self, item_id: int, qui: str | Identity) -> None:
        """Delete a meeting proposal."""
        with self.engine.begin() as conn:
            before = (
                conn.execute(sa.select(rencontres_proposees).where(rencontres_proposees.c.id == item_id))
                .mappings()
                .one_or_none()
            )
            if before is None:
                raise NotFound(f"Proposition n°{item_id} introuvable.")
            conn.execute(rencontres_proposees.delete().where(rencontres_proposees.c.id == item_id))
            self._log(conn, qui, "suppression", "rencontre", item_id, avant=dict(before))

    # ------------------------------------------------------------------ survey and keywords

    def add_survey_answers(
        self,
        edition: str,
        answers: list[dict],
        *,
        origine: str = "formulaire",
        empreinte: str | None = None,
        qui: str | Identity | None = None,
    ) -> int:
        """Store survey answers (all or none); return how many were written.

        ``empreinte`` (an imported file's SHA-256) makes the import happen once: the same file
        imported again, from any session or process, even at the same moment, is refused.
        """
        if origine not in archive.ORIGINES:
            raise ValidationError([f"Origine inconnue « {origine} »."])
        edition = " ".join(str(edition).split())
        if not edition or len(edition) > 60:
            raise ValidationError(["L'édition de l'enquête doit compter de 1 à 60 caractères."])
        now = _now()
        with self.engine.begin() as conn:
            if empreinte and self.engine.dialect.name == "postgresql":  # two imports of one file wait in turn
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": int(empreinte[:15], 16)})
            # The log entry first: on SQLite this write takes the database's write lock before the check.
            apres = {"edition": edition, "nombre": len(answers), "origine": origine}
            self._log(
                conn,
                qui or ("public" if origine == "formulaire" else "import"),
                "reponses",
                "enquete",
                None,
                apres={**apres, "empreinte": empreinte} if empreinte else apres,
            )
            if empreinte:
                same = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(journal)
                    .where(journal.c.action == "reponses", journal.c.apres["empreinte"].as_string() == empreinte)
                ).scalar_one()
                if same > 1:
                    raise ValidationError(["Ce fichier a déjà été importé : ses réponses sont déjà enregistrées."])
            if answers:
                conn.execute(
                    reponses.insert(),
                    [{"edition": edition, "origine": origine, "reponses": a, "cree_le": now} for a in answers],
                )
        return len(answers)

    def survey_answers(self, edition: str | None = None, *, etat: str | None = None) -> list[dict]:
        """Stored answers (of one edition, or all; in one moderation state of their free text, or any)."""
        query = sa.select(reponses).order_by(reponses.c.id)
        if edition is not None:
            query = query.where(reponses.c.edition == edition)
        if etat is not None:
            query = query.where(reponses.c.etat_textes == etat)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def set_answer_state(self, answer_id: int, etat: str, qui: str | Identity) -> None:
        """Publish an answer's free text, or leave the whole answer out of the results (logged)."""
        if etat not in archive.ETATS_TEXTES:
            raise ValidationError([f"État inconnu « {etat} »."])
        action = {"publiee": "approbation", "masquee": "masquage", "en_attente": "modification"}[etat]
        with self.engine.begin() as conn:
            before = conn.execute(sa.select(reponses.c.etat_textes).where(reponses.c.id == answer_id)).scalar()
            if before is None:
                raise ValidationError(["Cette réponse n'existe plus."])
            conn.execute(sa.update(reponses).where(reponses.c.id == answer_id).values(etat_textes=etat))
            self._log(
                conn, qui, action, "reponse", answer_id, avant={"etat_textes": before}, apres={"etat_textes": etat}
            )

    def publish_answers(self, answer_ids: list[int], qui: str | Identity) -> int:
        """Publish the free text of several answers an editor has read (one log entry each)."""
        for answer_id in answer_ids:
            self.set_answer_state(answer_id, "publiee", qui)
        return len(answer_ids)

    def delete_answer(self, answer_id: int, qui: str | Identity) -> None:
        """Delete one survey answer (logged with what it held)."""
        with self.engine.begin() as conn:
            row = conn.execute(sa.select(reponses).where(reponses.c.id == answer_id)).mappings().first()
            if row is None:
                raise ValidationError(["Cette réponse n'existe plus."])
            conn.execute(sa.delete(reponses).where(reponses.c.id == answer_id))
            self._log(conn, qui, "suppression", "reponse", answer_id,
                      avant={"edition": row["edition"], "etat_textes": row["etat_textes"]})  # fmt: skip

    def survey_editions(self) -> dict[str, int]:
        """Number of stored answers per edition (answers given in the app or imported)."""
        query = sa.select(reponses.c.edition, sa.func.count()).group_by(reponses.c.edition)
        with self.engine.connect() as conn:
            return {edition: count for edition, count in conn.execute(query)}

    def survey_signature(self) -> tuple[tuple[str, int, int], ...]:
        """(edition and moderation state, count, highest id) of the stored answers: changes with any write.

        Moderating an answer changes it too. Caches of results are keyed by it, so that an answer stored
        by another app process sharing the database is counted at the next rerun.
        """
        query = sa.select(
            reponses.c.edition, reponses.c.etat_textes, sa.func.count(), sa.func.max(reponses.c.id)
        ).group_by(reponses.c.edition, reponses.c.etat_textes)
        with self.engine.connect() as conn:
            return tuple(sorted((f"{e}:{etat}", int(count), int(top)) for e, etat, count, top in conn.execute(query)))

    def add_keyword(self, session: str, mot: str, *, participant: str = "", reseau: str = "") -> int:
        """One participant's keyword for a live session, with its pseudonymous origin (hashes, or empty)."""
        value = validate_keyword(mot)
        with self.engine.begin() as conn:
            return conn.execute(
                mots_cles.insert().values(
                    session=session[:60], mot=value, cree_le=_now(), participant=participant[:32], reseau=reseau[:32]
                )
            ).inserted_primary_key[0]

    def hide_keywords(self, keyword_ids: list[int], qui: str | Identity) -> int:
        """Hide several keywords at once (one log entry naming them); returns how many were visible."""
        ids = sorted({int(i) for i in keyword_ids})
        if not ids:
            return 0
        with self.engine.begin() as conn:
            visible = [
                dict(r)
                for r in conn.execute(
                    sa.select(mots_cles.c.id, mots_cles.c.mot).where(
                        mots_cles.c.id.in_(ids), mots_cles.c.masque == sa.false()
                    )
                ).mappings()
            ]
            if visible:
                conn.execute(
                    mots_cles.update().where(mots_cles.c.id.in_([v["id"] for v in visible])).values(masque=True)
                )
                self._log(conn, qui, "masquage", "mot_cle", None, avant={"mots": [v["mot"] for v in visible][:200]},
                          apres={"nombre": len(visible)})  # fmt: skip
        return len(visible)

    def network_key(self) -> str:
        """The database's random key of the networks' hashes (created at first use, shared by every process)."""
        if self._network_key:
            return self._network_key
        key = self.setting(NETWORK_KEY_SETTING)
        if key:
            self._network_key = str(key)
            return self._network_key
        import secrets

        # Not through set_setting: a key written in the audit log would let its readers undo the hashes.
        with contextlib.suppress(sa.exc.IntegrityError), self.engine.begin() as conn:  # another process wrote it
            conn.execute(parametres.insert().values(cle=NETWORK_KEY_SETTING, valeur=secrets.token_hex(16),
                                                    modifie_le=_now()))  # fmt: skip
        return str(self.setting(NETWORK_KEY_SETTING))

    def keywords(self, session: str, *, include_hidden: bool = False) -> list[dict]:
        """Keywords of a session (hidden ones only for editors)."""
        query = sa.select(mots_cles).where(mots_cles.c.session == session).order_by(mots_cles.c.id)
        if not include_hidden:
            query = query.where(mots_cles.c.masque == sa.false())
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def keyword_sessions(self) -> dict[str, int]:
        """Live-keyword sessions and how many keywords each received, most recent first."""
        query = (
            sa.select(mots_cles.c.session, sa.func.count(), sa.func.max(mots_cles.c.id).label("dernier"))
            .group_by(mots_cles.c.session)
            .order_by(sa.desc("dernier"))
        )
        with self.engine.connect() as conn:
            return {session: count for session, count, _ in conn.execute(query)}

    def hide_keyword(self, keyword_id: int, qui: str | Identity) -> None:
        """Hide an offensive keyword (logged)."""
        with self.engine.begin() as conn:
            before = conn.execute(sa.select(mots_cles).where(mots_cles.c.id == keyword_id)).mappings().one_or_none()
            if before is None:
                raise NotFound(f"Mot-clé n°{keyword_id} introuvable.")
            conn.execute(mots_cles.update().where(mots_cles.c.id == keyword_id).values(masque=True))
            self._log(conn, qui, "masquage", "mot_cle", keyword_id, avant={"mot": before["mot"]})

    # ------------------------------------------------------------------ settings

    def setting(self, cle: str, default=None):
        """A setting kept by the editors, or ``default``."""
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(parametres.c.valeur).where(parametres.c.cle == cle)).scalar_one_or_none()
        return default if value is None else value

    def set_setting(self, cle: str, valeur, qui: str | Identity) -> None:
        """Change a setting (logged with its previous value); only the known settings and their values."""
        accepts = archive.SETTINGS.get(cle)
        if accepts is None or not accepts(valeur):
            raise ValidationError([f"Réglage « {cle} » : valeur non permise."])
        with self.engine.begin() as conn:
            before = conn.execute(sa.select(parametres).where(parametres.c.cle == cle)).mappings().one_or_none()
            if before is None:
                conn.execute(parametres.insert().values(cle=cle, valeur=valeur, modifie_le=_now()))
            else:
                conn.execute(
                    parametres.update().where(parametres.c.cle == cle).values(valeur=valeur, modifie_le=_now())
                )
            self._log(
                conn,
                qui,
                "parametre",
                cle,
                None,
                avant=None if before is None else {"valeur": before["valeur"]},
                apres={"valeur": valeur},
            )

    # ------------------------------------------------------------------ backups

    def is_empty(self) -> bool:
        """Whether no table holds any row."""
        with self.engine.connect() as conn:
            return all(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one() == 0 for t in TABLES)

    def export_backup(self, qui: str | Identity = "ligne de commande du serveur") -> bytes:
        """A ZIP holding ``sauvegarde.json`` (every table) and one CSV per table (see :mod:`.archive`); logged."""
        with self.engine.begin() as conn:
            self._log(conn, qui, "sauvegarde", "base", None)  # refused here for a person who may not take it
            data = {
                t.name: [_json_ready(dict(r)) for r in conn.execute(sa.select(t).order_by(t.c.id)).mappings()]
                for t in TABLES
            }
        return archive.export(data, self.revision())

    def restore_backup(
        self, raw: bytes, qui: str | Identity, *, check_answer: Callable[[str, object], str | None] | None = None
    ) -> dict[str, int]:
        """Restore a backup into an empty database: every row checked first, then all written in one transaction.

        ``check_answer(edition, answer)`` says what is wrong with a survey answer (the questionnaire's
        rules); every refusal is a :class:`ValidationError` in French, and nothing is written.
        """
        if isinstance(qui, Identity) and not may(qui, "restaurer"):  # before reading anything
            raise ValidationError([refusal(qui, "restaurer")])
        payload = archive.read_payload(raw)
        revision = payload.get("revision")
        if revision is not None and str(revision) not in self.known_revisions():
            raise ValidationError(
                [
                    f"Sauvegarde écrite par une autre version de l'application (schéma « {str(revision)[:40]} », "
                    "inconnu de celle-ci) : restaurez-la avec la version qui l'a écrite, ou mettez l'application à "
                    "jour."
                ]
            )
        rows_by_table = archive.check_tables(payload.get("tables"), check_answer=check_answer)
        if not self.is_empty():
            raise ValidationError(["La base n'est pas vide : la restauration se fait dans une base vide."])
        counts = {}
        try:
            with self.engine.begin() as conn:
                for table in TABLES:
                    if rows_by_table[table.name]:
                        conn.execute(table.insert(), rows_by_table[table.name])
                    counts[table.name] = len(rows_by_table[table.name])
                if self.engine.dialect.name == "postgresql":  # identity counters follow the restored ids
                    for table in TABLES:
                        conn.execute(
                            sa.text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                            )
                        )
                self._log(conn, qui, "restauration", "base", None, apres=counts)
        except sa.exc.SQLAlchemyError as exc:  # checked above; the database has the last word
            _LOGGER.exception("Restauration refusée par la base")
            raise ValidationError(
                ["La base a refusé la sauvegarde (données incohérentes entre elles) : rien n'a été écrit."]
            ) from exc
        return counts


def open_store(url: str | None = None) -> Store:
    """The configured store, migrated to the latest schema."""
    store = Store(url or config.database_url())
    store.migrate()
    return store


__all__ = ["NotFound", "Store", "ValidationError", "metadata", "open_store"]
