"""Editors are people in the store (SQLite and PostgreSQL): sign-in by account, password or allowlist; each
audit entry names who acted and how; an action outside one's role is refused and writes nothing."""

from __future__ import annotations

import pytest

from cartographie.domaine.comptes import Identity, shared_account
from cartographie.domaine.contributions import ValidationError
from cartographie.domaine.enquete.demo import DEMO_SETTING
from cartographie.domaine.salle import REFUSED_WORDS_SETTING
from cartographie.stockage.comptes import (
    account,
    authenticate,
    create_account,
    current,
    oidc_identity,
    set_active,
    set_role,
)
from cartographie.stockage.connexion import hash_password
from cartographie.stockage.store import Store

ADMIN = Identity("dominique@exemple.fr", "Dominique Roux", "administrateur", "local")
EDITOR = Identity("camille@exemple.fr", "Camille Martin", "editeur", "local")
PASSWORD = "un mot de passe assez long"
SHARED = hash_password("le mot de passe partagé")


@pytest.fixture
def accounts_made(store):
    create_account(
        store, "camille@exemple.fr", "Camille Martin", "editeur", by=ADMIN, empreinte=hash_password(PASSWORD)
    )
    create_account(store, "agent@prefecture.gouv.fr", "Agent", "administrateur", by=ADMIN, methode="oidc")
    create_account(store, "@crpv.fr", "Centre de ressources", "editeur", by=ADMIN, methode="oidc")
    return store


def test_a_personal_account_signs_in_with_its_own_password_and_its_sign_in_time_is_kept(accounts_made):
    assert authenticate(accounts_made, "Camille@exemple.fr", PASSWORD, SHARED) == EDITOR
    assert account(accounts_made, "camille@exemple.fr")["derniere_connexion"] is not None
    assert authenticate(accounts_made, "camille@exemple.fr", "le mot de passe partagé", SHARED) is None
    assert authenticate(accounts_made, "camille@exemple.fr", "faux", SHARED) is None
    set_active(accounts_made, "camille@exemple.fr", False, by=ADMIN)
    assert authenticate(accounts_made, "camille@exemple.fr", PASSWORD, SHARED) is None  # disabled


def test_the_shared_password_signs_in_the_shared_account_under_the_name_typed(accounts_made):
    assert authenticate(accounts_made, "Claude", "le mot de passe partagé", SHARED) == shared_account("Claude")
    assert authenticate(accounts_made, "Claude", "le mot de passe partagé", "") is None  # not configured
    # an address of the provider's allowlist has no password here
    assert authenticate(accounts_made, "agent@prefecture.gouv.fr", "x", "") is None


def test_every_sign_in_costs_one_scrypt_whether_the_identifier_exists_or_not(accounts_made, monkeypatch):
    from cartographie.stockage import connexion

    checked = []
    real = connexion.verify_password
    monkeypatch.setattr(connexion, "verify_password", lambda pw, stored: checked.append(stored) or real(pw, stored))
    for identifiant, shared in (("personne@exemple.fr", ""), ("camille@exemple.fr", ""), ("Claude", SHARED)):
        checked.clear()
        authenticate(accounts_made, identifiant, "faux", shared)
        assert len(checked) == 1 and checked[0].startswith("scrypt$"), identifiant  # the time tells nothing
    assert checked[0] == SHARED


def test_the_provider_s_person_is_allowed_by_address_or_by_domain_and_named_by_their_claims(accounts_made):
    agent = oidc_identity(
        accounts_made, {"email": "Agent@Prefecture.gouv.fr", "given_name": "Alex", "usual_name": "Roy"}
    )
    assert agent == Identity("agent@prefecture.gouv.fr", "Alex Roy", "administrateur", "oidc")
    chargee = oidc_identity(accounts_made, {"email": "lea@crpv.fr", "name": "Léa"})
    assert chargee == Identity("lea@crpv.fr", "Léa", "editeur", "oidc")
    assert "n'est pas autorisée" in oidc_identity(accounts_made, {"email": "x@ailleurs.fr", "name": "X"})
    assert "vérifiée" in oidc_identity(accounts_made, {"email": "lea@crpv.fr", "email_verified": False})
    assert "vérifiée" in oidc_identity(accounts_made, {"name": "Sans adresse"})
    # one address taken off inside an allowed domain: refused, now and at the next action
    create_account(accounts_made, "ex@crpv.fr", "Ex", "editeur", by=ADMIN, methode="oidc")
    set_active(accounts_made, "ex@crpv.fr", False, by=ADMIN)
    assert "n'est pas autorisée" in oidc_identity(accounts_made, {"email": "ex@crpv.fr"})
    assert current(accounts_made, Identity("ex@crpv.fr", "Ex", "editeur", "oidc")) is None
    set_role(accounts_made, "@crpv.fr", "administrateur", by=ADMIN)
    assert current(accounts_made, chargee).role == "administrateur"


