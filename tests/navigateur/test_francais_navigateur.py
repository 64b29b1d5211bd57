"""Every text a visitor sees or hears is French: no English word of Streamlit's or Plotly's, no raw code.

The test collects the visible text and the accessible names (``aria-label``, ``title``,
``placeholder``, ``alt``) of every page, after opening what hides more text (the main menu, a
list's options, a text field's instructions, a chart's toolbar).
"""

from __future__ import annotations

import re

import pytest

from cartographie.domaine.presentation import SLIDES
from tests.aides.navigateur import PAGES_TO_WALK, RESULTS_VIEWS, sign_in_editor, wait_for_app

#: English words and phrases that French never uses (« options », « photo »… are French too).
ENGLISH = re.compile(
    r"\b(skip|main content|select all|choose|press enter|submit|download|search|fullscreen|print|record|"
    r"about|made with|link to|heading|help for|available|clear|show|hide|toggle|sort|copy|rows?|columns|"
    r"chart|zoom (in|out)|reset|autoscale|sidebar|collapse|expand|upload|browse|drag|drop|files?|"
    r"no results|settings|rerun|loading|running|stop)\b",
    re.IGNORECASE,
)
#: Raw values that must never be shown: Python's None, storage names, snake_case identifiers.
RAW = re.compile(r"\bNone\b|\breponses\b|\benquete\b|\b[a-z]+_[a-z_]+\b")

COLLECT = """() => {
  const found = [];
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  for (const el of document.body.querySelectorAll('*')) {
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'svg', 'path'].includes(el.tagName)) continue;
    // Icons drawn from a font's ligatures (« bar_chart ») are hidden from screen readers.
    if (el.closest('[aria-hidden="true"], [data-testid="stIconMaterial"]')) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = el.getAttribute(name);
      if (value) found.push(`${name}=${value}`);
    }
    if (!visible(el)) continue;
    for (const node of el.childNodes) {
      if (node.nodeType === 3 && node.textContent.trim()) found.push(node.textContent.trim());
    }
  }
  return found;
}"""


def _reveal(page) -> None:
    """Open what hides text: a chart's toolbar, a list's options, a field's instructions."""
    chart = page.locator(".js-plotly-plot:visible").first
    if chart.count():
        chart.hover()
    field = page.locator('[data-testid="stTextInput"] input:visible, [data-testid="stTextArea"] textarea:visible').first
    if field.count() and field.is_editable():
        field.click()
        field.type("ab")
    listbox = page.locator('[data-testid="stMultiSelect"] input:visible').first
    if listbox.count():
        listbox.click()
        page.keyboard.press("ArrowDown")
        page.keyboard.type("e")  # a filtered list offers to select its matches


def _offending(texts: list[str]) -> list[str]:
    bad = []
    for text in texts:
        if ENGLISH.search(text) or RAW.search(text):
            bad.append(text[:120])
    return sorted(set(bad))


def _texts(page) -> list[str]:
    """What the page shows and says now, then once its hidden text is revealed, then its main menu."""
    page.wait_for_function("() => document.documentElement.lang === 'fr'", timeout=10_000)
    texts = page.evaluate(COLLECT)
    _reveal(page)
    page.wait_for_timeout(300)
    texts += page.evaluate(COLLECT)
    page.keyboard.press("Escape")
    menu = page.locator('[data-testid="stMainMenu"] button').first
    if menu.count() and menu.is_visible():
        menu.click()
        page.wait_for_timeout(300)
        texts += page.evaluate(COLLECT)
        page.keyboard.press("Escape")
    return texts


def _open(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.locator('[data-testid="stHeading"], .diapo-titre').first.wait_for(timeout=60_000)
    wait_for_app(page)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("address", PAGES_TO_WALK)
def test_every_page_speaks_french(page, server_url, address):
    _open(page, f"{server_url}{address}")
    bad = _offending(_texts(page))
    assert bad == [], f"{address} : {bad}"


def test_every_results_view_speaks_french(page, server_url):
    _open(page, f"{server_url}/resultats")
    found = {}
    for view in RESULTS_VIEWS:
        page.get_by_text(view, exact=True).first.click()
        wait_for_app(page)
        found[view] = _offending(_texts(page))
    assert not any(found.values()), {view: bad for view, bad in found.items() if bad}


def test_every_slide_speaks_french(page, server_url):
    found = {}
    for slide in SLIDES:
        _open(page, f"{server_url}/presentation?ecran=1&echelle=0.750&diapos={slide}&intervalle=120")
        found[slide] = _offending(_texts(page))
    assert not any(found.values()), {slide: bad for slide, bad in found.items() if bad}


def test_the_editors_pages_signed_in_speak_french(page, server_url):
    _open(page, f"{server_url}/moderation")
    sign_in_editor(page)
    found = {"/moderation": _offending(_texts(page))}
    for address in ("/importer", "/rencontres", "/cooperations"):
        _open(page, f"{server_url}{address}")
        found[address] = _offending(_texts(page))
    assert not any(found.values()), {address: bad for address, bad in found.items() if bad}


def test_a_missing_page_and_refused_uploads_are_said_in_french(page, server_url):
    """What Streamlit says by itself when an address is wrong or a file is refused by the browser."""
    page.goto(f"{server_url}/page-qui-n-existe-pas", wait_until="domcontentloaded")
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=60_000)
    page.wait_for_function("() => document.documentElement.lang === 'fr'", timeout=10_000)
    page.get_by_text("Page introuvable").wait_for(timeout=10_000)
    assert _offending([t for t in page.evaluate(COLLECT) if t]) == []
    page.keyboard.press("Escape")
    _open(page, f"{server_url}/importer")
    sign_in_editor(page)
    found = {}
    for name, mime, size in (("export.csv", "text/csv", 21 * 2**20), ("carte.geojson", "application/geo+json", 10)):
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": name, "mimeType": mime, "buffer": b"a" * size}]
        )
        uploader = page.locator('[data-testid="stFileUploader"]')
        uploader.get_by_text(name).first.hover()  # the browser's refusal is said in a tooltip
        page.get_by_text("Fichier refusé").first.wait_for(timeout=30_000)
        found[name] = _offending(page.evaluate(COLLECT))
        uploader.get_by_role("button", name=f"Retirer {name}").click()
    assert not any(found.values()), found
