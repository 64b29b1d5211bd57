"""Every page and state a visitor opens, walked once: accessible (axe-core), French, offline.

Each page state is opened once and checked for everything a browser can tell about it:

* **accessibility**: axe-core, the rules of RGAA's reference (WCAG 2.1 A and AA) and axe's best
  practices; no critical, serious or moderate violation. axe-core comes from npm
  (``tests/navigateur/js``, installed by ``scripts/tests.sh``) and is injected by Playwright into
  the page: nothing is downloaded while the tests run;
* **French**: the visible text and the accessible names (``aria-label``, ``title``,
  ``placeholder``, ``alt``), then again once what hides more text is opened (a chart's toolbar,
  a list's options, a text field's instructions, the main menu): no English word of
  Streamlit's or Plotly's, no raw code;
* **offline**: no request left 127.0.0.1;
* **legible**: no text cut without « … » (a label, a button, a title narrower than its words).

axe runs first, on the page as it opens; the text is then revealed and read.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from cartographie.domaine.presentation import SLIDES
from tests.aides.navigateur import (
    CUT_TEXT,
    PAGES_TO_WALK,
    RESULTS_VIEWS,
    external_requests,
    sign_in_editor,
    wait_for_app,
)

AXE = Path(__file__).parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
#: The rules of RGAA's reference (WCAG 2.1 A and AA) and axe-core's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
#: Impacts that fail the test.
FAILING = {"critical", "serious", "moderate"}

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.html.slice(0, 160))}));
}"""

#: The page's French script has run (it names the sidebar, a region that scrolls, and puts it in the tab order).
FRENCH_READY = """() => document.documentElement.lang === 'fr'
  && !document.querySelector('[data-testid="stSidebarContent"]:not([tabindex])')"""

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


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        message = "axe-core absent : lancez ./scripts/tests.sh (npm ci dans tests/navigateur/js)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


#: The files the page shows have arrived: its fonts, its images, its frames' documents. (Not Playwright's
#: « networkidle », which waits for 500 ms without any request: a page whose map or chart fetches a file
#: now and then never reached it within 30 s on a loaded machine, once in a full run.)
FILES_ARRIVED = """() => document.fonts.status === 'loaded'
  && [...document.images].every((image) => image.complete)
  && [...document.querySelectorAll('iframe')].every((frame) => {
       try { return frame.contentDocument === null || frame.contentDocument.readyState === 'complete'; }
       catch (error) { return true; } })"""


def _ready(page) -> None:
    """The page has run, its files have arrived and its French script has done its work."""
    wait_for_app(page)
    page.wait_for_function(FILES_ARRIVED, timeout=30_000)
    page.wait_for_function(FRENCH_READY, timeout=10_000)


