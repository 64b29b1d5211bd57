"""Editors' personal accounts in the contribution store: created, disabled, given a role by an administrator.

Every change is written in the audit log with who made it. The app reads an account again at each
editor's action (:func:`current`), so that disabling it or removing a role takes effect at once, in
every process sharing the database.
"""

from __future__ import annotations

import sqlalchemy as sa

from cartographie.domaine.comptes import (
    AccountError,
    Identity,
    check_identifiant,
    check_nom,
    check_role,
    may,
    refusal,
)
from cartographie.stockage.schema import comptes
from cartographie.stockage.store import Store, now


def _require(by: Identity) -> None:
    if not may(by, "comptes"):
        raise AccountError(refusal(by, "comptes"))


def create_account(
    store: Store, identifiant: str, nom: str, role: str, *, by: Identity, methode: str = "local", empreinte: str = ""
) -> str:
    """Create an account (a local one with its password's scrypt hash); returns its identifier as stored."""
    _require(by)
    identifiant, nom, role = check_identifiant(identifiant), check_nom(nom), check_role(role)
    if methode not in ("local", "oidc"):
        raise AccountError(f"Méthode de connexion inconnue « {methode} ».")
    if methode == "local" and not empreinte.startswith("scrypt$"):
        raise AccountError("Un compte personnel a besoin de l'empreinte de son mot de passe.")
    stamp = now()
    with store.engine.begin() as conn:
        if conn.execute(sa.select(comptes.c.id).where(comptes.c.identifiant == identifiant)).first():
            raise AccountError(f"Le compte « {identifiant} » existe déjà.")
        conn.execute(
            comptes.insert().values(
                identifiant=identifiant, nom=nom, role=role, methode=methode, empreinte=empreinte,
                actif=True, cree_le=stamp, modifie_le=stamp,
            )
        )  # fmt: skip
        store.log(conn, by.nom, "compte_cree", "compte", None, None, {"identifiant": identifiant, "role": role})
    return identifiant


def _change(store: Store, identifiant: str, values: dict, action: str, *, by: Identity) -> None:
    _require(by)
    identifiant = check_identifiant(identifiant)
    with store.engine.begin() as conn:
        before = conn.execute(sa.select(comptes).where(comptes.c.identifiant == identifiant)).mappings().first()
        if before is None:
            raise AccountError(f"Aucun compte « {identifiant} ».")
        conn.execute(comptes.update().where(comptes.c.id == before["id"]).values(**values, modifie_le=now()))
        kept = {k: before[k] for k in values}
        store.log(conn, by.nom, action, "compte", before["id"], {"identifiant": identifiant, **kept}, values)


def set_active(store: Store, identifiant: str, actif: bool, *, by: Identity) -> None:
    """Disable (or enable again) an account: refused at its next action, in every process."""
    _change(store, identifiant, {"actif": bool(actif)}, "compte_active" if actif else "compte_desactive", by=by)


def set_role(store: Store, identifiant: str, role: str, *, by: Identity) -> None:
    """Give an account another role."""
    _change(store, identifiant, {"role": check_role(role)}, "compte_role", by=by)


def account(store: Store, identifiant: str) -> dict | None:
    """An account as stored (its hash included), or ``None``."""
    try:
        identifiant = check_identifiant(identifiant)
    except AccountError:
        return None
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(comptes).where(comptes.c.identifiant == identifiant)).mappings().first()
    return dict(row) if row else None


def accounts(store: Store) -> list[dict]:
    """Every account, without its hash, by identifier."""
    columns = [c for c in comptes.c if c.name != "empreinte"]
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(*columns).order_by(comptes.c.identifiant)).mappings().all()
    return [dict(r) for r in rows]


def current(store: Store, identity: Identity | None) -> Identity | None:
    """``identity`` as the database says now: ``None`` once its account is disabled or gone; its role as stored.

    The shared account has no row: it stays what it is.
    """
    if identity is None or identity.methode == "commun":
        return identity
    row = account(store, identity.identifiant)
    if row is None or not row["actif"]:
        return None
    return Identity(row["identifiant"], row["nom"], row["role"], row["methode"])
