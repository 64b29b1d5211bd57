"""Every text a visitor sees or hears is French: no English word of Streamlit's or Plotly's, no raw code.

The test collects the visible text and the accessible names (``aria-label``, ``title``,
``placeholder``, ``alt``) of every page, after opening what hides more text (the main menu, a
list's options, a text field's instructions, a chart's toolbar).
"""

from __future__ import annotations

import re

import pytest

from tests.aides.navigateur import wait_for_app

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

PAGES = [
    "/",
    "/carte",
    "/contrats",
    "/contrats?contrat=CN05403M",
    "/rencontres",
    "/cooperations",
    "/enquete",
    "/resultats",
    "/direct",
    "/presentation",
    "/importer",
    "/moderation",
]


def _reveal(page) -> None:
    """Open what hides text: a chart's toolbar, a list's options, a field's instructions."""
    chart = page.locator(".js-plotly-plot").first
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


def _offending(texts: list[str]) -> list[str]:
    bad = []
    for text in texts:
        if ENGLISH.search(text) or RAW.search(text):
            bad.append(text[:120])
    return sorted(set(bad))


@pytest.mark.parametrize("address", PAGES)
def test_every_page_speaks_french(page, server_url, address):
    page.goto(f"{server_url}{address}", wait_until="domcontentloaded")
    page.locator('[data-testid="stHeading"]').first.wait_for(timeout=60_000)
    wait_for_app(page)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => document.documentElement.lang === 'fr'", timeout=10_000)
    texts = page.evaluate(COLLECT)
    _reveal(page)
    page.wait_for_timeout(300)
    texts += page.evaluate(COLLECT)
    page.keyboard.press("Escape")
    menu = page.locator('[data-testid="stMainMenu"] button').first
    if menu.count():
        menu.click()
        page.wait_for_timeout(300)
        texts += page.evaluate(COLLECT)
    bad = _offending(texts)
    assert bad == [], f"{address} : {bad}"