def _open(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.locator('[data-testid="stHeading"], .diapo-titre').first.wait_for(timeout=60_000)
    _ready(page)


def _violations(page, axe_source: str) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    return [v for v in page.evaluate(RUN_AXE, TAGS) if v["impact"] in FAILING]


def _visible(page, selector: str) -> None:
    page.locator(selector).first.wait_for(state="visible", timeout=10_000)


def _reveal(page) -> None:
    """Open what hides text, waiting for what it shows: a chart's toolbar, a field's instructions, a list's options."""
    chart = page.locator(".js-plotly-plot:visible").first
    if chart.count():  # its toolbar's names are read from the page (present from the start, shown on hover)
        chart.hover()
    field = page.locator('[data-testid="stTextInput"] input:visible, [data-testid="stTextArea"] textarea:visible').first
    if field.count() and field.is_editable():
        field.click()
        field.type("ab")
        _visible(page, '[data-testid="InputInstructions"]')
    listbox = page.locator('[data-testid="stMultiSelect"] input:visible').first
    if listbox.count():
        listbox.click()
        page.keyboard.press("ArrowDown")
        page.keyboard.type("e")  # a filtered list says what it offers
        _visible(page, '[role="listbox"], [data-baseweb="popover"]')


def _texts(page) -> list[str]:
    """What the page shows and says now, then once its hidden text is revealed, then its main menu."""
    texts = page.evaluate(COLLECT)
    _reveal(page)
    texts += page.evaluate(COLLECT)
    page.keyboard.press("Escape")
    menu = page.locator('[data-testid="stMainMenu"] button').first
    if menu.count() and menu.is_visible():
        menu.click()
        _visible(page, '[data-testid="stMainMenuPopover"], [data-testid="stMainMenuList"]')
        texts += page.evaluate(COLLECT)
        page.keyboard.press("Escape")
    return texts


def _english(texts: list[str]) -> list[str]:
    return sorted({text[:120] for text in texts if ENGLISH.search(text) or RAW.search(text)})


def _report(where: str, violations: list[dict]) -> str:
    return "\n".join(
        f"{where} : {v['impact']} {v['id']} ({v['help']})\n    " + "\n    ".join(v["nodes"]) for v in violations
    )


def _check(page, axe_source: str | None, where: str) -> list[str]:
    """Every problem of the page as it is now: axe's violations (unless ``axe_source`` is None), then English text."""
    problems = []
    if axe_source is not None:
        violations = _violations(page, axe_source)
        if violations:
            problems.append(_report(where, violations))
    cut = page.evaluate(CUT_TEXT)
    if cut:
        problems.append(f"{where} : texte coupé sans « … » {cut}")
    english = _english(_texts(page))
    if english:
        problems.append(f"{where} : texte non français {english}")
    return problems


@pytest.mark.parametrize("address", PAGES_TO_WALK)
def test_every_page_is_accessible_french_and_offline(page, server_url, axe_source, address):
    _open(page, f"{server_url}{address}")
    problems = _check(page, axe_source, address)
    assert problems == [], "\n".join(problems)
    assert external_requests(page) == []


def test_every_results_view_is_accessible_and_french(page, server_url, axe_source):
    _open(page, f"{server_url}/resultats")
    problems = []
    for view in RESULTS_VIEWS:
        page.get_by_text(view, exact=True).first.click()
        _ready(page)
        problems += _check(page, axe_source, f"/resultats « {view} »")
        page.keyboard.press("Escape")
    assert problems == [], "\n".join(problems)


#: What a slide's chart or map says to a screen reader: its table, hidden from the eyes only.
ALTERNATIVE = """() => {
  const drawn = document.querySelectorAll('[class*="st-key-diapo_"] .main-svg, [class*="st-key-diapo_"] iframe').length;
  const table = document.querySelector('.lecteur-ecran table');
  const box = table && table.closest('.lecteur-ecran').getBoundingClientRect();
  return {drawn, rows: table ? table.querySelectorAll('tbody tr').length : 0,
          caption: table ? table.caption.innerText : '', hidden: !box || (box.width <= 1.5 && box.height <= 1.5)};
}"""


def test_every_slide_is_accessible_and_french_with_its_alternative(page, server_url, axe_source):
    problems = []
    for slide in SLIDES:
        _open(page, f"{server_url}/presentation?ecran=1&echelle=0.750&diapos={slide}&intervalle=120")
        alternative = page.evaluate(ALTERNATIVE)
        if alternative["drawn"]:  # a chart or the map: its data as a table, for screen readers only
            assert alternative["rows"] > 0 and alternative["caption"] and alternative["hidden"], (slide, alternative)
        problems += _check(page, axe_source, f"diapositive {slide}")
    assert problems == [], "\n".join(problems)


def test_the_editors_pages_signed_in_are_accessible_and_french(page, server_url, axe_source):
    _open(page, f"{server_url}/moderation")
    sign_in_editor(page)
    _ready(page)
    problems = _check(page, axe_source, "/moderation (connecté)")
    for address in ("/importer", "/rencontres", "/cooperations"):
        _open(page, f"{server_url}{address}")
        # The pages a visitor sees too were checked by axe above; signed in, they gain French text.
        problems += _check(page, axe_source if address == "/importer" else None, f"{address} (connecté)")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("address", ["/direct", "/enquete"])
def test_phone_pages_are_accessible_and_french(browser, server_url, axe_source, address):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        phone = context.new_page()
        _open(phone, f"{server_url}{address}")
        problems = _check(phone, axe_source, f"{address} (téléphone)")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def test_a_missing_page_and_refused_uploads_are_said_in_french(page, server_url):
    """What Streamlit says by itself when an address is wrong or a file is refused by the browser."""
    page.goto(f"{server_url}/page-qui-n-existe-pas", wait_until="domcontentloaded")
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=60_000)
    # The dialog is Streamlit's; the French comes with the home page's run, which follows (slow on a loaded machine).
    page.wait_for_function("() => document.documentElement.lang === 'fr'", timeout=60_000)
    page.get_by_text("Page introuvable").wait_for(timeout=10_000)
    assert _english([t for t in page.evaluate(COLLECT) if t]) == []
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
        found[name] = _english(page.evaluate(COLLECT))
        uploader.get_by_role("button", name=f"Retirer {name}").click()
    assert not any(found.values()), found


def test_the_cut_text_check_sees_a_label_cut_without_an_ellipsis(page):
    """The check is not empty: a cut label is reported, a label ending in « … » and a short one are not."""
    page.set_content(
        '<div style="width:60px;overflow:hidden;white-space:nowrap"><span>Un libellé beaucoup trop long</span></div>'
        '<p style="width:60px;overflow:hidden;white-space:nowrap">Un titre beaucoup trop long</p>'
        '<p style="width:60px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis">Un texte suivi de …</p>'
        '<div style="width:60px;overflow:hidden"><p>court</p></div>'
    )
    cut = page.evaluate(CUT_TEXT)
    assert [entry.split(" | ")[0] for entry in cut] == ["Un libellé beaucoup trop long", "Un titre beaucoup trop long"]