def test_each_audit_entry_names_the_person_their_identifier_and_how_they_signed_in(accounts_made):
    item = accounts_made.propose_rencontre({"evenement_id": "", "titre": "Titre", "contenu": "Texte assez long."})
    accounts_made.approve_rencontre(item, EDITOR)
    entry = accounts_made.audit_log()[0]
    assert (entry["qui"], entry["identifiant"], entry["methode"], entry["action"]) == (
        "Camille Martin", "camille@exemple.fr", "local", "approbation"
    )  # fmt: skip
    first = accounts_made.audit_log()[-1]
    assert (first["qui"], first["identifiant"], first["methode"]) == ("Dominique Roux", "dominique@exemple.fr", "local")


def test_an_editor_s_restore_backup_and_settings_are_refused_and_nothing_is_written(accounts_made, tmp_path):
    accounts_made.set_setting(REFUSED_WORDS_SETTING, ["interdit"], EDITOR)  # live keywords: an editor's
    backup = accounts_made.export_backup(ADMIN)
    before = accounts_made.audit_log(limit=1000)
    with pytest.raises(ValidationError, match="réservé au rôle administrateur"):
        accounts_made.export_backup(EDITOR)
    with pytest.raises(ValidationError, match="réservé au rôle administrateur"):
        accounts_made.set_setting(DEMO_SETTING, "non", EDITOR)
    empty = Store(f"sqlite:///{tmp_path / 'vide.sqlite3'}")
    empty.migrate()
    for target in (accounts_made, empty):
        with pytest.raises(ValidationError, match="restaurer une sauvegarde est réservé au rôle administrateur"):
            target.restore_backup(backup, EDITOR)
    assert accounts_made.audit_log(limit=1000) == before and accounts_made.setting(DEMO_SETTING) is None
    assert empty.is_empty()
    assert empty.restore_backup(backup, ADMIN)["journal"] == len(before)  # identities restored with the log
    restored = empty.audit_log(limit=1000)
    assert {(e["identifiant"], e["methode"]) for e in restored[1:]} == {
        (e["identifiant"], e["methode"]) for e in before
    }


def test_an_unknown_action_is_refused_to_everyone_signed_in(store):
    with store.engine.begin() as conn, pytest.raises(ValidationError):
        store.log(conn, ADMIN, "action_inconnue", "base", None)
    assert store.audit_log() == []


def test_nobody_changes_their_own_account_from_the_page(accounts_made):
    create_account(accounts_made, "dominique@exemple.fr", "Dominique Roux", "administrateur", by=ADMIN,
                   empreinte=hash_password(PASSWORD))  # fmt: skip
    from cartographie.domaine.comptes import AccountError

    with pytest.raises(AccountError, match="son propre compte"):
        set_active(accounts_made, "dominique@exemple.fr", False, by=ADMIN)


def test_a_deleted_account_signs_in_no_more_and_the_log_keeps_what_it_did(accounts_made):
    from cartographie.stockage.comptes import delete_account

    item = accounts_made.propose_rencontre({"evenement_id": "", "titre": "Titre", "contenu": "Texte assez long."})
    accounts_made.approve_rencontre(item, EDITOR)
    delete_account(accounts_made, "camille@exemple.fr", by=ADMIN)
    assert account(accounts_made, "camille@exemple.fr") is None and current(accounts_made, EDITOR) is None
    assert authenticate(accounts_made, "camille@exemple.fr", PASSWORD, "") is None
    log = accounts_made.audit_log()
    assert (log[0]["action"], log[0]["avant"]) == (
        "compte_supprime",
        {"identifiant": "camille@exemple.fr", "role": "editeur"},
    )
    assert log[1]["identifiant"] == "camille@exemple.fr"
