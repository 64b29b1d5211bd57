"""The editors' pages with personal accounts (AppTest): sign-in as oneself, the role on every tab, the accounts'
tab, an account disabled elsewhere ending the session at the next click."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cartographie import config
from cartographie.domaine.comptes import Identity, server_console
from cartographie.stockage.comptes import account, create_account, set_active
from cartographie.stockage.connexion import hash_password

PASSWORD = "un mot de passe assez long"


@pytest.fixture
def base(tmp_path, monkeypatch, real_folder):
    """An empty SQLite store with an editor's and an administrator's personal accounts; no shared password."""
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    monkeypatch.setenv("CARTOGRAPHIE_BASE_SQLITE", str(tmp_path / "contributions.sqlite3"))
    monkeypatch.delenv("CARTOGRAPHIE_BASE", raising=False)
    monkeypatch.delenv(config.EDITOR_HASH_ENV, raising=False)
    from cartographie.stockage.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'contributions.sqlite3'}")
    for identifiant, nom, role in (
        ("camille", "Camille Martin", "editeur"),
        ("dominique", "Dominique Roux", "administrateur"),
    ):
        create_account(store, identifiant, nom, role, by=server_console(), empreinte=hash_password(PASSWORD))
    return store


def _signed_in(page: str, identifiant: str) -> AppTest:
    at = AppTest.from_file(str(config.PROJECT_DIR / page), default_timeout=120).run()
    at.text_input(key="editeur_identifiant").set_value(identifiant)
    at.text_input(key="editeur_mdp").set_value(PASSWORD)
    at.button(key="editeur_connexion").click().run()
    assert not at.exception
    return at


def test_an_editor_signs_in_as_themself_and_the_log_names_them(base):
    item = base.propose_rencontre({"evenement_id": "", "titre": "Titre", "contenu": "Une rencontre à Metz."})
    at = _signed_in("pages/moderation.py", "Camille")
    assert at.success[0].value == "Connecté : Camille Martin \\(camille, compte personnel\\) — rôle éditeur."
    assert not at.info or "compte commun" not in at.info[0].value
    at.button(key=f"approuver_rencontre_{item}").click().run()
    entry = base.audit_log()[0]
    assert (entry["qui"], entry["identifiant"], entry["methode"], entry["action"]) == (
        "Camille Martin", "camille", "local", "approbation"
    )  # fmt: skip
    assert account(base, "camille")["derniere_connexion"] is not None


def test_an_editor_is_refused_backups_restores_accounts_and_settings_and_finds_no_widget_for_them(base):
    at = _signed_in("pages/moderation.py", "camille")
    refusals = [i.value for i in at.info]
    assert any("télécharger une sauvegarde est réservé au rôle administrateur" in r for r in refusals)
    assert any("gérer les comptes est réservé au rôle administrateur" in r for r in refusals)
    keys = {w.key for w in at.button} | {w.key for w in at.text_input}
    assert not keys & {"restaurer", "compte_ajouter", "compte_desactiver", "compte_identifiant"}
    assert not at.get("download_button")
    before = base.audit_log(limit=1000)
    at = _signed_in("pages/importer.py", "camille")
    assert any("changer les réglages est réservé au rôle administrateur" in i.value for i in at.info)
    assert "enquete_demo_enregistrer" not in {b.key for b in at.button}
    assert base.audit_log(limit=1000) == before


def test_an_administrator_adds_an_editor_and_an_allowed_domain_then_disables_the_editor(base):
    at = _signed_in("pages/moderation.py", "dominique")
    at.radio(key="compte_methode").set_value("local")
    at.text_input(key="compte_identifiant").set_value("Lea@Exemple.fr")
    at.text_input(key="compte_nom").set_value("Léa Petit")
    at.text_input(key="compte_mdp").set_value("court")
    at.button(key="compte_ajouter").click().run()
    assert "au moins 12 caractères" in at.error[0].value and account(base, "lea@exemple.fr") is None
    at.radio(key="compte_methode").set_value("local")
    at.text_input(key="compte_identifiant").set_value("Lea@Exemple.fr")
    at.text_input(key="compte_nom").set_value("Léa Petit")
    at.text_input(key="compte_mdp").set_value(PASSWORD)
    at.button(key="compte_ajouter").click().run()
    assert not at.exception and account(base, "lea@exemple.fr")["role"] == "editeur"
    at.radio(key="compte_methode").set_value("oidc")
    at.text_input(key="compte_identifiant").set_value("@crpv.fr")
    at.text_input(key="compte_nom").set_value("Centre de ressources")
    at.button(key="compte_ajouter").click().run()
    assert account(base, "@crpv.fr")["methode"] == "oidc"
    at.selectbox(key="compte_cible").set_value("lea@exemple.fr")
    at.button(key="compte_desactiver").click().run()
    assert not account(base, "lea@exemple.fr")["actif"]
    entry = base.audit_log()[0]
    assert (entry["action"], entry["identifiant"]) == ("compte_desactive", "dominique")
    at.selectbox(key="compte_cible").set_value("@crpv.fr")
    at.button(key="compte_supprimer").click().run()
    assert "Confirmer la suppression" in at.error[0].value and account(base, "@crpv.fr") is not None
    at.checkbox(key="compte_supprimer_confirme").check()
    at.button(key="compte_supprimer").click().run()
    assert account(base, "@crpv.fr") is None and base.audit_log()[0]["action"] == "compte_supprime"


def test_an_account_disabled_by_another_process_ends_the_session_at_the_next_click(base):
    item = base.propose_rencontre({"evenement_id": "", "titre": "Titre", "contenu": "Une rencontre à Metz."})
    at = _signed_in("pages/moderation.py", "camille")
    set_active(base, "camille", False, by=Identity("dominique", "Dominique Roux", "administrateur", "local"))
    before = base.audit_log(limit=1000)
    at.button(key=f"approuver_rencontre_{item}").click().run()
    assert not at.exception and "a pris fin" in at.error[0].value
    assert at.text_input(key="editeur_identifiant")  # the sign-in form again
    assert base.audit_log(limit=1000) == before and base.rencontres_proposees() == []


def test_an_editor_replaying_the_restore_button_restores_nothing(base):
    """The restore button's state sent again by hand (as a replayed widget message would set it) finds no widget
    in an editor's run, and nothing reads the file; the store would refuse the restore anyway (stockage tests)."""
    backup = base.export_backup(server_console())
    before = base.audit_log(limit=1000)
    at = _signed_in("pages/moderation.py", "camille")
    at.session_state["restaurer"] = True  # what a replayed « Restaurer cette sauvegarde » would set
    at.session_state["restauration_fichier"] = backup
    at.run()
    assert not at.exception
    assert any("télécharger une sauvegarde est réservé au rôle administrateur" in i.value for i in at.info)
    assert not any("Restauration" in m.value for m in [*at.success, *at.error])
    assert base.audit_log(limit=1000) == before
