"""Who may do what: the two roles, the shared account, identifiers and names checked before anything is stored."""

from __future__ import annotations

import pytest

from cartographie.domaine.comptes import (
    ACTIONS,
    COMPTE_COMMUN,
    AccountError,
    Identity,
    check_identifiant,
    check_nom,
    check_password,
    check_role,
    may,
    refusal,
    shared_account,
)

EDITOR = Identity("camille@exemple.fr", "Camille Martin", "editeur", "local")
ADMIN = Identity("dominique@exemple.fr", "Dominique Roux", "administrateur", "oidc")


def test_an_editor_moderates_imports_and_hides_keywords_but_never_restores_nor_manages_accounts():
    assert {action for action in ACTIONS if may(EDITOR, action)} == {"moderer", "importer", "mots_cles"}
    assert all(may(ADMIN, action) for action in ACTIONS)
    assert not may(None, "moderer") and not may(ADMIN, "action-inconnue")


def test_a_refusal_says_what_was_refused_and_who_may_do_it_in_french():
    assert refusal(EDITOR, "restaurer") == (
        "Refusé : restaurer une sauvegarde est réservé au rôle administrateur ; votre rôle est éditeur."
    )
    assert refusal(None, "moderer").startswith("Connectez-vous pour modérer les contributions")


def test_the_shared_password_is_the_shared_account_an_administrator_named_so_in_the_log():
    shared = shared_account("Camille")
    assert shared.identifiant == COMPTE_COMMUN and shared.role == "administrateur"
    assert shared.label == "compte commun – Camille (compte-commun, compte commun)"
    assert EDITOR.label == "Camille Martin (camille@exemple.fr, compte personnel)"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [(" Camille@Exemple.fr ", "camille@exemple.fr"), ("c.martin", "c.martin"), ("a+b_c-d@x.fr", "a+b_c-d@x.fr")],
)
def test_an_identifier_is_stored_trimmed_and_in_lower_case(raw, stored):
    assert check_identifiant(raw) == stored


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        ("", "Indiquez un identifiant"),
        ("a" * 255, "254 caractères au plus"),
        ("élise@exemple.fr", "lettres sans accent"),
        ("a@b@c", "un seul « @ »"),
        ("@exemple.fr", "un seul « @ »"),
        ("Compte-Commun", "réservé au mot de passe partagé"),
        ("x\u202e@exemple.fr", "lettres sans accent"),
    ],
)
def test_a_wrong_identifier_is_refused_in_french(raw, said):
    with pytest.raises(AccountError, match=said):
        check_identifiant(raw)


def test_names_roles_and_passwords_are_checked():
    assert check_nom("  Camille   Martin ") == "Camille Martin"
    for raw, said in (("", "Indiquez le nom"), ("x" * 121, "120 caractères"), ("a\x07b", "contrôle")):
        with pytest.raises(AccountError, match=said):
            check_nom(raw)
    assert check_role("editeur") == "editeur"
    with pytest.raises(AccountError, match="Rôle inconnu « chef »"):
        check_role("chef")
    with pytest.raises(AccountError, match="au moins 12 caractères"):
        check_password("court")


def test_each_logged_action_belongs_to_an_editors_action_and_an_unknown_one_to_none():
    from cartographie.domaine.comptes import action_of
    from cartographie.domaine.contributions import ACTIONS_JOURNAL, OBJETS_JOURNAL

    assert action_of("approbation", "reponse") == "moderer"
    assert action_of("masquage", "mot_cle") == "mots_cles"
    assert action_of("parametre", "mots_refuses") == "mots_cles"
    assert action_of("parametre", "enquete_demo") == "reglages"
    assert action_of("restauration", "base") == "restaurer"
    assert action_of("proposition", "experience") is None  # the public's, never a signed-in person's
    assert action_of("inconnue", "base") is None
    # every action of the log but the public's proposals can be taken by someone signed in
    objets = [*OBJETS_JOURNAL, "mots_refuses", "enquete_demo"]
    assert [a for a in ACTIONS_JOURNAL if not any(action_of(a, o) for o in objets)] == ["proposition"]


@pytest.mark.parametrize(
    ("raw", "stored"), [("@CRPV.fr", "@crpv.fr"), (" @sous.domaine.gouv.fr ", "@sous.domaine.gouv.fr")]
)
def test_a_domain_is_an_allowlist_entry_only(raw, stored):
    assert check_identifiant(raw, domain=True) == stored
    with pytest.raises(AccountError):
        check_identifiant(raw)
    for wrong in ("@fr.", "@.fr", "@nodot", "@a@b.fr"):
        with pytest.raises(AccountError):
            check_identifiant(wrong, domain=True)


def test_the_provider_s_name_is_its_name_or_proconnect_s_given_and_usual_names():
    from cartographie.domaine.comptes import oidc_name

    assert oidc_name({"name": " Léa  Martin "}) == "Léa Martin"
    assert oidc_name({"given_name": "Alex", "usual_name": "Roy"}) == "Alex Roy"
    assert oidc_name({"given_name": "Alex", "family_name": "Roy", "name": "\x00"}) == "Alex Roy"
    assert oidc_name({"name": "x" * 500}) == "" and oidc_name({}) == ""
