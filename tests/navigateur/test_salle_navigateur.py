"""The room on a phone and on the projector: the QR code's address, the keyword limit, the survey's errors.

Each of these pages is also walked here for everything a browser can tell (axe, French, cut text): the projector's
live view, and the two pages a phone opens.
"""

from __future__ import annotations

import re

from cartographie.ui.cache import qr_png
from tests.aides.navigateur import ARTIFACTS, external_requests, type_keyword, wait_for_app
from tests.aides.parcours import axe_and_cut_problems, check_page, french_problems, ready

PHONE = {"width": 390, "height": 844}


def _pixels(png: bytes):
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    return image.size, image.tobytes()


def _phone(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda req: tab.requests.append(req.url))
    return context, tab


def test_the_qr_code_opens_the_address_the_browser_used_and_says_when_phones_cannot(browser, server_url, axe_source):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.requests = []
    page.on("request", lambda req: page.requests.append(req.url))
    page.goto(f"{server_url}/direct?session=qr-test&ecran=1", wait_until="domcontentloaded")
    # The screen reopens once with its scale in the address: read the page after that, not before (a
    # sample taken during the reload found no warning, once in a full run).
    page.wait_for_url("**echelle=**", timeout=60_000)
    wait_for_app(page)
    expected = f"{server_url}/direct?session=qr-test"
    page.get_by_text(expected, exact=True).first.wait_for(timeout=30_000)
    page.locator(f'img[alt="Code QR qui ouvre l\'adresse {expected}"]').wait_for(timeout=30_000)  # its alternative
    image = page.locator('[data-testid="stImage"] img').first
    image.wait_for(timeout=30_000)
    drawn = page.request.get(
        image.get_attribute("src")
        if image.get_attribute("src").startswith("http")
        else f"{server_url}{image.get_attribute('src')}"
    ).body()
    # The very code segno draws for this address, at the size of the screen, never resampled.
    assert any(_pixels(drawn) == _pixels(qr_png(expected, width)) for width in range(29, 600, 29))
    # 127.0.0.1 only opens on this machine: the organiser is told, in French, how to fix it.
    page.get_by_text("les téléphones de la salle ne pourront pas s'y connecter").first.wait_for(timeout=30_000)
    ready(page)
    problems = check_page(page, axe_source, "/direct?ecran=1")
    assert problems == [], "\n".join(problems)
    assert external_requests(page) == []
    context.close()


def test_a_reload_does_not_give_a_participant_more_keywords(browser, server_url, axe_source):
    context, phone = _phone(browser)
    phone.goto(f"{server_url}/direct?session=limite-rechargement", wait_until="domcontentloaded")
    phone.get_by_label("Votre mot-clé").wait_for(timeout=30_000)
    ready(phone)
    problems = axe_and_cut_problems(phone, axe_source, "/direct (téléphone)")
    # A phone gets the form first, no QR code of its own page above it.
    assert phone.locator('[data-testid="stImage"]').count() == 0
    for word in ("Confiance", "Écoute", "Temps"):
        type_keyword(phone, word)
        phone.get_by_role("button", name="Envoyer").click()
        phone.get_by_text("Merci").first.wait_for(timeout=30_000)
        wait_for_app(phone)
    assert "carto_participant=" in phone.evaluate("document.cookie")  # what a reload sends back
    phone.reload(wait_until="domcontentloaded")
    phone.get_by_label("Votre mot-clé").wait_for(timeout=30_000)
    wait_for_app(phone)
    type_keyword(phone, "Quatrième")
    phone.get_by_role("button", name="Envoyer").click()
    phone.get_by_text("déjà proposé 3 mots-clés").first.wait_for(timeout=30_000)
    # A new tab of the same browser: still three.
    other = context.new_page()
    other.goto(f"{server_url}/direct?session=limite-rechargement", wait_until="domcontentloaded")
    other.get_by_label("Votre mot-clé").wait_for(timeout=30_000)
    wait_for_app(other)
    type_keyword(other, "Cinquième")
    other.get_by_role("button", name="Envoyer").click()
    other.get_by_text("déjà proposé 3 mots-clés").first.wait_for(timeout=30_000)
    phone.screenshot(path=str(ARTIFACTS / "direct-telephone.png"))
    problems += french_problems(phone, "/direct (téléphone)")  # its refusal's words too
    assert problems == [], "\n".join(problems)
    assert external_requests(phone) == []
    context.close()


def test_the_survey_on_a_phone_shows_each_error_at_its_question(browser, server_url, axe_source):
    context, phone = _phone(browser)
    phone.goto(f"{server_url}/enquete", wait_until="domcontentloaded")
    phone.get_by_role("button", name="Envoyer mes réponses").wait_for(timeout=30_000)
    ready(phone)
    problems = axe_and_cut_problems(phone, axe_source, "/enquete (téléphone)")
    # Touch-sized choices.
    heights = phone.evaluate(
        "() => [...document.querySelectorAll('[data-testid=\"stRadio\"] label')]"
        ".map(l => l.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44, heights
    # « Autre » asks for its precision only once chosen.
    assert phone.get_by_label(re.compile("Précisez « Autre »")).count() == 0
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    summary = phone.get_by_text("Vos réponses ne sont pas encore enregistrées").first
    summary.wait_for(timeout=30_000)
    wait_for_app(phone)
    error = phone.locator("#question-type_acteur")
    assert "obligatoire" in error.inner_text().lower()
    # The summary's link leads to the question.
    phone.locator('a[href="#question-type_acteur"]').first.click()
    phone.wait_for_function(
        """() => { const r = document.querySelector('#question-type_acteur').getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        timeout=10_000,
    )
    phone.screenshot(path=str(ARTIFACTS / "enquete-telephone-erreur.png"))
    # No label cut in the middle of a word.
    labels = phone.evaluate(
        "() => [...document.querySelectorAll('[data-testid=\"stWidgetLabel\"]')].map(l => l.innerText)"
    )
    assert not any(re.search(r"\(trois réponses au p$", label) for label in labels)
    problems += french_problems(phone, "/enquete (téléphone)")  # its errors' words too
    assert problems == [], "\n".join(problems)
    assert external_requests(phone) == []
    context.close()
