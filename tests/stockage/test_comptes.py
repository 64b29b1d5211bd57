"""Personal accounts in the store (SQLite and PostgreSQL): only an administrator manages them, every change is in
the audit log, and a disabled account or a removed role is seen at the next action by another process."""

from __future__ import annotations

import pytest

from cartographie.domaine.comptes import AccountError, Identity, shared_account
from cartographie.stockage.comptes import account, accounts, create_account, current, set_active, set_role
from cartographie.stockage.connexion import hash_password, verify_password
from cartographie.stockage.store import Store

ADMIN = Identity("dominique@exemple.fr", "Dominique Roux", "administrateur", "local")
EDITOR = Identity("camille@exemple.fr", "Camille Martin", "editeur", "local")
HASH = hash_password("un mot de passe assez long")


def test_an_administrator_creates_an_account_whose_password_is_checked_and_whose_hash_is_never_listed(store):
    assert create_account(store, " Camille@Exemple.fr", "Camille Martin", "editeur", by=ADMIN, empreinte=HASH) == (
        "camille@exemple.fr"
    )
    stored = account(store, "CAMILLE@exemple.fr")
    assert (
        stored["role"] == "editeur"
        and stored["actif"]
        and verify_password("un mot de passe assez long", stored["empreinte"])
    )
    assert "empreinte" not in accounts(store)[0]
    entry = store.audit_log()[0]
    assert (entry["qui"], entry["action"], entry["apres"]) == (
        "Dominique Roux", "compte_cree", {"identifiant": "camille@exemple.fr", "role": "editeur"}
    )  # fmt: skip
    with pytest.raises(AccountError, match="existe déjà"):
        create_account(store, "camille@exemple.fr", "Autre", "editeur", by=ADMIN, empreinte=HASH)


def test_an_editor_manages_no_account_and_nothing_is_written(store):
    for attempt in (
        lambda: create_account(store, "x@exemple.fr", "X", "administrateur", by=EDITOR, empreinte=HASH),
        lambda: set_role(store, "camille@exemple.fr", "administrateur", by=EDITOR),
        lambda: set_active(store, "camille@exemple.fr", False, by=EDITOR),
    ):
        with pytest.raises(AccountError, match="réservé au rôle administrateur"):
            attempt()
    assert accounts(store) == [] and store.audit_log() == []


def test_a_local_account_needs_its_password_s_hash(store):
    with pytest.raises(AccountError, match="empreinte de son mot de passe"):
        create_account(store, "x@exemple.fr", "X", "editeur", by=ADMIN, empreinte="")
    assert create_account(store, "y@exemple.fr", "Y", "editeur", by=ADMIN, methode="oidc") == "y@exemple.fr"


def test_a_disabled_account_or_a_changed_role_is_seen_by_another_process_at_the_next_action(store, database_url):
    create_account(store, "camille@exemple.fr", "Camille Martin", "administrateur", by=ADMIN, empreinte=HASH)
    other = Store(database_url)  # another app process on the same database
    signed_in = Identity("camille@exemple.fr", "Camille Martin", "administrateur", "local")
    assert current(other, signed_in) == signed_in
    set_role(store, "camille@exemple.fr", "editeur", by=ADMIN)
    assert current(other, signed_in).role == "editeur"
    set_active(store, "camille@exemple.fr", False, by=ADMIN)
    assert current(other, signed_in) is None
    assert [e["action"] for e in store.audit_log()] == ["compte_desactive", "compte_role", "compte_cree"]
    assert current(other, shared_account()) == shared_account()  # the shared password has no row to disable
    other.engine.dispose()
