"""axe-core on every page and the states a visitor opens: no critical or serious violation, no moderate one.

axe-core comes from npm (``tests/navigateur/js``, installed by ``scripts/tests.sh``) and is injected
by Playwright into the page: nothing is downloaded while the tests run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cartographie.domaine.presentation import SLIDES
from tests.aides.navigateur import PAGES_TO_WALK, RESULTS_VIEWS, external_requests, sign_in_editor, wait_for_app

AXE = Path(__file__).parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
#: The rules of RGAA's reference (WCAG 2.1 A and AA) and axe-core's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
#: Impacts that fail the test.
FAILING = {"critical", "serious", "moderate"}

RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.html.slice(0, 160))}));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        message = "axe-core absent : lancez ./scripts/tests.sh (npm ci dans tests/navigateur/js)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


#: The page's French script has run (it names the sidebar, a region that scrolls, and puts it in the tab order).
FRENCH_READY = """() => document.documentElement.lang === 'fr'
  && !document.querySelector('[data-testid="stSidebarContent"]:not([tabindex])')"""


def _violations(page, axe_source: str) -> list[dict]:
    wait_for_app(page)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(FRENCH_READY, timeout=10_000)
    page.evaluate(axe_source)
    return [v for v in page.evaluate(RUN, TAGS) if v["impact"] in FAILING]


def _report(where: str, violations: list[dict]) -> str:
    return "\n".join(
        f"{where} : {v['impact']} {v['id']} ({v['help']})\n    " + "\n    ".join(v["nodes"]) for v in violations
    )


@pytest.mark.parametrize("address", PAGES_TO_WALK)
def test_every_page_has_no_serious_accessibility_violation(page, server_url, axe_source, address):
    page.goto(f"{server_url}{address}", wait_until="domcontentloaded")
    page.locator('[data-testid="stHeading"]').first.wait_for(timeout=60_000)
    violations = _violations(page, axe_source)
    assert violations == [], _report(address, violations)
    assert external_requests(page) == []


def test_every_results_view_has_no_serious_accessibility_violation(page, server_url, axe_source):
    page.goto(f"{server_url}/resultats", wait_until="domcontentloaded")
    page.locator('[data-testid="stHeading"]').first.wait_for(timeout=60_000)
    found = []
    for view in RESULTS_VIEWS:
        page.get_by_text(view, exact=True).first.click()
        wait_for_app(page)
        found += [_report(f"/resultats « {view} »", _violations(page, axe_source))]
    assert not any(found), "\n".join(f for f in found if f)


#: What a slide's chart or map says to a screen reader: its table, hidden from the eyes only.
ALTERNATIVE = """() => {
  const drawn = document.querySelectorAll('[class*="st-key-diapo_"] .main-svg, [class*="st-key-diapo_"] iframe').length;
  const table = document.querySelector('.lecteur-ecran table');
  const box = table && table.closest('.lecteur-ecran').getBoundingClientRect();
  return {drawn, rows: table ? table.querySelectorAll('tbody tr').length : 0,
          caption: table ? table.caption.innerText : '', hidden: !box || (box.width <= 1.5 && box.height <= 1.5)};
}"""


def test_every_slide_has_no_serious_accessibility_violation(page, server_url, axe_source):
    found = []
    for slide in SLIDES:
        page.goto(f"{server_url}/presentation?ecran=1&echelle=0.750&diapos={slide}&intervalle=120")
        page.locator(".diapo-titre").wait_for(timeout=60_000)
        found += [_report(f"diapositive {slide}", _violations(page, axe_source))]
        alternative = page.evaluate(ALTERNATIVE)
        if alternative["drawn"]:  # a chart or the map: its data as a table, for screen readers only
            assert alternative["rows"] > 0 and alternative["caption"] and alternative["hidden"], (slide, alternative)
    assert not any(found), "\n".join(f for f in found if f)


def test_the_editors_pages_signed_in_have_no_serious_accessibility_violation(page, server_url, axe_source):
    page.goto(f"{server_url}/moderation", wait_until="domcontentloaded")
    wait_for_app(page)
    sign_in_editor(page)
    found = [_report("/moderation (connecté)", _violations(page, axe_source))]
    page.goto(f"{server_url}/importer", wait_until="domcontentloaded")
    page.locator('[data-testid="stHeading"]').first.wait_for(timeout=60_000)
    found += [_report("/importer (connecté)", _violations(page, axe_source))]
    assert not any(found), "\n".join(f for f in found if f)


@pytest.mark.parametrize("address", ["/direct", "/enquete"])
def test_phone_pages_have_no_serious_accessibility_violation(browser, server_url, axe_source, address):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(f"{server_url}{address}", wait_until="domcontentloaded")
    phone.locator('[data-testid="stHeading"]').first.wait_for(timeout=60_000)
    violations = _violations(phone, axe_source)
    context.close()
    assert violations == [], _report(f"{address} (téléphone)", violations)
