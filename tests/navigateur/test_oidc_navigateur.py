"""Editors sign in through their organisation's OpenID Connect provider (a real one on the loopback, real Chromium).

The provider proves who someone is; the app's allowlist decides whether they edit. Whatever goes
wrong (an address not allowed, another issuer or audience, an expired token, a state changed on the
way back) ends with a French message, nobody signed in, and nothing written.
"""

from __future__ import annotations

import re

import pytest

from cartographie.domaine.comptes import server_console
from cartographie.stockage.comptes import create_account
from tests.aides.navigateur import external_requests, wait_for_app

PROVIDER_BUTTON = "Se connecter avec le compte de votre organisation"
LEA = {"email": "lea@crpv.fr", "email_verified": True, "given_name": "Léa", "usual_name": "Petit"}


@pytest.fixture(scope="module")
def allowed(oidc):
    """The resource centre's domain may edit; one meeting proposal waits for an editor."""
    provider, url, store = oidc
    create_account(store, "@crpv.fr", "Centre de ressources", "editeur", by=server_console(), methode="oidc")
    store.propose_rencontre({"evenement_id": "", "titre": "Rencontre à valider", "contenu": "À Reims, en mars."})
    return provider, url, store


def _to_the_provider_and_back(page, url: str) -> None:
    """From the editors' page, through the provider, back on the app's home page (a full page load)."""
    page.get_by_role("button", name=PROVIDER_BUTTON).click()
    page.wait_for_url(re.compile(re.escape(url) + r"/?$"), timeout=30_000)
    wait_for_app(page)


def _editors_page(page) -> None:
    """The editors' page through the app's own menu (no page load)."""
    page.get_by_role("link", name="Contributions").click()
    wait_for_app(page)


def test_whatever_goes_wrong_with_the_provider_nobody_is_signed_in_nothing_is_written_and_it_is_said(allowed, page):
    provider, url, store = allowed
    before = store.audit_log(limit=1000)
    page.goto(f"{url}/moderation", wait_until="domcontentloaded")
    wait_for_app(page)
    # An address the allowlist does not hold: the provider signs them in, the app refuses them.
    provider.sign_in_as({"email": "x@ailleurs.fr", "name": "Xavier"})
    _to_the_provider_and_back(page, url)
    _editors_page(page)
    page.get_by_text("Connexion refusée : l'adresse x@ailleurs.fr n'est pas autorisée à éditer").wait_for()
    assert page.get_by_role("tab").count() == 0  # no editors' tab
    page.get_by_role("button", name="Se déconnecter du fournisseur d'identité").click()
    page.wait_for_url(re.compile(re.escape(url) + r"/?$"), timeout=30_000)
    wait_for_app(page)
    # A token the app must not trust, or a state that is not the one it sent.
    for fault in ("issuer", "audience", "expired", "state"):
        issued = provider.tokens_issued
        provider.sign_in_as(LEA, fault=fault)
        _editors_page(page)
        _to_the_provider_and_back(page, url)
        page.get_by_text("La connexion par le fournisseur d'identité n'a pas abouti").wait_for(timeout=30_000)
        assert provider.tokens_issued == issued + (fault != "state"), fault  # the code was exchanged, then refused
        _editors_page(page)
        page.get_by_role("button", name=PROVIDER_BUTTON).wait_for()  # not signed in
        assert page.get_by_text("Connecté :").count() == 0, fault
    assert store.audit_log(limit=1000) == before
    assert external_requests(page) == []


def test_an_editor_signs_in_through_the_provider_moderates_and_the_log_names_them(allowed, page):
    provider, url, store = allowed
    provider.sign_in_as(LEA)
    page.goto(f"{url}/moderation", wait_until="domcontentloaded")
    wait_for_app(page)
    _to_the_provider_and_back(page, url)
    assert page.get_by_text("n'a pas abouti").count() == 0
    _editors_page(page)
    banner = page.get_by_text(
        re.compile(r"^Connecté : Léa Petit \(lea@.?crpv\.fr, fournisseur d.identité\) — rôle éditeur")
    )
    banner.wait_for()
    page.get_by_role("tab", name="Rencontres proposées").click()
    page.get_by_text("Rencontre à valider").click()
    page.get_by_role("button", name="Accepter").click()
    page.get_by_text("0 proposition(s) en attente").wait_for(timeout=30_000)
    entry = store.audit_log()[0]
    assert (entry["qui"], entry["identifiant"], entry["methode"], entry["action"]) == (
        "Léa Petit", "lea@crpv.fr", "oidc", "approbation"
    )  # fmt: skip
    # An editor's role: the backup is refused, its buttons absent.
    page.get_by_role("tab", name="Sauvegarde").click()
    page.get_by_text("télécharger une sauvegarde est réservé au rôle administrateur").wait_for()
    assert page.get_by_role("button", name="Restaurer cette sauvegarde").count() == 0
    # Signing out ends the session and the provider's cookie.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(re.escape(url) + r"/?$"), timeout=30_000)
    wait_for_app(page)
    _editors_page(page)
    page.get_by_role("button", name=PROVIDER_BUTTON).wait_for()
    assert external_requests(page) == []
