"""With the keyboard alone: answering the survey, and proposing an experience."""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.aides.navigateur import wait_for_app

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


def test_the_survey_is_answered_with_the_keyboard_alone(page, server_url):
    page.goto(f"{server_url}/enquete", wait_until="domcontentloaded")
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
