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
    oidc_name,
    refusal,
    shared_account,
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
    identifiant, nom, role = check_identifiant(identifiant, domain=methode == "oidc"), check_nom(nom), check_role(role)
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
        store.log(conn, by, "compte_cree", "compte", None, None, {"identifiant": identifiant, "role": role})
    return identifiant


def _other_account(identifiant: str, by: Identity) -> str:
    """The identifier of an account ``by`` may change: an administrator's, and never their own."""
    _require(by)
    identifiant = check_identifiant(identifiant, domain=True)
    if identifiant == by.identifiant:
        raise AccountError("Refusé : on ne change pas son propre compte (un autre administrateur le peut).")
    return identifiant


def _change(store: Store, identifiant: str, values: dict, action: str, *, by: Identity) -> None:
    identifiant = _other_account(identifiant, by)
    with store.engine.begin() as conn:
        before = conn.execute(sa.select(comptes).where(comptes.c.identifiant == identifiant)).mappings().first()
        if before is None:
            raise AccountError(f"Aucun compte « {identifiant} ».")
        conn.execute(comptes.update().where(comptes.c.id == before["id"]).values(**values, modifie_le=now()))
        kept = {k: before[k] for k in values}
        store.log(conn, by, action, "compte", before["id"], {"identifiant": identifiant, **kept}, values)


def set_active(store: Store, identifiant: str, actif: bool, *, by: Identity) -> None:
    """Disable (or enable again) an account: refused at its next action, in every process."""
    _change(store, identifiant, {"actif": bool(actif)}, "compte_active" if actif else "compte_desactive", by=by)


def set_role(store: Store, identifiant: str, role: str, *, by: Identity) -> None:
    """Give an account another role."""
    _change(store, identifiant, {"role": check_role(role)}, "compte_role", by=by)


def delete_account(store: Store, identifiant: str, *, by: Identity) -> None:
    """Delete an account (its row: identifier, name, role, times); the audit entries of its actions stay."""
    identifiant = _other_account(identifiant, by)
    with store.engine.begin() as conn:
        before = conn.execute(sa.select(comptes).where(comptes.c.identifiant == identifiant)).mappings().first()
        if before is None:
            raise AccountError(f"Aucun compte « {identifiant} ».")
        conn.execute(comptes.delete().where(comptes.c.id == before["id"]))
        store.log(
            conn, by, "compte_supprime", "compte", before["id"], {"identifiant": identifiant, "role": before["role"]}
        )


def account(store: Store, identifiant: str) -> dict | None:
    """An account as stored (its hash included), or ``None``."""
    try:
        identifiant = check_identifiant(identifiant, domain=True)
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

    The shared account has no row: it stays what it is. A person signed in by their provider is
    found again in the allowlist (their address, or its domain).
    """
    if identity is None or identity.methode == "commun":
        return identity
    if identity.methode == "oidc":
        entry = _allowlist_entry(store, identity.identifiant)
        if entry is None or not entry["actif"]:
            return None
        return Identity(identity.identifiant, identity.nom, entry["role"], "oidc")
    row = account(store, identity.identifiant)
    if row is None or not row["actif"] or row["methode"] != "local":
        return None
    return Identity(row["identifiant"], row["nom"], row["role"], row["methode"])


def _allowlist_entry(store: Store, email: str) -> dict | None:
    """The allowlist's entry for ``email``: its address, else its domain (« @exemple.fr »); enabled or not."""
    for key in (email, "@" + email.rpartition("@")[2]):
        row = account(store, key)
        if row is not None and row["methode"] == "oidc":
            return row
    return None


def has_local_accounts(store: Store) -> bool:
    """Whether any personal account (with a password) exists, enabled or not."""
    with store.engine.connect() as conn:
        return conn.execute(sa.select(comptes.c.id).where(comptes.c.methode == "local").limit(1)).first() is not None


def authenticate(store: Store, identifiant: str, password: str, shared_hash: str = "") -> Identity | None:
    """The person a password signs in, or ``None``: always one scrypt computation, whatever is wrong.

    A personal account's password is checked against its own hash (an account disabled: ``None``).
    An identifier that is no account is checked against the shared password of earlier installations
    when one is configured (``shared_hash``): the « compte commun », named after what was typed; else
    against a throwaway hash, so that the time taken does not tell which identifiers exist.
    """
    from cartographie.stockage.connexion import dummy_hash, verify_password

    row = account(store, identifiant)
    if row is not None and row["methode"] == "local":
        ok = verify_password(password, row["empreinte"]) and bool(row["actif"])
        if not ok:
            return None
        with store.engine.begin() as conn:
            conn.execute(comptes.update().where(comptes.c.id == row["id"]).values(derniere_connexion=now()))
        return Identity(row["identifiant"], row["nom"], row["role"], "local")
    if shared_hash and verify_password(password, shared_hash):
        return shared_account(identifiant)
    if not shared_hash:
        verify_password(password, dummy_hash())
    return None


def oidc_identity(store: Store, claims: dict) -> Identity | str:
    """The person an OpenID Connect provider signed in, by the allowlist; else the French refusal.

    The address (claim ``email``, verified unless the provider says nothing) is looked up as such,
    then by its domain (an entry « @exemple.fr »). The provider proves who someone is; the app
    decides whether they may edit, and with which role.
    """
    email = str(claims.get("email") or "").strip().lower()
    if not email or claims.get("email_verified") is False:
        return "Connexion refusée : votre fournisseur d'identité n'a pas transmis d'adresse électronique vérifiée."
    row = _allowlist_entry(store, email)
    if row is None or not row["actif"]:
        return (
            f"Connexion refusée : l'adresse {email} n'est pas autorisée à éditer. Demandez à un administrateur "
            "de l'ajouter à la liste des personnes autorisées."
        )
    with store.engine.begin() as conn:
        conn.execute(comptes.update().where(comptes.c.id == row["id"]).values(derniere_connexion=now()))
    return Identity(email, oidc_name(claims) or row["nom"], row["role"], "oidc")
