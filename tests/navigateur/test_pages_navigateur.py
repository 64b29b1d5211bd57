"""Every page and state a visitor opens, walked once: accessible (axe-core), French, offline, legible.

Each page state is opened once in the suite and checked there for everything a browser can tell about
it (``tests/aides/parcours.py``): axe-core, French, no text cut without « … », no request outside
127.0.0.1. Here: the pages without a map, every layer of the map, the results' views, a missing page. The
pages with a map are walked by ``test_cartes_navigateur.py`` with their map at three screen sizes; the slides
by ``test_presentation_navigateur.py`` with their drawing; the editors' pages signed in by the tests of what
editors do (``test_clavier_navigateur.py``, ``test_import_navigateur.py``); a phone's pages and the
projector's with the room (``test_salle_navigateur.py``).
"""

from __future__ import annotations

import pytest

from tests.aides.navigateur import (
    CUT_TEXT,
    PAGES_TO_WALK,
    RESULTS_VIEWS,
    external_requests,
)
from tests.aides.parcours import check_page, english_shown, open_walked, ready


def _home_page_key_figures(page) -> None:
    """The home page's first figures: the region's QPV and contrats."""
    page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=60_000)
    assert page.locator('[data-testid="stMetricValue"]').all_inner_texts()[:2] == ["123", "39"]


@pytest.mark.parametrize("address", PAGES_TO_WALK)
def test_every_page_is_accessible_french_and_offline(page, server_url, axe_source, address):
    open_walked(page, f"{server_url}{address}")
    if address == "/":
        _home_page_key_figures(page)
    problems = check_page(page, axe_source, address)
    assert problems == [], "\n".join(problems)
    assert external_requests(page) == []


def test_every_results_view_is_accessible_and_french(page, server_url, axe_source):
    open_walked(page, f"{server_url}/resultats")
    problems = []
    for view in RESULTS_VIEWS:
        page.get_by_text(view, exact=True).first.click()
        ready(page)
        problems += check_page(page, axe_source, f"/resultats « {view} »")
        page.keyboard.press("Escape")
    assert problems == [], "\n".join(problems)


def test_a_missing_page_is_said_in_french(page, server_url):
    """What Streamlit says by itself when an address is wrong (a refused file: ``test_import_navigateur.py``)."""
    page.goto(f"{server_url}/page-qui-n-existe-pas", wait_until="domcontentloaded")
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=60_000)
    # The dialog is Streamlit's; the French comes with the home page's run, which follows (slow on a loaded machine).
    page.wait_for_function("() => document.documentElement.lang === 'fr'", timeout=60_000)
    page.get_by_text("Page introuvable").wait_for(timeout=10_000)
    assert english_shown(page) == []


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
