"""The presentation screen at 1920×1080 in Chromium, with no internet: every slide, no overflow, auto-advance."""

from __future__ import annotations

import pytest

from cartographie.domaine.presentation import SLIDES
from tests.aides.navigateur import ARTIFACTS, MAP_FRAME, QPV_DRAWN, external_requests, wait_for_app

# Every text box of a slide whose content would be cut or would spill out of it.
OVERFLOWS = """() => {
  const boxes = document.querySelectorAll(
    '.diapo-titre, .diapo-territoire, .diapo-compteur, .diapo-chiffre, .diapo-chiffre div, .diapo-texte, '
    + '.diapo-texte li, .diapo-pied, .diapo-demo, [data-testid="stMain"] button, [class*="st-key-diapo_"]');
  const bad = [];
  for (const el of boxes) {
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
      const size = `${el.scrollWidth}x${el.scrollHeight} > ${el.clientWidth}x${el.clientHeight}`;
      bad.push(`${el.className || el.tagName}: ${size}`);
    }
  }
  const main = document.querySelector('[data-testid="stMain"]');
  if (main.scrollHeight > window.innerHeight + 2) bad.push(`page: ${main.scrollHeight} > ${window.innerHeight}`);
  return bad;
}"""


@pytest.fixture
def screen(browser):
    """A 1920×1080 page (a projector) that records every request."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda req: tab.requests.append(req.url))
    yield tab
    context.close()


def _counter(screen) -> str:
    return screen.locator('[data-testid="diapo-compteur"]').inner_text()


def _wait_for_slide(screen, number: int, total: int, slide: str) -> None:
    screen.wait_for_function(
        f"() => document.querySelector('[data-testid=\"diapo-compteur\"]')?.innerText === '{number} / {total}'",
        timeout=60_000,
    )
    wait_for_app(screen)
    if slide == "carte":
        screen.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for(
            state="attached", timeout=60_000
        )
        screen.wait_for_function(
            f"() => document.querySelector('{MAP_FRAME}').getBoundingClientRect().height >= 500", timeout=30_000
        )
    elif slide in ("contrats", "rencontres", "enquete", "reseau"):
        # A chart, or the sentence that replaces it (fewer than 5 survey answers, no experience…).
        screen.wait_for_function(
            f"() => document.querySelector('.st-key-diapo_{slide} .main-svg, .st-key-diapo_{slide} .diapo-texte')",
            timeout=60_000,
        )
    screen.wait_for_timeout(500)  # let fonts and the last layout settle before measuring


def test_every_slide_is_drawn_full_screen_without_overflow_and_offline(screen, server_url):
    screen.goto(f"{server_url}/presentation?ecran=1&intervalle=120", wait_until="domcontentloaded")
    total = len(SLIDES)
    for number, slide in enumerate(SLIDES, start=1):
        _wait_for_slide(screen, number, total, slide)
        # Streamlit's chrome is hidden.
        for chrome in ("stHeader", "stSidebar", "stToolbar", "stStatusWidget"):
            element = screen.locator(f'[data-testid="{chrome}"]')
            assert element.count() == 0 or not element.first.is_visible(), chrome
        assert screen.locator(".diapo-titre").inner_text() == SLIDES[slide]
        screen.screenshot(path=str(ARTIFACTS / f"presentation-{number}-{slide}.png"))
        overflows = screen.evaluate(OVERFLOWS)
        assert overflows == [], (slide, overflows)
        if slide == "carte":
            assert screen.frame_locator(MAP_FRAME).locator(QPV_DRAWN).count() == 123
        screen.get_by_role("button", name="Suivante").click()
    _wait_for_slide(screen, 1, total, "chiffres")  # back to the first one
    assert external_requests(screen) == []


def test_slides_advance_by_themselves_and_with_the_keyboard(screen, server_url):
    screen.goto(
        f"{server_url}/presentation?ecran=1&intervalle=5&diapos=chiffres,contrats,mots", wait_until="domcontentloaded"
    )
    _wait_for_slide(screen, 1, 3, "chiffres")
    # The timer moves on by itself after 5 s.
    screen.wait_for_function(
        "() => document.querySelector('[data-testid=\"diapo-compteur\"]')?.innerText === '2 / 3'", timeout=30_000
    )
    screen.get_by_role("button", name="Pause").click()
    wait_for_app(screen)
    screen.locator("body").press("ArrowRight")
    screen.wait_for_function(
        "() => document.querySelector('[data-testid=\"diapo-compteur\"]')?.innerText === '3 / 3'", timeout=30_000
    )
    screen.wait_for_timeout(7_000)  # paused: no move
    assert _counter(screen) == "3 / 3"
    screen.locator("body").press("ArrowLeft")
    screen.wait_for_function(
        "() => document.querySelector('[data-testid=\"diapo-compteur\"]')?.innerText === '2 / 3'", timeout=30_000
    )
