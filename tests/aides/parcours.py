"""The page walk: what a browser can tell about a page state, checked once per state by every test that opens it.

* **accessibility**: axe-core, the rules of RGAA's reference (WCAG 2.1 A and AA) and axe's best
  practices; no critical, serious or moderate violation. axe-core comes from npm
  (``tests/navigateur/js``, installed by ``scripts/tests.sh``) and is injected by Playwright into
  the page: nothing is downloaded while the tests run;
* **French**: the visible text and the accessible names (``aria-label``, ``title``,
  ``placeholder``, ``alt``), then again once what hides more text is opened (a chart's toolbar,
  a list's options, a text field's instructions, the main menu): no English word of
  Streamlit's or Plotly's, no raw code;
* **legible**: no text cut without « … » (a label, a button, a title narrower than its words).

axe runs first, on the page as it opens; the text is then revealed and read (last: it opens menus and lists).
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.aides.navigateur import CUT_TEXT, wait_for_app

AXE = Path(__file__).parents[1] / "navigateur" / "js" / "node_modules" / "axe-core" / "axe.min.js"
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


#: The files the page shows have arrived: its fonts, its images, its frames' documents. (Not Playwright's
#: « networkidle », which waits for 500 ms without any request: a page whose map or chart fetches a file
#: now and then never reached it within 30 s on a loaded machine, once in a full run.)
FILES_ARRIVED = """() => document.fonts.status === 'loaded'
  && [...document.images].every((image) => image.complete)
  && [...document.querySelectorAll('iframe')].every((frame) => {
       try { return frame.contentDocument === null || frame.contentDocument.readyState === 'complete'; }
       catch (error) { return true; } })"""


def ready(page) -> None:
    """The page has run, its files have arrived and its French script has done its work."""
    wait_for_app(page)
    page.wait_for_function(FILES_ARRIVED, timeout=30_000)
    page.wait_for_function(FRENCH_READY, timeout=10_000)


def open_walked(page, url: str) -> None:
    """Open ``url`` and wait until it can be walked: its heading drawn, its run ended, its files and French in."""
    page.goto(url, wait_until="domcontentloaded")
    page.locator('[data-testid="stHeading"], .diapo-titre').first.wait_for(timeout=60_000)
    ready(page)


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


def english_shown(page) -> list[str]:
    """English or raw text shown or said on the page as it is now (nothing opened)."""
    return _english(page.evaluate(COLLECT))


def _report(where: str, violations: list[dict]) -> str:
    return "\n".join(
        f"{where} : {v['impact']} {v['id']} ({v['help']})\n    " + "\n    ".join(v["nodes"]) for v in violations
    )


def axe_and_cut_problems(page, axe_source: str | None, where: str) -> list[str]:
    """axe's violations (unless ``axe_source`` is None) and text cut without « … », on the page as it is now."""
    problems = []
    if axe_source is not None:
        violations = _violations(page, axe_source)
        if violations:
            problems.append(_report(where, violations))
    cut = page.evaluate(CUT_TEXT)
    if cut:
        problems.append(f"{where} : texte coupé sans « … » {cut}")
    return problems


def french_problems(page, where: str) -> list[str]:
    """English or raw text, shown or said, then once hidden text is revealed (this opens menus and lists)."""
    english = _english(_texts(page))
    return [f"{where} : texte non français {english}"] if english else []


def check_page(page, axe_source: str | None, where: str) -> list[str]:
    """Every problem of the page as it is now: axe's violations (unless ``axe_source`` is None), cut text, then
    English text."""
    return axe_and_cut_problems(page, axe_source, where) + french_problems(page, where)
