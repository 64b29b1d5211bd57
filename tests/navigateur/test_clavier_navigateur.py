"""With the keyboard alone: answering the survey, and proposing an experience.

The editors' pages, signed in, are walked here (axe, French, cut text) once the proposal waits for them.
"""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.aides.navigateur import sign_in_editor, wait_for_app
from tests.aides.parcours import check_page, open_walked, ready

FOCUSED = """() => { const e = document.activeElement;
  return {tag: e.tagName, type: e.getAttribute('type'), role: e.getAttribute('role'),
          name: (e.getAttribute('aria-label') || e.innerText || '').trim().slice(0, 60),
          radio: Boolean(e.closest('[data-testid="stRadio"]')),
          multi: Boolean(e.closest('[data-testid="stMultiSelect"]')),
          select: Boolean(e.closest('[data-testid="stSelectbox"]'))}; }"""


def _answer_with_keys(page, focused: dict, done: set, text: str) -> None:
    """Answer the focused field as a keyboard user would (first option, or ``text``)."""
    key = (focused["name"], focused["radio"])
    if focused["radio"]:
        group = page.evaluate("() => document.activeElement.getAttribute('name')")
        if group not in done:
            done.add(group)
            page.keyboard.press("Space")
            wait_for_app(page)
    elif (focused["multi"] or focused["select"]) and focused["role"] == "combobox":
        if key not in done:
            done.add(key)
            options = page.locator('[role="option"]').first
            for _ in range(3):  # a rerun may still be drawing the list: the key opens it once it is ready
                wait_for_app(page)
                if page.evaluate("() => document.activeElement.getAttribute('aria-expanded')") != "true":
                    page.keyboard.press("ArrowDown")
                try:
                    options.wait_for(state="attached", timeout=3_000)
                    break
                except PlaywrightTimeout:
                    continue
            highlighted = page.evaluate(
                """() => { const id = document.activeElement.getAttribute('aria-activedescendant');
                           const option = id && document.getElementById(id);
                           return option ? option.innerText : ''; }"""
            )
            if "Tout sélectionner" in highlighted or not highlighted:  # a real answer, not « all of them »
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Enter")
            if focused["multi"]:
                page.keyboard.press("Escape")
            wait_for_app(page)
    elif focused["tag"] == "INPUT" and focused["type"] == "text" and key not in done:
        done.add(key)
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        wait_for_app(page)


def test_the_survey_is_answered_with_the_keyboard_alone(page, writing_server_url):
    page.goto(f"{writing_server_url}/enquete", wait_until="domcontentloaded")
    send = page.get_by_role("button", name="Envoyer mes réponses")
    send.wait_for(timeout=60_000)
    wait_for_app(page)
    page.locator("h1").first.focus()
    done: set = set()
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["name"].startswith("Envoyer mes réponses"):
            page.keyboard.press("Enter")
            break
        _answer_with_keys(page, focused, done, "Confiance")
    page.get_by_text("Merci ! Votre réponse est enregistrée").wait_for(timeout=30_000)


def _tab_to(page, target, limit: int = 60) -> None:
    """Press Tab until the focus is on ``target`` (a locator)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            return
    raise AssertionError(f"jamais atteint au clavier : {target}")


def test_an_experience_is_proposed_with_the_keyboard_alone_and_the_editors_pages_are_walked(
    page, writing_server_url, axe_source
):
    page.goto(f"{writing_server_url}/cooperations", wait_until="domcontentloaded")
    page.get_by_role("button", name="Envoyer la proposition").wait_for(timeout=60_000)
    wait_for_app(page)
    # A screen-reader user jumps to the form's heading (the reading point moves there), then tabs.
    page.get_by_role("heading", name="Proposer une expérience").evaluate("e => { e.tabIndex = -1; e.focus(); }")
    _tab_to(page, page.get_by_label("Titre", exact=True))
    page.keyboard.type("Atelier clavier")
    _tab_to(page, page.get_by_label("Résumé : qui coopère, sur quoi, ce qui l'a rendu possible"))
    page.keyboard.type("Un centre social et la commune coopèrent sur l'accès aux droits.")
    _tab_to(page, page.locator(".st-key-prop_territoires input"))
    page.keyboard.type("Vandœuvre-lès")
    page.get_by_role("option", name="Commune Vandœuvre-lès-Nancy (54547)").wait_for(timeout=10_000)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_for_app(page)
    # The actors: plain fields, each reached with Tab and read by its label.
    _tab_to(page, page.get_by_label("Acteur 1 : organisation", exact=True))
    page.keyboard.type("Centre social Jules Ferry")
    _tab_to(page, page.locator(".st-key-prop_acteur_1_type input"))
    page.keyboard.type("Centre so")
    page.get_by_role("option", name="Centre social", exact=True).wait_for(timeout=10_000)
    page.keyboard.press("Enter")
    _tab_to(page, page.get_by_label("Acteur 1 : rôle", exact=True))
    page.keyboard.type("Porteur")
    _tab_to(page, page.get_by_role("button", name="Envoyer la proposition"))
    page.keyboard.press("Enter")
    page.get_by_text("Merci ! Votre proposition sera relue").wait_for(timeout=30_000)
    # An editor sees it as sent: the actor, its type by its French name, its role.
    page.goto(f"{writing_server_url}/moderation", wait_until="domcontentloaded")
    wait_for_app(page)
    sign_in_editor(page)
    page.get_by_text("Atelier clavier").first.click()
    page.get_by_text("Centre social Jules Ferry (Centre social) : Porteur").wait_for(timeout=30_000)
    page.get_by_text("Territoires : Commune Vandœuvre-lès-Nancy (54547)").wait_for()
    # The editors' pages, signed in, with a proposal to moderate.
    ready(page)
    problems = check_page(page, axe_source, "/moderation (connecté)")
    page.get_by_role("tab", name="Comptes").click()  # the administrators' tab: accounts and allowlist
    page.get_by_role("button", name="Ajouter").wait_for()
    problems += check_page(page, axe_source, "/moderation, onglet Comptes")
    for address in ("/rencontres", "/cooperations"):  # the import page is walked with an import
        open_walked(page, f"{writing_server_url}{address}")
        # The pages a visitor sees too are checked by axe where they are walked; signed in, they gain French text.
        problems += check_page(page, None, f"{address} (connecté)")
    assert problems == [], "\n".join(problems)
